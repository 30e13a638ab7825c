/**
 * Digit strings in `npm run bench`: the speech-heavy stream of the whole-pipeline real-time
 * factor, the string model's cost per reader step, and the helpers of the Chromium string
 * scenario (browser.ts).
 *
 * Run as a child process (tfjs picks its wasm binary once per process, as in inference-node.ts),
 * `tsx scripts/bench/strings.ts MODE [ARG]` prints one JSON line; models from BENCH_MODEL_DIR or
 * the shipped model folder (word model + `strings/` when present), tfjs wasm backend with SIMD,
 * one thread — as the app's worker runs:
 * - `rtf [reps]` — whole-pipeline real-time factor: `new StreamingRecognizer(models, 16000)` fed
 *   in 20 ms blocks (320 samples) with {@link speechStream}, best of `reps` (3) fresh
 *   recognizers; compute seconds per second of audio.
 * - `reader-step [runs]` — ms per reader step, median and p95 of `runs` (500) after 50 untimed:
 *   one encoder pass over the frames of `hopSteps` new embeddings (68 + 8·hopSteps frames,
 *   DEFAULT_STRING_READER_CONFIG) and one string-head pass over them with their context
 *   (`hopSteps + 2·contextSteps` embeddings), on a fixed log-mel-like window (as
 *   `measureInference` does for the word model); softmax included.
 * - `events WAV` — the digits the recognizer reports over a WAV (its own rate), with their
 *   stream times: the Node reference run of the Chromium string scenario.
 *
 * Importing this module loads no tfjs: the model code is imported by the child-process modes only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWav } from '../../src/audio/wav';
import { DEFAULT_MODEL_DIR } from '../../src/cli/paths';
import { resample } from '../../src/frontend/resampler';
import { generateNoise } from '../../src/audio/noise';
import { Random } from '../../src/audio/random';
import { DEFAULT_SYNTH_DIR } from '../../training/synth/generate';
import { concat } from '../../test/helpers/fsdd';

/** Held-out synthetic digit strings of `npm run synth`: `string_{digits}_{speaker}_{take}.wav`. */
export const HELDOUT_STRINGS_DIR = join(DEFAULT_SYNTH_DIR, 'heldout', 'strings');

/** Rate the stream is pushed at (the frontend's own rate: no resampling inside the pipeline). */
export const STREAM_RATE = 16000;

/** One held-out digit string file. */
export interface StringFile {
  readonly path: string;
  readonly name: string;
  /** The digits said, e.g. "4104". */
  readonly digits: string;
  readonly speaker: string;
  readonly take: number;
}

/** Parses `string_{digits}_{speaker}_{take}.wav`; null for any other name. */
export function parseStringName(name: string): { digits: string; speaker: string; take: number } | null {
  const m = /^string_(\d+)_([^_]+)_(\d+)\.wav$/.exec(name);
  return m ? { digits: m[1], speaker: m[2], take: Number(m[3]) } : null;
}

/** The held-out digit strings of `dir`, sorted by file name; empty when the folder is missing. */
export function heldOutStrings(dir = HELDOUT_STRINGS_DIR): StringFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const parsed = parseStringName(name);
      return parsed ? [{ path: join(dir, name), name, ...parsed }] : [];
    });
}

/** Decodes a WAV (mono mixdown) and resamples it to {@link STREAM_RATE} (TTS voices are 16, 22.05 or 24 kHz). */
export function readAt16k(path: string): Float32Array {
  const audio = decodeWav(new Uint8Array(readFileSync(path)), path);
  return audio.sampleRate === STREAM_RATE ? audio.samples : resample(audio.samples, audio.sampleRate, STREAM_RATE);
}

/**
 * `count` files of `digitCount` digits, evenly spaced over the sorted list (so over speakers and
 * engines alike); fewer when there are fewer.
 */
export function pickStrings(files: readonly StringFile[], count: number, digitCount: number): StringFile[] {
  const fitting = files.filter((f) => f.digits.length === digitCount);
  if (fitting.length <= count) return [...fitting];
  return Array.from({ length: count }, (_, i) => fitting[Math.floor((i * fitting.length) / count)]);
}

/** The speech-heavy stream of the whole-pipeline real-time factor. */
export interface SpeechStream {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  /** What it is made of, for the report. */
  readonly source: 'held-out synthetic digit strings' | 'FSDD clips joined with 50 ms gaps (no synthetic strings)';
  /** Strings in it (for FSDD: groups of four clips). */
  readonly strings: number;
  readonly seconds: number;
}

/**
 * ≥ `minSeconds` (90) of speech-heavy audio at 16 kHz: held-out synthetic digit strings of every
 * length (seeded shuffle), each followed by 0.5–1 s of silence. Without synthetic strings, FSDD
 * clips in groups of four joined with 50 ms gaps (test/helpers/fsdd.ts `clipSequence`), resampled
 * from 8 kHz, with the same silences between groups.
 */
export async function speechStream(minSeconds = 90, dir = HELDOUT_STRINGS_DIR): Promise<SpeechStream> {
  const random = new Random(13);
  const silence = () => new Float32Array(Math.round(random.uniform(0.5, 1) * STREAM_RATE));
  const parts: Float32Array[] = [];
  let length = 0;
  let strings = 0;
  const add = (speech: Float32Array) => {
    const gap = silence();
    parts.push(speech, gap);
    length += speech.length + gap.length;
    strings++;
  };
  const files = random.shuffle(heldOutStrings(dir));
  if (files.length > 0) {
    for (let i = 0; length < minSeconds * STREAM_RATE; i++) add(readAt16k(files[i % files.length].path));
    return { samples: concat(...parts), sampleRate: STREAM_RATE, source: 'held-out synthetic digit strings', strings, seconds: length / STREAM_RATE };
  }
  // Imported here: the FSDD helper throws at import when the recordings are missing.
  const { clipSequence } = await import('../../test/helpers/fsdd');
  const speakers = ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler'];
  while (length < minSeconds * STREAM_RATE) {
    const clips = Array.from({ length: 4 }, () => `${random.int(10)}_${speakers[random.int(speakers.length)]}_${random.int(50)}`);
    add(resample(clipSequence(clips, 0.05, 0, 0), 8000, STREAM_RATE));
  }
  return { samples: concat(...parts), sampleRate: STREAM_RATE, source: 'FSDD clips joined with 50 ms gaps (no synthetic strings)', strings, seconds: length / STREAM_RATE };
}

/** Median of a non-empty list (NaN for an empty one). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A reported digit and its onset, ms of some stream clock. */
export interface TimedDigit {
  readonly digit: number;
  readonly startMs: number;
}

/**
 * The offset between two runs of the recognizer over the same audio (`stream` − `reference`,
 * ms), from the onsets of the digits both reported: among all pairs of the same digit, the
 * offset that the most pairs agree on within `toleranceMs`, then the median of those pairs.
 * Misses and extra digits in either run only drop pairs (pairing by order would shift every later
 * pair after one miss).
 *
 * @returns the offset and how many pairs agreed; `{ offsetMs: NaN, pairs: 0 }` without any pair
 */
export function alignOffset(stream: readonly TimedDigit[], reference: readonly TimedDigit[], toleranceMs = 50): { offsetMs: number; pairs: number } {
  const diffs: number[] = [];
  for (const s of stream) for (const r of reference) if (s.digit === r.digit) diffs.push(s.startMs - r.startMs);
  let best: number[] = [];
  for (const d of diffs) {
    const agreeing = diffs.filter((x) => Math.abs(x - d) <= toleranceMs);
    if (agreeing.length > best.length) best = agreeing;
  }
  return { offsetMs: median(best), pairs: best.length };
}

/**
 * Which string each event belongs to: string k holds the events whose time (WAV ms) is at or
 * after its onset less `marginMs` and before the next string's onset less `marginMs` (the word
 * model's windows start up to 50 ms before the speech); -1 before the first string.
 *
 * @param onsetMs onsets of the strings in WAV time, ascending
 */
export function groupByString(eventWavMs: readonly number[], onsetMs: readonly number[], marginMs = 300): number[] {
  return eventWavMs.map((t) => {
    let k = -1;
    for (let i = 0; i < onsetMs.length; i++) if (t >= onsetMs[i] - marginMs) k = i;
    return k;
  });
}

/** Runs a mode of this script in its own process (with this process' niceness and env) and parses its JSON line. */
export function runStringsChild<T>(mode: 'rtf' | 'reader-step' | 'events', arg?: string): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), mode, ...(arg === undefined ? [] : [arg])], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

/** `rtf` mode's output. */
export interface PipelineRealTimeFactor {
  readonly realTimeFactor: number;
  readonly reps: number[];
  readonly source: SpeechStream['source'];
  readonly strings: number;
  readonly seconds: number;
  /** False: the model folder has no string model, every run was read word by word. */
  readonly stringModel: boolean;
  /** Digits reported in the last rep (a sanity figure: the stream was read, not skipped). */
  readonly detections: number;
  /**
   * Compute per second of audio, split as the worker's blocks fall (best rep): blocks during which
   * the gate was open (or that closed it: the word decisions) — "speech" — and the others —
   * "silence" (the pauses between strings); plus a minute of quiet pink noise alone, ms per s.
   */
  readonly cpuMsPerSecond: { readonly speech: number; readonly speechSeconds: number; readonly silence: number; readonly silenceSeconds: number; readonly noiseOnly: number };
  readonly backend: string;
  readonly simd: boolean;
}

/** `reader-step` mode's output; `unavailable` says why there is no figure. */
export type ReaderStepCost =
  | {
      readonly frames: number;
      readonly hopSteps: number;
      readonly contextSteps: number;
      readonly medianMs: number;
      readonly p95Ms: number;
      readonly runs: number;
      readonly backend: string;
      readonly simd: boolean;
    }
  | { readonly unavailable: string };

/** `events` mode's output. */
export interface NodeEvents {
  readonly events: { digit: number; startMs: number; endMs: number; source: 'word' | 'string' }[];
  readonly stringModel: boolean;
}

async function main(mode: string, arg: string | undefined): Promise<void> {
  const { initWasmBackend } = await import('../../src/model/backend');
  const { loadModels } = await import('../../src/cli/models');
  const { StreamingRecognizer } = await import('../../src/pipeline/recognizer');
  const { DEFAULT_STRING_READER_CONFIG } = await import('../../src/pipeline/string-reader');
  const info = await initWasmBackend(undefined, { simd: true });
  const modelDir = process.env.BENCH_MODEL_DIR ?? DEFAULT_MODEL_DIR;
  const models = await loadModels(modelDir);
  const stringModel = models.strings !== null;
  let result: PipelineRealTimeFactor | ReaderStepCost | NodeEvents;
  if (mode === 'rtf') {
    const stream = await speechStream();
    const block = Math.round(stream.sampleRate * 0.02);
    const reps: number[] = [];
    let detections = 0;
    let best = { speechMs: 0, speechSeconds: 0, silenceMs: 0, silenceSeconds: 0, total: Number.POSITIVE_INFINITY };
    for (let rep = 0; rep < Number(arg ?? 3); rep++) {
      const recognizer = new StreamingRecognizer(models, stream.sampleRate);
      detections = 0;
      const split = { speechMs: 0, speechSeconds: 0, silenceMs: 0, silenceSeconds: 0, total: 0 };
      let wasSpeech = false;
      const t0 = performance.now();
      for (let i = 0; i < stream.samples.length; i += block) {
        const b0 = performance.now();
        const step = recognizer.push(stream.samples.subarray(i, i + block));
        const ms = performance.now() - b0;
        detections += step.detections.length;
        const speech = step.inSpeech || wasSpeech;
        wasSpeech = step.inSpeech;
        split[speech ? 'speechMs' : 'silenceMs'] += ms;
        split[speech ? 'speechSeconds' : 'silenceSeconds'] += Math.min(block, stream.samples.length - i) / stream.sampleRate;
      }
      detections += recognizer.flush().detections.length;
      split.total = (performance.now() - t0) / 1000 / stream.seconds;
      reps.push(split.total);
      if (split.total < best.total) best = split;
    }
    // A minute of quiet pink noise, no speech: what listening costs between words.
    const noise = generateNoise(60 * stream.sampleRate, 'pink', new Random(4)).map((v) => v * 0.003);
    const quiet = new StreamingRecognizer(models, stream.sampleRate);
    const q0 = performance.now();
    for (let i = 0; i < noise.length; i += block) quiet.push(noise.subarray(i, i + block));
    const noiseOnly = (performance.now() - q0) / 60;
    result = {
      realTimeFactor: Math.min(...reps),
      reps,
      source: stream.source,
      strings: stream.strings,
      seconds: stream.seconds,
      stringModel,
      detections,
      cpuMsPerSecond: {
        speech: best.speechMs / best.speechSeconds,
        speechSeconds: best.speechSeconds,
        silence: best.silenceMs / best.silenceSeconds,
        silenceSeconds: best.silenceSeconds,
        noiseOnly,
      },
      backend: info.backend,
      simd: info.simd,
    };
  } else if (mode === 'reader-step') {
    const model = models.strings;
    if (!model) {
      result = { unavailable: `no string model in ${join(modelDir, 'strings')}` };
    } else {
      const { hopSteps } = DEFAULT_STRING_READER_CONFIG;
      const { contextSteps, encoder } = model;
      const { melBins } = model.metadata.frontend;
      const frames = encoder.contextFrames - encoder.stepFrames + hopSteps * encoder.stepFrames;
      const window = Float32Array.from({ length: frames * melBins }, (_, i) => 30 + 20 * Math.sin(i * 0.37) * Math.cos(i * 0.011));
      const context = new Float32Array(2 * contextSteps * encoder.embeddingSize).fill(1);
      const runs = Number(arg ?? 500);
      const times: number[] = [];
      for (let i = 0; i < 50 + runs; i++) {
        const t0 = performance.now();
        const steps = encoder.encode(window);
        const all = new Float32Array(steps.length + context.length);
        all.set(context);
        all.set(steps, context.length);
        model.posteriors(all);
        if (i >= 50) times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
      result = { frames, hopSteps, contextSteps, medianMs: at(0.5), p95Ms: at(0.95), runs, backend: info.backend, simd: info.simd };
    }
  } else if (mode === 'events') {
    if (!arg) throw new Error('events: give the WAV');
    const audio = decodeWav(new Uint8Array(readFileSync(arg)), arg);
    const recognizer = new StreamingRecognizer(models, audio.sampleRate);
    const block = Math.round(audio.sampleRate * 0.02);
    const detections = [];
    for (let i = 0; i < audio.samples.length; i += block) detections.push(...recognizer.push(audio.samples.subarray(i, i + block)).detections);
    detections.push(...recognizer.flush().detections);
    result = { events: detections.map((d) => ({ digit: d.digit, startMs: d.startMs, endMs: d.endMs, source: d.source })), stringModel };
  } else {
    throw new RangeError(`unknown mode ${mode} (rtf, reader-step, events)`);
  }
  console.log(JSON.stringify(result));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv[2] ?? '', process.argv[3]);
