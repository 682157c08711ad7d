import {css, unsafeCSS} from 'lit';
import {FLOAT_VARIANTS} from './reaction-bursts.js';

/** Per variant: where the icon rises (inline start, %), its sideways drift, delay and speed. */
const variants = Array.from({length: FLOAT_VARIANTS}, (_, i) => {
  const start = 8 + ((i * 37) % 70);
  const drift = (i % 2 ? 1 : -1) * (8 + ((i * 5) % 16));
  return `.v${i} { inset-inline-start: ${start}%; --kol-reactions-drift: ${drift}px; animation-delay: ${(i * 90) % 400}ms;
    animation-duration: calc(var(--kol-reactions-float-duration, 2.2s) * ${(0.85 + (i % 3) * 0.12).toFixed(2)}); }`;
}).join('\n');

/** Layout and motion of `<kol-reactions>`. */
export const reactionsStyles = css`
  :host {
    display: block;
    /* Reserved whatever the element shows, and by the page's :not(:defined) rule before kolkit loads. */
    min-block-size: var(--kol-reactions-block-size, 13rem);
    font-family: var(--kol-font-family, system-ui, sans-serif);
    color: var(--kol-color-text, #1c1b1f);
  }
  :host([hidden]) {
    display: none;
  }
  [part~='base'] {
    display: flex;
    flex-direction: column;
    align-items: stretch;
    gap: 6px;
  }
  /* The icons rise in a box of their own, so nothing around the element moves while they do. */
  [part~='stage'] {
    position: relative;
    block-size: var(--kol-reactions-stage-block-size, 8rem);
    overflow: hidden;
    pointer-events: none;
  }
  [part~='float'] {
    position: absolute;
    inset-block-end: 0;
    font-size: var(--kol-reactions-float-size, 1.6rem);
    line-height: 1;
    opacity: 0;
    animation-name: kol-reactions-rise;
    animation-timing-function: ease-out;
    animation-fill-mode: both;
    will-change: transform, opacity;
  }
  ${unsafeCSS(variants)}
  @keyframes kol-reactions-rise {
    0% {
      transform: translate(0, 0) scale(0.6);
      opacity: 0;
    }
    15% {
      opacity: 1;
      transform: translate(0, -15%) scale(1);
    }
    100% {
      transform: translate(var(--kol-reactions-drift, 0), calc(-1 * var(--kol-reactions-stage-block-size, 8rem))) scale(1.1);
      opacity: 0;
    }
  }
  [part~='buttons'] {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 8px;
  }
  [part~='button'] {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    min-block-size: 44px;
    min-inline-size: 44px;
    padding: 0 10px;
    border: 1px solid var(--kol-color-border, #e3e1e8);
    border-radius: 999px;
    background: var(--kol-reactions-button-background, var(--kol-color-surface, #fff));
    color: inherit;
    font: inherit;
    font-size: var(--kol-reactions-button-size, 1.3rem);
    cursor: pointer;
  }
  [part~='button']:focus-visible {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
  [part~='count'] {
    display: none;
    font-size: 0.65em;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  [part~='status'] {
    min-block-size: 1.4em;
    margin: 0;
    font-size: 0.85em;
    text-align: center;
    color: var(--kol-color-muted, #6b6874);
  }
  :host([error]) [part~='status'] {
    color: var(--kol-color-danger, #b3261e);
  }
  @media (prefers-reduced-motion: no-preference) {
    [part~='button']:active {
      transform: scale(0.92);
    }
  }
  /* Reduced motion: no rising icons; each button shows how many of its kind were sent instead. */
  @media (prefers-reduced-motion: reduce) {
    [part~='stage'] {
      display: none;
    }
    [part~='count'] {
      display: inline;
    }
  }
`;
