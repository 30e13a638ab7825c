/**
 * Enrollment: a person's takes of the digits (one or a few each) become an adapted classifier
 * head for the word model. Each take goes through the product's own pipeline (resampler,
 * log-mel, VAD gate, window), plus augmented copies (gain, noise, speed) so that one take stands
 * for the ways the same person says the digit; the head is then refitted (`head.ts`).
 */
import { mixAtSnr, rms } from '../audio/noise';
import { Random } from '../audio/random';
import { resample } from '../frontend/resampler';
import type { DigitClassifier } from '../model/classifier';
import { DIGIT_LABELS } from '../model/labels';
import { pipelineConfigFor } from '../pipeline/recognizer';
import { StreamingPipeline, type UtteranceWindow } from '../pipeline/streaming-pipeline';
import { type FitHeadOptions, fitHead, type HeadExample, type SoftmaxHead } from './head';

/** Order the digits are asked for in an enrollment: as on a phone's keypad. */
export const ENROLLMENT_ORDER: readonly number[] = Object.freeze([1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);

/** One enrolled take: a recording of one digit. */
export interface EnrollmentTake {
  /** Mono samples at `sampleRate`. */
  readonly samples: Float32Array;
  /** Hz. */
  readonly sampleRate: number;
  /** The digit said, 0–9. */
  readonly digit: number;
}

/**
 * Augmented copies of each take: its own, quieter/louder, in noise, slower/faster, and read with
 * a warped mel filterbank (VTLP).
 *
 * The four extra speeds (0.85, 0.96, 1.04, 1.15) and the VTLP warps were added after measuring
 * them on the leave-one-speaker-out folds (`npm run eval:enrollment`, enrolled windows at
 * {@link ENROLLED_WEIGHT}): with the first set (gains, noise, speeds 0.92/1.08) 93.00 % on the
 * enrolled speaker after 1 take per digit and 94.42 % after 3; with these 93.58 % and 94.83 %,
 * other speakers and false accepts within 0.5 point.
 */
export interface AugmentOptions {
  /** Gains (×). Default [0.3, 3]. */
  readonly gains?: readonly number[];
  /** SNRs of added white noise, dB. Default [20, 10]. */
  readonly noiseSnrDb?: readonly number[];
  /** Speed factors (resampled, pitch moves with it). Default [0.85, 0.92, 0.96, 1.04, 1.08, 1.15]. */
  readonly speeds?: readonly number[];
  /**
   * VTLP warp factors the take is also read with (Jaitly & Hinton 2013; `frontend/mel.ts`): the
   * same words from a slightly shorter or longer vocal tract. Default [0.9, 0.95, 1.05, 1.1].
   */
  readonly vtlpWarps?: readonly number[];
  /** Seed of the noise. Default 1. */
  readonly seed?: number;
}

/** Default speed factors of {@link AugmentOptions.speeds}. */
export const ENROLLMENT_SPEEDS: readonly number[] = Object.freeze([0.85, 0.92, 0.96, 1.04, 1.08, 1.15]);

/** Default warps of {@link AugmentOptions.vtlpWarps}. */
export const ENROLLMENT_VTLP_WARPS: readonly number[] = Object.freeze([0.9, 0.95, 1.05, 1.1]);

/**
 * Weight of each enrolled window against each anchor in the fit. Measured on the
 * leave-one-speaker-out folds (`npm run eval:enrollment`, 1 take per digit; other speakers'
 * digits / non-digit false accepts under the profile, 96.47 % / 16.72 % before enrollment):
 * weight 1 → 92.79 % on the enrolled speaker (96.73 % / 14.94 %), 3 → 93.58 % (96.73 % / 15.61 %),
 * 5 → 93.83 % (96.33 % / 16.44 %), 8 → 94.00 % (96.00 % / 17.50 %: more false accepts than
 * before enrollment). 3 gains most of it and keeps both well inside their targets.
 */
export const ENROLLED_WEIGHT = 3;

/**
 * The take and its augmented copies in the signal domain, all at the take's rate (the VTLP
 * copies are made by the frontend: {@link adaptHead}).
 * @returns `[1 + gains + noises + speeds]` signals
 */
export function augmentTake(take: EnrollmentTake, options: AugmentOptions = {}): Float32Array[] {
  const { gains = [0.3, 3], noiseSnrDb = [20, 10], speeds = ENROLLMENT_SPEEDS, seed = 1 } = options;
  const { samples } = take;
  const out: Float32Array[] = [samples];
  for (const g of gains) out.push(samples.map((x) => Math.max(-1, Math.min(1, x * g))));
  const level = rms(samples);
  const random = new Random(seed + take.digit);
  for (const snr of noiseSnrDb) {
    // Uniform white noise of unit RMS (√3 · U(−1, 1)) at the wanted SNR against the whole take.
    const noise = Float32Array.from(samples, () => Math.sqrt(3) * (2 * random.next() - 1));
    out.push(mixAtSnr(samples, noise, level, snr));
  }
  // Played `s` times faster: resampled by 1 / s and read at the take's rate. Only the ratio of
  // the two rates matters, so they are the speed's nearest small fraction p / q: the resampler's
  // filter has q phases, and `sampleRate / s` (e.g. 8000 / 0.96 → 8333 Hz, 8,333 phases) took
  // ~40 ms per copy to set up.
  for (const s of speeds) {
    const [p, q] = smallFraction(s);
    out.push(resample(samples, p, q));
  }
  return out;
}

/**
 * The fraction p / q nearest to `x` with q ≤ `maxDenominator`.
 * @throws RangeError for x ≤ 0
 */
function smallFraction(x: number, maxDenominator = 25): [number, number] {
  if (!(x > 0)) throw new RangeError(`speed factor must be positive, got ${x}`);
  let best: [number, number] = [Math.max(1, Math.round(x)), 1];
  for (let q = 1; q <= maxDenominator; q++) {
    const p = Math.max(1, Math.round(x * q));
    if (Math.abs(p / q - x) < Math.abs(best[0] / best[1] - x) - 1e-12) best = [p, q];
  }
  return best;
}

/**
 * The window the word model reads for a recording of one word: the longest speech segment the
 * gate finds in it (a take with a cough before the digit keeps the digit), read whole.
 * @param vtlpWarp VTLP warp factor of the mel filterbank (augmentation only; 1 = as recognized)
 * @returns the window's `[windowFrames, melBins]` features, or null if no speech was found
 * @throws RangeError for an unusable sample rate or a warp outside `VTLP_WARP_LIMITS`
 */
export function wordWindow(classifier: DigitClassifier, samples: Float32Array, sampleRate: number, vtlpWarp = 1): Float32Array | null {
  const pipeline = new StreamingPipeline(sampleRate, pipelineConfigFor({ word: classifier, strings: null }), { vtlpWarp });
  const windows: UtteranceWindow[] = [...pipeline.push(samples).windows, ...pipeline.flush().windows];
  let best: UtteranceWindow | null = null;
  for (const w of windows) if (!best || w.endMs - w.startMs > best.endMs - best.startMs) best = w;
  return best?.features ?? null;
}

/** What {@link adaptHead} did. */
export interface Adaptation {
  readonly head: SoftmaxHead;
  /** Windows the head was fitted on (takes × augmented copies with speech). */
  readonly examples: number;
  /** Takes in which the gate found no speech (not used). */
  readonly silentTakes: number;
}

/**
 * Adapts the word model's head to the person who said `takes`: every take and its augmented
 * copies (weight `enrolledWeight` each) with the anchors (weight 1 each).
 * @throws RangeError for a digit outside 0–9, or when no take has speech
 */
export function adaptHead(
  classifier: DigitClassifier,
  takes: readonly EnrollmentTake[],
  options: { augment?: AugmentOptions; fit?: FitHeadOptions; anchors?: readonly HeadExample[]; enrolledWeight?: number } = {},
): Adaptation {
  const { enrolledWeight = ENROLLED_WEIGHT } = options;
  const warps = options.augment?.vtlpWarps ?? ENROLLMENT_VTLP_WARPS;
  const examples: HeadExample[] = [];
  let silentTakes = 0;
  for (const take of takes) {
    if (!(Number.isInteger(take.digit) && take.digit >= 0 && take.digit <= 9)) throw new RangeError(`enrollment take of digit ${take.digit}: digits are 0–9`);
    const label = classifier.metadata.labels.indexOf(DIGIT_LABELS[take.digit]);
    const windows = [
      ...augmentTake(take, options.augment).map((signal) => wordWindow(classifier, signal, take.sampleRate)),
      ...warps.map((warp) => wordWindow(classifier, take.samples, take.sampleRate, warp)),
    ].filter((w): w is Float32Array => w !== null);
    // One encoder pass over the take's windows.
    for (const embedding of classifier.embedMany(windows)) examples.push({ embedding, label, weight: enrolledWeight });
    if (windows.length === 0) silentTakes++;
  }
  if (examples.length === 0) throw new RangeError('enrollment: no take has speech the gate could hear');
  return { head: fitHead(classifier.shippedHead(), [...examples, ...(options.anchors ?? [])], options.fit), examples: examples.length, silentTakes };
}
