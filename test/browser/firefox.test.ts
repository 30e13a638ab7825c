/**
 * Firefox ESR, driven by puppeteer-core over WebDriver BiDi (test/browser/engines/firefox.ts): the
 * suite every engine runs (test/browser/engines/suite.ts — the production build and the Vite and
 * webpack consumer apps of the packed package each recognize a spoken digit from the fake
 * microphone, on wasm SIMD; the service worker controls the build after a reload; its CSP parses
 * without a warning). Firefox's CSP parser warnings are read from its debug log (MOZ_LOG), which
 * the driver copies into the page's console lines as `[csp-warning] <key>`.
 */
import { reloadUnderServiceWorker, withEnginePage } from './engines';
import { pollUntil } from './engines/engine-page';
import { describeEngineSuite } from './engines/suite';

const CONTROL_WARNING = '[csp-warning] couldNotProcessUnknownDirective';

describeEngineSuite('firefox', {
  title: 'Firefox ESR (puppeteer-core, WebDriver BiDi)',
  csp: {
    controlWarning: CONTROL_WARNING,
    warnings: async ({ control, app, micWav }) => {
      const seen = { control: [] as string[], app: [] as string[] };
      await withEnginePage('firefox', control, micWav, async (page) => {
        const warnings = (from = 0) =>
          page
            .consoleLines()
            .slice(from)
            .filter((l) => l.startsWith('[csp-warning]'));
        // The log reaches the driver a little after the load.
        await pollUntil("the control page's CSP warning", () => Promise.resolve(warnings().includes(CONTROL_WARNING)), 10_000).catch(() => undefined);
        seen.control = warnings();
        const from = page.consoleLines().length;
        await page.goto(app);
        // Later than any parse of the policy: the page has loaded and its service worker runs.
        await reloadUnderServiceWorker(page);
        seen.app = warnings(from);
      });
      return seen;
    },
  },
});
