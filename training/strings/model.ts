import * as tf from '@tensorflow/tfjs';

/** Widths of the string model: filters of its six temporal conv layers. */
export interface StringModelShape {
  readonly filters: readonly number[];
  /** Kernel size along time of every layer but the output, frames of that layer. */
  readonly kernel: number;
  /** Stride along time of each layer; their product is the output frame stride. */
  readonly strides: readonly number[];
}

/**
 * The shipped string model: six 1-D convolutions over time (the 40 mel bins as channels;
 * TC-ResNet without residuals, Choi et al. 2019, "Temporal Convolution for Real-time Keyword
 * Spotting on Mobile Devices"), 64/96/96/96/96/96 filters of width 5, strides 2 and 2 → one
 * output every 40 ms, ±34 frames (±340 ms) of context per output, about 170k parameters.
 * No dilation: tfjs has no gradient for dilated convolutions. No batch normalisation: its
 * gradient is slow on the wasm backend.
 */
export const DEFAULT_STRING_MODEL_SHAPE: StringModelShape = Object.freeze({
  filters: [64, 96, 96, 96, 96, 96],
  kernel: 5,
  strides: [2, 1, 2, 1, 1, 1],
});

/** Input frames per output frame of a shape: the product of its strides. */
export function frameStride(shape: StringModelShape): number {
  return shape.strides.reduce((a, b) => a * b, 1);
}

/**
 * Input frames on each side of an output frame that it depends on — half the receptive field,
 * rounded up to a multiple of the frame stride, plus one stride for the 'same' padding's
 * asymmetry. The reader keeps this much context at its window edges.
 */
export function contextFrames(shape: StringModelShape): number {
  let field = 1;
  let jump = 1;
  for (const s of shape.strides) {
    field += (shape.kernel - 1) * jump;
    jump *= s;
  }
  const stride = frameStride(shape);
  return Math.ceil(field / 2 / stride) * stride + stride;
}

/**
 * The CTC string model (Graves et al. 2006 as the output layer): input `[frames, melBins]`
 * normalised log-mel, any number of frames (a multiple of the frame stride); output
 * `[frames / stride, classes]` logits (softmax at run time; the CTC loss takes logits), ReLU
 * between layers and dropout before the output.
 */
export function buildStringModel(melBins: number, classes: number, seed: number, shape: StringModelShape = DEFAULT_STRING_MODEL_SHAPE): tf.Sequential {
  let s = seed;
  const model = tf.sequential();
  shape.filters.forEach((filters, i) => {
    model.add(
      tf.layers.conv1d({
        ...(i === 0 ? { inputShape: [null, melBins] } : {}),
        filters,
        kernelSize: shape.kernel,
        strides: shape.strides[i],
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.heNormal({ seed: s++ }),
      }),
    );
  });
  model.add(tf.layers.dropout({ rate: 0.15, seed: s++ }));
  model.add(tf.layers.conv1d({ filters: classes, kernelSize: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: s++ }) }));
  return model;
}
