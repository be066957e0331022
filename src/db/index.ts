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

function wrap(q: (sql: string, params?: unknown[]) => Promise<any[]>): Queryable {
  const counted = (sql: string, params?: unknown[]) => {
    counters.statements++;
    return q(sql, params);
  };
  return {
    query: counted as Queryable['query'],
    one: async (sql, params) => (await counted(sql, params))[0],
  };
}

const pgliteParsers = { 20: (v: string) => Number(v) } as Record<number, (v: string) => unknown>;

export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create(dataDir ?? 'memory://', { extensions: { pg_trgm }, parsers: pgliteParsers });
  const run = async (sql: string, params?: unknown[]) => (await lite.query(sql, params as any[])).rows as any[];
  const base = wrap(run);
  return {
    kind: 'pglite',
    ...base,
    tx: (fn) => {
      counters.transactions++;
      return lite.transaction(async (t) => fn(wrap(async (sql, params) => (await t.query(sql, params as any[])).rows as any[])));
    },
    close: () => lite.close(),
  };
}

export async function openPostgres(url: string, max = 20): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {
    /* an idle client dropped by the server; the pool replaces it */
  });
  const base = wrap(async (sql, params) => (await pool.query(sql, params as any[])).rows);
  return {
    kind: 'postgres',
    ...base,
    tx: async (fn) => {
      counters.transactions++;
      const client = await pool.connect();
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
    },
    close: () => pool.end(),
  };
}

export async function openDb(opts: { databaseUrl?: string; dataDir?: string }): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPglite(opts.dataDir);
}
