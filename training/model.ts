import * as tf from '@tensorflow/tfjs';

/**
 * The digit CNN (~25k parameters). Input `[windowFrames, melBins, 1]` normalised log-mel;
 * output `[classes]` softmax probabilities.
 *
 * Three 3×3 conv + ReLU + 2×2 max-pool blocks (16, 32, 32 filters), then the time axis is
 * averaged away while the frequency axis is kept (reshape to [time, freq·channels] and
 * global-average over time: pooling frequency away cost accuracy in a reference model), a
 * 64-unit dense layer with dropout, and the softmax layer. No batch normalisation: its gradient
 * is slow on the wasm backend.
 */
export function buildModel(windowFrames: number, melBins: number, classes: number, seed: number): tf.Sequential {
  let s = seed;
  const init = () => tf.initializers.glorotUniform({ seed: s++ });
  const model = tf.sequential();
  const conv = (filters: number, first = false) =>
    tf.layers.conv2d({
      ...(first ? { inputShape: [windowFrames, melBins, 1] } : {}),
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(),
    });
  model.add(conv(16, true));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(conv(32));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(conv(32));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  const [, t, f, c] = model.outputs[0].shape as number[];
  model.add(tf.layers.reshape({ targetShape: [t, f * c] }));
  model.add(tf.layers.globalAveragePooling1d());
  model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init() }));
  model.add(tf.layers.dropout({ rate: 0.25, seed: s++ }));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: init() }));
  return model;
}
