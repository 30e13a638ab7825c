/**
 * The recognizer worker's message protocol: every message between the main thread and the
 * worker, as discriminated unions. Both sides handle them in `switch`es whose `default` calls
 * {@link unreachable}, so a new message is a compile error on every side until it is handled.
 * (Worklet ↔ worker audio messages are in `capture/messages.ts`.)
 */

import type { EnrollmentTake } from '../adaptation/enroll';
import type { VoiceProfile } from '../adaptation/profile';

/** Where a model's files are: its `model.json`, and optionally the URL of each weight file. */
export interface ModelLocation {
  /** URL of `model.json`. */
  readonly url: string;
  /**
   * Weight file name as `model.json` lists it (e.g. `weights.bin`) → the URL it is served at.
   * Given when a bundler renamed the files (`weights-3f2a.bin`); absent: beside `model.json`.
   */
  readonly weights?: Readonly<Record<string, string>>;
}

/** The models the worker loads. */
export interface ModelSources {
  /** The word head. */
  readonly word: ModelLocation;
  /**
   * The speech encoder both heads read: the shipped one, also under heads of the page's own
   * (`modelUrl`) — every head names the encoder it was trained on by fingerprint, and a head of
   * another encoder is refused with both fingerprints named.
   */
  readonly encoder: ModelLocation;
  /**
   * The CTC string model, or `'beside'`: look for `strings/model.json` beside the word model
   * (a folder without one reads word by word).
   */
  readonly strings: ModelLocation | 'beside';
  /**
   * URL of the word model's anchors (`anchors.json`: the general examples every enrollment is
   * fitted with), or `'beside'`: look beside the word model (a folder without one enrolls
   * without them).
   */
  readonly anchors: { readonly url: string } | 'beside';
}

/** Colours of the meter, as the page computed them (CSS colours the worker's canvas can parse: `rgb(…)`). */
export interface LevelMeterColors {
  /** The empty part. */
  readonly track: string;
  /** The level while the gate hears no speech. */
  readonly quiet: string;
  /** The level while the gate is open (speech). */
  readonly speech: string;
}

/** What the page hands the worker for its level meter (drawn by `level-meter.ts`): the canvas (transferred) and its colours. */
export interface LevelMeterTarget {
  readonly canvas: OffscreenCanvas;
  readonly colors: LevelMeterColors;
}

/** Options of one stream (microphone or stream) or one `recognize` call. */
export interface StreamSettings {
  /** Minimum confidence (0–1) for a digit to be reported. */
  readonly confidenceThreshold: number;
}

/** Main thread → worker. */
export type MainToWorker =
  | {
      readonly type: 'init';
      readonly models: ModelSources;
      /** wasm file name → URL served by the app. */
      readonly wasmPaths: Record<string, string>;
      /**
       * Use tfjs' multi-threaded wasm binary when the page is cross-origin isolated. Off by
       * default: on the shipped model one thread was faster (see `npm run bench`).
       */
      readonly threads?: boolean;
    }
  | {
      /** Time `runs` classifications of a fixed window (after a warm-up) and report them: used by `npm run bench`. */
      readonly type: 'measure-inference';
      readonly runs: number;
    }
  | {
      /** Start a new stream: a fresh pipeline at this rate, fed from `port` (the worklet's). */
      readonly type: 'start';
      readonly sampleRate: number;
      readonly port: MessagePort;
      readonly settings: StreamSettings;
      /**
       * A level meter for the worker to draw (transferred): then the level is not posted between
       * changes of the speech flag (the page's main thread draws nothing for it).
       */
      readonly meter?: LevelMeterTarget;
    }
  | {
      /** New settings for the stream being heard; they apply from the next utterance decided. */
      readonly type: 'configure';
      readonly settings: StreamSettings;
    }
  | {
      /**
       * Audio stopped flowing (the AudioContext was suspended): report the utterance in
       * progress now, and go on with a fresh stream when audio returns, so a word is neither
       * lost at the pause nor joined to what is heard after it.
       */
      readonly type: 'flush';
    }
  | { readonly type: 'stop' }
  | {
      /**
       * Adapt the word model to one person: fit a head on `takes` (with the anchors), score
       * `heldBack` before and after, answer `enrolled`. The head in use does not change.
       */
      readonly type: 'enroll';
      readonly id: number;
      readonly takes: EnrollmentTake[];
      readonly heldBack: EnrollmentTake[];
    }
  | {
      /**
       * While on, every utterance the gate finds in the stream is also posted back as a
       * recording (`take`): how enrollment collects the person's takes from the microphone.
       */
      readonly type: 'record-takes';
      readonly on: boolean;
    }
  | {
      /** Read with this voice profile from now on (null: the general model); answered by `profile-set`. */
      readonly type: 'use-profile';
      readonly id: number;
      readonly profile: VoiceProfile | null;
    }
  | {
      /** Recognize a whole recording (not the live stream): answered by `recognized` with the same `id`. */
      readonly type: 'recognize';
      readonly id: number;
      /** Mono samples at `sampleRate`. */
      readonly samples: Float32Array;
      readonly sampleRate: number;
      readonly settings: StreamSettings;
    };

/** One recognized digit, as shown by the element and sent in its `digit` event. */
export interface DigitResult {
  readonly digit: number;
  readonly confidence: number;
  /**
   * Probabilities of the model that decided: the word model's `[ten digits, other]`, or for a
   * digit read in a string the string model's `[ten digits, other, blank]`.
   */
  readonly probabilities: number[];
  /** `'word'`: the word model read it alone; `'string'`: the string model read it in a digit string. */
  readonly source: 'word' | 'string';
  /** ms since the stream started (stream time: samples received / sample rate); a suspension starts a new stream. */
  readonly startMs: number;
  readonly endMs: number;
  /**
   * When the stream's first sample was captured, ms on the `performance.timeOrigin +
   * performance.now()` clock (estimated in the worker from the earliest arrival of each audio
   * block, less the block's duration). `streamOriginAt + endMs` is when the word ended; the time
   * of the event minus that is the latency the user sees. 0 for `recognize` (a recording).
   */
  readonly streamOriginAt: number;
}

/** Speech that was heard but not reported: not a digit, or not confident enough. */
export interface RejectedSpeech {
  /** The model's best label: "other", or a digit's name whose confidence was below the threshold. */
  readonly label: string;
  readonly confidence: number;
}

/** Why the worker failed. */
export type WorkerErrorCode = 'model-failed' | 'backend-failed' | 'pipeline-failed' | 'enrollment-failed' | 'profile-refused';

/** Held-back takes read before and after an enrollment: the improvement the person sees. */
export interface HeldBackScore {
  /** Takes held back (not fitted on). */
  readonly takes: number;
  /** Of them read exactly right (one digit, the right one) by the general model, and with the new profile. */
  readonly before: number;
  readonly after: number;
}

/** Worker → main thread. */
export type WorkerToMain =
  | { readonly type: 'ready'; readonly backend: string; readonly simd: boolean; readonly threads: boolean; readonly strings: boolean }
  | { readonly type: 'status'; readonly levelDb: number; readonly inSpeech: boolean }
  | { readonly type: 'digit'; readonly result: DigitResult }
  | ({ readonly type: 'rejected' } & RejectedSpeech)
  | { readonly type: 'recognized'; readonly id: number; readonly digits: DigitResult[]; readonly rejected: RejectedSpeech[] }
  | {
      readonly type: 'enrolled';
      readonly id: number;
      readonly profile: VoiceProfile;
      /** Null when nothing was held back. */
      readonly heldBack: HeldBackScore | null;
      /** Windows fitted on (takes × augmented copies) and anchors used. */
      readonly examples: number;
      readonly anchors: number;
      /** Time of the adaptation alone (not the held-back scoring), ms. */
      readonly adaptMs: number;
    }
  | { readonly type: 'profile-set'; readonly id: number; readonly model: string | null }
  | {
      /** An utterance of the stream as a recording (while `record-takes` is on), with 250 ms of margin on each side. */
      readonly type: 'take';
      /** Mono samples at `sampleRate` (the device's). */
      readonly samples: Float32Array;
      readonly sampleRate: number;
      /** Where the utterance's speech is in the stream, ms of stream time. */
      readonly startMs: number;
      readonly endMs: number;
    }
  | {
      /** Per word window (encoder pass + word head), and per encoder step: one embedding alone, and as the string reader computes them (`hopSteps` per pass). */
      readonly type: 'inference-timing';
      readonly medianMs: number;
      readonly p95Ms: number;
      readonly runs: number;
      readonly encoderStep: { readonly medianMs: number; readonly p95Ms: number };
      readonly readerEncoderStep: { readonly medianMs: number; readonly p95Ms: number };
      readonly simd: boolean;
      readonly threads: boolean;
    }
  | {
      readonly type: 'error';
      readonly code: WorkerErrorCode;
      readonly message: string;
      /** The call (`recognize`, `enroll`, `use-profile`) that failed, if the error is its answer. */
      readonly id?: number;
    };

/**
 * What the worker posts: one message, or the messages of one audio block in order (e.g. a
 * `digit` and the `status` that ends its speech), so the main thread handles them in one task.
 */
export type WorkerPost = WorkerToMain | readonly WorkerToMain[];

export { unreachable } from './unreachable';
