/**
 * Privacy and safety of the app in headless Chromium against the production build: no network
 * request while listening, nothing stored, a Content-Security-Policy that is enforced, and a
 * service-worker update that waits for the user instead of interrupting a listening session.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../scripts/security-headers';
import { buildAppOnce, collectDigits, collectedDigits, makeMicWav, waitForDigits, withApp } from './app-harness';
import { chromiumArgs, findChromium } from './chromium';
import { serveStatic } from './static-server';

const chromiumPath = findChromium();

/** What the page keeps on the device: Cache Storage entries, IndexedDB databases, web storage. */
function storageSnapshot(page: Page): Promise<unknown> {
  return page.evaluate(async () => {
    const caches_ = await Promise.all((await caches.keys()).map(async (k) => [k, (await (await caches.open(k)).keys()).map((r) => r.url).sort()]));
    const databases = (await indexedDB.databases()).map((d) => d.name).sort();
    return { caches: caches_, databases, localStorage: localStorage.length, sessionStorage: sessionStorage.length };
  });
}

describe.skipIf(!chromiumPath)('privacy and safety of the app in headless Chromium', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'digit-privacy-'));
    await buildAppOnce();
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes no network request while listening, stores nothing, and violates none of its Content-Security-Policy', async () => {
    const mic = makeMicWav(dir, 'privacy', ['7_george_1', '3_theo_0'], 48000, 1);
    await withApp(chromiumPath!, chromiumArgs(mic.path), async ({ browser, url }) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      // Every request of the page, its workers and its service worker, with the time it was made.
      const requests: { url: string; at: number }[] = [];
      context.on('request', (r) => requests.push({ url: r.url(), at: Date.now() }));
      await page.addInitScript(`window.__violations = [];
        addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));`);
      const response = await page.goto(url);
      expect(response!.headers()['content-security-policy']).toContain(CONTENT_SECURITY_POLICY);
      expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(CONTENT_SECURITY_POLICY);
      await page.evaluate(() => navigator.serviceWorker.ready); // precache done
      const before = await storageSnapshot(page);
      await collectDigits(page);
      const element = page.locator('digit-listener');
      await element.getByRole('button', { name: 'Start' }).click();
      await expect.poll(() => element.getAttribute('state'), { timeout: 15_000 }).toMatch(/listening|speech/);
      const listeningFrom = Date.now();
      await waitForDigits(page, 2);
      await page.waitForTimeout(1000);
      const listeningTo = Date.now();
      expect((await collectedDigits(page)).map((d) => d.digit)).toEqual([7, 3]);
      expect(requests.filter((r) => r.at >= listeningFrom && r.at <= listeningTo)).toEqual([]);
      // Everything it ever fetched came from its own origin.
      const origin = new URL(url).origin;
      expect(requests.filter((r) => new URL(r.url).origin !== origin)).toEqual([]);
      await element.getByRole('button', { name: 'Stop' }).click();
      expect(await storageSnapshot(page)).toEqual(before); // no audio (nor anything else) kept
      expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
      // The policy is enforced: inline script, eval and other origins are refused.
      const refused = await page.evaluate(async () => {
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.body.append(script);
        // A string timer is eval; run later, outside this DevTools evaluation (which CSP exempts).
        (setTimeout as unknown as (code: string, ms: number) => void)('window.__evalRan = true', 0);
        await new Promise((r) => setTimeout(r, 100));
        const evalRefused = !(window as unknown as { __evalRan?: boolean }).__evalRan;
        const fetchRefused = await fetch('https://example.com/upload', { method: 'POST', body: 'audio' }).then(
          () => false,
          () => true,
        );
        return { inline: !(window as unknown as { __inlineRan?: boolean }).__inlineRan, evalRefused, fetchRefused };
      });
      expect(refused).toEqual({ inline: true, evalRefused: true, fetchRefused: true });
      // Each refused once per policy (the header and the meta tag both enforce it).
      const directives = () => page.evaluate(() => [...new Set((window as unknown as { __violations: string[] }).__violations.map((v) => v.split(' ')[0]))].sort());
      await expect.poll(directives).toEqual(['connect-src', 'script-src', 'script-src-elem']);
    });
  }, 120_000);

  it('a service-worker update waits for the user: listening goes on until they press Reload', async () => {
    const site = join(dir, 'site');
    cpSync('dist', site, { recursive: true });
    const mic = makeMicWav(dir, 'update', ['7_george_1', '3_theo_0'], 48000, [3, 1]);
    const server = await serveStatic(site);
    const browser = await chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs(mic.path) });
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.reload(); // controlled by the service worker, as on every visit after the first
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await collectDigits(page);
      const element = page.locator('digit-listener');
      await element.getByRole('button', { name: 'Start' }).click();
      await waitForDigits(page, 1);
      await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
      // A new version is deployed while the user is speaking.
      writeFileSync(join(site, 'sw.js'), `${readFileSync(join(site, 'sw.js'), 'utf8')}\n// next version\n`);
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
      const status = page.locator('#app-status');
      await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/A new version is ready/);
      expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())!.waiting))).toBe(true);
      // Not reloaded, still listening, still recognizing.
      await waitForDigits(page, 2);
      expect((await collectedDigits(page)).map((d) => d.digit)).toEqual([7, 3]);
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      expect(await element.getAttribute('state')).toMatch(/listening|speech/);
      // The user accepts: the new version takes over and the page reloads.
      await Promise.all([page.waitForEvent('load'), status.getByRole('button', { name: 'Reload' }).click()]);
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBeUndefined();
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting)).toBeNull();
    } finally {
      await browser.close();
      await server.close();
    }
  }, 120_000);
});
