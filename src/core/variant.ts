/** Which variant of a product an element offers. */
import type {Product, Variant} from '../adapters/types.js';

/**
 * The first of `preferredIds` the product has (the shopper's choice, the host's pick…), else its first
 * available variant, else its first variant.
 */
export function pickVariant(product: Product, ...preferredIds: Array<string | null | undefined>): Variant {
  for (const id of preferredIds) {
    const variant = id ? product.variants.find((v) => v.id === id) : undefined;
    if (variant) return variant;
  }
  return product.variants.find((v) => v.available) ?? product.variants[0];
}

/** Ids as a backend may spell them two ways: `123` and `gid://shopify/ProductVariant/123`. */
export function sameVariant(a: string, b: string): boolean {
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}
