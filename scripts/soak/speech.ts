/**
 * Non-digit speech for the soak stream: everyday words and sentences said by espeak-ng's held-out
 * voice variants (never heard in training), none of them a digit, a digit homophone or a word of
 * the training vocabulary (training/synth/words.ts). Generated once into `.cache/soak/speech/`
 * (never committed) at 8 kHz, the rate of the FSDD clips the rest of the stream is made of.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeWav } from '../../src/audio/wav';

/** Words and sentences with no digit in them (nor "to", "for", "won", "ate" …). */
// prettier-ignore
export const NON_DIGIT_TEXTS = [
  'weather', 'purple', 'garden', 'kitchen', 'library', 'umbrella', 'chocolate', 'blanket', 'yellow', 'pencil', 'holiday', 'basket',
  'good morning everybody', 'the weather is lovely today', 'could you pass the salt', 'let me check my calendar',
  'the kitchen is upstairs', 'where did you leave the umbrella',
] as const;

/** espeak-ng voices (accent + held-out variant of training/synth/voices.ts). */
export const NON_DIGIT_VOICES = ['en-us+f2', 'en-gb-x-rp+Annie', 'en+belinda', 'en-us+m3', 'en-gb-scotland+m7', 'en-us-nyc+Hugo'] as const;

/** Default cache folder of the generated speech. */
export const SPEECH_CACHE_DIR = resolve(import.meta.dirname, '../../.cache/soak/speech');

/** One generated utterance, 8 kHz mono. */
export interface SpeechClip {
  readonly text: string;
  readonly voice: string;
  readonly samples: Float32Array;
}

/**
 * Every text in every voice, 8 kHz mono (espeak-ng writes 22.05 kHz; sox converts), generated
 * into `dir` the first time and read back afterwards (108 clips, ≈ 200 KB as float32).
 *
 * @throws Error if espeak-ng or sox is missing or fails (the message names the command)
 */
export function nonDigitSpeech(dir: string = SPEECH_CACHE_DIR): SpeechClip[] {
  mkdirSync(dir, { recursive: true });
  const clips: SpeechClip[] = [];
  for (const voice of NON_DIGIT_VOICES) {
    for (const text of NON_DIGIT_TEXTS) {
      const path = join(dir, `${voice.replace(/[^a-z0-9]/gi, '')}_${text.replace(/[^a-z]/gi, '-')}.wav`);
      if (!existsSync(path)) {
        const raw = `${path}.22k.wav`;
        try {
          const quiet: ExecFileSyncOptions = { stdio: ['ignore', 'ignore', 'pipe'] }; // sox warns of 1 clipped sample in a few files
          execFileSync('espeak-ng', ['-v', voice, '-w', raw, text], quiet);
          execFileSync('sox', [raw, '-r', '8000', '-b', '16', `${path}.tmp.wav`], quiet);
        } catch (error) {
          const stderr = ((error as { stderr?: Buffer | string }).stderr ?? '').toString().trim();
          throw new Error(`non-digit speech: espeak-ng/sox failed for "${text}" (${voice}): ${(error as Error).message}${stderr ? `: ${stderr}` : ''}`, { cause: error });
        }
        renameSync(`${path}.tmp.wav`, path);
        rmSync(raw);
      }
      const audio = decodeWav(new Uint8Array(readFileSync(path)), path);
      clips.push({ text, voice, samples: audio.samples });
    }
  }
  return clips;
}
