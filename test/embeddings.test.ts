import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav16 } from '../src/audio/wav';
import { DEFAULT_AUGMENT_CONFIG } from '../training/augment';
import { readEpoch, recipeCacheDir, writeEpoch } from '../training/features/cache';
import { FeatureComputer } from '../training/features/compute';
import { type ClipSources, type FeatureRecipe, nonSpeechId } from '../training/features/plan';
import { PITCH_SHIFT_CENTS, pitchShiftedCopies } from '../training/pitch';
import { FSDD_DIR, tone } from './helpers/fsdd';

const out = mkdtempSync(join(tmpdir(), 'digit-features-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const recipe: FeatureRecipe = { seed: 7, augment: DEFAULT_AUGMENT_CONFIG, shape: { frames: 98, melBins: 40 } };
const fsdd = ['3_theo_12', '7_jackson_20', '1_lucas_30', '9_nicolas_15'].map((n) => ({ path: join(FSDD_DIR, `${n}.wav`), digit: Number(n[0]) }));
const sources: ClipSources = { fsdd, pitchCopies: {}, synth: [], babbleFrom: 'fsdd' };

describe('training features', () => {
  const computer = new FeatureComputer(sources, recipe, (m) => {
    throw new Error(m);
  });
  const jobs = [...fsdd.map((c) => ({ id: c.path.split('/').pop()!, label: c.digit })), { id: nonSpeechId(1, 0), label: 10 }];

  it("a clip's augmented window depends only on (seed, epoch, clip), not on the other clips", () => {
    const all = computer.epoch(jobs, 1);
    const alone = computer.epoch([jobs[2]], 1);
    const size = 98 * 40;
    expect(all.present[2]).toBe(1);
    expect(alone.windows).toEqual(all.windows.slice(2 * size, 3 * size));
    // Another epoch augments the same clip differently.
    expect(computer.epoch([jobs[2]], 2).windows).not.toEqual(alone.windows);
  });

  it('round-trips through the cache exactly, also for a subset of the jobs (leave-one-speaker-out)', () => {
    const dir = recipeCacheDir(out, recipe, { data: 'test' });
    const all = computer.epoch(jobs, 3);
    writeEpoch(dir, 3, all);
    const subset = [jobs[3], jobs[0]];
    const cached = readEpoch(dir, 3, subset, 98 * 40)!;
    expect(cached.windows).toEqual(Float32Array.from([...all.windows.slice(3 * 3920, 4 * 3920), ...all.windows.slice(0, 3920)]));
    expect(readEpoch(dir, 3, [...subset, { id: 'not-in-cache.wav', label: 1 }], 98 * 40)).toBeNull();
    expect(readEpoch(dir, 4, subset, 98 * 40)).toBeNull();
    expect(recipeCacheDir(out, { ...recipe, seed: 8 }, { data: 'test' })).not.toBe(dir);
  });

  it('reports a clip that cannot be decoded, naming it, and yields no window for it', () => {
    const bad = join(out, '5_bad_10.wav');
    writeFileSync(bad, 'not a wav');
    const messages: string[] = [];
    const c = new FeatureComputer({ ...sources, fsdd: [{ path: bad, digit: 5 }] }, recipe, (m) => messages.push(m));
    expect(messages.join()).toContain(bad);
    expect(c.epoch([{ id: '5_bad_10.wav', label: 5 }], 1).present[0]).toBe(0);
  });
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
