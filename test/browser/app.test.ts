/**
 * End-to-end tests in headless Chromium against the production build: a fake microphone plays a
 * 48 kHz WAV of FSDD test clips and `<digit-listener>` must emit exactly those digits; then the
 * app is reloaded offline from its service worker and must still recognize.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { createServer } from 'vite';
import { StreamingPipeline } from '../../src/pipeline/streaming-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concat, fsddClip } from '../helpers/fsdd';
import { axeViolations } from './axe';
import { buildAppOnce, collectDigits, listen, makeMicWav, serveApp, waitForDigits, withApp as withAppIn } from './app-harness';
import { chromiumArgs, findChromium, writeMicWav } from './chromium';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('<digit-listener> in headless Chromium (production build)', () => {
  let dir: string;
  let browser: Browser | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'digit-browser-'));
    await buildAppOnce();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const withApp = (args: string[], fn: Parameters<typeof withAppIn>[2]) => withAppIn(chromiumPath!, args, fn);

  it('emits exactly the spoken digits, in order, from a 48 kHz fake microphone, on wasm SIMD', async () => {
    const clips = ['4_george_0', '1_jackson_1', '7_lucas_2', '0_nicolas_3', '9_theo_4', '3_yweweler_0', '6_jackson_2', '2_george_4'];
    const mic = makeMicWav(dir, 'digits', clips, 48000);
    await withApp(chromiumArgs(mic.path), async ({ browser, url }) => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      const digits = await listen(page, clips.length, (mic.seconds + 15) * 1000);
      expect(digits.map((d) => d.digit)).toEqual(clips.map((c) => Number(c[0])));
      for (const d of digits) {
        expect(d.confidence).toBeGreaterThan(0.5);
        expect(d.probabilities).toHaveLength(11); // ten digits and "other"
        expect(d.endMs).toBeGreaterThan(d.startMs);
      }
      // Onsets ~0.8 s + clip length apart, in stream time.
      for (let i = 1; i < digits.length; i++) expect(digits[i].startMs).toBeGreaterThan(digits[i - 1].endMs + 500);
      // The capture clock in each event puts the end of the word before the event, by at least
      // the gate's hangover (100 ms) and by well under a second (`npm run bench` measures it).
      for (const d of digits) {
        const latency = d.eventAt - (d.streamOriginAt + d.endMs);
        expect(latency).toBeGreaterThan(80);
        expect(latency).toBeLessThan(1000);
      }
      // Served with COOP/COEP: cross-origin isolated, so tfjs could use threads (it is told not to).
      expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
      const backend = await page.evaluate(() => (document.querySelector('digit-listener') as unknown as { backend: unknown }).backend);
      expect(backend).toMatchObject({ backend: 'wasm', simd: true });
      // The element shows the last digit and announces it.
      const shown = await page.locator('digit-listener').locator('[part=digit]').textContent();
      expect(shown?.trim()).toBe(String(digits.at(-1)!.digit));
      // The live region announced each digit; the app page is continuous, so after the pause
      // that ends the string it announces the whole string.
      await expect.poll(() => page.locator('digit-listener').locator('[aria-live]').textContent()).toMatch(/^Digits 4 1 7 0 9 3 6 2$/);
      expect(errors).toEqual([]);
      // Accessible while showing results, also in forced colours with reduced motion.
      expect(await axeViolations(page)).toEqual([]);
      await page.emulateMedia({ forcedColors: 'active', reducedMotion: 'reduce' });
      expect(await axeViolations(page)).toEqual([]);
    });
  }, 120_000);

  it('moves the level meter (drawn by the worker) while speech plays, and shows the confidence with one decimal', async () => {
    const clips = ['5_jackson_0', '8_theo_1'];
    const mic = makeMicWav(dir, 'meter', clips, 48000);
    await withApp(chromiumArgs(mic.path), async ({ browser, url }) => {
      const page = await browser.newPage();
      await page.goto(url);
      const level = page.locator('digit-listener').locator('[part=level]');
      expect(await level.locator('canvas').count()).toBe(0); // idle: an empty meter
      // The recognizer's worker draws the meter on a canvas it was handed: read the pixels the
      // page shows (the placeholder canvas's frame), the share of the width drawn in the level's colour.
      const width = () =>
        level.evaluate(async (box) => {
          const canvas = box.querySelector('canvas');
          if (!canvas) return 0;
          const frame = await createImageBitmap(canvas);
          const copy = new OffscreenCanvas(frame.width, frame.height).getContext('2d')!;
          copy.drawImage(frame, 0, 0);
          const row = copy.getImageData(0, Math.floor(frame.height / 2), frame.width, 1).data;
          const track = getComputedStyle(box).backgroundColor.match(/\d+/g)!.map(Number);
          let drawn = 0;
          for (let x = 0; x < frame.width; x++) if (row[4 * x + 3] > 0 && [0, 1, 2].some((c) => Math.abs(row[4 * x + c] - track[c]) > 8)) drawn++;
          return drawn / frame.width;
        });
      await collectDigits(page);
      await page.locator('digit-listener').getByRole('button', { name: 'Start' }).click();
      // The bar grows while the words play.
      let widest = 0;
      for (let i = 0; i < 40 && widest === 0; i++) {
        widest = Math.max(widest, await width());
        await page.waitForTimeout(100);
      }
      expect(widest).toBeGreaterThan(0);
      await waitForDigits(page, 1, (mic.seconds + 10) * 1000);
      expect(await page.locator('digit-listener').locator('[part=confidence]').textContent()).toMatch(/^confidence \d{1,3}\.\d %$/);
      // Stopped: the worker's canvas goes, the meter is empty again.
      await page.locator('digit-listener').getByRole('button', { name: 'Stop' }).click();
      await expect.poll(() => level.locator('canvas').count()).toBe(0);
    });
  }, 120_000);

  it('links one web manifest; the card keeps its size when a remark appears or a string grows long; no placeholder digit', async () => {
    const built = readFileSync(join(import.meta.dirname, '../../dist/index.html'), 'utf8');
    expect(built.match(/<link rel="manifest"/g)).toHaveLength(1);
    const mic = makeMicWav(dir, 'remark', ['3_george_2'], 48000);
    await withApp(chromiumArgs(mic.path), async ({ browser, url }) => {
      const page = await browser.newPage();
      await page.goto(url);
      const element = page.locator('digit-listener');
      expect(((await element.locator('[part=digit]').textContent()) ?? '').trim()).toBe('');
      await element.getByRole('button', { name: 'Start' }).click();
      await expect.poll(() => element.getAttribute('state')).toMatch(/listening|speech/);
      const buttonTop = () => element.getByRole('button', { name: 'Stop' }).evaluate((el) => el.getBoundingClientRect().top);
      const before = await buttonTop();
      // A rejected utterance's remark, as the worker's 'rejected' message sets it.
      await element.evaluate((el) => ((el as unknown as { remark: string }).remark = 'That did not sound like a digit.'));
      await expect.poll(() => element.locator('[part=remark]').textContent()).toBe('That did not sound like a digit.');
      expect(await buttonTop()).toBe(before);
      // A long spoken string wraps inside the card: the card (and all in it) does not widen.
      const cardWidth = () => element.locator('.card').evaluate((el) => el.getBoundingClientRect().width);
      const width = await cardWidth();
      await element.evaluate((el) => ((el as unknown as { value: string }).value = '4'.repeat(24)));
      await expect.poll(() => element.locator('[part=digits]').textContent()).toBe('4'.repeat(24));
      expect(await cardWidth()).toBe(width);
    });
  }, 120_000);

  it('reloads offline from the service worker and still recognizes', async () => {
    // This test is about working offline, not accuracy (that is the CLI test's job): two test
    // clips the shipped model recognizes with high confidence through the CLI at 44.1 kHz.
    const clips = ['3_nicolas_2', '8_george_1'];
    const mic = makeMicWav(dir, 'offline', clips, 44100);
    await withApp(chromiumArgs(mic.path), async ({ browser, url, closeServer }) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.reload(); // now controlled by the service worker
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await closeServer(); // the origin is gone ...
      await context.setOffline(true); // ... and so is the network
      await page.reload();
      await page.locator('digit-listener').waitFor({ state: 'attached' });
      const digits = await listen(page, clips.length, (mic.seconds + 15) * 1000);
      expect(digits.map((d) => d.digit)).toEqual(clips.map((c) => Number(c[0])));
    });
  }, 120_000);

  it('computes the same features in the browser as in Node (one frontend, two runtimes)', async () => {
    // The Vite dev server serves src/ as modules: the page imports the very file the trainer uses.
    const server = await createServer({ logLevel: 'warn', server: { port: 0, host: '127.0.0.1' }, configFile: false });
    await server.listen();
    browser = await chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs() });
    try {
      const page = await browser.newPage();
      await page.goto(server.resolvedUrls!.local[0]);
      await page.addScriptTag({
        type: 'module',
        content: "import { StreamingPipeline } from '/src/pipeline/streaming-pipeline.ts'; window.StreamingPipeline = StreamingPipeline;",
      });
      await page.waitForFunction(() => 'StreamingPipeline' in window);
      const clips = ['3_jackson_0', '7_yweweler_2'];
      for (const name of clips) {
        const { samples } = fsddClip(name);
        // 44.1 kHz input exercises the resampler too; chunked differently on each side.
        const input = Float32Array.from({ length: Math.floor((samples.length * 44100) / 8000) }, (_, i) => samples[Math.floor((i * 8000) / 44100)]);
        const padded = concat(new Float32Array(22050), input, new Float32Array(22050));
        const node = new StreamingPipeline(44100);
        const nodeWindows = [...node.push(padded).windows, ...node.flush().windows];
        const browserWindows = await page.evaluate((signal) => {
          const Pipeline = (window as unknown as { StreamingPipeline: typeof StreamingPipeline }).StreamingPipeline;
          const pipeline = new Pipeline(44100);
          const x = Float32Array.from(signal);
          const windows = [];
          for (let i = 0; i < x.length; i += 128) windows.push(...pipeline.push(x.subarray(i, i + 128)).windows);
          windows.push(...pipeline.flush().windows);
          return windows.map((w) => ({ startMs: w.startMs, endMs: w.endMs, features: Array.from(w.features) }));
        }, Array.from(padded));
        expect(browserWindows).toHaveLength(1);
        expect(nodeWindows).toHaveLength(1);
        expect([browserWindows[0].startMs, browserWindows[0].endMs]).toEqual([nodeWindows[0].startMs, nodeWindows[0].endMs]);
        let maxDiff = 0;
        browserWindows[0].features.forEach((v: number, i: number) => (maxDiff = Math.max(maxDiff, Math.abs(v - nodeWindows[0].features[i]))));
        expect(maxDiff).toBeLessThan(1e-5);
      }
    } finally {
      await browser.close();
      browser = null;
      await server.close();
    }
  }, 120_000);

  it('shows a denied microphone in plain words and recovers on retry once allowed', async () => {
    const mic = makeMicWav(dir, 'denied', ['2_lucas_0'], 48000);
    await withApp(chromiumArgs(mic.path, false), async ({ browser, url }) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      const element = page.locator('digit-listener');
      await page.evaluate(() => {
        const w = window as unknown as { errors: unknown[] };
        w.errors = [];
        document.querySelector('digit-listener')!.addEventListener('error', (e) => w.errors.push((e as unknown as CustomEvent).detail));
      });
      await element.getByRole('button', { name: 'Start' }).click();
      await expect.poll(() => element.getAttribute('state')).toBe('denied');
      const errors = await page.evaluate(() => (window as unknown as { errors: { code: string; message: string }[] }).errors);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'permission-denied', message: expect.stringMatching(/denied/) as string });
      expect(await axeViolations(page)).toEqual([]); // the error state too
      await expect.poll(() => element.getByRole('alert').textContent()).toMatch(/Microphone access was denied/);
      await context.grantPermissions(['microphone']);
      const digits = await listen(page, 1, (mic.seconds + 15) * 1000, 'Try again');
      expect(digits.map((d) => d.digit)).toEqual([2]);
      expect(await element.getAttribute('state')).toMatch(/listening|speech/);
    });
  }, 120_000);

  it('continuous mode: groups spoken digit strings, ended by max-digits or by the pause after them', async () => {
    // Strings at natural speed, one speaker each: "4 1 7 2" with 50 / 100 / 300 ms gaps, 2 s of
    // silence, then "9 3 0" with 150 / 200 ms gaps.
    const clips = ['4_george_0', '1_george_3', '7_george_2', '2_george_4', '9_theo_4', '3_theo_0', '0_theo_2'];
    const mic = makeMicWav(dir, 'strings', clips, 48000, [0.05, 0.1, 0.3, 2.0, 0.15, 0.2, 2.0]);
    await withApp(chromiumArgs(mic.path), async ({ browser, url }) => {
      const page = await browser.newPage();
      await page.goto(url);
      await page.evaluate(() => {
        const w = window as unknown as { strings: unknown[]; changes: boolean[] };
        w.strings = [];
        w.changes = [];
        const el = document.querySelector('digit-listener')!;
        el.setAttribute('max-digits', '4');
        el.setAttribute('digits-timeout', '1000');
        el.addEventListener('digits', (e) => w.strings.push((e as CustomEvent).detail));
        // Composed and bubbling: seen on the document too.
        document.addEventListener('listening-change', (e) => w.changes.push((e as CustomEvent<{ listening: boolean }>).detail.listening));
      });
      const digits = await listen(page, clips.length, (mic.seconds + 15) * 1000);
      expect(digits.map((d) => d.digit)).toEqual([4, 1, 7, 2, 9, 3, 0]);
      const strings = await page.evaluate(() => (window as unknown as { strings: unknown[] }).strings);
      expect(strings).toEqual([
        { digits: '4172', reason: 'length' },
        { digits: '930', reason: 'pause' },
      ]);
      expect(await page.locator('digit-listener').locator('[part=digits]').textContent()).toBe('930');
      await page.locator('digit-listener').getByRole('button', { name: 'Stop' }).click();
      await expect.poll(() => page.evaluate(() => (window as unknown as { changes: boolean[] }).changes)).toEqual([true, false]);
    });
  }, 120_000);

  it('without continuous: reports one digit, then stops listening (started from the keyboard)', async () => {
    const mic = makeMicWav(dir, 'single', ['7_lucas_2', '2_george_4'], 48000);
    await withApp(chromiumArgs(mic.path), async ({ browser, url }) => {
      const page = await browser.newPage();
      await page.goto(url);
      await page.evaluate(() => document.querySelector('digit-listener')!.removeAttribute('continuous'));
      // Tab to the Start button (visible focus ring), Space starts.
      await page.keyboard.press('Tab');
      const focused = page.locator('digit-listener').getByRole('button', { name: 'Start' });
      await expect.poll(() => focused.evaluate((b) => b.matches(':focus-visible'))).toBe(true);
      expect(await focused.evaluate((b) => getComputedStyle(b).outlineStyle)).toBe('solid');
      const digits = await listen(page, 2, (mic.seconds + 5) * 1000, 'Space');
      expect(digits.map((d) => d.digit)).toEqual([7]);
      expect(await page.locator('digit-listener').getAttribute('state')).toBe('idle');
      // The digit stays announced (stopping after it does not talk over it).
      expect(await page.locator('digit-listener').locator('[aria-live]').textContent()).toMatch(/^7, seven, confidence \d+ percent$/);
      expect(await page.locator('digit-listener').getByRole('button', { name: 'Start' }).count()).toBe(1);
    });
  }, 120_000);

  it('forms: submits the spoken digits under its name, validates, resets, and types into a `for` input', async () => {
    const clips = ['4_george_0', '1_jackson_1', '7_lucas_2', '2_george_4'];
    const mic = makeMicWav(dir, 'form', clips, 48000, [0.3, 0.2, 0.3, 2.0]);
    await withApp(chromiumArgs(mic.path), async ({ browser, url }) => {
      const page = await browser.newPage();
      await page.goto(url);
      await page.evaluate(() => {
        document.querySelector('main')!.insertAdjacentHTML(
          'beforeend',
          `<form id="f"><fieldset id="fs"><legend>PIN</legend><digit-listener id="pin" name="pin" continuous required minlength="4" max-digits="4"></digit-listener></fieldset></form>
           <label for="phone">Phone</label><input id="phone"><digit-listener id="typer" for="phone" continuous digits-timeout="800"></digit-listener>`,
        );
        const w = window as unknown as { inputs: number; changes: number; strings: string[] };
        w.inputs = 0;
        w.changes = 0;
        w.strings = [];
        const phone = document.getElementById('phone')!;
        phone.addEventListener('input', () => w.inputs++);
        phone.addEventListener('change', () => w.changes++);
        document.getElementById('pin')!.addEventListener('digits', (e) => w.strings.push((e as CustomEvent<{ digits: string }>).detail.digits));
      });
      const state = () =>
        page.evaluate(() => {
          const form = document.getElementById('f') as HTMLFormElement;
          const pin = document.getElementById('pin') as HTMLElement & { value: string; validity: ValidityState };
          return { submitted: new FormData(form).get('pin'), valid: form.checkValidity(), missing: pin.validity.valueMissing, tooShort: pin.validity.tooShort, value: pin.value };
        });
      expect(await state()).toMatchObject({ valid: false, missing: true, value: '' });
      expect(await axeViolations(page)).toEqual([]);
      await page.locator('#pin').getByRole('button', { name: 'Start' }).click();
      await page.locator('#typer').getByRole('button', { name: 'Start' }).click();
      await page.waitForFunction(() => (window as unknown as { strings: string[] }).strings.length > 0, undefined, { timeout: (mic.seconds + 15) * 1000 });
      await page.waitForFunction(() => (window as unknown as { changes: number }).changes > 0, undefined, { timeout: 10_000 });
      expect(await page.evaluate(() => (window as unknown as { strings: string[] }).strings)).toEqual(['4172']);
      expect(await state()).toEqual({ submitted: '4172', valid: true, missing: false, tooShort: false, value: '4172' });
      // The `for` element typed into the input, one input event per digit, and submits nothing itself.
      expect(await page.locator('#phone').inputValue()).toBe('4172');
      expect(await page.evaluate(() => (window as unknown as { inputs: number }).inputs)).toBe(4);
      // Too short, then reset.
      await page.evaluate(() => ((document.getElementById('pin') as HTMLElement & { value: string }).value = '41'));
      expect(await state()).toMatchObject({ valid: false, tooShort: true, submitted: '41' });
      await page.evaluate(() => (document.getElementById('f') as HTMLFormElement).reset());
      expect(await state()).toMatchObject({ valid: false, missing: true, value: '', submitted: '' });
      // A disabled fieldset disables the element's controls, and re-enabling restores them.
      const start = page.locator('#pin').getByRole('button', { name: 'Start' });
      await page.evaluate(() => ((document.getElementById('fs') as HTMLFieldSetElement).disabled = true));
      await expect.poll(() => start.isDisabled()).toBe(true);
      await page.evaluate(() => ((document.getElementById('fs') as HTMLFieldSetElement).disabled = false));
      await expect.poll(() => start.isDisabled()).toBe(false);
    });
  }, 120_000);

  it('serves an installable manifest with 192 and 512 px icons, maskable too', async () => {
    const server = await serveApp();
    try {
      const manifest = (await (await fetch(new URL('manifest.webmanifest', server.url))).json()) as { icons: { src: string; sizes: string; purpose: string }[] };
      expect(manifest).toMatchObject({ name: 'Digit Listener', display: 'standalone' });
      const icons = manifest.icons;
      for (const size of ['192x192', '512x512']) {
        for (const purpose of ['any', 'maskable']) {
          const icon = icons.find((i) => i.sizes === size && i.purpose === purpose);
          expect(icon, `${size} ${purpose}`).toBeDefined();
          const png = new Uint8Array(await (await fetch(new URL(icon!.src, server.url))).arrayBuffer());
          // PNG signature, then IHDR width/height big-endian at bytes 16–23.
          expect(Array.from(png.slice(1, 4))).toEqual([0x50, 0x4e, 0x47]);
          const width = new DataView(png.buffer).getUint32(16);
          expect(`${width}x${new DataView(png.buffer).getUint32(20)}`).toBe(size);
        }
      }
    } finally {
      await server.close();
    }
  });

  it('reports no digit for a sound that is not speech, then the digit that follows', async () => {
    // A chord (0.6 s), then a spoken digit: only the digit may be reported.
    const rate = 8000;
    const chord = Float32Array.from(
      { length: rate * 0.6 },
      (_, i) => 0.1 * (Math.sin((2 * Math.PI * 220 * i) / rate) + Math.sin((2 * Math.PI * 277 * i) / rate) + Math.sin((2 * Math.PI * 330 * i) / rate)),
    );
    const path = join(dir, 'chord.wav');
    writeMicWav(path, concat(new Float32Array(4000), chord, new Float32Array(6400), fsddClip('3_nicolas_2').samples, new Float32Array(8000)), 48000);
    await withApp(chromiumArgs(path), async ({ browser, url }) => {
      const page = await browser.newPage();
      await page.goto(url);
      const digits = await listen(page, 1, 20_000);
      expect(digits.map((d) => d.digit)).toEqual([3]);
    });
  }, 120_000);
});
