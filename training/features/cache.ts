import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUANTUM } from './compute';
import type { EpochFeatures, FeatureJob, FeatureRecipe } from './plan';

/** Default root of the feature cache (outside git; safe to delete). */
export const DEFAULT_FEATURE_CACHE = '.cache/features';

/** Bump when the meaning of cached windows changes without the recipe changing. */
const CACHE_FORMAT = 1;

/**
 * The cache folder of a recipe: a hash of the recipe, the frontend/window/normalisation
 * configuration and the identity of the data (e.g. the synthetic manifest), so a change to any
 * of them starts a new cache rather than reusing stale windows.
 */
export function recipeCacheDir(root: string, recipe: FeatureRecipe, context: unknown): string {
  const key = createHash('sha256').update(JSON.stringify({ CACHE_FORMAT, recipe, context })).digest('hex').slice(0, 16);
  return join(root, key);
}

/**
 * Per epoch, `epoch-<n>.json` (job ids and which have a window) and `epoch-<n>.i16`
 * (`[jobs, frames·melBins]` little-endian int16, value·32767).
 */
export function writeEpoch(dir: string, epoch: number, features: EpochFeatures): void {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `epoch-${epoch}`);
  const data = new Int16Array(features.windows.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(features.windows[i] / QUANTUM);
  // Data first, index last and both renamed into place: a reader never sees half an epoch.
  writeFileSync(`${base}.i16.partial`, new Uint8Array(data.buffer));
  renameSync(`${base}.i16.partial`, `${base}.i16`);
  writeFileSync(`${base}.json.partial`, JSON.stringify({ ids: features.jobs.map((j) => j.id), present: Array.from(features.present) }));
  renameSync(`${base}.json.partial`, `${base}.json`);
}

/**
 * The cached windows of `jobs` for one epoch, in job order, or null when the epoch is not cached
 * or lacks any of the jobs (a run with other clips then recomputes and rewrites it).
 */
export function readEpoch(dir: string, epoch: number, jobs: readonly FeatureJob[], windowSize: number): EpochFeatures | null {
  const base = join(dir, `epoch-${epoch}`);
  if (!existsSync(`${base}.json`)) return null;
  const index = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { ids: string[]; present: number[] };
  const row = new Map(index.ids.map((id, i) => [id, i]));
  if (!jobs.every((j) => row.has(j.id))) return null;
  const file = readFileSync(`${base}.i16`);
  const bytes = file.byteOffset % 2 === 0 ? file : new Uint8Array(file); // Int16Array needs 2-byte alignment
  if (bytes.byteLength !== index.ids.length * windowSize * 2) return null;
  const data = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  const windows = new Float32Array(jobs.length * windowSize);
  const present = new Uint8Array(jobs.length);
  jobs.forEach((job, i) => {
    const r = row.get(job.id)!;
    present[i] = index.present[r];
    for (let k = 0; k < windowSize; k++) windows[i * windowSize + k] = data[r * windowSize + k] * QUANTUM;
  });
  return { jobs, windows, present };
}
