/**
 * The `vendure` adapter: products and the active order through Vendure's Shop API (GraphQL).
 *
 * Vendure answers business refusals as typed union members (`InsufficientStockError`, `OrderLimitError`, …)
 * and an unknown variant as a GraphQL error: both become userErrors with the cart as it is. A refused-in-
 * part add (less stock than asked) keeps what Vendure added and says so. A deal's coupon code is applied
 * after the add; a code that is refused, or cannot be sent, is a `deal-code-not-applied` userError and the
 * add stays. A deal's per-customer limit is checked against the order before the add is sent.
 */
import type {AddToCartInput, Cart, CartMutationResult, CommerceAdapter, Product, RequestOptions, UserError} from '../types.js';
import {HttpError, postGraphQL} from '../http.js';
import {isGraphQLName, vendureDocuments, type VendureDocuments} from './documents.js';
import {
  emptyCart, isOrder, isOrderResult, serializeAttributes, toCart, toProduct, toUserError,
  type MappingOptions, type VendureOrder, type VendureProduct,
} from './mapping.js';
import {SESSION_MODES, VendureSession, type ConsentSignal, type VendureSessionMode} from './session.js';
import {dealLimitRefusal} from '../deal-limit.js';
import {AdapterConfigError, checkedUrl} from '../config-error.js';
import {consentOf} from '../consent.js';
import type {AdapterAttribute} from '../registry.js';

/** Options of `VendureAdapter`. */
export interface VendureAdapterOptions {
  /**
   * The Shop API URL, e.g. `https://shop.example/shop-api` (default `/shop-api` on the page's origin):
   * https, http on loopback (a local Vendure), or on the page's origin.
   */
  apiUrl?: string;
  /** The channel's token, sent as the `vendure-token` header; absent: the default channel. */
  channelToken?: string;
  /**
   * `cookie` (default): the browser keeps the session (same-origin API, or CORS with credentials).
   * `bearer`: the `vendure-auth-token` answer header, sent back as `Authorization: Bearer`; Vendure's
   * `authOptions.tokenMethod` must include `'bearer'`, and a cross-origin API must expose that header.
   */
  session?: VendureSessionMode;
  /**
   * Lets a bearer token be kept in sessionStorage (the cart survives a reload) while `allowed()`; stored
   * when consent arrives, removed when it is withdrawn. Without it, memory only. `consentOf(show)` follows
   * a show's `consent` attribute.
   */
  consent?: ConsentSignal;
  /**
   * The OrderLine custom field the merchant configured for kolkit's line attributes (show, deal, host ids),
   * stored as JSON with sorted keys. Without it, attributes are not sent. In the Vendure config:
   * `customFields: {OrderLine: [{name: 'kolAttributes', type: 'text', public: true, nullable: true}]}`
   * (`type: 'string'` holds 255 characters). Vendure keeps adds with different attributes on separate lines.
   */
  lineAttributesField?: string;
  /** Decimal places of Vendure's integer prices: 2 unless the store has its own MoneyStrategy. */
  moneyPrecision?: number;
  /** The store's checkout page, given as each cart's `checkoutUrl`: https, http on loopback, or same-origin. */
  checkoutUrl?: string;
}

type ErrorResult = {errorCode: string; message: string};

/** GraphQL error codes that mean "no such thing here", and the userError they become. */
interface NotFound {
  codes: readonly string[];
  error: UserError;
}

/** An unknown variant (ENTITY_NOT_FOUND), or one the channel does not sell (FORBIDDEN). */
const VARIANT_NOT_FOUND: NotFound = {
  codes: ['ENTITY_NOT_FOUND', 'FORBIDDEN'],
  error: {code: 'invalid-variant', message: 'This product option is no longer available.'},
};

/** A line that is not in the order (USER_INPUT_ERROR "This order does not contain an OrderLine…"). */
const LINE_NOT_FOUND: NotFound = {
  codes: ['USER_INPUT_ERROR', 'ENTITY_NOT_FOUND'],
  error: {code: 'invalid-line', message: 'This cart line no longer exists.'},
};

/** A commerce adapter for a Vendure Shop API. */
export class VendureAdapter implements CommerceAdapter {
  readonly name = 'vendure';
  /** `vendure:<api URL>#<channel token>`: shows on one API and channel share one cart. */
  readonly cartScope: string;
  readonly #apiUrl: string;
  readonly #session: VendureSession;
  /** Rebuilt without the line attributes field when the store turns out not to have it. */
  #documents: VendureDocuments;
  #mapping: MappingOptions;

  readonly #options: VendureAdapterOptions;

  /** Throws an `AdapterConfigError` for an API URL, session mode or checkout URL kolkit cannot use. */
  constructor(options: VendureAdapterOptions = {}) {
    this.#options = options;
    this.#apiUrl = apiUrlOf(options.apiUrl);
    const mode = options.session ?? 'cookie';
    if (!SESSION_MODES.includes(mode)) {
      throw new AdapterConfigError('session', 'session', `vendure: the session ${JSON.stringify(mode)} is neither "cookie" nor "bearer".`);
    }
    if (options.checkoutUrl) checkedUrl(options.checkoutUrl, 'checkout-url', 'checkoutUrl', 'vendure: the checkout URL');
    this.cartScope = `vendure:${this.#apiUrl}#${options.channelToken ?? ''}`;
    this.#session = new VendureSession(mode, `kolkit:${this.cartScope}`, options.consent);
    let field = options.lineAttributesField;
    if (field && !isGraphQLName(field)) {
      console.warn(`[kolkit] vendure: "${field}" is not a GraphQL field name; line attributes are not sent.`);
      field = undefined;
    }
    this.#documents = vendureDocuments(field);
    this.#mapping = {moneyPrecision: options.moneyPrecision ?? 2, lineAttributesField: field, checkoutUrl: options.checkoutUrl};
  }

  /** Products by Vendure id, in the order asked; unknown and disabled ones are left out. */
  async getProducts(ids: readonly string[], options?: RequestOptions): Promise<Product[]> {
    options?.signal?.throwIfAborted();
    const found = new Map<string, Product>();
    const unique = [...new Set(ids)];
    // The Shop API answers at most 100 items a page (its shopListQueryLimit).
    for (let start = 0; start < unique.length; start += 100) {
      const page = unique.slice(start, start + 100);
      const data = await this.#query<{products?: {items?: VendureProduct[]} | null}>(
        'products', {ids: page, take: page.length}, true, options,
      );
      const items = data.products?.items;
      if (!Array.isArray(items)) throw new HttpError(200, 'The store API answered products without a list of items.', data);
      for (const product of items) {
        if (!Array.isArray(product?.variants)) throw new HttpError(200, `The store API answered product ${product?.id} without variants.`, product);
        found.set(product.id, toProduct(product, this.#mapping));
      }
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** The active order as a cart, or null when the shopper has none. */
  async getCart(options?: RequestOptions): Promise<Cart | null> {
    const {activeOrder} = await this.#readActiveOrder(options);
    return activeOrder && toCart(activeOrder, this.#mapping);
  }

  /**
   * Adds a line (Vendure's `addItemToOrder`), then applies the deal's coupon code if it has one. A deal's
   * per-customer limit is checked against the order first (Vendure knows nothing of kolkit's deals); the
   * line carries the deal's id as `_kol_deal`, like on every adapter.
   */
  async addToCart(input: AddToCartInput, options?: RequestOptions): Promise<CartMutationResult> {
    options?.signal?.throwIfAborted();
    if (!Number.isInteger(input.quantity) || input.quantity < 1) {
      return this.#refused([{code: 'invalid-quantity', message: 'The quantity must be a whole number of at least 1.'}], options);
    }
    if (input.deal?.limitPerCustomer !== undefined) {
      const {activeOrder, activeChannel} = await this.#readActiveOrder(options);
      const cart = activeOrder ? toCart(activeOrder, this.#mapping) : emptyCart(activeChannel.defaultCurrencyCode, this.#mapping);
      // Without the attributes field no line says which deal it was added under (deal-limit.ts).
      const refusal = dealLimitRefusal(cart.lines, input, this.#mapping.lineAttributesField !== undefined);
      if (refusal) return {cart, userErrors: [refusal]};
    }
    const field = this.#mapping.lineAttributesField;
    const attributes = {...input.attributes, ...(input.deal ? {_kol_deal: input.deal.id} : {})};
    const variables: Record<string, unknown> = {variantId: input.variantId, quantity: input.quantity};
    if (field && Object.keys(attributes).length) {
      variables.customFields = {[field]: serializeAttributes(attributes)};
    }
    const added = await this.#mutate('addItemToOrder', 'addItem', variables, options, VARIANT_NOT_FOUND);
    const code = input.deal?.code;
    const addedSome = added.cart.lines.some((l) => l.variantId === input.variantId);
    if (!code || !addedSome || added.userErrors.some((e) => e.code !== 'out-of-stock')) return added;
    return this.#applyCoupon(code, added, options);
  }

  /** Sets a line's quantity (`adjustOrderLine`), or removes it at 0 (`removeOrderLine`). */
  async updateLine(lineId: string, quantity: number, options?: RequestOptions): Promise<CartMutationResult> {
    options?.signal?.throwIfAborted();
    if (!Number.isInteger(quantity) || quantity < 0) {
      return this.#refused([{code: 'invalid-quantity', message: 'The quantity must be a whole number.'}], options);
    }
    return quantity === 0
      ? this.#mutate('removeOrderLine', 'removeLine', {lineId}, options, LINE_NOT_FOUND)
      : this.#mutate('adjustOrderLine', 'adjustLine', {lineId, quantity}, options, LINE_NOT_FOUND);
  }

  /** Stops listening to the consent signal. */
  dispose(): void {
    this.#session.dispose();
  }

  /**
   * Applies a deal's coupon code to the order the add made. Whatever goes wrong here (a refusal, the network,
   * the caller's abort) the add has happened: the answer is its cart with a `deal-code-not-applied`
   * userError, never a rejection that would invite a second add.
   */
  async #applyCoupon(code: string, added: CartMutationResult, options?: RequestOptions): Promise<CartMutationResult> {
    const notApplied = (message: string): CartMutationResult =>
      ({cart: added.cart, userErrors: [...added.userErrors, {code: 'deal-code-not-applied', message}]});
    let answer: unknown;
    try {
      answer = (await this.#query<{applyCouponCode?: unknown}>('applyCoupon', {code}, false, options)).applyCouponCode;
    } catch (error) {
      return notApplied(`The code ${code} could not be applied: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (isOrder(answer)) return {cart: toCart(answer, this.#mapping), userErrors: added.userErrors};
    // An ErrorResult (expired, unknown, used up…): Vendure's message says which, and names the code.
    return notApplied(isOrderResult(answer) && 'message' in answer ? answer.message : `The code ${code} could not be applied.`);
  }

  /**
   * Runs a cart mutation and reads its union answer. `notFound` turns the GraphQL error Vendure throws for
   * a variant or line that does not exist (rather than answering an ErrorResult) into a userError.
   */
  async #mutate(
    field: string, document: keyof VendureDocuments, variables: Record<string, unknown>, options?: RequestOptions, notFound?: NotFound,
  ): Promise<CartMutationResult> {
    let answer: unknown;
    try {
      answer = (await this.#query<Record<string, unknown>>(document, variables, false, options))[field];
    } catch (error) {
      if (!notFound || !graphQLCodes(error).some((code) => notFound.codes.includes(code))) throw error;
      return this.#refused([notFound.error], options);
    }
    if (!isOrderResult(answer)) throw new HttpError(200, `The store API answered ${field} without an order or an error.`, answer);
    if (isOrder(answer)) return {cart: toCart(answer, this.#mapping), userErrors: []};
    const refusal = answer as ErrorResult & {order?: unknown};
    // An InsufficientStockError carries the order as Vendure left it (with what stock allowed).
    if (isOrder(refusal.order)) return {cart: toCart(refusal.order, this.#mapping), userErrors: [toUserError(refusal)]};
    return this.#refused([toUserError(refusal)], options);
  }

  /** A refusal with the cart as it is now (re-read: the refusal itself does not carry it). */
  async #refused(userErrors: UserError[], options?: RequestOptions): Promise<CartMutationResult> {
    const {activeOrder, activeChannel} = await this.#readActiveOrder(options);
    const cart = activeOrder ? toCart(activeOrder, this.#mapping) : emptyCart(activeChannel.defaultCurrencyCode, this.#mapping);
    return {cart, userErrors};
  }

  async #readActiveOrder(options?: RequestOptions): Promise<{activeOrder: VendureOrder | null; activeChannel: {defaultCurrencyCode: string}}> {
    const data = await this.#query<{activeOrder?: unknown; activeChannel?: {defaultCurrencyCode?: unknown} | null}>('activeOrder', {}, true, options);
    const {activeOrder, activeChannel} = data;
    if ((activeOrder !== null && !isOrder(activeOrder)) || typeof activeChannel?.defaultCurrencyCode !== 'string') {
      throw new HttpError(200, 'The store API answered the active order in a shape kolkit does not know.', data);
    }
    return {activeOrder, activeChannel: {defaultCurrencyCode: activeChannel.defaultCurrencyCode}};
  }

  /**
   * Posts one of the adapter's operations with the channel and the session; reads are retried, mutations
   * never. A store without the configured line attributes field rejects every cart document before running
   * it: kolkit then warns, carries on without attributes, and sends the operation again (it did not run).
   */
  async #query<T>(name: keyof VendureDocuments, variables: Record<string, unknown>, read: boolean, options?: RequestOptions): Promise<T> {
    try {
      return await this.#post<T>(this.#documents[name], variables, read, options);
    } catch (error) {
      const field = this.#mapping.lineAttributesField;
      if (!field || !lacksField(error, field)) throw error;
      console.warn(`[kolkit] vendure: the Shop API has no OrderLine custom field "${field}"; line attributes are not sent.`, (error as Error).message);
      this.#documents = vendureDocuments();
      this.#mapping = {...this.#mapping, lineAttributesField: undefined};
      const {customFields: _dropped, ...rest} = variables;
      return this.#post<T>(this.#documents[name], rest, read, options);
    }
  }

  async #post<T>(query: string, variables: Record<string, unknown>, read: boolean, options?: RequestOptions): Promise<T> {
    const {headers, credentials} = this.#session.request();
    if (this.#options.channelToken) headers['vendure-token'] = this.#options.channelToken;
    const {data, response} = await postGraphQL<T>(
      this.#apiUrl, {query, variables, headers, credentials}, {read, signal: options?.signal},
    );
    this.#session.remember(response);
    return data;
  }
}

/**
 * The Shop API URL as an absolute URL, so a relative and an absolute URL of one API name one cart (no page
 * base during SSR). Throws an `AdapterConfigError` for one that is not a URL or that kolkit will not call.
 */
function apiUrlOf(raw: string | undefined): string {
  let url: string;
  try {
    url = new URL(raw || '/shop-api', globalThis.location?.href).href;
  } catch {
    throw new AdapterConfigError('api-url', 'apiUrl', `vendure: the api-url ${JSON.stringify(raw)} is not a URL.`);
  }
  return checkedUrl(url, 'api-url', 'apiUrl', 'vendure: the Shop API URL');
}

/**
 * True when `error` is GraphQL's refusal of a document or its variables because of the line attributes
 * field (not in the schema, not public, or no OrderLine custom fields at all): nothing ran.
 */
function lacksField(error: unknown, field: string): boolean {
  if (!(error instanceof HttpError)) return false;
  const errors = (error.body as {errors?: Array<{message?: unknown; extensions?: {code?: unknown}}>} | undefined)?.errors;
  return Array.isArray(errors) && errors.some((e) =>
    (e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' || e.extensions?.code === 'BAD_USER_INPUT')
    && typeof e.message === 'string' && (e.message.includes(`"${field}"`) || /customFields|CustomFieldsInput/.test(e.message)));
}

/** The `extensions.code` of each GraphQL error a failed operation answered (none for a network error). */
function graphQLCodes(error: unknown): string[] {
  if (!(error instanceof HttpError)) return [];
  const errors = (error.body as {errors?: Array<{extensions?: {code?: unknown}}>} | undefined)?.errors;
  return Array.isArray(errors) ? errors.map((e) => String(e.extensions?.code)) : [];
}

/**
 * A `VendureAdapter` configured from a `<kol-show>`'s attributes: those its registry entry lists
 * (registry.ts), and `consent` (the show's switch: a bearer token is kept in sessionStorage only once it is
 * `granted`). Throws an `AdapterConfigError` naming the attribute at fault.
 */
export function fromAttributes(show: Element): VendureAdapter {
  const attribute = (name: AdapterAttribute<'vendure'>) => show.getAttribute(name) || undefined;
  return new VendureAdapter({
    apiUrl: attribute('api-url'),
    channelToken: attribute('channel-token'),
    session: attribute('session') as VendureSessionMode | undefined,
    consent: consentOf(show),
    lineAttributesField: attribute('line-attributes-field'),
    checkoutUrl: attribute('checkout-url'),
  });
}
