// kill -9 during whole orders: two pesan instances (separate processes) on one PostgreSQL database,
// behind a front that, like Meta, the gateway and the courier, retries on the other instance whatever got
// no 200. Forty customers go from "paracetamol 2" to a delivered order while one instance is SIGKILLed
// several times and restarted. Every order completes; no message is lost; no order, charge or booking is
// doubled; stock adds up; replies sent twice stay at or under 1%.
// The simulators (Meta, Midtrans, GoSend) run in this test's process, so they outlive the kills.
import { createWriteStream } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { freePort } from '../helpers/pesan.js';
import { freshDatabaseUrl } from '../helpers/db.js';
import { metaSimulator } from '../../src/channel/whatsapp/simulator.js';
import { midtransSimulator } from '../../src/payments/midtrans/simulator.js';
import { goSendSimulator } from '../../src/delivery/gosend/simulator.js';

const CUSTOMERS = Number(process.env.KILL_CUSTOMERS ?? 40);
const KILLS = Number(process.env.KILL_TIMES ?? 5);
/** Pause between B coming back up and the next kill (random in [1, 2] × this). */
const KILL_EVERY_MS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const SECRET = 'sandbox-app-secret';
const PHONE_NUMBER_ID = '100000000000001';

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

interface Instance {
  name: string;
  port: number;
  proc?: ChildProcess;
  up: boolean;
  starts: number;
}

describe('kill -9 during whole orders (two instances, PostgreSQL)', () => {
  let dbUrl: string;
  let dropDb: () => Promise<void>;
  let sims: FastifyInstance;
  let simBase: string;
  let front: Server;
  let frontBase: string;
  let pool: pg.Pool;
  const instances: Instance[] = [];
  const stats = { forwarded: 0, retried: 0, gaveUp: 0, metaRetries: 0, errors: new Map<string, number>() };
  let rr = 0;

  async function startInstance(inst: Instance): Promise<void> {
    const env = {
      ...process.env,
      PORT: String(inst.port),
      HOST: '127.0.0.1',
      PUBLIC_URL: frontBase,
      SANDBOX: '1',
      DATABASE_URL: dbUrl,
      ADMIN_API_KEY: 'kill-test-admin-key',
      COURIERS: 'gosend,manual',
      PAYMENT_QRIS_GATEWAY: 'midtrans',
      PAYMENT_VA_GATEWAY: 'midtrans',
      JOB_POLL_MS: '100',
      COURIER_POLL_SECONDS: '5',
      SANDBOX_COURIER_STEP_MS: '400',
      LOG_LEVEL: process.env.KILL_LOG_LEVEL ?? 'silent',
    };
    const proc = spawn(process.execPath, ['--import', 'tsx', 'test/faults/instance.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    inst.proc = proc;
    inst.starts++;
    // KILL_LOG_DIR keeps each instance's log (with KILL_LOG_LEVEL) for reading a failed run.
    if (process.env.KILL_LOG_DIR) proc.stdout!.pipe(createWriteStream(`${process.env.KILL_LOG_DIR}/${inst.name}-${inst.starts}.log`));
    let err = '';
    proc.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${inst.name} did not start in 60 s\n${err}`)), 60_000);
      proc.stdout!.on('data', (d) => {
        if (String(d).includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.on('exit', (code, signal) => {
        inst.up = false;
        if (code !== null && code !== 0) reject(new Error(`${inst.name} exited ${code}\n${err}`));
        void signal;
      });
    });
    inst.up = true;
  }

  /** Forwards to an instance; on no answer or a 5xx, tries again (the other instance first). */
  async function forward(method: string, url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; headers: Headers; body: Buffer }> {
    const start = Date.now();
    let attempt = 0;
    for (;;) {
      const inst = instances[(rr++ + attempt) % instances.length];
      attempt++;
      if (attempt > 1) stats.retried++;
      try {
        const res = await fetch(`http://127.0.0.1:${inst.port}${url}`, {
          method,
          headers,
          body: method === "GET" || method === "HEAD" ? undefined : new Uint8Array(body),
          signal: AbortSignal.timeout(10_000),
        });
        const out = Buffer.from(await res.arrayBuffer());
        if (res.status < 500) {
          stats.forwarded++;
          return { status: res.status, headers: res.headers, body: out };
        }
        stats.errors.set(`${inst.name} ${res.status}`, (stats.errors.get(`${inst.name} ${res.status}`) ?? 0) + 1);
      } catch (err) {
        // refused (killed) or cut off mid-request: the sender retries
        const why = `${inst.name} ${((err as Error).cause as Error | undefined)?.message ?? (err as Error).message}`.slice(0, 60);
        stats.errors.set(why, (stats.errors.get(why) ?? 0) + 1);
      }
      if (Date.now() - start > 120_000) {
        stats.gaveUp++;
        return { status: 502, headers: new Headers(), body: Buffer.from('{"error":"no instance answered"}') };
      }
      await sleep(Math.min(1000, 50 * attempt));
    }
  }

  before(async () => {
    const fresh = await freshDatabaseUrl();
    dbUrl = fresh.url;
    dropDb = fresh.drop;
    pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
    const frontPort = await freePort();
    frontBase = `http://127.0.0.1:${frontPort}`;

    sims = Fastify({ logger: false });
    await sims.register(metaSimulator, { prefix: '/sandbox/meta', webhookUrl: `${frontBase}/webhooks/whatsapp`, appSecret: SECRET, accessToken: 'sandbox-access-token', phoneNumberId: PHONE_NUMBER_ID });
    await sims.register(midtransSimulator, { prefix: '/sandbox/midtrans', notificationUrl: `${frontBase}/webhooks/midtrans`, serverKey: 'SB-Mid-server-sandbox-key' });
    await sims.register(
      async (app) => goSendSimulator(app, { webhookUrl: `${frontBase}/webhooks/gosend`, clientId: 'sandbox-gosend-client', passKey: 'sandbox-gosend-pass-key', webhookToken: 'sandbox-gosend-webhook-token', stepMs: 400, publicUrl: `${frontBase}/sandbox/gosend` }),
      { prefix: '/sandbox/gosend' },
    );
    await sims.listen({ port: 0, host: '127.0.0.1' });
    const addr = sims.server.address();
    simBase = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

    front = createServer(async (req, res) => {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
      const url = req.url ?? '/';
      let out: { status: number; headers: Headers; body: Buffer };
      if (url.startsWith('/sandbox/meta/') || url.startsWith('/sandbox/midtrans/') || url.startsWith('/sandbox/gosend/')) {
        const r = await fetch(`${simBase}${url}`, { method: req.method, headers, body: req.method === "GET" ? undefined : new Uint8Array(body) });
        out = { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
      } else {
        out = await forward(req.method ?? 'GET', url, headers, body);
      }
      const ct = out.headers.get('content-type');
      res.writeHead(out.status, ct ? { 'content-type': ct } : {});
      res.end(out.body);
    });
    await new Promise<void>((r) => front.listen(frontPort, '127.0.0.1', r));

    for (const name of ['A', 'B']) instances.push({ name, port: await freePort(), up: false, starts: 0 });
    await startInstance(instances[0]); // migrates first
    await startInstance(instances[1]);
  });

  after(async () => {
    for (const i of instances) i.proc?.kill('SIGKILL');
    await sleep(300);
    await new Promise<void>((r) => front?.close(() => r()));
    await sims?.close();
    await pool?.end();
    await dropDb?.();
  });

  const sim = `/sandbox/meta/_sim`;
  async function inbound(waId: string, message: unknown) {
    const r = await fetch(`${simBase}${sim}/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: waId, name: 'Pelanggan', message }) });
    let b = (await r.json()) as { webhook_status?: number; wa_message_id?: string };
    // Meta retries a webhook that got no 200 (here: not within the simulator's 10 s).
    for (let i = 0; b.webhook_status !== 200 && b.wa_message_id && i < 10; i++) {
      stats.metaRetries++;
      await sleep(1000);
      b = (await (await fetch(`${simBase}${sim}/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_message_id: b.wa_message_id }) })).json()) as typeof b;
    }
    assert.equal(b.webhook_status, 200, `webhook for ${waId} answered ${b.webhook_status}`);
  }
  async function outMessages(waId: string): Promise<any[]> {
    const r = await fetch(`${simBase}${sim}/conversations/${waId}`);
    return (((await r.json()) as { messages: any[] }).messages ?? []).filter((m) => m.direction === 'out');
  }
  const textOf = (m: any) => JSON.stringify(m.message);
  async function waitOut(waId: string, from: number, pred: (t: string, m: any) => boolean, what: string, timeoutMs = 100_000) {
    const start = Date.now();
    for (;;) {
      const out = await outMessages(waId);
      const hit = out.slice(from).find((m) => pred(textOf(m), m));
      if (hit) return out.length;
      if (Date.now() - start > timeoutMs) throw new Error(`${waId}: timed out waiting for ${what}; got:\n${out.map(textOf).join('\n').slice(-3000)}`);
      await sleep(300);
    }
  }
  async function step(waId: string, message: unknown, pred: (t: string, m: any) => boolean, what: string) {
    const from = (await outMessages(waId)).length;
    await inbound(waId, message);
    return waitOut(waId, from, pred, what);
  }
  async function db<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await pool.query(sql, params)).rows as T[];
  }

  async function wholeOrder(waId: string) {
    await step(waId, { type: 'text', text: 'paracetamol 2' }, (t) => t.includes('Subtotal'), 'summary');
    await step(waId, { type: 'interactive', kind: 'button_reply', replyId: 'confirm', title: 'Ya, pesan' }, (_t, m) => m.message.interactive?.type === 'location_request_message', 'location request');
    await step(waId, { type: 'location', latitude: -6.2425, longitude: 106.8412, address: 'Jl. Bangka Raya 12' }, (t) => t.includes('Total:'), 'total');
    await step(waId, { type: 'interactive', kind: 'button_reply', replyId: 'pay:qris', title: 'QRIS' }, (_t, m) => m.message.type === 'image', 'QRIS image');
    const [pay] = await db<{ reference: string }>(
      `SELECT p.reference FROM payments p JOIN orders o ON o.id = p.order_id JOIN customers c ON c.id = o.customer_id WHERE c.wa_id = $1 AND p.status = 'pending' ORDER BY p.id DESC LIMIT 1`,
      [waId],
    );
    assert.ok(pay, `${waId}: a pending payment`);
    const from = (await outMessages(waId)).length;
    const paid = await fetch(`${simBase}/sandbox/midtrans/_sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference: pay.reference }) });
    assert.equal(paid.status, 200);
    await waitOut(waId, from, (t) => t.includes('sudah diterima'), 'payment confirmation');
    const start = Date.now();
    for (;;) {
      const [o] = await db<{ status: string }>(`SELECT o.status FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.wa_id = $1 ORDER BY o.created_at DESC LIMIT 1`, [waId]);
      if (o && ['delivered', 'completed'].includes(o.status)) return;
      assert.ok(Date.now() - start < 120_000, `${waId}: order still ${o?.status}`);
      await sleep(500);
    }
  }

  it(`${CUSTOMERS} whole orders while instance B is killed ${KILLS} times`, { timeout: 300_000 }, async () => {
    const stockBefore = await db<{ catalog_id: string; sku: string; stock: number }>('SELECT catalog_id, sku, stock FROM products');
    const waIds = Array.from({ length: CUSTOMERS }, (_, i) => `628130010${String(i).padStart(4, '0')}`);
    const t0 = Date.now();
    let done = false;
    const killer = (async () => {
      for (let k = 0; k < KILLS && !done; k++) {
        await sleep(KILL_EVERY_MS * (1 + Math.random()));
        if (done) break;
        const b = instances[1];
        b.proc?.kill('SIGKILL');
        await sleep(500);
        await startInstance(b);
      }
    })();
    // Customers arrive over the first seconds, so kills land in every phase of an order.
    const results = await Promise.allSettled(waIds.map(async (w, i) => {
      await sleep(i * 250);
      await wholeOrder(w);
    }));
    done = true;
    await killer;
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${waIds[i]}: ${(r.reason as Error).message.slice(0, 600)}`] : []));
    if (failed.length) console.log(`front: ${[...stats.errors].map(([k, v]) => `${k}: ${v}`).join(', ')}`);
    assert.deepEqual(failed, [], 'every order completes');
    const elapsed = Date.now() - t0;

    // Let what is in flight settle: nothing queued, nothing unprocessed.
    const settle = Date.now();
    for (;;) {
      const [q] = await db<{ queued: number; unprocessed: number }>(
        `SELECT (SELECT COUNT(*)::int FROM outbound_messages WHERE status = 'queued') AS queued, (SELECT COUNT(*)::int FROM inbound_messages WHERE processed_at IS NULL) AS unprocessed`,
      );
      if (q.queued === 0 && q.unprocessed === 0) break;
      assert.ok(Date.now() - settle < 60_000, `still ${q.queued} queued replies, ${q.unprocessed} unprocessed messages`);
      await sleep(500);
    }
    await sleep(1500);

    // One order, one charge, one booking per customer.
    const orders = await db<{ wa_id: string; id: string; status: string }>(`SELECT c.wa_id, o.id, o.status FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.wa_id LIKE '628130010%'`);
    assert.equal(orders.length, CUSTOMERS, 'one order per customer');
    const charges = (((await (await fetch(`${simBase}/sandbox/midtrans/_sim/charges`)).json()) as any).charges ?? []) as any[];
    const bookings = (((await (await fetch(`${simBase}/sandbox/gosend/_sim/bookings`)).json()) as any).bookings ?? []) as any[];
    const payments = await db<{ order_id: string; reference: string }>(`SELECT order_id, reference FROM payments`);
    assert.equal(charges.length, CUSTOMERS, 'one charge per order at the gateway');
    for (const o of orders) {
      const rows = payments.filter((p) => p.order_id === o.id);
      assert.equal(rows.length, 1, `${o.id}: ${rows.length} payment rows`);
      const c = charges.filter((x) => x.reference === rows[0].reference);
      assert.equal(c.length, 1, `${o.id}: ${c.length} charges at the gateway`);
      const b = bookings.filter((x) => x.storeOrderId === o.id);
      assert.equal(b.length, 1, `${o.id}: ${b.length} GoSend bookings`);
    }
    // Stock: what left the shelf is exactly what the orders hold.
    const stockAfter = await db<{ catalog_id: string; sku: string; stock: number }>('SELECT catalog_id, sku, stock FROM products');
    const held = await db<{ catalog_id: string; sku: string; q: number }>(`SELECT catalog_id, sku, SUM(quantity)::int AS q FROM stock_reservations WHERE status IN ('active', 'committed') GROUP BY catalog_id, sku`);
    const items = await db<{ q: number }>(`SELECT COALESCE(SUM(quantity), 0)::int AS q FROM order_items`);
    for (const before of stockBefore) {
      const now = stockAfter.find((s) => s.catalog_id === before.catalog_id && s.sku === before.sku)!;
      const h = held.find((s) => s.catalog_id === before.catalog_id && s.sku === before.sku)?.q ?? 0;
      assert.equal(before.stock - now.stock, h, `stock of ${before.sku}`);
    }
    assert.equal(held.reduce((a, h) => a + h.q, 0), items[0].q, 'reserved = ordered');
    assert.equal(items[0].q, 2 * CUSTOMERS);

    // No message lost (every stored reply went out); replies sent twice ≤ 1%.
    let stored = 0;
    let delivered = 0;
    let twice = 0;
    for (const w of waIds) {
      const rows = await db<{ n: number }>(`SELECT COUNT(*)::int AS n FROM outbound_messages WHERE to_wa_id = $1 AND status <> 'failed'`, [w]);
      const out = await outMessages(w);
      stored += rows[0].n;
      delivered += out.length;
      twice += Math.max(0, out.length - rows[0].n);
      assert.ok(out.length >= rows[0].n, `${w}: ${rows[0].n} replies stored, ${out.length} reached the customer`);
    }
    const dupRate = twice / Math.max(1, stored);
    const stuckJobs = await db<{ n: number }>(`SELECT COUNT(*)::int AS n FROM jobs WHERE failed_at IS NOT NULL`);
    console.log(`kill test: ${CUSTOMERS} orders in ${(elapsed / 1000).toFixed(1)} s, instance B started ${instances[1].starts} times (${instances[1].starts - 1} kills); front forwarded ${stats.forwarded}, retried ${stats.retried} (${[...stats.errors].map(([k, v]) => `${k}: ${v}`).join(', ')}), Meta retried ${stats.metaRetries}; replies stored ${stored}, delivered ${delivered}, sent twice ${twice} (${(dupRate * 100).toFixed(2)}%); failed jobs ${stuckJobs[0].n}`);
    assert.equal(stats.gaveUp, 0);
    assert.ok(dupRate <= 0.01, `replies sent twice: ${twice} of ${stored}`);
  });
});
