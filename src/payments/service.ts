// The payments domain: which gateway takes a charge, what a gateway event means for the order,
// expiry, late payments and method changes. Adapters only translate; this module decides.
import type { AppContext, MerchantRow } from '../context.js';
import type { Queryable } from '../db/index.js';
import type { Job } from '../jobs/runner.js';
import { RetryLater } from '../jobs/runner.js';
import { enqueue } from '../jobs/queue.js';
import { ProviderError } from '../shared/http.js';
import { CircuitBreaker, CircuitOpenError } from '../shared/breaker.js';
import { addEvent, getOrder, transition, type OrderRow } from '../orders/repo.js';
import { commitStock, releaseStock } from '../catalog/internal.js';
import { queueMessages, recipientForOrder } from '../conversation/outbox.js';
import { releaseAtClient } from '../conversation/order-actions.js';
import { T } from '../conversation/texts.js';
import type { OutgoingMessage } from '../channel/whatsapp/outgoing.js';
import type { Bank, ChargeRef, ChargeStatusResult, GatewayId, PaymentGateway, PaymentMethod } from './port.js';

export interface PaymentRow {
  id: number;
  order_id: string;
  merchant_id: string;
  gateway: GatewayId;
  method: PaymentMethod;
  bank: Bank | null;
  amount: number;
  reference: string;
  external_id: string | null;
  status: 'creating' | 'pending' | 'paid' | 'expired' | 'cancelled' | 'failed';
  qr_string: string | null;
  va_number: string | null;
  bill_key: string | null;
  biller_code: string | null;
  expires_at: Date;
  paid_at: Date | null;
  late: boolean;
  raw: unknown;
}

const breakers = new Map<string, CircuitBreaker>();
function breaker(id: string): CircuitBreaker {
  let b = breakers.get(id);
  if (!b) breakers.set(id, (b = new CircuitBreaker(id)));
  return b;
}
const isTransient = (err: unknown) => (err instanceof ProviderError && err.transient) || err instanceof CircuitOpenError;

const refOf = (p: PaymentRow): ChargeRef => ({ reference: p.reference, externalId: p.external_id, method: p.method, bank: p.bank, raw: p.raw });

/** The gateway for a method: the merchant's choice, else the configured default, else any that can. */
export function pickGateway(ctx: AppContext, merchant: MerchantRow, method: PaymentMethod, bank?: Bank | null): PaymentGateway {
  const wanted = method === 'qris' ? (merchant.settings?.qris_gateway ?? ctx.config.payments.qrisGateway) : (merchant.settings?.va_gateway ?? ctx.config.payments.vaGateway);
  const preferred = wanted ? ctx.gateways.get(wanted) : undefined;
  if (preferred && preferred.supports(method, bank ?? undefined)) return preferred;
  for (const g of ctx.gateways.values()) if (g.supports(method, bank ?? undefined)) return g;
  throw new Error(`no payment gateway can take ${method}${bank ? ` ${bank}` : ''}`);
}

export function paymentJobs(ctx: AppContext): Record<string, (job: Job) => Promise<void>> {
  return {
    'payment.create': (job) => createPayment(ctx, job.payload.orderId, job.payload.method, job.payload.bank ?? null),
    'payment.check': (job) => checkPayment(ctx, job.payload.paymentId, job.payload.reason, job.payload.followUp === true),
    'payment.cancel': (job) => cancelAtGateway(ctx, job.payload.paymentId),
    'payment.expire': (job) => expirePayment(ctx, job.payload.paymentId),
    'payment.webhook': (job) => processWebhookEvent(ctx, job.payload.eventId),
    'order.expire_check': (job) => expireUnpaidOrder(ctx, job.payload.orderId),
  };
}

async function createPayment(ctx: AppContext, orderId: string, method: PaymentMethod, bank: Bank | null): Promise<void> {
  // 1. The order must still want this method; a newer choice supersedes this job.
  const order = await getOrder(ctx.db, orderId);
  if (!order || order.status !== 'awaiting_payment' || order.payment_method !== method || (order.bank ?? null) !== bank) return;
  const merchant = (await ctx.db.one<MerchantRow>('SELECT * FROM merchants WHERE id = $1', [order.merchant_id]))!;

  // 2. Never two live charges: cancel the previous one at its gateway before creating another.
  const live = await ctx.db.query<PaymentRow>(`SELECT * FROM payments WHERE order_id = $1 AND status IN ('creating', 'pending') ORDER BY id`, [orderId]);
  let current: PaymentRow | undefined;
  for (const p of live) {
    if (p.method === method && (p.bank ?? null) === bank && p.amount === order.total) {
      current = p;
      continue;
    }
    await cancelAtGateway(ctx, p.id);
  }
  if (current?.status === 'pending') return; // already created and sent

  const gateway = pickGateway(ctx, merchant, method, bank);
  const expiresAt = current ? new Date(current.expires_at) : new Date(Date.now() + ctx.config.payments.expiryMinutes * 60_000);
  if (!current) {
    current = await ctx.db.tx(async (tx) => {
      const n = (await tx.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM payments WHERE order_id = $1', [orderId]))!.n;
      const row = await tx.one<PaymentRow>(
        `INSERT INTO payments (order_id, merchant_id, gateway, method, bank, amount, reference, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [orderId, order.merchant_id, gateway.id, method, bank, order.total, `${orderId}-${n + 1}`, expiresAt.toISOString()],
      );
      await addEvent(tx, orderId, 'payment_creating', { gateway: gateway.id, method, bank, amount: order.total, reference: row!.reference });
      return row!;
    });
  }
  const customer = await ctx.db.one<{ name: string | null; wa_id: string }>('SELECT name, wa_id FROM customers WHERE id = $1', [order.customer_id]);
  const gw = ctx.gateways.get(current.gateway) ?? gateway;
  try {
    // The reference is the same on a retry, so the gateway's uniqueness on it prevents a double charge.
    const charge = await breaker(gw.id).run(
      () =>
        gw.createCharge({
          reference: current!.reference,
          orderId,
          amount: current!.amount,
          method,
          bank: bank ?? undefined,
          expiresAt,
          customer: { name: customer?.name ?? 'Pelanggan', phone: customer?.wa_id ?? '' },
          description: `Pesanan ${orderId}`,
        }),
      isTransient,
    );
    await ctx.db.tx(async (tx) => {
      const updated = await tx.one<PaymentRow>(
        `UPDATE payments SET status = 'pending', external_id = $2, qr_string = $3, va_number = $4, bill_key = $5, biller_code = $6,
           expires_at = $7, raw = $8, updated_at = now() WHERE id = $1 AND status = 'creating' RETURNING *`,
        [current!.id, charge.externalId, charge.qrString ?? null, charge.vaNumber ?? null, charge.billKey ?? null, charge.billerCode ?? null, charge.expiresAt.toISOString(), JSON.stringify(charge.raw ?? null)],
      );
      if (!updated) return;
      await addEvent(tx, orderId, 'payment_created', { gateway: gw.id, method, bank, amount: updated.amount, reference: updated.reference, expires_at: charge.expiresAt });
      const to = await recipientForOrder(tx, orderId);
      await queueMessages(tx, to, paymentMessages(to.lang, updated), orderId);
      await enqueue(tx, 'payment.expire', { paymentId: updated.id }, { runAt: new Date(charge.expiresAt) });
    });
  } catch (err) {
    if (!isTransient(err)) {
      await failPayment(ctx, current.id, err as Error);
      return;
    }
    // Gateway down or slow: tell the customer once, keep trying in the background a few times.
    const job = await ctx.db.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM order_events WHERE order_id = $1 AND type = 'payment_gateway_unavailable'`, [orderId]);
    if ((job?.n ?? 0) === 0) {
      await ctx.db.tx(async (tx) => {
        await addEvent(tx, orderId, 'payment_gateway_unavailable', { gateway: gw.id, error: (err as Error).message });
        const to = await recipientForOrder(tx, orderId);
        await queueMessages(tx, to, [{ type: 'text', text: T.paymentFailed(to.lang) }], orderId);
      });
    }
    if ((job?.n ?? 0) >= 3) {
      await failPayment(ctx, current.id, err as Error);
      return;
    }
    throw new RetryLater(15_000, 'gateway unavailable');
  }
}

async function failPayment(ctx: AppContext, paymentId: number, err: Error): Promise<void> {
  await ctx.db.tx(async (tx) => {
    const p = await tx.one<PaymentRow>(`UPDATE payments SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND status = 'creating' RETURNING *`, [paymentId, err.message.slice(0, 500)]);
    if (!p) return;
    await addEvent(tx, p.order_id, 'payment_failed', { gateway: p.gateway, error: err.message });
    // Let the customer choose again.
    await tx.query('UPDATE orders SET payment_method = NULL, bank = NULL WHERE id = $1', [p.order_id]);
    const to = await recipientForOrder(tx, p.order_id);
    await queueMessages(tx, to, [
      { type: 'text', text: T.paymentFailed(to.lang) },
      { type: 'buttons', body: to.lang === 'en' ? 'Choose a payment method:' : 'Pilih metode pembayaran:', buttons: [{ id: 'pay:qris', title: 'QRIS' }, { id: 'pay:va', title: T.vaButton(to.lang) }] },
    ], p.order_id);
  });
}

export function paymentMessages(lang: 'id' | 'en', p: PaymentRow): OutgoingMessage[] {
  const expires = new Date(p.expires_at);
  if (p.method === 'qris' && p.qr_string) return [{ type: 'qr_image', qrString: p.qr_string, caption: T.qrisCaption(lang, p.amount, expires) }];
  if (p.bill_key && p.biller_code) return [{ type: 'text', text: T.mandiriText(lang, p.biller_code, p.bill_key, p.amount, expires) }];
  return [{ type: 'text', text: T.vaText(lang, p.bank ?? 'bank', p.va_number ?? '-', p.amount, expires) }];
}

/** Cancels a charge at its gateway (method change, order cancelled) and marks it cancelled here. */
async function cancelAtGateway(ctx: AppContext, paymentId: number): Promise<void> {
  const p = await ctx.db.one<PaymentRow>('SELECT * FROM payments WHERE id = $1', [paymentId]);
  if (!p || (p.status !== 'pending' && p.status !== 'creating')) return;
  const gw = ctx.gateways.get(p.gateway);
  if (gw && p.status === 'pending') {
    // Paid in the meantime? Then it is not ours to cancel: apply the payment instead.
    const status = await gw.getStatus(refOf(p)).catch(() => undefined);
    if (status?.status === 'paid') return applyStatus(ctx, p.id, status, 'cancel_check');
    await gw.cancel(refOf(p));
  }
  await ctx.db.tx(async (tx) => {
    const row = await tx.one<PaymentRow>(`UPDATE payments SET status = 'cancelled', updated_at = now() WHERE id = $1 AND status IN ('creating', 'pending') RETURNING *`, [paymentId]);
    if (row) await addEvent(tx, row.order_id, 'payment_cancelled', { gateway: row.gateway, reference: row.reference });
  });
}

async function checkPayment(ctx: AppContext, paymentId: number, reason: string, followUp: boolean): Promise<void> {
  const p = await ctx.db.one<PaymentRow>('SELECT * FROM payments WHERE id = $1', [paymentId]);
  if (!p || p.status !== 'pending') return;
  const gw = ctx.gateways.get(p.gateway);
  if (!gw) return;
  const status = await gw.getStatus(refOf(p));
  if (status.status !== 'pending') return applyStatus(ctx, p.id, status, reason);
  if (reason === 'claim') {
    await ctx.db.tx(async (tx) => {
      const to = await recipientForOrder(tx, p.order_id);
      const minutesLeft = Math.max(0, Math.round((new Date(p.expires_at).getTime() - Date.now()) / 60_000));
      await addEvent(tx, p.order_id, 'payment_checked', { reason, status: 'pending' });
      await queueMessages(tx, to, [{ type: 'text', text: T.notPaidYet(to.lang, p.amount, minutesLeft) }], p.order_id);
      if (followUp) await enqueue(tx, 'payment.check', { paymentId, reason: 'follow_up', followUp: false }, { delayMs: 120_000 });
    });
  }
}

async function expirePayment(ctx: AppContext, paymentId: number): Promise<void> {
  const p = await ctx.db.one<PaymentRow>('SELECT * FROM payments WHERE id = $1', [paymentId]);
  if (!p || p.status !== 'pending') return;
  const gw = ctx.gateways.get(p.gateway);
  if (gw) {
    const status = await gw.getStatus(refOf(p)).catch(() => undefined);
    if (status?.status === 'paid') return applyStatus(ctx, p.id, status, 'expiry_check');
    // Expire at the gateway too, so the customer cannot pay a charge pesan considers dead.
    await gw.cancel(refOf(p)).catch((err) => ctx.logger.warn({ err: (err as Error).message, payment: p.id }, 'gateway expire failed'));
  }
  await ctx.db.tx(async (tx) => {
    const row = await tx.one<PaymentRow>(`UPDATE payments SET status = 'expired', updated_at = now() WHERE id = $1 AND status = 'pending' RETURNING *`, [paymentId]);
    if (!row) return;
    await addEvent(tx, row.order_id, 'payment_expired', { reference: row.reference });
    const order = await getOrder(tx, row.order_id, true);
    if (order && order.status === 'awaiting_payment') await expireOrder(tx, order);
  });
}

async function expireUnpaidOrder(ctx: AppContext, orderId: string): Promise<void> {
  await ctx.db.tx(async (tx) => {
    const order = await getOrder(tx, orderId, true);
    if (!order || (order.status !== 'awaiting_payment' && order.status !== 'awaiting_prescription')) return;
    const live = await tx.one(`SELECT 1 FROM payments WHERE order_id = $1 AND status IN ('creating', 'pending')`, [orderId]);
    if (live) return; // the live charge's own expiry decides
    if (order.status === 'awaiting_prescription') {
      // Waiting on the pharmacist is not the customer's delay; hold a while longer.
      throw new RetryLater(10 * 60_000, 'prescription still under review');
    }
    await expireOrder(tx, order);
  });
}

async function expireOrder(tx: Queryable, order: OrderRow): Promise<void> {
  await transition(tx, order, 'expired', 'payment_expired');
  await releaseStock(tx, order.id);
  await releaseAtClient(tx, order);
  await tx.query('UPDATE conversations SET active_order_id = NULL WHERE active_order_id = $1', [order.id]);
  const to = await recipientForOrder(tx, order.id);
  await queueMessages(tx, to, [{ type: 'text', text: T.expired(to.lang) }], order.id);
}

async function processWebhookEvent(ctx: AppContext, eventId: number): Promise<void> {
  const ev = await ctx.db.one<{ id: number; provider: GatewayId; payload: any; processed_at: Date | null }>('SELECT * FROM webhook_events WHERE id = $1', [eventId]);
  if (!ev || ev.processed_at) return;
  const event = ev.payload.event as { reference: string; status: string; amount?: number; currency?: string };
  const p = await ctx.db.one<PaymentRow>('SELECT * FROM payments WHERE gateway = $1 AND reference = $2', [ev.provider, event.reference]);
  if (!p) {
    await ctx.db.query(`UPDATE webhook_events SET processed_at = now(), error = 'unknown reference' WHERE id = $1`, [eventId]);
    return;
  }
  if (event.status === 'paid' && ((event.amount !== undefined && event.amount !== p.amount) || (event.currency && event.currency !== 'IDR'))) {
    // A notification for another amount or currency is refused and shown to the merchant.
    await ctx.db.tx(async (tx) => {
      await addEvent(tx, p.order_id, 'payment_mismatch_refused', { source: 'webhook', expected: p.amount, got: event.amount ?? null, currency: event.currency ?? null, reference: p.reference });
      await tx.query(`UPDATE webhook_events SET processed_at = now(), error = 'amount or currency mismatch' WHERE id = $1`, [eventId]);
    });
    return;
  }
  const gw = ctx.gateways.get(p.gateway);
  // Pull on notify: the gateway's own status answer is what counts, not the notification body.
  const status = gw ? await gw.getStatus(refOf(p)) : undefined;
  if (status) await applyStatus(ctx, p.id, status, 'webhook');
  await ctx.db.query('UPDATE webhook_events SET processed_at = now() WHERE id = $1', [eventId]);
}

/** Applies an authoritative gateway status to a payment and its order. Safe to call repeatedly. */
export async function applyStatus(ctx: AppContext, paymentId: number, status: ChargeStatusResult, source: string): Promise<void> {
  await ctx.db.tx(async (tx) => {
    const p = await tx.one<PaymentRow>('SELECT * FROM payments WHERE id = $1 FOR UPDATE', [paymentId]);
    if (!p) return;
    const order = await getOrder(tx, p.order_id, true);
    if (!order) return;
    if (status.status === 'paid') {
      if (p.status === 'paid') return; // replay
      if ((status.amount !== undefined && status.amount !== p.amount) || (status.currency && status.currency !== 'IDR')) {
        await addEvent(tx, order.id, 'payment_mismatch_refused', { source, expected: p.amount, got: status.amount ?? null, currency: status.currency ?? null, reference: p.reference });
        return;
      }
      const late = p.status !== 'pending' && p.status !== 'creating';
      await tx.query(`UPDATE payments SET status = 'paid', paid_at = $2, paid_amount = $3, late = $4, updated_at = now() WHERE id = $1`, [
        p.id,
        (status.paidAt ?? new Date()).toISOString(),
        status.amount ?? p.amount,
        late,
      ]);
      const to = await recipientForOrder(tx, order.id);
      if (late || order.status !== 'awaiting_payment') {
        // Money arrived for a charge we had given up on: keep it on record and flag the refund.
        await addEvent(tx, order.id, 'late_payment_refund_required', { source, amount: status.amount ?? p.amount, reference: p.reference, order_status: order.status });
        await queueMessages(tx, to, [{ type: 'text', text: T.latePayment(to.lang) }], order.id);
        await enqueue(tx, 'merchant.alert', { merchantId: order.merchant_id, kind: 'late_payment', orderId: order.id });
        return;
      }
      await transition(tx, order, 'paid', 'payment_received', { source, gateway: p.gateway, amount: p.amount, reference: p.reference });
      await commitStock(tx, order.id);
      await queueMessages(tx, to, [{ type: 'text', text: T.paid(to.lang, p.amount, order.id) }], order.id);
      await enqueue(tx, 'delivery.book', { orderId: order.id });
      const catalog = await tx.one<{ kind: string }>('SELECT kind FROM catalogs WHERE id = $1', [order.catalog_id]);
      if (catalog && catalog.kind !== 'internal') await enqueue(tx, 'catalog.commit', { orderId: order.id });
      return;
    }
    if (p.status !== 'pending') return;
    if (status.status === 'expired' || status.status === 'cancelled' || status.status === 'failed') {
      await tx.query('UPDATE payments SET status = $2, updated_at = now() WHERE id = $1', [p.id, status.status]);
      await addEvent(tx, order.id, `payment_${status.status}`, { source, reference: p.reference });
      if (status.status === 'expired' && order.status === 'awaiting_payment') await expireOrder(tx, order);
    }
  });
}
