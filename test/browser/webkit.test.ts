/**
 * The production build in WebKitGTK's MiniBrowser, driven by selenium-webdriver through
 * WebKitWebDriver under xvfb-run (test/browser/engines/webkit.ts): a real FSDD test digit heard
 * through the fake microphone must come out of `<digit-listener>` as a `digit` event, on wasm
 * SIMD, although WebKitGTK has no SharedArrayBuffer even in a cross-origin-isolated page; the
 * service worker must control the page after a reload; WebKit must parse the app's CSP without a
 * warning (it knows no `manifest-src`, and said so twice while the policy had one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../scripts/security-headers';
import { buildAppOnce, makeMicWav } from './app-harness';
import { appFacts, listenForDigits, reloadUnderServiceWorker } from './engines/app-steps';
import { serveCspControl, UNKNOWN_DIRECTIVE } from './engines/csp-control';
import { micWavUrl } from './engines/fake-microphone';
import { serveAppWithMic } from './engines/serve-app';
import { findWebKit, webkitConsoleOfLoad, withWebKitPage } from './engines/webkit';

const webkit = findWebKit();

describe.skipIf(!webkit)('the app in WebKitGTK (MiniBrowser, selenium-webdriver, WebKitWebDriver)', () => {
  // An FSDD test clip (speaker nicolas, take 1: not in training), 0.5 s of silence before it.
  const clip = '3_nicolas_1';
  let dir: string;
  let mic: { path: string; seconds: number };
  let app: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'digit-webkit-'));
    await buildAppOnce();
    mic = makeMicWav(dir, 'digit', [clip], 48000);
    app = await serveAppWithMic(dir);
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recognizes a spoken digit from the microphone, on wasm SIMD, without SharedArrayBuffer', async () => {
    await withWebKitPage(app.url, micWavUrl(app.url, mic.path), async (page) => {
      const digits = await listenForDigits(page, 1, (mic.seconds + 15) * 1000);
      expect(digits.map((d) => d.digit)).toEqual([Number(clip[0])]);
      expect(digits[0].confidence).toBeGreaterThan(0.5);
      expect(digits[0].probabilities).toHaveLength(11);
      const facts = await appFacts(page);
      expect(facts.backend).toMatchObject({ backend: 'wasm', simd: true, threads: false });
      // Isolated by COOP/COEP, yet no SharedArrayBuffer: nothing in the app may need one.
      expect(facts.crossOriginIsolated).toBe(true);
      expect(facts.sharedArrayBuffer).toBe(false);
      expect(facts.microphone).toMatchObject({ calls: 1, error: null, state: 'running' });
      expect(facts.state).toMatch(/listening|speech/);
      expect(await page.problems()).toEqual({ errors: [], violations: [] });
    });
  }, 90_000);

  it('is controlled by its service worker after a reload, and recognizes there too', async () => {
    await withWebKitPage(app.url, micWavUrl(app.url, mic.path), async (page) => {
      expect(await reloadUnderServiceWorker(page)).toEqual({ before: false, after: true });
      const digits = await listenForDigits(page, 1, (mic.seconds + 15) * 1000);
      expect(digits.map((d) => d.digit)).toEqual([Number(clip[0])]);
      expect(await page.problems()).toEqual({ errors: [], violations: [] });
    });
  }, 90_000);

  it("parses the app's Content-Security-Policy (header and meta tag) without a warning", async () => {
    const control = await serveCspControl(CONTENT_SECURITY_POLICY);
    try {
      // The control: the same policy plus an unknown directive is reported.
      expect(await webkitConsoleOfLoad(control.url)).toContainEqual(expect.stringContaining(`Unrecognized Content-Security-Policy directive '${UNKNOWN_DIRECTIVE}'`));
    } finally {
      await control.close();
    }
    // Nothing about the policy at all: no unknown directive, no refused load.
    const lines = await webkitConsoleOfLoad(app.url);
    expect(lines.filter((l) => /Content.Security.Policy/i.test(l))).toEqual([]);
  }, 60_000);
});
