// The chat section of `npm run bench:server` (BENCH_SERVER_ONLY=chat runs it alone): a burst of viewer chat on
// one show. POSTERS viewers (one keep-alive connection each) post MESSAGES messages as fast as the server
// answers, every tenth mentioning "#7"; SSE_VIEWERS viewers (a viewer worker, viewers.mjs) read the show's
// stream. Printed: accepted per second over the burst, the answer time p50/p99, how many were forwarded (the
// per-show budget, DESIGN.md §8.4), and what the SSE viewers got of the forwarded ones (delivery and latency,
// from the marker the first 4,096 messages carry). The server runs in a process of its own (chat-node.mjs).
// Bounded: the burst stops after BURST_LIMIT_MS, the drain after DRAIN_MS.
import {spawn} from 'node:child_process';
import {Agent, request} from 'node:http';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {num, quantile, sleep, table} from '../stats.mjs';
import {cpuMsOf, startWorker} from './nodes.mjs';

const SMALL = process.env.BENCH_SERVER_SCALE === 'small';
const env = (name, full, small) => Number(process.env[name] ?? (SMALL ? small : full));
const POSTERS = env('BENCH_SERVER_CHAT_POSTERS', 1000, 200);
const MESSAGES = env('BENCH_SERVER_CHAT_MESSAGES', 10_000, 2000);
const SSE_VIEWERS = env('BENCH_SERVER_CHAT_VIEWERS', 300, 100);
const BURST_LIMIT_MS = 120_000;
const DRAIN_MS = 20_000;
/** Messages that carry the viewers' latency marker (viewers.mjs counts at most this many events). */
const MARKED = 4096;
const NODE = join(dirname(fileURLToPath(import.meta.url)), 'chat-node.mjs');

/** Starts chat-node.mjs; answers {url, host, port, pid, stop()}. */
async function startChatNode() {
  const child = spawn(process.execPath, [NODE], {stdio: ['ignore', 'pipe', 'inherit']});
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the chat bench server did not start in 30 s')), 30_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = /kolkit listening on (http:\/\/\S+)/.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the chat bench server exited (${code})`)));
  });
  const {hostname, port} = new URL(url);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    host: hostname,
    port: Number(port),
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** POSTs `body` as JSON on `agent`; answers {status, json, ms}. */
function postJson(agent, url, body, headers) {
  const data = JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, {method: 'POST', agent, headers: {'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers}}, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {}
        resolve({status: res.statusCode, json, ms: performance.now() - started});
      });
    });
    req.on('error', (error) => resolve({status: 0, json: {error: error.code}, ms: performance.now() - started}));
    req.end(data);
  });
}

/** Runs the chat burst; `log` prints progress, `token` is a host token for every show. */
export async function chatSection({log, token}) {
  const show = `bench-chat-${Date.now().toString(36)}`;
  const node = await startChatNode();
  const agent = new Agent({keepAlive: true, maxSockets: POSTERS});
  const worker = startWorker();
  try {
    const base = `${node.url}/v1/shows/${show}`;
    const pinned = await postJson(agent, `${base}/events`, {type: 'product.pin', productId: 'p-7', label: '#7'}, {authorization: `Bearer ${token}`});
    if (pinned.status !== 201) throw new Error(`the host's pin was refused: ${pinned.status} ${JSON.stringify(pinned.json)}`);
    const viewers = await worker.ask('connect', {targets: [{host: node.host, port: node.port}], show, count: SSE_VIEWERS, concurrency: 100}, 120_000);
    log(`chat: ${viewers.connected}/${SSE_VIEWERS} SSE viewers; ${POSTERS} posters send ${MESSAGES} messages`);

    let next = 0;
    const answers = [];
    const acked = [];
    const cpuBefore = cpuMsOf(node.pid);
    const started = performance.now();
    const poster = async (i) => {
      const headers = {'x-kol-viewer': `bench-viewer-${String(i).padStart(6, '0')}`};
      while (next < MESSAGES && performance.now() - started < BURST_LIMIT_MS) {
        const index = next++;
        const marker = index < MARKED ? `~kb${index}.${Date.now()}~ ` : '';
        const text = `${marker}${index % 10 === 0 ? 'can we see #7 in blue?' : 'love this, what size is she wearing?'}`;
        const answer = await postJson(agent, `${base}/chat`, {text}, headers);
        answers.push(answer);
        if (answer.status === 202 && answer.json.forwarded && index < MARKED) acked.push(index);
      }
    };
    await Promise.all(Array.from({length: POSTERS}, (_, i) => poster(i)));
    const burstMs = performance.now() - started;
    const cpuMs = cpuMsOf(node.pid) - cpuBefore;

    await worker.ask('expect', {acked});
    const drainStarted = Date.now();
    for (;;) {
      const status = await worker.ask('status');
      if (status.complete === status.viewers || Date.now() - drainStarted > DRAIN_MS) break;
      await sleep(250);
    }
    const report = await worker.ask('report', {}, 60_000);
    const statuses = {};
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    const accepted = answers.filter((a) => a.status === 202);
    const hist = new Map(report.histograms[0]);
    const sorted = [...hist].sort((x, y) => x[0] - y[0]);
    const samples = sorted.reduce((s, [, n]) => s + n, 0);
    const at = (q) => {
      let seen = 0;
      for (const [ms, n] of sorted) if ((seen += n) >= Math.ceil(q * samples)) return ms;
      return null;
    };
    const result = {
      posters: POSTERS,
      sent: answers.length,
      accepted: accepted.length,
      forwarded: accepted.filter((a) => a.json.forwarded).length,
      statuses,
      burstMs,
      answerP50: quantile(answers.map((a) => a.ms), 0.5),
      answerP99: quantile(answers.map((a) => a.ms), 0.99),
      forwardedAnswerP50: quantile(accepted.filter((a) => a.json.forwarded).map((a) => a.ms), 0.5),
      cpuPct: (cpuMs / burstMs) * 100,
      sseViewers: report.viewers,
      delivered: report.delivered,
      expected: report.expected,
      deliveryP50: at(0.5),
      deliveryP99: at(0.99),
      repeats: report.repeats,
    };
    log(`chat: ${result.accepted}/${result.sent} accepted in ${(burstMs / 1000).toFixed(1)} s, ${result.forwarded} forwarded`);
    return result;
  } finally {
    await worker.close();
    agent.destroy();
    await node.stop();
  }
}

/** Prints the chat section's result. */
export function printChat(r) {
  const seconds = r.burstMs / 1000;
  console.log(`\nChat burst (embedded; ${r.posters} viewers post ${r.sent} messages to one show as fast as answered, every tenth with "#7"; ${r.sseViewers} SSE viewers; budget per show per second as configured)`);
  console.log(table([
    ['accepted', 'accepted/s', 'answer p50 ms', 'p99 ms', 'forwarded', 'forwarded/s', 'statuses', 'server CPU %', 'delivered', 'delivery p50 ms', 'p99 ms', 'repeats'],
    [
      `${r.accepted}/${r.sent}`,
      num(r.accepted / seconds),
      num(r.answerP50, {digits: 1}),
      num(r.answerP99, {digits: 1}),
      String(r.forwarded),
      num(r.forwarded / seconds, {digits: 1}),
      JSON.stringify(r.statuses),
      num(r.cpuPct),
      `${r.delivered}/${r.expected}`,
      num(r.deliveryP50),
      num(r.deliveryP99),
      String(r.repeats),
    ],
  ]));
  console.log('  · delivered counts the forwarded messages among the first 4,096 (they carry the latency marker), per SSE viewer;');
  console.log(`    delivery latency is the viewer's receipt − the poster's send: it includes the wait for an answer (a forwarded message's answer p50 ${num(r.forwardedAnswerP50, {digits: 1})} ms).`);
}
