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

function sameNumbers(a: object, b: object): string[] {
  const wrong: string[] = [];
  for (const [key, value] of Object.entries(b)) {
    if ((a as Record<string, unknown>)[key] !== value) wrong.push(`${key}: model ${String((a as Record<string, unknown>)[key])}, pipeline ${String(value)}`);
  }
  return wrong;
}

/**
 * Checks a model's metadata against the pipeline that will feed it.
 *
 * @param raw `userDefinedMetadata` as read from model.json (unknown shape)
 * @param source model URL or path, for the error message
 * @returns the metadata, typed
 * @throws ModelLoadError if the metadata is missing or any frontend/window parameter differs
 */
export function checkModelMetadata(
  raw: unknown,
  source: string,
  expected: { frontend: FrontendConfig; window: WindowConfig },
): ModelMetadata {
  const meta = (raw as { digitListener?: ModelMetadata } | undefined)?.digitListener;
  if (!meta || meta.format !== 'digit-listener-model' || !Array.isArray(meta.labels) || !meta.frontend || !meta.window) {
    throw new ModelLoadError(source, 'model.json has no digit-listener metadata (userDefinedMetadata.digitListener)');
  }
  const wrong = [...sameNumbers(meta.frontend, expected.frontend), ...sameNumbers(meta.window, expected.window)];
  if (wrong.length > 0) throw new ModelLoadError(source, `trained for other features (${wrong.join('; ')})`);
  return meta;
}
