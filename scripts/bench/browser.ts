/**
 * Browser half of `npm run bench`, in headless Chromium (playwright-core):
 *
 * 1. Inference per window inside the recognizer worker, wasm SIMD with one thread and with
 *    tfjs' multi-threaded binary, on the Vite dev server (unminified; it sends the COOP/COEP
 *    headers of vite.config.ts, so the page is cross-origin isolated and threads are possible).
 * 2. On the production build (`vite preview`, same headers): a fake microphone plays FSDD test
 *    words, three times (a fresh browser each), and for each `digit` event we take the latency
 *    from the true end of the word. Main-thread busy time per second of listening (the median
 *    run's) and peak JS heap come from the DevTools protocol's `Performance.getMetrics` of the
 *    page: TaskDuration less DevToolsCommandDuration (our own polling), and JSHeapUsedSize
 *    sampled every 2 s.
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
 *
 * 3. Digit strings (same build, page and clocks): a fake microphone plays held-out synthetic
 *    digit strings of four digits said at natural speed (`npm run synth`, .cache/synth/heldout/
 *    strings), 1.5 s of silence after each, and for each string we take the latency from the
 *    true end of its last digit to the last `digit` event of the string. As above, with:
 *    - the WAV is built at 16 kHz (each TTS file resampled by our `resample`) and converted to
 *      48 kHz by sox;
 *    - the true end of a string: the end of the last 10 ms frame of its file within 40 dB of its
 *      loudest frame (`wordSpan`), at its place in the WAV; its onset likewise;
 *    - the offset: the whole recognizer (the same model folder, word and string model) runs in
 *      Node over the 16 kHz WAV (strings.ts `events`, its own process); the offset is where the
 *      onsets (`startMs`) of the digits both runs reported agree — the most same-digit pairs
 *      within 50 ms, their median (`alignOffset`): a digit read by the string model starts at
 *      its CTC spike, not at the string's onset, so onsets are compared like with like;
 *    - events are grouped by string on WAV time (`startMs − offset`): string k holds those from
 *      300 ms before its onset to 300 ms before the next string's onset; a string is read exactly
 *      when its events' digits, in order, are its file's digits.
 *    So latency_k = eventAt(last event of string k) − (streamOriginAt + trueEndWav_k + offset).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CDPSession, chromium, type Page } from 'playwright-core';
import { createServer } from 'vite';
import { previewApp } from '../app-build';
import { generateNoise } from '../../src/audio/noise';
import { Random } from '../../src/audio/random';
import { encodeWav16 } from '../../src/audio/wav';
import { StreamingPipeline } from '../../src/pipeline/streaming-pipeline';
import { chromiumArgs, findChromium, writeMicWav } from '../../test/browser/chromium';
import { concat, fsddClip } from '../../test/helpers/fsdd';
import { wordSpan } from '../../training/word-span';
import { alignOffset, groupByString, heldOutStrings, median, type NodeEvents, pickStrings, readAt16k, runStringsChild, STREAM_RATE } from './strings';

/** In-browser inference timing of one backend configuration. */
export interface BrowserInference {
  readonly threadsRequested: boolean;
  readonly crossOriginIsolated: boolean;
  readonly simd: boolean;
  readonly threads: boolean;
  /** Per word window (encoder pass + word head), ms. */
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly runs: number;
  /** Per encoder step: one embedding alone, and as the string reader computes them. */
  readonly encoderStep: { readonly medianMs: number; readonly p95Ms: number };
  readonly readerEncoderStep: { readonly medianMs: number; readonly p95Ms: number };
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
  /** Main-thread task time per second of listening, ms/s: the median run's. */
  readonly mainThreadBusyMsPerS: number;
  /** The same, each run's, in the order run. */
  readonly mainThreadRunsMsPerS: number[];
  /** Where the main-thread time went, ms per s of listening (DevTools metrics). */
  readonly mainThreadBreakdownMsPerS: Record<string, number>;
  /** Peak JS heap of the page's main thread while listening, bytes. */
  readonly peakJsHeapBytes: number;
  readonly listeningSeconds: number;
  readonly sampleRate: number;
  /** The recognizer worker thread's busy time, ms per s of speech and of silence (from a trace). */
  readonly workerMsPerS?: { readonly speech: number; readonly silence: number };
}

// prettier-ignore
const WORDS = [
  '4_george_0', '1_jackson_1', '7_lucas_2', '0_nicolas_3', '9_theo_4', '3_yweweler_0', '6_jackson_2', '2_george_4',
  '5_lucas_0', '8_nicolas_1', '1_theo_2', '6_yweweler_3', '9_george_2', '0_jackson_4', '3_lucas_1', '7_nicolas_0',
  '2_theo_1', '4_yweweler_2', '8_george_3', '5_jackson_3', '7_theo_0', '1_lucas_4', '9_nicolas_2', '6_theo_3',
];
const GAP_S = 1.0;
const LEAD_S = 0.5;

/** Builds the fake-microphone WAV (48 kHz by sox) and the reference onsets/true ends in WAV time. */
function micWav(dir: string): { path: string; seconds: number; trueEndS: number[]; nodeStartMs: number[]; digits: number[]; speechSeconds: number } {
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
  // Speech as the gate holds it open: each utterance's window span (onset to end) plus the 100 ms hangover.
  const speechSeconds = windows.reduce((n, w) => n + (w.endMs - w.startMs) / 1000 + 0.1, 0);
  return { path, seconds: signal.length / 8000, trueEndS, nodeStartMs: windows.map((w) => w.startMs), digits: WORDS.map((w) => Number(w[0])), speechSeconds };
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
      const measure = () =>
        page.evaluate(
          async ({ threads, runs, modules }) => {
            // The page imports the sources from the dev server; their types are the sources'.
            const { WorkerClient } = (await import(modules.workerClient)) as typeof import('../../src/session/worker-client');
            const { shippedModels, shippedWasm } = (await import(modules.assets)) as typeof import('../../src/session/assets');
            const client = new WorkerClient();
            try {
              await client.init(shippedModels(), shippedWasm(), threads);
              const timing = await client.measureInference(runs);
              return { ...timing, crossOriginIsolated: self.crossOriginIsolated };
            } finally {
              client.terminate();
            }
          },
          { threads, runs, modules: { workerClient: '/src/session/worker-client.ts', assets: '/src/session/assets.ts' } },
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
      results.push({
        threadsRequested: threads,
        crossOriginIsolated: result.crossOriginIsolated,
        simd: result.simd,
        threads: result.threads,
        medianMs: result.medianMs,
        p95Ms: result.p95Ms,
        runs,
        encoderStep: result.encoderStep,
        readerEncoderStep: result.readerEncoderStep,
      });
      await page.close();
    }
    return results;
  } finally {
    await browser.close();
    await server.close();
  }
}

/** A Chrome trace event (the fields read here). */
interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly tid: number;
  readonly pid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly args?: { readonly name?: string };
}

/**
 * Busy time of the recognizer's worker thread in a Chrome trace: the summed duration of the
 * thread's top-level tasks ("ThreadControllerImpl::RunTask"), ms, and the traced span, s.
 * The worker is the page's dedicated worker thread (the capture worklet runs on the audio thread).
 */
function workerBusy(trace: Buffer): { busyMs: number; seconds: number } {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const workers = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'DedicatedWorker thread').map((e) => `${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && workers.has(`${e.pid}:${e.tid}`));
  const ts = events.filter((e) => e.ts > 0).map((e) => e.ts);
  return { busyMs: tasks.reduce((n, e) => n + (e.dur ?? 0), 0) / 1000, seconds: (Math.max(...ts) - Math.min(...ts)) / 1e6 };
}

/** The app listening to `wav` for its length: the worker thread's busy time (traced), ms per s of listening. */
async function workerMsPerSecond(chromiumPath: string, url: string, wav: string, seconds: number): Promise<number> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs(wav) });
  try {
    const page = await browser.newPage();
    await startListening(page, url);
    await page.waitForTimeout(1000); // the first blocks compile the pipeline: not listening's cost
    await browser.startTracing(page, { categories: ['toplevel', '__metadata'] });
    await page.waitForTimeout(seconds * 1000);
    const { busyMs, seconds: traced } = workerBusy(await browser.stopTracing());
    return busyMs / traced;
  } finally {
    await browser.close();
  }
}

/** DevTools `Performance.getMetrics` of the page, by name. */
async function metrics(session: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await session.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** A `digit` event as the page collects it: the element's detail plus the page clock at its arrival. */
export interface BenchEvent {
  digit: number;
  confidence: number;
  startMs: number;
  endMs: number;
  streamOriginAt: number;
  source?: 'word' | 'string';
  /** `performance.timeOrigin + performance.now()` in the listener. */
  eventAt: number;
}

/** Opens the app at `url`, collects its `digit` events in `window.bench`, presses Start and waits until it listens. */
async function startListening(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.evaluate(() => {
    const w = window as unknown as { bench: unknown[] };
    w.bench = [];
    document.querySelector('digit-listener')!.addEventListener('digit', (e) => {
      w.bench.push({ ...(e as CustomEvent).detail, eventAt: performance.timeOrigin + performance.now() });
    });
  });
  await page.locator('digit-listener').getByRole('button', { name: 'Start' }).click();
  await page.waitForFunction(() => document.querySelector('digit-listener')?.getAttribute('state') === 'listening', undefined, { timeout: 30_000 });
}

/** The `digit` events collected since {@link startListening}. */
function collectedEvents(page: Page): Promise<BenchEvent[]> {
  return page.evaluate(() => (window as unknown as { bench: BenchEvent[] }).bench);
}

/** One listening run's main-thread figures (DevTools metrics), events and clocks. */
interface ListeningRun {
  readonly events: BenchEvent[];
  /** Busy time, ms per s of listening, and its parts by DevTools metric. */
  readonly busyMsPerS: number;
  readonly breakdownMsPerS: Record<string, number>;
  readonly peakHeap: number;
  readonly seconds: number;
  readonly sampleRate: number;
}

/** The app listening to the words once (a fresh browser): main-thread busy time and peak heap by DevTools metrics. */
async function listenOnce(chromiumPath: string, url: string, mic: { path: string; seconds: number }): Promise<ListeningRun> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs(mic.path) });
  try {
    const page = await browser.newPage();
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable');
    await startListening(page, url);
    const before = await metrics(session);
    let peakHeap = before.JSHeapUsedSize;
    const deadline = Date.now() + (mic.seconds + 3) * 1000;
    while (Date.now() < deadline) {
      await page.waitForTimeout(2000);
      peakHeap = Math.max(peakHeap, (await metrics(session)).JSHeapUsedSize);
    }
    const after = await metrics(session);
    const seconds = after.Timestamp - before.Timestamp;
    return {
      events: await collectedEvents(page),
      // Our own getMetrics polling runs on the main thread too: not the product's cost.
      busyMsPerS: ((after.TaskDuration - before.TaskDuration - (after.DevToolsCommandDuration - before.DevToolsCommandDuration)) * 1000) / seconds,
      breakdownMsPerS: Object.fromEntries(
        ['ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'TaskOtherDuration', 'V8CompileDuration'].map((k) => [k, ((after[k] - before[k]) * 1000) / seconds]),
      ),
      peakHeap,
      seconds,
      sampleRate: await page.evaluate(() => new AudioContext().sampleRate),
    };
  } finally {
    await browser.close();
  }
}

/**
 * Listening runs for the main-thread figure: its busy time is wall time, so a burst of other
 * work on the machine shows in one run (runs of the same build differed by up to 2 ms/s on a
 * 2-core VM); the figure is the median of {@link LISTENING_RUNS}.
 */
const LISTENING_RUNS = 3;

/**
 * Listening in the production build (dist/ must exist: `vite build`), with a fake microphone
 * playing {@link WORDS}, {@link LISTENING_RUNS} times: latency per word (all runs), main-thread
 * busy time (the median run) and peak JS heap.
 */
export async function browserListening(): Promise<BrowserListening> {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('Chromium is needed for the browser benchmark (apt-get install chromium)');
  const dir = mkdtempSync(join(tmpdir(), 'digit-bench-'));
  const mic = micWav(dir);
  const server = await previewApp();
  try {
    const runs: ListeningRun[] = [];
    for (let i = 0; i < LISTENING_RUNS; i++) runs.push(await listenOnce(chromiumPath, server.url, mic));
    const latencies: number[] = [];
    let correct = 0;
    for (const { events } of runs) {
      // Pair events with words in order by onset (after the offset), tolerating misses.
      const offset = median(events.slice(0, Math.min(events.length, mic.nodeStartMs.length)).map((e, i) => e.startMs - mic.nodeStartMs[i]));
      for (const e of events) {
        const wavStartMs = e.startMs - offset;
        const i = mic.nodeStartMs.findIndex((s) => Math.abs(s - wavStartMs) < 150);
        if (i < 0) continue;
        if (e.digit === mic.digits[i]) correct++;
        latencies.push(e.eventAt - (e.streamOriginAt + mic.trueEndS[i] * 1000 + offset));
      }
    }
    const byBusy = [...runs].sort((a, b) => a.busyMsPerS - b.busyMsPerS);
    const middle = byBusy[Math.floor(byBusy.length / 2)];
    // The worker: listening to the words (speech and silence), then to quiet noise alone
    // (silence); speech's cost is what the first run costs beyond the second's rate.
    const quiet = join(dir, 'quiet.wav');
    writeMicWav(
      quiet,
      generateNoise(8000 * 25, 'pink', new Random(3)).map((v) => v * 0.003),
      48000,
    );
    const silence = await workerMsPerSecond(chromiumPath, server.url, quiet, 20);
    const words = await workerMsPerSecond(chromiumPath, server.url, mic.path, mic.seconds - 2);
    const wordsSeconds = mic.seconds - 2;
    const speechSeconds = Math.min(mic.speechSeconds, wordsSeconds);
    const speech = (words * wordsSeconds - silence * (wordsSeconds - speechSeconds)) / speechSeconds;
    return {
      workerMsPerS: { speech, silence },
      words: WORDS.length * runs.length,
      recognized: runs.reduce((n, r) => n + r.events.length, 0),
      correct,
      latencyMedianMs: median(latencies),
      latencyMaxMs: Math.max(...latencies),
      latenciesMs: latencies.map((l) => Math.round(l)),
      mainThreadBusyMsPerS: middle.busyMsPerS,
      mainThreadRunsMsPerS: runs.map((r) => r.busyMsPerS),
      mainThreadBreakdownMsPerS: middle.breakdownMsPerS,
      peakJsHeapBytes: Math.max(...runs.map((r) => r.peakHeap)),
      listeningSeconds: middle.seconds,
      sampleRate: middle.sampleRate,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Digit strings heard in the production build: end of a string's last digit → its last `digit` event. */
export interface BrowserStrings {
  /** Strings played. */
  readonly strings: number;
  /** Digits per string. */
  readonly digits: number;
  /** Strings whose events' digits, in order, are exactly the string's. */
  readonly exact: number;
  readonly events: number;
  /** Events by deciding model (`source` of the detail). */
  readonly sources: Record<string, number>;
  /** Whether the model folder (built into the page) has a string model. */
  readonly stringModel: boolean;
  /** End of the string's last digit → its last `digit` event, ms, for each string with an event. */
  readonly latencyMedianMs: number;
  readonly latencyMaxMs: number;
  readonly latenciesMs: number[];
  /** What each string was read as (its events' digits), beside what was said. */
  readonly read: { said: string; heard: string; file: string }[];
  /** Stream − WAV clock offset, ms, and the digit pairs it rests on. */
  readonly offsetMs: number;
  readonly offsetPairs: number;
  readonly sampleRate: number;
}

const STRING_COUNT = 8;
const STRING_DIGITS = 4;
const STRING_GAP_S = 1.5;

/** The fake-microphone WAV of digit strings (16 kHz, then 48 kHz by sox) and each string's onset and true end in WAV time. */
export function stringsMicWav(dir: string): { path: string; path16k: string; seconds: number; onsetMs: number[]; trueEndMs: number[]; said: string[]; files: string[] } | null {
  const files = pickStrings(heldOutStrings(), STRING_COUNT, STRING_DIGITS);
  if (files.length === 0) return null;
  const parts: Float32Array[] = [new Float32Array(LEAD_S * STREAM_RATE)];
  const onsetMs: number[] = [];
  const trueEndMs: number[] = [];
  let at = LEAD_S * STREAM_RATE;
  for (const file of files) {
    const samples = readAt16k(file.path);
    const span = wordSpan(samples, STREAM_RATE);
    onsetMs.push(((at + span.start) / STREAM_RATE) * 1000);
    trueEndMs.push(((at + span.end) / STREAM_RATE) * 1000);
    parts.push(samples, new Float32Array(STRING_GAP_S * STREAM_RATE));
    at += samples.length + STRING_GAP_S * STREAM_RATE;
  }
  const signal = concat(...parts, new Float32Array(0.5 * STREAM_RATE));
  const path16k = join(dir, 'bench-strings-16k.wav');
  const path = join(dir, 'bench-strings-48k.wav');
  writeFileSync(path16k, encodeWav16(signal, STREAM_RATE));
  // sox: an independent resampler for the device rate, as writeMicWav does for 8 kHz signals.
  execFileSync('sox', ['-G', path16k, '-r', '48000', '-b', '16', path]);
  return { path, path16k, seconds: signal.length / STREAM_RATE, onsetMs, trueEndMs, said: files.map((f) => f.digits), files: files.map((f) => f.name) };
}

/**
 * Digit strings said at natural speed, in the production build (dist/ must exist): a fake
 * microphone plays {@link STRING_COUNT} held-out synthetic strings of {@link STRING_DIGITS}
 * digits; latency from the end of each string's last digit to its last `digit` event, and the
 * strings read exactly (see the module comment, part 3). Null when there are no held-out
 * synthetic strings (`npm run synth`).
 *
 * @throws Error without Chromium
 */
export async function browserStrings(): Promise<BrowserStrings | null> {
  if (heldOutStrings().length === 0) return null;
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('Chromium is needed for the browser benchmark (apt-get install chromium)');
  const dir = mkdtempSync(join(tmpdir(), 'digit-bench-strings-'));
  try {
    const mic = stringsMicWav(dir);
    if (!mic) return null;
    // The Node reference run first, before Chromium competes for the cores.
    const node = runStringsChild<NodeEvents>('events', mic.path16k);
    const server = await previewApp();
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs(mic.path) });
    try {
      const page = await browser.newPage();
      await startListening(page, server.url);
      await page.waitForTimeout((mic.seconds + 3) * 1000);
      const events = await collectedEvents(page);
      const sampleRate = await page.evaluate(() => new AudioContext().sampleRate);
      return scoreStrings(events, node.events, mic, node.stringModel, sampleRate);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Aligns, groups and scores the page's events (pure: exported for a check without Chromium).
 * Latencies are left empty when no digit of the page matches the Node run (`offsetPairs` 0).
 */
export function scoreStrings(
  events: readonly BenchEvent[],
  nodeEvents: NodeEvents['events'],
  mic: { onsetMs: number[]; trueEndMs: number[]; said: string[]; files: string[] },
  stringModel: boolean,
  sampleRate: number,
): BrowserStrings {
  const { offsetMs, pairs } = alignOffset(events, nodeEvents);
  // Without a digit both runs reported the clocks cannot be aligned: no latency then, but the
  // strings can still be scored, grouped with offset 0 (the offset is a few tens of ms, the
  // silences between strings 1.5 s).
  const aligned = pairs > 0;
  if (!aligned)
    console.warn(
      `digit strings: no digit of the page (${events.map((e) => e.digit).join('') || 'none'}) matches the Node run (${nodeEvents.map((e) => e.digit).join('') || 'none'}): no latency`,
    );
  const groupOf = groupByString(
    events.map((e) => e.startMs - (aligned ? offsetMs : 0)),
    mic.onsetMs,
  );
  const latencies: number[] = [];
  const read: BrowserStrings['read'] = [];
  let exact = 0;
  mic.said.forEach((said, k) => {
    const group = events.filter((_, i) => groupOf[i] === k).sort((a, b) => a.startMs - b.startMs);
    const heard = group.map((e) => e.digit).join('');
    read.push({ said, heard, file: mic.files[k] });
    if (heard === said) exact++;
    if (group.length === 0 || !aligned) return;
    const last = group.reduce((a, b) => (b.eventAt > a.eventAt ? b : a));
    latencies.push(last.eventAt - (last.streamOriginAt + mic.trueEndMs[k] + offsetMs));
  });
  const sources: Record<string, number> = {};
  for (const e of events) sources[e.source ?? 'unknown'] = (sources[e.source ?? 'unknown'] ?? 0) + 1;
  return {
    strings: mic.said.length,
    digits: STRING_DIGITS,
    exact,
    events: events.length,
    sources,
    stringModel,
    latencyMedianMs: median(latencies),
    latencyMaxMs: latencies.length ? Math.max(...latencies) : Number.NaN,
    latenciesMs: latencies.map((l) => Math.round(l)),
    read,
    offsetMs,
    offsetPairs: pairs,
    sampleRate,
  };
}

/** Adaptation of the word model to one speaker in the recognizer worker (enrollment), ms. */
export interface BrowserEnrollment {
  /** Median over 3 runs of the adaptation in the worker: 1 take per digit, and 3. */
  readonly oneTakeMs: number;
  readonly threeTakesMs: number;
  /** Windows fitted on (1 take per digit) and anchors. */
  readonly examples: number;
  readonly anchors: number;
}

/**
 * Times enrollment in the recognizer worker (dev server, one thread): FSDD speaker theo's takes
 * 5 (and 5–7) of each digit, through `WorkerClient.enroll` as the element does.
 */
export async function browserEnrollment(): Promise<BrowserEnrollment> {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('Chromium is needed for the browser benchmark (apt-get install chromium)');
  const takes = [5, 6, 7].flatMap((index) => Array.from({ length: 10 }, (_, digit) => ({ digit, index, ...fsddClip(`${digit}_theo_${index}`) })));
  const sent = takes.map((t) => ({ digit: t.digit, index: t.index, sampleRate: t.sampleRate, samples: Array.from(t.samples) }));
  const server = await createServer({ logLevel: 'warn', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs() });
  try {
    const page = await browser.newPage();
    await page.goto(server.resolvedUrls!.local[0]);
    const measure = () =>
      page.evaluate(
        async ({ sent, modules }) => {
          const { WorkerClient } = (await import(modules.workerClient)) as typeof import('../../src/session/worker-client');
          const { shippedModels, shippedWasm } = (await import(modules.assets)) as typeof import('../../src/session/assets');
          const client = new WorkerClient();
          try {
            await client.init(shippedModels(), shippedWasm(), false);
            // No named functions in here: tsx wraps them in a helper the page does not have.
            const sets = [1, 3].map((n) => sent.filter((t) => t.index < 5 + n).map((t) => ({ digit: t.digit, sampleRate: t.sampleRate, samples: new Float32Array(t.samples) })));
            const times: number[][] = [[], []];
            let examples = 0;
            let anchors = 0;
            for (let run = 0; run < 3; run++) {
              for (let k = 0; k < 2; k++) {
                const answer = await client.enroll(sets[k], []);
                times[k].push(answer.adaptMs);
                if (k === 0) [examples, anchors] = [answer.examples, answer.anchors];
              }
            }
            for (const list of times) list.sort((a, b) => a - b);
            return { oneTakeMs: times[0][1], threeTakesMs: times[1][1], examples, anchors };
          } finally {
            client.terminate();
          }
        },
        { sent, modules: { workerClient: '/src/session/worker-client.ts', assets: '/src/session/assets.ts' } },
      );
    for (let attempt = 1; ; attempt++) {
      try {
        return await measure();
      } catch (error) {
        // The dev server's dependency optimizer may reload the page on a first visit.
        if (attempt >= 4 || !/context was destroyed|navigat/i.test((error as Error).message)) throw error;
        await page.waitForLoadState('load');
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
