import type { FrameRange } from './gate';

/** How a segment is placed in the fixed-size model window (frames of 10 ms). */
export interface WindowConfig {
  /** Frames per model window: 98 frames = 1 s of 16 kHz audio at a 25 ms window / 10 ms hop. */
  readonly windowFrames: number;
  /** Frames of context kept after the segment's end (must be ≤ the gate's hangover). */
  readonly postRollFrames: number;
  /** Frames of context kept before the segment's start when the segment is too long to end-align. */
  readonly preRollFrames: number;
}

export const DEFAULT_WINDOW_CONFIG: WindowConfig = Object.freeze({
  windowFrames: 98,
  postRollFrames: 10,
  preRollFrames: 5,
});

/**
 * First frame of the model window for a segment — the one alignment rule shared by training
 * and run time. A segment that fits is end-aligned: the window ends `postRollFrames` after the
 * segment, so the digit can be classified as soon as the gate closes (no waiting for frames
 * after it). A longer segment is centred on its midpoint.
 */
export function windowStartFrame(segment: FrameRange, config: WindowConfig = DEFAULT_WINDOW_CONFIG): number {
  const length = segment.endFrame - segment.startFrame;
  if (length + config.preRollFrames + config.postRollFrames <= config.windowFrames) {
    return segment.endFrame + config.postRollFrames - config.windowFrames;
  }
  const mid = Math.floor((segment.startFrame + segment.endFrame) / 2);
  return mid - Math.floor(config.windowFrames / 2);
}

/**
 * Ring buffer of the most recent log-mel frames, from which model windows are cut.
 * Frames before the start of the stream read as `silenceFrame` (what the frontend emits for
 * digital silence), so a word at the very start of a stream gets the same window as one
 * preceded by silence.
 */
export class FrameHistory {
  readonly melBins: number;
  readonly capacity: number;
  private readonly data: Float32Array;
  private readonly silence: Float32Array;
  private count = 0;

  /**
   * @param melBins values per frame
   * @param capacity frames kept; must cover windowFrames plus the gate's hangover
   * @param silenceFrame `[melBins]` value for frames before the stream start
   */
  constructor(melBins: number, capacity: number, silenceFrame: Float32Array) {
    this.melBins = melBins;
    this.capacity = capacity;
    this.data = new Float32Array(melBins * capacity);
    this.silence = silenceFrame;
  }

  /** Appends the next frame (`[melBins]`). */
  push(frame: Float32Array): void {
    this.data.set(frame, (this.count % this.capacity) * this.melBins);
    this.count++;
  }

  /** Frames pushed so far. */
  get frames(): number {
    return this.count;
  }

  /**
   * Copies frames [start, start + length) into a new `[length, melBins]` row-major array.
   * Frames before 0 read as silence.
   *
   * @throws RangeError if part of the range is not yet pushed or already overwritten.
   */
  slice(start: number, length: number): Float32Array {
    const { melBins } = this;
    if (start + length > this.count || Math.max(start, 0) < this.count - this.capacity) {
      throw new RangeError(`FrameHistory: frames ${start}..${start + length} not available (have ${this.count}, keep ${this.capacity})`);
    }
    const out = new Float32Array(length * melBins);
    for (let i = 0; i < length; i++) {
      const f = start + i;
      if (f < 0) out.set(this.silence, i * melBins);
      else out.set(this.data.subarray((f % this.capacity) * melBins, ((f % this.capacity) + 1) * melBins), i * melBins);
    }
    return out;
  }
}
