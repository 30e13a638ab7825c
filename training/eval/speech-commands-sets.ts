import { listSpeechCommands } from '../speech-commands';
import type { EvalSet } from './sets';

/**
 * The held-out speakers of a Speech Commands folder (the test split of
 * training/speech-commands.ts, which training never reads) as evaluation sets: their digit words,
 * their non-digit words (false accepts), and the held-out background-noise clips.
 *
 * @throws Error naming the folder if it holds no Speech Commands clips
 */
export function speechCommandsSets(dir: string): EvalSet[] {
  const held = listSpeechCommands(dir).filter((c) => c.split === 'test');
  const files = (f: (c: (typeof held)[number]) => boolean) => held.filter(f).map((c) => ({ path: c.path, digit: c.digit }));
  return [
    { name: 'Speech Commands digits, held-out speakers', kind: 'digits', files: files((c) => c.kind === 'word' && c.digit >= 0) },
    { name: 'Speech Commands non-digit words, held-out speakers', kind: 'non-digits', files: files((c) => c.kind === 'word' && c.digit < 0) },
    { name: 'Speech Commands background noise, held-out clips', kind: 'non-digits', files: files((c) => c.kind === 'noise') },
  ];
}
