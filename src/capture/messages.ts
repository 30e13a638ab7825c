/**
 * Every message exchanged between the capture worklet, the recognizer worker and the main
 * thread, as discriminated unions in one file: a new message is a compile error until every
 * side handles it.
 */

/** Worklet → worker (over the MessagePort the main thread hands both). */
export interface AudioChunkMessage {
  readonly type: 'audio';
  /** Mono samples at the AudioContext's rate (channels averaged). */
  readonly samples: Float32Array;
}
export type WorkletToWorker = AudioChunkMessage;

/** Main thread → worklet (its `node.port`). */
export type MainToWorklet = { readonly type: 'connect'; readonly port: MessagePort } | { readonly type: 'stop' };

/** Main thread → worker. */
export type MainToWorker =
  | {
      readonly type: 'init';
      /** URL of model.json. */
      readonly modelUrl: string;
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
      readonly confidenceThreshold: number;
    }
  | {
      /**
       * Audio stopped flowing (the AudioContext was suspended): report the utterance in
       * progress now, and go on with a fresh stream when audio returns, so a word is neither
       * lost at the pause nor joined to what is heard after it.
       */
      readonly type: 'flush';
    }
  | { readonly type: 'stop' };

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
   * of the event minus that is the latency the user sees.
   */
  readonly streamOriginAt: number;
}

/** Worker → main thread. */
export type WorkerToMain =
  | { readonly type: 'ready'; readonly backend: string; readonly simd: boolean; readonly threads: boolean }
  | { readonly type: 'status'; readonly levelDb: number; readonly inSpeech: boolean }
  | { readonly type: 'digit'; readonly result: DigitResult }
  /** Speech was heard but not reported: not a digit, or not confident enough. */
  | { readonly type: 'rejected'; readonly label: string; readonly confidence: number }
  | { readonly type: 'inference-timing'; readonly medianMs: number; readonly p95Ms: number; readonly runs: number; readonly simd: boolean; readonly threads: boolean }
  | { readonly type: 'error'; readonly code: 'model-failed' | 'backend-failed' | 'pipeline-failed'; readonly message: string };
