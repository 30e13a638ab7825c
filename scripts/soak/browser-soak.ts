/**
 * Browser half of the soak: the production app in headless Chromium listens to a fake microphone
 * that loops a stretch of the soak stream (digits, silence, noise, non-digit speech) for minutes;
 * every `digit` event is scored against the loop's digits, and the JS heap of the page, the
 * recognizer worker and the capture worklet is sampled over time (after a forced GC).
 *
 * The stream time of an event (`startMs`) and the loop's time differ by an offset (when the fake
 * device started) plus a whole number of loops: the offset is found on the first loop as the
 * shift that lines up the most events with a clip of their digit, and re-found on every later
 * loop within ±200 ms (so dropped audio blocks would not throw the scoring off).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { findChromium, writeMicWav } from '../../test/browser/chromium';
import { buildApp, previewApp } from '../app-build';
import { loopingMicArgs, SOAK_DIST_DIR } from './browser-app';
import { type HeapSnapshot, PageHeaps } from './browser-heap';
import { type ScoredDetection, type SoakScore, SoakScorer } from './score';
import { nonDigitSpeech } from './speech';
import { SEGMENT_RATE, type SoakSegment, SoakStream } from './stream';

/** Options of {@link runBrowserSoak}. */
export interface BrowserSoakOptions {
  /** Listening time, s. */
  readonly seconds: number;
  /** Length of the looped stretch of the soak stream, s (it ends at a segment boundary past this). */
  readonly loopSeconds: number;
  readonly seed?: number;
  /** Scale of the silence, noise and speech segments in the loop (default 0.25: a quarter of the Node soak's). */
  readonly durationScale?: number;
  /** Heap sample every this many seconds (default 30). */
  readonly sampleEverySeconds?: number;
  /** Listening after which the app counts as warmed up, s (default: one loop). */
  readonly warmupSeconds?: number;
  /** Build the app first (default true); false serves the build already in `distDir`. */
  readonly build?: boolean;
  /** Folder the app is built into and served from (default {@link SOAK_DIST_DIR}). */
  readonly distDir?: string;
  readonly onProgress?: (line: string) => void;
}

/** One heap sample of the browser soak. */
export interface BrowserHeapSample extends HeapSnapshot {
  /** Listening time when it was taken, s. */
  readonly atSeconds: number;
  /** `digit` events so far. */
  readonly digits: number;
}

/** One pass of the loop: its digits and what became of them. */
export interface LoopResult {
  readonly loop: number;
  /** Stream time of the loop's start minus loops × loop length, ms. */
  readonly offsetMs: number;
  readonly expected: number;
  readonly correct: number;
  readonly wrong: number;
  readonly missed: number;
  readonly falseAccepts: number;
}

/** What a browser soak measured. */
export interface BrowserSoakResult {
  readonly listeningSeconds: number;
  readonly loopSeconds: number;
  /** Loops heard to the end (the last, partial one is not scored). */
  readonly loops: LoopResult[];
  /** The scored loops together. */
  readonly score: SoakScore;
  readonly events: number;
  readonly heap: BrowserHeapSample[];
  readonly warmupIndex: number;
  /** Last sample minus the warm-up sample, V8 heap + ArrayBuffers, bytes, per context (null: not measured). */
  readonly growth: { readonly page: number | null; readonly worker: number | null; readonly worklet: number | null };
  /** Page errors and `error` events of the element. */
  readonly errors: string[];
}

/**
 * The looped stretch: 0.5 s of digital silence (the fake microphone needs it), soak-stream
 * segments with silence, noise and speech shortened by `durationScale`, 1 s of silence.
 */
export function soakLoop(loopSeconds: number, seed: number, durationScale = 0.25): { signal: Float32Array; segments: SoakSegment[] } {
  const stream = new SoakStream(nonDigitSpeech(), { seed, durationScale });
  const lead = silence(0, 500);
  const segments: SoakSegment[] = [lead];
  while (stream.timeMs < loopSeconds * 1000) {
    const s = stream.next();
    const shift = lead.endMs;
    segments.push({
      ...s,
      startMs: s.startMs + shift,
      endMs: s.endMs + shift,
      digits: s.digits.map((d) => ({ ...d, startMs: d.startMs + shift, endMs: d.endMs + shift })),
      utterances: s.utterances.map((u) => ({ ...u, startMs: u.startMs + shift, endMs: u.endMs + shift })),
    });
  }
  segments.push(silence(segments.at(-1)!.endMs, 1000));
  const signal = new Float32Array(segments.reduce((n, s) => n + s.samples.length, 0));
  let at = 0;
  for (const s of segments) {
    signal.set(s.samples, at);
    at += s.samples.length;
  }
  return { signal, segments };
}

function silence(startMs: number, ms: number): SoakSegment {
  const samples = new Float32Array((ms * SEGMENT_RATE) / 1000);
  return { kind: 'silence', startMs, endMs: startMs + ms, samples, digits: [], events: 0, utterances: [], background: 'digital silence' };
}

/** Events of loop `k` that line up with a clip of their digit when the loop starts at `offset + k·L`. */
function lineUp(events: ScoredDetection[], segments: SoakSegment[], loopMs: number, k: number, offset: number): number {
  let n = 0;
  for (const e of events) {
    const t0 = e.startMs - offset - k * loopMs;
    const t1 = e.endMs - offset - k * loopMs;
    if (segments.some((s) => s.digits.some((d) => d.digit === e.digit && d.startMs < t1 && t0 < d.endMs))) n++;
  }
  return n;
}

/** The offset in `[guess − range, guess + range]` (10 ms steps) lining up the most events: the middle of the best ones. */
function bestOffset(events: ScoredDetection[], segments: SoakSegment[], loopMs: number, k: number, guess: number, range: number): number {
  const near = events.filter((e) => e.startMs >= guess + k * loopMs - range && e.startMs < guess + (k + 1) * loopMs + range);
  let best = 0;
  let offsets: number[] = [];
  for (let o = guess - range; o <= guess + range; o += 10) {
    const n = lineUp(near, segments, loopMs, k, o);
    if (n > best) [best, offsets] = [n, [o]];
    else if (n === best && n > 0) offsets.push(o);
  }
  return best === 0 ? guess : offsets[Math.floor(offsets.length / 2)];
}

/**
 * Runs the browser soak.
 *
 * @throws Error if Chromium is not found, the build fails, or the app never starts listening
 */
export async function runBrowserSoak(options: BrowserSoakOptions): Promise<BrowserSoakResult> {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('the browser soak needs Chromium (CHROME_PATH or /usr/bin/chromium)');
  const loop = soakLoop(options.loopSeconds, options.seed ?? 1, options.durationScale);
  if (options.build ?? true) await buildApp(options.distDir ?? SOAK_DIST_DIR);
  const cleanups: (() => unknown)[] = [];
  try {
    const dir = mkdtempSync(join(tmpdir(), 'digit-soak-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeMicWav(join(dir, 'loop.wav'), loop.signal, 48000);
    const server = await previewApp(options.distDir ?? SOAK_DIST_DIR);
    cleanups.push(() => server.close());
    const browser = await chromium.launch({ executablePath: chromiumPath, args: loopingMicArgs(join(dir, 'loop.wav')) });
    cleanups.push(() => browser.close());
    return await listen(await browser.newPage(), server.url, loop.segments, (loop.signal.length * 1000) / SEGMENT_RATE, options);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** Opens the app, listens for `options.seconds` sampling the heaps, then scores every loop heard to its end. */
async function listen(page: Page, url: string, segments: SoakSegment[], loopMs: number, options: BrowserSoakOptions): Promise<BrowserSoakResult> {
  const sampleEvery = options.sampleEverySeconds ?? 30;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const heaps = await PageHeaps.attach(page);
  await page.goto(url);
  await page.evaluate(() => {
    const w = window as unknown as { soak: unknown[]; soakErrors: string[] };
    w.soak = [];
    w.soakErrors = [];
    const element = document.querySelector('digit-listener')!;
    element.addEventListener('digit', (e) => {
      const { digit, confidence, startMs, endMs } = (e as CustomEvent<{ digit: number; confidence: number; startMs: number; endMs: number }>).detail;
      w.soak.push({ digit, confidence, startMs, endMs });
    });
    element.addEventListener('error', (e) => {
      const { code, message } = (e as unknown as CustomEvent<{ code: string; message: string }>).detail;
      w.soakErrors.push(`${code}: ${message}`);
    });
  });
  await page.locator('digit-listener').getByRole('button', { name: 'Start' }).click();
  await page.waitForFunction(() => /listening|speech/.test(document.querySelector('digit-listener')?.getAttribute('state') ?? ''), undefined, { timeout: 60_000 });
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  const heap: BrowserHeapSample[] = [{ atSeconds: 0, digits: 0, ...(await heaps.sample()) }];
  for (let next = sampleEvery; ; next += sampleEvery) {
    const until = Math.min(next, options.seconds);
    await page.waitForTimeout(Math.max(0, (until - elapsed()) * 1000));
    const digits = await page.evaluate(() => (window as unknown as { soak: unknown[] }).soak.length);
    const sample: BrowserHeapSample = { atSeconds: elapsed(), digits, ...(await heaps.sample()) };
    heap.push(sample);
    options.onProgress?.(
      `browser ${sample.atSeconds.toFixed(0)} s: ${digits} digit events; heap page ${kb(sample.page)} KB, worker ${kb(sample.worker)} KB, worklet ${kb(sample.worklet)} KB`,
    );
    if (until >= options.seconds) break;
  }
  const listeningSeconds = elapsed();
  const events = await page.evaluate(() => (window as unknown as { soak: ScoredDetection[] }).soak);
  errors.push(...(await page.evaluate(() => (window as unknown as { soakErrors: string[] }).soakErrors)));

  // Score every loop heard to its end (plus 3 s for its last digit to come out).
  const scorer = new SoakScorer();
  const loops: LoopResult[] = [];
  let offset = bestOffset(events, segments, loopMs, 0, 0, 1500);
  for (let k = 0; offset + (k + 1) * loopMs + 3000 <= listeningSeconds * 1000; k++) {
    if (k > 0) offset = bestOffset(events, segments, loopMs, k, offset, 200);
    const inLoop = events.filter((e) => Math.floor((e.startMs - offset) / loopMs) === k);
    const own = new SoakScorer();
    for (const s of [scorer, own]) {
      for (const segment of segments) s.addSegment(segment, offset + k * loopMs);
      for (const e of inLoop) s.addDetection(e);
    }
    const { total, falseAccepts } = own.finish();
    loops.push({ loop: k, offsetMs: offset, ...total, falseAccepts: Object.values(falseAccepts).reduce((a, b) => a + b, 0) });
  }
  const warmup = options.warmupSeconds ?? loopMs / 1000;
  let warmupIndex = heap.findIndex((h) => h.atSeconds >= warmup);
  if (warmupIndex < 0) warmupIndex = heap.length - 1;
  const grown = (kind: 'page' | 'worker' | 'worklet') => {
    const [from, to] = [heap[warmupIndex][kind], heap.at(-1)![kind]];
    return from && to ? to.used + to.backing - (from.used + from.backing) : null;
  };
  return {
    listeningSeconds,
    loopSeconds: loopMs / 1000,
    loops,
    score: scorer.finish(),
    events: events.length,
    heap,
    warmupIndex,
    growth: { page: grown('page'), worker: grown('worker'), worklet: grown('worklet') },
    errors,
  };
}

function kb(heap: { used: number; backing: number } | undefined): string {
  return heap ? `${Math.round(heap.used / 1000)} + ${Math.round(heap.backing / 1000)}` : '—';
}
