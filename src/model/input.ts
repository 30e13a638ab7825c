/**
 * Model input normalisation, applied identically by the trainer and at run time.
 *
 * Log-mel values are shifted so the window's loudest value is 0, everything more than
 * `rangeDb` below it is clipped, and the result is scaled to [-1, 1]. This makes the model
 * independent of input gain (a gain only shifts log-mel by a constant) and makes digital
 * silence and very quiet noise look alike (both clip at the floor).
 */
export interface InputNormalization {
  /** Dynamic range kept below the window maximum, dB. */
  readonly rangeDb: number;
}

export const DEFAULT_INPUT_NORMALIZATION: InputNormalization = Object.freeze({ rangeDb: 80 });

/**
 * Normalises one window of natural-log mel energies.
 *
 * @param features `[frames, melBins]` row-major ln(mel) values
 * @returns a new array of the same shape with values in [-1, 1]
 */
export function normalizeWindow(features: Float32Array, norm: InputNormalization = DEFAULT_INPUT_NORMALIZATION): Float32Array {
  return normalizeToReference(features, maxOf(features), norm);
}

/** Largest value of `values` (−Infinity when empty). */
export function maxOf(values: ArrayLike<number>, from = 0, to = values.length): number {
  let max = -Infinity;
  for (let i = from; i < to; i++) if (values[i] > max) max = values[i];
  return max;
}

/**
 * {@link normalizeWindow} against a given reference instead of the window's own maximum: the
 * string reader normalises every stretch of a run of speech against the loudest frame of the
 * run so far, so its stretches agree with each other.
 *
 * @param features `[frames, melBins]` row-major ln(mel) values
 * @param reference ln(mel) value mapped to 1 (values above it exceed 1)
 */
export function normalizeToReference(features: Float32Array, reference: number, norm: InputNormalization = DEFAULT_INPUT_NORMALIZATION): Float32Array {
  // rangeDb in natural-log units of power: dB / 10 · ln(10).
  const range = (norm.rangeDb / 10) * Math.LN10;
  const max = reference;
  const out = new Float32Array(features.length);
  const half = range / 2;
  for (let i = 0; i < features.length; i++) {
    const v = Math.max(features[i] - max, -range);
    out[i] = (v + half) / half;
  }
  return out;
}
