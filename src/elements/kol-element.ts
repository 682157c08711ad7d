/**
 * The base of every kolkit element: a guarded, versioned `define()` and one way to report errors.
 */
import {CSSResult, LitElement} from 'lit';
import {property} from 'lit/decorators.js';
import {VERSION} from '../core/version.js';
import {ERROR_CODES, type KolErrorCode} from '../core/errors.js';
import {KolErrorEvent} from './events.js';
import {reportSecondCopy} from '../core/second-copy.js';
import {LocaleController} from '../i18n/locale-controller.js';
import {localeReady} from '../i18n/localization.js';
import {adoptStylesHere, inForeignDocument} from './document-styles.js';

/** Base class of every `kol-*` element. */
export class KolElement extends LitElement {
  /** The kolkit release this class belongs to. */
  static readonly version = VERSION;

  /**
   * Defines `tag` with this class unless it is defined already. A second copy of kolkit on the page (the
   * script twice from two URLs, or a CDN copy beside an npm copy) must not throw: the first definition
   * stays, and the page gets one warning for the whole copy, naming both versions (second-copy.ts).
   */
  static define(tag: string): void {
    if (typeof customElements === 'undefined') return; // imported on a server (SSR): nothing to define
    const existing = customElements.get(tag) as (CustomElementConstructor & {version?: string}) | undefined;
    if (!existing) customElements.define(tag, this);
    else if (existing !== this) reportSecondCopy(existing.version, this.version, `<${tag}>`);
  }

  /**
   * Does ahead what defining and first rendering would do first: Lit's finalization of the class (its
   * properties and attributes) and its constructable style sheets. The script-tag build calls it a task
   * before `define()`, so the definition and first render of an element on the page is a shorter task on a
   * phone (cdn/lazy-elements.ts, issue 16).
   */
  static prepare(): void {
    this.finalize();
    for (const style of this.elementStyles) if (style instanceof CSSResult) void style.styleSheet;
  }

  /**
   * In another window's document (a Document Picture-in-Picture window), the styles are that document's own
   * copies: a constructed sheet cannot be adopted across documents (document-styles.ts).
   */
  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    if (!inForeignDocument(this)) return super.createRenderRoot();
    const ctor = this.constructor as typeof KolElement;
    const root = this.shadowRoot ?? this.attachShadow(ctor.shadowRootOptions);
    adoptStylesHere(root, ctor.elementStyles);
    return root;
  }

  /** Moved to another document (into a Picture-in-Picture window, or back): its styles follow it. */
  adoptedCallback(): void {
    if (this.shadowRoot) adoptStylesHere(this.shadowRoot, (this.constructor as typeof KolElement).elementStyles);
  }

  #rendered = false;

  constructor() {
    super();
    new LocaleController(this); // re-renders in the page's language when it changes (docs/i18n.md)
  }

  /** The first render waits for the page's translation (a small chunk): a French page never flashes English. */
  protected override async scheduleUpdate(): Promise<unknown> {
    if (!this.#rendered) {
      this.#rendered = true;
      await localeReady();
    }
    return super.scheduleUpdate();
  }

  /** The code of the last error this element shows, reflected so pages can style `[error]`. */
  @property({reflect: true}) error: KolErrorCode | null = null;

  /** Dispatches `kol-error` and shows the error on this element. */
  protected fail(code: KolErrorCode, message: string = ERROR_CODES[code], cause?: unknown): void {
    this.error = code;
    this.dispatchEvent(new KolErrorEvent({code, message, cause}));
  }

  /** Clears the error state if it still shows one of `codes` (what was reported has recovered). */
  protected clearError(...codes: KolErrorCode[]): void {
    if (this.error !== null && codes.includes(this.error)) this.error = null;
  }
}
