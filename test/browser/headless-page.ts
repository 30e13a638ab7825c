import { resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { chromiumArgs } from './chromium';
import { serveStatic } from './static-server';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Serves the project, opens `examples/headless/` in Chromium (with `wav` on the fake microphone,
 * or no microphone) once its `window.recognizer` exists, runs `fn`, and expects no page error.
 * The browser and the server are closed whatever happens.
 */
export async function withHeadlessPage(chromiumPath: string, wav: string | undefined, fn: (page: Page, url: string) => Promise<void>): Promise<void> {
  const server = await serveStatic(ROOT);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs(wav) });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}examples/headless/`);
    await page.waitForFunction(() => 'recognizer' in window);
    await fn(page, server.url);
    expect(pageErrors).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
  }
}
