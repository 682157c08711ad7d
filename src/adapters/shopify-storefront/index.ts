/** The shopify-storefront adapter (DESIGN.md §5): Shopify's Storefront API, for headless stores. */
export {ShopifyStorefrontAdapter, fromAttributes, type ShopifyStorefrontOptions} from './adapter.js';
export {DEFAULT_API_VERSION, type StorefrontClientOptions} from './client.js';
export type {ConsentSignal} from './cart-id-store.js';
