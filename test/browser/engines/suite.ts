/**
 * The browser tests every engine beside Chromium runs, written once: `describeEngineSuite(engine,
 * options)` is all of firefox.test.ts and webkit.test.ts but what only that engine needs (a
 * check of its runtime, its way of reading CSP warnings). Real FSDD test digits heard through the
 * fake microphone must come out of `<digit-listener>` as `digit` events, on wasm SIMD:
 *
 * - in the production build (dist/, served as `npm start` does), which must also be controlled
 *   by its service worker after a reload, and whose CSP the engine must parse without a warning;
 * - in consumer apps of the packed package (test/consumers/: `npm install`ed, built with no
 *   configuration): the Vite app, which inlines the capture AudioWorklet as a `data:` URL, and
 *   the webpack 5 app, which emits it as a file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../scripts/security-headers';
import { buildConsumers, type ConsumerName, type Consumers, filesBelow } from '../../consumers/harness';
import { buildAppOnce, makeMicWav } from '../app-harness';
import { serveCspControl } from './csp-control';
import {
  type AppFacts,
  appFacts,
  engineInstalled,
  type EngineName,
  type EnginePage,
  listenForDigits,
  micWavUrl,
  reloadUnderServiceWorker,
  serveAppWithMic,
  withEnginePage,
} from './index';
import { serveConsumerWithMic } from './serve-app';

/** The pages the CSP test loads (the app's and a control's) and the fake microphone's WAV for them. */
export interface CspPages {
  /** A page whose policy is the app's plus a directive no engine knows (csp-control.ts). */
  control: string;
  app: string;
  micWav: string;
}

/** What only one engine needs; the rest of its suite is shared. */
export interface EngineSuiteOptions {
  /** The `describe` block's title: the engine and its driver. */
  title: string;
  /**
   * A check of the engine's runtime beyond the shared ones (wasm SIMD without threads, cross-origin
   * isolation), run in the app and in each consumer app; `title` ends those tests' titles.
   */
  runtime?: { title: string; check: (facts: AppFacts) => void };
  /** How the engine reports warnings about a Content-Security-Policy. */
  csp: {
    /** Loads the control page, then the app; returns each one's CSP warnings, as the engine words them. */
    warnings: (pages: CspPages) => Promise<{ control: string[]; app: string[] }>;
    /** (Part of) the warning the control's unknown directive must produce: proof that warnings are seen at all. */
    controlWarning: string;
  };
}

/** The consumer apps opened in each engine, with an FSDD test clip each (speaker's takes 0–4: the test split) and what sets the app apart. */
const CONSUMERS: readonly { name: ConsumerName; title: string; clip: string; digit: number }[] = [
  { name: 'vite', title: 'the Vite app of the packed package (its AudioWorklet inlined as a data: URL)', clip: '7_lucas_2', digit: 7 },
  { name: 'webpack', title: 'the webpack 5 app of the packed package (its AudioWorklet emitted as a file)', clip: '5_lucas_0', digit: 5 },
];

/**
 * Presses Start in `page` and checks what every engine test checks: exactly `digit` arrives, with
 * a probability for each class, on wasm SIMD without threads in a cross-origin-isolated page, from
 * one getUserMedia call, with no uncaught error or CSP violation; the element is then in a state
 * matching `state`.
 */
async function expectSpokenDigit(page: EnginePage, heard: { digit: number; micSeconds: number; state: RegExp }, runtime: EngineSuiteOptions['runtime']): Promise<void> {
  const digits = await listenForDigits(page, 1, (heard.micSeconds + 15) * 1000);
  expect(digits.map((d) => d.digit)).toEqual([heard.digit]);
  expect(digits[0].confidence).toBeGreaterThan(0.5);
  expect(digits[0].probabilities).toHaveLength(11);
  const facts = await appFacts(page);
  expect(facts.backend).toMatchObject({ backend: 'wasm', simd: true, threads: false });
  expect(facts.crossOriginIsolated).toBe(true);
  runtime?.check(facts);
  // The WAV went through getUserMedia once and played at the browser's own rate.
  expect(facts.microphone).toMatchObject({ calls: 1, error: null });
  expect(facts.state).toMatch(heard.state);
  expect(await page.problems()).toEqual({ errors: [], violations: [] });
}

/**
 * Declares `engine`'s browser tests (skipped, loudly, when the engine is not installed): the
 * production build and the consumer apps each recognize a spoken digit, the build's service
 * worker controls it after a reload, and the engine parses the build's CSP without a warning.
 */
export function describeEngineSuite(engine: EngineName, options: EngineSuiteOptions): void {
  describe.skipIf(!engineInstalled(engine))(options.title, () => {
    // An FSDD test clip (speaker nicolas, take 2: not in training; take 1 the shipped heads read as "not a digit" after 0.5 s of silence), 0.5 s of silence before it.
    const clip = '3_nicolas_2';
    const runtimeTitle = options.runtime ? `, ${options.runtime.title}` : '';
    let dir: string;
    let mic: { path: string; seconds: number };
    let app: { url: string; close: () => Promise<void> };
    let consumers: Promise<Consumers>;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `digit-${engine}-`));
      // The package built, packed, installed and its apps built (once per test run) while the app
      // builds; awaited by the consumer tests, which fail with its error if it fails.
      consumers = buildConsumers();
      consumers.catch(() => undefined);
      await buildAppOnce();
      mic = makeMicWav(dir, 'digit', [clip], 48000);
      app = await serveAppWithMic(dir);
    }, 240_000);

    afterAll(async () => {
      await app?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`recognizes a spoken digit from the microphone, on wasm SIMD${runtimeTitle}`, async () => {
      await withEnginePage(engine, app.url, micWavUrl(app.url, mic.path), async (page) => {
        // The app's element is `continuous`: still listening after the digit.
        await expectSpokenDigit(page, { digit: Number(clip[0]), micSeconds: mic.seconds, state: /listening|speech/ }, options.runtime);
        const facts = await appFacts(page);
        expect(facts.microphone).toMatchObject({ state: 'running' });
      });
    }, 90_000);

    it('is controlled by its service worker after a reload, and recognizes there too', async () => {
      await withEnginePage(engine, app.url, micWavUrl(app.url, mic.path), async (page) => {
        expect(await reloadUnderServiceWorker(page)).toEqual({ before: false, after: true });
        const digits = await listenForDigits(page, 1, (mic.seconds + 15) * 1000);
        expect(digits.map((d) => d.digit)).toEqual([Number(clip[0])]);
        expect(await page.problems()).toEqual({ errors: [], violations: [] });
      });
    }, 90_000);

    it("parses the app's Content-Security-Policy (header and meta tag) without a warning", async () => {
      const control = await serveCspControl(CONTENT_SECURITY_POLICY);
      try {
        const warnings = await options.csp.warnings({ control: control.url, app: app.url, micWav: micWavUrl(app.url, mic.path) });
        // The control: the same policy plus an unknown directive is reported.
        expect(warnings.control).toContainEqual(expect.stringContaining(options.csp.controlWarning));
        expect(warnings.app).toEqual([]);
      } finally {
        await control.close();
      }
    }, 60_000);

    for (const { name, title, clip: consumerClip, digit } of CONSUMERS) {
      it(`${title}: Start, and the spoken digit arrives, on wasm SIMD${runtimeTitle}`, async () => {
        const consumer = (await consumers).consumers[name];
        if (name === 'vite' && !consumer.error) {
          // What this test is about: Vite inlined the (small) worklet module into the app's code.
          const code = filesBelow(consumer.root)
            .filter((f) => f.endsWith('.js'))
            .map((f) => readFileSync(join(consumer.root, f), 'utf8'));
          expect(
            code.some((js) => js.includes('data:text/javascript;base64,')),
            'no data: URL in the Vite build',
          ).toBe(true);
        }
        const wav = makeMicWav(dir, name, [consumerClip], 48000);
        const served = await serveConsumerWithMic(consumer, dir);
        try {
          await withEnginePage(engine, served.url, micWavUrl(served.origin, wav.path), async (page) => {
            // No attribute: the element stops after one digit.
            await expectSpokenDigit(page, { digit, micSeconds: wav.seconds, state: /idle/ }, options.runtime);
          });
        } finally {
          await served.close();
        }
      }, 90_000);
    }
  });
}
