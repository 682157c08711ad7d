/**
 * A value a page keeps for its whole life and, only while the show's consent is granted, in sessionStorage
 * (this tab), so a later page of the tab takes it up: nothing is read or written there before consent
 * (adapters/consent.ts), and withdrawing consent removes it. The anonymous viewer id (viewer-id.ts) and the
 * chat name (elements/chat/chat-name.ts) are kept this way.
 */
export class ConsentedSessionValue {
  #value: string | null = null;

  readonly #key: string;
  readonly #valid: (stored: string) => string | null;

  /**
   * @param key the sessionStorage key
   * @param valid what a stored value is worth: itself (cleaned), or null when it cannot be used
   */
  constructor(key: string, valid: (stored: string) => string | null) {
    this.#key = key;
    this.#valid = valid;
  }

  /** The page's value; before one is set, with consent, the one an earlier page of the tab stored. */
  get(consent: boolean): string | null {
    if (this.#value === null && consent) this.#value = this.#read();
    return this.#value;
  }

  /** Sets the page's value, and stores it when consent allows. */
  set(value: string, consent: boolean): void {
    this.#value = value;
    if (consent) this.consentChanged(true);
  }

  /**
   * Consent changed: given, the page's value (once set) is stored; withdrawn, the stored one is removed and
   * the page keeps its own.
   */
  consentChanged(allowed: boolean): void {
    try {
      if (!allowed) sessionStorage.removeItem(this.#key);
      else if (this.#value !== null && this.#read() !== this.#value) sessionStorage.setItem(this.#key, this.#value);
    } catch {
      // Storage blocked (a sandboxed frame, a privacy setting): the value lives for this page only.
    }
  }

  /** Forgets the page's value (not the stored one), as a new page would: for tests. */
  forget(): void {
    this.#value = null;
  }

  #read(): string | null {
    try {
      const stored = sessionStorage.getItem(this.#key);
      return stored === null ? null : this.#valid(stored);
    } catch {
      return null;
    }
  }
}
