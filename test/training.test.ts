import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { fileSystemModel } from '../src/model/node-io';
import { STRING_MODEL_LABELS, StringModel } from '../src/model/string-model';
import { planSynth, writeSynth } from '../training/synth/generate';
import { synthSpeakers } from '../training/synth/voices';
import type { TrainingReport } from '../training/report';
import { listSpeechCommands } from '../training/speech-commands';
import { readModelJson } from './helpers/model-json';

const SC_DIR = resolve(import.meta.dirname, '../../shared/datasets/speech-commands');

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'digit-train-'));
// A feature cache of its own, so tests neither use nor fill the project's .cache/features.
const cache = ['--feature-cache', join(out, 'features')];
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run train (smoke: 200 clips, 1 epoch)', () => {
  it('trains through the streaming pipeline and exports a uint8 model with a report that loads', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'training/train.ts', '--no-synth', '--no-speech-commands', '--limit', '200', '--epochs', '1', '--out', out, ...cache],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    expect(stdout).toMatch(/on wasm \(SIMD on\)/);
    expect(stdout).toMatch(/epoch {2}1\/1 {2}\d+ windows {2}loss \d+\.\d+ .* ETA/);
    expect(stdout).toMatch(/FSDD test through the recognizer: \d+\.\d+ %/);
    for (const f of ['model.json', 'weights.bin', 'report.json', 'report.md']) expect(existsSync(join(out, f))).toBe(true);
    const manifest = readModelJson(join(out, 'model.json')).weightsManifest[0].weights;
    expect(manifest.every((w) => w.quantization?.dtype === 'uint8')).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as TrainingReport;
    expect(report.dataset).toMatchObject({ train: 200, validation: 300, test: 300 });
    expect(report.sets[0]).toMatchObject({ name: 'FSDD official test', kind: 'digits', files: 300 });
    expect(report.sets[0].confusion).toHaveLength(10);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| FSDD official test \| 300 \| \d+\.\d+% \|/);
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
    const model = await DigitClassifier.load(fileSystemModel(out), out);
    expect(model.metadata.labels[7]).toBe('seven');
    model.dispose();
  }, 240_000);

  it('is reproducible from its seed, and cached features train exactly like fresh ones', async () => {
    // Same seed, same data → the same weights, byte for byte; the first run computed the
    // features, this one reads them from the cache.
    const second = join(out, 'again');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'training/train.ts', '--no-synth', '--no-speech-commands', '--limit', '200', '--epochs', '1', '--out', second, ...cache],
      { cwd: ROOT },
    );
    expect(stdout).toMatch(/1 of 1 epochs' features came from the cache/);
    expect(readFileSync(join(second, 'weights.bin')).equals(readFileSync(join(out, 'weights.bin')))).toBe(true);
  }, 240_000);

  it('with synthetic voices and Speech Commands: learns an "other" class and reports the held-out voices and speakers', async () => {
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
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'training/train.ts',
        '--synth',
        synthDir,
        '--speech-commands',
        scDir,
        '--limit',
        '100',
        '--epochs',
        '1',
        '--non-speech',
        '20',
        '--phrases',
        '20',
        '--out',
        model,
        ...cache,
      ],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toMatch(/synthetic voices .*: \d+ train, \d+ validation/);
    expect(stdout).toMatch(
      /Speech Commands .*: train \d+ digits \+ \d+ other words from \d+ speakers, \d+ noise clips; validation \d+ clips \(\d+ speakers\); \d+ speakers held out/,
    );
    const report = JSON.parse(readFileSync(join(model, 'report.json'), 'utf8')) as TrainingReport;
    const names = report.sets.map((s) => s.name);
    expect(names).toEqual(
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
    const json = readModelJson(join(model, 'model.json'));
    expect(json.userDefinedMetadata.digitListener.labels).toEqual(['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'other']);
  }, 240_000);
});

describe('npm run train:strings (smoke: 2 % of an epoch, FSDD only)', () => {
  it('trains the CTC string model through the streaming pipeline and exports a uint8 model the reader loads', async () => {
    const dir = join(out, 'strings');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'training/strings/train.ts', '--no-synth', '--no-speech-commands', '--scale', '0.02', '--epochs', '1', '--out', dir],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    expect(stdout).toMatch(/epoch 1\/1: CTC loss \d+\.\d+ nats over \d+ examples/);
    const manifest = readModelJson(join(dir, 'model.json')).weightsManifest[0].weights;
    expect(manifest.every((w) => w.quantization?.dtype === 'uint8')).toBe(true);
    await initWasmBackend();
    const model = await StringModel.load(fileSystemModel(dir), dir);
    expect(model.metadata).toMatchObject({ decoder: 'ctc', frameStride: 4, contextFrames: 40, labels: [...STRING_MODEL_LABELS] });
    // The word model loaded as a string model is refused, naming the problem.
    const wordModel = resolve(ROOT, 'models/default');
    await expect(StringModel.load(fileSystemModel(wordModel), wordModel)).rejects.toThrow(/not a CTC string model/);
    model.dispose();
  }, 240_000);
});
