import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { normalizeToReference } from './input';
import { DIGIT_LABELS, OTHER_LABEL } from './labels';
import { checkModelMetadata, ModelLoadError, type ModelMetadata } from './metadata';
import { loadLayersModelNamed } from './load-layers';

/** Label of the CTC blank, the string model's last output. */
export const BLANK_LABEL = 'blank';

/** The string model's outputs: the ten digits, a filler token for any other word, the blank. */
export const STRING_MODEL_LABELS: readonly string[] = Object.freeze([...DIGIT_LABELS, OTHER_LABEL, BLANK_LABEL]);

/** Metadata of the string model: the word model's, plus how its output frames map to input frames. */
export interface StringModelMetadata extends ModelMetadata {
  /** `'ctc'`: outputs are per-frame posteriors over the digits and a blank (last). */
  readonly decoder: 'ctc';
  /** Input frames (10 ms) per output frame: 4 → one output every 40 ms. */
  readonly frameStride: number;
  /**
   * Input frames on each side of an output frame that its value depends on (half the receptive
   * field, rounded up to a multiple of `frameStride`): the reader's context at window edges.
   */
  readonly contextFrames: number;
}

/**
 * The digit-string model: a fully convolutional network over the log-mel frames of a run of
 * speech that outputs, every `frameStride` frames, CTC posteriors (Graves et al. 2006) over the
 * ten digits, "other" (a filler token: any word that is not a digit) and the blank. Input
 * `[frames, melBins]` normalised log-mel (any `frames`, a multiple of `frameStride`); output
 * `[frames / frameStride, 12]` softmax probabilities.
 */
export class StringModel {
  readonly model: tfl.LayersModel;
  readonly metadata: StringModelMetadata;
  readonly source: string;

  private constructor(model: tfl.LayersModel, metadata: StringModelMetadata, source: string) {
    this.model = model;
    this.metadata = metadata;
    this.source = source;
  }

  /** Output classes: the ten digits, "other", then the blank. */
  get classes(): number {
    return this.metadata.labels.length;
  }

  /** Index of the blank output (the last). */
  get blank(): number {
    return this.metadata.labels.length - 1;
  }

  /** Index of the "other" (non-digit word) output. */
  get other(): number {
    return DIGIT_LABELS.length;
  }

  /**
   * Loads a string model from a URL (browser) or a `tf.io.IOHandler` (Node: `node-io.ts`).
   *
   * @throws ModelLoadError if the files are missing or malformed, the model is not a CTC digit
   *   model, or its input does not take its metadata's mel bins
   */
  static async load(source: string | tf.io.IOHandler, sourceName: string = typeof source === 'string' ? source : 'string model'): Promise<StringModel> {
    const model = await loadLayersModelNamed(source, sourceName);
    try {
      const metadata = checkModelMetadata(model.getUserDefinedMetadata(), sourceName) as StringModelMetadata;
      const expectedLabels = STRING_MODEL_LABELS;
      if (metadata.decoder !== 'ctc' || !(metadata.frameStride > 0) || !(metadata.contextFrames >= 0)) {
        throw new ModelLoadError(sourceName, 'not a CTC string model (metadata decoder/frameStride/contextFrames missing): a word model given as the string model?');
      }
      if (metadata.labels.join() !== expectedLabels.join()) {
        throw new ModelLoadError(sourceName, `labels [${metadata.labels.join(', ')}] are not [${expectedLabels.join(', ')}]`);
      }
      const shape = model.inputs[0].shape;
      if (shape.length !== 3 || shape[2] !== metadata.frontend.melBins) {
        throw new ModelLoadError(sourceName, `input shape [${shape.join(', ')}] is not [batch, frames, ${metadata.frontend.melBins}] (its metadata's mel bins)`);
      }
      return new StringModel(model, metadata, sourceName);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /**
   * CTC posteriors of a stretch of frames.
   *
   * @param features `[frames, melBins]` row-major ln(mel) values
   * @param reference ln(mel) value the normalisation maps to 1 (the loudest frame of the run so far)
   * @returns `[frames / frameStride, classes]` row-major softmax probabilities
   * @throws RangeError if `features` is not a whole number of `frameStride`-frame blocks
   */
  posteriors(features: Float32Array, reference: number): Float32Array {
    const { melBins } = this.metadata.frontend;
    const frames = features.length / melBins;
    if (!Number.isInteger(frames) || frames % this.metadata.frameStride !== 0 || frames === 0) {
      throw new RangeError(`StringModel.posteriors: expected a multiple of ${this.metadata.frameStride} frames of ${melBins} values, got ${features.length} values`);
    }
    const input = normalizeToReference(features, reference, this.metadata.normalization);
    return tf.tidy(() => {
      const logits = this.model.predict(tf.tensor3d(input, [1, frames, melBins])) as tf.Tensor;
      return tf.softmax(logits).dataSync() as Float32Array;
    });
  }

  /** Releases the model's tensors. */
  dispose(): void {
    this.model.dispose();
  }
}
