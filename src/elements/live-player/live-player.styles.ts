import {css} from 'lit';

/** Layout of `<kol-live-player>`: a 16:9 box reserved before the video loads; overlays on top. */
export const livePlayerStyles = css`
  :host {
    display: block;
    position: relative;
    aspect-ratio: var(--kol-live-player-aspect-ratio, 16 / 9);
    background: var(--kol-live-player-background, #000);
    border-radius: var(--kol-radius, 12px);
    overflow: hidden;
    font-family: var(--kol-font-family, system-ui, sans-serif);
    color: #fff;
  }
  [part~='video'] {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: contain;
  }
  .overlays {
    position: absolute;
    inset: 0;
    pointer-events: none;
  }
  .overlays ::slotted(*) {
    pointer-events: auto;
  }
  [part~='badge'] {
    position: absolute;
    top: 10px;
    left: 10px;
    padding: 2px 8px;
    border-radius: 4px;
    background: var(--kol-live-player-badge-background, #e0245e);
    font-size: 0.8em;
    font-weight: 700;
    letter-spacing: 0.05em;
  }
  [part~='state'] {
    position: absolute;
    inset: 0;
    display: grid;
    place-content: center;
    gap: 10px;
    text-align: center;
    padding: 16px;
    background: rgb(0 0 0 / 0.55);
  }
  button {
    min-height: 44px;
    min-width: 44px;
    padding: 0 16px;
    border: 0;
    border-radius: 999px;
    background: rgb(255 255 255 / 0.92);
    color: #111;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
  [part~='unmute'] {
    position: absolute;
    bottom: 12px;
    left: 12px;
  }
`;
