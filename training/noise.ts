import { Random } from './random';

/** Colours of generated noise. */
export type NoiseColour = 'white' | 'pink' | 'brown';

/**
 * Generates `length` samples of unit-RMS noise.
 * - white: i.i.d. Gaussian;
 * - pink (−3 dB/octave): Paul Kellet's "economy" filter of white noise
 *   (https://www.firstpr.com.au/dsp/pink-noise/);
 * - brown (−6 dB/octave): leaky integration of white noise.
 */
export function generateNoise(length: number, colour: NoiseColour, random: Random): Float32Array {
  const out = new Float32Array(length);
  let b0 = 0, b1 = 0, b2 = 0, brown = 0;
  for (let i = 0; i < length; i++) {
    const w = random.normal();
    if (colour === 'white') out[i] = w;
    else if (colour === 'pink') {
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    } else {
      brown = 0.995 * brown + w * 0.1;
      out[i] = brown;
    }
  }
  const rms = Math.sqrt(out.reduce((s, v) => s + v * v, 0) / Math.max(1, length)) || 1;
  for (let i = 0; i < length; i++) out[i] /= rms;
  return out;
}

/** Root-mean-square of a signal (linear). */
export function rms(signal: Float32Array): number {
  let s = 0;
  for (let i = 0; i < signal.length; i++) s += signal[i] * signal[i];
  return Math.sqrt(s / Math.max(1, signal.length));
}

/**
 * Adds `noise` (unit RMS, at least as long as `signal`) to `signal` at `snrDb`, where the SNR
 * is measured against the RMS of `speechRms` (the speech alone, not its padding).
 * Returns a new array.
 */
export function mixAtSnr(signal: Float32Array, noise: Float32Array, speechRms: number, snrDb: number): Float32Array {
  const gain = speechRms / 10 ** (snrDb / 20);
  const out = new Float32Array(signal.length);
  for (let i = 0; i < signal.length; i++) out[i] = signal[i] + gain * noise[i];
  return out;
}
