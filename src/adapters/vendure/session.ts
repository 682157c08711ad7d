/**
 * The shopper's Vendure session. With cookies the browser keeps it (the Shop API must be same-origin, or
 * allow credentials in CORS). With a bearer token, Vendure sends the token in a `vendure-auth-token`
 * response header and expects `Authorization: Bearer …` back: the token lives in memory, and in
 * sessionStorage (so the cart survives a reload) only while the consent signal allows it (adapters/consent.ts:
 * no signal is no consent). Consent given later stores the token at once; withdrawn, it is removed.
 *
 * The token in memory is kept per cart (`storageKey`, which names the cartScope), not per adapter: kolkit
 * gives shows whose adapters share a scope one cart state, so two adapters of one scope must be one shopper.
 */

import {consentAllows, type ConsentSignal} from '../consent.js';

export type {ConsentSignal} from '../consent.js';

/** How the session travels: a cookie (default) or a bearer token. */
export type VendureSessionMode = 'cookie' | 'bearer';

/** The session modes, for checking configuration. */
export const SESSION_MODES: readonly VendureSessionMode[] = ['cookie', 'bearer'];

const TOKEN_HEADER = 'vendure-auth-token';

/** Bearer tokens this page holds, by storage key: every session of one scope reads and writes the same one. */
const tokens = new Map<string, string>();

/** Forgets the tokens held in memory (not the stored ones), as a new page would: for tests. */
export function forgetBearerTokens(): void {
  tokens.clear();
}

/** One shopper's session with one Shop API and channel. */
export class VendureSession {
  readonly #unsubscribe?: () => void;
  /** Whether the missing consent option has been pointed out (once per session: one session per adapter). */
  #warned = false;

  readonly #mode: VendureSessionMode;
  readonly #storageKey: string;
  readonly #consent: ConsentSignal | undefined;

  /** `storageKey` names the token in sessionStorage; nothing is read or written there without consent. */
  constructor(
    mode: VendureSessionMode,
    storageKey: string,
    consent?: ConsentSignal,
  ) {
    this.#mode = mode;
    this.#storageKey = storageKey;
    this.#consent = consent;
    if (mode !== 'bearer') return;
    this.#adoptStored();
    this.#unsubscribe = consent?.subscribe?.(() => this.#consentChanged());
  }

  /** Stops listening to the consent signal. */
  dispose(): void {
    this.#unsubscribe?.();
  }

  /** Consent given: store the token (or take up the stored one). Withdrawn: remove the stored token. */
  #consentChanged(): void {
    if (!this.#mayStore()) return removeStorage(this.#storageKey);
    this.#adoptStored();
    if (this.#token) writeStorage(this.#storageKey, this.#token);
  }

  /** The stored token, when consent allows reading it and this page holds none yet. */
  #adoptStored(): void {
    if (tokens.has(this.#storageKey) || !this.#mayStore()) return;
    const stored = readStorage(this.#storageKey);
    if (stored) tokens.set(this.#storageKey, stored);
  }

  get #token(): string | null {
    return tokens.get(this.#storageKey) ?? null;
  }

  /** What a request carries: the bearer token, or the browser's cookies. */
  request(): {headers: Record<string, string>; credentials: RequestCredentials} {
    if (this.#mode === 'cookie') return {headers: {}, credentials: 'include'};
    // No cookies at all: a session cookie from elsewhere on the origin would win over the token.
    return {headers: this.#token ? {authorization: `Bearer ${this.#token}`} : {}, credentials: 'omit'};
  }

  /** Keeps the token a response carries (Vendure sends one when it starts or changes a session). */
  remember(response: Response): void {
    if (this.#mode !== 'bearer') return;
    const token = response.headers.get(TOKEN_HEADER);
    if (token) tokens.set(this.#storageKey, token);
    // Stored on every answer while consent holds, so consent given after the first add still keeps the cart.
    if (this.#token && this.#mayStore()) writeStorage(this.#storageKey, this.#token);
    else if (this.#token && !this.#consent && !this.#warned) {
      // Built in code without a consent option it used to store regardless: say once how to give consent.
      this.#warned = true;
      console.warn('[kolkit] vendure: no consent option, so the bearer session is kept for this page only. To keep the cart '
        + "across reloads once the shopper consents, pass `consent: consentOf(show)` (import {consentOf} from 'kolkit/adapters') "
        + 'or your consent manager\'s signal ({allowed(), subscribe?}); see docs/adapters.md, "Consent".');
    }
  }

  #mayStore(): boolean {
    return consentAllows(this.#consent);
  }
}

// Storage can throw (disabled, full, sandboxed iframes): the session then simply stays in memory.
function readStorage(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function removeStorage(key: string): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // nothing was stored
  }
}

function writeStorage(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // in memory only
  }
}
