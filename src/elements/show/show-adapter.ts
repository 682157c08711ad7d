/**
 * The show's commerce adapter: an object the page gives, or a built-in one named by the `adapter`
 * attribute — imported when first named, configured from the show's attributes, and disposed by kolkit
 * when it is replaced (kolkit made it, so kolkit ends it).
 */
import {ADAPTER_NAMES, ADAPTER_OPTION_ATTRIBUTES, createAdapter} from '../../adapters/registry.js';
import {isAdapterConfigError} from '../../adapters/config-error.js';
import {badConsent} from '../../adapters/consent.js';
import type {CommerceAdapter} from '../../adapters/types.js';
import {errorMessage, type ReportFailure} from '../../core/errors.js';
import {LatestRun} from '../../core/latest-run.js';
import {nextTask} from '../../page/next-task.js';
import {Listeners} from '../../core/listeners.js';

/** How the adapter reports a misconfiguration by attribute, for the developer: it names the attribute. */
export type ReportAttribute = (attribute: string, message: string, cause?: unknown) => void;

/**
 * The show's `ReportAttribute`: a misconfiguration is for the developer, so it is a `bad-attribute` (through
 * `fail`) and a console warning, both naming the attribute.
 */
export function badAttributeReport(fail: ReportFailure): ReportAttribute {
  return (attribute, message, cause) => {
    console.warn(`[kolkit] <kol-show> ${attribute}: ${message}`);
    fail('bad-attribute', message, cause);
  };
}

/** Holds the show's adapter and replaces it when asked, latest choice first. */
export class ShowAdapter {
  #value: CommerceAdapter | null = null;
  #madeFromAttribute = false;
  /** One run per choice of adapter: a slow import cannot win over a later choice. */
  readonly #choices = new LatestRun();
  /** One run per adapter in use: product loads and cart reads for a replaced adapter are dropped. */
  readonly #uses = new LatestRun();
  #loading?: Promise<void>;
  /** An adapter name to make at the element's next update (from the attribute, or to remake after an option changed). */
  #pendingName: string | undefined;

  /** Called just before the adapter is replaced (and disposed, when kolkit made it): let go of it. */
  readonly willChange = new Listeners();
  /** Called once the adapter was replaced; work begun for the previous one sees `signal` aborted. */
  readonly changed = new Listeners();

  readonly #show: Element;
  readonly #fail: ReportFailure;
  readonly #badAttribute: ReportAttribute;

  constructor(show: Element, fail: ReportFailure, badAttribute: ReportAttribute) {
    this.#show = show;
    this.#fail = fail;
    this.#badAttribute = badAttribute;
  }

  /** The adapter in use, or null. */
  get current(): CommerceAdapter | null {
    return this.#value;
  }

  /** True while the adapter in use was made from the `adapter` attribute. */
  get fromAttribute(): boolean {
    return this.#madeFromAttribute;
  }

  /** Aborts when the adapter in use is replaced. */
  get signal(): AbortSignal {
    return this.#uses.signal;
  }

  /**
   * Settles once an adapter named by attribute has loaded (or failed to): product lookups and adds made
   * meanwhile wait for it rather than fail with `no-adapter`.
   */
  get ready(): Promise<void> | undefined {
    return this.#loading;
  }

  /**
   * Hears a change of the show's attribute `name`. True when an adapter is to be (re)made at the next
   * update (`applyPending()`): then, once connected, a kol-error for a bad name reaches the page.
   */
  attributeChanged(name: string, old: string | null, value: string | null): boolean {
    if (value === old) return false;
    if (name === 'adapter' && (value !== null || this.#madeFromAttribute)) {
      this.#pendingName = value ?? '';
      return true;
    }
    // An option set later (a framework filling in config) makes a new adapter with it.
    if (ADAPTER_OPTION_ATTRIBUTES.includes(name) && this.#madeFromAttribute) {
      this.optionChanged();
      return true;
    }
    return false;
  }

  /**
   * Takes in the show's changed properties (Lit's `willUpdate` map): a bad `consent` (which the adapters
   * follow) is reported; `products` set as a property (not through its attribute) also remakes the
   * attribute-made adapter; then the adapter asked for since the last update is made.
   */
  willUpdate(changed: ReadonlyMap<PropertyKey, unknown>, consent: string | null): void {
    const consentProblem = changed.has('consent') && badConsent(consent);
    if (consentProblem) this.#badAttribute('consent', consentProblem);
    if (changed.has('products') && changed.get('products') !== undefined) this.optionChanged();
    this.applyPending();
  }

  /** An option changed some other way (the `products` property): an adapter made from attributes is remade. */
  optionChanged(): void {
    if (this.#madeFromAttribute) this.#pendingName ??= this.#show.getAttribute('adapter') ?? '';
  }

  /** Makes the adapter asked for since the last update, if any. */
  applyPending(): void {
    const name = this.#pendingName;
    this.#pendingName = undefined;
    if (name !== undefined) this.useNamed(name);
  }

  /** Uses `value`: the page's own adapter object (null: none), or the name of a built-in one (`KolShow.adapter`). */
  choose(value: CommerceAdapter | string | null): void {
    if (typeof value === 'string') this.useNamed(value);
    else this.use(value);
  }

  /** Uses the page's own adapter object (null: none). A named one still loading is dropped. */
  use(adapter: CommerceAdapter | null): void {
    this.#choices.start();
    this.#replace(adapter, false);
  }

  /** Makes the built-in adapter `name` (empty: none) from the show's attributes. */
  useNamed(name: string): void {
    const choice = this.#choices.start();
    if (!name) return this.#replace(null, true);
    if (!ADAPTER_NAMES.includes(name)) {
      // Told at once, as the show renders, not a task later with the adapters that load.
      this.#fail('unknown-adapter', `kolkit has no adapter named "${name}".`);
      return this.#replace(null, true);
    }
    // Made in a task after the show's first render (issue 16: each is a long piece of work on a phone);
    // lookups and adds wait for `ready` meanwhile.
    const loaded = nextTask().then(() => createAdapter(name, this.#show)).then(
      (adapter) => {
        if (!choice.aborted) this.#replace(adapter, true); // else named again meanwhile
      },
      (error) => {
        if (choice.aborted) return;
        // A misconfiguration (no store domain, an endpoint kolkit will not call…) names its attribute.
        if (isAdapterConfigError(error)) this.#badAttribute(error.attribute, error.message, error);
        else this.#fail('adapter-load-failed', errorMessage(error, `The ${name} adapter could not be loaded.`), error);
        this.#replace(null, true);
      },
    );
    const settled: Promise<void> = loaded.finally(() => {
      if (this.#loading === settled) this.#loading = undefined;
    });
    this.#loading = settled;
  }

  #replace(adapter: CommerceAdapter | null, fromAttribute: boolean): void {
    if (adapter === this.#value) return;
    this.willChange.notify();
    if (this.#madeFromAttribute) this.#value?.dispose?.();
    this.#madeFromAttribute = fromAttribute;
    this.#value = adapter;
    this.#uses.start();
    this.changed.notify();
  }
}

/** The show's attributes that choose or configure its adapter. */
export const ADAPTER_ATTRIBUTES: readonly string[] = ['adapter', ...ADAPTER_OPTION_ATTRIBUTES];
