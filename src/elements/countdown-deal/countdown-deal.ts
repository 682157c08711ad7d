import {html, nothing, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {KolElement} from '../../core/kol-element.js';
import {ShowLink} from '../../core/show-link.js';
import {AddToCartController} from '../../core/add-to-cart-controller.js';
import {formatMoney} from '../../core/money.js';
import {cardStyles} from '../../core/styles.js';
import {pickVariant} from '../../core/variant.js';
import {onSecondTick} from '../../core/ticker.js';
import {currentDeal, dealPhase, type DealPhase} from '../../core/state.js';
import {describeMilestone, formatRemaining, milestoneFor} from '../../core/countdown.js';
import type {Deal} from '../../core/schema.js';
import type {Money, Product, Variant} from '../../adapters/types.js';
import {countdownDealStyles} from './countdown-deal.styles.js';

const BADGES: Record<DealPhase, string> = {
  upcoming: 'Starts soon',
  active: 'Flash deal',
  'sold-out': 'Sold out',
  expired: 'Deal ended',
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
 * @fires kol-error - The add failed or was refused, the product is unknown, or there is no show.
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
 */
export class KolCountdownDeal extends KolElement {
  static override styles = [cardStyles, countdownDealStyles];

  /** The id of the `<kol-show>` to follow, when the deal is not inside it. */
  @property() show: string | null = null;

  /** Show this deal of the show rather than the current one. */
  @property({attribute: 'deal-id'}) dealId: string | null = null;

  /** A deal set by attributes: the product. */
  @property({attribute: 'product-id'}) productId: string | null = null;

  /** A deal set by attributes: the variant (default: the first available). */
  @property({attribute: 'variant-id'}) variantId: string | null = null;

  /** A deal set by attributes: the deal price, a decimal string. */
  @property() price: string | null = null;

  /** A deal set by attributes: the ISO 4217 currency of `price`. */
  @property() currency: string | null = null;

  /** A deal set by attributes: when it starts (ISO 8601); default now. */
  @property({attribute: 'starts-at'}) startsAt: string | null = null;

  /** A deal set by attributes: when it ends (ISO 8601). */
  @property({attribute: 'ends-at'}) endsAt: string | null = null;

  /** A deal set by attributes: units left. */
  @property({type: Number}) stock: number | null = null;

  /** A deal set by attributes: most units one customer may buy. */
  @property({type: Number}) limit: number | null = null;

  /** Reflected: `upcoming`, `active`, `sold-out` or `expired`; absent without a deal. */
  @property({reflect: true}) state: DealPhase | null = null;

  /** Reflected: an add to cart is in flight. */
  @property({type: Boolean, reflect: true}) busy = false;

  private readonly link = new ShowLink(this, () => this.fail('no-show', 'This deal found no <kol-show> to follow.'));
  private readonly cart = new AddToCartController(this, () => this.link.show);
  private stopTicker?: () => void;
  private announcement = '';
  /** The deal the last add was for: its outcome is shown on that deal only, not on the next one. */
  private addedDealId: string | null = null;
  private spoken: {dealId: string; phase: DealPhase; milestone: number | null} | null = null;

  /** The deal shown now, or null. */
  get deal(): Deal | null {
    // Without a show (once the page gave up looking) even a deal set by attributes cannot load its product.
    if (this.link.missing && !this.link.show) return null;
    const fixed = this.fixedDeal();
    if (fixed) return fixed;
    const state = this.link.show?.state;
    if (!state) return null;
    if (this.dealId) return state.deals[this.dealId] ?? null;
    return currentDeal(state, this.now()) ?? null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTicker?.();
    this.stopTicker = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('show')) this.link.resolve();
    const deal = this.deal;
    const now = this.now();
    this.state = deal ? dealPhase(deal, now) : null;
    this.busy = this.cart.busy;
    this.announcement = deal ? this.announce(deal, this.state!, now) : '';
    // Tick once a second only while the countdown moves.
    const ticking = this.state === 'upcoming' || this.state === 'active';
    if (ticking && !this.stopTicker && this.isConnected) this.stopTicker = onSecondTick(() => this.requestUpdate());
    else if (!ticking && this.stopTicker) {
      this.stopTicker();
      this.stopTicker = undefined;
    }
  }

  protected override render() {
    const deal = this.deal;
    return html`${deal ? this.renderDeal(deal) : html`<div part="base" class="empty"><slot name="empty">${this.link.missing
        ? 'This deal is not connected to a show.' : 'No deal right now.'}</slot></div>`}
      <p class="visually-hidden" role="status">${this.announcement}</p>`;
  }

  private renderDeal(deal: Deal) {
    const phase = this.state!;
    const lookup = this.link.show?.lookupProduct(deal.productId);
    const product = lookup?.status === 'ready' ? lookup.product : null;
    const variant = product ? pickVariant(product, deal.variantId) : undefined;
    const compareAt = deal.compareAtPrice ?? variant?.price;
    const now = this.now();
    const remaining = phase === 'upcoming' ? Date.parse(deal.startsAt) - now : Date.parse(deal.endsAt) - now;
    const feedback = this.addedDealId === deal.dealId ? this.cart.feedback : null;
    const canAdd = phase === 'active' && !!product && !!variant && !this.cart.busy;
    return html`<article part="base" aria-labelledby="title">
      <span part="badge">${BADGES[phase]}</span>
      <h3 part="title" id="title">${product?.title ?? (lookup?.status === 'missing' ? 'Product unavailable' : 'Loading deal')}</h3>
      <p>
        <span part="price">${formatMoney(deal.price)}</span>
        ${compareAt && isHigher(compareAt, deal.price)
          ? html`<s part="compare-at-price"><span class="visually-hidden">was </span>${formatMoney(compareAt)}</s>`
          : nothing}
      </p>
      ${phase === 'upcoming' || phase === 'active'
        ? html`<p part="timer" role="timer" aria-label=${phase === 'upcoming' ? 'Starts in' : 'Ends in'}>
            ${phase === 'upcoming' ? 'Starts in ' : ''}${formatRemaining(remaining)}</p>`
        : nothing}
      ${deal.stock !== undefined && phase !== 'expired' ? html`<p part="stock">${deal.stock} left</p>` : nothing}
      ${deal.limitPerCustomer ? html`<p part="limit">Limit ${deal.limitPerCustomer} per customer</p>` : nothing}
      ${deal.code ? html`<p part="promo">Code: <strong>${deal.code}</strong></p>` : nothing}
      <button part="cta" type="button" ?disabled=${!canAdd} aria-busy=${this.cart.busy ? 'true' : 'false'}
        @click=${() => product && variant && this.addToCart(deal, product, variant)}>
        ${phase === 'sold-out' ? 'Sold out' : phase === 'expired' ? 'Deal ended' : phase === 'upcoming' ? 'Not started'
          : this.cart.busy ? 'Adding…' : html`<slot name="cta">Add to cart</slot>`}
      </button>
      <p part="status" role="status" class=${feedback?.kind ?? ''}>${feedback?.message ?? ''}</p>
    </article>`;
  }

  private now(): number {
    return this.link.show?.clock.now() ?? Date.now();
  }

  /** A deal from attributes, when `ends-at` and a price are set. */
  private fixedDeal(): Deal | null {
    if (!this.endsAt || !this.productId || !this.price || !this.currency) return null;
    return {
      dealId: this.dealId ?? `attributes:${this.productId}`,
      productId: this.productId,
      ...(this.variantId ? {variantId: this.variantId} : {}),
      price: {amount: this.price, currencyCode: this.currency},
      startsAt: this.startsAt ?? new Date(0).toISOString(),
      endsAt: this.endsAt,
      ...(this.stock !== null ? {stock: this.stock} : {}),
      ...(this.limit !== null ? {limitPerCustomer: this.limit} : {}),
    };
  }

  /** What the polite live region says: phase changes and coarse milestones, never every second. */
  private announce(deal: Deal, phase: DealPhase, now: number): string {
    const milestone = phase === 'active' ? milestoneFor(Date.parse(deal.endsAt) - now) : null;
    const last = this.spoken;
    if (last && last.dealId === deal.dealId && last.phase === phase && last.milestone === milestone) return this.announcement;
    this.spoken = {dealId: deal.dealId, phase, milestone};
    if (phase === 'active' && (!last || last.phase !== 'active' || last.dealId !== deal.dealId)) return 'Flash deal started.';
    if (phase === 'active') return milestone ? `${describeMilestone(milestone)} left on the deal.` : this.announcement;
    if (phase === 'upcoming') return 'A flash deal starts soon.';
    return phase === 'sold-out' ? 'The deal is sold out.' : 'The deal has ended.';
  }

  private addToCart(deal: Deal, product: Product, variant: Variant): void {
    if (!this.cart.busy) this.addedDealId = deal.dealId;
    void this.cart.add(
      {productId: product.id, variantId: variant.id, quantity: 1, source: 'countdown-deal', dealId: deal.dealId},
      this.fixedDeal() ?? undefined,
    );
  }
}

/** True when `a` is a higher amount than `b` in the same currency: only then is it a "was" price. */
function isHigher(a: Money, b: Money): boolean {
  return a.currencyCode === b.currencyCode && Number(a.amount) > Number(b.amount);
}
