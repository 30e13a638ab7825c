import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the form controller reads from its element. */
export interface FormFieldHost extends ReactiveControllerHost, HTMLElement {
  /** The digits held (the field's value). */
  readonly value: string;
  readonly required: boolean;
  /** Fewest / most digits for a valid value (0 = no limit). */
  readonly minLength: number;
  readonly maxLength: number;
  /** Id of an `<input>`/`<textarea>` to type the digits into instead of submitting them. */
  readonly target: string;
  /** The element validity messages point at (its start button), once rendered. */
  readonly validityAnchor: HTMLElement | null;
}

/**
 * Form association of `<digit-listener>` (a form-associated custom element): the value it
 * submits, its validity (`required`, `minlength`, `maxlength`), and the `for` input it can type
 * into instead. Holds the element's `ElementInternals`.
 */
export class FormController implements ReactiveController {
  readonly internals: ElementInternals;

  constructor(private readonly host: FormFieldHost) {
    this.internals = host.attachInternals();
    host.addController(this);
  }

  private synced = '';

  /** After each render: re-syncs the form when the value or a constraint changed (not for level updates). */
  hostUpdated(): void {
    this.sync();
  }

  /** The `for` input, if it names one in the element's document or shadow root. */
  targetInput(): HTMLInputElement | HTMLTextAreaElement | null {
    if (!this.host.target) return null;
    const root = this.host.getRootNode() as Document | ShadowRoot;
    const el = root.getElementById?.(this.host.target) ?? null;
    return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el : null;
  }

  /** Types `digit` at the end of the `for` input (respecting its maxlength) and fires `input` (and `change` when `done`). */
  type(digit: string, done: boolean): void {
    const input = this.targetInput();
    if (!input) return;
    if (input.maxLength > 0 && input.value.length >= input.maxLength) return;
    input.value += digit;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    if (done) input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  /** A digit string ended: the `for` input fires `change`. */
  committed(): void {
    this.targetInput()?.dispatchEvent(new Event('change', { bubbles: true }));
  }

  /** Empties the `for` input (with an `input` event). */
  clearTarget(): void {
    const input = this.targetInput();
    if (!input) return;
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  /**
   * Form value and validity from the host's value, at once (a `digits` listener may call
   * `checkValidity()` before the next render); a no-op when nothing changed.
   */
  sync(): void {
    const { value, required, minLength, maxLength, target, validityAnchor } = this.host;
    const key = JSON.stringify([value, required, minLength, maxLength, target, validityAnchor !== null]);
    if (key === this.synced) return;
    this.synced = key;
    this.internals.setFormValue(target ? null : value);
    const anchor = validityAnchor ?? undefined;
    const n = value.length;
    if (required && n === 0) {
      this.internals.setValidity({ valueMissing: true }, 'Say the digits: this field is required.', anchor);
    } else if (n > 0 && minLength > 0 && n < minLength) {
      this.internals.setValidity({ tooShort: true }, `Say at least ${minLength} digits (${n} so far).`, anchor);
    } else if (maxLength > 0 && n > maxLength) {
      this.internals.setValidity({ tooLong: true }, `Say at most ${maxLength} digits (${n} said).`, anchor);
    } else {
      this.internals.setValidity({});
    }
  }
}
