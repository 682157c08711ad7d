/**
 * One line on each attribute a built-in adapter reads, by adapter, for the docs only: the custom elements
 * manifest config adds them to `<kol-show>`'s attributes (prefixed with the adapters' names), and
 * scripts/docs.mjs writes the table in docs/adapters.md from them. Nothing the build bundles imports this
 * module, so the script-tag build carries the names (registry.ts) but not these lines. The type holds it to
 * the registry: a line for every attribute an entry lists, and for no other.
 */
import type {AdapterAttribute, AdapterName} from './registry.js';

/** What each adapter's attributes mean: a lower-case phrase, read after "`<adapter>`: ". */
export const ADAPTER_ATTRIBUTE_DOCS = {
  memory: {
    products: 'the catalog: a URL answering a JSON array of products (or `{products: [...]}`).',
    'checkout-url': "where opening the cart goes (the cart's checkout URL).",
  },
  'shopify-theme': {
    root: "the shop's root (default `Shopify.routes.root`, else `/`).",
    'cart-sections': "the theme sections re-rendered after kolkit changes the cart, by id (default `cart-icon-bubble`; blank for none).",
  },
  'shopify-storefront': {
    'store-domain': "the shop's domain (`shop.myshopify.com`).",
    'storefront-token': 'the public Storefront API access token.',
    'api-version': 'the Storefront API version (default `2026-04`).',
    endpoint: 'a full GraphQL URL (a proxy), instead of the one made from `store-domain`.',
    country: "the buyer's country for `@inContext` (ISO 3166, e.g. `FR`).",
    language: "the buyer's language for `@inContext` (e.g. `FR`).",
  },
  vendure: {
    'api-url': 'the Shop API URL (default `/shop-api`).',
    'channel-token': 'the channel token (`vendure-token` header).',
    session: '`cookie` (default) or `bearer`.',
    'line-attributes-field': "the OrderLine custom field that stores kolkit's line attributes.",
    'checkout-url': "where opening the cart goes (the cart's checkout URL).",
  },
} as const satisfies {[N in AdapterName]: Record<AdapterAttribute<N>, string>};
