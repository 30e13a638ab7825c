/**
 * The clips the anchors are made of (`npm run anchors`, `src/adaptation/anchors.ts`): non-digit
 * words said by Speech Commands speakers of the training split — real voices, speaker-disjoint
 * from every evaluation — `count` of them spread over the sorted list, embedded by a word model.
 */
import { readFileSync } from 'node:fs';
import { wordWindow } from '../src/adaptation/enroll';
import { decodeWav } from '../src/audio/wav';
import type { DigitClassifier } from '../src/model/classifier';
import { DIGIT_LABELS, OTHER_LABEL } from '../src/model/labels';
import { listSpeechCommands } from './speech-commands';

/**
 * Non-digit anchors per model. Measured (reports/eval/enrollment.md; 64 / 128 non-digits with
 * 10 / 20 digits each): 128 and 20 kept other speakers' accuracy and the rejection of non-digits
 * best, at 1–2 points of the enrolled speaker's gain.
 */
export const ANCHOR_COUNT = 128;

/** Anchors of each digit: general speakers' digits keep the profile reading other people. */
export const DIGIT_ANCHORS_PER_DIGIT = 20;

/**
 * The embeddings of `perDigit` digits of each class (0–9) said by training-split Speech Commands
 * speakers, spread over the list: `[digit][k]`.
 */
export function digitAnchorsFromSpeechCommands(classifier: DigitClassifier, speechCommandsDir: string, perDigit = DIGIT_ANCHORS_PER_DIGIT): Float32Array[][] {
  const clips = listSpeechCommands(speechCommandsDir).filter((c) => c.split === 'train' && c.kind === 'word' && c.digit >= 0);
  return Array.from({ length: 10 }, (_, digit) => {
    const pool = clips.filter((c) => c.digit === digit);
    const step = Math.max(1, Math.floor(pool.length / perDigit));
    const out: Float32Array[] = [];
    for (let i = 0; out.length < perDigit && i < pool.length; i++) {
      const clip = pool[((i % perDigit) * step + Math.floor(i / perDigit)) % pool.length];
      const audio = decodeWav(new Uint8Array(readFileSync(clip.path)), clip.path);
      const window = wordWindow(classifier, audio.samples, audio.sampleRate);
      if (window) out.push(classifier.embed(window));
    }
    return out;
  });
}

/**
 * The embeddings of `count` non-digit training-split words for `classifier`.
 * @throws Error naming the folder (and `--speech-commands`) if it has too few such clips
 */
export function makeAnchorsFromSpeechCommands(classifier: DigitClassifier, speechCommandsDir: string, count = ANCHOR_COUNT): Float32Array[] {
  const pool = listSpeechCommands(speechCommandsDir).filter((c) => c.split === 'train' && c.kind === 'word' && c.digit < 0);
  if (pool.length < count) throw new Error(`only ${pool.length} non-digit words of training-split speakers in ${speechCommandsDir} (--speech-commands DIR); ${count} needed`);
  const step = Math.floor(pool.length / count);
  const embeddings: Float32Array[] = [];
  for (let i = 0; embeddings.length < count && i < pool.length; i++) {
    // Clips 0, step, 2·step, …, then 1, step + 1, … if some had no speech.
    const clip = pool[((i % count) * step + Math.floor(i / count)) % pool.length];
    const audio = decodeWav(new Uint8Array(readFileSync(clip.path)), clip.path);
    const window = wordWindow(classifier, audio.samples, audio.sampleRate);
    if (window) embeddings.push(classifier.embed(window));
  }
  return embeddings;
}

/**
 * All anchors of a model, by label (`other`, `zero`…`nine`): {@link ANCHOR_COUNT} non-digit words
 * and {@link DIGIT_ANCHORS_PER_DIGIT} of each digit.
 * @throws Error naming the folder if it has too few clips
 */
export function anchorsFromSpeechCommands(classifier: DigitClassifier, speechCommandsDir: string): Record<string, Float32Array[]> {
  const digits = digitAnchorsFromSpeechCommands(classifier, speechCommandsDir);
  return { [OTHER_LABEL]: makeAnchorsFromSpeechCommands(classifier, speechCommandsDir), ...Object.fromEntries(DIGIT_LABELS.map((name, d) => [name, digits[d]])) };
}
