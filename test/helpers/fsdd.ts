import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeWav } from '../../src/audio/wav';

/** The FSDD recordings beside the project (../shared/datasets/fsdd/recordings). */
export const FSDD_DIR = resolve(import.meta.dirname, '../../../shared/datasets/fsdd/recordings');

if (!existsSync(FSDD_DIR)) throw new Error(`FSDD not found at ${FSDD_DIR}: the tests read real recordings from ../shared`);

/** Decodes one FSDD clip by name, e.g. `7_jackson_0`. */
export function fsddClip(name: string): { samples: Float32Array; sampleRate: number } {
  const path = join(FSDD_DIR, `${name}.wav`);
  const audio = decodeWav(new Uint8Array(readFileSync(path)), path);
  return { samples: audio.samples, sampleRate: audio.sampleRate };
}

/** A pure sine, amplitude `amplitude`, `seconds` long. */
export function tone(frequencyHz: number, sampleRate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate);
  return out;
}

/** Concatenates signals. */
export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * An 8 kHz stream of FSDD clips: `leadS` s of silence (0.5 s: the fake microphone needs it), then
 * each clip followed by its gap (`gapS`: one for all, or one per clip), then `tailS` s of silence.
 */
export function clipSequence(clips: readonly string[], gapS: number | readonly number[], tailS: number, leadS = 0.5): Float32Array {
  const parts: Float32Array[] = [new Float32Array(Math.round(leadS * 8000))];
  clips.forEach((clip, i) => parts.push(fsddClip(clip).samples, new Float32Array(Math.round((typeof gapS === 'number' ? gapS : gapS[i]) * 8000))));
  parts.push(new Float32Array(Math.round(tailS * 8000)));
  return concat(...parts);
}
