/**
 * Where the shopper's cart id lives between pages: first-party `localStorage`, one key per Storefront
 * endpoint, read and written only while the consent signal allows it (adapters/consent.ts: no signal is no
 * consent; ePrivacy covers reading the device as well as writing) and as soon as consent arrives; until then
 * it is kept in memory, so the cart still works on this page. Consent withdrawn removes the stored id (the
 * page keeps it in memory).
 *
 * The id in memory is kept per key (per cartScope), not per adapter: kolkit gives shows whose adapters share
 * a scope one cart state, so two adapters of one endpoint must work on one cart even before consent.
 */
import {consentAllows, type ConsentSignal} from '../consent.js';

export type {ConsentSignal} from '../consent.js';

/** The cart ids this page knows, stored or not, by storage key: every store of one key shares its id. */
const pageIds = new Map<string, string>();

/** Forgets the cart ids held in memory (not the stored ones), as a new page would: for tests. */
export function forgetPageCartIds(): void {
  pageIds.clear();
}

/** The cart id of one store: read from storage (shared by tabs), written there only when allowed. */
export class CartIdStore {
  readonly #unsubscribe?: () => void;
  /** Whether the missing consent option has been pointed out (once per store: one store per adapter). */
  #warned = false;

  readonly #key: string;
  readonly #consent: ConsentSignal | undefined;

  constructor(key: string, consent?: ConsentSignal) {
    this.#key = key;
    this.#consent = consent;
    this.#unsubscribe = consent?.subscribe?.(() => this.#consentChanged());
  }

  /**
   * The cart id: with consent, the stored one (another tab may have made it); else the one this page holds.
   * Also stores the page's id if consent has arrived since, for a signal without `subscribe`.
   */
  get(): string | null {
    this.#persist(false);
    return (this.#mayStore() ? readStorage(this.#key) : null) ?? this.#id;
  }

  /** Remembers a new cart id, storing it when allowed. */
  set(id: string): void {
    pageIds.set(this.#key, id);
    this.#persist(true);
  }

  /** Forgets `id` (the store no longer knows the cart), leaving alone an id another tab stored since. */
  drop(id: string): void {
    if (this.#id === id) pageIds.delete(this.#key);
    if (this.#mayStore() && readStorage(this.#key) === id) writeStorage(this.#key, null);
  }

  /** Stops listening to the consent signal. */
  dispose(): void {
    this.#unsubscribe?.();
  }

  /** Consent given: store the page's id. Withdrawn: remove the stored id, keep the cart on this page. */
  #consentChanged(): void {
    if (this.#mayStore()) return this.#persist(false);
    const stored = readStorage(this.#key);
    if (stored === null) return;
    if (this.#id === null) pageIds.set(this.#key, stored);
    writeStorage(this.#key, null);
  }

  /** The id this page knows, stored or not (not stored while consent is missing). */
  get #id(): string | null {
    return pageIds.get(this.#key) ?? null;
  }

  /** Stores the page's id when allowed: a new cart always, else only where no tab has stored one. */
  #persist(replace: boolean): void {
    if (this.#id === null) return;
    if (!this.#mayStore()) return this.#warnWithoutConsent();
    const stored = readStorage(this.#key);
    if (stored === null || (replace && stored !== this.#id)) writeStorage(this.#key, this.#id);
  }

  #mayStore(): boolean {
    return consentAllows(this.#consent);
  }

  /**
   * Built in code without a `consent` option, the adapter keeps the cart for this page only (it used to
   * store it regardless): say so once, when it would first have stored, so an integration can pass consent.
   */
  #warnWithoutConsent(): void {
    if (this.#consent || this.#warned) return;
    this.#warned = true;
    console.warn('[kolkit] shopify-storefront: no consent option, so the cart id is kept for this page only. To keep the cart '
      + "between pages once the shopper consents, pass `consent: consentOf(show)` (import {consentOf} from 'kolkit/adapters') "
      + 'or your consent manager\'s signal ({allowed(), subscribe?}); see docs/adapters.md, "Consent".');
  }
}

/** The storage key of the cart id for `endpoint`. */
export const cartIdKey = (endpoint: string) => `kolkit:shopify-storefront:cart:${endpoint}`;

// localStorage can throw (blocked third-party storage, sandboxed frames, a full quota): then the id
// simply lives in memory.
function readStorage(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, value);
  } catch {
    // kept in memory only
  }
}
