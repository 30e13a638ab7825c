import { DEFAULT_FRONTEND_CONFIG, type FrontendConfig, hopMs } from '../frontend/config';
import { StreamingLogMel } from '../frontend/log-mel';
import { productKernel, StreamingResampler } from '../frontend/resampler';
import { DEFAULT_GATE_CONFIG, type GateConfig, type SpeechSegment, VoiceActivityGate } from '../vad/gate';
import { DEFAULT_WINDOW_CONFIG, FrameHistory, type WindowConfig, windowStartFrame } from '../vad/window';

/** One utterance found by the gate, cut to the model's fixed window. */
export interface UtteranceWindow {
  /** Log-mel features, row-major `[frames, melBins]` (98 × 40 by default). */
  readonly features: Float32Array;
  readonly frames: number;
  readonly melBins: number;
  /** The gate's segment, in frame indices since the stream start. */
  readonly segment: SpeechSegment;
  /** Start of the utterance, ms since the stream start. */
  readonly startMs: number;
  /** End of the utterance (end of its last voiced frame), ms since the stream start. */
  readonly endMs: number;
}

/** What one {@link StreamingPipeline.push} produced. */
export interface PipelineStep {
  /** Utterances completed during this chunk, in order. */
  readonly windows: UtteranceWindow[];
  /** Highest frame energy in this chunk, dB re full scale (−120 when no frame completed). */
  readonly levelDb: number;
  /** True while the gate has an open segment at the end of the chunk. */
  readonly inSpeech: boolean;
}

/** Configuration of the whole streaming path; every part has product defaults. */
export interface PipelineConfig {
  readonly frontend: FrontendConfig;
  readonly gate: GateConfig;
  readonly window: WindowConfig;
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
  private readonly gate: VoiceActivityGate;
  private readonly history: FrameHistory;
  private readonly frameMs: number;
  private finished = false;

  constructor(inputSampleRate: number, config: PipelineConfig = DEFAULT_PIPELINE_CONFIG) {
    if (config.window.postRollFrames > config.gate.hangoverFrames) {
      throw new RangeError('StreamingPipeline: postRollFrames must not exceed the gate hangover');
    }
    this.inputSampleRate = Math.round(inputSampleRate);
    this.config = config;
    this.resampler = new StreamingResampler(
      this.inputSampleRate,
      config.frontend.sampleRate,
      productKernel(this.inputSampleRate, config.frontend.sampleRate),
    );
    this.frontend = new StreamingLogMel(config.frontend);
    this.gate = new VoiceActivityGate(config.gate);
    const capacity = config.window.windowFrames + config.gate.maxSpeechFrames + config.gate.hangoverFrames + 8;
    this.history = new FrameHistory(config.frontend.melBins, capacity, this.frontend.silenceFrame());
    this.frameMs = hopMs(config.frontend);
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
    for (const frame of this.frontend.push(samples16k)) {
      this.history.push(frame.logMel);
      levelDb = Math.max(levelDb, frame.energyDb);
      for (const event of this.gate.push(frame.energyDb)) if (event.type === 'speech-end') windows.push(this.cut(event.segment));
    }
    if (final) {
      for (const event of this.gate.flush()) if (event.type === 'speech-end') windows.push(this.cut(event.segment));
    }
    return { windows, levelDb, inSpeech: this.gate.inSpeech };
  }

  private cut(segment: SpeechSegment): UtteranceWindow {
    const { windowFrames } = this.config.window;
    const { hopLength, windowLength, sampleRate } = this.config.frontend;
    const start = windowStartFrame(segment, this.config.window);
    // Frames past the newest one (possible only for a centred long segment) are not needed:
    // windowStartFrame keeps the window end ≤ segment end + postRoll ≤ frames pushed.
    const features = this.history.slice(start, windowFrames);
    return {
      features,
      frames: windowFrames,
      melBins: this.config.frontend.melBins,
      segment,
      startMs: segment.startFrame * this.frameMs,
      endMs: (((segment.endFrame - 1) * hopLength + windowLength) / sampleRate) * 1000,
    };
  }
}
