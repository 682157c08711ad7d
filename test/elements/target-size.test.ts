// Target size (WCAG 2.2 SC 2.5.8, AA): every control an element shows (buttons, links, fields, the focusable
// chat log and player) measures at least 24×24 CSS px, in the state a shopper meets it mid-show
// (test/fixtures/element-states.ts). Measured with getBoundingClientRect, so it holds in any engine.
import {expect} from '@open-wc/testing';
import {ELEMENTS, renderElement} from '../fixtures/element-states.js';

/** WCAG 2.5.8's minimum, in CSS px. */
const MIN = 24;
const INTERACTIVE = 'button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

/** The controls in `el`'s shadow root (and nested shadow roots) that are laid out: name and size. */
function controls(root: ShadowRoot): {name: string; width: number; height: number}[] {
  return [...root.querySelectorAll<HTMLElement>('*')].flatMap((node) => [
    ...(node.matches(INTERACTIVE) && node.getClientRects().length
      ? [{name: `${node.localName}[part=${node.getAttribute('part') ?? ''}]`, ...sizeOf(node)}] : []),
    ...(node.shadowRoot ? controls(node.shadowRoot) : []),
  ]);
}
const sizeOf = (node: HTMLElement) => {
  const r = node.getBoundingClientRect();
  return {width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10};
};

describe('target size (WCAG 2.5.8): at least 24×24 CSS px', function () {
  this.timeout(60000);

  for (const tag of ELEMENTS) {
    it(`<${tag}>: every control`, async () => {
      const {el} = await renderElement(tag, 'ltr');
      const found = controls(el.shadowRoot!);
      // The host itself when it is the focus target (the player: its keyboard map).
      if (el.tabIndex >= 0 && el.hasAttribute('tabindex')) found.push({name: tag, ...sizeOf(el)});
      expect(found.length, 'the state shows controls').to.be.greaterThan(0);
      const small = found.filter((c) => c.width < MIN || c.height < MIN);
      expect(small, `below ${MIN}×${MIN}: ${JSON.stringify(small)}`).to.deep.equal([]);
    });
  }
});
