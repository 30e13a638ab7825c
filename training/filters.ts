/**
 * Biquad filters (R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad filter
 * coefficients"), for the telephone / phone-microphone band-limit augmentation.
 */

/** Second-order section coefficients, normalised by a0. */
interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

function design(type: 'lowpass' | 'highpass', cutoffHz: number, sampleRate: number, q = Math.SQRT1_2): Biquad {
  const w0 = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(w0) / (2 * q);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b1 = type === 'lowpass' ? 1 - cos : -(1 + cos);
  const b0 = type === 'lowpass' ? (1 - cos) / 2 : (1 + cos) / 2;
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

function run(signal: Float32Array, f: Biquad): Float32Array {
  const out = new Float32Array(signal.length);
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0;
  for (let i = 0; i < signal.length; i++) {
    const x = signal[i];
    const y = f.b0 * x + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    out[i] = y;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
  }
  return out;
}

/**
 * Band-limits a signal like a telephone channel or a small phone microphone: two cascaded
 * 2nd-order Butterworth high-passes at `lowHz` and low-passes at `highHz` (24 dB/octave each side).
 * A `highHz` at or above Nyquist skips the low-pass.
 */
export function bandLimit(signal: Float32Array, sampleRate: number, lowHz = 300, highHz = 3400): Float32Array {
  let out = signal;
  const hp = design('highpass', lowHz, sampleRate);
  out = run(run(out, hp), hp);
  if (highHz < (sampleRate / 2) * 0.98) {
    const lp = design('lowpass', highHz, sampleRate);
    out = run(run(out, lp), lp);
  }
  return out;
}
