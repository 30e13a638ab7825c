/**
 * Zero-configuration installs (issue 14): the packed package `npm install`ed into a Vite app, a
 * webpack 5 app and a plain HTML page with an import map (test/consumers/), each page doing nothing
 * but `import 'digit-listener'` and putting `<digit-listener>` on the page — no attribute, no file
 * copied. Each is served on its own and opened in headless Chromium with a real FSDD digit as the
 * fake microphone: Start must end in a `digit` event with that digit, every file fetched from the
 * app's own origin. The bundlers must have emitted the model and wasm files into their output.
 * Prints what the Vite app ships, gzipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildConsumers,
  type Consumer,
  type ConsumerName,
  type Consumers,
  describeConsumer,
  emittedRuntimeFiles,
  formatSize,
  type PageOutcome,
  READ_OUTCOME_SCRIPT,
  RECORD_EVENTS_SCRIPT,
  servedPath,
  serveConsumer,
  shippedSize,
  sizeOf,
} from '../consumers/harness';
import { clipSequence } from '../helpers/fsdd';
import { chromiumArgs, findChromium, writeMicWav } from './chromium';

const chromiumPath = findChromium();

/** One FSDD test-split digit per setup (index 0–4 of a speaker: the official test split). */
const SPOKEN: Record<ConsumerName, { clip: string; digit: number }> = {
  vite: { clip: '7_lucas_2', digit: 7 },
  webpack: { clip: '5_lucas_0', digit: 5 },
  importmap: { clip: '9_theo_4', digit: 9 },
};

/** What happened in the page, for the assertions and for a failure's message. */
interface Run extends PageOutcome {
  /** Every URL the page and its workers requested. */
  readonly requests: string[];
  /** Console errors and warnings of the page and its workers, uncaught errors, failed requests and HTTP errors. */
  readonly problems: string[];
  readonly ms: number;
}

/**
 * Opens `url` in `browser` (launched with the WAV as its microphone), waits for the element,
 * presses its Start button and waits for the first `digit` or `error` event (or `timeoutMs`).
 */
async function listen(browser: Browser, url: string, timeoutMs: number): Promise<Run> {
  const started = Date.now();
  const page: Page = await browser.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  // Chromium reports the workers' console messages on the page too.
  page.on('console', (m) => void ((m.type() === 'error' || m.type() === 'warning') && problems.push(`console.${m.type()} (${m.location().url}): ${m.text()}`)));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => void (r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`)));
  await page.addInitScript(RECORD_EVENTS_SCRIPT);
  await page.goto(url);
  const outcome = async (): Promise<Run> => ({ ...(await page.evaluate<PageOutcome>(READ_OUTCOME_SCRIPT)), requests, problems, ms: Date.now() - started });
  try {
    await page.waitForFunction(() => customElements.get('digit-listener') && document.querySelector('digit-listener'), undefined, { timeout: 15_000 });
    await page.locator('digit-listener').getByRole('button', { name: 'Start' }).click({ timeout: 5_000 });
    await page.waitForFunction(
      () => (window as unknown as { __digitListenerEvents: { type: string }[] }).__digitListenerEvents.some((e) => e.type === 'digit' || e.type === 'error'),
      undefined,
      { timeout: timeoutMs },
    );
  } catch (error) {
    problems.push(`test: ${(error as Error).message.split('\n')[0]}`);
  }
  return outcome();
}

/** A run's story for a failure message. */
function report(name: string, run: Run): string {
  return [`${name}: state ${run.state}, element message: ${JSON.stringify(run.message)}`, `events: ${JSON.stringify(run.events)}`, ...run.problems].join('\n  ');
}

describe.skipIf(!chromiumPath)('zero-configuration installs of the packed package (Chromium)', () => {
  let consumers: Consumers;
  let wavDir: string;
  beforeAll(async () => {
    const setupStarted = Date.now();
    wavDir = mkdtempSync(join(tmpdir(), 'digit-consumers-wav-'));
    consumers = await buildConsumers();
    const { installMs, consumers: built } = consumers;
    console.log(
      `consumers: packed + installed + built in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s ` +
        `(npm install ${(installMs / 1000).toFixed(1)} s, vite build ${(built.vite.buildMs / 1000).toFixed(1)} s, webpack ${(built.webpack.buildMs / 1000).toFixed(1)} s)`,
    );
  }, 300_000);
  afterAll(() => rmSync(wavDir, { recursive: true, force: true }));

  /** The setup, failing the test with the build's output when it did not build. */
  function built(name: ConsumerName): Consumer {
    const consumer = consumers.consumers[name];
    if (consumer.error) throw new Error(`the ${name} app did not build:\n${consumer.error}`);
    return consumer;
  }

  /**
   * Serves the setup, plays its digit through the fake microphone, presses Start, and checks the
   * digit event, the element's state and that nothing came from another origin. Returns the run.
   */
  async function speaksItsDigit(consumer: Consumer): Promise<{ run: Run; fetched: string[] }> {
    const { clip, digit } = SPOKEN[consumer.name];
    const wav = join(wavDir, `${consumer.name}.wav`);
    writeMicWav(wav, clipSequence([clip], 0, 2), 48000);
    const served = await serveConsumer(consumer);
    const browser = await chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs(wav) });
    try {
      const run = await listen(browser, served.url, 25_000);
      console.log(`${consumer.name}: ${run.events.map((e) => `${e.type} ${JSON.stringify(e.detail)}`).join('; ') || 'no event'} after ${(run.ms / 1000).toFixed(1)} s`);
      const story = report(consumer.name, run);
      expect(
        run.events.filter((e) => e.type === 'error'),
        story,
      ).toEqual([]);
      expect(
        run.events.filter((e) => e.type === 'digit').map((e) => e.detail.digit),
        story,
      ).toEqual([digit]);
      expect(run.simd, story).toBe(true);
      // Not one file from another origin (a CDN) or missing.
      expect(
        run.requests.filter((url) => servedPath(served, url) === null && !/^(data|blob):/.test(url)),
        story,
      ).toEqual([]);
      expect(
        run.problems.filter((p) => p.startsWith('HTTP') || p.startsWith('request failed')),
        story,
      ).toEqual([]);
      const fetched = [...new Set(run.requests.map((url) => servedPath(served, url)).filter((p): p is string => p !== null))];
      // The recognizer's worker fetched a wasm binary and the model (the browser reports the worker's requests).
      expect(
        fetched.some((p) => p.endsWith('.wasm')),
        story,
      ).toBe(true);
      expect(
        fetched.some((p) => p.endsWith('.bin')),
        story,
      ).toBe(true);
      return { run, fetched };
    } finally {
      await browser.close();
      await served.close();
    }
  }

  /** A bundled app's output holds the package's model and wasm files, byte for byte (a soft check: the page runs anyway). */
  function expectRuntimeFilesEmitted(consumer: Consumer): void {
    const emitted = emittedRuntimeFiles(consumers, consumer);
    const missing = Object.entries(emitted)
      .filter(([, at]) => at === null)
      .map(([file]) => file);
    expect.soft(missing, `not emitted into the ${consumer.name} build: ${describeConsumer(consumers, consumer)}`).toEqual([]);
  }

  it('Vite app (`vite build`): the model and wasm files are in dist/, a spoken digit arrives; what it ships', async () => {
    const consumer = built('vite');
    expectRuntimeFilesEmitted(consumer);
    const { fetched } = await speaksItsDigit(consumer);
    const size = shippedSize(consumer.root);
    const session = sizeOf(consumer.root, fetched);
    console.log(`Vite app ships: all of dist/ ${formatSize(size.all)}; JavaScript ${formatSize(size.js)}; ` + `fetched by the page to recognize one digit: ${formatSize(session)}`);
  }, 120_000);

  it('webpack 5 app (webpack defaults): builds without a warning about the package, the model and wasm files are in dist/, a spoken digit arrives', async () => {
    const consumer = built('webpack');
    // Every warning but the size hints (tfjs' wasm binaries are larger than webpack's 244 KiB hint).
    const warnings = consumer.log.split(/\n(?=WARNING in )/).filter((w) => w.startsWith('WARNING in ') && !/asset size limit|performance recommendations/.test(w));
    expect.soft(warnings, "webpack's warnings about the package").toEqual([]);
    expectRuntimeFilesEmitted(consumer);
    await speaksItsDigit(consumer);
  }, 120_000);

  it('plain HTML page with an import map to node_modules/digit-listener/lib/: a spoken digit arrives', async () => {
    await speaksItsDigit(built('importmap'));
  }, 120_000);
});
