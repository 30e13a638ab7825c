/**
 * Serves the built app for the engine tests as `npm start` does (`vite preview` with the app's
 * headers: COOP/COEP and the CSP), plus the fake-microphone WAVs of one folder on the same origin.
 */
import { preview } from 'vite';
import { micWavsPlugin } from './fake-microphone';

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
