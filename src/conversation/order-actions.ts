// Order actions shared by the dialogue, the admin API and background jobs.
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import { enqueue } from '../jobs/queue.js';
import { getCatalog } from '../catalog/service.js';
import { releaseStock, reserveStock } from '../catalog/internal.js';
import { requestClientHold } from '../catalog/client-hold.js';
import { addEvent, getItems, transition, type OrderRow } from '../orders/repo.js';
import { T } from './texts.js';
import { queueMessages, recipientForOrder } from './outbox.js';
import type { Turn } from './engine.js';
import { sendCartSummary } from './engine.js';

/**
 * "Ya" on the summary: reserve the stock in this same transaction (internal catalog) so two
 * customers can never buy the last unit twice, then ask for the prescription or the location.
 */
export async function confirmOrder(turn: Turn): Promise<void> {
  let order = turn.order!;
  const items = await getItems(turn.tx, order.id);
  if (items.length === 0) {
    turn.out.push({ type: 'text', text: T.cartEmpty(turn.lang) });
    return;
  }
  if (order.status === 'cart') order = await transition(turn.tx, order, 'awaiting_confirmation', 'summary_sent');
  const catalog = await getCatalog(turn.tx, order.catalog_id);
  const lines = items.map((i) => ({ sku: i.sku, quantity: i.quantity }));
  if (catalog?.kind === 'internal') {
    const result = await reserveStock(turn.tx, order.catalog_id, order.id, lines);
    if (!result.ok) {
      for (const s of result.shortages) {
        const item = items.find((i) => i.sku === s.sku)!;
        turn.out.push({ type: 'text', text: T.short(turn.lang, item.name, s.requested, s.available) });
        // Keep what can still be bought; the customer confirms again.
        await turn.tx.query(
          s.available > 0
            ? 'UPDATE order_items SET quantity = $3, line_total = unit_price * $3 WHERE order_id = $1 AND sku = $2'
            : 'DELETE FROM order_items WHERE order_id = $1 AND sku = $2',
          s.available > 0 ? [order.id, s.sku, s.available] : [order.id, s.sku],
        );
      }
      await addEvent(turn.tx, order.id, 'stock_short', { shortages: result.shortages });
      await turn.tx.query(
        `UPDATE orders SET subtotal = COALESCE((SELECT SUM(line_total) FROM order_items WHERE order_id = $1), 0),
           total = COALESCE((SELECT SUM(line_total) FROM order_items WHERE order_id = $1), 0) + delivery_fee WHERE id = $1`,
        [order.id],
      );
      turn.order = await transition(turn.tx, order, 'cart', 'cart_edited');
      return sendCartSummary(turn);
    }
    await addEvent(turn.tx, order.id, 'stock_reserved', { lines });
  } else {
    // Client catalogs hold stock at the client; a job asks them, and only a held order moves on.
    turn.order = order;
    return requestClientHold(turn, order);
  }
  const expiryMs = turn.ctx.config.payments.expiryMinutes * 60_000;
  if (order.needs_prescription) {
    turn.order = await transition(turn.tx, order, 'awaiting_prescription', 'confirmed');
    turn.out.push({ type: 'text', text: T.askPrescription(turn.lang) });
  } else {
    turn.order = await transition(turn.tx, order, 'awaiting_payment', 'confirmed');
    turn.out.push({ type: 'location_request', body: T.askLocation(turn.lang) });
  }
  // Stock is held only so long: an order that never gets paid gives its units back.
  await enqueue(turn.tx, 'order.expire_check', { orderId: order.id }, { delayMs: expiryMs + 60_000 });
}

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
