import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { WavDecodeError } from '../src/audio/wav';
import { type Decoded, decodeAll } from './decode';

/** One FSDD recording: `{digit}_{speaker}_{index}.wav`. */
export interface FsddClip {
  readonly path: string;
  readonly digit: number;
  readonly speaker: string;
  readonly index: number;
}

/** Default location of the dataset, relative to the project root. */
export const DEFAULT_FSDD_DIR = '../shared/datasets/fsdd/recordings';

/** Parses `{digit}_{speaker}_{index}.wav`; null for other names. */
export function parseFsddName(path: string): FsddClip | null {
  const m = /^(\d)_([a-z]+)_(\d+)\.wav$/i.exec(basename(path));
  return m ? { path, digit: Number(m[1]), speaker: m[2], index: Number(m[3]) } : null;
}

/**
 * Lists the clips of an FSDD folder, sorted by name.
 *
 * @throws Error naming the folder if it cannot be read or holds no FSDD clips.
 */
export function listFsdd(dir: string): FsddClip[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new Error(`FSDD folder ${dir} could not be read: ${(error as Error).message}`, { cause: error });
  }
  const clips = names
    .sort()
    .map((n) => parseFsddName(join(dir, n)))
    .filter((c): c is FsddClip => c !== null);
  if (clips.length === 0) throw new Error(`FSDD folder ${dir} holds no {digit}_{speaker}_{index}.wav files`);
  return clips;
}

/** The dataset's official split (README): index 0–4 test, 5–49 train; we hold out 5–9 for validation. */
export type Split = 'test' | 'validation' | 'train';

export function officialSplit(clip: FsddClip): Split {
  if (clip.index <= 4) return 'test';
  if (clip.index <= 9) return 'validation';
  return 'train';
}

/** A decoded clip: mono samples at its file's sample rate. */
export type LoadedClip = Decoded<FsddClip>;

/**
 * Decodes clips; a bad WAV is reported through `onError` and skipped, the rest are returned.
 */
export function loadClips(clips: FsddClip[], onError: (error: WavDecodeError) => void): LoadedClip[] {
  return decodeAll(clips, onError);
}
