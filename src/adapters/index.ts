/**
 * Commerce adapters (DESIGN.md §5): `import {MemoryAdapter, ShopifyThemeAdapter} from 'kolkit/adapters'`.
 * Each adapter's `fromAttributes` is what `<kol-show adapter="…">` uses; it is exported under the adapter's
 * name for pages that build one from their own element.
 */
export {MemoryAdapter, type MemoryAdapterOptions} from './memory.js';
export {
  ShopifyThemeAdapter, fromAttributes as shopifyThemeFromAttributes, type ShopifyThemeAdapterOptions,
  type ShopifyActions, type StandardCart, type StandardCartLine, type UpdateCartLine, type UpdateCartResult, type CartSection,
} from './shopify-theme/index.js';
export {
  ShopifyStorefrontAdapter, fromAttributes as shopifyStorefrontFromAttributes,
  DEFAULT_API_VERSION as SHOPIFY_STOREFRONT_API_VERSION, type ShopifyStorefrontOptions, type StorefrontClientOptions,
} from './shopify-storefront/index.js';
export {
  VendureAdapter, fromAttributes as vendureFromAttributes, type VendureAdapterOptions, type VendureSessionMode,
} from './vendure/index.js';
export {consentOf, type ConsentSignal} from './consent.js';
export {AdapterConfigError} from './config-error.js';
export {createAdapter, ADAPTER_NAMES, type AdapterFactory} from './registry.js';
export type * from './types.js';
