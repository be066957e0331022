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
      const info = await numberInfo(ctx, n);
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
    const conversations = await ctx.db.ackTx(async (tx) => {
      const ids = new Set<number>();
      for (const m of messages) {
        const id = await storeInbound(tx, m, accepted.get(m.phoneNumberId)!);
        if (id) ids.add(id);
      }
      for (const s of statuses) await storeStatus(tx, s);
      return ids;
    });
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
       status = CASE WHEN array_position(ARRAY['queued','sent','delivered','read','failed'], $2) > array_position(ARRAY['queued','sent','delivered','read','failed'], status)
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
