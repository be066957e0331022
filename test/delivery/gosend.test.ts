import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { createGoSendCourier, verifyGoSendWebhook } from '../../src/delivery/gosend/client.js';
import { goSendSimulator } from '../../src/delivery/gosend/simulator.js';
import { GOSEND_STATUS_LABELS, GOSEND_STATUS_MAP, mapGoSendStatus } from '../../src/delivery/gosend/wire.js';
import { listen } from '../helpers/http.js';
import { captureWebhooks } from './capture.js';
import { describeCourierContract } from './contract.js';

const creds = { clientId: 'test-gosend-client', passKey: 'test-gosend-pass-key', webhookToken: 'test-gosend-webhook-token' };

describeCourierContract('GoSend', async () => {
  const webhooks = await captureWebhooks();
  const app = Fastify();
  await app.register(goSendSimulator, {
    prefix: '/sandbox/gosend',
    webhookUrl: `${webhooks.url}/webhooks/gosend`,
    clientId: creds.clientId,
    passKey: creds.passKey,
    webhookToken: creds.webhookToken,
    stepMs: 20,
    mode: 'manual_steps',
  });
  const simUrl = `${await listen(app)}/sandbox/gosend`;
  return {
    courier: createGoSendCourier({ ...creds, baseUrl: simUrl, timeoutMs: 500 }),
    courierWithWrongCredentials: createGoSendCourier({ ...creds, passKey: 'wrong', baseUrl: simUrl }),
    simUrl,
    webhookToken: creds.webhookToken,
    webhooks,
    async close() {
      await app.close();
      await webhooks.close();
    },
  };
});

describe('GoSend simulator speaks both vocabularies', () => {
  it('the status API answers labels ("Finding Driver" …) while webhooks carry snake_case words', async () => {
    const webhooks = await captureWebhooks();
    const app = Fastify();
    await app.register(goSendSimulator, { prefix: '/g', webhookUrl: `${webhooks.url}/webhooks/gosend`, ...creds, stepMs: 0, mode: 'manual_steps' });
    const base = `${await listen(app)}/g`;
    try {
      const courier = createGoSendCourier({ ...creds, baseUrl: base });
      const origin = { lat: -6.26, lng: 106.81, address: 'Jl. A', contactName: 'Toko', contactPhone: '6281200000000' };
      const req = { origin, destination: { ...origin, lat: -6.25, contactName: 'Budi' }, items: [{ name: 'Kopi', quantity: 1, price: 10_000 }] };
      const booking = await courier.book({ ...req, orderId: 'ORD-VOCAB', quote: (await courier.quote(req))! });
      const raw = async () => (await (await fetch(`${base}/gokilat/v10/booking/orderno/${booking.externalId}`, { headers: { 'Client-ID': creds.clientId, 'Pass-Key': creds.passKey } })).json()) as { status: string };
      assert.equal((await raw()).status, 'Finding Driver');
      await fetch(`${base}/_sim/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ externalId: booking.externalId }) });
      assert.equal((await raw()).status, 'Driver Allocated');
      const words = webhooks.received.map((r) => JSON.parse(r.rawBody.toString()).status);
      assert.deepEqual(words, ['confirmed', 'allocated']);
      assert.equal((await courier.status(booking.externalId)).status, 'driver_assigned');
    } finally {
      await app.close();
      await webhooks.close();
    }
  });
});

describe('GoSend booking events', () => {
  const event = (body: object) => ({ rawBody: Buffer.from(JSON.stringify(body)), headers: { 'x-callback-token': 'tok' } });

  it('maps every GoSend status, including returns and drivers not found', () => {
    assert.equal(GOSEND_STATUS_MAP.rejected, 'returned');
    assert.equal(GOSEND_STATUS_MAP.no_driver, 'no_driver');
    assert.equal(GOSEND_STATUS_MAP.on_hold, 'on_hold');
    assert.equal(Object.keys(GOSEND_STATUS_MAP).length, 10);
  });

  it('reads the status API labels as well as the webhook words, whatever their case or spacing', () => {
    const pairs: [string, string][] = [
      ['Finding Driver', 'finding_driver'],
      ['Driver Allocated', 'driver_assigned'],
      ['Enroute Pickup', 'picking_up'],
      ['Item Picked by Driver', 'picked_up'],
      ['Enroute Drop', 'in_delivery'],
      ['Completed', 'delivered'],
      ['Cancelled', 'cancelled'],
      ['Driver not found', 'no_driver'],
      ['DRIVER NOT FOUND', 'no_driver'],
      ['enroute_pickup', 'picking_up'],
      ['out_for_delivery', 'in_delivery'],
    ];
    for (const [label, status] of pairs) assert.equal(mapGoSendStatus(label), status, label);
    assert.equal(Object.keys(GOSEND_STATUS_LABELS).length, 10);
    assert.equal(mapGoSendStatus('Teleported'), undefined);
  });

  it('takes the tracking link in either spelling', () => {
    const camel = verifyGoSendWebhook(event({ booking_id: 'GK-11-2', status: 'allocated', liveTrackingUrl: 'https://t.example/a' }), 'tok');
    const snake = verifyGoSendWebhook(event({ booking_id: 'GK-11-2', status: 'allocated', live_tracking_url: 'https://t.example/b' }), 'tok');
    assert.ok(camel.ok && snake.ok);
    assert.equal(camel.updates[0].trackingUrl, 'https://t.example/a');
    assert.equal(snake.updates[0].trackingUrl, 'https://t.example/b');
  });

  it('keys an event without event_id on booking and status, and reads the event time', () => {
    const v = verifyGoSendWebhook(event({ entity_id: 'GK-11-1', status: 'picked', event_date: 1648542933000 }), 'tok');
    assert.ok(v.ok);
    assert.equal(v.updates[0].eventKey, 'GK-11-1:picked');
    assert.equal(v.updates[0].status, 'picked_up');
    assert.equal(v.updates[0].at?.toISOString(), '2022-03-29T08:35:33.000Z');
  });

  it('acknowledges an event with a status pesan does not know, without an update', () => {
    const v = verifyGoSendWebhook(event({ booking_id: 'GK-11-1', status: 'teleported', event_id: 'e1' }), 'tok');
    assert.deepEqual(v, { ok: true, updates: [] });
  });

  it('refuses every webhook when no token is configured', () => {
    const v = verifyGoSendWebhook({ rawBody: Buffer.from('{}'), headers: { 'x-callback-token': '' } }, '');
    assert.equal(v.ok, false);
  });
});
