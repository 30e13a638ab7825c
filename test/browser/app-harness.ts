/**
 * What the browser tests of the app share: one production build per test run, `vite preview`
 * serving it, fake-microphone WAVs of FSDD clips, Chromium launched around a test, and a
 * listener that collects `digit` events.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildApp, previewApp } from '../../scripts/app-build';
import { clipSequence } from '../helpers/fsdd';
import { writeMicWav } from './chromium';

/** `detail` of a `digit` event as the tests collect it. */
export interface DigitDetail {
  digit: number;
  confidence: number;
  probabilities: number[];
  startMs: number;
  endMs: number;
  streamOriginAt: number;
  /** Page clock (performance.timeOrigin + now()) when the event arrived. */
  eventAt: number;
}

/**
 * Builds the app into dist/ once per test run (test/global-setup.ts names the run): later test
 * files of the same run reuse it.
 */
export async function buildAppOnce(): Promise<void> {
  const run = process.env.DIGIT_TEST_RUN ?? String(Date.now());
  const stamp = join('dist', '.test-run');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === run) return;
  await buildApp();
  writeFileSync(stamp, run);
}

/** Serves dist/ with `vite preview` on a free port. */
export const serveApp = (): ReturnType<typeof previewApp> => previewApp();

/**
 * Writes a fake-microphone WAV: 0.5 s silence, then the clips separated by `gap` s of silence
 * (one for all, or one per clip), converted from 8 kHz to `rate` by sox (an independent
 * resampler). Returns path and duration, s.
 */
export function makeMicWav(dir: string, name: string, clips: string[], rate: number, gap: number | number[] = 0.8): { path: string; seconds: number } {
  const path = join(dir, `${name}.wav`);
  return { path, seconds: writeMicWav(path, clipSequence(clips, gap, 1), rate) };
}

/** Serves the built app, launches Chromium at `executablePath` with `args`, runs `fn`, and always cleans up both. */
export async function withApp(
  executablePath: string,
  args: string[],
  fn: (app: { browser: Browser; url: string; closeServer: () => Promise<void> }) => Promise<void>,
): Promise<void> {
  const server = await serveApp();
  const launched = await chromium.launch({ executablePath, args });
  try {
    await fn({ browser: launched, url: server.url, closeServer: server.close });
  } finally {
    await launched.close();
    await server.close();
  }
}

/** Starts collecting `digit` events of the page's `<digit-listener>` into `window.digits`. */
export async function collectDigits(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { digits: unknown[] };
    w.digits = [];
    document
      .querySelector('digit-listener')!
      .addEventListener('digit', (e) => w.digits.push({ ...(e as CustomEvent).detail, eventAt: performance.timeOrigin + performance.now() }));
  });
}

/** Waits until `count` `digit` events were collected (see {@link collectDigits}). */
export async function waitForDigits(page: Page, count: number, timeoutMs = 20_000): Promise<void> {
  await page.waitForFunction((n) => (window as unknown as { digits: unknown[] }).digits.length >= n, count, { timeout: timeoutMs });
}

/** The `digit` events collected so far (see {@link collectDigits}). */
export function collectedDigits(page: Page): Promise<DigitDetail[]> {
  return page.evaluate(() => (window as unknown as { digits: DigitDetail[] }).digits);
}

/**
 * Starts listening (clicks `button`, or presses Space on the focused one when `button` is
 * 'Space') and collects `digit` events until `count` arrived or `timeoutMs` passed, then 1.5 s
 * more to catch digits that should not be there.
 */
export async function listen(page: Page, count: number, timeoutMs: number, button = 'Start'): Promise<DigitDetail[]> {
  await collectDigits(page);
  if (button === 'Space') await page.keyboard.press('Space');
  else await page.locator('digit-listener').getByRole('button', { name: button }).click();
  await page.waitForFunction((n) => (window as unknown as { digits: unknown[] }).digits.length >= n, count, { timeout: timeoutMs }).catch(() => undefined);
  await page.waitForTimeout(1500);
  return collectedDigits(page);
}
