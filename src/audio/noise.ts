import { Random } from './random';

/** Colours of generated noise. */
export type NoiseColour = 'white' | 'pink' | 'brown' | 'band';

/**
 * Generates `length` samples of unit-RMS noise.
 * - white: i.i.d. Gaussian;
 * - pink (−3 dB/octave): Paul Kellet's "economy" filter of white noise
 *   (https://www.firstpr.com.au/dsp/pink-noise/);
 * - brown (−6 dB/octave): leaky integration of white noise;
 * - band: white noise through one or two random two-pole resonators (centre 150 Hz–3.8 kHz,
 *   pole radius 0.9–0.995, i.e. bandwidths of about 10–500 Hz at 16 kHz) with a slow random
 *   swell — machine-like noise (fans, engines, air conditioning), which a broadband noise does
 *   not teach.
 *
 * @param sampleRate Hz; only 'band' uses it
 */
export function generateNoise(length: number, colour: NoiseColour, random: Random, sampleRate = 16000): Float32Array {
  if (colour === 'band') return bandNoise(length, sampleRate, random);
  const out = new Float32Array(length);
  let b0 = 0,
    b1 = 0,
    b2 = 0,
    brown = 0;
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
  return toUnitRms(out);
}

function bandNoise(length: number, sampleRate: number, random: Random): Float32Array {
  const out = new Float32Array(length);
  const bands = 1 + random.int(2);
  for (let b = 0; b < bands; b++) {
    const top = Math.min(3800, 0.45 * sampleRate);
    const centre = 150 * (top / 150) ** random.next(); // log-uniform
    const r = random.uniform(0.9, 0.995);
    const c = 2 * r * Math.cos((2 * Math.PI * centre) / sampleRate);
    const swellHz = random.uniform(0.1, 2);
    const depth = random.uniform(0, 0.5);
    const phase = random.uniform(0, 2 * Math.PI);
    const level = random.uniform(0.3, 1) * (1 - r); // roughly level-matched across bandwidths
    let y1 = 0;
    let y2 = 0;
    for (let i = 0; i < length; i++) {
      const y = random.normal() * level + c * y1 - r * r * y2;
      y2 = y1;
      y1 = y;
      out[i] += y * (1 + depth * Math.sin((2 * Math.PI * swellHz * i) / sampleRate + phase));
    }
  }
  return toUnitRms(out);
}

/** Root-mean-square of a signal (linear). */
export function rms(signal: Float32Array): number {
  let s = 0;
  for (let i = 0; i < signal.length; i++) s += signal[i] * signal[i];
  return Math.sqrt(s / Math.max(1, signal.length));
}

/** Scales a signal to unit RMS in place (a silent signal stays silent) and returns it. */
export function toUnitRms(signal: Float32Array): Float32Array {
  const level = rms(signal) || 1;
  for (let i = 0; i < signal.length; i++) signal[i] /= level;
  return signal;
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

/**
 * "Office" noise, a type training never uses (it only sees white/pink/brown and babble): mains
 * hum (50 Hz and harmonics), a fan's whine (noise band-passed around 1–3 kHz with slow wobble)
 * and keyboard clicks at random intervals. Unit RMS.
 */
export function officeNoise(length: number, sampleRate: number, random: Random): Float32Array {
  const out = new Float32Array(length);
  // Hum: harmonics of 50 Hz falling 6 dB each.
  for (let h = 1; h <= 8; h++) {
    const phase = random.uniform(0, 2 * Math.PI);
    for (let i = 0; i < length; i++) out[i] += (0.5 / h) * Math.sin((2 * Math.PI * 50 * h * i) / sampleRate + phase);
  }
  // Fan: white noise through a resonator at 1.5–2.5 kHz, amplitude wobbling at 0.5 Hz.
  const f0 = random.uniform(1500, 2500);
  const r = 0.97;
  const c = 2 * r * Math.cos((2 * Math.PI * f0) / sampleRate);
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < length; i++) {
    const y = random.normal() * 0.05 + c * y1 - r * r * y2;
    y2 = y1;
    y1 = y;
    out[i] += y * (1 + 0.3 * Math.sin((2 * Math.PI * 0.5 * i) / sampleRate));
  }
  // Keyboard: decaying clicks every 80–400 ms.
  for (let at = random.int(sampleRate / 5); at < length; at += Math.round(random.uniform(0.08, 0.4) * sampleRate)) {
    const amplitude = random.uniform(1, 3);
    for (let i = 0; i < sampleRate / 100 && at + i < length; i++) out[at + i] += amplitude * random.normal() * Math.exp((-i * 1000) / (2 * sampleRate));
  }
  return toUnitRms(out);
}
