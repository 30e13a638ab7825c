/**
 * One small page interface over the drivers of browsers that are not Chromium (puppeteer-core over
 * WebDriver BiDi for Firefox, selenium-webdriver over classic WebDriver for WebKitGTK), so a test
 * is written once and run in each engine.
 */
import { existsSync } from 'node:fs';

/** The engines these drivers start. */
export type EngineName = 'firefox' | 'webkit';

/**
 * A page in a browser that a driver started, with the fake microphone (fake-microphone.ts) and
 * the page probes installed in every document it loads: in Firefox before the document's own
 * scripts run, in WebKit as soon as it has loaded (`goto` and `reload` return after that).
 */
export interface EnginePage {
  readonly engine: EngineName;
  /** Browser name and version, as the browser reports them. */
  readonly version: string;
  /** Navigates and waits for the load event. */
  goto(url: string): Promise<void>;
  /** Reloads and waits for the load event. */
  reload(): Promise<void>;
  /**
   * Runs `fn(arg)` in the page and returns its (awaited, JSON-serializable) result. `fn` is
   * serialized: it may use nothing from the test's scope but `arg`.
   */
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Polls `fn(arg)` in the page until it is truthy. @throws Error naming `what` after `timeoutMs` */
  waitFor<A = undefined>(what: string, fn: (arg: A) => unknown, arg?: A, timeoutMs?: number): Promise<void>;
  /**
   * Clicks an element as a user would (trusted input through the driver): `selectors[0]` in the
   * document, each next one in the shadow root of the element found before it.
   */
  click(...selectors: string[]): Promise<void>;
  /**
   * Uncaught errors, unhandled rejections and CSP violations the page reported to its window (see
   * {@link installPageProbes}; in WebKit only those after the load, see webkit.ts).
   */
  problems(): Promise<PageProblems>;
  /**
   * Lines the browser and its driver wrote so far. Firefox: the page's console, uncaught errors,
   * and `[csp-warning] <key>` for every warning of its CSP parser (an unknown directive, say).
   * WebKit under automation writes none (see webkit.ts, `webkitConsoleOfLoad`).
   */
  consoleLines(): string[];
}

/** What {@link installPageProbes} records. */
export interface PageProblems {
  errors: string[];
  violations: string[];
}

/**
 * In-page (serialized, self-contained): records uncaught errors, unhandled rejections and
 * `securitypolicyviolation` events into `window.__pageProblems`.
 */
export function installPageProbes(): void {
  const w = window as unknown as { __pageProblems?: PageProblems };
  if (w.__pageProblems) return;
  const problems: PageProblems = { errors: [], violations: [] };
  w.__pageProblems = problems;
  window.addEventListener('error', (e) => problems.errors.push(String((e.error as Error | null)?.stack ?? e.message)));
  window.addEventListener('unhandledrejection', (e) => problems.errors.push(`unhandled rejection: ${String((e.reason as Error | null)?.stack ?? e.reason)}`));
  document.addEventListener('securitypolicyviolation', (e) => problems.violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`));
}

/** Reads what {@link installPageProbes} recorded (in-page, serialized). */
export function readPageProbes(): PageProblems {
  return (window as unknown as { __pageProblems?: PageProblems }).__pageProblems ?? { errors: ['page probes not installed'], violations: [] };
}

/**
 * Source of an expression that calls `fn(arg)` in a page. Test files are compiled with names kept
 * (esbuild's `__name(fn, "name")` wrappers), so the helper is defined next to the function.
 */
export function callSource(fn: (arg: never) => unknown, arg: unknown): string {
  return `(() => { const __name = (f) => f; return (${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)}); })()`;
}

/**
 * Polls `probe` every 100 ms until it resolves truthy.
 *
 * @throws Error naming `what` (and the last probe error, if any) after `timeoutMs`
 */
export async function pollUntil(what: string, probe: () => Promise<unknown>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown = null;
    try {
      if (await probe()) return;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${failure ? ` (last error: ${failure instanceof Error ? failure.message : JSON.stringify(failure)})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Finds a browser binary: the first existing path of `candidates` (an environment variable's value
 * first). Returns null — the tests skip with a loud message — unless `REQUIRE_BROWSER=1`, in
 * which case it throws (CI installs every engine).
 *
 * @throws Error if REQUIRE_BROWSER=1 and none exists
 */
export function findBrowser(label: string, candidates: (string | undefined)[], install: string): string | null {
  const paths = candidates.filter((p): p is string => Boolean(p));
  const found = paths.find((p) => existsSync(p)) ?? null;
  if (!found) {
    const message = `${label} not found (looked at ${paths.join(', ')}): its browser tests are SKIPPED. Install it (${install}).`;
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${message}`);
    console.warn(`\n${'!'.repeat(100)}\n!! ${message}\n${'!'.repeat(100)}\n`);
  }
  return found;
}

/** Splits a child process's output into lines and hands each to `push`. */
export function collectLines(stream: NodeJS.ReadableStream | null | undefined, push: (line: string) => void): void {
  let rest = '';
  stream?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) push(line);
  });
}
