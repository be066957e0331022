// The delivery domain: quoting before payment, booking after it, fallback to the next courier when
// no driver comes, the manual courier (inDrive, Maxim, the shop's own) and what the customer is told.
import { cleanDeep } from '../shared/sanitize.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext, MerchantRow } from '../context.js';
import type { Queryable } from '../db/index.js';
import { RetryLater, type Job } from '../jobs/runner.js';
import { OutcomeUnknownError } from '../shared/http.js';
import { enqueue } from '../jobs/queue.js';
import { addEvent, getItems, getOrder, transition, type OrderRow } from '../orders/repo.js';
import { queueMessages, recipientForOrder } from '../conversation/outbox.js';
import { T } from '../conversation/texts.js';
import { afterQuote } from '../conversation/actions/payment.js';
import { deliveryFailedAfterPickup } from './messages.js';
import type { Courier, CourierId, CourierUpdate, DeliveryStatus, Place, Quote } from './port.js';
import { merchantCandidate, providerCandidates, servesMerchant } from '../providers.js';

export interface DeliveryRow {
  id: number;
  order_id: string;
  courier: CourierId;
  status: DeliveryStatus | 'awaiting_dispatch';
  external_id: string | null;
  fee: number | null;
  driver_name: string | null;
  driver_phone: string | null;
  vehicle_plate: string | null;
  driver_photo_url: string | null;
  tracking_url: string | null;
  provider: string | null;
}

const DEFAULT_MANUAL_FEE = 15_000;
const FINISHED: string[] = ['delivered', 'cancelled', 'failed', 'no_driver', 'returned'];

function courierOrder(ctx: AppContext, merchant: MerchantRow): CourierId[] {
  const list = merchant.settings?.couriers ?? ctx.config.couriers;
  return list.filter((c) => c === 'manual' || ctx.couriers.has(c));
}

async function placesFor(q: Queryable, order: OrderRow, merchant: MerchantRow) {
  const customer = await q.one<{ name: string | null; wa_id: string }>('SELECT name, wa_id FROM customers WHERE id = $1', [order.customer_id]);
  const origin: Place = {
    lat: merchant.lat ?? 0,
    lng: merchant.lng ?? 0,
    address: merchant.address,
    contactName: merchant.name,
    contactPhone: merchant.phone,
  };
  const destination: Place = {
    lat: order.delivery_lat ?? 0,
    lng: order.delivery_lng ?? 0,
    address: order.delivery_address ?? `${order.delivery_lat},${order.delivery_lng}`,
    contactName: customer?.name ?? 'Pelanggan',
    contactPhone: customer?.wa_id ?? '',
  };
  const items = (await getItems(q, order.id)).map((i) => ({ name: i.name, quantity: i.quantity, price: i.unit_price }));
  return { origin, destination, items };
}

export function deliveryJobs(ctx: AppContext): Record<string, (job: Job) => Promise<void>> {
  return {
    'delivery.quote': (job) => quoteOrder(ctx, job.payload.orderId),
    'delivery.book': (job) => bookNext(ctx, job.payload.orderId),
    'delivery.webhook': (job) => processCourierEvent(ctx, job.payload.eventId),
    'delivery.cancel': (job) => cancelDelivery(ctx, job.payload.deliveryId),
    'delivery.allocation_check': (job) => allocationCheck(ctx, job.payload.deliveryId),
    'delivery.poll': (job) => pollDelivery(ctx, job.payload.deliveryId),
  };
}

/** Quotes every configured courier; the fee shown to the customer is the one that will be booked. */
async function quoteOrder(ctx: AppContext, orderId: string): Promise<void> {
  const order = await getOrder(ctx.db, orderId);
  // A typed address without a pin is quoted too: only the shop's own courier can go by an address.
  if (!order || order.status !== 'awaiting_payment' || (order.delivery_lat === null && !order.delivery_address)) return;
  const merchant = (await ctx.db.one<MerchantRow>('SELECT * FROM merchants WHERE id = $1', [order.merchant_id]))!;
  if (order.delivery_lat === null && !courierOrder(ctx, merchant).includes('manual')) {
    // No courier of this shop goes by an address alone: the pin is needed after all.
    const to = await recipientForOrder(ctx.db, orderId);
    await ctx.db.tx((tx) => queueMessages(tx, to, [{ type: 'location_request', body: T.pinNeeded(to.lang) }], orderId));
    return;
  }
  const { origin, destination, items } = await placesFor(ctx.db, order, merchant);
  const quotes: Quote[] = [];
  for (const id of courierOrder(ctx, merchant)) {
    if (id === 'manual' || order.delivery_lat === null) continue;
    const courier = ctx.couriers.get(id)!;
    try {
      const q = await courier.quote({ origin, destination, items });
      if (q) quotes.push(q);
    } catch (err) {
      ctx.logger.warn({ courier: id, err: (err as Error).message }, 'courier quote failed');
    }
  }
  const preferred = merchant.settings?.preferred_courier;
  const chosen =
    quotes.find((q) => q.courier === preferred) ??
    [...quotes].sort((a, b) => a.fee - b.fee)[0] ??
    ({ courier: 'manual', fee: merchant.settings?.manual_delivery_fee ?? DEFAULT_MANUAL_FEE, serviceType: 'manual' } as Quote);
  await ctx.db.tx(async (tx) => {
    const o = await getOrder(tx, orderId, true);
    if (!o || o.status !== 'awaiting_payment' || o.delivery_lat !== order.delivery_lat || o.delivery_lng !== order.delivery_lng) return;
    const quote = { courier: chosen.courier, fee: chosen.fee, service_type: chosen.serviceType, distance_km: chosen.distanceKm ?? null, quotes: quotes.map((q) => ({ courier: q.courier, fee: q.fee })) };
    const updated = await tx.one<OrderRow>(
      `UPDATE orders SET quote = $2, courier = $3, delivery_fee = $4, total = subtotal + $4, updated_at = now() WHERE id = $1 RETURNING *`,
      [orderId, JSON.stringify(quote), chosen.courier, chosen.fee],
    );
    await addEvent(tx, orderId, 'delivery_quoted', quote);
    const to = await recipientForOrder(tx, orderId);
    await queueMessages(tx, to, await afterQuote(tx, updated!, to.lang), orderId);
  });
}

/** Books the next courier that has not been tried for this order; the manual courier comes last. */
async function bookNext(ctx: AppContext, orderId: string): Promise<void> {
  const order = await getOrder(ctx.db, orderId);
  if (!order || !BOOKABLE.includes(order.status)) return;
  if (await liveDelivery(ctx.db, orderId)) return; // a booking is live: replays of this job change nothing
  const merchant = (await ctx.db.one<MerchantRow>('SELECT * FROM merchants WHERE id = $1', [order.merchant_id]))!;
  const tried = new Set((await ctx.db.query<{ courier: string }>('SELECT courier FROM deliveries WHERE order_id = $1', [orderId])).map((r) => r.courier));
  const preference = courierOrder(ctx, merchant);
  // The quoted courier first (its fee is what the customer paid), then the rest in preference order.
  // Without a pin no API courier can be booked: the order goes to the shop's own courier.
  const candidates = order.delivery_lat === null ? [] : [order.courier as CourierId, ...preference].filter((c, i, a) => c && a.indexOf(c) === i && !tried.has(c) && c !== 'manual');
  const { origin, destination, items } = await placesFor(ctx.db, order, merchant);
  for (const id of candidates) {
    const courier = ctx.couriers.get(id);
    if (!courier) continue;
    try {
      const quote = (await courier.quote({ origin, destination, items }).catch(() => null)) ?? { courier: id, fee: order.delivery_fee, serviceType: 'instant' };
      // After an unconfirmed attempt the courier may hold a booking already: the adapter looks first.
      const unconfirmed = !!(await ctx.db.one(`SELECT 1 FROM order_events WHERE order_id = $1 AND type = 'courier_booking_unconfirmed' AND data->>'courier' = $2`, [orderId, id]));
      // The intent is committed before the call: an earlier attempt that died after the courier answered
      // (the instance killed before the booking below was saved) makes this one look up first too.
      const earlierAttempt = await recordBookingIntent(ctx.db, orderId, id);
      const booking = await courier.book({ orderId, origin, destination, items, quote, lookupFirst: unconfirmed || earlierAttempt });
      const kept = await ctx.db.tx(async (tx) => {
        const o = (await getOrder(tx, orderId, true))!;
        // Cancelled while we were booking, or another run booked first: this booking is not needed.
        const live = await liveDelivery(tx, orderId);
        // The booking an earlier attempt saved already (found again by the lookup): keep it, cancel nothing.
        if (live && live.courier === id && live.external_id === booking.externalId) return 'same';
        if (!BOOKABLE.includes(o.status) || live) return false;
        const d = await tx.one<{ id: number }>(
          `INSERT INTO deliveries (order_id, courier, status, external_id, fee, tracking_url, raw) VALUES ($1, $2, 'finding_driver', $3, $4, $5, $6) RETURNING id`,
          [orderId, id, booking.externalId, booking.fee ?? quote.fee, booking.trackingUrl ?? null, JSON.stringify(booking.raw ?? null)],
        );
        // The customer paid the quoted fee; a courier price that moved since is the merchant's to absorb.
        const diff = (booking.fee ?? quote.fee) - o.delivery_fee;
        await addEvent(tx, orderId, 'courier_booked', { courier: id, external_id: booking.externalId, fee: booking.fee ?? quote.fee, fee_difference_absorbed: diff });
        await tx.query('UPDATE courier_booking_intents SET external_id = $3, updated_at = now() WHERE order_id = $1 AND courier = $2', [orderId, id, booking.externalId]);
        if (o.status === 'paid') await transition(tx, o, 'dispatching', 'dispatching', { courier: id });
        else if (o.status === 'driver_assigned') await transition(tx, o, 'dispatching', 'courier_changed', { courier: id });
        const to = await recipientForOrder(tx, orderId);
        if (tried.size === 0) await queueMessages(tx, to, [{ type: 'text', text: T.findingDriver(to.lang, courierName(id)) }], orderId);
        else await tellStillLooking(tx, orderId);
        await enqueue(tx, 'delivery.allocation_check', { deliveryId: d!.id }, { delayMs: ctx.config.courierAllocationTimeoutSeconds * 1000 });
        await enqueue(tx, 'delivery.poll', { deliveryId: d!.id }, { delayMs: ctx.config.courierPollSeconds * 1000 });
        return true;
      });
      if (kept === false) {
        await courier.cancel(booking.externalId).catch((err) => ctx.logger.warn({ courier: id, order: orderId, err: (err as Error).message }, 'unneeded booking not cancelled'));
      }
      return;
    } catch (err) {
      if (err instanceof OutcomeUnknownError) {
        // The courier may hold a booking we could not confirm: booking the next courier now could send
        // two drivers. Try this courier again later; its adapter looks the booking up before booking.
        ctx.logger.warn({ courier: id, order: orderId, err: err.message }, 'courier booking outcome unknown; retrying later');
        await addEvent(ctx.db, orderId, 'courier_booking_unconfirmed', { courier: id, error: err.message });
        throw new RetryLater(ctx.config.courierPollSeconds * 1000, 'courier booking outcome unknown');
      }
      ctx.logger.warn({ courier: id, order: orderId, err: (err as Error).message }, 'courier booking failed');
      await ctx.db.tx(async (tx) => {
        await tx.query(`INSERT INTO deliveries (order_id, courier, status, raw) VALUES ($1, $2, 'failed', $3)`, [orderId, id, JSON.stringify({ error: (err as Error).message })]);
        await addEvent(tx, orderId, 'courier_booking_failed', { courier: id, error: (err as Error).message });
      });
      tried.add(id);
    }
  }
  if (preference.includes('manual')) await requestManualDispatch(ctx, orderId, tried.size > 0);
  else await failNoCourier(ctx, orderId);
}

/**
 * Records (committed, before the courier is called) that pesan is about to book `courier` for the order
 * under its own reference, the order id. True when an earlier attempt did so already.
 */
async function recordBookingIntent(db: Queryable, orderId: string, courier: CourierId): Promise<boolean> {
  const row = await db.one<{ attempts: number }>(
    `INSERT INTO courier_booking_intents (order_id, courier, reference) VALUES ($1, $2, $1)
     ON CONFLICT (order_id, courier) DO UPDATE SET attempts = courier_booking_intents.attempts + 1, updated_at = now()
     RETURNING attempts`,
    [orderId, courier],
  );
  return (row?.attempts ?? 1) > 1;
}

const BOOKABLE: OrderRow['status'][] = ['paid', 'dispatching', 'driver_assigned'];

function liveDelivery(q: Queryable, orderId: string) {
  return q.one<DeliveryRow>(`SELECT * FROM deliveries WHERE order_id = $1 AND status NOT IN ('cancelled', 'failed', 'no_driver', 'returned') ORDER BY id DESC LIMIT 1`, [orderId]);
}

/** "Still looking for a driver" is said once per order, however many couriers are tried after the first. */
async function tellStillLooking(tx: Queryable, orderId: string): Promise<void> {
  const told = await tx.one(`SELECT 1 FROM order_events WHERE order_id = $1 AND type = 'customer_told_still_looking'`, [orderId]);
  if (told) return;
  await addEvent(tx, orderId, 'customer_told_still_looking');
  const to = await recipientForOrder(tx, orderId);
  await queueMessages(tx, to, [{ type: 'text', text: T.stillLooking(to.lang) }], orderId);
}

/** No API courier left: the merchant books inDrive/Maxim (or its own rider) and records it. */
async function requestManualDispatch(ctx: AppContext, orderId: string, afterFallback: boolean): Promise<void> {
  await ctx.db.tx(async (tx) => {
    const o = (await getOrder(tx, orderId, true))!;
    if (!BOOKABLE.includes(o.status)) return;
    const existing = await tx.one(`SELECT 1 FROM deliveries WHERE order_id = $1 AND courier = 'manual' AND status NOT IN ('cancelled', 'failed')`, [orderId]);
    if (existing) return;
    await tx.query(`INSERT INTO deliveries (order_id, courier, status) VALUES ($1, 'manual', 'awaiting_dispatch')`, [orderId]);
    if (o.status === 'paid') await transition(tx, o, 'dispatching', 'dispatching', { courier: 'manual' });
    else if (o.status === 'driver_assigned') await transition(tx, o, 'dispatching', 'courier_changed', { courier: 'manual' });
    await addEvent(tx, orderId, 'manual_dispatch_required', { after_fallback: afterFallback });
    await enqueue(tx, 'merchant.alert', { merchantId: o.merchant_id, kind: 'manual_dispatch', orderId });
    if (afterFallback) await tellStillLooking(tx, orderId);
    else {
      const to = await recipientForOrder(tx, orderId);
      await queueMessages(tx, to, [{ type: 'text', text: T.findingDriver(to.lang, 'manual') }], orderId);
    }
  });
  ctx.jobs.kick();
}

/** Every courier was tried and none is left (no manual courier configured): the order cannot be delivered. */
async function failNoCourier(ctx: AppContext, orderId: string): Promise<void> {
  await ctx.db.tx(async (tx) => {
    const o = (await getOrder(tx, orderId, true))!;
    if (o.status !== 'dispatching' && o.status !== 'driver_assigned' && o.status !== 'paid') return;
    let order = o;
    if (order.status === 'paid') order = await transition(tx, order, 'dispatching', 'dispatching', { courier: null });
    await transition(tx, order, 'delivery_failed', 'no_courier_left');
    await addEvent(tx, orderId, 'refund_path', { reason: 'no_driver', refund_amount: order.total, note: 'no courier found a driver; the goods never left the store: refund the customer in full or deliver by other means' });
    await enqueue(tx, 'merchant.alert', { merchantId: order.merchant_id, kind: 'delivery_failed', orderId });
    const to = await recipientForOrder(tx, orderId);
    await queueMessages(tx, to, [{ type: 'text', text: T.deliveryFailed(to.lang) }], orderId);
  });
  ctx.jobs.kick();
}

export function courierName(id: string): string {
  return ({ gosend: 'GoSend', grab: 'GrabExpress', manual: 'kurir', indrive: 'inDrive', maxim: 'Maxim' } as Record<string, string>)[id] ?? id;
}

/**
 * The booked courier found no driver in time: cancel it there and book the next one. When the
 * cancel is refused, the booking may well be alive (a driver took it at that moment): its status
 * decides, and until a status says the booking is over, no second courier is booked.
 */
async function allocationCheck(ctx: AppContext, deliveryId: number): Promise<void> {
  const d = await ctx.db.one<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1', [deliveryId]);
  if (!d || d.status !== 'finding_driver' || !d.external_id || d.courier === 'manual') return;
  const courier = ctx.couriers.get(d.courier);
  if (!courier) return;
  const timedOut = await ctx.db.one(`SELECT 1 FROM order_events WHERE order_id = $1 AND type = 'courier_allocation_timeout' AND data->>'external_id' = $2`, [d.order_id, d.external_id]);
  if (!timedOut) {
    await addEvent(ctx.db, d.order_id, 'courier_allocation_timeout', { courier: d.courier, external_id: d.external_id, after_seconds: ctx.config.courierAllocationTimeoutSeconds });
  }
  try {
    await courier.cancel(d.external_id);
  } catch (err) {
    const now = await courier.status(d.external_id).catch((e: Error) => {
      ctx.logger.warn({ courier: d.courier, delivery: d.id, err: e.message }, 'courier status not readable after a refused cancel');
      return undefined;
    });
    if (now && now.status !== 'finding_driver') {
      await addEvent(ctx.db, d.order_id, 'courier_cancel_refused', { courier: d.courier, external_id: d.external_id, provider_status: now.providerStatus, error: (err as Error).message });
      await applyUpdate(ctx, d, { ...now, eventKey: `poll:${d.id}:${now.providerStatus}` });
      return;
    }
    // Still looking, or unknown: the booking is not known to be over, so look again shortly.
    ctx.logger.warn({ courier: d.courier, delivery: d.id, err: (err as Error).message }, 'courier not cancelled after allocation timeout; checking again');
    throw new RetryLater(ctx.config.courierPollSeconds * 1000, 'booking neither cancelled nor allocated');
  }
  await applyUpdate(ctx, d, { eventKey: `timeout:${d.id}`, externalId: d.external_id, status: 'no_driver', providerStatus: 'allocation_timeout' });
}

/**
 * Webhooks get lost (a courier's retries run out, a proxy drops them, the URL was never registered).
 * A live delivery the courier has said nothing about for COURIER_POLL_SECONDS is read through the
 * courier's status API and moved on from what it says; then it is looked at again, until it is over.
 */
async function pollDelivery(ctx: AppContext, deliveryId: number): Promise<void> {
  const d = await ctx.db.one<DeliveryRow & { quiet_ms: number }>(
    `SELECT *, (EXTRACT(EPOCH FROM (now() - COALESCE(last_event_at, created_at))) * 1000)::float8 AS quiet_ms FROM deliveries WHERE id = $1`,
    [deliveryId],
  );
  if (!d || FINISHED.includes(d.status) || !d.external_id || d.courier === 'manual') return;
  const courier = ctx.couriers.get(d.courier);
  if (!courier) return;
  const windowMs = ctx.config.courierPollSeconds * 1000;
  const polled = Number(d.quiet_ms) >= windowMs;
  if (polled) {
    try {
      const now = await courier.status(d.external_id);
      await ctx.db.query('UPDATE deliveries SET last_event_at = now() WHERE id = $1', [d.id]);
      const changed = await applyUpdate(ctx, d, { ...now, eventKey: `poll:${d.id}:${now.providerStatus}` });
      if (changed) await addEvent(ctx.db, d.order_id, 'courier_polled', { courier: d.courier, external_id: d.external_id, provider_status: now.providerStatus, status: now.status });
    } catch (err) {
      ctx.logger.warn({ courier: d.courier, delivery: d.id, err: (err as Error).message }, 'courier status poll failed');
    }
  }
  const after = await ctx.db.one<{ status: string; quiet_ms: number }>(
    `SELECT status, (EXTRACT(EPOCH FROM (now() - COALESCE(last_event_at, created_at))) * 1000)::float8 AS quiet_ms FROM deliveries WHERE id = $1`,
    [d.id],
  );
  if (!after || FINISHED.includes(after.status)) return;
  // Next look: a full window after a poll (also a failed one); else when the quiet time will have reached it.
  const delayMs = polled ? windowMs : Math.max(250, windowMs - Number(after.quiet_ms));
  await enqueue(ctx.db, 'delivery.poll', { deliveryId: d.id }, { delayMs });
}

async function cancelDelivery(ctx: AppContext, deliveryId: number): Promise<void> {
  const d = await ctx.db.one<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1', [deliveryId]);
  if (!d || FINISHED.includes(d.status)) return;
  if (d.external_id && d.courier !== 'manual') await ctx.couriers.get(d.courier)?.cancel(d.external_id);
  await ctx.db.tx(async (tx) => {
    await tx.query(`UPDATE deliveries SET status = 'cancelled', updated_at = now() WHERE id = $1`, [d.id]);
    await addEvent(tx, d.order_id, 'courier_cancelled', { courier: d.courier, external_id: d.external_id });
  });
}

async function processCourierEvent(ctx: AppContext, eventId: number): Promise<void> {
  const ev = await ctx.db.one<{ id: number; provider: CourierId; payload: any; processed_at: Date | null }>('SELECT * FROM webhook_events WHERE id = $1', [eventId]);
  if (!ev || ev.processed_at) return;
  const update = ev.payload.update as CourierUpdate;
  const d = await ctx.db.one<DeliveryRow>('SELECT * FROM deliveries WHERE courier = $1 AND external_id = $2', [ev.provider, update.externalId]);
  // A courier may call back before its booking answer reached us and was recorded: look again shortly.
  if (!d && (await ctx.db.one(`SELECT 1 FROM webhook_events WHERE id = $1 AND received_at > now() - interval '2 minutes'`, [eventId]))) {
    throw new RetryLater(500, 'booking not recorded yet');
  }
  // Every courier event lands on the timeline, also those that change nothing (late or out of order).
  if (d && !(await applyUpdate(ctx, d, update))) {
    await addEvent(ctx.db, d.order_id, 'courier_event_no_change', { courier: d.courier, status: update.status, provider_status: update.providerStatus });
  }
  await ctx.db.query(`UPDATE webhook_events SET processed_at = now(), error = $2 WHERE id = $1`, [eventId, d ? null : 'unknown booking']);
}

const PROGRESS: Record<string, number> = {
  awaiting_dispatch: 0,
  finding_driver: 1,
  driver_assigned: 2,
  picking_up: 3,
  picked_up: 4,
  in_delivery: 5,
  arriving: 6,
  delivered: 7,
};

/** Applies one courier status to the delivery, the order and the customer's chat. Replays change nothing. */
export async function applyUpdate(ctx: AppContext, delivery: DeliveryRow, u: CourierUpdate): Promise<boolean> {
  let fallback = false;
  const changed = await ctx.db.tx(async (tx) => {
    const d = (await tx.one<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1 FOR UPDATE', [delivery.id]))!;
    if (FINISHED.includes(d.status)) return false;
    const forward = PROGRESS[u.status] !== undefined && PROGRESS[u.status] > (PROGRESS[d.status] ?? -1);
    const terminal = ['no_driver', 'cancelled', 'failed', 'returned'].includes(u.status);
    const driverChanged = !!u.driver?.name && u.driver.name !== d.driver_name;
    if (!forward && !terminal && !driverChanged) return false;
    await tx.query(
      `UPDATE deliveries SET status = $2, driver_name = COALESCE($3, driver_name), driver_phone = COALESCE($4, driver_phone),
         vehicle_plate = COALESCE($5, vehicle_plate), driver_photo_url = COALESCE($6, driver_photo_url), tracking_url = COALESCE($7, tracking_url), updated_at = now()
       WHERE id = $1`,
      [d.id, forward || terminal ? u.status : d.status, u.driver?.name ?? null, u.driver?.phone ?? null, u.driver?.plate ?? null, u.driver?.photoUrl ?? null, u.trackingUrl ?? null],
    );
    let order = (await getOrder(tx, d.order_id, true))!;
    await addEvent(tx, order.id, 'courier_status', { courier: d.courier, status: u.status, provider_status: u.providerStatus, driver: u.driver ?? null });
    // An order that is over (cancelled, completed, failed) keeps its status; the event is on record.
    if (!['dispatching', 'driver_assigned', 'picked_up', 'delivered'].includes(order.status)) return true;
    const to = await recipientForOrder(tx, order.id);
    const say = (text: string) => queueMessages(tx, to, [{ type: 'text', text }], order.id);
    const step = async (target: OrderRow['status'], reason: string) => {
      if (order.status !== target) order = await transition(tx, order, target, reason, { courier: d.courier });
    };
    const pickedUpAlready = (PROGRESS[d.status] ?? 0) >= PROGRESS.picked_up;
    switch (u.status) {
      case 'driver_assigned': {
        if (order.status === 'dispatching') await step('driver_assigned', 'driver_assigned');
        const fresh = (await tx.one<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1', [d.id]))!;
        await say(T.driverAssigned(to.lang, { courier: courierName(d.provider ?? d.courier), name: fresh.driver_name, phone: fresh.driver_phone, plate: fresh.vehicle_plate, url: fresh.tracking_url }));
        return true;
      }
      case 'picking_up':
        if (order.status === 'dispatching') await step('driver_assigned', 'driver_assigned');
        await say(T.driverToStore(to.lang));
        return true;
      case 'picked_up':
      case 'in_delivery':
      case 'arriving':
        if (order.status === 'dispatching') await step('driver_assigned', 'driver_assigned');
        if (order.status === 'driver_assigned') {
          await step('picked_up', 'picked_up');
          await say(T.pickedUp(to.lang));
        }
        if (u.status !== 'picked_up') await say(T.onTheWay(to.lang, u.trackingUrl ?? d.tracking_url));
        return true;
      case 'delivered':
        if (order.status === 'dispatching') await step('driver_assigned', 'driver_assigned');
        if (order.status === 'driver_assigned') await step('picked_up', 'picked_up');
        await step('delivered', 'delivered');
        await step('completed', 'completed');
        await tx.query('UPDATE conversations SET active_order_id = NULL WHERE active_order_id = $1', [order.id]);
        await say(T.delivered(to.lang, order.id));
        return true;
      case 'on_hold':
        return true;
      default:
        // no_driver / cancelled / failed / returned
        if (pickedUpAlready || order.status === 'picked_up' || order.status === 'delivered') {
          // The goods left the store and did not arrive: nothing to rebook, the merchant sorts it out.
          await step('delivery_failed', 'delivery_failed');
          await addEvent(tx, order.id, 'refund_path', {
            reason: u.providerStatus,
            courier: d.courier,
            refund_amount: order.total,
            note: 'goods left the store and were not delivered: merchant contacts the customer to deliver again or refund in full',
          });
          await enqueue(tx, 'merchant.alert', { merchantId: order.merchant_id, kind: 'delivery_failed', orderId: order.id });
          await say(deliveryFailedAfterPickup(to.lang));
          return true;
        }
        fallback = true;
        return true;
    }
  });
  if (fallback) {
    // The manual courier's driver dropped out before pickup: the merchant books another one.
    if (delivery.courier === 'manual') await requestManualDispatch(ctx, delivery.order_id, true);
    else {
      await enqueue(ctx.db, 'delivery.book', { orderId: delivery.order_id });
      ctx.jobs.kick();
    }
  }
  return changed;
}

/** Courier webhooks: verify the token (of the merchant whose booking it names), store each update once, answer 200. */
export function courierWebhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  for (const id of ['gosend', 'grab'] as CourierId[]) {
    app.post(`/webhooks/${id}`, (req, reply) => handleCourierWebhook(ctx, id, req, reply));
    // A merchant's own webhook URL: only that merchant's courier account is tried.
    app.post(`/webhooks/${id}/m/:merchant`, (req, reply) => handleCourierWebhook(ctx, id, req, reply, (req.params as { merchant: string }).merchant));
  }
}

async function handleCourierWebhook(ctx: AppContext, id: CourierId, req: FastifyRequest, reply: FastifyReply, onlyMerchant?: string) {
  const candidates = onlyMerchant ? await merchantCandidate(ctx, 'couriers', id, onlyMerchant) : await providerCandidates(ctx, 'couriers', id);
  if (candidates.length === 0) return reply.code(404).send({ error: `${id} is not configured` });
  let verdict: ReturnType<Courier['verifyWebhook']> | undefined;
  let courier: Courier = candidates[0].adapter;
  for (const c of candidates) {
    const v = c.adapter.verifyWebhook({ rawBody: req.rawBody ?? Buffer.alloc(0), headers: req.headers });
    if (v.ok || !verdict) {
      verdict = v;
      courier = c.adapter;
    }
    if (v.ok) break;
  }
  if (!verdict!.ok) return reply.code(verdict!.status).send({ error: verdict!.reason });
  // The booking's merchant must be the one whose courier account verified the update.
  for (const u of verdict!.updates) {
    const d = await ctx.db.one<{ merchant_id: string }>('SELECT o.merchant_id FROM deliveries d JOIN orders o ON o.id = d.order_id WHERE d.courier = $1 AND d.external_id = $2', [id, u.externalId]);
    if (d && !(await servesMerchant(ctx, 'couriers', id, courier, d.merchant_id))) {
      ctx.logger.warn({ courier: id, merchant: d.merchant_id }, "courier update refused: not signed with the booking's merchant's token");
      return reply.code(401).send({ error: 'invalid token' });
    }
  }
  const fresh = await ctx.db.tx(async (tx) => {
    let n = 0;
    for (const update of cleanDeep(verdict!.updates)) {
      const row = await tx.one<{ id: number }>(
        `INSERT INTO webhook_events (provider, event_key, payload) VALUES ($1, $2, $3) ON CONFLICT (provider, event_key) DO NOTHING RETURNING id`,
        [courier.id, update.eventKey, JSON.stringify({ update })],
      );
      // Any word from the courier (a replay too) resets the quiet time after which pesan polls.
      await tx.query('UPDATE deliveries SET last_event_at = now() WHERE courier = $1 AND external_id = $2', [courier.id, update.externalId]);
      if (row) {
        await enqueue(tx, 'delivery.webhook', { eventId: row.id });
        n++;
      }
    }
    return n;
  });
  if (fresh > 0) ctx.jobs.kick();
  return reply.code(200).send({ ok: true });
}
