/**
 * A control page for the engines' CSP checks: a policy with a directive no engine knows, so a
 * test can show that its way of reading the engine's warnings sees one before it asserts that the
 * app's policy gets none.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveStatic } from '../static-server';

/** The directive no engine knows. */
export const UNKNOWN_DIRECTIVE = 'no-such-directive';

/**
 * Serves a page whose meta-tag policy is the app's `policy` plus {@link UNKNOWN_DIRECTIVE} on a
 * free port; `close()` stops the server and removes the page.
 */
export async function serveCspControl(policy: string): Promise<{ url: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'csp-control-'));
  const content = `${policy}; ${UNKNOWN_DIRECTIVE} 'self'`.replaceAll("'", '&#39;');
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta http-equiv="Content-Security-Policy" content="${content}"><title>CSP control</title></head><body><p>control</p></body></html>`,
  );
  const server = await serveStatic(dir);
  return {
    url: server.url,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
