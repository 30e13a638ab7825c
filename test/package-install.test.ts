/**
 * The package as a user installs it (issue 14, "a lean package"): the packed tarball installed
 * into an empty folder brings only what runs — no tsx, no tfjs (lib/ bundles what it needs) — in
 * at most 15 MB, without npm's install-script warnings, and its `digit-listener` command, the
 * compiled lib/cli.js, reads real FSDD test clips exactly as the sources do.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FSDD_DIR } from './helpers/fsdd';
import { packedTarball } from './helpers/packed';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
/** Issue 14's ceiling for an installed `node_modules`, in bytes (as `du -sb` counts). */
const MAX_INSTALLED_BYTES = 15_000_000;
/** One clip of each digit from FSDD's official test split (take 0 of one speaker). */
const CLIPS = Array.from({ length: 10 }, (_, digit) => join(FSDD_DIR, `${digit}_jackson_0.wav`));

/** Bytes of every file and symlink under `dir` (symlinks not followed), like `du -sb`'s apparent size. */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? treeBytes(path) : lstatSync(path).size;
  }
  return total;
}

interface FileResult {
  file: string;
  string: string;
  digits?: { digit: number; confidence: number; startMs: number; endMs: number; source: string }[];
}

let dir: string;
let npmOutput: string;
beforeAll(async () => {
  const tarball = packedTarball();
  dir = mkdtempSync(join(tmpdir(), 'digit-install-'));
  const { stdout, stderr } = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  npmOutput = stdout + stderr;
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm install <packed tarball> into an empty folder', () => {
  it(`installs only what runs: no tsx, no tfjs, no install scripts, at most ${MAX_INSTALLED_BYTES / 1e6} MB`, () => {
    const modules = join(dir, 'node_modules');
    const bytes = treeBytes(modules);
    console.log(
      `installed node_modules: ${bytes} bytes (${readdirSync(modules)
        .filter((n) => !n.startsWith('.'))
        .join(', ')})`,
    );
    expect(bytes).toBeLessThanOrEqual(MAX_INSTALLED_BYTES);
    for (const dev of ['tsx', 'esbuild', '@tensorflow', 'wavefile', 'fft.js', 'workbox-window']) expect(existsSync(join(modules, dev)), dev).toBe(false);
    // The package itself ships the compiled CLI and what it reads, not the sources.
    const pkg = join(modules, 'digit-listener');
    expect(existsSync(join(pkg, 'lib/cli.js'))).toBe(true);
    expect(existsSync(join(pkg, 'src'))).toBe(false);
    // npm 11 lists dependencies whose install scripts allowScripts does not cover; there are none.
    expect(npmOutput).not.toMatch(/install-scripts|allowScripts/);
  });

  it('its digit-listener command (lib/cli.js) reads ten FSDD test clips, the same as the sources', async () => {
    const bin = join(dir, 'node_modules/.bin/digit-listener');
    const installed = await run(bin, ['recognize', '--json', ...CLIPS], { cwd: dir });
    const results = installed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FileResult);
    expect(results.map((r) => r.file)).toEqual(CLIPS);
    results.forEach((r, digit) =>
      expect(
        r.digits?.map((d) => d.digit),
        r.file,
      ).toEqual([digit]),
    );
    // The compiled bundle computes exactly what src/ computes (the repo's bin runs the sources with tsx).
    const source = await run(process.execPath, [join(ROOT, 'bin/digit-listener.js'), 'recognize', '--json', ...CLIPS], { cwd: ROOT });
    expect(installed.stdout).toBe(source.stdout);

    const seven = await run(bin, ['recognize', CLIPS[7]], { cwd: dir });
    expect(seven.stdout).toMatch(/^ {2}7 {2}confidence 0\.\d{3} {2}\d+–\d+ ms {2}\(word\)$/m);
    expect(seven.stderr).toBe('');
  }, 120_000);
});
