import FFT from 'fft.js';
import type { Random } from '../src/audio/random';

/**
 * Synthetic room impulse response: a unit direct path followed by exponentially decaying
 * Gaussian noise whose level falls 60 dB in `rt60Seconds` (Schroeder's statistical reverb model;
 * Polack 1988). The tail starts after a 1–5 ms pre-delay and carries a random direct-to-reverberant
 * ratio.
 *
 * @returns `[round(rt60 · sampleRate)]` samples
 */
export function syntheticImpulseResponse(rt60Seconds: number, sampleRate: number, random: Random): Float32Array {
  const length = Math.max(2, Math.round(rt60Seconds * sampleRate));
  const h = new Float32Array(length);
  h[0] = 1;
  const preDelay = Math.round(random.uniform(0.001, 0.005) * sampleRate);
  const decay = (3 * Math.LN10) / (rt60Seconds * sampleRate); // amplitude e^(-decay·n): −60 dB at rt60
  const tailGain = random.uniform(0.1, 0.4);
  for (let n = preDelay; n < length; n++) h[n] += tailGain * random.normal() * Math.exp(-decay * n);
  return h;
}

/**
 * Linear convolution by FFT (fft.js), output trimmed to the input length (the reverberant tail
 * past the end is dropped) and scaled to the input's peak.
 *
 * @param signal `[n]`; `impulse` `[m]`
 * @returns `[n]`
 */
export function convolve(signal: Float32Array, impulse: Float32Array): Float32Array {
  let size = 1;
  while (size < signal.length + impulse.length) size <<= 1;
  const fft = new FFT(size);
  const a = new Float64Array(size);
  const b = new Float64Array(size);
  a.set(signal);
  b.set(impulse);
  const fa = fft.createComplexArray() as number[];
  const fb = fft.createComplexArray() as number[];
  fft.realTransform(fa, a);
  fft.completeSpectrum(fa);
  fft.realTransform(fb, b);
  fft.completeSpectrum(fb);
  for (let k = 0; k < size; k++) {
    const re = fa[2 * k] * fb[2 * k] - fa[2 * k + 1] * fb[2 * k + 1];
    const im = fa[2 * k] * fb[2 * k + 1] + fa[2 * k + 1] * fb[2 * k];
    fa[2 * k] = re;
    fa[2 * k + 1] = im;
  }
  const out = fft.createComplexArray() as number[];
  fft.inverseTransform(out, fa);
  let peakIn = 0;
  let peakOut = 0;
  for (let i = 0; i < signal.length; i++) {
    peakIn = Math.max(peakIn, Math.abs(signal[i]));
    peakOut = Math.max(peakOut, Math.abs(out[2 * i]));
  }
  const gain = peakOut > 0 ? peakIn / peakOut : 1;
  return Float32Array.from({ length: signal.length }, (_, i) => out[2 * i] * gain);
}
