/**
 * `npm run train` — trains the digit CNN on FSDD (and synthetic voices) through the product's
 * own streaming pipeline and exports it uint8-quantized to `models/<name>/` with a report.
 *
 * Usage: npm run train -- [--data DIR] [--name NAME | --out DIR] [--epochs N] [--batch N]
 *                         [--seed N] [--limit N] [--learning-rate LR] [--no-spec-augment]
 *                         [--synth DIR | --no-synth] [--synth-fraction F] [--non-speech N]
 *                         [--noise P] [--min-snr DB] [--speed P] [--pitch P] [--reverb P]
 *                         [--telephone P] [--babble P] [--sounds P] [--no-gain] [--no-shift] [--no-band-noise]
 *                         [--exclude-speaker NAME]   (leave-one-speaker-out folds)
 *                         [--feature-cache DIR] [--filters F1,F2,F3] [--dense UNITS]
 *                         [--separable S1,S2,S3]   (1 = depthwise-separable block; the first stays full)
 *                         [--time-stride N]        (stride of the first conv along time)
 *                         [--speech-commands DIR | --no-speech-commands] [--sc-digit-takes N]
 *                         [--sc-other-fraction F] [--phrases N] [--vtlp P] [--real-noise P]
 *                         [--babble-from real|synth|fsdd]
 * Speech Commands (`--speech-commands DIR`, default ../shared/datasets/speech-commands when it is
 * there; any version in the standard layout, e.g. the full v0.02 download with 2,618 speakers):
 * its digit words are digit classes, seen N times per epoch each (fresh augmentation each time);
 * every other word is "not a digit" (a fraction F of them per epoch), also glued into N phrases
 * of running speech per epoch; `_silence_` / `_background_noise_` are real background noise
 * (--real-noise P of the noisy clips) and its words the babble. Only the training split's
 * speakers are used (training/speech-commands.ts: the dataset's lists, else a speaker hash); the
 * held-out speakers are for `npm run eval`.
 * VTLP (--vtlp P): a random mel-filterbank warp of 0.87–1.15 per clip (Jaitly & Hinton 2013).
 * The probabilities (defaults: the shipped recipe, DEFAULT_AUGMENT_CONFIG in augment.ts) are
 * of: additive noise at --min-snr…30 dB; speed perturbation 0.85–1.2; a pitch-shifted copy
 * (SoX, −2…+6 semitones, FSDD clips); room reverb RT60 0.1–0.8 s; a 300–3400 Hz band-limit;
 * and, when noise is added, babble (synthetic training voices) or a background of non-speech
 * sound events instead of generated white/pink/brown/band noise (--no-band-noise drops the
 * band colour). 0 switches one off (the ablation does).
 * The shipped model: `npm run synth && npm run train` (≈ 25 min on 2 cores: epochs of ≈ 45 s; ≈ 15 s from cached features).
 * With synthetic speech (`--synth`, default .cache/synth from `npm run synth`) the model also learns the synthetic training voices
 * (a random fraction F of them each epoch) and an extra "other" class from their non-digit words
 * plus N fresh non-speech sounds per epoch; the report adds the held-out synthetic voices.
 * The learning rate drops to 30 % after 60 % of the epochs and to 10 % after 85 %.
 * `--limit N` keeps only N FSDD training clips (smoke runs in CI).
 *
 * Features: a worker thread augments and featurises epoch n+1 while this thread trains on
 * epoch n, and writes them to --feature-cache (default .cache/features/<recipe hash>); every
 * clip's augmentation is seeded by (seed, epoch, clip), so another run with the same recipe —
 * a leave-one-speaker-out fold, a different model — reads them back instead.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { DEFAULT_PIPELINE_CONFIG } from '../src/pipeline/streaming-pipeline';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../src/pipeline/recognizer';
import type { SetScore } from '../src/cli/score';
import { synthSets } from './eval/sets';
import { speechCommandsSets } from './eval/speech-commands-sets';
import { fsddTestSet, recognizeSet } from './eval/suite';
import { DEFAULT_INPUT_NORMALIZATION, normalizeWindow } from '../src/model/input';
import { DIGIT_LABELS, OTHER_LABEL } from '../src/model/labels';
import type { ModelMetadata } from '../src/model/metadata';
import { fileSystemModel } from '../src/model/node-io';
import { type AugmentConfig, DEFAULT_AUGMENT_CONFIG, maskWindow } from './augment';
import { exportQuantizedModel } from './export';
import { DEFAULT_FEATURE_CACHE, recipeCacheDir } from './features/cache';
import { fsddId } from './features/compute';
import { type ClipSources, clipSeed, type FeatureJob, type FeatureRecipe, nonSpeechId, phraseId, takeId } from './features/plan';
import { EpochFeatureSource } from './features/source';
import { DEFAULT_FSDD_DIR, type LoadedClip, listFsdd, loadClips, officialSplit } from './fsdd';
import { DEFAULT_SPEECH_COMMANDS_DIR, listSpeechCommands } from './speech-commands';
import { existsSync } from 'node:fs';
import { evaluate } from './metrics';
import { buildModel, DEFAULT_MODEL_SHAPE, type ModelShape } from './model';
import { PITCH_SHIFT_CENTS, pitchShiftedCopies } from './pitch';
import { Random } from '../src/audio/random';
import { type TrainingReport, writeReport } from './report';
import { decodeAll } from './decode';
import { registerWasmGradientKernels } from './wasm-gradients';
import { DEFAULT_SYNTH_DIR } from './synth/generate';
import { loadSynth, readSynthManifest } from './synth/load';
import { mainUtteranceWindow } from './windows';

const D = DEFAULT_AUGMENT_CONFIG;
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: DEFAULT_FSDD_DIR },
    name: { type: 'string', default: 'default' },
    out: { type: 'string' },
    epochs: { type: 'string', default: '24' },
    batch: { type: 'string', default: '64' },
    seed: { type: 'string', default: '1234' },
    limit: { type: 'string' },
    'learning-rate': { type: 'string', default: '0.002' },
    'no-spec-augment': { type: 'boolean', default: false },
    synth: { type: 'string', default: DEFAULT_SYNTH_DIR },
    'no-synth': { type: 'boolean', default: false },
    'synth-fraction': { type: 'string', default: '0.35' },
    'non-speech': { type: 'string', default: '600' },
    'exclude-speaker': { type: 'string' },
    noise: { type: 'string', default: String(D.noiseProbability) },
    'min-snr': { type: 'string', default: String(D.snrDb[0]) },
    speed: { type: 'string', default: String(D.speedProbability) },
    pitch: { type: 'string', default: String(D.pitchProbability) },
    reverb: { type: 'string', default: String(D.reverbProbability) },
    telephone: { type: 'string', default: String(D.telephoneProbability) },
    babble: { type: 'string', default: String(D.babbleProbability) },
    sounds: { type: 'string', default: String(D.soundsProbability) },
    'no-gain': { type: 'boolean', default: false },
    'no-shift': { type: 'boolean', default: false },
    'no-band-noise': { type: 'boolean', default: false },
    'feature-cache': { type: 'string', default: DEFAULT_FEATURE_CACHE },
    'speech-commands': { type: 'string' },
    'no-speech-commands': { type: 'boolean', default: false },
    'sc-digit-takes': { type: 'string', default: '8' },
    'sc-other-fraction': { type: 'string', default: '0.3' },
    phrases: { type: 'string', default: '200' },
    vtlp: { type: 'string', default: String(D.vtlpProbability) },
    'real-noise': { type: 'string', default: String(D.realNoiseProbability) },
    'babble-from': { type: 'string' },
    filters: { type: 'string', default: DEFAULT_MODEL_SHAPE.filters.join(',') },
    dense: { type: 'string', default: String(DEFAULT_MODEL_SHAPE.denseUnits) },
    'time-stride': { type: 'string', default: String(DEFAULT_MODEL_SHAPE.firstTimeStride ?? 1) },
    separable: { type: 'string', default: (DEFAULT_MODEL_SHAPE.separable ?? [false, false, false]).map(Number).join(',') },
  },
});

const seed = Number(args.seed);
const epochs = Number(args.epochs);
const batchSize = Number(args.batch);
const outDir = resolve(args.out ?? join('models', args.name));
const { frontend, window: windowConfig } = DEFAULT_PIPELINE_CONFIG;
const { windowFrames } = windowConfig;
const { melBins } = frontend;
const windowSize = windowFrames * melBins;
const synthDir = args['no-synth'] ? undefined : args.synth;
// Speech Commands: real voices. The default folder is used when it is there; a folder named on
// the command line must be there (listSpeechCommands names it otherwise).
const scDir = args['no-speech-commands'] ? undefined : (args['speech-commands'] ?? (existsSync(DEFAULT_SPEECH_COMMANDS_DIR) ? DEFAULT_SPEECH_COMMANDS_DIR : undefined));
// The "other" class learns from synthetic non-digits and from the real non-digit words: without
// either, ten classes.
const labels: string[] = synthDir || scDir ? [...DIGIT_LABELS, OTHER_LABEL] : [...DIGIT_LABELS];
const OTHER = DIGIT_LABELS.length; // class index of "other" when present

/** A training or evaluation clip: mono samples at their own rate, and a class index. */
interface Item {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  readonly label: number;
}
const probability = (name: string, value: string | undefined): number => {
  const p = Number(value);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`--${name} must be a probability in [0, 1], got ${value}`);
  return p;
};
const augmentConfig: AugmentConfig = {
  ...D,
  noiseProbability: probability('noise', args.noise),
  snrDb: [Number(args['min-snr']), D.snrDb[1]] as const,
  speedProbability: probability('speed', args.speed),
  pitchProbability: probability('pitch', args.pitch),
  reverbProbability: probability('reverb', args.reverb),
  telephoneProbability: probability('telephone', args.telephone),
  babbleProbability: probability('babble', args.babble),
  soundsProbability: probability('sounds', args.sounds),
  vtlpProbability: probability('vtlp', args.vtlp),
  realNoiseProbability: probability('real-noise', args['real-noise']),
  ...(args['no-gain'] ? { gainDb: [0, 0] as const } : {}),
  ...(args['no-band-noise'] ? { noiseColours: D.noiseColours.filter((c) => c !== 'band') } : {}),
  ...(args['no-shift'] ? { leadSeconds: [0.3, 0.3] as const, tailSeconds: [0.2, 0.2] as const } : {}),
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

async function main(): Promise<void> {
  const started = performance.now();
  registerWasmGradientKernels();
  const backend = await initWasmBackend();
  console.log(`tfjs ${tf.version.tfjs} on ${backend.backend} (SIMD ${backend.simd ? 'on' : 'off'}); seed ${seed}`);

  const dataDir = resolve(args.data);
  const skipped: string[] = [];
  const reportSkipped = (error: Error) => {
    console.warn(`skipping ${error.message}`);
    skipped.push(error.message);
  };
  const listed = listFsdd(dataDir);
  const random = new Random(seed);
  // Leave-one-speaker-out folds: the excluded speaker is in no split at all.
  const excluded = args['exclude-speaker'];
  if (excluded && !listed.some((c) => c.speaker === excluded)) throw new Error(`--exclude-speaker ${excluded}: no such FSDD speaker`);
  const kept = listed.filter((c) => c.speaker !== excluded);
  // Training clips are decoded by the feature worker; validation and test clips here.
  let train = kept.filter((c) => officialSplit(c) === 'train');
  const validation = loadClips(
    kept.filter((c) => officialSplit(c) === 'validation'),
    reportSkipped,
  );
  const test = loadClips(
    kept.filter((c) => officialSplit(c) === 'test'),
    reportSkipped,
  );
  if (args.limit) train = random.shuffle([...train]).slice(0, Number(args.limit));
  console.log(`FSDD ${dataDir}: ${train.length} train, ${validation.length} validation, ${test.length} test clips`);

  const asItem = (c: LoadedClip): Item => ({ samples: c.samples, sampleRate: c.sampleRate, label: c.digit });
  let synthTrain: ClipSources['synth'] = [];
  let synthValidation: Item[] = [];
  let synthIdentity = '';
  if (synthDir) {
    const entries = readSynthManifest(resolve(synthDir));
    synthIdentity = createHash('sha256')
      .update(JSON.stringify(entries.map((e) => [e.path.slice(resolve(synthDir).length), e.pitch, e.speed, e.amplitude])))
      .digest('hex');
    const trainVoices = entries.filter((e) => !e.heldOut);
    // Every 10th clip of the training voices validates; held-out voices only evaluate.
    synthTrain = trainVoices.filter((_, i) => i % 10 !== 0).map((e) => ({ id: e.path.slice(resolve(synthDir).length + 1), path: e.path, digit: e.digit >= 0 ? e.digit : OTHER }));
    const validationPaths = new Set(trainVoices.filter((_, i) => i % 10 === 0).map((e) => e.path));
    const decoded = loadSynth(resolve(synthDir), (e) => !e.heldOut && validationPaths.has(e.path), reportSkipped);
    const item = (e: (typeof decoded)[number]): Item => ({ samples: e.samples, sampleRate: e.sampleRate, label: e.digit >= 0 ? e.digit : OTHER });
    synthValidation = decoded.map(item);
    console.log(`synthetic voices ${synthDir}: ${synthTrain.length} train, ${synthValidation.length} validation (held-out voices: npm run eval and this report)`);
  }
  if (!scDir && !args['no-speech-commands']) console.warn(`no Speech Commands in ${DEFAULT_SPEECH_COMMANDS_DIR}: training without real voices beyond FSDD (--speech-commands DIR)`);
  const scClips = scDir ? listSpeechCommands(resolve(scDir)) : [];
  const scId = (path: string) => `sc:${path.slice(resolve(scDir ?? '.').length + 1)}`;
  const scTrain = scClips.filter((c) => c.split === 'train' && c.kind === 'word').map((c) => ({ id: scId(c.path), path: c.path, digit: c.digit >= 0 ? c.digit : OTHER }));
  const scNoise = scClips.filter((c) => c.split === 'train' && c.kind === 'noise').map((c) => c.path);
  const scValidation = decodeAll(
    scClips.filter((c) => c.split === 'validation' && c.kind === 'word'),
    reportSkipped,
  ).map((c) => ({ samples: c.samples, sampleRate: c.sampleRate, label: c.digit >= 0 ? c.digit : OTHER }));
  if (scDir) {
    const speakers = (split: string) => new Set(scClips.filter((c) => c.split === split && c.kind === 'word').map((c) => c.speaker)).size;
    console.log(
      `Speech Commands ${scDir}: train ${scTrain.filter((c) => c.digit !== OTHER).length} digits + ${scTrain.filter((c) => c.digit === OTHER).length} other words from ${speakers('train')} speakers, ` +
        `${scNoise.length} noise clips; validation ${scValidation.length} clips (${speakers('validation')} speakers); ${speakers('test')} speakers held out`,
    );
  }
  const val = cleanWindows([...validation.map(asItem), ...synthValidation, ...scValidation]);
  const tst = cleanWindows(test.map(asItem));

  // Pitch-shifted copies of the real recordings, made once with SoX (only if the recipe uses them).
  // A file SoX cannot read gets no copies (a warning); decoding it then reports and skips it.
  const noCopies = (message: string) => console.warn(`no pitch-shifted copies: ${message}`);
  const pitchCopies =
    augmentConfig.pitchProbability > 0
      ? Object.fromEntries(
          await pitchShiftedCopies(
            train.map((c) => c.path),
            undefined,
            noCopies,
          ),
        )
      : {};
  /** Babble from real voices when there are any, else synthetic ones, else FSDD; --babble-from picks one. */
  function babbleFrom(): ClipSources['babbleFrom'] {
    const available = { real: scTrain.some((c) => c.digit === OTHER), synth: synthTrain.length > 0, fsdd: true };
    const chosen = args['babble-from'];
    if (chosen === undefined) return available.real ? 'real' : available.synth ? 'synth' : 'fsdd';
    if (chosen !== 'real' && chosen !== 'synth' && chosen !== 'fsdd') throw new RangeError(`--babble-from must be real, synth or fsdd, got ${chosen}`);
    if (!available[chosen]) throw new RangeError(`--babble-from ${chosen}: no such clips in this run (real needs --speech-commands, synth needs --synth)`);
    return chosen;
  }
  const sources: ClipSources = {
    fsdd: train.map((c) => ({ path: c.path, digit: c.digit })),
    pitchCopies,
    synth: synthTrain,
    real: scTrain,
    noise: scNoise,
    babbleFrom: babbleFrom(),
  };
  const recipe: FeatureRecipe = { seed, augment: augmentConfig, shape: { frames: windowFrames, melBins } };
  const cacheDir = recipeCacheDir(resolve(args['feature-cache']), recipe, {
    pipeline: DEFAULT_PIPELINE_CONFIG,
    normalization: DEFAULT_INPUT_NORMALIZATION,
    fsdd: dataDir,
    pitch: augmentConfig.pitchProbability > 0 ? PITCH_SHIFT_CENTS : [],
    synth: synthIdentity,
    // Babble from FSDD (no synthetic voices) depends on which FSDD clips take part.
    babble:
      sources.babbleFrom !== 'fsdd'
        ? sources.babbleFrom
        : createHash('sha256')
            .update(sources.fsdd.map((c) => c.path).join())
            .digest('hex'),
    speechCommands: scDir
      ? createHash('sha256')
          .update(JSON.stringify([...scTrain.map((c) => c.id), ...scNoise]))
          .digest('hex')
      : '',
  });
  const features = new EpochFeatureSource({ sources, recipe, cacheDir }, (message) => reportSkipped(new Error(message)));
  const fraction = Number(args['synth-fraction']);
  const hasOther = labels.length > DIGIT_LABELS.length;
  const nonSpeechCount = hasOther ? Number(args['non-speech']) : 0;
  const scDigitTakes = Number(args['sc-digit-takes']);
  const scOtherFraction = probability('sc-other-fraction', args['sc-other-fraction']);
  const phraseCount = hasOther && scTrain.some((c) => c.digit === OTHER) ? Number(args.phrases) : 0;
  const selected = (epoch: number, id: string, p: number) => new Random(clipSeed(seed, epoch, `select:${id}`)).next() < p;
  /**
   * The clips of one epoch: every FSDD training clip, a seeded fraction of the synthetic ones,
   * every real digit `--sc-digit-takes` times, a fraction of the real non-digit words, glued
   * phrases, fresh non-speech sounds.
   */
  const epochJobs = (epoch: number): FeatureJob[] => [
    ...sources.fsdd.map((c) => ({ id: fsddId(c.path), label: c.digit })),
    ...synthTrain.filter((c) => selected(epoch, c.id, fraction)).map((c) => ({ id: c.id, label: c.digit })),
    ...scTrain.filter((c) => c.digit !== OTHER).flatMap((c) => Array.from({ length: scDigitTakes }, (_, take) => ({ id: takeId(c.id, take), label: c.digit }))),
    ...(hasOther ? scTrain.filter((c) => c.digit === OTHER && selected(epoch, c.id, scOtherFraction)).map((c) => ({ id: c.id, label: OTHER })) : []),
    ...Array.from({ length: phraseCount }, (_, n) => ({ id: phraseId(epoch, n), label: OTHER })),
    ...Array.from({ length: nonSpeechCount }, (_, n) => ({ id: nonSpeechId(epoch, n), label: OTHER })),
  ];
  console.log(`features: ${cacheDir}`);
  features.prefetch(1, epochJobs(1));

  const filters = args.filters.split(',').map(Number);
  if (filters.length !== 3 || !filters.every((f) => Number.isInteger(f) && f > 0)) throw new RangeError(`--filters needs three positive integers, got ${args.filters}`);
  const separable = args.separable.split(',').map((v) => v.trim());
  if (separable.length !== 3 || !separable.every((v) => v === '0' || v === '1')) throw new RangeError(`--separable needs three 0/1 flags, got ${args.separable}`);
  const shape: ModelShape = {
    filters: filters as [number, number, number],
    denseUnits: Number(args.dense),
    separable: separable.map((v) => v === '1') as [boolean, boolean, boolean],
    firstTimeStride: Number(args['time-stride']),
  };
  if (!(Number.isInteger(shape.firstTimeStride) && shape.firstTimeStride! >= 1)) throw new RangeError(`--time-stride needs a positive integer, got ${args['time-stride']}`);
  const model = buildModel(windowFrames, melBins, labels.length, seed, shape);
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
    // Fresh augmentation every epoch, through the full streaming pipeline (computed while the
    // previous epoch trained). A clip the gate finds nothing in — e.g. a quiet clip drowned at
    // low SNR — is skipped: the product would classify nothing either.
    const epochFeatures = await features.get(epoch);
    const waited = (performance.now() - t0) / 1000;
    if (epoch < epochs) features.prefetch(epoch + 1, epochJobs(epoch + 1));
    const rows = random.shuffle(epochFeatures.jobs.map((_, i) => i).filter((i) => epochFeatures.present[i]));
    let lossSum = 0;
    let correct = 0;
    for (let i = 0; i < rows.length; i += batchSize) {
      const n = Math.min(batchSize, rows.length - i);
      const data = new Float32Array(n * windowSize);
      const ys: number[] = [];
      for (let j = 0; j < n; j++) {
        const row = rows[i + j];
        const x = epochFeatures.windows.slice(row * windowSize, (row + 1) * windowSize);
        if (!args['no-spec-augment']) maskWindow(x, windowFrames, melBins, random);
        data.set(x, j * windowSize);
        ys.push(epochFeatures.jobs[row].label);
      }
      const x = tf.tensor4d(data, [n, windowFrames, melBins, 1]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(ys, 'int32'), labels.length));
      const [loss, acc] = (await model.trainOnBatch(x, y)) as number[];
      x.dispose();
      y.dispose();
      lossSum += loss * n;
      correct += acc * n;
    }
    const validationAccuracy = evaluate(val.truth, predictClasses(model, val.windows), labels).accuracy;
    const seconds = (performance.now() - t0) / 1000;
    history.push({ epoch, loss: lossSum / rows.length, trainAccuracy: correct / rows.length, validationAccuracy, seconds });
    const elapsed = (performance.now() - trainStarted) / 1000;
    const eta = (elapsed / epoch) * (epochs - epoch);
    console.log(
      `epoch ${String(epoch).padStart(2)}/${epochs}  ${rows.length} windows  loss ${(lossSum / rows.length).toFixed(4)}  train ${((100 * correct) / rows.length).toFixed(1)}%  ` +
        `validation ${(100 * validationAccuracy).toFixed(1)}%  ${seconds.toFixed(1)} s (${waited.toFixed(1)} s waiting for features)  ETA ${fmtTime(eta)}`,
    );
  }
  await features.close();
  if (features.cachedEpochs > 0) console.log(`${features.cachedEpochs} of ${epochs} epochs' features came from the cache`);
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
  // One decision path: the report scores the exported model exactly as `digit-listener
  // recognize` and `npm run eval` do (WAV → streaming pipeline → model → threshold).
  const reportSets = [fsddTestSet(args.data, excluded), ...(synthDir ? synthSets(synthDir) : []), ...(scDir ? speechCommandsSets(resolve(scDir)) : [])];
  const scores: SetScore[] = [];
  // The word model alone (no string model: `npm run eval` scores the pair).
  for (const set of reportSets) scores.push(await recognizeSet(set, { word: quantized, strings: null }, DEFAULT_CONFIDENCE_THRESHOLD));
  quantized.dispose();
  const report: TrainingReport = {
    model: args.name,
    createdAt: new Date().toISOString(),
    seed,
    dataset: { dir: args.data, train: train.length, validation: validation.length, test: test.length, skipped },
    epochs: history,
    trainingSeconds,
    parameters: model.countParams(),
    weightsBytes,
    confidenceThreshold: DEFAULT_CONFIDENCE_THRESHOLD,
    sets: scores,
    windowTest: { float: evaluate(tst.truth, predictClasses(model, tst.windows), labels).accuracy },
    gate: { clipsWithoutSegment: tst.noSegment, clipsWithSeveralSegments: tst.several },
  };
  writeReport(outDir, report, labels);
  console.log(
    `FSDD test through the recognizer: ${(100 * (scores[0].accuracy ?? 0)).toFixed(2)} %; ` +
      `weights ${weightsBytes.uint8} bytes (float ${weightsBytes.float32}); ${fmtTime((performance.now() - started) / 1000)} in all`,
  );
  console.log(`wrote ${outDir}/model.json, weights.bin, report.json, report.md`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
