// pesan-side sandbox endpoints used by /sandbox/chat: pay the current charge at whichever gateway
// simulator holds it, switch gateways and courier behaviour, show the customer's current order.
import type { FastifyInstance } from 'fastify';
import type { AppContext, MerchantSettings } from '../context.js';
import { DEFAULT_MERCHANT_ID } from '../merchants.js';
import type { GatewayId } from '../payments/port.js';

export async function sandboxRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const base = ctx.config.publicUrl;

  /** The demo merchant a request names (?merchant= or body.merchant), default the env-configured one. */
  const merchantOf = (req: { query: unknown; body?: unknown }) => {
    const q = (req.query ?? {}) as { merchant?: string };
    const b = (req.body ?? {}) as { merchant?: string };
    return (typeof b.merchant === 'string' && b.merchant) || (typeof q.merchant === 'string' && q.merchant) || DEFAULT_MERCHANT_ID;
  };

  // The demo merchants and their numbers, for the chat page's shop picker.
  app.get('/sandbox/merchants', async () => {
    const rows = await ctx.db.query<{ id: string; name: string; phone: string; phone_number_id: string }>(
      `SELECT m.id, m.name, m.phone, n.phone_number_id FROM merchants m JOIN merchant_numbers n ON n.merchant_id = m.id
        WHERE m.active ORDER BY (m.id = $1) DESC, m.created_at, n.created_at`,
      [DEFAULT_MERCHANT_ID],
    );
    return { merchants: rows };
  });

  async function settings(merchantId: string = DEFAULT_MERCHANT_ID) {
    const m = await ctx.db.one<{ settings: MerchantSettings }>('SELECT settings FROM merchants WHERE id = $1', [merchantId]);
    const s = m?.settings ?? {};
    return {
      qris_gateway: s.qris_gateway ?? ctx.config.payments.qrisGateway,
      va_gateway: s.va_gateway ?? ctx.config.payments.vaGateway,
      couriers: (s.couriers ?? ctx.config.couriers).join(','),
      courier_mode: courierMode,
      gateways: [...ctx.gateways.keys()],
      courier_options: [...ctx.couriers.keys(), 'manual'],
    };
  }
  let courierMode: 'normal' | 'no_driver' = 'normal';

  app.get('/sandbox/settings', async (req) => settings(merchantOf(req)));
  app.post('/sandbox/settings', async (req, reply) => {
    const body = (req.body ?? {}) as { qris_gateway?: GatewayId; va_gateway?: GatewayId; couriers?: string; courier_mode?: 'normal' | 'no_driver' };
    const patch: MerchantSettings = {};
    for (const key of ['qris_gateway', 'va_gateway'] as const) {
      const v = body[key];
      if (v === undefined) continue;
      if (!ctx.gateways.has(v)) return reply.code(400).send({ error: `${key}: gateway ${v} is not configured` });
      patch[key] = v;
    }
    if (body.couriers !== undefined) {
      const list = body.couriers.split(',').map((s) => s.trim()).filter(Boolean);
      if (list.some((c) => c !== 'manual' && !ctx.couriers.has(c as any))) return reply.code(400).send({ error: 'unknown courier' });
      patch.couriers = list as MerchantSettings['couriers'];
    }
    await ctx.db.query(`UPDATE merchants SET settings = settings || $2::jsonb WHERE id = $1`, [merchantOf(req), JSON.stringify(patch)]);
    if (body.courier_mode) {
      courierMode = body.courier_mode;
      // The first courier in line is the one that "finds no driver", so fallback can be watched.
      for (const id of ctx.couriers.keys()) {
        await fetch(`${base}/sandbox/${id}/_sim/mode`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ mode: courierMode === 'no_driver' && id === 'gosend' ? 'no_driver' : 'normal' }),
        }).catch(() => undefined);
      }
    }
    return settings(merchantOf(req));
  });

  app.post('/sandbox/pay', async (req, reply) => {
    const { wa_id } = (req.body ?? {}) as { wa_id?: string };
    if (!wa_id) return reply.code(400).send({ error: 'wa_id is required' });
    const p = await ctx.db.one<{ gateway: string; reference: string; amount: number }>(
      `SELECT p.gateway, p.reference, p.amount FROM payments p JOIN orders o ON o.id = p.order_id JOIN customers c ON c.id = o.customer_id
        WHERE c.wa_id = $1 AND c.merchant_id = $2 AND p.status = 'pending' ORDER BY p.id DESC LIMIT 1`,
      [wa_id, merchantOf(req)],
    );
    if (!p) return reply.code(404).send({ error: 'no pending payment for this customer' });
    const res = await fetch(`${base}/sandbox/${p.gateway}/_sim/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: p.reference }),
    });
    if (!res.ok) return reply.code(502).send({ error: `gateway simulator answered ${res.status}`, body: await res.text() });
    return { ok: true, gateway: p.gateway, reference: p.reference, amount: p.amount };
  });

  app.get('/sandbox/order', async (req) => {
    const { wa_id } = req.query as { wa_id?: string };
    const o = await ctx.db.one<{ id: string; status: string; total: number }>(
      `SELECT o.id, o.status, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.wa_id = $1 AND c.merchant_id = $2 ORDER BY o.created_at DESC LIMIT 1`,
      [wa_id ?? '', merchantOf(req)],
    );
    if (!o) return { order: null };
    const items = await ctx.db.query('SELECT name, quantity, line_total FROM order_items WHERE order_id = $1 ORDER BY id', [o.id]);
    const payment = await ctx.db.one('SELECT gateway, method, bank, status, amount, expires_at FROM payments WHERE order_id = $1 ORDER BY id DESC LIMIT 1', [o.id]);
    const delivery = await ctx.db.one('SELECT courier, provider, status, driver_name, tracking_url FROM deliveries WHERE order_id = $1 ORDER BY id DESC LIMIT 1', [o.id]);
    return { order: { ...o, items, payment: payment ?? null, delivery: delivery ?? null } };
  });
}
