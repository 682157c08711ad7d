/**
 * Adapters chosen by attribute: `<kol-show adapter="memory" products="/catalog.json">`. Each factory
 * reads its own options from the show's attributes (DESIGN.md §5 lists them).
 */
import type {CommerceAdapter} from './types.js';
import {MemoryAdapter} from './memory.js';

/** Builds an adapter from the attributes of a `<kol-show>`. */
export type AdapterFactory = (show: Element) => CommerceAdapter;

const factories: Record<string, AdapterFactory> = {
  memory: (show) => new MemoryAdapter({
    products: show.getAttribute('products') ?? [],
    checkoutUrl: show.getAttribute('checkout-url') ?? undefined,
  }),
};

/** The adapter named `name`, configured from `show`'s attributes, or null for an unknown name. */
export function createAdapter(name: string, show: Element): CommerceAdapter | null {
  return Object.hasOwn(factories, name) ? factories[name](show) : null;
}
