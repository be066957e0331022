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
import { drainOutbox, drainOutboxes, SEND_LEASE_MS, type LeasedMessage } from '../channel/whatsapp/sender.js';
import type { Queryable } from '../db/index.js';

/** Older queued jobs and explicit requests still work; new messages go through the dispatcher. */
export function processConversationJob(ctx: AppContext) {
  return (job: Job): Promise<void> => processConversation(ctx, job.payload.conversationId);
}

/** Another instance handled the message between our read and our write; this turn is rolled back. */
class AlreadyHandled extends Error {}

/** Handles every unprocessed message of one conversation, in order, then sends the replies. */
export async function processConversation(ctx: AppContext, conversationId: number): Promise<void> {
  for (;;) {
    let step: { handled: boolean; more: boolean; receivedAt?: Date | null; leased?: LeasedMessage[] };
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
    void drainOutbox(ctx, conversationId, step.leased).catch((err) => ctx.logger.warn({ err: (err as Error).message, conversationId }, 'inline send deferred to the sweeper'));
    // A message stored after our read is not lost: its webhook submits the conversation again, and
    // the dispatcher runs it once more after this run.
    if (!step.more) return;
  }
}

/** A conversation with its merchant, its customer, its next unprocessed message and whether another waits. */
const NEXT_MESSAGE_SELECT = `SELECT c.*, row_to_json(m.*) AS merchant_row,
            json_build_object('id', cu.id, 'wa_id', cu.wa_id, 'name', cu.name, 'language', cu.language) AS customer_row,
            n.id AS msg_id, n.payload AS msg_payload, n.more AS msg_more, n.received_at AS msg_received_at
       FROM conversations c JOIN merchants m ON m.id = c.merchant_id JOIN customers cu ON cu.id = c.customer_id
       LEFT JOIN LATERAL (
         SELECT i.id, i.payload, i.received_at,
                EXISTS (SELECT 1 FROM inbound_messages j WHERE j.conversation_id = c.id AND j.processed_at IS NULL AND j.id > i.id) AS more
           FROM inbound_messages i WHERE i.conversation_id = c.id AND i.processed_at IS NULL ORDER BY i.id LIMIT 1) n ON true`;

async function processNext(ctx: AppContext, tx: import('../db/index.js').Queryable, conversationId: number, hint?: LlmHint): Promise<{ handled: boolean; more: boolean; receivedAt?: Date | null; leased?: LeasedMessage[] }> {
  // One round trip: the conversation (locked: one message at a time per customer, across
  // instances), its merchant and customer, its next unprocessed message and whether another waits.
  const row = await tx.one<
    ConversationRow & { merchant_row: MerchantRow; customer_row: CustomerRow; msg_id: number | null; msg_payload: IncomingMessage | null; msg_more: boolean | null; msg_received_at: Date | null }
  >(
    `${NEXT_MESSAGE_SELECT} WHERE c.id = $1 FOR UPDATE OF c`,
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
  // The send lease is taken here too when it is free: the conversation row is locked by this turn, so
  // no drain can hold or release it meanwhile, and the replies go out right after commit without
  // another lease and read (two round trips per message).
  const written = await tx.one<{ done: number; leased: boolean; outbox: LeasedMessage[] | null }>(
    `WITH done AS (UPDATE inbound_messages SET processed_at = now() WHERE id = $6 AND processed_at IS NULL RETURNING id),
          conv AS (UPDATE conversations SET state = $2, active_order_id = $3, catalog_id = $4, catalog_reason = $5, updated_at = now(),
                          send_lease_until = CASE WHEN $11::boolean AND (send_lease_until IS NULL OR send_lease_until < now())
                                                  THEN now() + ($12::int * interval '1 millisecond') ELSE send_lease_until END
                    WHERE id = $1 AND EXISTS (SELECT 1 FROM done)
                    RETURNING id, send_lease_until = now() + ($12::int * interval '1 millisecond') AS leased),
          queued AS (INSERT INTO outbound_messages (merchant_id, conversation_id, order_id, to_wa_id, payload)
                     SELECT $7, $1, $8, $9, p FROM unnest($10::jsonb[]) WITH ORDINALITY AS t(p, n) WHERE EXISTS (SELECT 1 FROM done) ORDER BY n RETURNING *),
          outbox AS (SELECT * FROM outbound_messages WHERE conversation_id = $1 AND status = 'queued' AND (SELECT leased FROM conv)
                     UNION ALL SELECT * FROM queued WHERE (SELECT leased FROM conv))
     SELECT (SELECT COUNT(*) FROM done)::int AS done, (SELECT COUNT(*) FROM conv)::int AS c, (SELECT COUNT(*) FROM queued)::int AS q,
            COALESCE((SELECT leased FROM conv), false) AS leased,
            (SELECT json_agg(o ORDER BY o.id) FROM (SELECT * FROM outbox ORDER BY id LIMIT 50) o) AS outbox`,
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
      out.length > 0,
      SEND_LEASE_MS,
    ],
  );
  if (!written?.done) throw new AlreadyHandled(`message ${msg.id} was handled by another instance`);
  if (turn.customer.language !== customer!.language) {
    await tx.query('UPDATE customers SET language = $2 WHERE id = $1', [customer!.id, turn.customer.language]);
    if (turn.order) await tx.query('UPDATE orders SET language = $2 WHERE id = $1', [turn.order.id, turn.customer.language]);
  }
  return { handled: true, more: !!msg_more, receivedAt: out.length > 0 ? msg_received_at : null, leased: written.leased ? (written.outbox ?? []) : undefined };
}

type NextRow = ConversationRow & {
  merchant_row: MerchantRow;
  customer_row: CustomerRow;
  msg_id: number | null;
  msg_payload: IncomingMessage | null;
  msg_more: boolean | null;
  msg_received_at: Date | null;
};

/** What one conversation's turn wrote, gathered so a whole batch is written in one statement. */
interface Outcome {
  conversationId: number;
  msgId: number;
  state: string;
  activeOrderId: string | null;
  catalogId: string | null;
  catalogReason: string | null;
  merchantId: string;
  orderId: string | null;
  waId: string;
  out: OutgoingMessage[];
  more: boolean;
  receivedAt: Date | null;
}

/** A batch that meets a message handled elsewhere is read again this many times before it goes one by one. */
const BATCH_REREADS = 3;

/**
 * Handles the next message of each of several conversations in one transaction: one locked read of
 * all of them, each turn decided in order, one write of every outcome, then their replies sent with
 * shared round trips. Per message this costs a fraction of a round trip instead of four, which is
 * what the database's throughput is spent on. A batch in which one turn throws is rolled back and
 * its conversations run one by one (processConversation), where a failing message costs only
 * itself. Conversations with more messages go round again until none is left.
 */
export async function processConversations(ctx: AppContext, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  // The LLM is asked before a conversation's transaction, per message: those stay one by one.
  if (ctx.config.llm || ids.length === 1) {
    await Promise.all(ids.map((id) => processConversation(ctx, id)));
    return;
  }
  let pending = ids;
  let rereads = 0;
  while (pending.length > 0) {
    const jobsBefore = enqueuedSoFar();
    let outcomes: Outcome[];
    try {
      outcomes = await ctx.db.tx((tx) => processBatch(ctx, tx, pending));
    } catch (err) {
      if (err instanceof AlreadyHandled && ++rereads <= BATCH_REREADS) continue;
      if (!(err instanceof AlreadyHandled)) ctx.logger.warn({ err: (err as Error).message, conversations: pending.length }, 'conversation batch failed; running its conversations one by one');
      await Promise.all(pending.map((id) => processConversation(ctx, id)));
      return;
    }
    for (const o of outcomes) noteAnswered(o.conversationId, o.out.length > 0 ? o.receivedAt : null);
    if (enqueuedSoFar() !== jobsBefore) ctx.jobs.kick();
    const replied = outcomes.filter((o) => o.out.length > 0).map((o) => o.conversationId);
    void drainOutboxes(ctx, replied).catch((err: unknown) => ctx.logger.warn({ err: (err as Error).message }, 'inline sends deferred to the sweeper'));
    pending = outcomes.filter((o) => o.more).map((o) => o.conversationId);
  }
}

async function processBatch(ctx: AppContext, tx: Queryable, ids: number[]): Promise<Outcome[]> {
  // Locked in id order, so two instances' batches (and the batched lease release) never deadlock.
  const rows = await tx.query<NextRow>(
    `${NEXT_MESSAGE_SELECT} WHERE c.id = ANY($1::bigint[]) ORDER BY c.id FOR UPDATE OF c`,
    [ids],
  );
  const outcomes: Outcome[] = [];
  for (const [k, row] of rows.entries()) {
    if (row.msg_id === null) continue;
    // Between turns on a server, let the event loop read what arrived (webhooks wait for their acks
    // meanwhile). Not on PGlite: there the batch holds the only connection, and a longer batch only
    // makes those webhooks wait longer for it.
    if (k > 0 && ctx.db.kind === 'postgres') await new Promise((r) => setImmediate(r));
    const { merchant_row: merchant, customer_row: customer, msg_id, msg_payload, msg_more, msg_received_at, ...conv } = row;
    const out: OutgoingMessage[] = [];
    const turn: Turn = {
      ctx,
      tx,
      merchant,
      conv: { ...conv, state: conv.state ?? {} },
      customer: { ...customer },
      lang: customer.language,
      to: { merchantId: conv.merchant_id, conversationId: conv.id, waId: customer.wa_id },
      out,
    };
    await handleIncoming(turn, capContent(msg_payload!.content));
    if (turn.customer.language !== customer.language) {
      await tx.query('UPDATE customers SET language = $2 WHERE id = $1', [customer.id, turn.customer.language]);
      if (turn.order) await tx.query('UPDATE orders SET language = $2 WHERE id = $1', [turn.order.id, turn.customer.language]);
    }
    outcomes.push({
      conversationId: conv.id,
      msgId: msg_id,
      state: JSON.stringify(turn.conv.state),
      activeOrderId: turn.conv.active_order_id,
      catalogId: turn.conv.catalog_id,
      catalogReason: turn.conv.catalog_reason,
      merchantId: turn.to.merchantId,
      orderId: turn.order?.id ?? turn.conv.active_order_id ?? null,
      waId: turn.to.waId,
      out,
      more: !!msg_more,
      receivedAt: msg_received_at,
    });
  }
  if (outcomes.length === 0) return outcomes;
  const replies = outcomes.flatMap((o) => o.out.map((m) => ({ o, m })));
  // One round trip for every outcome: messages marked, states written, replies queued in order. A
  // message another instance handled while we waited for the locks (our read came from the snapshot
  // before them) rolls the whole batch back, to be read again.
  const written = await tx.one<{ done: number }>(
    `WITH v AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::jsonb[], $4::text[], $5::text[], $6::text[])
                  AS v(conv_id, msg_id, state, active_order_id, catalog_id, catalog_reason)),
          done AS (UPDATE inbound_messages i SET processed_at = now() FROM v WHERE i.id = v.msg_id AND i.processed_at IS NULL RETURNING i.id),
          conv AS (UPDATE conversations c SET state = v.state, active_order_id = v.active_order_id, catalog_id = v.catalog_id,
                          catalog_reason = v.catalog_reason, updated_at = now()
                     FROM v WHERE c.id = v.conv_id AND v.msg_id IN (SELECT id FROM done) RETURNING c.id),
          queued AS (INSERT INTO outbound_messages (merchant_id, conversation_id, order_id, to_wa_id, payload)
                     SELECT r.merchant_id, r.conv_id, r.order_id, r.to_wa_id, r.payload
                       FROM unnest($7::text[], $8::bigint[], $9::text[], $10::text[], $11::jsonb[]) WITH ORDINALITY AS r(merchant_id, conv_id, order_id, to_wa_id, payload, n)
                      WHERE r.conv_id IN (SELECT conv_id FROM v WHERE v.msg_id IN (SELECT id FROM done)) ORDER BY r.n RETURNING id)
     SELECT (SELECT COUNT(*) FROM done)::int AS done, (SELECT COUNT(*) FROM conv)::int AS c, (SELECT COUNT(*) FROM queued)::int AS q`,
    [
      outcomes.map((o) => o.conversationId),
      outcomes.map((o) => o.msgId),
      outcomes.map((o) => o.state),
      outcomes.map((o) => o.activeOrderId),
      outcomes.map((o) => o.catalogId),
      outcomes.map((o) => o.catalogReason),
      replies.map((r) => r.o.merchantId),
      replies.map((r) => r.o.conversationId),
      replies.map((r) => r.o.orderId),
      replies.map((r) => r.o.waId),
      replies.map((r) => JSON.stringify(r.m)),
    ],
  );
  if ((written?.done ?? 0) !== outcomes.length) throw new AlreadyHandled(`a message of this batch was handled by another instance`);
  return outcomes;
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
