import {css} from 'lit';

/** Layout of `<kol-group-buy>` (with the shared card styles). */
export const groupBuyStyles = css`
  :host {
    --_kol-accent: var(--kol-group-buy-accent, var(--kol-color-accent, #d6246e));
    /* Reserved in every state (none, open, filled, expired), so nothing around it moves when a group comes or goes. */
    min-block-size: var(--kol-group-buy-block-size, 18rem);
  }
  [part~='base'] {
    display: grid;
    grid-template-columns: var(--kol-group-buy-image-size, 72px) 1fr;
    gap: 12px;
    background: var(--kol-group-buy-background, var(--kol-color-surface, #fff));
  }
  [part~='base'].empty {
    display: block;
  }
  .media {
    aspect-ratio: 1;
    border-radius: 8px;
    background: var(--kol-color-placeholder, #eeedf2);
    overflow: hidden;
  }
  [part~='image'] {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  :host([state='filled']) [part~='badge'],
  :host([state='closing']) [part~='badge'],
  :host([state='expired']) [part~='badge'] {
    background: var(--kol-color-muted, #6b6874);
  }
  [part~='title'] {
    margin: 6px 0 4px;
    font-size: 1.05em;
  }
  p {
    margin: 0 0 6px;
  }
  .note {
    font-size: 0.8em;
    color: var(--kol-color-muted, #6b6874);
  }
  [part~='meter'] {
    display: block;
    inline-size: 100%;
    block-size: 6px;
    accent-color: var(--_kol-accent);
  }
  [part~='progress'] {
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    color: var(--_kol-accent);
  }
  [part~='outcome'] {
    font-weight: 600;
  }
  [part~='invite'] {
    min-block-size: 44px;
    margin-block: 6px;
    padding: 0 14px;
    border: 1px solid currentColor;
    border-radius: 8px;
    background: none;
    color: var(--_kol-accent);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  [part~='sign-in'] {
    display: inline-flex;
    align-items: center;
    min-block-size: 44px;
    margin-inline-end: 12px;
    color: var(--_kol-accent);
    font-weight: 600;
  }
  [part~='invite']:focus-visible,
  a[part~='sign-in']:focus-visible {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
`;
