import type { FrontendConfig } from '../frontend/config';
import type { WindowConfig } from '../vad/window';

/** The speech encoder a head reads: where it is and which one it must be. */
export interface EncoderLink {
  /** The encoder's `model.json`, relative to the head's own (`../encoder/model.json`). */
  readonly path: string;
  /** The encoder's fingerprint (`SpeechEncoder.fingerprint`): the head reads no other. */
  readonly fingerprint: string;
}

/**
 * What every exported head carries in `model.json` → `userDefinedMetadata.digitListener`: the
 * encoder it reads, the encoder's frontend and the window it was trained with, and its labels.
 */
export interface ModelMetadata {
  readonly format: 'digit-listener-model';
  readonly version: 2;
  /** Class labels, index = output unit. */
  readonly labels: readonly string[];
  /** The log-mel its windows are made of: its encoder's (`ENCODER_FRONTEND_CONFIG`). */
  readonly frontend: FrontendConfig;
  readonly window: WindowConfig;
  readonly encoder: EncoderLink;
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
 * Reads a head's metadata: the encoder, frontend and window it was trained with, which the
 * recognizer builds its pipeline from (`pipeline/recognizer.ts`, `pipelineConfigFor`).
 *
 * @param raw `userDefinedMetadata` as read from model.json (unknown shape)
 * @param source model URL or path, for the error message
 * @returns the metadata, typed
 * @throws ModelLoadError if the metadata is missing or incomplete, or the model is a log-mel CNN of
 *   format version 1 (no encoder)
 */
export function checkModelMetadata(raw: unknown, source: string): ModelMetadata {
  const meta = (raw as { digitListener?: ModelMetadata } | undefined)?.digitListener;
  if (!meta || meta.format !== 'digit-listener-model' || !Array.isArray(meta.labels) || !meta.frontend || !meta.window) {
    throw new ModelLoadError(source, 'model.json has no digit-listener metadata (userDefinedMetadata.digitListener)');
  }
  if (meta.version !== 2 || typeof meta.encoder?.path !== 'string' || typeof meta.encoder.fingerprint !== 'string') {
    throw new ModelLoadError(source, `a model of format version ${String(meta.version)} without a speech encoder: this version reads heads on the speech encoder (version 2)`);
  }
  const windowValues: unknown[] = Object.values(meta.window);
  if (frontendValuesProblem(meta.frontend) || windowValues.length === 0 || windowValues.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new ModelLoadError(source, 'the frontend or window in its metadata is not a set of numbers');
  }
  return meta;
}

/** The frontend settings that are words, not numbers, and the values each may take. */
const FRONTEND_WORDS: Readonly<Record<string, readonly string[]>> = { melScale: ['htk', 'slaney'], logScale: ['ln', 'db'] };

/**
 * What is wrong with a frontend configuration read from a file, or null: every setting a finite
 * number, but `melScale` ('htk' | 'slaney') and `logScale` ('ln' | 'db').
 */
export function frontendValuesProblem(frontend: unknown): string | null {
  if (!frontend || typeof frontend !== 'object') return 'no frontend';
  const entries = Object.entries(frontend);
  if (entries.length === 0) return 'an empty frontend';
  for (const [key, value] of entries) {
    const words = FRONTEND_WORDS[key];
    if (words ? !words.includes(value as string) : typeof value !== 'number' || !Number.isFinite(value)) return `frontend ${key} is ${JSON.stringify(value)}`;
  }
  return null;
}
