import type { CaptureErrorCode } from '../capture/microphone';
import type { DigitResult, RejectedSpeech, WorkerErrorCode } from '../worker/protocol';

/**
 * States of a recognizer session: `loading` (backend and models), `idle` (ready, no audio),
 * `listening` (audio flows, silence), `speech` (the gate hears speech), `paused` (audio stopped:
 * by `pause()`, the browser, or autoplay rules), `error` (the session failed; `start()` again).
 */
export type RecognizerState = 'loading' | 'idle' | 'listening' | 'speech' | 'paused' | 'error';

/**
 * Why the state changed, where it matters to a user: `user` (`pause()`), `browser` (the audio
 * was suspended: screen lock, background tab), `autoplay` (the browser holds the audio until a
 * gesture), `page-hidden` (the page was left: the microphone was released), `done` (one-digit
 * mode heard its digit), `stop` (`stop()`).
 */
export type StateReason = 'user' | 'browser' | 'autoplay' | 'page-hidden' | 'done' | 'stop';

/** `detail` of the `state` event. */
export interface StateEventDetail {
  readonly state: RecognizerState;
  readonly previous: RecognizerState;
  readonly reason?: StateReason;
}

/** `detail` of the `digit` event: one recognized digit. */
export type DigitEventDetail = DigitResult;

/** `detail` of the `digits` event: a completed digit string, e.g. "4172". */
export interface DigitsEventDetail {
  readonly digits: string;
  /** Why the string ended: the pause after it, the configured length, or `stop()`. */
  readonly reason: 'pause' | 'length' | 'stop';
}

/** `detail` of the `level` event: the input level (peak of the last ~200 ms) and the gate's speech flag. */
export interface LevelEventDetail {
  /** dBFS, −120 for silence. */
  readonly levelDb: number;
  readonly inSpeech: boolean;
}

/** `detail` of the `rejected` event: speech that was heard but not reported. */
export type RejectedEventDetail = RejectedSpeech;

/** Machine-readable cause of an `error` event. */
export type RecognizerErrorCode = CaptureErrorCode | WorkerErrorCode;

/** `detail` of the `error` event: a code to branch on and a message in plain words. */
export interface ErrorEventDetail {
  readonly code: RecognizerErrorCode;
  readonly message: string;
}

/** `detail` of the `take` event: an utterance as a recording (while `recordTakes(true)`: enrollment). */
export interface TakeEventDetail {
  /** Mono samples at `sampleRate` (the device's), with 250 ms of margin around the speech. */
  readonly samples: Float32Array;
  readonly sampleRate: number;
  /** Where the speech is in the stream, ms since listening started. */
  readonly startMs: number;
  readonly endMs: number;
}

/** The recognizer's events and their `detail`s. Every event is a `CustomEvent`. */
export interface DigitRecognizerEventMap {
  digit: DigitEventDetail;
  digits: DigitsEventDetail;
  level: LevelEventDetail;
  state: StateEventDetail;
  rejected: RejectedEventDetail;
  error: ErrorEventDetail;
  take: TakeEventDetail;
}

/** An error of the recognizer, with the code of its `error` event. */
export class RecognizerError extends Error {
  readonly code: RecognizerErrorCode;
  constructor(code: RecognizerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecognizerError';
    this.code = code;
  }
}
