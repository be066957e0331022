// Delivery end to end, driven through the chat and the admin API: GrabExpress as the booked courier,
// the manual courier (inDrive/Maxim booked by the merchant), fallback when no driver comes,
// cancellation before and after pickup, and a delivery that fails after pickup.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KINDS } from '../helpers/db.js';
import { eventsOf, simBookings, postPath, waitOrder, orderDetail, stockOf, sleep, startPesan, textOf, type Customer, type Pesan } from '../helpers/pesan.js';

const simMode = async (p: Pesan, courier: 'gosend' | 'grab', mode: string) => assert.equal((await postPath(p, `/sandbox/${courier}/_sim/mode`, { mode })).status, 200);
const simBooking = async (p: Pesan, courier: 'gosend' | 'grab', orderId: string) =>
  (await simBookings(p, courier)).filter((b) => (b.storeOrderId ?? b.merchantOrderID) === orderId);

/** Orders two strips of paracetamol, shares a location, pays by QRIS; returns the order id and the fee shown. */
async function orderAndPay(p: Pesan, c: Customer, courierLabel: string, beforePay?: () => Promise<void>): Promise<{ orderId: string; fee: number; total: number }> {
  await c.say('paracetamol 2');
  await c.waitFor((_m, t) => t.includes('Subtotal'), 'summary');
  await c.mark();
  await c.tap('confirm', 'Ya, pesan');
  await c.waitFor((m) => m.message.interactive?.type === 'location_request_message', 'location request');
  await c.mark();
  await c.shareLocation(-6.2425, 106.8412, 'Jl. Bangka Raya 12, Mampang');
  const totalMsg = textOf(await c.waitFor((_m, t) => t.includes('Total:'), 'total with delivery fee'));
  const m = new RegExp(`Ongkir \\(${courierLabel}\\): Rp ([\\d.]+)`).exec(totalMsg);
  assert.ok(m, `fee quoted by ${courierLabel}:\n${totalMsg}`);
  const fee = Number(m[1].replace(/\./g, ''));
  await c.mark();
  await c.tap('pay:qris', 'QRIS');
  await c.waitFor((msg) => msg.message.type === 'image', 'QRIS image');
  await c.mark();
  await beforePay?.();
  const paid = await postPath(p, '/sandbox/pay', { wa_id: c.waId });
  assert.equal(paid.status, 200);
  await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
  const orderId = (await p.api('GET', '/api/v1/orders')).body.orders.find((o: any) => o.customer.wa_id === c.waId).id as string;
  return { orderId, fee, total: paid.body.amount };
}

const transitions = (o: any) => o.timeline.filter((e: any) => e.to_status).map((e: any) => e.to_status);
const count = (texts: string[], needle: string) => texts.filter((t) => t.includes(needle)).length;

for (const dbKind of DB_KINDS) {
  describe(`GrabExpress as the booked courier, to Completed (${dbKind})`, () => {
    let p: Pesan;
    before(async () => {
      p = await startPesan({ db: dbKind, env: { COURIERS: 'grab,gosend,manual' } });
    });
    after(async () => {
      await p.stop();
      await p.dropDb();
    });

    it('quotes and books Grab, relays driver name, plate and tracking link, ends Completed; replays and forgeries change nothing', async () => {
      const c = p.customer('6281450000001');
      const { orderId, fee, total } = await orderAndPay(p, c, 'GrabExpress');
      await c.waitFor((_m, t) => t.includes('Sedang mencari driver GrabExpress'), 'looking for a Grab driver');
      const found = textOf(await c.waitFor((_m, t) => t.includes('Driver ditemukan (GrabExpress)'), 'driver found'));
      await c.waitFor((_m, t) => t.includes('menuju toko'), 'driver on the way to the store');
      await c.waitFor((_m, t) => t.includes('sudah diambil driver'), 'picked up');
      await c.waitFor((_m, t) => t.includes('dalam perjalanan ke lokasi'), 'on the way to the customer');
      const done = textOf(await c.waitFor((_m, t) => t.includes('sudah sampai'), 'delivered'));
      assert.match(done, /Terima kasih/);
      assert.ok(done.includes(orderId));

      const [booking] = await simBooking(p, 'grab', orderId);
      assert.equal(booking.status, 'COMPLETED');
      assert.ok(found.includes(booking.courier.name), `driver name in: ${found}`);
      assert.ok(found.includes(booking.courier.vehicle.licensePlate), `plate in: ${found}`);
      assert.ok(found.includes(`Lacak: ${booking.trackingURL}`), `tracking link in: ${found}`);
      assert.equal((await simBookings(p, 'gosend')).length, 0, 'GoSend was only asked for a quote');

      const o = await orderDetail(p, orderId);
      assert.equal(o.status, 'completed');
      assert.equal(o.total, total);
      assert.equal(o.delivery_fee, fee);
      assert.equal(o.delivery.courier, 'grab');
      assert.equal(o.delivery.status, 'delivered');
      assert.equal(o.delivery.vehicle_plate, booking.courier.vehicle.licensePlate);
      assert.deepEqual(transitions(o), ['cart', 'awaiting_confirmation', 'awaiting_payment', 'paid', 'dispatching', 'driver_assigned', 'picked_up', 'delivered', 'completed']);
      assert.deepEqual(eventsOf(o, 'delivery_quoted')[0].data.quotes.map((q: any) => q.courier).sort(), ['gosend', 'grab']);
      const booked = eventsOf(o, 'courier_booked');
      assert.equal(booked.length, 1);
      assert.equal(booked[0].data.courier, 'grab');
      assert.equal(booked[0].data.fee_difference_absorbed, booked[0].data.fee - fee);
      assert.deepEqual(
        eventsOf(o, 'courier_status').map((e: any) => e.data.provider_status),
        ['PENDING_PICKUP', 'PICKING_UP', 'PENDING_DROP_OFF', 'IN_DELIVERY', 'COMPLETED'],
      );
      assert.ok(eventsOf(o, 'courier_event_no_change').some((e: any) => e.data.provider_status === 'ALLOCATING'), 'the first ALLOCATING event is on the timeline too');

      // Grab resends its last webhook byte for byte: nothing changes.
      const textsBefore = await c.texts();
      const replay = await postPath(p, '/sandbox/grab/_sim/replay', { externalId: booking.deliveryID });
      assert.equal(replay.status, 200);
      // A forged "FAILED" for this delivery, with a wrong token, is refused.
      const forged = await fetch(`${p.base}/webhooks/grab`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-token' },
        body: JSON.stringify({ deliveryID: booking.deliveryID, merchantOrderID: orderId, status: 'FAILED', timestamp: Math.floor(Date.now() / 1000) + 5, driver: { name: 'X' } }),
      });
      assert.equal(forged.status, 401);
      await sleep(600);
      const after = await orderDetail(p, orderId);
      assert.equal(after.status, 'completed');
      assert.equal(after.timeline.length, o.timeline.length);
      assert.deepEqual(await c.texts(), textsBefore);
    });
  });
}

describe('manual courier (inDrive/Maxim booked by the merchant)', () => {
  const staff = '6281199990000';
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite', env: { COURIERS: 'manual', MERCHANT_STAFF_PHONE: staff } });
  });
  after(() => p.stop());

  it('alerts the merchant, relays the recorded driver, and completes through the admin API', async () => {
    const c = p.customer('6281450000002');
    const { orderId } = await orderAndPay(p, c, 'Kurir toko');
    const o = await waitOrder(p, orderId, (x) => x.status === 'dispatching' && eventsOf(x, 'manual_dispatch_required').length === 1, 'manual dispatch request');
    assert.equal(o.delivery.courier, 'manual');
    assert.equal(o.delivery.status, 'awaiting_dispatch');
    assert.equal(eventsOf(o, 'manual_dispatch_required')[0].data.after_fallback, false);
    await c.waitFor((_m, t) => t.includes('menyiapkan kurir'), 'arranging a driver');

    // The staff number gets a WhatsApp alert naming the order.
    let alert: any;
    for (let i = 0; i < 100 && !alert; i++) {
      const out = ((await (await fetch(`${p.base}/sandbox/meta/_sim/outbox?to=${staff}`)).json()) as any).messages;
      alert = out.find((m: any) => textOf(m).includes(orderId));
      if (!alert) await sleep(50);
    }
    assert.ok(alert, 'staff alerted on WhatsApp');
    assert.match(textOf(alert), /inDrive\/Maxim/);

    // Status before a driver is recorded is refused.
    assert.equal((await p.api('POST', `/api/v1/orders/${orderId}/delivery-status`, { status: 'picked_up' })).status, 409);
    assert.equal((await p.api('POST', `/api/v1/orders/${orderId}/dispatch`, { provider: 'gojek', driver_name: 'X', driver_phone: '0812345' })).status, 400);

    await c.mark();
    const dispatched = await p.api('POST', `/api/v1/orders/${orderId}/dispatch`, {
      provider: 'indrive',
      driver_name: 'Joko Susilo',
      driver_phone: '6281377778888',
      vehicle_plate: 'B 1234 XYZ',
      tracking_url: 'https://indrive.example/track/abc',
    });
    assert.equal(dispatched.status, 200);
    assert.equal(dispatched.body.status, 'driver_assigned');
    const found = textOf(await c.waitFor((_m, t) => t.includes('Driver ditemukan'), 'driver found'));
    assert.match(found, /Driver ditemukan \(inDrive\): Joko Susilo · B 1234 XYZ/);
    assert.match(found, /6281377778888/);
    assert.match(found, /Lacak: https:\/\/indrive\.example\/track\/abc/);
    // A second dispatch for an order that has its driver is refused.
    assert.equal((await p.api('POST', `/api/v1/orders/${orderId}/dispatch`, { provider: 'maxim', driver_name: 'Y', driver_phone: '628111' })).status, 409);

    await c.mark();
    const picked = await p.api('POST', `/api/v1/orders/${orderId}/delivery-status`, { status: 'picked_up' });
    assert.equal(picked.body.status, 'picked_up');
    await c.waitFor((_m, t) => t.includes('sudah diambil driver'), 'picked up');
    // Recorded twice by mistake: nothing changes, no second message.
    const again = await p.api('POST', `/api/v1/orders/${orderId}/delivery-status`, { status: 'picked_up' });
    assert.equal(again.body.status, 'picked_up');
    assert.equal(again.body.timeline.length, picked.body.timeline.length);

    const delivered = await p.api('POST', `/api/v1/orders/${orderId}/delivery-status`, { status: 'delivered' });
    assert.equal(delivered.body.status, 'completed');
    const done = textOf(await c.waitFor((_m, t) => t.includes('sudah sampai'), 'delivered'));
    assert.match(done, /Terima kasih/);
    const texts = await c.texts();
    assert.equal(count(texts, 'sudah diambil driver'), 1);
    assert.equal(count(texts, 'Masih mencari'), 0);

    const final = await orderDetail(p, orderId);
    assert.deepEqual(transitions(final), ['cart', 'awaiting_confirmation', 'awaiting_payment', 'paid', 'dispatching', 'driver_assigned', 'picked_up', 'delivered', 'completed']);
    assert.equal(final.delivery.provider, 'indrive');
    assert.equal(final.delivery.driver_name, 'Joko Susilo');
    assert.equal(eventsOf(final, 'manual_dispatch_recorded').length, 1);
    assert.deepEqual(eventsOf(final, 'courier_status').map((e: any) => e.data.status), ['driver_assigned', 'picked_up', 'delivered']);
  });

  it('a driver who drops out before pickup: the merchant is asked again and books another one', async () => {
    const c = p.customer('6281450000003');
    const { orderId } = await orderAndPay(p, c, 'Kurir toko');
    await waitOrder(p, orderId, (x) => x.status === 'dispatching' && x.delivery?.status === 'awaiting_dispatch', 'manual dispatch request');
    await p.api('POST', `/api/v1/orders/${orderId}/dispatch`, { provider: 'maxim', driver_name: 'Rina', driver_phone: '6281300001111' });
    await c.waitFor((_m, t) => t.includes('Driver ditemukan (Maxim): Rina'), 'first driver');
    await c.mark();
    const failed = await p.api('POST', `/api/v1/orders/${orderId}/delivery-status`, { status: 'failed', note: 'driver cancelled' });
    assert.equal(failed.body.status, 'dispatching');
    await c.waitFor((_m, t) => t.includes('Masih mencari driver'), 'still looking');
    const o = await orderDetail(p, orderId);
    assert.equal(eventsOf(o, 'manual_dispatch_required').length, 2);
    assert.equal(o.delivery.status, 'awaiting_dispatch');

    await c.mark();
    assert.equal((await p.api('POST', `/api/v1/orders/${orderId}/dispatch`, { provider: 'indrive', driver_name: 'Sari', driver_phone: '6281300002222' })).status, 200);
    await c.waitFor((_m, t) => t.includes('Driver ditemukan (inDrive): Sari'), 'second driver');
    assert.equal((await p.api('POST', `/api/v1/orders/${orderId}/delivery-status`, { status: 'delivered' })).body.status, 'completed');
    await c.waitFor((_m, t) => t.includes('sudah sampai'), 'delivered');
  });

  it('a failed delivery after pickup: delivery_failed, refund path recorded, apology to the customer, staff alerted', async () => {
    const c = p.customer('6281450000004');
    const { orderId, total } = await orderAndPay(p, c, 'Kurir toko');
    await waitOrder(p, orderId, (x) => x.delivery?.status === 'awaiting_dispatch', 'manual dispatch request');
    await p.api('POST', `/api/v1/orders/${orderId}/dispatch`, { provider: 'indrive', driver_name: 'Dodi', driver_phone: '6281300003333' });
    await p.api('POST', `/api/v1/orders/${orderId}/delivery-status`, { status: 'picked_up' });
    await c.mark();
    const failed = await p.api('POST', `/api/v1/orders/${orderId}/delivery-status`, { status: 'failed', note: 'alamat tidak ditemukan' });
    assert.equal(failed.body.status, 'delivery_failed');
    const refund = eventsOf(failed.body, 'refund_path');
    assert.equal(refund.length, 1);
    assert.equal(refund[0].data.refund_amount, total);
    const apology = textOf(await c.waitFor((_m, t) => t.includes('gagal diantar'), 'apology'));
    assert.match(apology, /Mohon maaf/);
    assert.match(apology, /mengembalikan dana/);
    // Cancelling now is refused: the goods left the store.
    assert.equal((await p.api('POST', `/api/v1/orders/${orderId}/cancel`)).status, 409);
    let alert: any;
    for (let i = 0; i < 100 && !alert; i++) {
      const out = ((await (await fetch(`${p.base}/sandbox/meta/_sim/outbox?to=${staff}`)).json()) as any).messages;
      alert = out.find((m: any) => textOf(m).includes(orderId) && textOf(m).includes('gagal'));
      if (!alert) await sleep(50);
    }
    assert.ok(alert, 'staff alerted about the failed delivery');
  });
});

describe('fallback when the booked courier finds no driver', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite' });
  });
  after(() => p.stop());

  it('GoSend reports no driver: GrabExpress is booked automatically and the order completes; "still looking" said once', async () => {
    await simMode(p, 'gosend', 'no_driver');
    const c = p.customer('6281450000011');
    const { orderId, fee } = await orderAndPay(p, c, 'GoSend');
    await c.waitFor((_m, t) => t.includes('Sedang mencari driver GoSend'), 'looking for GoSend');
    await c.waitFor((_m, t) => t.includes('Masih mencari driver'), 'still looking');
    await c.waitFor((_m, t) => t.includes('Driver ditemukan (GrabExpress)'), 'Grab driver');
    await c.waitFor((_m, t) => t.includes('sudah sampai'), 'delivered');
    const texts = await c.texts();
    assert.equal(count(texts, 'Masih mencari driver'), 1);
    assert.equal(count(texts, 'Driver ditemukan'), 1);

    const o = await orderDetail(p, orderId);
    assert.equal(o.status, 'completed');
    assert.equal(o.delivery.courier, 'grab');
    assert.equal(o.delivery_fee, fee, 'the customer paid the quoted fee');
    assert.deepEqual(eventsOf(o, 'courier_booked').map((e: any) => e.data.courier), ['gosend', 'grab']);
    const grabBooked = eventsOf(o, 'courier_booked')[1].data;
    assert.equal(grabBooked.fee_difference_absorbed, grabBooked.fee - fee);
    assert.ok(eventsOf(o, 'courier_status').some((e: any) => e.data.courier === 'gosend' && e.data.status === 'no_driver'));
    assert.equal(eventsOf(o, 'customer_told_still_looking').length, 1);
    assert.equal((await simBooking(p, 'gosend', orderId))[0].status, 'no_driver');
    assert.equal((await simBooking(p, 'grab', orderId))[0].status, 'COMPLETED');
  });
});

describe('every API courier fails', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite', env: { COURIER_ALLOCATION_TIMEOUT_SECONDS: '1' } });
  });
  after(() => p.stop());

  it('GoSend has no driver, Grab none within the time limit: manual dispatch, customer told once, completed via the admin API', async () => {
    await simMode(p, 'gosend', 'no_driver');
    await simMode(p, 'grab', 'manual_steps'); // Grab keeps "allocating" and never finds anyone
    const c = p.customer('6281450000021');
    const { orderId } = await orderAndPay(p, c, 'GoSend');
    const o = await waitOrder(p, orderId, (x) => eventsOf(x, 'manual_dispatch_required').length === 1, 'manual dispatch request');
    assert.equal(o.status, 'dispatching');
    assert.equal(eventsOf(o, 'manual_dispatch_required')[0].data.after_fallback, true);
    assert.equal(eventsOf(o, 'courier_allocation_timeout').length, 1);
    assert.equal(eventsOf(o, 'courier_allocation_timeout')[0].data.courier, 'grab');
    assert.deepEqual(eventsOf(o, 'courier_booked').map((e: any) => e.data.courier), ['gosend', 'grab']);
    // The Grab booking that found nobody was cancelled at Grab.
    const [grab] = await simBooking(p, 'grab', orderId);
    assert.equal(grab.status, 'CANCELED');

    await c.waitFor((_m, t) => t.includes('Masih mencari driver'), 'still looking');
    await c.mark();
    assert.equal((await p.api('POST', `/api/v1/orders/${orderId}/dispatch`, { provider: 'maxim', driver_name: 'Hendra', driver_phone: '6281355554444', vehicle_plate: 'B 9 HND' })).status, 200);
    await c.waitFor((_m, t) => t.includes('Driver ditemukan (Maxim): Hendra · B 9 HND'), 'manual driver');
    assert.equal((await p.api('POST', `/api/v1/orders/${orderId}/delivery-status`, { status: 'picked_up' })).body.status, 'picked_up');
    assert.equal((await p.api('POST', `/api/v1/orders/${orderId}/delivery-status`, { status: 'delivered' })).body.status, 'completed');
    await c.waitFor((_m, t) => t.includes('sudah sampai'), 'delivered');
    assert.equal(count(await c.texts(), 'Masih mencari driver'), 1);
  });

  it('no manual courier configured and no API courier can book: delivery_failed with a refund path, customer told', async () => {
    assert.equal((await postPath(p, '/sandbox/settings', { couriers: 'gosend,grab' })).status, 200);
    await simMode(p, 'grab', 'normal');
    const c = p.customer('6281450000022');
    const { orderId, total } = await orderAndPay(p, c, 'GoSend', async () => {
      // Both couriers go down between the quote and the booking.
      await simMode(p, 'gosend', 'down');
      await simMode(p, 'grab', 'down');
    });
    const o = await waitOrder(p, orderId, (x) => x.status === 'delivery_failed', 'delivery_failed');
    assert.deepEqual(eventsOf(o, 'courier_booking_failed').map((e: any) => e.data.courier), ['gosend', 'grab']);
    assert.equal(eventsOf(o, 'manual_dispatch_required').length, 0);
    assert.equal(eventsOf(o, 'refund_path')[0].data.refund_amount, total);
    await c.waitFor((_m, t) => t.includes('dana dikembalikan'), 'customer told, with the refund');
  });
});

describe('cancellation before and after pickup', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite' });
    await simMode(p, 'gosend', 'manual_steps'); // each status change only when the test advances it
  });
  after(() => p.stop());

  const advance = async (externalId: string, times: number) => {
    for (let i = 0; i < times; i++) assert.equal((await postPath(p, '/sandbox/gosend/_sim/advance', { externalId })).status, 200);
  };

  it('merchant cancels while the driver is assigned: booking cancelled at GoSend, stock back, customer told', async () => {
    const c = p.customer('6281450000031');
    const stock = await stockOf(p, 'OBT-PCT500');
    const { orderId } = await orderAndPay(p, c, 'GoSend');
    await waitOrder(p, orderId, (x) => x.status === 'dispatching', 'dispatching');
    await advance(orderId, 1); // allocated
    await c.waitFor((_m, t) => t.includes('Driver ditemukan (GoSend)'), 'driver found');
    await waitOrder(p, orderId, (x) => x.status === 'driver_assigned', 'driver assigned');
    assert.equal(await stockOf(p, 'OBT-PCT500'), stock - 2);

    await c.mark();
    const res = await p.api('POST', `/api/v1/orders/${orderId}/cancel`, { reason: 'stok rusak' });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'cancelled');
    await c.waitFor((_m, t) => t.includes('Pesanan dibatalkan'), 'customer told');
    const o = await waitOrder(p, orderId, (x) => eventsOf(x, 'courier_cancelled').length === 1, 'booking cancelled');
    assert.equal(o.status, 'cancelled');
    assert.equal(o.delivery.status, 'cancelled');
    const [booking] = await simBooking(p, 'gosend', orderId);
    assert.equal(booking.status, 'cancelled');
    assert.equal(await stockOf(p, 'OBT-PCT500'), stock);
    // The courier's own "cancelled" webhook changes nothing more.
    await sleep(400);
    const later = await orderDetail(p, orderId);
    assert.equal(later.status, 'cancelled');
    assert.equal(count(await c.texts(), 'Pesanan dibatalkan'), 1);
    assert.equal(count(await c.texts(), 'Masih mencari'), 0);
  });

  it('customer says "batal" while the driver heads to the store: booking cancelled at GoSend', async () => {
    const c = p.customer('6281450000032');
    const { orderId } = await orderAndPay(p, c, 'GoSend');
    await waitOrder(p, orderId, (x) => x.status === 'dispatching', 'dispatching');
    await advance(orderId, 2); // allocated, out_for_pickup
    await c.waitFor((_m, t) => t.includes('menuju toko'), 'driver on the way to the store');
    await c.mark();
    await c.say('batal');
    await c.waitFor((_m, t) => t.includes('Pesanan dibatalkan'), 'customer told');
    await waitOrder(p, orderId, (x) => x.status === 'cancelled' && x.delivery.status === 'cancelled', 'cancelled');
    assert.equal((await simBooking(p, 'gosend', orderId))[0].status, 'cancelled');
  });

  it('after pickup, cancellation is refused by the API and in the chat; the booking keeps going', async () => {
    const c = p.customer('6281450000033');
    const { orderId } = await orderAndPay(p, c, 'GoSend');
    await waitOrder(p, orderId, (x) => x.status === 'dispatching', 'dispatching');
    await advance(orderId, 3); // allocated, out_for_pickup, picked
    await waitOrder(p, orderId, (x) => x.status === 'picked_up', 'picked up');
    const res = await p.api('POST', `/api/v1/orders/${orderId}/cancel`);
    assert.equal(res.status, 409);
    await c.mark();
    await c.say('batal');
    await c.waitFor((_m, t) => t.includes('tidak bisa dibatalkan'), 'cannot cancel');
    assert.equal((await orderDetail(p, orderId)).status, 'picked_up');
    assert.equal((await simBooking(p, 'gosend', orderId))[0].status, 'picked');
    await advance(orderId, 2); // out_for_delivery, delivered
    await c.waitFor((_m, t) => t.includes('sudah sampai'), 'delivered');
    await waitOrder(p, orderId, (x) => x.status === 'completed', 'completed');
  });
});

describe('GrabExpress delivery fails after pickup', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite', env: { COURIERS: 'grab,manual' } });
    await simMode(p, 'grab', 'manual_steps');
  });
  after(() => p.stop());

  it('delivery_failed, refund path on the timeline, apology to the customer, no new courier booked', async () => {
    const c = p.customer('6281450000041');
    const { orderId, total } = await orderAndPay(p, c, 'GrabExpress');
    await waitOrder(p, orderId, (x) => x.status === 'dispatching', 'dispatching');
    for (let i = 0; i < 3; i++) assert.equal((await postPath(p, '/sandbox/grab/_sim/advance', { externalId: orderId })).status, 200); // driver, picking up, picked up
    await c.waitFor((_m, t) => t.includes('sudah diambil driver'), 'picked up');
    await c.mark();
    const failed = await postPath(p, '/sandbox/grab/_sim/fail', { externalId: orderId, reason: 'Recipient unreachable' });
    assert.equal(failed.status, 200);
    assert.equal(failed.body.status, 'FAILED');
    const apology = textOf(await c.waitFor((_m, t) => t.includes('gagal diantar'), 'apology'));
    assert.match(apology, /Mohon maaf/);
    const o = await waitOrder(p, orderId, (x) => x.status === 'delivery_failed', 'delivery_failed');
    const refund = eventsOf(o, 'refund_path');
    assert.equal(refund.length, 1);
    assert.equal(refund[0].data.refund_amount, total);
    assert.equal(refund[0].data.reason, 'FAILED');
    assert.ok(eventsOf(o, 'courier_status').some((e: any) => e.data.status === 'failed' && e.data.provider_status === 'FAILED'));
    // Replaying the failure changes nothing; nobody else is booked for goods that already left.
    assert.equal((await postPath(p, '/sandbox/grab/_sim/replay', { externalId: orderId })).status, 200);
    await sleep(500);
    const after = await orderDetail(p, orderId);
    assert.equal(after.timeline.length, o.timeline.length);
    assert.equal(eventsOf(after, 'courier_booked').length, 1);
    assert.equal(eventsOf(after, 'manual_dispatch_required').length, 0);
    assert.equal(count(await c.texts(), 'gagal diantar'), 1);
  });
});
