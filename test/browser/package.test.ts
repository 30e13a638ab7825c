/**
 * The built package (`npm run build:lib` → lib/, custom-elements.json) used the way a web
 * developer would: the plain-HTML, kiosk PIN and React example pages served as static files, in headless
 * Chromium with a fake microphone; and its custom-elements manifest.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipSequence } from '../helpers/fsdd';
import { builtLib } from '../helpers/packed';
import { axeViolations } from './axe';
import { chromiumArgs, findChromium, writeMicWav } from './chromium';
import { serveStatic } from './static-server';

const ROOT = resolve(import.meta.dirname, '../..');
const chromiumPath = findChromium();

interface ManifestElement {
  tagName: string;
  attributes: { name: string }[];
  events: { name: string }[];
  cssParts: { name: string }[];
  cssProperties: { name: string }[];
  slots: { name: string }[];
  members: { name: string; kind: string; privacy?: string }[];
}

describe('the package', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'digit-package-'));
    builtLib();
    execFileSync('npm', ['run', 'build:examples'], { cwd: ROOT, stdio: 'pipe', env: { ...process.env } }); // the React page
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Writes a fake-microphone WAV (0.5 s silence, the FSDD clips `gapS` apart, 2 s tail) at `rate`
   * via sox, serves the project root, launches Chromium with it as the microphone, opens
   * `examples/<example>` (a path, e.g. `plain/`) and runs `fn`; always cleans up.
   */
  async function withExample(example: string, clips: string[], gapS: number, rate: number, fn: (page: Page) => Promise<void>): Promise<void> {
    const wav = join(dir, `${example.replace(/\W/g, '-')}.wav`);
    // The tail is the clip's gap and 2 s of silence, as a person pausing after the number.
    writeMicWav(wav, clipSequence(clips, gapS, 2), rate);
    const server = await serveStatic(ROOT);
    const browser = await chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs(wav) });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}examples/${example}`);
      await page.waitForFunction(() => customElements.get('digit-listener'));
      await fn(page);
    } finally {
      await browser.close();
      await server.close();
    }
  }

  it('describes its whole API in custom-elements.json, named in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { customElements: string; exports: Record<string, { import?: string }> };
    expect(pkg.customElements).toBe('custom-elements.json');
    expect(pkg.exports['.'].import).toBe('./lib/digit-listener.js');
    const manifest = JSON.parse(readFileSync(join(ROOT, pkg.customElements), 'utf8')) as { modules: { declarations?: ManifestElement[] }[] };
    const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'digit-listener') as ManifestElement;
    expect(element).toBeDefined();
    const names = (list: { name: string }[]) => list.map((x) => x.name).sort();
    expect(names(element.attributes)).toEqual(
      ['confidence-threshold', 'continuous', 'digits-timeout', 'for', 'max-digits', 'maxlength', 'minlength', 'model-src', 'name', 'required', 'state', 'wasm-path'].sort(),
    );
    expect(names(element.events)).toEqual(['digit', 'digits', 'enrolled', 'error', 'listening-change', 'profile-change']);
    expect(names(element.cssParts)).toEqual(['button', 'clear', 'confidence', 'digit', 'digits', 'enrollment', 'level', 'remark']);
    expect(names(element.cssProperties)).toEqual(['--digit-listener-accent']);
    expect(names(element.slots)).toEqual(['start-label']);
    const publicMembers = element.members.filter((m) => !m.privacy || m.privacy === 'public').map((m) => m.name);
    for (const m of ['start', 'stop', 'value', 'checkValidity', 'continuous', 'confidenceThreshold', 'modelSrc', 'wasmPath', 'startEnrollment', 'cancelEnrollment', 'profile'])
      expect(publicMembers).toContain(m);
  });

  it.skipIf(!chromiumPath)(
    'works from the plain HTML example: digit strings, slot label, re-import, subclassing, no axe violations',
    async () => {
      await withExample('plain/', ['4_george_0', '1_jackson_1'], 0.3, 48000, async (page) => {
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        expect(await axeViolations(page)).toEqual([]);
        // The slotted label names the button.
        await page.locator('digit-listener').getByRole('button', { name: 'Listen' }).click();
        await expect.poll(() => page.locator('#number').textContent(), { timeout: 20_000 }).toBe('41');
        // Model and wasm came from beside the module, SIMD on.
        expect(await page.evaluate(() => (document.querySelector('digit-listener') as unknown as { backend: { simd: boolean } }).backend.simd)).toBe(true);
        // A second copy of the registering module does not throw; the class registers under any name.
        // (A string, so the test runner does not rewrite the dynamic imports.)
        const result = await page.evaluate(`(async () => {
        await import('/lib/digit-listener.js?second-copy');
        const { DigitListener } = await import('/lib/digit-listener-class.js');
        customElements.define('my-digits', class extends DigitListener {});
        return document.createElement('my-digits') instanceof DigitListener;
      })()`);
        expect(result).toBe(true);
        expect(errors).toEqual([]);
      });
    },
    120_000,
  );

  it.skipIf(!chromiumPath)(
    'kiosk PIN example: four spoken digits submit the form by themselves',
    async () => {
      // 0.4 s apart (closer strings: see the README's note on digit strings).
      await withExample('pin/', ['7_lucas_2', '2_george_4', '9_theo_4', '3_yweweler_0'], 0.4, 44100, async (page) => {
        await page.evaluate(() => window.addEventListener('pin-submitted', (e) => ((window as unknown as { pin: string }).pin = (e as CustomEvent<string>).detail)));
        expect(await axeViolations(page)).toEqual([]);
        await page.locator('digit-listener').getByRole('button', { name: 'Start' }).click();
        await page.waitForFunction(() => 'pin' in window, undefined, { timeout: 20_000 });
        expect(await page.evaluate(() => (window as unknown as { pin: string }).pin)).toBe('7293');
        expect(await page.locator('#result').textContent()).toBe('Submitted a PIN of 4 digits.');
        expect(await page.locator('digit-listener').getAttribute('state')).toBe('idle');
        // "Start over" resets the field: the form is invalid again.
        await page.getByRole('button', { name: 'Start over' }).click();
        expect(await page.evaluate(() => (document.getElementById('pin-form') as HTMLFormElement).checkValidity())).toBe(false);
      });
    },
    120_000,
  );

  it.skipIf(!chromiumPath)(
    'React example: the app sees each digit and each spoken number through the events',
    async () => {
      await withExample('react/dist/', ['5_lucas_0', '8_nicolas_1', '0_jackson_4'], 0.35, 48000, async (page) => {
        expect(await axeViolations(page)).toEqual([]);
        await page.locator('digit-listener').getByRole('button', { name: 'Start' }).click();
        await expect.poll(() => page.locator('#numbers li').allTextContents(), { timeout: 20_000 }).toEqual(['580']);
        expect(await page.locator('#hearing').textContent()).toBe('');
      });
    },
    120_000,
  );
});
