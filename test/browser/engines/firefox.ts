/**
 * Firefox ESR (Debian `firefox-esr`) driven by puppeteer-core over WebDriver BiDi — no
 * geckodriver. Headless Firefox has no audio device, so cubeb's mock context stands in for one
 * (without it every AudioContext stays `suspended`); the microphone is the fake one of
 * fake-microphone.ts, installed as a BiDi preload script (before the page's scripts run).
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { type EnginePage, callSource, collectLines, findBrowser, installPageProbes, pollUntil, readPageProbes } from './engine-page';
import { installFakeMicrophone } from './fake-microphone';

/** Firefox's binary: `FIREFOX_PATH`, else /usr/bin/firefox-esr; null (tests skip loudly) if neither exists. */
export function findFirefox(): string | null {
  return findBrowser('Firefox ESR', [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr'], 'apt-get install firefox-esr, or set FIREFOX_PATH');
}

/**
 * Preferences of the test profile: an audio backend without a device, Web Audio and media allowed
 * to start without a gesture (as Chromium's autoplay flag), the content console copied to stdout,
 * and less background traffic than puppeteer's profile already stops (this network reaches no
 * Mozilla service).
 */
export const FIREFOX_PREFS: Readonly<Record<string, unknown>> = Object.freeze({
  'media.cubeb.force_mock_context': true,
  'media.autoplay.default': 0,
  'media.autoplay.block-webaudio': false,
  'devtools.console.stdout.content': true,
  'browser.safebrowsing.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'app.normandy.enabled': false,
  'browser.region.network.url': '',
});

/**
 * Launches headless Firefox at `executablePath` (default {@link findFirefox}), opens a page whose
 * documents all get the fake microphone playing `micWavUrl` (same origin as the app: see
 * fake-microphone.ts), navigates to `url`, runs `fn`, and always closes the browser.
 * `options.prefs` adds to or overrides {@link FIREFOX_PREFS}; `leadSeconds` of silence precede the WAV.
 *
 * @throws Error if no Firefox is found, or whatever `fn` throws
 */
export async function withFirefoxPage(
  url: string,
  micWavUrl: string,
  fn: (page: EnginePage, raw: { browser: Browser; page: Page }) => Promise<void>,
  options: { executablePath?: string; leadSeconds?: number; prefs?: Record<string, unknown> } = {},
): Promise<void> {
  const executablePath = options.executablePath ?? findFirefox();
  if (!executablePath) throw new Error('Firefox is not installed');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath,
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS, ...options.prefs },
    // Headless needs no display. The CSP parser's debug log names each warning it sends to the web
    // console, which reaches neither BiDi (it reports errors only) nor stdout.
    env: { ...process.env, DISPLAY: '', MOZ_CRASHREPORTER_DISABLE: '1', MOZ_LOG: 'CSPParser:4' },
  });
  const lines: string[] = [];
  const output = (stream: string) => (line: string) => {
    if (!line.includes('/CSPParser ')) lines.push(`[${stream}] ${line}`);
    else if (line.includes('logWarningErrorToConsole')) lines.push(`[csp-warning] ${line.replace(/^.*logWarningErrorToConsole:\s*/, '')}`);
  };
  collectLines(browser.process()?.stdout, output('stdout'));
  collectLines(browser.process()?.stderr, output('stderr'));
  try {
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    page.on('console', (m) => lines.push(`[console.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => lines.push(`[pageerror] ${(e as Error).message ?? e}`));
    await page.evaluateOnNewDocument(callSource(installPageProbes, undefined));
    await page.evaluateOnNewDocument(callSource(installFakeMicrophone, { wavUrl: micWavUrl, leadSeconds: options.leadSeconds ?? 0.3 }));
    const evaluate = <T, A>(f: (arg: A) => T | Promise<T>, arg?: A) => page.evaluate(callSource(f, arg)) as Promise<T>;
    const enginePage: EnginePage = {
      engine: 'firefox',
      version: await browser.version(),
      goto: async (to) => void (await page.goto(to, { waitUntil: 'load' })),
      reload: async () => void (await page.reload({ waitUntil: 'load' })),
      evaluate,
      waitFor: (what, f, arg, timeoutMs = 20_000) => pollUntil(what, () => evaluate(f, arg), timeoutMs),
      click: async (...selectors) => {
        const handle = await page.evaluateHandle(
          callSource((path: string[]) => {
            let root: Document | ShadowRoot = document;
            let found: Element | null = null;
            for (const [i, s] of path.entries()) {
              found = root.querySelector(s);
              if (!found) throw new Error(`no element ${path.slice(0, i + 1).join(' >>> ')}`);
              if (i < path.length - 1) {
                if (!found.shadowRoot) throw new Error(`${s} has no open shadow root`);
                root = found.shadowRoot;
              }
            }
            return found!;
          }, selectors),
        );
        await (handle as import('puppeteer-core').ElementHandle<Element>).click();
        await handle.dispose();
      },
      problems: () => evaluate(readPageProbes),
      consoleLines: () => [...lines],
    };
    await enginePage.goto(url);
    await fn(enginePage, { browser, page });
  } finally {
    await browser.close();
  }
}
