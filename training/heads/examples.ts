/**
 * Training examples through the product's own path: a clip, augmented (copy ≥ 1) or clean (copy
 * 0), streamed through the `StreamingPipeline` — resampler, the gate's frontend and the encoder's,
 * VAD gate — and cut as the recognizer cuts it:
 * - word head: the window of the clip's main utterance (its longest segment), `[windowFrames, 32]`;
 * - string head: the frames the string reader reads for the clip's runs of speech (first run's
 *   start to last run's end, with the encoder's lead before it and silence after it:
 *   `wholeRunFrames`).
 * The embedding worker encodes them.
 */
import { basename } from 'node:path';
import { Random } from '../../src/audio/random';
import { DEFAULT_FRONTEND_CONFIG, ENCODER_FRONTEND_CONFIG } from '../../src/frontend/config';
import { resample } from '../../src/frontend/resampler';
import { DEFAULT_STRING_READER_CONFIG, runLeadFrames, wholeRunFrames } from '../../src/pipeline/string-reader';
import { type PipelineConfig, StreamingPipeline } from '../../src/pipeline/streaming-pipeline';
import { RunTracker } from '../../src/pipeline/runs';
import { DEFAULT_GATE_CONFIG } from '../../src/vad/gate';
import { type AugmentConfig, augmentClip, type Clip, NO_AUGMENTATION } from '../augment';
import { ctcMinFrames } from '../ctc';
import { decodeAll } from '../decode';
import { clipSeed } from '../seeds';
import { nonSpeechSound } from '../nonspeech';
import { gluePhrase, joinWithGaps } from '../phrases';
import { mainUtteranceWindow } from '../windows';
import { wordSpan } from '../word-span';
import { type ClipLists, type Job, OTHER } from './sources';

/** Frames the encoder reads per embedding, frames between embeddings (`ENCODER_FRONTEND_CONFIG`'s encoder). */
export const ENCODER_CONTEXT_FRAMES = 76;
export const ENCODER_STEP_FRAMES = 8;

/** Frames of the word head's window of K embeddings. */
export const windowFramesFor = (steps: number) => ENCODER_CONTEXT_FRAMES + ENCODER_STEP_FRAMES * (steps - 1);

/** The pipeline of the word head with K embeddings: the product's gate, the encoder's log-mel, its window. */
export function wordPipelineConfig(steps: number): PipelineConfig {
  return {
    frontend: DEFAULT_FRONTEND_CONFIG,
    gate: DEFAULT_GATE_CONFIG,
    window: { windowFrames: windowFramesFor(steps), postRollFrames: 10, preRollFrames: 5 },
    modelFrontend: ENCODER_FRONTEND_CONFIG,
  };
}

/** Gaps between glued digits, seconds: a slight overlap to a pause (issue 13: −30 to 300 ms). */
export const GLUE_GAP_SECONDS: readonly [number, number] = [-0.03, 0.3];

/** Digits per glued string: 1–11, most 3–7 (PINs), some 10–11 (phone numbers). */
const GLUED_LENGTHS = [1, 2, 3, 4, 4, 4, 5, 6, 6, 7, 8, 9, 10, 11, 11];

/** What an example became: a word window or a run's frames, or nothing (the gate heard nothing). */
export type Example =
  { readonly kind: 'window'; readonly frames: Float32Array } | { readonly kind: 'run'; readonly frames: Float32Array; readonly label: readonly number[] } | null;

type Labelled = Clip & { readonly label: number; readonly speaker?: string };

/**
 * Decodes a recipe's clips once and makes any job's example for any copy, deterministically
 * (seeded by recipe seed, copy and job id: a cached copy is the same whichever run made it).
 */
export class ExampleMaker {
  private readonly clips = new Map<string, Labelled & { readonly pitchVariants: Float32Array[] }>();
  private readonly realWords: Clip[];
  private readonly noise: Clip[];
  private readonly gluePools: Labelled[][];

  /**
   * @param onError told of every file that cannot be decoded (it is skipped)
   */
  constructor(
    lists: ClipLists,
    private readonly augment: AugmentConfig,
    private readonly seed: number,
    onError: (message: string) => void,
  ) {
    const report = (e: Error) => onError(e.message);
    const pitch = (path: string) =>
      decodeAll(
        (lists.pitchCopies[path] ?? []).map((p) => ({ path: p })),
        report,
      ).map((c) => c.samples);
    for (const c of decodeAll(lists.fsdd, report)) this.clips.set(c.id, { ...c, pitchVariants: pitch(c.path) });
    for (const list of [lists.realDigits, lists.realWords, lists.synthWords, lists.synthSentences, lists.synthStrings]) {
      for (const c of decodeAll(list, report)) this.clips.set(c.id, { ...c, pitchVariants: [] });
    }
    this.realWords = lists.realWords.flatMap((c) => this.clips.get(c.id) ?? []);
    this.noise = decodeAll(
      lists.noise.map((path) => ({ path })),
      report,
    );
    // Glued strings: one FSDD speaker's digits, or real digits of many speakers.
    const bySpeaker = new Map<string, Labelled[]>();
    for (const c of lists.fsdd) {
      const clip = this.clips.get(c.id);
      if (clip) bySpeaker.set(c.speaker, [...(bySpeaker.get(c.speaker) ?? []), clip]);
    }
    const real = lists.realDigits.flatMap((c) => this.clips.get(c.id) ?? []);
    this.gluePools = [...bySpeaker.values(), ...(real.length > 0 ? [real] : [])];
  }

  /** The clip of a job in one copy, with its string label; null when its file could not be decoded. */
  private source(job: Job, random: Random): { clip: Clip; label: readonly number[]; pitchVariants: Float32Array[] } | null {
    const kind = job.id.slice(0, job.id.indexOf(':'));
    const words = Array.isArray(job.label) ? (job.label as readonly number[]) : [job.label as number];
    if (kind === 'sound') return { clip: { samples: nonSpeechSound(16000, random), sampleRate: 16000 }, label: [], pitchVariants: [] };
    if (kind === 'phrase') {
      if (this.realWords.length === 0) return null;
      const phrase = gluePhrase(this.realWords, 16000, random);
      return { clip: phrase, label: Array<number>(phrase.words).fill(OTHER), pitchVariants: [] };
    }
    if (kind === 'glued') return this.glued(random);
    const clip = this.clips.get(job.id);
    return clip ? { clip, label: words, pitchVariants: clip.pitchVariants } : null;
  }

  /** The augmented (or, copy 0, clean) signal of a job's clip. */
  private signal(job: Job, copy: number) {
    const random = new Random(clipSeed(this.seed, copy, job.id));
    const source = this.source(job, random);
    if (!source) return null;
    const config = copy === 0 ? NO_AUGMENTATION : this.augment;
    const augmented = augmentClip(source.clip.samples, source.clip.sampleRate, random, config, {
      babblePool: this.realWords,
      noisePool: this.noise,
      pitchVariants: source.pitchVariants,
    });
    return { augmented, label: source.label };
  }

  /** The word head's window of a job in one copy (`[windowFrames, 32]`), or null when the gate found nothing. */
  wordWindow(job: Job, copy: number, config: PipelineConfig): Example {
    const made = this.signal(job, copy);
    if (!made) return null;
    const { augmented } = made;
    const { window } = mainUtteranceWindow(augmented.samples, augmented.sampleRate, config, { vtlpWarp: augmented.vtlpWarp });
    return window ? { kind: 'window', frames: window.features } : null;
  }

  /**
   * The frames the string reader reads for a job's runs in one copy (`wholeRunFrames` of the span
   * from the first run's start to the last run's end), or null when the gate found no run, the
   * span is longer than the reader reads, or it is too short for its label.
   */
  runFrames(job: Job, copy: number, contextSteps: number): Example {
    const made = this.signal(job, copy);
    if (!made) return null;
    const { augmented, label } = made;
    const model = { encoder: { contextFrames: ENCODER_CONTEXT_FRAMES, stepFrames: ENCODER_STEP_FRAMES }, contextSteps };
    const lead = runLeadFrames(model);
    const span = runSpan(augmented.samples, augmented.sampleRate, augmented.vtlpWarp);
    if (!span) return null;
    const frames = span.end - span.start;
    if (frames > DEFAULT_STRING_READER_CONFIG.maxRunFrames || ctcMinFrames(label) > Math.ceil(frames / ENCODER_STEP_FRAMES)) return null;
    const melBins = ENCODER_FRONTEND_CONFIG.melBins;
    const held = new Float32Array((lead + frames) * melBins);
    for (let f = span.start - lead; f < span.end; f++) held.set(f < 0 ? span.silence : span.all[f], (f - span.start + lead) * melBins);
    return { kind: 'run', frames: wholeRunFrames(held, lead, span.silence, model), label };
  }

  /**
   * A digit string glued from isolated real clips: one FSDD speaker's digits or Speech Commands
   * digits, trimmed to their words, with gaps of {@link GLUE_GAP_SECONDS}; a fifth of them with a
   * real non-digit word before or after ("call four one seven").
   */
  private glued(random: Random): { clip: Clip; label: number[]; pitchVariants: Float32Array[] } | null {
    if (this.gluePools.length === 0) return null;
    const pool = this.gluePools[random.int(this.gluePools.length)];
    const count = GLUED_LENGTHS[random.int(GLUED_LENGTHS.length)];
    const words: Labelled[] = Array.from({ length: count }, () => pool[random.int(pool.length)]);
    if (this.realWords.length > 0 && random.next() < 0.2) {
      const extra = { ...this.realWords[random.int(this.realWords.length)], label: OTHER };
      if (random.next() < 0.5) words.unshift(extra);
      else words.push(extra);
    }
    const rate = 16000;
    const parts = words.map((w) => {
      const samples = w.sampleRate === rate ? w.samples : resample(w.samples, w.sampleRate, rate);
      const { start, end } = wordSpan(samples, rate, 30);
      // Each clip at its own level, as recorded, within ±4 dB: one speaker's words vary a little.
      const gain = 10 ** (random.uniform(-4, 4) / 20);
      return samples.subarray(start, end).map((v) => v * gain);
    });
    const gaps = parts.map(() => Math.round(random.uniform(...GLUE_GAP_SECONDS) * rate));
    return { clip: { samples: joinWithGaps(parts, gaps), sampleRate: rate }, label: words.map((w) => w.label), pitchVariants: [] };
  }
}

/**
 * Where the string reader would read a finite clip: its runs of speech ({@link RunTracker}),
 * from the first run's start to the last run's end, with every frame of the clip (encoder
 * log-mel) and the silence frame. Null when the gate finds no run.
 */
export function runSpan(samples: Float32Array, sampleRate: number, vtlpWarp = 1): { start: number; end: number; all: Float32Array[]; silence: Float32Array } | null {
  const melBins = ENCODER_FRONTEND_CONFIG.melBins;
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
    wordPipelineConfig(1),
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
  return first < 0 ? null : { start: first, end: last, all, silence: pipeline.silenceFrame };
}

/** The id of an FSDD clip as {@link ClipLists} names it. */
export const fsddJobId = (path: string) => `fsdd:${basename(path)}`;
