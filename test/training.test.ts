import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { initWasmBackend } from '../src/model/backend';
import { DigitClassifier } from '../src/model/classifier';
import { fileSystemModel } from '../src/model/node-io';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'digit-train-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run train (smoke: 200 clips, 1 epoch)', () => {
  it('trains through the streaming pipeline and exports a uint8 model with a report that loads', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'training/train.ts', '--limit', '200', '--epochs', '1', '--out', out], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout).toMatch(/on wasm \(SIMD on\)/);
    expect(stdout).toMatch(/epoch {2}1\/1 {2}loss \d+\.\d+ .* ETA/);
    expect(stdout).toMatch(/test accuracy: float \d+\.\d+%, uint8 \d+\.\d+%/);
    for (const f of ['model.json', 'weights.bin', 'report.json', 'report.md']) expect(existsSync(join(out, f))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).weightsManifest[0].weights;
    expect(manifest.every((w: { quantization?: { dtype: string } }) => w.quantization?.dtype === 'uint8')).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.dataset).toMatchObject({ train: 200, validation: 300, test: 300 });
    expect(report.test.quantized.confusion).toHaveLength(10);
    expect(report.test.quantized.perClass[0]).toHaveProperty('f1');
    await initWasmBackend();
    const model = await DigitClassifier.load(fileSystemModel(out), out);
    expect(model.metadata.labels[7]).toBe('seven');
    model.dispose();
  }, 240_000);

  it('is reproducible from its seed', async () => {
    // Same seed, same data → the same weights, byte for byte.
    const second = join(out, 'again');
    await run(process.execPath, ['--import', 'tsx', 'training/train.ts', '--limit', '200', '--epochs', '1', '--out', second], { cwd: ROOT });
    expect(readFileSync(join(second, 'weights.bin')).equals(readFileSync(join(out, 'weights.bin')))).toBe(true);
  }, 240_000);
});
