// Focus order (WCAG 2.4.3): in each element, the Tab stops (document order, no positive tabindex) follow the
// reading order a shopper sees, left to right and right to left: each next stop is further down, or on the
// same line further along the reading direction of the line it sits in (the player's control bar reads left to
// right in both, on purpose). Measured with getBoundingClientRect in the mid-show state of each element.
import {expect, nextFrame} from '@open-wc/testing';
import {ELEMENTS, deepElements, renderElement} from '../fixtures/element-states.js';

const FOCUSABLE = 'button, a[href], input, select, textarea, summary, [tabindex]';

/** The Tab stops of a shadow root (and the shadow roots in it), in document order. */
function tabStops(root: ShadowRoot): HTMLElement[] {
  return deepElements(root).filter((node) =>
    node.matches(FOCUSABLE) && node.tabIndex >= 0 && !(node as HTMLButtonElement).disabled && node.getClientRects().length);
}

const label = (node: HTMLElement) => `${node.localName}[part=${node.getAttribute('part') ?? ''}]`;

/** Pairs of consecutive stops where the second comes before the first in reading order. */
function outOfOrder(stops: HTMLElement[]): string[] {
  const wrong: string[] = [];
  for (let i = 1; i < stops.length; i++) {
    const a = stops[i - 1].getBoundingClientRect();
    const b = stops[i].getBoundingClientRect();
    const below = b.top >= a.bottom - 1;
    const sameLine = b.top < a.bottom - 1 && a.top < b.bottom - 1;
    const rtl = getComputedStyle(stops[i].parentElement ?? stops[i]).direction === 'rtl';
    const along = rtl ? b.right <= a.left + 1 : b.left >= a.right - 1;
    // A stop that contains the next (a scrolling list and a button over it) is read first.
    const contains = b.top >= a.top && b.bottom <= a.bottom && b.left >= a.left && b.right <= a.right;
    if (!(below || (sameLine && along) || contains)) wrong.push(`${label(stops[i - 1])} then ${label(stops[i])}`);
  }
  return wrong;
}

describe('focus order (WCAG 2.4.3): Tab follows the reading order', function () {
  this.timeout(60000);

  for (const tag of ELEMENTS) {
    it(`<${tag}>, right to left and left to right`, async () => {
      const r = await renderElement(tag, 'rtl');
      const positive = [...r.el.shadowRoot!.querySelectorAll<HTMLElement>('[tabindex]')].filter((n) => n.tabIndex > 0);
      expect(positive.map(label), 'no positive tabindex').to.deep.equal([]);
      const stops = tabStops(r.el.shadowRoot!);
      expect(stops.length, 'the state has Tab stops').to.be.greaterThan(0);
      expect(outOfOrder(stops), 'right to left').to.deep.equal([]);
      r.wrapper.dir = 'ltr';
      await nextFrame();
      expect(outOfOrder(stops), 'left to right').to.deep.equal([]);
    });
  }
});
