/**
 * The app's security headers, in one place: the Vite dev/preview servers send them, the build
 * writes them into `_headers` (Netlify, Cloudflare Pages) and puts the Content-Security-Policy
 * into index.html as a meta tag, for hosts that cannot send headers.
 */
import type { Plugin } from 'vite';

/**
 * Cross-origin isolation (COOP + COEP): makes SharedArrayBuffer available, which tfjs needs for
 * its multi-threaded wasm binary. Everything the app loads is same-origin, so `require-corp`
 * blocks nothing. Nothing requires it: WebKitGTK has no SharedArrayBuffer even when isolated, and
 * the app runs one thread everywhere (test/browser/webkit.test.ts).
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});

/**
 * Content-Security-Policy of the built app: only its own origin, no inline script or style, no
 * `eval`; `'wasm-unsafe-eval'` lets tfjs compile its WebAssembly (CSP Level 3). Nothing may be
 * sent anywhere but the origin the app came from (`connect-src 'self'`), so no audio can leave.
 * `frame-ancestors` works only as a header (a meta tag ignores it).
 *
 * Only directives every engine knows: WebKit has no `manifest-src` and warns about it (once for
 * the header, once for the meta tag); the web manifest falls back to `default-src 'self'`, which is
 * what `manifest-src 'self'` said, in every engine. test/browser/webkit.test.ts and
 * firefox.test.ts check that neither engine warns about the policy.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Headers a host serving the built app should send (dev server: isolation only, see below). */
export const APP_HEADERS = Object.freeze({
  ...CROSS_ORIGIN_ISOLATION_HEADERS,
  'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
});

/**
 * Build plugin: the policy as a `<meta http-equiv>` in index.html and every header in `_headers`.
 * Not applied by the dev server, whose hot reload injects inline styles and scripts.
 */
export function securityHeaders(): Plugin {
  return {
    name: 'digit-listener-security-headers',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
    generateBundle() {
      const lines = Object.entries(APP_HEADERS).map(([name, value]) => `  ${name}: ${value}`);
      this.emitFile({ type: 'asset', fileName: '_headers', source: `# Written by the build (scripts/security-headers.ts); see README, "Hosting".\n/*\n${lines.join('\n')}\n` });
    },
  };
}
