/**
 * Anchors: general examples shipped beside a word model (`anchors.json`) that every enrollment
 * is fitted with, so that an adapted head still rejects words that are not digits (its `other`
 * class, which a person's digit takes never show). Made by `npm run anchors`.
 */
import type { DigitClassifier } from '../model/classifier';
import { OTHER_LABEL } from '../model/labels';
import type { HeadExample } from './head';
import { modelFingerprint } from './profile';

/** The `anchors.json` format, version 1. */
export interface AnchorsFile {
  readonly format: 'digit-listener-anchors';
  readonly version: 1;
  /** Fingerprint of the word model whose embeddings these are. */
  readonly model: string;
  /** Where the examples come from, in words. */
  readonly source: string;
  /** Embeddings (the head's input) of `other` examples, `[count][inputs]`. */
  readonly other: readonly (readonly number[])[];
}

/** The anchors file of `embeddings` of non-digit words for `classifier`. */
export function makeAnchors(classifier: DigitClassifier, embeddings: readonly Float32Array[], source: string): AnchorsFile {
  return {
    format: 'digit-listener-anchors',
    version: 1,
    model: modelFingerprint(classifier),
    source,
    other: embeddings.map((e) => Array.from(e, (x) => Number(x.toPrecision(4)))),
  };
}

/**
 * Reads anchors for `classifier`.
 * @param source path or URL of the file, for errors
 * @returns examples of the `other` class
 * @throws Error naming `source` if it is not an anchors file, or belongs to another model
 */
export function readAnchors(text: string, source: string, classifier: DigitClassifier): HeadExample[] {
  let file: Partial<AnchorsFile> | null;
  try {
    file = JSON.parse(text) as Partial<AnchorsFile> | null;
  } catch (error) {
    throw new Error(`anchors ${source} are not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (file?.format !== 'digit-listener-anchors' || file.version !== 1 || !Array.isArray(file.other)) throw new Error(`${source} is not a digit-listener anchors file (version 1)`);
  const fingerprint = modelFingerprint(classifier);
  if (file.model !== fingerprint) throw new Error(`anchors ${source} belong to another model (${String(file.model)}; this model is ${fingerprint}): run npm run anchors`);
  const label = classifier.metadata.labels.indexOf(OTHER_LABEL);
  const inputs = classifier.shippedHead().inputs;
  const other: readonly (readonly number[])[] = file.other;
  return other.map((e, i) => {
    if (!Array.isArray(e) || e.length !== inputs || !e.every(Number.isFinite)) throw new Error(`anchors ${source}: example ${i} is not ${inputs} numbers (the model's embedding)`);
    return { embedding: Float32Array.from(e), label };
  });
}
