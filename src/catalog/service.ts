// Which catalogs a merchant has, their products (internal from the database, client catalogs
// through their connector), and the NLU index for each, rebuilt only when the catalog changes.
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import { buildCatalogIndex, type CatalogIndex } from '../nlu/index.js';
import { catalogVersion, listProducts } from './internal.js';
import type { Product } from './types.js';

export interface CatalogRow {
  id: string;
  merchant_id: string;
  kind: 'internal' | 'rest' | 'woocommerce';
  name: string;
  keywords: string[];
  config: Record<string, unknown>;
}

export interface LoadedCatalog {
  catalog: CatalogRow;
  products: Product[];
  bySku: Map<string, Product>;
  index: CatalogIndex;
}

const CONNECTOR_TTL_MS = 60_000;
const cache = new Map<string, { version: string; loaded: LoadedCatalog; at: number }>();

export async function merchantCatalogs(q: Queryable, merchantId: string): Promise<CatalogRow[]> {
  return q.query<CatalogRow>('SELECT * FROM catalogs WHERE merchant_id = $1 AND active ORDER BY (kind = $2) DESC, created_at', [merchantId, 'internal']);
}

export async function getCatalog(q: Queryable, catalogId: string): Promise<CatalogRow | undefined> {
  return q.one<CatalogRow>('SELECT * FROM catalogs WHERE id = $1', [catalogId]);
}

/** Products of a catalog with a ready NLU index; cached per catalog version. */
export async function loadCatalog(ctx: AppContext, q: Queryable, catalog: CatalogRow): Promise<LoadedCatalog> {
  const hit = cache.get(catalog.id);
  if (catalog.kind === 'internal') {
    const version = await catalogVersion(q, catalog.id);
    if (hit && hit.version === version) return hit.loaded;
    const products = (await listProducts(q, catalog.id)).map(stripRow);
    const loaded = build(catalog, products);
    cache.set(catalog.id, { version, loaded, at: Date.now() });
    return loaded;
  }
  if (hit && Date.now() - hit.at < CONNECTOR_TTL_MS) return hit.loaded;
  const connector = ctx.connectors.get(catalog.id);
  if (!connector) throw new Error(`no connector for catalog ${catalog.id}`);
  const products = (await connector.listProducts()).filter((p) => p.active !== false);
  const loaded = build(catalog, products);
  cache.set(catalog.id, { version: 'ttl', loaded, at: Date.now() });
  return loaded;
}

export function invalidateCatalog(catalogId: string): void {
  cache.delete(catalogId);
}

function build(catalog: CatalogRow, products: Product[]): LoadedCatalog {
  return { catalog, products, bySku: new Map(products.map((p) => [p.sku, p])), index: buildCatalogIndex(products) };
}

function stripRow(p: Product & { id?: number; catalog_id?: string; updated_at?: Date }): Product {
  return {
    sku: p.sku,
    name: p.name,
    price: p.price,
    stock: p.stock,
    unit: p.unit,
    category: p.category,
    aliases: p.aliases,
    prescription: p.prescription,
    image_url: p.image_url,
    active: p.active,
  };
}
