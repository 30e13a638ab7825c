/**
 * The production app for the browser soak: built into a folder of its own (so a soak never
 * rewrites the `dist/` other test runs are serving), served by `vite preview` with the app's
 * headers, and opened in Chromium with a fake microphone that loops a WAV.
 */
import { resolve } from 'node:path';
import { build, preview } from 'vite';
import { chromiumArgs } from '../../test/browser/chromium';

/** Where the soak builds the app (gitignored). */
export const SOAK_DIST_DIR = resolve(import.meta.dirname, '../../.cache/soak/dist');

/**
 * Builds the app as `npm run build` does, into `outDir`.
 *
 * @throws whatever Vite throws for a failed build
 */
export async function buildSoakApp(outDir: string = SOAK_DIST_DIR): Promise<void> {
  // Vite decides production vs development before reading the config: say it first.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/** Serves `outDir` with `vite preview` on a free localhost port; `close()` also drops kept-alive connections. */
export async function serveSoakApp(outDir: string = SOAK_DIST_DIR): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await preview({ logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return {
    url,
    close: async () => {
      (server.httpServer as { closeAllConnections?: () => void }).closeAllConnections?.();
      await server.close();
    },
  };
}

/**
 * Chromium flags for a soak: those of the tests (test/browser/chromium.ts), the microphone
 * allowed, and a fake microphone playing `wav` in a loop (no `%noloop`), plus exact heap
 * figures (`--enable-precise-memory-info`) and `gc()` in every context (`--js-flags=--expose-gc`),
 * so that heap samples are taken after a full collection.
 */
export function loopingMicArgs(wav: string): string[] {
  return [
    ...chromiumArgs(),
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
    '--enable-precise-memory-info',
    '--js-flags=--expose-gc',
  ];
}
