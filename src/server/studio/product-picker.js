// The product and variant fields the panels that sell something share (deals, auctions): a select from the
// catalog (with each variant's price), or a typed product id without one.
import {el, priceOf} from './dom.js';

/**
 * `{product, variant}`: the `productId` field (a select of the catalog, or a text input) and the `variantId`
 * select, refilled when the product changes ('' is "any variant").
 */
export function productPicker(studio) {
  const product = studio.products.length
    ? el('select', {name: 'productId', required: true}, ...studio.products.map((p) => el('option', {value: p.id, textContent: p.title ?? p.id})))
    : el('input', {name: 'productId', required: true, placeholder: 'product id'});
  const variant = el('select', {name: 'variantId'});
  const fillVariants = () => {
    const variants = studio.catalog.get(product.value)?.variants ?? [];
    variant.replaceChildren(el('option', {value: '', textContent: 'Any variant'}), ...variants.map((v) => el('option', {value: v.id, textContent: `${v.title} (${priceOf(v.price)})`})));
  };
  product.addEventListener('change', fillVariants);
  fillVariants();
  return {product, variant};
}
