import type { FrontendConfig } from '../frontend/config';
import type { WindowConfig } from '../vad/window';
import type { InputNormalization } from './input';

/**
 * What every exported model carries in `model.json` → `userDefinedMetadata.digitListener`:
 * the exact frontend, window and normalisation it was trained with, and its labels.
 */
export interface ModelMetadata {
  readonly format: 'digit-listener-model';
  readonly version: 1;
  /** Class labels, index = output unit. */
  readonly labels: readonly string[];
  readonly frontend: FrontendConfig;
  readonly window: WindowConfig;
  readonly normalization: InputNormalization;
}

/** A model file that cannot be used: missing, unreadable, malformed or trained for other features. */
export class ModelLoadError extends Error {
  /** URL or path of the model that failed. */
  readonly source: string;
  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`model could not be loaded from ${source}: ${problem}`, options);
    this.name = 'ModelLoadError';
    this.source = source;
  }
}

/**
 * Differences between two frontend or window configurations, as "key: a value, b value" lines
 * (empty when they agree): how a model trained for other features is named in errors.
 */
export function configDifferences(a: object, b: object, aName = 'model', bName = 'pipeline'): string[] {
  const wrong: string[] = [];
  for (const [key, value] of Object.entries(b)) {
    if ((a as Record<string, unknown>)[key] !== value) wrong.push(`${key}: ${aName} ${String((a as Record<string, unknown>)[key])}, ${bName} ${String(value)}`);
  }
  return wrong;
}

/**
 * Reads a model's metadata: the frontend, window and normalisation it was trained with, which
 * the recognizer builds its pipeline from (`pipeline/recognizer.ts`, `pipelineConfigFor`).
 *
 * @param raw `userDefinedMetadata` as read from model.json (unknown shape)
 * @param source model URL or path, for the error message
 * @returns the metadata, typed
 * @throws ModelLoadError if the metadata is missing or incomplete
 */
export function checkModelMetadata(raw: unknown, source: string): ModelMetadata {
  const meta = (raw as { digitListener?: ModelMetadata } | undefined)?.digitListener;
  if (!meta || meta.format !== 'digit-listener-model' || !Array.isArray(meta.labels) || !meta.frontend || !meta.window || !meta.normalization) {
    throw new ModelLoadError(source, 'model.json has no digit-listener metadata (userDefinedMetadata.digitListener)');
  }
  const numbers = [meta.frontend, meta.window].flatMap((part): unknown[] => Object.values(part));
  if (numbers.length === 0 || numbers.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new ModelLoadError(source, 'the frontend or window in its metadata is not a set of numbers');
  }
  return meta;
}
