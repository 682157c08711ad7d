import {html, nothing, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {KolElement} from '../kol-element.js';
import {msg} from '@lit/localize';
import {elementLocale, formatCount} from '../../page/compact-count.js';
import {plural} from '../../i18n/plural.js';
import {ShowLink} from '../../controllers/show-link.js';
import type {CardShowHandle} from '../show-handle.js';
import {formatMoney} from '../../page/format-money.js';
import {cardStyles} from '../card-styles.js';
import {KolCartOpenRequestEvent} from '../events.js';
import {cartButtonStyles} from './cart-button.styles.js';

/**
 * The cart's item count and subtotal; pressing it opens the store's cart (the adapter's way, or the
 * cart's checkout URL), unless the page cancels `kol-cart-open-request` to open its own drawer.
 *
 * @summary Cart count and subtotal that opens the cart.
 * @slot label - The button's text. Default: "Cart".
 * @fires kol-cart-open-request - The shopper pressed the button. Cancelable: cancel it to open your own cart.
 * @fires kol-error - There is no show (from the button), or the cart could not be opened (from the show: no cart page, or a checkout URL kolkit will not open, such as `javascript:`); the button then shows "The cart could not be opened." and its `error` attribute is `cart-open-failed`.
 * @csspart base - The button.
 * @csspart status - The message shown when the cart could not be opened.
 * @csspart icon - The cart icon.
 * @csspart count - The item count badge.
 * @csspart subtotal - The subtotal.
 * @cssprop [--kol-cart-button-background=var(--kol-color-surface)] - Button background.
 * @cssprop [--kol-cart-button-badge-background=var(--kol-color-accent)] - Count badge background.
 * @cssprop [--kol-cart-button-block-size=44px] - The button's height, reserved before kolkit loads by the page's
 *   `kol-cart-button:not(:defined)` rule (docs/theming.md).
 */
export class KolCartButton extends KolElement {
  static override styles = [cardStyles, cartButtonStyles];

  /** The id of the `<kol-show>` whose cart to show, when the button is not inside it. */
  @property() show: string | null = null;

  /** Hide the subtotal and show the count only. */
  @property({type: Boolean, attribute: 'hide-subtotal'}) hideSubtotal = false;

  /** Reflected: the number of items in the cart (`cart.totalQuantity`). */
  @property({type: Number, reflect: true}) count = 0;

  readonly #link = new ShowLink<CardShowHandle>(this, () => this.fail('no-show', 'This cart button found no <kol-show>.'));

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    this.count = this.#link.show?.cart?.totalQuantity ?? 0;
  }

  protected override render() {
    const cart = this.#link.show?.cart ?? null;
    const subtotal = cart && cart.totalQuantity && !this.hideSubtotal ? formatMoney(cart.subtotal, elementLocale(this)) : '';
    // The accessible name comes from the visible content ("Cart 2 items €43.90"), so it always contains
    // the visible label, a merchant's slotted one included (WCAG 2.5.3 Label in Name).
    return html`<button part="base" type="button" ?disabled=${this.#link.missing} @click=${this.#open}>
      <svg part="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M7 18a2 2 0 1 0 0 4 2 2 0 0 0 0-4Zm10 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4ZM5.2 4l.6 3H21l-2 8H7.4L4.4 2H1v2h4.2Z"/></svg>
      <slot name="label">${msg('Cart', {id: 'cart.label'})}</slot>
      <span part="count">${formatCount(this.count, elementLocale(this))}<span class="visually-hidden"> ${itemsText(this.count)}</span></span>
      ${subtotal ? html`<span part="subtotal">${subtotal}</span>` : nothing}
    </button>${this.error === 'cart-open-failed'
      ? html`<span part="status" class="error" role="alert">${msg('The cart could not be opened.', {id: 'cart.open-failed'})}</span>` : nothing}`;
  }

  async #open(): Promise<void> {
    const show = this.#link.show;
    const request = new KolCartOpenRequestEvent(show?.cart ?? null);
    this.dispatchEvent(request);
    if (request.defaultPrevented || !show) return;
    this.clearError('cart-open-failed');
    // The show reports the kol-error (once); the button, which the shopper pressed, shows it.
    if (!(await show.openCart())) this.error = 'cart-open-failed';
  }
}

/** The word after the cart's count, for screen readers: "item" or "items" (the count itself is shown). */
function itemsText(count: number): string {
  return plural(count, {
    '=1': () => msg('item', {id: 'cart.items.=1'}),
    '=2': () => msg('items', {id: 'cart.items.=2'}),
    one: () => msg('item', {id: 'cart.items.one'}),
    few: () => msg('items', {id: 'cart.items.few'}),
    many: () => msg('items', {id: 'cart.items.many'}),
    other: () => msg('items', {id: 'cart.items.other'}),
  });
}
