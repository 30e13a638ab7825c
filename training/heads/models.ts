/**
 * The two heads on the frozen speech encoder, as tfjs-layers models the product's fused forward
 * pass runs (`src/model/fused-forward.ts`):
 * - word head: `[K, 96]` embeddings → Flatten → Dense (ReLU) … → Dense softmax over ten digits
 *   and "other" (the last layer is the one enrollment adapts);
 * - string head: `[steps, 96]` → 3-step `valid` convolutions along time (ReLU) … → a 1×1
 *   convolution to the 12 CTC classes (logits; the reader applies the softmax): each output reads
 *   `contextSteps` steps on each side.
 * Both train on standardised embeddings (per dimension, statistics of the training set); the
 * standardisation is folded into the first layer's weights at export, so the shipped head reads
 * the encoder's embeddings as they are.
 */
import * as tf from '@tensorflow/tfjs';

/** Per-dimension mean and standard deviation of the embeddings a head trains on. */
export interface Standardization {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/**
 * Mean and standard deviation of every dimension over `[rows, size]` embeddings.
 * @throws RangeError for no rows
 */
export function standardization(embeddings: Float32Array, size: number): Standardization {
  const rows = embeddings.length / size;
  if (rows === 0) throw new RangeError('standardization: no embeddings');
  const sum = new Float64Array(size);
  const squares = new Float64Array(size);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < size; d++) {
      const v = embeddings[r * size + d];
      sum[d] += v;
      squares[d] += v * v;
    }
  }
  const mean = new Float32Array(size);
  const std = new Float32Array(size);
  for (let d = 0; d < size; d++) {
    mean[d] = sum[d] / rows;
    std[d] = Math.sqrt(Math.max(1e-6, squares[d] / rows - mean[d] * mean[d]));
  }
  return { mean, std };
}

/** Standardises `[rows, size]` embeddings in place. */
export function standardize(embeddings: Float32Array, s: Standardization): Float32Array {
  const size = s.mean.length;
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = (embeddings[i] - s.mean[i % size]) / s.std[i % size];
  return embeddings;
}

/**
 * The word head: `[steps, size]` → (`conv`: 3-step `valid` convolutions along time, ReLU, then a
 * max over the steps left) → hidden Dense layers (ReLU, dropout) → Dense softmax of `classes`.
 */
export function buildWordHead(
  steps: number,
  size: number,
  classes: number,
  hidden: readonly number[],
  dropout: number,
  inputDropout: number,
  seed: number,
  conv: readonly number[] = [],
): tf.Sequential {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const model = tf.sequential();
  model.add(tf.layers.dropout({ rate: inputDropout, inputShape: [steps, size], seed }));
  if (conv.length > 0) {
    model.add(tf.layers.reshape({ targetShape: [steps, 1, size] }));
    conv.forEach((filters, k) => model.add(tf.layers.conv2d({ filters, kernelSize: [3, 1], padding: 'valid', activation: 'relu', kernelInitializer: init(50 + k) })));
    model.add(tf.layers.maxPooling2d({ poolSize: [steps - 2 * conv.length, 1] }));
  }
  model.add(tf.layers.flatten());
  hidden.forEach((units, k) => {
    model.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: init(k) }));
    model.add(tf.layers.dropout({ rate: dropout, seed: seed + 100 + k }));
  });
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: init(hidden.length) }));
  return model;
}

/**
 * The string head: `[steps, size]` → Reshape `[steps, 1, size]` → 3×1 `valid` convolutions
 * (ReLU, dropout) → 1×1 convolution to `classes` logits → Reshape `[steps − 2·hidden.length, classes]`.
 */
export function buildStringHead(size: number, classes: number, hidden: readonly number[], dropout: number, inputDropout: number, seed: number): tf.Sequential {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const model = tf.sequential();
  model.add(tf.layers.dropout({ rate: inputDropout, inputShape: [null, size], seed }));
  model.add(tf.layers.reshape({ targetShape: [-1, 1, size] }));
  hidden.forEach((filters, k) => {
    model.add(tf.layers.conv2d({ filters, kernelSize: [3, 1], padding: 'valid', activation: 'relu', kernelInitializer: init(k) }));
    model.add(tf.layers.dropout({ rate: dropout, seed: seed + 100 + k }));
  });
  model.add(tf.layers.conv2d({ filters: classes, kernelSize: [1, 1], kernelInitializer: init(hidden.length) }));
  model.add(tf.layers.reshape({ targetShape: [-1, classes] }));
  return model;
}

/** Context steps of a string head on each side: one per 3-step convolution. */
export const stringContextSteps = (hidden: readonly number[]) => hidden.length;

/**
 * Folds the standardisation into the first layer with weights (Dense after a Flatten, or the
 * first convolution): `W·((x − μ)/σ) + b = (W/σ)·x + (b − Σ W·μ/σ)`. The input dimension of
 * every kernel row is the embedding dimension `i mod size`.
 */
export function foldStandardization(model: tf.LayersModel, s: Standardization): void {
  const layer = model.layers.find((l) => l.getWeights().length > 0);
  if (!layer) throw new Error('foldStandardization: the head has no weights');
  const [kernel, bias] = layer.getWeights();
  const size = s.mean.length;
  const w = kernel.dataSync() as Float32Array;
  const b = Float32Array.from(bias.dataSync() as Float32Array);
  const outputs = kernel.shape.at(-1)!;
  // Dense [in, out] with in = steps·size; conv [kh, kw, size, out]: either way row r reads input dimension r mod size.
  const rows = w.length / outputs;
  const folded = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) {
    const d = r % size;
    for (let o = 0; o < outputs; o++) {
      const v = w[r * outputs + o] / s.std[d];
      folded[r * outputs + o] = v;
      b[o] -= v * s.mean[d];
    }
  }
  layer.setWeights([tf.tensor(folded, kernel.shape), tf.tensor1d(b)]);
}
