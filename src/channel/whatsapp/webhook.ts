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

export function whatsappWebhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/webhooks/whatsapp', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const token = ctx.config.whatsapp.verifyToken;
    if (q['hub.mode'] === 'subscribe' && token && safeEqual(q['hub.verify_token'], token)) {
      return reply.type('text/plain').send(q['hub.challenge'] ?? '');
    }
    return reply.code(403).send({ error: 'verification failed' });
  });

  app.post('/webhooks/whatsapp', async (req, reply) => {
    const raw = req.rawBody;
    const secret = ctx.config.whatsapp.appSecret;
    if (!raw || !secret || !verifyMetaSignature(raw, req.headers['x-hub-signature-256'] as string | undefined, secret)) {
      return reply.code(401).send({ error: 'invalid signature' });
    }
    const parsed = parseWhatsAppWebhook(req.body);
    const conversations = await ctx.db.ackTx(async (tx) => {
      const ids = new Set<number>();
      for (const m of parsed.messages) {
        const id = await storeInbound(tx, m);
        if (id) ids.add(id);
      }
      for (const s of parsed.statuses) await storeStatus(tx, s);
      return ids;
    });
    // Committed: now answer Meta, and handle the messages right away in this instance (the
    // dispatcher's sweeper picks them up on any instance if this one dies first).
    for (const id of conversations) ctx.conversations.submit(id);
    if (parsed.statuses.length > 0) ctx.jobs.kick();
    return reply.code(200).send({ ok: true });
  });
}

const merchantByNumber = new Map<string, string>();

async function merchantFor(tx: Queryable, phoneNumberId: string): Promise<string | undefined> {
  const hit = merchantByNumber.get(phoneNumberId);
  if (hit) return hit;
  const row = await tx.one<{ id: string }>('SELECT id FROM merchants WHERE wa_phone_number_id = $1', [phoneNumberId]);
  if (row) merchantByNumber.set(phoneNumberId, row.id);
  return row?.id;
}

/** Stores one message (a replay of a known wamid is a no-op); returns its conversation id when new. */
export async function storeInbound(tx: Queryable, m: IncomingMessage): Promise<number> {
  const merchantId = await merchantFor(tx, m.phoneNumberId);
  if (!merchantId) return 0; // a number no merchant owns: nothing to answer for
  const customer = await tx.one<{ id: number }>(
    `INSERT INTO customers (merchant_id, wa_id, name) VALUES ($1, $2, $3)
     ON CONFLICT (merchant_id, wa_id) DO UPDATE SET name = COALESCE(EXCLUDED.name, customers.name) RETURNING id`,
    [merchantId, m.fromWaId, m.profileName ?? null],
  );
  const conv = await tx.one<{ id: number }>(
    `INSERT INTO conversations (merchant_id, customer_id, last_inbound_at) VALUES ($1, $2, now())
     ON CONFLICT (customer_id) DO UPDATE SET last_inbound_at = now() RETURNING id`,
    [merchantId, customer!.id],
  );
  const inserted = await tx.query(
    `INSERT INTO inbound_messages (merchant_id, conversation_id, wa_message_id, from_wa_id, type, payload, sent_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (wa_message_id) DO NOTHING RETURNING id`,
    [merchantId, conv!.id, m.waMessageId, m.fromWaId, m.content.type, JSON.stringify(m), m.timestamp.toISOString()],
  );
  if (inserted.length === 0) return 0;
  return conv!.id;
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
       error = COALESCE($3::jsonb, error)
     WHERE wa_message_id = $1 RETURNING order_id`,
    [s.waMessageId, s.status, s.errors ? JSON.stringify(s.errors) : null],
  );
  if (!msg) return;
  if (s.status === 'failed' && msg.order_id) {
    await addEvent(tx, msg.order_id, 'message_failed', { wa_message_id: s.waMessageId, errors: s.errors ?? [] });
  }
}
