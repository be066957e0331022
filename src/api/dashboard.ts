// Admin API for the dashboard's overview (under /api/v1, behind the admin auth, registered from routes.ts):
//   GET /dashboard/today      today's and yesterday's figures (WIB days), a 14-day series and best sellers
//   GET /dashboard/attention  work waiting for a person, by kind, each item naming the order or chat it concerns
//   GET /media/:id            a stored picture (prescription photo), by the id on the order's `*_stored` event
// Days are Asia/Jakarta calendar days (UTC+7, no daylight saving), since that is the day the shop lives in.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import { merchantIdOf } from './request-merchant.js';

const DAY_MS = 86_400_000;
const WIB_OFFSET_MS = 7 * 3_600_000;
/** A paid order still without a driver or still on the road after this long is "late". */
const LATE_DELIVERY_MS = 90 * 60_000;
/** Orders that wait for the shop, not the customer. */
const WAITING_STATUSES = ['awaiting_prescription', 'paid', 'dispatching', 'driver_assigned', 'picked_up'];

/** UTC instant at which the WIB day containing `at` starts. */
export function wibDayStart(at: Date): Date {
  return new Date(Math.floor((at.getTime() + WIB_OFFSET_MS) / DAY_MS) * DAY_MS - WIB_OFFSET_MS);
}
const wibDate = (d: Date) => new Date(d.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);

interface DayFigures {
  date: string;
  orders: number;
  paid_orders: number;
  paid_revenue: number;
  average_basket: number;
}

async function dayFigures(db: Queryable, merchantId: string, from: Date, days: number): Promise<DayFigures[]> {
  // Orders counted on the day they were placed (carts are not orders yet); revenue on the day it was paid.
  const placed = await db.query<{ day: number; n: string }>(
    `SELECT floor((extract(epoch FROM created_at) * 1000 - $2::double precision) / ${DAY_MS})::int AS day, count(*)::text AS n
       FROM orders WHERE merchant_id = $1 AND status <> 'cart' AND created_at >= $3 AND created_at < $4 GROUP BY 1`,
    [merchantId, from.getTime(), from, new Date(from.getTime() + days * DAY_MS)],
  );
  const paid = await db.query<{ day: number; n: string; revenue: string }>(
    `SELECT floor((extract(epoch FROM paid_at) * 1000 - $2::double precision) / ${DAY_MS})::int AS day, count(*)::text AS n, coalesce(sum(total), 0)::text AS revenue
       FROM orders WHERE merchant_id = $1 AND paid_at IS NOT NULL AND paid_at >= $3 AND paid_at < $4 GROUP BY 1`,
    [merchantId, from.getTime(), from, new Date(from.getTime() + days * DAY_MS)],
  );
  return Array.from({ length: days }, (_, day) => {
    const o = placed.find((r) => Number(r.day) === day);
    const p = paid.find((r) => Number(r.day) === day);
    const paidOrders = p ? Number(p.n) : 0;
    const revenue = p ? Number(p.revenue) : 0;
    return {
      date: wibDate(new Date(from.getTime() + day * DAY_MS)),
      orders: o ? Number(o.n) : 0,
      paid_orders: paidOrders,
      paid_revenue: revenue,
      average_basket: paidOrders ? Math.round(revenue / paidOrders) : 0,
    };
  });
}

export interface AttentionItem {
  kind: 'prescription' | 'manual_dispatch' | 'refund' | 'handover' | 'delivery_problem' | 'late_payment';
  order_id?: string;
  wa_id?: string;
  customer_name?: string | null;
  total?: number;
  since: string;
}

async function attention(db: Queryable, merchantId: string, now: Date): Promise<AttentionItem[]> {
  const orderItems = async (kind: AttentionItem['kind'], where: string, params: unknown[] = []) =>
    (
      await db.query<{ id: string; name: string | null; wa_id: string; total: string; since: Date }>(
        `SELECT o.id, cu.name, cu.wa_id, o.total::text AS total, o.updated_at AS since
           FROM orders o JOIN customers cu ON cu.id = o.customer_id
          WHERE o.merchant_id = $1 AND ${where} ORDER BY o.updated_at LIMIT 100`,
        [merchantId, ...params],
      )
    ).map((r): AttentionItem => ({ kind, order_id: r.id, wa_id: r.wa_id, customer_name: r.name, total: Number(r.total), since: new Date(r.since).toISOString() }));
  const has = (type: string) => `EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.type = '${type}')`;
  const refunded = has('refunded');
  const latePaid = `EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.late AND p.status = 'paid')`;
  const items = [
    ...(await orderItems('prescription', `o.status = 'awaiting_prescription'`)),
    ...(await orderItems('manual_dispatch', `o.status IN ('paid', 'dispatching') AND ${has('manual_dispatch_required')} AND NOT ${has('manual_dispatch_recorded')}`)),
    ...(await orderItems('refund', `(${has('refund_required')} OR (o.status IN ('cancelled', 'expired') AND o.paid_at IS NOT NULL)) AND NOT ${latePaid} AND NOT ${refunded}`)),
    ...(await orderItems('late_payment', `${latePaid} AND NOT ${refunded}`)),
    ...(await orderItems(
      'delivery_problem',
      `(o.status = 'delivery_failed' OR (o.status IN ('dispatching', 'driver_assigned', 'picked_up') AND o.paid_at < $2))`,
      [new Date(now.getTime() - LATE_DELIVERY_MS)],
    )),
  ];
  const chats = await db.query<{ wa_id: string; name: string | null; since: Date; order_id: string | null }>(
    `SELECT cu.wa_id, cu.name, c.updated_at AS since, c.active_order_id AS order_id
       FROM conversations c JOIN customers cu ON cu.id = c.customer_id
      WHERE c.merchant_id = $1 AND c.human_handover ORDER BY c.updated_at LIMIT 100`,
    [merchantId],
  );
  for (const c of chats) items.push({ kind: 'handover', wa_id: c.wa_id, customer_name: c.name, ...(c.order_id ? { order_id: c.order_id } : {}), since: new Date(c.since).toISOString() });
  return items;
}

export async function dashboardApiRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  api.get('/dashboard/today', async (req) => {
    const merchantId = merchantIdOf(req);
    const now = new Date();
    const today = wibDayStart(now);
    const days = await dayFigures(ctx.db, merchantId, new Date(today.getTime() - 13 * DAY_MS), 14);
    const waiting = await ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM orders WHERE merchant_id = $1 AND status = ANY($2)`, [merchantId, WAITING_STATUSES]);
    const best = await ctx.db.query<{ sku: string; name: string; quantity: string; revenue: string }>(
      `SELECT i.sku, max(i.name) AS name, sum(i.quantity)::text AS quantity, sum(i.line_total)::text AS revenue
         FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE o.merchant_id = $1 AND o.paid_at >= $2
        GROUP BY i.sku ORDER BY sum(i.quantity) DESC, i.sku LIMIT 5`,
      [merchantId, new Date(today.getTime() - 13 * DAY_MS)],
    );
    return {
      timezone: 'Asia/Jakarta',
      today: { ...days[13], orders_waiting: Number(waiting[0]?.n ?? 0) },
      yesterday: days[12],
      days,
      best_sellers: best.map((b) => ({ sku: b.sku, name: b.name, quantity: Number(b.quantity), revenue: Number(b.revenue) })),
    };
  });

  api.get('/media/:id', async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    if (!Number.isSafeInteger(id) || id <= 0) return reply.code(404).send({ error: 'media not found' });
    const m = await ctx.db.one<{ mime_type: string; data: Uint8Array }>('SELECT mime_type, data FROM media WHERE id = $1 AND merchant_id = $2', [id, merchantIdOf(req)]);
    if (!m) return reply.code(404).send({ error: 'media not found' });
    // private: a prescription is health data; only the signed-in browser may keep it.
    return reply.type(m.mime_type).header('cache-control', 'private, max-age=3600').send(Buffer.from(m.data));
  });

  api.get('/dashboard/attention', async (req) => {
    const items = await attention(ctx.db, merchantIdOf(req), new Date());
    const counts: Record<string, number> = { prescription: 0, manual_dispatch: 0, refund: 0, handover: 0, delivery_problem: 0, late_payment: 0 };
    for (const i of items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
    return { total: items.length, counts, items };
  });
}
