// Each test gets its own fresh database: an in-memory PGlite, or a new database on the
// PostgreSQL server (PESAN_TEST_PG_URL, default 127.0.0.1:5432) that is dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Db } from '../../src/db/index.js';
import { migrate } from '../../src/db/migrate.js';

export const PG_ADMIN_URL = process.env.PESAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type DbKind = 'pglite' | 'postgres';
export const DB_KINDS: DbKind[] = (process.env.PESAN_TEST_DBS ?? 'pglite,postgres').split(',') as DbKind[];

export interface TestDb {
  db: Db;
  url?: string;
  drop(): Promise<void>;
}

export async function freshDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `pesan_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function freshDb(kind: DbKind = 'pglite'): Promise<TestDb> {
  if (kind === 'pglite') {
    const db = await openPglite();
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const { url, drop } = await freshDatabaseUrl();
  const db = await openPostgres(url);
  await migrate(db);
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      await drop();
    },
  };
}
