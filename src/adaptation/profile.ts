/**
 * A voice profile: a person's adapted classifier head for one model, as a small JSON file
 * (`.dlprofile.json`). It holds weights only — never audio — and names the model it was made
 * for, so it cannot be applied to another one.
 */
import type { DigitClassifier } from '../model/classifier';
import { fnv1a } from '../model/encoder';
import type { SoftmaxHead } from './head';

/** The file format, version 1. */
export interface VoiceProfile {
  readonly format: 'digit-listener-profile';
  readonly version: 1;
  /** {@link modelFingerprint} of the word model the head was adapted from. */
  readonly model: string;
  /** ISO 8601 time of the enrollment. */
  readonly createdAt: string;
  /** Takes enrolled, per digit 0–9. */
  readonly takes: readonly number[];
  /** The adapted head: `[inputs × classes]` kernel (row-major) and `[classes]` bias. */
  readonly head: { readonly inputs: number; readonly classes: number; readonly kernel: readonly number[]; readonly bias: readonly number[] };
}

/** A profile file that cannot be used: unreadable, not a profile, or made for another model. */
export class ProfileError extends Error {
  /** The file or URL of the profile. */
  readonly source: string;
  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`voice profile ${source} cannot be used: ${problem}`, options);
    this.name = 'ProfileError';
    this.source = source;
  }
}

/**
 * A short identifier of a word model: FNV-1a (32 bit, Fowler–Noll–Vo) over its speech encoder's
 * fingerprint (which covers the encoder's weights), its labels, its frontend/window metadata and
 * the bytes of every weight of its head, as 8 hex digits. Another encoder or another head gives
 * another fingerprint; it needs no hashing API (synchronous, same in Node, page and worker).
 */
export function modelFingerprint(classifier: DigitClassifier): string {
  const { labels, frontend, window } = classifier.metadata;
  const weights = classifier.model.getWeights().map((w) => w.dataSync() as Float32Array);
  return fnv1a(JSON.stringify([classifier.encoder.fingerprint, labels, frontend, window]), ...weights);
}

/** Rounds a weight for the file: 6 significant digits keep the head's decisions (float32 has ~7). */
const round6 = (x: number): number => Number(x.toPrecision(6));

/**
 * The profile of an adapted head, ready for `JSON.stringify`.
 * @param takes takes enrolled per digit 0–9
 */
export function makeProfile(classifier: DigitClassifier, head: SoftmaxHead, takes: readonly number[], createdAt = new Date()): VoiceProfile {
  return {
    format: 'digit-listener-profile',
    version: 1,
    model: modelFingerprint(classifier),
    createdAt: createdAt.toISOString(),
    takes: [...takes],
    head: { inputs: head.inputs, classes: head.classes, kernel: Array.from(head.kernel, round6), bias: Array.from(head.bias, round6) },
  };
}

/**
 * Reads a profile for `classifier`.
 * @param text the file's text
 * @param source its path or URL, for errors
 * @returns the head to set as `classifier.adaptedHead`
 * @throws ProfileError naming `source`: not JSON, not a profile, a newer format, made for
 *   another model (both fingerprints named), or weights of the wrong shape
 */
export function readProfile(text: string, source: string, classifier: DigitClassifier): SoftmaxHead {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ProfileError(source, `not JSON (${(error as Error).message})`, { cause: error });
  }
  const p = raw as Partial<VoiceProfile> | null;
  if (p?.format !== 'digit-listener-profile' || !p.head) throw new ProfileError(source, 'not a digit-listener voice profile');
  if (p.version !== 1) throw new ProfileError(source, `format version ${String(p.version)}; this version reads version 1`);
  const fingerprint = modelFingerprint(classifier);
  if (p.model !== fingerprint) {
    throw new ProfileError(source, `it was made for another model (${String(p.model)}; this model is ${fingerprint}): enroll again with this model`);
  }
  const shipped = classifier.shippedHead();
  const { inputs, classes, kernel, bias } = p.head;
  if (inputs !== shipped.inputs || classes !== shipped.classes || kernel.length !== inputs * classes || bias.length !== classes || ![...kernel, ...bias].every(Number.isFinite)) {
    throw new ProfileError(source, `its weights are not a ${shipped.inputs} × ${shipped.classes} head`);
  }
  return { inputs, classes, kernel: Float32Array.from(kernel), bias: Float32Array.from(bias) };
}
