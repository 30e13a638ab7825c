/**
 * Building and serving the production app from scripts and tests (the browser tests, the bench,
 * the soak): one place that knows Vite's quirks.
 */
import { build, preview } from 'vite';

/**
 * Builds the app as `npm run build` does, into `outDir` (relative to the project root, or
 * absolute).
 *
 * @throws whatever Vite throws for a failed build
 */
export async function buildApp(outDir = 'dist'): Promise<void> {
  // Vite 8 decides production vs development before reading the config: say it first
  // (otherwise the build keeps Lit's dev mode and import.meta.env.DEV).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/**
 * Serves the build in `outDir` with `vite preview` (and the app's headers) on a free localhost
 * port; `close()` also drops kept-alive connections.
 *
 * @throws Error if Vite reports no URL
 */
export async function previewApp(outDir = 'dist'): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await preview({ logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  let closed: Promise<void> | null = null;
  const close = () => {
    (server.httpServer as { closeAllConnections?: () => void }).closeAllConnections?.();
    closed ??= server.close();
    return closed;
  };
  return { url, close };
}
