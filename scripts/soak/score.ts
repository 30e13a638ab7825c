/**
 * Scores a soak run as it goes: matches each detection to the digits that were said by time, and
 * counts the rest as false accepts by what was playing. Holds only the last minute of ground
 * truth, so its memory does not grow with the length of the run.
 */
import type { ExpectedDigit, SegmentKind, SoakSegment, SpokenText } from './stream';

/** Digits said under one condition and what became of them. */
export interface DigitCounts {
  expected: number;
  /** Matched by a detection of the same digit. */
  correct: number;
  /** Matched by a detection of another digit. */
  wrong: number;
  /** No detection overlapping the digit. */
  missed: number;
}

/** Where a detection with no digit under it was: the kind of segment, or the gaps of a digit segment. */
export type FalseAcceptKind = Exclude<SegmentKind, 'digits' | 'digit-string'> | 'between digits';

/** A detection as the scorer needs it (a {@link DigitDetection} or a browser `digit` event). */
export interface ScoredDetection {
  readonly digit: number;
  readonly confidence: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** A false accept, for the report. */
export interface FalseAcceptExample extends ScoredDetection {
  readonly kind: FalseAcceptKind;
  /** The segment's background (e.g. `pink noise −31 dBFS`). */
  readonly background: string;
}

/** Totals of a run. */
export interface SoakScore {
  readonly byCondition: Record<string, DigitCounts>;
  readonly total: DigitCounts;
  /** Detections on a digit that another detection had already matched (one word read as two). */
  readonly extra: number;
  readonly falseAccepts: Record<FalseAcceptKind, number>;
  /** Seconds of stream per segment kind, and non-digit utterances / non-speech sounds played. */
  readonly seconds: Record<SegmentKind, number>;
  readonly speechUtterances: number;
  /** Words in those utterances. */
  readonly speechWords: number;
  /** False accepts in non-digit speech by the text said. */
  readonly speechFalseAcceptsByText: Record<string, number>;
  readonly nonSpeechSounds: number;
  /** The first false accepts (at most {@link EXAMPLES}). */
  readonly examples: FalseAcceptExample[];
}

const EXAMPLES = 20;
/** A digit is given up as missed once the stream is this far past its end (detections come ≤ ~2 s late). */
const SETTLE_MS = 10_000;

const zero = (): DigitCounts => ({ expected: 0, correct: 0, wrong: 0, missed: 0 });

interface Pending extends ExpectedDigit {
  matched: boolean;
}
interface Span {
  readonly kind: SegmentKind;
  readonly startMs: number;
  readonly endMs: number;
  readonly background: string;
}

/** Online scorer: {@link addSegment} before its audio is streamed, {@link addDetection} as they come, {@link finish} at the end. */
export class SoakScorer {
  private readonly pending: Pending[] = [];
  private readonly spans: Span[] = [];
  private readonly utterances: SpokenText[] = [];
  private speechWords = 0;
  private readonly speechFalseAcceptsByText: Record<string, number> = {};
  private readonly byCondition: Record<string, DigitCounts> = {};
  private extra = 0;
  private readonly falseAccepts: Record<FalseAcceptKind, number> = { silence: 0, 'stationary-noise': 0, 'bursty-noise': 0, speech: 0, 'between digits': 0 };
  private readonly seconds: Record<SegmentKind, number> = { digits: 0, 'digit-string': 0, silence: 0, 'stationary-noise': 0, 'bursty-noise': 0, speech: 0 };
  private speechUtterances = 0;
  private nonSpeechSounds = 0;
  private readonly examples: FalseAcceptExample[] = [];

  /**
   * Registers a segment's digits and span (not its audio).
   *
   * @param shiftMs added to every time of the segment (the browser soak's loop offset)
   */
  addSegment(segment: SoakSegment, shiftMs = 0): void {
    for (const d of segment.digits) {
      this.pending.push({ ...d, startMs: d.startMs + shiftMs, endMs: d.endMs + shiftMs, matched: false });
      (this.byCondition[d.condition] ??= zero()).expected++;
    }
    this.spans.push({ kind: segment.kind, startMs: segment.startMs + shiftMs, endMs: segment.endMs + shiftMs, background: segment.background });
    this.seconds[segment.kind] += (segment.endMs - segment.startMs) / 1000;
    if (segment.kind === 'speech') this.speechUtterances += segment.events;
    for (const u of segment.utterances) {
      this.utterances.push({ ...u, startMs: u.startMs + shiftMs, endMs: u.endMs + shiftMs });
      this.speechWords += u.text.split(' ').length;
    }
    if (segment.kind === 'bursty-noise') this.nonSpeechSounds += segment.events;
  }

  /** Scores one detection: the unmatched said digit it overlaps most, else a false accept. */
  addDetection(d: ScoredDetection): void {
    let best: Pending | null = null;
    let bestOverlap = 0;
    let covered = false;
    for (const e of this.pending) {
      const overlap = Math.min(d.endMs, e.endMs) - Math.max(d.startMs, e.startMs);
      if (overlap <= 0) continue;
      covered = true;
      if (!e.matched && overlap > bestOverlap) [best, bestOverlap] = [e, overlap];
    }
    if (best) {
      best.matched = true;
      this.byCondition[best.condition][best.digit === d.digit ? 'correct' : 'wrong']++;
    } else if (covered) {
      this.extra++;
    } else {
      const mid = (d.startMs + d.endMs) / 2;
      const span = this.spans.find((s) => mid >= s.startMs && mid < s.endMs) ?? this.spans.at(-1);
      const kind: FalseAcceptKind = !span || span.kind === 'digits' || span.kind === 'digit-string' ? 'between digits' : span.kind;
      this.falseAccepts[kind]++;
      const said = kind === 'speech' ? this.utterances.find((u) => u.startMs < d.endMs && d.startMs < u.endMs) : undefined;
      if (said) this.speechFalseAcceptsByText[said.text] = (this.speechFalseAcceptsByText[said.text] ?? 0) + 1;
      if (this.examples.length < EXAMPLES)
        this.examples.push({ digit: d.digit, confidence: d.confidence, startMs: d.startMs, endMs: d.endMs, kind, background: span?.background ?? '' });
    }
  }

  /** Settles digits that ended long before `nowMs` (stream time, ms) and forgets old segments. */
  advance(nowMs: number): void {
    while (this.pending.length && this.pending[0].endMs < nowMs - SETTLE_MS) this.settle(this.pending.shift()!);
    while (this.spans.length > 1 && this.spans[0].endMs < nowMs - 6 * SETTLE_MS) this.spans.shift();
    while (this.utterances.length && this.utterances[0].endMs < nowMs - 6 * SETTLE_MS) this.utterances.shift();
  }

  /** Settles every digit and returns the totals. */
  finish(): SoakScore {
    while (this.pending.length) this.settle(this.pending.shift()!);
    return this.snapshot();
  }

  /** The totals so far (digits not yet settled are counted as expected only). */
  snapshot(): SoakScore {
    const total = zero();
    for (const c of Object.values(this.byCondition)) for (const k of Object.keys(total) as (keyof DigitCounts)[]) total[k] += c[k];
    return {
      byCondition: structuredClone(this.byCondition),
      total,
      extra: this.extra,
      falseAccepts: { ...this.falseAccepts },
      seconds: { ...this.seconds },
      speechUtterances: this.speechUtterances,
      speechWords: this.speechWords,
      speechFalseAcceptsByText: { ...this.speechFalseAcceptsByText },
      nonSpeechSounds: this.nonSpeechSounds,
      examples: [...this.examples],
    };
  }

  private settle(e: Pending): void {
    if (!e.matched) this.byCondition[e.condition].missed++;
  }
}
