/**
 * `npm run ablation` — what the data and the augmentation add to the word head on the frozen
 * encoder: the shipped recipe (`models/default/recipe.json`) as it is, then with only synthetic
 * voices as speech (`--no-real`: no FSDD, no Speech Commands words; real noise and babble still
 * augment), with only real speech (`--no-synth`), and each of those without augmentation
 * (`--copies 0`: the clean clips alone). Every variant reads the shipped recipe's cached
 * embeddings (a variant is a subset of its jobs and copies), so each trains in minutes. Each head
 * is scored through the CLI's streaming path, word by word (no string head), on the evaluation
 * suite at confidence threshold --threshold (default 0.5, the product's).
 * Heads are kept in .cache/ablation/<recipe>/<name> and reused; the full recipe is the shipped head
 * itself (a replay of its recipe gives it byte for byte, test/training.test.ts). Scored on the
 * suite's sets of single words and sentences (not the strings, which a word head read word by word
 * says nothing of; office noise at the targets' 10 and 5 dB).
 *
 * Writes ablation.md and ablation.json into --out (default reports/eval); `npm run eval`
 * includes the table in its report when ablation.json is there.
 *
 * Usage: npm run ablation -- [--only NAME,NAME] [--threshold P] [--out DIR]
 * (--only also sets the order).
 */
import '@tensorflow/tfjs-backend-wasm';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { initWasmBackend } from '../../src/model/backend';
import { fileSystemEncoders } from '../../src/cli/models';
import { DigitClassifier } from '../../src/model/classifier';
import { fileSystemModel } from '../../src/model/node-io';
import { DEFAULT_FSDD_DIR } from '../fsdd';
import { DEFAULT_SPEECH_COMMANDS_DIR } from '../speech-commands';
import { DEFAULT_SYNTH_DIR } from '../synth/generate';
import { type AblationReport, ablationMarkdown } from './ablation-report';
import { recognizeSet, standardSets } from './suite';

const run = promisify(execFile);

/** The variants: a name, what is switched off, and the trainer flags that do it. */
export const ABLATION_VARIANTS: readonly { name: string; without: string; flags: string[] }[] = [
  { name: 'full', without: '(nothing: the shipped recipe)', flags: [] },
  { name: 'synthetic-only', without: 'real speech (FSDD, Speech Commands words and digits; real noise and babble still augment)', flags: ['--no-real'] },
  { name: 'real-only', without: 'synthetic voices', flags: ['--no-synth'] },
  { name: 'no-augmentation', without: 'augmentation (the clean clips only)', flags: ['--copies', '0'] },
  { name: 'synthetic-only-no-augmentation', without: 'real speech and augmentation', flags: ['--no-real', '--copies', '0'] },
  { name: 'real-only-no-augmentation', without: 'synthetic voices and augmentation', flags: ['--no-synth', '--copies', '0'] },
];

const { values: args } = parseArgs({
  options: {
    threshold: { type: 'string', default: '0.5' },
    only: { type: 'string' },
    model: { type: 'string', default: 'models/default' },
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
  const only = args.only?.split(',');
  const variants = only ? only.map((name) => ABLATION_VARIANTS.find((v) => v.name === name) ?? fail(`--only: no variant ${name}`)) : ABLATION_VARIANTS;
  const sc = existsSync(args['speech-commands']) ? resolve(args['speech-commands']) : undefined;
  // Word by word, the strings sets say nothing of a word head; the noise sets of the targets (10
  // and 5 dB) stand for the four.
  const sets = standardSets(args.data, args.synth, args.cache, undefined, sc).filter(
    (s) => s.kind !== 'strings' && !/non-speech/.test(s.name) && !/office noise (20|0) dB/.test(s.name),
  );
  const recipeFile = join(args.model, 'recipe.json');
  const recipeText = readFileSync(recipeFile, 'utf8');
  const recipe = JSON.parse(recipeText) as { epochs: number };
  const key = createHash('sha256').update(recipeText).digest('hex').slice(0, 12);
  const report: AblationReport = { recipe: recipeFile, epochs: recipe.epochs, confidenceThreshold: Number(args.threshold), createdAt: new Date().toISOString(), variants: [] };
  for (const variant of variants) {
    // The full recipe is the shipped head: a replay of its recipe gives it byte for byte.
    const dir = variant.flags.length === 0 ? resolve(args.model) : resolve('.cache/ablation', key, variant.name);
    if (!existsSync(join(dir, 'model.json'))) {
      const t0 = performance.now();
      console.log(`training ${variant.name} (without ${variant.without}) → ${dir}`);
      await run(process.execPath, ['--import', 'tsx', 'training/heads/train.ts', '--recipe', recipeFile, '--out', dir, '--no-report', ...variant.flags], { maxBuffer: 64 << 20 });
      console.log(`  trained in ${((performance.now() - t0) / 60000).toFixed(1)} min`);
    }
    const classifier = await DigitClassifier.load(fileSystemModel(dir), fileSystemEncoders(), dir);
    const scores = [];
    for (const set of sets) {
      // The variants are word-head recipes: read word by word, without the string head.
      const { byThreshold, ...score } = await recognizeSet(set, { word: classifier, strings: null }, Number(args.threshold));
      scores.push(score);
    }
    classifier.dispose();
    classifier.encoder.dispose();
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
