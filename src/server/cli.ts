/**
 * `kolkit serve` (the package's bin): flags with node's `util.parseArgs`, secrets from the environment,
 * the address on stdout, a graceful shutdown on SIGTERM / SIGINT. Exit codes: 2 for a usage or
 * configuration mistake (a bad flag, missing secrets in cluster mode), 1 when the server cannot start.
 */
import {randomBytes} from 'node:crypto';
import {parseArgs} from 'node:util';
import {NatsConfigError, natsConnectionOf, natsCredentialsFromEnv, redactUrl, type NatsCredentials} from './bus/nats-auth.js';
import {checkHookOptions, type HookOptions} from './hooks.js';
import {checkSecrets, createShowServer, signHostToken, type ShowServer} from './index.js';

const USAGE = `Usage: kolkit serve [options]

  --port <p>             port to listen on (default 8080; 0 picks a free one)
  --host <h>             interface to listen on (default 0.0.0.0, every IPv4 interface; 127.0.0.1 keeps it local)
  --data <dir>           embedded mode: where show logs are kept (default ./kolkit-data)
  --nats <urls>          cluster mode: NATS servers, comma-separated (nats://a:4222,nats://b:4222,...)
  --allow-origin <list>  origins allowed to call the viewer endpoints, comma-separated (default: any)
  --trust-proxy          take client addresses from X-Forwarded-For (only behind a load balancer)
  --node <name>          this node's name, unique in a cluster (default: host name and process id)
  --currency <code>      currency of deal prices given as decimal strings (default EUR)
  --fan-out-workers <n>  processes that write the event streams beside this one (default 0: this one
                         does); for thousands of viewers per node, the number of cores
  --chat-budget <n>      viewer chat messages forwarded per show per second on this node (default 20;
                         0: every message); the rest are answered to their sender only
  --hook-url <url>       where server hooks go (auction.won, group.filled): the merchant's backend,
                         https://… ; each is a JWT signed with KOLKIT_HOOK_SECRET (HS256)
  -h, --help             this text

Environment: KOLKIT_HOST_SECRET and KOLKIT_VIEWER_SECRET (at least 32 bytes each, different): required in
cluster mode; in embedded mode random ones are made for the run when absent. KOLKIT_HOOK_SECRET (at least
32 bytes, unlike the other two): required with --hook-url, the same on every node. KOLKIT_LOG_LEVEL (default info).

NATS credentials (cluster mode, one kind; never printed):
  KOLKIT_NATS_USER and KOLKIT_NATS_PASS   a user of the servers' authorization block
  KOLKIT_NATS_TOKEN                       a token (authorization { token: ... })
  KOLKIT_NATS_CREDS                       a .creds file (user JWT and nkey seed, for NATS accounts)
  or in the URLs: --nats nats://user:pass@a:4222 (percent-encode ":", "@", "," and "%" in them)
`;

/** A mistake in how the server was started: exit code 2, with the message and the usage. */
class UsageError extends Error {}

/** How long a studio link made for a run with generated secrets works. */
const STUDIO_TOKEN_SECONDS = 12 * 60 * 60;

/** The options of `kolkit serve`, parsed. */
function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: {type: 'string', default: '8080'},
        host: {type: 'string', default: '0.0.0.0'},
        data: {type: 'string', default: './kolkit-data'},
        nats: {type: 'string', multiple: true},
        'allow-origin': {type: 'string', multiple: true},
        'trust-proxy': {type: 'boolean', default: false},
        node: {type: 'string'},
        currency: {type: 'string'},
        'fan-out-workers': {type: 'string', default: '0'},
        'chat-budget': {type: 'string', default: '20'},
        'hook-url': {type: 'string'},
        help: {type: 'boolean', short: 'h', default: false},
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const {values, positionals} = parsed;
  if (values.help) return null;
  if (positionals.length !== 1 || positionals[0] !== 'serve') {
    throw new UsageError(positionals.length ? `Unknown command: ${positionals.join(' ')}` : 'Missing the command: serve');
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port must be a port number (0-65535), not ${values.port}`);
  const list = (items: string[] | undefined) => (items ?? []).flatMap((item) => item.split(',')).map((s) => s.trim()).filter(Boolean);
  const nats = list(values.nats);
  for (const url of nats) if (!/^(nats|tls|wss?):\/\/[^\s/]+/.test(url)) throw new UsageError(`--nats: ${redactUrl(url)} is not a NATS URL (nats://host:port)`);
  const allowOrigins = list(values['allow-origin']);
  for (const origin of allowOrigins) {
    if (!/^https?:\/\/[^\s/]+$/.test(origin.replace(/\/+$/, ''))) throw new UsageError(`--allow-origin: ${origin} is not an origin (https://shop.example)`);
  }
  const fanOutWorkers = Number(values['fan-out-workers']);
  if (!/^\d{1,2}$/.test(values['fan-out-workers']) || fanOutWorkers > 64) {
    throw new UsageError(`--fan-out-workers must be a number of processes (0-64), not ${values['fan-out-workers']}`);
  }
  const chatBudget = Number(values['chat-budget']);
  if (!/^\d{1,6}$/.test(values['chat-budget'])) throw new UsageError(`--chat-budget must be a number of messages per second (0: no budget), not ${values['chat-budget']}`);
  return {port, host: values.host, dataDir: values.data, nats, allowOrigins, trustProxy: values['trust-proxy'], node: values.node, currency: values.currency, fanOutWorkers, chatBudget, hookUrl: values['hook-url']};
}

/** NATS credentials from `KOLKIT_NATS_*`, checked against those in the URLs now (a mistake is a usage error). */
function natsCredentialsOf(env: NodeJS.ProcessEnv, nats: string[]): NatsCredentials | null {
  if (!nats.length) return null;
  try {
    const credentials = natsCredentialsFromEnv(env);
    natsConnectionOf(nats, credentials);
    return credentials;
  } catch (error) {
    if (error instanceof NatsConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** The server hooks of `--hook-url` and `KOLKIT_HOOK_SECRET`, checked now (a mistake is a usage error); none without the flag. */
function hooksOf(url: string | undefined, env: NodeJS.ProcessEnv, secrets: {host: string; viewer: string}): HookOptions | undefined {
  if (url === undefined) {
    if (env.KOLKIT_HOOK_SECRET) process.stderr.write('kolkit: warning: KOLKIT_HOOK_SECRET is set but --hook-url is not: no hooks are sent.\n');
    return undefined;
  }
  const hooks = {url, secret: env.KOLKIT_HOOK_SECRET};
  try {
    checkHookOptions(hooks, secrets);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return hooks;
}

/**
 * The secrets of this run: from the environment; in embedded mode, random ones for what is missing (with
 * a warning: tokens signed with them die with the process).
 */
function secretsOf(env: NodeJS.ProcessEnv, cluster: boolean): {host: string; viewer: string; generated: boolean} {
  const host = env.KOLKIT_HOST_SECRET;
  const viewer = env.KOLKIT_VIEWER_SECRET;
  if (host && viewer) return {host, viewer, generated: false};
  if (cluster) {
    throw new UsageError(
      'Cluster mode needs KOLKIT_HOST_SECRET and KOLKIT_VIEWER_SECRET in the environment, the same on every node ' +
        '(at least 32 bytes each, different: e.g. `openssl rand -base64 48`).',
    );
  }
  process.stderr.write(
    `kolkit: warning: ${[!host && 'KOLKIT_HOST_SECRET', !viewer && 'KOLKIT_VIEWER_SECRET'].filter(Boolean).join(' and ')} not set: ` +
      'using random secrets for this run; tokens signed with them stop working when it stops.\n',
  );
  const random = () => randomBytes(32).toString('base64url');
  return {host: host || random(), viewer: viewer || random(), generated: true};
}

/**
 * Runs `kolkit <argv>`. Resolves once the server listens (it then runs until SIGTERM / SIGINT); sets
 * `process.exitCode` and resolves when it cannot start.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let server: ShowServer;
  try {
    const options = parse(argv);
    if (!options) {
      process.stdout.write(USAGE);
      return;
    }
    const secrets = secretsOf(env, options.nats.length > 0);
    try {
      checkSecrets(secrets);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const natsCredentials = natsCredentialsOf(env, options.nats);
    const {hookUrl, ...serverOptions} = options;
    const hooks = hooksOf(hookUrl, env, secrets);
    server = await createShowServer({...serverOptions, natsCredentials, secrets: {host: secrets.host, viewer: secrets.viewer}, ...(hooks && {hooks})});
    // One line, stable: scripts and tests read the address from it (`--port 0`).
    process.stdout.write(`kolkit listening on ${server.url}\n`);
    if (secrets.generated) {
      const token = await signHostToken({role: 'host', shows: '*', ttlSeconds: STUDIO_TOKEN_SECONDS, sub: 'studio'}, secrets.host);
      process.stdout.write(`kolkit studio: ${server.url}/studio#token=${token}\n`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`kolkit: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`kolkit: cannot start: ${(error as Error).message}\n`);
      process.exitCode = 1;
    }
    return;
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal: the operator does not want to wait.
      process.stderr.write(`kolkit: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`kolkit: shutdown failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
