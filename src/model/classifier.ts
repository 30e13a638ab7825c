import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
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
   * Classifies one window.
   *
   * @param features `[windowFrames, melBins]` row-major ln(mel) values from the pipeline
   * @throws RangeError if the window has the wrong size
   */
  predict(features: Float32Array): Prediction {
    const { windowFrames } = this.metadata.window;
    const { melBins } = this.metadata.frontend;
    if (features.length !== windowFrames * melBins) {
      throw new RangeError(`DigitClassifier.predict: expected ${windowFrames}×${melBins} values, got ${features.length}`);
    }
    const input = normalizeWindow(features, this.metadata.normalization);
    const probabilities = tf.tidy(() => {
      const x = tf.tensor4d(input, [1, windowFrames, melBins, 1]);
      return Array.from(this.forward(x).dataSync());
    });
    let classIndex = 0;
    for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[classIndex]) classIndex = i;
    return { classIndex, label: this.metadata.labels[classIndex], confidence: probabilities[classIndex], probabilities };
  }

  /** Releases the model's tensors. */
  dispose(): void {
    this.model.dispose();
  }
}
