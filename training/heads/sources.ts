/**
 * The training clips of a recipe, listed (not decoded): FSDD's training split, the training
 * speakers of Speech Commands, the training voices of `npm run synth`. Plain data: it crosses to
 * the embedding workers. And each head's examples as jobs — one job is one cached embedding (or
 * run of embeddings) per augmented copy.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Random } from '../../src/audio/random';
import { listFsdd, officialSplit } from '../fsdd';
import { listSpeechCommands } from '../speech-commands';
import { readSynthManifest, readSynthTrainStrings } from '../synth/load';
import type { DataRecipe, HeadKind } from './recipe';

/** Label of "not a digit": the word head's class 10, the string head's filler token. */
export const OTHER = 10;

/** A listed clip: its path and class (0–9, or {@link OTHER}), or its digits (strings). */
export interface ListedClip {
  readonly id: string;
  readonly path: string;
  readonly label: number;
}

/** Every clip a recipe's data names. Plain data (crosses to workers). */
export interface ClipLists {
  /** FSDD training-split clips (the excluded speaker and `limit` applied), with their speakers. */
  readonly fsdd: readonly (ListedClip & { readonly speaker: string })[];
  /** Speech Commands training speakers: digits and other words. */
  readonly realDigits: readonly ListedClip[];
  readonly realWords: readonly ListedClip[];
  /** Speech Commands background noise of the training split (augmentation). */
  readonly noise: readonly string[];
  /** Synthetic training voices: words (digits and not), sentences, digit strings (`digits`). */
  readonly synthWords: readonly ListedClip[];
  readonly synthSentences: readonly (ListedClip & { readonly words: number })[];
  readonly synthStrings: readonly (ListedClip & { readonly digits: string })[];
  /** Pitch-shifted copies of FSDD clips (SoX), by FSDD path. */
  readonly pitchCopies: Readonly<Record<string, readonly string[]>>;
}

/** Which part of the data a listing is: what trains, or what validates each epoch. */
type Part = 'train' | 'validation';

/**
 * Lists a recipe's clips: those that train it, or (`part` 'validation') those that validate it —
 * FSDD's validation split, Speech Commands' validation speakers and every tenth synthetic clip
 * of the training voices (left out of training).
 * @throws Error naming a folder the recipe names that is missing (and the option that sets it)
 */
export function listClips(data: DataRecipe, part: Part = 'train'): ClipLists {
  const fsddDir = resolve(data.fsdd);
  const all = listFsdd(fsddDir);
  if (data.excludeSpeaker && !all.some((c) => c.speaker === data.excludeSpeaker)) throw new Error(`--exclude-speaker ${data.excludeSpeaker}: no such FSDD speaker in ${fsddDir}`);
  let fsdd = all.filter((c) => c.speaker !== data.excludeSpeaker && officialSplit(c) === part);
  if (data.limit !== null && part === 'train') fsdd = new Random(7).shuffle([...fsdd]).slice(0, data.limit);
  const sc = data.speechCommands ? listSpeechCommands(resolve(data.speechCommands)).filter((c) => c.split === part || (c.kind === 'noise' && c.split === 'train')) : [];
  const scId = (path: string) => `sc:${basename(resolve(path, '..'))}/${basename(path)}`;
  let synthWords: ListedClip[] = [];
  let synthSentences: (ListedClip & { words: number })[] = [];
  let synthStrings: (ListedClip & { digits: string })[] = [];
  if (data.synth) {
    const dir = resolve(data.synth);
    if (!existsSync(`${dir}/manifest.json`)) throw new Error(`no synthetic voices in ${dir}: run \`npm run synth\` first (or --synth DIR, or --no-synth)`);
    const entries = readSynthManifest(dir)
      .filter((e) => !e.heldOut)
      .filter((_, i) => (i % 10 === 0) === (part === 'validation'));
    const id = (path: string) => `synth:${path.slice(dir.length + 1)}`;
    synthWords = entries.filter((e) => e.kind === 'word').map((e) => ({ id: id(e.path), path: e.path, label: e.digit >= 0 ? e.digit : OTHER }));
    const words = (text: string) => Math.max(1, text.split(/\s+/).filter((w) => /[a-z]/i.test(w)).length);
    synthSentences = entries.filter((e) => e.kind === 'sentence').map((e) => ({ id: id(e.path), path: e.path, label: OTHER, words: words(e.text) }));
    synthStrings = readSynthTrainStrings(dir)
      .filter((_, i) => (i % 10 === 0) === (part === 'validation'))
      .map((s) => ({ id: id(s.path), path: s.path, label: -1, digits: s.digits }));
  }
  return {
    fsdd: fsdd.map((c) => ({ id: `fsdd:${basename(c.path)}`, path: c.path, label: c.digit, speaker: c.speaker })),
    realDigits: sc.filter((c) => c.kind === 'word' && c.digit >= 0).map((c) => ({ id: scId(c.path), path: c.path, label: c.digit })),
    realWords: sc.filter((c) => c.kind === 'word' && c.digit < 0).map((c) => ({ id: scId(c.path), path: c.path, label: OTHER })),
    noise: sc.filter((c) => c.kind === 'noise').map((c) => c.path),
    synthWords,
    synthSentences,
    synthStrings,
    pitchCopies: {},
  };
}

/** One example to embed: which clip (or generated example) and its target. */
export interface Job {
  /** `fsdd:…`, `sc:…`, `synth:…`, or a generated example: `phrase:n`, `sound:n`, `glued:n`. */
  readonly id: string;
  /** Word head: the class. Strings: the digits said (0–9) and {@link OTHER} tokens, in order. */
  readonly label: number | readonly number[];
  /** The pool an epoch draws it from (its share per epoch is the recipe's). */
  readonly pool: JobPool;
}

/** Pools of jobs; each epoch draws from each its recipe share. */
export type JobPool = 'fsdd' | 'synth' | 'synth-string' | 'real-digit' | 'real-word' | 'phrase' | 'sound' | 'glued' | 'sentence';

/**
 * The jobs of one head: every listed clip that head learns from, plus generated examples
 * (phrases of real words, non-speech sounds, and for the strings head digit strings glued from
 * real digits). The same for every copy; a copy is another augmentation of each.
 */
export function headJobs(head: HeadKind, clips: ClipLists, data: DataRecipe): Job[] {
  const word =
    (pool: JobPool) =>
    (c: ListedClip): Job => ({ id: c.id, label: head === 'word' ? c.label : [c.label], pool });
  const generated = (prefix: string, n: number, label: number | number[], pool: JobPool) => Array.from({ length: n }, (_, i): Job => ({ id: `${prefix}:${i}`, label, pool }));
  const hasWords = clips.realWords.length > 0;
  // The string head learns strings; single words keep it reading them too, but a share of them
  // is enough (each of its examples costs a run of embeddings): every 4th FSDD clip and
  // synthetic word.
  const share = <T>(list: readonly T[], every: number) => (head === 'word' ? list : list.filter((_, i) => i % every === 0));
  const jobs: Job[] = [
    ...share(clips.fsdd, 4).map(word('fsdd')),
    ...clips.realDigits.map(word('real-digit')),
    ...clips.realWords.map(word('real-word')),
    ...share(clips.synthWords, 4).map(word('synth')),
    ...(hasWords ? generated('phrase', data.phrases, head === 'word' ? OTHER : [], 'phrase') : []),
    ...generated('sound', data.nonSpeech, head === 'word' ? OTHER : [], 'sound'),
  ];
  if (head === 'word') {
    // A sentence's longest segment is "not a digit" too.
    jobs.push(...clips.synthSentences.map(word('sentence')));
    return jobs;
  }
  jobs.push(
    ...clips.synthSentences.map((c): Job => ({ id: c.id, label: Array<number>(c.words).fill(OTHER), pool: 'sentence' })),
    ...clips.synthStrings.map((c): Job => ({ id: c.id, label: [...c.digits].map(Number), pool: 'synth-string' })),
    ...(clips.fsdd.length > 0 || clips.realDigits.length > 0 ? generated('glued', data.gluedStrings, [], 'glued') : []),
  );
  return jobs;
}

/**
 * The validation examples of a head: its jobs over the validation clips ({@link listClips}), clean
 * copies only, without generated examples.
 */
export function validationJobs(head: HeadKind, data: DataRecipe): { lists: ClipLists; jobs: Job[] } {
  const lists = listClips(data, 'validation');
  const jobs = headJobs(head, lists, { ...data, phrases: 0, nonSpeech: 0, gluedStrings: 0 });
  return { lists, jobs };
}
