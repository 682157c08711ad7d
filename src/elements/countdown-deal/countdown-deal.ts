import {html, nothing, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {KolElement} from '../kol-element.js';
import {msg, str} from '@lit/localize';
import {elementLocale, formatCount} from '../../page/compact-count.js';
import {addToCartText, addingText, soldOutText, wasText} from '../../i18n/messages.js';
import {plural} from '../../i18n/plural.js';
import {ShowLink} from '../../controllers/show-link.js';
import type {CardShowHandle} from '../show-handle.js';
import {AddToCartController} from '../../controllers/add-to-cart-controller.js';
import {isHigherPrice} from '../../core/money.js';
import {formatMoney} from '../../page/format-money.js';
import {cardStyles, pillBadgeStyles} from '../card-styles.js';
import {pickVariant, sameVariant} from '../../core/variant.js';
import {SecondTickController} from '../../controllers/second-tick.js';
import {currentDeal, dealState, type DealState} from '../../core/state.js';
import {describeMilestone, formatRemaining, milestoneFor} from '../../core/countdown.js';
import type {Deal} from '../../core/schema.js';
import type {Product, Variant} from '../../adapters/types.js';
import {countdownDealStyles} from './countdown-deal.styles.js';
import {dealFromAttributes, type AttributeDeal} from './attribute-deal.js';
import {dealNamed} from '../../core/deal-terms.js';

const BADGES: Record<DealState, () => string> = {
  upcoming: () => msg('Starts soon', {id: 'deal.badge.upcoming'}),
  active: () => msg('Flash deal', {id: 'deal.badge.active'}),
  'sold-out': soldOutText,
  expired: () => msg('Deal ended', {id: 'deal.ended'}),
};

/**
 * A flash deal: deal price, a countdown to its start or end on the server's clock, stock left, the
 * per-customer limit and add to cart. Shows the show's current deal, a given `deal-id`, or a deal set
 * by attributes (`product-id`, `price`, `currency`, `ends-at`…). Moves upcoming → active →
 * sold-out/expired by itself.
 *
 * @summary A flash deal with its countdown and add to cart.
 * @slot empty - Shown when there is no deal. Default: "No deal right now."
 * @slot cta - The button's label. Default: "Add to cart".
 * @fires kol-add-to-cart-request - The shopper pressed add to cart. Cancelable: cancel it to add yourself.
 * @fires kol-add-to-cart - The add went into the cart at the deal's price (`source: 'deal'`, `sourceId`: the deal), once.
 * @fires kol-error - The add failed or was refused, the product or the deal's variant is unknown, a deal attribute is invalid (`bad-attribute`), or there is no show.
 * @csspart base - The card.
 * @csspart badge - "Flash deal", "Starts soon", "Sold out" or "Deal ended".
 * @csspart title - The product title.
 * @csspart price - The deal price.
 * @csspart compare-at-price - The regular price, struck through.
 * @csspart timer - The countdown.
 * @csspart stock - Units left.
 * @csspart limit - The per-customer limit.
 * @csspart promo - The deal's code line.
 * @csspart cta - The add to cart button.
 * @csspart status - The outcome of the last add.
 * @cssprop [--kol-countdown-deal-accent=var(--kol-color-accent)] - Badge and timer color.
 * @cssprop [--kol-countdown-deal-background=var(--kol-color-surface)] - Card background.
 * @cssprop [--kol-countdown-deal-timer-size=1.6em] - Size of the countdown.
 * @cssprop [--kol-countdown-deal-block-size=14rem] - The height the deal reserves in every state (no deal, a
 *   running deal, an ended one), so nothing around it moves when a deal comes or goes. Set it to the height of
 *   your deal card, and give `kol-countdown-deal:not(:defined)` the same `min-block-size` (docs/theming.md).
 */
export class KolCountdownDeal extends KolElement {
  static override styles = [cardStyles, pillBadgeStyles, countdownDealStyles];

  /** The id of the `<kol-show>` to follow, when the deal is not inside it. */
  @property() show: string | null = null;

  /** Show this deal of the show rather than the current one. */
  @property({attribute: 'deal-id'}) dealId: string | null = null;

  /** A deal set by attributes: the product. */
  @property({attribute: 'product-id'}) productId: string | null = null;

  /** A deal set by attributes: the variant (default: the first available). A variant the product does not have sells nothing. */
  @property({attribute: 'variant-id'}) variantId: string | null = null;

  /** A deal set by attributes: the deal price, a decimal string. */
  @property() price: string | null = null;

  /** A deal set by attributes: the ISO 4217 currency of `price`. */
  @property() currency: string | null = null;

  /** A deal set by attributes: when it starts (ISO 8601 with a zone); default now. */
  @property({attribute: 'starts-at'}) startsAt: string | null = null;

  /** A deal set by attributes: when it ends (ISO 8601 with a zone). An invalid deal attribute shows `bad-attribute` and sells nothing. */
  @property({attribute: 'ends-at'}) endsAt: string | null = null;

  /** A deal set by attributes: units left (a whole number, 0 or more). */
  @property({type: Number}) stock: number | null = null;

  /** A deal set by attributes: most units one customer may buy (a whole number, 1 or more). */
  @property({type: Number}) limit: number | null = null;

  /** Reflected: `upcoming`, `active`, `sold-out` or `expired`; absent without a deal. */
  @property({reflect: true}) state: DealState | null = null;

  /** Reflected: an add to cart is in flight. */
  @property({type: Boolean, reflect: true}) busy = false;

  readonly #link = new ShowLink<CardShowHandle>(this, () => this.fail('no-show', 'This deal found no <kol-show> to follow.'));
  /** This card's add to cart in progress and its outcome (not the cart itself). */
  readonly #adding = new AddToCartController(this, () => this.#link.show);
  /** Repaints once a second while the countdown moves. */
  readonly #ticker = new SecondTickController(this, () => this.requestUpdate());
  #announcement = '';
  /** The deal the last add was for: its outcome is shown on that deal only, not on the next one. */
  #addedDealId: string | null = null;
  #spoken: {dealId: string; state: DealState; milestone: number | null} | null = null;
  /** The attribute deal last read, by its attributes, so every render does not validate again. */
  #attributeDeal: {key: string; value: AttributeDeal} | null = null;
  /** The last configuration problem reported (bad attribute, unknown variant), so each is reported once. */
  #reported: string | null = null;

  /** The deal shown now, or null. */
  get deal(): Deal | null {
    // Without a show (once the page gave up looking) even a deal set by attributes cannot load its product.
    if (this.#link.missing && !this.#link.show) return null;
    const own = this.#readAttributes();
    if (own && 'attribute' in own) return null; // a deal set wrong sells nothing
    if (own) return own.deal;
    const state = this.#link.show?.state;
    if (!state) return null;
    if (this.dealId) return dealNamed(state, this.dealId) ?? null;
    return currentDeal(state, this.#now()) ?? null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.#link.resolve();
    const deal = this.deal;
    this.#reportProblem(deal);
    const now = this.#now();
    this.state = deal ? dealState(deal, now) : null;
    this.busy = this.#adding.busy;
    this.#announcement = deal ? this.#announce(deal, this.state!, now) : '';
    this.#ticker.run(this.state === 'upcoming' || this.state === 'active');
  }

  protected override render() {
    const deal = this.deal;
    const own = this.#readAttributes();
    if (own && 'attribute' in own) {
      return html`<div part="base" class="error" role="alert">${msg(str`This deal is set up wrong: ${own.message}`, {id: 'deal.bad-attributes', desc: 'The detail after the colon is a technical message for the merchant, in English.'})}</div>`;
    }
    return html`${deal ? this.#renderDeal(deal) : html`<div part="base" class="empty"><slot name="empty">${this.#link.missing
        ? msg('This deal is not connected to a show.', {id: 'deal.no-show'}) : msg('No deal right now.', {id: 'deal.empty'})}</slot></div>`}
      <p class="visually-hidden" role="status">${this.#announcement}</p>`;
  }

  #renderDeal(deal: Deal) {
    const current = this.state!;
    const lookup = this.#link.show?.lookupProduct(deal.productId);
    const product = lookup?.status === 'ready' ? lookup.product : null;
    const variant = product ? dealVariant(product, deal) : undefined;
    // A deal naming a variant its product does not have sells nothing: never another option at the deal price.
    const unknownVariant = !!product && !variant;
    const compareAt = deal.compareAtPrice ?? variant?.price;
    const now = this.#now();
    const remaining = current === 'upcoming' ? Date.parse(deal.startsAt) - now : Date.parse(deal.endsAt) - now;
    const feedback = this.#addedDealId === deal.dealId ? this.#adding.feedback : null;
    const locale = elementLocale(this);
    const canAdd = current === 'active' && !!product && !!variant && !this.#adding.busy;
    return html`<article part="base" aria-labelledby="title">
      <span part="badge">${BADGES[current]()}</span>
      <h3 part="title" id="title">${product?.title ?? (lookup?.status === 'missing' ? msg('Product unavailable', {id: 'deal.product-missing'}) : msg('Loading deal', {id: 'deal.loading'}))}</h3>
      <p>
        <span part="price">${formatMoney(deal.price, locale)}</span>
        ${compareAt && isHigherPrice(compareAt, deal.price)
          ? html`<s part="compare-at-price"><span class="visually-hidden">${wasText()} </span>${formatMoney(compareAt, locale)}</s>`
          : nothing}
      </p>
      ${current === 'upcoming' || current === 'active'
        ? html`<p part="timer" role="timer" aria-label=${current === 'upcoming' ? msg('Starts in', {id: 'deal.starts-in'}) : msg('Ends in', {id: 'deal.ends-in'})}>
            ${current === 'upcoming' ? msg(str`Starts in ${formatRemaining(remaining, locale)}`, {id: 'deal.starts-in-time'}) : formatRemaining(remaining, locale)}</p>`
        : html`<p part="timer" class="spent" aria-hidden="true">${formatRemaining(0, locale)}</p>`}
      ${deal.stock !== undefined
        ? html`<p part="stock" class=${current === 'expired' ? 'spent' : ''} aria-hidden=${current === 'expired' ? 'true' : 'false'}>${leftText(deal.stock, formatCount(deal.stock, locale))}</p>`
        : nothing}
      ${deal.limitPerCustomer ? html`<p part="limit">${msg(str`Limit ${formatCount(deal.limitPerCustomer, locale)} per customer`, {id: 'deal.limit'})}</p>` : nothing}
      ${deal.code ? html`<p part="promo">${msg('Code:', {id: 'pin.promo-code', desc: 'Before a promo code the host gave.'})} <strong>${deal.code}</strong></p>` : nothing}
      <button part="cta" type="button" ?disabled=${!canAdd} aria-busy=${this.#adding.busy ? 'true' : 'false'}
        @click=${() => product && variant && this.#addToCart(deal, product, variant)}>
        ${current === 'sold-out' ? soldOutText() : current === 'expired' ? msg('Deal ended', {id: 'deal.ended'})
          : current === 'upcoming' ? msg('Not started', {id: 'deal.not-started'})
          : this.#adding.busy ? addingText() : html`<slot name="cta">${addToCartText()}</slot>`}
      </button>
      <p part="status" role="status" class=${unknownVariant ? 'refused' : feedback?.kind ?? ''}>${unknownVariant
        ? unknownVariantText() : feedback?.message ?? ''}</p>
    </article>`;
  }

  #now(): number {
    return this.#link.show?.clock.now() ?? Date.now();
  }

  /** The deal from attributes when valid. */
  #fixedDeal(): Deal | null {
    const own = this.#readAttributes();
    return own && 'deal' in own ? own.deal : null;
  }

  /** The deal attributes read and checked (attribute-deal.ts), again only when one of them changed. */
  #readAttributes(): AttributeDeal {
    const attributes = {
      dealId: this.dealId, productId: this.productId, variantId: this.variantId, price: this.price, currency: this.currency,
      startsAt: this.startsAt, endsAt: this.endsAt, stock: this.stock, limit: this.limit,
    };
    const key = JSON.stringify(attributes, (_, value) => (Number.isNaN(value) ? 'NaN' : value));
    if (this.#attributeDeal?.key !== key) this.#attributeDeal = {key, value: dealFromAttributes(attributes, (name) => this.getAttribute(name))};
    return this.#attributeDeal.value;
  }

  /**
   * Reports, once each, what stops this deal from selling: an invalid attribute (`bad-attribute`) or a
   * variant its product does not have (`unknown-variant`). Clears the error when the problem is gone.
   */
  #reportProblem(deal: Deal | null): void {
    const own = this.#readAttributes();
    let problem: [code: 'bad-attribute' | 'unknown-variant', message: string] | null = null;
    if (own && 'attribute' in own) problem = ['bad-attribute', own.message];
    else if (deal?.variantId) {
      const lookup = this.#link.show?.lookupProduct(deal.productId);
      if (lookup?.status === 'ready' && !dealVariant(lookup.product, deal)) {
        problem = ['unknown-variant', `Deal ${deal.dealId} names variant ${deal.variantId}, which product ${deal.productId} does not have: it is not sold.`];
      }
    }
    const key = problem && problem.join('|');
    if (key === this.#reported) return;
    this.#reported = key;
    if (problem) this.fail(...problem);
    else this.clearError('bad-attribute', 'unknown-variant');
  }

  /** What the polite live region says: state changes and coarse milestones, never every second. */
  #announce(deal: Deal, current: DealState, now: number): string {
    const milestone = current === 'active' ? milestoneFor(Date.parse(deal.endsAt) - now) : null;
    const last = this.#spoken;
    if (last && last.dealId === deal.dealId && last.state === current && last.milestone === milestone) return this.#announcement;
    this.#spoken = {dealId: deal.dealId, state: current, milestone};
    if (current === 'active' && (!last || last.state !== 'active' || last.dealId !== deal.dealId)) return msg('Flash deal started.', {id: 'deal.said.started'});
    if (current === 'active') return milestone
      ? msg(str`${describeMilestone(milestone, elementLocale(this))} left on the deal.`, {id: 'deal.said.left'})
      : this.#announcement;
    if (current === 'upcoming') return msg('A flash deal starts soon.', {id: 'deal.said.soon'});
    return current === 'sold-out' ? msg('The deal is sold out.', {id: 'deal.said.sold-out'}) : msg('The deal has ended.', {id: 'deal.said.ended'});
  }

  #addToCart(deal: Deal, product: Product, variant: Variant): void {
    if (!this.#adding.busy) this.#addedDealId = deal.dealId;
    void this.#adding.add(
      {productId: product.id, variantId: variant.id, quantity: 1, source: 'countdown-deal', dealId: deal.dealId},
      {source: 'deal', sourceId: deal.dealId, product, variant},
      this.#fixedDeal() ?? undefined,
    );
  }
}

/** What the deal card says when its deal names a variant the product does not have. */
const unknownVariantText = () => msg('This deal is not available: its product option is not in this store.', {id: 'deal.unknown-variant'});

/** "12 left": the deal's units left, `count` formatted for the element's language. */
function leftText(left: number, count: string): string {
  return plural(left, {
    '=1': () => msg('1 left', {id: 'deal.left.=1'}),
    '=2': () => msg('2 left', {id: 'deal.left.=2'}),
    one: () => msg(str`${count} left`, {id: 'deal.left.one'}),
    few: () => msg(str`${count} left`, {id: 'deal.left.few'}),
    many: () => msg(str`${count} left`, {id: 'deal.left.many'}),
    other: () => msg(str`${count} left`, {id: 'deal.left.other'}),
  });
}

/** The variant a deal sells: the one it names (none when the product lacks it), else the first available. */
function dealVariant(product: Product, deal: Deal): Variant | undefined {
  if (!deal.variantId) return pickVariant(product);
  return product.variants.find((v) => sameVariant(v.id, deal.variantId!));
}
