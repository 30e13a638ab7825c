import { generateNoise, mixAtSnr, type NoiseColour, rms } from './noise';
import type { Random } from './random';

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
}

export const DEFAULT_AUGMENT_CONFIG: AugmentConfig = Object.freeze({
  leadSeconds: [0, 0.6] as const,
  tailSeconds: [0.05, 0.4] as const,
  gainDb: [-12, 12] as const,
  noiseProbability: 0.6,
  snrDb: [5, 35] as const,
  noiseColours: ['white', 'pink', 'brown'] as const,
});

/**
 * Places a clip in a short stream with random lead/tail, gain and additive noise.
 *
 * @param samples the clip, mono at its own rate
 * @param sampleRate Hz
 * @returns a new, longer signal at the same rate
 */
export function augmentClip(samples: Float32Array, sampleRate: number, random: Random, config: AugmentConfig = DEFAULT_AUGMENT_CONFIG): Float32Array {
  const lead = Math.round(random.uniform(...config.leadSeconds) * sampleRate);
  const tail = Math.round(random.uniform(...config.tailSeconds) * sampleRate);
  const gain = 10 ** (random.uniform(...config.gainDb) / 20);
  let out: Float32Array = new Float32Array(lead + samples.length + tail);
  for (let i = 0; i < samples.length; i++) out[lead + i] = samples[i] * gain;
  if (random.next() < config.noiseProbability) {
    const colour = config.noiseColours[random.int(config.noiseColours.length)];
    const noise = generateNoise(out.length, colour, random);
    out = mixAtSnr(out, noise, rms(samples) * gain, random.uniform(...config.snrDb));
  }
  return out;
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
