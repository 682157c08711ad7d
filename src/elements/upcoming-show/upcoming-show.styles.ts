import {css} from 'lit';

/** Layout of `<kol-upcoming-show>` (with the shared card styles). */
export const upcomingShowStyles = css`
  :host {
    --_kol-accent: var(--kol-upcoming-show-accent, var(--kol-color-accent, #d6246e));
    /* Reserved in every state (none announced, upcoming, live), and by the page's :not(:defined) rule. */
    min-block-size: var(--kol-upcoming-show-block-size, 18rem);
  }
  [part~='base'] {
    background: var(--kol-upcoming-show-background, var(--kol-color-surface, #fff));
  }
  :host([state='ended']) [part~='badge'] {
    background: var(--kol-color-muted, #6b6874);
  }
  [part~='image'] {
    display: block;
    inline-size: 100%;
    aspect-ratio: 16 / 9;
    object-fit: cover;
    border-radius: calc(var(--kol-radius, 12px) * 0.75);
    margin-block-end: 8px;
  }
  [part~='title'] {
    margin: 6px 0 2px;
    font-size: 1.05em;
  }
  p {
    margin: 0 0 6px;
  }
  [part~='host'],
  [part~='time'] {
    color: var(--kol-color-muted, #6b6874);
    font-size: 0.9em;
  }
  [part~='timer'] {
    font-size: var(--kol-upcoming-show-timer-size, 1.4em);
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    color: var(--_kol-accent);
  }
  [part~='calendar'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 12px;
    margin: 8px 0;
  }
  [part~='ics'],
  [part~='remind'] {
    min-block-size: 44px;
    padding: 0 14px;
    border: 1px solid var(--kol-color-border, #e3e1e8);
    border-radius: calc(var(--kol-radius, 12px) * 0.75);
    background: transparent;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  [part~='google'],
  [part~='outlook'],
  [part~='watch'] {
    color: var(--kol-color-link, #1a56c4);
    min-block-size: 24px;
  }
  [part~='ics']:focus-visible,
  [part~='remind']:focus-visible,
  a:focus-visible {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
  .empty {
    color: var(--kol-color-muted, #6b6874);
  }
`;
