/**
 * Browser half of `npm run bench`, in headless Chromium (playwright-core):
 *
 * 1. Inference per window inside the recognizer worker, wasm SIMD with one thread and with
 *    tfjs' multi-threaded binary, on the Vite dev server (unminified; it sends the COOP/COEP
 *    headers of vite.config.ts, so the page is cross-origin isolated and threads are possible).
 * 2. On the production build (`vite preview`, same headers): a fake microphone plays FSDD test
 *    words, and for each `digit` event we take the latency from the true end of the word.
 *    Main-thread busy time per second of listening and peak JS heap come from the DevTools
 *    protocol's `Performance.getMetrics` of the page: TaskDuration less DevToolsCommandDuration
 *    (our own polling), and JSHeapUsedSize sampled every 2 s.
 *
 * How the WAV's clock is aligned with the page's clock (latency = event time − end of word):
 * - Event time: `performance.timeOrigin + performance.now()` in the `digit` listener.
 * - Capture clock: the worker stamps every audio block on arrival and keeps the earliest
 *   (arrival − audio before it) as `streamOriginAt`, the time stream sample 0 was captured
 *   (delivery can only add delay, so the earliest arrival is the tightest bound). Every `digit`
 *   event carries it. The fake device's own buffering before the AudioWorklet is not visible to
 *   the page and is not counted (one 10 ms chunk in Chromium's fake capturer).
 * - WAV ↔ stream offset: the same StreamingPipeline runs in Node over the WAV; each word's onset
 *   in stream time (event `startMs`) minus its onset in WAV time gives the offset; we take the
 *   median over all words (the two runs differ only by the device resampling).
 * - True end of a word: the end of the last 10 ms frame of its FSDD clip within 40 dB of the
 *   clip's loudest frame (FSDD clips carry some near-silent tail), at its place in the WAV.
 * So latency_i = eventAt_i − (streamOriginAt + trueEndWav_i + offset).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CDPSession, chromium } from 'playwright-core';
import { createServer } from 'vite';
import { previewApp } from '../app-build';
import { StreamingPipeline } from '../../src/pipeline/streaming-pipeline';
import { chromiumArgs, findChromium, writeMicWav } from '../../test/browser/chromium';
import { concat, fsddClip } from '../../test/helpers/fsdd';
import { wordSpan } from '../../training/word-span';

/** In-browser inference timing of one backend configuration. */
export interface BrowserInference {
  readonly threadsRequested: boolean;
  readonly crossOriginIsolated: boolean;
  readonly simd: boolean;
  readonly threads: boolean;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly runs: number;
}

/** Latency and main-thread cost of listening, from the production build. */
export interface BrowserListening {
  readonly words: number;
  readonly recognized: number;
  readonly correct: number;
  /** End of word → `digit` event, ms. */
  readonly latencyMedianMs: number;
  readonly latencyMaxMs: number;
  readonly latenciesMs: number[];
  /** Main-thread task time per second of listening, ms/s. */
  readonly mainThreadBusyMsPerS: number;
  /** Where the main-thread time went, ms per s of listening (DevTools metrics). */
  readonly mainThreadBreakdownMsPerS: Record<string, number>;
  /** Peak JS heap of the page's main thread while listening, bytes. */
  readonly peakJsHeapBytes: number;
  readonly listeningSeconds: number;
  readonly sampleRate: number;
}

const WORDS = [
  '4_george_0', '1_jackson_1', '7_lucas_2', '0_nicolas_3', '9_theo_4', '3_yweweler_0', '6_jackson_2', '2_george_4',
  '5_lucas_0', '8_nicolas_1', '1_theo_2', '6_yweweler_3', '9_george_2', '0_jackson_4', '3_lucas_1', '7_nicolas_0',
  '2_theo_1', '4_yweweler_2', '8_george_3', '5_jackson_3', '7_theo_0', '1_lucas_4', '9_nicolas_2', '6_theo_3',
];
const GAP_S = 1.0;
const LEAD_S = 0.5;

/** Builds the fake-microphone WAV (48 kHz by sox) and the reference onsets/true ends in WAV time. */
function micWav(dir: string): { path: string; seconds: number; trueEndS: number[]; nodeStartMs: number[]; digits: number[] } {
  const parts: Float32Array[] = [new Float32Array(LEAD_S * 8000)];
  const trueEndS: number[] = [];
  let t = LEAD_S;
  for (const name of WORDS) {
    const { samples } = fsddClip(name);
    trueEndS.push(t + wordSpan(samples, 8000).end / 8000);
    parts.push(samples, new Float32Array(GAP_S * 8000));
    t += samples.length / 8000 + GAP_S;
  }
  const signal = concat(...parts, new Float32Array(8000));
  const pipeline = new StreamingPipeline(8000);
  const windows = [...pipeline.push(signal).windows, ...pipeline.flush().windows];
  const path = join(dir, 'bench-48k.wav');
  writeMicWav(path, signal, 48000);
  return { path, seconds: signal.length / 8000, trueEndS, nodeStartMs: windows.map((w) => w.startMs), digits: WORDS.map((w) => Number(w[0])) };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Inference per window in the recognizer worker, one thread and multi-threaded (dev server). */
export async function browserInference(runs = 500): Promise<BrowserInference[]> {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('Chromium is needed for the browser benchmark (apt-get install chromium)');
  const server = await createServer({ logLevel: 'warn', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs() });
  try {
    const results: BrowserInference[] = [];
    for (const threads of [false, true]) {
      const page = await browser.newPage();
      await page.goto(server.resolvedUrls!.local[0]);
      // On its first visit the dev server pre-bundles tfjs and reloads the page once: retry then.
      const measure = () => page.evaluate(
        async ({ threads, runs }) => {
          const { RecognizerClient } = await import('/src/element/recognizer-client.ts' as string);
          const client = new RecognizerClient();
          try {
            await client.ready(new URL('/models/default/model.json', location.href).href, { threads });
            const timing = await client.measureInference(runs);
            return { ...timing, crossOriginIsolated: self.crossOriginIsolated };
          } finally {
            client.terminate();
          }
        },
        { threads, runs },
      );
      let result: Awaited<ReturnType<typeof measure>> | undefined;
      for (let attempt = 1; !result; attempt++) {
        try {
          result = await measure();
        } catch (error) {
          // Each dependency the optimizer discovers (tfjs, then its wasm backend) reloads once.
          if (attempt >= 4 || !/context was destroyed|navigat/i.test((error as Error).message)) throw error;
          await page.waitForLoadState('load');
        }
      }
      results.push({ threadsRequested: threads, crossOriginIsolated: result.crossOriginIsolated, simd: result.simd, threads: result.threads, medianMs: result.medianMs, p95Ms: result.p95Ms, runs });
      await page.close();
    }
    return results;
  } finally {
    await browser.close();
    await server.close();
  }
}

/** DevTools `Performance.getMetrics` of the page, by name. */
async function metrics(session: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = (await session.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/**
 * Listening in the production build (dist/ must exist: `vite build`), with a fake microphone
 * playing {@link WORDS}: latency per word, main-thread busy time and peak JS heap.
 */
export async function browserListening(): Promise<BrowserListening> {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('Chromium is needed for the browser benchmark (apt-get install chromium)');
  const dir = mkdtempSync(join(tmpdir(), 'digit-bench-'));
  const mic = micWav(dir);
  const server = await previewApp();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs(mic.path) });
  try {
    const page = await browser.newPage();
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable');
    await page.goto(server.url);
    await page.evaluate(() => {
      const w = window as unknown as { bench: unknown[] };
      w.bench = [];
      document.querySelector('digit-listener')!.addEventListener('digit', (e) => {
        w.bench.push({ ...(e as CustomEvent).detail, eventAt: performance.timeOrigin + performance.now() });
      });
    });
    await page.locator('digit-listener').getByRole('button', { name: 'Start' }).click();
    await page.waitForFunction(() => document.querySelector('digit-listener')?.getAttribute('state') === 'listening', undefined, { timeout: 30_000 });
    const before = await metrics(session);
    let peakHeap = before.JSHeapUsedSize;
    const deadline = Date.now() + (mic.seconds + 3) * 1000;
    while (Date.now() < deadline) {
      await page.waitForTimeout(2000);
      peakHeap = Math.max(peakHeap, (await metrics(session)).JSHeapUsedSize);
    }
    const after = await metrics(session);
    const events = await page.evaluate(() => (window as unknown as { bench: { digit: number; startMs: number; endMs: number; streamOriginAt: number; eventAt: number }[] }).bench);
    const sampleRate = await page.evaluate(() => new AudioContext().sampleRate);
    // Pair events with words in order by onset (after the offset), tolerating misses.
    const offset = median(events.slice(0, Math.min(events.length, mic.nodeStartMs.length)).map((e, i) => e.startMs - mic.nodeStartMs[i]));
    const latencies: number[] = [];
    let correct = 0;
    for (const e of events) {
      const wavStartMs = e.startMs - offset;
      const i = mic.nodeStartMs.findIndex((s) => Math.abs(s - wavStartMs) < 150);
      if (i < 0) continue;
      if (e.digit === mic.digits[i]) correct++;
      latencies.push(e.eventAt - (e.streamOriginAt + mic.trueEndS[i] * 1000 + offset));
    }
    const listeningSeconds = after.Timestamp - before.Timestamp;
    return {
      words: WORDS.length,
      recognized: events.length,
      correct,
      latencyMedianMs: median(latencies),
      latencyMaxMs: Math.max(...latencies),
      latenciesMs: latencies.map((l) => Math.round(l)),
      // Our own getMetrics polling runs on the main thread too: not the product's cost.
      mainThreadBusyMsPerS: ((after.TaskDuration - before.TaskDuration - (after.DevToolsCommandDuration - before.DevToolsCommandDuration)) * 1000) / listeningSeconds,
      mainThreadBreakdownMsPerS: Object.fromEntries(
        ['ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'TaskOtherDuration', 'V8CompileDuration'].map((k) => [k, ((after[k] - before[k]) * 1000) / listeningSeconds]),
      ),
      peakJsHeapBytes: peakHeap,
      listeningSeconds,
      sampleRate,
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
