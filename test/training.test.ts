/**
 * The trainer (`npm run train`): smoke runs of both heads on the frozen encoder, the recipe it
 * writes replaying the same head byte for byte, cached embeddings training exactly like fresh
 * ones, its one argument parser and its one learning-rate schedule.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { fileSystemEncoders } from '../src/cli/models';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { fileSystemModel } from '../src/model/node-io';
import { STRING_MODEL_LABELS, StringModel } from '../src/model/string-model';
import { DEFAULT_RECIPES, learningRateFactor, parseTrainArgs, trainHelp } from '../training/heads/recipe';
import type { HeadReport } from '../training/heads/report';
import { listSpeechCommands } from '../training/speech-commands';
import { planSynth, writeSynth } from '../training/synth/generate';
import { synthSpeakers } from '../training/synth/voices';
import { readModelJson } from './helpers/model-json';

const SC_DIR = resolve(import.meta.dirname, '../../shared/datasets/speech-commands');

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'digit-train-'));
// An embedding cache of its own, so tests neither use nor fill the project's .cache/embeddings.
const cache = ['--cache', join(out, 'embeddings')];
afterAll(() => rmSync(out, { recursive: true, force: true }));

const train = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'training/heads/train.ts', ...args, ...cache], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
const SMALL = ['--no-synth', '--no-speech-commands', '--limit', '200', '--epochs', '2', '--copies', '1'];

describe('npm run train (smoke: 200 FSDD clips, 2 epochs, one augmented copy)', () => {
  it('trains the word head on cached embeddings and exports a uint8 head, its recipe and a report that loads', async () => {
    const { stdout } = await train([...SMALL, '--out', out]);
    expect(stdout).toMatch(/on wasm \(SIMD on\); word head, seed 1234/);
    expect(stdout).toMatch(/copy 1: \d+ examples embedded in \d+ s/);
    expect(stdout).toMatch(/epoch {2}2\/2: \d+ examples, loss \d+\.\d+, train \d+\.\d+%, validation \d+\.\d+%, lr 1\.0e-4/);
    for (const f of ['model.json', 'weights.bin', 'recipe.json', 'report.json', 'report.md']) expect(existsSync(join(out, f))).toBe(true);
    const json = readModelJson(join(out, 'model.json'));
    expect(json.weightsManifest[0].weights.every((w) => w.quantization?.dtype === 'uint8')).toBe(true);
    expect(json.userDefinedMetadata.digitListener).toMatchObject({ version: 2, labels: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'other'] });
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as HeadReport;
    expect(report.examples).toMatchObject({ fsdd: 200, sound: 100 });
    expect(report.sets[0]).toMatchObject({ name: 'FSDD official test', kind: 'digits', files: 300 });
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| FSDD official test \| 300 \| \d+\.\d+ % \|/);
    // One decision path: `digit-listener eval` on the same 300 clips gives the report's figure.
    const folder = join(out, 'fsdd-test');
    mkdirSync(folder);
    const fsddDir = resolve(ROOT, '../shared/datasets/fsdd/recordings');
    for (const f of readdirSync(fsddDir).filter((n) => /_[0-4]\.wav$/.test(n))) symlinkSync(join(fsddDir, f), join(folder, f));
    const cli = await run(process.execPath, ['bin/digit-listener.js', 'eval', '--model', out, folder], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const m = /accuracy (\d+\.\d+)% \((\d+)\/300\)/.exec(cli.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBe(Math.round((report.sets[0].accuracy ?? NaN) * 300));
    await initWasmBackend();
    const model = await DigitClassifier.load(fileSystemModel(out), fileSystemEncoders(), out);
    expect(model.metadata.labels[7]).toBe('seven');
    expect(model.steps).toBe(DEFAULT_RECIPES.word.steps);
    model.dispose();
    model.encoder.dispose();
  }, 300_000);

  it('replays its recipe.json to the same head byte for byte, from the cached embeddings', async () => {
    const again = join(out, 'again');
    const { stdout } = await train(['--recipe', join(out, 'recipe.json'), '--out', again, '--no-report']);
    expect(stdout).not.toMatch(/examples embedded/);
    expect(readFileSync(join(again, 'weights.bin')).equals(readFileSync(join(out, 'weights.bin')))).toBe(true);
    expect(readFileSync(join(again, 'recipe.json'), 'utf8')).toBe(readFileSync(join(out, 'recipe.json'), 'utf8'));
  }, 300_000);

  it('trains the CTC string head and exports a uint8 head the reader loads', async () => {
    const dir = join(out, 'strings');
    const { stdout } = await train(['--head', 'strings', '--no-synth', '--no-speech-commands', '--limit', '100', '--epochs', '1', '--copies', '0', '--out', dir, '--no-report']);
    expect(stdout).toMatch(/epoch {2}1\/1: \d+ examples, loss \d+\.\d+, validation CTC loss \d+\.\d+/);
    const manifest = readModelJson(join(dir, 'model.json')).weightsManifest[0].weights;
    expect(manifest.every((w) => w.quantization?.dtype === 'uint8')).toBe(true);
    await initWasmBackend();
    const encoders = fileSystemEncoders();
    const model = await StringModel.load(fileSystemModel(dir), encoders, dir);
    expect(model.metadata).toMatchObject({ decoder: 'ctc', contextSteps: DEFAULT_RECIPES.strings.hidden.length, labels: [...STRING_MODEL_LABELS] });
    // A word head loaded as a string head is refused, naming the problem.
    await expect(StringModel.load(fileSystemModel(out), encoders, out)).rejects.toThrow(/not a CTC string model/);
    model.dispose();
    for (const e of await encoders.loaded()) e.dispose();
  }, 300_000);

  it('with synthetic voices and Speech Commands: learns "other" and reports the held-out voices and speakers', async () => {
    const synthDir = join(out, 'synth');
    // A dozen speakers (some held out) saying each digit once and one non-digit word.
    const speakers = synthSpeakers();
    const chosen = new Set([...speakers.filter((s) => s.heldOut).slice(0, 4), ...speakers.filter((s) => !s.heldOut).slice(0, 8)].map((s) => s.id));
    const plan = planSynth(synthDir, 1, 1, 7).filter((e) => chosen.has(e.speaker) && (e.kind ?? 'word') === 'word');
    const { written, failed } = await writeSynth(synthDir, plan);
    expect(failed).toEqual([]);
    expect(written).toHaveLength(12 * 11);
    // A small Speech Commands folder in the standard layout: the clips of 40 real speakers.
    const scDir = join(out, 'speech-commands');
    const all = listSpeechCommands(SC_DIR);
    const kept = new Set([...new Set(all.filter((c) => c.kind === 'word').map((c) => c.speaker))].slice(0, 40));
    for (const c of all.filter((c) => kept.has(c.speaker) || (c.kind === 'noise' && c.speaker < '11'))) {
      mkdirSync(join(scDir, c.word), { recursive: true });
      symlinkSync(c.path, join(scDir, c.word, basename(c.path)));
    }
    const model = join(out, 'with-synth');
    const { stdout } = await train(['--synth', synthDir, '--speech-commands', scDir, '--limit', '100', '--epochs', '1', '--copies', '0', '--out', model]);
    expect(stdout).toMatch(/\d+ examples \(100 fsdd, \d+ real-digit, \d+ real-word, \d+ synth, 1000 phrase, 100 sound\)/);
    const report = JSON.parse(readFileSync(join(model, 'report.json'), 'utf8')) as HeadReport;
    expect(report.sets.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'FSDD official test',
        'held-out synthetic voices, female',
        'Speech Commands digits, held-out speakers',
        'Speech Commands non-digit words, held-out speakers',
      ]),
    );
    const heldOutWords = report.sets.find((s) => s.name === 'Speech Commands non-digit words, held-out speakers');
    expect(heldOutWords?.files).toBe(all.filter((c) => kept.has(c.speaker) && c.split === 'test' && c.kind === 'word' && c.digit < 0).length);
    expect(heldOutWords?.falseAcceptRate).toBeGreaterThanOrEqual(0);
  }, 300_000);
});

describe('the trainer’s command line and schedule', () => {
  it('has one parser with help for both heads; an option overrides the recipe file; a bad value is named', () => {
    expect(trainHelp()).toMatch(/--head +word \| strings/);
    expect(trainHelp()).toMatch(/--recipe +FILE: a recipe.json/);
    const word = parseTrainArgs(['--epochs', '3'])!;
    expect(word.recipe).toMatchObject({ ...DEFAULT_RECIPES.word, epochs: 3 });
    expect(word.out).toBe('models/default');
    const strings = parseTrainArgs(['--head', 'strings'])!;
    expect(strings.recipe.head).toBe('strings');
    expect(strings.out).toBe('models/default/strings');
    expect(() => parseTrainArgs(['--epochs', '0'])).toThrow(/--epochs must be a positive integer, got 0/);
    expect(() => parseTrainArgs(['--dropout', '1'])).toThrow(/--dropout must be in \[0, 1\), got 1/);
    expect(() => parseTrainArgs(['--no-real', '--no-synth'])).toThrow(/leaves no speech/);
    expect(() => parseTrainArgs(['--recipe', join(out, 'nowhere.json')])).toThrow(/recipe .*nowhere\.json could not be read/);
  });

  it('drops the learning rate to 30 % after 60 % of the epochs and to 10 % after 85 % (epochs counted from 1)', () => {
    expect(Array.from({ length: 20 }, (_, i) => learningRateFactor(i + 1, 20))).toEqual([
      ...Array<number>(12).fill(1),
      ...Array<number>(5).fill(0.3),
      ...Array<number>(3).fill(0.1),
    ]);
    expect(learningRateFactor(1, 1)).toBe(0.1);
  });
});
