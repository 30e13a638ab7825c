/** Which cached examples each epoch trains on. */
import { Random } from '../../src/audio/random';
import { fnv1a } from '../seeds';
import type { DataRecipe } from './recipe';
import type { Job } from './sources';

/**
 * The rows (job indices) an epoch trains on: every FSDD clip, sentence, phrase, sound and glued
 * string; a `synthFraction` of the synthetic words and strings; every real digit
 * `realDigitTakes` times; a `realWordFraction` of the real words. Running speech is scarce (a few
 * hundred sentences), so all of it is in every epoch. Seeded by the epoch. Each row also names
 * the copy it reads: a random one of `copies + 1` (0 is the clean clip).
 */
export function epochRows(jobs: readonly Job[], data: DataRecipe, copies: number, seed: number, epoch: number): { job: number; copy: number }[] {
  const random = new Random(fnv1a(`epoch:${seed}:${epoch}`));
  const rows: { job: number; copy: number }[] = [];
  const copy = () => random.int(copies + 1);
  jobs.forEach((job, i) => {
    switch (job.pool) {
      case 'synth':
      case 'synth-string':
        if (random.next() < data.synthFraction) rows.push({ job: i, copy: copy() });
        return;
      case 'real-word':
        if (random.next() < data.realWordFraction) rows.push({ job: i, copy: copy() });
        return;
      case 'real-digit':
        for (let t = 0; t < data.realDigitTakes; t++) rows.push({ job: i, copy: copy() });
        return;
      default:
        rows.push({ job: i, copy: copy() });
    }
  });
  return random.shuffle(rows);
}
