/**
 * WebKitGTK's MiniBrowser, driven by selenium-webdriver through WebKitWebDriver under xvfb-run
 * (test/browser/engines/webkit.ts): the suite every engine runs (test/browser/engines/suite.ts —
 * the production build and the Vite and webpack consumer apps of the packed package each
 * recognize a spoken digit from the fake microphone, on wasm SIMD; the service worker controls the
 * build after a reload; its CSP parses without a warning), and here the digit must arrive although
 * WebKitGTK has no SharedArrayBuffer even in a cross-origin-isolated page. WebKit's CSP warnings
 * are read from a MiniBrowser of their own (`webkitConsoleOfLoad`); it knows no `manifest-src`,
 * and said so twice while the policy had one.
 */
import { expect } from 'vitest';
import { webkitConsoleOfLoad } from './engines';
import { UNKNOWN_DIRECTIVE } from './engines/csp-control';
import { describeEngineSuite } from './engines/suite';

/** Every line about a policy: an unknown directive, a refused load. */
const aboutCsp = (lines: string[]) => lines.filter((l) => /Content.Security.Policy/i.test(l));

describeEngineSuite('webkit', {
  title: 'WebKitGTK (MiniBrowser, selenium-webdriver, WebKitWebDriver)',
  runtime: {
    title: 'without SharedArrayBuffer',
    // Isolated by COOP/COEP, yet no SharedArrayBuffer: nothing in the app may need one.
    check: (facts) => expect(facts.sharedArrayBuffer).toBe(false),
  },
  csp: {
    controlWarning: `Unrecognized Content-Security-Policy directive '${UNKNOWN_DIRECTIVE}'`,
    warnings: async ({ control, app }) => ({ control: aboutCsp(await webkitConsoleOfLoad(control)), app: aboutCsp(await webkitConsoleOfLoad(app)) }),
  },
});
