/**
 * Adapters chosen by attribute: `<kol-show adapter="memory" products="/catalog.json">`. Each entry lists
 * the show attributes its adapter reads, the one list of them: the show observes them, and the docs
 * (custom-elements.json, docs/adapters.md) describe them from it, with the lines in `registry-docs.ts`
 * (kept out of the bundles). Every adapter, the embedded memory one too, is imported when first named, so a
 * page pays only for the backend it uses (the script-tag build keeps each in its own chunk).
 */
import type {CommerceAdapter} from './types.js';
import {checkedUrl} from './config-error.js';

/** Builds an adapter from the attributes of a `<kol-show>`. */
export type AdapterFactory = (show: Element) => CommerceAdapter | Promise<CommerceAdapter>;

/** One built-in adapter: the show attributes it reads, and how it is made from them. */
interface AdapterEntry {
  /** Every attribute `create` reads (not `consent`, the show's own switch): changing one remakes the adapter. */
  readonly attributes: readonly string[];
  readonly create: AdapterFactory;
}

const adapters = {
  memory: {
    attributes: ['products', 'checkout-url'],
    create: async (show) => {
      const checkoutUrl = show.getAttribute('checkout-url') || undefined;
      // Checked here, not only when the cart button is pressed, so a wrong one is reported at once.
      if (checkoutUrl) checkedUrl(checkoutUrl, 'checkout-url', 'checkoutUrl', 'memory: the checkout URL');
      return new (await import('./memory.js')).MemoryAdapter({
        // The show's `products` property, which its attribute sets (a page may set the property alone).
        products: (show as Element & {products?: string | null}).products ?? show.getAttribute('products') ?? [],
        checkoutUrl,
      });
    },
  },
  'shopify-theme': {
    attributes: ['root', 'cart-sections'],
    create: async (show) => (await import('./shopify-theme/index.js')).fromAttributes(show),
  },
  'shopify-storefront': {
    attributes: ['store-domain', 'storefront-token', 'api-version', 'endpoint', 'country', 'language'],
    create: async (show) => (await import('./shopify-storefront/index.js')).fromAttributes(show),
  },
  vendure: {
    attributes: ['api-url', 'channel-token', 'session', 'line-attributes-field', 'checkout-url'],
    create: async (show) => (await import('./vendure/index.js')).fromAttributes(show),
  },
} as const satisfies Record<string, AdapterEntry>;

/** A built-in adapter's name. */
export type AdapterName = keyof typeof adapters;
/** The attributes the adapter `N` reads: its `fromAttributes` names them with this type, so it reads no other. */
export type AdapterAttribute<N extends AdapterName> = (typeof adapters)[N]['attributes'][number];

/** The names `adapter="…"` accepts. */
export const ADAPTER_NAMES: readonly string[] = Object.keys(adapters);

/** Every attribute a built-in adapter reads, once each: changing one remakes an adapter made by attribute. */
export const ADAPTER_OPTION_ATTRIBUTES: readonly string[] = [
  ...new Set(Object.values(adapters).flatMap((entry): readonly string[] => entry.attributes)),
];

/**
 * The adapter named `name`, configured from `show`'s attributes, or null for an unknown name. Rejects
 * when the adapter's code cannot be loaded, and with an `AdapterConfigError` (naming the attribute) when
 * the attributes configure it wrongly.
 */
export async function createAdapter(name: string, show: Element): Promise<CommerceAdapter | null> {
  return Object.hasOwn(adapters, name) ? adapters[name as AdapterName].create(show) : null;
}
