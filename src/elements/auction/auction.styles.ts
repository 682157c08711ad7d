import {css} from 'lit';

/** Layout of `<kol-auction>` (with the shared card styles). */
export const auctionStyles = css`
  :host {
    --_kol-accent: var(--kol-auction-accent, var(--kol-color-accent, #d6246e));
    /* The inline start as a transform-origin x (which has no logical keyword): 0% in LTR, 100% in RTL. */
    --_kol-inline-start-x: 0%;
    /* Reserved in every state (none, bidding, won), so nothing around it moves when an auction comes or goes. */
    min-block-size: var(--kol-auction-block-size, 23rem);
  }
  :host(:dir(rtl)) {
    --_kol-inline-start-x: 100%;
  }
  [part~='base'] {
    background: var(--kol-auction-background, var(--kol-color-surface, #fff));
  }
  :host([state='ended']) [part~='badge'],
  :host([state='lost']) [part~='badge'] {
    background: var(--kol-color-muted, #6b6874);
  }
  :host([state='outbid']) [part~='badge'] {
    background: var(--kol-color-danger, #b3261e);
  }
  p {
    margin: 0 0 6px;
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin-block-end: 8px;
  }
  [part~='timer'] {
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    color: var(--_kol-accent);
  }
  [part~='extended'] {
    /* A sentence, not a label: in the badge's pill, without its capitals (it keeps the head on one line). */
    text-transform: none;
    letter-spacing: normal;
  }
  [part~='extended'][hidden] {
    display: none;
  }
  /* The note pulses twice (size only: its colours keep their contrast), growing away from the inline start so it
     never covers the timer before it; under reduced motion it just shows. */
  @media (prefers-reduced-motion: no-preference) {
    [part~='extended'] {
      transform-origin: var(--_kol-inline-start-x) center;
      animation: kol-auction-pulse 0.5s ease-in-out 2;
    }
  }
  @keyframes kol-auction-pulse {
    50% {
      transform: scale(1.12);
    }
  }
  .item {
    display: grid;
    grid-template-columns: var(--kol-auction-image-size, 64px) 1fr;
    gap: 10px;
    align-items: start;
  }
  [part~='image'] {
    display: block;
    inline-size: var(--kol-auction-image-size, 64px);
    aspect-ratio: 1;
    object-fit: cover;
    border-radius: calc(var(--kol-radius, 12px) * 0.5);
    background: var(--kol-color-border, #e3e1e8);
  }
  [part~='title'] {
    margin: 0 0 4px;
    font-size: 1.05em;
  }
  [part~='bids'],
  [part~='live-note'] {
    color: var(--kol-color-muted, #6b6874);
    font-size: 0.85em;
  }
  [part~='live-note'] {
    margin-block: 6px;
  }
  /* Three in a row while they fit; fewer per row when the text is large or the column narrow (WCAG 1.4.4). */
  [part~='quick-bids'] {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 4.5em), 1fr));
    gap: 6px;
    margin-block-end: 6px;
  }
  [part~='quick-bid'] {
    min-block-size: 44px;
    border: 1px solid var(--_kol-accent);
    border-radius: calc(var(--kol-radius, 12px) * 0.75);
    background: transparent;
    color: inherit;
    font: inherit;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
    cursor: pointer;
  }
  [part~='quick-bid']:first-child {
    background: var(--_kol-accent);
    color: var(--kol-color-on-accent, #fff);
  }
  [part~='quick-bid'][disabled] {
    cursor: not-allowed;
    opacity: 0.55;
  }
  [part~='custom'] {
    display: grid;
    /* minmax(0, …): the field shrinks to the column instead of its default width pushing the button out. */
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 4px 6px;
    align-items: center;
  }
  [part~='custom'] label {
    grid-column: 1 / -1;
    font-size: 0.85em;
  }
  [part~='amount'] {
    inline-size: 100%;
    min-block-size: 44px;
    padding: 0 10px;
    border: 1px solid var(--kol-color-border, #8a8692);
    border-radius: calc(var(--kol-radius, 12px) * 0.75);
    font: inherit;
    font-variant-numeric: tabular-nums;
  }
  [part~='quick-bid']:focus-visible,
  [part~='amount']:focus-visible,
  a[part~='sign-in']:focus-visible {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
  [part~='sign-in'] {
    display: inline-flex;
    align-items: center;
    min-block-size: 44px;
    color: var(--_kol-accent);
    font-weight: 600;
  }
  [part~='result'] {
    margin-block-start: 8px;
    font-weight: 600;
  }
  [part~='result'].failed {
    color: var(--kol-color-danger, #b3261e);
  }
`;
