/**
 * Messages of the capture worklet: audio to the recognizer worker, and the main thread's
 * commands to the worklet. (Main thread ↔ worker messages: `worker/protocol.ts`.)
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
