// Merchant settings through the admin API, and what happens to money when a paid order is cancelled.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseQris, startPesan, toMethodChoice, type Pesan } from '../helpers/pesan.js';

describe('merchant settings and refunds', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite', env: { SANDBOX_COURIER_STEP_MS: '60000' } });
  });
  after(() => p.stop());

  it('reads and changes settings, refusing what this instance cannot do', async () => {
    const s = (await p.api('GET', '/api/v1/settings')).body;
    assert.equal(s.qris_gateway, 'midtrans');
    assert.deepEqual(s.couriers, ['gosend', 'grab', 'manual']);
    assert.equal((await p.api('PATCH', '/api/v1/settings', { qris_gateway: 'stripe' })).status, 400);
    assert.equal((await p.api('PATCH', '/api/v1/settings', { couriers: ['gosend'], preferred_courier: 'grab' })).status, 400);
    assert.equal((await p.api('PATCH', '/api/v1/settings', { manual_delivery_fee: -5 })).status, 400);
    assert.equal((await p.api('PATCH', '/api/v1/settings', { unknown: 1 })).status, 400);
    const ok = await p.api('PATCH', '/api/v1/settings', { preferred_courier: 'grab', qris_gateway: 'xendit' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.preferred_courier, 'grab');
    assert.equal(ok.body.qris_gateway, 'xendit');
    const res = await fetch(`${p.base}/api/v1/settings`);
    assert.equal(res.status, 401);
  });

  it('books the preferred courier, and a paid order cancelled before pickup is flagged for refund', async () => {
    const c = p.customer('6281800000001');
    const total = await toMethodChoice(c, 'aqua 2');
    assert.match(total.message.interactive.body.text, /Ongkir \(GrabExpress\)/, 'the preferred courier is quoted');
    await chooseQris(c);
    const pay = await fetch(`${p.base}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: c.waId }) });
    const { amount, gateway } = (await pay.json()) as { amount: number; gateway: string };
    assert.equal(gateway, 'xendit', 'the merchant-chosen QRIS gateway took the charge');
    await c.waitFor((_m, t) => t.includes('mencari driver GrabExpress'), 'Grab booked');
    const order = (await p.api('GET', '/api/v1/orders?status=dispatching')).body.orders.find((o: any) => o.customer.wa_id === c.waId);
    assert.ok(order);
    await c.mark();
    const cancel = await p.api('POST', `/api/v1/orders/${order.id}/cancel`, { reason: 'stok rusak' });
    assert.equal(cancel.status, 200);
    assert.equal(cancel.body.status, 'cancelled');
    const refund = cancel.body.timeline.find((e: any) => e.type === 'refund_required');
    assert.ok(refund, 'refund on the timeline');
    assert.equal(refund.data.amount, amount);
    await c.waitFor((_m, t) => t.includes('dikembalikan penuh'), 'customer told about the refund');
    const texts = (await c.texts()).slice(-2);
    assert.match(texts[0], /Pesanan dibatalkan/, 'cancellation first, then the refund');
  });
});
