/**
 * String-example worker thread: decodes the clips once, then makes the augmented examples of
 * each epoch it is asked for while the main thread trains on the previous epoch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AugmentConfig } from '../augment';
import { type StringJob, StringExampleMaker, type StringSources } from './examples';

/** Data the main thread starts the worker with. */
export interface StringWorkerInit {
  readonly sources: StringSources;
  readonly augment: AugmentConfig;
  readonly seed: number;
  readonly frameStride: number;
  readonly leadFrames: number;
}
/** Main → worker: make one epoch's examples. */
export interface StringEpochRequest {
  readonly epoch: number;
  readonly jobs: readonly StringJob[];
}
/** Worker → main: an epoch's examples, concatenated (`frames[i]` rows each; absent ones have 0 frames). */
export type StringWorkerMessage =
  | { type: 'skipped'; message: string }
  | { type: 'epoch'; epoch: number; features: Float32Array; frames: Int32Array; labels: number[][] }
  | { type: 'failed'; epoch: number; message: string };

const port = parentPort!;
const init = workerData as StringWorkerInit;
const maker = new StringExampleMaker(init.sources, init.augment, init.seed, init.frameStride, init.leadFrames, (message) =>
  port.postMessage({ type: 'skipped', message } satisfies StringWorkerMessage),
);
port.on('message', ({ epoch, jobs }: StringEpochRequest) => {
  try {
    const examples = jobs.map((job) => maker.example(job, epoch));
    const frames = Int32Array.from(examples, (e) => e?.frames ?? 0);
    const features = new Float32Array(examples.reduce((n, e) => n + (e?.features.length ?? 0), 0));
    let at = 0;
    for (const e of examples) {
      if (!e) continue;
      features.set(e.features, at);
      at += e.features.length;
    }
    const message: StringWorkerMessage = { type: 'epoch', epoch, features, frames, labels: examples.map((e) => (e ? [...e.label] : [])) };
    port.postMessage(message, [features.buffer, frames.buffer]);
  } catch (error) {
    port.postMessage({ type: 'failed', epoch, message: (error as Error).stack ?? String(error) } satisfies StringWorkerMessage);
  }
});
