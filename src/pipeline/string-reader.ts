import type { FrontendConfig } from '../frontend/config';
import { maxOf } from '../model/input';
import type { GateEvent } from '../vad/gate';
import { type CtcDigit, GreedyCtcDecoder } from './ctc-decoder';
import { type RunConfig, type RunEvent, RunTracker } from './runs';

/** A digit of a run, read by the string model; times in stream frames (10 ms). */
export interface StringDigit {
  /** 0–9. */
  readonly digit: number;
  /** Highest CTC posterior of the digit, 0–1. */
  readonly confidence: number;
  /** First frame of the output frames where the model emitted it (the CTC spike, inside the word). */
  readonly startFrame: number;
  /** One past the last of those frames. */
  readonly endFrame: number;
  /** The string model's posteriors (ten digits, blank) at the digit's most confident frame. */
  readonly posteriors: number[];
}

/** What the reader saw in one frame. */
export type StringReaderEvent =
  | { readonly type: 'run-start'; readonly startFrame: number }
  /** A digit of the open run that no later frame can change. */
  | { readonly type: 'digit'; readonly digit: StringDigit }
  /** A word of the open run that is not a digit (the model's "other" token), final. */
  | { readonly type: 'other'; readonly word: StringDigit }
  | { readonly type: 'run-end'; readonly startFrame: number; readonly endFrame: number; readonly complete: boolean };

/** The string model as the reader needs it (see `StringModel`). */
export interface CtcModel {
  /** How output frames map to input frames, and the frontend it was trained with (at least its mel bins). */
  readonly metadata: { readonly frameStride: number; readonly contextFrames: number; readonly frontend: Partial<FrontendConfig> & { readonly melBins: number } };
  /** URL or path of the model, for errors. */
  readonly source: string;
  /** Index of the blank output (the last). */
  readonly blank: number;
  /** Index of the "other" output (a word that is not a digit); the digits are 0–9. */
  readonly other: number;
  /** `[frames / frameStride, classes]` posteriors of `[frames, melBins]` ln(mel) frames normalised to `reference`. */
  posteriors(features: Float32Array, reference: number): Float32Array;
  /** Releases the model's tensors. */
  dispose(): void;
}

/** Tunables of {@link StringReader}. */
export interface StringReaderConfig extends RunConfig {
  /**
   * Frames between two model runs while a run of speech is open (10 ms each): the reader
   * computes this many new output frames each time. Smaller is sooner, at more compute (each
   * run re-reads `contextFrames` on both sides).
   */
  readonly hopFrames: number;
}

/**
 * Default reader: model runs every 160 ms, runs of speech of up to 8 s (an 11-digit phone number
 * said slowly takes 5–6 s), the window's pre-roll (5 frames) and post-roll (10).
 */
export const DEFAULT_STRING_READER_CONFIG: StringReaderConfig = Object.freeze({ hopFrames: 16, maxRunFrames: 800, preRollFrames: 5, postRollFrames: 10 });

/** ln(mel) value of the padding after a run's last frame: below any floor, normalised to the minimum. */
const PAD_LN_MEL = -1e3;

/**
 * The streaming string reader: reads every run of speech ({@link RunTracker}) with the CTC
 * string model as it is spoken and emits each digit as soon as it is final.
 *
 * While a run is open, every `hopFrames` frames it runs the model on the newest stretch — the
 * next `hopFrames` frames plus `contextFrames` of context on each side, normalised against the
 * loudest frame of the run so far — and decodes the output frames whose context is complete
 * (greedy CTC). A digit is final once an output frame after it shows a blank or another digit.
 * When the run ends it reads the rest, with the frames after the run's end as silence. Each
 * output frame is computed once: the cost per second of speech is about
 * (hopFrames + 2 · contextFrames) / hopFrames model frames per frame.
 *
 * @throws RangeError (constructor) when `hopFrames` or `contextFrames` is not a multiple of the model's frame stride
 */
export class StringReader {
  private readonly runs: RunTracker;
  private readonly stride: number;
  private readonly context: number;
  private readonly melBins: number;
  private decoder: GreedyCtcDecoder;
  /** Output frames of the open run decoded so far. */
  private decoded = 0;
  /** Loudest ln(mel) value of the open run so far, and the frames it covers. */
  private reference = -Infinity;
  private referenceFrames = 0;

  constructor(
    private readonly model: CtcModel,
    readonly config: StringReaderConfig = DEFAULT_STRING_READER_CONFIG,
  ) {
    this.stride = model.metadata.frameStride;
    this.context = model.metadata.contextFrames;
    this.melBins = model.metadata.frontend.melBins;
    if (config.hopFrames % this.stride !== 0 || this.context % this.stride !== 0 || config.hopFrames <= 0) {
      throw new RangeError(`StringReader: hopFrames (${config.hopFrames}) and the model's contextFrames (${this.context}) must be multiples of its frame stride ${this.stride}`);
    }
    this.runs = new RunTracker(this.melBins, config);
    this.decoder = new GreedyCtcDecoder(model.blank);
  }

  /** True while a run of speech is open. */
  get inRun(): boolean {
    return this.runs.open;
  }

  /**
   * Feeds one frame and the gate's events for it (a `FrameListener` of the pipeline calls this).
   *
   * @param logMel `[melBins]` ln(mel) values (copied)
   */
  push(logMel: Float32Array, index: number, events: readonly GateEvent[]): StringReaderEvent[] {
    const out: StringReaderEvent[] = [];
    this.handle(this.runs.push(logMel, index, events), out);
    if (this.runs.open) this.readReady(out);
    return out;
  }

  /** The stream ended (the gate's last events close its segment; the run ends with them). */
  end(): StringReaderEvent[] {
    const out: StringReaderEvent[] = [];
    this.handle(this.runs.end(), out);
    return out;
  }

  private handle(events: RunEvent[], out: StringReaderEvent[]): void {
    for (const event of events) {
      if (event.type === 'run-start') {
        this.decoder = new GreedyCtcDecoder(this.model.blank);
        this.decoded = 0;
        this.reference = -Infinity;
        this.referenceFrames = 0;
        out.push(event);
      } else {
        this.readRest(event.frames, event.startFrame, out);
        out.push({ type: 'run-end', startFrame: event.startFrame, endFrame: event.endFrame, complete: event.complete });
      }
    }
  }

  /** Reads every hop whose right context the open run already holds. */
  private readReady(out: StringReaderEvent[]): void {
    const { hopFrames } = this.config;
    const frames = this.runs.runFrames;
    const available = this.runs.frameCount;
    while (available >= this.decoded * this.stride + hopFrames + this.context) {
      const from = this.decoded * this.stride;
      this.read(frames, from, from + hopFrames, from + hopFrames + this.context, this.runs.startFrame, out);
    }
  }

  /** Reads the ended run's remaining output frames, with silence after its end. */
  private readRest(frames: Float32Array, startFrame: number, out: StringReaderEvent[]): void {
    const count = frames.length / this.melBins;
    const from = this.decoded * this.stride;
    if (count > from) {
      const to = Math.ceil(count / this.stride) * this.stride;
      this.read(frames, from, to, to, startFrame, out);
    }
    const last = this.decoder.finish();
    if (last) out.push(this.event(last, startFrame));
  }

  /**
   * Runs the model on run frames [from − context, windowEnd) and decodes the output frames of
   * [from, to) (all multiples of the stride; frames past the run are padding).
   */
  private read(frames: Float32Array, from: number, to: number, windowEnd: number, startFrame: number, out: StringReaderEvent[]): void {
    const { melBins, stride } = this;
    const count = frames.length / melBins;
    // Before the run's first frame and after its last, silence: the model reads the edges of a
    // run as it reads the pauses of its training examples, not as the convolutions' zero padding.
    const windowStart = from - this.context;
    const known = Math.min(windowEnd, count);
    if (known > this.referenceFrames) {
      this.reference = Math.max(this.reference, maxOf(frames, this.referenceFrames * melBins, known * melBins));
      this.referenceFrames = known;
    }
    const window = new Float32Array((windowEnd - windowStart) * melBins).fill(PAD_LN_MEL);
    window.set(frames.subarray(Math.max(0, windowStart) * melBins, known * melBins), Math.max(0, -windowStart) * melBins);
    const posteriors = this.model.posteriors(window, this.reference);
    const classes = this.model.blank + 1;
    for (let j = (from - windowStart) / stride; j < (to - windowStart) / stride; j++) {
      const token = this.decoder.push(posteriors, j * classes);
      if (token) out.push(this.event(token, startFrame));
    }
    this.decoded += (to - from) / stride;
  }

  private event(token: CtcDigit, startFrame: number): StringReaderEvent {
    const t = this.toStream(token, startFrame);
    return token.digit === this.model.other ? { type: 'other', word: t } : { type: 'digit', digit: t };
  }

  private toStream(d: CtcDigit, startFrame: number): StringDigit {
    return { ...d, startFrame: startFrame + d.startFrame * this.stride, endFrame: startFrame + d.endFrame * this.stride };
  }
}
