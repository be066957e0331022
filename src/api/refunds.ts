// Refunds: POST /api/v1/orders/:id/refund and GET /api/v1/refunds?status=pending|done.
// A refund goes through the payment gateway when its API refunds the method (QRIS at Midtrans, Xendit
// and DOKU); otherwise the merchant transfers the money and records it here with the bank reference.
// Either way the timeline says who refunded what, and the customer is told.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import { addEvent, getOrder } from '../orders/repo.js';
import { queueMessages, recipientForOrder } from '../conversation/outbox.js';
import { formatRupiah } from '../shared/money.js';
import { ProviderError } from '../shared/http.js';
import type { Bank, GatewayId, PaymentMethod } from '../payments/port.js';
import { merchantIdOf } from './request-merchant.js';
import { scopedContext } from '../providers.js';
import { requireRole } from '../auth/roles.js';

const refundBody = z
  .object({
    /** integer rupiah; default: everything paid and not yet refunded */
    amount: z.number().int().positive().optional(),
    reason: z.string().trim().min(1).max(500),
    /** the bank transfer's reference, for a refund the merchant made by hand */
    bank_reference: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

/** Timeline events that mean the customer is owed money, and where their amount is. */
const FLAGS: Record<string, string> = { refund_path: 'refund_amount', refund_required: 'amount', late_payment_refund_required: 'amount' };

interface PaidRow {
  id: number;
  gateway: GatewayId;
  method: PaymentMethod;
  bank: Bank | null;
  reference: string;
  external_id: string | null;
  paid_amount: number | null;
  amount: number;
  raw: unknown;
}

/** Who acts: the signed-in staff member when there is one (staff sessions), else the API key. */
function actorOf(req: FastifyRequest): string {
  return req.staff ? `${req.staff.name || req.staff.email} (${req.staff.role})` : 'admin API key';
}

const refundText = (lang: 'id' | 'en', orderId: string, amount: number, how: { gateway?: string; bankReference?: string }) =>
  lang === 'en'
    ? `We have refunded ${formatRupiah(amount)} for order ${orderId}${how.gateway ? ' to the account you paid from; it usually arrives within 1–3 working days' : ` by bank transfer (reference ${how.bankReference})`}. 🙏`
    : `Dana ${formatRupiah(amount)} untuk pesanan ${orderId} sudah kami kembalikan${how.gateway ? ' ke rekening/e-wallet asal pembayaran; biasanya masuk dalam 1–3 hari kerja' : ` lewat transfer bank (referensi ${how.bankReference})`}. 🙏`;

async function refundedSoFar(q: Queryable, orderId: string, paymentId?: number): Promise<number> {
  const row = await q.one<{ n: number | string | null }>(
    `SELECT COALESCE(SUM(amount), 0) AS n FROM refunds WHERE order_id = $1 AND status IN ('done', 'processing') ${paymentId ? 'AND payment_id = $2' : ''}`,
    paymentId ? [orderId, paymentId] : [orderId],
  );
  return Number(row?.n ?? 0);
}

export async function refundApiRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  api.post('/orders/:id/refund', async (req, reply) => {
    if (!requireRole(req, reply)) return reply;
    const { id } = req.params as { id: string };
    const merchantId = merchantIdOf(req);
    // The merchant's own gateways (its credentials), not another merchant's.
    const gateways = (await scopedContext(ctx, merchantId)).gateways;
    const parsed = refundBody.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
    const body = parsed.data;
    const by = actorOf(req);

    // Reserve the amount first (a 'processing' row, under the order's lock), so two refunds at once
    // cannot both pay out the same money; the gateway is called after the commit.
    const reserved = await ctx.db.tx(async (tx) => {
      const order = await getOrder(tx, id, true);
      if (!order || order.merchant_id !== merchantId) return { code: 404, error: 'order not found' } as const;
      const paid = await tx.query<PaidRow>(`SELECT * FROM payments WHERE order_id = $1 AND status = 'paid' ORDER BY paid_at DESC NULLS LAST, id DESC`, [id]);
      if (paid.length === 0) return { code: 409, error: 'this order has no payment to refund' } as const;
      let payment: PaidRow | undefined;
      let left = 0;
      for (const p of paid) {
        left = Number(p.paid_amount ?? p.amount) - (await refundedSoFar(tx, id, p.id));
        if (left > 0) {
          payment = p;
          break;
        }
      }
      if (!payment) return { code: 409, error: 'everything paid for this order has been refunded already' } as const;
      const amount = body.amount ?? left;
      if (amount > left) return { code: 400, error: `amount ${amount} is more than the ${left} paid and not yet refunded` } as const;
      const gw = gateways.get(payment.gateway);
      const throughGateway = !body.bank_reference && !!gw?.refund && !!gw.refundable?.(payment.method);
      if (!throughGateway && !body.bank_reference) {
        return {
          code: 400,
          error: `${payment.gateway} cannot refund ${payment.method === 'va' ? 'a virtual account payment' : 'this payment'} through its API: transfer ${formatRupiah(amount)} to the customer and record it here with bank_reference`,
        } as const;
      }
      const n = Number((await tx.one<{ n: number | string }>('SELECT COUNT(*) AS n FROM refunds WHERE order_id = $1', [id]))?.n ?? 0);
      const row = await tx.one<{ id: number }>(
        `INSERT INTO refunds (merchant_id, order_id, payment_id, amount, reason, method, gateway, bank_reference, status, refunded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [merchantId, id, payment.id, amount, body.reason, throughGateway ? 'gateway' : 'manual', payment.gateway, body.bank_reference ?? null, throughGateway ? 'processing' : 'done', by],
      );
      return { code: 200, refundId: row!.id, refundKey: `${id}-refund-${n + 1}`, payment, amount, throughGateway } as const;
    });
    if ('error' in reserved) return reply.code(reserved.code).send({ error: reserved.error });

    const { payment, amount, throughGateway, refundId } = reserved;
    let gatewayRefundId: string | undefined;
    if (throughGateway) {
      const gw = gateways.get(payment.gateway)!;
      try {
        const r = await gw.refund!(
          { reference: payment.reference, externalId: payment.external_id, method: payment.method, bank: payment.bank, raw: payment.raw },
          { refundKey: reserved.refundKey, amount, reason: body.reason },
        );
        gatewayRefundId = r.refundId;
      } catch (err) {
        const message = (err as Error).message;
        const unknown = err instanceof ProviderError && err.transient;
        await ctx.db.tx(async (tx) => {
          // A refund whose answer was lost may have happened: it stays 'processing' (counted, never paid
          // twice) until the merchant checks it at the gateway; a refused one is released.
          await tx.query(`UPDATE refunds SET status = $2, error = $3 WHERE id = $1`, [refundId, unknown ? 'processing' : 'failed', message]);
          await addEvent(tx, id, 'refund_failed', { amount, gateway: payment.gateway, by, reason: body.reason, error: message, outcome_unknown: unknown });
        });
        return reply.code(502).send({
          error: `${payment.gateway} did not refund: ${message}`,
          hint: unknown ? 'the gateway may still have refunded it: check its dashboard before trying again' : 'refund by bank transfer and record it here with bank_reference',
        });
      }
    }
    const refund = await ctx.db.tx(async (tx) => {
      await tx.query(`UPDATE refunds SET status = 'done', gateway_refund_id = $2 WHERE id = $1`, [refundId, gatewayRefundId ?? null]);
      const event = {
        amount,
        method: throughGateway ? 'gateway' : 'manual',
        gateway: payment.gateway,
        payment_reference: payment.reference,
        ...(gatewayRefundId ? { gateway_refund_id: gatewayRefundId } : { bank_reference: body.bank_reference }),
        by,
        reason: body.reason,
      };
      await addEvent(tx, id, 'refunded', event);
      const to = await recipientForOrder(tx, id);
      await queueMessages(tx, to, [{ type: 'text', text: refundText(to.lang, id, amount, { gateway: gatewayRefundId ? payment.gateway : undefined, bankReference: body.bank_reference }) }], id);
      return { id: refundId, order_id: id, status: 'done', ...event };
    });
    ctx.jobs.kick();
    return reply.code(201).send({ refund });
  });

  api.get('/refunds', async (req, reply) => {
    if (!requireRole(req, reply, 'staff')) return reply;
    const merchantId = merchantIdOf(req);
    const status = (req.query as { status?: string }).status ?? 'pending';
    if (status === 'done') {
      const rows = await ctx.db.query(
        `SELECT id, order_id, amount, reason, method, gateway, gateway_refund_id, bank_reference, refunded_by, created_at FROM refunds
          WHERE merchant_id = $1 AND status = 'done' ORDER BY created_at DESC, id DESC LIMIT 500`,
        [merchantId],
      );
      return { status, refunds: rows.map((r: any) => ({ ...r, amount: Number(r.amount) })) };
    }
    if (status !== 'pending') return reply.code(400).send({ error: 'status must be pending or done' });
    // Orders flagged as owing money (paid then cancelled, paid late, delivery failed) with less refunded than owed.
    const flags = await ctx.db.query<{ order_id: string; type: string; data: Record<string, unknown>; created_at: Date }>(
      `SELECT e.order_id, e.type, e.data, e.created_at FROM order_events e JOIN orders o ON o.id = e.order_id
        WHERE o.merchant_id = $1 AND e.type = ANY($2) ORDER BY e.created_at`,
      [merchantId, Object.keys(FLAGS)],
    );
    const owed = new Map<string, { late: number; order: number; reasons: string[]; since: Date }>();
    for (const f of flags) {
      const amount = Number(f.data?.[FLAGS[f.type]] ?? 0);
      const o = owed.get(f.order_id) ?? { late: 0, order: 0, reasons: [], since: f.created_at };
      // Late payments are money of their own; the order's own refund is owed once however it was flagged.
      if (f.type === 'late_payment_refund_required') o.late += amount;
      else o.order = Math.max(o.order, amount);
      o.reasons.push(f.type === 'refund_path' ? `delivery failed (${String(f.data?.reason ?? '')})` : f.type === 'refund_required' ? 'paid, then cancelled' : 'paid late or twice');
      owed.set(f.order_id, o);
    }
    const pending = [];
    for (const [orderId, o] of owed) {
      const refunded = await refundedSoFar(ctx.db, orderId);
      const due = o.late + o.order - refunded;
      if (due > 0) pending.push({ order_id: orderId, amount_due: due, refunded, reasons: [...new Set(o.reasons)], flagged_at: o.since });
    }
    return { status, refunds: pending };
  });
}
