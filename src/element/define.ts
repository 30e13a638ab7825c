import { DigitListener } from './digit-listener';

export { DigitListener };
export type { DigitEventDetail, ListenerState } from './digit-listener';

/** Registers `<digit-listener>` once; importing this module twice does not throw. */
if (!customElements.get('digit-listener')) customElements.define('digit-listener', DigitListener);

declare global {
  interface HTMLElementTagNameMap {
    'digit-listener': DigitListener;
  }
  interface HTMLElementEventMap {
    digit: CustomEvent<import('./digit-listener').DigitEventDetail>;
  }
}
