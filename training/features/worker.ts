/**
 * Feature worker thread: decodes the training clips once, then computes (and caches) the
 * augmented windows of each epoch it is asked for, while the main thread trains on the previous
 * epoch — the machine's second core.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { writeEpoch } from './cache';
import { FeatureComputer } from './compute';
import type { ClipSources, FeatureJob, FeatureRecipe } from './plan';

/** Data the main thread starts the worker with. */
export interface WorkerInit {
  readonly sources: ClipSources;
  readonly recipe: FeatureRecipe;
  readonly cacheDir: string;
}
/** Main → worker: featurise one epoch. */
export interface EpochRequest {
  readonly epoch: number;
  readonly jobs: FeatureJob[];
}
/** Worker → main. */
export type WorkerMessage =
  { type: 'skipped'; message: string } | { type: 'epoch'; epoch: number; windows: Float32Array; present: Uint8Array } | { type: 'failed'; epoch: number; message: string };

const port = parentPort!;
const { sources, recipe, cacheDir } = workerData as WorkerInit;
const computer = new FeatureComputer(sources, recipe, (message) => port.postMessage({ type: 'skipped', message } satisfies WorkerMessage));
port.on('message', ({ epoch, jobs }: EpochRequest) => {
  try {
    const features = computer.epoch(jobs, epoch);
    writeEpoch(cacheDir, epoch, features);
    const message: WorkerMessage = { type: 'epoch', epoch, windows: features.windows, present: features.present };
    port.postMessage(message, [features.windows.buffer as ArrayBuffer, features.present.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ type: 'failed', epoch, message: (error as Error).stack ?? String(error) } satisfies WorkerMessage);
  }
});
