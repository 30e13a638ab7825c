import { describe, expect, it } from 'vitest';
import { DOWNSAMPLING_KERNEL, type ResamplerOptions, StreamingResampler } from '../src/frontend/resampler';
import { Random } from '../src/audio/random';
import { concat, tone } from './helpers/fsdd';

function resampleWhole(input: Float32Array, from: number, to: number, options: ResamplerOptions = {}): Float32Array {
  const r = new StreamingResampler(from, to, options);
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

  for (const rate of [48000, 44100]) {
    it(`product downsampling kernel at ${rate} Hz: flat to 4 kHz, nothing folds back from above 8.2 kHz`, () => {
      const gainDb = (hz: number) => {
        const input = tone(hz, rate, 1);
        return 20 * Math.log10(rms(resampleWhole(input, rate, 16000, DOWNSAMPLING_KERNEL), 800) / rms(input, 0));
      };
      for (const hz of [300, 1000, 2500, 4000]) expect(Math.abs(gainDb(hz))).toBeLessThan(0.05);
      // Above the output Nyquist rate: these would alias into 0–8 kHz.
      for (const hz of [8200, 9000, 10000, 12000, 15000]) expect(gainDb(hz)).toBeLessThan(-80);
      // Fewer taps than the default kernel, which is where the speed comes from.
      const taps = (options: ResamplerOptions) => 2 * new StreamingResampler(rate, 16000, options).latencySamples;
      expect(taps(DOWNSAMPLING_KERNEL)).toBeLessThan(0.7 * taps({}));
    });
  }

  it('keeps its output arrays bounded over a long stream (1 minute in 20 ms blocks)', () => {
    const r = new StreamingResampler(48000, 16000, DOWNSAMPLING_KERNEL);
    const block = tone(440, 48000, 0.02);
    let largest = 0;
    let produced = 0;
    for (let i = 0; i < 3000; i++) {
      const out = r.push(block);
      produced += out.length;
      largest = Math.max(largest, out.buffer.byteLength);
    }
    expect(produced).toBeGreaterThan(3000 * 320 - 64);
    // One block yields 320 outputs; the array behind them must not grow with the stream.
    expect(largest).toBeLessThanOrEqual(4 * 400);
  });

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
    for (const [from, to] of [
      [44100, 16000],
      [48000, 16000],
      [8000, 16000],
      [22050, 16000],
      [16000, 16000],
      [96000, 16000],
    ]) {
      const options = from > to ? DOWNSAMPLING_KERNEL : {};
      const whole = resampleWhole(input, from, to, options);
      const r = new StreamingResampler(from, to, options);
      const parts: Float32Array[] = [];
      for (let i = 0; i < input.length;) {
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
