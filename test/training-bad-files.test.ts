/**
 * The trainer given a data folder with bad files in it (issue 6, "Bad files"): each is reported
 * by name and skipped, the good clips are trained on. Checked at the loading functions and end
 * to end through `npm run train -- --data DIR` (a tiny run: 30 training clips, 1 epoch).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WavDecodeError } from '../src/audio/wav';
import { listFsdd, loadClips } from '../training/fsdd';
import { PITCH_SHIFT_CENTS, pitchShiftedCopies } from '../training/pitch';
import { type BadWav, writeBadWavs } from './helpers/bad-wavs';
import { FSDD_DIR } from './helpers/fsdd';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
/** FSDD file-name index per split: 0–4 test, 5–9 validation, 10–49 training. */
const SPLIT_INDEX = { test: 2, validation: 7, train: 20 } as const;

let tmp: string;
let data: string;
/** Every bad file, by split. */
const bad: Record<keyof typeof SPLIT_INDEX, BadWav[]> = { test: [], validation: [], train: [] };
let good: { test: number; validation: number; train: number };

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'digit-train-bad-'));
  data = join(tmp, 'data');
  mkdirSync(data);
  // Good clips: every digit by two speakers in the test and validation splits, three in training.
  const names = readdirSync(FSDD_DIR);
  const pick = (pattern: RegExp, perDigit: number) =>
    Array.from({ length: 10 }, (_, d) =>
      names
        .filter((n) => n.startsWith(`${d}_`) && pattern.test(n))
        .sort()
        .slice(0, perDigit),
    ).flat();
  const chosen = { test: pick(/_[0-4]\.wav$/, 2), validation: pick(/_[5-9]\.wav$/, 2), train: pick(/_(1[0-9]|2[0-9])\.wav$/, 3) };
  for (const n of Object.values(chosen).flat()) symlinkSync(join(FSDD_DIR, n), join(data, n));
  good = { test: chosen.test.length, validation: chosen.validation.length, train: chosen.train.length };
  // Every kind of bad file in every split, named like FSDD clips of a speaker "bad…".
  for (const [split, index] of Object.entries(SPLIT_INDEX) as [keyof typeof SPLIT_INDEX, number][]) {
    bad[split] = writeBadWavs(data, (kind) => `5_bad${kind.replace(/[^a-z]/g, '')}_${index}.wav`);
  }
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Asserts `messages` hold exactly one message per bad file, `"<path>: <its reason>"`. */
function expectEachReported(messages: string[], files: BadWav[]): void {
  for (const f of files) {
    const mine = messages.filter((m) => m.startsWith(`${f.path}: `));
    expect(mine, `${f.name}: ${JSON.stringify(messages)}`).toHaveLength(1);
    expect(mine[0].slice(f.path.length + 2)).toMatch(f.reason);
  }
}

describe('the trainer with bad files in its data folder', () => {
  it('loadClips reports each bad file by name with its reason and returns every good clip', () => {
    const clips = listFsdd(data).filter((c) => c.index <= 4); // the test split
    const errors: WavDecodeError[] = [];
    const loaded = loadClips(clips, (e) => errors.push(e));
    expect(loaded).toHaveLength(good.test);
    expect(loaded.every((c) => !c.speaker.startsWith('bad') && c.samples.length > 1000 && c.sampleRate === 8000)).toBe(true);
    expect(errors).toHaveLength(bad.test.length);
    expectEachReported(
      errors.map((e) => e.message),
      bad.test,
    );
  });

  it('pitch-shifting reports the files SoX cannot read and still makes the copies of the others', async () => {
    const cache = join(tmp, 'pitch-unit');
    const goodClip = join(FSDD_DIR, '3_theo_30.wav');
    const messages: string[] = [];
    const copies = await pitchShiftedCopies([bad.train[0].path, ...bad.train.map((f) => f.path), goodClip], cache, (m) => messages.push(m));
    expect(copies.get(goodClip)).toHaveLength(PITCH_SHIFT_CENTS.length);
    // SoX reads some bad files (a cut WAV, u-law, NaN floats) and cannot read the others.
    const unreadable = bad.train.filter((f) => !copies.has(f.path));
    expect(unreadable.map((f) => f.name)).toEqual(expect.arrayContaining(['5_badnotawav_20.wav', '5_badempty_20.wav', '5_badwrongheader_20.wav', '5_badfolder_20.wav']));
    expect(messages).toHaveLength(unreadable.length); // once per file, though two SoX processes run
    for (const f of unreadable) expect(messages.some((m) => m.startsWith(`${f.path}: SoX could not pitch-shift it (`))).toBe(true);
  }, 60_000);

  it('npm run train -- --data DIR: skips each bad file by name (test, validation and training splits) and trains on the rest', async () => {
    // Run from the temp folder, so SoX's pitch-shift cache (.cache/pitch, relative) lands there.
    const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
    const out = join(tmp, 'model');
    const args = [
      '--import',
      tsx,
      join(ROOT, 'training/heads/train.ts'),
      '--data',
      data,
      '--no-synth',
      '--no-speech-commands',
      '--epochs',
      '1',
      '--copies',
      '1',
      '--workers',
      '1',
      '--out',
      out,
      '--cache',
      join(tmp, 'embeddings'),
    ];
    const { stdout, stderr } = await run(process.execPath, args, { cwd: tmp, maxBuffer: 16 * 1024 * 1024 });
    expect(stdout).toMatch(/FSDD official test: accuracy \d+\.\d+ %/);
    const allBad = [...bad.test, ...bad.validation, ...bad.train];
    // Listed: every training file (and the phrases and sounds made from them); decoded: the good ones.
    const listed = Number(/(\d+) fsdd/.exec(stdout)?.[1]);
    expect(listed).toBe(good.train + bad.train.length);
    const examples = Number(/epoch {2}1\/1: (\d+) examples/.exec(stdout)?.[1]);
    expect(examples).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { skipped: string[]; sets: { name: string; files: number }[] };
    expect(report.skipped).toHaveLength(allBad.length);
    expectEachReported(report.skipped, allBad);
    for (const f of allBad) expect(stderr).toContain(`skipping ${f.path}: `);
    expect(stderr).toContain(`no pitch-shifted copies: ${join(data, '5_badnotawav_20.wav')}: SoX could not pitch-shift it`);
    expect(readFileSync(join(out, 'recipe.json'), 'utf8')).toContain('"epochs": 1');
  }, 300_000);
});
