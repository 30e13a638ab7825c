/**
 * Node half of the soak: streams the generated soak stream through the product's
 * StreamingRecognizer (shipped model, tfjs wasm) at a device sample rate in 20 ms blocks, as the
 * browser worker receives them, as fast as it can; scores the detections and samples memory.
 */
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_MODEL_DIR } from '../../src/cli/paths';
import { productKernel, StreamingResampler } from '../../src/frontend/resampler';
import { initWasmBackend } from '../../src/model/backend';
import { loadModels } from '../../src/cli/models';
import { type RecognizerStep, StreamingRecognizer } from '../../src/pipeline/recognizer';
import { jsMemory, type MemorySample, sampleMemory } from './memory';
import { type SoakScore, SoakScorer } from './score';
import { nonDigitSpeech } from './speech';
import { SEGMENT_RATE, SoakStream } from './stream';

/** Allowed growth of JS memory (heap + external) from the end of warm-up to the end of the run, bytes. */
export const MEMORY_GROWTH_LIMIT = 5e6;

/** Options of {@link runNodeSoak}. */
export interface NodeSoakOptions {
  /** Audio to stream, s (the run ends at the first segment boundary past it). */
  readonly seconds: number;
  /** Seed of the stream (default 1). */
  readonly seed?: number;
  /** Rate the 8 kHz segments are brought to before the recognizer, Hz (default 48,000, a device rate). */
  readonly sampleRate?: number;
  /** Block size pushed into the recognizer, ms (default 20, as the capture worklet posts). */
  readonly blockMs?: number;
  /** A memory sample every this much audio, s (default 300). */
  readonly sampleEverySeconds?: number;
  /** Audio after which the recognizer counts as warmed up, s (default 300). */
  readonly warmupSeconds?: number;
  /** Model folder (default: the shipped model). */
  readonly modelDir?: string;
  /** Called with a line of progress at each memory sample. */
  readonly onProgress?: (line: string) => void;
}

/** What a Node soak measured. */
export interface NodeSoakResult {
  readonly audioSeconds: number;
  readonly sampleRate: number;
  readonly blockSamples: number;
  /** Wall time of the whole run (generation included) and of the recognizer's `push`/`flush` alone, s. */
  readonly wallSeconds: number;
  readonly recognizerSeconds: number;
  /** Wall time / audio time, and recognizer time / audio time. */
  readonly realTimeFactor: number;
  readonly recognizerRealTimeFactor: number;
  readonly score: SoakScore;
  /** Before any audio, then every `sampleEverySeconds`, then after the flush. */
  readonly memory: MemorySample[];
  /** Index in `memory` of the first sample after warm-up. */
  readonly warmupIndex: number;
  /** End minus warm-up sample, bytes: JS memory (heap + external), heap, external, RSS; tensors. */
  readonly growth: { readonly js: number; readonly heapUsed: number; readonly external: number; readonly rss: number; readonly tensors: number };
  readonly memoryLimit: number;
  /** JS memory grew at most {@link MEMORY_GROWTH_LIMIT} after warm-up and no tensor leaked. */
  readonly memoryPass: boolean;
}

/**
 * Runs the Node soak.
 *
 * @throws Error if the model, FSDD or espeak-ng/sox (for the non-digit speech) is unavailable
 */
export async function runNodeSoak(options: NodeSoakOptions): Promise<NodeSoakResult> {
  const sampleRate = options.sampleRate ?? 48000;
  const blockSamples = Math.round(((options.blockMs ?? 20) * sampleRate) / 1000);
  const sampleEvery = options.sampleEverySeconds ?? 300;
  const warmup = options.warmupSeconds ?? 300;
  const modelDir = options.modelDir ?? DEFAULT_MODEL_DIR;
  await initWasmBackend();
  const models = await loadModels(modelDir);
  const stream = new SoakStream(nonDigitSpeech(), { seed: options.seed ?? 1 });
  const recognizer = new StreamingRecognizer(models, sampleRate);
  const upsampler = sampleRate === SEGMENT_RATE ? null : new StreamingResampler(SEGMENT_RATE, sampleRate, productKernel(SEGMENT_RATE, sampleRate));
  const scorer = new SoakScorer();

  let recognizerMs = 0;
  const consume = (step: RecognizerStep) => {
    for (const d of step.detections) scorer.addDetection(d);
  };
  const push = (samples: Float32Array) => {
    for (let i = 0; i < samples.length; i += blockSamples) {
      const t0 = performance.now();
      const step = recognizer.push(samples.subarray(i, i + blockSamples));
      recognizerMs += performance.now() - t0;
      consume(step);
    }
  };

  const memory: MemorySample[] = [sampleMemory(0)];
  let warmupIndex = -1;
  const started = performance.now();
  const progress = () => {
    const s = scorer.snapshot();
    const last = memory.at(-1)!;
    options.onProgress?.(
      `${(last.audioSeconds / 60).toFixed(1)} min of audio, real-time factor ${((performance.now() - started) / 1000 / last.audioSeconds).toFixed(4)}; ` +
        `digits ${s.total.correct} right / ${s.total.wrong} wrong of ${s.total.expected} said; false accepts ${Object.values(s.falseAccepts).reduce((a, b) => a + b, 0)}; ` +
        `heap ${(last.heapUsed / 1e6).toFixed(2)} MB, external ${(last.external / 1e6).toFixed(2)} MB, rss ${(last.rss / 1e6).toFixed(1)} MB`,
    );
  };
  // One segment at a time, in a function of its own: when memory is sampled no audio is alive.
  const streamSegment = (): number => {
    const segment = stream.next();
    scorer.addSegment(segment);
    // Brought to the device rate a second at a time: never more than a second of device-rate audio alive.
    for (let i = 0; i < segment.samples.length; i += SEGMENT_RATE) {
      const piece = segment.samples.subarray(i, i + SEGMENT_RATE);
      push(upsampler ? upsampler.push(piece) : piece);
    }
    scorer.advance(segment.endMs);
    return segment.endMs / 1000;
  };
  while (stream.timeMs < options.seconds * 1000) {
    const audioSeconds = streamSegment();
    if (Math.floor(audioSeconds / sampleEvery) > Math.floor(memory.at(-1)!.audioSeconds / sampleEvery)) {
      memory.push(sampleMemory(audioSeconds));
      if (warmupIndex < 0 && audioSeconds >= warmup) warmupIndex = memory.length - 1;
      progress();
    }
  }
  if (upsampler) push(upsampler.flush());
  const t0 = performance.now();
  const last = recognizer.flush();
  recognizerMs += performance.now() - t0;
  consume(last);
  const wallSeconds = (performance.now() - started) / 1000;
  const audioSeconds = stream.timeMs / 1000;
  const score = scorer.finish();
  memory.push(sampleMemory(audioSeconds));
  if (warmupIndex < 0) warmupIndex = memory.length - 1;
  const [from, to] = [memory[warmupIndex], memory.at(-1)!];
  const growth = {
    js: jsMemory(to) - jsMemory(from),
    heapUsed: to.heapUsed - from.heapUsed,
    external: to.external - from.external,
    rss: to.rss - from.rss,
    tensors: to.tensors - from.tensors,
  };
  models.word.dispose();
  models.strings?.dispose();
  return {
    audioSeconds,
    sampleRate,
    blockSamples,
    wallSeconds,
    recognizerSeconds: recognizerMs / 1000,
    realTimeFactor: wallSeconds / audioSeconds,
    recognizerRealTimeFactor: recognizerMs / 1000 / audioSeconds,
    score,
    memory,
    warmupIndex,
    growth,
    memoryLimit: MEMORY_GROWTH_LIMIT,
    memoryPass: growth.js <= MEMORY_GROWTH_LIMIT && growth.tensors <= 0,
  };
}
