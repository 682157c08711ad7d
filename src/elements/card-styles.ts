/**
 * Styles every card-like element shares: the global tokens (DESIGN.md §2: `--kol-color-accent`,
 * `--kol-color-surface`, `--kol-font-family`, `--kol-radius`), the call-to-action button and the
 * visually-hidden live region.
 */
import {css} from 'lit';

/** Shared card, button and screen-reader styles. */
export const cardStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--kol-font-family, system-ui, sans-serif);
    color: var(--kol-color-text, #1c1b1f);
    line-height: 1.4;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [part~='base'] {
    /* The box the host reserves (--kol-product-pin-block-size, --kol-countdown-deal-block-size): every
       state of the card, empty, loading or full, has the same outline, so nothing around it moves. */
    min-block-size: inherit;
    background: var(--kol-color-surface, #fff);
    border-radius: var(--kol-radius, 12px);
    border: 1px solid var(--kol-color-border, #e3e1e8);
    padding: var(--kol-space, 12px);
  }
  [part~='cta'] {
    min-block-size: 44px;
    min-inline-size: 44px;
    padding: 0 18px;
    border: 0;
    border-radius: calc(var(--kol-radius, 12px) * 0.75);
    background: var(--kol-color-accent, #d6246e);
    color: var(--kol-color-on-accent, #fff);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  [part~='cta']:focus-visible {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
  [part~='cta'][disabled] {
    cursor: not-allowed;
    opacity: 0.55;
  }
  [part~='price'] {
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  [part~='compare-at-price'] {
    color: var(--kol-color-muted, #6b6874);
    font-weight: 400;
    margin-inline-start: 0.5em;
  }
  [part~='status'] {
    min-block-size: 1.4em;
    margin: 6px 0 0;
    font-size: 0.9em;
  }
  [part~='status'].refused,
  [part~='status'].failed,
  .error {
    color: var(--kol-color-danger, #b3261e);
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: no-preference) {
    [part~='base'] {
      transition: border-color 0.2s;
    }
  }
`;

/**
 * The pill badge of the deal, poll and giveaway cards ("Live deal", "Poll"), and any other `.pill` (the auction's
 * "Extended"), in the card's accent: each card sets `--_kol-accent` on its host from its own
 * `--kol-<element>-accent` (a private property, not a theming one).
 */
export const pillBadgeStyles = css`
  [part~='badge'],
  .pill {
    display: inline-block;
    padding: 0 8px;
    border-radius: 999px;
    background: var(--_kol-accent);
    color: var(--kol-color-on-accent, #fff);
    font-size: 0.8em;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.03em;
  }
`;

/** What the poll and the giveaway share around a viewer's action: the small "Try again" button, the empty state. */
export const viewerActionStyles = css`
  [part~='retry'] {
    margin-inline-start: 8px;
    min-block-size: 32px;
    padding: 0 10px;
    border: 1px solid currentColor;
    border-radius: 999px;
    background: transparent;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  .empty {
    color: var(--kol-color-muted, #6b6874);
  }
`;
