import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { headProbabilities, type SoftmaxHead } from '../adaptation/head';
import { embeddingSteps, type SpeechEncoder } from './encoder';
import { compileFusedForward, type FusedForward } from './fused-forward';
import { checkModelMetadata, ModelLoadError, type ModelMetadata } from './metadata';
import { type EncoderSource, loadHeadModel } from './head-model';

/** The model's answer for one window. */
export interface Prediction {
  /** Index of the most probable class. */
  readonly classIndex: number;
  /** Its label, e.g. "seven". */
  readonly label: string;
  /** Softmax probability of that class, 0–1. */
  readonly confidence: number;
  /** Softmax probabilities of every class, `[classes]`. */
  readonly probabilities: number[];
}

/**
 * The word model: the frozen speech encoder and a small head over the embeddings of one word's
 * window. A window of `windowFrames` log-mel frames (the encoder's frontend) gives K =
 * ⌊(windowFrames − 76) / 8⌋ + 1 embeddings (`[K, 96]`); the head — an MLP ending in a Dense
 * softmax layer — gives the probabilities of the ten digits and "other".
 */
export class DigitClassifier {
  readonly model: tfl.LayersModel;
  readonly metadata: ModelMetadata;
  readonly source: string;
  readonly encoder: SpeechEncoder;
  /** Embeddings per window. */
  readonly steps: number;
  private readonly forward: FusedForward;
  /** The head up to its last layer (built on first use). */
  private embedForward: FusedForward | null = null;
  private head: SoftmaxHead | null = null;

  private constructor(model: tfl.LayersModel, metadata: ModelMetadata, source: string, encoder: SpeechEncoder) {
    this.model = model;
    this.metadata = metadata;
    this.source = source;
    this.encoder = encoder;
    this.steps = embeddingSteps(metadata.window.windowFrames, encoder.metadata);
    this.forward = compileFusedForward(model);
  }

  /**
   * Loads a word head from a URL (browser) or a `tf.io.IOHandler` (Node: see `node-io.ts`) with
   * the encoder its metadata names (`encoders` fetches it, once per URL).
   *
   * The pipeline that feeds it is built from its metadata (`pipelineConfigFor`).
   *
   * @param source URL or handler; `sourceName` names it in errors
   * @throws ModelLoadError if the files are missing or malformed, it has no metadata, its encoder
   *   cannot be loaded or is another one (fingerprints differ), or its input is not `[K, 96]`
   */
  static async load(source: string | tf.io.IOHandler, encoders: EncoderSource, sourceName: string = typeof source === 'string' ? source : 'model'): Promise<DigitClassifier> {
    const { model, encoder } = await loadHeadModel(source, sourceName, encoders);
    try {
      const metadata = checkModelMetadata(model.getUserDefinedMetadata(), sourceName);
      const shape = model.inputs[0].shape;
      const expected = [null, embeddingSteps(metadata.window.windowFrames, encoder.metadata), encoder.embeddingSize];
      if (shape.length !== 3 || shape.some((d, i) => d !== expected[i])) {
        throw new ModelLoadError(
          sourceName,
          `input shape [${shape.join(', ')}] does not match its metadata's [${expected.join(', ')}] (window of ${metadata.window.windowFrames} frames)`,
        );
      }
      const units = model.outputs[0].shape[1];
      if (units !== metadata.labels.length) {
        throw new ModelLoadError(sourceName, `${units} outputs but ${metadata.labels.length} labels`);
      }
      return new DigitClassifier(model, metadata, sourceName, encoder);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /**
   * The shipped classifier head: the model's last layer, a Dense softmax layer.
   * @throws Error if the last layer is not a Dense layer with a kernel and a bias
   */
  shippedHead(): SoftmaxHead {
    const last = this.model.layers.at(-1);
    const weights = last?.getWeights() ?? [];
    if (last?.getClassName() !== 'Dense' || weights.length !== 2) throw new Error(`${this.source}: the last layer is not a Dense layer with a bias, so it cannot be adapted`);
    const [kernel, bias] = weights;
    return { inputs: kernel.shape[0], classes: kernel.shape[1]!, kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array };
  }

  /**
   * The head {@link predict} uses: an adapted one (a person's profile), or null for the shipped one.
   * @throws RangeError if the head does not fit the model's embedding and classes
   */
  get adaptedHead(): SoftmaxHead | null {
    return this.head;
  }
  set adaptedHead(head: SoftmaxHead | null) {
    if (head) {
      const shipped = this.shippedHead();
      if (head.inputs !== shipped.inputs || head.classes !== shipped.classes) {
        throw new RangeError(`adapted head is ${head.inputs} × ${head.classes}, the model's ${shipped.inputs} × ${shipped.classes}`);
      }
    }
    this.head = head;
  }

  /**
   * The input of the last layer for one window: what enrollment adapts a head on.
   * @param features `[windowFrames, melBins]` row-major log-mel of the encoder's frontend
   * @returns `[inputs of the last layer]` (128 for the shipped head)
   * @throws RangeError if the window has the wrong size
   */
  embed(features: Float32Array): Float32Array {
    this.embedForward ??= compileFusedForward(this.model, { withoutLastLayer: true });
    const forward = this.embedForward;
    return tf.tidy(() => forward(this.embeddings(features, 'embed')).dataSync() as Float32Array);
  }

  /**
   * {@link embed} of many windows at once: one encoder pass over the batch (enrollment embeds
   * every take and its augmented copies).
   * @param windows each `[windowFrames, melBins]`
   * @returns one `[inputs of the last layer]` per window
   * @throws RangeError if a window has the wrong size
   */
  embedMany(windows: readonly Float32Array[]): Float32Array[] {
    if (windows.length === 0) return [];
    this.embedForward ??= compileFusedForward(this.model, { withoutLastLayer: true });
    const forward = this.embedForward;
    const size = this.metadata.window.windowFrames * this.metadata.frontend.melBins;
    const all = new Float32Array(windows.length * size);
    windows.forEach((w, i) => {
      if (w.length !== size)
        throw new RangeError(`DigitClassifier.embedMany: expected ${this.metadata.window.windowFrames}×${this.metadata.frontend.melBins} values, got ${w.length}`);
      all.set(w, i * size);
    });
    const out = tf.tidy(() => forward(this.encoder.encodeTensor(all, windows.length)).dataSync() as Float32Array);
    const inputs = out.length / windows.length;
    return windows.map((_, i) => out.slice(i * inputs, (i + 1) * inputs));
  }

  /** The encoder's `[1, K, 96]` embeddings of a window. */
  private embeddings(features: Float32Array, caller: string): tf.Tensor3D {
    const { windowFrames } = this.metadata.window;
    const { melBins } = this.metadata.frontend;
    if (features.length !== windowFrames * melBins) {
      throw new RangeError(`DigitClassifier.${caller}: expected ${windowFrames}×${melBins} values, got ${features.length}`);
    }
    return this.encoder.encodeTensor(features);
  }

  /**
   * Classifies one window.
   *
   * @param features `[windowFrames, melBins]` row-major log-mel of the encoder's frontend, from the pipeline
   * @throws RangeError if the window has the wrong size
   */
  predict(features: Float32Array): Prediction {
    const head = this.head;
    const probabilities = head
      ? Array.from(headProbabilities(head, this.embed(features)))
      : tf.tidy(() => Array.from(this.forward(this.embeddings(features, 'predict')).dataSync()));
    let classIndex = 0;
    for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[classIndex]) classIndex = i;
    return { classIndex, label: this.metadata.labels[classIndex], confidence: probabilities[classIndex], probabilities };
  }

  /** Releases the head's tensors (the encoder is shared: its owner disposes it). */
  dispose(): void {
    this.model.dispose();
  }
}
