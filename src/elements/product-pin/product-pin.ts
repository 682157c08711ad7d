import {html, nothing, type PropertyValues} from 'lit';
import {property, state} from 'lit/decorators.js';
import {ifDefined} from 'lit/directives/if-defined.js';
import {KolElement} from '../kol-element.js';
import {ShowLink} from '../../controllers/show-link.js';
import {AddToCartController} from '../../controllers/add-to-cart-controller.js';
import {isHigherPrice} from '../../core/money.js';
import {msg, str} from '@lit/localize';
import {formatMoney} from '../../page/format-money.js';
import {elementLocale, formatCount} from '../../page/compact-count.js';
import {addToCartText, addingText, onlyLeftText, soldOutText, wasText} from '../../i18n/messages.js';
import {safeUrl} from '../../page/url.js';
import {pickVariant} from '../../core/variant.js';
import {stockOf} from '../../core/state.js';
import {cardStyles} from '../card-styles.js';
import type {Deal, PinnedProduct} from '../../core/schema.js';
import {liveDealFor} from '../../core/deal-terms.js';
import type {CardShowHandle, ProductLookup} from '../show-handle.js';
import type {Product, Variant} from '../../adapters/types.js';
import {productPinStyles} from './product-pin.styles.js';

/** "Now showing: <title>", read out for a new pin and naming the card. */
const nowShowing = (title: string) => msg(str`Now showing: ${title}`, {id: 'pin.now-showing'});

/** Below this many left, the pin says how many. */
const LOW_STOCK = 5;

/**
 * The product the host is showing now: image, title, price, compare-at price, variant choice, promo code
 * and add to cart. Follows the show's pins (`index` 0 is the most recent), or shows a fixed `product-id`.
 * While a flash deal of the show runs on the chosen variant, the pin shows and adds at the deal's price
 * (the list price struck through), and goes back to the list price when the deal ends.
 *
 * @summary The product the host is showing now, with add to cart.
 * @slot empty - Shown when nothing is pinned. Default: "No product is being shown right now."
 * @slot cta - The button's label. Default: "Add to cart".
 * @fires kol-add-to-cart-request - The shopper pressed add to cart. Cancelable: cancel it to add yourself.
 * @fires kol-add-to-cart - The add went into the cart (`source: 'pin'`, `sourceId`: the product), once: count it as a conversion.
 * @fires kol-error - The add failed or was refused, the product is unknown, or there is no show.
 * @csspart base - The card.
 * @csspart image - The product image (its box is reserved before it loads).
 * @csspart badge - The host's label for the product, e.g. "#7".
 * @csspart title - The product title.
 * @csspart price - The price (the deal price while a deal runs on the product).
 * @csspart compare-at-price - The former price, struck through.
 * @csspart stock - How many are left, when few.
 * @csspart promo - The promo code line.
 * @csspart note - The host's note about the product.
 * @csspart variant - The variant select.
 * @csspart cta - The add to cart button.
 * @csspart status - The outcome of the last add.
 * @cssprop [--kol-product-pin-image-size=96px] - Width of the image column.
 * @cssprop [--kol-product-pin-block-size=12rem] - The height the pin reserves in every state (empty, loading, a
 *   product), so nothing around it moves when a pin comes or goes. Set it to the height of your tallest card,
 *   and give `kol-product-pin:not(:defined)` the same `min-block-size` (docs/theming.md).
 * @cssprop [--kol-product-pin-background=var(--kol-color-surface)] - Card background.
 * @cssprop [--kol-product-pin-badge-background=var(--kol-color-accent)] - Label background.
 */
export class KolProductPin extends KolElement {
  static override styles = [cardStyles, productPinStyles];

  /** The id of the `<kol-show>` to follow, when the pin is not inside it. */
  @property() show: string | null = null;

  /** Which pin to show: 0 is the most recent pin, 1 the one before (up to 2). */
  @property({type: Number}) index = 0;

  /** A fixed product to show instead of the show's pins. */
  @property({attribute: 'product-id'}) productId: string | null = null;

  /** Reflected: a product is shown. */
  @property({type: Boolean, reflect: true}) active = false;

  /** Reflected: an add to cart is in flight. */
  @property({type: Boolean, reflect: true}) busy = false;

  @state() private selectedVariantId: string | null = null;

  readonly #link = new ShowLink<CardShowHandle>(this, () => this.fail('no-show', 'This pin found no <kol-show> to follow.'));
  /** This card's add to cart in progress and its outcome (not the cart itself). */
  readonly #adding = new AddToCartController(this, () => this.#link.show);
  #shownProductId: string | null = null;
  /** The product the last add was for: its outcome is shown on that product only, not on the next pin. */
  #addedProductId: string | null = null;

  /** The pin shown now, or null (always null with a fixed `product-id`). */
  get pin(): PinnedProduct | null {
    if (this.productId) return null;
    return this.#link.show?.state.pinned[this.index] ?? null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    const productId = this.#currentProductId();
    // Nothing is shown without a show to load the product through, even with a fixed product-id.
    this.active = !!productId && !this.#link.missing;
    this.busy = this.#adding.busy;
    if (productId !== this.#shownProductId) {
      this.#shownProductId = productId;
      this.selectedVariantId = null;
    }
  }

  protected override render() {
    const productId = this.#currentProductId();
    const show = this.#link.show;
    // Without a show (once the page gave up looking) a fixed product-id can never load: say so, not "loading".
    const lookup: ProductLookup | null = !productId ? null
      : show ? show.lookupProduct(productId)
      : this.#link.missing ? null : {status: 'loading'};
    // The live region stays in place while the card changes, so a new pin is announced once, politely.
    const announcement = lookup?.status === 'ready' && !this.productId ? nowShowing(lookup.product.title) : '';
    return html`${this.#renderCard(lookup)}<p class="visually-hidden" role="status">${announcement}</p>`;
  }

  #renderCard(lookup: ProductLookup | null) {
    if (!lookup) return this.#renderEmpty();
    if (lookup.status === 'loading') return this.#renderLoading();
    if (lookup.status !== 'ready') {
      const message = lookup.status === 'missing'
        ? msg('This product is not available in this store.', {id: 'pin.missing'})
        : msg('This product could not be loaded.', {id: 'pin.load-failed'});
      return html`<div part="base" class="error" role="alert">${message}</div>`;
    }
    return this.#renderProduct(lookup.product);
  }

  #renderEmpty() {
    return html`<div part="base" class="empty">
      <slot name="empty">${this.#link.missing
        ? msg('This product pin is not connected to a show.', {id: 'pin.no-show'})
        : msg('No product is being shown right now.', {id: 'pin.empty'})}</slot>
    </div>`;
  }

  #renderLoading() {
    return html`<div part="base" class="loading" aria-busy="true">
      <div class="media"></div>
      <div><h3 part="title">${msg('Loading product', {id: 'pin.loading'})}</h3><p>&nbsp;</p></div>
    </div>`;
  }

  #renderProduct(product: Product) {
    const pin = this.pin;
    const variant = this.#variantOf(product);
    const left = this.#stockLeft(product, variant);
    const soldOut = !variant.available || left === 0;
    const image = safeUrl(product.image?.url);
    const feedback = this.#addedProductId === product.id ? this.#adding.feedback : null;
    const deal = this.#liveDeal(product, variant);
    const price = deal?.price ?? variant.price;
    // On a deal the "was" price is the deal's own compare-at, else the list price.
    const compareAt = deal ? deal.compareAtPrice ?? variant.price : variant.compareAtPrice;
    const locale = elementLocale(this);
    return html`<article part="base" aria-label=${nowShowing(product.title)}>
      <div class="media">
        ${image
          ? html`<img part="image" src=${image} alt=${product.image?.alt ?? product.title}
              width=${ifDefined(product.image?.width)} height=${ifDefined(product.image?.height)} decoding="async" />`
          : nothing}
      </div>
      <div>
        ${pin?.label ? html`<span part="badge">${pin.label}</span>` : nothing}
        <h3 part="title">${product.title}</h3>
        <p part="price">
          ${formatMoney(price, locale)}
          ${compareAt && isHigherPrice(compareAt, price)
            ? html`<s part="compare-at-price"><span class="visually-hidden">${wasText()} </span>${formatMoney(compareAt, locale)}</s>`
            : nothing}
        </p>
        ${left !== undefined && left > 0 && left <= LOW_STOCK ? html`<p part="stock">${onlyLeftText(left, formatCount(left, locale))}</p>` : nothing}
        ${pin?.promoCode ? html`<p part="promo">${msg('Code:', {id: 'pin.promo-code', desc: 'Before a promo code the host gave.'})} <strong>${pin.promoCode}</strong></p>` : nothing}
        ${pin?.note ? html`<p part="note">${pin.note}</p>` : nothing}
        ${product.variants.length > 1 ? this.#renderVariants(product, variant) : nothing}
        <button part="cta" type="button" ?disabled=${soldOut || this.#adding.busy} aria-busy=${this.#adding.busy ? 'true' : 'false'}
          @click=${() => this.#addToCart(product, variant, deal)}>
          ${soldOut ? soldOutText() : this.#adding.busy ? addingText() : html`<slot name="cta">${addToCartText()}</slot>`}
        </button>
        <p part="status" role="status" class=${feedback?.kind ?? ''}>${feedback?.message ?? ''}</p>
      </div>
    </article>`;
  }

  #renderVariants(product: Product, selected: Variant) {
    return html`<label>${msg('Option', {id: 'pin.variant', desc: 'Label of the product variant (size, colour) choice.'})}
      <select part="variant" @change=${(e: Event) => (this.selectedVariantId = (e.target as HTMLSelectElement).value)}>
        ${product.variants.map(
          (v) => html`<option value=${v.id} ?selected=${v.id === selected.id} ?disabled=${!v.available}>
            ${v.available ? v.title : msg(str`${v.title} (sold out)`, {id: 'pin.variant-sold-out'})}</option>`,
        )}
      </select>
    </label>`;
  }

  #currentProductId(): string | null {
    return this.productId ?? this.pin?.productId ?? null;
  }

  /** The chosen variant: the shopper's choice, else the one the host pinned, else the first available. */
  #variantOf(product: Product): Variant {
    return pickVariant(product, this.selectedVariantId, this.pin?.variantId);
  }

  /** Units left: the host's live stock figure when there is one, else the backend's. */
  #stockLeft(product: Product, variant: Variant): number | undefined {
    const show = this.#link.show;
    return (show && stockOf(show.state, product.id)) ?? variant.quantityAvailable;
  }

  /** The show's deal running now on this product and variant (its price is the one to show and add at). */
  #liveDeal(product: Product, variant: Variant): Deal | undefined {
    const show = this.#link.show;
    return show ? liveDealFor(show.state, {productId: product.id, variantId: variant.id}, show.clock.now()) : undefined;
  }

  #addToCart(product: Product, variant: Variant, deal: Deal | undefined): void {
    if (!this.#adding.busy) this.#addedProductId = product.id;
    void this.#adding.add({
      productId: product.id, variantId: variant.id, quantity: 1, source: 'product-pin', ...(deal ? {dealId: deal.dealId} : {}),
    }, {source: 'pin', sourceId: product.id, product, variant});
  }
}
