import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WavDecodeError } from '../../src/audio/wav';
import { type Decoded, decodeAll } from '../decode';
import type { SynthEntry } from './generate';

/** A decoded synthetic clip. */
export type SynthClip = Decoded<SynthEntry>;

/**
 * The entries of `DIR/manifest.json` written by `npm run synth`, with absolute-or-cwd-relative
 * paths (`DIR/…`), in manifest order. Entries of manifests written before Pico, RHVoice,
 * sentences and strings existed get `engine: 'espeak'` and `kind: 'word'`.
 *
 * Digit strings and held-out sentences are evaluation material: every one is held out (checked
 * here), so a trainer taking `!e.heldOut` never sees them; a trainer must also keep kinds
 * 'sentence' and 'string' out of its held-out single-word sets (digit −1 does not make them
 * non-digit *words*).
 *
 * @throws Error naming the folder when there is no manifest (run `npm run synth` first), or
 *   naming a digit string that is not held out
 */
export function readSynthManifest(dir: string): SynthEntry[] {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest)) throw new Error(`no synthetic speech in ${dir} (manifest.json missing): run \`npm run synth\` first`);
  const entries = (JSON.parse(readFileSync(manifest, 'utf8')) as Partial<SynthEntry>[]).map(
    (e): SynthEntry => ({ ...(e as SynthEntry), engine: e.engine ?? 'espeak', kind: e.kind ?? 'word', path: join(dir, e.path!) }),
  );
  const leak = entries.find((e) => e.kind === 'string' && !e.heldOut);
  if (leak) throw new Error(`${manifest}: digit string ${leak.path} is not held out (strings are for evaluation only)`);
  return entries;
}

/**
 * Decodes the selected files of a synthetic-speech folder; a bad WAV is reported through
 * `onError` and skipped.
 *
 * @throws Error naming the folder when there is no manifest (run `npm run synth` first)
 */
export function loadSynth(dir: string, select: (e: SynthEntry) => boolean, onError: (error: WavDecodeError) => void): SynthClip[] {
  return decodeAll(readSynthManifest(dir).filter(select), onError);
}
