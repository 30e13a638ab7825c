/**
 * `npm run train` — trains the digit CNN on FSDD through the product's own streaming pipeline
 * and exports it uint8-quantized to `models/<name>/` with a report.
 *
 * Usage: npm run train -- [--data DIR] [--name NAME | --out DIR] [--epochs N] [--batch N]
 *                         [--seed N] [--limit N] [--learning-rate LR] [--no-spec-augment]
 *                         [--noise-probability P] [--min-snr DB]
 *                         [--synth DIR | --no-synth] [--synth-fraction F] [--non-speech N]
 *                         [--speed P] [--reverb P] [--telephone P] [--babble P]
 *                         [--exclude-speaker NAME]   (leave-one-speaker-out folds)
 * The last four are probabilities (default 0, off) of speed perturbation 0.85–1.2, room reverb
 * RT60 0.1–0.8 s, a 300–3400 Hz band-limit, and babble (FSDD training clips) as the noise.
 * The shipped model: `npm run synth && npm run train` (30 epochs, ≈ 30 min on 2 cores).
 * With synthetic speech (`--synth`, default .cache/synth from `npm run synth`) the model also learns the synthetic training voices
 * (a random fraction F of them each epoch) and an extra "other" class from their non-digit words
 * plus N fresh non-speech sounds per epoch; the report adds the held-out synthetic voices.
 * The learning rate drops to 30 % after 60 % of the epochs and to 10 % after 85 %.
 * `--limit N` keeps only N training clips (smoke runs in CI).
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_PIPELINE_CONFIG } from '../src/pipeline/streaming-pipeline';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../src/pipeline/recognizer';
import { DEFAULT_INPUT_NORMALIZATION, normalizeWindow } from '../src/model/input';
import { DIGIT_LABELS, OTHER_LABEL } from '../src/model/labels';
import type { ModelMetadata } from '../src/model/metadata';
import { fileSystemModel } from '../src/model/node-io';
import { augmentClip, DEFAULT_AUGMENT_CONFIG, maskWindow } from './augment';
import { exportQuantizedModel } from './export';
import { DEFAULT_FSDD_DIR, type LoadedClip, listFsdd, loadClips, officialSplit } from './fsdd';
import { evaluate } from './metrics';
import { buildModel } from './model';
import { Random } from './random';
import { type TrainingReport, writeReport } from './report';
import { registerWasmGradientKernels } from './wasm-gradients';
import { nonSpeechSound } from './nonspeech';
import { DEFAULT_SYNTH_DIR } from './synth/generate';
import { loadSynth } from './synth/load';
import { mainUtteranceWindow } from './windows';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: DEFAULT_FSDD_DIR },
    name: { type: 'string', default: 'default' },
    out: { type: 'string' },
    epochs: { type: 'string', default: '30' },
    batch: { type: 'string', default: '64' },
    seed: { type: 'string', default: '1234' },
    limit: { type: 'string' },
    'learning-rate': { type: 'string', default: '0.002' },
    'no-spec-augment': { type: 'boolean', default: false },
    'noise-probability': { type: 'string', default: String(DEFAULT_AUGMENT_CONFIG.noiseProbability) },
    'min-snr': { type: 'string', default: String(DEFAULT_AUGMENT_CONFIG.snrDb[0]) },
    synth: { type: 'string', default: DEFAULT_SYNTH_DIR },
    'no-synth': { type: 'boolean', default: false },
    'synth-fraction': { type: 'string', default: '0.5' },
    'non-speech': { type: 'string', default: '600' },
    'exclude-speaker': { type: 'string' },
    speed: { type: 'string', default: '0' },
    reverb: { type: 'string', default: '0' },
    telephone: { type: 'string', default: '0' },
    babble: { type: 'string', default: '0' },
  },
});

const seed = Number(args.seed);
const epochs = Number(args.epochs);
const batchSize = Number(args.batch);
const outDir = resolve(args.out ?? join('models', args.name!));
const { frontend, window: windowConfig } = DEFAULT_PIPELINE_CONFIG;
const { windowFrames } = windowConfig;
const { melBins } = frontend;
const windowSize = windowFrames * melBins;
const synthDir = args['no-synth'] ? undefined : args.synth;
const labels: string[] = synthDir ? [...DIGIT_LABELS, OTHER_LABEL] : [...DIGIT_LABELS];
const OTHER = DIGIT_LABELS.length; // class index of "other" when present

/** A training or evaluation clip: mono samples at their own rate, and a class index. */
interface Item {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  readonly label: number;
}
const augmentConfig = {
  ...DEFAULT_AUGMENT_CONFIG,
  noiseProbability: Number(args['noise-probability']),
  snrDb: [Number(args['min-snr']), DEFAULT_AUGMENT_CONFIG.snrDb[1]] as const,
  speedProbability: Number(args.speed),
  reverbProbability: Number(args.reverb),
  telephoneProbability: Number(args.telephone),
  babbleProbability: Number(args.babble),
};

const fmtTime = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`);

/**
 * Windows of clean clips (no augmentation), for validation and test. A clip in which the gate
 * finds no utterance keeps a null window: the product would show nothing, so it scores as a miss.
 */
function cleanWindows(clips: readonly Item[]): { windows: (Float32Array | null)[]; truth: number[]; noSegment: number; several: number } {
  const windows: (Float32Array | null)[] = [];
  let noSegment = 0;
  let several = 0;
  for (const clip of clips) {
    const { window, segments } = mainUtteranceWindow(clip.samples, clip.sampleRate);
    if (segments > 1) several++;
    if (!window) noSegment++;
    windows.push(window?.features ?? null);
  }
  return { windows, truth: clips.map((c) => c.label), noSegment, several };
}

/**
 * Predicted class (argmax of the softmax) and its probability per window; class -1 where there
 * is no window.
 */
function predict(model: tf.LayersModel, windows: (Float32Array | null)[]): { classes: number[]; confidences: number[] } {
  const present = windows.filter((w): w is Float32Array => w !== null);
  const classes: number[] = [];
  const confidences: number[] = [];
  for (let i = 0; i < present.length; i += 256) {
    const chunk = present.slice(i, i + 256);
    const data = new Float32Array(chunk.length * windowSize);
    chunk.forEach((w, j) => data.set(normalizeWindow(w), j * windowSize));
    const [argMax, max] = tf.tidy(() => {
      const p = model.predict(tf.tensor4d(data, [chunk.length, windowFrames, melBins, 1])) as tf.Tensor;
      return [p.argMax(-1).dataSync(), p.max(-1).dataSync()];
    });
    classes.push(...Array.from(argMax));
    confidences.push(...Array.from(max));
  }
  let next = 0;
  const out = { classes: [] as number[], confidences: [] as number[] };
  for (const w of windows) {
    out.classes.push(w ? classes[next] : -1);
    out.confidences.push(w ? confidences[next++] : 0);
  }
  return out;
}

function predictClasses(model: tf.LayersModel, windows: (Float32Array | null)[]): number[] {
  return predict(model, windows).classes;
}

/** What the product would report per clip: the digit if it is the argmax with confidence ≥ 0.5, else -1. */
function reportedDigits(model: tf.LayersModel, windows: (Float32Array | null)[]): number[] {
  const { classes, confidences } = predict(model, windows);
  return classes.map((c, i) => (c >= 0 && c < DIGIT_LABELS.length && confidences[i] >= DEFAULT_CONFIDENCE_THRESHOLD ? c : -1));
}

/** Accuracy on held-out synthetic voices (female, male) and false accepts on their non-digits. */
function heldOutScores(model: tf.LayersModel, heldOut: Record<string, Item[]>): NonNullable<TrainingReport['heldOutSynth']> {
  const accuracy = (items: Item[]) => {
    const digits = reportedDigits(model, cleanWindows(items).windows);
    return digits.filter((d, i) => d === items[i].label).length / Math.max(1, items.length);
  };
  const other = reportedDigits(model, cleanWindows(heldOut.other).windows);
  return {
    femaleAccuracy: accuracy(heldOut.female),
    maleAccuracy: accuracy(heldOut.male),
    otherFalseAcceptRate: other.filter((d) => d >= 0).length / Math.max(1, other.length),
    counts: { female: heldOut.female.length, male: heldOut.male.length, other: heldOut.other.length },
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  registerWasmGradientKernels();
  const backend = await initWasmBackend();
  console.log(`tfjs ${tf.version.tfjs} on ${backend.backend} (SIMD ${backend.simd ? 'on' : 'off'}); seed ${seed}`);

  const dataDir = resolve(args.data!);
  const skipped: string[] = [];
  const reportSkipped = (error: Error) => {
    console.warn(`skipping ${error.message}`);
    skipped.push(error.message);
  };
  const all = loadClips(listFsdd(dataDir), reportSkipped);
  const random = new Random(seed);
  // Leave-one-speaker-out folds: the excluded speaker is in no split at all.
  const excluded = args['exclude-speaker'];
  if (excluded && !all.some((c) => c.speaker === excluded)) throw new Error(`--exclude-speaker ${excluded}: no such FSDD speaker`);
  let train = all.filter((c) => officialSplit(c) === 'train' && c.speaker !== excluded);
  const validation = all.filter((c) => officialSplit(c) === 'validation' && c.speaker !== excluded);
  const test = all.filter((c) => officialSplit(c) === 'test' && c.speaker !== excluded);
  if (args.limit) train = random.shuffle([...train]).slice(0, Number(args.limit));
  console.log(`FSDD ${dataDir}: ${train.length} train, ${validation.length} validation, ${test.length} test clips`);

  const asItem = (c: LoadedClip): Item => ({ samples: c.samples, sampleRate: c.sampleRate, label: c.digit });
  let synthTrain: Item[] = [];
  let synthValidation: Item[] = [];
  const heldOut: Record<string, Item[]> = {};
  if (synthDir) {
    const synth = loadSynth(resolve(synthDir), () => true, reportSkipped);
    const item = (e: (typeof synth)[number]): Item => ({ samples: e.samples, sampleRate: e.sampleRate, label: e.digit >= 0 ? e.digit : OTHER });
    const trainVoices = synth.filter((e) => !e.heldOut);
    // Every 10th clip of the training voices validates; held-out voices only evaluate.
    synthTrain = trainVoices.filter((_, i) => i % 10 !== 0).map(item);
    synthValidation = trainVoices.filter((_, i) => i % 10 === 0).map(item);
    heldOut.female = synth.filter((e) => e.heldOut && e.digit >= 0 && e.gender === 'female').map(item);
    heldOut.male = synth.filter((e) => e.heldOut && e.digit >= 0 && e.gender === 'male').map(item);
    heldOut.other = synth.filter((e) => e.heldOut && e.digit < 0).map(item);
    console.log(`synthetic voices ${synthDir}: ${synthTrain.length} train, ${synthValidation.length} validation; held out ${heldOut.female.length} female + ${heldOut.male.length} male digits, ${heldOut.other.length} non-digits`);
  }
  const babblePool = train.map(asItem);
  const val = cleanWindows([...validation.map(asItem), ...synthValidation]);
  const tst = cleanWindows(test.map(asItem));

  const model = buildModel(windowFrames, melBins, labels.length, seed);
  const baseLearningRate = Number(args['learning-rate']);
  const optimizer = tf.train.adam(baseLearningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  console.log(`model: ${model.countParams()} parameters, input [${windowFrames}, ${melBins}, 1]`);

  const history: TrainingReport['epochs'] = [];
  const trainStarted = performance.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    // Step decay. AdamOptimizer reads its (TS-protected) learningRate on every update.
    const factor = epoch > 0.85 * epochs ? 0.1 : epoch > 0.6 * epochs ? 0.3 : 1;
    (optimizer as unknown as { learningRate: number }).learningRate = baseLearningRate * factor;
    // Fresh augmentation every epoch, through the full streaming pipeline.
    const fraction = Number(args['synth-fraction']);
    const nonSpeech: Item[] = synthDir
      ? Array.from({ length: Number(args['non-speech']) }, () => ({ samples: nonSpeechSound(16000, random), sampleRate: 16000, label: OTHER }))
      : [];
    const order = random.shuffle([...train.map(asItem), ...synthTrain.filter(() => random.next() < fraction), ...nonSpeech]);
    const xs: Float32Array[] = [];
    const ys: number[] = [];
    for (const clip of order) {
      const augmented = augmentClip(clip.samples, clip.sampleRate, random, augmentConfig, babblePool);
      const { window } = mainUtteranceWindow(augmented.samples, augmented.sampleRate);
      if (!window) continue; // e.g. a quiet clip drowned at low SNR: nothing the product would classify
      const x = normalizeWindow(window.features);
      if (!args['no-spec-augment']) maskWindow(x, windowFrames, melBins, random);
      xs.push(x);
      ys.push(clip.label);
    }
    let lossSum = 0;
    let correct = 0;
    for (let i = 0; i < xs.length; i += batchSize) {
      const n = Math.min(batchSize, xs.length - i);
      const data = new Float32Array(n * windowSize);
      for (let j = 0; j < n; j++) data.set(xs[i + j], j * windowSize);
      const x = tf.tensor4d(data, [n, windowFrames, melBins, 1]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(ys.slice(i, i + n), 'int32'), labels.length));
      const [loss, acc] = (await model.trainOnBatch(x, y)) as number[];
      x.dispose();
      y.dispose();
      lossSum += loss * n;
      correct += acc * n;
    }
    const validationAccuracy = evaluate(val.truth, predictClasses(model, val.windows), labels).accuracy;
    const seconds = (performance.now() - t0) / 1000;
    history.push({ epoch, loss: lossSum / xs.length, trainAccuracy: correct / xs.length, validationAccuracy, seconds });
    const elapsed = (performance.now() - trainStarted) / 1000;
    const eta = (elapsed / epoch) * (epochs - epoch);
    console.log(
      `epoch ${String(epoch).padStart(2)}/${epochs}  loss ${(lossSum / xs.length).toFixed(4)}  train ${(100 * correct / xs.length).toFixed(1)}%  ` +
        `validation ${(100 * validationAccuracy).toFixed(1)}%  ${seconds.toFixed(1)} s  ETA ${fmtTime(eta)}`,
    );
  }
  const trainingSeconds = (performance.now() - trainStarted) / 1000;

  const metadata: ModelMetadata = {
    format: 'digit-listener-model',
    version: 1,
    labels,
    frontend,
    window: windowConfig,
    normalization: DEFAULT_INPUT_NORMALIZATION,
  };
  const weightsBytes = await exportQuantizedModel(model, outDir, metadata);

  const quantized = await DigitClassifier.load(fileSystemModel(outDir), outDir);
  const report: TrainingReport = {
    model: args.name!,
    createdAt: new Date().toISOString(),
    seed,
    dataset: { dir: args.data!, train: train.length, validation: validation.length, test: test.length, skipped },
    epochs: history,
    trainingSeconds,
    parameters: model.countParams(),
    weightsBytes,
    test: {
      float: evaluate(tst.truth, predictClasses(model, tst.windows), labels),
      quantized: evaluate(tst.truth, predictClasses(quantized.model, tst.windows), labels),
    },
    gate: { clipsWithoutSegment: tst.noSegment, clipsWithSeveralSegments: tst.several },
    heldOutSynth: synthDir ? heldOutScores(quantized.model, heldOut) : undefined,
  };
  writeReport(outDir, report, labels);
  console.log(
    `test accuracy: float ${(100 * report.test.float.accuracy).toFixed(2)}%, uint8 ${(100 * report.test.quantized.accuracy).toFixed(2)}%; ` +
      `weights ${weightsBytes.uint8} bytes (float ${weightsBytes.float32}); ${fmtTime((performance.now() - started) / 1000)} in all`,
  );
  console.log(`wrote ${outDir}/model.json, weights.bin, report.json, report.md`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
