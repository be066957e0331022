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
  qr_image_url?: string | null;
  va_number: string | null;
  bill_key: string | null;
  biller_code: string | null;
  expires_at: Date;
  paid_at: Date | null;
  late: boolean;
  raw: unknown;
  created_at: Date;
}

// One breaker per gateway per running app: a gateway that keeps failing is not called for a while.
const breakersByApp = new WeakMap<AppContext, Map<string, CircuitBreaker>>();
export function gatewayBreaker(ctx: AppContext, id: GatewayId): CircuitBreaker {
  let m = breakersByApp.get(ctx);
  if (!m) breakersByApp.set(ctx, (m = new Map()));
  let b = m.get(id);
  if (!b) m.set(id, (b = new CircuitBreaker(id)));
  return b;
}
const isTransient = (err: unknown) => (err instanceof ProviderError && err.transient) || err instanceof CircuitOpenError;
/** Every call to a gateway goes through its breaker. */
const guarded = <T>(ctx: AppContext, gw: PaymentGateway, fn: () => Promise<T>): Promise<T> => gatewayBreaker(ctx, gw.id).run(fn, isTransient);

const refOf = (p: PaymentRow): ChargeRef => ({ reference: p.reference, externalId: p.external_id, method: p.method, bank: p.bank, raw: p.raw });
const LIVE = `status IN ('creating', 'pending')`;

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

/** Backoff for a charge the gateway could not take yet: 15 s, growing with the outage, at most 5 min. */
function retryDelayMs(p: PaymentRow, err: unknown): number {
  if (err instanceof CircuitOpenError && err.retryInMs > 0) return err.retryInMs;
  const outage = Date.now() - new Date(p.created_at).getTime();
  return Math.min(300_000, Math.max(15_000, Math.round(outage / 2)));
}

async function createPayment(ctx: AppContext, orderId: string, method: PaymentMethod, bank: Bank | null): Promise<void> {
  // 1. The order must still want this method; a newer choice supersedes this job.
  const wanted = (o: OrderRow | undefined): o is OrderRow => !!o && o.status === 'awaiting_payment' && o.payment_method === method && (o.bank ?? null) === bank;
  let order = await getOrder(ctx.db, orderId);
  if (!wanted(order)) return;
  const merchant = (await ctx.db.one<MerchantRow>('SELECT * FROM merchants WHERE id = $1', [order.merchant_id]))!;

  // 2. Never two live charges: cancel the previous one at its gateway before creating another.
  const live = await ctx.db.query<PaymentRow>(`SELECT * FROM payments WHERE order_id = $1 AND ${LIVE} ORDER BY id`, [orderId]);
  let current: PaymentRow | undefined;
  let replaced = 0;
  for (const p of live) {
    if (p.method === method && (p.bank ?? null) === bank && p.amount === order.total) {
      current = p;
      continue;
    }
    try {
      await cancelAtGateway(ctx, p.id);
    } catch (err) {
      if (!isTransient(err)) throw err;
      // The earlier charge's gateway is unreachable: a second charge must wait until the first is withdrawn.
      await tellGatewayTrouble(ctx, orderId, p, err as Error);
      throw new RetryLater(retryDelayMs(p, err), 'previous charge not yet withdrawn');
    }
    replaced++;
  }
  if (replaced > 0) {
    // Withdrawing may have found the earlier charge paid after all; then the order wants nothing more.
    order = await getOrder(ctx.db, orderId);
    if (!wanted(order)) return;
  }
  if (current?.status === 'pending') return; // already created and sent

  const gateway = pickGateway(ctx, merchant, method, bank);
  // A charge row left 'creating' by an earlier run may have reached the gateway: look it up first.
  const earlierAttempt = !!current;
  if (!current) {
    const total = order.total;
    current = await ctx.db.tx(async (tx) => {
      const o = await getOrder(tx, orderId, true);
      if (!wanted(o) || o.total !== total) return undefined;
      // A concurrent job for another method may still hold a live charge; its own job withdraws it first.
      if (await tx.one(`SELECT 1 FROM payments WHERE order_id = $1 AND ${LIVE}`, [orderId])) throw new RetryLater(1_000, 'another charge is live');
      const n = (await tx.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM payments WHERE order_id = $1', [orderId]))!.n;
      const expiresAt = new Date(Date.now() + ctx.config.payments.expiryMinutes * 60_000);
      const row = await tx.one<PaymentRow>(
        `INSERT INTO payments (order_id, merchant_id, gateway, method, bank, amount, reference, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [orderId, o.merchant_id, gateway.id, method, bank, o.total, `${orderId}-${n + 1}`, expiresAt.toISOString()],
      );
      await addEvent(tx, orderId, 'payment_creating', { gateway: gateway.id, method, bank, amount: o.total, reference: row!.reference });
      return row!;
    });
    if (!current) return;
  }
  const payment = current;
  const expiresAt = new Date(payment.expires_at);
  const gw = ctx.gateways.get(payment.gateway) ?? gateway;
  if (Date.now() >= expiresAt.getTime()) return giveUpCharge(ctx, payment, gw, new Error('the gateway did not take the charge before its expiry'));
  const customer = await ctx.db.one<{ name: string | null; wa_id: string }>('SELECT name, wa_id FROM customers WHERE id = $1', [order.customer_id]);
  try {
    // The reference is the same on a retry, so the gateway's uniqueness on it prevents a double charge.
    const charge = await guarded(ctx, gw, () =>
      gw.createCharge({
        reference: payment.reference,
        lookupFirst: earlierAttempt,
        orderId,
        amount: payment.amount,
        method,
        bank: bank ?? undefined,
        expiresAt,
        customer: { name: customer?.name ?? 'Pelanggan', phone: customer?.wa_id ?? '' },
        description: `Pesanan ${orderId}`,
      }),
    );
    const sent = await ctx.db.tx(async (tx) => {
      const updated = await tx.one<PaymentRow>(
        `UPDATE payments SET status = 'pending', external_id = $2, qr_string = $3, va_number = $4, bill_key = $5, biller_code = $6,
           expires_at = $7, raw = $8, qr_image_url = $9, error = NULL, updated_at = now() WHERE id = $1 AND status = 'creating' RETURNING *`,
        [payment.id, charge.externalId, charge.qrString ?? null, charge.vaNumber ?? null, charge.billKey ?? null, charge.billerCode ?? null, charge.expiresAt.toISOString(), JSON.stringify(charge.raw ?? null), charge.qrImageUrl ?? null],
      );
      if (!updated) return false;
      await addEvent(tx, orderId, 'payment_created', { gateway: gw.id, method, bank, amount: updated.amount, reference: updated.reference, expires_at: charge.expiresAt });
      const to = await recipientForOrder(tx, orderId);
      await queueMessages(tx, to, paymentMessages(to.lang, updated), orderId);
      await enqueue(tx, 'payment.expire', { paymentId: updated.id }, { runAt: new Date(charge.expiresAt) });
      return true;
    });
    if (!sent) {
      // Replaced or cancelled while the gateway was answering: withdraw what it just created.
      const ref = { ...refOf(payment), externalId: charge.externalId, raw: charge.raw };
      await guarded(ctx, gw, () => gw.cancel(ref)).catch((err) => ctx.logger.warn({ err: (err as Error).message, payment: payment.id }, 'withdrawing a superseded charge failed'));
      await addEvent(ctx.db, orderId, 'payment_withdrawn', { gateway: gw.id, reference: payment.reference, why: 'replaced while being created' });
    }
  } catch (err) {
    if (!isTransient(err)) {
      await failPayment(ctx, payment.id, err as Error);
      return;
    }
    // Gateway down or slow: tell the customer once, keep trying in the background until the charge
    // would have expired anyway.
    await tellGatewayTrouble(ctx, orderId, payment, err as Error);
    const delay = retryDelayMs(payment, err);
    if (Date.now() + delay >= expiresAt.getTime()) return giveUpCharge(ctx, payment, gw, err as Error);
    await ctx.db.query(`UPDATE payments SET error = $2, updated_at = now() WHERE id = $1`, [payment.id, (err as Error).message.slice(0, 500)]);
    throw new RetryLater(delay, 'gateway unavailable');
  }
}

/** "The payment service is having trouble; wait or choose another method", once per charge. */
async function tellGatewayTrouble(ctx: AppContext, orderId: string, p: PaymentRow, err: Error): Promise<void> {
  await ctx.db.tx(async (tx) => {
    await getOrder(tx, orderId, true); // one teller at a time
    const told = await tx.one(`SELECT 1 FROM order_events WHERE order_id = $1 AND type = 'payment_gateway_unavailable' AND data->>'reference' = $2`, [orderId, p.reference]);
    if (told) return;
    await addEvent(tx, orderId, 'payment_gateway_unavailable', { gateway: p.gateway, reference: p.reference, error: err.message });
    const to = await recipientForOrder(tx, orderId);
    await queueMessages(tx, to, [{ type: 'text', text: T.paymentFailed(to.lang) }], orderId);
  });
}

/** The gateway never took the charge within its payment window: the order expires as if unpaid. */
async function giveUpCharge(ctx: AppContext, p: PaymentRow, gw: PaymentGateway, err: Error): Promise<void> {
  // A lost response may have left the charge at the gateway; withdraw it if the gateway can find it.
  await guarded(ctx, gw, () => gw.cancel(refOf(p))).catch(() => undefined);
  await ctx.db.tx(async (tx) => {
    const row = await tx.one<PaymentRow>(`UPDATE payments SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND status = 'creating' RETURNING *`, [p.id, err.message.slice(0, 500)]);
    if (!row) return;
    await addEvent(tx, row.order_id, 'payment_failed', { gateway: row.gateway, reference: row.reference, error: err.message });
    const order = await getOrder(tx, row.order_id, true);
    if (order?.status === 'awaiting_payment' && !(await tx.one(`SELECT 1 FROM payments WHERE order_id = $1 AND ${LIVE}`, [order.id]))) await expireOrder(tx, order);
  });
}

async function failPayment(ctx: AppContext, paymentId: number, err: Error): Promise<void> {
  await ctx.db.tx(async (tx) => {
    const p = await tx.one<PaymentRow>(`UPDATE payments SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND status = 'creating' RETURNING *`, [paymentId, err.message.slice(0, 500)]);
    if (!p) return;
    await addEvent(tx, p.order_id, 'payment_failed', { gateway: p.gateway, reference: p.reference, error: err.message });
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
  // The gateway gave the QR only as an image: WhatsApp fetches it from the gateway's URL.
  if (p.method === 'qris' && p.qr_image_url) return [{ type: 'image', link: p.qr_image_url, caption: T.qrisCaption(lang, p.amount, expires) }];
  if (p.bill_key && p.biller_code) return [{ type: 'text', text: T.mandiriText(lang, p.biller_code, p.bill_key, p.amount, expires) }];
  return [{ type: 'text', text: T.vaText(lang, p.bank ?? 'bank', p.va_number ?? '-', p.amount, expires) }];
}

/**
 * Cancels a charge at its gateway (method change, order cancelled) and marks it cancelled here.
 * Throws when the gateway cannot be reached, so the caller retries rather than leave a live charge behind.
 */
async function cancelAtGateway(ctx: AppContext, paymentId: number): Promise<void> {
  const p = await ctx.db.one<PaymentRow>('SELECT * FROM payments WHERE id = $1', [paymentId]);
  if (!p || (p.status !== 'pending' && p.status !== 'creating')) return;
  const gw = ctx.gateways.get(p.gateway);
  if (gw && p.status === 'pending') {
    // Paid in the meantime? Then it is not ours to cancel: apply the payment instead.
    const status = await guarded(ctx, gw, () => gw.getStatus(refOf(p))).catch((err) => {
      if (isTransient(err)) throw err;
      return undefined;
    });
    if (status?.status === 'paid') return applyStatus(ctx, p.id, status, 'cancel_check');
    try {
      await guarded(ctx, gw, () => gw.cancel(refOf(p)));
    } catch (err) {
      if (isTransient(err)) throw err;
      // Refused: most likely paid a moment ago. Look again; a payment is applied, anything else is reported.
      const again = await guarded(ctx, gw, () => gw.getStatus(refOf(p)));
      if (again.status === 'paid') return applyStatus(ctx, p.id, again, 'cancel_check');
      if (again.status === 'pending') throw err;
    }
  } else if (gw && p.status === 'creating') {
    // An attempt whose answer was lost may have created it; withdraw it if the gateway knows the reference.
    await guarded(ctx, gw, () => gw.cancel(refOf(p))).catch(() => undefined);
  }
  await ctx.db.tx(async (tx) => {
    const row = await tx.one<PaymentRow>(`UPDATE payments SET status = 'cancelled', updated_at = now() WHERE id = $1 AND ${LIVE} RETURNING *`, [paymentId]);
    if (row) await addEvent(tx, row.order_id, 'payment_cancelled', { gateway: row.gateway, reference: row.reference });
  });
}

async function checkPayment(ctx: AppContext, paymentId: number, reason: string, followUp: boolean): Promise<void> {
  const p = await ctx.db.one<PaymentRow>('SELECT * FROM payments WHERE id = $1', [paymentId]);
  if (!p || p.status !== 'pending') return;
  const gw = ctx.gateways.get(p.gateway);
  if (!gw) return;
  const status = await guarded(ctx, gw, () => gw.getStatus(refOf(p)));
  if (status.status !== 'pending') return applyStatus(ctx, p.id, status, reason);
  await ctx.db.tx(async (tx) => {
    await addEvent(tx, p.order_id, 'payment_checked', { reason, status: 'pending', reference: p.reference });
    if (reason !== 'claim') return;
    const to = await recipientForOrder(tx, p.order_id);
    const minutesLeft = Math.max(0, Math.round((new Date(p.expires_at).getTime() - Date.now()) / 60_000));
    await queueMessages(tx, to, [{ type: 'text', text: T.notPaidYet(to.lang, p.amount, minutesLeft) }], p.order_id);
    // Customers often claim a moment before the money lands: look again by ourselves a little later.
    if (followUp) await enqueue(tx, 'payment.check', { paymentId, reason: 'follow_up', followUp: false }, { delayMs: 120_000 });
  });
}

async function expirePayment(ctx: AppContext, paymentId: number): Promise<void> {
  const p = await ctx.db.one<PaymentRow>('SELECT * FROM payments WHERE id = $1', [paymentId]);
  if (!p || p.status !== 'pending') return;
  const gw = ctx.gateways.get(p.gateway);
  let withdrawFailed: string | undefined;
  if (gw) {
    const status = await guarded(ctx, gw, () => gw.getStatus(refOf(p))).catch(() => undefined);
    if (status?.status === 'paid') return applyStatus(ctx, p.id, status, 'expiry_check');
    // Expire at the gateway too, so the customer cannot pay a charge pesan considers dead.
    try {
      await guarded(ctx, gw, () => gw.cancel(refOf(p)));
    } catch (err) {
      // Refused rather than unreachable: it may have been paid this very moment.
      const again = isTransient(err) ? undefined : await guarded(ctx, gw, () => gw.getStatus(refOf(p))).catch(() => undefined);
      if (again?.status === 'paid') return applyStatus(ctx, p.id, again, 'expiry_check');
      if (again?.status !== 'expired' && again?.status !== 'cancelled') withdrawFailed = (err as Error).message;
      ctx.logger.warn({ err: (err as Error).message, payment: p.id }, 'gateway expire failed');
    }
  }
  await ctx.db.tx(async (tx) => {
    const row = await tx.one<PaymentRow>(`UPDATE payments SET status = 'expired', updated_at = now() WHERE id = $1 AND status = 'pending' RETURNING *`, [paymentId]);
    if (!row) return;
    await addEvent(tx, row.order_id, 'payment_expired', { reference: row.reference });
    // The gateway still lets it be paid until its own expiry; such a payment is recorded and flagged.
    if (withdrawFailed) await addEvent(tx, row.order_id, 'payment_gateway_expire_failed', { gateway: row.gateway, reference: row.reference, error: withdrawFailed });
    const order = await getOrder(tx, row.order_id, true);
    if (order && order.status === 'awaiting_payment') await expireOrder(tx, order);
  });
}

async function expireUnpaidOrder(ctx: AppContext, orderId: string): Promise<void> {
  await ctx.db.tx(async (tx) => {
    const order = await getOrder(tx, orderId, true);
    if (!order || (order.status !== 'awaiting_payment' && order.status !== 'awaiting_prescription')) return;
    const live = await tx.one(`SELECT 1 FROM payments WHERE order_id = $1 AND ${LIVE}`, [orderId]);
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

const sameId = (a: string, b: string) => a.replace(/\s/g, '') === b.replace(/\s/g, '');

async function processWebhookEvent(ctx: AppContext, eventId: number): Promise<void> {
  const ev = await ctx.db.one<{ id: number; provider: GatewayId; payload: any; processed_at: Date | null }>('SELECT * FROM webhook_events WHERE id = $1', [eventId]);
  if (!ev || ev.processed_at) return;
  const event = ev.payload.event as { reference: string; externalId?: string; status: string; amount?: number; currency?: string };
  const done = (q: Queryable, error?: string) => q.query('UPDATE webhook_events SET processed_at = now(), error = $2 WHERE id = $1', [eventId, error ?? null]);
  const p = await ctx.db.one<PaymentRow>('SELECT * FROM payments WHERE gateway = $1 AND reference = $2', [ev.provider, event.reference]);
  if (!p) {
    // A charge pesan never created. When its reference names one of our orders, the merchant sees it there.
    const orderId = event.reference.replace(/-\d+$/, '');
    const order = orderId !== event.reference ? await getOrder(ctx.db, orderId) : undefined;
    await ctx.db.tx(async (tx) => {
      if (order) {
        await addEvent(tx, order.id, 'payment_mismatch_refused', {
          source: 'webhook', reason: 'reference', gateway: ev.provider, got_reference: event.reference, status: event.status, got: event.amount ?? null, currency: event.currency ?? null,
        });
      }
      await done(tx, 'unknown reference');
    });
    return;
  }
  // A notification that names another charge, amount or currency is refused and shown to the merchant.
  const reason =
    event.externalId && p.external_id && !sameId(event.externalId, p.external_id)
      ? 'reference'
      : event.status === 'paid' && event.amount !== undefined && event.amount !== p.amount
        ? 'amount'
        : event.status === 'paid' && event.currency && event.currency !== 'IDR'
          ? 'currency'
          : undefined;
  if (reason) {
    await ctx.db.tx(async (tx) => {
      await addEvent(tx, p.order_id, 'payment_mismatch_refused', {
        source: 'webhook', reason, gateway: p.gateway, reference: p.reference, expected: p.amount, got: event.amount ?? null, currency: event.currency ?? null,
        ...(reason === 'reference' ? { expected_external_id: p.external_id, got_external_id: event.externalId } : {}),
      });
      await done(tx, `${reason} mismatch`);
    });
    return;
  }
  const gw = ctx.gateways.get(p.gateway);
  // A notification that passed its signature check means the gateway is up: ask it now, even if
  // earlier failures opened the circuit; a paid charge must not wait out the cool-down.
  if (gw) gatewayBreaker(ctx, gw.id).heardFrom();
  // Pull on notify: the gateway's own status answer is what counts, not the notification body.
  const status = gw ? await guarded(ctx, gw, () => gw.getStatus(refOf(p))) : undefined;
  if (status) await applyStatus(ctx, p.id, status, 'webhook');
  if (event.status === 'paid' && status && status.status !== 'paid') {
    // Never silently dropped: the merchant can see a "paid" notification the gateway does not confirm.
    await addEvent(ctx.db, p.order_id, 'payment_notification_unconfirmed', { gateway: p.gateway, reference: p.reference, notified: 'paid', gateway_status: status.status });
  }
  await done(ctx.db);
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
      const mismatch = status.amount !== undefined && status.amount !== p.amount ? 'amount' : status.currency && status.currency !== 'IDR' ? 'currency' : undefined;
      if (mismatch) {
        await addEvent(tx, order.id, 'payment_mismatch_refused', { source, reason: mismatch, gateway: p.gateway, expected: p.amount, got: status.amount ?? null, currency: status.currency ?? null, reference: p.reference });
        return;
      }
      const live = p.status === 'pending' || p.status === 'creating';
      // Money for the whole order while it still waits for it counts, even on a charge that was replaced
      // (a QR scanned before the customer switched to VA): the order is paid once and the rest withdrawn.
      const takesOrder = order.status === 'awaiting_payment' && p.amount === order.total;
      await tx.query(`UPDATE payments SET status = 'paid', paid_at = $2, paid_amount = $3, late = $4, updated_at = now() WHERE id = $1`, [
        p.id,
        (status.paidAt ?? new Date()).toISOString(),
        status.amount ?? p.amount,
        !takesOrder,
      ]);
      const to = await recipientForOrder(tx, order.id);
      if (!takesOrder) {
        // Money arrived for a charge or order we had given up on: keep it on record and flag the refund.
        await addEvent(tx, order.id, 'late_payment_refund_required', {
          source, gateway: p.gateway, amount: status.amount ?? p.amount, reference: p.reference, charge_status: p.status, order_status: order.status,
        });
        const text = order.status === 'expired' ? T.latePayment(to.lang) : T.refundDue(to.lang, status.amount ?? p.amount);
        await queueMessages(tx, to, [{ type: 'text', text }], order.id);
        await enqueue(tx, 'merchant.alert', { merchantId: order.merchant_id, kind: 'late_payment', orderId: order.id });
        return;
      }
      if (!live) await addEvent(tx, order.id, 'payment_on_replaced_charge', { source, gateway: p.gateway, reference: p.reference, charge_status: p.status });
      await transition(tx, order, 'paid', 'payment_received', { source, gateway: p.gateway, amount: p.amount, reference: p.reference });
      await commitStock(tx, order.id);
      await queueMessages(tx, to, [{ type: 'text', text: T.paid(to.lang, p.amount, order.id) }], order.id);
      // Any other live charge for this order is withdrawn now; if it was paid too, that one is refunded.
      const others = await tx.query<{ id: number }>(`SELECT id FROM payments WHERE order_id = $1 AND id <> $2 AND ${LIVE}`, [order.id, p.id]);
      for (const o of others) await enqueue(tx, 'payment.cancel', { paymentId: o.id });
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
