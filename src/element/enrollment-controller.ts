import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { ENROLLMENT_ORDER } from '../adaptation/enroll';
import type { VoiceProfile } from '../adaptation/profile';
import { DIGIT_LABELS } from '../model/labels';
import type { DigitRecognizer, EnrollmentRecording } from '../session/digit-recognizer';
import type { TakeEventDetail } from '../session/events';
import type { HeldBackScore } from '../worker/protocol';

/** What enrollment needs from the element, besides re-rendering it. */
export interface EnrollmentHooks {
  /** The recognizer (created if needed), to listen with. */
  recognizer(): DigitRecognizer;
  /** Says `text` through the element's aria-live region. */
  announce(text: string): void;
  /** Fires one of the element's events (`enrolled`, `profile-change`). */
  fire(type: string, detail: unknown): void;
}

/** Where an enrollment is. */
type Phase = 'off' | 'listening' | 'adapting' | 'done' | 'failed';

/**
 * Enrollment in `<digit-listener>`: asks for each digit (`takes` rounds of the ten), shows a
 * tick per digit heard and lets the person redo the last one, then adapts in the worker. The
 * first round is fitted and later rounds are held back to show the improvement; the profile
 * kept is fitted on every take. Keep applies it (`profile-change` event); Discard drops it.
 */
export class EnrollmentController implements ReactiveController {
  private phase: Phase = 'off';
  private rounds = 2;
  private recordings: EnrollmentRecording[] = [];
  private heldBack: HeldBackScore | null = null;
  private profile: VoiceProfile | null = null;
  private message = '';
  private restoreContinuous = false;
  private readonly onTake = (event: CustomEvent<TakeEventDetail>): void => this.take(event.detail);

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly hooks: EnrollmentHooks,
  ) {
    host.addController(this);
  }

  /** True from the start of an enrollment until it is kept, discarded or cancelled. */
  get active(): boolean {
    return this.phase !== 'off';
  }

  /** The digit asked for now, or null. */
  get prompt(): number | null {
    if (this.phase !== 'listening') return null;
    return ENROLLMENT_ORDER[this.recordings.length % ENROLLMENT_ORDER.length];
  }

  hostDisconnected(): void {
    void this.cancel();
  }

  /**
   * Starts an enrollment: listens and asks for each digit `rounds` times.
   * @throws RangeError for fewer than 1 or more than 5 rounds
   */
  async start(rounds = 2): Promise<void> {
    if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 5)) throw new RangeError(`enrollment takes per digit must be 1–5, got ${rounds}`);
    const r = this.hooks.recognizer();
    this.rounds = rounds;
    this.recordings = [];
    this.heldBack = null;
    this.profile = null;
    this.message = '';
    this.phase = 'listening';
    this.restoreContinuous = r.options.continuous ?? false;
    await r.setOptions({ continuous: true });
    r.recordTakes(true);
    r.addEventListener('take', this.onTake);
    this.host.requestUpdate();
    this.hooks.announce(`Teaching it your voice. Say ${DIGIT_LABELS[this.prompt!]}.`);
    await r.start();
  }

  /** Ends the enrollment without keeping anything. */
  async cancel(): Promise<void> {
    if (this.phase === 'off') return;
    await this.finishListening();
    this.phase = 'off';
    this.recordings = [];
    this.profile = null;
    this.host.requestUpdate();
  }

  /** Forgets the last take and asks for that digit again. */
  redo(): void {
    if (this.phase !== 'listening' || this.recordings.length === 0) return;
    this.recordings.pop();
    this.host.requestUpdate();
    this.hooks.announce(`Say ${DIGIT_LABELS[this.prompt!]} again.`);
  }

  /** Keeps the new profile: the recognizer reads with it from now on. */
  async keep(): Promise<void> {
    const profile = this.profile;
    if (this.phase !== 'done' || !profile) return;
    await this.hooks.recognizer().useProfile(profile);
    this.phase = 'off';
    this.host.requestUpdate();
    this.hooks.announce('Your voice profile is in use.');
    this.hooks.fire('profile-change', { profile });
  }

  private take(detail: TakeEventDetail): void {
    const digit = this.prompt;
    if (digit === null) return;
    this.recordings.push({ audio: detail.samples, sampleRate: detail.sampleRate, digit });
    this.host.requestUpdate();
    if (this.recordings.length < this.rounds * ENROLLMENT_ORDER.length) {
      this.hooks.announce(`Got ${DIGIT_LABELS[digit]}. Now say ${DIGIT_LABELS[this.prompt!]}.`);
      return;
    }
    void this.adapt();
  }

  private async finishListening(): Promise<void> {
    const r = this.hooks.recognizer();
    r.removeEventListener('take', this.onTake);
    r.recordTakes(false);
    await r.stop();
    await r.setOptions({ continuous: this.restoreContinuous });
  }

  private async adapt(): Promise<void> {
    this.phase = 'adapting';
    this.host.requestUpdate();
    this.hooks.announce('Got them all. Adapting to your voice…');
    await this.finishListening();
    const r = this.hooks.recognizer();
    const first = this.recordings.slice(0, ENROLLMENT_ORDER.length);
    const later = this.recordings.slice(ENROLLMENT_ORDER.length);
    try {
      // Scored on the takes held back, then fitted on all of them.
      const trial = later.length > 0 ? await r.enroll(first, later) : null;
      const final = await r.enroll(this.recordings);
      this.heldBack = trial?.heldBack ?? null;
      this.profile = final.profile;
      this.phase = 'done';
      this.message = this.heldBack
        ? `On the takes held back: ${this.heldBack.before} of ${this.heldBack.takes} right before, ${this.heldBack.after} of ${this.heldBack.takes} with your voice.`
        : 'Adapted to your voice (no takes were held back, so the improvement could not be measured).';
      this.hooks.fire('enrolled', { profile: final.profile, heldBack: this.heldBack });
    } catch (error) {
      this.phase = 'failed';
      this.message = `Could not adapt: ${(error as Error).message}`;
    }
    this.host.requestUpdate();
    this.hooks.announce(this.message);
  }

  /** The enrollment panel, shown in the element's card instead of the digit. */
  render(): TemplateResult | typeof nothing {
    if (this.phase === 'off') return nothing;
    const total = this.rounds * ENROLLMENT_ORDER.length;
    const inRound = this.recordings.length % ENROLLMENT_ORDER.length;
    const round = Math.min(this.rounds, Math.floor(this.recordings.length / ENROLLMENT_ORDER.length) + 1);
    const prompt = this.prompt;
    return html`
      <div class="enrollment" part="enrollment">
        ${
          prompt !== null
            ? html`<div class="prompt">Say <span class="prompt-digit">${prompt}</span></div>
              <div class="round">Round ${round} of ${this.rounds} · ${this.recordings.length} of ${total} takes</div>`
            : html`<div class="enroll-message">${this.phase === 'adapting' ? 'Adapting to your voice…' : this.message}</div>`
        }
        <ol class="ticks" aria-label="Digits heard this round">
          ${ENROLLMENT_ORDER.map((d, i) => {
            const heard = this.phase !== 'listening' || i < inRound;
            return html`<li class=${heard ? 'heard' : ''} aria-label=${`${d}${heard ? ', heard' : ''}`}>${d}${heard ? ' ✓' : ''}</li>`;
          })}
        </ol>
        <div class="buttons">
          ${
            this.phase === 'listening'
              ? html`<button type="button" class="clear" ?disabled=${this.recordings.length === 0} @click=${() => this.redo()}>Redo last</button>
                <button type="button" class="clear" @click=${() => void this.cancel()}>Cancel</button>`
              : this.phase === 'done'
                ? html`<button type="button" @click=${() => void this.keep()}>Keep my voice</button>
                  <button type="button" class="clear" @click=${() => void this.cancel()}>Discard</button>`
                : this.phase === 'failed'
                  ? html`<button type="button" class="clear" @click=${() => void this.cancel()}>Close</button>`
                  : nothing
          }
        </div>
      </div>
    `;
  }
}
