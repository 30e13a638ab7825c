/**
 * `<digit-listener>` given a model it cannot use (issue 6, "bad models"): a missing URL (404), a
 * truncated weights file, a cut model.json, a head of the wrong input shape and one that states
 * another frontend than its encoder's. Each element shows "model could not be loaded" with the URL, fires `error`
 * with code `model-failed`, and the page keeps working: another element with the good model
 * recognizes a spoken digit, and so does a failed element once pointed at a good model (Try again).
 *
 * The package is built (vite.lib.config.ts) into a temp folder and served with the bad models
 * beside it, in headless Chromium with a fake microphone.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipSequence } from '../helpers/fsdd';
import { readModelJson } from '../helpers/model-json';
import { chromiumArgs, findChromium, writeMicWav } from './chromium';
import { serveStatic } from './static-server';

const ROOT = resolve(import.meta.dirname, '../..');
const MODEL = join(ROOT, 'models/default');
const chromiumPath = findChromium();

/** The bad models served under `bad/`, by element id; `missing` has no files at all. */
const BAD = ['missing', 'truncated-weights', 'truncated-json', 'wrong-shape', 'other-frontend', 'truncated-strings'] as const;
/** What the message must say after the URL, per bad model. */
const PROBLEM: Record<(typeof BAD)[number], RegExp> = {
  missing: /failed with status code 404/,
  // Named as such (src/model/weights-check.ts), not as a tensor-shape error from inside tfjs.
  'truncated-weights': new RegExp(
    `^weights are 1000 bytes but the manifest in model.json describes ${statSync(join(MODEL, 'weights.bin')).size} bytes \\(a truncated or wrong weights file\\)$`,
  ),
  'truncated-json': /Failed to parse model JSON/,
  'wrong-shape': /input shape \[, 7, 96\] does not match its metadata's \[, 12, 96\]/,
  'other-frontend': /its frontend is not its encoder's \(melBins: head 64, encoder 32\)/,
  // A good word model beside a broken string model (strings/): named by the string model's URL.
  'truncated-strings': new RegExp(`^weights are 1000 bytes but the manifest in model.json describes ${statSync(join(MODEL, 'strings/weights.bin')).size} bytes`),
};
/** The URL an element's failure names: the string model's for `truncated-strings`. */
const failedUrl = (base: string, id: (typeof BAD)[number]) => `${base}bad/${id}/${id === 'truncated-strings' ? 'strings/' : ''}model.json`;

/** Writes `bad/<name>/` beside the package: the shipped model with one thing broken. */
function writeBadModels(root: string): void {
  const json = () => readModelJson(join(MODEL, 'model.json'));
  const write = (name: string, modelJson: string, weights = readFileSync(join(MODEL, 'weights.bin'))) => {
    mkdirSync(join(root, 'bad', name), { recursive: true });
    writeFileSync(join(root, 'bad', name, 'model.json'), modelJson);
    writeFileSync(join(root, 'bad', name, 'weights.bin'), weights);
  };
  write('truncated-weights', JSON.stringify(json()), readFileSync(join(MODEL, 'weights.bin')).subarray(0, 1000));
  const text = JSON.stringify(json());
  write('truncated-json', text.slice(0, Math.floor(text.length / 2)));
  const shape = json();
  shape.modelTopology.config.layers[0].config.batch_input_shape = [null, 7, 96];
  write('wrong-shape', JSON.stringify(shape));
  const frontend = json();
  frontend.userDefinedMetadata.digitListener.frontend.melBins = 64;
  write('other-frontend', JSON.stringify(frontend));
  write('truncated-strings', JSON.stringify(json()));
  mkdirSync(join(root, 'bad/truncated-strings/strings'));
  writeFileSync(join(root, 'bad/truncated-strings/strings/model.json'), readFileSync(join(MODEL, 'strings/model.json')));
  writeFileSync(join(root, 'bad/truncated-strings/strings/weights.bin'), readFileSync(join(MODEL, 'strings/weights.bin')).subarray(0, 1000));
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bad models</title>
<script type="module" src="./lib/digit-listener.js"></script></head>
<body>
${BAD.map((b) => `<digit-listener id="${b}" model-src="bad/${b}/model.json"></digit-listener>`).join('\n')}
<digit-listener id="good"></digit-listener>
<script>
  window.events = [];
  for (const el of document.querySelectorAll('digit-listener')) {
    for (const type of ['error', 'digit']) el.addEventListener(type, (e) => window.events.push({ id: el.id, type, detail: e.detail }));
  }
</script>
</body></html>`;

interface Recorded {
  id: string;
  type: 'error' | 'digit';
  detail: { code?: string; message?: string; digit?: number; confidence?: number };
}

describe.skipIf(!chromiumPath)('<digit-listener> with a bad model', () => {
  let dir: string;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'digit-bad-model-'));
    // The package, built as `npm run build:lib` does, into the served folder (lib/ stays untouched).
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(ROOT, 'vite.lib.config.ts'), root: ROOT, logLevel: 'warn', build: { outDir: join(dir, 'lib'), emptyOutDir: true } });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    writeBadModels(dir);
    writeFileSync(join(dir, 'index.html'), PAGE);
    copyFileSync(join(MODEL, 'model.json'), join(dir, 'good-model.json')); // a good model at another URL
    copyFileSync(join(MODEL, 'weights.bin'), join(dir, 'weights.bin'));
    server = await serveStatic(dir);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Launches Chromium whose fake microphone says `clip` once, opens the page, runs `fn`. */
  async function withPage(clip: string, fn: (page: Page, pageErrors: string[]) => Promise<void>): Promise<void> {
    const wav = join(dir, `${clip}.wav`);
    writeMicWav(wav, clipSequence([clip], 0.5, 2), 48000);
    const browser = await chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs(wav) });
    try {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`${server.url}index.html`);
      await page.waitForFunction(() => customElements.get('digit-listener'));
      await fn(page, pageErrors);
    } finally {
      await browser.close();
    }
  }

  const events = (page: Page) => page.evaluate(() => (window as unknown as { events: Recorded[] }).events);
  const button = (page: Page, id: string) => page.locator(`#${id}`).getByRole('button');
  const state = (page: Page, id: string) => page.locator(`#${id}`).getAttribute('state');

  /** Asserts element `id` failed on `url` with `problem`: shown text, state, button, one `error` event. */
  async function expectModelFailure(page: Page, id: string, url: string, problem: RegExp): Promise<void> {
    await expect.poll(() => state(page, id), { timeout: 20_000 }).toBe('error');
    const shown = ((await page.locator(`#${id} [role=alert]`).textContent()) ?? '').trim();
    const prefix = `model could not be loaded from ${url}: `;
    expect(shown.startsWith(prefix), shown).toBe(true);
    // The problem, then the attribute that points the element at a model.
    const hint = '. Check the `modelUrl` option (the `model-src` attribute of <digit-listener>): it must be the URL of a model.json this page can fetch.';
    expect(shown.endsWith(hint), shown).toBe(true);
    expect(shown.slice(prefix.length, -hint.length)).toMatch(problem);
    expect(await button(page, id).textContent()).toMatch(/Try again/);
    const errors = (await events(page)).filter((e) => e.id === id && e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].detail.code).toBe('model-failed');
    expect(errors[0].detail.message).toBe(shown);
  }

  it('each bad model: "model could not be loaded" with its URL and an error event; a good element on the page still recognizes', async () => {
    await withPage('4_george_0', async (page, pageErrors) => {
      for (const id of BAD) await button(page, id).click();
      for (const id of BAD) await expectModelFailure(page, id, failedUrl(server.url, id), PROBLEM[id]);
      // The page keeps working: the element with the shipped model hears the fake microphone.
      await button(page, 'good').click();
      await expect.poll(async () => (await events(page)).filter((e) => e.type === 'digit'), { timeout: 30_000 }).toHaveLength(1);
      const digit = (await events(page)).find((e) => e.type === 'digit')!;
      expect(digit).toMatchObject({ id: 'good', detail: { digit: 4 } });
      expect((await events(page)).filter((e) => e.type === 'error')).toHaveLength(BAD.length);
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);

  it('after a model failure, pointing the element at a good model and pressing Try again recognizes', async () => {
    await withPage('9_theo_4', async (page, pageErrors) => {
      await button(page, 'truncated-weights').click();
      await expectModelFailure(page, 'truncated-weights', `${server.url}bad/truncated-weights/model.json`, PROBLEM['truncated-weights']);
      await page.locator('#truncated-weights').evaluate((el) => el.setAttribute('model-src', 'good-model.json'));
      await button(page, 'truncated-weights').click();
      await expect.poll(async () => (await events(page)).filter((e) => e.type === 'digit'), { timeout: 30_000 }).toHaveLength(1);
      expect((await events(page)).find((e) => e.type === 'digit')).toMatchObject({ id: 'truncated-weights', detail: { digit: 9 } });
      expect(await page.locator('#truncated-weights [role=alert]').count()).toBe(0); // the old message is gone
      expect(pageErrors).toEqual([]);
    });
  }, 120_000);
});
