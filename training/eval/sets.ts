import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { EvalFile, EvalSet } from '../../src/cli/score';
import { basename, join } from 'node:path';
import { decodeWav, encodeWav16 } from '../../src/audio/wav';
import { nonSpeechSound } from '../nonspeech';
import { mixAtSnr, officeNoise, rms } from '../../src/audio/noise';
import { Random } from '../../src/audio/random';
import type { SynthEntry } from '../synth/generate';
import { readSynthManifest } from '../synth/load';
import { NEAR_MISS_HOMOPHONES } from '../synth/words';

export type { EvalFile, EvalSet } from '../../src/cli/score';
export { labelledFolder } from '../../src/cli/score';
/**
 * FSDD test clips in "office" noise (a type training never sees) at `snrDb`: each clip gets 0.5 s
 * of noise before and after, SNR measured against the clip's RMS. Written once to `cacheDir`.
 */
export function noisySet(fsddTest: EvalSet, snrDb: number, cacheDir: string): EvalSet {
  const dir = join(cacheDir, `office-noise-${snrDb}dB`);
  mkdirSync(dir, { recursive: true });
  const random = new Random(1000 + snrDb);
  const files = fsddTest.files.map((f) => {
    const path = join(dir, basename(f.path));
    // Drawn even for a cached file, so every file's noise is the same whatever is cached.
    const noise = officeNoise(16000 * 3, 8000, random);
    if (existsSync(path)) return { path, digit: f.digit };
    const audio = decodeWav(new Uint8Array(readFileSync(f.path)), f.path);
    const pad = audio.sampleRate / 2;
    const signal = new Float32Array(pad * 2 + audio.samples.length);
    signal.set(audio.samples, pad);
    let mixed = mixAtSnr(signal, noise.subarray(0, signal.length), rms(audio.samples), snrDb);
    const peak = mixed.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (peak > 0.99) mixed = mixed.map((v) => (v * 0.99) / peak);
    writeFileSync(path, encodeWav16(mixed, audio.sampleRate));
    return { path, digit: f.digit };
  });
  return { name: `FSDD test + office noise ${snrDb} dB`, kind: 'digits', files, snrDb };
}

const isHomophone = (e: SynthEntry) => (NEAR_MISS_HOMOPHONES as readonly string[]).includes(e.text.replace(/[.?!]$/, ''));

/** The held-out entries of a synthetic-speech folder (none when it has no manifest). */
function heldOutSynth(synthDir: string): SynthEntry[] {
  return existsSync(join(synthDir, 'manifest.json')) ? readSynthManifest(synthDir).filter((e) => e.heldOut) : [];
}

/**
 * Held-out synthetic voices from `npm run synth` (espeak-ng variants, Pico en-GB, RHVoice bdl)
 * saying single words: digits by gender, non-digit words, homophones of digits. Sentences and
 * digit strings are not words: they are in {@link synthSpeechSets}.
 */
export function synthSets(synthDir: string): EvalSet[] {
  const entries = heldOutSynth(synthDir).filter((e) => e.kind === 'word');
  if (entries.length === 0) return [];
  const set = (name: string, kind: EvalSet['kind'], f: (e: SynthEntry) => boolean): EvalSet => ({
    name,
    kind,
    files: entries.filter(f).map((e) => ({ path: e.path, digit: e.digit })),
  });
  return [
    set('held-out synthetic voices, female', 'digits', (e) => e.digit >= 0 && e.gender === 'female'),
    set('held-out synthetic voices, male', 'digits', (e) => e.digit >= 0 && e.gender === 'male'),
    set('held-out non-digit words (synthetic voices)', 'non-digits', (e) => e.digit < 0 && !isHomophone(e)),
    // "won", "to", "for", "ate" sound exactly like digits: listed apart, no model can reject them.
    set('held-out homophones of digits (won, to, for, ate)', 'non-digits', (e) => e.digit < 0 && isHomophone(e)),
  ];
}

/**
 * Held-out synthetic voices saying more than a word: sentences without digits ('running-speech',
 * each file's duration decoded from it) and digit strings of 3–11 digits as one utterance
 * ('strings'). Empty when `npm run synth` has not made them.
 */
export function synthSpeechSets(synthDir: string): EvalSet[] {
  const entries = heldOutSynth(synthDir);
  const sentences = entries.filter((e) => e.kind === 'sentence');
  const strings = entries.filter((e) => e.kind === 'string' && e.digits);
  const seconds = (path: string) => {
    try {
      const audio = decodeWav(new Uint8Array(readFileSync(path)), path);
      return audio.samples.length / audio.sampleRate;
    } catch {
      return 0; // unreadable: the recognizer reports it, and the set leaves it out of the duration
    }
  };
  return [
    ...(sentences.length
      ? [
          {
            name: 'held-out synthetic voices, sentences without digits',
            kind: 'running-speech' as const,
            files: sentences.map((e) => ({ path: e.path, digit: -1, seconds: seconds(e.path) })),
          },
        ]
      : []),
    ...(strings.length
      ? [{ name: 'held-out synthetic voices, digit strings (3–11 digits)', kind: 'strings' as const, files: strings.map((e) => ({ path: e.path, digit: -1, digits: e.digits })) }]
      : []),
  ];
}

/**
 * Non-speech sounds (noise bursts, clicks, tones, chords) and noise-only recordings, from a seed
 * training never uses. Written once to `cacheDir`.
 */
export function nonSpeechSet(cacheDir: string, count = 200): EvalSet {
  const dir = join(cacheDir, 'non-speech');
  mkdirSync(dir, { recursive: true });
  const random = new Random(777_000);
  const files: EvalFile[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `other_sound_${i}.wav`);
    const sound = i % 4 === 3 ? officeNoise(16000 * 2, 16000, random).map((v) => v * 0.05) : nonSpeechSound(16000, random);
    if (!existsSync(path)) writeFileSync(path, encodeWav16(sound, 16000));
    files.push({ path, digit: -1 });
  }
  return { name: 'non-speech sounds and noise', kind: 'non-digits', files };
}
