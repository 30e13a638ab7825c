import { describe, expect, it } from 'vitest';
import { StreamingResampler } from '../src/frontend/resampler';
import { Random } from '../training/random';
import { concat, tone } from './helpers/fsdd';

function resampleWhole(input: Float32Array, from: number, to: number): Float32Array {
  const r = new StreamingResampler(from, to);
  return concat(r.push(input), r.flush());
}

function rms(x: Float32Array, skip: number): number {
  let s = 0;
  for (let i = skip; i < x.length - skip; i++) s += x[i] * x[i];
  return Math.sqrt(s / (x.length - 2 * skip));
}

describe('StreamingResampler', () => {
  for (const rate of [48000, 44100]) {
    it(`suppresses a 10 kHz tone at ${rate} Hz by at least 40 dB (naive decimation folds it to ~6 kHz)`, () => {
      const input = tone(10000, rate, 1);
      const out = resampleWhole(input, rate, 16000);
      const attenuationDb = 20 * Math.log10(rms(out, 800) / rms(input, 0));
      expect(attenuationDb).toBeLessThan(-40);
      // Naive decimation (every 3rd sample at 48 kHz) would keep the full level.
      if (rate === 48000) {
        const naive = input.filter((_, i) => i % 3 === 0);
        expect(20 * Math.log10(rms(naive, 0) / rms(input, 0))).toBeGreaterThan(-1);
      }
    });

    it(`passes a 1 kHz tone at ${rate} Hz within 0.1 dB and keeps its timing`, () => {
      const input = tone(1000, rate, 1);
      const out = resampleWhole(input, rate, 16000);
      expect(out.length).toBe(16000);
      expect(Math.abs(20 * Math.log10(rms(out, 800) / rms(input, 0)))).toBeLessThan(0.1);
      const expected = tone(1000, 16000, 1);
      let maxError = 0;
      for (let i = 800; i < 15200; i++) maxError = Math.max(maxError, Math.abs(out[i] - expected[i]));
      expect(maxError).toBeLessThan(0.005); // no delay, no phase shift
    });
  }

  it('upsamples 8 kHz to 16 kHz without images above 4 kHz', () => {
    const input = tone(3000, 8000, 1);
    const out = resampleWhole(input, 8000, 16000);
    expect(out.length).toBe(16000);
    // The image of 3 kHz would sit at 5 kHz; compare against a clean 3 kHz sine.
    const clean = tone(3000, 16000, 1);
    const residual = out.map((v, i) => v - clean[i]);
    expect(20 * Math.log10(rms(residual, 400) / rms(clean, 400))).toBeLessThan(-40);
  });

  it('gives bit-identical output for any chunking', () => {
    const random = new Random(7);
    const input = Float32Array.from({ length: 44100 }, (_, i) => 0.3 * Math.sin(i / 7) + 0.2 * random.normal());
    for (const [from, to] of [[44100, 16000], [48000, 16000], [8000, 16000], [22050, 16000], [16000, 16000]]) {
      const whole = resampleWhole(input, from, to);
      const r = new StreamingResampler(from, to);
      const parts: Float32Array[] = [];
      for (let i = 0; i < input.length; ) {
        const n = 1 + random.int(1500);
        parts.push(r.push(input.subarray(i, i + n)));
        i += n;
      }
      parts.push(r.flush());
      expect(concat(...parts)).toEqual(whole);
    }
  });

  it('rejects unusable sample rates', () => {
    expect(() => new StreamingResampler(0, 16000)).toThrow(/input sample rate/);
    expect(() => new StreamingResampler(44100.5, 16000)).toThrow(/positive integer/);
  });
});
