import type { MainToWorker, WorkerToMain } from '../capture/messages';

/** File names of tfjs' three wasm binaries (plain, SIMD, threaded SIMD), as tfjs asks for them. */
export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;

/**
 * Where the wasm binaries are by default: a `wasm/` folder beside the module that holds the
 * element (the app build and the package both put them there; the dev server serves them there).
 * Kept in a variable so bundlers do not inline the binaries as data URLs.
 */
const DEFAULT_WASM_DIR = './wasm/';

/**
 * URL of each wasm binary in `dir` (a folder URL; default {@link DEFAULT_WASM_DIR} resolved
 * against this module). Served by the app or the page itself, never a CDN.
 */
export function wasmPaths(dir: string | URL = new URL(DEFAULT_WASM_DIR, import.meta.url)): Record<string, string> {
  const base = new URL(dir);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return Object.fromEntries(WASM_FILES.map((f) => [f, new URL(f, base).href]));
}

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
  ready(modelUrl: string, options: { readonly threads?: boolean; readonly wasmDir?: string | URL } = {}): Promise<BackendReady> {
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
        this.send({ type: 'init', modelUrl, wasmPaths: wasmPaths(options.wasmDir), threads: options.threads ?? false });
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
