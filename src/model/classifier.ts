import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { headProbabilities, type SoftmaxHead } from '../adaptation/head';
import { compileFusedForward, type FusedForward } from './fused-forward';
import { normalizeWindow } from './input';
import { checkModelMetadata, ModelLoadError, type ModelMetadata } from './metadata';
import { loadLayersModelNamed } from './load-layers';

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
 * A loaded digit model: checks its input against its metadata, normalises windows the way
 * the trainer did, and returns softmax probabilities.
 */
export class DigitClassifier {
  readonly model: tfl.LayersModel;
  readonly metadata: ModelMetadata;
  readonly source: string;
  /** The forward pass used by {@link predict}: fused ops, or `model.predict` for layers it does not cover. */
  private readonly forward: FusedForward;
  /** The forward pass up to the classifier head (built on first use). */
  private embedForward: FusedForward | null = null;
  private head: SoftmaxHead | null = null;

  private constructor(model: tfl.LayersModel, metadata: ModelMetadata, source: string) {
    this.model = model;
    this.metadata = metadata;
    this.source = source;
    let forward: FusedForward;
    try {
      forward = compileFusedForward(model);
    } catch {
      forward = (x) => model.predict(x) as tf.Tensor;
    }
    this.forward = forward;
  }

  /**
   * Loads a model from a URL (browser) or an `tf.io.IOHandler` (Node: see `node-io.ts`).
   *
   * The pipeline that feeds it is built from its metadata (`pipelineConfigFor`).
   *
   * @param source URL or handler; `sourceName` names it in errors
   * @throws ModelLoadError if the files are missing, malformed, without metadata, or of another
   *   input shape than its metadata's `[windowFrames, melBins, 1]`.
   */
  static async load(source: string | tf.io.IOHandler, sourceName: string = typeof source === 'string' ? source : 'model'): Promise<DigitClassifier> {
    const model = await loadLayersModelNamed(source, sourceName);
    try {
      const metadata = checkModelMetadata(model.getUserDefinedMetadata(), sourceName);
      const shape = model.inputs[0].shape;
      const expected = [null, metadata.window.windowFrames, metadata.frontend.melBins, 1];
      if (shape.length !== 4 || shape.some((d, i) => d !== expected[i])) {
        throw new ModelLoadError(sourceName, `input shape [${shape.join(', ')}] does not match its metadata's [${expected.join(', ')}]`);
      }
      const units = model.outputs[0].shape[1];
      if (units !== metadata.labels.length) {
        throw new ModelLoadError(sourceName, `${units} outputs but ${metadata.labels.length} labels`);
      }
      return new DigitClassifier(model, metadata, sourceName);
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
   * The embedding of one window: the input of the classifier head.
   * @param features `[windowFrames, melBins]` row-major ln(mel) values from the pipeline
   * @returns `[inputs of the head]` (160 for the shipped model)
   * @throws RangeError if the window has the wrong size
   */
  embed(features: Float32Array): Float32Array {
    this.embedForward ??= compileFusedForward(this.model, { withoutLastLayer: true });
    const forward = this.embedForward;
    return tf.tidy(() => forward(this.inputTensor(features, 'embed')).dataSync() as Float32Array);
  }

  private inputTensor(features: Float32Array, caller: string): tf.Tensor4D {
    const { windowFrames } = this.metadata.window;
    const { melBins } = this.metadata.frontend;
    if (features.length !== windowFrames * melBins) {
      throw new RangeError(`DigitClassifier.${caller}: expected ${windowFrames}×${melBins} values, got ${features.length}`);
    }
    return tf.tensor4d(normalizeWindow(features, this.metadata.normalization), [1, windowFrames, melBins, 1]);
  }

  /**
   * Classifies one window.
   *
   * @param features `[windowFrames, melBins]` row-major ln(mel) values from the pipeline
   * @throws RangeError if the window has the wrong size
   */
  predict(features: Float32Array): Prediction {
    const head = this.head;
    const probabilities = head
      ? Array.from(headProbabilities(head, this.embed(features)))
      : tf.tidy(() => Array.from(this.forward(this.inputTensor(features, 'predict')).dataSync()));
    let classIndex = 0;
    for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[classIndex]) classIndex = i;
    return { classIndex, label: this.metadata.labels[classIndex], confidence: probabilities[classIndex], probabilities };
  }

  /** Releases the model's tensors. */
  dispose(): void {
    this.model.dispose();
  }
}
