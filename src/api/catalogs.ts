// Admin API for catalogs (under /api/v1, behind the admin bearer token, registered from routes.ts):
//   GET|POST /catalogs                 the number's catalogs (internal and client); a token is never returned
//   GET      /conversations/:waId      which catalog serves a customer, why, and the active order
//   POST     /products/import          CSV (text/csv body, or JSON {"csv": "..."}): all rows or none, errors per row
//   GET      /products/export          the internal catalog as CSV
//   GET      /products/search?q=       typo-tolerant search by name, alias and category
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { intParam } from '../shared/sanitize.js';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { internalCatalogId, listProducts, upsertProducts } from '../catalog/internal.js';
import { connectCatalog, getCatalog, invalidateCatalog, invalidateCatalogRows, type CatalogRow } from '../catalog/service.js';
import { parseProductsCsv, productsToCsv } from '../catalog/csv.js';
import { searchCatalog } from '../catalog/search.js';
import { completeProduct } from '../catalog/connectors/common.js';
import { merchantIdOf } from './request-merchant.js';
import { orderJson } from './routes.js';
import { requireRole } from '../auth/roles.js';
import { badRequest, slugOf } from './request-errors.js';

const catalogBody = z
  .object({
    id: z.string().trim().regex(/^[a-z0-9][a-z0-9:_\-]{0,99}$/i, 'letters, digits, ":", "_" and "-" only').optional(),
    kind: z.enum(['internal', 'rest', 'woocommerce']),
    name: z.string().trim().min(1).max(100),
    keywords: z.array(z.string().trim().min(2).max(60)).max(30).optional(),
    url: z.string().url().optional(),
    token: z.string().min(1).max(1000).optional(),
    /** Per attempt when calling the client's system (default 4000). */
    timeout_ms: z.number().int().min(50).max(60_000).optional(),
    active: z.boolean().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'internal' && (b.url || b.token)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'an internal catalog has no url or token' });
    if (b.kind === 'woocommerce' && b.token && !/^[^:]+:.+$/.test(b.token)) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'WooCommerce token must be "consumer_key:consumer_secret" (ck_…:cs_…)' });
    }
  });


const slug = (s: string) => slugOf(s, 60, 'catalog');

export async function catalogApiRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const catalogJson = (r: CatalogRow) => {
    const merchantId = r.merchant_id;
    const cfg = r.config as { url?: string; token?: string; timeout_ms?: number };
    return {
      id: r.id,
      kind: r.kind,
      name: r.name,
      keywords: r.keywords ?? [],
      url: cfg.url ?? null,
      timeout_ms: cfg.timeout_ms ?? null,
      has_token: !!cfg.token || (r.id === `${merchantId}:client` && !!ctx.config.clientCatalog?.token),
      active: r.active,
      connected: r.kind === 'internal' || ctx.connectors.has(r.id),
    };
  };

  api.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  api.get('/catalogs', async (req) => {
    const merchantId = merchantIdOf(req);
    const rows = await ctx.db.query<CatalogRow>('SELECT * FROM catalogs WHERE merchant_id = $1 ORDER BY (kind = $2) DESC, created_at', [merchantId, 'internal']);
    return { catalogs: rows.map(catalogJson) };
  });

  api.post('/catalogs', async (req, reply) => {
    if (!requireRole(req, reply)) return reply;
    const merchantId = merchantIdOf(req);
    const parsed = catalogBody.safeParse(req.body);
    if (!parsed.success) return badRequest(reply, parsed.error);
    const b = parsed.data;
    const id = b.id ?? `${merchantId}:${slug(b.name)}`;
    const existing = await getCatalog(ctx.db, id);
    if (existing && existing.merchant_id !== merchantId) return reply.code(403).send({ error: `catalog id ${id} is taken; choose another id` });
    if (existing && (existing.kind === 'internal') !== (b.kind === 'internal')) {
      return reply.code(409).send({ error: `catalog ${id} is ${existing.kind}; an internal catalog cannot become a client catalog or the other way round` });
    }
    const old = (existing?.config ?? {}) as { url?: string; token?: string; timeout_ms?: number };
    const config: Record<string, unknown> = {};
    if (b.kind !== 'internal') {
      const url = b.url ?? old.url;
      if (!url) return reply.code(400).send({ error: 'invalid request', issues: [{ path: 'url', message: 'a client catalog needs the url of its system' }] });
      config.url = url.replace(/\/+$/, '');
      const token = b.token ?? old.token;
      if (token) config.token = token;
      const timeout = b.timeout_ms ?? old.timeout_ms;
      if (timeout) config.timeout_ms = timeout;
    }
    const row = await ctx.db.one<CatalogRow>(
      `INSERT INTO catalogs (id, merchant_id, kind, name, keywords, config, active) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, keywords = EXCLUDED.keywords,
         config = EXCLUDED.config, active = EXCLUDED.active
       RETURNING *`,
      [id, merchantId, b.kind, b.name, b.keywords ?? existing?.keywords ?? [], JSON.stringify(config), b.active ?? existing?.active ?? true],
    );
    invalidateCatalogRows();
    if (row!.active) {
      const envToken = id === `${merchantId}:client` && !b.token ? ctx.config.clientCatalog?.token : undefined;
      connectCatalog(ctx, row!, envToken);
    } else {
      ctx.connectors.delete(id);
      invalidateCatalog(id);
    }
    return reply.code(existing ? 200 : 201).send({ catalog: catalogJson(row!) });
  });

  api.get('/conversations/:waId', async (req, reply) => {
    if (!requireRole(req, reply, 'staff')) return reply;
    const { waId } = req.params as { waId: string };
    const merchantId = merchantIdOf(req);
    const conv = await ctx.db.one<{
      id: number;
      wa_id: string;
      name: string | null;
      language: string;
      catalog_id: string | null;
      catalog_reason: string | null;
      active_order_id: string | null;
      human_handover: boolean;
      updated_at: Date;
    }>(
      `SELECT c.id, cu.wa_id, cu.name, cu.language, c.catalog_id, c.catalog_reason, c.active_order_id, c.human_handover, c.updated_at
         FROM conversations c JOIN customers cu ON cu.id = c.customer_id
        WHERE c.merchant_id = $1 AND cu.wa_id = $2`,
      [merchantId, waId],
    );
    if (!conv) return reply.code(404).send({ error: 'no conversation with this customer' });
    const catalog = conv.catalog_id ? await getCatalog(ctx.db, conv.catalog_id) : undefined;
    const order = conv.active_order_id ? await orderJson(ctx, conv.active_order_id, false, merchantId) : undefined;
    return {
      wa_id: conv.wa_id,
      name: conv.name,
      language: conv.language,
      catalog_id: conv.catalog_id,
      catalog_name: catalog?.name ?? null,
      catalog_reason: conv.catalog_reason,
      human_handover: conv.human_handover,
      active_order: order ?? null,
      updated_at: conv.updated_at,
    };
  });

  /** The internal catalog to import into / export from: ?catalog=ID, default the merchant's own. */
  async function internalTarget(req: FastifyRequest, reply: FastifyReply, requested: string | undefined): Promise<string | undefined> {
    const merchantId = merchantIdOf(req);
    const id = requested || internalCatalogId(merchantId);
    const row = await getCatalog(ctx.db, id);
    if (!row || row.merchant_id !== merchantId) {
      reply.code(404).send({ error: `no catalog ${id}` });
      return undefined;
    }
    if (row.kind !== 'internal') {
      reply.code(409).send({ error: `catalog ${id} is a client catalog: its products live in the client's own system` });
      return undefined;
    }
    return id;
  }

  api.post('/products/import', async (req, reply) => {
    if (!requireRole(req, reply)) return reply;
    const catalogId = await internalTarget(req, reply, (req.query as { catalog?: string }).catalog);
    if (!catalogId) return reply;
    const body = req.body;
    const csv = typeof body === 'string' ? body : typeof (body as { csv?: unknown })?.csv === 'string' ? (body as { csv: string }).csv : undefined;
    if (csv === undefined) return reply.code(400).send({ error: 'send the CSV as a text/csv body or as JSON {"csv": "..."}' });
    const { products, errors } = parseProductsCsv(csv);
    if (errors.length) {
      // All or nothing: a price list applied halfway is worse than none.
      return reply.code(400).send({ error: `nothing imported: ${errors.length} error(s)`, imported: 0, errors });
    }
    const n = await ctx.db.tx((tx) => upsertProducts(tx, catalogId, products));
    invalidateCatalog(catalogId);
    return { imported: n };
  });

  api.get('/products/export', async (req, reply) => {
    const q = req.query as { catalog?: string; delimiter?: string; bom?: string };
    const catalogId = await internalTarget(req, reply, q.catalog);
    if (!catalogId) return reply;
    const semicolon = q.delimiter === ';' || q.delimiter === 'semicolon';
    const csv = productsToCsv(await listProducts(ctx.db, catalogId, { includeInactive: true }), { delimiter: semicolon ? ';' : ',', bom: q.bom === '1' || q.bom === 'true' });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${slug(catalogId)}.csv"`)
      .send(csv);
  });

  api.get('/products/search', async (req, reply) => {
    const q = req.query as { q?: string; catalog?: string; limit?: string };
    if (!q.q?.trim()) return reply.code(400).send({ error: 'q is required' });
    const catalogId = await internalTarget(req, reply, q.catalog);
    if (!catalogId) return reply;
    const hits = await searchCatalog(ctx.db, catalogId, q.q, { limit: intParam(q.limit, 10, 1, 50) });
    return {
      products: hits.map((h) => ({ ...completeProduct(h), score: h.score, matched: h.matched })),
    };
  });

}
