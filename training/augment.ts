import { resample } from '../src/frontend/resampler';
import { bandLimit } from './filters';
import { generateNoise, mixAtSnr, type NoiseColour, rms, toUnitRms } from '../src/audio/noise';
import { nonSpeechSound } from './nonspeech';
import type { Random } from '../src/audio/random';
import { convolve, syntheticImpulseResponse } from './reverb';

/** Ranges of the waveform augmentations applied to each training clip. */
export interface AugmentConfig {
  /** Silence/noise placed before the clip, seconds (random time shift in the stream). */
  readonly leadSeconds: readonly [number, number];
  /** Silence/noise placed after the clip, seconds. */
  readonly tailSeconds: readonly [number, number];
  /** Gain range, dB. */
  readonly gainDb: readonly [number, number];
  /** Probability that background noise is added. */
  readonly noiseProbability: number;
  /** SNR range of the added noise, dB (speech RMS vs noise RMS). */
  readonly snrDb: readonly [number, number];
  readonly noiseColours: readonly NoiseColour[];
  /** Probability of speed perturbation (tempo and pitch together, as Kaldi's), and its factor range. */
  readonly speedProbability: number;
  readonly speedRange: readonly [number, number];
  /** Probability of synthetic room reverberation, and its RT60 range in seconds. */
  readonly reverbProbability: number;
  readonly rt60Seconds: readonly [number, number];
  /** Probability of a telephone / phone-microphone band-limit (300–3400 Hz). */
  readonly telephoneProbability: number;
  /** Probability of babble (3–6 other utterances mixed) instead of generated noise, at snrDb. */
  readonly babbleProbability: number;
  /**
   * Probability of a background of non-speech sound events (clicks, tones, chords, bursts from
   * {@link nonSpeechSound}) instead of generated noise, at snrDb.
   */
  readonly soundsProbability: number;
  /** Probability of using a pitch-shifted copy of the clip (see training/pitch.ts), when it has some. */
  readonly pitchProbability: number;
  /**
   * Probability of a real background-noise recording (Speech Commands `_silence_`, from
   * {@link AugmentSources.noisePool}) instead of generated noise, at snrDb. Checked after babble
   * and sound events.
   */
  readonly realNoiseProbability: number;
  /**
   * Probability of vocal tract length perturbation (Jaitly & Hinton 2013), and the range its warp
   * factor α is drawn from (uniformly). Applied by the frontend's mel filterbank, so
   * {@link augmentClip} only draws α.
   */
  readonly vtlpProbability: number;
  readonly vtlpRange: readonly [number, number];
}

/**
 * The shipped model's recipe. Augmentations at probability 0 draw no random numbers, so
 * switching one off changes nothing else (the ablation relies on it).
 */
export const DEFAULT_AUGMENT_CONFIG: AugmentConfig = Object.freeze({
  leadSeconds: [0, 0.6] as const,
  tailSeconds: [0.05, 0.4] as const,
  gainDb: [-12, 12] as const,
  noiseProbability: 0.7,
  snrDb: [0, 30] as const,
  noiseColours: ['white', 'pink', 'brown', 'band'] as const,
  speedProbability: 0.5,
  speedRange: [0.85, 1.2] as const,
  reverbProbability: 0.3,
  rt60Seconds: [0.1, 0.8] as const,
  telephoneProbability: 0.15,
  babbleProbability: 0.2,
  soundsProbability: 0.2,
  pitchProbability: 0.4,
  realNoiseProbability: 0.5,
  vtlpProbability: 0.5,
  vtlpRange: [0.87, 1.15] as const,
});

/** Every waveform augmentation off: the clip as it is, in silence at its own level. */
export const NO_AUGMENTATION: AugmentConfig = Object.freeze({
  ...DEFAULT_AUGMENT_CONFIG,
  leadSeconds: [0.3, 0.3] as const,
  tailSeconds: [0.2, 0.2] as const,
  gainDb: [0, 0] as const,
  noiseProbability: 0,
  speedProbability: 0,
  reverbProbability: 0,
  telephoneProbability: 0,
  babbleProbability: 0,
  soundsProbability: 0,
  pitchProbability: 0,
  realNoiseProbability: 0,
  vtlpProbability: 0,
});

/** What augmentations draw from besides the clip itself. */
export interface AugmentSources {
  /** Utterances to build babble from (any rates). */
  readonly babblePool?: readonly Clip[];
  /** Pitch-shifted copies of this clip, at its sample rate. */
  readonly pitchVariants?: readonly Float32Array[];
  /** Recordings of real background noise (any rates, any lengths). */
  readonly noisePool?: readonly Clip[];
}

/** An augmented clip, and the VTLP warp factor its features are to be computed with (1 = none). */
export interface AugmentedClip extends Clip {
  readonly vtlpWarp: number;
}

/** A mono clip and its sample rate. */
export interface Clip {
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

const chance = (random: Random, p: number) => p > 0 && random.next() < p;

function toRate(clip: Clip, sampleRate: number): Float32Array {
  return clip.sampleRate === sampleRate ? clip.samples : resample(clip.samples, clip.sampleRate, sampleRate);
}

/** Mixes 3–6 utterances from `pool` (resampled to `sampleRate`) at random offsets, unit RMS. */
function babble(length: number, sampleRate: number, pool: readonly Clip[], random: Random): Float32Array {
  const out = new Float32Array(length);
  const voices = 3 + random.int(4);
  for (let v = 0; v < voices; v++) {
    const source = toRate(pool[random.int(pool.length)], sampleRate);
    const level = 1 / (rms(source) || 1);
    // Repeat the utterance with random gaps so the babble covers the whole signal.
    for (let at = -random.int(source.length); at < length; at += source.length + random.int(sampleRate / 4)) {
      for (let i = Math.max(0, -at); i < source.length && at + i < length; i++) out[at + i] += source[i] * level;
    }
  }
  return toUnitRms(out);
}

/**
 * Unit-RMS real background noise of `length` samples: a random recording of `pool` (resampled
 * to `sampleRate`) from a random offset, looped when shorter.
 */
function realNoise(length: number, sampleRate: number, pool: readonly Clip[], random: Random): Float32Array {
  const source = toRate(pool[random.int(pool.length)], sampleRate);
  const out = new Float32Array(length);
  if (source.length === 0) return out;
  const start = random.int(source.length);
  for (let i = 0; i < length; i++) out[i] = source[(start + i) % source.length];
  return toUnitRms(out);
}

/** Unit-RMS background of non-speech sound events (with their silent gaps) of `length` samples. */
function soundEvents(length: number, sampleRate: number, random: Random): Float32Array {
  const out = new Float32Array(length);
  for (let at = -random.int(sampleRate / 2); at < length;) {
    const sound = nonSpeechSound(sampleRate, random);
    for (let i = Math.max(0, -at); i < sound.length && at + i < length; i++) out[at + i] += sound[i];
    at += sound.length;
  }
  return toUnitRms(out);
}

/**
 * Places a clip in a short stream with random pitch shift, speed, reverberation, band-limit,
 * lead/tail, gain and additive noise (generated white/pink/brown, babble from
 * `sources.babblePool`, a background of non-speech sound events, or a real noise recording from
 * `sources.noisePool`), and draws the clip's VTLP warp factor.
 *
 * @param samples the clip, mono at `sampleRate` Hz
 * @returns a new, longer signal; speed perturbation changes its sample rate (rounded to 100 Hz
 *   so the resampler's polyphase table stays small); `vtlpWarp` for the frontend
 */
export function augmentClip(
  samples: Float32Array,
  sampleRate: number,
  random: Random,
  config: AugmentConfig = DEFAULT_AUGMENT_CONFIG,
  sources: AugmentSources = {},
): AugmentedClip {
  const { babblePool = [], pitchVariants = [], noisePool = [] } = sources;
  let rate = sampleRate;
  let speech = samples;
  if (pitchVariants.length > 0 && chance(random, config.pitchProbability)) speech = pitchVariants[random.int(pitchVariants.length)];
  if (chance(random, config.speedProbability)) {
    // Playing the samples at rate·factor: tempo and pitch scale by the factor.
    rate = Math.round((sampleRate * random.uniform(...config.speedRange)) / 100) * 100;
  }
  if (chance(random, config.reverbProbability)) {
    speech = convolve(speech, syntheticImpulseResponse(random.uniform(...config.rt60Seconds), rate, random));
  }
  if (chance(random, config.telephoneProbability)) speech = bandLimit(speech, rate);
  const lead = Math.round(random.uniform(...config.leadSeconds) * rate);
  const tail = Math.round(random.uniform(...config.tailSeconds) * rate);
  const gain = 10 ** (random.uniform(...config.gainDb) / 20);
  let out: Float32Array = new Float32Array(lead + speech.length + tail);
  for (let i = 0; i < speech.length; i++) out[lead + i] = speech[i] * gain;
  if (random.next() < config.noiseProbability) {
    let noise: Float32Array;
    if (babblePool.length > 0 && chance(random, config.babbleProbability)) noise = babble(out.length, rate, babblePool, random);
    else if (chance(random, config.soundsProbability)) noise = soundEvents(out.length, rate, random);
    else if (noisePool.length > 0 && chance(random, config.realNoiseProbability)) noise = realNoise(out.length, rate, noisePool, random);
    else noise = generateNoise(out.length, config.noiseColours[random.int(config.noiseColours.length)], random, rate);
    out = mixAtSnr(out, noise, rms(speech) * gain, random.uniform(...config.snrDb));
  }
  // Drawn last, so a recipe without VTLP draws exactly the numbers it drew before.
  const vtlpWarp = chance(random, config.vtlpProbability) ? random.uniform(...config.vtlpRange) : 1;
  return { samples: out, sampleRate: rate, vtlpWarp };
}

/** SpecAugment-style masking of a normalised window (Park et al., 2019, "SpecAugment"). */
export interface MaskConfig {
  /** Probability that a window gets masks at all. */
  readonly probability: number;
  /** Widest frequency mask, mel bins. */
  readonly maxMelBins: number;
  /** Widest time mask, frames. */
  readonly maxFrames: number;
}

export const DEFAULT_MASK_CONFIG: MaskConfig = Object.freeze({ probability: 0.5, maxMelBins: 6, maxFrames: 10 });

/**
 * Sets one random band of mel bins and one random span of frames to the window's minimum, in
 * place.
 *
 * @param window normalised features, `[frames, melBins]` row-major
 */
export function maskWindow(window: Float32Array, frames: number, melBins: number, random: Random, config: MaskConfig = DEFAULT_MASK_CONFIG): void {
  if (random.next() >= config.probability) return;
  let floor = Infinity;
  for (const v of window) floor = Math.min(floor, v);
  const bins = random.int(config.maxMelBins + 1);
  const firstBin = random.int(melBins - bins + 1);
  const span = random.int(config.maxFrames + 1);
  const firstFrame = random.int(frames - span + 1);
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < melBins; m++) {
      if ((m >= firstBin && m < firstBin + bins) || (t >= firstFrame && t < firstFrame + span)) window[t * melBins + m] = floor;
    }
  }
}
