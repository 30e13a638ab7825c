/**
 * The production build in Firefox ESR, driven by puppeteer-core over WebDriver BiDi
 * (test/browser/engines/firefox.ts): a real FSDD test digit heard through the fake microphone
 * must come out of `<digit-listener>` as a `digit` event, on wasm SIMD; the service worker must
 * control the page after a reload; Firefox must parse the app's CSP without a warning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../scripts/security-headers';
import { buildAppOnce, makeMicWav } from './app-harness';
import { appFacts, listenForDigits, reloadUnderServiceWorker } from './engines/app-steps';
import { serveCspControl } from './engines/csp-control';
import { micWavUrl } from './engines/fake-microphone';
import { findFirefox, withFirefoxPage } from './engines/firefox';
import { serveAppWithMic } from './engines/serve-app';

const firefox = findFirefox();

describe.skipIf(!firefox)('the app in Firefox ESR (puppeteer-core, WebDriver BiDi)', () => {
  // An FSDD test clip (speaker nicolas, take 1: not in training), 0.5 s of silence before it.
  const clip = '3_nicolas_1';
  let dir: string;
  let mic: { path: string; seconds: number };
  let app: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'digit-firefox-'));
    await buildAppOnce();
    mic = makeMicWav(dir, 'digit', [clip], 48000);
    app = await serveAppWithMic(dir);
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recognizes a spoken digit from the microphone, on wasm SIMD', async () => {
    await withFirefoxPage(app.url, micWavUrl(app.url, mic.path), async (page) => {
      const digits = await listenForDigits(page, 1, (mic.seconds + 15) * 1000);
      expect(digits.map((d) => d.digit)).toEqual([Number(clip[0])]);
      expect(digits[0].confidence).toBeGreaterThan(0.5);
      expect(digits[0].probabilities).toHaveLength(11);
      const facts = await appFacts(page);
      expect(facts.backend).toMatchObject({ backend: 'wasm', simd: true, threads: false });
      expect(facts.crossOriginIsolated).toBe(true);
      // The WAV went through getUserMedia once and played at the browser's own rate.
      expect(facts.microphone).toMatchObject({ calls: 1, error: null, state: 'running' });
      expect(facts.state).toMatch(/listening|speech/);
      expect(await page.problems()).toEqual({ errors: [], violations: [] });
    });
  }, 90_000);

  it('is controlled by its service worker after a reload, and recognizes there too', async () => {
    await withFirefoxPage(app.url, micWavUrl(app.url, mic.path), async (page) => {
      expect(await reloadUnderServiceWorker(page)).toEqual({ before: false, after: true });
      const digits = await listenForDigits(page, 1, (mic.seconds + 15) * 1000);
      expect(digits.map((d) => d.digit)).toEqual([Number(clip[0])]);
      expect(await page.problems()).toEqual({ errors: [], violations: [] });
    });
  }, 90_000);

  it("parses the app's Content-Security-Policy (header and meta tag) without a warning", async () => {
    const control = await serveCspControl(CONTENT_SECURITY_POLICY);
    try {
      await withFirefoxPage(control.url, micWavUrl(app.url, mic.path), async (page) => {
        const warnings = (from = 0) => page.consoleLines().slice(from).filter((l) => l.startsWith('[csp-warning]'));
        // The control: the same policy plus an unknown directive is reported.
        await expect.poll(() => warnings()).toContain('[csp-warning] couldNotProcessUnknownDirective');
        const seen = page.consoleLines().length;
        await page.goto(app.url);
        // Later than any parse of the policy: the page has loaded and its service worker runs.
        await reloadUnderServiceWorker(page);
        expect(warnings(seen)).toEqual([]);
      });
    } finally {
      await control.close();
    }
  }, 60_000);
});
