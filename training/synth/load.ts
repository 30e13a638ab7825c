import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WavDecodeError } from '../../src/audio/wav';
import { type Decoded, decodeAll } from '../decode';
import type { SynthEntry } from './generate';

/** A decoded synthetic clip. */
export type SynthClip = Decoded<SynthEntry>;

/**
 * The entries of `DIR/manifest.json` written by `npm run synth`, with absolute-or-cwd-relative
 * paths (`DIR/…`), in manifest order.
 *
 * @throws Error naming the folder when there is no manifest (run `npm run synth` first)
 */
export function readSynthManifest(dir: string): SynthEntry[] {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest)) throw new Error(`no synthetic speech in ${dir} (manifest.json missing): run \`npm run synth\` first`);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as SynthEntry[]).map((e) => ({ ...e, path: join(dir, e.path) }));
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
