/**
 * `npm run synth` — writes synthetic speech with espeak-ng, SVOX Pico and RHVoice (voices.ts)
 * into a cache folder outside git:
 * - words: every synthetic speaker saying each digit (`--takes` times per espeak-ng speaker,
 *   `--tts-takes` per Pico/RHVoice training speaker, {@link HELD_OUT_TTS_TAKES} per held-out
 *   one) with random pitch, speaking rate, volume and inflection ("seven", "seven?", "seven!",
 *   "seven."), and `--other` non-digit words each;
 * - sentences: running speech without digits (sentences.ts), a few per training speaker (as
 *   non-digits, digit -1, so the trainer's "other" class learns them), more per held-out speaker
 *   (≥ 10 minutes in all, for the running-speech evaluation);
 * - strings: held-out speakers saying 3–11 digits as one utterance at a natural rate
 *   (evaluation only; the digit sequence in `digits`), and training speakers saying 1–11
 *   digits, phone numbers sometimes in groups, at varied rates (for the string model;
 *   {@link planTrainStrings}; readSynthManifest in load.ts keeps them apart from the word trainer's
 *   clips, readSynthTrainStrings returns them).
 * Held-out voices go to their own folders; training never reads them.
 *
 *   .cache/synth/train/digits/{digit}_{speaker}_{take}.wav      (FSDD-style names)
 *   .cache/synth/train/other/other_{word}_{speaker}_{take}.wav
 *   .cache/synth/train/other/sentence_{index}_{speaker}_{take}.wav
 *   .cache/synth/train/strings/string_{digits}_{speaker}_{take}.wav
 *   .cache/synth/heldout/female/{digit}_{speaker}_{take}.wav    (also .../male/)
 *   .cache/synth/heldout/other/…
 *   .cache/synth/heldout/sentences/sentence_{index}_{speaker}_{take}.wav
 *   .cache/synth/heldout/strings/string_{digits}_{speaker}_{take}.wav
 *   .cache/synth/manifest.json        (one entry per file, paths relative to the folder)
 *
 * Usage: npm run synth -- [--out DIR] [--takes N] [--tts-takes N] [--other N] [--seed N]
 * Requires espeak-ng (Debian package `espeak-ng`); Pico (`libttspico-utils`) and RHVoice
 * (`rhvoice rhvoice-english`, plus `sox` for its inflections) are used when installed, with a
 * warning naming the package otherwise. Existing files are kept (cache): the plan only ever
 * grows, and every earlier entry keeps its name and settings.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { decodeWav } from '../../src/audio/wav';
import { Random } from '../../src/audio/random';
import { EXTRA_TRAIN_SENTENCES, HELD_OUT_SENTENCES, TRAIN_SENTENCES, SENTENCES } from './sentences';
import { SYNTH_ENGINES, type SynthEngine, type SynthSpeaker, synthSpeakers } from './voices';
import { DIGIT_WORDS, NEAR_MISSES, NEAR_MISS_HOMOPHONES, OTHER_WORDS } from './words';

const run = promisify(execFile);

/** One generated file. */
export interface SynthEntry {
  readonly path: string;
  /** 0–9 for a digit word; -1 for a non-digit word, a sentence, or a digit string. */
  readonly digit: number;
  readonly text: string;
  readonly speaker: string;
  readonly gender: SynthSpeaker['gender'];
  readonly heldOut: boolean;
  /**
   * Prosody in the engine's own units. espeak-ng: pitch 0–99, speed in words per minute,
   * amplitude 0–200. Pico: pitch, speed and volume levels of its markup, percent of the voice's
   * own. RHVoice: RHVoice-test `-t`, `-r`, `-v`, percent.
   */
  readonly pitch: number;
  readonly speed: number;
  readonly amplitude: number;
  readonly engine: SynthEngine;
  /** A single word (digit or not), a sentence without digits, or a string of digits. */
  readonly kind: 'word' | 'sentence' | 'string';
  /** Strings only: the digits said, e.g. "3791". */
  readonly digits?: string;
}

/** Default cache folder, relative to the project root. */
export const DEFAULT_SYNTH_DIR = '.cache/synth';

/** Digit takes per held-out Pico/RHVoice speaker (8 speakers × 10 digits × 3 = 240 per voice). */
export const HELD_OUT_TTS_TAKES = 3;

/**
 * Sentences per speaker: a few per training speaker, more per held-out one. With 80 held-out
 * espeak-ng speakers and 2 × 8 held-out Pico/RHVoice speakers that is 256 held-out sentences,
 * ≈ 15 minutes of audio (≥ 10 minutes asked of the running-speech set).
 */
export const SENTENCES_PER_SPEAKER = { espeak: { train: 2, heldOut: 2 }, tts: { train: 4, heldOut: 6 } } as const;

/** Digit strings per held-out speaker: 80 × 2 (espeak-ng) + 16 × 9 (Pico, RHVoice) = 304. */
export const STRINGS_PER_SPEAKER = { espeak: 2, tts: 9 } as const;

/** Digit-string lengths, inclusive. */
export const STRING_LENGTHS = { min: 3, max: 11 } as const;

const INFLECTIONS = ['', '.', '?', '!'];

/**
 * RHVoice ignores final punctuation (measured: "seven", "seven?", "seven!" give the same
 * samples), so its inflections are made with SoX `bend` over the second half of the word:
 * a question rises ≈ 3.5 semitones, a statement falls 1.5, an exclamation falls 3 — typical
 * sizes of English nuclear rises and falls.
 */
const RHVOICE_INFLECTION_CENTS: Readonly<Record<string, number>> = { '?': 350, '.': -150, '!': -300 };

function folderFor(speaker: SynthSpeaker, digit: number): string {
  if (!speaker.heldOut) return digit >= 0 ? 'train/digits' : 'train/other';
  return digit >= 0 ? `heldout/${speaker.gender}` : 'heldout/other';
}

/** Pico/RHVoice prosody of one take: the speaker's style with some jitter, and a volume. */
function ttsProsody(speaker: SynthSpeaker, random: Random, rateJitter: number): { pitch: number; speed: number; amplitude: number } {
  const style = speaker.style ?? { pitch: 100, rate: 100 };
  // Volume ranges measured: Pico's default level already peaks at full scale and clips from
  // ≈ 70 %, so 25–65 %; RHVoice peaks at ≈ 0.5 of full scale at 100 % (clamps at 200), so 40–190 %.
  const [low, high] = speaker.engine === 'pico' ? [25, 65] : [40, 190];
  return {
    pitch: Math.round(style.pitch * random.uniform(0.94, 1.06)),
    speed: Math.round(style.rate * random.uniform(1 - rateJitter, 1 + rateJitter)),
    amplitude: Math.round(random.uniform(low, high)),
  };
}

/** Digit takes per Pico/RHVoice speaker, training and held out. */
export interface TtsTakes {
  readonly takes: number;
  readonly heldOutTakes: number;
}

/**
 * Plans every single-word file (digits and non-digit words): the espeak-ng speakers exactly as
 * before Pico and RHVoice were added (same names, same prosody: the same random sequence), then
 * the Pico and RHVoice speakers from their own seeded sequence. Deterministic from the seed.
 *
 * @param takes digit takes per espeak-ng speaker
 * @param otherPerSpeaker non-digit words per speaker (every engine)
 * @param tts digit takes per Pico/RHVoice training and held-out speaker
 */
export function planSynth(outDir: string, takes: number, otherPerSpeaker: number, seed: number, tts: TtsTakes = { takes: 6, heldOutTakes: HELD_OUT_TTS_TAKES }): SynthEntry[] {
  const speakers = synthSpeakers();
  const entries: SynthEntry[] = [];
  const plan = (speaker: SynthSpeaker, random: Random, digitTakes: number, prosody: () => { pitch: number; speed: number; amplitude: number }) => {
    const common = { speaker: speaker.id, gender: speaker.gender, heldOut: speaker.heldOut };
    const tail = { engine: speaker.engine, kind: 'word' as const };
    for (let digit = 0; digit < 10; digit++) {
      for (let take = 0; take < digitTakes; take++) {
        const words = DIGIT_WORDS[digit];
        const word = words[random.next() < 0.2 ? words.length - 1 : 0];
        const text = word + INFLECTIONS[random.int(INFLECTIONS.length)];
        entries.push({ path: join(outDir, folderFor(speaker, digit), `${digit}_${speaker.id}_${take}.wav`), digit, text, ...common, ...prosody(), ...tail });
      }
    }
    // Held-out speakers also say the homophones (evaluation only); training never sees them.
    const pool = speaker.heldOut ? [...NEAR_MISSES, ...NEAR_MISS_HOMOPHONES, ...OTHER_WORDS] : [...NEAR_MISSES, ...OTHER_WORDS];
    for (let take = 0; take < otherPerSpeaker; take++) {
      const word = pool[random.int(pool.length)];
      const text = word + INFLECTIONS[random.int(INFLECTIONS.length)];
      const slug = word.replace(/[^a-z]/gi, '').toLowerCase();
      entries.push({ path: join(outDir, folderFor(speaker, -1), `other_${slug}_${speaker.id}_${take}.wav`), digit: -1, text, ...common, ...prosody(), ...tail });
    }
  };
  const random = new Random(seed);
  const espeakProsody = () => ({ pitch: Math.round(random.uniform(15, 85)), speed: Math.round(random.uniform(120, 215)), amplitude: Math.round(random.uniform(60, 180)) });
  for (const speaker of speakers.filter((s) => s.engine === 'espeak')) plan(speaker, random, takes, espeakProsody);
  const ttsRandom = new Random(seed + 1);
  for (const speaker of speakers.filter((s) => s.engine !== 'espeak')) {
    plan(speaker, ttsRandom, speaker.heldOut ? tts.heldOutTakes : tts.takes, () => ttsProsody(speaker, ttsRandom, 0.12));
  }
  return entries;
}

/**
 * Plans the sentences ({@link SENTENCES_PER_SPEAKER} per speaker): training speakers read
 * TRAIN_SENTENCES into train/other (digit -1: the trainer's "other" class), held-out speakers
 * HELD_OUT_SENTENCES into heldout/sentences. Each group goes through its list in a shuffled
 * cycle, so every sentence is read about equally often. Deterministic from the seed.
 */
export function planSentences(outDir: string, seed: number, perSpeaker = SENTENCES_PER_SPEAKER): SynthEntry[] {
  const random = new Random(seed + 2);
  const cycles = new Map<readonly string[], string[]>();
  const nextSentence = (list: readonly string[]) => {
    let queue = cycles.get(list);
    if (!queue || queue.length === 0) cycles.set(list, (queue = random.shuffle([...list])));
    return queue.pop()!;
  };
  const entries: SynthEntry[] = [];
  for (const speaker of synthSpeakers()) {
    const espeak = speaker.engine === 'espeak';
    const count = (espeak ? perSpeaker.espeak : perSpeaker.tts)[speaker.heldOut ? 'heldOut' : 'train'];
    for (let take = 0; take < count; take++) {
      const text = nextSentence(speaker.heldOut ? HELD_OUT_SENTENCES : TRAIN_SENTENCES);
      const folder = speaker.heldOut ? 'heldout/sentences' : 'train/other';
      const prosody = espeak
        ? { pitch: Math.round(random.uniform(15, 85)), speed: Math.round(random.uniform(130, 195)), amplitude: Math.round(random.uniform(60, 180)) }
        : ttsProsody(speaker, random, 0.08);
      entries.push({
        path: join(outDir, folder, `sentence_${SENTENCES.indexOf(text)}_${speaker.id}_${take}.wav`),
        digit: -1,
        text,
        speaker: speaker.id,
        gender: speaker.gender,
        heldOut: speaker.heldOut,
        ...prosody,
        engine: speaker.engine,
        kind: 'sentence',
      });
    }
  }
  return entries;
}

/**
 * Plans the digit strings, for evaluation only: every held-out speaker says
 * {@link STRINGS_PER_SPEAKER} strings of 3–11 random digits as one utterance ("three seven nine
 * one.", zero sometimes as "oh") at a natural rate, into heldout/strings. Deterministic.
 */
export function planStrings(outDir: string, seed: number, perSpeaker = STRINGS_PER_SPEAKER): SynthEntry[] {
  const random = new Random(seed + 3);
  const entries: SynthEntry[] = [];
  for (const speaker of synthSpeakers().filter((s) => s.heldOut)) {
    const espeak = speaker.engine === 'espeak';
    for (let take = 0; take < (espeak ? perSpeaker.espeak : perSpeaker.tts); take++) {
      const length = STRING_LENGTHS.min + random.int(STRING_LENGTHS.max - STRING_LENGTHS.min + 1);
      const digits = Array.from({ length }, () => random.int(10));
      const text = `${digits.map((d) => DIGIT_WORDS[d][random.next() < 0.2 ? DIGIT_WORDS[d].length - 1 : 0]).join(' ')}.`;
      // A natural rate: espeak-ng's default is 175 words per minute; Pico/RHVoice the style's own.
      const prosody = espeak
        ? { pitch: Math.round(random.uniform(20, 80)), speed: Math.round(random.uniform(150, 190)), amplitude: Math.round(random.uniform(70, 170)) }
        : ttsProsody(speaker, random, 0.05);
      entries.push({
        path: join(outDir, 'heldout/strings', `string_${digits.join('')}_${speaker.id}_${take}.wav`),
        digit: -1,
        text,
        speaker: speaker.id,
        gender: speaker.gender,
        heldOut: true,
        ...prosody,
        engine: speaker.engine,
        kind: 'string',
        digits: digits.join(''),
      });
    }
  }
  return entries;
}

/**
 * Training digit strings per training speaker: 256 espeak-ng speakers × 8 = 2048, Pico en-US's
 * 8 styles × 75 = 600, RHVoice alan's and clb's 16 styles × 50 = 800; 3,448 in all. Pico and
 * RHVoice have few training voices, so each says many more: 600 strings a voice for Pico, 400
 * for each RHVoice voice, against 64 for each espeak-ng variant (over its 8 accents).
 */
export const TRAIN_STRINGS_PER_SPEAKER = { espeak: 8, pico: 75, rhvoice: 50 } as const;

/**
 * Relative weights of training-string lengths 1–11 (index = length − 1), in percent: 15 % of
 * 1–2 digits, 60 % of 3–7, 5 % of 8–9, 20 % of 10–11 (phone numbers).
 */
export const TRAIN_STRING_LENGTH_WEIGHTS: readonly number[] = [7, 8, 12, 14, 12, 11, 11, 3, 2, 10, 10];

/**
 * How a string of 4–11 digits is said in groups, as phone numbers are ("0800, 555, 1234"):
 * group sizes by length, one picked at random.
 */
const GROUPINGS: Readonly<Record<number, readonly (readonly number[])[]>> = {
  4: [[2, 2]],
  5: [
    [2, 3],
    [3, 2],
  ],
  6: [
    [3, 3],
    [2, 2, 2],
  ],
  7: [
    [3, 4],
    [4, 3],
  ],
  8: [
    [4, 4],
    [3, 3, 2],
  ],
  9: [
    [3, 3, 3],
    [4, 5],
  ],
  10: [
    [3, 3, 4],
    [4, 3, 3],
    [5, 5],
    [2, 4, 4],
  ],
  11: [
    [4, 3, 4],
    [5, 6],
    [3, 4, 4],
    [2, 3, 3, 3],
  ],
};

/** A random length from {@link TRAIN_STRING_LENGTH_WEIGHTS}. */
function trainStringLength(random: Random): number {
  const total = TRAIN_STRING_LENGTH_WEIGHTS.reduce((a, b) => a + b, 0);
  let r = random.next() * total;
  for (let i = 0; i < TRAIN_STRING_LENGTH_WEIGHTS.length; i++) {
    r -= TRAIN_STRING_LENGTH_WEIGHTS[i];
    if (r < 0) return i + 1;
  }
  return TRAIN_STRING_LENGTH_WEIGHTS.length;
}

/**
 * Plans the training digit strings (for the CTC string model): every training speaker of every
 * engine says {@link TRAIN_STRINGS_PER_SPEAKER} strings of 1–11 digits
 * ({@link TRAIN_STRING_LENGTH_WEIGHTS}) as one utterance, into train/strings. Digits are random,
 * with runs of a repeated digit ("five five five") more often than chance; zero is "oh" a
 * quarter of the time; 70 % of phone numbers (10–11 digits) and 20 % of other strings of 4 or
 * more are said in comma-separated groups ("zero eight zero zero, five five five, one two three
 * four."), which makes every engine pause a little. The rate varies per string: espeak-ng
 * 140–230 words per minute with pitch 15–85; Pico and RHVoice the speaker's style rate ± 15 %
 * (their `<speed level>` / `-r`, as for every other take) with pitch ± 6 %. Digit −1, the digit
 * sequence in `digits`. Held-out speakers get none. Deterministic from the seed, from its own
 * random sequence (the earlier plans are unchanged).
 */
export function planTrainStrings(outDir: string, seed: number, perSpeaker: Readonly<Record<SynthEngine, number>> = TRAIN_STRINGS_PER_SPEAKER): SynthEntry[] {
  const random = new Random(seed + 4);
  const entries: SynthEntry[] = [];
  for (const speaker of synthSpeakers().filter((s) => !s.heldOut)) {
    for (let take = 0; take < perSpeaker[speaker.engine]; take++) {
      const length = trainStringLength(random);
      const digits: number[] = [];
      for (let i = 0; i < length; i++) digits.push(i > 0 && random.next() < 0.15 ? digits[i - 1] : random.int(10));
      const words = digits.map((d) => DIGIT_WORDS[d][random.next() < 0.25 ? DIGIT_WORDS[d].length - 1 : 0]);
      const groupings = GROUPINGS[length];
      const grouped = groupings !== undefined && random.next() < (length >= 10 ? 0.7 : 0.2);
      let text = words.join(' ');
      if (grouped) {
        const sizes = groupings[random.int(groupings.length)];
        const groups: string[] = [];
        let at = 0;
        for (const size of sizes) groups.push(words.slice(at, (at += size)).join(' '));
        text = groups.join(', ');
      }
      const end = random.next();
      text += end < 0.8 ? '.' : end < 0.9 ? '?' : '';
      const prosody =
        speaker.engine === 'espeak'
          ? { pitch: Math.round(random.uniform(15, 85)), speed: Math.round(random.uniform(140, 230)), amplitude: Math.round(random.uniform(60, 180)) }
          : ttsProsody(speaker, random, 0.15);
      entries.push({
        path: join(outDir, 'train/strings', `string_${digits.join('')}_${speaker.id}_${take}.wav`),
        digit: -1,
        text,
        speaker: speaker.id,
        gender: speaker.gender,
        heldOut: false,
        ...prosody,
        engine: speaker.engine,
        kind: 'string',
        digits: digits.join(''),
      });
    }
  }
  return entries;
}

/** Extra sentences per training speaker ({@link planExtraSentences}). */
export const EXTRA_SENTENCES_PER_SPEAKER = { espeak: 3, tts: 6 } as const;

/**
 * Plans the extra training sentences: every training speaker reads
 * {@link EXTRA_SENTENCES_PER_SPEAKER} of EXTRA_TRAIN_SENTENCES into train/other, named
 * `sentence_x{index}_{speaker}_{take}.wav`, in a shuffled cycle. Deterministic from the seed.
 */
export function planExtraSentences(outDir: string, seed: number, perSpeaker = EXTRA_SENTENCES_PER_SPEAKER): SynthEntry[] {
  const random = new Random(seed + 5);
  let queue: string[] = [];
  const entries: SynthEntry[] = [];
  for (const speaker of synthSpeakers().filter((s) => !s.heldOut)) {
    const espeak = speaker.engine === 'espeak';
    for (let take = 0; take < (espeak ? perSpeaker.espeak : perSpeaker.tts); take++) {
      if (queue.length === 0) queue = random.shuffle([...EXTRA_TRAIN_SENTENCES]);
      const text = queue.pop()!;
      const prosody = espeak
        ? { pitch: Math.round(random.uniform(15, 85)), speed: Math.round(random.uniform(130, 195)), amplitude: Math.round(random.uniform(60, 180)) }
        : ttsProsody(speaker, random, 0.08);
      entries.push({
        path: join(outDir, 'train/other', `sentence_x${EXTRA_TRAIN_SENTENCES.indexOf(text)}_${speaker.id}_${take}.wav`),
        digit: -1,
        text,
        speaker: speaker.id,
        gender: speaker.gender,
        heldOut: false,
        ...prosody,
        engine: speaker.engine,
        kind: 'sentence',
      });
    }
  }
  return entries;
}

/**
 * The whole plan of `npm run synth`: words, then sentences, then held-out strings, then training
 * strings, then extra training sentences (new kinds only append, so every earlier entry keeps its
 * place, name and settings).
 */
export function planAll(outDir: string, options: { takes: number; ttsTakes: number; other: number; seed: number }): SynthEntry[] {
  return [
    ...planSynth(outDir, options.takes, options.other, options.seed, { takes: options.ttsTakes, heldOutTakes: HELD_OUT_TTS_TAKES }),
    ...planSentences(outDir, options.seed),
    ...planStrings(outDir, options.seed),
    ...planTrainStrings(outDir, options.seed),
    ...planExtraSentences(outDir, options.seed),
  ];
}

/** Runs a program with `input` on its standard input. */
function runWithInput(program: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an ExecFileException is an Error; the rule does not see through its Omit<> type
    const child = execFile(program, args, (error) => (error ? reject(error) : resolve()));
    child.stdin?.end(input);
  });
}

/**
 * The span of a signal that holds speech: from the first to the last 10 ms frame whose RMS is
 * within 20 dB of the loudest frame's.
 *
 * @returns start and end in seconds
 */
export function speechExtent(samples: Float32Array, sampleRate: number): { start: number; end: number } {
  const frame = Math.max(1, Math.round(sampleRate / 100));
  const levels: number[] = [];
  for (let i = 0; i + frame <= samples.length; i += frame) {
    let sum = 0;
    for (let j = i; j < i + frame; j++) sum += samples[j] * samples[j];
    levels.push(Math.sqrt(sum / frame));
  }
  const threshold = 0.1 * Math.max(0, ...levels);
  const first = levels.findIndex((v) => v > threshold);
  if (first < 0) return { start: 0, end: samples.length / sampleRate };
  let last = levels.length - 1;
  while (levels[last] <= threshold) last--;
  return { start: (first * frame) / sampleRate, end: ((last + 1) * frame) / sampleRate };
}

const speakersById = new Map(synthSpeakers().map((s) => [s.id, s]));

/**
 * Synthesizes one planned file: espeak-ng (22.05 kHz), pico2wave (16 kHz) or RHVoice-test
 * (24 kHz), 16-bit mono WAV. Pico's prosody goes through its text markup (`<pitch level>`,
 * `<speed level>`, `<volume level>`, measured to scale F0, tempo and level); RHVoice's through
 * `-t`, `-r`, `-v`, and a word's inflection through SoX `bend` ({@link RHVOICE_INFLECTION_CENTS}).
 *
 * @param speaker defaults to the planned speaker of that id (voices.ts)
 */
export async function synthesize(entry: SynthEntry, speaker: SynthSpeaker | undefined = speakersById.get(entry.speaker)): Promise<void> {
  if (!speaker) throw new Error(`${entry.path}: unknown synthetic speaker ${entry.speaker}`);
  if (entry.engine === 'espeak') {
    await run('espeak-ng', ['-v', speaker.voice, '-p', String(entry.pitch), '-s', String(entry.speed), '-a', String(entry.amplitude), '-w', entry.path, entry.text]);
  } else if (entry.engine === 'pico') {
    const text = entry.text.replace(/[<>&]/g, ' ');
    const markup = `<pitch level='${entry.pitch}'><speed level='${entry.speed}'><volume level='${entry.amplitude}'>${text}</volume></speed></pitch>`;
    await run('pico2wave', ['-l', speaker.voice, '-w', entry.path, markup]);
  } else {
    const args = ['-p', speaker.voice, '-t', String(entry.pitch), '-r', String(entry.speed), '-v', String(entry.amplitude)];
    const cents = entry.kind === 'word' ? RHVOICE_INFLECTION_CENTS[entry.text.slice(-1)] : undefined;
    if (cents === undefined) {
      await runWithInput('RHVoice-test', [...args, '-o', entry.path], entry.text);
      return;
    }
    const raw = `${entry.path}.rhvoice.tmp`;
    try {
      await runWithInput('RHVoice-test', [...args, '-o', raw], entry.text);
      const audio = decodeWav(new Uint8Array(readFileSync(raw)), raw);
      const { start, end } = speechExtent(audio.samples, audio.sampleRate);
      const bend = `${(start + 0.45 * (end - start)).toFixed(3)},${cents},${(0.45 * (end - start)).toFixed(3)}`;
      // bend overshoots (measured: peaks of 0.9 go past full scale): 3 dB of headroom before it,
      // the 3 dB back after it through SoX's limiter, so no sample clips and the level stays.
      await run('sox', ['-t', 'wav', raw, `${entry.path}.tmp.wav`, 'gain', '-3', 'bend', bend, 'gain', '-l', '3']);
      renameSync(`${entry.path}.tmp.wav`, entry.path);
    } finally {
      rmSync(raw, { force: true });
      rmSync(`${entry.path}.tmp.wav`, { force: true });
    }
  }
}

/**
 * Which engines can run here. espeak-ng is required; Pico needs pico2wave, RHVoice needs
 * RHVoice-test and SoX (its inflections).
 *
 * @returns the engines found, and for each one missing a warning naming the Debian package(s)
 */
export async function availableEngines(): Promise<{ engines: Set<SynthEngine>; warnings: string[] }> {
  const found = async (program: string, args: string[]) => {
    try {
      await run(program, args);
      return true;
    } catch (error) {
      // Not found (ENOENT) is missing; a program that ran and exited non-zero is there.
      return (error as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  };
  const engines = new Set<SynthEngine>();
  const warnings: string[] = [];
  if (await found('espeak-ng', ['--version'])) engines.add('espeak');
  else warnings.push('espeak-ng is not installed (Debian: apt-get install espeak-ng)');
  if (await found('pico2wave', ['--usage'])) engines.add('pico');
  else warnings.push('pico2wave is not installed: no SVOX Pico voices (Debian: apt-get install libttspico-utils, from contrib/non-free — see README)');
  const rhvoice = await found('RHVoice-test', ['--version']);
  const sox = await found('sox', ['--version']);
  if (rhvoice && sox) engines.add('rhvoice');
  else warnings.push(`${rhvoice ? 'sox' : 'RHVoice-test'} is not installed: no RHVoice voices (Debian: apt-get install ${rhvoice ? 'sox' : 'rhvoice rhvoice-english'})`);
  return { engines, warnings };
}

/**
 * Synthesizes every planned file that is not there yet (4 processes at a time) with the given
 * engines, and writes `outDir/manifest.json` listing the planned files that exist (also those of
 * an engine missing now but made by an earlier run).
 *
 * @returns the entries written to the manifest and the files that failed (path: reason)
 */
export async function writeSynth(
  outDir: string,
  entries: SynthEntry[],
  onProgress: (done: number) => void = () => {},
  engines: ReadonlySet<SynthEngine> = new Set(SYNTH_ENGINES),
): Promise<{ written: SynthEntry[]; failed: string[] }> {
  for (const dir of new Set(entries.map((e) => join(e.path, '..')))) mkdirSync(dir, { recursive: true });
  const todo = entries.filter((e) => engines.has(e.engine) && !existsSync(e.path));
  let done = 0;
  const failed: string[] = [];
  const worker = async () => {
    for (let entry = todo.pop(); entry; entry = todo.pop()) {
      try {
        await synthesize(entry);
      } catch (error) {
        failed.push(`${entry.path}: ${(error as Error).message}`);
      }
      onProgress(++done);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  const written = entries.filter((e) => existsSync(e.path));
  // Paths in the manifest are relative to its folder, so the cache can be read from anywhere.
  const manifest = written.map((e) => ({ ...e, path: relative(outDir, e.path) }));
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return { written, failed };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: DEFAULT_SYNTH_DIR },
      takes: { type: 'string', default: '2' },
      'tts-takes': { type: 'string', default: '6' },
      other: { type: 'string', default: '12' },
      seed: { type: 'string', default: '2024' },
    },
  });
  const { engines, warnings } = await availableEngines();
  if (!engines.has('espeak')) throw new Error(warnings[0]);
  for (const w of warnings) console.warn(`warning: ${w}; generating the rest`);
  const outDir = values.out;
  const entries = planAll(outDir, { takes: Number(values.takes), ttsTakes: Number(values['tts-takes']), other: Number(values.other), seed: Number(values.seed) });
  const started = performance.now();
  const { written: ok, failed } = await writeSynth(
    outDir,
    entries,
    (done) => {
      if (done % 1000 === 0) console.log(`${done} files, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    },
    engines,
  );
  console.log(`${ok.length} files in ${outDir} (${((performance.now() - started) / 1000).toFixed(0)} s):`);
  for (const engine of SYNTH_ENGINES) {
    const mine = ok.filter((e) => e.engine === engine);
    const count = (f: (e: SynthEntry) => boolean) => mine.filter(f).length;
    console.log(
      `  ${engine}: train ${count((e) => !e.heldOut && e.digit >= 0)} digits + ${count((e) => !e.heldOut && e.kind === 'word' && e.digit < 0)} other words + ${count((e) => !e.heldOut && e.kind === 'sentence')} sentences + ${count((e) => !e.heldOut && e.kind === 'string')} digit strings; ` +
        `held out ${count((e) => e.heldOut && e.digit >= 0 && e.gender === 'female')} female + ${count((e) => e.heldOut && e.digit >= 0 && e.gender === 'male')} male digits + ${count((e) => e.heldOut && e.kind === 'word' && e.digit < 0)} other words + ${count((e) => e.heldOut && e.kind === 'sentence')} sentences + ${count((e) => e.heldOut && e.kind === 'string')} digit strings`,
    );
  }
  for (const f of failed) console.warn(`failed: ${f}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
