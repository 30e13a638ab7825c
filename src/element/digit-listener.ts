import { css, html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { DigitResult, WorkerToMain } from '../capture/messages';
import { CaptureError, type CaptureErrorCode, MicrophoneCapture } from '../capture/microphone';
import { DIGIT_LABELS, OTHER_LABEL } from '../model/labels';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../pipeline/recognizer';
import { formatConfidence } from './format';
import { type BackendReady, RecognizerClient } from './recognizer-client';

/** Visible states of the element. */
export type ListenerState = 'idle' | 'loading' | 'listening' | 'speech' | 'paused' | 'denied' | 'error';

/** `detail` of the `digit` event. */
export type DigitEventDetail = DigitResult;

/** `detail` of the `digits` event: a completed digit string, e.g. "4172". */
export interface DigitsEventDetail {
  readonly digits: string;
  /** Why the string ended: the pause after it, the configured length, or `stop()`. */
  readonly reason: 'pause' | 'length' | 'stop';
}

/** `detail` of the `listening-change` event. */
export interface ListeningChangeDetail {
  readonly listening: boolean;
}

/** Machine-readable cause of an `error` event. */
export type ListenerErrorCode = CaptureErrorCode | 'model-failed' | 'backend-failed' | 'pipeline-failed';

/** `detail` of the `error` event: a code to branch on and a message in plain words. */
export interface ListenerErrorDetail {
  readonly code: ListenerErrorCode;
  readonly message: string;
}

/** Dispatches `type` as a bubbling, composed CustomEvent (outside the class: not an event of its own). */
function fireEvent<T>(target: EventTarget, type: string, detail: T): void {
  target.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
}

/** The shipped model, beside the element's module (a variable: bundlers leave it alone). */
const DEFAULT_MODEL_PATH = './models/default/model.json';

const STATE_TEXT: Record<ListenerState, string> = {
  idle: 'Press Start and say a digit',
  loading: 'Starting…',
  listening: 'Listening — say a digit',
  speech: 'Hearing speech…',
  paused: 'Paused — audio was interrupted',
  denied: 'Microphone access denied',
  error: 'Something went wrong',
};

/**
 * `<digit-listener>`: listens to the microphone and shows each spoken digit (0–9) with its
 * confidence. All audio work runs in an AudioWorklet and a Web Worker; no audio leaves the device.
 *
 * Without `continuous` it stops after the first digit (one-digit input); with it, it keeps
 * listening and groups digits into strings, ended by a pause (`digits-timeout`), by reaching
 * `max-digits`, or by `stop()`. Digits said in one breath at natural speed ("four one seven two")
 * are read by the string model while they are spoken: each `digit` event comes as soon as that
 * digit is certain. All events bubble and are `composed` (they leave shadow roots).
 *
 * @fires digit - a digit was recognized; `detail`: {digit, confidence, probabilities, source ('word' | 'string'), startMs, endMs, streamOriginAt}
 * @fires digits - continuous mode: a digit string was completed; `detail`: {digits: "4172", reason: 'pause' | 'length' | 'stop'}
 * @fires listening-change - listening started or ended (microphone opened or closed, or audio
 *   paused by the browser and resumed); `detail`: {listening}
 * @fires error - something failed; `detail`: {code, message}, code one of permission-denied,
 *   no-device, device-busy, unsupported, device-lost, unknown, model-failed, backend-failed,
 *   pipeline-failed
 * @attr confidence-threshold - minimum confidence (0–1) for a digit to be shown (default 0.5)
 * @attr continuous - keep listening after a digit and group digits into strings
 * @attr max-digits - continuous mode: a string is complete at this many digits (default 0: no limit)
 * @attr digits-timeout - continuous mode: ms of silence after a digit that end the string (default 1500)
 * @attr name - form field name: the element is form-associated and submits its digits (`value`)
 * @attr required - a form with this element is invalid until digits were spoken
 * @attr minlength - fewest digits for the form value to be valid
 * @attr maxlength - most digits for the form value to be valid
 * @attr for - id of an `<input>`/`<textarea>` to type the digits into (with `input` and `change` events) instead of submitting them itself
 * @attr model-src - URL of the model.json to load, relative to the page (default: `models/default/model.json` beside the module)
 * @attr wasm-path - URL of the folder with tfjs' wasm files, relative to the page (default: `wasm/` beside the module)
 * @csspart button - the start/stop button
 * @csspart digit - the large recognized digit
 * @csspart confidence - the confidence text
 * @csspart level - the input level meter
 * @csspart remark - the note shown when speech was heard but no digit reported
 * @csspart digits - continuous mode: the digit string being spoken, then the last completed one
 * @csspart clear - the button that clears the digits
 * @cssprop --digit-listener-accent - accent colour (default #0b57d0)
 * @slot start-label - the label of the start button (default "Start")
 */
export class DigitListener extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      font-family: system-ui, sans-serif;
      color: #1f1f1f;
      --accent: var(--digit-listener-accent, #0b57d0);
    }
    .card { display: grid; gap: 0.75rem; justify-items: center; padding: 1rem 1.5rem; border: 1px solid #c4c7c5; border-radius: 12px; min-width: 16rem; background: #fff; }
    .digit { font-size: 6rem; line-height: 1; font-weight: 700; min-height: 6rem; color: var(--accent); font-variant-numeric: tabular-nums; }
    .confidence { font-size: 1rem; min-height: 1.25rem; }
    .state { font-size: 0.95rem; }
    .state[data-state='denied'], .state[data-state='error'] { color: #b3261e; font-weight: 600; }
    /* Always there, one line high: a remark appearing does not move the buttons. */
    .remark { font-size: 0.85rem; color: #444746; min-height: 1.25rem; }
    .string { font-size: 1.5rem; min-height: 2rem; letter-spacing: 0.2em; font-variant-numeric: tabular-nums; }
    .message { font-size: 0.85rem; max-width: 22rem; text-align: center; }
    button { font: inherit; font-size: 1.05rem; padding: 0.6rem 1.6rem; border-radius: 999px; border: 2px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
    button[aria-pressed='true'], button.clear { background: #fff; color: var(--accent); }
    .buttons { display: flex; gap: 0.5rem; }
    button:focus-visible { outline: 3px solid #1f1f1f; outline-offset: 3px; }
    .level { width: 12rem; height: 0.5rem; border-radius: 4px; background: #e3e3e3; overflow: hidden; }
    .level > .fill { height: 100%; width: 100%; background: var(--accent); transform-origin: left; will-change: transform; transform: scaleX(0); }
    /* Ten steps as classes, not an inline style: the app's Content-Security-Policy allows none. */
    /* As specific as the fill's rule above and after it: a step wins (a lone .step-N lost to
       '.level > div' and the meter never moved). */
    .level > .step-1 { transform: scaleX(0.1); } .level > .step-2 { transform: scaleX(0.2); } .level > .step-3 { transform: scaleX(0.3); }
    .level > .step-4 { transform: scaleX(0.4); } .level > .step-5 { transform: scaleX(0.5); } .level > .step-6 { transform: scaleX(0.6); }
    .level > .step-7 { transform: scaleX(0.7); } .level > .step-8 { transform: scaleX(0.8); } .level > .step-9 { transform: scaleX(0.9); }
    .level > .step-10 { transform: scaleX(1); }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    /* Windows high contrast and other forced-colour modes: system colours, meter still visible. */
    @media (forced-colors: active) {
      .card { border-color: CanvasText; }
      .digit { color: CanvasText; }
      .level { background: Canvas; border: 1px solid CanvasText; }
      .level > .fill { background: Highlight; forced-color-adjust: none; }
      button { border-color: ButtonText; }
    }
  `;

  /** Minimum confidence (0–1) for a digit to be reported. */
  @property({ type: Number, attribute: 'confidence-threshold' }) confidenceThreshold = DEFAULT_CONFIDENCE_THRESHOLD;

  /** Keep listening after a digit and group digits into strings (`digits` events). */
  @property({ type: Boolean, reflect: true }) continuous = false;

  /** Continuous mode: a string is complete at this many digits (0 = no limit). */
  @property({ type: Number, attribute: 'max-digits' }) maxDigits = 0;

  /** Continuous mode: silence after a digit that ends the string, ms. */
  @property({ type: Number, attribute: 'digits-timeout' }) digitsTimeout = 1500;

  /** The digit string being spoken (continuous mode), else the last completed one. */
  @state() private digitString = '';
  private stringOpen = false;
  private pauseTimer: ReturnType<typeof setTimeout> | null = null;

  /** The element submits its digits with its form (form-associated custom element). */
  static formAssociated = true;
  private readonly internals: ElementInternals = this.attachInternals();

  /** Form field name (see `value`). */
  @property({ type: String, reflect: true }) name = '';
  /** The form is invalid until digits were spoken. */
  @property({ type: Boolean, reflect: true }) required = false;
  /** Fewest digits for a valid value (0 = no minimum). */
  @property({ type: Number, attribute: 'minlength' }) minLength = 0;
  /** Most digits for a valid value (0 = no maximum). */
  @property({ type: Number, attribute: 'maxlength' }) maxLength = 0;
  /** Id of an input (in the same document or shadow root) to type the digits into. */
  @property({ type: String, attribute: 'for' }) target = '';
  @state() private formDisabled = false;

  /**
   * The digits held: in continuous mode the string being spoken or the last completed one, else
   * the last digit. Submitted with the form under `name`; setting it ('' clears) updates validity.
   */
  get value(): string {
    return this.digitString;
  }
  set value(digits: string) {
    const clean = String(digits ?? '').replace(/\D/g, '');
    this.stringOpen = false;
    this.clearPauseTimer();
    this.digitString = clean;
    this.syncForm();
  }

  /** The form's view of the value: `checkValidity()`, `validity`, `validationMessage`, `form`. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }
  get validity(): ValidityState {
    return this.internals.validity;
  }
  get validationMessage(): string {
    return this.internals.validationMessage;
  }
  checkValidity(): boolean {
    return this.internals.checkValidity();
  }
  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  /**
   * URL of the model.json to load, relative to the page. Empty (default): the model shipped
   * beside the element's module (`models/default/model.json` next to it).
   */
  @property({ type: String, attribute: 'model-src' }) modelSrc = '';

  /** URL of the folder holding tfjs' wasm files, relative to the page. Empty (default): `wasm/` beside the module. */
  @property({ type: String, attribute: 'wasm-path' }) wasmPath = '';

  /** Current state (read-only for users; reflected as the `state` attribute for styling). */
  @property({ type: String, reflect: true }) state: ListenerState = 'idle';

  /** The tfjs backend the recognizer runs on, once loaded. */
  backend: BackendReady | null = null;

  @state() private lastResult: DigitResult | null = null;
  @state() private levelDb = -120;
  @state() private message = '';
  @state() private announcement = '';
  /** A short remark on the last utterance that was not reported ("not a digit"). */
  @state() private remark = '';

  private client: RecognizerClient | null = null;
  private capture: MicrophoneCapture | null = null;
  private unsubscribe: (() => void) | null = null;
  private unwatch: (() => void) | null = null;

  /** True while listening: the microphone is open and audio flows. */
  get listening(): boolean {
    return this.state === 'listening' || this.state === 'speech';
  }

  /** True while the microphone is open, listening or paused by the browser. */
  private get micOpen(): boolean {
    return this.listening || this.state === 'paused';
  }

  /** Page events after which a paused AudioContext may run again (visible again, a gesture). */
  private readonly onMayResume = (event: Event): void => {
    if (this.state !== 'paused' || (event.type === 'visibilitychange' && document.visibilityState !== 'visible')) return;
    void this.capture?.resume();
  };

  /** The page is being left (or frozen into the back/forward cache): let the microphone go. */
  private readonly onPageHide = (): void => {
    if (!this.micOpen) return;
    void this.halt(false).then(() => {
      this.message = 'Listening stopped when the page was hidden. Press Start to listen again.';
      this.announce(`Stopped listening. ${this.message}`);
    });
  };

  /** The page events the element follows while connected: target, type, handler, capture. */
  private pageEvents(): [EventTarget, string, (event: Event) => void, boolean][] {
    return [
      [document, 'visibilitychange', this.onMayResume, false],
      [document, 'pointerdown', this.onMayResume, true],
      [document, 'keydown', this.onMayResume, true],
      [window, 'pageshow', this.onMayResume, false],
      [window, 'focus', this.onMayResume, false],
      [window, 'pagehide', this.onPageHide, false],
    ];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    for (const [target, type, handler, capture] of this.pageEvents()) target.addEventListener(type, handler, capture);
  }

  /** Opens the microphone and starts recognizing. Call from a user gesture. */
  async start(): Promise<void> {
    if (this.state === 'paused') return this.resume();
    if (this.listening || this.state === 'loading') return;
    this.state = 'loading';
    this.message = '';
    try {
      this.client ??= new RecognizerClient();
      this.unsubscribe ??= this.client.on((m) => this.onWorkerMessage(m));
      const modelUrl = this.modelSrc ? new URL(this.modelSrc, document.baseURI).href : new URL(DEFAULT_MODEL_PATH, import.meta.url).href;
      const wasmDir = this.wasmPath ? new URL(this.wasmPath, document.baseURI) : undefined;
      // Model first, then the microphone: no audio is captured before it can be recognized.
      this.backend = await this.client.ready(modelUrl, { wasmDir });
      const capture = await MicrophoneCapture.open();
      this.capture = capture;
      const channel = new MessageChannel();
      this.client.send(
        { type: 'start', sampleRate: capture.sampleRate, port: channel.port2, confidenceThreshold: this.confidenceThreshold },
        [channel.port2],
      );
      capture.connect(channel.port1);
      this.unwatch = capture.watch({
        onEnded: (lost) => this.fail(lost.code, lost.message),
        onSuspended: () => this.pause(),
        onRunning: () => this.resumed(),
      });
      if (capture.running) {
        this.state = 'listening';
        this.announce('Listening');
      } else {
        // Autoplay rules (iOS, no gesture yet): the context waits for the user.
        this.state = 'paused';
        this.message = 'The browser is holding the audio until you press Resume.';
        this.announce(`${STATE_TEXT.paused}. ${this.message}`);
      }
    } catch (error) {
      await this.releaseMicrophone();
      if (error instanceof CaptureError && error.code === 'permission-denied') {
        this.state = 'denied';
      } else {
        this.state = 'error';
      }
      this.message = (error as Error).message;
      this.announce(`${STATE_TEXT[this.state]}. ${this.message}`);
      const code = error instanceof CaptureError ? error.code : ((error as { code?: ListenerErrorCode }).code ?? 'unknown');
      fireEvent<ListenerErrorDetail>(this, 'error', { code, message: this.message });
    }
  }

  /** Stops listening and releases the microphone. */
  async stop(): Promise<void> {
    await this.halt(true);
  }

  /** Resumes listening after the browser paused the audio (call from a user gesture). */
  async resume(): Promise<void> {
    if (this.state === 'paused') await this.capture?.resume();
  }

  /**
   * The browser stopped the audio (screen lock, background tab, autoplay rules): the worker
   * reports the word in progress and starts a fresh stream for when audio returns.
   */
  private pause(): void {
    if (!this.listening) return;
    this.client?.send({ type: 'flush' });
    this.clearPauseTimer();
    this.state = 'paused';
    this.levelDb = -120;
    this.message = 'The browser paused the audio (screen locked or page in the background). Listening resumes when you come back, or press Resume.';
    this.announce(`${STATE_TEXT.paused}. ${this.message}`);
  }

  private resumed(): void {
    if (this.state !== 'paused') return;
    this.state = 'listening';
    this.message = '';
    this.announce('Listening again');
    if (this.stringOpen) this.armPauseTimer();
  }

  /** Ends listening on a failure: releases the microphone, shows `message`, fires `error`. */
  private fail(code: ListenerErrorCode, message: string): void {
    this.message = message;
    this.endString('stop');
    this.state = 'error';
    this.levelDb = -120;
    void this.releaseMicrophone();
    this.announce(`Error. ${message}`);
    fireEvent<ListenerErrorDetail>(this, 'error', { code, message });
  }

  /** Stops listening; `announce` false keeps the digit just announced in the live region. */
  private async halt(announce: boolean): Promise<void> {
    if (!this.micOpen) return;
    this.endString('stop');
    await this.releaseMicrophone();
    this.state = 'idle';
    this.levelDb = -120;
    if (announce) this.announce('Stopped listening');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const [target, type, handler, capture] of this.pageEvents()) target.removeEventListener(type, handler, capture);
    this.clearPauseTimer();
    void this.releaseMicrophone();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.client?.terminate();
    this.client = null;
  }

  private async releaseMicrophone(): Promise<void> {
    this.unwatch?.();
    this.unwatch = null;
    this.client?.send({ type: 'stop' });
    const capture = this.capture;
    this.capture = null;
    await capture?.close().catch(() => undefined);
  }

  private onWorkerMessage(m: WorkerToMain): void {
    switch (m.type) {
      case 'ready':
        return;
      case 'status':
        if (!this.listening) return;
        this.levelDb = m.levelDb;
        this.state = m.inSpeech ? 'speech' : 'listening';
        // A word in progress holds the string open; the pause counts from the end of speech.
        if (m.inSpeech) this.clearPauseTimer();
        else if (this.stringOpen) this.armPauseTimer();
        return;
      case 'digit': {
        if (!this.micOpen) return; // a paused stream still reports the word it was hearing
        this.lastResult = m.result;
        this.remark = '';
        this.announce(`${m.result.digit}, ${DIGIT_LABELS[m.result.digit]}, confidence ${Math.round(m.result.confidence * 100)} percent`);
        fireEvent<DigitEventDetail>(this, 'digit', m.result);
        // One-digit input holds just this digit; continuous mode appends it to the open string.
        const digit = String(m.result.digit);
        this.digitString = this.continuous && this.stringOpen ? this.digitString + digit : digit;
        this.stringOpen = this.continuous;
        this.typeIntoTarget(digit, !this.continuous);
        this.syncForm();
        if (!this.continuous) {
          void this.halt(false); // one-digit input: done
          return;
        }
        if (this.maxDigits > 0 && this.digitString.length >= this.maxDigits) this.endString('length');
        else this.armPauseTimer();
        return;
      }
      case 'rejected':
        if (!this.listening) return;
        this.remark = m.label === OTHER_LABEL ? 'That did not sound like a digit.' : 'Not sure which digit that was — please say it again.';
        this.announce(this.remark);
        return;
      case 'error':
        if (this.state === 'loading') return; // start() reports it
        this.fail(m.code, m.message);
        return;
    }
  }

  /** The `for` input, if it names one in this element's document or shadow root. */
  private targetInput(): HTMLInputElement | HTMLTextAreaElement | null {
    if (!this.target) return null;
    const root = this.getRootNode() as Document | ShadowRoot;
    const el = root.getElementById?.(this.target) ?? null;
    return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el : null;
  }

  /** Types `digit` at the end of the `for` input (respecting its maxlength) and fires `input`. */
  private typeIntoTarget(digit: string, done: boolean): void {
    const input = this.targetInput();
    if (!input) return;
    if (input.maxLength > 0 && input.value.length >= input.maxLength) return;
    input.value += digit;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    if (done) input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  /** Form value and validity from `value`; with `for`, the input carries the value instead. */
  private syncForm(): void {
    const value = this.digitString;
    this.internals.setFormValue(this.target ? null : value);
    const anchor = this.renderRoot?.querySelector?.('button[part=button]') as HTMLElement | null;
    const n = value.length;
    if (this.required && n === 0) {
      this.internals.setValidity({ valueMissing: true }, 'Say the digits: this field is required.', anchor ?? undefined);
    } else if (n > 0 && this.minLength > 0 && n < this.minLength) {
      this.internals.setValidity({ tooShort: true }, `Say at least ${this.minLength} digits (${n} so far).`, anchor ?? undefined);
    } else if (this.maxLength > 0 && n > this.maxLength) {
      this.internals.setValidity({ tooLong: true }, `Say at most ${this.maxLength} digits (${n} said).`, anchor ?? undefined);
    } else {
      this.internals.setValidity({});
    }
  }

  /** Form reset: forget the digits. */
  formResetCallback(): void {
    this.value = '';
    this.lastResult = null;
  }

  /** A disabled fieldset or form disables the element: it stops listening. */
  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
    if (disabled) void this.stop();
  }

  private onClear(): void {
    this.value = '';
    const input = this.targetInput();
    if (input) {
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
    this.announce('Digits cleared');
  }

  protected override firstUpdated(): void {
    this.syncForm(); // validity needs the button as its anchor
  }

  /** Ends the open digit string (if any) and fires `digits`. */
  private endString(reason: DigitsEventDetail['reason']): void {
    this.clearPauseTimer();
    if (!this.stringOpen) return;
    this.stringOpen = false;
    this.targetInput()?.dispatchEvent(new Event('change', { bubbles: true }));
    this.announce(`Digits ${this.digitString.split('').join(' ')}`);
    fireEvent<DigitsEventDetail>(this, 'digits', { digits: this.digitString, reason });
  }

  private armPauseTimer(): void {
    this.clearPauseTimer();
    this.pauseTimer = setTimeout(() => this.endString('pause'), Math.max(0, this.digitsTimeout));
  }

  private clearPauseTimer(): void {
    if (this.pauseTimer !== null) clearTimeout(this.pauseTimer);
    this.pauseTimer = null;
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (['required', 'minLength', 'maxLength', 'target'].some((k) => changed.has(k))) this.syncForm();
    if (!changed.has('state')) return;
    const before = changed.get('state') as ListenerState | undefined;
    const wasListening = before === 'listening' || before === 'speech';
    if (wasListening !== this.listening) fireEvent<ListeningChangeDetail>(this, 'listening-change', { listening: this.listening });
  }

  private announce(text: string): void {
    // A repeated digit must be announced again: alternate a trailing zero-width space so the
    // live region's text always changes (one render, no clear-then-set round trip).
    this.announcement = this.announcement === text ? `${text}\u200b` : text;
  }

  private onToggle(): void {
    void (this.listening ? this.stop() : this.state === 'paused' ? this.resume() : this.start());
  }

  override render() {
    const result = this.lastResult;
    // Level meter: −60 dBFS → empty, 0 dBFS → full, in 10 % steps. Drawn with a transform (no
    // layout) so the 10 updates a second cost the main thread little (`npm run bench`).
    const level = Math.round(Math.max(0, Math.min(1, (this.levelDb + 60) / 60)) * 10) / 10;
    const busy = this.state === 'loading';
    return html`
      <div class="card">
        <div class="digit" part="digit" aria-hidden="true">${result ? result.digit : nothing}</div>
        <div class="confidence" part="confidence">${result ? `confidence ${formatConfidence(result.confidence)}` : nothing}</div>
        <div class="level" part="level" role="meter" aria-label="Input level" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(level * 100)}>
          <div class=${`fill step-${Math.round(level * 10)}`}></div>
        </div>
        <div class="state" data-state=${this.state}>${STATE_TEXT[this.state]}</div>
        ${this.continuous ? html`<div class="string" part="digits">${this.digitString}</div>` : nothing}
        <div class="remark" part="remark">${this.remark && this.listening ? this.remark : nothing}</div>
        ${this.message ? html`<div class="message" role="alert">${this.message}</div>` : nothing}
        <div class="buttons">
          <button part="button" type="button" aria-pressed=${this.listening ? 'true' : 'false'} ?disabled=${busy || this.formDisabled} @click=${this.onToggle}>
            ${this.listening ? 'Stop' : busy ? 'Starting…' : this.state === 'paused' ? 'Resume' : this.state === 'denied' || this.state === 'error' ? 'Try again' : html`<slot name="start-label">Start</slot>`}
          </button>
          ${this.digitString && (this.continuous || this.name || this.target)
            ? html`<button part="clear" class="clear" type="button" aria-label="Clear the digits" ?disabled=${this.formDisabled} @click=${this.onClear}>Clear</button>`
            : nothing}
        </div>
        <div class="sr-only" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      </div>
    `;
  }
}

