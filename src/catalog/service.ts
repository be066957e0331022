// Which catalogs a merchant has, their products (internal from the database, client catalogs
// through their connector), and the NLU index for each, rebuilt only when the catalog changes.
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import { buildCatalogIndex, type CatalogIndex } from '../nlu/index.js';
import { catalogVersion, listProducts } from './internal.js';
import type { CatalogConnector, Product } from './types.js';

export interface CatalogRow {
  id: string;
  merchant_id: string;
  kind: 'internal' | 'rest' | 'woocommerce';
  name: string;
  keywords: string[];
  config: Record<string, unknown>;
  active: boolean;
}

export interface LoadedCatalog {
  catalog: CatalogRow;
  products: Product[];
  bySku: Map<string, Product>;
  index: CatalogIndex;
}

const CONNECTOR_TTL_MS = 60_000;
const cache = new Map<string, { version: string; loaded: LoadedCatalog; at: number }>();

// Catalog rows are configuration read on every message; a short cache saves those round trips.
// Writes through the admin API clear it at once; other instances see a change within ROWS_TTL_MS.
const ROWS_TTL_MS = 2_000;
const rowsCache = new Map<string, { at: number; value: unknown }>();

async function cachedRows<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = rowsCache.get(key);
  if (hit && Date.now() - hit.at < ROWS_TTL_MS) return hit.value as T;
  const value = await load();
  rowsCache.set(key, { at: Date.now(), value });
  return value;
}

export function invalidateCatalogRows(): void {
  rowsCache.clear();
}

export async function merchantCatalogs(q: Queryable, merchantId: string): Promise<CatalogRow[]> {
  return cachedRows(`m:${merchantId}`, () =>
    q.query<CatalogRow>('SELECT * FROM catalogs WHERE merchant_id = $1 AND active ORDER BY (kind = $2) DESC, created_at', [merchantId, 'internal']),
  );
}

export async function getCatalog(q: Queryable, catalogId: string): Promise<CatalogRow | undefined> {
  return cachedRows(`c:${catalogId}`, () => q.one<CatalogRow>('SELECT * FROM catalogs WHERE id = $1', [catalogId]));
}

/** How long a catalog's product list is trusted before its version is checked again. */
const VERSION_TTL_MS = 1_000;

/** Products of a catalog with a ready NLU index; cached per catalog version. */
export async function loadCatalog(ctx: AppContext, q: Queryable, catalog: CatalogRow): Promise<LoadedCatalog> {
  const hit = cache.get(catalog.id);
  if (catalog.kind === 'internal') {
    // Stock shown here may lag by a second; reservations at confirmation are what count.
    if (hit && Date.now() - hit.at < VERSION_TTL_MS) return hit.loaded;
    const version = await catalogVersion(q, catalog.id);
    if (hit && hit.version === version) {
      hit.at = Date.now();
      return hit.loaded;
    }
    const products = (await listProducts(q, catalog.id)).map(stripRow);
    const loaded = build(catalog, products);
    cache.set(catalog.id, { version, loaded, at: Date.now() });
    return loaded;
  }
  if (hit) {
    // Stale while revalidating: a message never waits for the client's system (it runs inside the
    // conversation's transaction); the list is refreshed in the background, and stock is checked
    // live with the client at confirmation anyway.
    if (Date.now() - hit.at >= CONNECTOR_TTL_MS) refreshInBackground(ctx, catalog);
    return hit.loaded;
  }
  return fetchClientCatalog(ctx, catalog);
}

const refreshing = new Set<string>();

function refreshInBackground(ctx: AppContext, catalog: CatalogRow): void {
  if (refreshing.has(catalog.id)) return;
  refreshing.add(catalog.id);
  fetchClientCatalog(ctx, catalog)
    .catch((err) => {
      ctx.logger.warn({ catalog: catalog.id, err: (err as Error).message }, 'client catalog unreachable; using the last product list');
      const hit = cache.get(catalog.id);
      if (hit) hit.at = Date.now() - CONNECTOR_TTL_MS + 10_000; // try again in 10 s, not on every message
    })
    .finally(() => refreshing.delete(catalog.id));
}

async function fetchClientCatalog(ctx: AppContext, catalog: CatalogRow): Promise<LoadedCatalog> {
  const connector = ctx.connectors.get(catalog.id);
  if (!connector) throw new CatalogUnavailable(catalog, 'no connector configured');
  let products: Product[];
  try {
    products = (await connector.listProducts()).filter((p) => p.active !== false);
  } catch (err) {
    throw new CatalogUnavailable(catalog, (err as Error).message);
  }
  const loaded = build(catalog, products);
  cache.set(catalog.id, { version: 'ttl', loaded, at: Date.now() });
  return loaded;
}

/** Loads every client catalog of a merchant that has no list yet, outside any transaction. */
export async function warmClientCatalogs(ctx: AppContext, merchantId: string): Promise<void> {
  for (const row of await merchantCatalogs(ctx.db, merchantId)) {
    if (row.kind === 'internal' || cache.has(row.id) || !ctx.connectors.has(row.id)) continue;
    await fetchClientCatalog(ctx, row).catch(() => undefined);
  }
}

/** A client catalog that could not be reached and of which no earlier product list is known. */
export class CatalogUnavailable extends Error {
  constructor(readonly catalog: CatalogRow, reason: string) {
    super(`catalog ${catalog.name} is unavailable: ${reason}`);
  }
}

/** How merchants.ts builds connectors (the providers' factory), kept so catalogs added later can be connected. */
type ConnectorFactory = (kind: 'rest' | 'woocommerce', cfg: { url: string; token: string; name?: string; timeoutMs?: number }) => CatalogConnector | undefined;
const factories = new WeakMap<AppContext, ConnectorFactory>();

export function setConnectorFactory(ctx: AppContext, factory: ConnectorFactory): void {
  factories.set(ctx, factory);
}

/**
 * (Re)connects a client catalog row: builds its connector from the stored url, token and timeout
 * and registers it in ctx.connectors. Returns false when the row cannot be connected.
 */
export function connectCatalog(ctx: AppContext, row: Pick<CatalogRow, 'id' | 'kind' | 'name' | 'config'>, tokenOverride?: string): boolean {
  invalidateCatalog(row.id);
  if (row.kind === 'internal') return true;
  const cfg = row.config as { url?: string; token?: string; timeout_ms?: number };
  const factory = factories.get(ctx);
  const connector = cfg.url && factory ? factory(row.kind, { url: cfg.url, token: tokenOverride ?? cfg.token ?? '', name: row.name, timeoutMs: cfg.timeout_ms }) : undefined;
  if (!connector) {
    ctx.connectors.delete(row.id);
    return false;
  }
  ctx.connectors.set(row.id, connector);
  return true;
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
    description: p.description,
    search_words: p.search_words,
    prescription: p.prescription,
    image_url: p.image_url,
    active: p.active,
  };
}
