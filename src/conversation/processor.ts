// Processes a conversation's stored messages one at a time, in arrival order. The conversation
// row lock serialises instances; state, order changes and replies commit together.
import { capContent } from '../shared/sanitize.js';
import type { AppContext, MerchantRow } from '../context.js';
import type { Job } from '../jobs/runner.js';
import type { IncomingMessage, OutgoingMessage } from '../channel/whatsapp/outgoing.js';
import { handleIncoming, type ConversationRow, type CustomerRow, type Turn } from './engine.js';
import { queueMessages } from './outbox.js';
import { enqueuedSoFar } from '../jobs/queue.js';
import { noteAnswered } from '../jobs/latency.js';
import { T } from './texts.js';
import { llmHintFor, type LlmHint } from './llm-assist.js';
import { drainOutbox } from '../channel/whatsapp/sender.js';

/** Older queued jobs and explicit requests still work; new messages go through the dispatcher. */
export function processConversationJob(ctx: AppContext) {
  return (job: Job): Promise<void> => processConversation(ctx, job.payload.conversationId);
}

/** Another instance handled the message between our read and our write; this turn is rolled back. */
class AlreadyHandled extends Error {}

/** Handles every unprocessed message of one conversation, in order, then sends the replies. */
export async function processConversation(ctx: AppContext, conversationId: number): Promise<void> {
  for (;;) {
    let step: { handled: boolean; more: boolean; receivedAt?: Date | null };
    const jobsBefore = enqueuedSoFar();
    try {
      const hint = await llmHintFor(ctx, conversationId);
      step = await ctx.db.tx((tx) => processNext(ctx, tx, conversationId, hint));
    } catch (err) {
      if (err instanceof AlreadyHandled) continue;
      // A message that breaks the handler must not block the customer forever: mark it,
      // apologise, and go on with the next one.
      ctx.logger.error({ err, conversationId }, 'conversation message failed');
      await markFailed(ctx, conversationId, err as Error);
      step = { handled: true, more: true };
    }
    if (!step.handled) return;
    noteAnswered(conversationId, step.receivedAt);
    if (enqueuedSoFar() !== jobsBefore) ctx.jobs.kick(); // payment, delivery and other jobs the message queued
    // Send the replies now; the ordered drain takes a lease, so this cannot interleave with another
    // sender, and the outbox sweeper covers a crash right here.
    void drainOutbox(ctx, conversationId).catch((err) => ctx.logger.warn({ err: (err as Error).message, conversationId }, 'inline send deferred to the sweeper'));
    // A message stored after our read is not lost: its webhook submits the conversation again, and
    // the dispatcher runs it once more after this run.
    if (!step.more) return;
  }
}

async function processNext(ctx: AppContext, tx: import('../db/index.js').Queryable, conversationId: number, hint?: LlmHint): Promise<{ handled: boolean; more: boolean; receivedAt?: Date | null }> {
  // One round trip: the conversation (locked: one message at a time per customer, across
  // instances), its merchant and customer, its next unprocessed message and whether another waits.
  const row = await tx.one<
    ConversationRow & { merchant_row: MerchantRow; customer_row: CustomerRow; msg_id: number | null; msg_payload: IncomingMessage | null; msg_more: boolean | null; msg_received_at: Date | null }
  >(
    `SELECT c.*, row_to_json(m.*) AS merchant_row,
            json_build_object('id', cu.id, 'wa_id', cu.wa_id, 'name', cu.name, 'language', cu.language) AS customer_row,
            n.id AS msg_id, n.payload AS msg_payload, n.more AS msg_more, n.received_at AS msg_received_at
       FROM conversations c JOIN merchants m ON m.id = c.merchant_id JOIN customers cu ON cu.id = c.customer_id
       LEFT JOIN LATERAL (
         SELECT i.id, i.payload, i.received_at,
                EXISTS (SELECT 1 FROM inbound_messages j WHERE j.conversation_id = c.id AND j.processed_at IS NULL AND j.id > i.id) AS more
           FROM inbound_messages i WHERE i.conversation_id = c.id AND i.processed_at IS NULL ORDER BY i.id LIMIT 1) n ON true
      WHERE c.id = $1 FOR UPDATE OF c`,
    [conversationId],
  );
  if (!row || row.msg_id === null) return { handled: false, more: false };
  const { merchant_row: merchant, customer_row: customer, msg_id, msg_payload, msg_more, msg_received_at, ...conv } = row;
  const msg = { id: msg_id, payload: msg_payload! };
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
  // One round trip for the outcome: the message marked, the conversation's state, the replies queued
  // (the caller drains them right after commit; the outbox sweeper covers a crash in between). The
  // message read above came from the snapshot before the lock; if another instance handled it while
  // we waited for that lock, nothing is written and the turn is rolled back.
  const written = await tx.one<{ done: number }>(
    `WITH done AS (UPDATE inbound_messages SET processed_at = now() WHERE id = $6 AND processed_at IS NULL RETURNING id),
          conv AS (UPDATE conversations SET state = $2, active_order_id = $3, catalog_id = $4, catalog_reason = $5, updated_at = now()
                    WHERE id = $1 AND EXISTS (SELECT 1 FROM done) RETURNING id),
          queued AS (INSERT INTO outbound_messages (merchant_id, conversation_id, order_id, to_wa_id, payload)
                     SELECT $7, $1, $8, $9, p FROM unnest($10::jsonb[]) WITH ORDINALITY AS t(p, n) WHERE EXISTS (SELECT 1 FROM done) ORDER BY n RETURNING id)
     SELECT (SELECT COUNT(*) FROM done)::int AS done, (SELECT COUNT(*) FROM conv)::int AS c, (SELECT COUNT(*) FROM queued)::int AS q`,
    [
      conversationId,
      JSON.stringify(turn.conv.state),
      turn.conv.active_order_id,
      turn.conv.catalog_id,
      turn.conv.catalog_reason,
      msg.id,
      turn.to.merchantId,
      turn.order?.id ?? turn.conv.active_order_id ?? null,
      turn.to.waId,
      out.map((m) => JSON.stringify(m)),
    ],
  );
  if (!written?.done) throw new AlreadyHandled(`message ${msg.id} was handled by another instance`);
  if (turn.customer.language !== customer!.language) {
    await tx.query('UPDATE customers SET language = $2 WHERE id = $1', [customer!.id, turn.customer.language]);
    if (turn.order) await tx.query('UPDATE orders SET language = $2 WHERE id = $1', [turn.order.id, turn.customer.language]);
  }
  return { handled: true, more: !!msg_more, receivedAt: out.length > 0 ? msg_received_at : null };
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
