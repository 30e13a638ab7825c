import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { SpeechEncoder } from './encoder';
import { compileFusedForward, type FusedForward } from './fused-forward';
import { type EncoderSource, loadHeadModel } from './head-model';
import { DIGIT_LABELS, OTHER_LABEL } from './labels';
import { checkModelMetadata, ModelLoadError, type ModelMetadata } from './metadata';

/** Label of the CTC blank, the string model's last output. */
export const BLANK_LABEL = 'blank';

/** The string model's outputs: the ten digits, a filler token for any other word, the blank. */
export const STRING_MODEL_LABELS: readonly string[] = Object.freeze([...DIGIT_LABELS, OTHER_LABEL, BLANK_LABEL]);

/** Metadata of the string head: a head's, plus the context its outputs read. */
export interface StringModelMetadata extends ModelMetadata {
  /** `'ctc'`: outputs are per-step posteriors over the digits, "other" and a blank (last). */
  readonly decoder: 'ctc';
  /**
   * Embedding steps on each side of an output step that its value depends on: the head's
   * convolutions are `valid`, so `steps` embeddings give `steps − 2·contextSteps` outputs.
   */
  readonly contextSteps: number;
}

/**
 * The digit-string model: a small fully convolutional head over the speech encoder's embeddings
 * of a run of speech that outputs, for each 80 ms step, CTC posteriors (Graves et al. 2006) over
 * the ten digits, "other" (a filler token: any word that is not a digit) and the blank. Input
 * `[steps, 96]` embeddings; output `[steps − 2·contextSteps, 12]` softmax probabilities.
 */
export class StringModel {
  readonly model: tfl.LayersModel;
  readonly metadata: StringModelMetadata;
  readonly source: string;
  readonly encoder: SpeechEncoder;
  private readonly forward: FusedForward;

  private constructor(model: tfl.LayersModel, metadata: StringModelMetadata, source: string, encoder: SpeechEncoder) {
    this.model = model;
    this.metadata = metadata;
    this.source = source;
    this.encoder = encoder;
    this.forward = compileFusedForward(model);
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
   * Loads a string head from a URL (browser) or a `tf.io.IOHandler` (Node: `node-io.ts`) with
   * the encoder its metadata names.
   *
   * @throws ModelLoadError if the files are missing or malformed, the model is not a CTC digit
   *   head, or its encoder cannot be loaded or is another one
   */
  static async load(source: string | tf.io.IOHandler, encoders: EncoderSource, sourceName: string = typeof source === 'string' ? source : 'string model'): Promise<StringModel> {
    const { model, encoder } = await loadHeadModel(source, sourceName, encoders);
    try {
      const metadata = checkModelMetadata(model.getUserDefinedMetadata(), sourceName) as StringModelMetadata;
      if (metadata.decoder !== 'ctc' || !(Number.isInteger(metadata.contextSteps) && metadata.contextSteps >= 0)) {
        throw new ModelLoadError(sourceName, 'not a CTC string model (metadata decoder/contextSteps missing): a word model given as the string model?');
      }
      if (metadata.labels.join() !== STRING_MODEL_LABELS.join()) {
        throw new ModelLoadError(sourceName, `labels [${metadata.labels.join(', ')}] are not [${STRING_MODEL_LABELS.join(', ')}]`);
      }
      const shape = model.inputs[0].shape;
      if (shape.length !== 3 || shape[2] !== encoder.embeddingSize) {
        throw new ModelLoadError(sourceName, `input shape [${shape.join(', ')}] is not [batch, steps, ${encoder.embeddingSize}] (its encoder's embedding)`);
      }
      return new StringModel(model, metadata, sourceName, encoder);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /** Steps on each side of an output that it reads. */
  get contextSteps(): number {
    return this.metadata.contextSteps;
  }

  /**
   * CTC posteriors of a stretch of embeddings.
   *
   * @param steps `[count, embeddingSize]` row-major embeddings, count > 2·contextSteps
   * @returns `[count − 2·contextSteps, classes]` row-major softmax probabilities
   * @throws RangeError if `steps` is not a whole number of embeddings or too short
   */
  posteriors(steps: Float32Array): Float32Array {
    const size = this.encoder.embeddingSize;
    const count = steps.length / size;
    if (!Number.isInteger(count) || count <= 2 * this.contextSteps) {
      throw new RangeError(`StringModel.posteriors: expected more than ${2 * this.contextSteps} embeddings of ${size} values, got ${steps.length} values`);
    }
    return tf.tidy(() => tf.softmax(this.forward(tf.tensor3d(steps, [1, count, size]))).dataSync() as Float32Array);
  }

  /** Releases the head's tensors (the encoder is shared: its owner disposes it). */
  dispose(): void {
    this.model.dispose();
  }
}
