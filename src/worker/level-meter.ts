/**
 * The input level meter, drawn by the recognizer worker on an OffscreenCanvas the page hands it
 * (`canvas.transferControlToOffscreen()`), so that the meter moving costs the page's main thread
 * nothing: the worker's canvas frames go to the compositor directly. Measured with `npm run
 * bench` (a word every 1.6 s): each meter change rendered by the element cost the main thread a
 * message and a frame (style, paint, commit: about 1–2 ms on a slow machine), some 2–3 per word.
 *
 * The scale is the element's DOM meter's (its fallback where OffscreenCanvas is missing):
 * {@link levelStep}.
 */
import { LEVEL_STEPS, levelStep } from '../element/format';
import type { LevelMeterTarget } from './protocol';

/**
 * Interval between meter frames while the level moves, ms: 10 a second, each showing the peak
 * level of its interval (a change of the speech flag draws at once).
 */
export const METER_INTERVAL_MS = 100;

/** Draws the level meter on an OffscreenCanvas: a bar of {@link levelStep} tenths of the width. */
export class LevelMeterPainter {
  private readonly context: OffscreenCanvasRenderingContext2D;
  private drawn: { step: number; speech: boolean } | null = null;
  private peakDb = -120;
  private lastFrameAt = Number.NEGATIVE_INFINITY;

  /**
   * @param target the canvas (its size is the page's, in device pixels) and colours
   * @throws Error if the canvas gives no 2D context (the browser cannot draw in a worker)
   */
  constructor(private readonly target: LevelMeterTarget) {
    const context = target.canvas.getContext('2d');
    if (!context) throw new Error('the level meter canvas gives no 2d context in the worker');
    this.context = context;
    this.draw(0, false);
  }

  /**
   * Takes the level of one audio block; draws when {@link METER_INTERVAL_MS} have passed (the
   * interval's peak) or the speech flag changed, and only if the picture changes.
   * @param levelDb the block's level, dBFS
   * @param inSpeech whether the gate is open
   * @param now the time, ms (`performance.now()`)
   */
  update(levelDb: number, inSpeech: boolean, now: number): void {
    this.peakDb = Math.max(this.peakDb, levelDb);
    const speechChanged = this.drawn !== null && this.drawn.speech !== inSpeech;
    if (!speechChanged && now - this.lastFrameAt < METER_INTERVAL_MS) return;
    this.draw(levelStep(this.peakDb), inSpeech);
    this.peakDb = -120;
    this.lastFrameAt = now;
  }

  /** Empties the meter (the stream stopped). */
  clear(): void {
    this.draw(0, false);
  }

  private draw(step: number, speech: boolean): void {
    if (this.drawn && this.drawn.step === step && this.drawn.speech === speech) return;
    const { width, height } = this.target.canvas;
    const { colors } = this.target;
    const c = this.context;
    c.fillStyle = colors.track;
    c.fillRect(0, 0, width, height);
    c.fillStyle = speech ? colors.speech : colors.quiet;
    c.fillRect(0, 0, Math.round((width * step) / LEVEL_STEPS), height);
    this.drawn = { step, speech };
  }
}
