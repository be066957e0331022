// pesan's own connector: the client implements docs/catalog-connector.openapi.yaml and pesan calls it.
import { httpRequest, ProviderError, type HttpResponse } from '../../../shared/http.js';
import type { CatalogConnector, Product, ReserveLine, ReserveResult } from '../../types.js';
import { chunk, completeProduct, defaultLogger, describeIssues, mergeLines, trimSlash, type ConnectorLogger } from '../common.js';
import { errorBody, productBatch, productPage, wireProduct } from './wire.js';

export interface RestConnectorConfig {
  url: string;
  token: string;
  /** Per attempt; the spec asks clients to answer well within it. Default 4 s. */
  timeoutMs?: number;
  /** Attempts per call on 5xx, 429 and timeouts (every call is safe to repeat). Default 3. */
  attempts?: number;
  /** Shown in errors, e.g. "Apotek Sehat Farma: request failed: timed out". */
  name?: string;
  logger?: ConnectorLogger;
}

const PAGE_SIZE = 200;
const BATCH_SIZE = 100;
const MAX_PAGES = 500;

export function createRestConnector(cfg: RestConnectorConfig): CatalogConnector {
  const base = trimSlash(cfg.url);
  const provider = cfg.name ?? 'client-catalog';
  const log = cfg.logger ?? defaultLogger();

  async function call(method: string, path: string, json?: unknown): Promise<HttpResponse> {
    const res = await httpRequest(provider, {
      method,
      url: base + path,
      headers: { authorization: `Bearer ${cfg.token}` },
      json,
      timeoutMs: cfg.timeoutMs ?? 4_000,
      attempts: cfg.attempts ?? 3,
    });
    if (res.status === 401 || res.status === 403) {
      throw new ProviderError(provider, `the client catalog rejected pesan's token (HTTP ${res.status})`, res.status, res.data, false);
    }
    return res;
  }

  function unexpected(res: HttpResponse, what: string): ProviderError {
    const parsed = errorBody.safeParse(res.data);
    const detail = parsed.success ? `${parsed.data.error}${parsed.data.message ? `: ${parsed.data.message}` : ''}` : `HTTP ${res.status}`;
    return new ProviderError(provider, `${what} failed (${detail})`, res.status, res.data, false);
  }

  function validProducts(items: unknown[], context: string): Product[] {
    const out: Product[] = [];
    items.forEach((item, index) => {
      const parsed = wireProduct.safeParse(item);
      if (parsed.success) {
        out.push(completeProduct(parsed.data as Product));
        return;
      }
      const sku = typeof (item as { sku?: unknown })?.sku === 'string' ? (item as { sku: string }).sku : undefined;
      log.warn({ provider, context, index, sku, reason: describeIssues(parsed.error) }, 'client catalog product skipped');
    });
    return out;
  }

  async function page(query: Record<string, string>): Promise<{ products: Product[]; next: string | null }> {
    const res = await call('GET', `/products?${new URLSearchParams(query)}`);
    if (res.status !== 200) throw unexpected(res, 'listing products');
    const body = productPage.safeParse(res.data);
    if (!body.success) throw new ProviderError(provider, `product list is malformed: ${describeIssues(body.error)}`, res.status, res.data, false);
    return { products: validProducts(body.data.products, 'GET /products'), next: body.data.next_cursor ?? null };
  }

  return {
    kind: 'rest',

    async listProducts() {
      const all: Product[] = [];
      const seenCursors = new Set<string>();
      let cursor: string | null = null;
      for (let n = 0; n < MAX_PAGES; n++) {
        const query: Record<string, string> = { limit: String(PAGE_SIZE) };
        if (cursor) query.cursor = cursor;
        const p = await page(query);
        all.push(...p.products);
        // A client that hands back a cursor it already gave would loop forever.
        if (!p.next || seenCursors.has(p.next)) break;
        seenCursors.add(p.next);
        cursor = p.next;
      }
      return all;
    },

    async search(query, limit = 20) {
      const p = await page({ q: query, limit: String(Math.min(Math.max(1, limit), PAGE_SIZE)) });
      return p.products.slice(0, limit);
    },

    async getProducts(skus) {
      const wanted = [...new Set(skus)];
      const out: Product[] = [];
      for (const part of chunk(wanted, BATCH_SIZE)) {
        const res = await call('POST', '/products:batchGet', { skus: part });
        if (res.status !== 200) throw unexpected(res, 'reading stock');
        const body = productBatch.safeParse(res.data);
        if (!body.success) throw new ProviderError(provider, `stock answer is malformed: ${describeIssues(body.error)}`, res.status, res.data, false);
        out.push(...validProducts(body.data.products, 'POST /products:batchGet'));
      }
      return out;
    },

    async reserve(orderId: string, lines: ReserveLine[], expiresAt: Date): Promise<ReserveResult> {
      const res = await call('POST', '/reservations', { order_id: orderId, lines: mergeLines(lines), expires_at: expiresAt.toISOString() });
      if (res.status === 200 || res.status === 201) return { ok: true };
      const err = errorBody.safeParse(res.data);
      if (res.status === 409 && err.success && err.data.error === 'insufficient_stock') {
        return { ok: false, shortages: err.data.shortages ?? [] };
      }
      throw unexpected(res, `reserving stock for order ${orderId}`);
    },

    async release(orderId) {
      const res = await call('DELETE', `/reservations/${encodeURIComponent(orderId)}`);
      // 404: nothing held (never reserved, or already gone) is what release wants anyway.
      if (res.status === 204 || res.status === 200 || res.status === 404) return;
      throw unexpected(res, `releasing stock of order ${orderId}`);
    },

    async commit(orderId, lines, customer) {
      const res = await call('POST', `/reservations/${encodeURIComponent(orderId)}/commit`, {
        customer: { name: customer.name, phone: customer.phone, address: customer.address ?? null },
        // Sent so a client whose hold has lapsed can still record the sale.
        lines: mergeLines(lines),
      });
      if (res.status === 200 || res.status === 201) return;
      throw unexpected(res, `recording the sale of order ${orderId}`);
    },
  };
}
