import type { Queryable } from '../db/index.js';
import type { OutgoingMessage } from '../channel/whatsapp/outgoing.js';
import { enqueue } from '../jobs/queue.js';

export interface Recipient {
  merchantId: string;
  conversationId: number;
  waId: string;
}

/** Queues messages in the caller's transaction; the send job delivers them in order after commit. */
/**
 * Queues messages in the caller's transaction; the send job delivers them in order after commit.
 * With `sendAfterCommit`, the caller drains the outbox itself right after committing, and the
 * outbox sweeper (dispatcher.ts) is the safety net for a crash in between: no job is needed.
 */
export async function queueMessages(
  tx: Queryable,
  to: Recipient,
  messages: OutgoingMessage[],
  orderId?: string | null,
  opts: { sendAfterCommit?: boolean } = {},
): Promise<void> {
  if (messages.length === 0) return;
  // One statement for all rows: fewer round trips on the hottest path.
  await tx.query(
    `INSERT INTO outbound_messages (merchant_id, conversation_id, order_id, to_wa_id, payload)
     SELECT $1, $2, $3, $4, p FROM unnest($5::jsonb[]) WITH ORDINALITY AS t(p, n) ORDER BY n`,
    [to.merchantId, to.conversationId, orderId ?? null, to.waId, messages.map((m) => JSON.stringify(m))],
  );
  if (!opts.sendAfterCommit) await enqueue(tx, 'whatsapp.send', { conversationId: to.conversationId });
}

export async function recipientForOrder(q: Queryable, orderId: string): Promise<Recipient & { lang: 'id' | 'en' }> {
  const row = await q.one<{ merchant_id: string; conversation_id: number; wa_id: string; language: 'id' | 'en' }>(
    `SELECT o.merchant_id, o.conversation_id, c.wa_id, o.language FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = $1`,
    [orderId],
  );
  if (!row) throw new Error(`order ${orderId} not found`);
  return { merchantId: row.merchant_id, conversationId: row.conversation_id, waId: row.wa_id, lang: row.language };
}
