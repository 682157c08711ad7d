/** The `shopify-theme` adapter: kolkit inside a Shopify theme, on the shop's own cart (DESIGN.md §5). */
export {ShopifyThemeAdapter, fromAttributes, type ShopifyThemeAdapterOptions} from './adapter.js';
export type {ShopifyActions, StandardCart, StandardCartLine, UpdateCartLine, UpdateCartResult} from './shopify-types.js';
export type {CartSection} from './section-refresh.js';
