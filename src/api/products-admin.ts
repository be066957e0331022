// Admin API for removing a product from the merchant's internal catalog (under /api/v1, registered
// from routes.ts): DELETE /products/:sku. Past orders keep their own copy of name and price, so
// deleting never changes an order; to hide a product for a while set `active: false` instead.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { internalCatalogId } from '../catalog/internal.js';
import { invalidateCatalog } from '../catalog/service.js';
import { merchantIdOf } from './request-merchant.js';
import { requireRole } from '../auth/roles.js';

export async function productsAdminApiRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  api.delete('/products/:sku', async (req, reply) => {
    if (!requireRole(req, reply)) return reply;
    const { sku } = req.params as { sku: string };
    const catalogId = internalCatalogId(merchantIdOf(req));
    const gone = await ctx.db.query<{ sku: string }>('DELETE FROM products WHERE catalog_id = $1 AND sku = $2 RETURNING sku', [catalogId, sku]);
    if (gone.length === 0) return reply.code(404).send({ error: `no product with sku ${sku}` });
    invalidateCatalog(catalogId);
    return { deleted: sku };
  });
}
