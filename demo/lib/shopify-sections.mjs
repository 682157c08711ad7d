/**
 * The sections the local store renders for Shopify's Section Rendering API
 * (https://shopify.dev/docs/api/section-rendering-api), in the shape a Dawn-like theme's are: each one's HTML
 * inside the `<div id="shopify-section-<id>" class="shopify-section">` wrapper Shopify gives every section.
 * They are the fixture's own markup (demo/shopify-theme/dawn/ renders the same elements on the page):
 *
 *   cart-icon-bubble  the header's cart icon, with a count bubble when the cart is not empty (what
 *                     Dawn-like themes swap into `#cart-icon-bubble`)
 *   cart-drawer       the drawer: `#CartDrawer` holding `<cart-drawer-items>` (the lines) and the footer
 *
 * A section the store does not have renders as null, as Shopify answers for a section the theme lacks.
 */

/** The sections a request may name at once (Shopify's limit). */
export const MAX_SECTIONS = 5;

/** The section renderers, by id: each takes the cart as cart.js answers it. */
const SECTIONS = {
  'cart-icon-bubble': (cart) => {
    const count = cart.item_count;
    const bubble = count === 0 ? '' :
      `<div class="cart-count-bubble"><span aria-hidden="true">${count}</span>` +
      `<span class="visually-hidden">${count} ${count === 1 ? 'item' : 'items'}</span></div>`;
    return `<span class="cart-icon" aria-hidden="true"></span><span class="visually-hidden">Cart</span>${bubble}`;
  },
  'cart-drawer': (cart, {cartUrl, money}) => {
    const empty = cart.items.length === 0;
    const lines = cart.items.map((item) =>
      `<li class="cart-item" data-key="${escapeHtml(item.key)}"><span class="cart-item__name">${escapeHtml(item.title)}</span>` +
      ` <span class="cart-item__quantity">× ${item.quantity}</span> <span class="cart-item__price">${money(item.final_line_price)}</span></li>`).join('');
    return `<div id="CartDrawer" class="cart-drawer${empty ? ' is-empty' : ''}">` +
      '<h2 class="drawer__heading">Your cart</h2>' +
      '<button type="button" class="drawer__close">Close</button>' +
      `<cart-drawer-items${empty ? ' class="is-empty"' : ''}>` +
      (empty ? '<p class="drawer__inner-empty">Your cart is empty</p>' : `<ul class="cart-items">${lines}</ul>`) +
      '</cart-drawer-items>' +
      `<div class="cart-drawer__footer"><p class="totals">Subtotal <span class="totals__total-value">${money(cart.total_price)}</span></p>` +
      `<a class="button" href="${escapeHtml(cartUrl)}">Check out</a></div></div>`;
  },
};

/**
 * Renders the named sections for `cart` (a cart.js answer): `{id: html | null}`, in the order named.
 * @param {string[]} ids
 * @param {any} cart
 * @param {{cartUrl: string, money: (cents: number) => string}} context
 */
export function renderSections(ids, cart, context) {
  return Object.fromEntries(ids.map((id) => [id, renderSection(id, cart, context)]));
}

/** One section's HTML in Shopify's wrapper, or null for a section the store does not have. */
export function renderSection(id, cart, context) {
  const render = Object.hasOwn(SECTIONS, id) ? SECTIONS[id] : null;
  return render ? `<div id="shopify-section-${id}" class="shopify-section">${render(cart, context)}</div>` : null;
}

/**
 * The section ids of a `sections` value: a comma-separated string or an array of strings, as Shopify takes
 * them on a page URL (`?sections=a,b`) and in a cart request's body. Null when it names none or too many.
 * @param {unknown} value
 */
export function sectionIds(value) {
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [];
  const ids = [...new Set(list.filter((id) => typeof id === 'string').map((id) => id.trim()).filter(Boolean))];
  return ids.length && ids.length <= MAX_SECTIONS ? ids : null;
}

/** Text for HTML, every markup character as a reference. */
export const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
