// The whole journey a customer and merchant rely on, over real HTTP between pesan and the
// simulators: WhatsApp → cart → stock → location → QRIS/VA at Midtrans → GoSend → Completed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KINDS } from '../helpers/db.js';
import { stockOf, startPesan, textOf, type Customer, type Pesan } from '../helpers/pesan.js';

async function orderToPayment(p: Pesan, c: Customer, method: { kind: 'qris' } | { kind: 'va'; bank: string }) {
  await c.say('halo');
  await c.waitFor((m, t) => m.message.type === 'interactive' && t.includes('[cat:'), 'menu with categories');
  await c.mark();
  await c.say('paracetamol 2 strip sama aqua 1');
  const summary = await c.waitFor((_m, t) => t.includes('Subtotal'), 'cart summary');
  assert.match(summary.message.interactive.body.text, /Paracetamol 500mg Strip x2 = Rp 10\.000/);
  assert.match(summary.message.interactive.body.text, /Aqua 600ml x1 = Rp 4\.000/);
  assert.match(summary.message.interactive.body.text, /Subtotal: Rp 14\.000/);
  await c.mark();
  await c.tap('confirm', 'Ya, pesan');
  await c.waitFor((m) => m.message.interactive?.type === 'location_request_message', 'location request');
  await c.mark();
  await c.shareLocation(-6.2425, 106.8412, 'Jl. Bangka Raya 12, Mampang');
  const total = await c.waitFor((_m, t) => t.includes('Total:'), 'total with delivery fee');
  const fee = Number(/Ongkir \(GoSend\): Rp ([\d.]+)/.exec(total.message.interactive.body.text)![1].replace(/\./g, ''));
  assert.ok(fee >= 10_000, 'GoSend quoted a real fee');
  await c.mark();
  if (method.kind === 'qris') {
    await c.tap('pay:qris', 'QRIS');
    const qr = await c.waitFor((m) => m.message.type === 'image', 'QRIS image');
    assert.match(qr.message.image.caption, new RegExp(`Rp ${(14_000 + fee).toLocaleString('id-ID').replace(/,/g, '.')}`));
    const media = await fetch(`${p.base}/sandbox/meta/_sim/media/${qr.message.image.id}`);
    assert.equal(media.headers.get('content-type'), 'image/png');
    assert.ok((await media.arrayBuffer()).byteLength > 500, 'a real PNG was uploaded');
  } else {
    await c.tap('pay:va', 'Transfer VA');
    await c.waitFor((_m, t) => t.includes('[bank:bca]'), 'bank list');
    await c.mark();
    await c.tap(`bank:${method.bank}`, method.bank.toUpperCase(), 'list_reply');
    const va = await c.waitFor((_m, t) => t.includes('Virtual account'), 'VA number');
    assert.match(textOf(va), /\*\d{8,}\*/);
  }
  return 14_000 + fee;
}

const GATEWAYS = ['midtrans', 'xendit', 'doku'] as const;
let n = 0;
for (const dbKind of DB_KINDS) {
  for (const gateway of GATEWAYS) {
  for (const method of [{ kind: 'qris' as const }, { kind: 'va' as const, bank: gateway === 'doku' ? 'bni' : 'bca' }]) {
    const seq = ++n;
    describe(`order to Completed with ${method.kind} at ${gateway} on ${dbKind}`, () => {
      let p: Pesan;
      before(async () => {
        p = await startPesan({ db: dbKind });
        const res = await fetch(`${p.base}/sandbox/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [method.kind === 'qris' ? 'qris_gateway' : 'va_gateway']: gateway }) });
        assert.equal(res.status, 200);
      });
      after(async () => {
        await p.stop();
        await p.dropDb();
      });

      it('takes the order, the payment and the delivery, telling the customer each step', async () => {
        const c = p.customer(`628120000${String(seq).padStart(4, '0')}`);
        const pctBefore = await stockOf(p, 'OBT-PCT500');
        const aquaBefore = await stockOf(p, 'MNM-AQUA600');
        const total = await orderToPayment(p, c, method);
        // Reserved at confirmation, not yet sold.
        assert.equal(await stockOf(p, 'OBT-PCT500'), pctBefore - 2);

        await c.mark();
        await c.say('udah bayar ya kak');
        await c.waitFor((_m, t) => /belum kami terima/.test(t), 'not paid yet answer');

        const paid = await fetch(`${p.base}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: c.waId }) });
        assert.equal(paid.status, 200);
        const payInfo = (await paid.json()) as { amount: number; gateway: string };
        assert.equal(payInfo.amount, total);
        assert.equal(payInfo.gateway, gateway);

        await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
        await c.waitFor((_m, t) => t.includes('Driver ditemukan'), 'driver found with details');
        await c.waitFor((_m, t) => t.includes('menuju toko'), 'driver on the way to the store');
        await c.waitFor((_m, t) => t.includes('sudah diambil driver'), 'picked up');
        const done = await c.waitFor((_m, t) => t.includes('sudah sampai'), 'delivered, closing message');
        assert.ok(done);

        const orders = (await p.api('GET', '/api/v1/orders')).body.orders;
        const order = orders.find((o: any) => o.customer.wa_id === c.waId);
        // The completion message is sent in the same transaction as the status; wait for nothing else.
        const detail = (await p.api('GET', `/api/v1/orders/${order.id}`)).body;
        assert.equal(detail.status, 'completed');
        assert.equal(detail.total, total);
        assert.equal(detail.payment.status, 'paid');
        assert.equal(detail.payment.amount, total);
        assert.equal(detail.payment.method, method.kind);
        assert.equal(detail.delivery.courier, 'gosend');
        assert.equal(detail.delivery.status, 'delivered');
        assert.ok(detail.delivery.driver_name);
        const transitions = detail.timeline.filter((e: any) => e.to_status).map((e: any) => e.to_status);
        assert.deepEqual(transitions, ['cart', 'awaiting_confirmation', 'awaiting_payment', 'paid', 'dispatching', 'driver_assigned', 'picked_up', 'delivered', 'completed']);
        assert.ok(detail.timeline.some((e: any) => e.type === 'payment_created'));
        assert.ok(detail.timeline.some((e: any) => e.type === 'courier_booked'));
        // Sold: stock stays down after payment, and nothing else moved.
        assert.equal(await stockOf(p, 'OBT-PCT500'), pctBefore - 2);
        assert.equal(await stockOf(p, 'MNM-AQUA600'), aquaBefore - 1);
        const charges = (await (await fetch(`${p.base}/sandbox/${gateway}/_sim/charges`)).json()) as any;
        const list: any[] = Array.isArray(charges) ? charges : (charges.charges ?? charges.transactions ?? []);
        const mine = list.filter((x) => JSON.stringify(x).includes(order.id));
        assert.equal(mine.length, 1, 'exactly one charge at the gateway');
        assert.ok(JSON.stringify(mine[0]).includes(String(total)), 'charged the order total');
      });
    });
  }
  }
}
