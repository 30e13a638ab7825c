/**
 * The AudioWorkletGlobalScope globals the capture worklet uses. TypeScript ships no lib for this
 * scope, and the DOM lib would be wrong here (a worklet has no `document`, `window` or `fetch`):
 * tsconfig.worklet.json gives the worklet the ES lib and these declarations only.
 */

/** The AudioContext's sample rate, Hz. */
declare const sampleRate: number;

/** As in TypeScript's DOM lib: a handler names the `data` it expects (`MessageEvent<T>`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the DOM lib's default, so a handler for MessageEvent<T> fits `onmessage`
interface MessageEvent<T = any> {
  readonly data: T;
}

type Transferable = ArrayBuffer | MessagePort;

interface MessagePort {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
  close(): void;
}

declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;
