import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../src/audio/wav';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { nonSpeechSound } from '../training/nonspeech';
import { Random } from '../src/audio/random';
import {
  planAll,
  planExtraSentences,
  planSentences,
  planStrings,
  planSynth,
  planTrainStrings,
  synthesize,
  TRAIN_STRINGS_PER_SPEAKER,
  type SynthEntry,
} from '../training/synth/generate';
import { readSynthManifest, readSynthTrainStrings } from '../training/synth/load';
import { DIGIT_SOUNDING_WORDS, EXTRA_TRAIN_SENTENCES, HELD_OUT_SENTENCES, SENTENCES, soundsLikeDigit, TRAIN_SENTENCES } from '../training/synth/sentences';
import { HELD_OUT_VARIANTS, synthSpeakers } from '../training/synth/voices';
import { DIGIT_WORDS, NEAR_MISS_HOMOPHONES } from '../training/synth/words';

const dir = mkdtempSync(join(tmpdir(), 'digit-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Utterance windows the product's gate finds in a synthesized file. */
async function utterances(entry: SynthEntry, name: string, sampleRate: number): Promise<number> {
  const path = join(dir, name);
  await synthesize({ ...entry, path });
  const audio = decodeWav(new Uint8Array(readFileSync(path)), path);
  expect(audio.sampleRate).toBe(sampleRate);
  const pipeline = new StreamingPipeline(audio.sampleRate);
  return [...pipeline.push(audio.samples).windows, ...pipeline.flush().windows].length;
}

describe('synthetic speakers (espeak-ng)', () => {
  const plan = planSynth(dir, 2, 6, 2024);
  const espeak = plan.filter((e) => e.engine === 'espeak');

  it('plans every accent × variant, both genders held out, deterministically', () => {
    const speakers = synthSpeakers().filter((s) => s.engine === 'espeak');
    expect(new Set(synthSpeakers().map((s) => s.id)).size).toBe(synthSpeakers().length);
    expect(espeak.filter((e) => e.digit >= 0)).toHaveLength(speakers.length * 10 * 2);
    const heldOut = speakers.filter((s) => s.heldOut);
    expect(heldOut.some((s) => s.gender === 'female') && heldOut.some((s) => s.gender === 'male')).toBe(true);
    expect(planSynth(dir, 2, 6, 2024)).toEqual(plan);
    // Inflections and prosody vary.
    expect(new Set(espeak.map((e) => e.text.slice(-1))).size).toBeGreaterThanOrEqual(4);
    expect(new Set(espeak.map((e) => e.pitch)).size).toBeGreaterThan(30);
  });

  it('keeps the espeak-ng plan that existing caches hold: the same names and prosody, first in the plan', () => {
    // The plan before Pico, RHVoice, sentences and strings were added (seed 2024, 2 takes, 12 other).
    const all = planAll(dir, { takes: 2, ttsTakes: 6, other: 12, seed: 2024 });
    expect(all[0]).toMatchObject({ path: join(dir, 'train/digits/0_enf1_0.wav'), text: 'zero?', pitch: 61, speed: 185, amplitude: 122, engine: 'espeak', kind: 'word' });
    const lastEspeak = all.filter((e) => e.engine === 'espeak' && e.kind === 'word').at(-1)!;
    expect(lastEspeak).toMatchObject({ path: join(dir, 'train/other/other_day_enusnycwhisper_11.wav'), text: 'day!', pitch: 42, speed: 150, amplitude: 137 });
    expect(all.findIndex((e) => e.engine !== 'espeak' || e.kind !== 'word')).toBe(all.indexOf(lastEspeak) + 1);
  });

  it('keeps held-out voices out of the training folders and homophones out of training', () => {
    for (const e of espeak) {
      const variant = synthSpeakers().find((s) => s.id === e.speaker)!.variant;
      expect(e.path.includes('/train/')).toBe(!HELD_OUT_VARIANTS.has(variant));
      if (e.path.includes('/train/')) expect(NEAR_MISS_HOMOPHONES.some((w) => e.text.replace(/[.?!]$/, '') === w)).toBe(false);
    }
  });

  it('synthesizes a digit the gate finds as one utterance', async () => {
    const entry = espeak.find((e) => e.digit === 7 && e.gender === 'female' && e.heldOut)!;
    expect(await utterances(entry, 'seven.wav', 22050)).toBe(1);
  });
});

describe('synthetic speakers (SVOX Pico, RHVoice)', () => {
  const all = planAll(dir, { takes: 2, ttsTakes: 6, other: 12, seed: 2024 });
  const tts = all.filter((e) => e.engine !== 'espeak');

  it('holds out whole voices: Pico en-GB (female) and RHVoice bdl (male); trains on Pico en-US, RHVoice alan, clb and slt', () => {
    const speakers = synthSpeakers().filter((s) => s.engine !== 'espeak');
    const heldOut = new Set(speakers.filter((s) => s.heldOut).map((s) => `${s.engine}:${s.voice}:${s.gender}`));
    expect([...heldOut].sort()).toEqual(['pico:en-GB:female', 'rhvoice:bdl:male']);
    expect(new Set(speakers.filter((s) => !s.heldOut).map((s) => `${s.engine}:${s.voice}`))).toEqual(new Set(['pico:en-US', 'rhvoice:alan', 'rhvoice:clb', 'rhvoice:slt']));
    // Only the freely licensed RHVoice voices.
    expect(new Set(speakers.filter((s) => s.engine === 'rhvoice').map((s) => s.voice))).toEqual(new Set(['alan', 'bdl', 'clb', 'slt']));
    // Several speakers (pitch × rate styles) per voice, each with its own settings.
    for (const voice of ['en-US', 'en-GB', 'alan', 'bdl', 'clb', 'slt']) {
      const styles = speakers.filter((s) => s.voice === voice).map((s) => `${s.style!.pitch}/${s.style!.rate}`);
      expect(new Set(styles).size).toBe(styles.length);
      expect(styles.length).toBeGreaterThanOrEqual(6);
    }
    for (const e of tts) {
      const speaker = speakers.find((s) => s.id === e.speaker)!;
      expect(e.heldOut).toBe(speaker.heldOut);
      expect(e.path.includes('/train/')).toBe(!speaker.heldOut);
    }
    // Training speakers get enough takes of every digit.
    for (const digit of [0, 9]) expect(tts.filter((e) => e.speaker === 'picous0' && e.digit === digit)).toHaveLength(6);
    // Prosody varies within a speaker.
    expect(new Set(tts.filter((e) => e.speaker === 'rhclb3').map((e) => e.amplitude)).size).toBeGreaterThan(20);
  });

  it('synthesizes a Pico digit (16 kHz) and an RHVoice digit with an inflection (24 kHz) the gate finds as one utterance each', async () => {
    const pico = tts.find((e) => e.engine === 'pico' && e.heldOut && e.digit === 3)!;
    expect(await utterances(pico, 'pico-three.wav', 16000)).toBe(1);
    const rhvoice = tts.find((e) => e.engine === 'rhvoice' && e.heldOut && e.digit === 6 && e.text.endsWith('?'))!;
    expect(await utterances(rhvoice, 'rhvoice-six.wav', 24000)).toBe(1);
    const plain = tts.find((e) => e.engine === 'rhvoice' && !e.heldOut && e.kind === 'word' && /[a-z]$/.test(e.text))!;
    expect(await utterances(plain, 'rhvoice-plain.wav', 24000)).toBe(1);
  }, 30_000);

  it('reads a sentence and a digit string with every engine, the gate finding speech in each', async () => {
    for (const engine of ['espeak', 'pico', 'rhvoice'] as const) {
      const sentence = all.find((e) => e.engine === engine && e.kind === 'sentence' && e.heldOut)!;
      expect(await utterances(sentence, `${engine}-sentence.wav`, { espeak: 22050, pico: 16000, rhvoice: 24000 }[engine])).toBeGreaterThan(0);
      const string = all.find((e) => e.engine === engine && e.kind === 'string')!;
      expect(await utterances(string, `${engine}-string.wav`, { espeak: 22050, pico: 16000, rhvoice: 24000 }[engine])).toBeGreaterThan(0);
    }
  }, 30_000);
});

describe('running speech without digits, and digit strings', () => {
  const sentences = planSentences(dir, 2024);
  const strings = planStrings(dir, 2024);

  it('has ~80 sentences of 5–15 words, none with a digit word, a homophone of one, or a word built on one', () => {
    expect(SENTENCES.length).toBeGreaterThanOrEqual(75);
    expect(new Set([...SENTENCES, ...EXTRA_TRAIN_SENTENCES]).size).toBe(SENTENCES.length + EXTRA_TRAIN_SENTENCES.length);
    for (const sentence of [...SENTENCES, ...EXTRA_TRAIN_SENTENCES]) {
      const words = sentence.split(/\s+/);
      expect(words.length, sentence).toBeGreaterThanOrEqual(5);
      expect(words.length, sentence).toBeLessThanOrEqual(15);
      expect(words.filter(soundsLikeDigit), sentence).toEqual([]);
    }
    // The check itself catches digit words, homophones and compounds, and lets other number words through.
    for (const w of [
      ...DIGIT_SOUNDING_WORDS,
      ...DIGIT_WORDS.flat(),
      'Won',
      'ATE,',
      'someone',
      'anyone',
      'fourteen',
      'sixty',
      'ninety',
      'eighteen',
      'today',
      'into',
      'before',
      'forget',
      "won't",
      'twenty-one',
      'wonderful',
    ]) {
      expect(soundsLikeDigit(w), w).toBe(true);
    }
    for (const w of ['ten', 'twenty', 'hundred', 'eleven', 'town', 'tea', 'late', 'fine', 'wheel']) expect(soundsLikeDigit(w), w).toBe(false);
  });

  it('every voice reads sentences: training voices as non-digits in train/other, held-out voices only the held-out sentences', () => {
    for (const speaker of synthSpeakers())
      expect(
        sentences.some((e) => e.speaker === speaker.id),
        speaker.id,
      ).toBe(true);
    for (const e of sentences) {
      expect(e).toMatchObject({ digit: -1, kind: 'sentence' });
      expect(e.path.includes(e.heldOut ? '/heldout/sentences/' : '/train/other/')).toBe(true);
      expect((e.heldOut ? HELD_OUT_SENTENCES : TRAIN_SENTENCES).includes(e.text)).toBe(true);
    }
    // The extra training sentences: training voices only, in train/other, never a held-out sentence.
    const extra = planExtraSentences(dir, 2024);
    expect(extra.length).toBe(
      synthSpeakers()
        .filter((s) => !s.heldOut)
        .reduce((n, s) => n + (s.engine === 'espeak' ? 3 : 6), 0),
    );
    for (const e of extra) {
      expect(e).toMatchObject({ digit: -1, kind: 'sentence', heldOut: false });
      expect(e.path).toMatch(/\/train\/other\/sentence_x\d+_/);
      expect(EXTRA_TRAIN_SENTENCES.includes(e.text)).toBe(true);
    }
    const heldOut = sentences.filter((e) => e.heldOut);
    // ≥ 10 minutes: at ≈ 3 s a sentence, 200 sentences or more.
    expect(heldOut.length).toBeGreaterThanOrEqual(200);
    expect(new Set(heldOut.map((e) => e.text)).size).toBe(HELD_OUT_SENTENCES.length);
  });

  it('plans ~300 digit strings of 3–11 digits, held-out voices only, the digits in the manifest', () => {
    expect(strings.length).toBeGreaterThanOrEqual(280);
    expect(strings.length).toBeLessThanOrEqual(320);
    const heldOutIds = new Set(
      synthSpeakers()
        .filter((s) => s.heldOut)
        .map((s) => s.id),
    );
    for (const e of strings) {
      expect(e).toMatchObject({ digit: -1, kind: 'string', heldOut: true });
      expect(heldOutIds.has(e.speaker)).toBe(true);
      expect(e.path).toContain('/heldout/strings/');
      expect(e.digits).toMatch(/^\d{3,11}$/);
      // The text says the digits in order, as words.
      const said = e.text
        .replace(/\.$/, '')
        .split(' ')
        .map((w) => DIGIT_WORDS.findIndex((words) => words.includes(w)));
      expect(said.join('')).toBe(e.digits);
    }
    expect(new Set(strings.map((e) => e.digits!.length)).size).toBe(9);
    expect(new Set(strings.map((e) => e.engine))).toEqual(new Set(['espeak', 'pico', 'rhvoice']));
  });
});

describe('training digit strings (for the string model)', () => {
  const trainStrings = planTrainStrings(dir, 2024);
  /** The digits a string's text says, in order (commas and final punctuation dropped). */
  const said = (text: string) =>
    text
      .replace(/[.?!]$/, '')
      .split(/,? /)
      .map((w) => DIGIT_WORDS.findIndex((words) => words.includes(w)))
      .join('');

  it('gives every training voice of every engine strings, held-out voices none, Pico and RHVoice more per voice', () => {
    expect(trainStrings.length).toBeGreaterThanOrEqual(3000);
    expect(trainStrings.length).toBeLessThanOrEqual(4000);
    for (const speaker of synthSpeakers()) {
      const mine = trainStrings.filter((e) => e.speaker === speaker.id);
      expect(mine, speaker.id).toHaveLength(speaker.heldOut ? 0 : TRAIN_STRINGS_PER_SPEAKER[speaker.engine]);
    }
    for (const e of trainStrings) {
      expect(e).toMatchObject({ digit: -1, kind: 'string', heldOut: false });
      expect(e.path).toBe(join(dir, 'train/strings', `string_${e.digits}_${e.speaker}_${e.path.split('_').at(-1)}`));
      expect(said(e.text), e.text).toBe(e.digits);
    }
    expect(new Set(trainStrings.map((e) => e.path)).size).toBe(trainStrings.length);
    // Every engine well represented: at least 500 strings each, and ≥ 300 per Pico/RHVoice voice.
    const byEngine = (engine: string) => trainStrings.filter((e) => e.engine === engine).length;
    for (const engine of ['espeak', 'pico', 'rhvoice']) expect(byEngine(engine), engine).toBeGreaterThanOrEqual(500);
    for (const voice of ['en-US', 'alan', 'clb']) {
      const ids = new Set(
        synthSpeakers()
          .filter((s) => s.voice === voice)
          .map((s) => s.id),
      );
      expect(trainStrings.filter((e) => ids.has(e.speaker)).length, voice).toBeGreaterThanOrEqual(300);
    }
  });

  it('has lengths 1–11, mostly 3–7, with phone numbers (10–11), often in comma-separated groups', () => {
    const lengths = trainStrings.map((e) => e.digits!.length);
    expect(new Set(lengths)).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    const share = (f: (n: number) => boolean) => lengths.filter(f).length / lengths.length;
    expect(share((n) => n <= 2)).toBeGreaterThan(0.1);
    expect(share((n) => n <= 2)).toBeLessThan(0.2);
    expect(share((n) => n >= 3 && n <= 7)).toBeGreaterThan(0.5);
    expect(share((n) => n >= 10)).toBeGreaterThan(0.15);
    expect(share((n) => n >= 10)).toBeLessThan(0.25);
    const phone = trainStrings.filter((e) => e.digits!.length >= 10);
    const grouped = phone.filter((e) => e.text.includes(', '));
    expect(grouped.length / phone.length).toBeGreaterThan(0.5);
    expect(grouped.some((e) => e.engine === 'pico') && grouped.some((e) => e.engine === 'rhvoice')).toBe(true);
    // Groups are of 2–6 digits; short strings are said in one run.
    for (const e of grouped) for (const group of e.text.replace(/[.?!]$/, '').split(', ')) expect(group.split(' ').length).toBeGreaterThanOrEqual(2);
    expect(trainStrings.filter((e) => e.digits!.length < 4).every((e) => !e.text.includes(','))).toBe(true);
  });

  it('says zero as "zero" or "oh", repeats digits ("five five five"), and varies the rate per string', () => {
    const zeros = trainStrings.flatMap((e) =>
      e.text
        .replace(/[.,?!]/g, '')
        .split(' ')
        .filter((w) => w === 'zero' || w === 'oh'),
    );
    expect(zeros.filter((w) => w === 'oh').length / zeros.length).toBeGreaterThan(0.15);
    expect(zeros.filter((w) => w === 'oh').length / zeros.length).toBeLessThan(0.35);
    expect(trainStrings.filter((e) => /(\d)\1\1/.test(e.digits!)).length).toBeGreaterThan(100);
    const speeds = (engine: string) => trainStrings.filter((e) => e.engine === engine).map((e) => e.speed);
    // espeak-ng: ≈ 140–230 words per minute; Pico/RHVoice: their style rates (80–122 %) ± 15 %.
    expect(Math.min(...speeds('espeak'))).toBeLessThan(145);
    expect(Math.max(...speeds('espeak'))).toBeGreaterThan(225);
    for (const engine of ['pico', 'rhvoice']) {
      expect(Math.min(...speeds(engine)), engine).toBeLessThan(75);
      expect(Math.max(...speeds(engine)), engine).toBeGreaterThan(130);
    }
    expect(new Set(trainStrings.filter((e) => e.speaker === 'rhalan3').map((e) => e.speed)).size).toBeGreaterThan(15);
    expect(new Set(trainStrings.filter((e) => e.engine === 'espeak').map((e) => e.pitch)).size).toBeGreaterThan(60);
  });

  it('is deterministic and appends to the plan: every earlier entry (words, sentences, held-out strings) unchanged', () => {
    expect(planTrainStrings(dir, 2024)).toEqual(trainStrings);
    expect(planTrainStrings(dir, 7)).not.toEqual(trainStrings);
    const all = planAll(dir, { takes: 2, ttsTakes: 6, other: 12, seed: 2024 });
    // The 14,320 entries of the plan before training strings, the RHVoice slt voice and the extra
    // sentences were added (hash of that plan): without slt, unchanged, so no file is made anew.
    const withoutSlt = all.filter((e) => !e.speaker.startsWith('rhslt'));
    const before = withoutSlt.slice(0, 14320).map((e) => ({ ...e, path: relative(dir, e.path) }));
    expect(createHash('sha256').update(JSON.stringify(before)).digest('hex')).toBe('bfd8832359d094879e841ad7d26be7870fcd49a9557e139caed6daf7fee759cf');
    const extra = planExtraSentences(dir, 2024);
    expect(all.slice(all.length - extra.length)).toEqual(extra);
    expect(all.slice(all.length - extra.length - trainStrings.length, all.length - extra.length)).toEqual(trainStrings);
    expect(all.filter((e) => e.kind === 'string' && e.heldOut)).toEqual(planStrings(dir, 2024));
  });

  it("keeps training strings out of the word trainer's manifest and returns them with their digits apart", () => {
    const synth = join(dir, 'manifest-load');
    mkdirSync(synth, { recursive: true });
    const all = planAll('', { takes: 2, ttsTakes: 6, other: 12, seed: 2024 });
    writeFileSync(join(synth, 'manifest.json'), JSON.stringify(all));
    const entries = readSynthManifest(synth);
    expect(entries).toHaveLength(all.length - trainStrings.length);
    expect(entries.some((e) => e.kind === 'string' && !e.heldOut)).toBe(false);
    expect(entries.filter((e) => e.kind === 'string')).toHaveLength(planStrings('', 2024).length);
    const strings = readSynthTrainStrings(synth);
    expect(strings).toHaveLength(trainStrings.length);
    expect(strings[0]).toEqual({
      path: join(synth, trainStrings[0].path.slice(dir.length + 1)),
      digits: trainStrings[0].digits,
      text: trainStrings[0].text,
      speaker: trainStrings[0].speaker,
      engine: 'espeak',
    });
    expect(new Set(strings.map((s) => s.engine))).toEqual(new Set(['espeak', 'pico', 'rhvoice']));
    // A string of a held-out voice not marked held out is refused.
    const leak = { ...planStrings('', 2024)[0], heldOut: false, path: 'train/strings/x.wav' };
    writeFileSync(join(synth, 'manifest.json'), JSON.stringify([leak]));
    expect(() => readSynthTrainStrings(synth)).toThrow(/not held out/);
    expect(() => readSynthManifest(synth)).toThrow(/not held out/);
  });

  it('synthesizes a phone number in groups with every engine at a plausible length (≈ 0.25–0.5 s a digit)', async () => {
    for (const engine of ['espeak', 'pico', 'rhvoice'] as const) {
      const entry = trainStrings.find(
        (e) =>
          e.engine === engine && e.digits!.length === 11 && e.text.includes(', ') && e.speed >= (engine === 'espeak' ? 160 : 90) && e.speed <= (engine === 'espeak' ? 200 : 115),
      )!;
      const path = join(dir, `${engine}-phone.wav`);
      await synthesize({ ...entry, path });
      const audio = decodeWav(new Uint8Array(readFileSync(path)), path);
      const seconds = audio.samples.length / audio.sampleRate;
      expect(seconds, `${engine}: ${entry.text}`).toBeGreaterThan(2.5);
      expect(seconds, `${engine}: ${entry.text}`).toBeLessThan(6);
    }
  }, 30_000);
});

describe('non-speech sounds for the rejection class', () => {
  it('are finite, bounded and mostly found by the gate (clicks may be too short)', () => {
    const random = new Random(5);
    let found = 0;
    for (let i = 0; i < 40; i++) {
      const sound = nonSpeechSound(16000, random);
      expect(sound.every((v) => Number.isFinite(v) && Math.abs(v) <= 0.5001)).toBe(true);
      const pipeline = new StreamingPipeline(16000);
      if ([...pipeline.push(sound).windows, ...pipeline.flush().windows].length > 0) found++;
    }
    expect(found).toBeGreaterThan(20);
  });
});
