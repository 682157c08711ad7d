/**
 * The cart never lies, never doubles (issue: commerce adapters): kolkit's own re-read-and-compare after a
 * failed add, one cart state for every element, other tabs following, and the theme's own changes reaching
 * the cart button — against the local Shopify store (demo/lib/shopify-ajax.mjs) through the shopify-theme
 * adapter, as a shopper on a theme page would meet them.
 */
import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/index.js';
import type {KolCartButton, KolProductPin, KolShow} from '../../src/index.js';
import {SHOP, SHOP_ROOT, resetShop, shopFault, shopRequests, themeAddsQuietly, themeChangesLine} from '../fixtures/shopify-store.js';
import {recordKolErrors} from '../fixtures/errors.js';
import {dealStart} from '../fixtures/events.js';

interface AjaxCart {
  item_count: number;
  items: Array<{key: string; variant_id: number; quantity: number; properties: Record<string, string> | null}>;
}

const readShopCart = async (): Promise<AjaxCart> => (await fetch(`${SHOP_ROOT}cart.js`)).json();
const adds = async () => (await shopRequests()).filter((r) => r === 'POST /cart/add.js').length;

/** A theme page: a show on the shop's cart with a fixed pin, and a cart button in the header. */
async function themePage(productHandle: string = SHOP.cap.handle, extra = '') {
  const root = await fixture<HTMLElement>(html`
    <div>
      <kol-cart-button show="cart-show"></kol-cart-button>
      <kol-show id="cart-show" adapter="shopify-theme" root=${SHOP_ROOT} cart-timeout="800" affiliate=${extra || 'host-9'}>
        <kol-product-pin product-id=${productHandle}></kol-product-pin>
      </kol-show>
    </div>`);
  const show = root.querySelector<KolShow>('kol-show')!;
  const pin = root.querySelector<KolProductPin>('kol-product-pin')!;
  const button = root.querySelector<KolCartButton>('kol-cart-button')!;
  await waitUntil(() => pin.shadowRoot?.querySelector('[part~=cta]:not([disabled])'), 'the pin never became ready', {timeout: 10_000});
  return {show, pin, button};
}

const cta = (pin: KolProductPin) => pin.shadowRoot!.querySelector<HTMLButtonElement>('[part~=cta]')!;
const status = (pin: KolProductPin) => pin.shadowRoot!.querySelector('[part~=status]')?.textContent?.trim() ?? '';

describe('the cart never lies, never doubles', function () {
  this.timeout(30_000);
  const errors = recordKolErrors();

  beforeEach(async () => {
    await resetShop();
  });

  it('an add that timed out but happened is shown as added and applied exactly once', async () => {
    const {pin, button} = await themePage();
    await shopFault({path: '/cart/add.js', mode: 'apply-then-hang'});
    cta(pin).click();
    await waitUntil(() => cta(pin).disabled, 'the button never showed busy');
    await waitUntil(() => status(pin) === 'Added to cart', `the pin said "${status(pin)}"`, {timeout: 10_000});
    expect(button.count).to.equal(1);
    expect(await adds(), 'the add was not sent again').to.equal(1);
    const cart = await readShopCart();
    expect(cart.item_count).to.equal(1);
    expect(cart.items[0].properties, 'attribution on the line').to.include({_kol_show: 'cart-show', _kol_ref: 'host-9'});
  });

  it('an add that timed out and no re-read shows is not resent (the store may still apply it): the shopper is told to check the cart', async () => {
    const {pin, button} = await themePage();
    await shopFault({path: '/cart/add.js', mode: 'hang'});
    cta(pin).click();
    await waitUntil(() => status(pin).startsWith('We could not confirm'), `the pin said "${status(pin)}"`, {timeout: 20_000});
    expect(errors.codes()).to.include('cart-add-unconfirmed');
    expect(await adds(), 'nothing resent').to.equal(1);
    expect((await readShopCart()).item_count).to.equal(0);
    expect(button.count).to.equal(0);
  });

  it('an add the store answered 503 (it did not run it) and no re-read shows is sent once more, and applied once', async () => {
    const {pin, button} = await themePage();
    await shopFault({path: '/cart/add.js', mode: 'status', status: 503});
    cta(pin).click();
    await waitUntil(() => status(pin) === 'Added to cart', `the pin said "${status(pin)}"`, {timeout: 20_000});
    expect(await adds()).to.equal(2);
    expect((await readShopCart()).item_count).to.equal(1);
    expect(button.count).to.equal(1);
  });

  it('an add that fails and cannot be checked is not resent: the shopper is told to check the cart', async () => {
    const {pin, button} = await themePage();
    await shopFault({path: '/cart/add.js', mode: 'apply-then-hang'});
    await shopFault({path: '/cart.js', mode: 'status', status: 500, times: 50});
    cta(pin).click();
    await waitUntil(() => status(pin).startsWith('We could not confirm'), `the pin said "${status(pin)}"`, {timeout: 25_000});
    expect(errors.codes()).to.include('cart-add-unconfirmed');
    expect(await adds(), 'nothing resent').to.equal(1);
    expect(button.count, 'the button does not claim what it cannot know').to.equal(0);
  });

  it('a partial add shows what the store took, and a refusal shows the store\'s reason', async () => {
    const {show, pin, button} = await themePage(SHOP.mug.handle);
    // The store took 3 of 5: that is an add (the cart holds them), with the store's reason as a notice.
    const outcome = await show.addToCart({productId: SHOP.mug.handle, variantId: SHOP.mug.variant, quantity: 5, source: 'pin'});
    expect(outcome.status).to.equal('added');
    if (outcome.status !== 'added') return;
    expect(outcome.notices[0]).to.include({code: 'out-of-stock', message: 'Only 3 items were added to your cart.'});
    await waitUntil(() => button.count === 3, `the cart button shows ${button.count}`);
    cta(pin).click();
    await waitUntil(() => status(pin) === 'The maximum quantity of this item is already in your cart.', `the pin said "${status(pin)}"`);
    expect(errors.codes()).to.include('cart-add-refused');
    expect(button.count).to.equal(3);
  });

  it('an add whose deal code the store does not take is still an add, and the shopper is told', async () => {
    const {show, button} = await themePage();
    show.push(dealStart('deal-nope', SHOP.cap.handle, Date.now() - 1000, 120, {code: 'NOPE'}));
    await waitUntil(() => show.state.deals['deal-nope'], 'the deal never started');
    const outcome = await show.addToCart({productId: SHOP.cap.handle, variantId: SHOP.cap.navy, quantity: 1, source: 'deal', dealId: 'deal-nope'});
    expect(outcome.status, 'the line is in the cart').to.equal('added');
    if (outcome.status !== 'added') return;
    expect(outcome.notices.map((n) => n.code)).to.deep.equal(['deal-code-not-applied']);
    await waitUntil(() => button.count === 1, `the cart button shows ${button.count}`);
    expect(errors.codes()).not.to.include('cart-add-refused');
  });

  it('a deal add that timed out but happened says its code could not be confirmed, rather than dropping it silently', async () => {
    const {show, button} = await themePage();
    show.push(dealStart('deal-live', SHOP.cap.handle, Date.now() - 1000, 120, {code: 'LIVE10'}));
    await waitUntil(() => show.state.deals['deal-live'], 'the deal never started');
    await shopFault({path: '/cart/add.js', mode: 'apply-then-hang'});
    const outcome = await show.addToCart({productId: SHOP.cap.handle, variantId: SHOP.cap.navy, quantity: 1, source: 'deal', dealId: 'deal-live'});
    expect(outcome.status, 'the line is in the cart').to.equal('added');
    if (outcome.status !== 'added') return;
    expect(outcome.notices.map((n) => n.code)).to.deep.equal(['deal-code-not-applied']);
    expect(outcome.notices[0].message).to.include('LIVE10');
    expect(await adds(), 'the add was not sent again').to.equal(1);
    await waitUntil(() => button.count === 1, `the cart button shows ${button.count}`);
  });

  it('a cart change made by the theme reaches the cart button', async () => {
    const {pin, button} = await themePage();
    cta(pin).click();
    await waitUntil(() => button.count === 1, 'the add never counted');
    const [line] = (await readShopCart()).items;
    await themeChangesLine(line.key, 4);
    await waitUntil(() => button.count === 4, `the cart button shows ${button.count}`);
  });

  it('a change the theme made quietly is picked up when the tab is shown again', async () => {
    const {button} = await themePage();
    await waitUntil(() => button.hasUpdated);
    await themeAddsQuietly(SHOP.tee.small, 2);
    document.dispatchEvent(new Event('visibilitychange')); // the shopper comes back to this tab
    await waitUntil(() => button.count === 2, `the cart button shows ${button.count}`);
  });

  it('two tabs agree on the count', async () => {
    const {pin, button} = await themePage();
    // A second tab: its own document and its own kolkit, on the same shop cart (same cookie).
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><script type="module">import '/src/index.ts';</script>
      <kol-show id="other" adapter="shopify-theme" root="${SHOP_ROOT}"></kol-show>
      <kol-cart-button show="other"></kol-cart-button>`;
    document.body.append(frame);
    try {
      const otherButton = () => frame.contentDocument?.querySelector<KolCartButton>('kol-cart-button');
      const otherShow = () => frame.contentDocument?.querySelector<KolShow>('kol-show');
      // The other tab has read the (empty) cart: from now on only a message from this tab can update it.
      await waitUntil(() => otherShow()?.cart && otherButton()?.hasUpdated, 'the other tab never read the cart', {timeout: 15_000});
      cta(pin).click();
      await waitUntil(() => button.count === 1, 'this tab never counted the add');
      await waitUntil(() => otherButton()!.count === 1, `the other tab shows ${otherButton()!.count}`);
    } finally {
      frame.remove();
    }
  });
});
