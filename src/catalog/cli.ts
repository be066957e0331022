// `npm run catalog -- import FILE.csv` / `export FILE.csv`: the internal catalog of the default merchant.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../config.js';
import { openDb } from '../db/index.js';
import { migrate } from '../db/migrate.js';
import { internalCatalogId, listProducts, upsertProducts } from './internal.js';
import { parseProductsCsv, productsToCsv } from './csv.js';

export async function runCatalogCli(argv: string[], config: Config): Promise<void> {
  const [action, file] = argv;
  if ((action !== 'import' && action !== 'export') || !file) {
    console.error('usage: npm run catalog -- import FILE.csv | export FILE.csv');
    process.exit(2);
  }
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    const catalogId = internalCatalogId('default');
    const exists = await db.one('SELECT 1 FROM catalogs WHERE id = $1', [catalogId]);
    if (!exists) {
      console.error('No merchant yet: run `npm start` once (it creates the default merchant), then import.');
      process.exitCode = 2;
      return;
    }
    if (action === 'export') {
      writeFileSync(file, productsToCsv(await listProducts(db, catalogId, { includeInactive: true })));
      console.log(`exported to ${file}`);
      return;
    }
    const { products, errors } = parseProductsCsv(readFileSync(file, 'utf8'));
    if (errors.length) {
      // All or nothing: a half-imported price list is worse than none.
      for (const e of errors) console.error(`row ${e.row}${e.field ? ` (${e.field})` : ''}: ${e.message}`);
      console.error(`nothing imported: ${errors.length} error(s)`);
      process.exitCode = 1;
      return;
    }
    const n = await db.tx((tx) => upsertProducts(tx, catalogId, products));
    console.log(`imported ${n} products`);
  } finally {
    await db.close();
  }
}
