/**
 * Anchors: general examples shipped beside a word model (`anchors.json`) that every enrollment
 * is fitted with besides the person's takes. Non-digit words keep the adapted head rejecting
 * words that are not digits (its `other` class, which a person's digit takes never show); other
 * people's digits keep it reading other people. Made by `npm run anchors`.
 *
 * Stored as uint8 (the embeddings are ReLU outputs, ≥ 0) scaled by the file's largest value,
 * base64: 328 examples of 160 values in 70 KB instead of ~300 KB of decimal JSON.
 */
import type { DigitClassifier } from '../model/classifier';
import { DIGIT_LABELS, OTHER_LABEL } from '../model/labels';
import type { HeadExample } from './head';
import { modelFingerprint } from './profile';

/** The `anchors.json` format, version 2. */
export interface AnchorsFile {
  readonly format: 'digit-listener-anchors';
  readonly version: 2;
  /** Fingerprint of the word model whose embeddings these are. */
  readonly model: string;
  /** Where the examples come from, in words. */
  readonly source: string;
  /** Values per embedding (the head's inputs). */
  readonly inputs: number;
  /** An embedding value is `byte / 255 · scale`. */
  readonly scale: number;
  /** Per label (`other`, `zero`…`nine`): the examples' bytes, `[count × inputs]`, base64. */
  readonly examples: Readonly<Record<string, string>>;
}

/** A label's examples as uint8 base64 at `scale`. */
function encode(embeddings: readonly Float32Array[], scale: number): string {
  const bytes = new Uint8Array(embeddings.reduce((n, e) => n + e.length, 0));
  let k = 0;
  for (const e of embeddings) for (const x of e) bytes[k++] = Math.round((Math.max(0, x) / scale) * 255);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * The anchors file for `classifier`.
 * @param examples label (`other`, or a digit's name) → its examples' embeddings
 */
export function makeAnchors(classifier: DigitClassifier, examples: Readonly<Record<string, readonly Float32Array[]>>, source: string): AnchorsFile {
  let scale = 0;
  for (const list of Object.values(examples)) for (const e of list) for (const x of e) scale = Math.max(scale, x);
  scale = scale || 1;
  return {
    format: 'digit-listener-anchors',
    version: 2,
    model: modelFingerprint(classifier),
    source,
    inputs: classifier.shippedHead().inputs,
    scale,
    examples: Object.fromEntries(Object.entries(examples).map(([label, list]) => [label, encode(list, scale)])),
  };
}

/**
 * Reads anchors for `classifier`.
 * @param source path or URL of the file, for errors
 * @returns labelled examples for `fitHead`
 * @throws Error naming `source` if it is not an anchors file, belongs to another model, or has
 *   a label the model does not have
 */
export function readAnchors(text: string, source: string, classifier: DigitClassifier): HeadExample[] {
  let file: Partial<AnchorsFile> | null;
  try {
    file = JSON.parse(text) as Partial<AnchorsFile> | null;
  } catch (error) {
    throw new Error(`anchors ${source} are not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (file?.format !== 'digit-listener-anchors' || file.version !== 2 || !file.examples || !(Number(file.scale) > 0)) {
    throw new Error(`${source} is not a digit-listener anchors file (version 2): run npm run anchors`);
  }
  const fingerprint = modelFingerprint(classifier);
  if (file.model !== fingerprint) throw new Error(`anchors ${source} belong to another model (${String(file.model)}; this model is ${fingerprint}): run npm run anchors`);
  const inputs = classifier.shippedHead().inputs;
  if (file.inputs !== inputs) throw new Error(`anchors ${source} have ${String(file.inputs)} values per example, the model's embedding ${inputs}`);
  const scale = Number(file.scale);
  const out: HeadExample[] = [];
  for (const [name, data] of Object.entries(file.examples)) {
    const label = classifier.metadata.labels.indexOf(name);
    if (label < 0 || (name !== OTHER_LABEL && !DIGIT_LABELS.includes(name as (typeof DIGIT_LABELS)[number])))
      throw new Error(`anchors ${source}: label ${name} is not one of the model's`);
    const binary = atob(data);
    if (binary.length % inputs !== 0) throw new Error(`anchors ${source}: the ${name} examples are not whole embeddings of ${inputs} values`);
    for (let start = 0; start < binary.length; start += inputs) {
      const embedding = new Float32Array(inputs);
      for (let i = 0; i < inputs; i++) embedding[i] = (binary.charCodeAt(start + i) / 255) * scale;
      out.push({ embedding, label });
    }
  }
  return out;
}
