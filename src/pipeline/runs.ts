import type { GateEvent } from '../vad/gate';

/** Where runs of speech start and end, frames (10 ms). */
export interface RunConfig {
  /** Frames kept before a run's first voiced frame (the window's pre-roll). */
  readonly preRollFrames: number;
  /** Frames kept after a run's last voiced frame; at most the gate's hangover (they exist when the run ends). */
  readonly postRollFrames: number;
  /** Longest run whose frames are kept, frames; a longer run is ended as incomplete (no digit string is this long). */
  readonly maxRunFrames: number;
}

/** What a frame did to the run in progress. */
export type RunEvent =
  | { readonly type: 'run-start'; readonly startFrame: number }
  | {
      readonly type: 'run-end';
      readonly startFrame: number;
      /** One past the run's last frame (normally its last voiced frame plus the post-roll). */
      readonly endFrame: number;
      /** False when the run outgrew `maxRunFrames` or the gate dropped it as noise. */
      readonly complete: boolean;
      /** The run's ln(mel) frames, `[endFrame − startFrame, melBins]` (at most `maxRunFrames`). */
      readonly frames: Float32Array;
    };

/** Frames the tracker remembers before a run opens: a gate onset may reach this far back (a too-long segment's replay). */
const RECENT_FRAMES = 256;

/**
 * A run of speech: gate segments that follow each other at once (the gate closed one at a pause
 * or a dip of a long run of words and went on), from the first segment's start less the
 * pre-roll to the last one's end plus the post-roll. A digit string said in one breath is one
 * run; the string reader reads each run as a whole. Keeps the run's ln(mel) frames.
 */
export class RunTracker {
  private readonly recent: Float32Array;
  private readonly frames: Float32Array;
  private start = -1;
  private length = 0;
  private lastSegmentEnd = -1;
  private incomplete = false;
  private lastRunEnd = 0;

  /**
   * @param melBins values per frame
   */
  constructor(
    private readonly melBins: number,
    readonly config: RunConfig,
  ) {
    this.recent = new Float32Array(RECENT_FRAMES * melBins);
    // Allocated once (128 KB by default): no growth while listening (the soak test watches the heap).
    this.frames = new Float32Array(config.maxRunFrames * melBins);
  }

  /** True while a run is open. */
  get open(): boolean {
    return this.start >= 0;
  }

  /** Stream frame of the open run's first frame (−1 when none). */
  get startFrame(): number {
    return this.start;
  }

  /** Frames of the open run so far. */
  get frameCount(): number {
    return this.length;
  }

  /** The open run's frames so far, `[frameCount, melBins]` ln(mel) (a view: valid until the next push). */
  get runFrames(): Float32Array {
    return this.frames.subarray(0, this.length * this.melBins);
  }

  /**
   * Feeds one frame with the gate's events for it.
   *
   * @param logMel `[melBins]` ln(mel) values (copied)
   * @param index its frame index since the stream start (consecutive)
   */
  push(logMel: Float32Array, index: number, events: readonly GateEvent[]): RunEvent[] {
    this.recent.set(logMel, (index % RECENT_FRAMES) * this.melBins);
    if (this.open) this.append(logMel);
    const out: RunEvent[] = [];
    events.forEach((event, i) => {
      if (event.type === 'speech-start') {
        if (!this.open) this.begin(event.startFrame, index, out);
      } else if (event.type === 'speech-end') {
        if (!this.open) return;
        this.lastSegmentEnd = event.segment.endFrame;
        if (events[i + 1]?.type !== 'speech-start') this.finish(out);
      } else if (this.open) {
        // A dropped segment: when the gate's replay against its new floors finds speech in the
        // same frames (a speech-start follows), the run goes on; else the run ends — and a run
        // of nothing but a click is no run.
        if (events.slice(i + 1).some((e) => e.type === 'speech-start')) return;
        if (this.lastSegmentEnd < 0 && event.reason === 'too-short') this.start = -1;
        else {
          if (this.lastSegmentEnd < 0) this.incomplete = true;
          this.finish(out);
        }
      }
    });
    return out;
  }

  /** The stream ended (after the gate's last events): ends the open run. */
  end(): RunEvent[] {
    const out: RunEvent[] = [];
    if (this.open) this.finish(out);
    return out;
  }

  private begin(startFrame: number, index: number, out: RunEvent[]): void {
    const start = Math.max(startFrame - this.config.preRollFrames, this.lastRunEnd, index - RECENT_FRAMES + 1, 0);
    this.start = start;
    this.length = 0;
    this.lastSegmentEnd = -1;
    this.incomplete = false;
    for (let f = start; f <= index; f++) this.append(this.recent.subarray((f % RECENT_FRAMES) * this.melBins, ((f % RECENT_FRAMES) + 1) * this.melBins));
    out.push({ type: 'run-start', startFrame: start });
  }

  private append(logMel: Float32Array): void {
    if (this.length >= this.config.maxRunFrames) {
      this.incomplete = true;
      return;
    }
    this.frames.set(logMel, this.length * this.melBins);
    this.length++;
  }

  /**
   * Ends the open run with every frame it has seen: the gate ends a segment `postRollFrames`
   * after its last voiced frame, so that is where a run normally ends; after a replay the frames
   * may reach further, and a reader has read them already — the next run starts after them.
   */
  private finish(out: RunEvent[]): void {
    const end = this.start + this.length;
    out.push({ type: 'run-end', startFrame: this.start, endFrame: end, complete: !this.incomplete, frames: this.frames.slice(0, this.length * this.melBins) });
    this.lastRunEnd = end;
    this.start = -1;
  }
}
