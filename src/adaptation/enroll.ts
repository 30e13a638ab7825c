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

/** Augmented copies of each take: its own, quieter/louder, in noise, slower/faster. */
export interface AugmentOptions {
  /** Gains (×). Default [0.3, 3]. */
  readonly gains?: readonly number[];
  /** SNRs of added white noise, dB. Default [20, 10]. */
  readonly noiseSnrDb?: readonly number[];
  /** Speed factors (resampled, pitch moves with it, as VTLP-like variation). Default [0.92, 1.08]. */
  readonly speeds?: readonly number[];
  /** Seed of the noise. Default 1. */
  readonly seed?: number;
}

/**
 * The take and its augmented copies, all at the take's rate.
 * @returns `[1 + gains + noises + speeds]` signals
 */
export function augmentTake(take: EnrollmentTake, options: AugmentOptions = {}): Float32Array[] {
  const { gains = [0.3, 3], noiseSnrDb = [20, 10], speeds = [0.92, 1.08], seed = 1 } = options;
  const { samples, sampleRate } = take;
  const out: Float32Array[] = [samples];
  for (const g of gains) out.push(samples.map((x) => Math.max(-1, Math.min(1, x * g))));
  const level = rms(samples);
  const random = new Random(seed + take.digit);
  for (const snr of noiseSnrDb) {
    // Uniform white noise of unit RMS (√3 · U(−1, 1)) at the wanted SNR against the whole take.
    const noise = Float32Array.from(samples, () => Math.sqrt(3) * (2 * random.next() - 1));
    out.push(mixAtSnr(samples, noise, level, snr));
  }
  // Played `s` times faster: resampled to rate / s and read at the take's rate.
  for (const s of speeds) out.push(resample(samples, sampleRate, Math.round(sampleRate / s)));
  return out;
}

/**
 * The window the word model reads for a recording of one word: the longest speech segment the
 * gate finds in it (a take with a cough before the digit keeps the digit), read whole.
 * @returns the window's `[windowFrames, melBins]` features, or null if no speech was found
 */
export function wordWindow(classifier: DigitClassifier, samples: Float32Array, sampleRate: number): Float32Array | null {
  const pipeline = new StreamingPipeline(sampleRate, pipelineConfigFor({ word: classifier, strings: null }));
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
 * Adapts the word model's head to the person who said `takes`.
 * @throws RangeError for a digit outside 0–9, or when no take has speech
 */
export function adaptHead(
  classifier: DigitClassifier,
  takes: readonly EnrollmentTake[],
  options: { augment?: AugmentOptions; fit?: FitHeadOptions; anchors?: readonly HeadExample[] } = {},
): Adaptation {
  const examples: HeadExample[] = [];
  let silentTakes = 0;
  for (const take of takes) {
    if (!(Number.isInteger(take.digit) && take.digit >= 0 && take.digit <= 9)) throw new RangeError(`enrollment take of digit ${take.digit}: digits are 0–9`);
    const label = classifier.metadata.labels.indexOf(DIGIT_LABELS[take.digit]);
    let heard = false;
    for (const signal of augmentTake(take, options.augment)) {
      const features = wordWindow(classifier, signal, take.sampleRate);
      if (!features) continue;
      heard = true;
      examples.push({ embedding: classifier.embed(features), label });
    }
    if (!heard) silentTakes++;
  }
  if (examples.length === 0) throw new RangeError('enrollment: no take has speech the gate could hear');
  return { head: fitHead(classifier.shippedHead(), [...examples, ...(options.anchors ?? [])], options.fit), examples: examples.length, silentTakes };
}
