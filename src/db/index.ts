// One small interface over embedded PGlite and a PostgreSQL server, so every module
// writes plain SQL once and runs on both.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';

export interface Queryable {
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
  one<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T | undefined>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * A short transaction on the acknowledgement path (storing a webhook before answering 200). It never
   * waits behind conversation work: on PGlite it runs ahead of every queued statement, on a server it
   * has a small pool of its own; and concurrent ones commit together (group commit). fn may run more
   * than once (a batch that fails is retried one by one), so it must only touch the database.
   */
  ackTx<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Single statements on the acknowledgement path (lookups a webhook needs before its ackTx), with its priority. */
  readonly ack: Queryable;
  /** Work waiting for the database in this process (for /metrics and backpressure). */
  queueDepth(): { ack: number; work: number };
  close(): Promise<void>;
}

// BIGINT and NUMERIC come back as strings from both drivers; money and ids fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Statement and transaction counters of this process, for the bench and /metrics: per-message query
 * counts are what the hot path is tuned by. Counting is two increments; it is always on.
 */
const counters = { statements: 0, transactions: 0 };

export function dbStats(reset = false): { statements: number; transactions: number } {
  const snapshot = { ...counters };
  if (reset) {
    counters.statements = 0;
    counters.transactions = 0;
  }
  return snapshot;
}

/**
 * With PESAN_SQL_PROFILE=1, statements are also counted and timed by their text (the bench prints
 * the top ones): which statement a per-message count comes from is what tuning needs to know.
 */
const sqlProfile = process.env.PESAN_SQL_PROFILE === '1' ? new Map<string, { n: number; ms: number }>() : undefined;

export function sqlProfileTop(limit = 15): { sql: string; n: number; ms: number }[] {
  if (!sqlProfile) return [];
  return [...sqlProfile].map(([sql, v]) => ({ sql, ...v })).sort((a, b) => b.n - a.n).slice(0, limit);
}

function wrap(q: (sql: string, params?: unknown[]) => Promise<any[]>): Queryable {
  const counted = (sql: string, params?: unknown[]) => {
    counters.statements++;
    if (!sqlProfile) return q(sql, params);
    const key = sql.replace(/\s+/g, ' ').slice(0, 110);
    const t = performance.now();
    return q(sql, params).finally(() => {
      const e = sqlProfile.get(key) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += performance.now() - t;
      sqlProfile.set(key, e);
    });
  };
  return {
    query: counted as Queryable['query'],
    one: async (sql, params) => (await counted(sql, params))[0],
  };
}

const pgliteParsers = { 20: (v: string) => Number(v) } as Record<number, (v: string) => unknown>;

/**
 * Most webhook transactions committed together. On PGlite a batch holds the only connection (and
 * the event loop) while it is written, so it is kept small there: latency over fewer commits.
 */
const MAX_GROUP = { pglite: 20, postgres: 100 };

interface Grouped {
  fn: (tx: Queryable) => Promise<unknown>;
  resolve: (v: any) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: what arrives while a batch is being written goes into the next one, up to `parallel`
 * batches at a time. If a batch fails, its members run one by one, so one bad webhook cannot cost
 * the others.
 */
function groupCommit(runTx: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>, parallel: number, maxGroup: number) {
  const pending: Grouped[] = [];
  let running = 0;
  const pump = () => {
    while (running < parallel && pending.length > 0) {
      const batch = pending.splice(0, maxGroup);
      running++;
      void runBatch(batch).finally(() => {
        running--;
        pump();
      });
    }
  };
  const runBatch = async (batch: Grouped[]) => {
    try {
      const results = await runTx(async (tx) => {
        const out: unknown[] = [];
        for (const item of batch) out.push(await item.fn(tx));
        return out;
      });
      batch.forEach((item, i) => item.resolve(results[i]));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const item of batch) await runTx(item.fn).then(item.resolve, item.reject);
    }
  };
  return {
    run: <T>(fn: (tx: Queryable) => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        pending.push({ fn, resolve, reject });
        pump();
      }),
    depth: () => pending.length + running,
  };
}

/** PGlite memory settings (see openPglite); PESAN_PGLITE_SHARED_BUFFERS overrides the buffer size. */
const PGLITE_CONF = [
  `shared_buffers = ${process.env.PESAN_PGLITE_SHARED_BUFFERS ?? '16MB'}`,
  'maintenance_work_mem = 16MB',
  'temp_buffers = 4MB',
];

export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // PostgreSQL's server defaults (128 MB shared buffers, 64 MB maintenance memory) are sized for a
  // machine of its own; inside this process they are resident memory next to Node's. Smaller buffers
  // keep an idle instance well under the memory budget; the catalog and conversations still fit.
  const lite = await PGlite.create(dataDir ?? 'memory://', { extensions: { pg_trgm }, parsers: pgliteParsers, postgresqlconf: PGLITE_CONF });
  // PGlite runs inside this process's event loop: a new WAL segment zero-filled (16 MB written
  // synchronously) would stall every request for seconds under load. Recycled segments need no zeros.
  if (dataDir) await lite.query('SET wal_init_zero = off').catch(() => undefined);
  // PGlite is one connection: statements and transactions run one after another anyway. Ordering them
  // here, with a lane for acknowledgements, lets a webhook be stored next instead of after every
  // conversation transaction already waiting.
  const lanes: { ack: (() => void)[]; work: (() => void)[] } = { ack: [], work: [] };
  let busy = false;
  let scheduled = false;
  // PGlite answers through microtasks and runs in this thread: an operation started inline from a
  // socket callback would run within the same poll phase as every other ready socket's, and one
  // phase could then take seconds while no new webhook is read. So every operation starts from its
  // own setImmediate: each loop turn reads all ready sockets (acks join the lane), then runs one
  // database operation, the ack lane first.
  const kick = () => {
    if (busy || scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (busy) return;
      const start = lanes.ack.shift() ?? lanes.work.shift();
      if (!start) return;
      busy = true;
      start();
    });
  };
  const exclusive = <T>(lane: 'ack' | 'work', op: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      lanes[lane].push(() => {
        op()
          .then(resolve, reject)
          .finally(() => {
            busy = false;
            kick();
          });
      });
      kick();
    });
  const inTx = <T>(lane: 'ack' | 'work', fn: (tx: Queryable) => Promise<T>) => {
    counters.transactions++;
    return exclusive(lane, () => lite.transaction(async (t) => fn(wrap((sql, params) => run(t, sql, params)))));
  };
  const run = async (q: { query: (s: string, p?: any[]) => Promise<{ rows: any[] }> }, sql: string, params?: unknown[]) => (await q.query(sql, params as any[])).rows as any[];
  const base = wrap((sql, params) => exclusive('work', () => run(lite, sql, params)));
  const acks = groupCommit((fn) => inTx('ack', fn), 1, MAX_GROUP.pglite);
  return {
    kind: 'pglite',
    ...base,
    tx: (fn) => inTx('work', fn),
    ackTx: acks.run,
    ack: wrap((sql, params) => exclusive('ack', () => run(lite, sql, params))),
    queueDepth: () => ({ ack: acks.depth() + lanes.ack.length, work: lanes.work.length + (busy ? 1 : 0) }),
    close: () => exclusive('work', () => lite.close()),
  };
}

/** Connections kept for acknowledgements on a server, apart from the main pool. */
const ACK_POOL_SIZE = 4;

export async function openPostgres(url: string, max = 20): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max });
  // Webhook inserts have their own few connections: a main pool busy with conversations never
  // delays the 200 that Meta waits for.
  const ackPool = new pg.Pool({ connectionString: url, max: ACK_POOL_SIZE });
  for (const p of [pool, ackPool]) {
    p.on('error', () => {
      /* an idle client dropped by the server; the pool replaces it */
    });
  }
  const inTx = async <T>(p: pg.Pool, fn: (tx: Queryable) => Promise<T>): Promise<T> => {
    counters.transactions++;
    const client = await p.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(wrap(async (sql, params) => (await client.query(sql, params as any[])).rows));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  const base = wrap(async (sql, params) => (await pool.query(sql, params as any[])).rows);
  const acks = groupCommit((fn) => inTx(ackPool, fn), ACK_POOL_SIZE, MAX_GROUP.postgres);
  return {
    kind: 'postgres',
    ...base,
    tx: (fn) => inTx(pool, fn),
    ackTx: acks.run,
    ack: wrap(async (sql, params) => (await ackPool.query(sql, params as any[])).rows),
    queueDepth: () => ({ ack: acks.depth(), work: pool.waitingCount + (pool.totalCount - pool.idleCount) }),
    close: async () => {
      await ackPool.end();
      await pool.end();
    },
  };
}

export async function openDb(opts: { databaseUrl?: string; dataDir?: string }): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dataDir);
}
