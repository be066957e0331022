import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { createGrabCourier, verifyGrabWebhook } from '../../src/delivery/grab/client.js';
import { grabSimulator } from '../../src/delivery/grab/simulator.js';
import { GRAB_STATUS_MAP } from '../../src/delivery/grab/wire.js';
import type { Courier, QuoteRequest } from '../../src/delivery/port.js';
import { listen } from '../helpers/http.js';
import { captureWebhooks } from './capture.js';
import { describeCourierContract } from './contract.js';

const creds = { clientId: 'test-grab-client', clientSecret: 'test-grab-secret', webhookToken: 'test-grab-webhook-token' };

async function startGrab() {
  const webhooks = await captureWebhooks();
  const app = Fastify();
  await app.register(grabSimulator, {
    prefix: '/sandbox/grab',
    webhookUrl: `${webhooks.url}/webhooks/grab`,
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    webhookToken: creds.webhookToken,
    stepMs: 20,
    mode: 'manual_steps',
  });
  const simUrl = `${await listen(app)}/sandbox/grab`;
  return {
    courier: createGrabCourier({ ...creds, baseUrl: simUrl, authUrl: simUrl, timeoutMs: 500 }),
    courierWithWrongCredentials: createGrabCourier({ ...creds, clientSecret: 'wrong', baseUrl: simUrl, authUrl: simUrl }),
    simUrl,
    webhookToken: creds.webhookToken,
    webhooks,
    async close() {
      await app.close();
      await webhooks.close();
    },
  };
}

describeCourierContract('GrabExpress', startGrab);

const route: QuoteRequest = {
  origin: { lat: -6.2607, lng: 106.8137, address: 'Jl. Kemang Raya No. 10', contactName: 'Toko Sentosa', contactPhone: '6281200000000' },
  destination: { lat: -6.22, lng: 106.8137, address: 'Jl. Senopati No. 5', contactName: 'Sari', contactPhone: '6281711113333' },
  items: [{ name: 'Kopi Susu', quantity: 2, price: 18_000 }],
};

describe('GrabExpress access tokens', () => {
  let grab: Awaited<ReturnType<typeof startGrab>>;
  let courier: Courier;
  before(async () => {
    grab = await startGrab();
    courier = grab.courier;
  });
  after(() => grab.close());

  const tokens = async () => (await (await fetch(`${grab.simUrl}/_sim/tokens`)).json()) as { issued: number; active: number };

  it('reuses one access token across calls, including concurrent ones', async () => {
    await Promise.all([courier.quote(route), courier.quote(route), courier.quote(route)]);
    await courier.quote(route);
    assert.equal((await tokens()).issued, 1);
  });

  it('fetches a new token once when Grab rejects the cached one, and the call still succeeds', async () => {
    const before = (await tokens()).issued;
    const res = await fetch(`${grab.simUrl}/_sim/revoke-tokens`, { method: 'POST' });
    assert.equal(res.status, 200);
    const q = await courier.quote(route);
    assert.ok(q && q.fee > 0);
    assert.equal((await tokens()).issued, before + 1);
  });

  it('sends the merchant order id, cashless payment and split contact names when booking', async () => {
    const quote = (await courier.quote(route))!;
    const booking = await courier.book({ ...route, orderId: 'ORD-GRAB-CONTACT', quote });
    assert.match(booking.trackingUrl ?? '', /\/sandbox\/grab\/_sim\/track\//);
    const list = (await (await fetch(`${grab.simUrl}/_sim/bookings`)).json()) as { bookings: any[] };
    const d = list.bookings.find((b) => b.deliveryID === booking.externalId);
    assert.equal(d.merchantOrderID, 'ORD-GRAB-CONTACT');
    assert.equal(d.paymentMethod, 'CASHLESS');
    assert.deepEqual([d.sender.firstName, d.sender.lastName], ['Toko', 'Sentosa']);
    assert.deepEqual([d.recipient.firstName, d.recipient.lastName], ['Sari', '-']);
    assert.equal(booking.fee, quote.fee);
  });

  it('gives the driver the note as instruction and puts the merchant email on the sender', async () => {
    const withEmail = createGrabCourier({ ...creds, baseUrl: grab.simUrl, authUrl: grab.simUrl, senderEmail: 'kasir@toko.example' });
    const r = { ...route, destination: { ...route.destination, note: 'Pagar hijau, lantai 2' } };
    const quote = (await withEmail.quote(r))!;
    const booking = await withEmail.book({ ...r, orderId: 'ORD-GRAB-NOTE', quote });
    const list = (await (await fetch(`${grab.simUrl}/_sim/bookings`)).json()) as { bookings: any[] };
    const d = list.bookings.find((b) => b.deliveryID === booking.externalId);
    assert.equal(d.recipient.instruction, 'Pagar hijau, lantai 2');
    assert.equal(d.sender.email, 'kasir@toko.example');
  });
});

describe('GrabExpress tracking messages', () => {
  const message = (body: object) => ({ rawBody: Buffer.from(JSON.stringify(body)), headers: { authorization: 'Bearer tok' } });

  it('reads FAILED as no_driver when no driver was ever assigned, and as failed otherwise', () => {
    const none = verifyGrabWebhook(message({ deliveryID: 'IN-1', status: 'FAILED', timestamp: 1700000000, driver: null }), 'tok');
    const withDriver = verifyGrabWebhook(
      message({ deliveryID: 'IN-1', status: 'FAILED', timestamp: 1700000100, driver: { name: 'Budi', phone: '62812', licensePlate: 'B 1 X' } }),
      'tok',
    );
    assert.ok(none.ok && withDriver.ok);
    assert.equal(none.updates[0].status, 'no_driver');
    assert.equal(withDriver.updates[0].status, 'failed');
    assert.equal(withDriver.updates[0].driver?.plate, 'B 1 X');
    assert.equal(withDriver.updates[0].at?.getTime(), 1700000100_000);
  });

  it('accepts both spellings of cancelled and maps returns', () => {
    assert.equal(GRAB_STATUS_MAP.CANCELED, 'cancelled');
    assert.equal(GRAB_STATUS_MAP.CANCELLED, 'cancelled');
    assert.equal(GRAB_STATUS_MAP.IN_RETURN, 'returned');
    assert.equal(GRAB_STATUS_MAP.RETURNED, 'returned');
  });

  it('keys an event on delivery, status and timestamp', () => {
    const v = verifyGrabWebhook(message({ deliveryID: 'IN-9', status: 'IN_DELIVERY', timestamp: 1700000000 }), 'tok');
    assert.ok(v.ok);
    assert.equal(v.updates[0].eventKey, 'IN-9:IN_DELIVERY:1700000000');
  });
});
