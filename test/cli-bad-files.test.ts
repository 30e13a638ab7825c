/**
 * `digit-listener recognize` and `eval` over a folder where good FSDD clips sit beside every kind
 * of bad file (issue 6, "Bad files"): each bad file gets one clear error naming it, the run does
 * not stop, every good clip is still recognized, and the exit code is 1 (README, "The command line").
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BadWav, writeBadWavs } from './helpers/bad-wavs';
import { FSDD_DIR } from './helpers/fsdd';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../bin/digit-listener.js');

/** Runs the CLI; resolves with stdout, stderr and the exit code (never rejects on exit ≠ 0). */
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/** FSDD test clips the shipped model recognizes with confidence > 0.9 through the CLI. */
const GOOD = ['2_theo_0', '6_jackson_0', '4_george_0', '1_jackson_1', '9_theo_4'];

let tmp: string;
/** Good files: the FSDD clips, and one as 44.1 kHz stereo 32-bit float made by sox. */
let good: { path: string; digit: number }[];
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'digit-cli-bad-'));
  good = GOOD.map((n) => ({ path: join(FSDD_DIR, `${n}.wav`), digit: Number(n[0]) }));
  const float = join(tmp, '7_lucas_2_float.wav');
  execFileSync('sox', [join(FSDD_DIR, '7_lucas_2.wav'), '-r', '44100', '-c', '2', '-e', 'floating-point', '-b', '32', float]);
  good.push({ path: float, digit: 7 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Asserts `text` holds `digit-listener: <path>: <reason>` for each bad file, on a line of its own. */
function expectErrorLines(text: string, files: BadWav[]): void {
  const lines = text.split('\n');
  for (const f of files) {
    const mine = lines.filter((l) => l.startsWith(`digit-listener: ${f.path}: `));
    expect(mine, `${f.name} in:\n${text}`).toHaveLength(1);
    expect(mine[0].slice(`digit-listener: ${f.path}: `.length)).toMatch(f.reason);
  }
}

describe('digit-listener with bad files beside good ones', () => {
  it('recognize --json: an error naming each bad file, every good file recognized, exit code 1', async () => {
    const bad = writeBadWavs(join(tmp, 'recognize'));
    // Good and bad files interleaved, a bad one first and last.
    const order: ({ kind: 'good'; path: string; digit: number } | ({ kind: 'bad' } & BadWav))[] = [];
    bad.forEach((b, i) => {
      order.push({ kind: 'bad', ...b });
      const g = i % 2 === 1 ? good[(i - 1) / 2] : undefined;
      if (g) order.push({ kind: 'good', ...g });
    });
    expect(order.filter((o) => o.kind === 'good')).toHaveLength(good.length);
    const { stdout, stderr, code } = await cli('recognize', '--json', ...order.map((o) => o.path));
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace: nothing crashed
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; digits?: { digit: number; confidence: number }[]; error?: string });
    expect(lines.map((l) => l.file)).toEqual(order.map((o) => o.path));
    lines.forEach((line, i) => {
      const o = order[i];
      if (o.kind === 'good') {
        expect(line.error, o.path).toBeUndefined();
        expect(
          line.digits!.map((d) => d.digit),
          o.path,
        ).toEqual([o.digit]);
      } else {
        expect(line.digits, o.name).toBeUndefined();
        expect(line.error!.startsWith(`${o.path}: `), line.error).toBe(true);
        expect(line.error!.slice(o.path.length + 2)).toMatch(o.reason);
      }
    });
  }, 120_000);

  it('recognize (text): each bad file on stderr with its reason, the good ones on stdout', async () => {
    const bad = writeBadWavs(join(tmp, 'text'));
    const { stdout, stderr, code } = await cli('recognize', ...bad.map((b) => b.path), ...good.map((g) => g.path));
    expect(code).toBe(1);
    expectErrorLines(stderr, bad);
    for (const g of good) expect(stdout).toMatch(new RegExp(`${g.path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\n {2}${g.digit} {2}confidence`));
    for (const b of bad) expect(stdout).not.toContain(b.path);
  }, 120_000);

  it('eval DIR: counts each bad file as unreadable and names it, scores the good ones, exit code 1', async () => {
    const dir = join(tmp, 'eval');
    // Bad files named like scored clips ({digit}_*.wav), so eval reads them.
    const bad = writeBadWavs(dir, (kind) => `5_bad_${kind}.wav`);
    for (const g of good) symlinkSync(g.path, join(dir, `${g.digit}_good_${g.path.split('/').pop()}`));
    const { stdout, stderr, code } = await cli('eval', dir);
    expect(code).toBe(1);
    expectErrorLines(stderr, bad);
    const total = good.length + bad.length;
    expect(stdout).toContain(
      `accuracy ${((100 * good.length) / total).toFixed(2)}% (${good.length}/${total}); no digit 0, several digits 0, wrong digit 0, unreadable ${bad.length}`,
    );
  }, 120_000);
});
