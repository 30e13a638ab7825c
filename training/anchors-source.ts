/**
 * The clips the anchors are made of (`npm run anchors`, `src/adaptation/anchors.ts`): non-digit
 * words and digits said by Speech Commands speakers of the training split — real voices,
 * speaker-disjoint from every evaluation — spread over the sorted list, and FSDD training-split
 * digits, embedded by a word model.
 */
import { readFileSync } from 'node:fs';
import { wordWindow } from '../src/adaptation/enroll';
import { decodeWav } from '../src/audio/wav';
import type { DigitClassifier } from '../src/model/classifier';
import { DIGIT_LABELS, OTHER_LABEL } from '../src/model/labels';
import { listFsdd } from './fsdd';
import { listSpeechCommands } from './speech-commands';

/**
 * Non-digit anchors per model. Measured (reports/eval/enrollment.md; 64 / 128 non-digits with
 * 10 / 20 digits each): 128 and 20 kept other speakers' accuracy and the rejection of non-digits
 * best, at 1–2 points of the enrolled speaker's gain.
 */
export const ANCHOR_COUNT = 128;

/** Anchors of each digit: general speakers' digits keep the profile reading other people. */
export const DIGIT_ANCHORS_PER_DIGIT = 20;

/** The word model's embedding of a recording's word window, or null if the gate hears no speech. */
function embedClip(classifier: DigitClassifier, path: string): Float32Array | null {
  const audio = decodeWav(new Uint8Array(readFileSync(path)), path);
  const window = wordWindow(classifier, audio.samples, audio.sampleRate);
  return window && classifier.embed(window);
}

/**
 * The embeddings of `count` clips spread over `pool`: clips 0, step, 2·step, …, then 1, step + 1,
 * … if some had no speech (fewer when the pool runs out).
 */
function embedSpread(classifier: DigitClassifier, pool: readonly { readonly path: string }[], count: number): Float32Array[] {
  const step = Math.max(1, Math.floor(pool.length / count));
  const embeddings: Float32Array[] = [];
  for (let i = 0; embeddings.length < count && i < pool.length; i++) {
    const embedding = embedClip(classifier, pool[((i % count) * step + Math.floor(i / count)) % pool.length].path);
    if (embedding) embeddings.push(embedding);
  }
  return embeddings;
}

/**
 * The embeddings of `perDigit` digits of each class (0–9) said by training-split Speech Commands
 * speakers, spread over the list: `[digit][k]`.
 */
export function digitAnchorsFromSpeechCommands(classifier: DigitClassifier, speechCommandsDir: string, perDigit = DIGIT_ANCHORS_PER_DIGIT): Float32Array[][] {
  const clips = listSpeechCommands(speechCommandsDir).filter((c) => c.split === 'train' && c.kind === 'word' && c.digit >= 0);
  return Array.from({ length: 10 }, (_, digit) =>
    embedSpread(
      classifier,
      clips.filter((c) => c.digit === digit),
      perDigit,
    ),
  );
}

/**
 * FSDD recordings used as digit anchors: indices 10–13 of each digit of each speaker, in the
 * training split (the official test split is 0–4; `eval:enrollment` enrolls with 5–7 and tests
 * on 10–49 of the held-out speaker only, whose clips a fold's anchors never include). Measured
 * on the leave-one-speaker-out folds (`npm run eval:enrollment`, 1 take per digit): without them
 * other speakers lost 2.5 points under a profile (96.47 → 94.00 %); with 1 / 2 / 4 per digit and
 * speaker (first augmentation set, enrolled weight 1) 95.40 / 96.07 / 96.93 %. With the shipped
 * recipe and without them, 93.00 %.
 */
export const FSDD_ANCHOR_INDICES: readonly number[] = Object.freeze([10, 11, 12, 13]);

/**
 * The embeddings of FSDD digits ({@link FSDD_ANCHOR_INDICES}) of every speaker but `exclude`
 * (the held-out speaker of a leave-one-speaker-out fold): `[digit][k]`.
 * @throws Error naming the folder if it cannot be read
 */
export function fsddDigitAnchors(classifier: DigitClassifier, fsddDir: string, exclude: readonly string[] = []): Float32Array[][] {
  const out: Float32Array[][] = Array.from({ length: 10 }, () => []);
  for (const clip of listFsdd(fsddDir)) {
    if (exclude.includes(clip.speaker) || !FSDD_ANCHOR_INDICES.includes(clip.index)) continue;
    const embedding = embedClip(classifier, clip.path);
    if (embedding) out[clip.digit].push(embedding);
  }
  return out;
}

/**
 * The embeddings of `count` non-digit training-split words for `classifier`.
 * @throws Error naming the folder (and `--speech-commands`) if it has too few such clips
 */
export function makeAnchorsFromSpeechCommands(classifier: DigitClassifier, speechCommandsDir: string, count = ANCHOR_COUNT): Float32Array[] {
  const pool = listSpeechCommands(speechCommandsDir).filter((c) => c.split === 'train' && c.kind === 'word' && c.digit < 0);
  if (pool.length < count) throw new Error(`only ${pool.length} non-digit words of training-split speakers in ${speechCommandsDir} (--speech-commands DIR); ${count} needed`);
  return embedSpread(classifier, pool, count);
}

/**
 * All anchors of a model, by label (`other`, `zero`…`nine`): {@link ANCHOR_COUNT} non-digit words
 * and up to {@link DIGIT_ANCHORS_PER_DIGIT} of each digit of Speech Commands, and the FSDD
 * digits of {@link fsddDigitAnchors} (of the speakers not in `excludeFsddSpeakers`).
 * @throws Error naming the folder if it has too few clips or cannot be read
 */
export function generalAnchors(
  classifier: DigitClassifier,
  speechCommandsDir: string,
  fsddDir: string,
  excludeFsddSpeakers: readonly string[] = [],
): Record<string, Float32Array[]> {
  const digits = digitAnchorsFromSpeechCommands(classifier, speechCommandsDir);
  const fsdd = fsddDigitAnchors(classifier, fsddDir, excludeFsddSpeakers);
  return {
    [OTHER_LABEL]: makeAnchorsFromSpeechCommands(classifier, speechCommandsDir),
    ...Object.fromEntries(DIGIT_LABELS.map((name, d) => [name, [...digits[d], ...fsdd[d]]])),
  };
}
