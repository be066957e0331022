// The internal catalog: products kept in pesan's database, with stock reservations made in the
// same transaction as the order so stock is never oversold.
import type { Queryable } from '../db/index.js';
import type { Product, ReserveLine, ReserveResult } from './types.js';

export interface ProductRow extends Product {
  id: number;
  catalog_id: string;
  updated_at: Date;
}

export const internalCatalogId = (merchantId: string) => `${merchantId}:internal`;

export async function listProducts(q: Queryable, catalogId: string, opts: { includeInactive?: boolean } = {}): Promise<ProductRow[]> {
  return q.query<ProductRow>(
    `SELECT * FROM products WHERE catalog_id = $1 ${opts.includeInactive ? '' : 'AND active'} ORDER BY category NULLS LAST, name`,
    [catalogId],
  );
}

export async function getProducts(q: Queryable, catalogId: string, skus: string[]): Promise<ProductRow[]> {
  return q.query<ProductRow>('SELECT * FROM products WHERE catalog_id = $1 AND sku = ANY($2::text[])', [catalogId, skus]);
}

export async function upsertProducts(tx: Queryable, catalogId: string, products: Product[]): Promise<number> {
  // A SKU given twice counts with its last row (as one upsert after another would).
  const bySku = new Map<string, Product>();
  for (const p of products) bySku.set(p.sku, p);
  const rows = [...bySku.values()];
  // Many rows per statement: a price list of 100,000 rows is a few hundred round trips, not 100,000
  // (on PGlite every statement holds the only connection, so row by row stalled everything else).
  for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
    const batch = rows.slice(i, i + UPSERT_BATCH).map((p) => ({
      sku: p.sku,
      name: p.name,
      price: p.price,
      stock: p.stock,
      unit: p.unit ?? null,
      category: p.category ?? null,
      aliases: p.aliases ?? [],
      prescription: p.prescription ?? false,
      image_url: p.image_url ?? null,
      active: p.active ?? true,
      description: p.description ?? null,
      search_words: p.search_words ?? [],
    }));
    await tx.query(
      `INSERT INTO products (catalog_id, sku, name, price, stock, unit, category, aliases, prescription, image_url, active, description, search_words)
       SELECT $1, r.sku, r.name, r.price, r.stock, r.unit, r.category,
              ARRAY(SELECT jsonb_array_elements_text(r.aliases)), r.prescription, r.image_url, r.active, r.description,
              ARRAY(SELECT jsonb_array_elements_text(r.search_words))
         FROM jsonb_to_recordset($2::jsonb) AS r(sku text, name text, price bigint, stock int, unit text, category text, aliases jsonb,
              prescription boolean, image_url text, active boolean, description text, search_words jsonb)
       ON CONFLICT (catalog_id, sku) DO UPDATE SET name = EXCLUDED.name, price = EXCLUDED.price, stock = EXCLUDED.stock,
         unit = EXCLUDED.unit, category = EXCLUDED.category, aliases = EXCLUDED.aliases, prescription = EXCLUDED.prescription,
         image_url = EXCLUDED.image_url, active = EXCLUDED.active, description = EXCLUDED.description,
         search_words = EXCLUDED.search_words, updated_at = now()`,
      [catalogId, JSON.stringify(batch)],
    );
  }
  return products.length;
}

const UPSERT_BATCH = 500;

/** A cheap fingerprint that changes whenever the catalog does (for caching the NLU index). */
export async function catalogVersion(q: Queryable, catalogId: string): Promise<string> {
  const row = await q.one<{ v: string }>(
    `SELECT COUNT(*)::text || ':' || COALESCE(MAX(updated_at)::text, '') AS v FROM products WHERE catalog_id = $1`,
    [catalogId],
  );
  return row?.v ?? '';
}

/**
 * Reserves every line or none. Rows are locked in SKU order so concurrent orders cannot deadlock,
 * and the stock check and decrement happen under that lock.
 */
export async function reserveStock(tx: Queryable, catalogId: string, orderId: string, lines: ReserveLine[]): Promise<ReserveResult> {
  const skus = [...new Set(lines.map((l) => l.sku))].sort();
  const rows = await tx.query<{ sku: string; stock: number; active: boolean }>(
    'SELECT sku, stock, active FROM products WHERE catalog_id = $1 AND sku = ANY($2::text[]) ORDER BY sku FOR UPDATE',
    [catalogId, skus],
  );
  const stock = new Map(rows.map((r) => [r.sku, r.active ? r.stock : 0]));
  const wanted = new Map<string, number>();
  for (const l of lines) wanted.set(l.sku, (wanted.get(l.sku) ?? 0) + l.quantity);
  const shortages = [...wanted]
    .filter(([sku, q]) => (stock.get(sku) ?? 0) < q)
    .map(([sku, q]) => ({ sku, requested: q, available: stock.get(sku) ?? 0 }));
  if (shortages.length > 0) return { ok: false, shortages };
  for (const [sku, q] of wanted) {
    await tx.query('UPDATE products SET stock = stock - $3, updated_at = now() WHERE catalog_id = $1 AND sku = $2', [catalogId, sku, q]);
    await tx.query('INSERT INTO stock_reservations (order_id, catalog_id, sku, quantity) VALUES ($1, $2, $3, $4)', [orderId, catalogId, sku, q]);
  }
  return { ok: true };
}

/**
 * Returns an order's reservations to stock; the status flip makes a second call a no-op. Units sold
 * by a payment come back too: an order is only cancelled before pickup, so the goods never left.
 */
export async function releaseStock(tx: Queryable, orderId: string): Promise<number> {
  const released = await tx.query<{ catalog_id: string; sku: string; quantity: number }>(
    `UPDATE stock_reservations SET status = 'released', closed_at = now()
      WHERE order_id = $1 AND status IN ('active', 'committed') RETURNING catalog_id, sku, quantity`,
    [orderId],
  );
  for (const r of released.sort((a, b) => a.sku.localeCompare(b.sku))) {
    await tx.query('UPDATE products SET stock = stock + $3, updated_at = now() WHERE catalog_id = $1 AND sku = $2', [r.catalog_id, r.sku, r.quantity]);
  }
  return released.length;
}

/** After payment the held units are sold. */
export async function commitStock(tx: Queryable, orderId: string): Promise<number> {
  const rows = await tx.query(
    `UPDATE stock_reservations SET status = 'committed', closed_at = now() WHERE order_id = $1 AND status = 'active' RETURNING id`,
    [orderId],
  );
  return rows.length;
}
