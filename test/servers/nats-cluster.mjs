/**
 * A real 3-node nats-server cluster for the tests (Debian's nats-server, JetStream with file storage in a
 * temp dir, loopback ports picked free, full-mesh cluster routes). `startNatsCluster()` answers once
 * JetStream has a meta leader and every server says it is healthy. The servers never outlive the test
 * process: `stop()` kills them and removes the temp dir, and an exit/signal hook kills any left.
 *
 * When nats-server is not installed this throws, naming the fix — a cluster test fails, it never skips.
 */
import {spawn, spawnSync} from 'node:child_process';
import {freePort} from './free-port.mjs';
import {existsSync, openSync, closeSync} from 'node:fs';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** Where Debian puts it (not on a non-root PATH), then PATH. */
function findNatsServer() {
  if (process.env.NATS_SERVER) {
    if (existsSync(process.env.NATS_SERVER)) return process.env.NATS_SERVER;
    throw new Error(`NATS_SERVER=${process.env.NATS_SERVER} does not exist: fix it, or unset it to use Debian's nats-server.`);
  }
  if (existsSync('/usr/sbin/nats-server')) return '/usr/sbin/nats-server';
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], {encoding: 'utf8'});
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new Error(
    'nats-server is not installed, and the cluster tests need a real one: `apt-get install nats-server` ' +
      "(Debian's 2.9.x; .ci/run installs it in CI through scripts/ensure-nats.mjs), or set NATS_SERVER to the binary.",
  );
}

/** Every server process started here, killed on exit whatever happens. */
const live = new Set();
let hooked = false;
function hookExit() {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {}
    }
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      killAll();
      process.exit(1);
    });
  }
}


/** Polls `check` (an async predicate) every 100 ms until it is true; throws `message` after `ms`. */
export async function waitFor(check, ms, message) {
  const giveUpAt = Date.now() + ms;
  let last;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > giveUpAt) throw new Error(`${message} (after ${ms} ms${last ? `; last error: ${last.message}` : ''})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function getJson(url) {
  const response = await fetch(url, {signal: AbortSignal.timeout(2000)});
  return {status: response.status, body: await response.json().catch(() => null)};
}

/**
 * Starts the cluster. Answers `{urls, nodes, kill(i, signal), restart(i), stop(), jsz(i)}`; `urls` are the
 * client URLs (`nats://127.0.0.1:<port>`), `nodes[i]` has `name`, `port`, `http`, `pid`, `running`.
 */
export async function startNatsCluster({size = 3, readyMs = 30_000} = {}) {
  const binary = findNatsServer();
  hookExit();
  const dir = await mkdtemp(join(tmpdir(), 'kolkit-nats-'));
  const nodes = [];
  for (let i = 0; i < size; i++) {
    nodes.push({name: `n${i + 1}`, port: await freePort(), cluster: await freePort(), http: await freePort(), child: null});
  }
  const routes = nodes.map((n) => `nats-route://127.0.0.1:${n.cluster}`).join(', ');
  for (const node of nodes) {
    node.config = join(dir, `${node.name}.conf`);
    node.log = join(dir, `${node.name}.log`);
    await writeFile(
      node.config,
      [
        `server_name: ${node.name}`,
        `listen: 127.0.0.1:${node.port}`,
        `http: 127.0.0.1:${node.http}`,
        `jetstream { store_dir: "${join(dir, `data-${node.name}`)}", max_memory_store: 64MB, max_file_store: 512MB }`,
        `cluster { name: kolkit-test, listen: 127.0.0.1:${node.cluster}, routes: [${routes}] }`,
        '',
      ].join('\n'),
    );
  }

  const launch = (node) => {
    const out = openSync(node.log, 'a');
    const child = spawn(binary, ['-c', node.config], {stdio: ['ignore', out, out]});
    closeSync(out);
    live.add(child);
    node.child = child;
    node.exited = new Promise((resolve) => child.once('exit', resolve)).then(() => live.delete(child));
    child.once('error', () => undefined);
  };
  const healthy = async (node) => (await getJson(`http://127.0.0.1:${node.http}/healthz`)).status === 200;

  const cluster = {
    dir,
    nodes,
    urls: nodes.map((n) => `nats://127.0.0.1:${n.port}`),
    /** The monitoring `/jsz` of node `i` (streams and consumers included). */
    async jsz(i, query = 'streams=true&consumers=true&config=true') {
      return (await getJson(`http://127.0.0.1:${nodes[i].http}/jsz?accounts=true&${query}`)).body;
    },
    /** Kills node `i` with `signal` and waits for it to exit. */
    async kill(i, signal = 'SIGKILL') {
      const node = nodes[i];
      if (!node.child || node.child.exitCode !== null || node.child.signalCode) return;
      node.child.kill(signal);
      await node.exited;
    },
    /** Starts node `i` again (same ports, same store) and waits until it answers healthy. */
    async restart(i, ms = 30_000) {
      const node = nodes[i];
      if (node.child && node.child.exitCode === null && !node.child.signalCode) return;
      launch(node);
      await waitFor(() => healthy(node), ms, `nats-server ${node.name} did not become healthy again (log: ${node.log})`);
    },
    /** Kills every server and removes the temp dir. */
    async stop() {
      await Promise.all(nodes.map((_, i) => cluster.kill(i, 'SIGKILL')));
      await rm(dir, {recursive: true, force: true});
    },
  };

  try {
    nodes.forEach(launch);
    await waitFor(
      async () => {
        for (const node of nodes) if (!(await healthy(node))) return false;
        const jsz = await cluster.jsz(0, '');
        return Boolean(jsz?.meta_cluster?.leader) && jsz.meta_cluster.cluster_size === size;
      },
      readyMs,
      `the nats-server cluster did not elect a JetStream meta leader (logs in ${dir})`,
    );
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
