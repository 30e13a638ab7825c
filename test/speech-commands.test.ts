import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../src/audio/wav';
import { readFileSync } from 'node:fs';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { augmentClip, DEFAULT_AUGMENT_CONFIG } from '../training/augment';
import { gluePhrase } from '../training/phrases';
import { Random } from '../src/audio/random';
import { listSpeechCommands, speakerHashPercent, speakerSplit } from '../training/speech-commands';
import { speechCommandsSets } from '../training/eval/speech-commands-sets';

const SC_DIR = resolve(import.meta.dirname, '../../shared/datasets/speech-commands');
const tmp = mkdtempSync(join(tmpdir(), 'digit-sc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const load = (path: string) => {
  const a = decodeWav(new Uint8Array(readFileSync(path)), path);
  return { samples: a.samples, sampleRate: a.sampleRate };
};

describe('Speech Commands reader', () => {
  const clips = listSpeechCommands(SC_DIR);

  it('reads the standard layout: digit words as digits, other words as non-digits, _silence_ as noise', () => {
    const words = clips.filter((c) => c.kind === 'word');
    expect(words.filter((c) => c.digit >= 0)).toHaveLength(231);
    expect(words.filter((c) => c.digit < 0).length).toBeGreaterThan(4000);
    expect(clips.filter((c) => c.kind === 'noise')).toHaveLength(408);
    const seven = words.find((c) => c.word === 'seven')!;
    expect(seven.digit).toBe(7);
    expect(seven.speaker).toMatch(/^[0-9a-f]{8}$/);
    expect(words.find((c) => c.word === 'left')!.digit).toBe(-1);
  });

  it('splits by speaker: no speaker is in two splits, and about half the speakers are held out', () => {
    const splitOf = new Map<string, string>();
    for (const c of clips.filter((c) => c.kind === 'word')) {
      expect(splitOf.get(c.speaker) ?? c.split).toBe(c.split);
      splitOf.set(c.speaker, c.split);
    }
    const count = (s: string) => [...splitOf.values()].filter((v) => v === s).length;
    expect(count('test') / splitOf.size).toBeGreaterThan(0.3);
    expect(count('train') / splitOf.size).toBeGreaterThan(0.4);
    expect(clips.filter((c) => c.split === 'test' && c.digit >= 0).length).toBeGreaterThanOrEqual(80);
  });

  it("uses the dataset's own hash rule, which is why the test set needs a salt to be split again", () => {
    // Every speaker of the official test set has the dataset's hash in its testing range, 10–20 %.
    const speakers = [...new Set(clips.filter((c) => c.kind === 'word').map((c) => c.speaker))];
    expect(speakers.every((s) => speakerHashPercent(s) >= 10 && speakerHashPercent(s) < 20)).toBe(true);
    expect(speakerSplit(speakers[0])).toBe(clips.find((c) => c.speaker === speakers[0])!.split);
  });

  it('honours validation_list.txt / testing_list.txt when the dataset has them', () => {
    const dir = join(tmp, 'listed');
    const pick = clips.filter((c) => c.kind === 'word' && (c.word === 'seven' || c.word === 'yes')).slice(0, 6);
    for (const c of pick) {
      mkdirSync(join(dir, c.word), { recursive: true });
      symlinkSync(c.path, join(dir, c.word, c.path.split('/').pop()!));
    }
    const rel = (c: (typeof pick)[number]) => `${c.word}/${c.path.split('/').pop()}`;
    writeFileSync(join(dir, 'validation_list.txt'), `${rel(pick[0])}\n`);
    writeFileSync(join(dir, 'testing_list.txt'), `${rel(pick[1])}\n${rel(pick[2])}\n`);
    const listed = listSpeechCommands(dir);
    expect(listed.map((c) => c.split).sort()).toEqual(['test', 'test', 'train', 'train', 'train', 'validation']);
    expect(listed.find((c) => c.path.endsWith(rel(pick[0])))!.split).toBe('validation');
  });

  it('names the folder and the option when there is no dataset', () => {
    expect(() => listSpeechCommands(join(tmp, 'missing'))).toThrow(/Speech Commands folder .*missing could not be read \(--speech-commands DIR\)/);
    mkdirSync(join(tmp, 'empty', 'yes'), { recursive: true });
    expect(() => listSpeechCommands(join(tmp, 'empty'))).toThrow(/holds no <word>\/<speaker>_nohash_<n>\.wav clips/);
  });

  it('gives evaluation sets of the held-out speakers only', () => {
    const [digits, words, noise] = speechCommandsSets(SC_DIR);
    const held = new Set(clips.filter((c) => c.split === 'test').map((c) => c.path));
    expect(digits.kind).toBe('digits');
    expect(words.kind).toBe('non-digits');
    for (const f of [...digits.files, ...words.files, ...noise.files]) expect(held.has(f.path)).toBe(true);
    expect(digits.files.every((f) => f.digit >= 0)).toBe(true);
    expect(words.files.every((f) => f.digit === -1)).toBe(true);
  });
});

describe('real speech and noise in training', () => {
  const clips = listSpeechCommands(SC_DIR);
  const words = clips
    .filter((c) => c.kind === 'word' && c.digit < 0 && c.split === 'train')
    .slice(0, 40)
    .map((c) => load(c.path));

  it('glues 2–4 real non-digit words into a phrase the gate hears as running speech', () => {
    for (let seed = 0; seed < 5; seed++) {
      const phrase = gluePhrase(words, 16000, new Random(seed));
      expect(phrase.sampleRate).toBe(16000);
      expect(phrase.samples.length).toBeGreaterThan(0.3 * 16000);
      expect(phrase.samples.length).toBeLessThan(4 * 16000);
      const padded = new Float32Array(phrase.samples.length + 16000);
      padded.set(phrase.samples, 8000);
      const p = new StreamingPipeline(16000);
      const windows = [...p.push(padded).windows, ...p.flush().windows];
      expect(windows.length).toBeGreaterThan(0);
    }
  });

  it('mixes real background noise from the pool at the drawn SNR', () => {
    const noise = clips
      .filter((c) => c.kind === 'noise' && c.split === 'train')
      .slice(0, 5)
      .map((c) => load(c.path));
    const word = words[0];
    const config = {
      ...DEFAULT_AUGMENT_CONFIG,
      noiseProbability: 1,
      babbleProbability: 0,
      soundsProbability: 0,
      realNoiseProbability: 1,
      snrDb: [0, 0] as const,
      leadSeconds: [0.5, 0.5] as const,
      speedProbability: 0,
      reverbProbability: 0,
      telephoneProbability: 0,
      gainDb: [0, 0] as const,
    };
    const out = augmentClip(word.samples, word.sampleRate, new Random(3), config, { noisePool: noise });
    // The lead (0.5 s before the word) now holds noise, not silence.
    let lead = 0;
    for (let i = 0; i < 8000; i++) lead += out.samples[i] ** 2;
    expect(Math.sqrt(lead / 8000)).toBeGreaterThan(1e-4);
    const clean = augmentClip(word.samples, word.sampleRate, new Random(3), { ...config, noiseProbability: 0 });
    expect(clean.samples.slice(0, 8000).every((v) => v === 0)).toBe(true);
  });
});
