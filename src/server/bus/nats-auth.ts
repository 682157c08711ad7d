/**
 * How kolkit authenticates to NATS (cluster mode): a user and password, a token, or a `.creds` file (a user
 * JWT and its nkey seed, for NATS accounts), from the environment (`KOLKIT_NATS_USER` / `KOLKIT_NATS_PASS`,
 * `KOLKIT_NATS_TOKEN`, `KOLKIT_NATS_CREDS`) or written in the server URLs (`nats://user:pass@host:4222`,
 * `nats://token@host:4222`, percent-encoded). The NATS client ignores credentials in URLs, so they are taken
 * out and given as its `user`/`pass`, `token` or `authenticator` options (nats-connect.ts). A password or
 * token is never printed: URLs are shown redacted (`redactUrl`). This module loads no NATS code, so the CLI
 * can check the configuration before cluster mode loads the client.
 */

/** One way to authenticate to NATS. */
export type NatsCredentials = {user: string; pass: string} | {token: string} | {credsFile: string};

/** A mistake in how NATS credentials were given (two kinds at once, a user without a password…). */
export class NatsConfigError extends Error {
  override name = 'NatsConfigError';
}

/** `url` with any password or token replaced by `***` (`nats://kolkit:***@10.0.0.11:4222`). */
export function redactUrl(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^@/?#]*)@/, (_all, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:***` : '***'}@`;
  });
}

/**
 * The credentials of the environment: `KOLKIT_NATS_USER` with `KOLKIT_NATS_PASS`, or `KOLKIT_NATS_TOKEN`, or
 * `KOLKIT_NATS_CREDS` (a file path); null when none is set.
 * @throws NatsConfigError for a user without a password (or the reverse), or more than one kind
 */
export function natsCredentialsFromEnv(env: NodeJS.ProcessEnv): NatsCredentials | null {
  const {KOLKIT_NATS_USER: user, KOLKIT_NATS_PASS: pass, KOLKIT_NATS_TOKEN: token, KOLKIT_NATS_CREDS: credsFile} = env;
  const kinds: NatsCredentials[] = [];
  if (user || pass) {
    if (!user || !pass) throw new NatsConfigError('KOLKIT_NATS_USER and KOLKIT_NATS_PASS go together: set both, or neither.');
    kinds.push({user, pass});
  }
  if (token) kinds.push({token});
  if (credsFile) kinds.push({credsFile});
  if (kinds.length > 1) throw new NatsConfigError('Give NATS one kind of credentials: KOLKIT_NATS_USER/KOLKIT_NATS_PASS, KOLKIT_NATS_TOKEN or KOLKIT_NATS_CREDS.');
  return kinds[0] ?? null;
}

/**
 * Splits `urls` into the URLs the NATS client is given (credentials removed) and the credentials to use:
 * `given` (from the environment or the caller), else those in the URLs (every URL that has some must have
 * the same), else none.
 * @throws NatsConfigError when URLs disagree, or carry credentials while others are given
 */
export function natsConnectionOf(urls: readonly string[], given: NatsCredentials | null = null): {servers: string[]; credentials: NatsCredentials | null} {
  const servers: string[] = [];
  let inUrls: NatsCredentials | null = null;
  for (const url of urls) {
    const found = credentialsIn(url);
    servers.push(found ? found.server : url);
    if (!found) continue;
    if (inUrls && !sameCredentials(inUrls, found.credentials)) {
      throw new NatsConfigError(`The NATS URLs carry different credentials (${urls.map(redactUrl).join(', ')}): give them once.`);
    }
    inUrls = found.credentials;
  }
  if (inUrls && given) {
    throw new NatsConfigError('NATS credentials are both in the URLs and in the environment (KOLKIT_NATS_*): give them once.');
  }
  return {servers, credentials: given ?? inUrls};
}

/** What kind of credentials these are, for logs (never their values). */
export function credentialsKind(credentials: NatsCredentials | null): 'none' | 'user' | 'token' | 'creds' {
  if (!credentials) return 'none';
  return 'token' in credentials ? 'token' : 'user' in credentials ? 'user' : 'creds';
}

/** The credentials in `url`'s user info (`user:pass@` or `token@`) and the URL without them; null when it has none. */
function credentialsIn(url: string): {server: string; credentials: NatsCredentials} | null {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^@/?#]*)@(.*)$/s.exec(url);
  if (!match) return null;
  const [, scheme, userinfo, rest] = match;
  const colon = userinfo.indexOf(':');
  const decode = (part: string, what: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new NatsConfigError(`The ${what} in the NATS URL ${redactUrl(url)} is not percent-encoded properly.`);
    }
  };
  const server = `${scheme}${rest}`;
  if (colon < 0) {
    const token = decode(userinfo, 'token');
    if (!token) throw new NatsConfigError(`The NATS URL ${redactUrl(url)} has an empty token before "@".`);
    return {server, credentials: {token}};
  }
  const user = decode(userinfo.slice(0, colon), 'user');
  const pass = decode(userinfo.slice(colon + 1), 'password');
  if (!user || !pass) throw new NatsConfigError(`The NATS URL ${redactUrl(url)} needs both a user and a password before "@".`);
  return {server, credentials: {user, pass}};
}

function sameCredentials(a: NatsCredentials, b: NatsCredentials): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
