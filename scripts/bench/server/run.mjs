// `npm run bench:server`: a benchmark of the show server, not a test. It prints figures, the goals next to
// them and ratios, and fails (exit 1) only when it crashes; it never asserts a timing. Everything runs on
// 127.0.0.1, bounded in count and time, and stops by itself. Needs the server build (the npm script runs
// `tsc -p tsconfig.server.json` first) and, for the cluster sections, Debian's nats-server.
//
// Sections (BENCH_SERVER_ONLY=latency,workers,cluster,failover,storm,chat picks some):
//   latency   embedded mode, 1,000 / 5,000 / 10,000 SSE viewers at 20 host events/s: host POST → viewer
//             p50/p99, delivered/expected, server RSS per viewer, server CPU;
//   workers   the same with the streams written by fan-out worker processes (`--fan-out-workers`, one per
//             core: BENCH_SERVER_FAN_OUT), their memory and CPU counted with the server's;
//   cluster   the same on a 3-node NATS cluster with 2 kolkit nodes (viewers split, the host posts to A);
//   failover  cluster, while the NATS stream leader and kolkit node B are killed with SIGKILL mid-run: B's
//             viewers resume on A with Last-Event-ID; delivered/expected (must be 100 %), repeats (must be 0);
//   storm     5,000 viewers all reconnecting at once with Last-Event-ID: time until all are caught up, errors;
//   chat      1,000 viewers post 10,000 chat messages in a burst to one show (chat.mjs): accepted/s, answer
//             p50/p99, forwarded (the per-show budget), delivery to 300 SSE viewers.
// Viewers live in worker processes (viewers.mjs), never in the server's.
// BENCH_SERVER_SCALE=small: a quick run (hundreds of viewers, short windows). Other knobs (env):
//   BENCH_SERVER_FAN_OUT (the number of cores)  BENCH_SERVER_LEVELS (1000,5000,10000)  BENCH_SERVER_RATE (20)  BENCH_SERVER_SECONDS (15)
//   BENCH_SERVER_FAILOVER_VIEWERS (5000)  BENCH_SERVER_STORM_VIEWERS (5000)  BENCH_SERVER_LOG_LEVEL (info)
//   BENCH_SERVER_NODE_ARGS (node flags for the kolkit processes only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`)
import {availableParallelism} from 'node:os';
import {signHostToken} from '../../../dist/node/server/index.js';
import {startNatsCluster} from '../../../test/servers/nats-cluster.mjs';
import {num, quantile, sleep, table} from '../stats.mjs';
import {chatSection, printChat} from './chat.mjs';
import {cpuMsOf, raiseFdLimit, rssOf, runHost, sampleRss, SECRETS, startNode, startWorker} from './nodes.mjs';

const SMALL = process.env.BENCH_SERVER_SCALE === 'small';
const env = (name, full, small) => (process.env[name] ? process.env[name] : String(SMALL ? small : full));
const SECTIONS = 'latency,workers,cluster,failover,storm,chat';
// BENCH_ONLY is accepted too (a shorter name for the same list).
const ONLY = new Set((process.env.BENCH_SERVER_ONLY || process.env.BENCH_ONLY || SECTIONS).split(','));
const FAN_OUT = Number(env('BENCH_SERVER_FAN_OUT', availableParallelism(), availableParallelism()));
const LEVELS = env('BENCH_SERVER_LEVELS', '1000,5000,10000', '200,500').split(',').map(Number);
const RATE = Number(env('BENCH_SERVER_RATE', 20, 20));
const SECONDS = Number(env('BENCH_SERVER_SECONDS', 15, 5));
const FAILOVER_VIEWERS = Number(env('BENCH_SERVER_FAILOVER_VIEWERS', 5000, 300));
const FAILOVER_SECONDS = SMALL ? 16 : 30;
const STORM_VIEWERS = Number(env('BENCH_SERVER_STORM_VIEWERS', 5000, 300));
const LOG_LEVEL = env('BENCH_SERVER_LOG_LEVEL', 'info', 'info');
/** Viewers per worker process at most (a worker is one core's worth of parsing at 20 events/s). */
const PER_WORKER = 2500;
/** How long the bench waits for every viewer to have every acknowledged event after the host stops. */
const DRAIN_MS = 30_000;

const GOALS = {viewers: 10_000, p99Ms: 250, kbPerViewer: 30};
const ANCHORS = [
  'NATS: ~20–27 KB per WebSocket connection',
  'nchan: ~9–11 KB per connection',
];

const started = Date.now();
const log = (line) => {
  const s = Math.round((Date.now() - started) / 1000);
  console.log(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${line}`);
};
const results = [];
const token = await signHostToken({role: 'host', shows: '*', ttlSeconds: 3 * 3600, sub: 'bench'}, SECRETS.host);

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** `count` viewers over enough workers, all connected to `targets` (round robin per viewer). */
async function connectViewers(count, targets, show) {
  const workers = Array.from({length: Math.max(1, Math.ceil(count / PER_WORKER))}, startWorker);
  const share = (i) => Math.floor(count / workers.length) + (i < count % workers.length ? 1 : 0);
  const t0 = Date.now();
  const answers = await Promise.all(
    workers.map((w, i) => w.ask('connect', {targets: targets.map(({host, port}) => ({host, port})), show, count: share(i), concurrency: 100}, 300_000)),
  );
  const connected = answers.reduce((sum, a) => sum + (a.connected ?? 0), 0);
  return {workers, connected, connectMs: Date.now() - t0};
}

const askAll = (workers, cmd, body, ms) => Promise.all(workers.map((w) => w.ask(cmd, body, ms)));

/** Waits until every viewer has every acknowledged event (or `DRAIN_MS`); answers how long it took. */
async function drain(workers, acked) {
  await askAll(workers, 'expect', {acked});
  const t0 = Date.now();
  for (;;) {
    const statuses = await askAll(workers, 'status');
    const incomplete = statuses.reduce((sum, s) => sum + s.viewers - s.complete, 0);
    if (incomplete === 0 || Date.now() - t0 > DRAIN_MS) return {ms: Date.now() - t0, incomplete};
    await sleep(250);
  }
}

/** Merges the workers' reports: latency quantiles per target and overall, delivery, errors. */
async function collect(workers, targetCount) {
  const reports = await askAll(workers, 'report', {}, 60_000);
  const merged = Array.from({length: targetCount}, () => new Map());
  const sum = {viewers: 0, delivered: 0, expected: 0, repeats: 0, storedTwice: 0, dropped: 0, connectErrors: 0, reconnects: 0, bytes: 0, messages: 0, cpuMs: 0};
  const statuses = {};
  const reconnectMs = [];
  const catchUpMs = [];
  for (const r of reports) {
    for (const key of ['viewers', 'delivered', 'expected', 'repeats', 'storedTwice', 'bytes', 'messages', 'cpuMs']) sum[key] += r[key];
    sum.dropped += r.errors.dropped;
    sum.connectErrors += r.errors.connect;
    sum.reconnects += r.errors.reconnects;
    for (const [status, n] of Object.entries(r.errors.status)) statuses[status] = (statuses[status] ?? 0) + n;
    r.histograms.forEach((pairs, target) => {
      for (const [ms, n] of pairs) merged[target].set(ms, (merged[target].get(ms) ?? 0) + n);
    });
    reconnectMs.push(...r.reconnectMs);
    catchUpMs.push(...r.catchUpMs);
  }
  const stats = (maps) => {
    const all = new Map();
    for (const m of maps) for (const [ms, n] of m) all.set(ms, (all.get(ms) ?? 0) + n);
    const sorted = [...all].sort((a, b) => a[0] - b[0]);
    const total = sorted.reduce((s, [, n]) => s + n, 0);
    const at = (q) => {
      let seen = 0;
      for (const [ms, n] of sorted) if ((seen += n) >= Math.ceil(q * total)) return ms;
      return null;
    };
    return {samples: total, p50: at(0.5), p99: at(0.99), max: sorted.at(-1)?.[0] ?? null};
  };
  return {...sum, statuses, reconnectMs, catchUpMs, latency: stats(merged), perTarget: merged.map((m) => stats([m]))};
}

const pct = (part, whole) => (whole > 0 ? `${((part / whole) * 100).toFixed(part === whole ? 0 : 3)} %` : '—');
const kb = (bytes) => num(bytes / 1024, {digits: 1});
const mbOf = (bytes) => num(bytes / 1024 / 1024, {digits: 0});
const ms = (v) => num(v);
const met = (ok) => (ok ? 'met' : 'NOT met');

/**
 * One measured run: fresh nodes (started by `makeNodes`), `count` viewers split over them, the host at
 * RATE for `seconds` posting to the first node; `during(second, nodes)` may break things mid-run.
 */
async function measure({label, count, makeNodes, show, seconds = SECONDS, during}) {
  const {nodes, stopNodes} = await makeNodes();
  const pids = nodes.map((n) => n.pid);
  try {
    // A live show before anyone joins (what a viewer finds), then the idle footprint.
    await runHost({url: nodes[0].url, show, token, rate: 10, seconds: 0.1, firstIndex: 1_000_000});
    await sleep(1500);
    const rssBase = pids.map(rssOf);
    log(`${label}: connecting ${count} viewers`);
    const {workers, connected, connectMs} = await connectViewers(count, nodes, show);
    await sleep(2000);
    const rssIdle = pids.map(rssOf);
    log(`${label}: ${connected}/${count} connected in ${(connectMs / 1000).toFixed(1)} s; host posting ${RATE}/s for ${seconds} s`);
    const sampler = sampleRss(pids);
    const cpu0 = pids.map(cpuMsOf);
    const workerCpu0 = workers.map((w) => cpuMsOf(w.pid));
    const t0 = Date.now();
    const host = await runHost({url: nodes[0].url, show, token, rate: RATE, seconds, onSecond: (s) => during?.(s, nodes)});
    const hostMs = Date.now() - t0;
    const cpu1 = pids.map(cpuMsOf);
    const workerCpu1 = workers.map((w) => cpuMsOf(w.pid));
    const {peak} = sampler.stop();
    const drained = await drain(workers, host.acked);
    const report = await collect(workers, nodes.length);
    await Promise.all(workers.map((w) => w.close()));
    const alive = nodes.map((n) => n.alive);
    const sumAlive = (values) => values.reduce((s, v, i) => s + (alive[i] && Number.isFinite(v) ? v : 0), 0);
    const result = {
      label,
      count,
      connected,
      connectMs,
      host,
      hostMs,
      drained,
      report,
      rssBase: sumAlive(rssBase),
      rssIdle: sumAlive(rssIdle),
      rssPeak: sumAlive(pids.map((pid) => peak[pid])),
      // CPU of every node over the host's run, as % of one core (a killed node counts until it died).
      cpuPct: (nodes.reduce((s, _, i) => s + ((Number.isFinite(cpu1[i]) ? cpu1[i] : cpu0[i]) - cpu0[i]), 0) / hostMs) * 100,
      workerCpuPct: (workerCpu1.reduce((s, v, i) => s + (v - workerCpu0[i]), 0) / hostMs) * 100,
      nodes: nodes.map((n) => n.name),
    };
    const l = report.latency;
    log(`${label}: p50 ${l.p50} ms, p99 ${l.p99} ms, delivered ${pct(report.delivered, report.expected)}, repeats ${report.repeats}, ` +
      `${kb((result.rssIdle - result.rssBase) / count)} KB/viewer idle, CPU ${num(result.cpuPct)} %`);
    return result;
  } finally {
    await stopNodes();
  }
}

const latencyRow = (r) => {
  const perViewerIdle = (r.rssIdle - r.rssBase) / r.count;
  const perViewerPeak = (r.rssPeak - r.rssBase) / r.count;
  const bytesPerEvent = r.report.messages ? r.report.bytes / r.report.messages : NaN;
  return [
    r.label,
    String(r.count),
    num(r.connectMs / 1000, {digits: 1}),
    ms(r.report.latency.p50),
    ms(r.report.latency.p99),
    ms(r.report.latency.max),
    pct(r.report.delivered, r.report.expected),
    String(r.report.repeats),
    String(r.report.dropped + r.report.connectErrors),
    mbOf(r.rssBase),
    kb(perViewerIdle),
    kb(perViewerPeak),
    num(r.cpuPct),
    num(r.workerCpuPct),
    num(bytesPerEvent),
  ];
};
const LATENCY_HEADER = ['run', 'viewers', 'connect s', 'p50 ms', 'p99 ms', 'max ms', 'delivered', 'repeats', 'errors', 'base MB',
  'KB/viewer idle', 'KB/viewer peak', 'server CPU %', 'viewers CPU %', 'bytes/msg'];

const embeddedNodes = (fanOutWorkers = 0) => async () => {
  const node = await startNode({name: 'bench-embedded', logLevel: LOG_LEVEL, fanOutWorkers});
  return {nodes: [node], stopNodes: () => node.stop()};
};

let cluster = null;
const clusterNodes = (tag) => async () => {
  cluster ??= await startNatsCluster();
  const a = await startNode({name: `bench-${tag}-a`, nats: cluster.urls, logLevel: LOG_LEVEL});
  const b = await startNode({name: `bench-${tag}-b`, nats: cluster.urls, logLevel: LOG_LEVEL}).catch(async (e) => {
    await a.stop();
    throw e;
  });
  return {nodes: [a, b], stopNodes: () => Promise.all([a.stop(), b.stop()])};
};

// ---------------------------------------------------------------------------------------------------------
// Sections

const fd = raiseFdLimit(65_536);
const needed = Math.max(...LEVELS, FAILOVER_VIEWERS, STORM_VIEWERS) + 1024;
log(`open-file limit ${fd.limit}${fd.refused ? ` (raising it to 65536 was refused: ${fd.refused})` : ''}; the largest run needs about ${needed} in the server`);
if (fd.limit < needed) log(`WARNING: the limit is below what the largest run needs: expect connection errors there`);

async function latencySection() {
  const rows = [];
  for (const count of LEVELS) rows.push(await measure({label: 'embedded', count, makeNodes: embeddedNodes(), show: `bench-e${count}`}));
  return rows;
}

async function workersSection() {
  const rows = [];
  for (const count of LEVELS) rows.push(await measure({label: `${FAN_OUT} workers`, count, makeNodes: embeddedNodes(FAN_OUT), show: `bench-w${count}`}));
  return rows;
}

async function clusterSection() {
  const rows = [];
  for (const count of LEVELS) rows.push(await measure({label: 'cluster', count, makeNodes: clusterNodes(`c${count}`), show: `bench-c${count}`}));
  return rows;
}

/** The index of the NATS server leading the KOLKIT stream (the hardest one to lose), or 0. */
async function streamLeader() {
  for (let i = 0; i < cluster.nodes.length; i++) {
    const jsz = await cluster.jsz(i, 'streams=true').catch(() => null);
    for (const account of jsz?.account_details ?? []) {
      const stream = account.stream_detail?.find((s) => s.name === 'KOLKIT');
      const leader = stream?.cluster?.leader;
      if (leader) return Math.max(0, cluster.nodes.findIndex((n) => n.name === leader));
    }
  }
  return 0;
}

async function failoverSection() {
  const killAt = Math.round(FAILOVER_SECONDS / 3);
  const killed = {};
  const result = await measure({
    label: 'failover',
    count: FAILOVER_VIEWERS,
    makeNodes: clusterNodes('f'),
    show: 'bench-failover',
    seconds: FAILOVER_SECONDS,
    during: (second, nodes) => {
      if (second !== killAt) return;
      void (async () => {
        const leader = await streamLeader();
        killed.nats = cluster.nodes[leader].name;
        killed.at = Date.now();
        log(`failover: SIGKILL nats-server ${killed.nats} (the stream leader) and kolkit ${nodes[1].name}`);
        await Promise.all([cluster.kill(leader, 'SIGKILL'), nodes[1].kill('SIGKILL')]);
        killed.index = leader;
      })();
    },
  });
  if (killed.index !== undefined) await cluster.restart(killed.index).catch((e) => log(`failover: restarting ${killed.nats} failed: ${e.message}`));
  return {...result, killed};
}

async function stormSection() {
  const {nodes, stopNodes} = await embeddedNodes()();
  const node = nodes[0];
  const show = 'bench-storm';
  try {
    await runHost({url: node.url, show, token, rate: 10, seconds: 0.1, firstIndex: 1_000_000});
    log(`storm: connecting ${STORM_VIEWERS} viewers`);
    const {workers, connected} = await connectViewers(STORM_VIEWERS, nodes, show);
    log(`storm: ${connected} connected; host posting ${RATE}/s; all reconnect at once 5 s in`);
    const stormAt = 5;
    let storm = null;
    const stormSeconds = 20;
    const cpu0 = cpuMsOf(node.pid);
    const hostPromise = runHost({
      url: node.url,
      show,
      token,
      rate: RATE,
      seconds: stormSeconds,
      onSecond: (second) => {
        if (second !== stormAt) return;
        // Caught up: has every event up to the first one posted after the storm began.
        const caughtUpIndex = Math.ceil(second * RATE);
        storm = {at: Date.now(), caughtUpIndex, replies: askAll(workers, 'storm', {caughtUpIndex}, 120_000)};
        log(`storm: ${STORM_VIEWERS} viewers drop their streams and reconnect with Last-Event-ID`);
      },
    });
    // Every viewer back and caught up (watched while the host goes on posting), or the deadline.
    for (const giveUp = Date.now() + 60_000; !storm; await sleep(50)) if (Date.now() > giveUp) throw new Error('storm: the host never reached the storm');
    const replies = await storm.replies;
    let allCaughtUpMs = null;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const statuses = await askAll(workers, 'status');
      if (statuses.reduce((s, x) => s + x.caughtUp, 0) === STORM_VIEWERS) {
        allCaughtUpMs = Date.now() - storm.at;
        break;
      }
      await sleep(200);
    }
    const host = await hostPromise;
    const cpuPct = ((cpuMsOf(node.pid) - cpu0) / (stormSeconds * 1000)) * 100;
    const drained = await drain(workers, host.acked);
    const report = await collect(workers, 1);
    await Promise.all(workers.map((w) => w.close()));
    const result = {
      connected,
      reconnected: replies.reduce((s, r) => s + (r.reconnected ?? 0), 0),
      reconnectAllMs: Math.max(...replies.map((r) => r.ms ?? NaN)),
      allCaughtUpMs,
      report,
      host,
      drained,
      cpuPct,
    };
    log(`storm: all caught up in ${allCaughtUpMs ?? '—'} ms; errors ${report.dropped + report.connectErrors}; statuses ${JSON.stringify(report.statuses)}`);
    return result;
  } finally {
    await stopNodes();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Run and print

try {
  if (ONLY.has('latency')) results.push({section: 'latency', rows: await latencySection()});
  if (ONLY.has('workers')) results.push({section: 'workers', rows: await workersSection()});
  if (ONLY.has('cluster')) results.push({section: 'cluster', rows: await clusterSection()});
  if (ONLY.has('failover')) results.push({section: 'failover', result: await failoverSection()});
  if (ONLY.has('storm')) results.push({section: 'storm', result: await stormSection()});
  if (ONLY.has('chat')) results.push({section: 'chat', result: await chatSection({log, token})});
} finally {
  await cluster?.stop();
}

const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`\n==================== kolkit bench:server: summary (${SMALL ? 'small scale, ' : ''}${minutes} min) ====================`);
console.log(`Loopback only; viewers in ${PER_WORKER}-viewer worker processes on the same machine (their CPU is shown: it competes with the server's).`);
console.log(`Host: ${RATE} events/s (a tenth product.pin, the rest host chat.message), POSTed to the first node; latency = viewer receipt − host send (one clock).`);
console.log(`Goals: ${GOALS.viewers.toLocaleString('en')} viewers on one 2-core machine with p99 < ${GOALS.p99Ms} ms at 20 events/s; ≤ ${GOALS.kbPerViewer} KB per viewer.`);
console.log(`Anchors: ${ANCHORS.join('; ')} (on this kind of machine).`);

const embeddedRows = results.find((r) => r.section === 'latency')?.rows ?? [];
const workerRows = results.find((r) => r.section === 'workers')?.rows ?? [];
const clusterRows = results.find((r) => r.section === 'cluster')?.rows ?? [];
const sections = [
  ['Embedded mode (one kolkit process writes every stream)', embeddedRows],
  [`Embedded mode with --fan-out-workers ${FAN_OUT} (the streams written by ${FAN_OUT} worker processes; their memory and CPU counted)`, workerRows],
  ['Cluster mode (3 nats-server, 2 kolkit nodes; viewers split A/B, host → A)', clusterRows],
];
for (const [title, rows] of sections) {
  if (!rows.length) continue;
  console.log(`\n${title}\n${table([LATENCY_HEADER, ...rows.map(latencyRow)])}`);
  for (const r of rows) {
    const perViewer = (r.rssIdle - r.rssBase) / r.count / 1024;
    const notes = [
      `${r.count}: p99 ${r.report.latency.p99} ms vs goal < ${GOALS.p99Ms} ms: ${met(r.report.latency.p99 < GOALS.p99Ms)}; ` +
        `${perViewer.toFixed(1)} KB/viewer vs goal ≤ ${GOALS.kbPerViewer}: ${met(perViewer <= GOALS.kbPerViewer)} ` +
        `(${(perViewer / 23.5).toFixed(2)}× NATS's ~23.5, ${(perViewer / 10).toFixed(2)}× nchan's ~10)`,
    ];
    if (r.report.perTarget.length > 1) notes.push(`  per node: ${r.report.perTarget.map((t, i) => `${i ? 'B (via NATS)' : 'A (host posts here)'} p50 ${t.p50} / p99 ${t.p99} ms`).join('; ')}`);
    if (r.host.failed || r.host.retries) notes.push(`  host: ${r.host.failed} failed, ${r.host.retries} retries ${JSON.stringify(r.host.statuses)}`);
    if (r.drained.incomplete) notes.push(`  ${r.drained.incomplete} viewers still missing events after ${DRAIN_MS / 1000} s`);
    console.log(notes.map((n) => `  · ${n}`).join('\n'));
  }
}
for (const [name, rows] of [[`${FAN_OUT} fan-out workers`, workerRows], ['Cluster', clusterRows]]) {
  if (!embeddedRows.length || !rows.length) continue;
  const pairs = embeddedRows.map((e) => [e, rows.find((c) => c.count === e.count)]).filter(([, c]) => c);
  console.log(`\n${name} / embedded (same viewer count, same run)\n${table([
    ['viewers', 'p50 ratio', 'p99 ratio', 'KB/viewer ratio', 'CPU ratio'],
    ...pairs.map(([e, c]) => [
      String(e.count),
      `${num(c.report.latency.p50 / e.report.latency.p50, {digits: 2})}×`,
      `${num(c.report.latency.p99 / e.report.latency.p99, {digits: 2})}×`,
      `${num((c.rssIdle - c.rssBase) / (e.rssIdle - e.rssBase), {digits: 2})}×`,
      `${num(c.cpuPct / e.cpuPct, {digits: 2})}×`,
    ]),
  ])}`);
}

const failover = results.find((r) => r.section === 'failover')?.result;
if (failover) {
  const r = failover.report;
  const q = (list, p) => quantile(list, p);
  console.log(`\nFailover (cluster; ${failover.count} viewers; SIGKILL of nats-server ${failover.killed.nats ?? '—'} — the stream leader — and kolkit node B ${Math.round(FAILOVER_SECONDS / 3)} s into ${FAILOVER_SECONDS} s at ${RATE}/s)`);
  console.log(table([
    ['delivered/expected', 'repeats', 'stored twice', 'reconnects', 'reconnect p50 ms', 'p99 ms', 'max ms', 'latency p50 ms', 'p99 ms', 'max ms', 'host retries', 'host failed', 'drain s'],
    [
      `${r.delivered}/${r.expected} = ${pct(r.delivered, r.expected)}`,
      String(r.repeats),
      String(r.storedTwice),
      String(r.reconnects),
      ms(q(r.reconnectMs, 0.5)),
      ms(q(r.reconnectMs, 0.99)),
      ms(q(r.reconnectMs, 1)),
      ms(r.latency.p50),
      ms(r.latency.p99),
      ms(r.latency.max),
      String(failover.host.retries),
      String(failover.host.failed),
      num(failover.drained.ms / 1000, {digits: 1}),
    ],
  ]));
  console.log(`  · delivered must be 100 %: ${met(r.delivered === r.expected)}; repeats must be 0: ${met(r.repeats === 0)}` +
    (r.storedTwice ? `; ${r.storedTwice} viewer-receipts of a host retry stored as a second event` : ''));
  console.log(`  · host POSTs: ${failover.host.acked.length} acknowledged; refusals seen ${JSON.stringify(failover.host.statuses)}; POST p50 ${q(failover.host.postMs, 0.5)} ms, max ${q(failover.host.postMs, 1)} ms`);
}

const storm = results.find((r) => r.section === 'storm')?.result;
if (storm) {
  const r = storm.report;
  console.log(`\nReconnect storm (embedded; ${STORM_VIEWERS} viewers drop and reconnect at once with Last-Event-ID while the host posts ${RATE}/s)`);
  console.log(table([
    ['reconnected', 'all back ms', 'caught up p50 ms', 'p99 ms', 'all caught up ms', 'errors', 'statuses', 'delivered', 'repeats', 'server CPU %'],
    [
      `${storm.reconnected}/${STORM_VIEWERS}`,
      ms(storm.reconnectAllMs),
      ms(quantile(r.catchUpMs, 0.5)),
      ms(quantile(r.catchUpMs, 0.99)),
      ms(storm.allCaughtUpMs),
      String(r.dropped + r.connectErrors),
      JSON.stringify(r.statuses),
      pct(r.delivered, r.expected),
      String(r.repeats),
      num(storm.cpuPct),
    ],
  ]));
  console.log('  · caught up: back on the stream with every event up to the first one posted after the storm began.');
}
const chat = results.find((r) => r.section === 'chat')?.result;
if (chat) printChat(chat);
console.log('\nA benchmark, not a test: figures vary with the machine and its neighbours; compare rows of the same run.');
