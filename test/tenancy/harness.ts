// A sandbox pesan with the platform API on, every log line captured, and customers who write to a
// chosen business number of the Meta simulator.
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { startApp, type RunningApp } from '../../src/app.js';
import { openPglite, openPostgres, type Db } from '../../src/db/index.js';
import { signMetaBody } from '../../src/channel/whatsapp/signature.js';
import { freePort, textOf, type SimMessage } from '../helpers/pesan.js';
import { freshDatabaseUrl, type DbKind } from '../helpers/db.js';

export const PLATFORM_KEY = 'test-platform-key-5b1e';
export const ADMIN_KEY = 'test-admin-key';
export const SECRET_KEY = 'test-pesan-secret-key-for-sealing';
export const NUMBER_A = '100000000000001';
export const SECRET_A = 'sandbox-app-secret';

export interface Tenancy extends RunningApp {
  base: string;
  db: Db;
  logs: string[];
  call<T = any>(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }>;
  admin<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }>;
  platform<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }>;
  customer(waId: string, phoneNumberId?: string): NumberCustomer;
  /** POSTs a webhook body for a number, signed with the given app secret; answers the status. */
  webhook(body: object, appSecret: string): Promise<number>;
  close(): Promise<void>;
}

export type NumMessage = SimMessage & { phone_number_id?: string };

export interface NumberCustomer {
  waId: string;
  say(text: string): Promise<number>;
  messages(): Promise<NumMessage[]>;
  waitFor(pred: (m: NumMessage, text: string) => boolean, what: string, timeoutMs?: number): Promise<NumMessage>;
  mark(): Promise<void>;
}

export async function startTenancy(kind: DbKind, env: Record<string, string> = {}): Promise<Tenancy> {
  const port = await freePort();
  let databaseUrl: string | undefined;
  let dropDb = async () => {};
  if (kind === 'postgres') {
    const fresh = await freshDatabaseUrl();
    databaseUrl = fresh.url;
    dropDb = fresh.drop;
  }
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    SANDBOX: '1',
    ADMIN_API_KEY: ADMIN_KEY,
    PLATFORM_API_KEY: PLATFORM_KEY,
    PESAN_SECRET_KEY: SECRET_KEY,
    SANDBOX_COURIER_STEP_MS: '60000',
    JOB_POLL_MS: '100',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  // Everything at debug, with the redaction paths production uses.
  const logger = pino(
    {
      level: 'debug',
      redact: {
        paths: ['*.authorization', '*.Authorization', 'headers.authorization', '*.serverKey', '*.secretKey', '*.accessToken', '*.appSecret', '*.passKey', '*.clientSecret', '*.token'],
        censor: '[redacted]',
      },
    },
    sink,
  );
  const db: Db = databaseUrl ? await openPostgres(databaseUrl) : await openPglite();
  const running = await startApp(config, { db, logger });
  const base = running.url;
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  };
  const sim = `${base}/sandbox/meta/_sim`;
  return {
    ...running,
    base,
    db,
    logs,
    call,
    admin: (m, p, b) => call(ADMIN_KEY, m, p, b),
    platform: (m, p, b) => call(PLATFORM_KEY, m, p, b),
    customer(waId, phoneNumberId = NUMBER_A) {
      let cursor = 0;
      const c: NumberCustomer = {
        waId,
        async say(text) {
          const res = await fetch(`${sim}/inbound`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ from: waId, name: 'Pelanggan', phone_number_id: phoneNumberId, message: { type: 'text', text } }),
          });
          return ((await res.json()) as { webhook_status: number }).webhook_status;
        },
        async messages() {
          const res = await fetch(`${sim}/conversations/${waId}?phone_number_id=${phoneNumberId}`);
          return ((await res.json()) as { messages: NumMessage[] }).messages;
        },
        async mark() {
          cursor = (await c.messages()).length;
        },
        async waitFor(pred, what, timeoutMs = 15_000) {
          const start = Date.now();
          for (;;) {
            const hit = (await c.messages()).slice(cursor).find((m) => m.direction === 'out' && pred(m, textOf(m)));
            if (hit) return hit;
            if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for: ${what}`);
            await new Promise((r) => setTimeout(r, 50));
          }
        },
      };
      return c;
    },
    async webhook(body, appSecret) {
      const raw = Buffer.from(JSON.stringify(body));
      const res = await fetch(`${base}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(raw, appSecret) },
        body: raw,
      });
      await res.arrayBuffer();
      return res.status;
    },
    async close() {
      await running.stop();
      await db.close();
      await dropDb();
    },
  };
}

/** A Meta webhook body: one text message from a customer to a business number. */
export function textWebhook(phoneNumberId: string, from: string, text: string, wamid = `wamid.T${Date.now()}${Math.random().toString(36).slice(2, 8)}`) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1000000000000',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: phoneNumberId, phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'X' }, wa_id: from }],
              messages: [{ from, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  };
}

/** Every row of every table of the database, as text (to look for credentials in plain text). */
export async function dumpDatabase(db: Db): Promise<string> {
  const tables = await db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
  const parts: string[] = [];
  for (const t of tables) {
    const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM "${t.table_name}" t`);
    for (const r of rows) parts.push(`${t.table_name}: ${r.row}`);
  }
  return parts.join('\n');
}
