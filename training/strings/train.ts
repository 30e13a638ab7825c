/**
 * `npm run train:strings` — trains the CTC digit-string model (training/strings/model.ts) on
 * runs of speech made through the product's own pipeline and exports it uint8-quantized to
 * `models/default/strings/` (the recognizer loads it beside the word model).
 *
 * Usage: npm run train:strings -- [--out DIR] [--epochs N] [--batch N] [--seed N]
 *                                 [--learning-rate LR] [--scale F] [--synth DIR | --no-synth]
 *                                 [--speech-commands DIR | --no-speech-commands] [--data DIR]
 * The shipped string model: `npm run synth && npm run train:strings` (32 epochs, about 45 min
 * on 2 cores). `--scale 0.02 --epochs 1 --no-synth` is the CI smoke run.
 *
 * Why CTC (Graves et al. 2006) and not frame-level targets with posterior smoothing (Chen, Parada
 * & Heigold 2014): CTC needs only the digit sequence of each example, which every source has —
 * synthetic strings from espeak-ng, Pico and RHVoice (whose word times no engine prints), strings
 * glued from real isolated digits, single words — while frame targets need word times, so the
 * synthetic strings would first have to be aligned by a model that cannot read them yet. CTC's
 * blank also gives non-digit speech a target (all blank) without an "other" class, and its
 * peaky outputs say when a digit is final, which the streaming reader needs.
 *
 * Each epoch (--scale F multiplies the counts): 60 % of the synthetic training strings (3,448,
 * every training voice of the three engines), 1,500 strings glued from FSDD training speakers
 * and Speech Commands training digits (−30…300 ms gaps), single words (FSDD, real and synthetic
 * digits → one digit; real and synthetic non-digit words, sentences, glued phrases and
 * non-speech sounds → no digit), all augmented like the word model's clips (augment.ts) with a
 * fresh seed per epoch. Examples are batched by length (padded with silence) and shuffled.
 * Adam; the learning rate drops to 30 % after 60 % of the epochs and to 10 % after 85 %.
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initWasmBackend } from '../../src/model/backend';
import { DEFAULT_INPUT_NORMALIZATION } from '../../src/model/input';
import { DIGIT_LABELS, OTHER_LABEL } from '../../src/model/labels';
import { BLANK_LABEL, type StringModelMetadata } from '../../src/model/string-model';
import { DEFAULT_PIPELINE_CONFIG } from '../../src/pipeline/streaming-pipeline';
import { DEFAULT_AUGMENT_CONFIG } from '../augment';
import { ctcLoss } from '../ctc';
import { exportQuantizedModel } from '../export';
import { DEFAULT_FSDD_DIR, listFsdd, officialSplit } from '../fsdd';
import { Random } from '../../src/audio/random';
import { DEFAULT_SPEECH_COMMANDS_DIR, listSpeechCommands } from '../speech-commands';
import { DEFAULT_SYNTH_DIR } from '../synth/generate';
import { readSynthManifest, readSynthTrainStrings } from '../synth/load';
import { registerWasmGradientKernels } from '../wasm-gradients';
import type { StringJob, StringSources } from './examples';
import { buildStringModel, contextFrames, DEFAULT_STRING_MODEL_SHAPE, frameStride } from './model';
import type { StringEpochRequest, StringWorkerInit, StringWorkerMessage } from './worker';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'models/default/strings' },
    epochs: { type: 'string', default: '12' },
    batch: { type: 'string', default: '32' },
    seed: { type: 'string', default: '13' },
    'learning-rate': { type: 'string', default: '0.001' },
    scale: { type: 'string', default: '1' },
    synth: { type: 'string', default: DEFAULT_SYNTH_DIR },
    'no-synth': { type: 'boolean', default: false },
    'speech-commands': { type: 'string', default: DEFAULT_SPEECH_COMMANDS_DIR },
    'no-speech-commands': { type: 'boolean', default: false },
    data: { type: 'string', default: DEFAULT_FSDD_DIR },
  },
});

const epochs = Number(args.epochs);
const batchSize = Number(args.batch);
const seed = Number(args.seed);
const scale = Number(args.scale);
for (const [name, value] of Object.entries({ epochs, batch: batchSize, seed, scale })) {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`--${name} must be a positive number, got ${String(value)}`);
}

/** Jobs of one epoch: a seeded selection from each pool, sized by --scale. */
function epochJobs(epoch: number, sizes: Record<StringJob['kind'], number>): StringJob[] {
  const random = new Random(seed * 1000 + epoch);
  const some = (kind: StringJob['kind'], count: number): StringJob[] => {
    const n = Math.round(count * scale);
    if (sizes[kind] === 0) return Array.from({ length: n }, (_, index) => ({ kind, index: epoch * 100000 + index }));
    return random
      .shuffle(Array.from({ length: sizes[kind] }, (_, index) => index))
      .slice(0, n)
      .map((index) => ({ kind, index }));
  };
  return [
    ...some('synth-string', Math.round(0.6 * sizes['synth-string'])),
    ...some('glued', 1500),
    ...some('fsdd-word', 400),
    ...some('real-digit', sizes['real-digit']),
    ...some('real-digit', sizes['real-digit']).map((j) => ({ ...j, take: 1 })),
    ...some('real-word', 600),
    ...some('synth-word', 700),
    ...some('synth-sentence', 600),
    ...some('phrase', 400),
    ...some('non-speech', 100),
  ];
}

interface EpochData {
  features: Float32Array;
  frames: Int32Array;
  labels: number[][];
}

async function main(): Promise<void> {
  const started = performance.now();
  registerWasmGradientKernels();
  const backend = await initWasmBackend();
  console.log(`tfjs ${tf.version.tfjs} on ${backend.backend} (SIMD ${backend.simd ? 'on' : 'off'}); seed ${seed}`);
  const { melBins } = DEFAULT_PIPELINE_CONFIG.frontend;
  const shape = DEFAULT_STRING_MODEL_SHAPE;
  const stride = frameStride(shape);

  const fsdd = listFsdd(resolve(args.data)).filter((c) => officialSplit(c) === 'train');
  const synthDir = resolve(args.synth);
  if (!args['no-synth'] && !existsSync(join(synthDir, 'manifest.json')))
    throw new Error(`no synthetic voices in ${synthDir}: run \`npm run synth\` first (or --synth DIR, or --no-synth)`);
  const synthStrings = args['no-synth'] ? [] : readSynthTrainStrings(synthDir);
  const synthEntries = args['no-synth'] ? [] : readSynthManifest(synthDir).filter((e) => !e.heldOut);
  const wordCount = (text: string) => text.split(/\s+/).filter((w) => /[a-z]/i.test(w)).length;
  const scDir = resolve(args['speech-commands']);
  const sc = !args['no-speech-commands'] && existsSync(scDir) ? listSpeechCommands(scDir).filter((c) => c.split === 'train') : [];
  if (sc.length === 0 && !args['no-speech-commands']) console.warn(`no Speech Commands in ${scDir}: training without real voices beyond FSDD (--speech-commands DIR)`);
  const sources: StringSources = {
    fsdd: fsdd.map((c) => ({ path: c.path, digit: c.digit, speaker: c.speaker })),
    realDigits: sc.filter((c) => c.kind === 'word' && c.digit >= 0).map((c) => ({ path: c.path, digit: c.digit })),
    realWords: sc.filter((c) => c.kind === 'word' && c.digit < 0).map((c) => ({ path: c.path })),
    synthStrings: synthStrings.map((s) => ({ path: s.path, digits: s.digits })),
    synthWords: synthEntries.filter((e) => e.kind === 'word').map((e) => ({ path: e.path, digit: e.digit, words: 1 })),
    synthSentences: synthEntries.filter((e) => e.kind === 'sentence').map((e) => ({ path: e.path, words: Math.max(1, wordCount(e.text)) })),
    noise: sc.filter((c) => c.kind === 'noise').map((c) => c.path),
  };
  const sizes: Record<StringJob['kind'], number> = {
    'synth-string': sources.synthStrings.length,
    glued: 0,
    'fsdd-word': sources.fsdd.length,
    'real-digit': sources.realDigits.length,
    'real-word': sources.realWords.length,
    'synth-word': sources.synthWords.length,
    'synth-sentence': sources.synthSentences.length,
    phrase: 0,
    'non-speech': 0,
  };
  console.log(
    `sources: ${sizes['synth-string']} synthetic strings, ${sizes['synth-word']} synthetic words, ${sizes['synth-sentence']} sentences, ${sizes['fsdd-word']} FSDD train clips, ` +
      `${sizes['real-digit']} real digits + ${sizes['real-word']} real words (Speech Commands training speakers)`,
  );

  const init: StringWorkerInit = { sources, augment: DEFAULT_AUGMENT_CONFIG, seed, frameStride: stride, leadFrames: contextFrames(shape) };
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: init });
  const pending = new Map<number, { resolve: (d: EpochData) => void; reject: (e: Error) => void }>();
  const ready = new Map<number, Promise<EpochData>>();
  worker.on('message', (m: StringWorkerMessage) => {
    if (m.type === 'skipped') return console.warn(`skipping ${m.message}`);
    const p = pending.get(m.epoch);
    pending.delete(m.epoch);
    if (m.type === 'failed') p?.reject(new Error(`string example worker, epoch ${m.epoch}: ${m.message}`));
    else p?.resolve({ features: m.features, frames: m.frames, labels: m.labels });
  });
  worker.on('error', (error) => {
    for (const p of pending.values()) p.reject(error);
  });
  const prefetch = (epoch: number) => {
    if (epoch >= epochs || ready.has(epoch)) return;
    ready.set(epoch, new Promise((resolve, reject) => pending.set(epoch, { resolve, reject })));
    worker.postMessage({ epoch, jobs: epochJobs(epoch, sizes) } satisfies StringEpochRequest);
  };

  const labels = [...DIGIT_LABELS, OTHER_LABEL, BLANK_LABEL];
  const model = buildStringModel(melBins, labels.length, seed, shape);
  const baseRate = Number(args['learning-rate']);
  const optimizer = tf.train.adam(baseRate);
  const random = new Random(seed);
  const history: { epoch: number; loss: number; examples: number; seconds: number }[] = [];
  prefetch(0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const epochStart = performance.now();
    const data = await ready.get(epoch)!;
    ready.delete(epoch);
    prefetch(epoch + 1);
    const lr = baseRate * (epoch >= 0.85 * epochs ? 0.1 : epoch >= 0.6 * epochs ? 0.3 : 1);
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    // Examples by length, cut into batches of similar lengths, in random order.
    const offsets: number[] = [];
    let at = 0;
    for (const f of data.frames) {
      offsets.push(at);
      at += f * melBins;
    }
    const present = [...data.frames.keys()].filter((i) => data.frames[i] > 0).sort((a, b) => data.frames[a] - data.frames[b]);
    const batches: number[][] = [];
    for (let i = 0; i < present.length; i += batchSize) batches.push(present.slice(i, i + batchSize));
    random.shuffle(batches);
    let lossSum = 0;
    let counted = 0;
    for (const batch of batches) {
      const frames = Math.max(...batch.map((i) => data.frames[i]));
      const x = new Float32Array(batch.length * frames * melBins).fill(-1);
      batch.forEach((i, b) => x.set(data.features.subarray(offsets[i], offsets[i] + data.frames[i] * melBins), b * frames * melBins));
      const labels = batch.map((i) => data.labels[i]);
      const input = tf.tensor3d(x, [batch.length, frames, melBins]);
      const loss = optimizer.minimize(() => ctcLoss(model.apply(input, { training: true }) as tf.Tensor3D, labels), true) as tf.Scalar;
      const value = (await loss.data())[0];
      tf.dispose([input, loss]);
      if (Number.isFinite(value)) {
        lossSum += value * batch.length;
        counted += batch.length;
      }
    }
    const seconds = (performance.now() - epochStart) / 1000;
    history.push({ epoch: epoch + 1, loss: lossSum / Math.max(1, counted), examples: present.length, seconds });
    const elapsed = (performance.now() - started) / 60000;
    console.log(
      `epoch ${epoch + 1}/${epochs}: CTC loss ${(lossSum / Math.max(1, counted)).toFixed(3)} nats over ${present.length} examples ` +
        `(${data.frames.length - present.length} without speech or too long), lr ${lr.toExponential(1)}, ${seconds.toFixed(0)} s; ` +
        `ETA ${((elapsed / (epoch + 1)) * (epochs - epoch - 1)).toFixed(1)} min`,
    );
  }
  await worker.terminate();

  const outDir = resolve(args.out);
  const metadata: StringModelMetadata = {
    format: 'digit-listener-model',
    version: 1,
    labels,
    frontend: DEFAULT_PIPELINE_CONFIG.frontend,
    window: DEFAULT_PIPELINE_CONFIG.window,
    normalization: DEFAULT_INPUT_NORMALIZATION,
    decoder: 'ctc',
    frameStride: stride,
    contextFrames: contextFrames(shape),
  };
  const sizesOut = await exportQuantizedModel(model, outDir, metadata);
  const minutes = (performance.now() - started) / 60000;
  const recipe = createHash('sha256')
    .update(JSON.stringify({ shape, epochs, batchSize, seed, scale, lr: baseRate }))
    .digest('hex')
    .slice(0, 12);
  writeFileSync(
    join(outDir, 'report.json'),
    `${JSON.stringify({ recipe, shape, epochs, batchSize, seed, scale, learningRate: baseRate, parameters: model.countParams(), weights: sizesOut, minutes, history }, null, 1)}\n`,
  );
  console.log(`exported ${outDir}: ${model.countParams()} parameters, ${sizesOut.uint8} B uint8 weights; ${minutes.toFixed(1)} min`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
