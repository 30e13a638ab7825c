import { normalizeWindow } from '../../src/model/input';
import { basename } from 'node:path';
import { augmentClip, type Clip } from '../augment';
import { decodeAll } from '../decode';
import { nonSpeechSound } from '../nonspeech';
import { Random } from '../../src/audio/random';
import { mainUtteranceWindow } from '../windows';
import { type ClipSources, clipOf, clipSeed, type EpochFeatures, type FeatureJob, type FeatureRecipe } from './plan';
import { gluePhrase } from '../phrases';

/** A decoded training clip with its pitch-shifted copies. */
interface SourceClip extends Clip {
  readonly pitchVariants: Float32Array[];
}

/**
 * Decodes every clip of `sources`; a bad WAV is reported through `onError` (naming the file)
 * and skipped — its jobs then yield no window.
 */
export class FeatureComputer {
  private readonly clips = new Map<string, SourceClip>();
  private readonly babblePool: Clip[];
  private readonly noisePool: Clip[];
  /** Real non-digit words, glued into phrases. */
  private readonly realWords: Clip[];

  constructor(
    sources: ClipSources,
    private readonly recipe: FeatureRecipe,
    onError: (message: string) => void,
  ) {
    const report = (e: Error) => onError(e.message);
    const copies = (path: string) =>
      decodeAll(
        (sources.pitchCopies[path] ?? []).map((p) => ({ path: p })),
        report,
      ).map((c) => c.samples);
    for (const c of decodeAll(sources.fsdd, report)) this.clips.set(fsddId(c.path), { ...c, pitchVariants: copies(c.path) });
    for (const c of decodeAll(sources.synth, report)) this.clips.set(c.id, { ...c, pitchVariants: [] });
    const real = decodeAll(sources.real ?? [], report);
    for (const c of real) this.clips.set(c.id, { ...c, pitchVariants: [] });
    this.realWords = real.filter((c) => c.digit < 0);
    this.noisePool = decodeAll(
      (sources.noise ?? []).map((path) => ({ path })),
      report,
    );
    const synthIds = new Set(sources.synth.map((c) => c.id));
    const fsddIds = new Set(sources.fsdd.map((c) => fsddId(c.path)));
    this.babblePool =
      sources.babbleFrom === 'real' ? this.realWords : [...this.clips].filter(([id]) => (sources.babbleFrom === 'synth' ? synthIds : fsddIds).has(id)).map(([, c]) => c);
  }

  /** Normalised window `[frames·melBins]` of one job, or null when the gate finds no utterance. */
  window(job: FeatureJob, epoch: number): Float32Array | null {
    const random = new Random(clipSeed(this.recipe.seed, epoch, job.id));
    let clip: SourceClip | undefined;
    if (job.id.startsWith('other:')) clip = { samples: nonSpeechSound(16000, random), sampleRate: 16000, pitchVariants: [] };
    else if (job.id.startsWith('phrase:')) clip = this.realWords.length > 0 ? { ...gluePhrase(this.realWords, 16000, random), pitchVariants: [] } : undefined;
    else clip = this.clips.get(clipOf(job.id));
    if (!clip) return null; // a file that could not be decoded (already reported)
    const augmented = augmentClip(clip.samples, clip.sampleRate, random, this.recipe.augment, {
      babblePool: this.babblePool,
      noisePool: this.noisePool,
      pitchVariants: clip.pitchVariants,
    });
    const { window } = mainUtteranceWindow(augmented.samples, augmented.sampleRate, undefined, { vtlpWarp: augmented.vtlpWarp });
    return window ? quantized(normalizeWindow(window.features)) : null;
  }

  /** Windows of all jobs of one epoch. */
  epoch(jobs: readonly FeatureJob[], epoch: number): EpochFeatures {
    const size = this.recipe.shape.frames * this.recipe.shape.melBins;
    const windows = new Float32Array(jobs.length * size);
    const present = new Uint8Array(jobs.length);
    jobs.forEach((job, i) => {
      const w = this.window(job, epoch);
      if (w) {
        windows.set(w, i * size);
        present[i] = 1;
      }
    });
    return { jobs, windows, present };
  }
}

/** The id of an FSDD clip: its file name. */
export function fsddId(path: string): string {
  return basename(path);
}

/** Steps of the 16-bit feature cache: windows are rounded to them whether cached or not. */
export const QUANTUM = 1 / 32767;

/** Rounds a window in [-1, 1] to the 16-bit grid the cache stores, so cached and fresh runs match. */
function quantized(window: Float32Array): Float32Array {
  for (let i = 0; i < window.length; i++) window[i] = Math.round(Math.max(-1, Math.min(1, window[i])) * 32767) * QUANTUM;
  return window;
}
