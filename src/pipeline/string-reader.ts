import type { GateEvent } from '../vad/gate';
import { type CtcDigit, GreedyCtcDecoder } from './ctc-decoder';
import { type RunConfig, type RunEvent, RunTracker } from './runs';

/** A digit of a run, read by the string model; times in stream frames (10 ms). */
export interface StringDigit {
  /** 0–9. */
  readonly digit: number;
  /** Highest CTC posterior of the digit, 0–1. */
  readonly confidence: number;
  /** First frame of the steps where the model emitted it (the CTC spike, inside the word). */
  readonly startFrame: number;
  /** One past the last of those frames. */
  readonly endFrame: number;
  /** The string model's posteriors (ten digits, other, blank) at the digit's most confident step. */
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

/** The speech encoder as the reader needs it (see `SpeechEncoder`). */
export interface StepEncoder {
  /** Frames one embedding reads (76) and frames between embeddings (8). */
  readonly contextFrames: number;
  readonly stepFrames: number;
  readonly embeddingSize: number;
  /** `[steps, embeddingSize]` embeddings of `[frames, melBins]` log-mel (steps = ⌊(frames − context) / step⌋ + 1). */
  encode(frames: Float32Array): Float32Array;
}

/** The string model as the reader needs it (see `StringModel`). */
export interface CtcModel {
  /** The encoder whose embeddings it reads. */
  readonly encoder: StepEncoder;
  /** Embedding steps on each side of an output it reads (its convolutions are valid). */
  readonly contextSteps: number;
  /** URL or path of the model, for errors. */
  readonly source: string;
  /** Index of the blank output (the last). */
  readonly blank: number;
  /** Index of the "other" output (a word that is not a digit); the digits are 0–9. */
  readonly other: number;
  /** `[steps − 2·contextSteps, classes]` posteriors of `[steps, embeddingSize]` embeddings. */
  posteriors(steps: Float32Array): Float32Array;
  /** Releases the model's tensors. */
  dispose(): void;
}

/** What places a run's embeddings: the encoder's context and step, and the head's context in steps. */
export interface RunGrid {
  readonly encoder: { readonly contextFrames: number; readonly stepFrames: number };
  readonly contextSteps: number;
}

/** Tunables of {@link StringReader}. */
export interface StringReaderConfig extends Omit<RunConfig, 'leadFrames'> {
  /**
   * Embedding steps computed at a time while a run of speech is open (80 ms each): one encoder
   * pass reads `hopSteps` new steps with the 68 frames of context before them. Smaller is
   * sooner, at more compute (the context is read again each time).
   */
  readonly hopSteps: number;
}

/**
 * Default reader: encoder passes every 160 ms (2 steps), runs of speech of up to 8 s (an 11-digit
 * phone number said slowly takes 5–6 s), the window's pre-roll (5 frames) and post-roll (10).
 */
export const DEFAULT_STRING_READER_CONFIG: StringReaderConfig = Object.freeze({ hopSteps: 2, maxRunFrames: 800, preRollFrames: 5, postRollFrames: 10 });

/**
 * Frames of context the reader keeps before a run: the first embedding it reads is the one
 * `contextSteps` steps before the run's first, and it reads `contextFrames` frames back.
 */
export function runLeadFrames(model: RunGrid): number {
  const { contextFrames, stepFrames } = model.encoder;
  return contextFrames - stepFrames + model.contextSteps * stepFrames;
}

/**
 * Output steps of a run of `runFrames` frames: every 8 frames of it, the last one reaching past
 * its end (read with the silence after it).
 */
export function runOutputSteps(runFrames: number, stepFrames: number): number {
  return Math.ceil(runFrames / stepFrames);
}

/**
 * The frames the encoder reads for a whole run at once: the lead (context before the run), the
 * run, then silence frames up to the end of the last step the last output reads. The reader
 * computes the same embeddings step by step as the run is spoken (tested equal); the trainer
 * makes its examples with this.
 *
 * @param frames `[leadFrames + runFrames, melBins]`, as a `RunTracker` holds them
 * @param silenceFrame `[melBins]` the frontend's frame of digital silence
 * @returns `[frames, melBins]` with `(outputs + 2·contextSteps)` embeddings in them
 */
export function wholeRunFrames(frames: Float32Array, leadFrames: number, silenceFrame: Float32Array, model: RunGrid): Float32Array {
  const melBins = silenceFrame.length;
  const held = frames.length / melBins;
  const { stepFrames } = model.encoder;
  const outputs = runOutputSteps(held - leadFrames, stepFrames);
  const total = leadFrames + (outputs + model.contextSteps) * stepFrames;
  const out = new Float32Array(total * melBins);
  out.set(frames.subarray(0, Math.min(held, total) * melBins));
  for (let f = held; f < total; f++) out.set(silenceFrame, f * melBins);
  return out;
}

/**
 * The streaming string reader: reads every run of speech ({@link RunTracker}) with the speech
 * encoder and the CTC string head as it is spoken, and emits each digit as soon as it is final.
 *
 * Embeddings are computed on the run's own grid: step s ends 8·(s + 1) frames after the run's
 * start and reads the 76 frames before that — the first, s = −contextSteps, reads the frames of
 * the lead (context before the run, silence before the stream). While the run is open, every
 * `hopSteps` steps the encoder runs once on the new steps' frames; an output step is read by the
 * head once the `contextSteps` steps after it exist, and decoded (greedy CTC). A digit is final
 * once an output after it shows a blank or another digit. When the run ends, the rest is read
 * with silence frames after its end ({@link wholeRunFrames}). Each embedding is computed once.
 *
 * @throws RangeError (constructor) for a `hopSteps` below 1
 */
export class StringReader {
  private readonly runs: RunTracker;
  private readonly lead: number;
  private readonly stepFrames: number;
  private readonly size: number;
  private decoder: GreedyCtcDecoder;
  /** Embeddings of the open run computed so far (from step −contextSteps), `[computed, size]`. */
  private readonly steps: Float32Array;
  private computed = 0;
  /** Output steps of the open run decoded so far. */
  private decoded = 0;

  /**
   * @param silenceFrame `[melBins]` the model frontend's frame of digital silence
   */
  constructor(
    private readonly model: CtcModel,
    private readonly silenceFrame: Float32Array,
    readonly config: StringReaderConfig = DEFAULT_STRING_READER_CONFIG,
  ) {
    if (!(Number.isInteger(config.hopSteps) && config.hopSteps >= 1)) throw new RangeError(`StringReader: hopSteps must be a positive integer, got ${config.hopSteps}`);
    const { encoder } = model;
    this.lead = runLeadFrames(model);
    this.stepFrames = encoder.stepFrames;
    this.size = encoder.embeddingSize;
    this.runs = new RunTracker(silenceFrame.length, { ...config, leadFrames: this.lead }, silenceFrame);
    const maxSteps = runOutputSteps(config.maxRunFrames, this.stepFrames) + 2 * model.contextSteps;
    // Allocated once: no growth while listening.
    this.steps = new Float32Array(maxSteps * this.size);
    this.decoder = new GreedyCtcDecoder(model.blank);
  }

  /** True while a run of speech is open. */
  get inRun(): boolean {
    return this.runs.open;
  }

  /**
   * Feeds one frame and the gate's events for it (a `FrameListener` of the pipeline calls this).
   *
   * @param logMel `[melBins]` log-mel of the model frontend (copied)
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
        this.computed = 0;
        this.decoded = 0;
        out.push(event);
      } else {
        this.readRest(event.frames, event.startFrame, out);
        out.push({ type: 'run-end', startFrame: event.startFrame, endFrame: event.endFrame, complete: event.complete });
      }
    }
  }

  /** Computes the steps whose frames the open run holds, `hopSteps` at a time, and decodes what they complete. */
  private readReady(out: StringReaderEvent[]): void {
    const frames = this.runs.runFrames;
    const held = frames.length / this.silenceFrame.length;
    const { hopSteps } = this.config;
    // Step −C + k ends at frame lead − C·step + step·(k + 1) of the held frames.
    const firstEnd = this.lead - this.model.contextSteps * this.stepFrames + this.stepFrames;
    const ready = held < firstEnd ? 0 : Math.floor((held - firstEnd) / this.stepFrames) + 1;
    const capacity = this.steps.length / this.size;
    if (ready - this.computed < hopSteps || this.computed >= capacity) return;
    this.compute(frames, Math.min(ready, capacity));
    this.decode(this.computed - 2 * this.model.contextSteps, this.runs.startFrame, out);
  }

  /** Computes steps `computed..upTo − 1` (counted from step −C) from `frames` (held or whole-run frames). */
  private compute(frames: Float32Array, upTo: number): void {
    if (upTo <= this.computed) return;
    const { contextFrames } = this.model.encoder;
    const melBins = this.silenceFrame.length;
    const from = this.computed * this.stepFrames;
    const to = (upTo - 1) * this.stepFrames + contextFrames;
    const embeddings = this.model.encoder.encode(frames.subarray(from * melBins, to * melBins));
    this.steps.set(embeddings, this.computed * this.size);
    this.computed = upTo;
  }

  /** Decodes outputs `decoded..outputs − 1` (needs their context steps computed). */
  private decode(outputs: number, startFrame: number, out: StringReaderEvent[]): void {
    if (outputs <= this.decoded) return;
    const C = this.model.contextSteps;
    const posteriors = this.model.posteriors(this.steps.subarray(this.decoded * this.size, (outputs + 2 * C) * this.size));
    const classes = this.model.blank + 1;
    for (let j = 0; j < outputs - this.decoded; j++) {
      const token = this.decoder.push(posteriors, j * classes);
      if (token) out.push(this.event(token, startFrame));
    }
    this.decoded = outputs;
  }

  /** Reads the ended run's remaining outputs, with silence after its end. */
  private readRest(frames: Float32Array, startFrame: number, out: StringReaderEvent[]): void {
    const whole = wholeRunFrames(frames, this.lead, this.silenceFrame, this.model);
    const melBins = this.silenceFrame.length;
    const outputs = runOutputSteps(frames.length / melBins - this.lead, this.stepFrames);
    // Steps already computed read only held frames; the rest may read the silence after the end.
    this.compute(whole, Math.min(outputs + 2 * this.model.contextSteps, this.steps.length / this.size));
    this.decode(Math.min(outputs, this.computed - 2 * this.model.contextSteps), startFrame, out);
    const last = this.decoder.finish();
    if (last) out.push(this.event(last, startFrame));
  }

  private event(token: CtcDigit, startFrame: number): StringReaderEvent {
    const t = this.toStream(token, startFrame);
    return token.digit === this.model.other ? { type: 'other', word: t } : { type: 'digit', digit: t };
  }

  private toStream(d: CtcDigit, startFrame: number): StringDigit {
    return { ...d, startFrame: startFrame + d.startFrame * this.stepFrames, endFrame: startFrame + d.endFrame * this.stepFrames };
  }
}
