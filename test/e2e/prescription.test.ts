// Prescription-only products: the customer sends a photo, a pharmacist decides, and payment is
// only possible after approval.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import { stockOf, startPesan, type Customer, type Pesan } from '../helpers/pesan.js';

// Any real image will do as the "photo"; a PNG made here keeps the test offline.
const photo = async () => (await QRCode.toBuffer('resep dr. Siti: Amoxicillin 500mg 3x1', { type: 'png' })).toString('base64');

async function orderUntilPrescription(p: Pesan, c: Customer): Promise<string> {
  await c.say('amoxicillin 1');
  await c.waitFor((_m, t) => t.includes('butuh resep dokter'), 'prescription flag');
  await c.mark();
  await c.tap('confirm');
  await c.waitFor((_m, t) => t.includes('kirim foto resep'), 'prescription request');
  const orders = (await p.api('GET', '/api/v1/orders?status=awaiting_prescription')).body.orders;
  const order = orders.find((o: any) => o.customer.wa_id === c.waId);
  assert.ok(order, 'order waits for the prescription');
  // No payment can be chosen yet.
  await c.mark();
  await c.tap('pay:qris');
  await c.waitFor((_m, t) => t.includes('kirim foto resep'), 'asked again for the prescription, no charge');
  assert.equal((await p.api('GET', `/api/v1/orders/${order.id}`)).body.payment, null);
  await c.mark();
  await c.sendImage(await photo(), 'image/png');
  await c.waitFor((_m, t) => t.includes('resep sedang dicek'), 'prescription received');
  for (let i = 0; i < 50; i++) {
    const detail = (await p.api('GET', `/api/v1/orders/${order.id}`)).body;
    if (detail.timeline.some((e: any) => e.type === 'prescription_stored')) return order.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('the prescription photo was not stored');
}

describe('prescription orders', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite' });
  });
  after(() => p.stop());

  it('stores the photo, and after approval asks for the location and takes payment', async () => {
    const c = p.customer('6281400000001');
    const id = await orderUntilPrescription(p, c);
    const media = await p.ctx.db.one<{ n: number; bytes: number }>(`SELECT COUNT(*)::int AS n, MAX(length(data))::int AS bytes FROM media WHERE order_id = $1 AND kind = 'prescription'`, [id]);
    assert.equal(media!.n, 1);
    assert.ok(media!.bytes > 100);
    await c.mark();
    const res = await p.api('POST', `/api/v1/orders/${id}/prescription`, { decision: 'approve' });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'awaiting_payment');
    await c.waitFor((_m, t) => t.includes('Resep disetujui'), 'approval message');
    await c.waitFor((m) => m.message.interactive?.type === 'location_request_message', 'location request');
    await c.mark();
    await c.shareLocation(-6.25, 106.82);
    await c.waitFor((_m, t) => t.includes('Total:'), 'total');
    await c.mark();
    await c.tap('pay:qris');
    await c.waitFor((m) => m.message.type === 'image', 'QRIS after approval');
    // A decision can only be made once.
    assert.equal((await p.api('POST', `/api/v1/orders/${id}/prescription`, { decision: 'reject' })).status, 409);
  });

  it('on rejection cancels the order, returns the stock and tells the customer why', async () => {
    const c = p.customer('6281400000002');
    const before = await stockOf(p, 'OBT-AMOX500');
    const id = await orderUntilPrescription(p, c);
    assert.equal(await stockOf(p, 'OBT-AMOX500'), before - 1);
    await c.mark();
    const res = await p.api('POST', `/api/v1/orders/${id}/prescription`, { decision: 'reject', note: 'resep sudah kedaluwarsa' });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'cancelled');
    await c.waitFor((_m, t) => t.includes('resep tidak dapat diterima') && t.includes('kedaluwarsa'), 'rejection message');
    assert.equal(await stockOf(p, 'OBT-AMOX500'), before);
    assert.ok(res.body.timeline.some((e: any) => e.type === 'prescription_rejected'));
  });

  it('refuses a decision that is not approve or reject', async () => {
    const res = await p.api('POST', '/api/v1/orders/PSN-NOPE/prescription', { decision: 'maybe' });
    assert.equal(res.status, 400);
  });
});
