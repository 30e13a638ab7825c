import type { DigitDetection } from '../../src/pipeline/recognizer';
import type { EvalSet } from './sets';

/** How one set scored. */
export interface SetScore {
  readonly name: string;
  readonly kind: EvalSet['kind'];
  readonly files: number;
  /** digits sets: files with exactly one digit, the right one. */
  readonly accuracy?: number;
  readonly noDigit?: number;
  readonly severalDigits?: number;
  /** `[true 0–9][predicted 0–9, then "none"]`, files with at most one digit. */
  readonly confusion?: number[][];
  /** non-digit sets: share of files in which any digit was reported. */
  readonly falseAcceptRate?: number;
  readonly unreadable: number;
  readonly snrDb?: number;
}

/** Scores one set from the detections of each file (null = the file could not be read). */
export function scoreSet(set: EvalSet, detections: (DigitDetection[] | null)[]): SetScore {
  const unreadable = detections.filter((d) => d === null).length;
  if (set.kind === 'non-digits') {
    const accepted = detections.filter((d) => d !== null && d.length > 0).length;
    return { name: set.name, kind: set.kind, files: set.files.length, falseAcceptRate: accepted / Math.max(1, set.files.length), unreadable };
  }
  const confusion = Array.from({ length: 10 }, () => new Array<number>(11).fill(0));
  let correct = 0;
  let noDigit = 0;
  let several = 0;
  set.files.forEach((f, i) => {
    const d = detections[i];
    if (!d) return;
    if (d.length === 0) {
      noDigit++;
      confusion[f.digit][10]++;
    } else if (d.length > 1) several++;
    else {
      confusion[f.digit][d[0].digit]++;
      if (d[0].digit === f.digit) correct++;
    }
  });
  return {
    name: set.name,
    kind: set.kind,
    files: set.files.length,
    accuracy: correct / Math.max(1, set.files.length),
    noDigit,
    severalDigits: several,
    confusion,
    unreadable,
    snrDb: set.snrDb,
  };
}

/** The headline figure of a score: accuracy for digit sets, false-accept rate for non-digit sets. */
export const figure = (s: SetScore): number => (s.kind === 'digits' ? s.accuracy! : s.falseAcceptRate!);
