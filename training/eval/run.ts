/**
 * `npm run eval` — the evaluation suite, through the same streaming path as
 * `digit-listener recognize` (WAV → frontend → gate → model):
 * - FSDD official test (300 clips);
 * - FSDD test in "office" noise (unseen in training) at 20, 10, 5, 0 dB SNR;
 * - held-out synthetic voices (female, male) and their non-digit words, if `npm run synth` ran;
 *   their sentences without digits (false digits per 10 minutes) and digit strings of 3–11
 *   digits (exact-string and digit error rates, per length);
 * - Speech Commands (--speech-commands DIR, default ../shared/datasets/speech-commands when it is
 *   there): digits and non-digit words of the speakers training never heard (false accepts),
 *   and held-out background-noise clips;
 * - non-speech sounds and noise (false accepts);
 * - digit strings of 3–11 digits glued from held-out real clips with 0–100 ms gaps: FSDD
 *   official-test clips (one speaker per string) and held-out Speech Commands speakers' digits
 *   (exact-string and digit error rates, per length; training/eval/glued-strings.ts);
 * Every set is read by the shipped pair of models — the word model and, when the model folder
 * has one, the CTC string model in strings/ — through one decision path (src/pipeline/recognizer.ts).
 * - with --loso: leave-one-speaker-out over the six FSDD speakers: word heads trained with the
 *   shipped word head's recipe (`models/default/recipe.json`) without that speaker into
 *   .cache/loso/<recipe>/<speaker> if missing (minutes: they read the recipe's cached
 *   embeddings), then tested on all of that speaker's clips. <recipe> hashes the recipe, the
 *   code that trains and the synthetic manifest, so a changed recipe trains new folds.
 * - enrollment (training/eval/enrollment.ts, unless --no-enrollment): voice profiles from 1 and
 *   3 takes per digit, per FSDD speaker (with the leave-one-speaker-out folds, when they are
 *   there) and per held-out synthetic voice; other speakers and non-digit words with the profile
 *   active → enrollment.md / enrollment.json.
 * Writes report.md / report.html (pictures) / report.json to --out (default reports/eval).
 *
 * - with --float-encoder: every set read with the float conversion of the encoder's ONNX in place
 *   of the shipped uint8 encoder (under the same heads): what quantizing the encoder costs.
 * Usage: npm run eval -- [--model DIR] [--out DIR] [--threshold P] [--speech-commands DIR] [--loso] [--float-encoder]
 *        npm run eval -- --dir FOLDER      (just a folder of labelled {digit}_*.wav files)
 */
import '@tensorflow/tfjs-backend-wasm';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { DEFAULT_ENCODER_DIR, DEFAULT_MODEL_DIR } from '../../src/cli/paths';
import { sharedEncoders } from '../../src/model/head-model';
import { floatEncoderStandIn } from '../encoder/onnx';
import { initWasmBackend } from '../../src/model/backend';
import { DigitClassifier } from '../../src/model/classifier';
import { fileSystemModel } from '../../src/model/node-io';
import { fileSystemEncoders, loadModels } from '../../src/cli/models';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../../src/pipeline/recognizer';
import { DEFAULT_FSDD_DIR, listFsdd } from '../fsdd';
import { DEFAULT_SPEECH_COMMANDS_DIR } from '../speech-commands';
import { DEFAULT_SYNTH_DIR } from '../synth/generate';
import { type EvalReport, writeEvalReport } from './report';
import type { SetScore } from '../../src/cli/score';
import { labelledFolder } from './sets';
import { recognizeSet, speakerSet, standardSets } from './suite';

/** Confidence thresholds of the trade-off table. */
const THRESHOLD_SWEEP = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95] as const;

const run = promisify(execFile);

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: DEFAULT_MODEL_DIR },
    out: { type: 'string', default: 'reports/eval' },
    data: { type: 'string', default: DEFAULT_FSDD_DIR },
    synth: { type: 'string', default: DEFAULT_SYNTH_DIR },
    cache: { type: 'string', default: '.cache/eval' },
    threshold: { type: 'string', default: String(DEFAULT_CONFIDENCE_THRESHOLD) },
    dir: { type: 'string' },
    loso: { type: 'boolean', default: false },

    'speech-commands': { type: 'string' },
    'no-enrollment': { type: 'boolean', default: false },
    'float-encoder': { type: 'boolean', default: false },
  },
});
const confidenceThreshold = Number(args.threshold);

const speechCommandsDir = args['speech-commands'] ?? (existsSync(DEFAULT_SPEECH_COMMANDS_DIR) ? DEFAULT_SPEECH_COMMANDS_DIR : undefined);

/** The shipped word head's recipe, which the folds replay without one speaker. */
const wordRecipe = () => join(args.model, 'recipe.json');

/**
 * The identity of the recipe that trains a fold: a hash of every source file that decides a
 * head (training/ but its eval/, src/frontend, src/vad, src/pipeline, src/model), the word
 * head's recipe, the synthetic manifest and the data folders. 16 hex digits.
 */
function losoRecipeKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.(ts|mjs)$/.test(e.name) ? [join(dir, e.name)] : []));
  // training/eval/ scores models; it does not make them.
  const sources = ['training', 'src/audio', 'src/frontend', 'src/vad', 'src/pipeline', 'src/model'].flatMap(walk).filter((f) => !f.startsWith(join('training', 'eval')));
  for (const file of sources.sort()) hash.update(file).update(readFileSync(file));
  const manifest = join(args.synth, 'manifest.json');
  if (existsSync(manifest)) hash.update(readFileSync(manifest));
  hash.update(readFileSync(wordRecipe()));
  hash.update(JSON.stringify([resolve(args.data), speechCommandsDir && resolve(speechCommandsDir)]));
  return hash.digest('hex').slice(0, 16);
}

/** Trains (if needed) and scores the six leave-one-speaker-out folds. */
async function leaveOneSpeakerOut(): Promise<NonNullable<EvalReport['loso']>> {
  const clips = listFsdd(resolve(args.data));
  const speakers = [...new Set(clips.map((c) => c.speaker))].sort();
  const folds: NonNullable<EvalReport['loso']> = [];
  const recipe = losoRecipeKey();
  const foldDir = (speaker: string) => resolve('.cache/loso', recipe, speaker);
  // One fold at a time: a fold reads the recipe's cached embeddings and trains on both cores.
  for (const speaker of speakers.filter((s) => !existsSync(join(foldDir(s), 'model.json')))) {
    console.log(`training the fold without ${speaker} → ${foldDir(speaker)}`);
    await run(
      process.execPath,
      ['--import', 'tsx', 'training/heads/train.ts', '--recipe', wordRecipe(), '--exclude-speaker', speaker, '--out', foldDir(speaker), '--data', args.data, '--no-report'],
      { maxBuffer: 64 << 20 },
    );
  }
  for (const speaker of speakers) {
    const dir = foldDir(speaker);
    const classifier = await DigitClassifier.load(fileSystemModel(dir), fileSystemEncoders(), dir);
    // Fold heads are word heads: the shipped string head heard every FSDD speaker, so folds read word by word.
    const score = await recognizeSet(
      speakerSet(args.data, speaker, `FSDD ${speaker} (fold without him)`),
      { word: classifier, strings: null },
      confidenceThreshold,
      THRESHOLD_SWEEP,
    );
    folds.push({ speaker, accuracy: score.accuracy!, files: score.files, byThreshold: score.byThreshold });
    classifier.dispose();
  }
  return folds;
}

async function main(): Promise<void> {
  const started = performance.now();
  await initWasmBackend();
  const modelDir = resolve(args.model);
  // --float-encoder: the heads read the float conversion of the encoder's ONNX instead of the
  // shipped uint8 weights — what quantizing the encoder costs, on every set.
  const standIn = args['float-encoder'] ? await floatEncoderStandIn(DEFAULT_ENCODER_DIR) : null;
  const models = await loadModels(
    modelDir,
    standIn
      ? sharedEncoders(
          (path) => path,
          () => Promise.resolve(standIn),
        )
      : undefined,
  );
  if (args.dir) {
    await recognizeSet(labelledFolder(args.dir, resolve(args.dir)), models, confidenceThreshold);
    return;
  }
  mkdirSync(args.cache, { recursive: true });
  if (!speechCommandsDir) console.warn(`no Speech Commands in ${DEFAULT_SPEECH_COMMANDS_DIR}: held-out real speakers are not evaluated (--speech-commands DIR)`);
  const sets = standardSets(args.data, args.synth, args.cache, undefined, speechCommandsDir && resolve(speechCommandsDir));
  if (!sets.some((s) => s.name.startsWith('held-out'))) console.warn(`no synthetic voices in ${args.synth}: run \`npm run synth\` to evaluate them`);
  const scores: SetScore[] = [];
  const sweep: NonNullable<EvalReport['thresholds']> = { thresholds: [...THRESHOLD_SWEEP], sets: [] };
  for (const set of sets) {
    const { byThreshold, ...score } = await recognizeSet(set, models, confidenceThreshold, THRESHOLD_SWEEP);
    scores.push(score);
    sweep.sets.push({ name: set.name, kind: set.kind, values: byThreshold });
  }
  const loso = args.loso ? await leaveOneSpeakerOut() : undefined;
  if (loso) {
    const mean = THRESHOLD_SWEEP.map((_, k) => loso.reduce((a, f) => a + f.byThreshold![k], 0) / loso.length);
    sweep.sets.push({ name: 'leave-one-speaker-out, mean of 6 folds', kind: 'digits', values: mean });
  }
  const trainingReport = join(modelDir, 'report.json');
  const trained = existsSync(trainingReport) ? (JSON.parse(readFileSync(trainingReport, 'utf8')) as { epochs: EvalReport['training']; trainingSeconds: number }) : undefined;
  const ablationFile = join(args.out, 'ablation.json');
  const ablation = existsSync(ablationFile) ? (JSON.parse(readFileSync(ablationFile, 'utf8')) as EvalReport['ablation']) : undefined;
  mkdirSync(args.out, { recursive: true });
  writeEvalReport(args.out, {
    model: modelDir.replace(`${process.cwd()}/`, ''),
    createdAt: new Date().toISOString(),
    confidenceThreshold,
    sets: scores,
    loso,
    training: trained?.epochs,
    trainingSeconds: trained?.trainingSeconds,
    ablation,
    thresholds: sweep,
    seconds: (performance.now() - started) / 1000,
  });
  console.log(`wrote ${args.out}/report.md, report.html, report.json`);
  if (!args['no-enrollment']) {
    // In its own process: it loads the fold models and the shipped one again, with their own anchors.
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'training/eval/enrollment.ts',
        '--model',
        args.model,
        '--data',
        args.data,
        '--synth',
        args.synth,
        '--out',
        args.out,
        ...(speechCommandsDir ? ['--speech-commands', speechCommandsDir] : []),
      ],
      { maxBuffer: 64 << 20 },
    );
    console.log(stdout.trim().split('\n').at(-1));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
