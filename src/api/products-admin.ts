// Admin API for a product of the merchant's internal catalog (under /api/v1, registered from
// routes.ts):
//   DELETE /products/:sku           removes the product. Past orders keep their own copy of name and
//                                   price, so deleting never changes an order; to hide a product for a
//                                   while set `active: false` instead.
//   POST   /products/:sku/picture   uploads its picture (multipart, one file, JPEG/PNG/WebP by its
//                                   bytes, at most 5 MB) and sets image_url to the picture's public URL
//   DELETE /products/:sku/picture   removes the picture and clears image_url
// The public picture URL (GET /media/products/<token>.<ext>) is registered by productPictureRoutes,
// outside /api/v1, because WhatsApp fetches product images by link without our credentials.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { AppContext } from '../context.js';
import { getProducts, internalCatalogId } from '../catalog/internal.js';
import { completeProduct } from '../catalog/connectors/common.js';
import { invalidateCatalog } from '../catalog/service.js';
import { merchantIdOf } from './request-merchant.js';
import { requireRole } from '../auth/roles.js';
import { MAX_PICTURE_BYTES, PUBLIC_PICTURE_PATH, pictureByFileName, removeProductPictures, sniffPictureType, storeProductPicture } from '../media/product-pictures.js';

const MB = MAX_PICTURE_BYTES / (1024 * 1024);

export async function productsAdminApiRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  api.delete('/products/:sku', async (req, reply) => {
    if (!requireRole(req, reply)) return reply;
    const { sku } = req.params as { sku: string };
    const merchantId = merchantIdOf(req);
    const catalogId = internalCatalogId(merchantId);
    const gone = await ctx.db.tx(async (tx) => {
      const rows = await tx.query<{ sku: string }>('DELETE FROM products WHERE catalog_id = $1 AND sku = $2 RETURNING sku', [catalogId, sku]);
      if (rows.length) await removeProductPictures(tx, merchantId, sku);
      return rows;
    });
    if (gone.length === 0) return reply.code(404).send({ error: `no product with sku ${sku}` });
    invalidateCatalog(catalogId);
    return { deleted: sku };
  });

  // Multipart is parsed only on the picture route (its own plugin scope); the auth and audit hooks
  // of /api/v1 still run, so a session needs its CSRF header like every other change.
  await api.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_PICTURE_BYTES, files: 1, fields: 10, parts: 11 } });

    scope.post('/products/:sku/picture', async (req, reply) => {
      if (!requireRole(req, reply)) return reply;
      const { sku } = req.params as { sku: string };
      const merchantId = merchantIdOf(req);
      const catalogId = internalCatalogId(merchantId);
      // Another merchant's SKU is simply not in this merchant's catalog: 404, as for every product route.
      if (!(await getProducts(ctx.db, catalogId, [sku]))[0]) return reply.code(404).send({ error: `no product ${sku}` });
      if (!req.isMultipart()) return reply.code(415).send({ error: 'send the picture as multipart/form-data with one file field' });
      const data = await readPicture(req, reply);
      if (!data) return reply;
      const type = sniffPictureType(data);
      if (!type) return reply.code(415).send({ error: 'the file is not a JPEG, PNG or WebP picture' });
      const product = await ctx.db.tx(async (tx) => {
        const picture = await storeProductPicture(tx, { merchantId, sku, type, data, publicUrl: ctx.config.publicUrl });
        const [row] = await tx.query('UPDATE products SET image_url = $3, updated_at = now() WHERE catalog_id = $1 AND sku = $2 RETURNING *', [catalogId, sku, picture.url]);
        return row;
      });
      invalidateCatalog(catalogId);
      if (!product) return reply.code(404).send({ error: `no product ${sku}` }); // deleted meanwhile (its picture went with it)
      return reply.code(201).send({ product: completeProduct(product as never), picture: { url: (product as { image_url: string }).image_url, content_type: type, bytes: data.length } });
    });
  });

  api.delete('/products/:sku/picture', async (req, reply) => {
    if (!requireRole(req, reply)) return reply;
    const { sku } = req.params as { sku: string };
    const merchantId = merchantIdOf(req);
    const catalogId = internalCatalogId(merchantId);
    const product = await ctx.db.tx(async (tx) => {
      const [row] = await tx.query('UPDATE products SET image_url = NULL, updated_at = now() WHERE catalog_id = $1 AND sku = $2 RETURNING *', [catalogId, sku]);
      if (row) await removeProductPictures(tx, merchantId, sku);
      return row;
    });
    if (!product) return reply.code(404).send({ error: `no product ${sku}` });
    invalidateCatalog(catalogId);
    return { product: completeProduct(product as never) };
  });
}

/** The one file of the request, or undefined once an error has been answered. */
async function readPicture(req: FastifyRequest, reply: FastifyReply): Promise<Buffer | undefined> {
  try {
    const part = await req.file();
    if (!part) {
      reply.code(400).send({ error: 'no file in the request' });
      return undefined;
    }
    const data = await part.toBuffer();
    if (data.length === 0) {
      reply.code(400).send({ error: 'the file is empty' });
      return undefined;
    }
    return data;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      reply.code(413).send({ error: `the picture is larger than ${MB} MB; make it smaller and upload it again`, max_bytes: MAX_PICTURE_BYTES });
    } else if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      reply.code(400).send({ error: 'send one picture per request' });
    } else {
      reply.code(400).send({ error: 'the upload could not be read; send it again' });
    }
    return undefined;
  }
}

/**
 * GET /media/products/<token>.<ext>: a product picture, without login. The token is 256 random bits
 * and a replaced picture gets a new one, so the answer never changes and may be cached for a year.
 */
export function productPictureRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(`${PUBLIC_PICTURE_PATH}:file`, async (req, reply) => {
    const picture = await pictureByFileName(ctx.db, (req.params as { file: string }).file);
    reply.header('x-content-type-options', 'nosniff');
    if (!picture) return reply.code(404).header('cache-control', 'no-store').send({ error: 'picture not found' });
    return reply
      .header('content-type', picture.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(picture.data);
  });
}
