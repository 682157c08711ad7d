/**
 * Opening the cluster bus's NATS connection: the credentials handed to the client the way it takes them (a
 * creds file is read here), and the reconnect policy of a node that outlives NATS outages. Kept apart from
 * nats-auth.ts, which must load no NATS code (the CLI checks credentials before cluster mode loads it).
 */
import {readFile} from 'node:fs/promises';
import {connect, credsAuthenticator, type NatsConnection, type NodeConnectionOptions} from '@nats-io/transport-node';
import {credentialsKind, NatsConfigError, redactUrl, type NatsCredentials} from './nats-auth.js';
import {describe} from './nats-retry.js';
import {BusUnavailableError} from './types.js';

/**
 * Connects to the NATS servers `servers` (URLs without credentials, as `natsConnectionOf` answers them) with
 * `credentials`, named `kolkit-<node>`. The connection reconnects for ever once made.
 * @throws NatsConfigError when a creds file cannot be read
 * @throws BusUnavailableError when no server can be reached (or refuses the credentials)
 */
export async function connectNats(servers: string[], credentials: NatsCredentials | null, node: string): Promise<NatsConnection> {
  try {
    return await connect({
      servers,
      ...(await authOptions(credentials)),
      name: `kolkit-${node}`,
      maxReconnectAttempts: -1, // a node outlives NATS outages: it answers 503 and comes back
      reconnectTimeWait: 250,
      pingInterval: 10_000,
      maxPingOut: 2,
    });
  } catch (err) {
    if (err instanceof NatsConfigError) throw err;
    const shown = servers.map(redactUrl).join(', ');
    throw new BusUnavailableError(`cannot connect to NATS at ${shown} (credentials: ${credentialsKind(credentials)}): ${describe(err)}`, {
      cause: err,
    });
  }
}

/** The NATS client's options for `credentials` (a creds file is read now). */
async function authOptions(credentials: NatsCredentials | null): Promise<Partial<NodeConnectionOptions>> {
  if (!credentials) return {};
  if ('token' in credentials) return {token: credentials.token};
  if ('user' in credentials) return {user: credentials.user, pass: credentials.pass};
  try {
    return {authenticator: credsAuthenticator(await readFile(credentials.credsFile))};
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new NatsConfigError(`The NATS creds file ${credentials.credsFile} cannot be read: ${reason}`);
  }
}
