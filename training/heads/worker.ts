/**
 * Embedding worker thread: decodes the recipe's clips once, then makes the examples of the jobs
 * it is given for one copy (`examples.ts`) and runs them through the shipped speech encoder (its
 * own tfjs wasm backend), in batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import '@tensorflow/tfjs-backend-wasm';
import { initWasmBackend } from '../../src/model/backend';
import { SpeechEncoder } from '../../src/model/encoder';
import { fileSystemModel } from '../../src/model/node-io';
import type { AugmentConfig } from '../augment';
import { ExampleMaker, wordPipelineConfig } from './examples';
import type { HeadKind } from './recipe';
import type { ClipLists, Job } from './sources';

/** Data the main thread starts a worker with. */
export interface EmbeddingWorkerInit {
  readonly head: HeadKind;
  readonly lists: ClipLists;
  readonly augment: AugmentConfig;
  readonly seed: number;
  /** Word head: embeddings per window. */
  readonly steps: number;
  /** String head: context steps on each side. */
  readonly contextSteps: number;
  /** The encoder's folder (`model.json`). */
  readonly encoder: string;
}

/** Main → worker: embed these jobs of one copy. */
export interface EmbeddingRequest {
  readonly id: number;
  readonly copy: number;
  readonly jobs: readonly Job[];
}

/**
 * Worker → main. Word head: `embeddings` is `[jobs, steps, 96]` (rows of absent jobs zero).
 * Strings: the jobs' runs of embeddings one after another, `lengths[i]` steps each (0 = absent),
 * and their labels.
 */
export type EmbeddingMessage =
  | { readonly type: 'skipped'; readonly message: string }
  | { readonly type: 'done'; readonly id: number; readonly embeddings: Float32Array; readonly lengths: Int32Array; readonly labels: (readonly number[])[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

const port = parentPort!;
const init = workerData as EmbeddingWorkerInit;
const post = (m: EmbeddingMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

await initWasmBackend();
const encoder = await SpeechEncoder.load(fileSystemModel(init.encoder), init.encoder);
const maker = new ExampleMaker(init.lists, init.augment, init.seed, (message) => post({ type: 'skipped', message }));
const config = wordPipelineConfig(init.steps);
const size = encoder.embeddingSize;
const melBins = encoder.metadata.frontend.melBins;

/** Word windows of one request, encoded 64 at a time. */
function words(request: EmbeddingRequest): EmbeddingMessage {
  const window = config.window.windowFrames;
  const embeddings = new Float32Array(request.jobs.length * init.steps * size);
  const lengths = new Int32Array(request.jobs.length);
  let batch: { row: number; frames: Float32Array }[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    const frames = new Float32Array(batch.length * window * melBins);
    batch.forEach((b, i) => frames.set(b.frames, i * window * melBins));
    const out = encoder.encode(frames, batch.length);
    batch.forEach((b, i) => embeddings.set(out.subarray(i * init.steps * size, (i + 1) * init.steps * size), b.row * init.steps * size));
    batch = [];
  };
  request.jobs.forEach((job, row) => {
    const example = maker.wordWindow(job, request.copy, config);
    if (example?.kind !== 'window') return;
    lengths[row] = init.steps;
    batch.push({ row, frames: example.frames });
    if (batch.length === 64) flush();
  });
  flush();
  return { type: 'done', id: request.id, embeddings, lengths, labels: [] };
}

/** Runs of one request, each encoded whole. */
function strings(request: EmbeddingRequest): EmbeddingMessage {
  const parts: Float32Array[] = [];
  const lengths = new Int32Array(request.jobs.length);
  const labels: (readonly number[])[] = [];
  request.jobs.forEach((job, row) => {
    const example = maker.runFrames(job, request.copy, init.contextSteps);
    if (example?.kind !== 'run') {
      labels.push([]);
      return;
    }
    const steps = encoder.encode(example.frames);
    parts.push(steps);
    lengths[row] = steps.length / size;
    labels.push(example.label);
  });
  const embeddings = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    embeddings.set(p, at);
    at += p.length;
  }
  return { type: 'done', id: request.id, embeddings, lengths, labels };
}

port.on('message', (request: EmbeddingRequest) => {
  try {
    const result = init.head === 'word' ? words(request) : strings(request);
    if (result.type === 'done') post(result, [result.embeddings.buffer as ArrayBuffer, result.lengths.buffer as ArrayBuffer]);
  } catch (error) {
    post({ type: 'failed', id: request.id, message: (error as Error).stack ?? String(error) });
  }
});
