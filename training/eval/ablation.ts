/**
 * `npm run ablation` — what each augmentation adds, on each evaluation set.
 *
 * Trains the shipped recipe (FSDD + synthetic voices + Speech Commands) once as it is and once per augmentation
 * with that augmentation switched off (everything else, the seed included, unchanged: an
 * augmentation at probability 0 draws no random numbers), all without one FSDD speaker
 * (--speaker, default nicolas, the hardest leave-one-speaker-out fold) and all with a short
 * schedule (--epochs, default 8, ≈ 50,000 augmented clips: a full training is 30 epochs) so that
 * the trainings fit in an hour on two cores. The full recipe reuses the shipped model's cached
 * features. Each model is scored through the CLI's streaming path on the evaluation suite (FSDD
 * sets without that speaker) and on all 500 clips of that speaker, a real voice none of them
 * heard — at confidence threshold --threshold (default 0: the argmax, as such young models are
 * under-confident and a threshold would measure their confidence rather than their accuracy).
 * Models are kept in .cache/ablation/<name> and reused.
 *
 * Writes ablation.md and ablation.json into --out (default reports/eval); `npm run eval`
 * includes the table in its report when ablation.json is there.
 *
 * Usage: npm run ablation -- [--epochs N] [--speaker NAME] [--only NAME,NAME] [--out DIR]
 * (--only also sets the order).
 */
import '@tensorflow/tfjs-backend-wasm';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { initWasmBackend } from '../../src/model/backend';
import { DigitClassifier } from '../../src/model/classifier';
import { fileSystemModel } from '../../src/model/node-io';
import { DEFAULT_FSDD_DIR } from '../fsdd';
import { DEFAULT_SPEECH_COMMANDS_DIR } from '../speech-commands';
import { DEFAULT_SYNTH_DIR } from '../synth/generate';
import { type AblationReport, ablationMarkdown } from './ablation-report';
import { recognizeSet, speakerSet, standardSets } from './suite';

const run = promisify(execFile);

/** The variants: a name, what is switched off, and the trainer flags that do it. */
export const ABLATION_VARIANTS: readonly { name: string; without: string; flags: string[] }[] = [
  { name: 'full', without: '(nothing: the shipped recipe)', flags: [] },
  { name: 'no-speed', without: 'speed perturbation 0.85–1.2', flags: ['--speed', '0'] },
  { name: 'no-pitch', without: 'pitch shift −2…+6 semitones', flags: ['--pitch', '0'] },
  { name: 'no-gain', without: 'gain ±12 dB', flags: ['--no-gain'] },
  { name: 'no-shift', without: 'random placement in the window', flags: ['--no-shift'] },
  { name: 'no-noise', without: 'all additive noise (white/pink/brown, babble, sound events)', flags: ['--noise', '0'] },
  { name: 'no-babble', without: 'babble as the noise', flags: ['--babble', '0'] },
  { name: 'no-band', without: 'band (machine-like) noise among the generated colours', flags: ['--no-band-noise'] },
  { name: 'no-sounds', without: 'non-speech sound events as the noise', flags: ['--sounds', '0'] },
  { name: 'no-reverb', without: 'room reverberation RT60 0.1–0.8 s', flags: ['--reverb', '0'] },
  { name: 'no-telephone', without: 'telephone band-limit 300–3400 Hz', flags: ['--telephone', '0'] },
  { name: 'no-specaugment', without: 'SpecAugment masks', flags: ['--no-spec-augment'] },
  { name: 'no-speech-commands', without: 'real Speech Commands voices (digits, non-digit words, phrases, real noise and babble)', flags: ['--no-speech-commands'] },
  { name: 'no-vtlp', without: 'VTLP (mel warp 0.87–1.15)', flags: ['--vtlp', '0'] },
  { name: 'no-real-noise', without: 'real background noise (Speech Commands _silence_)', flags: ['--real-noise', '0'] },
  { name: 'synth-babble', without: 'babble from real voices (babble from the synthetic voices instead)', flags: ['--babble-from', 'synth'] },
  { name: 'no-phrases', without: 'real words glued into phrases as "not a digit"', flags: ['--phrases', '0'] },
];

/** Flags every ablation model shares besides --exclude-speaker and --epochs. */
const BASE_FLAGS: string[] = [];

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '8' },
    threshold: { type: 'string', default: '0' },
    speaker: { type: 'string', default: 'nicolas' },
    only: { type: 'string' },
    out: { type: 'string', default: 'reports/eval' },
    data: { type: 'string', default: DEFAULT_FSDD_DIR },
    synth: { type: 'string', default: DEFAULT_SYNTH_DIR },
    cache: { type: 'string', default: '.cache/eval' },
    'speech-commands': { type: 'string', default: DEFAULT_SPEECH_COMMANDS_DIR },
  },
});

const fail = (message: string): never => {
  throw new Error(message);
};

async function main(): Promise<void> {
  const started = performance.now();
  await initWasmBackend();
  const speaker = args.speaker;
  const only = args.only?.split(',');
  const variants = only ? only.map((name) => ABLATION_VARIANTS.find((v) => v.name === name) ?? fail(`--only: no variant ${name}`)) : ABLATION_VARIANTS;
  const sc = existsSync(args['speech-commands']) ? resolve(args['speech-commands']) : undefined;
  const sets = [...standardSets(args.data, args.synth, args.cache, speaker, sc), speakerSet(args.data, speaker, `FSDD ${speaker}, unseen speaker (all clips)`)];
  const report: AblationReport = {
    epochs: Number(args.epochs),
    baseFlags: BASE_FLAGS,
    confidenceThreshold: Number(args.threshold),
    speaker,
    createdAt: new Date().toISOString(),
    variants: [],
  };
  for (const variant of variants) {
    const dir = resolve('.cache/ablation', variant.name);
    if (!existsSync(join(dir, 'model.json'))) {
      const t0 = performance.now();
      console.log(`training ${variant.name} (without ${variant.without}), ${args.epochs} epochs → ${dir}`);
      await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'training/train.ts',
          '--exclude-speaker',
          speaker,
          '--epochs',
          args.epochs,
          '--out',
          dir,
          '--data',
          args.data,
          '--synth',
          args.synth,
          ...BASE_FLAGS,
          ...variant.flags,
        ],
        { maxBuffer: 64 << 20 },
      );
      console.log(`  trained in ${((performance.now() - t0) / 60000).toFixed(1)} min`);
    }
    const classifier = await DigitClassifier.load(fileSystemModel(dir), dir);
    const scores = [];
    for (const set of sets) {
      // The variants are word-model recipes: read word by word, without the string model.
      const { byThreshold, ...score } = await recognizeSet(set, { word: classifier, strings: null }, Number(args.threshold));
      scores.push(score);
    }
    classifier.dispose();
    report.variants.push({ ...variant, scores });
    // Written after every variant, so an interrupted run keeps what it measured.
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, 'ablation.json'), `${JSON.stringify(report, null, 1)}\n`);
    writeFileSync(join(args.out, 'ablation.md'), ablationMarkdown(report));
  }
  console.log(`wrote ${args.out}/ablation.md, ablation.json (${((performance.now() - started) / 60000).toFixed(1)} min)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
