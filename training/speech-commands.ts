import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DIGIT_LABELS } from '../src/model/labels';

/**
 * Reader of Google's Speech Commands dataset (Warden 2018, arXiv:1804.03209) in its standard
 * layout, any version (v0.01, v0.02, or its test set alone):
 *
 *   DIR/<word>/<speaker>_nohash_<n>.wav      one-second clips, 16 kHz
 *   DIR/_background_noise_/*.wav             long noise recordings (full downloads)
 *   DIR/_silence_/*.wav                      one-second noise clips (the test set)
 *   DIR/validation_list.txt, testing_list.txt (full downloads: the official split)
 *
 * Digit words (`zero` … `nine`) are digit classes; every other word is "not a digit"; the two
 * noise folders are background noise for augmentation.
 */

/** Default location of the dataset, relative to the project root. */
export const DEFAULT_SPEECH_COMMANDS_DIR = '../shared/datasets/speech-commands';

/** Folders of background noise rather than words. */
const NOISE_FOLDERS = ['_background_noise_', '_silence_'] as const;

/** Split of a clip. Every clip of one speaker is in the same split. */
export type SpeechCommandsSplit = 'train' | 'validation' | 'test';

/** One clip of the dataset. */
export interface SpeechCommandsClip {
  /** Path of the WAV file. */
  readonly path: string;
  /** Its folder: the word said, or a noise folder. */
  readonly word: string;
  /** 0–9 for digit words, −1 for every other word and for noise. */
  readonly digit: number;
  /** Speaker id (the 8-hex-digit file-name prefix); for noise, the file name. */
  readonly speaker: string;
  readonly kind: 'word' | 'noise';
  readonly split: SpeechCommandsSplit;
}

/** How clips are split when the dataset carries no lists (percent of speakers). */
export interface SpeakerSplitPercent {
  readonly validation: number;
  readonly test: number;
}

/**
 * The project's split of the test set alone (no lists): 45 % of speakers held out for the
 * speaker-disjoint evaluation, 5 % for validation. Its 231 digit clips are few, so a much larger
 * test share than the dataset's own 10 % keeps the held-out figure meaningful: 86 digit clips and
 * 1,554 non-digit words held out, 134 digits and 2,215 words to train on.
 */
export const DEFAULT_SPEAKER_SPLIT: SpeakerSplitPercent = Object.freeze({ validation: 5, test: 45 });

/** The constant of the dataset's own `which_set` (README of Speech Commands; tensorflow/examples/speech_commands/input_data.py). */
const MAX_NUM_WAVS_PER_CLASS = 2 ** 27 - 1;

/**
 * Salt of the project's speaker hash. The dataset's own rule (no salt) put every speaker of the
 * official test set in its testing range, 10–20 %: that is how the test set was chosen. So the
 * rule cannot split the test set alone again; the same rule with this salt can.
 */
export const SPEAKER_HASH_SALT = 'digit-listener/';

/**
 * The dataset's own split rule (`which_set` in tensorflow/examples/speech_commands/input_data.py):
 * SHA-1 of the file name with everything from `_nohash_` on removed — the speaker id — read as
 * a hex number modulo 2^27, scaled by 100 / (2^27 − 1) to a percentage. A speaker therefore lands
 * in the same split in every version of the dataset and on every machine.
 *
 * @param speaker the speaker id (file name up to `_nohash_`)
 * @param salt prefixed to the id before hashing ('' = the dataset's own rule)
 * @returns a percentage in [0, 100]
 */
export function speakerHashPercent(speaker: string, salt = ''): number {
  const hash = createHash('sha1')
    .update(salt + speaker)
    .digest('hex');
  // The hex digest as an integer modulo 2^27 − 1, without losing precision (BigInt).
  return (Number(BigInt(`0x${hash}`) % BigInt(MAX_NUM_WAVS_PER_CLASS + 1)) * 100) / MAX_NUM_WAVS_PER_CLASS;
}

/**
 * Split of a speaker by {@link speakerHashPercent} with {@link SPEAKER_HASH_SALT}: validation
 * below `validation` %, test below `validation + test` %, else train.
 */
export function speakerSplit(speaker: string, percent: SpeakerSplitPercent = DEFAULT_SPEAKER_SPLIT): SpeechCommandsSplit {
  const p = speakerHashPercent(speaker, SPEAKER_HASH_SALT);
  if (p < percent.validation) return 'validation';
  if (p < percent.validation + percent.test) return 'test';
  return 'train';
}

const readList = (file: string): Set<string> | null =>
  existsSync(file)
    ? new Set(
        readFileSync(file, 'utf8')
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean),
      )
    : null;

/**
 * Lists the clips of a Speech Commands folder, sorted by path, each with its split.
 *
 * The split honours the dataset's `validation_list.txt` / `testing_list.txt` when present
 * (full downloads: a listed clip is in that split, the others train). Without them (the test set
 * alone, whose speakers the dataset's own rule puts all in its test range) it splits by speaker
 * with {@link speakerSplit}. The lists are themselves speaker-
 * disjoint (made by the same hash), so in both cases no speaker is in two splits. Noise clips
 * are split by their file name the same way (they have no speaker).
 *
 * @throws Error naming the folder (and the `--speech-commands` option) if it cannot be read or
 *   holds no `<word>/<speaker>_nohash_<n>.wav` clips
 */
export function listSpeechCommands(dir: string, percent: SpeakerSplitPercent = DEFAULT_SPEAKER_SPLIT): SpeechCommandsClip[] {
  let folders: string[];
  try {
    folders = readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory());
  } catch (error) {
    throw new Error(`Speech Commands folder ${dir} could not be read (--speech-commands DIR): ${(error as Error).message}`, { cause: error });
  }
  const validationList = readList(join(dir, 'validation_list.txt'));
  const testingList = readList(join(dir, 'testing_list.txt'));
  const listed = validationList !== null || testingList !== null;
  const clips: SpeechCommandsClip[] = [];
  for (const word of folders.sort()) {
    const noise = (NOISE_FOLDERS as readonly string[]).includes(word);
    if (word.startsWith('.') || (word.startsWith('_') && !noise)) continue;
    const digit = (DIGIT_LABELS as readonly string[]).indexOf(word);
    for (const name of readdirSync(join(dir, word)).sort()) {
      if (!/\.wav$/i.test(name)) continue;
      const m = /^(.+?)_nohash_/.exec(name);
      if (!noise && !m) continue;
      const speaker = noise ? name : m![1];
      const relative = `${word}/${name}`;
      const split: SpeechCommandsSplit = listed ? (validationList?.has(relative) ? 'validation' : testingList?.has(relative) ? 'test' : 'train') : speakerSplit(speaker, percent);
      clips.push({ path: join(dir, word, name), word, digit: noise ? -1 : digit, speaker, kind: noise ? 'noise' : 'word', split });
    }
  }
  if (!clips.some((c) => c.kind === 'word')) {
    throw new Error(`Speech Commands folder ${dir} holds no <word>/<speaker>_nohash_<n>.wav clips (--speech-commands DIR)`);
  }
  return clips;
}
