// Delivery against couriers that behave like the real services: a cancel that loses the race with a
// driver, booking answers that time out after the courier recorded them, and webhooks that never arrive.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventsOf, simBookings, postPath, waitOrder, orderDetail, sleep, startPesan, type Customer, type Pesan } from '../helpers/pesan.js';

const simBookingsFor = async (p: Pesan, courier: 'gosend' | 'grab', orderId: string) =>
  (await simBookings(p, courier)).filter((b) => (b.storeOrderId ?? b.merchantOrderID) === orderId);

/** Orders, shares a location, picks QRIS; `beforePay` runs with the order id; then pays. */
async function orderAndPay(p: Pesan, c: Customer, beforePay?: (orderId: string) => Promise<void>): Promise<string> {
  await c.say('paracetamol 2');
  await c.waitFor((_m, t) => t.includes('Subtotal'), 'summary');
  await c.mark();
  await c.tap('confirm', 'Ya, pesan');
  await c.waitFor((m) => m.message.interactive?.type === 'location_request_message', 'location request');
  await c.mark();
  await c.shareLocation(-6.2425, 106.8412, 'Jl. Bangka Raya 12, Mampang');
  await c.waitFor((_m, t) => t.includes('Total:'), 'total with delivery fee');
  await c.mark();
  await c.tap('pay:qris', 'QRIS');
  await c.waitFor((msg) => msg.message.type === 'image', 'QRIS image');
  await c.mark();
  const orderId = (await p.api('GET', '/api/v1/orders')).body.orders.find((o: any) => o.customer.wa_id === c.waId).id as string;
  await beforePay?.(orderId);
  assert.equal((await postPath(p, '/sandbox/pay', { wa_id: c.waId })).status, 200);
  await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
  return orderId;
}

describe('GoSend refuses the cancel because a driver took the job at that moment', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite', env: { COURIERS: 'gosend,grab,manual', COURIER_ALLOCATION_TIMEOUT_SECONDS: '1', COURIER_POLL_SECONDS: '1' } });
    assert.equal((await postPath(p, '/sandbox/gosend/_sim/mode', { mode: 'manual_steps' })).status, 200);
  });
  after(() => p.stop());

  it('keeps the allocated driver, books no second courier, and still completes', async () => {
    const c = p.customer('6281450000101');
    const orderId = await orderAndPay(p, c, async (id) => {
      assert.equal((await postPath(p, '/sandbox/gosend/_sim/cancel-race', { externalId: id })).status, 200);
    });
    const o = await waitOrder(p, orderId, (x) => eventsOf(x, 'courier_cancel_refused').length > 0, 'the refused cancel');
    const refused = eventsOf(o, 'courier_cancel_refused')[0].data;
    assert.equal(refused.provider_status, 'Driver Allocated', 'read from the status API, in its own vocabulary');
    await waitOrder(p, orderId, (x) => x.status === 'driver_assigned', 'driver assigned');
    await c.waitFor((_m, t) => t.includes('Driver ditemukan (GoSend)'), 'driver found');
    await sleep(1500); // longer than the allocation timeout: nothing else may be booked meanwhile
    const [booking, ...others] = await simBookingsFor(p, 'gosend', orderId);
    assert.equal(others.length, 0);
    assert.equal(booking.status, 'allocated');
    assert.equal((await simBookingsFor(p, 'grab', orderId)).length, 0, 'no second courier');
    const now = await orderDetail(p, orderId);
    assert.equal(eventsOf(now, 'courier_booked').length, 1);
    assert.equal(now.delivery.courier, 'gosend');
    assert.equal(now.delivery.driver_name, booking.driverName);
    assert.equal(eventsOf(now, 'manual_dispatch_required').length, 0);
    for (let i = 0; i < 4; i++) assert.equal((await postPath(p, '/sandbox/gosend/_sim/advance', { externalId: orderId })).status, 200);
    await waitOrder(p, orderId, (x) => x.status === 'completed', 'completed');
  });
});

for (const courier of ['gosend', 'grab'] as const) {
  describe(`every ${courier} webhook is lost`, () => {
    let p: Pesan;
    before(async () => {
      p = await startPesan({ db: 'pglite', env: { COURIERS: `${courier},manual`, COURIER_POLL_SECONDS: '1' } });
      assert.equal((await postPath(p, `/sandbox/${courier}/_sim/webhooks`, { drop: true })).status, 200);
    });
    after(() => p.stop());

    it('the order still reaches Completed by polling the courier, and the customer is told it arrived', async () => {
      const c = p.customer(courier === 'gosend' ? '6281450000111' : '6281450000112');
      const orderId = await orderAndPay(p, c);
      const o = await waitOrder(p, orderId, (x) => x.status === 'completed', 'completed by polling', 30_000);
      await c.waitFor((_m, t) => t.includes('sudah sampai'), 'delivered');
      const [booking, ...others] = await simBookingsFor(p, courier, orderId);
      assert.equal(others.length, 0);
      assert.ok(booking.webhooks.length > 0 && booking.webhooks.every((w: any) => w.error === 'dropped by the sandbox'), 'no webhook reached pesan');
      assert.ok(eventsOf(o, 'courier_polled').length > 0);
      assert.equal(o.delivery.status, 'delivered');
      assert.equal(eventsOf(o, 'courier_booked').length, 1);
    });
  });
}

describe('GoSend records the booking but its answer is lost, and GoSend is unreachable for a moment after', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite', env: { COURIERS: 'gosend,grab,manual', COURIER_POLL_SECONDS: '1' } });
  });
  after(() => p.stop());

  it('ends with exactly one booking (GoSend), no second courier, and the order completes', async () => {
    const c = p.customer('6281450000121');
    const orderId = await orderAndPay(p, c, async () => {
      assert.equal((await postPath(p, '/sandbox/gosend/_sim/lose-next-answer', { mode: 'drop', down_ms: 1500 })).status, 200);
    });
    const o = await waitOrder(p, orderId, (x) => x.status === 'completed', 'completed', 30_000);
    assert.ok(eventsOf(o, 'courier_booking_unconfirmed').length > 0, 'the unconfirmed attempt is on the timeline');
    assert.deepEqual(eventsOf(o, 'courier_booked').map((e: any) => e.data.courier), ['gosend']);
    assert.equal((await simBookingsFor(p, 'gosend', orderId)).length, 1, `one booking at GoSend: ${JSON.stringify(o.timeline.map((e: any) => [e.type, e.data]))}`);
    assert.equal((await simBookingsFor(p, 'grab', orderId)).length, 0, 'no booking at Grab');
    assert.equal(eventsOf(o, 'courier_booking_failed').length, 0);
  });
});
