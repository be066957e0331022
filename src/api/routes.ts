// Admin REST API under /api/v1 (bearer ADMIN_API_KEY), documented at /api/docs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authenticate } from '../auth/hook.js';
import { getProducts, internalCatalogId, listProducts, upsertProducts } from '../catalog/internal.js';
import { completeProduct } from '../catalog/connectors/common.js';
import { invalidateCatalog } from '../catalog/service.js';
import { getItems, getOrder, timeline, addEvent, transition } from '../orders/repo.js';
import { ORDER_STATUSES, CANCELLABLE } from '../orders/state-machine.js';
import { cancelOrder } from '../conversation/order-actions.js';
import { placeAfterApproval } from '../conversation/actions/place.js';
import { queueMessages, recipientForOrder } from '../conversation/outbox.js';
import { T } from '../conversation/texts.js';
import { applyUpdate, type DeliveryRow } from '../delivery/service.js';
import { enqueue } from '../jobs/queue.js';
import { merchantIdOf } from './request-merchant.js';
import { collectApiRoutes, openApiDocument } from './openapi.js';
import { apiDocsRoutes } from './docs-page.js';
import { requireRole, stockRoles } from '../auth/roles.js';
import { intParam, MAX_INT4, MAX_PRICE } from '../shared/sanitize.js';
import { badRequest } from './request-errors.js';

export const productSchema = z.object({
  sku: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(200),
  price: z.number().int().nonnegative().max(MAX_PRICE),
  stock: z.number().int().nonnegative().max(MAX_INT4),
  unit: z.string().max(32).nullish(),
  category: z.string().max(64).nullish(),
  aliases: z.array(z.string().max(100)).max(50).optional(),
  description: z.string().max(1000).nullish(),
  search_words: z.array(z.string().max(100)).max(50).optional(),
  prescription: z.boolean().optional(),
  image_url: z.string().url().nullish(),
  active: z.boolean().optional(),
});

const dispatchSchema = z.object({
  provider: z.enum(['indrive', 'maxim', 'other']),
  driver_name: z.string().trim().min(1).max(100),
  driver_phone: z.string().trim().min(5).max(30),
  vehicle_plate: z.string().trim().max(20).optional(),
  tracking_url: z.string().url().optional(),
});

const deliveryStatusSchema = z.object({ status: z.enum(['picked_up', 'delivered', 'failed']), note: z.string().max(500).optional() });
const prescriptionSchema = z.object({ decision: z.enum(['approve', 'reject']), note: z.string().max(500).optional() });


export async function adminApiRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const registered = collectApiRoutes(app);
  apiDocsRoutes(app, () => openApiDocument(registered, {
    'put /api/v1/products': z.array(productSchema),
    'patch /api/v1/products/{sku}': productSchema.partial().omit({ sku: true }),
    'post /api/v1/orders/{id}/dispatch': dispatchSchema,
    'post /api/v1/orders/{id}/delivery-status': deliveryStatusSchema,
    'post /api/v1/orders/{id}/prescription': prescriptionSchema,
  }));

  // Uploaded product pictures, public for WhatsApp (src/api/products-admin.ts).
  (await import('./products-admin.js')).productPictureRoutes(app, ctx);

  await app.register(async (api) => {
    // A bearer key (acts as owner) or a staff session cookie with its CSRF header (src/auth/hook.ts).
    api.addHook('onRequest', authenticate(ctx));
    await (await import('../auth/routes.js')).authApiRoutes(api, ctx);
    await (await import('./catalogs.js')).catalogApiRoutes(api, ctx);
    await (await import('./inbox.js')).inboxApiRoutes(api, ctx);
    await (await import('./settings.js')).settingsApiRoutes(api, ctx);
    await (await import('./dashboard.js')).dashboardApiRoutes(api, ctx);
    await (await import('./products-admin.js')).productsAdminApiRoutes(api, ctx);
    await (await import('./refunds.js')).refundApiRoutes(api, ctx);

    // The merchant's own internal catalog: every handler scopes by the request's merchant.
    const catalogOf = (req: FastifyRequest) => internalCatalogId(merchantIdOf(req));

    api.get('/products', async (req) => ({ products: (await listProducts(ctx.db, catalogOf(req), { includeInactive: true })).map(completeProduct) }));

    api.put('/products', async (req, reply) => {
      if (!requireRole(req, reply)) return reply;
      const catalogId = catalogOf(req);
      const parsed = z.array(productSchema).max(10_000).safeParse(req.body);
      if (!parsed.success) return badRequest(reply, parsed.error);
      const skus = parsed.data.map((p) => p.sku);
      if (new Set(skus).size !== skus.length) return reply.code(400).send({ error: 'duplicate sku in request' });
      const n = await ctx.db.tx((tx) => upsertProducts(tx, catalogId, parsed.data));
      invalidateCatalog(catalogId);
      return { upserted: n };
    });

    api.patch('/products/:sku', async (req, reply) => {
      if (!requireRole(req, reply, ...stockRoles(req.body))) return reply;
      const { sku } = req.params as { sku: string };
      const catalogId = catalogOf(req);
      const parsed = productSchema.partial().omit({ sku: true }).safeParse(req.body);
      if (!parsed.success) return badRequest(reply, parsed.error);
      const [current] = await getProducts(ctx.db, catalogId, [sku]);
      if (!current) return reply.code(404).send({ error: `no product ${sku}` });
      const next = { ...completeProduct(current), ...parsed.data };
      await ctx.db.tx((tx) => upsertProducts(tx, catalogId, [next]));
      invalidateCatalog(catalogId);
      return { product: next };
    });

    api.get('/orders', async (req, reply) => {
      const merchantId = merchantIdOf(req);
      const { status, limit: rawLimit } = req.query as { status?: string; limit?: string };
      const limit = intParam(rawLimit, 100, 1, 500);
      if (status && !(ORDER_STATUSES as readonly string[]).includes(status)) return reply.code(400).send({ error: `unknown status ${status}` });
      const rows = await ctx.db.query<{ id: string }>(
        `SELECT id FROM orders WHERE merchant_id = $1 ${status ? 'AND status = $3' : ''} ORDER BY created_at DESC LIMIT $2`,
        status ? [merchantId, limit, status] : [merchantId, limit],
      );
      return { orders: await Promise.all(rows.map((r) => orderJson(ctx, r.id, false))) };
    });

    api.get('/orders/:id', async (req, reply) => {
      const json = await orderJson(ctx, (req.params as { id: string }).id, true, merchantIdOf(req));
      return json ? json : reply.code(404).send({ error: 'order not found' });
    });

    api.post('/orders/:id/cancel', async (req, reply) => {
      if (!requireRole(req, reply, 'pharmacist', 'staff')) return reply;
      const id = (req.params as { id: string }).id;
      const merchantId = merchantIdOf(req);
      const result = await ctx.db.tx(async (tx) => {
        const o = await getOrder(tx, id, true);
        if (!o || o.merchant_id !== merchantId) return 404;
        if (!CANCELLABLE.includes(o.status)) return 409;
        await cancelOrder(ctx, tx, o, 'merchant', (req.body as { reason?: string } | undefined)?.reason, { notify: true });
        return 200;
      });
      ctx.jobs.kick();
      if (result === 404) return reply.code(404).send({ error: 'order not found' });
      if (result === 409) return reply.code(409).send({ error: 'order can no longer be cancelled' });
      return orderJson(ctx, id, true);
    });

    api.post('/orders/:id/dispatch', async (req, reply) => {
      if (!requireRole(req, reply, 'staff')) return reply;
      const id = (req.params as { id: string }).id;
      const merchantId = merchantIdOf(req);
      const parsed = dispatchSchema.safeParse(req.body);
      if (!parsed.success) return badRequest(reply, parsed.error);
      const o = await getOrder(ctx.db, id);
      if (!o || o.merchant_id !== merchantId) return reply.code(404).send({ error: 'order not found' });
      if (!['paid', 'dispatching'].includes(o.status)) return reply.code(409).send({ error: `order is ${o.status}; dispatch needs a paid order without a driver` });
      const d = parsed.data;
      const delivery = await ctx.db.tx(async (tx) => {
        // Stop any API courier still searching: the merchant has booked by hand.
        const live = await tx.query<{ id: number }>(`SELECT id FROM deliveries WHERE order_id = $1 AND courier <> 'manual' AND status = 'finding_driver'`, [id]);
        for (const l of live) await enqueue(tx, 'delivery.cancel', { deliveryId: l.id });
        const existing = await tx.one<DeliveryRow>(`SELECT * FROM deliveries WHERE order_id = $1 AND courier = 'manual' AND status = 'awaiting_dispatch'`, [id]);
        const row = existing
          ? await tx.one<DeliveryRow>(`UPDATE deliveries SET provider = $2, external_id = $3, updated_at = now() WHERE id = $1 RETURNING *`, [existing.id, d.provider, `manual-${id}-${existing.id}`])
          : await tx.one<DeliveryRow>(`INSERT INTO deliveries (order_id, courier, status, provider, external_id) VALUES ($1, 'manual', 'finding_driver', $2, $3) RETURNING *`, [id, d.provider, `manual-${id}-${Date.now()}`]);
        if (o.status === 'paid') await transition(tx, o, 'dispatching', 'dispatching', { courier: 'manual', provider: d.provider });
        await addEvent(tx, id, 'manual_dispatch_recorded', { provider: d.provider, driver_name: d.driver_name });
        return row!;
      });
      await applyUpdate(ctx, delivery, {
        eventKey: `manual:${delivery.id}:assigned`,
        externalId: delivery.external_id!,
        status: 'driver_assigned',
        providerStatus: `${d.provider}:driver_assigned`,
        driver: { name: d.driver_name, phone: d.driver_phone, plate: d.vehicle_plate },
        trackingUrl: d.tracking_url,
      });
      ctx.jobs.kick();
      return orderJson(ctx, id, true);
    });

    api.post('/orders/:id/delivery-status', async (req, reply) => {
      if (!requireRole(req, reply, 'staff')) return reply;
      const id = (req.params as { id: string }).id;
      const parsed = deliveryStatusSchema.safeParse(req.body);
      if (!parsed.success) return badRequest(reply, parsed.error);
      const o = await getOrder(ctx.db, id);
      if (!o || o.merchant_id !== merchantIdOf(req)) return reply.code(404).send({ error: 'order not found' });
      const d = await ctx.db.one<DeliveryRow>(`SELECT * FROM deliveries WHERE order_id = $1 AND courier = 'manual' ORDER BY id DESC LIMIT 1`, [id]);
      if (!d || d.status === 'awaiting_dispatch') return reply.code(409).send({ error: 'record the dispatch first (POST /dispatch)' });
      await applyUpdate(ctx, d, {
        eventKey: `manual:${d.id}:${parsed.data.status}`,
        externalId: d.external_id!,
        status: parsed.data.status,
        providerStatus: `${d.provider ?? 'manual'}:${parsed.data.status}${parsed.data.note ? ` (${parsed.data.note})` : ''}`,
      });
      ctx.jobs.kick();
      return orderJson(ctx, id, true);
    });

    api.post('/orders/:id/prescription', async (req, reply) => {
      if (!requireRole(req, reply, 'pharmacist')) return reply;
      const id = (req.params as { id: string }).id;
      const parsed = prescriptionSchema.safeParse(req.body);
      if (!parsed.success) return badRequest(reply, parsed.error);
      const result = await ctx.db.tx(async (tx) => {
        const o = await getOrder(tx, id, true);
        if (!o || o.merchant_id !== merchantIdOf(req)) return 404;
        if (o.status !== 'awaiting_prescription') return 409;
        const to = await recipientForOrder(tx, id);
        if (parsed.data.decision === 'approve') {
          const approved = await transition(tx, o, 'awaiting_payment', 'prescription_approved', { note: parsed.data.note ?? null });
          // The place shared while waiting is used rather than asked for again.
          await queueMessages(tx, to, [{ type: 'text', text: T.prescriptionApproved(to.lang) }, ...(await placeAfterApproval(tx, approved, to.conversationId, to.lang))], id);
        } else {
          await addEvent(tx, id, 'prescription_rejected', { note: parsed.data.note ?? null });
          await cancelOrder(ctx, tx, o, 'merchant', 'prescription rejected');
          await queueMessages(tx, to, [{ type: 'text', text: T.prescriptionRejected(to.lang, parsed.data.note) }], id);
        }
        return 200;
      });
      ctx.jobs.kick();
      if (result !== 200) return reply.code(result).send({ error: result === 404 ? 'order not found' : 'order is not waiting for a prescription' });
      return orderJson(ctx, id, true);
    });
  }, { prefix: '/api/v1' });
}

/** An order as the API shows it; undefined when it does not exist or belongs to another merchant than `merchantId`. */
export async function orderJson(ctx: AppContext, id: string, withTimeline: boolean, merchantId?: string) {
  const o = await getOrder(ctx.db, id);
  if (!o || (merchantId !== undefined && o.merchant_id !== merchantId)) return undefined;
  const customer = await ctx.db.one<{ wa_id: string; name: string | null }>('SELECT wa_id, name FROM customers WHERE id = $1', [o.customer_id]);
  const items = await getItems(ctx.db, id);
  const payment = await ctx.db.one(
    `SELECT gateway, method, bank, amount, reference, status, va_number, bill_key, biller_code, expires_at, paid_at, late FROM payments WHERE order_id = $1 ORDER BY id DESC LIMIT 1`,
    [id],
  );
  const delivery = await ctx.db.one(
    `SELECT courier, provider, status, external_id, fee, driver_name, driver_phone, vehicle_plate, tracking_url FROM deliveries WHERE order_id = $1 ORDER BY id DESC LIMIT 1`,
    [id],
  );
  return {
    id: o.id,
    status: o.status,
    customer: { wa_id: customer?.wa_id, name: customer?.name ?? null },
    catalog_id: o.catalog_id,
    items: items.map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity, unit_price: i.unit_price, line_total: i.line_total, prescription: i.prescription })),
    subtotal: o.subtotal,
    delivery_fee: o.delivery_fee,
    total: o.total,
    currency: o.currency,
    // a typed address without a pin is still where the shop's courier goes
    delivery_location: o.delivery_lat === null && !o.delivery_address ? null : { lat: o.delivery_lat, lng: o.delivery_lng, address: o.delivery_address },
    courier: o.courier,
    payment: payment ?? null,
    delivery: delivery ?? null,
    created_at: o.created_at,
    updated_at: o.updated_at,
    ...(withTimeline ? { timeline: await timeline(ctx.db, id) } : {}),
  };
}
