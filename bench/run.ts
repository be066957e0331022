// npm run bench: the inbound → reply path measured the way production runs it. Each pesan instance is
// its own process (bench/instance.ts) with default logging (pino at info, to a file or /dev/null),
// WHATSAPP_MPS=1000 and a 29-product catalog loaded through the admin API. This process is the
// outside world: a stand-in Graph API (records every send), Midtrans and GoSend simulators, and the
// customers posting signed webhooks.
//
// Scenarios (BENCH_ONLY=comma list, default all): pglite, postgres (3,000 customers each sending
// "halo", 300 at a time), mixed (a third of the customers through a whole order), two (two instances
// on one PostgreSQL database), nlu (parser p99 on a 1,000-product catalog).
// Env: BENCH_N (3000), BENCH_C (300), BENCH_MIXED_N (3000), BENCH_LOG_FILE, PESAN_TEST_PG_URL.
import Fastify, { type FastifyInstance } from 'fastify';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { Agent } from 'undici';
import type { LoadResult, LoadSpec } from './load.js';
import { envelope as webhookEnvelope, postWebhook, type AckLog } from './post-webhook.js';
import { midtransSimulator } from '../src/payments/midtrans/simulator.js';
import { goSendSimulator } from '../src/delivery/gosend/simulator.js';
import { freePort } from '../test/helpers/pesan.js';
import { freshDatabaseUrl } from '../test/helpers/db.js';
import { benchNlu } from './nlu.js';

const N = Number(process.env.BENCH_N ?? 3000);
const C = Number(process.env.BENCH_C ?? 300);
const MIXED_N = Number(process.env.BENCH_MIXED_N ?? N);
const ONLY = new Set((process.env.BENCH_ONLY ?? 'pglite,postgres,mixed,two,nlu').split(',').map((s) => s.trim()));
const PHONE_ID = '109999999999';
const SECRET = 'bench-secret';
const ADMIN_KEY = 'bench-admin';
const MIDTRANS_KEY = 'SB-Mid-server-bench';
const GOSEND = { clientId: 'bench-gosend', passKey: 'bench-pass', webhookToken: 'bench-gosend-hook' };
const CATALOG_FILE = new URL('../test/nlu/catalogs/pharmacy.json', import.meta.url);

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

// ---------------------------------------------------------------- the outside world

interface Sent {
  to: string;
  at: number;
  body: any;
  text: string;
}

function textOf(m: any): string {
  if (m.type === 'text') return m.text?.body ?? '';
  if (m.type === 'interactive') {
    const i = m.interactive;
    const rows = (i.action?.sections ?? []).flatMap((s: any) => s.rows.map((r: any) => `[${r.id}] ${r.title}`));
    const buttons = (i.action?.buttons ?? []).map((b: any) => `[${b.reply.id}] ${b.reply.title}`);
    return [i.type, i.body?.text ?? '', ...rows, ...buttons].join('\n');
  }
  if (m.type === 'image') return `[image] ${m.image?.caption ?? ''}`;
  return JSON.stringify(m);
}

class World {
  app: FastifyInstance;
  base = '';
  /** Every message pesan sent (read receipts and typing indicators are not messages). */
  sends: Sent[] = [];
  listeners = new Set<(s: Sent) => void>();
  /** Midtrans charge reference by the customer's phone. */
  chargeByPhone = new Map<string, string>();
  webhookUrls: string[] = [];

  constructor() {
    this.app = Fastify({ bodyLimit: 20 * 1024 * 1024 });
    this.app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_req, _body, done) => done(null, {}));
    this.app.post('/:v/:phone/messages', async (req) => {
      const body = req.body as any;
      if (body.status === 'read') return { success: true };
      const s: Sent = { to: body.to, at: now(), body, text: textOf(body) };
      this.sends.push(s);
      for (const l of this.listeners) l(s);
      return { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.${randomBytes(8).toString('hex')}` }] };
    });
    this.app.post('/:v/:phone/media', async () => ({ id: `media.${randomBytes(6).toString('hex')}` }));
    this.app.addHook('preHandler', async (req) => {
      if (req.url.endsWith('/v2/charge')) {
        const b = req.body as any;
        if (b?.customer_details?.phone) this.chargeByPhone.set(b.customer_details.phone, b.transaction_details.order_id);
      }
    });
  }

  async start(): Promise<void> {
    const port = await freePort();
    this.base = `http://127.0.0.1:${port}`;
    // Notifications and courier webhooks go through a relay to the current first instance.
    this.app.post('/relay/:kind', async (req, reply) => {
      const { kind } = req.params as { kind: string };
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
      const res = await fetch(`${this.webhookUrls[0]}/webhooks/${kind}`, { method: 'POST', headers, body: JSON.stringify(req.body), dispatcher: agent } as any);
      return reply.code(res.status).send(Buffer.from(await res.arrayBuffer()));
    });
    await this.app.register(midtransSimulator, { prefix: '/midtrans', notificationUrl: `${this.base}/relay/midtrans`, serverKey: MIDTRANS_KEY });
    await this.app.register(goSendSimulator, {
      prefix: '/gosend',
      webhookUrl: `${this.base}/relay/gosend`,
      clientId: GOSEND.clientId,
      passKey: GOSEND.passKey,
      webhookToken: GOSEND.webhookToken,
      stepMs: 100,
      publicUrl: `${this.base}/gosend`,
    });
    await this.app.listen({ port, host: '127.0.0.1' });
  }

  reset(): void {
    this.sends = [];
    this.listeners.clear();
    this.chargeByPhone.clear();
  }
}

// ---------------------------------------------------------------- pesan instances

interface Instance {
  child: ChildProcess;
  url: string;
  pid: number;
  stats(): Promise<{ rssPeak: number; db: { statements: number; transactions: number } }>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function startInstance(world: World, databaseUrl: string | undefined, tag: string): Promise<Instance> {
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    SANDBOX: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    BENCH_LOG_FILE: process.env.BENCH_LOG_FILE ?? '/dev/null',
    ADMIN_API_KEY: ADMIN_KEY,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
    WHATSAPP_ACCESS_TOKEN: 'bench-token',
    WHATSAPP_APP_SECRET: SECRET,
    WHATSAPP_VERIFY_TOKEN: 'v',
    WHATSAPP_GRAPH_URL: world.base,
    WHATSAPP_MPS: '1000',
    MIDTRANS_SERVER_KEY: MIDTRANS_KEY,
    MIDTRANS_ENV: 'sandbox',
    MIDTRANS_BASE_URL: `${world.base}/midtrans`,
    PAYMENT_QRIS_GATEWAY: 'midtrans',
    PAYMENT_VA_GATEWAY: 'midtrans',
    GOSEND_CLIENT_ID: GOSEND.clientId,
    GOSEND_PASS_KEY: GOSEND.passKey,
    GOSEND_WEBHOOK_TOKEN: GOSEND.webhookToken,
    GOSEND_BASE_URL: `${world.base}/gosend`,
    GOSEND_ENV: 'sandbox',
    COURIERS: 'gosend,manual',
    PESAN_DATA_DIR: `/tmp/pesan-bench-${Date.now()}-${tag}`,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(process.env.PESAN_SQL_PROFILE ? { PESAN_SQL_PROFILE: process.env.PESAN_SQL_PROFILE } : {}),
  };
  const child = fork(new URL('./instance.ts', import.meta.url).pathname, [], { env, execArgv: ['--import', 'tsx', ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const on = (m: any) => {
        if (m.type === type) {
          child.off('message', on);
          resolve(m);
        }
      };
      child.on('message', on);
      child.send({ type });
    });
  const ready = await new Promise<{ url: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
    child.on('message', (m: any) => m.type === 'ready' && resolve(m));
  });
  return {
    child,
    url: ready.url,
    pid: child.pid!,
    stats: () => ask('stats'),
    reset: () => ask('reset'),
    stop: async () => {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' });
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

async function loadCatalog(inst: Instance): Promise<number> {
  // 29 products of the pharmacy catalog, with stock for every order the bench places.
  const products = (JSON.parse(readFileSync(CATALOG_FILE, 'utf8')) as any[]).slice(0, 29).map((p) => ({ ...p, stock: 1_000_000 }));
  const res = await fetch(`${inst.url}/api/v1/products`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(products),
  });
  if (res.status !== 200) throw new Error(`catalog load answered ${res.status}: ${await res.text()}`);
  return products.length;
}

// ---------------------------------------------------------------- customers

const agent = new Agent({ connections: 512, pipelining: 1, keepAliveTimeout: 30_000 });
let msgSeq = 0;

function envelope(waId: string, message: Record<string, unknown>): string {
  return webhookEnvelope(PHONE_ID, waId, `wamid.bench.${process.pid}.${++msgSeq}`, message);
}

const acks: number[] = [];
let ackFailures = 0;

/** Posts one signed webhook (retrying what got no 200, as Meta does); records the ack latency. */
async function post(url: string, waId: string, message: Record<string, unknown>): Promise<number> {
  const log: AckLog = { acks, failures: 0 };
  try {
    return await postWebhook(url, envelope(waId, message), SECRET, agent, log);
  } finally {
    ackFailures += log.failures;
  }
}

const say = (text: string) => ({ type: 'text', text: { body: text } });
const tap = (id: string, title: string) => ({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } });
const locate = (lat: number, lng: number) => ({ type: 'location', location: { latitude: lat, longitude: lng, address: 'Jl. Bangka Raya 12, Mampang' } });

/** Waits for the next send to waId (after `since`) that satisfies pred. */
function waitFor(world: World, waId: string, since: number, pred: (s: Sent) => boolean, timeoutMs: number): Promise<Sent | undefined> {
  const past = world.sends.find((s) => s.to === waId && s.at >= since && pred(s));
  if (past) return Promise.resolve(past);
  return new Promise((resolve) => {
    const l = (s: Sent) => {
      if (s.to === waId && s.at >= since && pred(s)) done(s);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const done = (s: Sent | undefined) => {
      clearTimeout(timer);
      world.listeners.delete(l);
      resolve(s);
    };
    world.listeners.add(l);
  });
}

interface Outcome {
  customers: number;
  answered: number;
  lost: number;
  sentTwice: number;
  firstReply: number[];
  acks: number[];
  ackFailures: number;
  ackSeconds: number;
  /** webhook answers during the burst of first messages (acks/s is over these) */
  burstAcks: number;
  seconds: number;
  rssPeakMb: number[];
  statementsPerMessage: number;
  transactionsPerMessage: number;
  inboundMessages: number;
  /** p50/p99 upper bucket bounds (ms) of the instances' own /metrics histograms */
  serverAck: [number, number];
  serverReply: [number, number];
  lagMaxMs: number;
  orders?: { started: number; completed: number; seconds: number; stepReply: number[] };
}

/** p50 and p99 (as the upper bound of their bucket, ms) of a histogram summed over instances. */
function histogramQuantiles(texts: string[], name: string): [number, number] {
  const buckets = new Map<string, number>();
  for (const t of texts) {
    for (const m of t.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))) buckets.set(m[1]!, (buckets.get(m[1]!) ?? 0) + Number(m[2]));
  }
  const list = [...buckets].map(([le, n]) => [le === '+Inf' ? Infinity : Number(le) * 1000, n] as const).sort((a, b) => a[0] - b[0]);
  const total = list.at(-1)?.[1] ?? 0;
  const q = (p: number) => list.find(([, n]) => n >= total * p)?.[0] ?? NaN;
  return [q(0.5), q(0.99)];
}

/** Replies sent twice: the same body to the same customer more than once. */
function sentTwice(sends: Sent[]): number {
  const seen = new Set<string>();
  let dup = 0;
  for (const s of sends) {
    const key = `${s.to}\u0000${JSON.stringify(s.body)}`;
    if (seen.has(key)) dup++;
    else seen.add(key);
  }
  return dup;
}

async function burst(world: World, instances: Instance[], opts: { customers: number; mixed: boolean; tag: string }): Promise<Outcome> {
  world.reset();
  acks.length = 0;
  ackFailures = 0;
  for (const i of instances) await i.reset();
  const n = opts.customers;
  const ids = Array.from({ length: n }, (_, i) => `62${opts.tag}${String(i).padStart(8, '0')}`);
  const sentAt = new Map<string, number>();
  let inbound = 0;
  const orderers = opts.mixed ? ids.filter((_, i) => i % 3 === 0) : [];
  const ordering = new Set(orderers);
  const completedAt: number[] = [];
  const stepReply: number[] = [];
  const orderFlows: Promise<void>[] = [];
  const urlOf = (i: number) => instances[i % instances.length]!.url;

  async function step(k: number, waId: string, message: Record<string, unknown>, pred: (s: Sent) => boolean, what: string): Promise<boolean> {
    const t = await post(urlOf(k), waId, message);
    inbound++;
    const hit = await waitFor(world, waId, t, pred, 120_000);
    if (!hit) {
      process.stderr.write(`order flow of ${waId} stalled waiting for ${what}\n`);
      return false;
    }
    stepReply.push(hit.at - t);
    return true;
  }

  async function wholeOrder(k: number, waId: string): Promise<void> {
    if (!(await waitFor(world, waId, 0, () => true, 120_000))) return;
    await sleep(50);
    if (!(await step(k, waId, say('paracetamol 2'), (s) => s.text.includes('Subtotal'), 'cart summary'))) return;
    if (!(await step(k, waId, tap('confirm', 'Ya, pesan'), (s) => s.body.interactive?.type === 'location_request_message', 'location request'))) return;
    if (!(await step(k, waId, locate(-6.2425, 106.8412), (s) => s.text.includes('Total:'), 'total'))) return;
    if (!(await step(k, waId, tap('pay:qris', 'QRIS'), (s) => s.body.type === 'image', 'QRIS image'))) return;
    const reference = world.chargeByPhone.get(waId);
    if (!reference) return void process.stderr.write(`no charge seen for ${waId}\n`);
    const t = now();
    const paid = await fetch(`${world.base}/midtrans/_sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference }) });
    if (!paid.ok) return void process.stderr.write(`pay ${reference} answered ${paid.status}\n`);
    const done = await waitFor(world, waId, t, (s) => s.text.includes('sudah sampai'), 180_000);
    if (done) completedAt.push(done.at);
    else process.stderr.write(`order of ${waId} did not complete\n`);
  }

  let t0 = now();
  let tAcked: number;
  if (!opts.mixed) {
    // the first messages come from customers of their own thread (bench/load.ts), as from Meta's servers
    const r = await new Promise<LoadResult>((resolve, reject) => {
      const w = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData: { urls: instances.map((i) => i.url), ids, c: C, phoneNumberId: PHONE_ID, secret: SECRET, text: 'halo' } satisfies LoadSpec });
      w.once('message', resolve);
      w.once('error', reject);
    });
    for (const [waId, t] of r.sentAt) sentAt.set(waId, t);
    inbound += r.sentAt.length;
    acks.push(...r.acks);
    ackFailures += r.ackFailures;
    t0 = r.t0;
    tAcked = r.tAcked;
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(C, n) }, async () => {
        for (;;) {
          const k = next++;
          if (k >= n) return;
          const waId = ids[k]!;
          const t = await post(urlOf(k), waId, say('halo'));
          inbound++;
          sentAt.set(waId, t);
          if (ordering.has(waId)) orderFlows.push(wholeOrder(k, waId));
        }
      }),
    );
    tAcked = now();
  }
  const burstAcks = acks.length;
  const deadline = Date.now() + 180_000;
  const firstReply = new Map<string, number>();
  const countFirst = () => {
    for (const s of world.sends) if (!firstReply.has(s.to) && sentAt.has(s.to)) firstReply.set(s.to, s.at);
  };
  for (;;) {
    countFirst();
    if (firstReply.size >= n || Date.now() > deadline) break;
    await sleep(100);
  }
  const tAnswered = Math.max(...firstReply.values(), t0);
  await Promise.all(orderFlows);
  await sleep(1000); // late duplicates
  countFirst();
  const stats = await Promise.all(instances.map((i) => i.stats()));
  const metrics = await Promise.all(instances.map(async (i) => (await fetch(`${i.url}/metrics`)).text()));
  const serverAck = histogramQuantiles(metrics, 'pesan_webhook_ack_seconds');
  const serverReply = histogramQuantiles(metrics, 'pesan_webhook_to_reply_seconds');
  const lagMax = Math.max(...metrics.map((m) => Number(/^pesan_event_loop_lag_max_seconds (\S+)/m.exec(m)?.[1] ?? NaN)));
  const statements = stats.reduce((a, s) => a + s.db.statements, 0);
  const transactions = stats.reduce((a, s) => a + s.db.transactions, 0);
  return {
    customers: n,
    answered: firstReply.size,
    lost: n - firstReply.size,
    sentTwice: sentTwice(world.sends),
    firstReply: [...firstReply].map(([id, at]) => at - sentAt.get(id)!),
    acks: [...acks],
    ackFailures,
    ackSeconds: (tAcked - t0) / 1000,
    burstAcks,
    seconds: (tAnswered - t0) / 1000,
    rssPeakMb: stats.map((s) => s.rssPeak / 1048576),
    statementsPerMessage: statements / Math.max(1, inbound),
    transactionsPerMessage: transactions / Math.max(1, inbound),
    inboundMessages: inbound,
    serverAck,
    serverReply,
    lagMaxMs: lagMax * 1000,
    ...(opts.mixed
      ? { orders: { started: orderers.length, completed: completedAt.length, seconds: (Math.max(...completedAt, t0) - t0) / 1000, stepReply } }
      : {}),
  };
}

// ---------------------------------------------------------------- scenarios and the table

interface Row {
  name: string;
  o: Outcome;
  target: { answered: number; replyP99: number; ackP99: number; rssMb: number };
}

const fmtMs = (ms: number) => (Number.isNaN(ms) ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

function printTable(rows: Row[]): void {
  const cols = ['', ...rows.map((r) => r.name)];
  const line = (label: string, cells: string[]) => `| ${[label, ...cells].join(' | ')} |`;
  const out: string[] = [];
  out.push(line(cols[0]!, cols.slice(1)), `|${cols.map(() => '---').join('|')}|`);
  const cell = (measured: string, target: string) => `${measured} (target ${target})`;
  out.push(line('customers answered/s', rows.map((r) => cell((r.o.answered / r.o.seconds).toFixed(0), `≥ ${r.target.answered}`))));
  out.push(line('webhook acks/s', rows.map((r) => (r.o.burstAcks / r.o.ackSeconds).toFixed(0))));
  out.push(line('ack p50 / p99', rows.map((r) => cell(`${fmtMs(pct(r.o.acks, 50))} / ${fmtMs(pct(r.o.acks, 99))}`, `p99 < ${r.target.ackP99} ms`))));
  out.push(line('webhook → first reply p50 / p99', rows.map((r) => cell(`${fmtMs(pct(r.o.firstReply, 50))} / ${fmtMs(pct(r.o.firstReply, 99))}`, `p99 < ${fmtMs(r.target.replyP99)}`))));
  out.push(line('ack p50 / p99 inside pesan (/metrics, bucket bound)', rows.map((r) => `≤ ${fmtMs(r.o.serverAck[0])} / ≤ ${fmtMs(r.o.serverAck[1])}`)));
  out.push(line('message → first reply sent, p50 / p99 inside pesan', rows.map((r) => `≤ ${fmtMs(r.o.serverReply[0])} / ≤ ${fmtMs(r.o.serverReply[1])}`)));
  out.push(line('event-loop lag max', rows.map((r) => fmtMs(r.o.lagMaxMs))));
  out.push(line('lost / sent twice', rows.map((r) => cell(`${r.o.lost} / ${r.o.sentTwice}`, '0 / 0'))));
  out.push(line('webhooks not acknowledged at once', rows.map((r) => String(r.o.ackFailures))));
  out.push(line('RSS peak per instance', rows.map((r) => cell(r.o.rssPeakMb.map((m) => `${m.toFixed(0)} MB`).join(' + '), `< ${r.target.rssMb} MB`))));
  out.push(line('SQL statements / transactions per inbound message', rows.map((r) => `${r.o.statementsPerMessage.toFixed(1)} / ${r.o.transactionsPerMessage.toFixed(1)}`)));
  const mixed = rows.filter((r) => r.o.orders);
  console.log(out.join('\n'));
  for (const r of mixed) {
    const o = r.o.orders!;
    console.log(
      `\n${r.name}: ${o.completed}/${o.started} whole orders completed in ${o.seconds.toFixed(1)} s = ${(o.completed / Math.max(0.001, o.seconds)).toFixed(1)} complete orders/s (target ≥ 100/s on PostgreSQL); ` +
        `reply to each order step p50 / p99 ${fmtMs(pct(o.stepReply, 50))} / ${fmtMs(pct(o.stepReply, 99))}`,
    );
  }
}

async function scenario(world: World, name: string, opts: { postgres: boolean; instances: number; mixed: boolean; customers: number }, tag: string): Promise<Outcome> {
  let url: string | undefined;
  let drop = async () => {};
  if (opts.postgres) ({ url, drop } = await freshDatabaseUrl());
  const instances: Instance[] = [];
  try {
    for (let i = 0; i < opts.instances; i++) instances.push(await startInstance(world, url, `${tag}${i}`));
    world.webhookUrls = instances.map((i) => i.url);
    await loadCatalog(instances[0]!);
    process.stderr.write(`${name}: ${opts.customers} customers, ${C} at a time…\n`);
    return await burst(world, instances, { customers: opts.customers, mixed: opts.mixed, tag });
  } finally {
    for (const i of instances) await i.stop();
    await drop().catch(() => undefined);
  }
}

async function main() {
  const world = new World();
  await world.start();
  const rows: Row[] = [];
  const pgTarget = { answered: 1000, replyP99: 1000, ackP99: 50, rssMb: 400 };
  const liteTarget = { answered: 300, replyP99: 2000, ackP99: 100, rssMb: 600 };
  if (ONLY.has('pglite')) rows.push({ name: 'PGlite', o: await scenario(world, 'PGlite', { postgres: false, instances: 1, mixed: false, customers: N }, '81'), target: liteTarget });
  if (ONLY.has('postgres')) rows.push({ name: 'PostgreSQL', o: await scenario(world, 'PostgreSQL', { postgres: true, instances: 1, mixed: false, customers: N }, '82'), target: pgTarget });
  if (ONLY.has('two')) rows.push({ name: 'PostgreSQL, 2 instances', o: await scenario(world, 'PostgreSQL, 2 instances', { postgres: true, instances: 2, mixed: false, customers: N }, '83'), target: { ...pgTarget, answered: 1700 } });
  if (ONLY.has('mixed')) rows.push({ name: 'PostgreSQL, mixed', o: await scenario(world, 'PostgreSQL, mixed', { postgres: true, instances: 1, mixed: true, customers: MIXED_N }, '84'), target: pgTarget });

  console.log(`\n== inbound → reply: ${N} customers each sending "halo", ${C} at a time; 29-product catalog via the admin API; LOG_LEVEL ${process.env.LOG_LEVEL ?? 'info'}; WHATSAPP_MPS 1000`);
  if (rows.length) printTable(rows);
  const one = rows.find((r) => r.name === 'PostgreSQL');
  const two = rows.find((r) => r.name === 'PostgreSQL, 2 instances');
  if (one && two) {
    const ratio = two.o.answered / two.o.seconds / (one.o.answered / one.o.seconds);
    console.log(`\ntwo instances on one PostgreSQL database: ${ratio.toFixed(2)} × one instance (target ≥ 1.7 ×)`);
  }
  await world.app.close();
  if (ONLY.has('nlu')) {
    console.log('\n== NLU (1,000-product catalog)');
    await benchNlu();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
