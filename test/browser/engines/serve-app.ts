/**
 * Serves what the engine tests open, each with the fake-microphone WAVs of one folder on the same
 * origin (the page fetches its WAV itself: see fake-microphone.ts): the built app as `npm start`
 * does (`vite preview` with the app's headers: COOP/COEP and the CSP), and a consumer app of
 * test/consumers/ as its harness does (a static server with COOP/COEP).
 */
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { preview } from 'vite';
import type { Consumer, ServedConsumer } from '../../consumers/harness';
import { serveStatic } from '../static-server';
import { MIC_ROUTE, micWavsPlugin } from './fake-microphone';

/**
 * Serves the build in `outDir` with `vite preview` on a free 127.0.0.1 port and the `.wav` files
 * of `micDir` at `/__mic__/`; `close()` also drops kept-alive connections.
 *
 * @throws Error if Vite reports no URL
 */
export async function serveAppWithMic(micDir: string, outDir = 'dist'): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await preview({
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
    plugins: [micWavsPlugin(micDir)],
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  let closed: Promise<void> | null = null;
  return {
    url,
    close: () => {
      (server.httpServer as { closeAllConnections?: () => void }).closeAllConnections?.();
      closed ??= server.close();
      return closed;
    },
  };
}

/**
 * Serves a built consumer app (test/consumers/harness.ts) with the server its harness uses
 * (test/browser/static-server.ts: the folder alone, COOP/COEP) on a free port, and the `.wav`
 * files of `micDir` at `/__mic__/` beside it. The build is shared by every test file of the run
 * and measured by some, so nothing is added to it: the server's root is a folder of symbolic
 * links, one to each entry of the consumer's root and `__mic__` to `micDir`, removed by
 * `close()`. `root` stays the consumer's own (for the harness's `servedPath`).
 *
 * @throws Error if the consumer did not build (its output), or `/__mic__/` is taken in its build
 */
export async function serveConsumerWithMic(consumer: Consumer, micDir: string): Promise<ServedConsumer> {
  if (consumer.error) throw new Error(`the ${consumer.name} app did not build:\n${consumer.error}`);
  const micName = MIC_ROUTE.replaceAll('/', '');
  const entries = readdirSync(consumer.root);
  if (entries.includes(micName)) throw new Error(`${consumer.root} already holds ${micName}`);
  const overlay = mkdtempSync(join(tmpdir(), `digit-${consumer.name}-served-`));
  for (const entry of entries) symlinkSync(join(consumer.root, entry), join(overlay, entry));
  symlinkSync(resolve(micDir), join(overlay, micName));
  const server = await serveStatic(overlay).catch((error: unknown) => {
    rmSync(overlay, { recursive: true, force: true });
    throw error;
  });
  return {
    consumer,
    url: server.url + consumer.page,
    origin: server.url,
    root: consumer.root,
    close: async () => {
      await server.close();
      // The links only: rmSync does not follow them.
      rmSync(overlay, { recursive: true, force: true });
    },
  };
}
