// Processes a conversation's stored messages one at a time, in arrival order. The conversation
// row lock serialises instances; state, order changes and replies commit together.
import { capContent } from '../shared/sanitize.js';
import type { AppContext, MerchantRow } from '../context.js';
import type { Job } from '../jobs/runner.js';
import type { IncomingMessage, OutgoingMessage } from '../channel/whatsapp/outgoing.js';
import { handleIncoming, type ConversationRow, type CustomerRow, type Turn } from './engine.js';
import { queueMessages } from './outbox.js';
import { T } from './texts.js';
import { llmHintFor, type LlmHint } from './llm-assist.js';
import { drainOutbox } from '../channel/whatsapp/sender.js';

/** Older queued jobs and explicit requests still work; new messages go through the dispatcher. */
export function processConversationJob(ctx: AppContext) {
  return (job: Job): Promise<void> => processConversation(ctx, job.payload.conversationId);
}

/** Handles every unprocessed message of one conversation, in order, then sends the replies. */
export async function processConversation(ctx: AppContext, conversationId: number): Promise<void> {
  for (;;) {
    let handled: boolean;
    try {
      const hint = await llmHintFor(ctx, conversationId);
      handled = await ctx.db.tx((tx) => processNext(ctx, tx, conversationId, hint));
    } catch (err) {
      // A message that breaks the handler must not block the customer forever: mark it,
      // apologise, and go on with the next one.
      ctx.logger.error({ err, conversationId }, 'conversation message failed');
      await markFailed(ctx, conversationId, err as Error);
      handled = true;
    }
    if (!handled) return;
    ctx.jobs.kick(); // payment, delivery and other jobs the message may have queued
    // Send the replies now; the ordered drain takes a lease, so this cannot interleave with another
    // sender, and the outbox sweeper covers a crash right here.
    void drainOutbox(ctx, conversationId).catch((err) => ctx.logger.warn({ err: (err as Error).message, conversationId }, 'inline send deferred to the sweeper'));
  }
}

async function processNext(ctx: AppContext, tx: import('../db/index.js').Queryable, conversationId: number, hint?: LlmHint): Promise<boolean> {
  // The conversation (locked: one message at a time per customer, across instances), its merchant
  // and customer in one round trip.
  const row = await tx.one<ConversationRow & { merchant_row: MerchantRow; customer_row: CustomerRow }>(
    `SELECT c.*, row_to_json(m.*) AS merchant_row,
            json_build_object('id', cu.id, 'wa_id', cu.wa_id, 'name', cu.name, 'language', cu.language) AS customer_row
       FROM conversations c JOIN merchants m ON m.id = c.merchant_id JOIN customers cu ON cu.id = c.customer_id
      WHERE c.id = $1 FOR UPDATE OF c`,
    [conversationId],
  );
  if (!row) return false;
  const { merchant_row: merchant, customer_row: customer, ...conv } = row;
  const msg = await tx.one<{ id: number; payload: IncomingMessage }>(
    'SELECT id, payload FROM inbound_messages WHERE conversation_id = $1 AND processed_at IS NULL ORDER BY id LIMIT 1',
    [conversationId],
  );
  if (!msg) return false;
  const out: OutgoingMessage[] = [];
  const turn: Turn = {
    ctx,
    tx,
    merchant: merchant!,
    conv: { ...conv, state: conv.state ?? {} },
    customer: { ...customer! }, // a copy: the language change is compared with the stored row below
    lang: customer!.language,
    to: { merchantId: conv.merchant_id, conversationId, waId: customer!.wa_id },
    out,
    llmHint: hint && hint.messageId === msg.id ? hint : undefined,
  };
  await handleIncoming(turn, capContent(msg.payload.content)); // stored before the cap existed: capped now
  await tx.query('UPDATE inbound_messages SET processed_at = now() WHERE id = $1', [msg.id]);
  await tx.query(
    `UPDATE conversations SET state = $2, active_order_id = $3, catalog_id = $4, catalog_reason = $5, updated_at = now() WHERE id = $1`,
    [conversationId, JSON.stringify(turn.conv.state), turn.conv.active_order_id, turn.conv.catalog_id, turn.conv.catalog_reason],
  );
  if (turn.customer.language !== customer!.language) {
    await tx.query('UPDATE customers SET language = $2 WHERE id = $1', [customer!.id, turn.customer.language]);
    if (turn.order) await tx.query('UPDATE orders SET language = $2 WHERE id = $1', [turn.order.id, turn.customer.language]);
  }
  await queueMessages(tx, turn.to, out, turn.order?.id ?? turn.conv.active_order_id, { sendAfterCommit: true });
  return true;
}

async function markFailed(ctx: AppContext, conversationId: number, err: Error): Promise<void> {
  await ctx.db.tx(async (tx) => {
    const msg = await tx.one<{ id: number; merchant_id: string; from_wa_id: string }>(
      'SELECT id, merchant_id, from_wa_id FROM inbound_messages WHERE conversation_id = $1 AND processed_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE',
      [conversationId],
    );
    if (!msg) return;
    await tx.query('UPDATE inbound_messages SET processed_at = now(), error = $2 WHERE id = $1', [msg.id, err.message.slice(0, 1000)]);
    const lang = (await tx.one<{ language: 'id' | 'en' }>('SELECT language FROM customers WHERE merchant_id = $1 AND wa_id = $2', [msg.merchant_id, msg.from_wa_id]))?.language ?? 'id';
    await queueMessages(tx, { merchantId: msg.merchant_id, conversationId, waId: msg.from_wa_id }, [{ type: 'text', text: T.error(lang) }]);
  });
}
