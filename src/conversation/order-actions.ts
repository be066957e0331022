// Order actions shared by the dialogue, the admin API and background jobs (confirming a cart is
// the dialogue's own: actions/checkout.ts).
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import { enqueue } from '../jobs/queue.js';
import { getCatalog } from '../catalog/service.js';
import { releaseStock, reserveStock } from '../catalog/internal.js';
import { addEvent, getItems, transition, type OrderRow } from '../orders/repo.js';
import { T } from './texts.js';
import { queueMessages, recipientForOrder } from './outbox.js';

/** Cancels an order, returns its stock once, and cancels any live charge or booking at the provider. */
/** With `notify`, the customer is told it is cancelled (and, if paid, that the money comes back). */
export async function cancelOrder(
  ctx: AppContext,
  tx: Queryable,
  order: OrderRow,
  by: 'customer' | 'merchant' | 'system',
  reason?: string,
  opts: { notify?: boolean } = {},
): Promise<OrderRow> {
  const updated = await transition(tx, order, 'cancelled', 'cancelled', { by, reason: reason ?? null });
  await releaseStock(tx, order.id);
  await releaseAtClient(tx, order);
  const live = await tx.query<{ id: number }>(`SELECT id FROM payments WHERE order_id = $1 AND status IN ('creating', 'pending')`, [order.id]);
  for (const p of live) await enqueue(tx, 'payment.cancel', { paymentId: p.id });
  const deliveries = await tx.query<{ id: number }>(
    `SELECT id FROM deliveries WHERE order_id = $1 AND status NOT IN ('delivered', 'cancelled', 'failed', 'no_driver', 'returned')`,
    [order.id],
  );
  for (const d of deliveries) await enqueue(tx, 'delivery.cancel', { deliveryId: d.id });
  await tx.query('UPDATE conversations SET active_order_id = NULL WHERE active_order_id = $1', [order.id]);
  // Cancelled after payment (before pickup): the money goes back, and that is on the record.
  const paid = await tx.one<{ amount: number }>(`SELECT COALESCE(SUM(COALESCE(paid_amount, amount)), 0)::int AS amount FROM payments WHERE order_id = $1 AND status = 'paid' AND NOT late`, [order.id]);
  const refund = paid?.amount ?? 0;
  if (refund > 0) {
    await addEvent(tx, order.id, 'refund_required', { amount: refund, by, reason: reason ?? null });
    await enqueue(tx, 'merchant.alert', { merchantId: order.merchant_id, kind: 'refund_required', orderId: order.id });
  }
  if (opts.notify || refund > 0) {
    const to = await recipientForOrder(tx, order.id);
    const texts = [...(opts.notify ? [T.cancelled(to.lang)] : []), ...(refund > 0 ? [T.refundOnCancel(to.lang, refund)] : [])];
    await queueMessages(tx, to, texts.map((text) => ({ type: 'text' as const, text })), order.id);
  }
  void ctx;
  return updated;
}

export async function releaseAtClient(tx: Queryable, order: OrderRow): Promise<void> {
  const catalog = await getCatalog(tx, order.catalog_id);
  if (catalog && catalog.kind !== 'internal') await enqueue(tx, 'catalog.release', { orderId: order.id });
}
