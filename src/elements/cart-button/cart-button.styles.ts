import {css} from 'lit';

/** Layout of `<kol-cart-button>`. */
export const cartButtonStyles = css`
  :host {
    display: inline-block;
    /* Reserved before kolkit loads too (the page's :not(:defined) rule, docs/theming.md): a header that holds
       the button keeps its height when the button renders. */
    min-block-size: var(--kol-cart-button-block-size, 44px);
  }
  [part~='base'] {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    min-block-size: 44px;
    padding: 0 14px;
    border: 1px solid var(--kol-color-border, #e3e1e8);
    border-radius: 999px;
    background: var(--kol-cart-button-background, var(--kol-color-surface, #fff));
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  [part~='base']:focus-visible {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
  [part~='icon'] {
    inline-size: 1.3em;
    block-size: 1.3em;
    fill: currentColor;
  }
  /* The cart faces the way the shopper reads (its handle trails, it rolls forward): mirrored in right-to-left. */
  :host(:dir(rtl)) [part~='icon'] {
    transform: scaleX(-1);
  }
  [part~='count'] {
    min-inline-size: 1.6em;
    padding: 0 6px;
    border-radius: 999px;
    background: var(--kol-cart-button-badge-background, var(--kol-color-accent, #d6246e));
    color: var(--kol-color-on-accent, #fff);
    font-weight: 700;
    font-size: 0.85em;
    text-align: center;
    font-variant-numeric: tabular-nums;
  }
  [part~='subtotal'] {
    font-variant-numeric: tabular-nums;
  }
  [part~='status'] {
    display: block;
    margin-block-start: 4px;
    font-size: 0.9em;
  }
`;
