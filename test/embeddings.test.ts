/**
 * Training examples and the embedding cache: an example depends only on its recipe seed, copy and
 * clip; the cache reads back any subset and computes only what it lacks; SoX's pitch copies.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav16 } from '../src/audio/wav';
import { DEFAULT_MODEL_DIR } from '../src/cli/paths';
import { embedCopies, embeddingCacheDir } from '../training/heads/embeddings';
import { ExampleMaker, wordPipelineConfig } from '../training/heads/examples';
import { DEFAULT_RECIPES, HEAD_AUGMENT_CONFIG } from '../training/heads/recipe';
import type { ClipLists, Job } from '../training/heads/sources';
import { PITCH_SHIFT_CENTS, pitchShiftedCopies } from '../training/pitch';
import { FSDD_DIR, tone } from './helpers/fsdd';

const out = mkdtempSync(join(tmpdir(), 'digit-embeddings-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const fsdd = ['3_theo_12', '7_jackson_20', '1_lucas_30', '9_nicolas_15'].map((n) => ({
  id: `fsdd:${n}.wav`,
  path: join(FSDD_DIR, `${n}.wav`),
  label: Number(n[0]),
  speaker: n.split('_')[1],
}));
const lists: ClipLists = { fsdd, realDigits: [], realWords: [], noise: [], synthWords: [], synthSentences: [], synthStrings: [], pitchCopies: {} };
const jobs: Job[] = [...fsdd.map((c) => ({ id: c.id, label: c.label, pool: 'fsdd' as const })), { id: 'sound:0', label: 10, pool: 'sound' }];
const config = wordPipelineConfig(12);
const fail = (m: string) => {
  throw new Error(m);
};

describe('training examples', () => {
  const maker = new ExampleMaker(lists, HEAD_AUGMENT_CONFIG, 7, fail);

  it("a clip's example depends only on (seed, copy, clip), not on the other clips, and copy 0 is the clean clip", () => {
    const again = new ExampleMaker({ ...lists, fsdd: [fsdd[2]] }, HEAD_AUGMENT_CONFIG, 7, fail);
    const a = maker.wordWindow(jobs[2], 1, config);
    const b = again.wordWindow(jobs[2], 1, config);
    expect(a?.kind).toBe('window');
    expect(b).toEqual(a);
    expect(a!.kind === 'window' && a!.frames.length).toBe(config.window.windowFrames * 32);
    // Another copy augments the same clip differently; the clean copy is the same in every recipe seed.
    expect(maker.wordWindow(jobs[2], 2, config)).not.toEqual(a);
    expect(new ExampleMaker(lists, HEAD_AUGMENT_CONFIG, 8, fail).wordWindow(jobs[2], 0, config)).toEqual(maker.wordWindow(jobs[2], 0, config));
  });

  it('makes a string example the reader would read: lead, run, silence to the last output step', () => {
    const example = maker.runFrames({ id: fsdd[1].id, label: [7], pool: 'fsdd' }, 0, 3);
    if (example?.kind !== 'run') throw new Error('no run');
    expect(example.label).toEqual([7]);
    const frames = example.frames.length / 32;
    // lead (68 + 3·8) + whole output steps + 3 context steps of 8 frames.
    expect((frames - 92) % 8).toBe(0);
  });

  it('reports a clip that cannot be decoded, naming it, and yields no example for it', () => {
    const bad = join(out, '5_bad_10.wav');
    writeFileSync(bad, 'not a wav');
    const messages: string[] = [];
    const m = new ExampleMaker({ ...lists, fsdd: [{ id: 'fsdd:5_bad_10.wav', path: bad, label: 5, speaker: 'bad' }] }, HEAD_AUGMENT_CONFIG, 7, (x) => messages.push(x));
    expect(messages.join()).toContain(bad);
    expect(m.wordWindow({ id: 'fsdd:5_bad_10.wav', label: 5, pool: 'fsdd' }, 1, config)).toBeNull();
  });
});

describe('the embedding cache', () => {
  const init = { head: 'word' as const, lists, augment: HEAD_AUGMENT_CONFIG, seed: 7, steps: 12, contextSteps: 3, encoder: join(DEFAULT_MODEL_DIR, '../encoder') };
  const embed = (dir: string, js: readonly Job[], copies = 1) => embedCopies({ dir, jobs: js, copies, workers: 1, init, size: 96, onSkipped: fail });

  it('embeds each copy once, reads back any subset of its jobs exactly, and computes only the jobs it lacks', async () => {
    const dir = join(out, 'cache');
    const first = await embed(dir, jobs.slice(0, 3));
    expect(first).toHaveLength(2);
    expect(Array.from(first[1].lengths)).toEqual([12, 12, 12]);
    const before = statSync(join(dir, 'copy-1.f32')).mtimeMs;
    // A subset (a leave-one-speaker-out fold) comes from the files as they are.
    const subset = await embed(dir, [jobs[2], jobs[0]]);
    expect(statSync(join(dir, 'copy-1.f32')).mtimeMs).toBe(before);
    expect(subset[1].embeddings).toEqual(Float32Array.from([...first[1].embeddings.subarray(2 * 1152, 3 * 1152), ...first[1].embeddings.subarray(0, 1152)]));
    // A new job is computed and the file gains it; the old rows stay what they were.
    const grown = await embed(dir, jobs);
    expect(Array.from(grown[1].lengths)).toEqual([12, 12, 12, 12, grown[1].lengths[4]]);
    expect(grown[1].embeddings.subarray(0, 3 * 1152)).toEqual(first[1].embeddings);
    expect(embeddingCacheDir(out, { ...DEFAULT_RECIPES.word, seed: 8 }, 'e', '')).not.toBe(embeddingCacheDir(out, DEFAULT_RECIPES.word, 'e', ''));
  }, 120_000);
});

describe('pitch-shifted copies (SoX)', () => {
  /** Frequency of a tone from its positive-going zero crossings, Hz. */
  const frequency = (x: Float32Array, sampleRate: number) => {
    let crossings = 0;
    for (let i = 1; i < x.length; i++) if (x[i - 1] < 0 && x[i] >= 0) crossings++;
    return (crossings * sampleRate) / x.length;
  };

  it('moves a 200 Hz tone by the stated cents and keeps its duration and rate', async () => {
    const source = join(out, '0_tone_10.wav');
    writeFileSync(source, encodeWav16(tone(200, 8000, 1), 8000));
    const copies = (await pitchShiftedCopies([source], join(out, 'pitch'))).get(source)!;
    expect(copies).toHaveLength(PITCH_SHIFT_CENTS.length);
    PITCH_SHIFT_CENTS.forEach((cents, i) => {
      const audio = decodeWav(new Uint8Array(readFileSync(copies[i])), copies[i]);
      expect(audio.sampleRate).toBe(8000);
      expect(audio.samples.length).toBe(8000);
      const f = frequency(audio.samples.subarray(1000, 7000), 8000);
      expect(f / (200 * 2 ** (cents / 1200))).toBeCloseTo(1, 1);
    });
  });

  it('names the file SoX could not read', async () => {
    const bad = join(out, '1_bad_10.wav');
    writeFileSync(bad, 'not a wav');
    await expect(pitchShiftedCopies([bad], join(out, 'pitch'))).rejects.toThrow(bad);
  });
});
