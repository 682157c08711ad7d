import {css} from 'lit';

/** Layout of `<kol-countdown-deal>`. */
export const countdownDealStyles = css`
  :host {
    --_kol-accent: var(--kol-countdown-deal-accent, var(--kol-color-accent, #d6246e));
    /* Reserved in every state, and by the page's :not(:defined) rule before kolkit loads (docs/theming.md). */
    min-block-size: var(--kol-countdown-deal-block-size, 14rem);
  }
  [part~='base'] {
    background: var(--kol-countdown-deal-background, var(--kol-color-surface, #fff));
  }
  :host([state='expired']) [part~='badge'],
  :host([state='sold-out']) [part~='badge'] {
    background: var(--kol-color-muted, #6b6874);
  }
  [part~='title'] {
    margin: 6px 0 4px;
    font-size: 1.05em;
  }
  p {
    margin: 0 0 6px;
  }
  [part~='timer'] {
    font-size: var(--kol-countdown-deal-timer-size, 1.6em);
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    color: var(--_kol-accent);
  }
  [part~='stock'],
  [part~='limit'] {
    font-size: 0.9em;
    color: var(--kol-color-muted, #6b6874);
  }
  .empty {
    color: var(--kol-color-muted, #6b6874);
  }
  /* A line a deal no longer needs (the timer once it is over, the stock once it expired) keeps its place:
     the button below it does not move up. */
  .spent {
    visibility: hidden;
  }
`;
