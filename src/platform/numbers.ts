// Which merchant owns a WhatsApp business number, and the credentials of that number's Meta app
// (sealed in merchant_numbers; NULL means "from the environment", which is how the default
// merchant's env-configured number works). Cached briefly; changes through the platform API
// invalidate the cache of this instance at once, other instances within NUMBER_CACHE_MS.
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import { secretsOf } from '../secrets/context.js';
import { sha256Hex } from '../shared/crypto.js';

const NUMBER_CACHE_MS = 15_000;

export interface NumberInfo {
  phoneNumberId: string;
  merchantId: string;
  merchantActive: boolean;
  accessToken?: string;
  appSecret?: string;
  verifyToken?: string;
}

interface NumberRow {
  phone_number_id: string;
  merchant_id: string;
  active: boolean;
  access_token: string | null;
  app_secret: string | null;
  verify_token: string | null;
}

let generation = 0;
const cache = new Map<string, { at: number; gen: number; info: NumberInfo | null }>();
/** The number a customer last wrote to, per merchant and customer: replies go out from it. */
const lastNumber = new Map<string, string>();

export function invalidateNumbers(): void {
  generation++;
  cache.clear();
  lastNumber.clear();
}

/** Bumped whenever numbers or their credentials change (Graph clients are rebuilt). */
export const numbersGeneration = () => generation;

function infoOf(ctx: Pick<AppContext, 'config' | 'logger'>, r: NumberRow): NumberInfo {
  const secrets = secretsOf(ctx);
  const env = ctx.config.whatsapp;
  const open = (v: string | null, what: string) => {
    if (!v) return undefined;
    const plain = secrets.tryOpen(v);
    if (plain === undefined) ctx.logger.error({ phone_number_id: r.phone_number_id, what }, 'a stored WhatsApp credential cannot be opened (PESAN_SECRET_KEY changed without PESAN_SECRET_KEYS?)');
    return plain;
  };
  return {
    phoneNumberId: r.phone_number_id,
    merchantId: r.merchant_id,
    merchantActive: r.active,
    accessToken: r.access_token ? open(r.access_token, 'access_token') : env.accessToken,
    appSecret: r.app_secret ? open(r.app_secret, 'app_secret') : env.appSecret,
    verifyToken: r.verify_token ? open(r.verify_token, 'verify_token') : env.verifyToken,
  };
}

const SELECT = `SELECT n.phone_number_id, n.merchant_id, m.active, n.access_token, n.app_secret, n.verify_token
  FROM merchant_numbers n JOIN merchants m ON m.id = n.merchant_id`;

export async function numberInfo(ctx: Pick<AppContext, 'config' | 'logger' | 'db'>, phoneNumberId: string, q: Queryable = ctx.db): Promise<NumberInfo | null> {
  const hit = cache.get(phoneNumberId);
  if (hit && hit.gen === generation && Date.now() - hit.at < NUMBER_CACHE_MS) return hit.info;
  const refresh = lookup(ctx, phoneNumberId, q);
  // An entry only expired (nothing about numbers changed since): answer with it while one lookup refreshes it,
  // so a burst of webhooks never waits on that lookup. After a change (generation moved on) everyone waits.
  if (hit && hit.gen === generation && Date.now() - hit.at < NUMBER_CACHE_MS * 2) {
    refresh.catch((err: Error) => ctx.logger.warn({ err: err.message }, 'number lookup failed; the cached entry is kept'));
    return hit.info;
  }
  return refresh;
}

/** One lookup per number at a time: concurrent webhooks for the same number share it. */
const inFlight = new Map<string, Promise<NumberInfo | null>>();
function lookup(ctx: Pick<AppContext, 'config' | 'logger' | 'db'>, phoneNumberId: string, q: Queryable): Promise<NumberInfo | null> {
  const key = `${generation}:${phoneNumberId}`;
  const running = inFlight.get(key);
  if (running) return running;
  const gen = generation;
  const p = (async () => {
    const row = await q.one<NumberRow>(`${SELECT} WHERE n.phone_number_id = $1`, [phoneNumberId]);
    const info = row ? infoOf(ctx, row) : null;
    if (gen === generation) cache.set(phoneNumberId, { at: Date.now(), gen, info });
    return info;
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

/** Every number of a merchant, its first (oldest) number first. */
export async function merchantNumbers(ctx: Pick<AppContext, 'config' | 'logger' | 'db'>, merchantId: string): Promise<NumberInfo[]> {
  const rows = await ctx.db.query<NumberRow>(`${SELECT} WHERE n.merchant_id = $1 ORDER BY n.created_at, n.phone_number_id`, [merchantId]);
  return rows.map((r) => infoOf(ctx, r));
}

/** The numbers whose verify token is this one (the GET handshake Meta makes when a webhook is set up). */
export async function numbersWithVerifyToken(ctx: Pick<AppContext, 'db'>, token: string): Promise<number> {
  const row = await ctx.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM merchant_numbers WHERE verify_token_hash = $1', [sha256Hex(token)]);
  return row?.n ?? 0;
}

/** Every distinct app secret stored (for webhook payloads that name no number). */
export async function allAppSecrets(ctx: Pick<AppContext, 'config' | 'logger' | 'db'>): Promise<string[]> {
  const rows = await ctx.db.query<{ app_secret: string }>('SELECT DISTINCT app_secret FROM merchant_numbers WHERE app_secret IS NOT NULL');
  const secrets = secretsOf(ctx);
  const out = new Set<string>();
  for (const r of rows) {
    const s = secrets.tryOpen(r.app_secret);
    if (s) out.add(s);
  }
  if (ctx.config.whatsapp.appSecret) out.add(ctx.config.whatsapp.appSecret);
  return [...out];
}

export function rememberCustomerNumber(merchantId: string, waId: string, phoneNumberId: string): void {
  if (lastNumber.size > 100_000) lastNumber.clear();
  lastNumber.set(`${merchantId}\u0000${waId}`, phoneNumberId);
}

/** The number to write to a customer from: the one they last wrote to, else the merchant's first. */
export async function sendingNumber(ctx: Pick<AppContext, 'config' | 'logger' | 'db'>, merchantId: string, waId: string): Promise<string | undefined> {
  const key = `${merchantId}\u0000${waId}`;
  const hit = lastNumber.get(key);
  if (hit) return hit;
  const row = await ctx.db.one<{ phone_number_id: string | null }>(
    `SELECT COALESCE(
       (SELECT c.phone_number_id FROM conversations c JOIN customers cu ON cu.id = c.customer_id
         WHERE cu.merchant_id = $1 AND cu.wa_id = $2 AND c.phone_number_id IS NOT NULL),
       (SELECT phone_number_id FROM merchant_numbers WHERE merchant_id = $1 ORDER BY created_at, phone_number_id LIMIT 1)
     ) AS phone_number_id`,
    [merchantId, waId],
  );
  const n = row?.phone_number_id ?? undefined;
  if (n) lastNumber.set(key, n);
  return n;
}
