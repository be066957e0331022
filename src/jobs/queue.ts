import type { Queryable } from '../db/index.js';

export interface EnqueueOptions {
  /** Delay before the job may run. */
  delayMs?: number;
  runAt?: Date;
  maxAttempts?: number;
}

let enqueuedCount = 0;

/** Jobs enqueued by this process so far: a caller compares it across its work to know whether a kick is needed. */
export function enqueuedSoFar(): number {
  return enqueuedCount;
}

/** Enqueue inside the caller's transaction, so the job exists exactly when the change that asked for it does. */
export async function enqueue(q: Queryable, kind: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<number> {
  enqueuedCount++;
  const runAt = opts.runAt ?? new Date(Date.now() + (opts.delayMs ?? 0));
  const row = await q.one<{ id: number }>(
    'INSERT INTO jobs (kind, payload, run_at, max_attempts) VALUES ($1, $2, $3, $4) RETURNING id',
    [kind, JSON.stringify(payload), runAt.toISOString(), opts.maxAttempts ?? 10],
  );
  return row!.id;
}
