import type { AugmentConfig } from '../augment';

/** Shape of one model input window, `[frames, melBins]`. */
export interface WindowShape {
  readonly frames: number;
  readonly melBins: number;
}

/**
 * One clip to featurise in one epoch: its id (FSDD file name, synthetic manifest path, or
 * `other:<epoch>:<n>` for a generated non-speech sound) and its class index.
 */
export interface FeatureJob {
  readonly id: string;
  readonly label: number;
}

/** Where the feature worker finds its training clips. Plain data: it crosses a thread boundary. */
export interface ClipSources {
  /** FSDD training clips (paths). */
  readonly fsdd: readonly { path: string; digit: number }[];
  /** Pitch-shifted copies of FSDD clips, by FSDD path. */
  readonly pitchCopies: Readonly<Record<string, readonly string[]>>;
  /** Synthetic training clips (absolute paths, digit -1 = other), may be empty. */
  readonly synth: readonly { id: string; path: string; digit: number }[];
  /** Real recorded words of training speakers (Speech Commands; digit -1 = not a digit), may be empty. */
  readonly real?: readonly { id: string; path: string; digit: number }[];
  /** Recordings of real background noise (Speech Commands `_silence_` / `_background_noise_`), may be empty. */
  readonly noise?: readonly string[];
  /**
   * Which clips babble is built from: the real non-digit words (`real`), the synthetic clips, or
   * FSDD. Real voices make the most realistic babble; non-digit words keep digits out of it.
   */
  readonly babbleFrom: 'fsdd' | 'synth' | 'real';
}

/** Everything that decides the features of a job: a different recipe gives a different cache. */
export interface FeatureRecipe {
  readonly seed: number;
  readonly augment: AugmentConfig;
  readonly shape: WindowShape;
}

/** The features of one epoch's jobs, in job order. */
export interface EpochFeatures {
  readonly jobs: readonly FeatureJob[];
  /** `[jobs, frames·melBins]` normalised windows; rows of absent windows are zeros. */
  readonly windows: Float32Array;
  /** 1 where the gate found an utterance in the augmented clip, else 0 (the job is skipped). */
  readonly present: Uint8Array;
}

/** 32-bit FNV-1a hash of a string (Fowler–Noll–Vo), for per-clip seeds. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The seed of one clip's augmentation in one epoch. It depends on nothing else, so a clip's
 * features are the same in every run with that recipe — whichever other clips (leave-one-
 * speaker-out folds, `--limit`) take part — and can be cached.
 */
export function clipSeed(seed: number, epoch: number, id: string): number {
  return fnv1a(`${seed}:${epoch}:${id}`);
}

/** Identity of a non-speech job. */
export const nonSpeechId = (epoch: number, n: number) => `other:${epoch}:${n}`;

/** Identity of a phrase job: real non-digit words glued into running speech ("not a digit"). */
export const phraseId = (epoch: number, n: number) => `phrase:${epoch}:${n}`;

/**
 * Identity of the `take`-th augmented copy of a clip in one epoch (take 0 is the clip's own id):
 * scarce real digits are seen several times per epoch, each time augmented afresh.
 */
export const takeId = (id: string, take: number) => (take === 0 ? id : `${id}#${take}`);

/** The clip id of a job id (without its {@link takeId} suffix). */
export const clipOf = (jobId: string) => jobId.replace(/#\d+$/, '');
