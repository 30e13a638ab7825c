/** A token read by the CTC decoder (a digit, or the "other" token), in output frames of the run it was read from. */
export interface CtcDigit {
  /** Class index: 0–9 for a digit, 10 for "other". */
  readonly digit: number;
  /** Highest posterior of the digit over its frames, 0–1. */
  readonly confidence: number;
  /** First output frame where the digit is the most probable class. */
  readonly startFrame: number;
  /** One past its last output frame. */
  readonly endFrame: number;
  /** Posteriors of every class at the digit's most confident frame, `[classes]`. */
  readonly posteriors: number[];
}

/**
 * Best-path (greedy) CTC decoding, one output frame at a time (Graves et al. 2006, §3.2): the most
 * probable class of each frame; a run of frames of one digit is one digit, a blank or another
 * digit ends it, so "2 2" needs a blank between the twos. A digit is final as soon as a frame
 * after it shows something else — how the reader emits digits before the run ends.
 */
export class GreedyCtcDecoder {
  private open: { digit: number; confidence: number; startFrame: number; posteriors: number[] } | null = null;
  private frame = 0;

  /**
   * @param blank index of the blank class; classes below it are the digits 0–9
   */
  constructor(private readonly blank: number) {}

  /**
   * Decodes the next output frame.
   *
   * @param posteriors `[classes]` softmax probabilities of one frame (read at `offset`)
   * @returns the digit this frame ended, if any
   */
  push(posteriors: ArrayLike<number>, offset = 0): CtcDigit | null {
    let best = 0;
    for (let k = 1; k <= this.blank; k++) if (posteriors[offset + k] > posteriors[offset + best]) best = k;
    const index = this.frame++;
    const open = this.open;
    const row = () => Array.from({ length: this.blank + 1 }, (_, k) => posteriors[offset + k]);
    if (open && best === open.digit) {
      if (posteriors[offset + best] > open.confidence) {
        open.confidence = posteriors[offset + best];
        open.posteriors = row();
      }
      return null;
    }
    const ended = this.close(index);
    if (best !== this.blank) this.open = { digit: best, confidence: posteriors[offset + best], startFrame: index, posteriors: row() };
    return ended;
  }

  /** Ends the sequence: the digit still open, if any. */
  finish(): CtcDigit | null {
    return this.close(this.frame);
  }

  private close(endFrame: number): CtcDigit | null {
    const open = this.open;
    this.open = null;
    return open ? { ...open, endFrame } : null;
  }
}
