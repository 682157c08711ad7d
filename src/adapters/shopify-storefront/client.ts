/**
 * Posts Storefront API operations: the endpoint, the public token header and the buyer context
 * (`@inContext` variables) in one place. Queries are reads (retried), mutations never are.
 */
import {postGraphQL} from '../http.js';
import {safeUrl} from '../../page/url.js';
import {AdapterConfigError, checkedUrl} from '../config-error.js';

/** The Storefront API version kolkit's documents are written and validated against. */
export const DEFAULT_API_VERSION = '2026-04';

/** Where and as whom to call the Storefront API. */
export interface StorefrontClientOptions {
  /** `shop.myshopify.com` (or the store's own domain). A scheme or trailing slash is tolerated. */
  storeDomain?: string;
  /** The public Storefront access token (sent as `X-Shopify-Storefront-Access-Token`). */
  storefrontToken?: string;
  /** `YYYY-MM`, default `2026-04`. */
  apiVersion?: string;
  /**
   * A full GraphQL URL overriding `https://{storeDomain}/api/{apiVersion}/graphql.json` (a proxy, a local
   * mock): https, http on loopback (`http://127.0.0.1:9999/graphql`), or on the page's origin.
   */
  endpoint?: string;
  /** ISO 3166 country for `@inContext` (prices, currency, availability of that market). */
  country?: string;
  /** Language for `@inContext` (`FR`, `pt-BR`…). */
  language?: string;
}

/** A Storefront API client for one store. */
export class StorefrontClient {
  /** The GraphQL URL, as configured (checked when made, and again at each call). */
  readonly endpoint: string;
  readonly #headers: Record<string, string>;
  readonly #inContext: {country?: string; language?: string};

  /** Throws an `AdapterConfigError` when there is no usable API address or no token to call it with. */
  constructor(options: StorefrontClientOptions) {
    this.endpoint = endpointOf(options);
    if (!options.endpoint && !options.storefrontToken?.trim()) {
      throw new AdapterConfigError('storefront-token', 'storefrontToken',
        'shopify-storefront: no Storefront API access token: set storefront-token (the public token of the store\'s Headless or custom app).');
    }
    this.#headers = options.storefrontToken ? {'X-Shopify-Storefront-Access-Token': options.storefrontToken} : {};
    this.#inContext = buyerContext(options);
  }

  /**
   * Runs `document` with `variables` (plus the buyer context). Rejects when the call could not run: no
   * usable endpoint, network, HTTP status, or GraphQL errors without data (an invalid document).
   */
  async request<T>(
    document: string,
    variables: Record<string, unknown>,
    options: {read: boolean; signal?: AbortSignal},
  ): Promise<T> {
    options.signal?.throwIfAborted();
    const url = safeUrl(this.endpoint);
    if (!url) {
      throw new Error(
        `shopify-storefront: no usable API address ("${this.endpoint}"): set store-domain, or an https endpoint.`,
      );
    }
    const {data} = await postGraphQL<T>(url, {
      query: document,
      variables: {...variables, ...this.#inContext},
      headers: this.#headers,
    }, options);
    return data;
  }
}

/** The GraphQL URL the options name; throws an `AdapterConfigError` naming the attribute at fault. */
function endpointOf({endpoint, storeDomain, apiVersion}: StorefrontClientOptions): string {
  if (endpoint) return checkedUrl(endpoint, 'endpoint', 'endpoint', 'shopify-storefront: the endpoint');
  const domain = storeDomain?.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '') ?? '';
  if (!domain) {
    throw new AdapterConfigError('store-domain', 'storeDomain',
      'shopify-storefront: no store to call: set store-domain (shop.myshopify.com), or endpoint.');
  }
  // A domain with a path, spaces or credentials is a mistake.
  if (!/^[a-z0-9.-]+(:\d+)?$/i.test(domain)) {
    throw new AdapterConfigError('store-domain', 'storeDomain',
      `shopify-storefront: the store-domain ${JSON.stringify(storeDomain)} is not a domain name (shop.myshopify.com).`);
  }
  return `https://${domain}/api/${encodeURIComponent(apiVersion || DEFAULT_API_VERSION)}/graphql.json`;
}

/**
 * `@inContext` values in the enum spelling Shopify takes (`US`, `PT_BR`). Anything else is left out
 * rather than sent: an unknown enum value would fail every operation.
 */
function buyerContext({country, language}: StorefrontClientOptions): {country?: string; language?: string} {
  const c = country?.trim().toUpperCase();
  const l = language?.trim().toUpperCase().replace('-', '_');
  return {
    ...(c && /^[A-Z]{2}$/.test(c) ? {country: c} : {}),
    ...(l && /^[A-Z]{2,3}(_[A-Z]{2,4})?$/.test(l) ? {language: l} : {}),
  };
}
