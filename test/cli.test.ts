import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav16 } from '../src/audio/wav';
import { concat, FSDD_DIR, fsddClip } from './helpers/fsdd';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../bin/digit-listener.js');

/** Runs the CLI; resolves with stdout, stderr and the exit code (never rejects on exit ≠ 0). */
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

interface FileResult {
  file: string;
  digits?: { digit: number; confidence: number; startMs: number; endMs: number }[];
  error?: string;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'digit-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('digit-listener recognize --json on the FSDD official test split', () => {
  it('scores at least 97% (exactly one digit per clip, the right one)', async () => {
    const files = readdirSync(FSDD_DIR)
      .filter((n) => /^\d_[a-z]+_[0-4]\.wav$/.test(n))
      .sort()
      .map((n) => join(FSDD_DIR, n));
    expect(files).toHaveLength(300);
    const { stdout, code } = await cli('recognize', '--json', ...files);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FileResult);
    expect(lines.map((l) => l.file)).toEqual(files);
    let correct = 0;
    for (const line of lines) {
      const truth = Number(line.file.split('/').pop()![0]);
      if (line.digits?.length === 1 && line.digits[0].digit === truth) correct++;
    }
    const accuracy = correct / files.length;
    console.log(`FSDD official test through the CLI: ${(100 * accuracy).toFixed(2)}% (${correct}/${files.length})`);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
  }, 300_000);
});

describe('digit-listener CLI', () => {
  it('finds several digits in one 44.1 kHz stereo file with times, and reports bad files without stopping', async () => {
    // Two clips, resampled by sox (independent of our resampler), stereo 24-bit.
    const gap = new Float32Array(4000);
    const mono = concat(gap, fsddClip('2_theo_0').samples, gap, gap, fsddClip('8_jackson_1').samples, gap);
    const source = join(tmp, 'pair-8k.wav');
    writeFileSync(source, encodeWav16(mono, 8000));
    const converted = join(tmp, 'pair.wav');
    await run('sox', [source, '-r', '44100', '-c', '2', '-b', '24', converted]);
    const bad = join(tmp, 'bad.wav');
    writeFileSync(bad, 'this is not a wav file at all');
    const missing = join(tmp, 'missing.wav');

    const { stdout, code } = await cli('recognize', '--json', bad, converted, missing);
    expect(code).toBe(1);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FileResult);
    expect(lines.map((l) => l.file)).toEqual([bad, converted, missing]);
    expect(lines[0].error).toMatch(/bad\.wav/);
    expect(lines[2].error).toMatch(/missing\.wav: no such file/);
    const digits = lines[1].digits!;
    // The same digits as each clip alone at its own 8 kHz mono 16-bit: rate, channels and bit
    // depth do not change the answer (accuracy itself is the FSDD test above).
    const alone = await cli('recognize', '--json', join(FSDD_DIR, '2_theo_0.wav'), join(FSDD_DIR, '8_jackson_1.wav'));
    const expected = alone.stdout
      .trim()
      .split('\n')
      .flatMap((l) => (JSON.parse(l) as FileResult).digits!.map((d) => d.digit));
    expect(expected).toHaveLength(2);
    expect(digits.map((d) => d.digit)).toEqual(expected);
    // The first clip starts after 0.5 s of silence.
    expect(digits[0].startMs).toBeGreaterThan(400);
    expect(digits[0].startMs).toBeLessThan(600);
    expect(digits[1].startMs).toBeGreaterThan(digits[0].endMs);
    for (const d of digits) expect(d.confidence).toBeGreaterThan(0.5);
  }, 120_000);

  it('prints readable lines without --json and usage errors with exit code 2', async () => {
    const file = join(FSDD_DIR, '6_jackson_0.wav');
    const text = await cli('recognize', file);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/6_jackson_0\.wav\n {2}6 {2}confidence 0\.\d{3} {2}\d+–\d+ ms/);
    expect((await cli('recognise', file)).code).toBe(2);
    expect((await cli('recognize', '--threshold', '3', file)).code).toBe(2);
  }, 120_000);

  it('eval prints accuracy over a folder of {digit}_*.wav files', async () => {
    const folder = join(tmp, 'eval');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder);
    const names = readdirSync(FSDD_DIR).filter((n) => /_theo_[0-1]\.wav$/.test(n));
    for (const n of names) symlinkSync(join(FSDD_DIR, n), join(folder, n));
    const { stdout, code } = await cli('eval', folder);
    expect(code).toBe(0);
    const m = /accuracy (\d+\.\d+)% \((\d+)\/(\d+)\)/.exec(stdout);
    expect(m).not.toBeNull();
    expect(Number(m![3])).toBe(20);
    expect(Number(m![1])).toBeGreaterThanOrEqual(85);
  }, 120_000);
});
