import {css} from 'lit';

/** Layout of `<kol-poll>` (with the shared card styles). */
export const pollStyles = css`
  :host {
    --_kol-accent: var(--kol-poll-accent, var(--kol-color-accent, #d6246e));
    /* Reserved in every state (no poll, open, closed), so nothing around the poll moves when one comes or goes. */
    min-block-size: var(--kol-poll-block-size, 16rem);
  }
  [part~='base'] {
    background: var(--kol-poll-background, var(--kol-color-surface, #fff));
  }
  :host([state='closed']) [part~='badge'] {
    background: var(--kol-color-muted, #6b6874);
  }
  [part~='question'] {
    margin: 6px 0 8px;
    font-size: 1.05em;
  }
  [part~='options'] {
    display: grid;
    gap: 6px;
  }
  [part~='option'] {
    position: relative;
    display: grid;
    grid-template-columns: 1fr auto;
    align-items: center;
    column-gap: 8px;
    min-block-size: 44px;
    padding: 4px 12px;
    border: 1px solid var(--kol-color-border, #e3e1e8);
    border-radius: calc(var(--kol-radius, 12px) * 0.75);
    background: transparent;
    color: inherit;
    font: inherit;
    text-align: start;
    cursor: pointer;
  }
  [part~='option'][aria-disabled='true'] {
    cursor: default;
  }
  [part~='option'][aria-pressed='true'] {
    border-color: var(--_kol-accent);
    font-weight: 600;
  }
  [part~='option']:focus-visible,
  [part~='retry']:focus-visible {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
  [part~='share'] {
    font-variant-numeric: tabular-nums;
    font-size: 0.9em;
  }
  /* The share as a bar: a native <progress>, so no inline style is needed (CSP). */
  [part~='bar'] {
    grid-column: 1 / -1;
    inline-size: 100%;
    block-size: 6px;
    appearance: none;
    border: 0;
    border-radius: 3px;
    background: var(--kol-poll-bar-track, #eeedf1);
    overflow: hidden;
  }
  [part~='bar']::-webkit-progress-bar {
    background: var(--kol-poll-bar-track, #eeedf1);
  }
  [part~='bar']::-webkit-progress-value {
    background: var(--_kol-accent);
  }
  [part~='bar']::-moz-progress-bar {
    background: var(--_kol-accent);
  }
  [part~='timer'],
  [part~='total'] {
    margin: 6px 0 0;
    font-size: 0.9em;
    font-variant-numeric: tabular-nums;
    color: var(--kol-color-muted, #6b6874);
  }
  @media (prefers-reduced-motion: no-preference) {
    [part~='bar']::-webkit-progress-value {
      transition: inline-size 0.3s;
    }
  }
`;
