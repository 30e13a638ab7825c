/**
 * Enrollment in the app (groundwork of issue 15): "Teach it my voice" asks for each digit twice
 * while a held-out synthetic voice says them into the fake microphone; the element shows a tick
 * per digit, adapts in the worker, says how it did on the held-back round, and Keep stores the
 * profile in IndexedDB and lists it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav16 } from '../../src/audio/wav';
import { ENROLLMENT_ORDER } from '../../src/adaptation/enroll';
import { planSynth, synthesize } from '../../training/synth/generate';
import { concat } from '../helpers/fsdd';
import { buildAppOnce, withApp } from './app-harness';
import { axeViolations } from './axe';
import { chromiumArgs, findChromium } from './chromium';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('enrollment in the app (production build, Chromium)', () => {
  let dir: string;
  let wav: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'digit-app-enroll-'));
    await buildAppOnce();
    // picogb0 (SVOX Pico en-GB, a held-out prosody) says the digits in the order asked, takes 0 then 1.
    const entries = planSynth(dir, 0, 0, 1).filter((e) => e.speaker === 'picogb0' && e.digit >= 0);
    const parts: Float32Array[] = [];
    let rate = 16000;
    parts.push(new Float32Array(rate)); // 1 s before the first digit
    for (const take of [0, 1]) {
      for (const digit of ENROLLMENT_ORDER) {
        const entry = entries.find((e) => e.digit === digit && e.path.endsWith(`_${take}.wav`))!;
        const path = join(dir, `${digit}_${take}.wav`);
        await synthesize({ ...entry, path });
        const audio = decodeWav(new Uint8Array(readFileSync(path)), path);
        rate = audio.sampleRate;
        parts.push(audio.samples, new Float32Array(Math.round(1.2 * rate)));
      }
    }
    writeFileSync(join(dir, 'mic.raw.wav'), encodeWav16(concat(...parts), rate));
    wav = join(dir, 'mic.wav');
    execFileSync('sox', [join(dir, 'mic.raw.wav'), '-r', '48000', '-b', '16', wav]);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('asks for each digit, ticks it off, adapts, shows the held-back result, and keeps the profile in IndexedDB', async () => {
    await withApp(chromiumPath!, chromiumArgs(wav), async ({ browser, url }) => {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(url);
      await page.waitForFunction(() => customElements.get('digit-listener'));
      await page.evaluate(() => {
        const w = window as unknown as { enrolled: unknown[] };
        w.enrolled = [];
        document.querySelector('digit-listener')!.addEventListener('enrolled', (e) => w.enrolled.push((e as CustomEvent).detail));
      });
      const listener = page.locator('digit-listener');
      await page.getByRole('button', { name: 'Teach it my voice' }).click();
      await listener.getByText('Say', { exact: false }).first().waitFor();
      // A tick per digit as it is heard.
      await page.waitForFunction(() => document.querySelector('digit-listener')!.shadowRoot!.querySelectorAll('.ticks > li.heard').length >= 3, undefined, { timeout: 20_000 });
      await page.waitForFunction(() => (window as unknown as { enrolled: unknown[] }).enrolled.length === 1, undefined, { timeout: 60_000 });
      const detail = await page.evaluate(() => (window as unknown as { enrolled: { heldBack: { takes: number; before: number; after: number } }[] }).enrolled[0]);
      console.log(`enrollment in the app: held-back round ${detail.heldBack.before} → ${detail.heldBack.after} of ${detail.heldBack.takes}`);
      expect(detail.heldBack.takes).toBe(10);
      expect(detail.heldBack.after).toBeGreaterThanOrEqual(detail.heldBack.before);
      await expect
        .poll(() => listener.locator('.enroll-message').textContent())
        .toBe(`On the takes held back: ${detail.heldBack.before} of 10 right before, ${detail.heldBack.after} of 10 with your voice.`);
      expect(await axeViolations(page)).toEqual([]);
      await listener.getByRole('button', { name: 'Keep my voice' }).click();
      await expect.poll(() => page.locator('#profile-status').textContent()).toBe('Saved as "Profile 1" and in use.');
      expect(await page.locator('#profile-select option:checked').textContent()).toMatch(/^Profile 1 /);
      expect(await page.evaluate(() => (document.querySelector('digit-listener') as unknown as { profile: { format: string } | null }).profile?.format)).toBe(
        'digit-listener-profile',
      );
      // Delete: gone from the list, the general model in use.
      await page.getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => page.locator('#profile-status').textContent()).toBe('Deleted "Profile 1"; using the general model.');
      expect(await page.locator('#profile-select option').count()).toBe(1);
      expect(pageErrors).toEqual([]);
    });
  }, 180_000);
});
