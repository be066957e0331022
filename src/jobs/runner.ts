// Durable job runner on PostgreSQL: claims due jobs with SKIP LOCKED, so any number of
// instances share the work, and a job whose instance died is claimed again when its lease ends.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/index.js';
import type { Logger } from '../shared/log.js';

export interface Job {
  id: number;
  kind: string;
  payload: any;
  attempts: number;
  max_attempts: number;
}

const KICK_COALESCE_MS = 5;

export type JobHandler = (job: Job) => Promise<void>;

/** Thrown by a handler that wants to run again later without it counting as a failure. */
export class RetryLater extends Error {
  constructor(readonly delayMs: number, reason = 'retry later') {
    super(reason);
  }
}

export interface JobRunnerOptions {
  pollMs: number;
  leaseMs?: number;
  concurrency?: number;
  logger: Logger;
}

export class JobRunner {
  private handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | undefined;
  private running = 0;
  private stopped = true;
  private kicked = false;
  private kickPending = false;
  private draining: Promise<void> | undefined;
  private inflight = new Set<Promise<void>>();
  readonly workerId = randomUUID().slice(0, 8);

  constructor(private db: Db, private opts: JobRunnerOptions) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.draining;
    await Promise.allSettled([...this.inflight]);
  }

  /**
   * Call after a commit that enqueued work, to run it now instead of at the next poll. Kicks within
   * a few milliseconds share one claim, so a busy instance does not poll once per commit.
   */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.kicked = true;
      return;
    }
    if (this.kickPending) return;
    this.kickPending = true;
    this.schedule(KICK_COALESCE_MS);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.kickPending = false;
      this.draining = this.drain().finally(() => {
        this.draining = undefined;
        const again = this.kicked;
        this.kicked = false;
        this.schedule(again ? 0 : this.opts.pollMs);
      });
    }, ms);
  }

  private async drain(): Promise<void> {
    const concurrency = this.opts.concurrency ?? 8;
    for (;;) {
      if (this.stopped) return;
      const free = concurrency - this.running;
      if (free <= 0) {
        await Promise.race([...this.inflight]);
        continue;
      }
      let jobs: Job[];
      try {
        jobs = await this.claim(free);
      } catch (err) {
        this.opts.logger.error({ err }, 'job claim failed');
        return;
      }
      if (jobs.length === 0) {
        if (this.running > 0 && this.kicked) {
          this.kicked = false;
          continue;
        }
        return;
      }
      for (const job of jobs) {
        this.running++;
        const p = this.execute(job).finally(() => {
          this.running--;
          this.inflight.delete(p);
        });
        this.inflight.add(p);
      }
    }
  }

  private async claim(limit: number): Promise<Job[]> {
    const leaseMs = this.opts.leaseMs ?? 60_000;
    return this.db.query<Job>(
      `UPDATE jobs SET locked_until = now() + ($2::int * interval '1 millisecond'), locked_by = $3, attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM jobs
           WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= now()
             AND (locked_until IS NULL OR locked_until < now())
           ORDER BY run_at, id
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, payload, attempts, max_attempts`,
      [limit, leaseMs, this.workerId],
    );
  }

  /** Claims and runs whatever is due right now, without waiting for the poller. */
  async runDue(): Promise<number> {
    const jobs = await this.claim(100);
    for (const job of jobs) await this.execute(job);
    return jobs.length;
  }

  private async execute(job: Job): Promise<void> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job);
      await this.db.query('UPDATE jobs SET done_at = now(), locked_until = NULL WHERE id = $1', [job.id]);
    } catch (err) {
      if (err instanceof RetryLater) {
        await this.db.query(
          `UPDATE jobs SET run_at = now() + ($2::int * interval '1 millisecond'), locked_until = NULL, attempts = attempts - 1 WHERE id = $1`,
          [job.id, err.delayMs],
        );
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      const final = job.attempts >= job.max_attempts;
      // Exponential backoff, capped at 5 minutes.
      const backoff = Math.min(300_000, 500 * 2 ** Math.min(job.attempts, 10));
      this.opts.logger[final ? 'error' : 'warn']({ job: job.id, kind: job.kind, attempts: job.attempts, err: message }, 'job failed');
      await this.db.query(
        `UPDATE jobs SET last_error = $2, locked_until = NULL,
           failed_at = CASE WHEN $3 THEN now() ELSE NULL END,
           run_at = now() + ($4::int * interval '1 millisecond')
         WHERE id = $1`,
        [job.id, message.slice(0, 2000), final, backoff],
      );
    }
  }
}
