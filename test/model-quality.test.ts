/**
 * The shipped model's robustness figures from issue 3 that CI can afford, measured through the
 * `digit-listener` CLI on generated files (the full suite with synthetic voices and
 * leave-one-speaker-out is `npm run eval`). Floors sit just under the committed model's measured
 * figures (reports/eval/report.md), so a worse model fails.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { nonSpeechSet, noisySet } from '../training/eval/sets';
import { gluedFsddSet, gluedSpeechCommandsSet } from '../training/eval/glued-strings';
import { planStrings, synthesize } from '../training/synth/generate';
import { mkdirSync } from 'node:fs';
import { fsddTestSet } from '../training/eval/suite';
import { speechCommandsSets } from '../training/eval/speech-commands-sets';
import { FSDD_DIR } from './helpers/fsdd';

const run = promisify(execFile);
/** Floors, %: the committed model scores 96.00 (20 dB) and 83.00 (10 dB). */
const FLOOR_20DB = 95;
const FLOOR_10DB = 75;
/**
 * Held-out Speech Commands speakers (86 digits, 1,554 non-digit words): floor of digit accuracy
 * and ceiling of false accepts, %, just beside the committed model's figures (83.72 / 15.38 %).
 */
const FLOOR_REAL_DIGITS = 80;
const CEILING_REAL_WORDS = 18;
const SC_DIR = resolve(import.meta.dirname, '../../shared/datasets/speech-commands');
/**
 * Digit strings (issue 13), exact-string rate floors, %, just under the committed models'
 * figures: 4-digit strings glued from FSDD test clips with 0–100 ms gaps (28 of 30), all 120
 * strings glued from held-out Speech Commands speakers (38 of 120), and 24 strings said at
 * natural speed by held-out voices (14 of 24). The word model alone reads 30 %, 14 % and 0 %.
 */
const FLOOR_GLUED_FSDD_4 = 85;
const FLOOR_GLUED_SC_ALL = 25;
const FLOOR_SYNTH_STRINGS = 45;
const CLI = resolve(import.meta.dirname, '../bin/digit-listener.js');
const dir = mkdtempSync(join(tmpdir(), 'digit-quality-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shipped model through the CLI', () => {
  it('FSDD test in unseen office noise at 20 dB and 10 dB SNR', async () => {
    const test = fsddTestSet(FSDD_DIR);
    for (const [snr, floor] of [
      [20, FLOOR_20DB],
      [10, FLOOR_10DB],
    ] as const) {
      const noisy = noisySet(test, snr, dir);
      const { stdout } = await run(process.execPath, [CLI, 'eval', join(dir, `office-noise-${snr}dB`)], { maxBuffer: 16 << 20 });
      const m = /accuracy (\d+\.\d+)% \((\d+)\/(\d+)\)/.exec(stdout);
      expect(m, stdout).not.toBeNull();
      expect(Number(m![3])).toBe(noisy.files.length);
      expect(Number(m![1])).toBeGreaterThanOrEqual(floor);
    }
  }, 180_000);

  it('recognizes real speakers it never heard (held-out Speech Commands speakers) and rejects their non-digit words', async () => {
    const [digits, words] = speechCommandsSets(SC_DIR);
    const reported = async (files: { path: string }[]) => {
      const { stdout } = await run(process.execPath, [CLI, 'recognize', '--json', ...files.map((f) => f.path)], { maxBuffer: 64 << 20 });
      return stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { digits: { digit: number }[] }).digits.map((d) => d.digit));
    };
    const heard = await reported(digits.files);
    const right = heard.filter((d, i) => d.length === 1 && d[0] === digits.files[i].digit).length;
    expect(right / digits.files.length).toBeGreaterThanOrEqual(FLOOR_REAL_DIGITS / 100);
    const accepted = (await reported(words.files)).filter((d) => d.length > 0).length;
    expect(accepted / words.files.length).toBeLessThanOrEqual(CEILING_REAL_WORDS / 100);
  }, 180_000);

  /** The digits the CLI reports for each file, joined ("4172"). */
  const strings = async (files: { path: string }[]) => {
    const { stdout } = await run(process.execPath, [CLI, 'recognize', '--json', ...files.map((f) => f.path)], { maxBuffer: 64 << 20 });
    return stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { string: string }).string);
  };

  it('reads digit strings glued from real clips it never trained on (0–100 ms gaps)', async () => {
    const fsdd = gluedFsddSet(FSDD_DIR, dir);
    const pins = fsdd.files.filter((f) => f.digits!.length === 4);
    const readPins = await strings(pins);
    const exactPins = readPins.filter((got, i) => got === pins[i].digits).length;
    expect(exactPins / pins.length).toBeGreaterThanOrEqual(FLOOR_GLUED_FSDD_4 / 100);
    const sc = gluedSpeechCommandsSet(SC_DIR, dir);
    const readSc = await strings(sc.files);
    const exactSc = readSc.filter((got, i) => got === sc.files[i].digits).length;
    console.log(`glued FSDD 4-digit: ${exactPins}/${pins.length}; glued Speech Commands: ${exactSc}/${sc.files.length} exact`);
    expect(exactSc / sc.files.length).toBeGreaterThanOrEqual(FLOOR_GLUED_SC_ALL / 100);
  }, 240_000);

  it('reads digit strings said at natural speed by voices it never trained on', async () => {
    // 24 held-out strings of the evaluation plan, 8 per engine (espeak-ng, Pico en-GB, RHVoice bdl).
    const out = join(dir, 'synth');
    mkdirSync(join(out, 'heldout/strings'), { recursive: true });
    const plan = planStrings(out, 2024);
    const chosen = (['espeak', 'pico', 'rhvoice'] as const).flatMap((engine) =>
      plan
        .filter((e) => e.engine === engine)
        .filter((_, i) => i % 7 === 0)
        .slice(0, 8),
    );
    for (const entry of chosen) await synthesize(entry);
    const read = await strings(chosen);
    const exact = read.filter((got, i) => got === chosen[i].digits).length;
    console.log(`held-out synthetic strings: ${exact}/${chosen.length} exact`);
    expect(exact / chosen.length).toBeGreaterThanOrEqual(FLOOR_SYNTH_STRINGS / 100);
  }, 240_000);

  it('reports no digit for at least 97 % of non-speech sounds and noise', async () => {
    const set = nonSpeechSet(dir);
    const { stdout } = await run(process.execPath, [CLI, 'recognize', '--json', ...set.files.map((f) => f.path)], { maxBuffer: 16 << 20 });
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { digits?: unknown[]; error?: string });
    expect(lines).toHaveLength(set.files.length);
    expect(lines.every((l) => !l.error)).toBe(true);
    const accepted = lines.filter((l) => l.digits!.length > 0).length;
    expect(accepted / lines.length).toBeLessThanOrEqual(0.03);
  }, 120_000);
});
