import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { encodeWav16 } from '../../src/audio/wav';

/**
 * Finds Chromium for the browser tests: `CHROME_PATH`, then /usr/bin/chromium. Returns null
 * (tests skip with a loud message) when none is found, unless `REQUIRE_BROWSER=1`, in which case
 * it throws — CI installs Chromium and sets it.
 */
export function findChromium(): string | null {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p)) ?? null;
  if (!found) {
    const message = `Chromium not found (looked at ${candidates.join(', ')}): browser tests are SKIPPED. Install it (apt-get install chromium) or set CHROME_PATH.`;
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${message}`);
    console.warn(`\n${'!'.repeat(100)}\n!! ${message}\n${'!'.repeat(100)}\n`);
  }
  return found;
}

/**
 * Flags Chromium needs on this closed network, plus a fake microphone playing `wav` once.
 * With `autoAllowMicrophone: false` the page must be granted the microphone (or is denied).
 */
export function chromiumArgs(wav?: string, autoAllowMicrophone = true): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    ...(wav && autoAllowMicrophone ? ['--use-fake-ui-for-media-stream'] : []),
    ...(wav ? ['--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}%noloop`] : []),
  ];
}

/**
 * Writes `signal` (8 kHz, mono) as the fake microphone's 16-bit WAV at `rate` Hz: `path`.8k.wav is
 * written first and converted by sox (an independent resampler, so the test does not grade our
 * own). Returns the duration in seconds.
 */
export function writeMicWav(path: string, signal: Float32Array, rate: number): number {
  writeFileSync(`${path}.8k.wav`, encodeWav16(signal, 8000));
  execFileSync('sox', [`${path}.8k.wav`, '-r', String(rate), '-b', '16', path]);
  return signal.length / 8000;
}
