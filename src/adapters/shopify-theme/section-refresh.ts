/**
 * Re-renders parts of a theme page from Shopify's Section Rendering API
 * (https://shopify.dev/docs/api/section-rendering-api): `GET <root>?sections=a,b` answers
 * `{"a": "<div id=\"shopify-section-a\" class=\"shopify-section\">…</div>", "b": null}` (null for a section
 * the theme does not have). Dawn re-renders its header cart icon this way (section `cart-icon-bubble` into
 * `#cart-icon-bubble`), and its pub/sub subscribers do not: after kolkit changes the cart, this does.
 *
 * The markup is the shop's own, rendered by its theme on its origin (what the theme's own scripts insert
 * the same way); it is parsed with DOMParser, whose scripts never run, and moved in as nodes.
 */
import {fetchWithRetry, jsonOrThrow} from '../http.js';

/**
 * One part of the page to re-render after kolkit changed the cart. `selector` picks the element on the page
 * and, in the section's HTML, the element whose children replace its children (Dawn's convention). Without
 * it, the page's element is the one whose id is the section id, filled with the section's `.shopify-section`
 * content.
 */
export interface CartSection {
  /** The section's id, as `?sections=` takes it (`cart-icon-bubble`). */
  id: string;
  /** A CSS selector for the element to re-render (default `#<id>`, from the section's whole content). */
  selector?: string;
}

/** The default: Dawn's header cart icon, which its pub/sub subscribers leave as it was. */
export const DEFAULT_CART_SECTIONS: readonly CartSection[] = [{id: 'cart-icon-bubble'}];

/** The element on the page `section` re-renders, or null when the page does not have it. */
export function sectionTarget(section: CartSection): Element | null {
  try {
    return section.selector ? document.querySelector(section.selector) : document.getElementById(section.id);
  } catch {
    return null; // a selector that is not valid CSS matches nothing
  }
}

/**
 * Fetches `sections` in one `?sections=` request under `root` and replaces each one's element with the fresh
 * content. A section whose element is not on the page is neither asked for nor rendered; one the theme
 * answers null for, or whose content is already there, is left alone. Resolves when done; rejects when the
 * request failed (nothing replaced).
 */
export async function refreshSections(root: string, sections: readonly CartSection[], signal?: AbortSignal): Promise<void> {
  const present = sections.filter((section) => sectionTarget(section));
  if (!present.length) return;
  const url = new URL(root);
  url.searchParams.set('sections', [...new Set(present.map((s) => s.id))].join(','));
  const response = await fetchWithRetry(url.href, {headers: {accept: 'application/json'}}, {read: true, signal});
  const rendered = await jsonOrThrow<Record<string, unknown>>(response, "The shop's sections");
  signal?.throwIfAborted(); // a newer change's refresh is on its way: this answer may be older
  for (const section of present) {
    const html = rendered?.[section.id];
    const target = sectionTarget(section);
    if (typeof html !== 'string' || !target) continue;
    const source = new DOMParser().parseFromString(html, 'text/html').querySelector(section.selector ?? '.shopify-section');
    if (!source || source.innerHTML === target.innerHTML) continue;
    target.replaceChildren(...source.childNodes); // adopted into the page as they move
  }
}

/**
 * Parses the `cart-sections` attribute: section ids separated by spaces or commas, each re-rendering the
 * element with its id. A blank value means none.
 */
export function parseCartSections(value: string | null): readonly CartSection[] {
  if (value === null) return DEFAULT_CART_SECTIONS;
  return [...new Set(value.split(/[\s,]+/).filter((id) => /^[\w-]+$/.test(id)))].map((id) => ({id}));
}
