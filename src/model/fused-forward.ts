import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * The forward pass of a loaded Keras-style model as a plain list of tfjs ops, with each
 * convolution / dense layer's bias and ReLU fused into one kernel (`tf.fused.*`).
 *
 * Why not `model.predict`: tfjs-layers runs every layer through its symbolic machinery (input
 * checks, per-layer tidy, training-flag plumbing, separate bias-add and activation ops). On a
 * ~7 M multiply-add CNN that bookkeeping was ~25 % of the time per window on wasm (measured:
 * 0.87 ms via `predict`, 0.67 ms as fused ops, same weights, same outputs). The weights are the
 * model's own tensors, so there is one copy of them and nothing to keep in sync.
 *
 * Supported layers: Conv2D, DepthwiseConv2D (`same`/`valid`, any strides, linear or ReLU),
 * ZeroPadding2D (folded into the convolution after it), the speech encoder's ClampedLeakyReLU
 * (its LeakyReLU fused into the convolution before it), MaxPooling2D, AveragePooling2D, Reshape,
 * Flatten, GlobalAveragePooling1D/2D, Dense (linear, ReLU or softmax), Dropout (identity at
 * inference), InputLayer.
 */
export type FusedForward = (input: tf.Tensor) => tf.Tensor;

type Activation = 'linear' | 'relu';

/** Largest float32: the open upper end of a `clipByValue`. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** Explicit padding `[[0, 0], [top, bottom], [left, right], [0, 0]]` of a ZeroPadding2D layer. */
type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

function activationOf(layer: tfl.layers.Layer, allowed: readonly string[]): string {
  const name = String((layer.getConfig().activation as string | undefined) ?? 'linear');
  if (!allowed.includes(name)) throw new Error(`layer ${layer.name}: activation ${name} not supported by the fused forward pass`);
  return name;
}

/**
 * Builds the fused forward pass of `model`.
 *
 * The returned function maps `[batch, ...inputShape]` to the model's output `[batch, classes]`
 * and must run inside `tf.tidy` (it allocates intermediates).
 *
 * @param options.withoutLastLayer stop before the last layer: `[batch, embedding]`, the input of
 *   the classifier head (`adaptation/head.ts`)
 * @throws Error naming the layer if the model contains a layer or activation this pass does not
 *   cover — callers fall back to `model.predict` then.
 */
export function compileFusedForward(model: tfl.LayersModel, options: { readonly withoutLastLayer?: boolean } = {}): FusedForward {
  const steps: Array<(x: tf.Tensor) => tf.Tensor> = [];
  const layers = model.layers;
  // A ZeroPadding2D waiting for the convolution after it.
  let padding: ExplicitPad | null = null;
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index];
    const cls = layer.getClassName();
    const config = layer.getConfig();
    const weights = layer.getWeights();
    if (padding && cls !== 'Conv2D') throw new Error(`layer ${layer.name}: a ZeroPadding2D must be followed by a Conv2D in the fused forward pass`);
    switch (cls) {
      case 'InputLayer':
      case 'Dropout':
        break;
      case 'ZeroPadding2D': {
        const [[top, bottom], [left, right]] = config.padding as [[number, number], [number, number]];
        padding = [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ];
        break;
      }
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        let activation: Activation | 'leakyrelu' = activationOf(layer, ['linear', 'relu']) as Activation;
        const strides = config.strides as [number, number];
        let pad: 'same' | 'valid' | ExplicitPad = config.padding as 'same' | 'valid';
        if (padding) {
          if (pad !== 'valid') throw new Error(`layer ${layer.name}: a padded convolution after a ZeroPadding2D is not supported`);
          pad = padding;
          padding = null;
        }
        const dilations = (config.dilationRate as [number, number] | undefined) ?? [1, 1];
        if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast') throw new Error(`layer ${layer.name}: only channelsLast is supported`);
        const [filter, bias] = weights as [tf.Tensor4D, tf.Tensor1D | undefined];
        // The encoder's ClampedLeakyReLU: its LeakyReLU runs in the convolution's kernel.
        const next = layers[index + 1];
        let floor: number | null = null;
        let leakyreluAlpha: number | undefined;
        if (next?.getClassName() === 'ClampedLeakyReLU' && activation === 'linear') {
          const nextConfig = next.getConfig();
          activation = 'leakyrelu';
          leakyreluAlpha = nextConfig.alpha as number;
          floor = nextConfig.floor as number;
          index++;
        }
        const conv =
          cls === 'Conv2D'
            ? (x: tf.Tensor) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter, strides, pad, dilations, bias, activation, leakyreluAlpha })
            : (x: tf.Tensor) => tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter, strides, pad: pad as 'same' | 'valid', dilations, bias, activation, leakyreluAlpha });
        // clipByValue, not maximum: a scalar-broadcast binary op costs ~15× an elementwise one on wasm.
        steps.push(floor === null ? conv : (x) => tf.clipByValue(conv(x), floor, FLOAT32_MAX));
        break;
      }
      case 'ClampedLeakyReLU': {
        const alpha = config.alpha as number;
        const floor = config.floor as number;
        steps.push((x) => tf.clipByValue(tf.leakyRelu(x, alpha), floor, FLOAT32_MAX));
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const pool = config.poolSize as [number, number];
        const strides = (config.strides as [number, number] | null) ?? pool;
        const pad = config.padding as 'same' | 'valid';
        steps.push((x) => (cls === 'MaxPooling2D' ? tf.maxPool : tf.avgPool)(x as tf.Tensor4D, pool, strides, pad));
        break;
      }
      case 'Reshape': {
        // A free dimension is saved as null (Keras' -1).
        const target = (config.targetShape as (number | null)[]).map((d) => d ?? -1);
        steps.push((x) => tf.reshape(x, [x.shape[0], ...target]));
        break;
      }
      case 'Flatten':
        steps.push((x) => tf.reshape(x, [x.shape[0], -1]));
        break;
      case 'GlobalAveragePooling1D':
        steps.push((x) => tf.mean(x, 1));
        break;
      case 'GlobalAveragePooling2D':
        steps.push((x) => tf.mean(x, [1, 2]));
        break;
      case 'Dense': {
        const activation = activationOf(layer, ['linear', 'relu', 'softmax']);
        const [kernel, bias] = weights as [tf.Tensor2D, tf.Tensor1D | undefined];
        if (activation === 'softmax') steps.push((x) => tf.softmax(tf.fused.matMul({ a: x, b: kernel, bias })));
        else steps.push((x) => tf.fused.matMul({ a: x, b: kernel, bias, activation: activation as Activation }));
        break;
      }
      default:
        throw new Error(`layer ${layer.name}: ${cls} is not supported by the fused forward pass`);
    }
  }
  // Without the last layer (the classifier head): the embedding the head reads.
  const used = options.withoutLastLayer ? steps.slice(0, -1) : steps;
  return (input) => used.reduce((x, step) => step(x), input);
}
