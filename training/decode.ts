import { readFileSync } from 'node:fs';
import { decodeWav, WavDecodeError } from '../src/audio/wav';

/** A listed file after decoding: its own fields plus mono samples at the file's rate. */
export type Decoded<T> = T & { readonly sampleRate: number; readonly samples: Float32Array };

/**
 * Decodes the WAV file of every item; a file that cannot be read or decoded is reported through
 * `onError` (naming the file) and skipped, the rest are returned in order.
 */
export function decodeAll<T extends { readonly path: string }>(items: readonly T[], onError: (error: WavDecodeError) => void): Decoded<T>[] {
  const out: Decoded<T>[] = [];
  for (const item of items) {
    try {
      const audio = decodeWav(new Uint8Array(readFileSync(item.path)), item.path);
      out.push({ ...item, sampleRate: audio.sampleRate, samples: audio.samples });
    } catch (error) {
      onError(error instanceof WavDecodeError ? error : new WavDecodeError(item.path, (error as Error).message));
    }
  }
  return out;
}
