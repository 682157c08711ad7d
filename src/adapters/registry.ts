/**
 * Adapters chosen by attribute: `<kol-show adapter="memory" products="/catalog.json">`. Each factory
 * reads its own options from the show's attributes (DESIGN.md §5 lists them). Every adapter but the
 * embedded memory one is imported when first named, so a page pays only for the backend it uses (the
 * script-tag build keeps each in its own chunk).
 */
import type {CommerceAdapter} from './types.js';
import {MemoryAdapter} from './memory.js';

/** Builds an adapter from the attributes of a `<kol-show>`. */
export type AdapterFactory = (show: Element) => CommerceAdapter | Promise<CommerceAdapter>;

const factories: Record<string, AdapterFactory> = {
  memory: (show) => new MemoryAdapter({
    products: show.getAttribute('products') ?? [],
    checkoutUrl: show.getAttribute('checkout-url') ?? undefined,
  }),
};

/** The names `adapter="…"` accepts. */
export const ADAPTER_NAMES: readonly string[] = Object.keys(factories);

/**
 * The adapter named `name`, configured from `show`'s attributes, or null for an unknown name. Rejects
 * when the adapter's code cannot be loaded.
 */
export async function createAdapter(name: string, show: Element): Promise<CommerceAdapter | null> {
  return Object.hasOwn(factories, name) ? factories[name](show) : null;
}
