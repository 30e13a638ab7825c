/**
 * The headless recognizer, `import { DigitRecognizer } from 'digit-listener/recognizer'`: no
 * element, no Lit. See {@link DigitRecognizer}.
 */
export { DigitRecognizer, type DigitRecognizerOptions, type Enrollment, type EnrollmentRecording, type Recognition } from './digit-recognizer';
export { parseProfileFile, ProfileStore, type StoredProfile } from './profile-store';
export type { VoiceProfile } from '../adaptation/profile';
export type { HeldBackScore } from '../worker/protocol';
export type { LevelMeterColors, LevelMeterTarget } from '../worker/protocol';
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
  TakeEventDetail,
} from './events';
export { RecognizerError } from './events';
export type { BackendReady } from './worker-client';
export type { DigitResult } from '../worker/protocol';
