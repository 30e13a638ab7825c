import { css } from 'lit';

/**
 * Styles of `<digit-listener>`'s shadow root. Theme it with `--digit-listener-accent` and the
 * parts (`::part(button)`, `::part(digit)`…) listed on the element.
 */
export const digitListenerStyles = css`
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
    /* As wide as the card's content at most: a long string wraps instead of widening the card (which
       moved everything in it and cost the main thread a layout of the page per digit). */
    .string { font-size: 1.5rem; min-height: 2rem; max-width: 13rem; overflow-wrap: anywhere; text-align: center; letter-spacing: 0.2em; font-variant-numeric: tabular-nums; }
    .message { font-size: 0.85rem; max-width: 22rem; text-align: center; }
    button { font: inherit; font-size: 1.05rem; padding: 0.6rem 1.6rem; border-radius: 999px; border: 2px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
    button[aria-pressed='true'], button.clear { background: #fff; color: var(--accent); }
    .buttons { display: flex; gap: 0.5rem; }
    button:focus-visible { outline: 3px solid #1f1f1f; outline-offset: 3px; }
    .level { position: relative; width: 12rem; height: 0.5rem; border-radius: 4px; background: #e3e3e3; overflow: hidden; }
    /* The worker's meter (level-meter-controller.ts): its canvas, and the colours it is drawn in. */
    .level > canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; }
    .level > .quiet, .level > .speech { display: none; }
    .level > .quiet { color: #8e918f; }
    .level > .speech { color: var(--accent); }
    /* The DOM meter where a worker cannot draw: grey, the accent while speech is heard. */
    .level > .fill { height: 100%; width: 100%; background: #8e918f; transform-origin: left; will-change: transform; transform: scaleX(0); }
    .level > .fill.speech { background: var(--accent); }
    /* Ten steps as classes, not an inline style: the app's Content-Security-Policy allows none. */
    /* As specific as the fill's rule above and after it: a step wins (a lone .step-N lost to
       '.level > div' and the meter never moved). */
    .level > .step-1 { transform: scaleX(0.1); } .level > .step-2 { transform: scaleX(0.2); } .level > .step-3 { transform: scaleX(0.3); }
    .level > .step-4 { transform: scaleX(0.4); } .level > .step-5 { transform: scaleX(0.5); } .level > .step-6 { transform: scaleX(0.6); }
    .level > .step-7 { transform: scaleX(0.7); } .level > .step-8 { transform: scaleX(0.8); } .level > .step-9 { transform: scaleX(0.9); }
    .level > .step-10 { transform: scaleX(1); }
    .enrollment { display: grid; gap: 0.5rem; justify-items: center; }
    .prompt { font-size: 1.5rem; }
    .prompt-digit { font-size: 4rem; font-weight: 700; color: var(--accent); font-variant-numeric: tabular-nums; }
    .round, .enroll-message { font-size: 0.95rem; max-width: 22rem; text-align: center; }
    .ticks { display: flex; gap: 0.35rem; list-style: none; padding: 0; margin: 0; font-variant-numeric: tabular-nums; }
    .ticks > li { min-width: 1.6rem; text-align: center; border: 1px solid #c4c7c5; border-radius: 4px; padding: 0.1rem 0.2rem; }
    .ticks > li.heard { background: var(--accent); color: #fff; border-color: var(--accent); }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    /* Windows high contrast and other forced-colour modes: system colours, meter still visible. */
    @media (forced-colors: active) {
      .card { border-color: CanvasText; }
      .digit { color: CanvasText; }
      .level { background: Canvas; border: 1px solid CanvasText; }
      .level > .fill, .level > .quiet, .level > .speech { forced-color-adjust: none; }
      .level > .fill { background: GrayText; }
      .level > .fill.speech { background: Highlight; }
      .level > .quiet { color: GrayText; }
      .level > .speech { color: Highlight; }
      button { border-color: ButtonText; }
    }
`;
