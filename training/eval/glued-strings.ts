/**
 * Digit strings glued from real held-out clips, for the 'strings' evaluation: each clip is
 * trimmed to its word (training/word-span.ts, 30 dB, as training/phrases.ts trims), the words
 * are joined with 0–100 ms of digital silence between them, and the string gets 0.5 s of silence
 * before and after. Real voices, so the exact-string rate and digit error rate of the string
 * reader are measured on speech no synthetic voice stands in for.
 *
 * Everything random (lengths, digits, clips, gaps, levels) is drawn from a fixed seed into a
 * plan ({@link GluedStringPlan}) before any audio is read, so the sets are the same on every run
 * and machine; each plan is rendered ({@link renderGluedString}) into a 16-bit WAV in the eval
 * cache once, under a name that carries a hash of the plan (a changed plan writes a new file).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeWav, encodeWav16 } from '../../src/audio/wav';
import type { EvalFile, EvalSet } from '../../src/cli/score';
import { resample } from '../../src/frontend/resampler';
import { listFsdd } from '../fsdd';
import { rms } from '../../src/audio/noise';
import { Random } from '../../src/audio/random';
import { listSpeechCommands } from '../speech-commands';
import { wordSpan } from '../word-span';

/** How many strings of each length (3–11) a glued set has: 120, with 30 PINs (4) and 30 phone numbers (11). */
export const GLUED_LENGTH_COUNTS: Readonly<Record<number, number>> = Object.freeze({ 3: 10, 4: 30, 5: 10, 6: 8, 7: 8, 8: 8, 9: 8, 10: 8, 11: 30 });

/** Gap between two glued words, seconds, drawn uniformly: words touching (0) to a short pause. */
export const GLUED_GAP_SECONDS: readonly [number, number] = [0, 0.1];

/** Digital silence before the first word and after the last, seconds. */
export const GLUED_PAD_SECONDS = 0.5;

/** Trim of each clip to its word: frames within this many dB of the clip's loudest. */
export const GLUED_TRIM_DB = 30;

/** Speech Commands words are brought to this RMS over the trimmed word (about −26 dBFS) ± {@link GLUED_LEVEL_SPREAD_DB}. */
export const GLUED_LEVEL_RMS = 0.05;

/** Spread of the per-word level around {@link GLUED_LEVEL_RMS}, dB (uniform). */
export const GLUED_LEVEL_SPREAD_DB = 3;

/** Bumped when rendering changes, so cached files of the old rendering are not reused. */
const RENDER_VERSION = 1;

/** One word of a glued string. */
export interface GluedWord {
  /** The clip's WAV file. */
  readonly path: string;
  readonly digit: number;
  readonly speaker: string;
  /**
   * Level of the trimmed word relative to {@link GLUED_LEVEL_RMS}, dB; absent: the clip keeps
   * its own level.
   */
  readonly levelDb?: number;
}

/** Everything drawn for one glued string, before any audio is read. */
export interface GluedStringPlan {
  /** The file name in the set's cache folder. */
  readonly file: string;
  /** The digits said, in order. */
  readonly digits: string;
  readonly words: readonly GluedWord[];
  /** Silence between word i and word i + 1, in samples at `sampleRate` (one fewer than the words). */
  readonly gaps: readonly number[];
  /** Silence before the first word and after the last, samples. */
  readonly pad: number;
  /** Output rate, Hz: 8 kHz for FSDD, 16 kHz for Speech Commands. */
  readonly sampleRate: number;
}

/** The lengths of a glued set ({@link GLUED_LENGTH_COUNTS}), in a seeded random order. */
export function gluedLengths(random: Random): number[] {
  const lengths = Object.entries(GLUED_LENGTH_COUNTS).flatMap(([length, count]) => new Array<number>(count).fill(Number(length)));
  return random.shuffle(lengths);
}

/**
 * Draws the words of one string: a uniform random digit per position, each from `pool` (clips by
 * digit, only digits that have clips), a clip not yet used in this string while the digit has one.
 */
function drawWords<C extends { path: string; digit: number }>(length: number, pool: ReadonlyMap<number, readonly C[]>, random: Random): C[] {
  const digits = [...pool.keys()].sort((a, b) => a - b);
  const used = new Set<string>();
  const words: C[] = [];
  for (let i = 0; i < length; i++) {
    const clips = pool.get(digits[random.int(digits.length)])!;
    const fresh = clips.filter((c) => !used.has(c.path));
    const clip = (fresh.length ? fresh : clips)[random.int(fresh.length || clips.length)];
    used.add(clip.path);
    words.push(clip);
  }
  return words;
}

const gapSamples = (random: Random, sampleRate: number) => Math.round(random.uniform(...GLUED_GAP_SECONDS) * sampleRate);

/** A plan with its file name: index, digits and a hash of what was drawn (clips by their last two path parts). */
function withFile(index: number, plan: Omit<GluedStringPlan, 'file'>): GluedStringPlan {
  const key = JSON.stringify([RENDER_VERSION, plan.sampleRate, plan.pad, plan.gaps, plan.words.map((w) => [w.path.split(/[\\/]/).slice(-2).join('/'), w.levelDb ?? null])]);
  const hash = createHash('sha1').update(key).digest('hex').slice(0, 10);
  return { file: `glued_${String(index).padStart(3, '0')}_${plan.digits}_${hash}.wav`, ...plan };
}

const groupByDigit = <C extends { digit: number }>(clips: readonly C[]): Map<number, C[]> => {
  const pool = new Map<number, C[]>();
  for (const c of clips) pool.set(c.digit, [...(pool.get(c.digit) ?? []), c]);
  return pool;
};

/**
 * The plan of the glued FSDD set: 120 strings ({@link GLUED_LENGTH_COUNTS}), each said by ONE
 * speaker (speakers taken in turn) from that speaker's official-test clips only (index 0–4, which
 * training never uses), at 8 kHz, each clip at its own level.
 *
 * @param dataDir the FSDD recordings folder
 * @param exceptSpeaker leave this speaker out (for a model trained without him)
 * @throws Error from listFsdd if the folder cannot be read or holds no FSDD clips
 */
export function planGluedFsddStrings(dataDir: string, exceptSpeaker?: string): GluedStringPlan[] {
  const test = listFsdd(resolve(dataDir)).filter((c) => /_[0-4]\.wav$/.test(c.path) && c.speaker !== exceptSpeaker);
  const speakers = [...new Set(test.map((c) => c.speaker))].sort();
  const pools = new Map(speakers.map((s) => [s, groupByDigit(test.filter((c) => c.speaker === s))]));
  const random = new Random(13_008);
  const sampleRate = 8000;
  return gluedLengths(random).map((length, i) => {
    const speaker = speakers[i % speakers.length];
    const words = drawWords(length, pools.get(speaker)!, random).map((c) => ({ path: c.path, digit: c.digit, speaker: c.speaker }));
    const gaps = words.slice(1).map(() => gapSamples(random, sampleRate));
    return withFile(i, { digits: words.map((w) => w.digit).join(''), words, gaps, pad: Math.round(GLUED_PAD_SECONDS * sampleRate), sampleRate });
  });
}

/**
 * The plan of the glued Speech Commands set: 120 strings ({@link GLUED_LENGTH_COUNTS}) from the
 * digit clips of the held-out speakers (split 'test' of training/speech-commands.ts, which
 * training never reads), at 16 kHz. Each held-out speaker said only one or two digits, so a
 * string MIXES SPEAKERS: every word is drawn from all held-out digit clips of its digit. Real
 * speakers are at very different levels, so each word is brought to {@link GLUED_LEVEL_RMS}
 * ± {@link GLUED_LEVEL_SPREAD_DB} dB.
 *
 * @throws Error from listSpeechCommands if the folder cannot be read or holds no clips
 */
export function planGluedSpeechCommandsStrings(speechCommandsDir: string): GluedStringPlan[] {
  const held = listSpeechCommands(speechCommandsDir).filter((c) => c.split === 'test' && c.kind === 'word' && c.digit >= 0);
  if (held.length === 0) return [];
  const pool = groupByDigit(held);
  const random = new Random(13_016);
  const sampleRate = 16000;
  return gluedLengths(random).map((length, i) => {
    const words = drawWords(length, pool, random).map((c) => ({
      path: c.path,
      digit: c.digit,
      speaker: c.speaker,
      levelDb: random.uniform(-GLUED_LEVEL_SPREAD_DB, GLUED_LEVEL_SPREAD_DB),
    }));
    const gaps = words.slice(1).map(() => gapSamples(random, sampleRate));
    return withFile(i, { digits: words.map((w) => w.digit).join(''), words, gaps, pad: Math.round(GLUED_PAD_SECONDS * sampleRate), sampleRate });
  });
}

/**
 * One word of a plan as it goes into the string: the clip decoded, resampled to the plan's rate
 * if needed, trimmed to its word ({@link GLUED_TRIM_DB}), and brought to its level when the plan
 * sets one.
 *
 * @throws WavDecodeError naming the file if it is not a readable WAV
 */
export function gluedWordSamples(word: GluedWord, sampleRate: number): Float32Array {
  const audio = decodeWav(new Uint8Array(readFileSync(word.path)), word.path);
  const samples = audio.sampleRate === sampleRate ? audio.samples : resample(audio.samples, audio.sampleRate, sampleRate);
  const { start, end } = wordSpan(samples, sampleRate, GLUED_TRIM_DB);
  const trimmed = samples.slice(start, end);
  if (word.levelDb === undefined) return trimmed;
  const gain = (GLUED_LEVEL_RMS * 10 ** (word.levelDb / 20)) / Math.max(1e-9, rms(trimmed));
  return trimmed.map((v) => v * gain);
}

/**
 * Renders a plan: pad, word, gap, word, …, word, pad, in digital silence. Scaled down as a whole
 * if its peak would pass 0.99.
 *
 * @throws WavDecodeError naming a clip that is not a readable WAV
 */
export function renderGluedString(plan: GluedStringPlan): Float32Array {
  const words = plan.words.map((w) => gluedWordSamples(w, plan.sampleRate));
  const length = 2 * plan.pad + words.reduce((n, w) => n + w.length, 0) + plan.gaps.reduce((n, g) => n + g, 0);
  const out = new Float32Array(length);
  let at = plan.pad;
  words.forEach((w, i) => {
    out.set(w, at);
    at += w.length + (plan.gaps[i] ?? 0);
  });
  const peak = out.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return peak > 0.99 ? out.map((v) => (v * 0.99) / peak) : out;
}

/** A 'strings' set of rendered plans, each written as a 16-bit WAV into `dir` unless already there. */
export function gluedSet(name: string, plans: readonly GluedStringPlan[], dir: string): EvalSet {
  mkdirSync(dir, { recursive: true });
  const files: EvalFile[] = plans.map((plan) => {
    const path = join(dir, plan.file);
    if (!existsSync(path)) writeFileSync(path, encodeWav16(renderGluedString(plan), plan.sampleRate));
    return { path, digit: -1, digits: plan.digits };
  });
  return { name, kind: 'strings', files };
}

/**
 * "glued FSDD test clips, 0–100 ms gaps": 120 strings of 3–11 digits, each from one FSDD
 * speaker's official-test clips ({@link planGluedFsddStrings}), written once to
 * `cacheDir/glued-fsdd`.
 *
 * @param exceptSpeaker leave this speaker out (pass a cache folder of its own, as the noise sets get)
 */
export function gluedFsddSet(dataDir: string, cacheDir: string, exceptSpeaker?: string): EvalSet {
  return gluedSet('glued FSDD test clips, 0–100 ms gaps', planGluedFsddStrings(dataDir, exceptSpeaker), join(cacheDir, 'glued-fsdd'));
}

/**
 * "glued Speech Commands digits, held-out speakers, 0–100 ms gaps": 120 strings of 3–11 digits
 * from the held-out speakers' digit clips, several speakers in one string (each held-out speaker
 * said only one or two digits; {@link planGluedSpeechCommandsStrings}), written once to
 * `cacheDir/glued-speech-commands`. Empty (no files) if the folder has no held-out digit clips.
 */
export function gluedSpeechCommandsSet(speechCommandsDir: string, cacheDir: string): EvalSet {
  return gluedSet('glued Speech Commands digits, held-out speakers, 0–100 ms gaps', planGluedSpeechCommandsStrings(speechCommandsDir), join(cacheDir, 'glued-speech-commands'));
}
