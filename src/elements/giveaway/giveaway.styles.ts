import {css} from 'lit';

/** Layout of `<kol-giveaway>` (with the shared card styles). */
export const giveawayStyles = css`
  :host {
    --_kol-accent: var(--kol-giveaway-accent, var(--kol-color-accent, #d6246e));
    /* Reserved in every state (none, open, drawn), so nothing around it moves when a giveaway comes or goes. */
    min-block-size: var(--kol-giveaway-block-size, 14rem);
  }
  [part~='base'] {
    background: var(--kol-giveaway-background, var(--kol-color-surface, #fff));
  }
  :host([state='closed']) [part~='badge'],
  :host([state='drawn']) [part~='badge'] {
    background: var(--kol-color-muted, #6b6874);
  }
  [part~='prize'] {
    margin: 6px 0 4px;
    font-size: 1.05em;
  }
  p {
    margin: 0 0 6px;
  }
  [part~='timer'] {
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    color: var(--_kol-accent);
  }
  [part~='rules'] {
    font-size: 0.8em;
    color: var(--kol-color-muted, #6b6874);
  }
  [part~='winner'] {
    font-weight: 700;
  }
  [part~='sign-in'] {
    display: inline-flex;
    align-items: center;
    min-block-size: 44px;
    color: var(--_kol-accent);
    font-weight: 600;
  }
  a[part~='sign-in']:focus-visible {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
`;
