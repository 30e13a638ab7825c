/**
 * `npm run eval:enrollment [-- --loso-dir DIR --takes-test N]`: how much a voice profile helps the
 * person who enrolled, and what it costs everyone else — through the CLI's streaming path and
 * decision rule (threshold 0.5), with the same adaptation code as the browser and the CLI
 * (`src/adaptation/enroll.ts`, the model's anchors).
 *
 * - FSDD, leave-one-speaker-out: for each of the six speakers, the fold model that never heard
 *   them (`.cache/loso/<recipe>/<speaker>`, made by `npm run eval -- --loso`); enroll with 1 and
 *   with 3 takes per digit (takes 5–7 of the speaker's recordings), test on takes 10–49 (400 files).
 *   With that profile active: the other five speakers' official test clips (takes 0–4), and 300
 *   non-digit words of held-out Speech Commands speakers (false accepts).
 * - Held-out synthetic voices (`npm run synth`): each SVOX Pico / RHVoice held-out voice (three
 *   takes per digit) enrolls with take 0 and is tested on takes 1–2, with the shipped model.
 * - Real held-out speakers: Speech Commands has no held-out speaker with two takes of every
 *   digit, so none is evaluated (reported as such).
 *
 * Writes reports/eval/enrollment.md and enrollment.json.
 */
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readAnchors } from '../../src/adaptation/anchors';
import { adaptHead, type EnrollmentTake } from '../../src/adaptation/enroll';
import type { HeadExample } from '../../src/adaptation/head';
import { decodeWav } from '../../src/audio/wav';
import { fileSystemEncoders, loadModels } from '../../src/cli/models';
import { DEFAULT_MODEL_DIR } from '../../src/cli/paths';
import { recognizeFile } from '../../src/cli/recognize-file';
import { initWasmBackend } from '../../src/model/backend';
import { DigitClassifier } from '../../src/model/classifier';
import { fileSystemModel } from '../../src/model/node-io';
import type { RecognizerModels } from '../../src/pipeline/recognizer';
import { generalAnchors } from '../anchors-source';
import { DEFAULT_FSDD_DIR, type FsddClip, listFsdd } from '../fsdd';
import { DEFAULT_SPEECH_COMMANDS_DIR, listSpeechCommands } from '../speech-commands';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: DEFAULT_MODEL_DIR },
    data: { type: 'string', default: DEFAULT_FSDD_DIR },
    synth: { type: 'string', default: '.cache/synth' },
    'speech-commands': { type: 'string', default: DEFAULT_SPEECH_COMMANDS_DIR },
    'loso-dir': { type: 'string' },
    out: { type: 'string', default: 'reports/eval' },
  },
});

/** A file with its digit. */
interface Labelled {
  readonly path: string;
  readonly digit: number;
}

const take = (file: Labelled): EnrollmentTake => {
  const audio = decodeWav(new Uint8Array(readFileSync(file.path)), file.path);
  return { samples: audio.samples, sampleRate: audio.sampleRate, digit: file.digit };
};

/** Share of files read as exactly their digit. */
async function accuracy(files: readonly Labelled[], models: RecognizerModels): Promise<number> {
  let right = 0;
  for (const f of files) {
    const found = await recognizeFile(f.path, models);
    if (found.length === 1 && found[0].digit === f.digit) right++;
  }
  return right / files.length;
}

/** Share of files where any digit is reported (non-digit words). */
async function falseAccepts(files: readonly string[], models: RecognizerModels): Promise<number> {
  let accepted = 0;
  for (const f of files) if ((await recognizeFile(f, models)).length > 0) accepted++;
  return accepted / files.length;
}

/** The newest folder of .cache/loso with all six fold models. */
function losoDir(): string | null {
  if (args['loso-dir']) return resolve(args['loso-dir']);
  const root = '.cache/loso';
  if (!existsSync(root)) return null;
  const complete = readdirSync(root)
    .map((d) => join(root, d))
    .filter((d) => readdirSync(d).filter((s) => existsSync(join(d, s, 'model.json'))).length === 6);
  // Newest first: the folds of the latest recipe trained.
  const trained = (d: string) => Math.max(...readdirSync(d).map((s) => statSync(join(d, s, 'model.json')).mtimeMs));
  return complete.sort((a, b) => trained(b) - trained(a) || a.localeCompare(b))[0] ?? null;
}

interface Row {
  readonly who: string;
  readonly before: number;
  readonly oneTake: number;
  readonly threeTakes?: number;
  readonly othersBefore?: number;
  readonly othersAfter?: number;
  readonly faBefore?: number;
  readonly faAfter?: number;
  readonly adaptMs: number;
}

async function main(): Promise<void> {
  await initWasmBackend();
  const anchorsFor = (classifier: DigitClassifier, dir: string): HeadExample[] => {
    const path = join(dir, 'anchors.json');
    return existsSync(path) ? readAnchors(readFileSync(path, 'utf8'), path, classifier) : [];
  };
  const scWords = existsSync(args['speech-commands']) ? listSpeechCommands(args['speech-commands']).filter((c) => c.split !== 'train' && c.kind === 'word' && c.digit < 0) : [];
  const words = scWords
    .filter((_, i) => i % Math.max(1, Math.floor(scWords.length / 300)) === 0)
    .slice(0, 300)
    .map((c) => c.path);
  const rows: { fsdd: Row[]; synth: Row[] } = { fsdd: [], synth: [] };

  const folds = losoDir();
  if (folds) {
    const clips = listFsdd(resolve(args.data));
    const speakers = [...new Set(clips.map((c) => c.speaker))].sort();
    for (const speaker of speakers) {
      const dir = join(folds, speaker);
      const word = await DigitClassifier.load(fileSystemModel(dir), fileSystemEncoders(), dir);
      const models: RecognizerModels = { word, strings: null }; // fold models are word models
      const anchors = foldAnchors(word, speaker);
      const own = clips.filter((c) => c.speaker === speaker);
      const pick = (from: number, to: number) => own.filter((c: FsddClip) => c.index >= from && c.index < to);
      const test = pick(10, 50);
      const others = clips.filter((c) => c.speaker !== speaker && c.index < 5);
      word.adaptedHead = null;
      const before = await accuracy(test, models);
      const othersBefore = await accuracy(others, models);
      const faBefore = words.length ? await falseAccepts(words, models) : NaN;
      const started = performance.now();
      const one = adaptHead(word, pick(5, 6).map(take), { anchors });
      const adaptMs = performance.now() - started;
      word.adaptedHead = one.head;
      const oneTake = await accuracy(test, models);
      const othersAfter = await accuracy(others, models);
      const faAfter = words.length ? await falseAccepts(words, models) : NaN;
      word.adaptedHead = adaptHead(word, pick(5, 8).map(take), { anchors }).head;
      const threeTakes = await accuracy(test, models);
      rows.fsdd.push({ who: speaker, before, oneTake, threeTakes, othersBefore, othersAfter, faBefore, faAfter, adaptMs });
      console.log(speaker, before, oneTake, threeTakes, othersBefore, othersAfter, faBefore, faAfter, Math.round(adaptMs));
      word.dispose();
    }
  } else {
    console.warn('no complete leave-one-speaker-out folds in .cache/loso (npm run eval -- --loso): FSDD speakers are not evaluated');
  }

  const heldOut = join(args.synth, 'heldout');
  if (existsSync(heldOut)) {
    const models = await loadModels(resolve(args.model));
    const anchors = anchorsFor(models.word, resolve(args.model));
    for (const sex of ['female', 'male']) {
      const files = readdirSync(join(heldOut, sex)).filter((f) => /^\d_(picogb|rhbdl)\d+_\d\.wav$/.test(f));
      for (const voice of [...new Set(files.map((f) => f.split('_')[1]))].sort()) {
        const mine = files.filter((f) => f.split('_')[1] === voice).map((f) => ({ path: join(heldOut, sex, f), digit: Number(f[0]), take: Number(f.slice(-5, -4)) }));
        const test = mine.filter((f) => f.take > 0);
        models.word.adaptedHead = null;
        const before = await accuracy(test, models);
        const started = performance.now();
        models.word.adaptedHead = adaptHead(models.word, mine.filter((f) => f.take === 0).map(take), { anchors }).head;
        const adaptMs = performance.now() - started;
        const oneTake = await accuracy(test, models);
        rows.synth.push({ who: voice, before, oneTake, adaptMs });
        console.log(voice, before, oneTake, Math.round(adaptMs));
      }
    }
    models.word.adaptedHead = null;
  } else {
    console.warn(`no synthetic voices in ${args.synth} (npm run synth): held-out voices are not evaluated`);
  }
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, 'enrollment.json'), `${JSON.stringify({ createdAt: new Date().toISOString(), losoDir: folds, words: words.length, rows }, null, 2)}\n`);
  writeFileSync(join(args.out, 'enrollment.md'), report(rows, folds, words.length));
  console.log(`wrote ${args.out}/enrollment.md and enrollment.json`);

  /** Anchors for a fold model: the shipped model's anchor clips but the held-out speaker's, embedded by the fold model. */
  function foldAnchors(word: DigitClassifier, heldOut: string): HeadExample[] {
    const byLabel = generalAnchors(word, args['speech-commands'], resolve(args.data), [heldOut]);
    return Object.entries(byLabel).flatMap(([name, list]) => list.map((embedding) => ({ embedding, label: word.metadata.labels.indexOf(name) })));
  }
}

const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '—' : `${(100 * x).toFixed(2)} %`);
const mean = (rows: readonly Row[], key: keyof Row) => rows.reduce((a, r) => a + (r[key] as number), 0) / rows.length;

function report(rows: { fsdd: Row[]; synth: Row[] }, folds: string | null, words: number): string {
  const lines = [
    '# Enrollment: a voice profile from a few takes',
    '',
    'Made by `npm run eval:enrollment`. Every figure goes through the CLI streaming path and decision rule at threshold 0.5; the profile is fitted by the code the browser runs (`src/adaptation/`): each take and 14 augmented copies (2 gains, 2 white-noise SNRs, 6 speeds, 4 VTLP warps), each weighing 3× an anchor, with the model’s anchors: 128 non-digit words and up to 20 of each digit (132 in all: the training split has fewer of some) of Speech Commands training-split speakers, and FSDD recordings 10–13 of each digit and speaker (a fold model gets its own, made from the same clips without its held-out speaker).',
    '',
  ];
  if (rows.fsdd.length) {
    lines.push(
      `## FSDD, leave-one-speaker-out (fold models in \`${folds}\`)`,
      '',
      'Enrolled with takes 5 (1 take per digit) or 5–7 (3 takes); tested on takes 10–49 of the same speaker (400 clips). “Others”: the other five speakers’ official test clips (250) with this profile active. False accepts: ' +
        `${words} non-digit words of held-out Speech Commands speakers.`,
      '',
      '| speaker | before | 1 take | 3 takes | others before → with profile | false accepts before → with profile | adaptation (Node) |',
      '|---|---|---|---|---|---|---|',
      ...rows.fsdd.map(
        (r) =>
          `| ${r.who} | ${pct(r.before)} | ${pct(r.oneTake)} | ${pct(r.threeTakes)} | ${pct(r.othersBefore)} → ${pct(r.othersAfter)} | ${pct(r.faBefore)} → ${pct(r.faAfter)} | ${Math.round(r.adaptMs)} ms |`,
      ),
      `| **mean** | ${pct(mean(rows.fsdd, 'before'))} | **${pct(mean(rows.fsdd, 'oneTake'))}** | **${pct(mean(rows.fsdd, 'threeTakes'))}** | ${pct(mean(rows.fsdd, 'othersBefore'))} → ${pct(mean(rows.fsdd, 'othersAfter'))} | ${pct(mean(rows.fsdd, 'faBefore'))} → ${pct(mean(rows.fsdd, 'faAfter'))} | ${Math.round(mean(rows.fsdd, 'adaptMs'))} ms |`,
      '',
    );
  }
  if (rows.synth.length) {
    lines.push(
      '## Held-out synthetic voices (shipped model)',
      '',
      'SVOX Pico en-GB and RHVoice bdl at held-out prosodies: enrolled with take 0 of each digit, tested on takes 1–2 (20 clips per voice).',
      '',
      '| voice | before | 1 take | adaptation (Node) |',
      '|---|---|---|---|',
      ...rows.synth.map((r) => `| ${r.who} | ${pct(r.before)} | ${pct(r.oneTake)} | ${Math.round(r.adaptMs)} ms |`),
      `| **mean** | ${pct(mean(rows.synth, 'before'))} | **${pct(mean(rows.synth, 'oneTake'))}** | ${Math.round(mean(rows.synth, 'adaptMs'))} ms |`,
      `| lowest | ${pct(Math.min(...rows.synth.map((r) => r.before)))} | ${pct(Math.min(...rows.synth.map((r) => r.oneTake)))} | |`,
      '',
    );
  }
  lines.push('Real held-out speakers: no held-out Speech Commands speaker has two takes of every digit, so none is evaluated.', '');
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
