import type * as tf from '@tensorflow/tfjs';

/** One tensor quantized to uint8 with the affine map value = q·scale + min (tfjs manifest format). */
export interface QuantizedTensor {
  readonly data: Uint8Array;
  readonly scale: number;
  readonly min: number;
}

/**
 * Affine uint8 quantization of one weight tensor, with `min` shifted onto the quantization grid
 * so that 0 is represented exactly (zero padding and ReLU zeros stay zero). Same scheme as the
 * tfjs converter's `--quantize_uint8` (tfjs-converter `quantization.py`).
 *
 * @param values float weights, any shape flattened
 */
export function quantizeUint8(values: Float32Array): QuantizedTensor {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // Include 0 in the range, then snap it to the grid.
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const zeroPoint = Math.round(-lo / scale);
  const min = -zeroPoint * scale;
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Math.min(255, Math.max(0, Math.round((values[i] - min) / scale)));
  return { data, scale, min };
}

/**
 * Rewrites float32 weights as uint8-quantized weights.
 *
 * @param specs the float32 weight specs as saved by tfjs
 * @param weightData the concatenated float32 data those specs describe
 * @param keepFloat weights to leave float32 (the speech encoder's first convolution and biases)
 * @returns specs carrying a `quantization` entry (but the kept ones) and the concatenated data
 * @throws Error if a spec is not float32
 */
export function quantizeWeights(
  specs: tf.io.WeightsManifestEntry[],
  weightData: ArrayBuffer,
  keepFloat: (spec: tf.io.WeightsManifestEntry) => boolean = () => false,
): { specs: tf.io.WeightsManifestEntry[]; data: Uint8Array } {
  const parts: Uint8Array[] = [];
  const out: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') throw new Error(`quantizeWeights: ${spec.name} is ${spec.dtype}, only float32 is quantized`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(weightData.slice(offset, offset + count * 4));
    offset += count * 4;
    if (keepFloat(spec)) {
      parts.push(new Uint8Array(values.buffer));
      out.push(spec);
      continue;
    }
    const q = quantizeUint8(values);
    parts.push(q.data);
    out.push({ name: spec.name, shape: spec.shape, dtype: 'float32', quantization: { dtype: 'uint8', scale: q.scale, min: q.min } });
  }
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  return { specs: out, data };
}
