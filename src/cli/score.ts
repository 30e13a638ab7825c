/**
 * Scoring of labelled audio files through the product's decision path, shared by
 * `digit-listener eval`, `npm run eval` and the trainer's report: each file is streamed through
 * the recognizer ({@link detectSet}, the code `digit-listener recognize` runs) and the digits it
 * reports are scored ({@link scoreSet}).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DigitDetection, RecognizerModels } from '../pipeline/recognizer';
import { recognizeFile } from './recognize-file';

/** One labelled evaluation file: `digit` 0–9, or -1 where no digit must be reported. */
export interface EvalFile {
  readonly path: string;
  readonly digit: number;
  /** 'strings' sets: the digits said, in order (e.g. "3791"); `digit` is -1. */
  readonly digits?: string;
  /** 'running-speech' sets: the file's duration in seconds (0 if it could not be decoded). */
  readonly seconds?: number;
}

/**
 * A named evaluation set. `kind` says how it is scored: 'digits' (one digit per file),
 * 'non-digits' (no digit may be reported), 'running-speech' (sentences without digits: false
 * digits per 10 minutes), 'strings' (several digits per file, in order).
 */
export interface EvalSet {
  readonly name: string;
  readonly kind: 'digits' | 'non-digits' | 'running-speech' | 'strings';
  readonly files: EvalFile[];
  /** For noise sets: the SNR in dB. */
  readonly snrDb?: number;
}

/**
 * Files named `{digit}_*.wav` in a folder (FSDD style), labelled by their first character, sorted.
 *
 * @throws Error from readdirSync if the folder cannot be read
 */
export function labelledFolder(name: string, dir: string, filter: (file: string) => boolean = () => true): EvalSet {
  const files = readdirSync(dir)
    .filter((n) => /^\d_.*\.wav$/i.test(n) && filter(n))
    .sort()
    .map((n) => ({ path: join(dir, n), digit: Number(n[0]) }));
  return { name, kind: 'digits', files };
}

/** Per file of a set, every digit the recognizer found (null: the file could not be read). */
export type SetDetections = (DigitDetection[] | null)[];

/**
 * Streams every file of a set through the CLI's recognizer with threshold 0, so any threshold
 * can be applied afterwards ({@link atThreshold}): the recognizer decides each utterance alone,
 * so filtering by confidence gives exactly what a run at that threshold gives. An unreadable file
 * is reported through `onError` (its message names it) and kept as null; the others go on.
 */
export async function detectSet(set: EvalSet, models: RecognizerModels, onError: (message: string) => void = (m) => console.warn(`  ${m}`)): Promise<SetDetections> {
  const detections: SetDetections = [];
  for (const f of set.files) {
    try {
      detections.push(await recognizeFile(f.path, models, { confidenceThreshold: 0 }));
    } catch (error) {
      onError((error as Error).message);
      detections.push(null);
    }
  }
  return detections;
}

/** The detections a run at `confidenceThreshold` (0–1) would report. */
export function atThreshold(detections: SetDetections, confidenceThreshold: number): SetDetections {
  return detections.map((d) => d && d.filter((x) => x.confidence >= confidenceThreshold));
}

/**
 * Digit-string length buckets of the 'strings' sets (inclusive): short codes (3), PINs (4),
 * 5–7, 8–10, phone numbers (11). PINs and phone numbers stand alone: they carry the targets
 * (4-digit strings exact ≥ 95 %; 11-digit strings exact ≥ 85 %, digit error rate ≤ 2 %).
 */
export const STRING_LENGTH_BUCKETS: readonly (readonly [number, number])[] = [
  [3, 3],
  [4, 4],
  [5, 7],
  [8, 10],
  [11, 11],
];

/** A bucket's name: "4" for one length, "5–7" for a range. */
export const bucketName = ([lo, hi]: readonly [number, number]): string => (lo === hi ? String(lo) : `${lo}–${hi}`);

/** Exact-string and digit error rates of some digit strings. */
export interface StringRates {
  readonly files: number;
  /** Share of strings whose reported digits, joined, equal the truth. */
  readonly exactStringRate: number;
  /** Edit distances (Levenshtein: substitutions, insertions, deletions) summed, over the truths' digits summed. */
  readonly digitErrorRate: number;
}

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
  /** non-digit and running-speech sets: share of files in which any digit was reported. */
  readonly falseAcceptRate?: number;
  /** running-speech sets: every digit reported, in all readable files. */
  readonly falseDigits?: number;
  /** running-speech sets: duration of the readable files, seconds. */
  readonly audioSeconds?: number;
  /** running-speech sets: false digits per 10 minutes of audio. */
  readonly falseDigitsPer10Min?: number;
  /** strings sets: over all strings (an unreadable file counts as nothing reported). */
  readonly strings?: StringRates;
  /** strings sets: per {@link STRING_LENGTH_BUCKETS} bucket, named by {@link bucketName} ("4", "5–7"). */
  readonly stringsByLength?: (StringRates & { readonly lengths: string })[];
  readonly unreadable: number;
  readonly snrDb?: number;
}

/** Levenshtein edit distance between two strings (unit costs), O(|a|·|b|) time, O(|b|) memory. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = current;
  }
  return previous[b.length];
}

/** The digits reported in a file, in time order, joined ("3791"). */
export const reportedString = (detections: readonly DigitDetection[]): string =>
  [...detections]
    .sort((x, y) => x.startMs - y.startMs)
    .map((d) => d.digit)
    .join('');

function stringRates(pairs: { truth: string; reported: string }[]): StringRates {
  const exact = pairs.filter((p) => p.reported === p.truth).length;
  const errors = pairs.reduce((sum, p) => sum + editDistance(p.truth, p.reported), 0);
  const digits = pairs.reduce((sum, p) => sum + p.truth.length, 0);
  return { files: pairs.length, exactStringRate: exact / Math.max(1, pairs.length), digitErrorRate: errors / Math.max(1, digits) };
}

/** Scores one set from the detections of each file (null = the file could not be read). */
export function scoreSet(set: EvalSet, detections: (DigitDetection[] | null)[]): SetScore {
  const unreadable = detections.filter((d) => d === null).length;
  const base = { name: set.name, kind: set.kind, files: set.files.length, unreadable };
  if (set.kind === 'non-digits') {
    const accepted = detections.filter((d) => d !== null && d.length > 0).length;
    return { ...base, falseAcceptRate: accepted / Math.max(1, set.files.length) };
  }
  if (set.kind === 'running-speech') {
    // Every reported digit is false; the rate is over the audio that was actually heard.
    const readable = set.files.map((f, i) => ({ seconds: f.seconds ?? 0, d: detections[i] })).filter((x) => x.d !== null);
    const falseDigits = readable.reduce((sum, x) => sum + x.d!.length, 0);
    const audioSeconds = readable.reduce((sum, x) => sum + x.seconds, 0);
    const accepted = readable.filter((x) => x.d!.length > 0).length;
    return {
      ...base,
      falseAcceptRate: accepted / Math.max(1, set.files.length),
      falseDigits,
      audioSeconds,
      falseDigitsPer10Min: audioSeconds > 0 ? (600 * falseDigits) / audioSeconds : 0,
    };
  }
  if (set.kind === 'strings') {
    const pairs = set.files.map((f, i) => ({ truth: f.digits ?? '', reported: reportedString(detections[i] ?? []) }));
    return {
      ...base,
      strings: stringRates(pairs),
      stringsByLength: STRING_LENGTH_BUCKETS.map(([lo, hi]) => ({
        lengths: bucketName([lo, hi]),
        ...stringRates(pairs.filter((p) => p.truth.length >= lo && p.truth.length <= hi)),
      })),
    };
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
    ...base,
    accuracy: correct / Math.max(1, set.files.length),
    noDigit,
    severalDigits: several,
    confusion,
    snrDb: set.snrDb,
  };
}

/**
 * The headline figure of a score, for threshold sweeps and ablations: accuracy (digits sets),
 * false-accept rate (non-digit sets), false digits per 10 minutes (running speech, not a
 * fraction), exact-string rate (strings).
 */
export function figure(s: SetScore): number {
  switch (s.kind) {
    case 'digits':
      return s.accuracy!;
    case 'non-digits':
      return s.falseAcceptRate!;
    case 'running-speech':
      return s.falseDigitsPer10Min!;
    case 'strings':
      return s.strings!.exactStringRate;
  }
}

/** What {@link figure} measures for a kind, to name a row: "" for accuracy. */
export function figureName(kind: EvalSet['kind']): string {
  return { digits: '', 'non-digits': 'false accepts', 'running-speech': 'false digits / 10 min', strings: 'exact strings' }[kind];
}

/** A {@link figure} as text: a percentage ("98.7 %"), or false digits per 10 min ("3.2"). */
export function formatFigure(kind: EvalSet['kind'], value: number, decimals = 1): string {
  return kind === 'running-speech' ? value.toFixed(decimals) : `${(100 * value).toFixed(decimals)} %`;
}

/**
 * How a change in a {@link figure} is counted: percentage points for rates (×100), false digits
 * per 10 minutes as they are (×1).
 */
export const figurePoints = (kind: EvalSet['kind'], delta: number): number => (kind === 'running-speech' ? delta : 100 * delta);
