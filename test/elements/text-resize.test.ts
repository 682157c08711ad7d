// Resize text (WCAG 1.4.4) and text spacing (1.4.12): each element mid-show, with its text at 200 % (the root
// font size doubled, as a browser's text size setting does) and, separately, with 1.4.12's spacing (line height
// 1.5, paragraphs 2 em apart, letters 0.12 em, words 0.16 em) applied inside its shadow root, as a user style
// would. Nothing may be cut off: no box that hides its overflow (overflow hidden or clip) holds more than it
// shows. Boxes that scroll (the chat's list) keep everything reachable and are not counted.
import {expect, nextFrame} from '@open-wc/testing';
import {ELEMENTS, deepElements, renderElement} from '../fixtures/element-states.js';

/** WCAG 1.4.12's spacing, for every node of a shadow root. */
const SPACING = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
  p { margin-block-end: 2em !important; }`;

/** Boxes of `root` (and nested shadow roots) that hide overflow and hold more than they show. */
function clipped(root: ShadowRoot): string[] {
  return deepElements(root).flatMap((node) => {
    const style = getComputedStyle(node);
    // The visually hidden live regions are 1 px on purpose; an image's box crops the image, not text.
    const hides = /hidden|clip/.test(style.overflowX + style.overflowY) && !node.classList.contains('visually-hidden') && !node.querySelector('img') && node.localName !== 'img';
    const over = hides && node.getClientRects().length > 0 && (node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1);
    return over ? [`${node.localName}[part=${node.getAttribute('part') ?? ''}].${node.className}: ${node.scrollWidth}×${node.scrollHeight} in ${node.clientWidth}×${node.clientHeight}`] : [];
  });
}

/** Boxes that stick out of the element's sides (text running over what is next to the element). */
function outside(el: HTMLElement): string[] {
  const host = el.getBoundingClientRect();
  return deepElements(el.shadowRoot!).flatMap((node) => {
    const r = node.getBoundingClientRect();
    const out = r.width > 0 && !node.closest('.visually-hidden') && (r.left < host.left - 1 || r.right > host.right + 1);
    return out ? [`${node.localName}[part=${node.getAttribute('part') ?? ''}] ${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(host.left)}–${Math.round(host.right)}`] : [];
  });
}

/** Nothing cut off and nothing over the element's sides. */
function expectWhole(el: HTMLElement, when: string) {
  expect(clipped(el.shadowRoot!), `${when}: cut off`).to.deep.equal([]);
  expect(outside(el), `${when}: over the element's sides`).to.deep.equal([]);
}

describe('text at 200 % and WCAG text spacing: nothing cut off', function () {
  this.timeout(60000);
  afterEach(() => document.documentElement.style.removeProperty('font-size'));

  for (const tag of ELEMENTS) {
    it(`<${tag}>`, async () => {
      const r = await renderElement(tag, 'ltr');
      r.wrapper.style.inlineSize = '360px'; // a phone's column: where larger text has the least room
      expectWhole(r.el, 'at 100 %');
      document.documentElement.style.fontSize = '200%';
      await nextFrame();
      expectWhole(r.el, 'at 200 %');
      document.documentElement.style.removeProperty('font-size');
      const spacing = document.createElement('style');
      spacing.textContent = SPACING;
      r.el.shadowRoot!.append(spacing);
      await nextFrame();
      expectWhole(r.el, 'with WCAG 1.4.12 text spacing');
    });
  }
});
