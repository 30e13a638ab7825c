import { join, resolve } from 'node:path';
import type { RecognizerModels } from '../../src/pipeline/recognizer';
import { listFsdd } from '../fsdd';
import { atThreshold, detectSet, figure, type SetScore, scoreSet } from '../../src/cli/score';
export { atThreshold, detectSet, type SetDetections } from '../../src/cli/score';
import { gluedFsddSet, gluedSpeechCommandsSet } from './glued-strings';
import { speechCommandsSets } from './speech-commands-sets';
import { type EvalSet, labelledFolder, noisySet, nonSpeechSet, synthSets, synthSpeechSets } from './sets';

/** SNRs of the unseen-noise sets, dB. */
export const NOISE_SNRS_DB = [20, 10, 5, 0] as const;

/**
 * The evaluation suite's sets: FSDD official test, the test in unseen office noise at each
 * {@link NOISE_SNRS_DB}, the held-out synthetic voices and non-digit words, their sentences
 * without digits and digit strings (when `synthDir` has a manifest), the held-out speakers of
 * Speech Commands (when `speechCommandsDir` is given), non-speech sounds, then digit strings of
 * 3–11 digits glued from real held-out clips with 0–100 ms gaps (training/eval/glued-strings.ts):
 * FSDD test clips, one speaker per string, and the held-out Speech Commands speakers' digits
 * (when `speechCommandsDir` is given). Generated files are written once to `cacheDir`.
 *
 * @param exceptSpeaker leave this FSDD speaker's clips out of the FSDD-based sets
 * @param speechCommandsDir a Speech Commands folder (training/speech-commands.ts): its held-out speakers' digits, words and noise
 */
export function standardSets(dataDir: string, synthDir: string, cacheDir: string, exceptSpeaker?: string, speechCommandsDir?: string): EvalSet[] {
  const fsddTest = fsddTestSet(dataDir, exceptSpeaker);
  const fsddCache = exceptSpeaker ? join(cacheDir, `without-${exceptSpeaker}`) : cacheDir;
  return [
    fsddTest,
    ...NOISE_SNRS_DB.map((snr) => noisySet(fsddTest, snr, fsddCache)),
    ...(speechCommandsDir ? speechCommandsSets(speechCommandsDir) : []),
    ...synthSets(synthDir),
    ...synthSpeechSets(synthDir),
    nonSpeechSet(cacheDir),
    gluedFsddSet(dataDir, fsddCache, exceptSpeaker),
    ...(speechCommandsDir ? [gluedSpeechCommandsSet(speechCommandsDir, cacheDir)] : []),
  ];
}

/** The FSDD official test split (index 0–4), optionally without one speaker. */
export function fsddTestSet(dataDir: string, exceptSpeaker?: string): EvalSet {
  return labelledFolder('FSDD official test', resolve(dataDir), (n) => /_[0-4]\.wav$/.test(n) && (!exceptSpeaker || !n.includes(`_${exceptSpeaker}_`)));
}

/** All FSDD clips of one speaker, as a digits set. */
export function speakerSet(dataDir: string, speaker: string, name: string): EvalSet {
  const files = listFsdd(resolve(dataDir))
    .filter((c) => c.speaker === speaker)
    .map((c) => ({ path: c.path, digit: c.digit }));
  return { name, kind: 'digits', files };
}

/**
 * Streams a set through the recognizer once and scores it at `confidenceThreshold` (logged), and
 * at each of `sweep` (the set's figure per threshold: accuracy, false-accept rate, false digits
 * per 10 minutes, or exact-string rate — see {@link figure}). An unreadable file is reported
 * through `onError` (by name, as {@link detectSet} does) and scored as missed.
 */
export async function recognizeSet(
  set: EvalSet,
  models: RecognizerModels,
  confidenceThreshold: number,
  sweep: readonly number[] = [],
  onError?: (message: string) => void,
): Promise<SetScore & { byThreshold: number[] }> {
  const detections = await detectSet(set, models, onError);
  const score = scoreSet(set, atThreshold(detections, confidenceThreshold));
  console.log(`${set.name}: ${formatScore(score)} (${set.files.length} files)`);
  return { ...score, byThreshold: sweep.map((t) => figure(scoreSet(set, atThreshold(detections, t)))) };
}

/**
 * "accuracy 98.67 %", "false accepts 2.10 %", "1.3 false digits / 10 min (12.4 min), 4.00 % of
 * sentences with a digit", or "exact strings 81.00 %, digit error rate 3.20 %".
 */
export function formatScore(score: SetScore): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  switch (score.kind) {
    case 'digits':
      return `accuracy ${pct(score.accuracy!)}`;
    case 'non-digits':
      return `false accepts ${pct(score.falseAcceptRate!)}`;
    case 'running-speech':
      return `${score.falseDigitsPer10Min!.toFixed(1)} false digits / 10 min (${(score.audioSeconds! / 60).toFixed(1)} min), ${pct(score.falseAcceptRate!)} of sentences with a digit`;
    case 'strings':
      return `exact strings ${pct(score.strings!.exactStringRate)}, digit error rate ${pct(score.strings!.digitErrorRate)}`;
  }
}
