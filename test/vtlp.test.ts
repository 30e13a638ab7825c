import { describe, expect, it } from 'vitest';
import { DEFAULT_FRONTEND_CONFIG } from '../src/frontend/config';
import { StreamingLogMel } from '../src/frontend/log-mel';
import { melEdgesHz, melFilterbank, vtlpWarpHz } from '../src/frontend/mel';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { augmentClip, DEFAULT_AUGMENT_CONFIG, NO_AUGMENTATION } from '../training/augment';
import { Random } from '../src/audio/random';
import { fsddClip, tone } from './helpers/fsdd';

const { melBins, fMinHz, fMaxHz, fftSize, sampleRate } = DEFAULT_FRONTEND_CONFIG;

/** Index of the loudest mel bin of a steady tone. */
function peakBin(hz: number, vtlpWarp: number): number {
  const frames = new StreamingLogMel(DEFAULT_FRONTEND_CONFIG, { vtlpWarp }).push(tone(hz, sampleRate, 0.3));
  const mean = new Float32Array(melBins);
  for (const f of frames) f.logMel.forEach((v, i) => (mean[i] += v));
  return mean.indexOf(Math.max(...mean));
}

/** Mel bin whose centre is nearest `hz`. */
function nearestBin(hz: number): number {
  const centres = [...melEdgesHz(melBins, fMinHz, fMaxHz).slice(1, -1)].map((c) => Math.abs(c - hz));
  return centres.indexOf(Math.min(...centres));
}

describe('VTLP (vocal tract length perturbation) in the mel filterbank', () => {
  it('warps f to α·f below the boundary and keeps the Nyquist rate fixed', () => {
    expect(vtlpWarpHz(1000, 1.1, 8000)).toBeCloseTo(1100, 6);
    expect(vtlpWarpHz(1000, 0.9, 8000)).toBeCloseTo(900, 6);
    expect(vtlpWarpHz(8000, 1.15, 8000)).toBeCloseTo(8000, 6);
    expect(vtlpWarpHz(8000, 0.87, 8000)).toBeCloseTo(8000, 6);
    // Monotonic and continuous across the knee.
    for (const warp of [0.87, 1.15]) {
      let last = -1;
      for (let f = 0; f <= 8000; f += 10) {
        const w = vtlpWarpHz(f, warp, 8000);
        expect(w).toBeGreaterThan(last);
        expect(w - last).toBeLessThan(10 * 1.6); // slope above the knee: (8000 − 6400·0.87) / 1600 ≈ 1.52
        last = w;
      }
    }
  });

  it('is the product filterbank exactly at α = 1', () => {
    expect(melFilterbank(melBins, fftSize, sampleRate, fMinHz, fMaxHz, 1)).toEqual(melFilterbank(melBins, fftSize, sampleRate, fMinHz, fMaxHz));
  });

  it('moves a tone to the mel bin of α·f: a shorter vocal tract (α > 1) reads higher', () => {
    for (const [hz, warp] of [
      [1000, 1.15],
      [1000, 0.87],
      [2000, 1.12],
      [500, 0.9],
    ] as const) {
      expect(peakBin(hz, 1)).toBe(nearestBin(hz));
      expect(peakBin(hz, warp)).toBe(nearestBin(hz * warp));
      expect(Math.sign(peakBin(hz, warp) - peakBin(hz, 1))).toBe(Math.sign(warp - 1));
    }
  });

  it('refuses a warp outside 0.8–1.25, naming the range', () => {
    expect(() => melFilterbank(melBins, fftSize, sampleRate, fMinHz, fMaxHz, 1.5)).toThrow(/VTLP warp must be in 0.8–1.25, got 1.5/);
  });

  it('changes the features of a real clip but not what the gate finds', () => {
    const clip = fsddClip('7_jackson_0');
    const run = (vtlpWarp: number) => {
      const p = new StreamingPipeline(clip.sampleRate, undefined, { vtlpWarp });
      return [...p.push(clip.samples).windows, ...p.flush().windows];
    };
    const [plain] = run(1);
    const [warped] = run(1.12);
    expect(warped.segment).toEqual(plain.segment); // the gate reads band energy, not the mel bins
    let diff = 0;
    for (let i = 0; i < plain.features.length; i++) diff += Math.abs(plain.features[i] - warped.features[i]);
    expect(diff / plain.features.length).toBeGreaterThan(0.05);
  });

  it('is drawn per training clip by the augmentation (about half the clips, in 0.87–1.15) and never without it', () => {
    const clip = fsddClip('3_theo_10');
    const warps = Array.from({ length: 200 }, (_, i) => augmentClip(clip.samples, clip.sampleRate, new Random(i), DEFAULT_AUGMENT_CONFIG).vtlpWarp);
    const warped = warps.filter((w) => w !== 1);
    expect(warped.length).toBeGreaterThan(70);
    expect(warped.length).toBeLessThan(130);
    expect(Math.min(...warped)).toBeGreaterThanOrEqual(0.87);
    expect(Math.max(...warped)).toBeLessThanOrEqual(1.15);
    expect(augmentClip(clip.samples, clip.sampleRate, new Random(1), NO_AUGMENTATION).vtlpWarp).toBe(1);
  });
});
