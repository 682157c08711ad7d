import {css} from 'lit';

/** Layout of `<kol-product-pin>`. The image box is sized before the image loads, so nothing shifts. */
export const productPinStyles = css`
  :host {
    /* Reserved in every state, and by the page's :not(:defined) rule before kolkit loads (docs/theming.md). */
    min-block-size: var(--kol-product-pin-block-size, 12rem);
  }
  [part~='base'] {
    display: grid;
    grid-template-columns: var(--kol-product-pin-image-size, 96px) 1fr;
    gap: var(--kol-space, 12px);
    align-items: start;
    background: var(--kol-product-pin-background, var(--kol-color-surface, #fff));
  }
  .media {
    aspect-ratio: 1;
    inline-size: 100%;
    border-radius: calc(var(--kol-radius, 12px) * 0.66);
    overflow: hidden;
    background: var(--kol-color-placeholder, #f1eff4);
  }
  [part~='image'] {
    display: block;
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  [part~='title'] {
    margin: 0 0 4px;
    font-size: 1.05em;
  }
  [part~='badge'] {
    display: inline-block;
    margin-block-end: 4px;
    padding: 0 8px;
    border-radius: 999px;
    background: var(--kol-product-pin-badge-background, var(--kol-color-accent, #d6246e));
    color: var(--kol-color-on-accent, #fff);
    font-size: 0.8em;
    font-weight: 700;
  }
  p {
    margin: 0 0 8px;
  }
  [part~='stock'] {
    font-size: 0.9em;
    color: var(--kol-color-muted, #6b6874);
  }
  label {
    display: block;
    margin-block-end: 8px;
    font-size: 0.9em;
  }
  select {
    display: block;
    min-block-size: 36px;
    margin-block-start: 2px;
    font: inherit;
  }
  .empty {
    display: block;
    color: var(--kol-color-muted, #6b6874);
  }
  .loading [part~='title'],
  .loading p {
    color: transparent;
    background: var(--kol-color-placeholder, #f1eff4);
    border-radius: 4px;
  }
`;
