/**
 * Steps of the app's tests that every engine shares, written once over {@link EnginePage}: listen
 * for digits through the fake microphone, read what the element and the page report, reload under
 * the service worker.
 */
import type { EnginePage } from './engine-page';
import type { FakeMicrophoneState } from './fake-microphone';

/** `detail` of a `digit` event, as collected. */
export interface HeardDigit {
  digit: number;
  confidence: number;
  probabilities: number[];
  startMs: number;
  endMs: number;
}

/**
 * Collects the `digit` events of the page's `<digit-listener>`, presses its Start button (a
 * trusted click), waits until `count` digits arrived or `timeoutMs` passed, then 1.5 s more to
 * catch digits that should not be there. Returns the digits.
 */
export async function listenForDigits(page: EnginePage, count: number, timeoutMs: number): Promise<HeardDigit[]> {
  await page.evaluate(() => {
    const w = window as unknown as { heardDigits: unknown[] };
    w.heardDigits = [];
    document.querySelector('digit-listener')!.addEventListener('digit', (e) => w.heardDigits.push((e as CustomEvent).detail));
  });
  await page.waitFor('the Start button', () => {
    const button = document.querySelector('digit-listener')?.shadowRoot?.querySelector('button[part=button]') as HTMLButtonElement | null;
    return button !== null && !button.disabled;
  });
  await page.click('digit-listener', 'button[part=button]');
  await page.waitFor(`${count} digit event(s)`, (n) => (window as unknown as { heardDigits: unknown[] }).heardDigits.length >= n, count, timeoutMs).catch(() => undefined); // the caller's assertion says what arrived
  await new Promise((r) => setTimeout(r, 1500));
  return page.evaluate(() => (window as unknown as { heardDigits: HeardDigit[] }).heardDigits);
}

/** What the page and its element report about the runtime once listening started. */
export interface AppFacts {
  /** `<digit-listener>`'s `backend` property. */
  backend: { backend: string; simd: boolean; threads: boolean; [more: string]: unknown } | null;
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  /** The element's `state` attribute. */
  state: string | null;
  microphone: FakeMicrophoneState | null;
}

/** Reads {@link AppFacts} from the page. */
export function appFacts(page: EnginePage): Promise<AppFacts> {
  return page.evaluate(() => {
    const element = document.querySelector<HTMLElement & { backend: AppFacts['backend'] }>('digit-listener');
    return {
      backend: element?.backend ? { ...element.backend } : null,
      crossOriginIsolated: self.crossOriginIsolated,
      sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
      state: element?.getAttribute('state') ?? null,
      microphone: (window as unknown as { __fakeMicrophone?: FakeMicrophoneState }).__fakeMicrophone ?? null,
    };
  });
}

/**
 * Waits until the service worker is active (`navigator.serviceWorker.ready`), reloads, and waits
 * until it controls the page. Returns whether a worker controlled the page before and after.
 */
export async function reloadUnderServiceWorker(page: EnginePage, timeoutMs = 30_000): Promise<{ before: boolean; after: boolean }> {
  await page.waitFor(
    'navigator.serviceWorker.ready',
    () => 'serviceWorker' in navigator && Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise((r) => setTimeout(() => r(false), 1000))]),
    undefined,
    timeoutMs,
  );
  const before = await page.evaluate(() => navigator.serviceWorker.controller !== null);
  await page.reload();
  await page.waitFor('a controlling service worker', () => navigator.serviceWorker.controller !== null, undefined, 10_000).catch(() => undefined);
  const after = await page.evaluate(() => navigator.serviceWorker.controller !== null);
  return { before, after };
}
