// Admin API for the dashboard's overview (under /api/v1, behind the admin auth, registered from routes.ts):
//   GET /dashboard/today      today's and yesterday's figures (WIB days), a 14-day series and best sellers
//   GET /dashboard/attention  work waiting for a person, by kind, each item naming the order or chat it concerns
//   GET /media/:id            a stored picture (prescription photo), by the id on the order's `*_stored` event
//   GET /dashboard/orders     the order list: search, status, WIB date range, carts on request, open orders first, pages
//   GET /dashboard/orders.csv the same selection as CSV (for a spreadsheet), up to 10 000 rows
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

// ---------- the order list ----------
const DONE_STATUSES = ['delivered', 'completed', 'cancelled', 'expired'];
const REFUND_DUE_SQL = `((o.paid_at IS NOT NULL AND o.status IN ('cancelled', 'expired', 'delivery_failed'))
    OR EXISTS (SELECT 1 FROM payments lp WHERE lp.order_id = o.id AND lp.late AND lp.status = 'paid'))
  AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id AND r.status = 'done')`;

interface OrderListQuery {
  q?: string;
  status?: string;
  from?: string;
  to?: string;
  carts?: string;
  page?: string;
  per_page?: string;
}

/** WHERE clause and parameters for a list query; a string is an error message for the merchant. */
function orderFilter(merchantId: string, query: OrderListQuery): { where: string; params: unknown[] } | string {
  const params: unknown[] = [merchantId];
  const conds = ['o.merchant_id = $1'];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    conds.push(sql('$' + params.length));
  };
  const statuses = (query.status ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const st of statuses) if (!/^[a-z_]{1,40}$/.test(st)) return `unknown status ${st}`;
  if (statuses.length) add((n) => `o.status = ANY(${n})`, statuses);
  else if (query.carts !== '1' && query.carts !== 'true') conds.push(`o.status <> 'cart'`);
  const day = (v: string | undefined, name: string): Date | string | undefined => {
    if (!v) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v + 'T00:00:00Z'))) return `${name} must be a date like 2026-12-03`;
    return new Date(Date.parse(v + 'T00:00:00Z') - WIB_OFFSET_MS);
  };
  const from = day(query.from, 'from');
  const to = day(query.to, 'to');
  if (typeof from === 'string') return from;
  if (typeof to === 'string') return to;
  if (from) add((n) => `o.created_at >= ${n}`, from);
  if (to) add((n) => `o.created_at < ${n}`, new Date(to.getTime() + DAY_MS)); // "to" is inclusive: the whole WIB day
  const q = (query.q ?? '').trim().toLowerCase().slice(0, 100);
  if (q) {
    const like = (s: string) => '%' + s.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
    const compact = q.replace(/[\s+-]/g, '');
    const phone = /^0\d+$/.test(compact) ? '62' + compact.slice(1) : compact;
    params.push(like(compact), like(phone), like(q));
    const [a, b, c] = [params.length - 2, params.length - 1, params.length].map((i) => '$' + i);
    conds.push(`(replace(lower(o.id), '-', '') LIKE ${a} OR cu.wa_id LIKE ${b} OR lower(coalesce(cu.name, '')) LIKE ${c})`);
  }
  return { where: conds.join(' AND '), params };
}

interface OrderListRow {
  id: string;
  status: string;
  created_at: Date;
  paid_at: Date | null;
  subtotal: string;
  delivery_fee: string;
  total: string;
  name: string | null;
  wa_id: string;
  method: string | null;
  gateway: string | null;
  payment_status: string | null;
  refund_due: boolean;
  items: string | null;
}

async function listOrders(db: Queryable, where: string, params: unknown[], limit: number, offset: number): Promise<OrderListRow[]> {
  return db.query<OrderListRow>(
    `SELECT o.id, o.status, o.created_at, o.paid_at, o.subtotal::text, o.delivery_fee::text, o.total::text, cu.name, cu.wa_id,
            p.method, p.gateway, p.status AS payment_status, (${REFUND_DUE_SQL}) AS refund_due,
            (SELECT string_agg(i.quantity || '× ' || i.name, ', ' ORDER BY i.name) FROM order_items i WHERE i.order_id = o.id) AS items
       FROM orders o JOIN customers cu ON cu.id = o.customer_id
       LEFT JOIN LATERAL (SELECT method, gateway, status FROM payments WHERE order_id = o.id ORDER BY (status = 'paid') DESC, id DESC LIMIT 1) p ON true
      WHERE ${where}
      ORDER BY CASE WHEN o.status = ANY($${params.length + 1}) AND NOT (${REFUND_DUE_SQL}) THEN 1 ELSE 0 END, o.created_at DESC, o.id
      LIMIT $${params.length + 2} OFFSET $${params.length + 3}`,
    [...params, DONE_STATUSES, limit, offset],
  );
}

const wibStamp = (d: Date | null) => (d ? new Date(new Date(d).getTime() + WIB_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ') : '');
/** A CSV cell; text a spreadsheet would run as a formula (=, +, -, @) is prefixed with an apostrophe. */
function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\n\r;]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export async function dashboardApiRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  api.get('/dashboard/orders', async (req, reply) => {
    const query = req.query as OrderListQuery;
    const filter = orderFilter(merchantIdOf(req), query);
    if (typeof filter === 'string') return reply.code(400).send({ error: filter });
    const perPage = Math.min(Math.max(Math.trunc(Number(query.per_page)) || 25, 1), 100);
    const page = Math.max(Math.trunc(Number(query.page)) || 1, 1);
    const [count] = await ctx.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM orders o JOIN customers cu ON cu.id = o.customer_id WHERE ${filter.where}`,
      filter.params,
    );
    const rows = await listOrders(ctx.db, filter.where, filter.params, perPage, (page - 1) * perPage);
    return {
      total: Number(count?.n ?? 0),
      page,
      per_page: perPage,
      orders: rows.map((r) => ({
        id: r.id,
        status: r.status,
        created_at: new Date(r.created_at).toISOString(),
        paid_at: r.paid_at ? new Date(r.paid_at).toISOString() : null,
        subtotal: Number(r.subtotal),
        delivery_fee: Number(r.delivery_fee),
        total: Number(r.total),
        customer: { name: r.name, wa_id: r.wa_id },
        payment: r.payment_status ? { method: r.method, gateway: r.gateway, status: r.payment_status } : null,
        refund_due: r.refund_due === true,
        items: r.items ?? '',
      })),
    };
  });

  api.get('/dashboard/orders.csv', async (req, reply) => {
    const filter = orderFilter(merchantIdOf(req), req.query as OrderListQuery);
    if (typeof filter === 'string') return reply.code(400).send({ error: filter });
    const rows = await listOrders(ctx.db, filter.where, filter.params, 10_000, 0);
    const head = ['order', 'created_wib', 'status', 'refund_due', 'customer', 'phone', 'items', 'subtotal', 'delivery_fee', 'total', 'payment', 'gateway', 'payment_status', 'paid_wib'];
    const lines = rows.map((r) =>
      [r.id, wibStamp(r.created_at), r.status, r.refund_due ? 'yes' : '', r.name, r.wa_id, r.items, r.subtotal, r.delivery_fee, r.total, r.method, r.gateway, r.payment_status, wibStamp(r.paid_at)].map(csvCell).join(','),
    );
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="pesanan-${wibDate(new Date())}.csv"`)
      .send('\ufeff' + [head.join(','), ...lines].join('\r\n') + '\r\n');
  });

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
