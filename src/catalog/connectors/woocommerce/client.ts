// WooCommerce as a client catalog, through its REST API v3 with a consumer key/secret.
//
// How pesan's catalog port maps onto a shop that has no stock holds:
// - stock: products with "Manage stock" on give stock_quantity; products without it are sellable
//   without a count, so pesan sees UNMANAGED_STOCK units while they are "In stock" (0 when not).
// - SKU: the product's SKU, or `wc-<id>` when the shop left it empty.
// - Only simple products are offered: variable/grouped/external ones need a variation or a link and
//   are skipped with a logged reason.
// - reserve re-checks live stock (nothing is held in the shop); release has nothing to undo.
// - commit creates a paid order (set_paid: true), which makes WooCommerce reduce stock.
import { basicAuth, httpRequest, ProviderError, type HttpResponse } from '../../../shared/http.js';
import type { CatalogConnector, Product, ReserveLine, ReserveResult } from '../../types.js';
import { chunk, defaultLogger, describeIssues, mergeLines, trimSlash, type ConnectorLogger } from '../common.js';
import { PESAN_ORDER_META_KEY, wooError, wooOrder, wooProduct, type WooProduct } from './wire.js';

/** Units pesan assumes for an in-stock product whose stock the shop does not count. */
export const UNMANAGED_STOCK = 999;

/**
 * Remembers which pesan orders already became WooCommerce orders. The REST API cannot filter orders
 * by meta, so by default this is in memory, backed by a scan of the shop's recent orders (which
 * carry the pesan order id in their meta) before every commit. Pass a durable guard to skip the scan.
 */
export interface CommitGuard {
  has(orderId: string): boolean | Promise<boolean>;
  add(orderId: string, wooOrderId: number): void | Promise<void>;
}

export interface WooCommerceConnectorConfig {
  /** The shop's site URL, e.g. https://tokomakmur.id (the connector adds /wp-json/wc/v3). */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  /** Per attempt. Default 4 s. */
  timeoutMs?: number;
  /** Attempts per read on 5xx, 429 and timeouts. Default 3. Creating an order is never blindly repeated. */
  attempts?: number;
  name?: string;
  logger?: ConnectorLogger;
  commitGuard?: CommitGuard;
  /** How far back the duplicate-order scan looks. Default 3 days (longer than pesan's job retries). */
  recentOrdersWindowMs?: number;
}

const PER_PAGE = 100;
const MAX_PAGES = 200;
const SCAN_PAGES = 3;
const WC_ID_SKU = /^wc-(\d+)$/;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
/** WordPress stores titles HTML-escaped ("Kopi &amp; Susu"); customers should read plain text. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
}

export const wooSku = (p: { id: number; sku?: string | null }) => (p.sku && p.sku.trim() ? p.sku.trim() : `wc-${p.id}`);

/** Turns a WooCommerce product into pesan's, or says why pesan cannot offer it. */
export function productFromWoo(w: WooProduct): { product: Product } | { skip: string } {
  if (w.type && w.type !== 'simple') return { skip: `${w.type} products are not offered (only simple products can be ordered through pesan)` };
  const raw = w.price === null || w.price === undefined ? '' : String(w.price).trim();
  if (raw === '') return { skip: 'no price set' };
  if (!/^\d+(\.\d+)?$/.test(raw)) return { skip: `price "${raw}" is not an amount` };
  const n = Number(raw);
  if (!Number.isInteger(n)) return { skip: `price "${raw}" has fractions of a rupiah` };
  const stock =
    w.manage_stock === true ? Math.max(0, Math.trunc(w.stock_quantity ?? 0)) : w.stock_status === 'outofstock' ? 0 : UNMANAGED_STOCK;
  const category = w.categories?.[0]?.name ? decodeEntities(w.categories[0].name) : null;
  return {
    product: {
      sku: wooSku(w),
      name: decodeEntities(w.name).trim(),
      price: n,
      stock,
      unit: null,
      // WooCommerce files products it was given no category for under "Uncategorized".
      category: category && w.categories?.[0]?.slug !== 'uncategorized' ? category : null,
      aliases: [],
      prescription: false,
      image_url: w.images?.[0]?.src ?? null,
      active: (w.status ?? 'publish') === 'publish' && w.purchasable !== false,
    },
  };
}

export function createWooCommerceConnector(cfg: WooCommerceConnectorConfig): CatalogConnector {
  const api = `${trimSlash(cfg.url)}/wp-json/wc/v3`;
  const provider = cfg.name ?? 'woocommerce';
  const log = cfg.logger ?? defaultLogger();
  const auth = basicAuth(cfg.consumerKey, cfg.consumerSecret);
  const memory = new Map<string, number>();
  const guard: CommitGuard = cfg.commitGuard ?? { has: (id) => memory.has(id), add: (id, wooId) => void memory.set(id, wooId) };
  const warnedSkips = new Set<string>();

  const { protocol, hostname } = new URL(api);
  if (protocol !== 'https:' && !['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) {
    // WooCommerce only accepts key/secret as Basic auth over HTTPS; over HTTP it expects OAuth 1.0a.
    log.warn({ provider, url: cfg.url }, 'WooCommerce URL is not HTTPS: the shop will refuse the consumer key/secret');
  }

  async function call(method: string, path: string, opts: { json?: unknown; attempts?: number } = {}): Promise<HttpResponse> {
    const res = await httpRequest(provider, {
      method,
      url: api + path,
      headers: { authorization: auth },
      json: opts.json,
      timeoutMs: cfg.timeoutMs ?? 4_000,
      attempts: opts.attempts ?? cfg.attempts ?? 3,
    });
    if (res.status === 401 || res.status === 403) {
      throw new ProviderError(provider, `WooCommerce rejected the consumer key/secret (${describe(res)})`, res.status, res.data, false);
    }
    return res;
  }

  function describe(res: HttpResponse): string {
    const e = wooError.safeParse(res.data);
    return e.success ? `${e.data.code}${e.data.message ? `: ${e.data.message}` : ''}` : `HTTP ${res.status}`;
  }

  function fail(res: HttpResponse, what: string): ProviderError {
    return new ProviderError(provider, `${what} failed (${describe(res)})`, res.status, res.data, false);
  }

  /** Valid, offerable products; the others are logged once per connector so lists stay quiet. */
  function toProducts(items: unknown): Product[] {
    if (!Array.isArray(items)) throw new ProviderError(provider, 'product list is not an array', undefined, items, false);
    const out: Product[] = [];
    for (const item of items) {
      const parsed = wooProduct.safeParse(item);
      const id = (item as { id?: unknown })?.id;
      if (!parsed.success) {
        warnOnce(`id:${String(id)}`, { id, reason: describeIssues(parsed.error) });
        continue;
      }
      const mapped = productFromWoo(parsed.data);
      if ('skip' in mapped) warnOnce(wooSku(parsed.data), { id, sku: wooSku(parsed.data), reason: mapped.skip });
      else out.push(mapped.product);
    }
    return out;
  }

  function warnOnce(key: string, detail: Record<string, unknown>) {
    if (warnedSkips.has(key)) return;
    warnedSkips.add(key);
    log.warn({ provider, ...detail }, 'WooCommerce product skipped');
  }

  async function getPage(query: Record<string, string>): Promise<{ items: unknown; totalPages: number }> {
    const res = await call('GET', `/products?${new URLSearchParams(query)}`);
    if (res.status !== 200) throw fail(res, 'listing products');
    const totalPages = Number(res.headers.get('x-wp-totalpages') ?? '1');
    return { items: res.data, totalPages: Number.isFinite(totalPages) ? totalPages : 1 };
  }

  /** Live products for these SKUs (any status, so an unpublished one shows up as inactive). */
  async function lookup(skus: string[]): Promise<Product[]> {
    const wanted = new Set(skus);
    const ids = skus.map((s) => WC_ID_SKU.exec(s)?.[1]).filter((x): x is string => !!x);
    const named = skus.filter((s) => !WC_ID_SKU.test(s));
    const out: Product[] = [];
    for (const part of chunk(ids, PER_PAGE)) {
      out.push(...toProducts((await getPage({ include: part.join(','), per_page: String(PER_PAGE) })).items));
    }
    for (const part of chunk(named, PER_PAGE)) {
      // WooCommerce matches a comma-separated list of SKUs exactly.
      out.push(...toProducts((await getPage({ sku: part.join(','), per_page: String(PER_PAGE) })).items));
    }
    const seen = new Set<string>();
    return out.filter((p) => wanted.has(p.sku) && !seen.has(p.sku) && seen.add(p.sku));
  }

  async function productIds(skus: string[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const named = skus.filter((s) => {
      const m = WC_ID_SKU.exec(s);
      if (m) ids.set(s, Number(m[1]));
      return !m;
    });
    for (const part of chunk(named, PER_PAGE)) {
      const page = await getPage({ sku: part.join(','), per_page: String(PER_PAGE) });
      for (const item of Array.isArray(page.items) ? page.items : []) {
        const w = wooProduct.safeParse(item);
        if (w.success && named.includes(wooSku(w.data))) ids.set(wooSku(w.data), w.data.id);
      }
    }
    return ids;
  }

  /** The WooCommerce order already made for this pesan order, if a previous attempt got through. */
  async function findRecentOrder(orderId: string): Promise<number | undefined> {
    const after = new Date(Date.now() - (cfg.recentOrdersWindowMs ?? 3 * 86_400_000)).toISOString().replace(/\.\d+Z$/, '');
    for (let page = 1; page <= SCAN_PAGES; page++) {
      const query = new URLSearchParams({ after, dates_are_gmt: 'true', orderby: 'date', order: 'desc', per_page: String(PER_PAGE), page: String(page) });
      const res = await call('GET', `/orders?${query}`);
      if (res.status !== 200 || !Array.isArray(res.data)) throw fail(res, 'checking recent orders');
      for (const item of res.data) {
        const o = wooOrder.safeParse(item);
        if (o.success && o.data.meta_data?.some((m) => m.key === PESAN_ORDER_META_KEY && String(m.value) === orderId)) return o.data.id;
      }
      if (page >= Number(res.headers.get('x-wp-totalpages') ?? '1')) break;
    }
    return undefined;
  }

  return {
    kind: 'woocommerce',

    async listProducts() {
      const all: Product[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const p = await getPage({ status: 'publish', per_page: String(PER_PAGE), page: String(page) });
        all.push(...toProducts(p.items));
        if (page >= p.totalPages || !Array.isArray(p.items) || p.items.length === 0) break;
      }
      return all;
    },

    async search(query, limit = 20) {
      const p = await getPage({ search: query, status: 'publish', per_page: String(Math.min(Math.max(1, limit), PER_PAGE)) });
      return toProducts(p.items).slice(0, limit);
    },

    async getProducts(skus) {
      return lookup([...new Set(skus)]);
    },

    async reserve(_orderId: string, lines: ReserveLine[]): Promise<ReserveResult> {
      // No holds in WooCommerce: the best pesan can do is check the shelf right now.
      const merged = mergeLines(lines);
      const live = new Map((await lookup(merged.map((l) => l.sku))).map((p) => [p.sku, p]));
      const shortages = merged
        .map((l) => {
          const p = live.get(l.sku);
          return { sku: l.sku, requested: l.quantity, available: p && p.active !== false ? p.stock : 0 };
        })
        .filter((s) => s.available < s.requested);
      return shortages.length ? { ok: false, shortages } : { ok: true };
    },

    async release() {
      // Nothing was held in the shop.
    },

    async commit(orderId, lines, customer) {
      if (await guard.has(orderId)) return;
      const existing = await findRecentOrder(orderId);
      if (existing !== undefined) {
        await guard.add(orderId, existing);
        return;
      }
      const merged = mergeLines(lines);
      const ids = await productIds(merged.map((l) => l.sku));
      const missing = merged.filter((l) => !ids.has(l.sku)).map((l) => l.sku);
      if (missing.length) throw new ProviderError(provider, `products no longer in the shop: ${missing.join(', ')}`, undefined, undefined, false);
      const address = customer.address ?? '';
      const res = await call('POST', '/orders', {
        // A timed-out create may still have happened: pesan's job retries, and the scan above finds it.
        attempts: 1,
        json: {
          payment_method: 'pesan',
          payment_method_title: 'pesan (QRIS / virtual account)',
          set_paid: true,
          customer_note: `WhatsApp order ${orderId} via pesan`,
          billing: { first_name: customer.name, phone: customer.phone, address_1: address },
          shipping: { first_name: customer.name, phone: customer.phone, address_1: address },
          line_items: merged.map((l) => ({ product_id: ids.get(l.sku)!, quantity: l.quantity })),
          meta_data: [{ key: PESAN_ORDER_META_KEY, value: orderId }],
        },
      });
      if (res.status !== 201 && res.status !== 200) throw fail(res, `recording the sale of order ${orderId}`);
      const created = wooOrder.safeParse(res.data);
      await guard.add(orderId, created.success ? created.data.id : 0);
    },
  };
}
