import {css} from 'lit';

/** Layout of `<kol-live-player>`: a 16:9 box reserved before the video loads; overlays and controls on top. */
export const livePlayerStyles = css`
  :host {
    display: block;
    position: relative;
    font-family: var(--kol-font-family, system-ui, sans-serif);
    color: #fff;
    border-radius: var(--kol-radius, 12px);
    outline: none;
  }
  :host(:focus-visible) {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
  [part~='base'] {
    position: relative;
    aspect-ratio: var(--kol-live-player-aspect-ratio, 16 / 9);
    background: var(--kol-live-player-background, #000);
    border-radius: inherit;
    overflow: hidden;
  }
  :host(:fullscreen) [part~='base'] {
    aspect-ratio: auto;
    block-size: 100%;
    border-radius: 0;
  }
  [part~='video'] {
    display: block;
    inline-size: 100%;
    block-size: 100%;
    object-fit: contain;
  }
  .overlays {
    position: absolute;
    inset: 0 0 48px;
    pointer-events: none;
  }
  .overlays ::slotted(*) {
    pointer-events: auto;
  }
  .live-info {
    position: absolute;
    inset-block-start: 10px;
    inset-inline-start: 10px;
    display: flex;
    gap: 6px;
    font-size: 0.8em;
  }
  [part~='badge'],
  [part~='viewers'] {
    padding: 2px 8px;
    border-radius: 4px;
  }
  [part~='badge'] {
    background: var(--kol-live-player-badge-background, #e0245e);
    font-weight: 700;
    letter-spacing: 0.05em;
  }
  [part~='viewers'] {
    background: var(--kol-live-player-viewers-background, rgb(0 0 0 / 0.6));
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
    min-block-size: 36px;
    min-inline-size: 36px;
    padding: 0 12px;
    border: 0;
    border-radius: 999px;
    background: rgb(255 255 255 / 0.92);
    color: #111;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  button:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
  [part~='unmute'] {
    position: absolute;
    inset-block-end: 56px;
    inset-inline-start: 12px;
  }
  /* The control bar is a media timeline: it keeps its left-to-right order in a right-to-left page, as media
     players do (Material's and Apple's bidi guidance: playback controls and their progress show the direction
     of the tape, not of reading). The ← → keys seek back and forward to match, and the chapter marks stay
     aligned with the native range, which would otherwise run right to left and leave them behind. */
  [part~='controls'] {
    direction: ltr;
    position: absolute;
    inset: auto 0 0;
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 6px 8px;
    /* A scrim dark enough that the bar's white labels and icons keep 4.5:1 over the brightest frame (a white
       frame under 60 % black is #666: 5.7:1), not a fade to transparent that leaves them on the video. */
    background: linear-gradient(rgb(0 0 0 / 0.6), rgb(0 0 0 / 0.75));
  }
  /* The bar fades out while playing so it does not cover captions; hover, focus or pause bring it back. */
  :host([status='live']) [part~='controls'],
  :host([status='playing']) [part~='controls'] {
    opacity: 0;
    transition: opacity 0.3s 1.5s;
  }
  :host(:hover) [part~='controls'],
  :host(:focus-within) [part~='controls'] {
    opacity: 1;
    transition-delay: 0s;
  }
  [part~='controls'] button {
    background: transparent;
    color: #fff;
    padding: 0 8px;
  }
  [part~='live'].behind {
    color: #ff8fb1;
  }
  [part~='live'][disabled] {
    cursor: default;
    opacity: 1;
  }
  .seek,
  .spacer {
    position: relative;
    flex: 1;
  }
  /* 24 px tall at least (WCAG 2.5.8 target size): a range's default box is 16 px, its thumb smaller. */
  [part~='seek'] {
    display: block;
    inline-size: 100%;
    min-block-size: 24px;
    margin: 0;
    accent-color: var(--kol-color-accent, #d6246e);
  }
  .marks {
    position: absolute;
    inset: 0;
    inline-size: 100%;
    block-size: 100%;
    pointer-events: none;
    fill: #ffd54a;
  }
  [part~='latency'] {
    font-size: 0.8em;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  [part~='chapters'] {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin: 8px 0 0;
    padding: 0;
    list-style: none;
    color: var(--kol-color-text, #1c1b1f);
  }
  [part~='chapter'] {
    min-block-size: 32px;
    background: var(--kol-color-surface, #fff);
    border: 1px solid var(--kol-color-border, #e3e1e8);
    font-weight: 500;
  }
  [part~='chapter'] span {
    color: var(--kol-color-muted, #6b6874);
    font-variant-numeric: tabular-nums;
  }
`;
