/**
 * `npm run train` — trains a head on the frozen speech encoder (`models/encoder/`) and exports it
 * uint8-quantized with its metadata, its `recipe.json` and a report:
 * - `--head word` (default): the word head, into `models/default/`;
 * - `--head strings`: the CTC string head, into `models/default/strings/`.
 * `npm run train -- --help` lists every option; `--recipe FILE` replays a shipped head's recipe.
 *
 * Every clip of the recipe (FSDD's training split, the training speakers of Speech Commands, the
 * training voices of `npm run synth`, glued phrases and strings, non-speech sounds) is made into
 * its example through the product's own streaming pipeline, clean (copy 0) and in `copies`
 * augmented copies (real noise, babble, reverb, gain, speed, pitch, VTLP: augment.ts); the
 * encoder's embeddings of each are computed once by worker threads and cached per recipe
 * (`embeddings.ts`). Training is then passes over the cached embeddings: each epoch draws its rows
 * from the pools as the recipe says, each from a random copy (`epochRows`). One loop for both
 * heads: cross-entropy of the word head's softmax, or CTC (Graves et al. 2006; training/ctc.ts)
 * of the string head's logits; Adam, with the one learning-rate schedule (`learningRateFactor`).
 *
 * Validation, every epoch: the clean examples of FSDD's validation split, of Speech Commands'
 * validation speakers and of every tenth synthetic training clip (left out of training).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { SetScore } from '../../src/cli/score';
import { fileSystemEncoders } from '../../src/cli/models';
import { DEFAULT_ENCODER_DIR } from '../../src/cli/paths';
import { initWasmBackend } from '../../src/model/backend';
import { SpeechEncoder } from '../../src/model/encoder';
import { DIGIT_LABELS, OTHER_LABEL } from '../../src/model/labels';
import type { ModelMetadata } from '../../src/model/metadata';
import { fileSystemModel } from '../../src/model/node-io';
import { STRING_MODEL_LABELS, StringModel, type StringModelMetadata } from '../../src/model/string-model';
import { DigitClassifier } from '../../src/model/classifier';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../../src/pipeline/recognizer';
import { Random } from '../../src/audio/random';
import { ctcLoss } from '../ctc';
import { speechCommandsSets } from '../eval/speech-commands-sets';
import { synthSets, synthSpeechSets } from '../eval/sets';
import { fsddTestSet, recognizeSet } from '../eval/suite';
import { exportQuantizedModel } from '../export';
import { PITCH_SHIFT_CENTS, pitchShiftedCopies } from '../pitch';
import { registerWasmGradientKernels } from '../wasm-gradients';
import { type CopyEmbeddings, embedCopies, embeddingCacheDir } from './embeddings';
import { wordPipelineConfig } from './examples';
import { buildStringHead, buildWordHead, foldStandardization, type Standardization, standardization, standardize, stringContextSteps } from './models';
import { learningRateFactor, parseTrainArgs, type TrainCommand } from './recipe';
import { type HeadReport, writeHeadReport } from './report';
import { epochRows } from './epochs';
import { headJobs, type Job, listClips, validationJobs } from './sources';

const fmtTime = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`);

/** Rows of one batch: the standardised embeddings and targets of the word head. */
function wordBatch(copies: readonly CopyEmbeddings[], rows: readonly { job: number; copy: number }[], jobs: readonly Job[], steps: number, size: number) {
  const x = new Float32Array(rows.length * steps * size);
  const y = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    const c = copies[r.copy];
    x.set(c.embeddings.subarray(c.offsets[r.job] * size, (c.offsets[r.job] + steps) * size), i * steps * size);
    y[i] = jobs[r.job].label as number;
  });
  return { x, y };
}

/**
 * Rows of one string batch: embeddings padded at the end with the silence step (as the reader
 * pads a run's end) to the longest, and their labels.
 */
function stringBatch(copies: readonly CopyEmbeddings[], rows: readonly { job: number; copy: number }[], size: number, silence: Float32Array) {
  const length = Math.max(...rows.map((r) => copies[r.copy].lengths[r.job]));
  const x = new Float32Array(rows.length * length * size);
  rows.forEach((r, i) => {
    const c = copies[r.copy];
    const n = c.lengths[r.job];
    x.set(c.embeddings.subarray(c.offsets[r.job] * size, (c.offsets[r.job] + n) * size), i * length * size);
    for (let s = n; s < length; s++) x.set(silence, (i * length + s) * size);
  });
  return { x, length, labels: rows.map((r) => copies[r.copy].labels[r.job]) };
}

/** Mean cross-entropy of softmax outputs `p` against class indices. */
function crossEntropy(p: tf.Tensor, y: tf.Tensor1D, classes: number): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(y, classes), tf.log(tf.clipByValue(p, 1e-7, 1))), -1))) as tf.Scalar);
}

async function main(command: TrainCommand): Promise<void> {
  const started = performance.now();
  const { recipe } = command;
  const { head, data } = recipe;
  registerWasmGradientKernels();
  const backend = await initWasmBackend();
  console.log(`tfjs ${tf.version.tfjs} on ${backend.backend} (SIMD ${backend.simd ? 'on' : 'off'}); ${head} head, seed ${recipe.seed}`);
  const encoderDir = resolve(DEFAULT_ENCODER_DIR);
  const encoder = await SpeechEncoder.load(fileSystemModel(encoderDir), encoderDir);
  const size = encoder.embeddingSize;

  const lists = listClips(data);
  const skipped: string[] = [];
  // Once per file, though every augmented copy (and every worker) meets it.
  const report = (message: string) => {
    if (skipped.includes(message)) return;
    console.warn(`skipping ${message}`);
    skipped.push(message);
  };
  // Pitch-shifted copies of the FSDD clips, made once with SoX (only if the recipe uses them).
  const pitchCopies =
    recipe.augment.pitchProbability > 0 && recipe.copies > 0
      ? Object.fromEntries(
          await pitchShiftedCopies(
            lists.fsdd.map((c) => c.path),
            undefined,
            (m) => console.warn(`no pitch-shifted copies: ${m}`),
          ),
        )
      : {};
  const withPitch = { ...lists, pitchCopies };
  const jobs = headJobs(head, lists, data);
  const validation = validationJobs(head, data);
  const pools = new Map<string, number>();
  for (const j of jobs) pools.set(j.pool, (pools.get(j.pool) ?? 0) + 1);
  console.log(
    `${jobs.length} examples (${[...pools].map(([p, n]) => `${n} ${p}`).join(', ')}), ${validation.jobs.length} validation examples; ${recipe.copies} augmented copies each`,
  );

  // A synthetic file never changes under its name (`npm run synth` only adds files), so the
  // manifest is not part of the key: new voices are new jobs the cache gains.
  const dataIdentity = JSON.stringify(PITCH_SHIFT_CENTS);
  const cacheDir = embeddingCacheDir(resolve(command.cache), recipe, encoder.fingerprint, dataIdentity);
  const contextSteps = stringContextSteps(recipe.hidden);
  const init = { head, lists: withPitch, augment: recipe.augment, seed: recipe.seed, steps: recipe.steps, contextSteps, encoder: encoderDir };
  console.log(`embeddings: ${cacheDir}`);
  const embedStarted = performance.now();
  const progress = (m: string) => console.log(m);
  const copies = await embedCopies({ dir: cacheDir, jobs, copies: recipe.copies, workers: command.workers, init, size, onSkipped: report, onProgress: progress });
  const validationInit = { ...init, lists: validation.lists };
  const [validationCopy] = await embedCopies({
    dir: join(cacheDir, 'validation'),
    jobs: validation.jobs,
    copies: 0,
    workers: command.workers,
    init: validationInit,
    size,
    onSkipped: report,
    onProgress: progress,
  });
  const embeddingSeconds = (performance.now() - embedStarted) / 1000;

  // Standardisation from the clean copy; applied to every copy in memory, folded into the export.
  const stats: Standardization = standardization(copies[0].embeddings, size);
  for (const c of [...copies, validationCopy]) standardize(c.embeddings, stats);
  const silenceStep = standardize(encoder.encode(new Float32Array(encoder.contextFrames * encoder.metadata.frontend.melBins)), stats);

  const labels = head === 'word' ? [...DIGIT_LABELS, OTHER_LABEL] : [...STRING_MODEL_LABELS];
  const model =
    head === 'word'
      ? buildWordHead(recipe.steps, size, labels.length, recipe.hidden, recipe.dropout, recipe.inputDropout, recipe.seed, recipe.conv)
      : buildStringHead(size, labels.length, recipe.hidden, recipe.dropout, recipe.inputDropout, recipe.seed);
  const optimizer = tf.train.adam(recipe.learningRate);
  const random = new Random(recipe.seed);
  const present = (c: CopyEmbeddings, job: number) => c.lengths[job] > 0 && (head === 'word' || c.labels[job] !== undefined);
  console.log(`model: ${model.countParams()} parameters`);

  /** Validation figure: the word head's accuracy (argmax), the string head's mean CTC loss. */
  const validate = (): number => {
    const rows = validation.jobs.map((_, job) => ({ job, copy: 0 })).filter((r) => present(validationCopy, r.job));
    if (rows.length === 0) return Number.NaN;
    let sum = 0;
    for (let i = 0; i < rows.length; i += 256) {
      const part = rows.slice(i, i + 256);
      if (head === 'word') {
        const { x, y } = wordBatch([validationCopy], part, validation.jobs, recipe.steps, size);
        const predicted = tf.tidy(() => (model.predict(tf.tensor3d(x, [part.length, recipe.steps, size])) as tf.Tensor).argMax(-1).dataSync());
        predicted.forEach((p, k) => (sum += p === y[k] ? 1 : 0));
      } else {
        const sorted = [...part].sort((a, b) => validationCopy.lengths[a.job] - validationCopy.lengths[b.job]);
        for (let k = 0; k < sorted.length; k += 32) {
          const b = stringBatch([validationCopy], sorted.slice(k, k + 32), size, silenceStep);
          const loss = tf.tidy(() => ctcLoss(model.predict(tf.tensor3d(b.x, [b.labels.length, b.length, size])) as tf.Tensor3D, b.labels).dataSync()[0]);
          if (Number.isFinite(loss)) sum += loss * b.labels.length;
        }
      }
    }
    return sum / rows.length;
  };

  const history: HeadReport['epochs'][number][] = [];
  const trainStarted = performance.now();
  for (let epoch = 1; epoch <= recipe.epochs; epoch++) {
    const t0 = performance.now();
    const lr = recipe.learningRate * learningRateFactor(epoch, recipe.epochs);
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    const rows = epochRows(jobs, data, recipe.copies, recipe.seed, epoch).filter((r) => present(copies[r.copy], r.job));
    // Word rows are shuffled; string rows are batched by length (less padding), batches shuffled.
    const batches: (typeof rows)[] = [];
    if (head === 'word') for (let i = 0; i < rows.length; i += recipe.batch) batches.push(rows.slice(i, i + recipe.batch));
    else {
      const byLength = [...rows].sort((a, b) => copies[a.copy].lengths[a.job] - copies[b.copy].lengths[b.job]);
      for (let i = 0; i < byLength.length; i += recipe.batch) batches.push(byLength.slice(i, i + recipe.batch));
      random.shuffle(batches);
    }
    let lossSum = 0;
    let counted = 0;
    let correct = 0;
    for (const batch of batches) {
      let value: number;
      if (head === 'word') {
        const { x, y } = wordBatch(copies, batch, jobs, recipe.steps, size);
        const xs = tf.tensor3d(x, [batch.length, recipe.steps, size]);
        const ys = tf.tensor1d(y, 'int32');
        let right = 0;
        const loss = optimizer.minimize(() => {
          const p = model.apply(xs, { training: true }) as tf.Tensor;
          right = tf.tidy(() => tf.sum(tf.equal(tf.argMax(p, -1), ys)).dataSync()[0]);
          return crossEntropy(p, ys, labels.length);
        }, true)!;
        value = (await loss.data())[0];
        correct += right;
        tf.dispose([xs, ys, loss]);
      } else {
        const b = stringBatch(copies, batch, size, silenceStep);
        const xs = tf.tensor3d(b.x, [batch.length, b.length, size]);
        const loss = optimizer.minimize(() => ctcLoss(model.apply(xs, { training: true }) as tf.Tensor3D, b.labels), true)!;
        value = (await loss.data())[0];
        tf.dispose([xs, loss]);
      }
      if (Number.isFinite(value)) {
        lossSum += value * batch.length;
        counted += batch.length;
      }
    }
    const validationFigure = validate();
    const seconds = (performance.now() - t0) / 1000;
    history.push({
      epoch,
      loss: lossSum / Math.max(1, counted),
      trainAccuracy: head === 'word' ? correct / rows.length : null,
      validation: validationFigure,
      learningRate: lr,
      examples: rows.length,
      seconds,
    });
    const eta = ((performance.now() - trainStarted) / 1000 / epoch) * (recipe.epochs - epoch);
    const figure =
      head === 'word'
        ? `train ${((100 * correct) / rows.length).toFixed(1)}%, validation ${(100 * validationFigure).toFixed(1)}%`
        : `validation CTC loss ${validationFigure.toFixed(3)}`;
    console.log(
      `epoch ${String(epoch).padStart(2)}/${recipe.epochs}: ${rows.length} examples, loss ${(lossSum / Math.max(1, counted)).toFixed(4)}, ${figure}, lr ${lr.toExponential(1)}, ${seconds.toFixed(1)} s; ETA ${fmtTime(eta)}`,
    );
  }
  const trainingSeconds = (performance.now() - trainStarted) / 1000;

  const outDir = resolve(command.out);
  mkdirSync(outDir, { recursive: true });
  foldStandardization(model, stats);
  const link = { path: relative(outDir, join(encoderDir, 'model.json')).split('\\').join('/'), fingerprint: encoder.fingerprint };
  const base = { format: 'digit-listener-model' as const, version: 2 as const, labels, frontend: encoder.metadata.frontend, encoder: link };
  const metadata: ModelMetadata | StringModelMetadata =
    head === 'word' ? { ...base, window: wordPipelineConfig(recipe.steps).window } : { ...base, window: wordPipelineConfig(1).window, decoder: 'ctc', contextSteps };
  const weightsBytes = await exportQuantizedModel(model, outDir, metadata);
  writeFileSync(join(outDir, 'recipe.json'), `${JSON.stringify(recipe, null, 2)}\n`);
  console.log(`exported ${outDir}: ${model.countParams()} parameters, ${weightsBytes.uint8} B uint8 weights, recipe.json`);

  // One decision path: the report scores the exported head as `digit-listener recognize` and
  // `npm run eval` do (WAV → streaming pipeline → encoder → heads → threshold).
  const sets: SetScore[] = [];
  if (command.report) {
    const encoders = fileSystemEncoders();
    const word = await DigitClassifier.load(fileSystemModel(head === 'word' ? outDir : command.wordHead), encoders, head === 'word' ? outDir : command.wordHead);
    const strings = head === 'strings' ? await StringModel.load(fileSystemModel(outDir), encoders, outDir) : null;
    const scored = { word, strings };
    const reportSets =
      head === 'word'
        ? [
            fsddTestSet(data.fsdd, data.excludeSpeaker ?? undefined),
            ...(data.synth ? synthSets(data.synth) : []),
            ...(data.speechCommands ? speechCommandsSets(resolve(data.speechCommands)) : []),
          ]
        : data.synth
          ? synthSpeechSets(data.synth).filter((s) => s.kind === 'strings')
          : [];
    for (const set of reportSets) sets.push(await recognizeSet(set, scored, DEFAULT_CONFIDENCE_THRESHOLD, [], report));
    word.dispose();
    strings?.dispose();
    word.encoder.dispose();
  }
  const headReport: HeadReport = {
    head,
    model: relative(process.cwd(), outDir) || '.',
    createdAt: new Date().toISOString(),
    recipe,
    examples: Object.fromEntries(pools),
    validationExamples: validation.jobs.length,
    skipped,
    epochs: history,
    embeddingSeconds,
    trainingSeconds,
    parameters: model.countParams(),
    weightsBytes,
    confidenceThreshold: DEFAULT_CONFIDENCE_THRESHOLD,
    sets,
  };
  writeHeadReport(outDir, headReport, labels);
  encoder.dispose();
  console.log(`wrote ${outDir}/report.json, report.md; ${fmtTime((performance.now() - started) / 1000)} in all`);
}

let command: TrainCommand | null;
try {
  command = parseTrainArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (command) {
  main(command).catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
