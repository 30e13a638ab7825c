import type { EnrollmentTake } from '../adaptation/enroll';
import type { VoiceProfile } from '../adaptation/profile';
import type { MainToWorker, ModelSources, WorkerPost, WorkerToMain } from '../worker/protocol';

/** What the worker reported once the backend and models were ready. */
export interface BackendReady {
  /** tfjs backend name: `wasm`. */
  readonly backend: string;
  /** The wasm SIMD binary runs. */
  readonly simd: boolean;
  /** The multi-threaded binary runs (needs a cross-origin-isolated page and SharedArrayBuffer). */
  readonly threads: boolean;
  /** A string model was loaded: digit strings said in one breath are read as they are spoken. */
  readonly strings: boolean;
}

/** A worker error with its code (see `WorkerErrorCode`). */
export class WorkerError extends Error {
  readonly code: Extract<WorkerToMain, { type: 'error' }>['code'];
  constructor(message: Extract<WorkerToMain, { type: 'error' }>) {
    super(message.message);
    this.name = 'WorkerError';
    this.code = message.code;
  }
}

/**
 * Main-thread handle on the recognizer worker: starts it, loads the models, and relays its
 * messages. Does no audio work itself.
 */
export class WorkerClient {
  private readonly worker: Worker;
  private readonly listeners = new Set<(message: WorkerToMain) => void>();

  constructor() {
    // Literally `new Worker(new URL('…', import.meta.url))`: the pattern bundlers (Vite, webpack 5) build a worker from.
    this.worker = new Worker(new URL('../worker/recognizer.worker.ts', import.meta.url), { type: 'module', name: 'digit-listener-recognizer' });
    // An audio block's messages come as one array (protocol.ts, WorkerPost): handled in one
    // task, they make one render of the element, not one each.
    this.worker.onmessage = (event: MessageEvent<WorkerPost>) => {
      const messages: readonly WorkerToMain[] = Array.isArray(event.data) ? event.data : [event.data as WorkerToMain];
      for (const m of messages) this.listeners.forEach((l) => l(m));
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.listeners.forEach((l) => l({ type: 'error', code: 'backend-failed', message: `the recognizer worker failed: ${event.message || 'script error'}` }));
    };
  }

  /** Subscribes to worker messages; returns the unsubscribe function. */
  on(listener: (message: WorkerToMain) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first message `pick` returns a value for; rejects on a worker error `pick` does not take. */
  private answer<T>(pick: (m: WorkerToMain) => T | undefined, isMine: (m: Extract<WorkerToMain, { type: 'error' }>) => boolean = () => true): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const off = this.on((m) => {
        const value = pick(m);
        if (value !== undefined) {
          off();
          resolve(value);
        } else if (m.type === 'error' && isMine(m)) {
          off();
          reject(new WorkerError(m));
        }
      });
    });
  }

  /**
   * Initialises the wasm backend and loads the models.
   * @throws WorkerError with the worker's message, e.g. "model could not be loaded from URL: …"
   */
  init(models: ModelSources, wasmPaths: Record<string, string>, threads = false): Promise<BackendReady> {
    const ready = this.answer((m) => (m.type === 'ready' ? { backend: m.backend, simd: m.simd, threads: m.threads, strings: m.strings } : undefined));
    this.send({ type: 'init', models, wasmPaths, threads });
    return ready;
  }

  /**
   * Times `runs` classifications inside the worker (after {@link init}); `npm run bench` reads it.
   * @returns median and 95th-percentile ms per window, and the backend's SIMD/threads flags
   */
  measureInference(runs: number): Promise<Extract<WorkerToMain, { type: 'inference-timing' }>> {
    const timing = this.answer((m) => (m.type === 'inference-timing' ? m : undefined));
    this.send({ type: 'measure-inference', runs });
    return timing;
  }

  private nextId = 1;

  /**
   * Recognizes a whole recording in the worker, through the same pipeline as the microphone.
   * @param samples mono samples at `sampleRate` Hz (copied: the caller keeps its array)
   * @throws WorkerError if the pipeline fails (e.g. an unusable sample rate)
   */
  recognize(samples: Float32Array, sampleRate: number, confidenceThreshold: number): Promise<Extract<WorkerToMain, { type: 'recognized' }>> {
    const id = this.nextId++;
    const answer = this.answer(
      (m) => (m.type === 'recognized' && m.id === id ? m : undefined),
      (m) => m.id === id,
    );
    const copy = samples.slice();
    this.send({ type: 'recognize', id, samples: copy, sampleRate, settings: { confidenceThreshold } }, [copy.buffer]);
    return answer;
  }

  /**
   * Adapts the word model to one person in the worker (see `worker/enrollment.ts`).
   * @param takes fitted on; `heldBack` read before and after (copied: the caller keeps its arrays)
   * @throws WorkerError `enrollment-failed` (e.g. no take had speech)
   */
  enroll(takes: readonly EnrollmentTake[], heldBack: readonly EnrollmentTake[]): Promise<Extract<WorkerToMain, { type: 'enrolled' }>> {
    const id = this.nextId++;
    const answer = this.answer(
      (m) => (m.type === 'enrolled' && m.id === id ? m : undefined),
      (m) => m.id === id,
    );
    const copy = (list: readonly EnrollmentTake[]) => list.map((t) => ({ ...t, samples: t.samples.slice() }));
    const [fit, back] = [copy(takes), copy(heldBack)];
    this.send(
      { type: 'enroll', id, takes: fit, heldBack: back },
      [...fit, ...back].map((t) => t.samples.buffer),
    );
    return answer;
  }

  /**
   * Reads with `profile` from now on (null: the general model).
   * @throws WorkerError `profile-refused` naming why (another model's profile, malformed)
   */
  async useProfile(profile: VoiceProfile | null): Promise<void> {
    const id = this.nextId++;
    const answer = this.answer(
      (m) => (m.type === 'profile-set' && m.id === id ? m : undefined),
      (m) => m.id === id,
    );
    this.send({ type: 'use-profile', id, profile });
    await answer;
  }

  send(message: MainToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  terminate(): void {
    this.listeners.clear();
    this.worker.terminate();
  }
}
