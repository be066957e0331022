// An instance can die after GoSend/Grab answered a booking and before pesan saved it. The attempt that
// runs next (another instance, when the job's lease expires) must find that booking by pesan's reference
// instead of booking a second driver.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPesan, toMethodChoice, chooseQris, type Pesan } from '../helpers/pesan.js';
import { deliveryJobs } from '../../src/delivery/service.js';
import type { Courier, CourierId } from '../../src/delivery/port.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const simBookings = async (p: Pesan, courier: CourierId, orderId: string) =>
  (((await (await fetch(`${p.base}/sandbox/${courier}/_sim/bookings`)).json()) as any).bookings as any[]).filter((b) => (b.storeOrderId ?? b.merchantOrderID) === orderId);

describe('courier booking across a crash (PGlite)', () => {
  let p: Pesan;
  const release: Array<() => void> = [];
  // Once the test is over, no booking call hangs any more (the fallback to the next courier would
  // otherwise hang a second call that nothing releases, and stop() would wait for it forever).
  let crashing = true;
  before(async () => {
    p = await startPesan({ db: 'pglite', env: { SANDBOX_COURIER_STEP_MS: '60000' } });
  });
  after(async () => {
    crashing = false;
    for (const r of release) r();
    await p.stop();
  });

  it('a booking the courier made before the instance died is found, not made again', { timeout: 60_000 }, async () => {
    // The first booking call of each courier reaches the courier, then its instance "dies": the answer
    // is never saved (the call never returns while the test looks).
    const reached = new Map<CourierId, number>();
    for (const [id, courier] of p.ctx.couriers as Map<CourierId, Courier>) {
      const real = courier.book.bind(courier);
      let calls = 0;
      (courier as { book: Courier['book'] }).book = async (req) => {
        const booking = await real(req);
        if (++calls === 1 && crashing) {
          reached.set(id, (reached.get(id) ?? 0) + 1);
          await new Promise<void>((_res, rej) => release.push(() => rej(new Error('instance gone'))));
        }
        return booking;
      };
    }
    const c = p.customer('6281200009001');
    await toMethodChoice(c);
    await chooseQris(c);
    await c.mark();
    assert.equal((await (await fetch(`${p.base}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: c.waId }) })).json() as any).ok ?? true, true);
    const orderId = (await p.api('GET', '/api/v1/orders')).body.orders.find((o: any) => o.customer.wa_id === c.waId).id as string;
    const start = Date.now();
    while (reached.size === 0) {
      assert.ok(Date.now() - start < 20_000, 'the booking call never reached a courier');
      await sleep(50);
    }
    const [courierId] = [...reached.keys()];
    assert.equal((await simBookings(p, courierId, orderId)).length, 1);
    assert.equal(await p.ctx.db.one('SELECT 1 FROM deliveries WHERE order_id = $1', [orderId]), undefined, 'nothing saved yet');

    // The job runs again, as on another instance after the lease expired.
    await deliveryJobs(p.ctx)['delivery.book']({ id: 0, kind: 'delivery.book', payload: { orderId }, attempts: 1 } as any);

    const bookings = await simBookings(p, courierId, orderId);
    assert.equal(bookings.length, 1, `${courierId} holds ${bookings.length} bookings for the order`);
    const saved = await p.ctx.db.query<{ courier: string; external_id: string; status: string }>('SELECT courier, external_id, status FROM deliveries WHERE order_id = $1', [orderId]);
    assert.equal(saved.length, 1);
    assert.equal(saved[0].courier, courierId);
    assert.equal(saved[0].external_id, bookings[0].orderNo ?? bookings[0].deliveryID ?? saved[0].external_id);
    const intent = await p.ctx.db.one<{ attempts: number; external_id: string }>('SELECT attempts, external_id FROM courier_booking_intents WHERE order_id = $1 AND courier = $2', [orderId, courierId]);
    assert.equal(intent!.attempts, 2);
    assert.equal(intent!.external_id, saved[0].external_id);
    // Another run after the save changes nothing.
    await deliveryJobs(p.ctx)['delivery.book']({ id: 0, kind: 'delivery.book', payload: { orderId }, attempts: 1 } as any);
    assert.equal((await simBookings(p, courierId, orderId)).length, 1);
  });
});
