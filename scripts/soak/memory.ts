/** Memory samples of the Node process for the soak: after a forced full garbage collection. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';

/** One memory sample, bytes (tensor count as a count), taken after {@link forceGc}. */
export interface MemorySample {
  /** Audio streamed when it was taken, s. */
  readonly audioSeconds: number;
  /** V8 heap in use (JS objects). */
  readonly heapUsed: number;
  /** Memory of C++ objects bound to JS, including every ArrayBuffer's backing store (`arrayBuffers`). */
  readonly external: number;
  readonly arrayBuffers: number;
  /** Resident set size of the whole process (includes the wasm heap, code, allocator slack). */
  readonly rss: number;
  /** Live tfjs tensors and their bytes. */
  readonly tensors: number;
  readonly tensorBytes: number;
}

let gc: (() => void) | null = null;

/**
 * Runs a full, synchronous garbage collection (twice, so objects freed by finalizers go too).
 * Works without `node --expose-gc`: the flag is set at run time and `gc` taken from a new context.
 */
export function forceGc(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
}

/** Forces a garbage collection and samples the process's memory. */
export function sampleMemory(audioSeconds: number): MemorySample {
  forceGc();
  const m = process.memoryUsage();
  const t = tf.memory();
  return { audioSeconds, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss, tensors: t.numTensors, tensorBytes: t.numBytes };
}

/** JS memory of a sample: V8 heap plus external memory (ArrayBuffers such as audio and windows), bytes. */
export function jsMemory(sample: MemorySample): number {
  return sample.heapUsed + sample.external;
}

/** Bytes as MB (10^6) with 2 decimals. */
export function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(2);
}
