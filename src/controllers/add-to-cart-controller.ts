/**
 * The add-to-cart flow shared by the cards that add (pin, deal, chat mentions, auction win, team price):
 * dispatch the cancelable request, then (unless the page took it over) add through the show, one add in
 * flight at a time, keep the outcome for the element to show and announce, and announce an add that went in
 * once (`kol-add-to-cart`, and the analytics bridges after consent: page/analytics-bridge.ts).
 */
import {msg, str} from '@lit/localize';
import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {Product, Variant} from '../adapters/types.js';
import {
  KolAddToCartEvent, KolAddToCartRequestEvent, KolErrorEvent, type AddToCartDetail, type AddToCartOrigin, type AddToCartRequestDetail,
} from '../elements/events.js';
import type {AddToCartOutcome, AddedLine, CardShowHandle} from '../elements/show-handle.js';
import type {Deal} from '../core/schema.js';
import {reportAddToCart} from '../page/analytics-bridge.js';

/** Where an add is made from, and the product and variant it adds: what `kol-add-to-cart` names. */
export interface AddSource {
  source: AddToCartOrigin;
  /** The pin's product id, the deal's, auction's or group's id, or the chat message's id. */
  sourceId: string;
  product: Product;
  variant: Variant;
}

/** What the shopper is told after an add. */
export interface AddFeedback {
  kind: 'added' | 'refused' | 'failed';
  message: string;
}

/** How long a confirmation stays; a refusal stays until the next try so it can be read. */
const ADDED_MESSAGE_MS = 5000;

/** Runs adds for one element and holds `busy` and the last feedback. */
export class AddToCartController implements ReactiveController {
  /** True while an add is in flight: the button is disabled, so a double click cannot add twice. */
  busy = false;
  /** The outcome of the last add, shown next to the button and announced politely. */
  feedback: AddFeedback | null = null;
  #clearTimer?: ReturnType<typeof setTimeout>;

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #show: () => CardShowHandle | null;

  constructor(host: ReactiveControllerHost & HTMLElement, show: () => CardShowHandle | null) {
    this.#host = host;
    this.#show = show;
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.#clearTimer);
  }

  /**
   * Asks to add; returns when the add is done, taken over by the page, or refused. The page's listeners see
   * a frozen copy of `detail`; the add runs on kolkit's own copy, taken before they run. Answers the add's
   * outcome, or null when nothing was added here (an add already in flight, or the page took it over).
   */
  async add(detail: AddToCartRequestDetail, from: AddSource, fixedDeal?: Deal): Promise<AddToCartOutcome | null> {
    if (this.busy) return null;
    const own: AddToCartRequestDetail = {...detail};
    const request = new KolAddToCartRequestEvent(own);
    this.#host.dispatchEvent(request);
    if (request.defaultPrevented) return null;
    const show = this.#show();
    if (!show) {
      const message = 'No <kol-show> to add to cart through.';
      this.#finish({kind: 'failed', message: msg('This product cannot be added here.', {id: 'cart.add.no-show'})});
      this.#host.dispatchEvent(new KolErrorEvent({code: 'no-show', message}));
      return {status: 'failed', code: 'no-show', message};
    }
    this.busy = true;
    this.feedback = null;
    this.#host.requestUpdate();
    const outcome = await show.addToCart(own, fixedDeal);
    this.busy = false;
    if (outcome.status === 'added') {
      this.#announceAdded(show, added(from, outcome.line));
      // A notice (fewer than asked, a code that did not apply) stays until the next try, like a refusal.
      const notes = outcome.notices.map((e) => e.message).join(' ');
      this.#finish({kind: 'added', message: notes ? msg(str`Added to cart. ${notes}`, {id: 'cart.added.notes', desc: "After it: the store's own notes, as it wrote them."}) : msg('Added to cart', {id: 'cart.added'})}, !!notes);
    } else if (outcome.status === 'refused') {
      const message = outcome.userErrors.map((e) => e.message).join(' ');
      this.#finish({kind: 'refused', message});
      this.#host.dispatchEvent(new KolErrorEvent({code: 'cart-add-refused', message, cause: outcome.userErrors}));
    } else {
      // Unconfirmed: the add may have happened, so "try again" could add it twice.
      const message = outcome.code === 'cart-add-unconfirmed'
        ? msg('We could not confirm the add. Please check your cart.', {id: 'cart.add.unconfirmed'})
        : msg('Could not add to cart. Please try again.', {id: 'cart.add.failed'});
      this.#finish({kind: 'failed', message});
      this.#host.dispatchEvent(new KolErrorEvent({code: outcome.code, message: outcome.message}));
    }
    return outcome;
  }

  /**
   * Tells the page an add went in: `kol-add-to-cart` from the element (and from the show too when the element
   * is in another document, e.g. a Picture-in-Picture window, so a listener on the page's document hears it),
   * and the analytics bridges, which pass it on only with the show's consent.
   */
  #announceAdded(show: CardShowHandle, detail: AddToCartDetail): void {
    this.#host.dispatchEvent(new KolAddToCartEvent(detail));
    if (this.#host.ownerDocument !== show.ownerDocument) show.dispatchEvent(new KolAddToCartEvent(detail));
    reportAddToCart(detail, show.consent === 'granted');
  }

  #finish(feedback: AddFeedback, keep = false): void {
    clearTimeout(this.#clearTimer);
    this.feedback = feedback;
    if (feedback.kind === 'added' && !keep) {
      this.#clearTimer = setTimeout(() => {
        this.feedback = null;
        this.#host.requestUpdate();
      }, ADDED_MESSAGE_MS);
    }
    this.#host.requestUpdate();
  }
}

/** The conversion of an add that went in: where from, what, how many, at which price, credited to whom. */
function added(from: AddSource, line: AddedLine): AddToCartDetail {
  return {
    source: from.source,
    sourceId: from.sourceId,
    productId: from.product.id,
    productTitle: from.product.title,
    variantId: from.variant.id,
    variantTitle: from.variant.title,
    quantity: line.quantity,
    price: line.deal?.price ?? from.variant.price,
    ...(line.deal ? {dealId: line.deal.id} : {}),
    showId: line.showId,
    kolRef: line.kolRef,
  };
}
