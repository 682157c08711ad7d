/**
 * An element's styles in whichever document it is in. Lit adopts constructed style sheets, and a constructed
 * sheet can only be adopted in the document that made it (Chromium throws "Sharing constructed stylesheets in
 * multiple documents is not allowed", and empties a shadow root's adopted sheets when the root moves to
 * another document). A kolkit element shown in a Document Picture-in-Picture window (the live player's
 * product card) therefore gets copies of its sheets made by that window: one copy per style and document.
 */
import {adoptStyles, CSSResult, type CSSResultOrNative} from 'lit';

/** Each document's copies of the styles it has seen. */
const copies = new WeakMap<Document, WeakMap<CSSResultOrNative, CSSStyleSheet>>();

/** The text of a style, whatever its form. */
function cssTextOf(style: CSSResultOrNative): string {
  if (style instanceof CSSResult) return style.cssText;
  return [...style.cssRules].map((rule) => rule.cssText).join('\n');
}

/** `style` as a sheet `doc` may adopt (made by `doc`'s own window, once). */
function sheetIn(doc: Document, style: CSSResultOrNative): CSSStyleSheet {
  let sheets = copies.get(doc);
  if (!sheets) copies.set(doc, (sheets = new WeakMap()));
  let sheet = sheets.get(style);
  if (!sheet) {
    sheet = new doc.defaultView!.CSSStyleSheet();
    sheet.replaceSync(cssTextOf(style));
    sheets.set(style, sheet);
  }
  return sheet;
}

/** True when `root` is in a document other than the one kolkit runs in (another window's). */
export function inForeignDocument(root: Node): boolean {
  return root.ownerDocument !== document && !!root.ownerDocument?.defaultView;
}

/** Adopts `styles` in `root`, as sheets of the document `root` is in now. */
export function adoptStylesHere(root: ShadowRoot, styles: CSSResultOrNative[]): void {
  if (!inForeignDocument(root)) adoptStyles(root, styles);
  else root.adoptedStyleSheets = styles.map((style) => sheetIn(root.ownerDocument, style));
}
