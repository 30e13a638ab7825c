import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { DIGIT_LABELS, OTHER_LABEL } from '../model/labels';
import { DEFAULT_CONFIDENCE_THRESHOLD } from '../pipeline/recognizer';
import { DigitRecognizer, type DigitRecognizerOptions } from '../session/digit-recognizer';
import type { DigitEventDetail, DigitsEventDetail, ErrorEventDetail, RecognizerErrorCode, StateEventDetail } from '../session/events';
import type { BackendReady } from '../session/worker-client';
import type { DigitResult } from '../worker/protocol';
import type { VoiceProfile } from '../adaptation/profile';
import { EnrollmentController } from './enrollment-controller';
import { FormController } from './form-controller';
import { formatConfidence } from './format';
import { LevelMeterController } from './level-meter-controller';
import { digitListenerStyles } from './styles';

/** Visible states of the element: the recognizer's, with `denied` for a refused microphone. */
export type ListenerState = 'idle' | 'loading' | 'listening' | 'speech' | 'paused' | 'denied' | 'error';

export type { DigitEventDetail, DigitsEventDetail };

/** `detail` of the `listening-change` event. */
export interface ListeningChangeDetail {
  readonly listening: boolean;
}

/** Machine-readable cause of an `error` event. */
export type ListenerErrorCode = RecognizerErrorCode;

/** `detail` of the `error` event: a code to branch on and a message in plain words. */
export type ListenerErrorDetail = ErrorEventDetail;

/**
 * Dispatches `type` as a bubbling, composed CustomEvent (it leaves shadow roots). Outside the
 * class, so the custom-elements manifest lists the element's own events, not a `type` variable.
 */
function fireEvent<T>(target: EventTarget, type: string, detail: T): void {
  target.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
}

const STATE_TEXT: Record<ListenerState, string> = {
  idle: 'Press Start and say a digit',
  loading: 'Starting…',
  listening: 'Listening — say a digit',
  speech: 'Listening — say a digit', // speech heard shows on the meter (see render)
  paused: 'Paused — audio was interrupted',
  denied: 'Microphone access denied',
  error: 'Something went wrong',
};

/** What the element says when the recognizer pauses or stops for a reason of its own. */
const REASON_TEXT: Partial<Record<NonNullable<StateEventDetail['reason']>, string>> = {
  autoplay: 'The browser is holding the audio until you press Resume.',
  browser: 'The browser paused the audio (screen locked or page in the background). Listening resumes when you come back, or press Resume.',
  user: 'Paused. Press Resume to listen again.',
  'page-hidden': 'Listening stopped when the page was hidden. Press Start to listen again.',
};

/**
 * `<digit-listener>`: listens to the microphone and shows each spoken digit (0–9) with its
 * confidence. A view over a headless {@link DigitRecognizer} (`recognizer`), which does the
 * audio work in an AudioWorklet and a Web Worker; no audio leaves the device.
 *
 * Without `continuous` it stops after the first digit (one-digit input); with it, it keeps
 * listening and groups digits into strings, ended by a pause (`digits-timeout`), by reaching
 * `max-digits`, or by `stop()`. Digits said in one breath at natural speed ("four one seven two")
 * are read by the string model while they are spoken: each `digit` event comes as soon as that
 * digit is certain. All events bubble and are `composed` (they leave shadow roots).
 *
 * @fires digit - a digit was recognized; `detail`: {digit, confidence, probabilities, source ('word' | 'string'), startMs, endMs, streamOriginAt}
 * @fires enrolled - an enrollment adapted to the person's voice; `detail`: {profile, heldBack: {takes, before, after} | null} (the profile is not in use until Keep)
 * @fires profile-change - the person kept the new voice profile (Keep); `detail`: {profile}, to store it (e.g. `ProfileStore`)
 * @fires digits - continuous mode: a digit string was completed; `detail`: {digits: "4172", reason: 'pause' | 'length' | 'stop'}
 * @fires listening-change - listening started or ended (microphone opened or closed, or audio
 *   paused by the browser and resumed); `detail`: {listening}
 * @fires error - something failed; `detail`: {code, message}, code one of permission-denied,
 *   no-device, device-busy, unsupported, device-lost, unknown, model-failed, backend-failed,
 *   pipeline-failed, enrollment-failed, profile-refused
 * @attr confidence-threshold - minimum confidence (0–1) for a digit to be shown (default 0.5)
 * @attr continuous - keep listening after a digit and group digits into strings
 * @attr max-digits - continuous mode: a string is complete at this many digits (default 0: no limit)
 * @attr digits-timeout - continuous mode: ms of silence after a digit that end the string (default 1500)
 * @attr name - form field name: the element is form-associated and submits its digits (`value`)
 * @attr required - a form with this element is invalid until digits were spoken
 * @attr minlength - fewest digits for the form value to be valid
 * @attr maxlength - most digits for the form value to be valid
 * @attr for - id of an `<input>`/`<textarea>` to type the digits into (with `input` and `change` events) instead of submitting them itself
 * @attr model-src - URL of the model.json to load, relative to the page (default: the shipped model, which your bundler finds); a change reloads, also while listening
 * @attr wasm-path - URL of the folder with tfjs' wasm files, relative to the page (default: the shipped ones, which your bundler finds)
 * @csspart button - the start/stop button
 * @csspart digit - the large recognized digit
 * @csspart confidence - the confidence text
 * @csspart level - the input level meter
 * @csspart remark - the note shown when speech was heard but no digit reported
 * @csspart digits - continuous mode: the digit string being spoken, then the last completed one
 * @csspart clear - the button that clears the digits
 * @csspart enrollment - the enrollment panel (`startEnrollment()`): the digit to say, a tick per digit heard, Redo last / Cancel, then the result and Keep / Discard
 * @cssprop --digit-listener-accent - accent colour (default #0b57d0)
 * @slot start-label - the label of the start button (default "Start")
 */
export class DigitListener extends LitElement {
  static override styles = digitListenerStyles;

  /** The element submits its digits with its form (form-associated custom element). */
  static formAssociated = true;

  /** Minimum confidence (0–1) for a digit to be shown; a change applies at once, also while listening. */
  @property({ type: Number, attribute: 'confidence-threshold' }) confidenceThreshold = DEFAULT_CONFIDENCE_THRESHOLD;
  /** Keep listening after a digit and group digits into strings (`digits` events). */
  @property({ type: Boolean, reflect: true }) continuous = false;
  /** Continuous mode: a string is complete at this many digits (0 = no limit). */
  @property({ type: Number, attribute: 'max-digits' }) maxDigits = 0;
  /** Continuous mode: silence after a digit that ends the string, ms. */
  @property({ type: Number, attribute: 'digits-timeout' }) digitsTimeout = 1500;
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
  /** URL of the model.json to load, relative to the page. Empty (default): the shipped model. */
  @property({ type: String, attribute: 'model-src' }) modelSrc = '';
  /** URL of the folder holding tfjs' wasm files, relative to the page. Empty (default): the shipped ones. */
  @property({ type: String, attribute: 'wasm-path' }) wasmPath = '';
  /** Current state (read-only for users; reflected as the `state` attribute for styling). */
  @property({ type: String, reflect: true }) state: ListenerState = 'idle';

  /** The headless recognizer this element shows (created on the first `start()`). */
  recognizer: DigitRecognizer | null = null;

  /** The tfjs backend the recognizer runs on, once loaded. */
  get backend(): BackendReady | null {
    return this.recognizer?.backend ?? null;
  }

  @state() private digitString = '';
  @state() private lastResult: DigitResult | null = null;
  @state() private levelDb = -120;
  @state() private message = '';
  @state() private announcement = '';
  /** A short remark on the last utterance that was not reported ("not a digit"). */
  @state() private remark = '';
  @state() private formDisabled = false;

  private readonly formField = new FormController(this);
  private readonly meter = new LevelMeterController(this);
  private readonly enrollment = new EnrollmentController(this, {
    recognizer: () => (this.recognizer ??= this.createRecognizer()),
    announce: (text) => this.announce(text),
    fire: (type, detail) => fireEvent(this, type, detail),
  });

  /**
   * Teaches the recognizer this person's voice: asks for each digit `takesPerDigit` times (a
   * tick per digit, Redo last, Cancel), adapts in the worker and shows how much better it reads
   * the takes held back (all rounds after the first); Keep applies the profile and fires
   * `profile-change`. Call from a user gesture (it opens the microphone).
   * @throws RangeError for takesPerDigit outside 1–5
   */
  async startEnrollment(takesPerDigit = 2): Promise<void> {
    this.message = '';
    await this.enrollment.start(takesPerDigit).catch((error: unknown) => {
      if (error instanceof RangeError) throw error; // other failures arrive as `error` events
    });
  }

  /** Ends an enrollment without keeping anything. */
  async cancelEnrollment(): Promise<void> {
    await this.enrollment.cancel();
  }

  /** The voice profile in use (null: the general model). Setting it applies it; another model's is refused (an `error` event). */
  get profile(): VoiceProfile | null {
    return this.recognizer?.profile ?? this.pendingProfile;
  }
  set profile(profile: VoiceProfile | null) {
    this.pendingProfile = profile;
    this.recognizer?.useProfile(profile).catch((error: unknown) => this.onError({ code: 'profile-refused', message: (error as Error).message }));
  }
  private pendingProfile: VoiceProfile | null = null;

  /**
   * The digits held: in continuous mode the string being spoken or the last completed one, else
   * the last digit. Submitted with the form under `name`; setting it ('' clears) updates validity.
   */
  get value(): string {
    return this.digitString;
  }
  set value(digits: string) {
    this.recognizer?.clearDigits();
    this.digitString = String(digits ?? '').replace(/\D/g, '');
    this.formField.sync();
  }

  /** The form's view of the value: `checkValidity()`, `validity`, `validationMessage`, `form`. */
  get form(): HTMLFormElement | null {
    return this.formField.internals.form;
  }
  get validity(): ValidityState {
    return this.formField.internals.validity;
  }
  get validationMessage(): string {
    return this.formField.internals.validationMessage;
  }
  checkValidity(): boolean {
    return this.formField.internals.checkValidity();
  }
  reportValidity(): boolean {
    return this.formField.internals.reportValidity();
  }

  /** The start button, where validity messages point. */
  get validityAnchor(): HTMLElement | null {
    return this.renderRoot?.querySelector?.<HTMLElement>('button[part=button]') ?? null;
  }

  /** True while listening: the microphone is open and audio flows. */
  get listening(): boolean {
    return this.state === 'listening' || this.state === 'speech';
  }

  private options(): DigitRecognizerOptions {
    return {
      confidenceThreshold: this.confidenceThreshold,
      continuous: this.continuous,
      maxDigits: this.maxDigits,
      digitsTimeout: Math.max(0, this.digitsTimeout),
      modelUrl: this.modelSrc || undefined,
      wasmPath: this.wasmPath || undefined,
      profile: this.pendingProfile,
    };
  }

  /** Opens the microphone and starts recognizing. Call from a user gesture. */
  async start(): Promise<void> {
    this.message = '';
    this.recognizer ??= this.createRecognizer();
    await this.recognizer.start().catch(() => undefined); // failures arrive as `error` events
  }

  /** Stops listening and releases the microphone. */
  async stop(): Promise<void> {
    await this.recognizer?.stop();
  }

  /** Resumes listening after the browser paused the audio (call from a user gesture). */
  async resume(): Promise<void> {
    await this.recognizer?.resume();
  }

  private createRecognizer(): DigitRecognizer {
    const r = new DigitRecognizer(this.options());
    r.addEventListener('state', (e) => this.onState(e.detail));
    if (this.meter.inWorker) r.setLevelMeter(() => this.meter.target());
    else r.addEventListener('level', (e) => (this.levelDb = e.detail.levelDb));
    r.addEventListener('digit', (e) => this.onDigit(e.detail));
    r.addEventListener('digits', (e) => this.onDigits(e.detail));
    r.addEventListener('rejected', (e) => {
      this.remark = e.detail.label === OTHER_LABEL ? 'That did not sound like a digit.' : 'Not sure which digit that was — please say it again.';
      this.announce(this.remark);
    });
    r.addEventListener('error', (e) => this.onError(e.detail));
    return r;
  }

  private onState({ state, previous, reason }: StateEventDetail): void {
    if (state === 'error') return; // onError shows it
    const wasListening = this.listening;
    this.state = state;
    if (state !== 'listening' && state !== 'speech') this.levelDb = -120;
    if (state === 'idle') this.meter.reset();
    const text = reason ? REASON_TEXT[reason] : undefined;
    if (state === 'loading' || state === 'listening') this.message = '';
    if (text) {
      this.message = text;
      this.announce(`${state === 'paused' ? `${STATE_TEXT.paused}. ` : 'Stopped listening. '}${text}`);
    } else if (state === 'listening' && previous === 'loading') this.announce('Listening');
    else if (state === 'listening' && previous === 'paused') this.announce('Listening again');
    else if (state === 'idle' && reason === 'stop' && wasListening) this.announce('Stopped listening');
  }

  private onDigit(result: DigitResult): void {
    if (this.enrollment.active) return; // takes, not answers
    this.lastResult = result;
    this.remark = '';
    this.announce(`${result.digit}, ${DIGIT_LABELS[result.digit]}, confidence ${Math.round(result.confidence * 100)} percent`);
    this.digitString = this.recognizer?.digits ?? String(result.digit);
    this.formField.sync(); // before the event: a listener may read `value` or check validity
    fireEvent<DigitEventDetail>(this, 'digit', result);
    this.formField.type(String(result.digit), !this.continuous);
  }

  private onDigits(detail: DigitsEventDetail): void {
    if (this.enrollment.active) return;
    this.formField.committed();
    this.announce(`Digits ${detail.digits.split('').join(' ')}`);
    fireEvent<DigitsEventDetail>(this, 'digits', detail);
  }

  private onError(detail: ErrorEventDetail): void {
    this.state = detail.code === 'permission-denied' ? 'denied' : 'error';
    this.levelDb = -120;
    this.meter.reset();
    this.message = detail.message;
    this.announce(`${STATE_TEXT[this.state]}. ${detail.message}`);
    fireEvent<ErrorEventDetail>(this, 'error', detail);
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

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    const r = this.recognizer;
    this.recognizer = null;
    void r?.dispose();
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    const options: (keyof this)[] = ['confidenceThreshold', 'continuous', 'maxDigits', 'digitsTimeout', 'modelSrc', 'wasmPath'];
    if (this.recognizer && options.some((k) => changed.has(k))) {
      this.recognizer.setOptions(this.options()).catch(() => undefined); // a failed reload arrives as an `error` event
    }
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

  private onClear(): void {
    this.value = '';
    this.formField.clearTarget();
    this.announce('Digits cleared');
  }

  private onToggle(): void {
    void (this.listening ? this.stop() : this.state === 'paused' ? this.resume() : this.start());
  }

  override render(): TemplateResult {
    const result = this.lastResult;
    const busy = this.state === 'loading';
    // Speech heard shows on the meter (its colour), not as a line of its own: a word's onset then
    // changes nothing here but the host's `state` attribute, and draws no frame (`npm run bench`).
    const shownState = this.state === 'speech' ? 'listening' : this.state;
    const meter = html`
      ${this.meter.render(this.levelDb, this.state === 'speech')}
      <div class="state" data-state=${shownState}>${STATE_TEXT[shownState]}</div>
    `;
    const live = html`<div class="sr-only" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
    if (this.enrollment.active) {
      return html`<div class="card">${this.enrollment.render()}${meter}${this.message ? html`<div class="message" role="alert">${this.message}</div>` : nothing}${live}</div>`;
    }
    /* eslint-disable @typescript-eslint/unbound-method -- Lit calls @event listeners with `this` the element (its render host) */
    return html`
      <div class="card">
        <div class="digit" part="digit" aria-hidden="true">${result ? result.digit : nothing}</div>
        <div class="confidence" part="confidence">${result ? `confidence ${formatConfidence(result.confidence)}` : nothing}</div>
        ${meter}
        ${this.continuous ? html`<div class="string" part="digits">${this.digitString}</div>` : nothing}
        <div class="remark" part="remark">${this.remark && this.listening ? this.remark : nothing}</div>
        ${this.message ? html`<div class="message" role="alert">${this.message}</div>` : nothing}
        <div class="buttons">
          <button part="button" type="button" aria-pressed=${this.listening ? 'true' : 'false'} ?disabled=${busy || this.formDisabled} @click=${this.onToggle}>
            ${this.listening ? 'Stop' : busy ? 'Starting…' : this.state === 'paused' ? 'Resume' : this.state === 'denied' || this.state === 'error' ? 'Try again' : html`<slot name="start-label">Start</slot>`}
          </button>
          ${
            this.digitString && (this.continuous || this.name || this.target)
              ? html`<button part="clear" class="clear" type="button" aria-label="Clear the digits" ?disabled=${this.formDisabled} @click=${this.onClear}>Clear</button>`
              : nothing
          }
        </div>
        ${live}
      </div>
    `;
    /* eslint-enable @typescript-eslint/unbound-method */
  }
}
