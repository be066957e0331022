// "Ya, pesan": the stock is reserved in this same transaction (internal catalog) so two customers
// can never buy the last unit twice, or held at the client by a job (client catalogs, see
// catalog/client-hold.ts); then the order asks for the prescription or the place.
import { enqueue } from '../../jobs/queue.js';
import { getCatalog } from '../../catalog/service.js';
import { reserveStock } from '../../catalog/internal.js';
import { addEvent, getItems, recomputeTotals, transition, type OrderRow } from '../../orders/repo.js';
import { T, cartLines } from '../texts.js';
import { D } from '../render/say.js';
import type { Turn } from '../turn.js';
import { sendCartSummary } from './cart.js';
import { placeForConfirmedOrder } from './place.js';

const CLIENT_HOLD_TEXT = {
  checking: (lang: 'id' | 'en', store: string) => (lang === 'en' ? `One moment, checking stock at ${store}…` : `Sebentar ya kak, pesan sedang cek stok di ${store}…`),
  stillChecking: (lang: 'id' | 'en', store: string) => (lang === 'en' ? `Still checking stock at ${store}, one moment…` : `Masih cek stok di ${store}, sebentar ya kak…`),
};

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
  if (catalog?.kind !== 'internal') {
    // Client catalogs hold stock at the client; a job asks them, and only a held order moves on.
    turn.order = order;
    return requestClientHold(turn, order, catalog?.name ?? order.catalog_id);
  }
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
    await recomputeTotals(turn.tx, order.id);
    turn.order = await transition(turn.tx, order, 'cart', 'cart_edited');
    return sendCartSummary(turn);
  }
  await addEvent(turn.tx, order.id, 'stock_reserved', { lines });
  turn.out.push({ type: 'text', text: D.confirmed(turn.lang, cartLines(items), items.reduce((s, i) => s + i.line_total, 0)) });
  if (order.needs_prescription) {
    turn.order = await transition(turn.tx, order, 'awaiting_prescription', 'confirmed');
    turn.out.push({ type: 'text', text: T.askPrescription(turn.lang) });
  } else {
    const moved = await transition(turn.tx, order, 'awaiting_payment', 'confirmed');
    const placed = await placeForConfirmedOrder(turn.tx, moved, turn.conv.state.place, turn.lang);
    if (placed.used) turn.conv.state.place = undefined;
    turn.order = placed.order;
    turn.out.push(...placed.messages);
  }
  // Stock is held only so long: an order that never gets paid gives its units back.
  await enqueue(turn.tx, 'order.expire_check', { orderId: order.id }, { delayMs: turn.ctx.config.payments.expiryMinutes * 60_000 + 60_000 });
}

/** Asks the client to hold the cart's items; the order waits in awaiting_confirmation for the job. */
async function requestClientHold(turn: Turn, order: OrderRow, store: string): Promise<void> {
  const waiting = await turn.tx.one(
    `SELECT 1 FROM jobs WHERE kind = 'catalog.reserve' AND payload->>'orderId' = $1 AND done_at IS NULL AND failed_at IS NULL`,
    [order.id],
  );
  if (waiting) {
    turn.out.push({ type: 'text', text: CLIENT_HOLD_TEXT.stillChecking(turn.lang, store) });
    return;
  }
  const lines = (await getItems(turn.tx, order.id)).map((i) => ({ sku: i.sku, quantity: i.quantity }));
  await addEvent(turn.tx, order.id, 'client_hold_requested', { catalog_id: order.catalog_id, lines });
  await enqueue(turn.tx, 'catalog.reserve', { orderId: order.id }, { maxAttempts: 3 });
  turn.out.push({ type: 'text', text: CLIENT_HOLD_TEXT.checking(turn.lang, store) });
}
