/**
 * Adapters chosen by attribute: `<kol-show adapter="memory" products="/catalog.json">`. Each factory
 * reads its own options from the show's attributes (DESIGN.md §5 lists them). Every adapter, the
 * embedded memory one too, is imported when first named, so a page pays only for the backend it uses (the
 * script-tag build keeps each in its own chunk).
 */
import type {CommerceAdapter} from './types.js';
import {checkedUrl} from './config-error.js';

/** Builds an adapter from the attributes of a `<kol-show>`. */
export type AdapterFactory = (show: Element) => CommerceAdapter | Promise<CommerceAdapter>;

const factories: Record<string, AdapterFactory> = {
  memory: async (show) => {
    const checkoutUrl = show.getAttribute('checkout-url') || undefined;
    // Checked here, not only when the cart button is pressed, so a wrong one is reported at once.
    if (checkoutUrl) checkedUrl(checkoutUrl, 'checkout-url', 'checkoutUrl', 'memory: the checkout URL');
    return new (await import('./memory.js')).MemoryAdapter({
      // The show's `products` property, which its attribute sets (a page may set the property alone).
      products: (show as Element & {products?: string | null}).products ?? show.getAttribute('products') ?? [],
      checkoutUrl,
    });
  },
  'shopify-theme': async (show) => (await import('./shopify-theme/index.js')).fromAttributes(show),
  'shopify-storefront': async (show) => (await import('./shopify-storefront/index.js')).fromAttributes(show),
  vendure: async (show) => (await import('./vendure/index.js')).fromAttributes(show),
};

/** The names `adapter="…"` accepts. */
export const ADAPTER_NAMES: readonly string[] = Object.keys(factories);

/**
 * The adapter named `name`, configured from `show`'s attributes, or null for an unknown name. Rejects
 * when the adapter's code cannot be loaded, and with an `AdapterConfigError` (naming the attribute) when
 * the attributes configure it wrongly.
 */
export async function createAdapter(name: string, show: Element): Promise<CommerceAdapter | null> {
  return Object.hasOwn(factories, name) ? factories[name](show) : null;
}
