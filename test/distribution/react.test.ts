// The React example (demo/react/, built by `npm run build` through kolkit's own package exports): in a real
// React 19 app the wrappers render the elements, a shopper adds the pinned product, and the app's
// onKolCartChange handler sees the cart.
import {expect, waitUntil} from '@open-wc/testing';

const part = (el: Element, name: string) => el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
const read = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('React example (/demo/react/)', () => {
  let frame: HTMLIFrameElement | undefined;
  afterEach(() => frame?.remove());

  async function open(): Promise<Document> {
    frame = document.createElement('iframe');
    frame.src = '/demo/react/index.html';
    const loaded = new Promise((resolve) => frame!.addEventListener('load', resolve, {once: true}));
    document.body.append(frame);
    await loaded;
    return frame.contentDocument!;
  }

  it('renders the show, pin and cart button, and adds the pinned product to the cart', async function () {
    this.timeout(15000);
    const doc = await open();
    await waitUntil(() => doc.querySelector('kol-show kol-product-pin') && doc.querySelector('header kol-cart-button'), 'React rendered no elements', {timeout: 5000});
    const pin = doc.querySelector('kol-product-pin')!;
    const cartButton = doc.querySelector('kol-cart-button')!;
    // The wrapper set the adapter as a property (an object cannot be an attribute).
    expect(doc.querySelector('kol-show')!.hasAttribute('adapter')).to.equal(false);
    expect(read(doc.getElementById('bag'))).to.equal('Your bag is empty.');

    await waitUntil(() => {
      const cta = part(pin, 'cta') as HTMLButtonElement | null;
      return !!cta && !cta.disabled && read(part(pin, 'title')) === 'Lune Cap';
    }, 'the pinned cap never became addable', {timeout: 5000});
    expect(read(part(pin, 'badge'))).to.equal('#1');
    part(pin, 'cta')!.click();

    await waitUntil(() => cartButton.getAttribute('count') === '1', 'the cart button never counted the add', {timeout: 5000});
    // The badge's own number (its text nodes; a visually hidden "item" sits beside it for screen readers).
    const badge = [...part(cartButton, 'count')!.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
    expect(badge).to.equal('1');
    // The page's own line, rendered by React from what onKolCartChange handed it.
    await waitUntil(() => read(doc.getElementById('bag')) === '1 item in your bag.', 'the onKolCartChange handler did not see the add', {timeout: 5000});
  });
});
