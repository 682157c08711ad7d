/**
 * Product descriptions arrive as HTML (Shopify's Ajax API, Vendure); kolkit shows them as plain text. Done
 * with text operations, not a parser: no markup from product data ever reaches the DOM, and nothing here
 * needs a Trusted Types policy (`DOMParser.parseFromString` throws on a page that requires them).
 */

const ENTITIES: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0'};

/**
 * The text a shopper reads in `html`: tags dropped, the content of scripts, styles, templates and noscripts
 * left out, entities decoded, a line break after each block, other white space collapsed.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|template|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(?:p|div|li|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>?/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? entity;
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    })
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}
