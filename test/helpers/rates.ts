import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../bin/digit-listener.js');

/**
 * The sample rates microphones and sound cards commonly run at, Hz (issue 6, item 3): telephone
 * and Bluetooth HFP narrow band (8 kHz) and wide band (16 kHz), the old quarter/half CD rates
 * (22.05 / 44.1 kHz), the usual device rate (48 kHz) and high-resolution interfaces (96 kHz).
 */
export const COMMON_RATES = [8000, 16000, 22050, 44100, 48000, 96000] as const;

/**
 * Where the speech goes in a converted file: one channel (`mono`), or two channels with the
 * speech in only one of them and digital silence in the other (an interface with one microphone
 * plugged into its left or right input). Only a decoder or worklet that averages the channels
 * gets both of these right; one that reads a fixed channel, or takes interleaved frames for
 * samples, does not. (Identical channels cannot tell a downmix from reading channel 0.)
 */
export type ChannelLayout = 'mono' | 'left' | 'right';

/** sox `remix` arguments for a layout from a mono input; `0` is a silent channel (sox(1), remix). */
const REMIX: Record<ChannelLayout, string[]> = { mono: [], left: ['remix', '1', '0'], right: ['remix', '0', '1'] };

/** "44.1 kHz stereo (right channel only)" and the like, for test names and tables. */
export function describeFormat(rate: number, layout: ChannelLayout): string {
  return `${rate / 1000} kHz ${layout === 'mono' ? 'mono' : `stereo (${layout} channel only)`}`;
}

/**
 * Converts a mono WAV to `rate` Hz, 16-bit, in `layout`, with sox (an independent resampler,
 * so the tests do not grade the product's resampler with itself). sox's defaults apply: its
 * "high quality" rate effect and TPDF dither to 16 bits; `-R` seeds the dither with a fixed
 * number, so a rerun writes the same file.
 *
 * @throws Error from execFile if sox is missing or fails (its stderr in the message)
 */
export async function soxConvert(input: string, output: string, rate: number, layout: ChannelLayout): Promise<void> {
  await run('sox', ['-R', input, '-r', String(rate), '-b', '16', output, ...REMIX[layout]]);
}

/** One digit as `digit-listener recognize --json` prints it; times in ms since the file start. */
export interface CliDigit {
  digit: number;
  confidence: number;
  startMs: number;
  endMs: number;
}

/**
 * Runs `digit-listener recognize --json` over `files` (one process) and returns each file's
 * digits, in order.
 *
 * @throws Error if the CLI exits non-zero or a file could not be read
 */
export async function cliRecognize(files: string[]): Promise<CliDigit[][]> {
  const { stdout } = await run(process.execPath, [CLI, 'recognize', '--json', ...files], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const result = JSON.parse(line) as { file: string; digits?: CliDigit[]; error?: string };
      if (!result.digits) throw new Error(`${result.file}: ${result.error}`);
      return result.digits;
    });
}

/**
 * How far the words of `digits` sit from those of `reference`, relative to each one's first
 * word, ms: the largest |(startMs_i − startMs_0) − (ref startMs_i − ref startMs_0)| and the same
 * for endMs. A stream read at a wrong rate stretches these intervals by the rate error (1 % of
 * the ~4 s of the test strings is 40 ms), which the model may not notice: it was trained on
 * speed perturbation of 0.85–1.2 (README, Training), so 44.1 kHz audio taken for 48 kHz can
 * still be read right. Relative times do not depend on when the stream started, which in the
 * browser is when the worklet first got audio.
 *
 * @returns Infinity when the two do not have the same number of words
 */
export function timingError(digits: readonly { startMs: number; endMs: number }[], reference: readonly { startMs: number; endMs: number }[]): number {
  if (digits.length !== reference.length || digits.length === 0) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < digits.length; i++) {
    for (const k of ['startMs', 'endMs'] as const) {
      worst = Math.max(worst, Math.abs(digits[i][k] - digits[0].startMs - (reference[i][k] - reference[0].startMs)));
    }
  }
  return worst;
}
