import { DigitListener } from './digit-listener';

export { DigitListener };
export type { DigitEventDetail, DigitsEventDetail, ListenerErrorCode, ListenerErrorDetail, ListeningChangeDetail, ListenerState } from './digit-listener';
export * from '../session/index';

/** Registers `<digit-listener>` once; importing this module twice does not throw. */
if (!customElements.get('digit-listener')) customElements.define('digit-listener', DigitListener);

declare global {
  interface HTMLElementTagNameMap {
    'digit-listener': DigitListener;
  }
  interface HTMLElementEventMap {
    digit: CustomEvent<import('./digit-listener').DigitEventDetail>;
    digits: CustomEvent<import('./digit-listener').DigitsEventDetail>;
    'listening-change': CustomEvent<import('./digit-listener').ListeningChangeDetail>;
    // `error` keeps the DOM's ErrorEvent typing; its detail is a ListenerErrorDetail.
  }
}
