/**
 * The headless `DigitRecognizer` from the built package (lib/recognizer.js), used by the
 * headless example page in Chromium: the microphone (fake, playing FSDD digits), a stream the
 * page already has, whole recordings, options changed while listening, pause/resume, and load
 * errors that name the URL and the option to set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipSequence, fsddClip } from '../helpers/fsdd';
import { builtLib } from '../helpers/packed';
import { findChromium, writeMicWav } from './chromium';
import { withHeadlessPage } from './headless-page';

const chromiumPath = findChromium();

/** What the page collects from the recognizer's events, in `window.seen`. */
interface Seen {
  digits: { digit: number; source: string }[];
  strings: { digits: string; reason: string }[];
  states: { state: string; reason?: string }[];
  levels: number[];
  rejected: { label: string; confidence: number }[];
  errors: { code: string; message: string }[];
}

/** The page's `window.recognizer` (a DigitRecognizer), as far as this test calls it. */
interface PageRecognizer {
  recognize(audio: Float32Array | AudioBuffer, sampleRate?: number): Promise<{ text: string; digits: { source: string }[] }>;
  setOptions(options: { modelUrl: string }): Promise<void>;
}

describe.skipIf(!chromiumPath)('headless DigitRecognizer (built package, Chromium)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'digit-headless-'));
    builtLib();
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Opens examples/headless/ with `clips` on the fake microphone (after `leadS` s of silence; none:
   * no microphone) and runs `fn`.
   */
  async function withPage(clips: { names: string[]; gaps: number[]; leadS?: number } | null, fn: (page: Page, url: string) => Promise<void>): Promise<void> {
    let wav: string | undefined;
    if (clips) {
      wav = join(dir, `${clips.names.join('-')}-${clips.leadS ?? 0.5}.wav`);
      writeMicWav(wav, clipSequence(clips.names, clips.gaps, 3, clips.leadS), 48000);
    }
    await withHeadlessPage(chromiumPath!, wav, async (page, url) => {
      await page.evaluate(() => {
        const w = window as unknown as { seen: Seen; recognizer: EventTarget & { digits: string } };
        w.seen = { digits: [], strings: [], states: [], levels: [], rejected: [], errors: [] };
        const on = (type: string, f: (d: never) => void) => w.recognizer.addEventListener(type, (e) => f((e as CustomEvent).detail as never));
        on('digit', (d: { digit: number; source: string }) => w.seen.digits.push({ digit: d.digit, source: d.source }));
        on('digits', (d: { digits: string; reason: string }) => w.seen.strings.push(d));
        on('state', (d: { state: string; reason?: string }) => w.seen.states.push({ state: d.state, reason: d.reason }));
        on('level', (d: { levelDb: number }) => w.seen.levels.push(d.levelDb));
        on('rejected', (d: { label: string; confidence: number }) => w.seen.rejected.push(d));
        on('error', (d: { code: string; message: string }) => w.seen.errors.push(d));
      });
      await fn(page, url);
    });
  }

  const seen = (page: Page): Promise<Seen> => page.evaluate(() => (window as unknown as { seen: Seen }).seen);

  it('listens to the microphone: typed events, a string ended by a pause, a threshold and a pause that apply while listening', async () => {
    // "4 1" as a number, a pause, then "7" — heard after the threshold was raised to 1.
    await withPage({ names: ['4_george_0', '1_jackson_1', '7_lucas_2'], gaps: [0.6, 3.5] }, async (page) => {
      const backend = await page.evaluate(async () => {
        const r = (window as unknown as { recognizer: { load(): Promise<unknown> } }).recognizer;
        return r.load();
      });
      expect(backend).toMatchObject({ backend: 'wasm', simd: true, strings: true });
      await page.locator('#start').click();
      await page.waitForFunction(() => (window as unknown as { seen: Seen }).seen.strings.length >= 1, undefined, { timeout: 20_000 });
      let s = await seen(page);
      expect(s.strings[0]).toEqual({ digits: '41', reason: 'pause' });
      expect(s.digits.map((d) => d.digit)).toEqual([4, 1]);
      expect(await page.locator('#digits').textContent()).toBe('41');
      expect(s.states.map((x) => x.state).slice(0, 3)).toEqual(['loading', 'listening', 'speech']);
      expect(Math.max(...s.levels)).toBeGreaterThan(-40);
      // A threshold no digit reaches: the "7" that follows is rejected, not reported.
      await page.evaluate(() => (window as unknown as { recognizer: { setOptions(o: object): Promise<void> } }).recognizer.setOptions({ confidenceThreshold: 1 }));
      await page.waitForFunction(() => (window as unknown as { seen: Seen }).seen.rejected.length >= 1, undefined, { timeout: 20_000 });
      s = await seen(page);
      expect(s.rejected[0].label).toBe('seven');
      expect(s.digits).toHaveLength(2);
      // Pause and resume by the page; stop releases the microphone.
      const states = await page.evaluate(async () => {
        const r = (window as unknown as { recognizer: { pause(): Promise<void>; resume(): Promise<void>; stop(): Promise<void>; state: string } }).recognizer;
        await r.pause();
        const paused = r.state;
        await r.resume();
        const resumed = r.state;
        await r.stop();
        return [paused, resumed, r.state];
      });
      expect(states).toEqual(['paused', 'listening', 'idle']);
      s = await seen(page);
      expect(s.states.filter((x) => x.state === 'paused')).toEqual([{ state: 'paused', reason: 'user' }]);
      expect(s.errors).toEqual([]);
    });
  }, 90_000);

  it('draws the level meter in the worker when handed a canvas: the bar moves, and level events come only with speech changes', async () => {
    await withPage({ names: ['4_george_0', '1_jackson_1'], gaps: [1.0] }, async (page) => {
      const result = await page.evaluate(async () => {
        const w = window as unknown as {
          seen: Seen;
          recognizer: { setLevelMeter(p: (() => unknown) | null): void; start(): Promise<void>; stop(): Promise<void> };
        };
        // A provider that returns no OffscreenCanvas is refused by name, and the recognizer can start again.
        w.recognizer.setLevelMeter(() => ({ canvas: document.createElement('canvas'), colors: {} }));
        const refused = await w.recognizer.start().then(
          () => '',
          (e: Error) => e.message,
        );
        w.seen.errors = [];
        w.seen.states = [];
        const canvases: HTMLCanvasElement[] = [];
        w.recognizer.setLevelMeter(() => {
          const canvas = document.createElement('canvas');
          canvas.width = 100;
          canvas.height = 4;
          document.body.append(canvas);
          canvases.push(canvas);
          return { canvas: canvas.transferControlToOffscreen(), colors: { track: 'rgb(0, 0, 0)', quiet: 'rgb(0, 0, 255)', speech: 'rgb(255, 0, 0)' } };
        });
        // The widest bar of each colour the page shows (the placeholder canvas's frames).
        const widest = { quiet: 0, speech: 0 };
        const sample = async () => {
          const canvas = canvases.at(-1);
          if (!canvas) return;
          const frame = await createImageBitmap(canvas);
          const copy = new OffscreenCanvas(frame.width, frame.height).getContext('2d')!;
          copy.drawImage(frame, 0, 0);
          const row = copy.getImageData(0, 2, frame.width, 1).data;
          let red = 0;
          let blue = 0;
          for (let x = 0; x < frame.width; x++) {
            if (row[4 * x] > 200 && row[4 * x + 2] < 50) red++;
            if (row[4 * x + 2] > 200 && row[4 * x] < 50) blue++;
          }
          widest.speech = Math.max(widest.speech, red / frame.width);
          widest.quiet = Math.max(widest.quiet, blue / frame.width);
        };
        await w.recognizer.start();
        const t0 = performance.now();
        while (w.seen.digits.length < 2 && performance.now() - t0 < 20_000) {
          await sample();
          await new Promise((r) => setTimeout(r, 50));
        }
        await w.recognizer.stop();
        return { refused, canvases: canvases.length, widest, digits: w.seen.digits.map((d) => d.digit), levels: w.seen.levels.length, states: w.seen.states.map((s) => s.state) };
      });
      expect(result.refused).toMatch(/setLevelMeter: .*OffscreenCanvas/);
      expect(result.canvases).toBe(1);
      expect(result.digits).toEqual([4, 1]);
      expect(result.widest.speech).toBeGreaterThan(0.3); // a word, in the speech colour
      // No level message between speech changes: one per onset and end of speech at most.
      const speechChanges = result.states.filter((s, i) => i > 0 && (s === 'speech') !== (result.states[i - 1] === 'speech')).length;
      expect(result.levels).toBeGreaterThan(0);
      expect(result.levels).toBeLessThanOrEqual(speechChanges + 1);
    });
  }, 60_000);

  it('listens to a stream the page already has, and leaves the stream running when it stops', async () => {
    // The page's stream plays from getUserMedia on, while listen() still loads the models: 2 s of
    // silence first, so the word is not cut by a slow load (0.5 s was not always enough).
    await withPage({ names: ['5_lucas_0'], gaps: [], leadS: 2 }, async (page) => {
      const result = await page.evaluate(async () => {
        const w = window as unknown as { seen: Seen; recognizer: { listen(s: MediaStream): Promise<void>; stop(): Promise<void> } };
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        await w.recognizer.listen(stream);
        const t0 = performance.now();
        while (w.seen.digits.length === 0 && performance.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100));
        await w.recognizer.stop();
        return { digits: w.seen.digits.map((d) => d.digit), track: stream.getAudioTracks()[0].readyState };
      });
      expect(result).toEqual({ digits: [5], track: 'live' });
    });
  }, 60_000);

  it('a new model URL while listening reloads the recognizer and goes on listening to the same microphone', async () => {
    // 3 s of silence first: the reload happens before the digit is said.
    await withPage({ names: ['8_theo_1'], gaps: [], leadS: 3 }, async (page) => {
      const result = await page.evaluate(async () => {
        const w = window as unknown as {
          seen: Seen;
          recognizer: { start(): Promise<void>; setOptions(o: object): Promise<void>; stop(): Promise<void>; backend: object; state: string };
        };
        await w.recognizer.start();
        const before = w.recognizer.backend;
        // The same shipped model, from another URL: a reload, not the cached worker.
        await w.recognizer.setOptions({ modelUrl: '/lib/models/default/model.json' });
        const reloaded = w.recognizer.backend !== before && w.recognizer.backend !== null;
        const stateAfter = w.recognizer.state;
        const t0 = performance.now();
        while (w.seen.digits.length === 0 && performance.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100));
        await w.recognizer.stop();
        return { reloaded, stateAfter, digits: w.seen.digits.map((d) => d.digit), errors: w.seen.errors };
      });
      expect(result).toEqual({ reloaded: true, stateAfter: 'listening', digits: [8], errors: [] });
    });
  }, 60_000);

  it('recognizes recordings (samples at a rate, an AudioBuffer) in the worker; bad rates and a missing model are named', async () => {
    const two = clipSequence(['2_theo_3', '9_nicolas_2'], [0.6], 0.5);
    const one = fsddClip('3_yweweler_4');
    await withPage(null, async (page, url) => {
      const out = await page.evaluate(
        async ({ two, one }) => {
          const r = (window as unknown as { recognizer: PageRecognizer }).recognizer;
          const samples = await r.recognize(new Float32Array(two), 8000);
          const buffer = new AudioBuffer({ length: one.length, sampleRate: 8000, numberOfChannels: 2 });
          buffer.copyToChannel(new Float32Array(one), 0);
          buffer.copyToChannel(new Float32Array(one), 1);
          const fromBuffer = await r.recognize(buffer);
          const noRate = await r.recognize(new Float32Array(one)).then(
            () => 'accepted',
            (e: Error) => `${e.name}: ${e.message}`,
          );
          const badRate = await r.recognize(new Float32Array(one), 2_000_000).then(
            () => 'accepted',
            (e: { code: string }) => e.code,
          );
          // A new model URL after a successful load is used, not ignored: the next call loads it.
          await r.setOptions({ modelUrl: '/nowhere/model.json' });
          const moved = await r.recognize(new Float32Array(one), 8000).then(
            () => 'accepted',
            (e: Error) => e.message,
          );
          return { samples: samples.text, sources: samples.digits.map((d) => d.source), fromBuffer: fromBuffer.text, noRate, badRate, moved };
        },
        { two: Array.from(two), one: Array.from(one.samples) },
      );
      expect(out.samples).toBe('29');
      expect(out.fromBuffer).toBe('3');
      expect(out.noRate).toMatch(/^RangeError: .*sample rate/);
      expect(out.badRate).toBe('pipeline-failed');
      expect(out.moved).toContain(`model could not be loaded from ${url}nowhere/model.json`);
      expect(out.moved).toMatch(/`modelUrl` option \(the `model-src` attribute/);
    });
  }, 60_000);

  it('a wasm folder that does not serve the wasm files is named, with the option that fixes it', async () => {
    await withPage(null, async (page, url) => {
      // A string, so the test runner does not rewrite the dynamic import.
      const message = await page.evaluate(`(async () => {
        const { DigitRecognizer } = await import('/lib/recognizer.js');
        return DigitRecognizer.create({ wasmPath: '/nowhere/' }).then(() => 'loaded', (e) => e.message);
      })()`);
      expect(message).toMatch(new RegExp(`${url}nowhere/tfjs-backend-wasm[-a-z]*\\.wasm answered 404`));
      expect(message).toMatch(/`wasmPath` option \(the `wasm-path` attribute/);
    });
  }, 60_000);
});
