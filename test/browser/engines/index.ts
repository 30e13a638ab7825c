/**
 * The engines beside Chromium, behind one call: `withEnginePage('firefox' | 'webkit', url,
 * micWavUrl, fn)` runs `fn` with an {@link EnginePage} of the page at `url`, whose microphone plays
 * the WAV at `micWavUrl` (served from the page's origin: see fake-microphone.ts).
 */
import type { EngineName, EnginePage } from './engine-page';
import { findFirefox, withFirefoxPage } from './firefox';
import { findWebKit, withWebKitPage } from './webkit';

export type { EngineName, EnginePage, PageProblems } from './engine-page';
export { type AppFacts, appFacts, type HeardDigit, listenForDigits, reloadUnderServiceWorker } from './app-steps';
export { MIC_ROUTE, micWavsPlugin, micWavUrl } from './fake-microphone';
export { serveAppWithMic, serveConsumerWithMic } from './serve-app';
export { webkitConsoleOfLoad } from './webkit';

/** The engines these drivers start. */
export const ENGINES: readonly EngineName[] = ['firefox', 'webkit'];

/**
 * Whether `engine` is installed; when it is not, a loud message was printed (tests skip), or —
 * with REQUIRE_BROWSER=1 — an error thrown.
 *
 * @throws Error if REQUIRE_BROWSER=1 and the engine is missing
 */
export function engineInstalled(engine: EngineName): boolean {
  return engine === 'firefox' ? findFirefox() !== null : findWebKit() !== null;
}

/**
 * Starts `engine`, loads `url` with the fake microphone playing `micWavUrl`, runs `fn`, and always
 * stops the browser (see {@link withFirefoxPage}, {@link withWebKitPage}).
 *
 * @throws Error if the engine is not installed, or whatever `fn` throws
 */
export function withEnginePage(engine: EngineName, url: string, micWavUrl: string, fn: (page: EnginePage) => Promise<void>): Promise<void> {
  return engine === 'firefox' ? withFirefoxPage(url, micWavUrl, (page) => fn(page)) : withWebKitPage(url, micWavUrl, (page) => fn(page));
}
