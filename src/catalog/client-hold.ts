// Confirming an order of a client catalog: the stock lives in the client's system, so on "Ya"
// pesan asks the client to hold the items (this job, queued by conversation/actions/checkout.ts;
// never inside the conversation's transaction)
// and only once the hold succeeded does the order move on to the location and payment. A product
// that sold out meanwhile is reported and taken out of the cart; a client that cannot be reached
// leaves the cart as it was, with a polite message. Payment is therefore never asked for stock
// the client has not promised.
import type { AppContext } from '../context.js';
import type { Job } from '../jobs/runner.js';
import type { OutgoingMessage } from '../channel/whatsapp/outgoing.js';
import { enqueue } from '../jobs/queue.js';
import { addEvent, getItems, getOrder, recomputeTotals, transition, type OrderRow } from '../orders/repo.js';
import { queueMessages, recipientForOrder } from '../conversation/outbox.js';
import { T, type Lang } from '../conversation/texts.js';
import { cartSummaryMessage } from '../conversation/render/products.js';
import { placeForConfirmedOrder } from '../conversation/actions/place.js';
import type { ConversationState } from '../conversation/turn.js';
import { getCatalog } from './service.js';
import type { ReserveResult } from './types.js';

const HT = {
  unreachable: (lang: Lang, store: string) =>
    lang === 'en'
      ? `Sorry, ${store} cannot be reached right now to check stock. Your cart is kept: tap "Yes, order" again in a moment.`
      : `Maaf, ${store} sedang tidak bisa dihubungi untuk cek stok. Keranjang kakak tetap tersimpan: tekan "Ya, pesan" lagi sebentar lagi ya.`,
  soldOut: (lang: Lang, store: string, lines: string[]) =>
    lang === 'en'
      ? `Sorry, stock at ${store} changed just now:\n${lines.join('\n')}\nNothing has been charged.`
      : `Maaf, stok di ${store} baru saja berubah:\n${lines.join('\n')}\nBelum ada pembayaran apa pun.`,
  soldOutLine: (lang: Lang, name: string, requested: number, available: number) =>
    available > 0
      ? lang === 'en'
        ? `• ${name}: only ${available} left (you asked for ${requested})`
        : `• ${name}: tinggal ${available} (kakak minta ${requested})`
      : lang === 'en'
        ? `• ${name}: sold out`
        : `• ${name}: habis`,
};

/** The `catalog.reserve` job: holds the order's items at the client and moves the order on. */
export function clientHoldJob(ctx: AppContext) {
  return async (job: Job): Promise<void> => {
    const orderId: string = job.payload.orderId;
    const order = await getOrder(ctx.db, orderId);
    if (!order || order.status !== 'awaiting_confirmation') return;
    const lines = (await getItems(ctx.db, orderId)).map((i) => ({ sku: i.sku, quantity: i.quantity }));
    const connector = ctx.connectors.get(order.catalog_id);
    let result: ReserveResult | undefined;
    let failure: string | undefined;
    if (!connector) failure = 'no connector for the catalog';
    else {
      const expiresAt = new Date(Date.now() + (ctx.config.payments.expiryMinutes + 5) * 60_000);
      try {
        result = await connector.reserve(orderId, lines, expiresAt);
      } catch (err) {
        failure = (err as Error).message;
        ctx.logger.warn({ order: orderId, catalog: order.catalog_id, err: failure }, 'client hold failed');
      }
    }
    await ctx.db.tx(async (tx) => {
      const o = await getOrder(tx, orderId, true);
      if (!o) return;
      const now = (await getItems(tx, orderId)).map((i) => `${i.sku}:${i.quantity}`).sort().join(',');
      const asked = lines.map((l) => `${l.sku}:${l.quantity}`).sort().join(',');
      if (o.status !== 'awaiting_confirmation' || now !== asked) {
        // The cart changed or the order ended while the client answered: that hold serves nothing.
        if (result?.ok && ['cart', 'cancelled', 'expired'].includes(o.status)) await enqueue(tx, 'catalog.release', { orderId });
        return;
      }
      const to = await recipientForOrder(tx, orderId);
      const store = (await getCatalog(tx, o.catalog_id))?.name ?? o.catalog_id;
      if (failure !== undefined || !result) {
        await addEvent(tx, orderId, 'client_hold_failed', { error: (failure ?? 'unknown').slice(0, 500) });
        await queueMessages(tx, to, [{ type: 'text', text: HT.unreachable(to.lang, store) }, ...(await summary(tx, o, to.lang))], orderId);
        return;
      }
      if (!result.ok) {
        const items = await getItems(tx, orderId);
        const report: string[] = [];
        for (const s of result.shortages) {
          const item = items.find((i) => i.sku === s.sku);
          report.push(HT.soldOutLine(to.lang, item?.name ?? s.sku, s.requested, s.available));
          // Keep what can still be bought; the customer confirms again.
          if (s.available > 0) await tx.query('UPDATE order_items SET quantity = $3, line_total = unit_price * $3 WHERE order_id = $1 AND sku = $2', [orderId, s.sku, s.available]);
          else await tx.query('DELETE FROM order_items WHERE order_id = $1 AND sku = $2', [orderId, s.sku]);
        }
        await recomputeTotals(tx, orderId);
        await addEvent(tx, orderId, 'stock_short', { at: 'client', shortages: result.shortages });
        const back = await transition(tx, o, 'cart', 'cart_edited', { reason: 'sold out at client' });
        await queueMessages(tx, to, [{ type: 'text', text: HT.soldOut(to.lang, store, report) }, ...(await summary(tx, back, to.lang))], orderId);
        return;
      }
      await addEvent(tx, orderId, 'stock_reserved', { at: 'client', lines });
      const messages: OutgoingMessage[] = [];
      if (o.needs_prescription) {
        await transition(tx, o, 'awaiting_prescription', 'confirmed');
        messages.push({ type: 'text', text: T.askPrescription(to.lang) });
      } else {
        const moved = await transition(tx, o, 'awaiting_payment', 'confirmed');
        // A place the customer shared while shopping is used now rather than asked for again.
        // (Read without a lock: the conversation forgets the place itself once the order has it.)
        const conv = await tx.one<{ state: ConversationState }>('SELECT state FROM conversations WHERE id = $1', [to.conversationId]);
        const placed = await placeForConfirmedOrder(tx, moved, conv?.state?.place, to.lang);
        messages.push(...placed.messages);
      }
      await queueMessages(tx, to, messages, orderId);
      // Stock is held only so long: an order that never gets paid gives its units back.
      await enqueue(tx, 'order.expire_check', { orderId }, { delayMs: ctx.config.payments.expiryMinutes * 60_000 + 60_000 });
    });
    ctx.jobs.kick();
  };
}

/** The cart summary with its buttons again (or "cart empty"), moving a cart to awaiting_confirmation. */
async function summary(tx: import('../db/index.js').Queryable, order: OrderRow, lang: Lang): Promise<OutgoingMessage[]> {
  const items = await getItems(tx, order.id);
  if (items.length === 0) return [{ type: 'text', text: T.cartEmpty(lang) }];
  const subtotal = items.reduce((s, i) => s + i.line_total, 0);
  if (order.status === 'cart') await transition(tx, order, 'awaiting_confirmation', 'summary_sent', { subtotal });
  return [cartSummaryMessage(lang, items, subtotal)];
}
