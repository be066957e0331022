// npm run bench: throughput and latency of the whole inbound → reply path, then NLU speed.
// pesan runs on loopback against a stand-in Graph API that answers at once; a load thread posts
// N signed inbound texts (each from its own customer), C at a time. Env: BENCH_N, BENCH_C, DATABASE_URL.
import Fastify from 'fastify';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { startApp } from '../src/app.js';
import { Worker } from 'node:worker_threads';
import { freePort } from '../test/helpers/pesan.js';
import { benchNlu } from './nlu.js';

const N = Number(process.env.BENCH_N ?? 3000);
const C = Number(process.env.BENCH_C ?? 300);
const PHONE_ID = '109999999999';
const SECRET = 'bench-secret';
const TEXTS = ['halo', 'paracetamol 2 sama aqua 1', 'menu', 'ada vitamin c?', 'indomie goreng 3', 'harga panadol berapa'];

const now = () => performance.timeOrigin + performance.now();
const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN);

async function main() {
  // Stand-in Graph API: records when the first reply to each customer message arrives.
  const firstReply = new Map<string, number>();
  let replies = 0;
  const graph = Fastify();
  graph.post('/:v/:phone/messages', async (req) => {
    const body = req.body as { to: string };
    replies++;
    if (!firstReply.has(body.to)) firstReply.set(body.to, now());
    return { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.${randomBytes(8).toString('hex')}` }] };
  });
  const graphPort = await freePort();
  await graph.listen({ port: graphPort, host: '127.0.0.1' });

  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
    WHATSAPP_ACCESS_TOKEN: 'bench-token',
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: 'v',
    WHATSAPP_GRAPH_URL: `http://127.0.0.1:${graphPort}`,
    WHATSAPP_MPS: '100000',
    ADMIN_API_KEY: 'bench',
    SANDBOX: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PESAN_DATA_DIR: `/tmp/pesan-bench-${Date.now()}`,
    JOB_POLL_MS: '200',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  });
  const app = await startApp(config);
  const { DEMO_PRODUCTS } = await import('../src/sandbox/demo-catalog.js');
  const { upsertProducts } = await import('../src/catalog/internal.js');
  await app.ctx.db.tx((tx) => upsertProducts(tx, 'default:internal', DEMO_PRODUCTS));

  // The load comes from another thread; times are wall-clock so both threads compare.
  const result = await new Promise<{ sentAt: [string, number][]; acked: number; t0: number; tAcked: number }>((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
      workerData: { url: `http://127.0.0.1:${port}/webhooks/whatsapp`, n: N, c: C, phoneNumberId: PHONE_ID, secret: SECRET, texts: TEXTS },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const sentAt = new Map(result.sentAt);
  const { acked, t0, tAcked } = result;
  const deadline = Date.now() + 180_000;
  while (firstReply.size < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const tDone = now();
  const latencies = [...sentAt].filter(([id]) => firstReply.has(id)).map(([id, t]) => firstReply.get(id)! - t).sort((a, b) => a - b);
  const lost = N - firstReply.size;
  console.log(`\n== inbound → reply (N=${N}, C=${C}, ${app.ctx.db.kind})`);
  console.log(`acks/s:                 ${(acked / ((tAcked - t0) / 1000)).toFixed(0)}  (${acked}/${N} acknowledged in ${((tAcked - t0) / 1000).toFixed(1)} s)`);
  console.log(`replies/s:              ${(replies / ((tDone - t0) / 1000)).toFixed(0)}  (${replies} replies sent in ${((tDone - t0) / 1000).toFixed(1)} s)`);
  console.log(`messages answered/s:    ${(firstReply.size / ((tDone - t0) / 1000)).toFixed(0)}`);
  console.log(`webhook→reply p50/p99:  ${pct(latencies, 50).toFixed(0)} ms / ${pct(latencies, 99).toFixed(0)} ms`);
  console.log(`lost:                   ${lost}`);
  await app.stop();
  await graph.close();

  console.log('\n== NLU');
  await benchNlu();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
