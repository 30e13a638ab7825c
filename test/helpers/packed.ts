/**
 * The package as a user gets it: `npm run build:lib`, then `npm pack` into a temporary folder,
 * once per test run (test/global-setup.ts names the run) — later test files reuse the tarball.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** Builds the package into lib/ (`npm run build:lib`) once per test run. @throws Error with npm's output when the build fails */
export function builtLib(): void {
  const run = process.env.DIGIT_TEST_RUN ?? String(process.pid);
  // The stamp lives outside lib/, which is packed as is.
  const stamp = join(tmpdir(), `digit-listener-lib-${run}`);
  if (existsSync(stamp)) return;
  execFileSync('npm', ['run', 'build:lib'], { cwd: ROOT, stdio: 'pipe' });
  writeFileSync(stamp, run);
}

/**
 * Builds the package and packs it; returns the tarball's absolute path.
 * @throws Error with npm's output when the build or `npm pack` fails
 */
export function packedTarball(): string {
  const run = process.env.DIGIT_TEST_RUN ?? String(process.pid);
  const dir = join(tmpdir(), `digit-listener-pack-${run}`);
  const stamp = join(dir, 'tarball');
  if (existsSync(stamp)) {
    const tarball = readFileSync(stamp, 'utf8');
    if (existsSync(tarball)) return tarball;
  }
  mkdirSync(dir, { recursive: true });
  builtLib();
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(out) as { filename: string }[];
  const tarball = join(dir, filename);
  writeFileSync(stamp, tarball);
  return tarball;
}
