// Admin API for the merchant's chat inbox (under /api/v1, behind the admin bearer token, registered
// from routes.ts). Staff read every conversation, answer a customer by hand, and take a conversation
// over from the bot or give it back:
//   GET  /inbox?handover=true|false     conversations, newest first (100)
//   GET  /inbox/:waId/messages?limit=   the customer's thread, inbound and outbound merged, oldest first
//   POST /inbox/:waId/messages          {text}: a staff reply through the outbox; the bot steps back
//   POST /inbox/:waId/handover          {active}: take over, or hand back to the bot (the customer is told)
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import type { IncomingMessage, OutgoingMessage } from '../channel/whatsapp/outgoing.js';
import { OPEN_STATUSES } from '../orders/state-machine.js';
import { queueMessages } from '../conversation/outbox.js';
import type { Lang } from '../conversation/texts.js';
import { merchantIdOf } from './request-merchant.js';
import { requireRole } from '../auth/roles.js';
import { badRequest } from './request-errors.js';

/** What the customer is told when staff hand the conversation back to the bot. */
export const handBackText = (lang: Lang) =>
  lang === 'en'
    ? 'Our automatic assistant is back 🤖. Type "menu" to see our products, or just type what you need.'
    : 'Asisten otomatis kami aktif lagi 🤖. Ketik "menu" untuk lihat produk, atau langsung ketik pesanan kakak.';

/** WhatsApp's limit for a text body, in characters. */
const MAX_TEXT = 4096;

const listQuery = z.object({ handover: z.enum(['true', 'false']).optional() });
const messagesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });
const replyBody = z.object({
  text: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, 'text must not be empty')
    .refine((s) => Array.from(s).length <= MAX_TEXT, `text must be at most ${MAX_TEXT} characters`),
});
const handoverBody = z.object({ active: z.boolean() });


export interface InboxMessage {
  direction: 'in' | 'out';
  at: string;
  type: string;
  text: string;
  /** Outbound only: queued, sent, delivered, read or failed. */
  status?: string;
  /** Outbound only: `staff` for replies typed in the inbox, `bot` for everything pesan wrote. */
  by?: 'staff' | 'bot';
  /** Reply buttons or list rows the customer was offered. */
  options?: string[];
  /** Inbound photos: the WhatsApp media id. */
  media_id?: string;
}

/** A readable line for a customer's message, whatever its kind. */
export function incomingText(content: IncomingMessage['content'] | undefined): string {
  if (!content) return '';
  switch (content.type) {
    case 'text':
      return content.text;
    case 'interactive':
      return content.title || content.replyId;
    case 'location': {
      const place = [content.name, content.address].filter(Boolean).join(', ');
      return `📍 ${content.latitude},${content.longitude}${place ? ` ${place}` : ''}`;
    }
    case 'image':
      return `[foto]${content.caption ? ` ${content.caption}` : ''}`;
    case 'order':
      return `🛒 ${content.items.map((i) => `${i.sku} x${i.quantity}`).join(', ')}`;
    case 'unsupported':
      return `[${content.original || 'unsupported'}]`;
    default:
      return '';
  }
}

/** A readable line for a message pesan (or staff) sent, whatever its kind. */
export function outgoingText(m: OutgoingMessage | undefined): string {
  if (!m) return '';
  switch (m.type) {
    case 'text':
      return m.text;
    case 'list':
      return [m.header, m.body, m.footer].filter(Boolean).join('\n');
    case 'buttons':
      return [m.body, m.footer].filter(Boolean).join('\n');
    case 'location_request':
      return `${m.body} 📍`;
    case 'qr_image':
      return `[QRIS]${m.caption ? ` ${m.caption}` : ''}`;
    case 'image':
      return `[foto]${m.caption ? ` ${m.caption}` : ''}`;
    default:
      return '';
  }
}

function outgoingOptions(m: OutgoingMessage): string[] | undefined {
  if (m.type === 'buttons') return m.buttons.map((b) => b.title);
  if (m.type === 'list') return m.sections.flatMap((s) => s.rows.map((r) => r.title));
  return undefined;
}

const iso = (d: Date | string) => new Date(d).toISOString();

function inboundJson(row: { payload: IncomingMessage; type: string; received_at: Date }): InboxMessage {
  const content = row.payload?.content;
  const out: InboxMessage = { direction: 'in', at: iso(row.received_at), type: content?.type ?? row.type, text: incomingText(content) };
  if (content?.type === 'image') out.media_id = content.mediaId;
  return out;
}

function outboundJson(row: { payload: OutgoingMessage & { by?: 'staff' }; status: string; created_at: Date }): InboxMessage {
  const m = row.payload;
  const out: InboxMessage = { direction: 'out', at: iso(row.created_at), type: m.type, text: outgoingText(m), status: row.status, by: m.by === 'staff' ? 'staff' : 'bot' };
  const options = outgoingOptions(m);
  if (options?.length) out.options = options;
  return out;
}

interface ConversationFound {
  id: number;
  merchant_id: string;
  wa_id: string;
  language: Lang;
  human_handover: boolean;
  active_order_id: string | null;
  order_status: string | null;
}

async function findConversation(q: Queryable, merchantId: string, waId: string, lock = false): Promise<ConversationFound | undefined> {
  return q.one<ConversationFound>(
    `SELECT c.id, c.merchant_id, cu.wa_id, cu.language, c.human_handover, c.active_order_id, o.status AS order_status
       FROM customers cu JOIN conversations c ON c.customer_id = cu.id LEFT JOIN orders o ON o.id = c.active_order_id
      WHERE cu.merchant_id = $1 AND cu.wa_id = $2 ${lock ? 'FOR UPDATE OF c' : ''}`,
    [merchantId, waId],
  );
}

const openOrderId = (c: { active_order_id: string | null; order_status: string | null }) =>
  c.active_order_id && c.order_status && (OPEN_STATUSES as readonly string[]).includes(c.order_status) ? c.active_order_id : null;

export async function inboxApiRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  api.get('/inbox', async (req, reply) => {
    if (!requireRole(req, reply, 'staff')) return reply;
    const parsed = listQuery.safeParse(req.query ?? {});
    if (!parsed.success) return badRequest(reply, parsed.error);
    const handover = parsed.data.handover === undefined ? null : parsed.data.handover === 'true';
    const rows = await ctx.db.query<{
      wa_id: string;
      name: string | null;
      human_handover: boolean;
      updated_at: Date;
      active_order_id: string | null;
      order_status: string | null;
      in_payload: IncomingMessage | null;
      in_type: string | null;
      in_at: Date | null;
      out_payload: (OutgoingMessage & { by?: 'staff' }) | null;
      out_status: string | null;
      out_at: Date | null;
      unread: number;
      pending_question: { text: string; at: string } | null;
    }>(
      `SELECT cu.wa_id, cu.name, c.human_handover, c.updated_at, c.active_order_id, o.status AS order_status,
              c.state->'pendingQuestion' AS pending_question,
              li.payload AS in_payload, li.type AS in_type, li.received_at AS in_at,
              lo.payload AS out_payload, lo.status AS out_status, lo.created_at AS out_at,
              (SELECT COUNT(*)::int FROM inbound_messages i
                WHERE i.conversation_id = c.id AND i.received_at > COALESCE(lo.created_at, '-infinity'::timestamptz)) AS unread
         FROM conversations c
         JOIN customers cu ON cu.id = c.customer_id
         LEFT JOIN orders o ON o.id = c.active_order_id
         LEFT JOIN LATERAL (SELECT payload, type, received_at FROM inbound_messages WHERE conversation_id = c.id ORDER BY id DESC LIMIT 1) li ON true
         LEFT JOIN LATERAL (SELECT payload, status, created_at FROM outbound_messages WHERE conversation_id = c.id ORDER BY id DESC LIMIT 1) lo ON true
        WHERE c.merchant_id = $1 AND ($2::boolean IS NULL OR c.human_handover = $2::boolean)
        ORDER BY c.updated_at DESC, c.id DESC
        LIMIT 100`,
      [merchantIdOf(req), handover],
    );
    const conversations = rows.map((r) => {
      const inAt = r.in_at ? new Date(r.in_at).getTime() : -Infinity;
      const outAt = r.out_at ? new Date(r.out_at).getTime() : -Infinity;
      const last: InboxMessage | null =
        r.in_payload && inAt >= outAt
          ? inboundJson({ payload: r.in_payload, type: r.in_type ?? 'text', received_at: r.in_at! })
          : r.out_payload
            ? outboundJson({ payload: r.out_payload, status: r.out_status ?? 'queued', created_at: r.out_at! })
            : null;
      const updated = Math.max(new Date(r.updated_at).getTime(), inAt, outAt);
      return {
        wa_id: r.wa_id,
        name: r.name,
        human_handover: r.human_handover,
        last_message: last ? { direction: last.direction, text: last.text, at: last.at } : null,
        unread: Number(r.unread),
        active_order: openOrderId(r) ? { id: r.active_order_id!, status: r.order_status! } : null,
        // What the customer asked that the bot could not answer (conversation/actions/handover.ts).
        pending_question: r.pending_question ? { text: r.pending_question.text, at: r.pending_question.at } : null,
        updated_at: new Date(updated).toISOString(),
      };
    });
    // Activity order: a customer's latest message or pesan's latest reply, whichever came last.
    conversations.sort((a, b) => (a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0));
    return { conversations };
  });

  api.get('/inbox/:waId/messages', async (req, reply) => {
    if (!requireRole(req, reply, 'staff')) return reply;
    const { waId } = req.params as { waId: string };
    const parsed = messagesQuery.safeParse(req.query ?? {});
    if (!parsed.success) return badRequest(reply, parsed.error);
    const conv = await findConversation(ctx.db, merchantIdOf(req), waId);
    if (!conv) return reply.code(404).send({ error: `no conversation with ${waId}` });
    const limit = parsed.data.limit ?? 100;
    // The latest `limit` messages of both directions, then oldest first.
    const rows = await ctx.db.query<{ direction: 'in' | 'out'; id: number; payload: any; type: string; status: string | null; at: Date }>(
      `SELECT * FROM (
         (SELECT 'in' AS direction, id, payload, type, NULL::text AS status, received_at AS at
            FROM inbound_messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2)
         UNION ALL
         (SELECT 'out' AS direction, id, payload, NULL::text AS type, status, created_at AS at
            FROM outbound_messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2)
       ) m ORDER BY at DESC, direction DESC, id DESC LIMIT $2`,
      [conv.id, limit],
    );
    rows.reverse();
    return {
      wa_id: conv.wa_id,
      human_handover: conv.human_handover,
      active_order: openOrderId(conv) ? { id: conv.active_order_id!, status: conv.order_status! } : null,
      messages: rows.map((r) =>
        r.direction === 'in'
          ? inboundJson({ payload: r.payload, type: r.type, received_at: r.at })
          : outboundJson({ payload: r.payload, status: r.status ?? 'queued', created_at: r.at }),
      ),
    };
  });

  api.post('/inbox/:waId/messages', async (req, reply) => {
    if (!requireRole(req, reply, 'staff')) return reply;
    const { waId } = req.params as { waId: string };
    const parsed = replyBody.safeParse(req.body ?? {});
    if (!parsed.success) return badRequest(reply, parsed.error);
    const sent = await ctx.db.tx(async (tx) => {
      // The conversation row lock orders this reply with the bot's processing of the customer's messages.
      const conv = await findConversation(tx, merchantIdOf(req), waId, true);
      if (!conv) return undefined;
      // A person is talking now: the bot steps back until handed back (or the customer types "bot"/"menu").
      // Staff answering also answers the customer's pending question.
      await tx.query(`UPDATE conversations SET human_handover = true, state = state - 'pendingQuestion', updated_at = now() WHERE id = $1`, [conv.id]);
      const message = { type: 'text', text: parsed.data.text, by: 'staff' } as OutgoingMessage;
      await queueMessages(tx, { merchantId: conv.merchant_id, conversationId: conv.id, waId: conv.wa_id }, [message], openOrderId(conv));
      const row = await tx.one<{ created_at: Date; status: string }>(
        'SELECT created_at, status FROM outbound_messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT 1',
        [conv.id],
      );
      return { message: outboundJson({ payload: message, status: row!.status, created_at: row!.created_at }) };
    });
    if (!sent) return reply.code(404).send({ error: `no conversation with ${waId}` });
    ctx.jobs.kick();
    return reply.code(201).send({ wa_id: waId, human_handover: true, message: sent.message });
  });

  api.post('/inbox/:waId/handover', async (req, reply) => {
    if (!requireRole(req, reply, 'staff')) return reply;
    const { waId } = req.params as { waId: string };
    const parsed = handoverBody.safeParse(req.body ?? {});
    if (!parsed.success) return badRequest(reply, parsed.error);
    const active = parsed.data.active;
    const result = await ctx.db.tx(async (tx) => {
      const conv = await findConversation(tx, merchantIdOf(req), waId, true);
      if (!conv) return undefined;
      if (conv.human_handover === active) return { changed: false };
      await tx.query('UPDATE conversations SET human_handover = $2, updated_at = now() WHERE id = $1', [conv.id, active]);
      if (!active) {
        await queueMessages(tx, { merchantId: conv.merchant_id, conversationId: conv.id, waId: conv.wa_id }, [{ type: 'text', text: handBackText(conv.language) }], openOrderId(conv));
      }
      return { changed: true };
    });
    if (!result) return reply.code(404).send({ error: `no conversation with ${waId}` });
    if (result.changed) ctx.jobs.kick();
    return { wa_id: waId, human_handover: active, changed: result.changed };
  });
}
