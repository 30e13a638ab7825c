import { resample } from '../src/frontend/resampler';
import type { Clip } from './augment';
import type { Random } from '../src/audio/random';
import { wordSpan } from './word-span';

/** Words per glued phrase. */
export const PHRASE_WORDS: readonly [number, number] = [2, 4];

/**
 * Gaps between the glued words, seconds: from a slight overlap (−30 ms, words running into each
 * other) to a short pause (150 ms), as in running speech.
 */
export const PHRASE_GAP_SECONDS: readonly [number, number] = [-0.03, 0.15];

/**
 * Running speech with no digit in it, for the "not a digit" class: 2–4 real non-digit words
 * (Speech Commands clips of training speakers, trimmed to where they are within 30 dB of their
 * peak) glued one after another with gaps of {@link PHRASE_GAP_SECONDS}. The gate reads such a
 * phrase as one long segment, or as several words, like a person talking beside the kiosk.
 *
 * @param words non-digit word clips (any rates), at least one
 * @param sampleRate output rate, Hz
 * @returns the phrase, mono at `sampleRate`, each word at its own level, and how many words it glued
 * @throws RangeError when `words` is empty
 */
export function gluePhrase(words: readonly Clip[], sampleRate: number, random: Random): Clip & { readonly words: number } {
  if (words.length === 0) throw new RangeError('gluePhrase: no words to glue');
  const count = PHRASE_WORDS[0] + random.int(PHRASE_WORDS[1] - PHRASE_WORDS[0] + 1);
  const parts: Float32Array[] = [];
  const gaps: number[] = [];
  for (let i = 0; i < count; i++) {
    const clip = words[random.int(words.length)];
    const samples = clip.sampleRate === sampleRate ? clip.samples : resample(clip.samples, clip.sampleRate, sampleRate);
    const { start, end } = wordSpan(samples, sampleRate, 30);
    parts.push(samples.subarray(start, end));
    gaps.push(Math.round(random.uniform(...PHRASE_GAP_SECONDS) * sampleRate));
  }
  return { samples: joinWithGaps(parts, gaps), sampleRate, words: count };
}

/**
 * Joins words one after another: word i starts `gaps[i]` samples after word i − 1 ends (a
 * negative gap overlaps them, mixed; `gaps[0]` is unused).
 *
 * @param parts the words, mono, one sample rate
 * @param gaps samples, one per word
 * @returns the joined signal (at least one sample)
 */
export function joinWithGaps(parts: readonly Float32Array[], gaps: readonly number[]): Float32Array {
  const length = parts.reduce((n, p, i) => n + p.length + (i > 0 ? gaps[i] : 0), 0);
  const out = new Float32Array(Math.max(1, length));
  let at = 0;
  parts.forEach((p, i) => {
    if (i > 0) at = Math.max(0, at + gaps[i]);
    for (let k = 0; k < p.length && at + k < out.length; k++) out[at + k] += p[k];
    at += p.length;
  });
  return out;
}
