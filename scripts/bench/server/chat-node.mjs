// The show server the chat bench measures (chat.mjs): `createShowServer` in a process of its own, embedded,
// on 127.0.0.1, with the per-viewer and per-address chat limits raised — every bench viewer posts from
// 127.0.0.1, and the bench measures the chat path (moderation, mentions, the forwarding budget, the append),
// not the rate limiter. Prints `kolkit listening on <url>` like `kolkit serve`; SIGTERM closes it.
// Env: BENCH_CHAT_BUDGET (the forwarding budget, default the server's), KOLKIT_LOG_LEVEL.
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createLogger, createShowServer} from '../../../dist/node/server/index.js';
import {SECRETS} from './nodes.mjs';

const dir = await mkdtemp(join(tmpdir(), 'kolkit-bench-chat-'));
const budget = process.env.BENCH_CHAT_BUDGET;
const server = await createShowServer({
  port: 0,
  host: '127.0.0.1',
  dataDir: dir,
  secrets: SECRETS,
  node: 'bench-chat',
  logger: createLogger({level: process.env.KOLKIT_LOG_LEVEL || 'warn', node: 'bench-chat'}),
  limits: {rates: {chat: {perViewer: {points: 1000, seconds: 10}, perIp: {points: 1_000_000, seconds: 10}}}},
  ...(budget !== undefined && {chatBudget: Number(budget)}),
});
console.log(`kolkit listening on ${server.url}`);
process.once('SIGTERM', async () => {
  await server.close();
  await rm(dir, {recursive: true, force: true});
  process.exit(0);
});
