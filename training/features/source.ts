import { Worker } from 'node:worker_threads';
import { readEpoch } from './cache';
import type { EpochFeatures, FeatureJob } from './plan';
import type { EpochRequest, WorkerInit, WorkerMessage } from './worker';

/**
 * Training features, one epoch at a time, from the cache or from a worker thread. `prefetch`
 * an epoch before training on the one before it, and the two overlap on the two cores.
 */
export class EpochFeatureSource {
  private worker?: Worker;
  private readonly pending = new Map<number, { resolve: (f: EpochFeatures) => void; reject: (e: Error) => void; jobs: FeatureJob[] }>();
  private readonly ready = new Map<number, Promise<EpochFeatures>>();
  /** Epochs read from the cache rather than computed. */
  cachedEpochs = 0;

  /**
   * @param onSkipped called with the message of every clip the worker could not decode
   */
  constructor(
    private readonly init: WorkerInit,
    private readonly onSkipped: (message: string) => void,
  ) {}

  /**
   * The worker, started on the first epoch the cache lacks: it decodes every training clip, which
   * a run served wholly from the cache (a leave-one-speaker-out fold) never needs.
   */
  private startWorker(): Worker {
    if (this.worker) return this.worker;
    // worker-entry.mjs registers tsx's loader in the thread (it is not inherited), then loads worker.ts.
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: this.init });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'skipped') return this.onSkipped(m.message);
      const p = this.pending.get(m.epoch);
      if (!p) return;
      this.pending.delete(m.epoch);
      if (m.type === 'failed') p.reject(new Error(`feature worker, epoch ${m.epoch}: ${m.message}`));
      else p.resolve({ jobs: p.jobs, windows: m.windows, present: m.present });
    });
    worker.on('error', (error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
    this.worker = worker;
    return worker;
  }

  /** Starts getting an epoch's features (cache hit, or queued on the worker). */
  prefetch(epoch: number, jobs: FeatureJob[]): void {
    if (this.ready.has(epoch)) return;
    const { frames, melBins } = this.init.recipe.shape;
    const cached = readEpoch(this.init.cacheDir, epoch, jobs, frames * melBins);
    if (cached) {
      this.cachedEpochs++;
      this.ready.set(epoch, Promise.resolve(cached));
      return;
    }
    this.ready.set(epoch, new Promise((resolve, reject) => this.pending.set(epoch, { resolve, reject, jobs })));
    this.startWorker().postMessage({ epoch, jobs } satisfies EpochRequest);
  }

  /** The features of a prefetched epoch. */
  async get(epoch: number): Promise<EpochFeatures> {
    const features = this.ready.get(epoch);
    if (!features) throw new Error(`epoch ${epoch} was not prefetched`);
    this.ready.delete(epoch);
    return features;
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}
