/**
 * Reliability in headless Chromium against the production build: microphone faults, audio the
 * browser suspends, leaving the page, privacy (no network while listening, nothing stored) and
 * the Content-Security-Policy. Faults Chromium cannot produce on demand (a getUserMedia error
 * other than a denial, a suspended AudioContext) are injected by an init script that wraps the
 * real APIs; everything else is the real product path with a fake microphone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipSequence } from '../helpers/fsdd';
import { buildAppOnce, collectDigits, collectedDigits, makeMicWav, waitForDigits, withApp } from './app-harness';
import { chromiumArgs, findChromium, writeMicWav } from './chromium';

const chromiumPath = findChromium();

/**
 * Test instrumentation, run before the page's scripts: keeps every stream and AudioContext the
 * page opens (`__streams`, `__contexts`) and makes getUserMedia fail with `__failGetUserMedia`
 * ({name, message}) while it is set.
 */
const INSTRUMENT = `
  window.__streams = [];
  window.__contexts = [];
  window.__failGetUserMedia = null;
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const fail = window.__failGetUserMedia;
    if (fail) throw fail.name === 'TypeError' ? new TypeError(fail.message) : new DOMException(fail.message, fail.name);
    const stream = await realGetUserMedia(constraints);
    window.__streams.push(stream);
    return stream;
  };
  // With __autoplayBlocked, an AudioContext behaves as under a strict autoplay policy (Safari,
  // iOS): it starts suspended, and resume() takes effect only after a user gesture (a pointer or
  // key press) seen since the context was made.
  window.__autoplayBlocked = false;
  let lastGestureAt = -1;
  for (const type of ['pointerdown', 'keydown']) addEventListener(type, () => (lastGestureAt = performance.now()), true);
  const RealAudioContext = window.AudioContext;
  window.AudioContext = class extends RealAudioContext {
    constructor(options) {
      super(options);
      window.__contexts.push(this);
      if (!window.__autoplayBlocked) return;
      this.madeAt = performance.now();
      this.allowed = false;
      // Chromium starts a context by itself once created; hold it until a gesture allows it.
      this.addEventListener('statechange', () => { if (this.state === 'running' && !this.allowed) super.suspend(); });
      super.suspend();
    }
    resume() {
      if (!window.__autoplayBlocked) return super.resume();
      if (lastGestureAt < this.madeAt) return new Promise(() => {});
      this.allowed = true;
      return super.resume();
    }
  };
`;

interface ErrorDetail {
  code: string;
  message: string;
}

/** Collects `error` and `listening-change` events into `window.errors` / `window.changes`. */
async function collectEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { errors: unknown[]; changes: boolean[] };
    w.errors = [];
    w.changes = [];
    const el = document.querySelector('digit-listener')!;
    el.addEventListener('error', (e) => w.errors.push((e as unknown as CustomEvent).detail));
    el.addEventListener('listening-change', (e) => w.changes.push((e as CustomEvent<{ listening: boolean }>).detail.listening));
  });
}

/** A new page of the app with the instrumentation, collecting digits, errors and listening changes. */
async function openApp(browser: Browser, url: string): Promise<{ page: Page; element: Locator }> {
  const page = await browser.newPage();
  await page.addInitScript(INSTRUMENT);
  await page.goto(url);
  await collectEvents(page);
  await collectDigits(page);
  return { page, element: page.locator('digit-listener') };
}

const errorsOf = (page: Page) => page.evaluate(() => (window as unknown as { errors: ErrorDetail[] }).errors);
const changesOf = (page: Page) => page.evaluate(() => (window as unknown as { changes: boolean[] }).changes);
const digitsOf = async (page: Page) => (await collectedDigits(page)).map((d) => d.digit);

describe.skipIf(!chromiumPath)('reliability of <digit-listener> in headless Chromium', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'digit-reliability-'));
    await buildAppOnce();
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('getUserMedia failures: a clear state, message and error code each, and a retry that works once the cause is gone', async () => {
    const mic = makeMicWav(dir, 'faults', ['7_george_1'], 48000);
    await withApp(chromiumPath!, chromiumArgs(mic.path), async ({ browser, url }) => {
      const { page, element } = await openApp(browser, url);
      const cases = [
        { name: 'NotFoundError', code: 'no-device', text: /No microphone was found/ },
        { name: 'NotReadableError', code: 'device-busy', text: /could not be read/ },
        { name: 'OverconstrainedError', code: 'no-device', text: /No microphone was found/ },
        { name: 'TypeError', code: 'unknown', text: /could not be opened: injected TypeError/ },
      ];
      for (const [i, c] of cases.entries()) {
        await page.evaluate((name) => ((window as unknown as { __failGetUserMedia: unknown }).__failGetUserMedia = { name, message: `injected ${name}` }), c.name);
        await element.getByRole('button', { name: i === 0 ? 'Start' : 'Try again' }).click();
        await expect.poll(() => element.getAttribute('state')).toBe('error');
        await expect.poll(() => element.getByRole('alert').textContent()).toMatch(c.text);
        expect((await errorsOf(page)).at(-1)).toMatchObject({ code: c.code, message: expect.stringMatching(c.text) as string });
      }
      expect(await errorsOf(page)).toHaveLength(cases.length);
      expect(await changesOf(page)).toEqual([]); // never listening
      // The cause is gone: Try again opens the microphone and recognizes.
      await page.evaluate(() => ((window as unknown as { __failGetUserMedia: unknown }).__failGetUserMedia = null));
      await element.getByRole('button', { name: 'Try again' }).click();
      await waitForDigits(page, 1);
      expect(await digitsOf(page)).toEqual([7]);
      expect(await element.getAttribute('state')).toMatch(/listening|speech/);
    });
  }, 120_000);

  it('no input device at all: says so with the no-device code', async () => {
    // Chromium without a fake capture device, on a machine without sound cards.
    const args = chromiumArgs().concat('--use-fake-ui-for-media-stream');
    await withApp(chromiumPath!, args, async ({ browser, url }) => {
      const page = await browser.newPage();
      await page.goto(url);
      await collectEvents(page);
      const element = page.locator('digit-listener');
      await element.getByRole('button', { name: 'Start' }).click();
      await expect.poll(() => element.getAttribute('state')).toBe('error');
      expect(await errorsOf(page)).toEqual([{ code: 'no-device', message: expect.stringMatching(/No microphone was found/) as string }]);
    });
  }, 120_000);
  it('a microphone that goes away mid-stream (track ended): says so, fires device-lost, and a retry listens again', async () => {
    const mic = makeMicWav(dir, 'unplug', ['7_george_1', '3_theo_0'], 48000, [3, 1]);
    await withApp(chromiumPath!, chromiumArgs(mic.path), async ({ browser, url }) => {
      const { page, element } = await openApp(browser, url);
      await element.getByRole('button', { name: 'Start' }).click();
      await waitForDigits(page, 1);
      // Unplugged: the track ends (stop() fires no `ended` event: the element must notice anyway).
      await page.evaluate(() => (window as unknown as { __streams: MediaStream[] }).__streams[0].getAudioTracks()[0].stop());
      await expect.poll(() => element.getAttribute('state'), { timeout: 3000 }).toBe('error');
      await expect.poll(() => element.getByRole('alert').textContent()).toMatch(/microphone.*stopped.*unplugged/i);
      expect(await errorsOf(page)).toEqual([{ code: 'device-lost', message: expect.stringMatching(/stopped/) as string }]);
      expect(await changesOf(page)).toEqual([true, false]);
      expect(await digitsOf(page)).toEqual([7]);
      // Plugged back in: a new track (the fake device plays its file from the start again).
      await element.getByRole('button', { name: 'Try again' }).click();
      await expect.poll(() => element.getAttribute('state')).toMatch(/listening|speech/);
      await waitForDigits(page, 2);
      expect(await digitsOf(page)).toEqual([7, 7]);
      expect(await changesOf(page)).toEqual([true, false, true]);
    });
  }, 120_000);
  it('an AudioContext that starts suspended (autoplay rules) waits for the user, then resumes on their gesture', async () => {
    const path = join(dir, 'autoplay.wav');
    writeMicWav(path, clipSequence(['7_george_1'], 1, 1, 5), 48000); // the word 5 s in
    await withApp(chromiumPath!, chromiumArgs(path), async ({ browser, url }) => {
      const page = await browser.newPage();
      await page.addInitScript(INSTRUMENT);
      // A page that starts listening on load, before any gesture (Playwright's own evaluate
      // calls count as one, so the page does it itself).
      await page.addInitScript(`window.__autoplayBlocked = true;
        addEventListener('load', () => setTimeout(() => document.querySelector('digit-listener').start(), 100));`);
      await page.goto(url);
      const element = page.locator('digit-listener');
      await expect.poll(() => element.getAttribute('state'), { timeout: 10_000 }).toBe('paused');
      await expect.poll(() => element.getByRole('alert').textContent()).toMatch(/holding the audio until you press Resume/);
      await collectEvents(page);
      await collectDigits(page);
      await element.getByRole('button', { name: 'Resume' }).click();
      await expect.poll(() => element.getAttribute('state')).toMatch(/listening|speech/);
      expect(await page.evaluate(() => (window as unknown as { __contexts: AudioContext[] }).__contexts.map((c) => c.state))).toEqual(['running']);
      await waitForDigits(page, 1);
      expect(await digitsOf(page)).toEqual([7]);
      expect(await changesOf(page)).toEqual([true]);
    });
  }, 120_000);
  it('audio suspended by the browser mid-session (screen lock): says paused, resumes when the page is back, nothing lost or doubled', async () => {
    const mic = makeMicWav(dir, 'suspend', ['7_george_1', '3_theo_0', '8_lucas_1'], 48000, [4, 1, 1]);
    await withApp(chromiumPath!, chromiumArgs(mic.path), async ({ browser, url }) => {
      const { page, element } = await openApp(browser, url);
      await element.getByRole('button', { name: 'Start' }).click();
      await waitForDigits(page, 1);
      // In the 4 s pause after the first word the browser suspends the audio ...
      await page.evaluate(() => (window as unknown as { __contexts: AudioContext[] }).__contexts[0].suspend());
      await expect.poll(() => element.getAttribute('state')).toBe('paused');
      await expect.poll(() => element.getByRole('alert').textContent()).toMatch(/paused the audio/);
      expect(await element.getByRole('button', { name: 'Resume' }).count()).toBe(1);
      await page.waitForTimeout(1000);
      // ... and the page comes back (screen unlocked): listening resumes by itself.
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      await expect.poll(() => element.getAttribute('state')).toMatch(/listening|speech/);
      await waitForDigits(page, 3);
      await page.waitForTimeout(1500);
      expect(await digitsOf(page)).toEqual([7, 3, 8]);
      expect(await changesOf(page)).toEqual([true, false, true]);
      expect(await errorsOf(page)).toEqual([]);
    });
  }, 120_000);

  it('leaving the page (pagehide, back/forward cache): lets the microphone go, says it stopped, and starts again on return', async () => {
    const mic = makeMicWav(dir, 'pagehide', ['7_george_1'], 48000, 1);
    await withApp(chromiumPath!, chromiumArgs(mic.path), async ({ browser, url }) => {
      const { page, element } = await openApp(browser, url);
      await element.getByRole('button', { name: 'Start' }).click();
      await expect.poll(() => element.getAttribute('state'), { timeout: 15_000 }).toMatch(/listening|speech/);
      await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
      await expect.poll(() => element.getAttribute('state')).toBe('idle');
      await expect.poll(() => element.getByRole('alert').textContent()).toMatch(/stopped when the page was hidden/);
      const track = () => page.evaluate(() => (window as unknown as { __streams: MediaStream[] }).__streams[0].getAudioTracks()[0].readyState);
      expect(await track()).toBe('ended'); // the microphone is released
      await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
      await element.getByRole('button', { name: 'Start' }).click();
      await waitForDigits(page, 1);
      expect(await digitsOf(page)).toEqual([7]);
      expect(await changesOf(page)).toEqual([true, false, true]);
    });
  }, 120_000);
});
