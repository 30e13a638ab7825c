import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** Which tfjs backend inference runs on, as reported after initialisation. */
export interface BackendInfo {
  readonly backend: string;
  readonly simd: boolean;
  readonly threads: boolean;
}

/**
 * Selects the tfjs `wasm` backend (XNNPACK, SIMD where the runtime has it).
 *
 * @param wasmPaths in the browser, a map from wasm file name to the URL the app serves it at
 *   (never a CDN); in Node omit it and tfjs finds the files in its package — or, where tfjs is
 *   bundled (the package's compiled CLI), the folder holding the binaries, ending in `/`.
 * @param options.threads allow the multi-threaded binary (needs a cross-origin-isolated page;
 *   tfjs falls back to one thread where SharedArrayBuffer is missing). Default false: with our
 *   ~7 M multiply-add model one thread measured faster (`npm run bench`). Must be decided before
 *   the backend first starts. `options.simd: false` forces the plain (no-SIMD) binary (bench).
 * @throws Error if the wasm backend cannot start (names the backend and the cause).
 */
export async function initWasmBackend(wasmPaths?: Record<string, string> | string, options: { readonly threads?: boolean; readonly simd?: boolean } = {}): Promise<BackendInfo> {
  if (wasmPaths) setWasmPaths(wasmPaths);
  if (tf.getBackend() !== 'wasm') {
    if (!options.threads) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (options.simd === false) tf.env().set('WASM_HAS_SIMD_SUPPORT', false);
  }
  if (tf.getBackend() !== 'wasm') {
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('tfjs wasm backend failed to initialise');
  }
  await tf.ready();
  return {
    backend: tf.getBackend(),
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
  };
}
