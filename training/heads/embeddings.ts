/**
 * The embedding cache: the frozen encoder's embeddings of every job in every copy, computed once
 * per recipe by worker threads and kept on disk, so training a head is only passes over arrays.
 *
 * A cache folder is keyed by everything that decides an embedding: the code that makes examples
 * (training/heads, training/augment…, src/frontend, src/vad, src/pipeline), the encoder's
 * fingerprint, the seed, the augmentation, the data folders and the head's shape. Within it, each
 * copy is a file of jobs by id: a run reads the jobs it needs (a leave-one-speaker-out fold, an
 * ablation's variant) and computes only those the file lacks (new synthetic voices, more
 * generated examples), which the file then gains.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HeadRecipe } from './recipe';
import type { Job } from './sources';
import type { EmbeddingMessage, EmbeddingRequest, EmbeddingWorkerInit } from './worker';

/** Bump when cached embeddings change meaning without the code or recipe changing. */
const CACHE_FORMAT = 1;

/** The embeddings of one copy of a head's jobs, in job order. */
export interface CopyEmbeddings {
  /** Steps per job (0: the gate heard nothing, or the example was left out). */
  readonly lengths: Int32Array;
  /** Offset of each job's first step, in steps. */
  readonly offsets: Int32Array;
  /** `[Σ lengths, size]` row-major. */
  readonly embeddings: Float32Array;
  /** Strings head: each job's label as the example maker made it (generated examples' own). */
  readonly labels: (readonly number[])[];
}

/** The project's root folder: the code paths below are relative to it, whatever the working folder. */
const ROOT = resolve(import.meta.dirname, '../..');

/** Hash of the source files under `dirs` (every .ts / .mjs; paths relative to the root), in path order. */
function sourceHash(dirs: readonly string[]): string {
  const hash = createHash('sha256');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.(ts|mjs)$/.test(e.name) ? [join(dir, e.name)] : []));
  for (const file of dirs.flatMap((d) => walk(join(ROOT, d))).sort()) hash.update(relative(ROOT, file)).update(readFileSync(file));
  return hash.digest('hex');
}

/** Code that decides an example's embedding (not the training loop, not the decision rule, not the evaluation). */
const EXAMPLE_DIRS = ['src/audio', 'src/frontend', 'src/vad'];
const EXAMPLE_FILES = [
  'src/pipeline/streaming-pipeline.ts',
  'src/pipeline/runs.ts',
  'src/pipeline/string-reader.ts',
  'src/model/encoder.ts',
  'src/model/fused-forward.ts',
  'training/heads/examples.ts',
  'training/heads/worker.ts',
  'training/augment.ts',
  'training/phrases.ts',
  'training/nonspeech.ts',
  'training/reverb.ts',
  'training/filters.ts',
  'training/word-span.ts',
  'training/windows.ts',
];

/**
 * The cache folder of a recipe (see the module comment).
 * @param encoderFingerprint the encoder's fingerprint
 * @param dataIdentity what else decides the examples (the pitch shifts of the FSDD copies)
 */
export function embeddingCacheDir(root: string, recipe: HeadRecipe, encoderFingerprint: string, dataIdentity: string): string {
  const code = createHash('sha256')
    .update(sourceHash(EXAMPLE_DIRS))
    .update(
      EXAMPLE_FILES.map((f) => join(ROOT, f))
        .map((f) => (existsSync(f) ? readFileSync(f, 'utf8') : ''))
        .join('\0'),
    )
    .digest('hex');
  const { data } = recipe;
  const key = {
    CACHE_FORMAT,
    code,
    encoderFingerprint,
    dataIdentity,
    head: recipe.head,
    seed: recipe.seed,
    augment: recipe.augment,
    shape: recipe.head === 'word' ? recipe.steps : recipe.hidden.length,
    // Folders only: counts and fractions pick jobs, and a job's example depends on its id alone.
    data: [data.fsdd, data.speechCommands, data.synth].map((d) => (typeof d === 'string' ? resolve(d) : d)),
  };
  return join(root, createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16));
}

/** A copy's cache file: every job it holds, by id, with its steps and label. */
interface CachedCopy {
  readonly rows: Map<string, { readonly start: number; readonly length: number; readonly label: readonly number[] }>;
  readonly all: Float32Array;
}

function readCopyFile(dir: string, copy: number, size: number): CachedCopy | null {
  const base = join(dir, `copy-${copy}`);
  if (!existsSync(`${base}.json`) || !existsSync(`${base}.f32`)) return null;
  const index = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { ids: string[]; lengths: number[]; labels: number[][] };
  const file = readFileSync(`${base}.f32`);
  const all = new Float32Array(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
  const rows: CachedCopy['rows'] = new Map();
  let at = 0;
  index.ids.forEach((id, i) => {
    rows.set(id, { start: at, length: index.lengths[i], label: index.labels[i] });
    at += index.lengths[i];
  });
  return at * size === all.length ? { rows, all } : null;
}

/** The jobs' embeddings from a cached copy (every job must be in it). */
function fromCache(cached: CachedCopy, jobs: readonly Job[], size: number): CopyEmbeddings {
  const lengths = new Int32Array(jobs.map((j) => cached.rows.get(j.id)!.length));
  const offsets = new Int32Array(jobs.length);
  let total = 0;
  lengths.forEach((n, i) => {
    offsets[i] = total;
    total += n;
  });
  const embeddings = new Float32Array(total * size);
  jobs.forEach((j, i) => {
    const r = cached.rows.get(j.id)!;
    embeddings.set(cached.all.subarray(r.start * size, (r.start + r.length) * size), offsets[i] * size);
  });
  return { lengths, offsets, embeddings, labels: jobs.map((j) => cached.rows.get(j.id)!.label) };
}

function writeCopy(dir: string, copy: number, ids: readonly string[], lengths: readonly number[], labels: readonly (readonly number[])[], all: Float32Array): void {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `copy-${copy}`);
  // Data first, index last, both renamed into place: a reader never sees half a copy.
  writeFileSync(`${base}.f32.partial`, new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
  renameSync(`${base}.f32.partial`, `${base}.f32`);
  writeFileSync(`${base}.json.partial`, JSON.stringify({ ids, lengths, labels }));
  renameSync(`${base}.json.partial`, `${base}.json`);
}

/** A cached copy's rows followed by newly computed ones, as one file's contents. */
function mergeCopy(
  cached: CachedCopy | null,
  jobs: readonly Job[],
  fresh: { lengths: Int32Array; embeddings: Float32Array; labels: readonly (readonly number[])[] },
  size: number,
) {
  const ids = [...(cached?.rows.keys() ?? []), ...jobs.map((j) => j.id)];
  const lengths = [...(cached ? [...cached.rows.values()].map((r) => r.length) : []), ...fresh.lengths];
  const labels = [...(cached ? [...cached.rows.values()].map((r) => r.label) : []), ...fresh.labels];
  const all = new Float32Array((cached?.all.length ?? 0) + fresh.embeddings.length);
  if (cached) all.set(cached.all);
  all.set(fresh.embeddings, cached?.all.length ?? 0);
  return { ids, lengths, labels, all, size };
}

/**
 * Embeddings of every job in copies `0..copies` (0: the clean clip), from the cache or computed
 * by `workers` threads, each decoding the clips once.
 *
 * @param onSkipped told of every clip a worker could not decode
 * @throws Error when a worker fails (with its stack)
 */
export async function embedCopies(options: {
  readonly dir: string;
  readonly jobs: readonly Job[];
  readonly copies: number;
  readonly workers: number;
  readonly init: EmbeddingWorkerInit;
  readonly size: number;
  readonly onSkipped: (message: string) => void;
  readonly onProgress?: (message: string) => void;
}): Promise<CopyEmbeddings[]> {
  const { dir, jobs, size } = options;
  const out: CopyEmbeddings[] = [];
  // Per copy, the jobs its cache file lacks (new clips, or a recipe's new generated examples).
  const cached: (CachedCopy | null)[] = [];
  const missing: { copy: number; jobs: Job[] }[] = [];
  for (let copy = 0; copy <= options.copies; copy++) {
    cached[copy] = readCopyFile(dir, copy, size);
    const lacking = jobs.filter((j) => !cached[copy]?.rows.has(j.id));
    if (lacking.length === 0) out[copy] = fromCache(cached[copy]!, jobs, size);
    else missing.push({ copy, jobs: lacking });
  }
  if (missing.length === 0) return out;
  const threads = Array.from({ length: Math.max(1, options.workers) }, () => new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: options.init }));
  const pending = new Map<number, { resolve: (m: Extract<EmbeddingMessage, { type: 'done' }>) => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  for (const worker of threads) {
    worker.on('message', (m: EmbeddingMessage) => {
      if (m.type === 'skipped') return options.onSkipped(m.message);
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.type === 'failed') p?.reject(new Error(`embedding worker: ${m.message}`));
      else p?.resolve(m);
    });
    worker.on('error', (error) => {
      failure = error;
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
  }
  let nextId = 0;
  const request = (worker: Worker, copy: number, part: readonly Job[]) =>
    new Promise<Extract<EmbeddingMessage, { type: 'done' }>>((resolveDone, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve: resolveDone, reject });
      worker.postMessage({ id, copy, jobs: part } satisfies EmbeddingRequest);
    });
  try {
    // Chunks of jobs handed out to whichever worker is free; each copy is written when complete.
    const CHUNK = 400;
    for (const { copy, jobs: lacking } of missing) {
      const started = performance.now();
      const chunks: { from: number; result?: Extract<EmbeddingMessage, { type: 'done' }> }[] = [];
      for (let from = 0; from < lacking.length; from += CHUNK) chunks.push({ from });
      let next = 0;
      let done = 0;
      await Promise.all(
        threads.map(async (worker) => {
          for (let c = next++; c < chunks.length; c = next++) {
            chunks[c].result = await request(worker, copy, lacking.slice(chunks[c].from, chunks[c].from + CHUNK));
            done++;
            if (done % 10 === 0)
              options.onProgress?.(`copy ${copy}: ${Math.min(lacking.length, done * CHUNK)} of ${lacking.length} examples, ${((performance.now() - started) / 1000).toFixed(0)} s`);
          }
        }),
      );
      const lengths = new Int32Array(lacking.length);
      const labels: (readonly number[])[] = [];
      const parts: Float32Array[] = [];
      for (const chunk of chunks) {
        const r = chunk.result!;
        lengths.set(r.lengths, chunk.from);
        labels.push(...(r.labels.length > 0 ? r.labels : Array.from(r.lengths, () => [])));
        // Word results hold a row for every job (zeros when absent); keep the present ones.
        if (options.init.head === 'word') {
          const steps = options.init.steps;
          r.lengths.forEach((n, i) => {
            if (n > 0) parts.push(r.embeddings.subarray(i * steps * size, (i + 1) * steps * size));
          });
        } else parts.push(r.embeddings);
      }
      const embeddings = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        embeddings.set(p, at);
        at += p.length;
      }
      // The file keeps what it held and gains the new jobs.
      const merged = mergeCopy(cached[copy], lacking, { lengths, embeddings, labels }, size);
      writeCopy(dir, copy, merged.ids, merged.lengths, merged.labels, merged.all);
      const file = readCopyFile(dir, copy, size)!;
      out[copy] = fromCache(file, jobs, size);
      options.onProgress?.(`copy ${copy}: ${lacking.length} examples embedded in ${((performance.now() - started) / 1000).toFixed(0)} s → ${dir}`);
    }
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return out;
}
