import simdWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import plainWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import threadedWasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { MainToWorker, WorkerToMain } from '../capture/messages';

/**
 * The wasm binaries, served by the app itself (never a CDN). tfjs wants all three named; the
 * threaded one is only used under cross-origin isolation, which the app does not request yet
 * (a minified build breaks tfjs' threaded wasm workers), so it is not precached either.
 */
export const WASM_PATHS: Record<string, string> = {
  'tfjs-backend-wasm.wasm': new URL(plainWasmUrl, import.meta.url).href,
  'tfjs-backend-wasm-simd.wasm': new URL(simdWasmUrl, import.meta.url).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(threadedWasmUrl, import.meta.url).href,
};

/** What the worker reported once the backend and model were ready. */
export interface BackendReady {
  readonly backend: string;
  readonly simd: boolean;
  readonly threads: boolean;
}

/**
 * Main-thread handle on the recognizer worker: starts it, loads the model once, and relays its
 * messages. Does no audio work itself.
 */
export class RecognizerClient {
  private readonly worker: Worker;
  private readyPromise: Promise<BackendReady> | null = null;
  private readonly listeners = new Set<(message: WorkerToMain) => void>();

  constructor() {
    this.worker = new Worker(new URL('../worker/recognizer.worker.ts', import.meta.url), { type: 'module', name: 'digit-listener-recognizer' });
    this.worker.onmessage = (event: MessageEvent<WorkerToMain>) => this.listeners.forEach((l) => l(event.data));
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.listeners.forEach((l) => l({ type: 'error', code: 'backend-failed', message: `recognizer worker failed: ${event.message || 'script error'}` }));
    };
  }

  /** Subscribes to worker messages; returns the unsubscribe function. */
  on(listener: (message: WorkerToMain) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Initialises the wasm backend and loads the model (once; later calls share the result).
   * @throws Error with the worker's message (e.g. "model could not be loaded from URL: …")
   */
  ready(modelUrl: string, options: { readonly threads?: boolean } = {}): Promise<BackendReady> {
    if (!this.readyPromise) {
      this.readyPromise = new Promise<BackendReady>((resolve, reject) => {
        const off = this.on((m) => {
          if (m.type === 'ready') {
            off();
            resolve({ backend: m.backend, simd: m.simd, threads: m.threads });
          } else if (m.type === 'error') {
            off();
            this.readyPromise = null;
            reject(Object.assign(new Error(m.message), { code: m.code }));
          }
        });
        this.send({ type: 'init', modelUrl, wasmPaths: WASM_PATHS, threads: options.threads ?? false });
      });
    }
    return this.readyPromise;
  }

  /**
   * Times `runs` classifications inside the worker (after {@link ready}); `npm run bench` reads it.
   * @returns median and 95th-percentile ms per window, and the backend's SIMD/threads flags
   */
  measureInference(runs: number): Promise<Extract<WorkerToMain, { type: 'inference-timing' }>> {
    return new Promise((resolve, reject) => {
      const off = this.on((m) => {
        if (m.type === 'inference-timing') {
          off();
          resolve(m);
        } else if (m.type === 'error') {
          off();
          reject(new Error(m.message));
        }
      });
      this.send({ type: 'measure-inference', runs });
    });
  }

  send(message: MainToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  terminate(): void {
    this.worker.terminate();
  }
}
