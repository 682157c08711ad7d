/**
 * The shopper's Vendure session. With cookies the browser keeps it (the Shop API must be same-origin, or
 * allow credentials in CORS). With a bearer token, Vendure sends the token in a `vendure-auth-token`
 * response header and expects `Authorization: Bearer …` back: the token lives in memory, and in
 * sessionStorage (so the cart survives a reload) only while the consent signal allows it.
 */

/** How the session travels: a cookie (default) or a bearer token. */
export type VendureSessionMode = 'cookie' | 'bearer';

/** Whether the shopper agreed to storage on their device; asked each time the token would be stored. */
export interface ConsentSignal {
  allowed(): boolean;
}

const TOKEN_HEADER = 'vendure-auth-token';

/** One shopper's session with one Shop API and channel. */
export class VendureSession {
  private token: string | null = null;

  /** `storageKey` names the token in sessionStorage; nothing is read or written there without consent. */
  constructor(
    private readonly mode: VendureSessionMode,
    private readonly storageKey: string,
    private readonly consent?: ConsentSignal,
  ) {
    if (mode === 'bearer' && this.mayStore()) this.token = readStorage(storageKey);
  }

  /** What a request carries: the bearer token, or the browser's cookies. */
  request(): {headers: Record<string, string>; credentials: RequestCredentials} {
    if (this.mode === 'cookie') return {headers: {}, credentials: 'include'};
    // No cookies at all: a session cookie from elsewhere on the origin would win over the token.
    return {headers: this.token ? {authorization: `Bearer ${this.token}`} : {}, credentials: 'omit'};
  }

  /** Keeps the token a response carries (Vendure sends one when it starts or changes a session). */
  remember(response: Response): void {
    if (this.mode !== 'bearer') return;
    const token = response.headers.get(TOKEN_HEADER);
    if (token) this.token = token;
    // Stored on every answer while consent holds, so consent given after the first add still keeps the cart.
    if (this.token && this.mayStore()) writeStorage(this.storageKey, this.token);
  }

  private mayStore(): boolean {
    return this.consent?.allowed() === true;
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

function writeStorage(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // in memory only
  }
}
