// Drains a conversation's outbox in order. A lease on the conversation row (not a held
// transaction) keeps two instances from interleaving one customer's messages, while
// different customers are sent in parallel.
import type { AppContext } from '../../context.js';
import type { Job } from '../../jobs/runner.js';
import { RetryLater } from '../../jobs/runner.js';
import { addEvent } from '../../orders/repo.js';
import type { OutgoingMessage } from './outgoing.js';
import { WhatsAppApiError } from './graph-client.js';
import { noteReplySent } from '../../jobs/latency.js';
import { sendingNumber } from '../../platform/numbers.js';

const LEASE_MS = 30_000;
/** How long a drain holds a conversation's send lease before another may take it over. */
export const SEND_LEASE_MS = LEASE_MS;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A queued message read together with the send lease (by a turn's own write, say). */
export type LeasedMessage = Queued & { next_attempt_at: Date | string };

interface Queued {
  id: number;
  conversation_id: number;
  merchant_id: string;
  order_id: string | null;
  to_wa_id: string;
  payload: OutgoingMessage;
  attempts: number;
}

export function sendJob(ctx: AppContext) {
  return async (job: Job): Promise<void> => {
    const conversationId: number | undefined = job.payload.conversationId;
    if (conversationId === undefined) {
      // Messages to merchant staff belong to no conversation: send the one the job names.
      const m = await ctx.db.one<Queued>(`SELECT * FROM outbound_messages WHERE id = $1 AND status = 'queued'`, [job.payload.messageId]);
      if (m) await sendOne(ctx, m);
      return;
    }
    const retryIn = await drainOutbox(ctx, conversationId);
    if (retryIn !== undefined) throw new RetryLater(retryIn, 'outbox waiting for retry');
  };
}

/**
 * A drain records what it sent at its end, in the same round trip that releases the lease; one that
 * runs longer than this (a slow loop, a long outbox) records progress and renews its lease on the way.
 */
const FLUSH_AFTER_MS = 1_000;

interface SentMark {
  id: number;
  waMessageId: string;
}

/**
 * Conversations this process is draining now. A second drain of the same conversation (the inline
 * one after a new turn, the sweeper) only asks the running one to look again when it ends, instead
 * of spending a round trip on a lease it cannot get.
 */
const draining = new Map<number, { again: boolean }>();

/**
 * Sends a conversation's queued messages in order; returns ms until a retry when one must wait.
 * `leased`: the lease is already held (taken by the turn that queued them) and these are its queued
 * messages, so the first round needs no lease or read of its own.
 */
export async function drainOutbox(ctx: AppContext, conversationId: number, leased?: LeasedMessage[]): Promise<number | undefined> {
  const running = draining.get(conversationId);
  if (running && !leased) {
    running.again = true;
    return undefined;
  }
  // With the lease in hand this drain must run even if another of this process is on its way out:
  // that one cannot take the lease now, and nobody else would send these before it expires.
  const me = { again: false };
  draining.set(conversationId, me);
  try {
    let first = leased;
    for (;;) {
      me.again = false;
      const retryIn = await drainOnce(ctx, conversationId, first);
      first = undefined;
      if (retryIn !== undefined || !me.again) return retryIn;
    }
  } finally {
    if (draining.get(conversationId) === me) draining.delete(conversationId);
  }
}

async function drainOnce(ctx: AppContext, conversationId: number, leased?: LeasedMessage[]): Promise<number | undefined> {
  for (;;) {
    // The lease and everything queued now, in order. On a server these must be two statements: a
    // statement that waited for the lease (held by another instance's release) reads with the
    // snapshot from before that release, and would resend what was just sent. PGlite is one
    // connection, so there one round trip does both.
    let rows: ({ leased?: number } & LeasedMessage)[];
    if (leased) {
      rows = leased;
      leased = undefined;
    } else if (ctx.db.kind === 'postgres') {
      const leased = await ctx.db.one(
        `UPDATE conversations SET send_lease_until = now() + ($2::int * interval '1 millisecond')
          WHERE id = (SELECT id FROM conversations WHERE id = $1 AND (send_lease_until IS NULL OR send_lease_until < now()) FOR UPDATE SKIP LOCKED) RETURNING id`,
        [conversationId, LEASE_MS],
      );
      if (!leased) return undefined;
      rows = await ctx.db.query(`SELECT * FROM outbound_messages WHERE conversation_id = $1 AND status = 'queued' ORDER BY id LIMIT 50`, [conversationId]);
    } else {
      rows = await ctx.db.query<{ leased: number } & Queued & { next_attempt_at: Date }>(
        `WITH l AS (UPDATE conversations SET send_lease_until = now() + ($2::int * interval '1 millisecond')
                     WHERE id = $1 AND (send_lease_until IS NULL OR send_lease_until < now()) RETURNING id)
         SELECT l.id AS leased, o.* FROM l LEFT JOIN LATERAL (
           SELECT * FROM outbound_messages WHERE conversation_id = l.id AND status = 'queued' ORDER BY id LIMIT 50) o ON true
         ORDER BY o.id`,
        [conversationId, LEASE_MS],
      );
      if (rows.length === 0) return undefined;
    }
    const queued = rows.filter((r) => r.id !== null && r.id !== undefined);
    // A send can wait long for its turn when the process is overloaded; the lease must not run out
    // meanwhile, or another instance takes the conversation over and sends the same messages again.
    const renew = setInterval(() => {
      ctx.db
        .query(`UPDATE conversations SET send_lease_until = now() + ($2::int * interval '1 millisecond') WHERE id = $1 AND send_lease_until IS NOT NULL`, [conversationId, LEASE_MS])
        .catch(() => undefined);
    }, LEASE_MS / 3);
    let retryIn: number | undefined;
    let more: { more: boolean } | undefined;
    let sent: SentMark[] = [];
    let since = Date.now();
    try {
      for (const m of queued) {
        const wait = new Date(m.next_attempt_at).getTime() - Date.now();
        if (wait > 0) {
          retryIn = wait;
          break;
        }
        const outcome = await sendOne(ctx, m, sent);
        if (outcome.retryInMs !== undefined) {
          retryIn = outcome.retryInMs;
          break;
        }
        if (Date.now() - since > FLUSH_AFTER_MS) {
          await markSent(ctx, conversationId, sent, 'renew');
          sent = [];
          since = Date.now();
        }
      }
    } finally {
      clearInterval(renew);
      // What went out, the lease released, and whether more was queued meanwhile: one round trip.
      more = await markSent(ctx, conversationId, sent, 'release');
    }
    if (retryIn !== undefined) return retryIn;
    if (!more?.more) return undefined;
  }
}

/**
 * Drains several conversations' outboxes with shared round trips: one lease (and read) for all of
 * them, their messages sent in parallel (each conversation's in order), one write of what went out
 * with the leases released. A conversation another drain of this process is on, or whose lease is
 * held elsewhere, is left to that drain; one with more queued afterwards is drained on its own.
 */
export async function drainOutboxes(ctx: AppContext, conversationIds: number[]): Promise<void> {
  if (conversationIds.length === 1) {
    await drainOutbox(ctx, conversationIds[0]!);
    return;
  }
  const mine = new Map<number, { again: boolean }>();
  for (const id of conversationIds) {
    const running = draining.get(id);
    if (running) {
      running.again = true;
      continue;
    }
    const me = { again: false };
    draining.set(id, me);
    mine.set(id, me);
  }
  if (mine.size === 0) return;
  const ids = [...mine.keys()];
  const followUp: number[] = [];
  try {
    const { leased, queued } = await leaseMany(ctx, ids);
    if (leased.length > 0) await sendLeased(ctx, leased, queued, followUp);
    // Asked for again while this ran (a job queued a message, say), leased here or not: look once more.
    for (const [id, me] of mine) if (me.again && !followUp.includes(id)) followUp.push(id);
  } finally {
    for (const id of ids) draining.delete(id);
  }
  // Rare: queued meanwhile. The sweeper retries what waits for a backoff.
  for (const id of followUp) await drainOutbox(ctx, id);
}

/** Sends the leased conversations' messages and releases their leases; notes the ones to look at again. */
async function sendLeased(ctx: AppContext, leased: number[], queued: (Queued & { next_attempt_at: Date })[], followUp: number[]): Promise<void> {
  {
    const byConversation = new Map<number, (Queued & { next_attempt_at: Date })[]>();
    for (const id of leased) byConversation.set(id, []);
    for (const m of queued) byConversation.get(m.conversation_id)?.push(m);
    let sent: SentMark[] = [];
    // What went out is recorded every FLUSH_AFTER_MS for the whole batch (a crash then resends
    // little), in the statement that also renews the leases; an idle batch only renews them.
    let renewedAt = Date.now();
    let flushing: Promise<unknown> = Promise.resolve();
    const flush = setInterval(() => {
      if (sent.length === 0 && Date.now() - renewedAt < LEASE_MS / 3) return;
      const marks = sent;
      sent = [];
      renewedAt = Date.now();
      flushing = flushing.then(() => markSentMany(ctx, leased, marks, 'renew')).catch(() => {
        sent.push(...marks); // recorded with the release instead
      });
    }, FLUSH_AFTER_MS);
    const waitingRetry = new Set<number>();
    try {
      await Promise.allSettled(
        [...byConversation].map(async ([conversationId, messages]) => {
          for (const m of messages) {
            if (new Date(m.next_attempt_at).getTime() > Date.now()) {
              waitingRetry.add(conversationId);
              return;
            }
            const marks: SentMark[] = [];
            const outcome = await sendOne(ctx, m, marks);
            sent.push(...marks);
            if (outcome.retryInMs !== undefined) {
              waitingRetry.add(conversationId);
              return;
            }
          }
        }),
      );
    } finally {
      clearInterval(flush);
      await flushing;
      const more = await markSentMany(ctx, leased, sent, 'release');
      for (const id of leased) if (!waitingRetry.has(id) && more.has(id)) followUp.push(id);
    }
  }
}

/** Takes the send lease of every conversation whose lease is free, and reads their queued messages. */
async function leaseMany(ctx: AppContext, ids: number[]): Promise<{ leased: number[]; queued: (Queued & { next_attempt_at: Date })[] }> {
  if (ctx.db.kind === 'postgres') {
    // A conversation locked by a turn being processed is skipped, not waited for: that turn drains
    // its outbox after it commits (else the sweeper does), and a drain waiting on row locks would
    // hold a pooled connection the locking turn may need. The read is its own statement for the
    // snapshot reason given in drainOnce.
    const leased = (
      await ctx.db.query<{ id: number }>(
        `UPDATE conversations SET send_lease_until = now() + ($2::int * interval '1 millisecond')
          WHERE id IN (SELECT id FROM conversations WHERE id = ANY($1::bigint[]) AND (send_lease_until IS NULL OR send_lease_until < now()) ORDER BY id FOR UPDATE SKIP LOCKED)
          RETURNING id`,
        [ids, LEASE_MS],
      )
    ).map((r) => r.id);
    if (leased.length === 0) return { leased, queued: [] };
    const queued = await ctx.db.query<Queued & { next_attempt_at: Date }>(
      `SELECT * FROM (SELECT o.*, row_number() OVER (PARTITION BY o.conversation_id ORDER BY o.id) AS rn
                        FROM outbound_messages o WHERE o.conversation_id = ANY($1::bigint[]) AND o.status = 'queued') q
        WHERE q.rn <= 50 ORDER BY q.conversation_id, q.id`,
      [leased],
    );
    return { leased, queued };
  }
  const rows = await ctx.db.query<{ leased: number } & Queued & { next_attempt_at: Date }>(
    `WITH l AS (UPDATE conversations SET send_lease_until = now() + ($2::int * interval '1 millisecond')
                 WHERE id = ANY($1::bigint[]) AND (send_lease_until IS NULL OR send_lease_until < now()) RETURNING id)
     SELECT l.id AS leased, o.* FROM l LEFT JOIN LATERAL (
       SELECT * FROM outbound_messages WHERE conversation_id = l.id AND status = 'queued' ORDER BY id LIMIT 50) o ON true
     ORDER BY l.id, o.id`,
    [ids, LEASE_MS],
  );
  const leased = [...new Set(rows.map((r) => r.leased))];
  return { leased, queued: rows.filter((r) => r.id !== null && r.id !== undefined) };
}

/** What went out, every lease released, and which conversations have more queued: one round trip. */
async function markSentMany(ctx: AppContext, leased: number[], sent: SentMark[], lease: 'renew' | 'release'): Promise<Set<number>> {
  const rows = await retryingConflicts(() => ctx.db.query<{ more: number | null }>(
    `WITH s AS (UPDATE outbound_messages o SET status = CASE WHEN o.status = 'queued' THEN 'sent' ELSE o.status END,
                       wa_message_id = v.w, sent_at = now(), attempts = o.attempts + 1
                  FROM unnest($2::bigint[], $3::text[]) AS v(id, w) WHERE o.id = v.id RETURNING o.id),
          r AS (UPDATE conversations SET send_lease_until = ${lease === 'release' ? 'NULL' : `now() + (${LEASE_MS} * interval '1 millisecond')`}
                 WHERE id IN (SELECT id FROM conversations WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE) RETURNING id)
     SELECT DISTINCT o.conversation_id AS more FROM outbound_messages o
      WHERE o.conversation_id = ANY($1::bigint[]) AND o.status = 'queued' AND NOT (o.id = ANY($2::bigint[]))
        AND (SELECT COUNT(*) FROM s) >= 0 AND (SELECT COUNT(*) FROM r) >= 0`,
    [leased, sent.map((m) => m.id), sent.map((m) => m.waMessageId)],
  ));
  return new Set(rows.map((r) => Number(r.more)));
}

/**
 * Runs a statement that records sends, again when the server chose it as a deadlock victim (it shares
 * outbound rows with status webhooks and conversation rows with turns): a lost record would leave the
 * lease held and resend what went out.
 */
async function retryingConflicts<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 5 || (code !== '40P01' && code !== '40001')) throw err;
      await sleep(20 * attempt);
    }
  }
}

async function markSent(ctx: AppContext, conversationId: number, sent: SentMark[], lease: 'renew' | 'release'): Promise<{ more: boolean } | undefined> {
  return retryingConflicts(() => markSentOnce(ctx, conversationId, sent, lease));
}

async function markSentOnce(ctx: AppContext, conversationId: number, sent: SentMark[], lease: 'renew' | 'release'): Promise<{ more: boolean } | undefined> {
  return ctx.db.one<{ more: boolean }>(
    `WITH s AS (UPDATE outbound_messages o SET status = CASE WHEN o.status = 'queued' THEN 'sent' ELSE o.status END,
                       wa_message_id = v.w, sent_at = now(), attempts = o.attempts + 1
                  FROM unnest($2::bigint[], $3::text[]) AS v(id, w) WHERE o.id = v.id RETURNING o.id),
          r AS (UPDATE conversations SET send_lease_until = ${lease === 'release' ? 'NULL' : `now() + (${LEASE_MS} * interval '1 millisecond')`} WHERE id = $1 RETURNING id)
     SELECT EXISTS (SELECT 1 FROM outbound_messages WHERE conversation_id = $1 AND status = 'queued' AND NOT (id = ANY($2::bigint[]))) AS more,
            (SELECT COUNT(*) FROM s)::int AS marked, (SELECT COUNT(*) FROM r)::int AS released`,
    [conversationId, sent.map((m) => m.id), sent.map((m) => m.waMessageId)],
  );
}

/** What Meta echoes in a sent message's status webhooks (biz_opaque_callback_data): the outbound row. */
export const outboundCallbackData = (id: number) => `pesan:out:${id}`;

/** Sends one message; with `marks`, the caller records it as sent (drainOutbox batches that write). */
async function sendOne(ctx: AppContext, m: Queued, marks?: SentMark[]): Promise<{ retryInMs?: number }> {
  // The budget is the sending number's: one merchant's burst never slows another's customers.
  await takeSendSlot(ctx, (await sendingNumber(ctx, m.merchant_id, m.to_wa_id)) ?? m.merchant_id);
  try {
    const { waMessageId } = await ctx.whatsapp.send(m.merchant_id, m.to_wa_id, m.payload, { callbackData: outboundCallbackData(m.id) });
    noteReplySent(m.conversation_id);
    if (marks) {
      marks.push({ id: m.id, waMessageId });
      return {};
    }
    await ctx.db.query(
      `UPDATE outbound_messages SET status = CASE WHEN status = 'queued' THEN 'sent' ELSE status END, wa_message_id = $2, sent_at = now(), attempts = attempts + 1 WHERE id = $1`,
      [m.id, waMessageId],
    );
    return {};
  } catch (err) {
    const e = err instanceof WhatsAppApiError ? err : undefined;
    const transient = e ? e.transient : true;
    const attempts = m.attempts + 1;
    const error = { code: e?.code ?? 0, http_status: e?.httpStatus ?? 0, message: (err as Error).message, details: e?.details };
    if (e?.mayHaveArrived) {
      // No answer, but the request went out: Meta may have delivered it, and the Cloud API has no
      // idempotency key, so it is never sent again (whatever the timeout that gave up). Meta's status
      // webhook, which echoes this row's id, marks it sent; until then it is 'unconfirmed'. The
      // conversation's later messages go on.
      await ctx.db.tx(async (tx) => {
        await tx.query(`UPDATE outbound_messages SET status = 'unconfirmed', attempts = $2, error = $3 WHERE id = $1 AND status = 'queued'`, [m.id, attempts, JSON.stringify(error)]);
        if (m.order_id) await addEvent(tx, m.order_id, 'message_unconfirmed', { outbound_id: m.id, ...error });
      });
      ctx.logger.warn({ message: m.id, err: error.message }, 'whatsapp send unanswered; not resent, waiting for its status webhook');
      return {};
    }
    if (transient && attempts < 8) {
      // 4^n seconds, as Meta suggests for throughput errors, capped at 2 minutes.
      const delay = Math.min(120_000, 1000 * 4 ** (attempts - 1));
      await ctx.db.query(
        `UPDATE outbound_messages SET attempts = $2, error = $3, next_attempt_at = now() + ($4::int * interval '1 millisecond') WHERE id = $1`,
        [m.id, attempts, JSON.stringify(error), delay],
      );
      ctx.logger.warn({ message: m.id, code: error.code, attempts }, 'whatsapp send will be retried');
      return { retryInMs: delay };
    }
    await ctx.db.tx(async (tx) => {
      await tx.query(`UPDATE outbound_messages SET status = 'failed', attempts = $2, error = $3 WHERE id = $1`, [m.id, attempts, JSON.stringify(error)]);
      if (m.order_id) await addEvent(tx, m.order_id, 'message_failed', { outbound_id: m.id, ...error });
    });
    ctx.logger.error({ message: m.id, code: error.code }, 'whatsapp send failed permanently');
    return {};
  }
}

/**
 * Per-number messages-per-second budget shared by all instances through the database. Slots are
 * taken from the shared counter in small batches, so the counter row is not a lock every send
 * has to queue on. One refill per number is in flight at a time and every concurrent sender waits
 * for it: when each sender claimed a batch of its own, all but one batch were thrown away, the
 * second's budget ran out after a few dozen sends and every sender queued on the counter row.
 */
const SLOT_BATCH = 50;
interface LocalSlots {
  second: number;
  left: number;
  refill?: Promise<void>;
}
const localSlots = new Map<string, LocalSlots>();

export async function takeSendSlot(ctx: Pick<AppContext, 'db' | 'config'>, phoneNumberId: string): Promise<void> {
  let local = localSlots.get(phoneNumberId);
  if (!local) localSlots.set(phoneNumberId, (local = { second: 0, left: 0 }));
  for (;;) {
    const second = Math.floor(Date.now() / 1000);
    if (local.second === second && local.left > 0) {
      local.left--;
      return;
    }
    if (!local.refill) {
      local.refill = refillSlots(ctx, phoneNumberId, local, second).finally(() => {
        local.refill = undefined;
      });
    }
    await local.refill;
  }
}

async function refillSlots(ctx: Pick<AppContext, 'db' | 'config'>, phoneNumberId: string, local: LocalSlots, second: number): Promise<void> {
  const mps = ctx.config.whatsapp.mps;
  const batch = Math.max(1, Math.min(SLOT_BATCH, Math.floor(mps / 8)));
  const row = await ctx.db.one<{ count: number }>(
    `INSERT INTO send_rate (phone_number_id, second, count) VALUES ($1, $2, $3)
     ON CONFLICT (phone_number_id, second) DO UPDATE SET count = send_rate.count + $3 RETURNING count`,
    [phoneNumberId, second, batch],
  );
  const granted = Math.min(batch, mps - (row!.count - batch));
  if (granted > 0) {
    local.second = second;
    local.left = granted;
    return;
  }
  // This second's budget is spent (by every instance together): wait for the next one.
  await sleep(1000 - (Date.now() % 1000) + 5);
}
