/**
 * Enrollment in the browser (groundwork of issue 15): the headless recognizer of the built
 * package adapts to a held-out synthetic voice in its worker, reads with the profile, refuses
 * another model's profile, and keeps profiles in IndexedDB (list, export, import, delete).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/audio/wav';
import { planSynth, synthesize } from '../../training/synth/generate';
import { builtLib } from '../helpers/packed';
import { findChromium } from './chromium';
import { withHeadlessPage } from './headless-page';

const chromiumPath = findChromium();

/** What the page reports. */
interface EnrollResult {
  heldBack: { takes: number; before: number; after: number };
  examples: number;
  anchors: number;
  adaptMs: number;
  general: number;
  personal: number;
  refused: string;
  stillInUse: boolean;
  listed: string[];
  fileName: string;
  sameWeights: boolean;
  notAProfile: string;
  afterDelete: number;
}

/** A take as sent to the page: samples as a plain array. */
interface PageTake {
  samples: number[];
  sampleRate: number;
  digit: number;
  take: number;
}

describe.skipIf(!chromiumPath)('enrollment with the headless recognizer (built package, Chromium)', () => {
  let dir: string;
  let takes: PageTake[];
  beforeAll(async () => {
    builtLib();
    dir = mkdtempSync(join(tmpdir(), 'digit-enroll-'));
    // picogb2: SVOX Pico en-GB at a held-out prosody, three takes of each digit; of the 16 held-out
    // Pico and RHVoice speakers the one the shipped heads read worst (18 of its 20 takes 1–2).
    takes = [];
    for (const e of planSynth(dir, 0, 0, 1).filter((x) => x.speaker === 'picogb2' && x.digit >= 0)) {
      const take = Number(/_(\d+)\.wav$/.exec(e.path)![1]);
      const path = join(dir, `${e.digit}_${take}.wav`);
      await synthesize({ ...e, path });
      const audio = decodeWav(new Uint8Array(readFileSync(path)), path);
      takes.push({ samples: Array.from(audio.samples), sampleRate: audio.sampleRate, digit: e.digit, take });
    }
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adapts in the worker, reads better with the profile, refuses another model’s, and stores profiles in IndexedDB', async () => {
    await withHeadlessPage(chromiumPath!, undefined, async (page) => {
      await page.evaluate((all) => ((window as unknown as { takes: PageTake[] }).takes = all), takes);
      // A string, so the test runner does not rewrite the dynamic import.
      const result = await page.evaluate<EnrollResult>(`(async () => {
        const { ProfileStore } = await import('/lib/recognizer.js');
        const r = window.recognizer;
        const rec = (t) => ({ audio: new Float32Array(t.samples), sampleRate: t.sampleRate, digit: t.digit });
        const enroll = window.takes.filter((t) => t.take === 0).map(rec);
        const heldBack = window.takes.filter((t) => t.take > 0).map(rec);
        const readRight = async () => {
          let right = 0;
          for (const t of heldBack) {
            const { digits } = await r.recognize(t.audio, t.sampleRate);
            if (digits.length === 1 && digits[0].digit === t.digit) right++;
          }
          return right;
        };
        const general = await readRight();
        const e = await r.enroll(enroll, heldBack);
        await r.useProfile(e.profile);
        const personal = await readRight();
        const refused = await r.useProfile({ ...e.profile, model: '00000000' }).then(() => 'accepted', (err) => err.code + ': ' + err.message);
        const stillInUse = r.profile === e.profile;
        // Profiles in IndexedDB: save, list by model, export and import, delete.
        const store = await ProfileStore.open();
        const saved = await store.save('Ana', e.profile);
        const listed = (await store.list(e.profile.model)).map((p) => p.name);
        const file = ProfileStore.toFile(saved);
        const back = await ProfileStore.fromFile(file);
        const notAProfile = await ProfileStore.fromFile(new File(['{"hello":1}'], 'notes.json')).then(() => 'accepted', (err) => err.message);
        await store.delete(saved.id);
        const afterDelete = (await store.list()).length;
        store.close();
        return {
          heldBack: e.heldBack, examples: e.examples, anchors: e.anchors, adaptMs: e.adaptMs, general, personal, refused, stillInUse,
          listed, fileName: file.name, sameWeights: JSON.stringify(back.head) === JSON.stringify(e.profile.head), notAProfile, afterDelete,
        };
      })()`);
      console.log(
        `enrollment in Chromium: held-back takes right ${result.heldBack.before} → ${result.heldBack.after} of ${result.heldBack.takes}; ` +
          `adaptation ${Math.round(result.adaptMs)} ms on ${result.examples} windows + ${result.anchors} anchors`,
      );
      expect(result.heldBack.takes).toBe(20);
      expect(result.heldBack.after).toBeGreaterThan(result.heldBack.before);
      expect([result.general, result.personal]).toEqual([result.heldBack.before, result.heldBack.after]);
      expect(result.anchors).toBe(500); // 128 non-digit words, 132 Speech Commands digits, 240 FSDD digits
      expect(result.examples).toBe(150); // 10 takes × (itself + 2 gains + 2 noises + 6 speeds + 4 VTLP warps)
      expect(result.refused).toMatch(/^profile-refused: voice profile the profile given cannot be used: it was made for another model \(00000000; this model is [0-9a-f]{8}\)/);
      expect(result.stillInUse).toBe(true);
      expect(result.listed).toEqual(['Ana']);
      expect(result.fileName).toBe('Ana.dlprofile.json');
      expect(result.sameWeights).toBe(true);
      expect(result.notAProfile).toBe('notes.json is not a digit-listener voice profile (version 1)');
      expect(result.afterDelete).toBe(0);
    });
  }, 120_000);
});
