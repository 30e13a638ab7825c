import { describe, expect, it } from 'vitest';
import { augmentClip, DEFAULT_AUGMENT_CONFIG, maskWindow, NO_AUGMENTATION } from '../training/augment';
import { StreamingPipeline } from '../src/pipeline/streaming-pipeline';
import { fsddClip } from './helpers/fsdd';
import { bandLimit } from '../training/filters';
import FFT from 'fft.js';
import { generateNoise, rms } from '../src/audio/noise';
import { Random } from '../src/audio/random';
import { convolve, syntheticImpulseResponse } from '../training/reverb';
import { tone } from './helpers/fsdd';

const level = (x: Float32Array) => 20 * Math.log10(rms(x.subarray(2000)));

describe('telephone band-limit', () => {
  it('passes 1 kHz and cuts below 300 Hz and above 3.4 kHz', () => {
    const pass = level(bandLimit(tone(1000, 16000, 1), 16000)) - level(tone(1000, 16000, 1));
    expect(Math.abs(pass)).toBeLessThan(1);
    expect(level(bandLimit(tone(100, 16000, 1), 16000)) - level(tone(100, 16000, 1))).toBeLessThan(-30);
    expect(level(bandLimit(tone(6000, 16000, 1), 16000)) - level(tone(6000, 16000, 1))).toBeLessThan(-20);
  });
});

describe('synthetic room reverberation', () => {
  for (const rt60 of [0.1, 0.3, 0.8]) {
    it(`builds an impulse response whose Schroeder decay gives RT60 ≈ ${rt60} s`, () => {
      const h = syntheticImpulseResponse(rt60, 16000, new Random(3));
      // Schroeder backward integration of the tail, fitted between −5 and −25 dB (T20 × 3).
      const tail = h.slice(Math.round(0.006 * 16000));
      const energy = new Float64Array(tail.length);
      let sum = 0;
      for (let i = tail.length - 1; i >= 0; i--) energy[i] = sum += tail[i] * tail[i];
      const db = Array.from(energy, (e) => 10 * Math.log10(e / energy[0]));
      const t5 = db.findIndex((d) => d <= -5);
      const t25 = db.findIndex((d) => d <= -25);
      const estimate = ((t25 - t5) / 16000) * 3;
      expect(estimate).toBeGreaterThan(rt60 * 0.75);
      expect(estimate).toBeLessThan(rt60 * 1.25);
    });
  }

  it('convolves like the direct sum', () => {
    const random = new Random(4);
    const x = Float32Array.from({ length: 300 }, () => random.normal());
    const h = Float32Array.from({ length: 40 }, () => random.normal());
    const direct = new Float32Array(300);
    for (let n = 0; n < 300; n++) for (let k = 0; k < 40 && k <= n; k++) direct[n] += h[k] * x[n - k];
    const peak = (a: Float32Array) => Math.max(...Array.from(a, Math.abs));
    const y = convolve(x, h);
    const scale = peak(direct) / peak(y);
    y.forEach((v, i) => expect(v * scale).toBeCloseTo(direct[i], 3));
  });
});

describe('SpecAugment masks', () => {
  it('masks one band and one span with the window minimum, or leaves the window alone', () => {
    const random = new Random(8);
    let masked = 0;
    for (let trial = 0; trial < 50; trial++) {
      const w = Float32Array.from({ length: 98 * 40 }, (_, i) => Math.sin(i) * 0.5);
      const min = Math.min(...w);
      const before = Float32Array.from(w);
      maskWindow(w, 98, 40, random);
      const changed = w.filter((v, i) => v !== before[i]);
      if (changed.length > 0) masked++;
      expect(changed.every((v) => v === min)).toBe(true);
      expect(changed.length).toBeLessThanOrEqual(6 * 98 + 10 * 40);
    }
    expect(masked).toBeGreaterThan(10);
    expect(masked).toBeLessThan(40);
  });
});

describe('augmentClip', () => {
  const clip = fsddClip('4_theo_2');
  const pool = ['1_george_9', '2_lucas_9', '3_nicolas_9', '5_jackson_9'].map(fsddClip);
  const all = { ...DEFAULT_AUGMENT_CONFIG, speedProbability: 1, reverbProbability: 1, telephoneProbability: 1, babbleProbability: 1, noiseProbability: 1 };

  it('perturbs speed by playing the clip at a rate in 0.85–1.2× (multiple of 100 Hz)', () => {
    const random = new Random(1);
    for (let i = 0; i < 20; i++) {
      const out = augmentClip(clip.samples, clip.sampleRate, random, { ...DEFAULT_AUGMENT_CONFIG, speedProbability: 1 });
      expect(out.sampleRate % 100).toBe(0);
      expect(out.sampleRate).toBeGreaterThanOrEqual(8000 * 0.85 - 50);
      expect(out.sampleRate).toBeLessThanOrEqual(8000 * 1.2 + 50);
    }
  });

  it('with every augmentation on, still yields one finite utterance the gate finds', () => {
    const random = new Random(2);
    let found = 0;
    for (let i = 0; i < 10; i++) {
      const out = augmentClip(clip.samples, clip.sampleRate, random, { ...all, snrDb: [15, 30] }, { babblePool: pool });
      expect(out.samples.every(Number.isFinite)).toBe(true);
      const pipeline = new StreamingPipeline(out.sampleRate);
      if ([...pipeline.push(out.samples).windows, ...pipeline.flush().windows].length >= 1) found++;
    }
    expect(found).toBeGreaterThanOrEqual(8);
  });

  it('draws no random numbers for augmentations that are off (defaults stay reproducible)', () => {
    const a = new Random(3);
    const b = new Random(3);
    // Babble, sound events and pitch copies at probability 0 draw nothing, even when available.
    augmentClip(clip.samples, clip.sampleRate, a, NO_AUGMENTATION);
    augmentClip(clip.samples, clip.sampleRate, b, { ...NO_AUGMENTATION, noiseProbability: 0 }, { babblePool: pool, pitchVariants: [clip.samples] });
    expect(a.next()).toBe(b.next());
  });
});

describe('band noise', () => {
  it('puts most of its energy into narrow bands, unlike white noise', () => {
    // Share of the energy in the strongest 5 % of 512-point FFT bins, averaged over frames.
    const share = (x: Float32Array) => {
      const fft = new FFT(512);
      const power = new Float64Array(257);
      for (let at = 0; at + 512 <= x.length; at += 512) {
        const spectrum = fft.createComplexArray() as number[];
        fft.realTransform(spectrum, Array.from(x.subarray(at, at + 512)));
        for (let k = 0; k <= 256; k++) power[k] += spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
      }
      const sorted = Array.from(power).sort((a, b) => b - a);
      return sorted.slice(0, 13).reduce((a, b) => a + b, 0) / sorted.reduce((a, b) => a + b, 0);
    };
    const random = new Random(11);
    for (let i = 0; i < 5; i++) {
      const band = generateNoise(16000, 'band', random, 16000);
      expect(rms(band)).toBeCloseTo(1, 3);
      expect(share(band)).toBeGreaterThan(0.3);
    }
    expect(share(generateNoise(16000, 'white', random))).toBeLessThan(0.15);
  });
});
