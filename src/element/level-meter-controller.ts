import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { LevelMeterColors, LevelMeterTarget } from '../worker/protocol';
import { levelStep } from './format';

/** What the meter reads from its element. */
export interface LevelMeterHost extends ReactiveControllerHost, HTMLElement {
  /** The shadow root the meter renders in. */
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** Meter size in CSS pixels when the element is not laid out yet (its CSS: 12rem × 0.5rem). */
const FALLBACK_SIZE = { width: 192, height: 8 };

/**
 * Whether this browser lets a worker draw a canvas the page shows (`transferControlToOffscreen`).
 * Without it (Safari before 16.4) the element draws its DOM meter from `level` events.
 */
export function workerMeterSupported(): boolean {
  return typeof HTMLCanvasElement !== 'undefined' && 'transferControlToOffscreen' in HTMLCanvasElement.prototype && typeof OffscreenCanvas !== 'undefined';
}

/**
 * The input level meter of `<digit-listener>` (`part="level"`). Where the browser has
 * OffscreenCanvas, the recognizer's worker draws it (see `worker/level-meter.ts`): the element
 * hands it a fresh canvas at each stream start and renders nothing while the level moves, so
 * listening costs the main thread a render per word instead of several (`npm run bench`). Else a
 * DOM bar of ten steps, drawn with a transform from the `level` events.
 *
 * Colours come from the element's CSS (`--digit-listener-accent` while speech is heard, grey
 * otherwise; system colours in forced-colours mode), read when a stream starts.
 */
export class LevelMeterController {
  /** True when the worker draws the meter (see {@link workerMeterSupported}). */
  readonly inWorker = workerMeterSupported();
  /** The canvas the worker draws the current stream's meter on; null: an empty meter. */
  private canvas: HTMLCanvasElement | null = null;

  constructor(private readonly host: LevelMeterHost) {}

  /**
   * A fresh canvas for the worker, the size of the meter in device pixels, with the colours to
   * draw: the recognizer calls this at each stream start (`DigitRecognizer.setLevelMeter`).
   * Null when the worker cannot draw it or the element is not rendered.
   */
  target(): LevelMeterTarget | null {
    const box = this.host.renderRoot.querySelector?.<HTMLElement>('[part=level]');
    if (!this.inWorker || !box) return null;
    const canvas = document.createElement('canvas');
    const rect = box.getBoundingClientRect();
    const ratio = globalThis.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round((rect.width || FALLBACK_SIZE.width) * ratio));
    canvas.height = Math.max(1, Math.round((rect.height || FALLBACK_SIZE.height) * ratio));
    const colors = this.colors(box);
    this.canvas = canvas;
    this.host.requestUpdate();
    return { canvas: canvas.transferControlToOffscreen(), colors };
  }

  /** The stream ended: an empty meter (the worker's canvas is dropped). */
  reset(): void {
    if (!this.canvas) return;
    this.canvas = null;
    this.host.requestUpdate();
  }

  /**
   * The meter: the worker's canvas, or the DOM bar at `levelDb`.
   * @param levelDb the last `level` event's level, dBFS (DOM meter only)
   * @param speech whether speech is heard (the bar's colour)
   */
  render(levelDb: number, speech: boolean): TemplateResult {
    if (this.inWorker) {
      // Decorative: the state line says whether speech is heard; the spans carry the colours.
      return html`<div class="level" part="level" aria-hidden="true"><span class="quiet"></span><span class="speech"></span>${this.canvas ?? ''}</div>`;
    }
    const step = levelStep(levelDb);
    return html`
      <div class="level" part="level" role="meter" aria-label="Input level" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${step * 10}>
        <div class=${`fill step-${step}${speech ? ' speech' : ''}`}></div>
      </div>
    `;
  }

  /** The meter's colours as computed (`rgb(…)`, which a worker's canvas parses; system colours resolved). */
  private colors(box: HTMLElement): LevelMeterColors {
    const color = (selector: string) => getComputedStyle(box.querySelector(selector) ?? box).color;
    return { track: getComputedStyle(box).backgroundColor, quiet: color('.quiet'), speech: color('.speech') };
  }
}
