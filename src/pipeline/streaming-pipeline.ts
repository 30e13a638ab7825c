import { DEFAULT_FRONTEND_CONFIG, type FrontendConfig, hopMs } from '../frontend/config';
import { type FrontendOptions, StreamingLogMel } from '../frontend/log-mel';
import { productKernel, StreamingResampler } from '../frontend/resampler';
import { DEFAULT_GATE_CONFIG, type FrameRange, type GateConfig, type GateEvent, type SpeechSegment, VoiceActivityGate } from '../vad/gate';
import { DEFAULT_WINDOW_CONFIG, FrameHistory, type WindowConfig, windowStartFrame } from '../vad/window';

/** One utterance found by the gate, cut to the model's fixed window. */
export interface UtteranceWindow {
  /** Log-mel features of the model frontend, row-major `[frames, melBins]`. */
  readonly features: Float32Array;
  readonly frames: number;
  readonly melBins: number;
  /** The gate's segment, in frame indices since the stream start. */
  readonly segment: SpeechSegment;
  /** Start of the utterance, ms since the stream start. */
  readonly startMs: number;
  /** End of the utterance (end of its last voiced frame), ms since the stream start. */
  readonly endMs: number;
  /**
   * The same segment read as several words, cut at the gate's pauses; null when the segment has
   * no pause. See {@link UtteranceParts}.
   */
  readonly parts: UtteranceParts | null;
}

/**
 * A segment with pauses inside, as `count` word parts: part 0 runs from the segment start to the
 * first pause, part i from pause i − 1 to pause i, the last part to the segment end. The
 * recognizer chooses which pauses are word boundaries by classifying runs of parts.
 */
export interface UtteranceParts {
  /** Number of parts: the pauses kept plus one (at most {@link MAX_SPLIT_PAUSES} + 1). */
  readonly count: number;
  /**
   * The window of parts `first..last` (inclusive) as one utterance, cut like any utterance and
   * with the speech outside it masked. `window(0, count - 1)` is the whole segment.
   *
   * @throws RangeError for indices outside `0 ≤ first ≤ last < count`
   */
  window(first: number, last: number): UtteranceWindow;
}

/**
 * Most pauses of one segment considered as word boundaries (the longest are kept): a digit
 * string of one breath has at most a few, and each pause adds windows to classify.
 */
export const MAX_SPLIT_PAUSES = 5;

/**
 * Frames after the end of other speech that are masked too (its release, below the gate's
 * offset threshold), and never closer than the pre-roll to the utterance itself.
 */
const MASK_TAIL_FRAMES = 3;

const NO_WINDOWS: readonly UtteranceWindow[] = Object.freeze([]);

/** What one {@link StreamingPipeline.push} produced. */
export interface PipelineStep {
  /** Utterances completed during this chunk, in order. */
  readonly windows: UtteranceWindow[];
  /** Highest frame energy in this chunk, dB re full scale (−120 when no frame completed). */
  readonly levelDb: number;
  /** True while the gate has an open segment at the end of the chunk. */
  readonly inSpeech: boolean;
}

/**
 * Sees every frame of the stream after the gate did, with the windows the gate's events cut —
 * the string reader reads runs of speech from it. `logMel` is reused after the call: copy it.
 */
export interface FrameListener {
  /**
   * @param logMel the frame's log-mel values of the model frontend, `[melBins]`
   * @param index frame index since the stream start (10 ms each)
   * @param events what the frame did to the gate
   * @param windows the utterance windows those events closed
   */
  frame(logMel: Float32Array, index: number, events: readonly GateEvent[], windows: readonly UtteranceWindow[]): void;
  /** The stream ended; `events` are the gate's last (it closes an open segment). */
  end(events: readonly GateEvent[], windows: readonly UtteranceWindow[]): void;
}

/** Configuration of the whole streaming path; every part has product defaults. */
export interface PipelineConfig {
  /** The frontend the VAD gate reads (its energies and mel bands); also the models' unless `modelFrontend` is set. */
  readonly frontend: FrontendConfig;
  readonly gate: GateConfig;
  readonly window: WindowConfig;
  /**
   * The log-mel the models read, when it is not the gate's: a second configuration of the same
   * frontend over the same 16 kHz samples (the speech encoder's `ENCODER_FRONTEND_CONFIG`). Its
   * frames are the gate's frames (same sample rate, window and hop): windows and the frame
   * listener get them.
   */
  readonly modelFrontend?: FrontendConfig;
}

export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = Object.freeze({
  frontend: DEFAULT_FRONTEND_CONFIG,
  gate: DEFAULT_GATE_CONFIG,
  window: DEFAULT_WINDOW_CONFIG,
});

/**
 * The one streaming path from device-rate audio to model windows, shared by the trainer, the
 * CLI and the browser worker: resample to 16 kHz → log-mel frames → VAD gate → fixed window
 * per utterance. Feed chunks of any size with {@link push}; call {@link flush} once at the end
 * of a finite stream (a file) to close the last utterance.
 *
 * @throws RangeError (constructor) for an unusable input sample rate.
 */
export class StreamingPipeline {
  readonly inputSampleRate: number;
  readonly config: PipelineConfig;
  private readonly resampler: StreamingResampler;
  private readonly frontend: StreamingLogMel;
  /** The models' frontend, when it is not the gate's. */
  private readonly modelFrontend: StreamingLogMel | null;
  private readonly gate: VoiceActivityGate;
  private readonly history: FrameHistory;
  private readonly frameMs: number;
  private finished = false;
  /** End frame of the last utterance cut; speech before it is masked out of the next window. */
  private previousEndFrame = -Infinity;
  private readonly silence: Float32Array;

  /**
   * @param inputSampleRate rate of the pushed audio, Hz
   * @param frontendOptions augmentation options of the frontend (VTLP, in training and enrollment); none when recognizing
   * @param listener sees every frame with the gate's events (the string reader)
   */
  constructor(
    inputSampleRate: number,
    config: PipelineConfig = DEFAULT_PIPELINE_CONFIG,
    frontendOptions: FrontendOptions = {},
    private readonly listener?: FrameListener,
  ) {
    if (config.window.postRollFrames > config.gate.hangoverFrames) {
      throw new RangeError('StreamingPipeline: postRollFrames must not exceed the gate hangover');
    }
    this.inputSampleRate = Math.round(inputSampleRate);
    this.config = config;
    this.resampler = new StreamingResampler(this.inputSampleRate, config.frontend.sampleRate, productKernel(this.inputSampleRate, config.frontend.sampleRate));
    this.frontend = new StreamingLogMel(config.frontend, frontendOptions);
    const model = config.modelFrontend;
    if (model && (model.sampleRate !== config.frontend.sampleRate || model.windowLength !== config.frontend.windowLength || model.hopLength !== config.frontend.hopLength)) {
      throw new RangeError('StreamingPipeline: the model frontend must frame the audio as the gate frontend does (sample rate, window and hop length)');
    }
    this.modelFrontend = model ? new StreamingLogMel(model, frontendOptions) : null;
    const features = this.modelFrontend ?? this.frontend;
    this.gate = new VoiceActivityGate(config.gate);
    const capacity = config.window.windowFrames + config.gate.maxSpeechFrames + config.gate.hangoverFrames + 8;
    this.history = new FrameHistory(features.config.melBins, capacity, features.silenceFrame());
    this.frameMs = hopMs(config.frontend);
    this.silence = features.silenceFrame();
  }

  /** The model frontend's frame of digital silence, `[melBins]` (a copy). */
  get silenceFrame(): Float32Array {
    return this.silence.slice();
  }

  /** The frontend configuration of the frames models read: `modelFrontend`, else the gate's. */
  get featureConfig(): FrontendConfig {
    return this.config.modelFrontend ?? this.config.frontend;
  }

  /** Feeds `samples` (mono, at `inputSampleRate`, nominally [-1, 1]). */
  push(samples: Float32Array): PipelineStep {
    if (this.finished) throw new Error('StreamingPipeline: push() after flush()');
    return this.process(this.resampler.push(samples), false);
  }

  /**
   * Ends the stream: drains the resampler, feeds enough digital silence for the hangover to run
   * out, and closes any open utterance.
   */
  flush(): PipelineStep {
    if (this.finished) return { windows: [], levelDb: -120, inSpeech: false };
    this.finished = true;
    const { frontend, gate } = this.config;
    const tail = this.resampler.flush();
    const silence = new Float32Array(frontend.windowLength + (gate.hangoverFrames + 1) * frontend.hopLength);
    const step = this.process(tail, false);
    const end = this.process(silence, true);
    return { windows: [...step.windows, ...end.windows], levelDb: Math.max(step.levelDb, end.levelDb), inSpeech: false };
  }

  private process(samples16k: Float32Array, final: boolean): PipelineStep {
    const windows: UtteranceWindow[] = [];
    let levelDb = -120;
    const frames = this.frontend.push(samples16k);
    // Same framing: the model frontend completes exactly these frames.
    const modelFrames = this.modelFrontend?.push(samples16k) ?? frames;
    frames.forEach((frame, i) => {
      const features = modelFrames[i].logMel;
      this.history.push(features);
      levelDb = Math.max(levelDb, frame.energyDb);
      const index = this.gate.frames;
      const events = this.gate.push(frame.energyDb, frame.logMel);
      const cut = this.cutEnded(events, windows);
      this.listener?.frame(features, index, events, cut);
    });
    if (final) {
      const events = this.gate.flush();
      this.listener?.end(events, this.cutEnded(events, windows));
    }
    return { windows, levelDb, inSpeech: this.gate.inSpeech };
  }

  /** Cuts the window of every segment the gate closed in `events`, appends them to `windows`, returns them. */
  private cutEnded(events: readonly GateEvent[], windows: UtteranceWindow[]): readonly UtteranceWindow[] {
    if (events.length === 0) return NO_WINDOWS;
    const cut: UtteranceWindow[] = [];
    events.forEach((event, i) => {
      if (event.type !== 'speech-end') return;
      // A segment closed at a pause of a long run of words is followed at once by the rest.
      const next = events[i + 1];
      cut.push(this.cut(event.segment, next?.type === 'speech-start' ? next.startFrame : Infinity));
    });
    windows.push(...cut);
    return cut;
  }

  /**
   * The window of a segment closed by the gate, with its parts when it has pauses.
   *
   * @param nextStart first frame of the speech that follows at once (Infinity when none yet)
   */
  private cut(segment: SpeechSegment, nextStart: number): UtteranceWindow {
    const before = this.previousEndFrame;
    this.previousEndFrame = segment.endFrame;
    const pauses = keptPauses(segment.pauses);
    if (pauses.length === 0) return { ...this.cutRange(segment, before, nextStart), segment, parts: null };
    // Cut every window now: the frame history may not hold these frames after the next push.
    const count = pauses.length + 1;
    const windows: UtteranceWindow[][] = [];
    for (let first = 0; first < count; first++) {
      windows.push([]);
      for (let last = first; last < count; last++) {
        const range = {
          startFrame: first === 0 ? segment.startFrame : pauses[first - 1].endFrame,
          endFrame: last === count - 1 ? segment.endFrame : pauses[last].startFrame,
        };
        const previous = first === 0 ? before : pauses[first - 1].startFrame;
        const next = last === count - 1 ? nextStart : pauses[last].endFrame;
        windows[first].push({ ...this.cutRange(range, previous, next), parts: null });
      }
    }
    const parts: UtteranceParts = {
      count,
      window(first, last) {
        if (!(first >= 0 && first <= last && last < count)) throw new RangeError(`UtteranceParts: no parts ${first}..${last} of ${count}`);
        return windows[first][last - first];
      },
    };
    return { ...parts.window(0, count - 1), segment, parts };
  }

  /**
   * The model window of the speech in `range`, end-aligned by {@link windowStartFrame}. Other
   * speech in the window — ending at `previousEnd` before it, or starting at `nextStart` after
   * it — is replaced by the frontend's silence frame, as training windows hold one word: left
   * in, the tail of the previous word outweighs a short next word.
   */
  private cutRange(range: FrameRange, previousEnd: number, nextStart: number): Omit<UtteranceWindow, 'parts'> {
    const { windowFrames, preRollFrames } = this.config.window;
    const { hopLength, windowLength, sampleRate } = this.config.frontend;
    const { melBins } = this.featureConfig;
    const start = windowStartFrame(range, this.config.window);
    // The post-roll may reach past the newest frame only when other speech follows at once
    // (a segment closed at a pause), and those frames are masked: read them as silence.
    const available = Math.min(windowFrames, this.history.frames - start);
    const features = new Float32Array(windowFrames * melBins);
    features.set(this.history.slice(start, available));
    const maskBefore = Math.min(range.startFrame - preRollFrames, previousEnd + MASK_TAIL_FRAMES) - start;
    const maskFrom = Math.max(range.endFrame + MASK_TAIL_FRAMES, nextStart - preRollFrames) - start;
    for (let i = 0; i < windowFrames; i++) if (i < maskBefore || i >= maskFrom) features.set(this.silence, i * melBins);
    return {
      features,
      frames: windowFrames,
      melBins,
      segment: { ...range, pauses: [] },
      startMs: range.startFrame * this.frameMs,
      endMs: (((range.endFrame - 1) * hopLength + windowLength) / sampleRate) * 1000,
    };
  }
}

/** The pauses considered as word boundaries: the {@link MAX_SPLIT_PAUSES} longest, in order. */
function keptPauses(pauses: readonly FrameRange[]): FrameRange[] {
  const length = (p: FrameRange) => p.endFrame - p.startFrame;
  if (pauses.length <= MAX_SPLIT_PAUSES) return [...pauses];
  const longest = [...pauses].sort((a, b) => length(b) - length(a)).slice(0, MAX_SPLIT_PAUSES);
  return pauses.filter((p) => longest.includes(p));
}
