/**
 * The production app for the browser soak: built into a folder of its own (so a soak never
 * rewrites the `dist/` other test runs are serving; scripts/app-build.ts builds and serves it)
 * and opened in Chromium with a fake microphone that loops a WAV.
 */
import { resolve } from 'node:path';
import { chromiumArgs } from '../../test/browser/chromium';

/** Where the soak builds the app (gitignored). */
export const SOAK_DIST_DIR = resolve(import.meta.dirname, '../../.cache/soak/dist');

/**
 * Chromium flags for a soak: those of the tests (test/browser/chromium.ts), the microphone
 * allowed, and a fake microphone playing `wav` in a loop (no `%noloop`), plus exact heap
 * figures (`--enable-precise-memory-info`) and `gc()` in every context (`--js-flags=--expose-gc`),
 * so that heap samples are taken after a full collection.
 */
export function loopingMicArgs(wav: string): string[] {
  return [
    ...chromiumArgs(),
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
    '--enable-precise-memory-info',
    '--js-flags=--expose-gc',
  ];
}
