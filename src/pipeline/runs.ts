import type { GateEvent } from '../vad/gate';

/** Where runs of speech start and end, frames (10 ms). */
export interface RunConfig {
  /** Frames kept before a run's first voiced frame (the window's pre-roll). */
  readonly preRollFrames: number;
  /** Frames kept after a run's last voiced frame; at most the gate's hangover (they exist when the run ends). */
  readonly postRollFrames: number;
  /** Longest run whose frames are kept, frames; a longer run is ended as incomplete (no digit string is this long). */
  readonly maxRunFrames: number;
  /**
   * Frames before the run's start kept with it as context (the speech encoder reads 760 ms
   * back from each embedding); frames before the stream start are the silence frame. Default 0.
   */
  readonly leadFrames?: number;
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
      /**
       * The run's log-mel frames after `leadFrames` frames of context before it,
       * `[leadFrames + endFrame − startFrame, melBins]` (at most `leadFrames + maxRunFrames`).
       */
      readonly frames: Float32Array;
    };

/** Frames the tracker remembers before a run opens: a gate onset may reach this far back (a too-long segment's replay). */
const RECENT_FRAMES = 256;

/**
 * A run of speech: gate segments that follow each other at once (the gate closed one at a pause
 * or a dip of a long run of words and went on), from the first segment's start less the
 * pre-roll to the last one's end plus the post-roll. A digit string said in one breath is one
 * run; the string reader reads each run as a whole. Keeps the run's log-mel frames, after
 * `leadFrames` of context.
 */
export class RunTracker {
  private readonly recent: Float32Array;
  private readonly frames: Float32Array;
  private readonly lead: number;
  private start = -1;
  /** Frames held: the lead, then the run's. */
  private length = 0;
  private lastSegmentEnd = -1;
  private incomplete = false;
  private lastRunEnd = 0;

  /**
   * @param melBins values per frame
   * @param silenceFrame `[melBins]` frame read before the stream start (zeros by default)
   * @throws RangeError when the lead reaches further back than the frames kept before a run
   */
  constructor(
    private readonly melBins: number,
    readonly config: RunConfig,
    private readonly silenceFrame: Float32Array = new Float32Array(melBins),
  ) {
    this.lead = config.leadFrames ?? 0;
    if (this.lead + config.preRollFrames >= RECENT_FRAMES) throw new RangeError(`RunTracker: leadFrames + preRollFrames must be below ${RECENT_FRAMES}`);
    this.recent = new Float32Array(RECENT_FRAMES * melBins);
    // Allocated once (≈ 130 KB by default): no growth while listening (the soak test watches the heap).
    this.frames = new Float32Array((this.lead + config.maxRunFrames) * melBins);
  }

  /** True while a run is open. */
  get open(): boolean {
    return this.start >= 0;
  }

  /** Stream frame of the open run's first frame (−1 when none). */
  get startFrame(): number {
    return this.start;
  }

  /** Frames of the open run so far (without the lead). */
  get frameCount(): number {
    return this.length - this.lead;
  }

  /** Frames of context before each run. */
  get leadFrames(): number {
    return this.lead;
  }

  /** The open run's lead and frames so far, `[leadFrames + frameCount, melBins]` (a view: valid until the next push). */
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
    const start = Math.max(startFrame - this.config.preRollFrames, this.lastRunEnd, index - RECENT_FRAMES + 1 + this.lead, 0);
    this.start = start;
    this.length = 0;
    this.lastSegmentEnd = -1;
    this.incomplete = false;
    // The lead may reach into the previous run (context) or before the stream (silence).
    for (let f = start - this.lead; f <= index; f++) {
      this.append(f < 0 ? this.silenceFrame : this.recent.subarray((f % RECENT_FRAMES) * this.melBins, ((f % RECENT_FRAMES) + 1) * this.melBins));
    }
    out.push({ type: 'run-start', startFrame: start });
  }

  private append(logMel: Float32Array): void {
    if (this.length >= this.lead + this.config.maxRunFrames) {
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
    const end = this.start + this.length - this.lead;
    out.push({ type: 'run-end', startFrame: this.start, endFrame: end, complete: !this.incomplete, frames: this.frames.slice(0, this.length * this.melBins) });
    this.lastRunEnd = end;
    this.start = -1;
  }
}
