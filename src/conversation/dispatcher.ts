// Runs conversations right after their messages commit, a bounded number at a time per instance,
// and sweeps for work any instance left behind (a crash between commit and processing, replies
// whose send failed and is due again). With these two, the hot path needs no job per message.
import type { AppContext } from '../context.js';
import { processConversations } from './processor.js';
import { drainOutbox } from '../channel/whatsapp/sender.js';
import { currentLag, startLoopLag } from '../jobs/loop-lag.js';

/**
 * Backpressure: no new conversation is started while the event loop lags more than this or webhooks
 * wait for the database; the ones running finish. Acks and sends then keep their pace instead of
 * timing out, and intake resumes within a few milliseconds of the load easing.
 */
const LAG_LIMIT_MS = 40;
const RECHECK_MS = 5;

/**
 * Conversations taken into one batch (one transaction, one write; see processConversations).
 * PGlite is one connection: its transactions run one after another anyway, so a batch saves every
 * per-message round trip and commit and costs no parallelism; it stays small because it holds that
 * connection (and a webhook's ack) while its turns are decided. On a server, turns that reserve
 * stock or create orders run several statements each; in one batch they would run one after
 * another while the batch holds every one of its conversations' locks and a hot product row
 * (measured: 200 customers confirming the last units stalled for a minute), so there each
 * conversation is its own transaction and many run in parallel.
 */
const BATCH = { pglite: 8, postgres: 1 };
/**
 * Batches running at once per instance. On a server more turns in flight than the two cores can run only
 * stretch each one: a turn holding a hot product row waits on the event loop for the others, and the row's
 * queue grows (measured: 200 customers confirming the last 10 units, 32 in flight answered 48 of them in a
 * minute; 8 in flight answered all 200).
 */
const PARALLEL = { pglite: 2, postgres: 8 };

/** Work older than this with nobody on it is taken over by the sweeper. */
const ORPHAN_AFTER_MS = 3_000;

export class ConversationDispatcher {
  private waiting: number[] = [];
  private queued = new Set<number>();
  private running = new Set<number>();
  private again = new Set<number>();
  private active = 0;
  private stopped = false;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping = false;
  private idleWaiters: (() => void)[] = [];

  private recheck: NodeJS.Timeout | undefined;

  constructor(private ctx: AppContext, private maxBatches = PARALLEL[ctx.db.kind], private batchSize = BATCH[ctx.db.kind]) {
    startLoopLag();
  }

  /** Conversations waiting and running in this instance (for /metrics). */
  depth(): { waiting: number; running: number } {
    return { waiting: this.waiting.length, running: this.running.size };
  }

  private overloaded(): boolean {
    if (this.active === 0) return false; // always make progress
    return currentLag() > LAG_LIMIT_MS || this.ctx.db.queueDepth().ack > 0;
  }

  /** Ask for a conversation to be processed soon (deduplicated per instance). */
  submit(conversationId: number): void {
    if (this.stopped) return;
    if (this.running.has(conversationId)) {
      // It may have passed its last check already: run it once more when it finishes.
      this.again.add(conversationId);
      return;
    }
    if (this.queued.has(conversationId)) return;
    this.queued.add(conversationId);
    this.waiting.push(conversationId);
    // On the next turn of the loop: the messages of one webhook write are submitted together, and
    // start as one batch instead of the first alone.
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump();
      });
    }
  }

  private pumpScheduled = false;

  start(sweepEveryMs: number): void {
    this.sweeper = setInterval(() => void this.sweep(), sweepEveryMs);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.recheck) clearTimeout(this.recheck);
    this.waiting = [];
    this.queued.clear();
    if (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (!this.stopped && this.active < this.maxBatches && this.waiting.length > 0) {
      if (this.overloaded()) {
        if (!this.recheck) {
          this.recheck = setTimeout(() => {
            this.recheck = undefined;
            this.pump();
          }, RECHECK_MS);
        }
        return;
      }
      const batch = this.waiting.splice(0, this.batchSize);
      for (const id of batch) this.queued.delete(id);
      void this.run(batch);
    }
  }

  private async run(batch: number[]): Promise<void> {
    this.active++;
    for (const id of batch) this.running.add(id);
    try {
      let todo = batch;
      while (todo.length > 0 && !this.stopped) {
        for (const id of todo) this.again.delete(id);
        await processConversations(this.ctx, todo);
        // Submitted again while running: it may have passed its last check already.
        todo = todo.filter((id) => this.again.has(id));
      }
    } catch (err) {
      this.ctx.logger.error({ err: (err as Error).message, conversations: batch.length }, 'conversation processing failed; the sweeper retries');
    } finally {
      for (const id of batch) this.running.delete(id);
      this.active--;
      if (this.active === 0) for (const w of this.idleWaiters.splice(0)) w();
      this.pump();
    }
  }

  /** Finds messages and replies left unhandled by any instance and takes them on. */
  async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = true;
    try {
      const inbound = await this.ctx.db.query<{ conversation_id: number }>(
        `SELECT DISTINCT conversation_id FROM inbound_messages
          WHERE processed_at IS NULL AND received_at < now() - ($1::int * interval '1 millisecond') LIMIT 200`,
        [ORPHAN_AFTER_MS],
      );
      for (const r of inbound) this.submit(r.conversation_id);
      const outbound = await this.ctx.db.query<{ conversation_id: number }>(
        `SELECT DISTINCT conversation_id FROM outbound_messages
          WHERE status = 'queued' AND conversation_id IS NOT NULL AND next_attempt_at <= now()
            AND created_at < now() - ($1::int * interval '1 millisecond') LIMIT 200`,
        [ORPHAN_AFTER_MS],
      );
      for (const r of outbound) {
        if (this.stopped) break;
        await drainOutbox(this.ctx, r.conversation_id).catch((err) => this.ctx.logger.warn({ err: (err as Error).message }, 'outbox sweep failed'));
      }
    } catch (err) {
      this.ctx.logger.warn({ err: (err as Error).message }, 'sweep failed');
    } finally {
      this.sweeping = false;
    }
  }
}
