// Starts a whole pesan instance in sandbox mode on a free loopback port with its own fresh
// database, and drives it as a customer through the Meta simulator's control API.
import { createServer } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { startApp, type RunningApp } from '../../src/app.js';
import { openPglite, openPostgres, type Db } from '../../src/db/index.js';
import { createLogger } from '../../src/shared/log.js';
import { freshDatabaseUrl, type DbKind } from './db.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (!addr || typeof addr === 'string') return reject(new Error('no port'));
      srv.close(() => resolve(addr.port));
    });
  });
}

export interface Pesan extends RunningApp {
  base: string;
  adminKey: string;
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  customer(waId: string, name?: string): Customer;
  databaseUrl?: string;
  dropDb(): Promise<void>;
}

export interface SimMessage {
  id: string;
  direction: 'in' | 'out';
  at: string;
  type: string;
  message: any;
  status?: string;
}

export interface Customer {
  waId: string;
  say(text: string): Promise<void>;
  tap(replyId: string, title?: string, kind?: 'button_reply' | 'list_reply'): Promise<void>;
  shareLocation(latitude: number, longitude: number, address?: string): Promise<void>;
  sendImage(dataBase64: string, mimeType?: string): Promise<void>;
  messages(): Promise<SimMessage[]>;
  /** Outgoing (pesan → customer) messages, as readable text. */
  texts(): Promise<string[]>;
  /** Waits until an outgoing message satisfies pred; returns it. */
  waitFor(pred: (m: SimMessage, text: string) => boolean, what: string, timeoutMs?: number): Promise<SimMessage>;
  lastWaMessageId?: string;
  /** waitFor only looks at messages after the last mark(). */
  mark(): Promise<void>;
  cursor: number;
}

export function textOf(m: SimMessage): string {
  const msg = m.message;
  if (msg.type === 'text') return msg.text?.body ?? '';
  if (msg.type === 'interactive') {
    const i = msg.interactive;
    const rows = (i.action?.sections ?? []).flatMap((s: any) => s.rows.map((r: any) => `[${r.id}] ${r.title}`));
    const buttons = (i.action?.buttons ?? []).map((b: any) => `[${b.reply.id}] ${b.reply.title}`);
    return [i.body?.text ?? '', ...rows, ...buttons].join('\n');
  }
  if (msg.type === 'image') return `[image] ${msg.image?.caption ?? ''}`;
  return JSON.stringify(msg);
}

export async function startPesan(opts: { db?: DbKind; env?: Record<string, string>; databaseUrl?: string } = {}): Promise<Pesan> {
  const port = await freePort();
  let databaseUrl = opts.databaseUrl;
  let dropDb = async () => {};
  if (opts.db === 'postgres' && !databaseUrl) {
    const fresh = await freshDatabaseUrl();
    databaseUrl = fresh.url;
    dropDb = fresh.drop;
  }
  const adminKey = 'test-admin-key';
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    SANDBOX: '1',
    ADMIN_API_KEY: adminKey,
    SANDBOX_COURIER_STEP_MS: '150',
    JOB_POLL_MS: '100',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...opts.env,
  });
  const db: Db = databaseUrl ? await openPostgres(databaseUrl) : await openPglite();
  const running = await startApp(config, { db, logger: createLogger(config.logLevel) });
  const base = running.url;
  const sim = `${base}/sandbox/meta/_sim`;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  };
  const pesan: Pesan = {
    ...running,
    base,
    adminKey,
    databaseUrl,
    async stop() {
      await running.stop();
      await db.close();
    },
    dropDb,
    async api(method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: await res.json().catch(() => undefined) };
    },
    customer(waId, name = 'Budi') {
      const c: Customer = {
        waId,
        cursor: 0,
        async mark() {
          c.cursor = (await c.messages()).length;
        },
        async say(text) {
          const r = await post('/sandbox/meta/_sim/inbound', { from: waId, name, message: { type: 'text', text } });
          if (r.body?.webhook_status !== 200) throw new Error(`webhook answered ${r.body?.webhook_status}`);
          c.lastWaMessageId = r.body.wa_message_id;
        },
        async tap(replyId, title = replyId, kind = 'button_reply') {
          const r = await post('/sandbox/meta/_sim/inbound', { from: waId, name, message: { type: 'interactive', kind, replyId, title } });
          c.lastWaMessageId = r.body?.wa_message_id;
        },
        async shareLocation(latitude, longitude, address) {
          const r = await post('/sandbox/meta/_sim/inbound', { from: waId, name, message: { type: 'location', latitude, longitude, address } });
          c.lastWaMessageId = r.body?.wa_message_id;
        },
        async sendImage(dataBase64, mimeType = 'image/jpeg') {
          const r = await post('/sandbox/meta/_sim/inbound', { from: waId, name, message: { type: 'image', dataBase64, mimeType } });
          c.lastWaMessageId = r.body?.wa_message_id;
        },
        async messages() {
          const res = await fetch(`${sim}/conversations/${waId}`);
          return ((await res.json()) as { messages: SimMessage[] }).messages;
        },
        async texts() {
          return (await c.messages()).filter((m) => m.direction === 'out').map(textOf);
        },
        async waitFor(pred, what, timeoutMs = 15_000) {
          const start = Date.now();
          for (;;) {
            const hit = (await c.messages()).slice(c.cursor).find((m) => m.direction === 'out' && pred(m, textOf(m)));
            if (hit) return hit;
            if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for: ${what}\nmessages so far:\n${(await c.texts()).join('\n---\n')}`);
            await new Promise((r) => setTimeout(r, 50));
          }
        },
      };
      return c;
    },
  };
  return pesan;
}

/** Cart → confirm → location → the total with the delivery fee; returns that message. */
export async function toMethodChoice(c: Customer, text = 'paracetamol 2'): Promise<SimMessage> {
  await c.mark();
  await c.say(text);
  await c.waitFor((_m, t) => t.includes('Subtotal'), 'summary');
  await c.mark();
  await c.tap('confirm');
  await c.waitFor((m) => m.message.interactive?.type === 'location_request_message', 'location request');
  await c.mark();
  await c.shareLocation(-6.25, 106.82);
  const total = await c.waitFor((_m, t) => t.includes('Total:'), 'total');
  await c.mark();
  return total;
}

export async function chooseQris(c: Customer): Promise<SimMessage> {
  await c.mark();
  await c.tap('pay:qris', 'QRIS');
  return c.waitFor((m) => m.message.type === 'image', 'QRIS image');
}

export async function chooseVa(c: Customer, bank: string): Promise<SimMessage> {
  await c.mark();
  await c.tap('pay:va', 'Transfer VA');
  await c.waitFor((_m, t) => t.includes('[bank:bca]'), 'bank list');
  await c.mark();
  await c.tap(`bank:${bank}`, bank.toUpperCase(), 'list_reply');
  return c.waitFor((_m, t) => t.includes(`Virtual account ${bank.toUpperCase()}`), `VA ${bank}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The customer's open cart (cart or awaiting confirmation) as "SKU*qty" sorted; '' when there is none or it is empty. */
export async function cartOf(p: Pesan, waId: string): Promise<string> {
  const orders = (await p.api('GET', '/api/v1/orders')).body.orders as any[];
  const open = orders.find((o) => o.customer.wa_id === waId && ['cart', 'awaiting_confirmation'].includes(o.status));
  return open ? open.items.map((i: any) => `${i.sku}*${i.quantity}`).sort().join(' ') : '';
}

/** The lines of the customer's active order in any open status (read from the database). */
export async function openOrderLines(p: Pesan, waId: string): Promise<{ sku: string; quantity: number }[]> {
  return p.ctx.db.query<{ sku: string; quantity: number }>(
    `SELECT i.sku, i.quantity FROM conversations c
       JOIN customers cu ON cu.id = c.customer_id
       JOIN orders o ON o.id = c.active_order_id
       JOIN order_items i ON i.order_id = o.id
      WHERE cu.wa_id = $1 AND o.status NOT IN ('completed', 'cancelled', 'expired', 'delivery_failed') AND i.quantity > 0`,
    [waId],
  );
}

/** Says `text` and waits for a reply that satisfies pred; returns that reply's text. */
export async function ask(c: Customer, text: string, pred: (t: string) => boolean, what: string): Promise<string> {
  await c.mark();
  await c.say(text);
  return textOf(await c.waitFor((_m, t) => pred(t), what));
}

/** Every reply to one message up to the one that satisfies `last` (they arrive together: one transaction). */
export async function repliesTo(c: Customer, text: string, last: (t: string) => boolean, what: string): Promise<string[]> {
  await ask(c, text, last, what);
  return (await c.messages()).slice(c.cursor).filter((m) => m.direction === 'out').map(textOf);
}

export const stockOf = async (p: Pesan, sku: string) => (await p.api('GET', '/api/v1/products')).body.products.find((x: any) => x.sku === sku).stock as number;

/** Waits until pesan has handled the customer's last message (its replies, if any, are then queued). */
export async function handled(p: Pesan, c: Customer): Promise<void> {
  const id = c.lastWaMessageId;
  if (!id) throw new Error('the simulator returned no message id');
  for (let i = 0; i < 300; i++) {
    const row = await p.ctx.db.one<{ processed_at: Date | null }>('SELECT processed_at FROM inbound_messages WHERE wa_message_id = $1', [id]);
    if (row?.processed_at) return;
    await sleep(50);
  }
  throw new Error(`message ${id} was never processed`);
}

/** Replies queued for the customer so far (sent or not). */
export const outboundCount = async (p: Pesan, waId: string) =>
  Number((await p.ctx.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM outbound_messages WHERE to_wa_id = $1', [waId]))!.n);

/** POSTs JSON (or a string body as is) to a full URL; the answer's status and JSON body. */
export async function postJson(url: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

/** POSTs JSON to a path of the running instance (sandbox and simulator routes). */
export const postPath = (p: Pesan, path: string, body: unknown = {}) => postJson(`${p.base}${path}`, body);

/** An order's detail from the admin API (with its timeline). */
export async function orderDetail(p: Pesan, id: string): Promise<any> {
  const r = await p.api('GET', `/api/v1/orders/${id}`);
  if (r.status !== 200) throw new Error(`order ${id}: ${r.status}`);
  return r.body;
}

/** Waits until the order's detail satisfies pred; returns it. */
export async function waitOrder(p: Pesan, id: string, pred: (o: any) => boolean, what: string, timeoutMs = 15_000): Promise<any> {
  const start = Date.now();
  for (;;) {
    const o = await orderDetail(p, id);
    if (pred(o)) return o;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; order is ${o.status}\n${JSON.stringify(o.timeline.map((e: any) => [e.type, e.to_status, e.data]))}`);
    await sleep(50);
  }
}

/** The timeline events of one type. */
export const eventsOf = (o: any, type: string) => (o.timeline as any[]).filter((e: any) => e.type === type);

/** Bookings the GoSend or Grab simulator holds. */
export const simBookings = async (p: Pesan, courier: 'gosend' | 'grab') => ((await (await fetch(`${p.base}/sandbox/${courier}/_sim/bookings`)).json()) as any).bookings as any[];
