// One behaviour contract for every Courier adapter, run over real HTTP against the courier's
// simulator. A new courier passes this suite before the delivery service may use it.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { OutcomeUnknownError, ProviderError } from '../../src/shared/http.js';
import type { Courier, CourierUpdate, DeliveryStatus, Place, QuoteRequest } from '../../src/delivery/port.js';
import type { CapturedRequest } from '../helpers/http.js';

export interface CourierContractContext {
  /** adapter configured with the simulator's credentials */
  courier: Courier;
  /** same endpoints, credentials the simulator does not know */
  courierWithWrongCredentials: Courier;
  /** the simulator's base URL, e.g. http://127.0.0.1:1234/sandbox/gosend (control endpoints under /_sim) */
  simUrl: string;
  /** the token the simulator sends with its webhooks */
  webhookToken: string;
  /** every webhook the simulator posted */
  webhooks: { received: CapturedRequest[] };
  close(): Promise<void>;
}

const ORIGIN: Place = {
  lat: -6.2607,
  lng: 106.8137,
  address: 'Jl. Kemang Raya No. 10, Jakarta Selatan',
  contactName: 'Toko Sehat Sentosa',
  contactPhone: '6281200000000',
};

/** A customer `km` kilometres due north of the shop. */
function customerAt(km: number): Place {
  return {
    lat: ORIGIN.lat + km / 111.2,
    lng: ORIGIN.lng,
    address: `Jl. Contoh No. ${Math.round(km)}, Jakarta`,
    contactName: 'Budi Pelanggan',
    contactPhone: '6281711112222',
    note: 'Pagar hijau',
  };
}

const ITEMS = [
  { name: 'Paracetamol 500mg', quantity: 2, price: 12_000 },
  { name: 'Air Mineral 600ml', quantity: 1, price: 4_000 },
];

const route = (km: number): QuoteRequest => ({ origin: ORIGIN, destination: customerAt(km), items: ITEMS });

let orderSeq = 0;
const newOrderId = () => `ORD-${Date.now().toString(36)}-${++orderSeq}`;

const HAPPY_PATH: DeliveryStatus[] = ['driver_assigned', 'picking_up', 'picked_up', 'in_delivery', 'delivered'];

export function describeCourierContract(name: string, setup: () => Promise<CourierContractContext>): void {
  describe(`${name} courier contract`, () => {
    let ctx: CourierContractContext;

    before(async () => {
      ctx = await setup();
    });
    after(async () => {
      await ctx?.close();
    });
    beforeEach(async () => {
      await control('/mode', { mode: 'manual_steps' });
    });

    async function control(path: string, body?: unknown): Promise<Response> {
      return fetch(`${ctx.simUrl}/_sim${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    }

    async function advance(externalId: string): Promise<number> {
      const res = await control('/advance', { externalId });
      await res.arrayBuffer();
      return res.status;
    }

    /** Webhooks the simulator sent about this booking, each verified and mapped by the adapter. */
    function webhooksFor(externalId: string): { req: CapturedRequest; update: CourierUpdate }[] {
      const out: { req: CapturedRequest; update: CourierUpdate }[] = [];
      for (const req of ctx.webhooks.received) {
        const v = ctx.courier.verifyWebhook({ rawBody: req.rawBody, headers: req.headers });
        assert.ok(v.ok, `the simulator's own webhook must verify: ${!v.ok ? v.reason : ''}`);
        for (const update of v.updates) if (update.externalId === externalId) out.push({ req, update });
      }
      return out;
    }

    async function waitForUpdate(externalId: string, status: DeliveryStatus, timeoutMs = 5000): Promise<CourierUpdate> {
      const start = Date.now();
      for (;;) {
        const hit = webhooksFor(externalId).find((w) => w.update.status === status);
        if (hit) return hit.update;
        if (Date.now() - start > timeoutMs) throw new Error(`no ${status} webhook for ${externalId}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    const lastUpdate = (externalId: string) => webhooksFor(externalId).at(-1)?.update;

    async function book(km = 5) {
      const req = route(km);
      const quote = await ctx.courier.quote(req);
      assert.ok(quote, 'route must be serviceable');
      const orderId = newOrderId();
      const booking = await ctx.courier.book({ ...req, orderId, quote });
      await waitForUpdate(booking.externalId, 'finding_driver');
      return { orderId, quote, booking, req };
    }

    it('quotes a positive whole-rupiah fee that grows with distance', async () => {
      const near = await ctx.courier.quote(route(3));
      const far = await ctx.courier.quote(route(15));
      assert.ok(near && far);
      for (const q of [near, far]) {
        assert.ok(Number.isInteger(q.fee) && q.fee > 0, `fee ${q.fee}`);
        assert.ok(q.serviceType.length > 0);
      }
      assert.ok(far.fee > near.fee, `15 km (${far.fee}) must cost more than 3 km (${near.fee})`);
      assert.ok(far.distanceKm !== undefined && Math.abs(far.distanceKm - 15) < 1, `distance ${far.distanceKm}`);
    });

    it('quotes null for a route it cannot serve (Jakarta to Bandung)', async () => {
      const q = await ctx.courier.quote({ ...route(1), destination: { ...customerAt(1), lat: -6.9175, lng: 107.6191 } });
      assert.equal(q, null);
    });

    it('books with an external id; another order gets another booking', async () => {
      const req = route(4);
      const quote = (await ctx.courier.quote(req))!;
      const first = await ctx.courier.book({ ...req, orderId: newOrderId(), quote });
      const other = await ctx.courier.book({ ...req, orderId: newOrderId(), quote });
      assert.ok(first.externalId.length > 0);
      assert.equal(first.courier, ctx.courier.id);
      assert.notEqual(other.externalId, first.externalId);
      assert.ok(first.fee === undefined || (Number.isInteger(first.fee) && first.fee > 0));
    });

    const bookingsOf = async (orderId: string) =>
      ((await (await control('/bookings')).json()) as { bookings: any[] }).bookings.filter((b) => (b.storeOrderId ?? b.merchantOrderID) === orderId);

    for (const mode of ['timeout', 'drop'] as const) {
      it(`a booking whose answer is lost (${mode}) after the courier recorded it ends as exactly one booking`, async () => {
        const req = route(4);
        const quote = (await ctx.courier.quote(req))!;
        const orderId = newOrderId();
        assert.equal((await control('/lose-next-answer', { mode, delay_ms: 1500 })).status, 200);
        const booking = await ctx.courier.book({ ...req, orderId, quote });
        const held = await bookingsOf(orderId);
        assert.equal(held.length, 1, 'one booking at the courier');
        assert.equal(booking.externalId, held[0].orderNo ?? held[0].deliveryID);
      });
    }

    it('when the lookup after a lost answer fails too, nothing is booked again until a later attempt finds the booking', async () => {
      const req = route(4);
      const quote = (await ctx.courier.quote(req))!;
      const orderId = newOrderId();
      assert.equal((await control('/lose-next-answer', { mode: 'drop', down_ms: 1500 })).status, 200);
      await assert.rejects(ctx.courier.book({ ...req, orderId, quote }), (err: unknown) => err instanceof OutcomeUnknownError && err.transient);
      assert.equal((await bookingsOf(orderId)).length, 1, 'the courier recorded the first attempt');
      await new Promise((r) => setTimeout(r, 1600));
      const later = await ctx.courier.book({ ...req, orderId, quote, lookupFirst: true });
      const held = await bookingsOf(orderId);
      assert.equal(held.length, 1, 'still one booking');
      assert.equal(later.externalId, held[0].orderNo ?? held[0].deliveryID);
    });

    it('reports every step from finding a driver to delivered, and status() agrees with the last webhook', async () => {
      const { booking } = await book();
      const id = booking.externalId;
      assert.equal((await ctx.courier.status(id)).status, 'finding_driver');

      for (const expected of HAPPY_PATH) {
        assert.equal(await advance(id), 200);
        const last = lastUpdate(id)!;
        assert.equal(last.status, expected);
        assert.ok(last.providerStatus.length > 0);
        assert.ok(last.eventKey.length > 0);
        const polled = await ctx.courier.status(id);
        assert.equal(polled.status, last.status);
        assert.equal(polled.externalId, id);
        if (expected === 'driver_assigned') {
          assert.ok(last.driver?.name, 'driver name');
          assert.match(last.driver?.phone ?? '', /^\+?\d{9,15}$/);
          assert.match(last.trackingUrl ?? '', /^https?:\/\//);
          assert.equal(polled.driver?.name, last.driver.name);
          assert.equal(polled.driver?.phone, last.driver.phone);
          const page = await fetch(last.trackingUrl!);
          assert.equal(page.status, 200);
          assert.match(await page.text(), new RegExp(last.driver.name!));
        }
      }
      const keys = webhooksFor(id).map((w) => w.update.eventKey);
      assert.equal(new Set(keys).size, keys.length, 'each step has its own event key');
      const count = webhooksFor(id).length;
      assert.equal(await advance(id), 409, 'a delivered booking does not move');
      assert.equal(webhooksFor(id).length, count);
    });

    it('cancels before pickup: status becomes cancelled and the delivery stops', async () => {
      const { booking } = await book();
      const id = booking.externalId;
      assert.equal(await advance(id), 200); // driver assigned, not yet picked up
      await ctx.courier.cancel(id);
      assert.equal((await ctx.courier.status(id)).status, 'cancelled');
      await waitForUpdate(id, 'cancelled');
      const count = webhooksFor(id).length;
      assert.equal(await advance(id), 409);
      await ctx.courier.cancel(id); // a retried cancel is harmless
      assert.equal(webhooksFor(id).length, count, 'no webhooks after the cancellation');
      assert.equal((await ctx.courier.status(id)).status, 'cancelled');
    });

    it('refuses to cancel once the parcel was picked up', async () => {
      const { booking } = await book();
      const id = booking.externalId;
      for (let i = 0; i < 3; i++) assert.equal(await advance(id), 200);
      assert.equal((await ctx.courier.status(id)).status, 'picked_up');
      await assert.rejects(ctx.courier.cancel(id), (err: unknown) => err instanceof ProviderError && !err.transient);
      assert.equal((await ctx.courier.status(id)).status, 'picked_up');
    });

    it('refuses webhooks without the shared token, and accepts it in every documented header', async () => {
      const { booking } = await book();
      const { req } = webhooksFor(booking.externalId)[0];
      const headers = (extra: Record<string, string | undefined>) => ({ 'content-type': 'application/json', ...extra });
      for (const forged of [{}, { 'x-callback-token': 'forged' }, { authorization: 'Bearer forged' }, { authorization: `Bearer ${ctx.webhookToken}x` }]) {
        const v = ctx.courier.verifyWebhook({ rawBody: req.rawBody, headers: headers(forged) });
        assert.equal(v.ok, false, JSON.stringify(forged));
        assert.equal(!v.ok && v.status, 401);
      }
      for (const good of [{ 'x-callback-token': ctx.webhookToken }, { authorization: `Bearer ${ctx.webhookToken}` }, { authorization: ctx.webhookToken }]) {
        const v = ctx.courier.verifyWebhook({ rawBody: req.rawBody, headers: headers(good) });
        assert.ok(v.ok && v.updates[0].externalId === booking.externalId, JSON.stringify(good));
      }
      const garbage = ctx.courier.verifyWebhook({ rawBody: Buffer.from('not json'), headers: headers({ 'x-callback-token': ctx.webhookToken }) });
      assert.equal(!garbage.ok && garbage.status, 400);
    });

    it('a replayed webhook arrives byte for byte and carries the same event key', async () => {
      const { booking } = await book();
      const id = booking.externalId;
      assert.equal(await advance(id), 200);
      const before = webhooksFor(id);
      const res = await control('/replay', { externalId: id });
      assert.equal(res.status, 200);
      const afterReplay = webhooksFor(id);
      assert.equal(afterReplay.length, before.length + 1);
      const [orig, replay] = afterReplay.slice(-2);
      assert.deepEqual(replay.req.rawBody, orig.req.rawBody);
      assert.equal(replay.update.eventKey, orig.update.eventKey);
      assert.equal(replay.update.status, 'driver_assigned');
    });

    it('reports no_driver when nobody takes the job', async () => {
      assert.equal((await control('/mode', { mode: 'no_driver' })).status, 200);
      const req = route(6);
      const quote = (await ctx.courier.quote(req))!;
      const booking = await ctx.courier.book({ ...req, orderId: newOrderId(), quote });
      const update = await waitForUpdate(booking.externalId, 'no_driver');
      assert.equal(update.driver?.name, undefined);
      assert.equal((await ctx.courier.status(booking.externalId)).status, 'no_driver');
    });

    it('lists bookings on the sandbox control endpoint', async () => {
      const { booking } = await book();
      const res = await control('/bookings');
      assert.equal(res.status, 200);
      assert.ok(JSON.stringify(await res.json()).includes(booking.externalId));
    });

    it('fails with a permanent ProviderError on wrong credentials', async () => {
      await assert.rejects(
        ctx.courierWithWrongCredentials.quote(route(5)),
        (err: unknown) => err instanceof ProviderError && err.status === 401 && !err.transient,
      );
    });

    it('fails with a transient ProviderError while the courier is down', async () => {
      await control('/mode', { mode: 'down' });
      await assert.rejects(ctx.courier.quote(route(5)), (err: unknown) => err instanceof ProviderError && err.transient);
    });

    it('fails with a ProviderError for an unknown delivery', async () => {
      await assert.rejects(ctx.courier.status('NO-SUCH-DELIVERY'), (err: unknown) => err instanceof ProviderError && err.status === 404);
    });
  });
}
