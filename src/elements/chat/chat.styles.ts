import {css} from 'lit';

/**
 * Layout of `<kol-chat>`: a box of a fixed height (so nothing around it moves as messages come), the list
 * scrolling inside it above the composer. Author and text are bidi-isolated: a right-to-left override or
 * other control in one message cannot reorder the badge beside it or the next message.
 */
export const chatStyles = css`
  :host {
    block-size: var(--kol-chat-block-size, 24rem);
    min-block-size: var(--kol-chat-block-size, 24rem);
  }
  [part~='base'] {
    display: flex;
    flex-direction: column;
    gap: 8px;
    block-size: 100%;
    position: relative;
    background: var(--kol-chat-background, var(--kol-color-surface, #fff));
  }
  [part~='messages'] {
    flex: 1;
    min-block-size: 0;
    overflow-y: auto;
    /* A burst changes only the list: its layout stays inside it. */
    contain: strict;
    overscroll-behavior: contain;
    /* Never smooth: a burst would leave it scrolling forever (and reduced motion asks for none). */
    scroll-behavior: auto;
  }
  [part~='messages']:focus-visible,
  button:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--kol-color-focus, #1a73e8);
    outline-offset: 2px;
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li {
    padding: 3px 0;
    overflow-wrap: anywhere;
    /* Rows out of view are not laid out or painted (a burst appends dozens a frame), at their last size. */
    content-visibility: auto;
    contain-intrinsic-block-size: auto 1.8em;
  }
  [part~='author'] {
    font-weight: 700;
    unicode-bidi: isolate;
  }
  [part~='author']::after {
    content: ':';
  }
  [part~='text'] {
    unicode-bidi: isolate;
    margin-inline-start: 0.35em;
  }
  [part~='badge'] {
    display: inline-block;
    margin-inline-start: 0.35em;
    padding: 0 6px;
    border-radius: 999px;
    font-size: 0.75em;
    font-weight: 700;
    background: var(--kol-color-placeholder, #f1eff4);
    color: var(--kol-color-text, #1c1b1f);
  }
  [part~='message-host'] [part~='badge'] {
    background: var(--kol-chat-badge-background, var(--kol-color-accent, #d6246e));
    color: var(--kol-color-on-accent, #fff);
  }
  [part~='mention'] {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    margin: 2px 0;
    padding: 4px 6px;
    border-radius: calc(var(--kol-radius, 12px) * 0.5);
    background: var(--kol-chat-mention-background, var(--kol-color-placeholder, #f1eff4));
    vertical-align: middle;
    font-weight: 600;
  }
  [part~='mention-image'] {
    inline-size: 32px;
    block-size: 32px;
    object-fit: cover;
    border-radius: 4px;
  }
  [part~='mention-price'] {
    font-variant-numeric: tabular-nums;
  }
  [part~='mention-status'].refused,
  [part~='mention-status'].failed {
    color: var(--kol-color-danger, #b3261e);
  }
  button {
    min-block-size: 44px;
    min-inline-size: 44px;
    padding: 0 12px;
    border: 1px solid var(--kol-color-border, #e3e1e8);
    border-radius: calc(var(--kol-radius, 12px) * 0.75);
    background: var(--kol-color-surface, #fff);
    color: var(--kol-color-text, #1c1b1f);
    font: inherit;
    cursor: pointer;
  }
  button[disabled] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  [part~='send'],
  [part~='mention-cta'] {
    border: 0;
    background: var(--kol-color-accent, #d6246e);
    color: var(--kol-color-on-accent, #fff);
    font-weight: 600;
  }
  [part~='mention-cta'] {
    min-block-size: 32px;
    font-size: 0.85em;
  }
  [part~='new-messages'] {
    position: absolute;
    inset-inline: 0;
    margin-inline: auto;
    inset-block-end: 5.5rem;
    inline-size: max-content;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.15);
  }
  [part~='composer'] {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  [part~='input'] {
    flex: 1;
    min-inline-size: 8rem;
    min-block-size: 44px;
    padding: 0 10px;
    border: 1px solid var(--kol-color-border-strong, #8a8791);
    border-radius: calc(var(--kol-radius, 12px) * 0.5);
    font: inherit;
  }
  [part~='composer'] label:not(.visually-hidden) {
    flex-basis: 100%;
    font-size: 0.9em;
  }
  [part~='composer-status'] {
    flex-basis: 100%;
    min-block-size: 1.4em;
    margin: 0;
    font-size: 0.9em;
  }
  [part~='composer-status'].refused,
  [part~='composer-status'].failed,
  [part~='composer-status'].waiting {
    color: var(--kol-color-danger, #b3261e);
  }
  .empty,
  .closed {
    color: var(--kol-color-muted, #6b6874);
  }
`;
