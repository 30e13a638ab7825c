import * as tf from '@tensorflow/tfjs';

/** Widths of the CNN: filters of the three conv blocks, units of the hidden dense layer. */
export interface ModelShape {
  readonly filters: readonly [number, number, number];
  readonly denseUnits: number;
  /**
   * Per conv block: a depthwise-separable conv (3×3 depthwise + ReLU, then 1×1 pointwise + ReLU;
   * Howard et al. 2017, "MobileNets"; for keyword spotting Zhang et al. 2017, "Hello Edge")
   * instead of a full 3×3 conv. Cuts the block's multiply-adds by ≈ 9·out/(9 + out)×.
   * Absent = all full convs.
   */
  readonly separable?: readonly [boolean, boolean, boolean];
  /**
   * Stride of the first conv along time (frames). 2 halves the time resolution of every later
   * layer (20 ms steps after the first conv, as the first layer of DS-CNN in "Hello Edge") and
   * with it ≈ half the multiply-adds: 0.33 vs 0.66 ms per window measured on wasm SIMD.
   * Absent = 1.
   */
  readonly firstTimeStride?: number;
}

/**
 * The shipped model's shape: 24/48/128 filters, 160 dense units, the first conv striding 2 frames
 * in time (170,411 parameters, 170 KB int8). Grown from 16/24/64 + 128 (60,035 parameters) for
 * issue 12, when real voices, sentences and Pico/RHVoice joined the data: the small model
 * under-fitted them (training loss 0.5–0.6 with augmentation, as the reference model).
 * Training cost per window on wasm (batch 64, Node): 2.3 ms (16/24/64) → 5.4 ms, still below the
 * feature worker's time per clip, so an epoch costs no more; inference 0.28 → about 0.6 ms per
 * window (`npm run bench`). The time stride halves the multiply-adds (0.33 vs 0.66 ms per window
 * for the earlier shape) and measured better, not worse, through the CLI.
 */
export const DEFAULT_MODEL_SHAPE: ModelShape = Object.freeze({ filters: [24, 48, 128] as const, denseUnits: 160, firstTimeStride: 2 });

/**
 * The digit CNN (170,411 parameters with 11 classes in the default shape). Input `[windowFrames, melBins, 1]` normalised log-mel;
 * output `[classes]` softmax probabilities.
 *
 * Three 3×3 conv + ReLU + 2×2 max-pool blocks (default 24, 48, 128 filters), then the time axis is
 * averaged away while the frequency axis is kept (reshape to [time, freq·channels] and
 * global-average over time: pooling frequency away cost accuracy in a reference model), a
 * dense layer (default 160 units) with dropout, and the softmax layer. No batch normalisation: its gradient
 * is slow on the wasm backend.
 */
export function buildModel(windowFrames: number, melBins: number, classes: number, seed: number, shape: ModelShape = DEFAULT_MODEL_SHAPE): tf.Sequential {
  let s = seed;
  const init = () => tf.initializers.glorotUniform({ seed: s++ });
  const model = tf.sequential();
  const conv = (filters: number, first = false, separable = false) => {
    if (separable && !first) {
      model.add(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: init() }));
      return tf.layers.conv2d({ filters, kernelSize: 1, activation: 'relu', kernelInitializer: init() });
    }
    return tf.layers.conv2d({
      ...(first ? { inputShape: [windowFrames, melBins, 1], strides: [shape.firstTimeStride ?? 1, 1] as [number, number] } : {}),
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(),
    });
  };
  const [f1, f2, f3] = shape.filters;
  const [, s2, s3] = shape.separable ?? [false, false, false];
  model.add(conv(f1, true));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(conv(f2, false, s2));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(conv(f3, false, s3));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  const [, t, f, c] = model.outputs[0].shape as number[];
  model.add(tf.layers.reshape({ targetShape: [t, f * c] }));
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: shape.denseUnits, activation: 'relu', kernelInitializer: init() }));
  model.add(tf.layers.dropout({ rate: 0.25, seed: s++ }));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: init() }));
  return model;
}
