// Refunds end to end: orders flagged for refund are listed, refunded through the gateway where its API
// can (QRIS) or recorded by hand with the bank reference (VA), on the timeline with who did it, and the
// customer is told.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { postJson, startPesan, toMethodChoice, chooseQris, chooseVa, type Customer, type Pesan } from '../helpers/pesan.js';

for (const gateway of ['midtrans', 'xendit', 'doku'] as const) {
  describe(`refunds at ${gateway}`, () => {
    let p: Pesan;
    before(async () => {
      p = await startPesan({ db: 'pglite', env: { COURIERS: 'manual', PAYMENT_QRIS_GATEWAY: gateway, PAYMENT_VA_GATEWAY: gateway } });
    });
    after(() => p.stop());

    /** A paid order the merchant then cancels: the customer is owed the total. */
    async function paidThenCancelled(c: Customer, method: 'qris' | 'va'): Promise<{ orderId: string; total: number }> {
      await toMethodChoice(c);
      if (method === 'qris') await chooseQris(c);
      else await chooseVa(c, 'bni');
      const paid = await postJson(`${p.base}/sandbox/pay`, { wa_id: c.waId });
      assert.equal(paid.status, 200);
      await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
      const orderId = (await p.api('GET', '/api/v1/orders')).body.orders.find((o: any) => o.customer.wa_id === c.waId).id as string;
      const cancelled = await p.api('POST', `/api/v1/orders/${orderId}/cancel`, { reason: 'stok habis' });
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      return { orderId, total: paid.body.amount };
    }

    it('a paid QRIS order cancelled by the merchant is listed as pending, refunded through the gateway once, and the customer told', async () => {
      const c = p.customer(gateway === 'midtrans' ? '6281470000001' : gateway === 'xendit' ? '6281470000011' : '6281470000021');
      const { orderId, total } = await paidThenCancelled(c, 'qris');
      const pending = await p.api('GET', '/api/v1/refunds?status=pending');
      const mine = pending.body.refunds.find((r: any) => r.order_id === orderId);
      assert.ok(mine, JSON.stringify(pending.body));
      assert.equal(mine.amount_due, total);

      await c.mark();
      const tooMuch = await p.api('POST', `/api/v1/orders/${orderId}/refund`, { amount: total + 1, reason: 'x' });
      assert.equal(tooMuch.status, 400);
      const part = await p.api('POST', `/api/v1/orders/${orderId}/refund`, { amount: 5000, reason: 'stok habis' });
      assert.equal(part.status, 201, JSON.stringify(part.body));
      assert.equal(part.body.refund.method, 'gateway');
      assert.ok(part.body.refund.gateway_refund_id);
      const still = (await p.api('GET', '/api/v1/refunds?status=pending')).body.refunds.find((r: any) => r.order_id === orderId);
      assert.equal(still.amount_due, total - 5000);
      const rest = await p.api('POST', `/api/v1/orders/${orderId}/refund`, { reason: 'stok habis' });
      assert.equal(rest.status, 201, JSON.stringify(rest.body));
      assert.equal(rest.body.refund.amount, total - 5000);
      assert.equal((await p.api('POST', `/api/v1/orders/${orderId}/refund`, { reason: 'again' })).status, 409, 'nothing left to refund');

      await c.waitFor((_m, t) => t.includes('sudah kami kembalikan') && t.includes(orderId), 'customer told');
      const o = (await p.api('GET', `/api/v1/orders/${orderId}`)).body;
      const refunded = o.timeline.filter((e: any) => e.type === 'refunded');
      assert.deepEqual(refunded.map((e: any) => e.data.amount), [5000, total - 5000]);
      assert.ok(refunded.every((e: any) => e.data.by === 'admin API key' && e.data.gateway === gateway && e.data.reason === 'stok habis'));
      assert.equal((await p.api('GET', '/api/v1/refunds?status=pending')).body.refunds.some((r: any) => r.order_id === orderId), false);
      const done = (await p.api('GET', '/api/v1/refunds?status=done')).body.refunds.filter((r: any) => r.order_id === orderId);
      assert.equal(done.length, 2);
    });

    it('a VA payment cannot be refunded by API: refused without a bank reference, recorded by hand with one', async () => {
      const c = p.customer(gateway === 'midtrans' ? '6281470000002' : gateway === 'xendit' ? '6281470000012' : '6281470000022');
      const { orderId, total } = await paidThenCancelled(c, 'va');
      const refused = await p.api('POST', `/api/v1/orders/${orderId}/refund`, { reason: 'pesanan dibatalkan' });
      assert.equal(refused.status, 400);
      assert.match(refused.body.error, /bank_reference/);
      await c.mark();
      const manual = await p.api('POST', `/api/v1/orders/${orderId}/refund`, { reason: 'pesanan dibatalkan', bank_reference: 'BCA-TRF-88123' });
      assert.equal(manual.status, 201, JSON.stringify(manual.body));
      assert.deepEqual([manual.body.refund.method, manual.body.refund.amount, manual.body.refund.bank_reference], ['manual', total, 'BCA-TRF-88123']);
      await c.waitFor((_m, t) => t.includes('BCA-TRF-88123'), 'customer told with the reference');
    });
  });
}

describe('refunds API input', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite' });
  });
  after(() => p.stop());

  it('refuses unknown orders, a missing reason and unknown status filters', async () => {
    assert.equal((await p.api('POST', '/api/v1/orders/NOPE/refund', { reason: 'x' })).status, 404);
    assert.equal((await p.api('POST', '/api/v1/orders/NOPE/refund', {})).status, 400);
    assert.equal((await p.api('GET', '/api/v1/refunds?status=maybe')).status, 400);
  });
});
