// The processes `npm run bench:server` measures and drives: kolkit nodes (`kolkit serve` as child processes,
// each sampled through /proc: RSS and CPU), the viewer workers (viewers.mjs, over IPC), and the host
// (HTTP POSTs at a steady rate, each event carrying its index and send time in a marker the workers read, and
// an Idempotency-Key so retries are stored once).
import {spawn, fork, spawnSync} from 'node:child_process';
import {openSync, closeSync, readFileSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {waitFor} from '../../../test/servers/nats-cluster.mjs';
import {sleep} from '../stats.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BIN = join(ROOT, 'bin', 'kolkit.mjs');
const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'viewers.mjs');
/** Fixed bench secrets (≥ 32 bytes, different): the bench signs its host token with the first. */
export const SECRETS = {host: 'bench-host-secret-0123456789abcdef0123456789', viewer: 'bench-viewer-secret-0123456789abcdef012345'};
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100;

/** Every child started here, killed if the bench dies. */
const children = new Set();
process.on('exit', () => {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
});

/**
 * Tries to raise this process's open-file limit (children inherit it) to `wanted`; answers the limit now
 * and whether the machine refused.
 */
export function raiseFdLimit(wanted) {
  const attempt = spawnSync('prlimit', ['--pid', String(process.pid), `--nofile=${wanted}:${wanted}`], {encoding: 'utf8'});
  const limit = Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]);
  return {limit, refused: attempt.status !== 0 ? (attempt.stderr || attempt.error?.message || 'refused').trim() : null};
}

/** `pid`'s child processes (a kolkit node's fan-out workers), from /proc. */
function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** `measure(pid)` summed over `pid` and its children; NaN once `pid` is gone (a child that just left counts 0). */
function overTree(pid, measure) {
  const own = measure(pid);
  if (!Number.isFinite(own)) return NaN;
  return childrenOf(pid).reduce((sum, child) => sum + (measure(child) || 0), own);
}

/** Resident memory of `pid` and its children in bytes (VmRSS), or NaN once it is gone. */
export function rssOf(pid) {
  return overTree(pid, (p) => {
    try {
      return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))[1]) * 1024;
    } catch {
      return NaN;
    }
  });
}

/** CPU time of `pid` and its children so far (user + system, ms), or NaN once it is gone. */
export function cpuMsOf(pid) {
  return overTree(pid, (p) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    } catch {
      return NaN;
    }
  });
}

/**
 * Starts `kolkit serve` on 127.0.0.1 with a free port: embedded (a temp data dir) or on `nats` URLs.
 * Answers {name, url, host, port, pid, kill(signal), stop()}; its log goes to a file in the temp dir.
 */
export async function startNode({name, nats = [], logLevel = 'info', fanOutWorkers = 0}) {
  const dir = await mkdtemp(join(tmpdir(), `kolkit-bench-${name}-`));
  const logPath = join(dir, 'server.log');
  const out = openSync(logPath, 'a');
  const args = [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--node', name, '--data', join(dir, 'data')];
  if (nats.length) args.push('--nats', nats.join(','));
  if (fanOutWorkers) args.push('--fan-out-workers', String(fanOutWorkers));
  // BENCH_SERVER_NODE_ARGS: extra node flags for the kolkit nodes only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    stdio: ['ignore', out, out],
    env: {...process.env, KOLKIT_HOST_SECRET: SECRETS.host, KOLKIT_VIEWER_SECRET: SECRETS.viewer, KOLKIT_LOG_LEVEL: logLevel},
  });
  closeSync(out);
  children.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve)).then(() => children.delete(child));
  let url;
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`kolkit ${name} exited: ${await readFile(logPath, 'utf8')}`);
      url = /kolkit listening on (http:\/\/\S+)/.exec(await readFile(logPath, 'utf8'))?.[1];
      return Boolean(url);
    }, 30_000, `kolkit ${name} did not start (log: ${logPath})`);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  const {hostname, port} = new URL(url);
  const node = {
    name,
    url,
    host: hostname,
    port: Number(port),
    pid: child.pid,
    logPath,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    /** Sends `signal` and waits for the exit. */
    async kill(signal = 'SIGKILL') {
      if (node.alive) child.kill(signal);
      await exited;
    },
    /** A graceful stop (SIGTERM; SIGKILL after 20 s), then the temp dir goes. */
    async stop() {
      if (node.alive) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, {recursive: true, force: true});
    },
  };
  return node;
}

/** Forks one viewer worker; `ask(cmd, body)` sends a command and answers its reply. */
export function startWorker() {
  const child = fork(WORKER, [], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
  children.add(child);
  const waiting = new Map();
  child.on('message', (message) => {
    const resolve = waiting.get(message.reply);
    waiting.delete(message.reply);
    resolve?.(message);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve)).then(() => children.delete(child));
  child.once('exit', (code) => {
    for (const [cmd, resolve] of waiting) resolve({reply: cmd, error: `worker exited (${code})`});
    waiting.clear();
  });
  return {
    pid: child.pid,
    ask(cmd, body = {}, ms = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`viewer worker: no answer to ${cmd} in ${ms} ms`)), ms);
        waiting.set(cmd, (message) => {
          clearTimeout(timer);
          resolve(message);
        });
        child.send({cmd, ...body});
      });
    },
    async close() {
      await this.ask('close', {}, 10_000).catch(() => child.kill('SIGKILL'));
      await exited;
    },
  };
}

/** This bench run, in the hosts' idempotency keys (a show name may be reused by a later run on the same cluster). */
const RUN = `${process.pid}-${Date.now().toString(36)}`;

/** A host event with the bench's marker: mostly host chat, every tenth a pin (a show's mix). */
function hostEventBody(index, sentMs) {
  const marker = `~kb${index}.${sentMs}~`;
  if (index % 10 === 0) return {type: 'product.pin', productId: `p-${index % 6}`, label: `#${1 + (index % 6)}`, note: `${marker} on air now`};
  return {type: 'chat.message', author: 'Host', text: `${marker} Great question: it comes in three sizes, and the blue one is back.`};
}

/**
 * The host: posts events to `url`'s show at `rate` per second for `seconds` (each at its scheduled time,
 * however long the earlier ones take), retrying a refused or failed post with the same index, body and
 * idempotency key (and its first send time, so a retry's wait counts in the latency) until `retryForMs`. `onSecond(s)` runs each second.
 * Answers {acked: indexes stored, retries, failed, postMs: one duration per acked post}.
 */
export async function runHost({url, show, token, rate, seconds, retryForMs = 30_000, onSecond = () => {}, firstIndex = 0}) {
  const total = Math.round(rate * seconds);
  const acked = [];
  const postMs = [];
  let retries = 0;
  let failed = 0;
  const statuses = {};
  const post = async (index) => {
    const sent = Date.now();
    const body = JSON.stringify(hostEventBody(index, sent));
    // One key per event, kept across its retries: a retry whose first try was stored (its answer lost in a
    // failover) is answered with that entry instead of being stored twice.
    const key = `bench-${RUN}-${index}`;
    for (;;) {
      let status = 0;
      try {
        const response = await fetch(`${url}/v1/shows/${show}/events`, {
          method: 'POST',
          headers: {'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key},
          body,
          signal: AbortSignal.timeout(20_000),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      if (status === 201) {
        acked.push(index);
        postMs.push(Date.now() - sent);
        return;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      if ((status !== 0 && status < 500) || Date.now() - sent > retryForMs) {
        failed++;
        return;
      }
      retries++;
      await sleep(250);
    }
  };
  const started = Date.now();
  const posts = [];
  let second = 0;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    while (Date.now() - started >= (second + 1) * 1000) onSecond(++second);
    posts.push(post(firstIndex + i));
  }
  await Promise.all(posts);
  acked.sort((a, b) => a - b);
  return {acked, retries, failed, statuses, postMs, next: firstIndex + total};
}

/** Samples the peak RSS of `pids` every `everyMs` until `stop()`, which answers {peak: {pid: bytes}}. */
export function sampleRss(pids, everyMs = 500) {
  const peak = Object.fromEntries(pids.map((pid) => [pid, rssOf(pid)]));
  const timer = setInterval(() => {
    for (const pid of pids) {
      const rss = rssOf(pid);
      if (rss > peak[pid]) peak[pid] = rss;
    }
  }, everyMs);
  return {stop: () => (clearInterval(timer), {peak})};
}
