/**
 * A head's recipe: everything that decides a trained head — data, augmentation, copies, shape,
 * optimisation and seed — as one JSON-serialisable object. The trainer writes it beside the model
 * it exports (`recipe.json`); `npm run train -- --recipe FILE` replays it. One argument parser,
 * with help text, for both heads; an option on the command line overrides the recipe file's value.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type AugmentConfig, DEFAULT_AUGMENT_CONFIG } from '../augment';
import { DEFAULT_FSDD_DIR } from '../fsdd';
import { DEFAULT_SPEECH_COMMANDS_DIR } from '../speech-commands';
import { DEFAULT_SYNTH_DIR } from '../synth/generate';

/** Which head a recipe trains. */
export type HeadKind = 'word' | 'strings';

/** Where the training clips come from, and how much of each an epoch draws. */
export interface DataRecipe {
  /** FSDD recordings (the official training split is used; the test split evaluates). */
  readonly fsdd: string;
  /** Speech Commands folder (its training-split speakers), or null for none. */
  readonly speechCommands: string | null;
  /** `npm run synth` folder (its training voices), or null for none. */
  readonly synth: string | null;
  /** An FSDD speaker left out of every split: a leave-one-speaker-out fold. */
  readonly excludeSpeaker: string | null;
  /** Fraction of the synthetic training clips drawn each epoch. */
  readonly synthFraction: number;
  /** Fraction of the real non-digit words drawn each epoch. */
  readonly realWordFraction: number;
  /** Times each real digit is drawn per epoch (each time another augmented copy). */
  readonly realDigitTakes: number;
  /** Real non-digit words glued into phrases of running speech ("not a digit"), per copy. */
  readonly phrases: number;
  /** Generated non-speech sounds ("not a digit"), per copy. */
  readonly nonSpeech: number;
  /** Strings head: digit strings glued from FSDD and real digits, per copy. */
  readonly gluedStrings: number;
  /** Keep only this many FSDD training clips (CI smoke runs); null keeps all. */
  readonly limit: number | null;
}

/** Everything that decides a head. */
export interface HeadRecipe {
  readonly head: HeadKind;
  readonly seed: number;
  readonly epochs: number;
  readonly batch: number;
  readonly learningRate: number;
  /** Augmented copies of every clip besides the clean one; embeddings are cached per copy. */
  readonly copies: number;
  readonly augment: AugmentConfig;
  readonly data: DataRecipe;
  /** Word head: embeddings per window (K; the window is 76 + 8·(K − 1) frames). Strings: unused. */
  readonly steps: number;
  /** Units of the hidden layers (word: Dense; strings: 3-step convolutions). */
  readonly hidden: readonly number[];
  /** Word head: filters of the 3-step convolutions along time before the max over steps (none: the window is flattened). */
  readonly conv: readonly number[];
  /** Dropout after each hidden layer. */
  readonly dropout: number;
  /** Dropout of the input embeddings. */
  readonly inputDropout: number;
}

/**
 * Lead and tail of every training clip, seconds: the word head's window reaches 1.6 s back and
 * the encoder 0.76 s before each embedding, so a clip gets up to 1.6 s of its background before
 * it (the stream start before that is silence, as in a recording).
 */
export const HEAD_AUGMENT_CONFIG: AugmentConfig = Object.freeze({ ...DEFAULT_AUGMENT_CONFIG, leadSeconds: [0.1, 1.6] as const });

const DATA_DEFAULTS: DataRecipe = Object.freeze({
  fsdd: DEFAULT_FSDD_DIR,
  speechCommands: DEFAULT_SPEECH_COMMANDS_DIR,
  synth: DEFAULT_SYNTH_DIR,
  excludeSpeaker: null,
  synthFraction: 0.5,
  realWordFraction: 0.3,
  realDigitTakes: 4,
  phrases: 1000,
  nonSpeech: 100,
  gluedStrings: 1500,
  limit: null,
});

/** The shipped recipes' defaults, per head. */
export const DEFAULT_RECIPES: Readonly<Record<HeadKind, HeadRecipe>> = Object.freeze({
  word: {
    head: 'word',
    seed: 1234,
    epochs: 60,
    batch: 64,
    learningRate: 0.001,
    copies: 3,
    augment: HEAD_AUGMENT_CONFIG,
    data: DATA_DEFAULTS,
    steps: 12,
    conv: [128, 128],
    hidden: [128],
    dropout: 0.3,
    inputDropout: 0.2,
  },
  strings: {
    head: 'strings',
    seed: 13,
    epochs: 30,
    batch: 32,
    learningRate: 0.001,
    copies: 2,
    augment: HEAD_AUGMENT_CONFIG,
    data: DATA_DEFAULTS,
    steps: 0,
    conv: [],
    hidden: [128, 128, 128],
    dropout: 0.3,
    inputDropout: 0.1,
  },
});

/**
 * The learning-rate factor of an epoch (counted from 1): 1, then 0.3 after 60 % of the epochs,
 * then 0.1 after 85 % (step decay). The one schedule of both heads.
 */
export function learningRateFactor(epoch: number, epochs: number): number {
  if (epoch > 0.85 * epochs) return 0.1;
  if (epoch > 0.6 * epochs) return 0.3;
  return 1;
}

/** What the command line asks for besides the recipe. */
export interface TrainCommand {
  readonly recipe: HeadRecipe;
  /** Folder the head is exported to. */
  readonly out: string;
  /** Root of the embedding cache. */
  readonly cache: string;
  /** Worker threads computing embeddings. */
  readonly workers: number;
  /** Score the exported head through the recognizer on the report sets (off for folds and smoke runs). */
  readonly report: boolean;
  /** String head's report: the word head read beside it (default: the folder above `out`). */
  readonly wordHead: string;
}

/** Default output folder of each head. */
export const DEFAULT_OUT: Readonly<Record<HeadKind, string>> = Object.freeze({ word: 'models/default', strings: 'models/default/strings' });

/** Default root of the embedding cache (outside git; safe to delete). */
export const DEFAULT_EMBEDDING_CACHE = '.cache/embeddings';

const OPTIONS = {
  head: { type: 'string', help: "word | strings: which head to train (default word, or the recipe file's)" },
  recipe: { type: 'string', help: 'FILE: a recipe.json written beside a trained head; the options below override it' },
  out: { type: 'string', help: 'DIR: where the head is exported (default models/default, models/default/strings)' },
  cache: { type: 'string', help: `DIR: root of the embedding cache (default ${DEFAULT_EMBEDDING_CACHE})` },
  workers: { type: 'string', help: 'N: worker threads computing embeddings (default 2)' },
  'no-report': { type: 'boolean', help: 'skip scoring the exported head through the recognizer' },
  'word-head': { type: 'string', help: "DIR: the word head the string head's report reads beside it (default: the folder above --out)" },
  seed: { type: 'string', help: 'N: seed of the augmentation, the initial weights and the batch order' },
  epochs: { type: 'string', help: 'N: passes over the cached embeddings' },
  batch: { type: 'string', help: 'N: examples per gradient step' },
  'learning-rate': { type: 'string', help: "LR: Adam's learning rate (× 0.3 after 60 % of the epochs, × 0.1 after 85 %)" },
  copies: { type: 'string', help: 'N: augmented copies of each clip besides the clean one (0: no augmentation)' },
  steps: { type: 'string', help: 'K: word head embeddings per window' },
  hidden: { type: 'string', help: 'N,N,…: units of the hidden layers' },
  conv: { type: 'string', help: 'N,N,… | none: word head: filters of its 3-step convolutions along time before the max over steps' },
  dropout: { type: 'string', help: 'P: dropout after each hidden layer' },
  'input-dropout': { type: 'string', help: 'P: dropout of the input embeddings' },
  data: { type: 'string', help: 'DIR: FSDD recordings' },
  'speech-commands': { type: 'string', help: 'DIR: a Speech Commands folder (its training-split speakers)' },
  'no-speech-commands': { type: 'boolean', help: 'train without Speech Commands' },
  synth: { type: 'string', help: 'DIR: the npm run synth folder (its training voices)' },
  'no-synth': { type: 'boolean', help: "train without synthetic voices (the ablation's real-only head)" },
  'no-real': { type: 'boolean', help: 'train without real speech: synthetic voices only (FSDD and Speech Commands words out; real noise stays)' },
  'exclude-speaker': { type: 'string', help: 'NAME: leave this FSDD speaker out of every split (a leave-one-speaker-out fold)' },
  'synth-fraction': { type: 'string', help: 'F: fraction of the synthetic clips drawn per epoch' },
  'real-word-fraction': { type: 'string', help: 'F: fraction of the real non-digit words drawn per epoch' },
  'real-digit-takes': { type: 'string', help: 'N: times each real digit is drawn per epoch' },
  limit: { type: 'string', help: 'N: keep only N FSDD training clips (CI smoke runs)' },
  help: { type: 'boolean', help: 'print this help' },
} as const;

/** The help text of {@link parseTrainArgs}. */
export function trainHelp(): string {
  const lines = Object.entries(OPTIONS).map(([name, o]) => `  --${name.padEnd(20)} ${o.help}`);
  return [
    'npm run train -- [options]        trains a head on the frozen speech encoder and exports it uint8 with its recipe.json',
    'npm run train -- --recipe models/default/recipe.json            replays the shipped word head',
    'npm run train -- --recipe models/default/strings/recipe.json    replays the shipped string head',
    '',
    ...lines,
  ].join('\n');
}

const number = (name: string, value: string, check: (n: number) => boolean, what: string): number => {
  const n = Number(value);
  if (!check(n)) throw new RangeError(`--${name} must be ${what}, got ${value}`);
  return n;
};
const positiveInt = (name: string, v: string) => number(name, v, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
const count = (name: string, v: string) => number(name, v, (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0');
const probability = (name: string, v: string) => number(name, v, (n) => n >= 0 && n <= 1, 'in [0, 1]');

/**
 * Reads a recipe file.
 * @throws Error naming the file when it cannot be read or is not a head recipe
 */
export function readRecipe(path: string): HeadRecipe {
  let recipe: HeadRecipe;
  try {
    recipe = JSON.parse(readFileSync(path, 'utf8')) as HeadRecipe;
  } catch (error) {
    throw new Error(`recipe ${path} could not be read: ${(error as Error).message}`, { cause: error });
  }
  if (recipe.head !== 'word' && recipe.head !== 'strings') throw new Error(`recipe ${path} is not a head recipe (head must be word or strings)`);
  // Fields a recipe file may lack (written by an older trainer) take the defaults.
  const defaults = DEFAULT_RECIPES[recipe.head];
  return { ...defaults, ...recipe, data: { ...defaults.data, ...recipe.data }, augment: { ...defaults.augment, ...recipe.augment } };
}

/**
 * Parses the trainer's command line into a recipe and the run's settings.
 * @returns null when `--help` was asked (the help is printed)
 * @throws RangeError naming the option with an unusable value
 */
export function parseTrainArgs(argv: readonly string[]): TrainCommand | null {
  const { values: a } = parseArgs({ args: [...argv], options: OPTIONS, strict: true });
  if (a.help) {
    console.log(trainHelp());
    return null;
  }
  const base = a.recipe ? readRecipe(a.recipe) : DEFAULT_RECIPES[a.head === 'strings' ? 'strings' : 'word'];
  if (a.head !== undefined && a.head !== 'word' && a.head !== 'strings') throw new RangeError(`--head must be word or strings, got ${a.head}`);
  if (a.recipe && a.head !== undefined && a.head !== base.head) throw new RangeError(`--head ${a.head} contradicts the recipe ${a.recipe} (a ${base.head} head)`);
  const noReal = a['no-real'] ?? false;
  const data: DataRecipe = {
    ...base.data,
    ...(a.data !== undefined ? { fsdd: a.data } : {}),
    ...(a['speech-commands'] !== undefined ? { speechCommands: a['speech-commands'] } : {}),
    ...(a['no-speech-commands'] ? { speechCommands: null } : {}),
    ...(a.synth !== undefined ? { synth: a.synth } : {}),
    ...(a['no-synth'] ? { synth: null } : {}),
    ...(a['exclude-speaker'] !== undefined ? { excludeSpeaker: a['exclude-speaker'] } : {}),
    ...(a['synth-fraction'] !== undefined ? { synthFraction: probability('synth-fraction', a['synth-fraction']) } : {}),
    ...(a['real-word-fraction'] !== undefined ? { realWordFraction: probability('real-word-fraction', a['real-word-fraction']) } : {}),
    ...(a['real-digit-takes'] !== undefined ? { realDigitTakes: count('real-digit-takes', a['real-digit-takes']) } : {}),
    ...(a.limit !== undefined ? { limit: positiveInt('limit', a.limit) } : {}),
    ...(noReal ? { limit: 0, realDigitTakes: 0, realWordFraction: 0, phrases: 0, gluedStrings: 0 } : {}),
  };
  if (data.synth === null && noReal) throw new RangeError('--no-real with --no-synth leaves no speech to train on');
  const hidden = a.hidden?.split(',').map((v) => positiveInt('hidden', v));
  const conv = a.conv === 'none' ? [] : a.conv?.split(',').map((v) => positiveInt('conv', v));
  const recipe: HeadRecipe = {
    ...base,
    data,
    ...(a.seed !== undefined ? { seed: count('seed', a.seed) } : {}),
    ...(a.epochs !== undefined ? { epochs: positiveInt('epochs', a.epochs) } : {}),
    ...(a.batch !== undefined ? { batch: positiveInt('batch', a.batch) } : {}),
    ...(a['learning-rate'] !== undefined ? { learningRate: number('learning-rate', a['learning-rate'], (n) => n > 0 && n < 1, 'in (0, 1)') } : {}),
    ...(a.copies !== undefined ? { copies: count('copies', a.copies) } : {}),
    ...(a.steps !== undefined ? { steps: positiveInt('steps', a.steps) } : {}),
    ...(hidden ? { hidden } : {}),
    ...(conv ? { conv } : {}),
    ...(a.dropout !== undefined ? { dropout: number('dropout', a.dropout, (n) => n >= 0 && n < 1, 'in [0, 1)') } : {}),
    ...(a['input-dropout'] !== undefined ? { inputDropout: number('input-dropout', a['input-dropout'], (n) => n >= 0 && n < 1, 'in [0, 1)') } : {}),
  };
  const out = a.out ?? DEFAULT_OUT[recipe.head];
  return {
    recipe,
    out,
    wordHead: a['word-head'] ?? resolve(out, '..'),
    cache: a.cache ?? DEFAULT_EMBEDDING_CACHE,
    workers: a.workers !== undefined ? positiveInt('workers', a.workers) : 2,
    report: !(a['no-report'] ?? false),
  };
}
