import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WavDecodeError } from '../../src/audio/wav';
import { type Decoded, decodeAll } from '../decode';
import type { SynthEntry } from './generate';
import type { SynthEngine } from './voices';
import { synthSpeakers } from './voices';

/** A decoded synthetic clip. */
export type SynthClip = Decoded<SynthEntry>;

/** A training digit string of `npm run synth`, for a string (sequence) model. */
export interface SynthTrainString {
  readonly path: string;
  /** The digits said, in order, e.g. "08005551234". */
  readonly digits: string;
  readonly text: string;
  readonly speaker: string;
  readonly engine: SynthEngine;
}

/** A decoded training digit string. */
export type SynthTrainStringClip = Decoded<SynthTrainString>;

const heldOutSpeakers = new Set(
  synthSpeakers()
    .filter((s) => s.heldOut)
    .map((s) => s.id),
);

/** Training digit strings (train/strings): digit sequences for the string model, never word examples. */
const isTrainString = (e: SynthEntry) => e.kind === 'string' && !e.heldOut;

/**
 * Every entry of `DIR/manifest.json`, paths made `DIR/…`, in manifest order; entries of manifests
 * written before Pico, RHVoice, sentences and strings existed get `engine: 'espeak'` and
 * `kind: 'word'`.
 *
 * @throws Error naming the folder when there is no manifest, or naming an entry of a held-out
 *   voice that is not marked held out
 */
function readManifest(dir: string): SynthEntry[] {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest)) throw new Error(`no synthetic speech in ${dir} (manifest.json missing): run \`npm run synth\` first`);
  const entries = (JSON.parse(readFileSync(manifest, 'utf8')) as Partial<SynthEntry>[]).map((e): SynthEntry => ({
    ...(e as SynthEntry),
    engine: e.engine ?? 'espeak',
    kind: e.kind ?? 'word',
    path: join(dir, e.path!),
  }));
  const leak = entries.find((e) => !e.heldOut && heldOutSpeakers.has(e.speaker));
  if (leak) throw new Error(`${manifest}: ${leak.kind === 'string' ? 'digit string' : leak.kind} ${leak.path} of held-out voice ${leak.speaker} is not held out`);
  return entries;
}

/**
 * The entries of `DIR/manifest.json` written by `npm run synth` for the word-level trainer and
 * the evaluation, with absolute-or-cwd-relative paths (`DIR/…`), in manifest order. Entries of
 * manifests written before Pico, RHVoice, sentences and strings existed get `engine: 'espeak'`
 * and `kind: 'word'`.
 *
 * Training digit strings (train/strings, kind 'string' of training voices) are left out: they
 * are no word examples (a trainer taking `!e.heldOut` would make them "other"), and leaving them
 * out keeps this list — and the trainer's set — as it was before they existed. They come from
 * {@link readSynthTrainStrings}. Held-out digit strings and held-out sentences are evaluation
 * material: a trainer taking `!e.heldOut` never sees them; a trainer must also keep kinds
 * 'sentence' and 'string' out of its held-out single-word sets (digit −1 does not make them
 * non-digit *words*).
 *
 * @throws Error naming the folder when there is no manifest (run `npm run synth` first), or
 *   naming an entry (e.g. a digit string) of a held-out voice that is not held out
 */
export function readSynthManifest(dir: string): SynthEntry[] {
  return readManifest(dir).filter((e) => !isTrainString(e));
}

/**
 * The training digit strings of a synthetic-speech folder (every training voice of every engine
 * saying 1–11 digits as one utterance), with their digits, in manifest order; none for a manifest
 * written before they existed.
 *
 * @throws Error as {@link readSynthManifest}
 */
export function readSynthTrainStrings(dir: string): SynthTrainString[] {
  return readManifest(dir)
    .filter((e) => isTrainString(e) && e.digits !== undefined)
    .map((e) => ({ path: e.path, digits: e.digits!, text: e.text, speaker: e.speaker, engine: e.engine }));
}

/**
 * Decodes the selected files of a synthetic-speech folder (of {@link readSynthManifest}: no
 * training digit strings); a bad WAV is reported through `onError` and skipped.
 *
 * @throws Error naming the folder when there is no manifest (run `npm run synth` first)
 */
export function loadSynth(dir: string, select: (e: SynthEntry) => boolean, onError: (error: WavDecodeError) => void): SynthClip[] {
  return decodeAll(readSynthManifest(dir).filter(select), onError);
}

/**
 * Decodes the training digit strings of a synthetic-speech folder (those `select` keeps); a bad
 * WAV is reported through `onError` and skipped.
 */
export function loadSynthTrainStrings(dir: string, onError: (error: WavDecodeError) => void, select: (s: SynthTrainString) => boolean = () => true): SynthTrainStringClip[] {
  return decodeAll(readSynthTrainStrings(dir).filter(select), onError);
}
