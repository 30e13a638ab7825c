/**
 * The headless recognizer, `import { DigitRecognizer } from 'digit-listener/recognizer'`: no
 * element, no Lit. See {@link DigitRecognizer}.
 */
export { DigitRecognizer, type DigitRecognizerOptions, type Recognition } from './digit-recognizer';
export type {
  DigitEventDetail,
  DigitRecognizerEventMap,
  DigitsEventDetail,
  ErrorEventDetail,
  LevelEventDetail,
  RecognizerErrorCode,
  RecognizerState,
  RejectedEventDetail,
  StateEventDetail,
  StateReason,
} from './events';
export { RecognizerError } from './events';
export type { BackendReady } from './worker-client';
export type { DigitResult } from '../worker/protocol';
