// POST /webhooks/whatsapp: verify, store every message and status, commit, then answer 200.
// Processing happens from the stored rows (jobs), never on the request path.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Queryable } from '../../db/index.js';
import { safeEqual } from '../../shared/crypto.js';
import { parseWhatsAppWebhook, type WhatsAppStatus } from './inbound.js';
import type { IncomingMessage } from './outgoing.js';
import { verifyMetaSignature } from './signature.js';
import { addEvent } from '../../orders/repo.js';
import { allAppSecrets, numberInfo, numbersWithVerifyToken, rememberCustomerNumber } from '../../platform/numbers.js';

export function whatsappWebhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/webhooks/whatsapp', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const token = ctx.config.whatsapp.verifyToken;
    const given = q['hub.verify_token'];
    // The env token (default merchant) or the verify token of any merchant's number.
    const ok = !!given && ((!!token && safeEqual(given, token)) || (await numbersWithVerifyToken(ctx, given)) > 0);
    if (q['hub.mode'] === 'subscribe' && ok) {
      return reply.type('text/plain').send(q['hub.challenge'] ?? '');
    }
    return reply.code(403).send({ error: 'verification failed' });
  });

  app.post('/webhooks/whatsapp', async (req, reply) => {
    const raw = req.rawBody;
    const signature = req.headers['x-hub-signature-256'] as string | undefined;
    if (!raw) return reply.code(401).send({ error: 'invalid signature' });
    // Each number is checked with the app secret of the merchant that owns it (several Meta apps
    // may post to one deployment); what another app's secret signed for it is refused.
    const numbers = numbersIn(req.body);
    const accepted = new Map<string, string>(); // phone_number_id → merchant id (active, signature good)
    let verified = false;
    if (numbers.size === 0) {
      verified = (await allAppSecrets(ctx)).some((secret) => verifyMetaSignature(raw, signature, secret));
    }
    for (const n of numbers) {
      // On the ack lane: a cache miss must not wait behind conversation work for its 200.
      const info = await numberInfo(ctx, n, ctx.db.ack);
      const secret = info ? info.appSecret : ctx.config.whatsapp.appSecret;
      if (!secret || !verifyMetaSignature(raw, signature, secret)) continue;
      verified = true;
      // A deactivated merchant's webhooks are acknowledged and ignored; an unknown number has no one to answer.
      if (info?.merchantActive) accepted.set(n, info.merchantId);
    }
    if (!verified) return reply.code(401).send({ error: 'invalid signature' });
    const parsed = parseWhatsAppWebhook(req.body);
    const messages = parsed.messages.filter((m) => accepted.has(m.phoneNumberId));
    const statuses = parsed.statuses.filter((s) => !s.phoneNumberId || accepted.has(s.phoneNumberId));
    const [stored] = await Promise.all([
      messages.length > 0 ? inboundWriter(ctx).store(messages.map((m) => ({ m, merchantId: accepted.get(m.phoneNumberId)! }))) : [],
      statuses.length > 0
        ? ctx.db.ackTx(async (tx) => {
            for (const s of statuses) await storeStatus(tx, s);
          })
        : undefined,
    ]);
    const conversations = new Set(stored.filter((id) => id > 0));
    // Committed: now answer Meta, and handle the messages right away in this instance (the
    // dispatcher's sweeper picks them up on any instance if this one dies first).
    for (const id of conversations) ctx.conversations.submit(id);
    if (statuses.length > 0) ctx.jobs.kick();
    return reply.code(200).send({ ok: true });
  });
}

/** The business numbers a webhook body names (entry[].changes[].value.metadata.phone_number_id). */
function numbersIn(body: unknown): Set<string> {
  const out = new Set<string>();
  const entries = (body as { entry?: unknown })?.entry;
  if (!Array.isArray(entries)) return out;
  for (const e of entries) {
    const changes = (e as { changes?: unknown })?.changes;
    if (!Array.isArray(changes)) continue;
    for (const c of changes) {
      const id = (c as { value?: { metadata?: { phone_number_id?: unknown } } })?.value?.metadata?.phone_number_id;
      if (typeof id === 'string' && id) out.add(id);
    }
  }
  return out;
}

interface ToStore {
  m: IncomingMessage;
  merchantId: string;
}

/** Messages stored per statement at most. */
const MAX_STORE = 200;

/**
 * Stores the messages of concurrent webhooks together: what arrives while a write is under way goes
 * into the next one, which is a single statement for all of them (customers, conversations and
 * messages), so the ack path costs one round trip per batch rather than per message. A batch that
 * fails is stored message by message, so one bad message cannot cost the others their 200.
 */
class InboundWriter {
  private pending: { items: ToStore[]; resolve: (ids: number[]) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;

  constructor(private readonly ctx: AppContext, private readonly parallel: number) {}

  store(items: ToStore[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.parallel && this.pending.length > 0) {
      const batch: typeof this.pending = [];
      let n = 0;
      while (this.pending.length > 0 && (batch.length === 0 || n + this.pending[0]!.items.length <= MAX_STORE)) {
        const next = this.pending.shift()!;
        n += next.items.length;
        batch.push(next);
      }
      this.running++;
      void this.write(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async write(batch: typeof this.pending): Promise<void> {
    const items = batch.flatMap((b) => b.items);
    try {
      const ids = await this.ctx.db.ackTx((tx) => storeInboundMany(tx, items));
      let k = 0;
      for (const b of batch) {
        b.resolve(ids.slice(k, k + b.items.length));
        k += b.items.length;
      }
    } catch {
      for (const b of batch) {
        await this.ctx.db
          .ackTx(async (tx) => {
            const ids: number[] = [];
            for (const it of b.items) ids.push(await storeInbound(tx, it.m, it.merchantId));
            return ids;
          })
          .then(b.resolve, b.reject);
      }
    }
  }
}

const writers = new WeakMap<AppContext, InboundWriter>();
function inboundWriter(ctx: AppContext): InboundWriter {
  let w = writers.get(ctx);
  if (!w) writers.set(ctx, (w = new InboundWriter(ctx, ctx.db.kind === 'pglite' ? 1 : 4)));
  return w;
}

/**
 * Stores many messages in one statement; returns, per message in order, its conversation id when it
 * is new and 0 for a replay. A customer who appears several times keeps the last name given.
 */
export async function storeInboundMany(tx: Queryable, items: ToStore[]): Promise<number[]> {
  if (items.length === 1) return [await storeInbound(tx, items[0]!.m, items[0]!.merchantId)];
  // Customers and conversations are upserted once each (a row may not be updated twice in one
  // statement) and in key order, so concurrent batches lock them in the same order.
  const rows = await tx.query<{ wa_message_id: string; conversation_id: number }>(
    `WITH v AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::timestamptz[])
                  WITH ORDINALITY AS v(merchant_id, wa_id, name, phone_number_id, wa_message_id, type, payload, sent_at, n)),
          last AS (SELECT DISTINCT ON (merchant_id, wa_id) merchant_id, wa_id, name, phone_number_id FROM v ORDER BY merchant_id, wa_id, n DESC),
          cu AS (INSERT INTO customers (merchant_id, wa_id, name) SELECT merchant_id, wa_id, name FROM last ORDER BY merchant_id, wa_id
                 ON CONFLICT (merchant_id, wa_id) DO UPDATE SET name = COALESCE(EXCLUDED.name, customers.name) RETURNING id, merchant_id, wa_id),
          cv AS (INSERT INTO conversations (merchant_id, customer_id, last_inbound_at, phone_number_id)
                 SELECT cu.merchant_id, cu.id, now(), last.phone_number_id FROM cu JOIN last USING (merchant_id, wa_id) ORDER BY cu.id
                 ON CONFLICT (customer_id) DO UPDATE SET last_inbound_at = now(), phone_number_id = EXCLUDED.phone_number_id RETURNING id, customer_id),
          im AS (INSERT INTO inbound_messages (merchant_id, conversation_id, wa_message_id, from_wa_id, type, payload, sent_at)
                 SELECT v.merchant_id, cv.id, v.wa_message_id, v.wa_id, v.type, v.payload, v.sent_at
                   FROM v JOIN cu USING (merchant_id, wa_id) JOIN cv ON cv.customer_id = cu.id ORDER BY v.n
                 ON CONFLICT (wa_message_id) DO NOTHING RETURNING wa_message_id, conversation_id)
     SELECT wa_message_id, conversation_id FROM im`,
    [
      items.map((i) => i.merchantId),
      items.map((i) => i.m.fromWaId),
      items.map((i) => i.m.profileName ?? null),
      items.map((i) => i.m.phoneNumberId || null),
      items.map((i) => i.m.waMessageId),
      items.map((i) => i.m.content.type),
      items.map((i) => JSON.stringify(i.m)),
      items.map((i) => i.m.timestamp.toISOString()),
    ],
  );
  const fresh = new Map(rows.map((r) => [r.wa_message_id, r.conversation_id]));
  for (const i of items) if (i.m.phoneNumberId) rememberCustomerNumber(i.merchantId, i.m.fromWaId, i.m.phoneNumberId);
  // The same wamid twice in one batch (a retry racing its original) is new only once.
  const seen = new Set<string>();
  return items.map((i) => {
    const id = fresh.get(i.m.waMessageId);
    if (id === undefined || seen.has(i.m.waMessageId)) return 0;
    seen.add(i.m.waMessageId);
    return id;
  });
}

/** Stores one message for the merchant owning its number (a replay of a known wamid is a no-op); returns its conversation id when new. */
export async function storeInbound(tx: Queryable, m: IncomingMessage, merchantId: string): Promise<number> {
  // Customer, conversation and message in one statement: the ack path's only round trip per message.
  const row = await tx.one<{ conversation_id: number | null }>(
    `WITH cu AS (INSERT INTO customers (merchant_id, wa_id, name) VALUES ($1, $2, $3)
                 ON CONFLICT (merchant_id, wa_id) DO UPDATE SET name = COALESCE(EXCLUDED.name, customers.name) RETURNING id),
          cv AS (INSERT INTO conversations (merchant_id, customer_id, last_inbound_at, phone_number_id) SELECT $1, cu.id, now(), $4 FROM cu
                 ON CONFLICT (customer_id) DO UPDATE SET last_inbound_at = now(), phone_number_id = EXCLUDED.phone_number_id RETURNING id),
          im AS (INSERT INTO inbound_messages (merchant_id, conversation_id, wa_message_id, from_wa_id, type, payload, sent_at)
                 SELECT $1, cv.id, $5, $2, $6, $7, $8 FROM cv ON CONFLICT (wa_message_id) DO NOTHING RETURNING conversation_id)
     SELECT (SELECT conversation_id FROM im) AS conversation_id`,
    [merchantId, m.fromWaId, m.profileName ?? null, m.phoneNumberId || null, m.waMessageId, m.content.type, JSON.stringify(m), m.timestamp.toISOString()],
  );
  // Replies go out from the number the customer wrote to.
  if (m.phoneNumberId) rememberCustomerNumber(merchantId, m.fromWaId, m.phoneNumberId);
  return row?.conversation_id ?? 0;
}

/** The outbound row named in a status's biz_opaque_callback_data (see sender.ts), or 0. */
function outboundIdOf(callbackData: string | undefined): number {
  const m = /^pesan:out:(\d{1,15})$/.exec(callbackData ?? '');
  return m ? Number(m[1]) : 0;
}

async function storeStatus(tx: Queryable, s: WhatsAppStatus): Promise<void> {
  const fresh = await tx.query(
    'INSERT INTO whatsapp_statuses (wa_message_id, status, payload) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id',
    [s.waMessageId, s.status, JSON.stringify(s)],
  );
  if (fresh.length === 0) return;
  // Statuses can arrive out of order ("read" before "delivered"); never move backwards.
  const msg = await tx.one<{ order_id: string | null }>(
    `UPDATE outbound_messages SET
       status = CASE WHEN array_position(ARRAY['queued','unconfirmed','sent','delivered','read','failed'], $2) > array_position(ARRAY['queued','unconfirmed','sent','delivered','read','failed'], status)
                     THEN $2 ELSE status END,
       error = COALESCE($3::jsonb, error),
       wa_message_id = COALESCE(wa_message_id, $1)
     WHERE wa_message_id = $1 OR (wa_message_id IS NULL AND id = $4) RETURNING order_id`,
    // A send whose answer never came back (its instance died) is known by the id pesan gave Meta to echo.
    [s.waMessageId, s.status, s.errors ? JSON.stringify(s.errors) : null, outboundIdOf(s.callbackData)],
  );
  if (!msg) return;
  if (s.status === 'failed' && msg.order_id) {
    await addEvent(tx, msg.order_id, 'message_failed', { wa_message_id: s.waMessageId, errors: s.errors ?? [] });
  }
}
