import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../../scripts/security-headers';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.css': 'text/css',
};

/**
 * Serves `root` over HTTP on a free localhost port with the COOP/COEP headers a host should send
 * (README, "Hosting"): how a page using the built package is served in the browser tests.
 */
export async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const base = resolve(root);
  // Not an async handler: node:http ignores the promise, so a rejection would go unhandled.
  const server: Server = createServer((req, res) => {
    let path: string;
    try {
      path = normalize(join(base, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    } catch {
      return void res.writeHead(400).end(); // malformed percent-encoding
    }
    if (!path.startsWith(base)) return void res.writeHead(403).end();
    readFile(path.endsWith('/') ? join(path, 'index.html') : path).then(
      (body) => {
        res.writeHead(200, {
          'Content-Type': TYPES[extname(path)] ?? (path.endsWith('/') ? TYPES['.html'] : 'application/octet-stream'),
          ...CROSS_ORIGIN_ISOLATION_HEADERS,
        });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
