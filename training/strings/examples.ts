import { normalizeToReference, maxOf } from '../../src/model/input';
import { resample } from '../../src/frontend/resampler';
import { DEFAULT_PIPELINE_CONFIG, StreamingPipeline } from '../../src/pipeline/streaming-pipeline';
import { RunTracker } from '../../src/pipeline/runs';
import { DEFAULT_STRING_READER_CONFIG } from '../../src/pipeline/string-reader';
import { type AugmentConfig, augmentClip, type Clip } from '../augment';
import { ctcMinFrames } from '../ctc';
import { decodeAll } from '../decode';
import { fnv1a } from '../features/plan';
import { nonSpeechSound } from '../nonspeech';
import { gluePhrase, joinWithGaps } from '../phrases';
import { Random } from '../../src/audio/random';
import { wordSpan } from '../word-span';

/** Clips the string trainer draws examples from (paths; decoded by {@link StringExampleMaker}). */
export interface StringSources {
  /** FSDD training clips, with their speaker (strings are glued from one speaker's digits). */
  readonly fsdd: readonly { path: string; digit: number; speaker: string }[];
  /** Real digit words of Speech Commands training speakers. */
  readonly realDigits: readonly { path: string; digit: number }[];
  /** Real non-digit words of Speech Commands training speakers. */
  readonly realWords: readonly { path: string }[];
  /** Synthetic digit strings of training voices, `digits` e.g. "4172". */
  readonly synthStrings: readonly { path: string; digits: string }[];
  /** Synthetic single words of training voices (digit −1: not a digit), with their word count (1). */
  readonly synthWords: readonly { path: string; digit: number; words: number }[];
  /** Synthetic sentences without digits of training voices, with their word count. */
  readonly synthSentences: readonly { path: string; words: number }[];
  /** Real background noise recordings. */
  readonly noise: readonly string[];
}

/** Where an example comes from: a pool and an index in it (or a number for generated ones). */
export type StringJobKind = 'synth-string' | 'glued' | 'fsdd-word' | 'real-digit' | 'real-word' | 'synth-word' | 'synth-sentence' | 'phrase' | 'non-speech';

/**
 * Label of a word that is not a digit: the string model's filler token (index 10; the blank is
 * 11). Non-digit speech gets one per word — "call me now" is [w, w, w] — so the model learns a
 * positive class for other words, as keyword spotters' filler/garbage models do, instead of
 * having to choose between a digit and the blank; the reader counts them to tell a digit string
 * from a sentence.
 */
export const OTHER_TOKEN = 10;
export interface StringJob {
  readonly kind: StringJobKind;
  readonly index: number;
  /** The n-th augmented copy of the same clip in one epoch (scarce real digits are seen twice). */
  readonly take?: number;
}

/** One training example: normalised log-mel of a run of speech and the digits said in it. */
export interface StringExample {
  /** `[frames, melBins]`, frames a multiple of the model's frame stride. */
  readonly features: Float32Array;
  readonly frames: number;
  /** Digits 0–9 and {@link OTHER_TOKEN}s, in order. */
  readonly label: readonly number[];
}

/** Gaps between glued digits, seconds: a slight overlap to a pause (issue 13: −30 to 300 ms). */
export const GLUE_GAP_SECONDS: readonly [number, number] = [-0.03, 0.3];

/** Digits per glued string: 1–11, most 3–7 (PINs), some 10–11 (phone numbers). */
const GLUED_LENGTHS = [1, 2, 3, 4, 4, 4, 5, 6, 6, 7, 8, 9, 10, 11, 11];

/** Longest example, frames (10 ms): longer runs are skipped (the reader reads at most 8 s). */
const MAX_EXAMPLE_FRAMES = DEFAULT_STRING_READER_CONFIG.maxRunFrames;

/**
 * Makes string-model examples through the product's own path: augment the clip (augment.ts), run
 * it through the streaming pipeline, take the frames of its runs of speech as the reader sees
 * them ({@link RunTracker}: first run's start to last run's end), normalise against their loudest
 * frame (less 0–6 dB half the time: the reader's reference is the loudest frame so far).
 */
export class StringExampleMaker {
  private readonly fsddBySpeaker: Map<string, (Clip & { digit: number })[]>;
  private readonly realDigits: (Clip & { digit: number })[];
  private readonly realWords: Clip[];
  private readonly synthStrings: (Clip & { digits: string })[];
  private readonly synthWords: (Clip & { digit: number; words: number })[];
  private readonly synthSentences: (Clip & { words: number })[];
  private readonly noise: Clip[];
  private readonly fsddClips: (Clip & { digit: number; speaker: string })[];

  constructor(
    sources: StringSources,
    private readonly augment: AugmentConfig,
    private readonly seed: number,
    private readonly frameStride: number,
    /** Silence frames before each run: the model's context, as the reader pads a run's start. */
    private readonly leadFrames: number,
    onError: (message: string) => void,
  ) {
    const report = (e: Error) => onError(e.message);
    this.fsddClips = decodeAll(sources.fsdd, report);
    this.fsddBySpeaker = new Map();
    for (const c of this.fsddClips) this.fsddBySpeaker.set(c.speaker, [...(this.fsddBySpeaker.get(c.speaker) ?? []), c]);
    this.realDigits = decodeAll(sources.realDigits, report);
    this.realWords = decodeAll(sources.realWords, report);
    this.synthStrings = decodeAll(sources.synthStrings, report);
    this.synthWords = decodeAll(sources.synthWords, report);
    this.synthSentences = decodeAll(sources.synthSentences, report);
    this.noise = decodeAll(
      sources.noise.map((path) => ({ path })),
      report,
    );
  }

  /** The example of one job in one epoch (deterministic), or null when the gate found no speech or it is too long. */
  example(job: StringJob, epoch: number): StringExample | null {
    const random = new Random(fnv1a(`${this.seed}:${epoch}:${job.kind}:${job.index}:${job.take ?? 0}`));
    const source = this.source(job, random);
    if (!source) return null;
    const augmented = augmentClip(source.clip.samples, source.clip.sampleRate, random, this.augment, { babblePool: this.realWords, noisePool: this.noise });
    const runs = runFrames(augmented.samples, augmented.sampleRate, augmented.vtlpWarp);
    if (!runs || runs.frames > MAX_EXAMPLE_FRAMES) return null;
    const stride = this.frameStride;
    // Silence before the run, as the reader reads a run's first frames (its context), and after
    // it up to a whole output frame.
    const lead = this.leadFrames;
    const frames = lead + Math.ceil(runs.frames / stride) * stride;
    if (ctcMinFrames(source.label) > frames / stride) return null;
    const melBins = runs.features.length / runs.frames;
    const padded = new Float32Array(frames * melBins).fill(-1e3);
    padded.set(runs.features, lead * melBins);
    const offsetLn = random.next() < 0.5 ? (random.uniform(0, 6) / 10) * Math.LN10 : 0;
    return { features: normalizeToReference(padded, maxOf(runs.features) - offsetLn), frames, label: source.label };
  }

  private source(job: StringJob, random: Random): { clip: Clip; label: number[] } | null {
    const word = (c: Clip & { digit: number }) => ({ clip: c, label: [c.digit >= 0 ? c.digit : OTHER_TOKEN] });
    switch (job.kind) {
      case 'synth-string': {
        const c = this.synthStrings[job.index];
        return c ? { clip: c, label: [...c.digits].map(Number) } : null;
      }
      case 'fsdd-word':
        return this.fsddClips[job.index] ? word(this.fsddClips[job.index]) : null;
      case 'real-digit':
        return this.realDigits[job.index] ? word(this.realDigits[job.index]) : null;
      case 'real-word':
        return this.realWords[job.index] ? { clip: this.realWords[job.index], label: [OTHER_TOKEN] } : null;
      case 'synth-word':
        return this.synthWords[job.index] ? word(this.synthWords[job.index]) : null;
      case 'synth-sentence': {
        const c = this.synthSentences[job.index];
        return c ? { clip: c, label: Array<number>(c.words).fill(OTHER_TOKEN) } : null;
      }
      case 'phrase': {
        if (this.realWords.length === 0) return null;
        const phrase = gluePhrase(this.realWords, 16000, random);
        return { clip: phrase, label: Array<number>(phrase.words).fill(OTHER_TOKEN) };
      }
      case 'non-speech':
        return { clip: { samples: nonSpeechSound(16000, random), sampleRate: 16000 }, label: [] };
      case 'glued':
        return this.glued(random);
    }
  }

  /**
   * A digit string glued from isolated real clips: one FSDD speaker's digits (60 %) or Speech
   * Commands digits (40 %), trimmed to their words, with gaps of {@link GLUE_GAP_SECONDS}; a
   * fifth of them with a real non-digit word before or after ("call four one seven").
   */
  private glued(random: Random): { clip: Clip; label: number[] } | null {
    const speakers = [...this.fsddBySpeaker.values()];
    const fromFsdd = speakers.length > 0 && (this.realDigits.length === 0 || random.next() < 0.6);
    const pool = fromFsdd ? speakers[random.int(speakers.length)] : this.realDigits;
    if (pool.length === 0) return null;
    const count = GLUED_LENGTHS[random.int(GLUED_LENGTHS.length)];
    const words: { clip: Clip; digit: number }[] = [];
    for (let i = 0; i < count; i++) {
      const c = pool[random.int(pool.length)];
      words.push({ clip: c, digit: c.digit });
    }
    if (this.realWords.length > 0 && random.next() < 0.2) {
      const extra = { clip: this.realWords[random.int(this.realWords.length)], digit: -1 };
      if (random.next() < 0.5) words.unshift(extra);
      else words.push(extra);
    }
    const rate = 16000;
    const parts = words.map((w) => {
      const samples = w.clip.sampleRate === rate ? w.clip.samples : resample(w.clip.samples, w.clip.sampleRate, rate);
      const { start, end } = wordSpan(samples, rate, 30);
      // Each clip at its own level, as recorded, within ±4 dB: one speaker's words vary a little.
      const gain = 10 ** (random.uniform(-4, 4) / 20);
      return samples.subarray(start, end).map((v) => v * gain);
    });
    const gaps = parts.map(() => Math.round(random.uniform(...GLUE_GAP_SECONDS) * rate));
    return { clip: { samples: joinWithGaps(parts, gaps), sampleRate: rate }, label: words.map((w) => (w.digit >= 0 ? w.digit : OTHER_TOKEN)) };
  }
}

/**
 * The frames the string reader would read from a finite clip: every run of speech the gate
 * finds ({@link RunTracker}), from the first run's start to the last run's end, as ln(mel)
 * `[frames, melBins]`. Null when the gate finds no speech.
 *
 * @param vtlpWarp training-only VTLP warp of the mel filterbank (1 = none)
 */
export function runFrames(samples: Float32Array, sampleRate: number, vtlpWarp = 1): { features: Float32Array; frames: number } | null {
  const { melBins } = DEFAULT_PIPELINE_CONFIG.frontend;
  const all: Float32Array[] = [];
  const runs = new RunTracker(melBins, DEFAULT_STRING_READER_CONFIG);
  let first = -1;
  let last = -1;
  const note = (events: ReturnType<RunTracker['push']>) => {
    for (const e of events) {
      if (e.type === 'run-end' && e.endFrame > e.startFrame) {
        if (first < 0) first = e.startFrame;
        last = e.endFrame;
      }
    }
  };
  const pipeline = new StreamingPipeline(
    sampleRate,
    DEFAULT_PIPELINE_CONFIG,
    { vtlpWarp },
    {
      frame(logMel, index, events) {
        all.push(logMel.slice());
        note(runs.push(logMel, index, events));
      },
      end() {
        note(runs.end());
      },
    },
  );
  pipeline.push(samples);
  pipeline.flush();
  if (first < 0) return null;
  const frames = last - first;
  const features = new Float32Array(frames * melBins);
  for (let f = first; f < last; f++) features.set(all[f], (f - first) * melBins);
  return { features, frames };
}
