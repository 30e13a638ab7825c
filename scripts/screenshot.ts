/**
 * `npm run screenshot` — docs/element.png for the README: the built plain-HTML example in
 * headless Chromium after a fake microphone said "seven" (needs `npm run build:lib`, Chromium, sox).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, findChromium, writeMicWav } from '../test/browser/chromium';
import { serveStatic } from '../test/browser/static-server';
import { clipSequence } from '../test/helpers/fsdd';

const chromiumPath = findChromium();
if (!chromiumPath) throw new Error('Chromium is needed for the screenshot');
const dir = mkdtempSync(join(tmpdir(), 'digit-shot-'));
writeMicWav(join(dir, 'mic.wav'), clipSequence(['7_lucas_2'], 0, 2), 48000);
const server = await serveStatic('.');
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs(join(dir, 'mic.wav')) });
try {
  const page = await browser.newPage({ viewport: { width: 640, height: 480 }, deviceScaleFactor: 2 });
  await page.goto(`${server.url}examples/plain/`);
  await page.locator('digit-listener').getByRole('button', { name: 'Listen' }).click();
  await page.waitForFunction(() => document.querySelector('digit-listener')?.shadowRoot?.querySelector('[part=digit]')?.textContent?.trim() === '7', undefined, {
    timeout: 20_000,
  });
  await page.locator('digit-listener').screenshot({ path: 'docs/element.png' });
  console.log('wrote docs/element.png');
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
