/**
 * The packed package installed and used the way web developers do, with no attribute and no file
 * copied by hand, in three setups (fixtures beside this file; each page runs ./app.js):
 *
 * - `vite`: an app built by `vite build`;
 * - `webpack`: an app bundled by webpack 5 with its defaults (`webpack --mode production`);
 * - `importmap`: a plain HTML page, no bundler, loading `node_modules/digit-listener/lib/` through an
 *   import map.
 *
 * Driver-neutral: it installs, builds, serves and measures; the browser tests
 * (test/browser/consumers.test.ts) open the pages. The package is installed once per test run
 * into a temporary folder and the builds are reused by every test file of that run.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packedTarball } from '../helpers/packed';
import { serveStatic } from '../browser/static-server';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = import.meta.dirname;

/** The three setups. */
export const CONSUMER_NAMES = ['vite', 'webpack', 'importmap'] as const;
export type ConsumerName = (typeof CONSUMER_NAMES)[number];

/**
 * The package's files that a bundler must emit into the app (the element finds them through
 * `new URL('./…', import.meta.url)`), relative to the installed package's `lib/`.
 */
export const RUNTIME_FILES = [
  'models/default/model.json',
  'models/default/weights.bin',
  'models/default/strings/model.json',
  'models/default/strings/weights.bin',
  'models/encoder/model.json',
  'models/encoder/weights.bin',
  'wasm/tfjs-backend-wasm.wasm',
  'wasm/tfjs-backend-wasm-simd.wasm',
  'wasm/tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/** One setup, built (or failed to build). */
export interface Consumer {
  readonly name: ConsumerName;
  /** The folder to serve as the site's root: the bundle's `dist/`, or the page's own folder for `importmap`. */
  readonly root: string;
  /** The page, as a path below the served root ('' = index.html). */
  readonly page: string;
  /** Whether a bundler built it (its output must hold {@link RUNTIME_FILES}). */
  readonly bundled: boolean;
  /** ms the build took (0 for `importmap`). */
  readonly buildMs: number;
  /** What the build printed ('' for `importmap`). */
  readonly log: string;
  /** The build's output when it failed; undefined when it succeeded. */
  readonly error?: string;
}

/** The installed package and its three setups. */
export interface Consumers {
  /** The folder where the tarball is installed (its node_modules serves every setup). */
  readonly dir: string;
  readonly tarball: string;
  readonly installMs: number;
  readonly consumers: Record<ConsumerName, Consumer>;
}

/** The environment a developer's shell would have: no test runner's NODE_ENV or VITEST_* variables. */
function shellEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV' && !k.startsWith('VITEST')));
}

/** Runs `file args` in `cwd`; resolves with its output, rejects with the output as the message. */
function run(file: string, args: string[], cwd: string): Promise<string> {
  return new Promise((ok, fail) => {
    execFile(file, args, { cwd, env: shellEnv(), maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (error) fail(new Error(`${[file, ...args].join(' ')} (in ${cwd}) failed:\n${output || error.message}`));
      else ok(output);
    });
  });
}

/**
 * Builds one setup in `dir/<name>` (the fixture copied there first): `vite build` or webpack with
 * this repository's own bundlers, run as child processes from the consumer's folder. Never throws:
 * a failed build comes back with its output in `error`.
 */
async function buildConsumer(dir: string, name: ConsumerName): Promise<Consumer> {
  if (name === 'importmap') return { name, root: dir, page: '', bundled: false, buildMs: 0, log: '' };
  const folder = join(dir, name);
  const root = join(folder, 'dist');
  const started = Date.now();
  try {
    let log: string;
    if (name === 'vite') {
      log = await run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], folder);
    } else {
      log = await run(process.execPath, [join(FIXTURES, 'webpack-build.mjs')], folder);
      // The page written by hand beside the bundle.
      copyFileSync(join(folder, 'index.html'), join(root, 'index.html'));
    }
    return { name, root, page: '', bundled: true, buildMs: Date.now() - started, log };
  } catch (error) {
    const message = (error as Error).message;
    return { name, root, page: '', bundled: true, buildMs: Date.now() - started, log: message, error: message };
  }
}

/** Removes earlier runs' folders (the installed package and three builds each) once no run can still use them. */
function removeStaleRuns(maxAgeMs = 3 * 3600_000): void {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith('digit-listener-consumers-')) continue;
    const modified = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - modified > maxAgeMs) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Lays out the three setups in a temporary folder, installs the packed package there once
 * (`npm install --prefer-offline <tarball>`, as a developer would; the Vite and webpack apps sit
 * in subfolders and find it by Node's usual lookup) and builds the two bundled apps in parallel.
 * Cached per test run (DIGIT_TEST_RUN): later calls return the same builds.
 * @throws Error with npm's output when the install fails (build failures are in each `error`)
 */
export async function buildConsumers(tarball: string = packedTarball()): Promise<Consumers> {
  const runId = process.env.DIGIT_TEST_RUN ?? String(process.pid);
  const dir = join(tmpdir(), `digit-listener-consumers-${runId}`);
  const stamp = join(dir, 'consumers.json');
  if (existsSync(stamp)) {
    const cached = JSON.parse(readFileSync(stamp, 'utf8')) as Consumers;
    if (cached.tarball === tarball) return cached;
  }
  removeStaleRuns();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The plain page at the install's root (beside node_modules), the two apps below it.
  cpSync(join(FIXTURES, 'importmap'), dir, { recursive: true });
  copyFileSync(join(FIXTURES, 'app.js'), join(dir, 'main.js'));
  cpSync(join(FIXTURES, 'vite'), join(dir, 'vite'), { recursive: true });
  copyFileSync(join(FIXTURES, 'app.js'), join(dir, 'vite/main.js'));
  cpSync(join(FIXTURES, 'webpack'), join(dir, 'webpack'), { recursive: true });
  mkdirSync(join(dir, 'webpack/src'));
  copyFileSync(join(FIXTURES, 'app.js'), join(dir, 'webpack/src/index.js'));

  const installStarted = Date.now();
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], dir);
  const installMs = Date.now() - installStarted;

  const built = await Promise.all(CONSUMER_NAMES.map((name) => buildConsumer(dir, name)));
  const result: Consumers = { dir, tarball, installMs, consumers: Object.fromEntries(built.map((c) => [c.name, c])) as Record<ConsumerName, Consumer> };
  writeFileSync(stamp, JSON.stringify(result, null, 2));
  return result;
}

/** Every file below `dir`, as paths relative to it with '/' separators. */
export function filesBelow(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => path.split(sep).join('/'))
    .sort();
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * Where a bundled setup's output holds each of the package's {@link RUNTIME_FILES}: a file of
 * the same bytes, under whatever name the bundler gave it. Missing files map to null.
 */
export function emittedRuntimeFiles(consumers: Consumers, consumer: Consumer): Record<string, string | null> {
  const lib = join(consumers.dir, 'node_modules/digit-listener/lib');
  const byHash = new Map(filesBelow(consumer.root).map((path) => [sha256(join(consumer.root, path)), path]));
  return Object.fromEntries(RUNTIME_FILES.map((file) => [file, existsSync(join(lib, file)) ? (byHash.get(sha256(join(lib, file))) ?? null) : null]));
}

/** Raw and gzip bytes of a set of files. */
export interface SizeTotals {
  readonly files: number;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** What a built app ships: all its files, and its JavaScript alone. */
export interface ShippedSize {
  readonly all: SizeTotals;
  readonly js: SizeTotals;
}

/**
 * Sizes of `paths` (relative to `root`): raw, and gzip-compressed one file at a time at zlib's
 * default level (6), as a web server would send them.
 */
export function sizeOf(root: string, paths: readonly string[]): SizeTotals {
  let bytes = 0;
  let gzipBytes = 0;
  for (const path of paths) {
    const body = readFileSync(join(root, path));
    bytes += body.length;
    gzipBytes += gzipSync(body).length;
  }
  return { files: paths.length, bytes, gzipBytes };
}

/** What `root` (a built app's output) ships: every file, and the .js/.mjs files alone. */
export function shippedSize(root: string): ShippedSize {
  const files = filesBelow(root);
  return {
    all: sizeOf(root, files),
    js: sizeOf(
      root,
      files.filter((f) => /\.m?js$/.test(f)),
    ),
  };
}

/** `n` bytes in KB with one decimal. */
export const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

/** One line for a report: "N files, X KB (gzip Y KB)". */
export function formatSize(size: SizeTotals): string {
  return `${size.files} files, ${kb(size.bytes)} (gzip ${kb(size.gzipBytes)})`;
}

/** A served setup: the page's URL and the server to close. */
export interface ServedConsumer {
  readonly consumer: Consumer;
  /** The page's URL. */
  readonly url: string;
  /** The server's root URL (every request of the page must start with it). */
  readonly origin: string;
  /** The served folder. */
  readonly root: string;
  close(): Promise<void>;
}

/**
 * Serves a built setup's root with test/browser/static-server.ts (the COOP/COEP headers a host
 * should send): the bundled apps' `dist/` alone, so they cannot reach node_modules.
 */
export async function serveConsumer(consumer: Consumer): Promise<ServedConsumer> {
  const server = await serveStatic(consumer.root);
  return { consumer, url: server.url + consumer.page, origin: server.url, root: consumer.root, close: server.close };
}

/** The path below `served.root` that a URL of its server names, or null for another origin. */
export function servedPath(served: ServedConsumer, url: string): string | null {
  if (!url.startsWith(served.origin)) return null;
  const path = decodeURIComponent(new URL(url).pathname).slice(1);
  return path === '' || path.endsWith('/') ? `${path}index.html` : path;
}

/**
 * Script for any driver to run in the page before its own scripts (Playwright's addInitScript,
 * Puppeteer's evaluateOnNewDocument …): records every `digit`, `digits` and `error` event that
 * reaches `window` in `window.__digitListenerEvents` as `{ type, detail }`.
 */
export const RECORD_EVENTS_SCRIPT = `window.__digitListenerEvents = [];
for (const type of ['digit', 'digits', 'error']) {
  window.addEventListener(type, (e) => window.__digitListenerEvents.push({ type, detail: JSON.parse(JSON.stringify(e.detail)) }));
}`;

/** What the page shows after the run, read by {@link READ_OUTCOME_SCRIPT}. */
export interface PageOutcome {
  readonly events: { type: string; detail: { digit?: number; confidence?: number; code?: string; message?: string } }[];
  /** The element's `state` attribute (idle, loading, listening, error …), or null without element. */
  readonly state: string | null;
  /** The message the element shows (its role="alert" text), '' when none. */
  readonly message: string;
  /** Whether the tfjs backend started with SIMD (the element's `backend.simd`), null before it started. */
  readonly simd: boolean | null;
}

/** An expression for any driver's evaluate: the {@link PageOutcome} of the page. */
export const READ_OUTCOME_SCRIPT = `(() => {
  const el = document.querySelector('digit-listener');
  return {
    events: window.__digitListenerEvents ?? [],
    state: el ? el.getAttribute('state') : null,
    message: el?.shadowRoot?.querySelector('[role="alert"]')?.textContent?.trim() ?? '',
    simd: el?.backend ? Boolean(el.backend.simd) : null,
  };
})()`;

/** For a failure's message: the files a setup's output holds (without node_modules). */
export function describeConsumer(consumers: Consumers, consumer: Consumer): string {
  const files = existsSync(consumer.root) ? filesBelow(consumer.root).filter((f) => !f.startsWith('node_modules/')) : [];
  return `${consumer.name} in ${relative(tmpdir(), consumers.dir)}: ${files.join(', ') || '(no output)'}`;
}
