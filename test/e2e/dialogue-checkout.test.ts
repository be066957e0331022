// Checkout as customers type it, through signed webhooks from the Meta simulator: a typed address
// is where the order goes (no pin demanded; the shop's courier quotes it, a pin sent later lets the
// couriers quote), and a payment method named before the total is known is used once it is.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KINDS } from '../helpers/db.js';
import { ask, cartOf, startPesan, textOf, type Customer, type Pesan, type SimMessage } from '../helpers/pesan.js';

const summaryWith = (re: RegExp) => (t: string) => t.includes('Subtotal') && re.test(t);
const isLocationRequest = (m: SimMessage) => m.message.interactive?.type === 'location_request_message';
const isMethodQuestion = (m: SimMessage) => (m.message.interactive?.action?.buttons ?? []).some((b: any) => b.reply.id === 'pay:qris');
const outSince = async (c: Customer) => (await c.messages()).slice(c.cursor).filter((m) => m.direction === 'out');

async function orderOf(p: Pesan, waId: string): Promise<any> {
  const listed = ((await p.api('GET', '/api/v1/orders')).body.orders as any[]).find((o) => o.customer.wa_id === waId);
  return (await p.api('GET', `/api/v1/orders/${listed.id}`)).body;
}

async function confirmToLocationRequest(c: Customer): Promise<void> {
  await c.mark();
  await c.tap('confirm', 'Ya, pesan');
  await c.waitFor((m) => isLocationRequest(m), 'location request');
}

let n = 0;
for (const dbKind of DB_KINDS) {
  describe(`dialogue: checkout on ${dbKind}`, () => {
    let p: Pesan;
    const customer = () => p.customer(`62815${dbKind === 'pglite' ? 1 : 2}000${String(++n).padStart(4, '0')}`);
    before(async () => {
      p = await startPesan({ db: dbKind });
    });
    after(async () => {
      await p.stop();
      await p.dropDb();
    });

    it('takes a typed address instead of the pin: the shop courier quotes it, the VA comes, the paid order is dispatched by hand', async () => {
      const c = customer();
      await ask(c, 'paracetamol 2', summaryWith(/Paracetamol 500mg Strip x2/), 'summary');
      await confirmToLocationRequest(c);
      await c.mark();
      await c.say('kirim ke jl. tebet barat dalam 2 no 5, jakarta selatan');
      const total = textOf(await c.waitFor((_m, t) => t.includes('Total:'), 'total quoted for the typed address'));
      assert.match(total, /Ongkir \(Kurir toko\): Rp 15\.000/);
      assert.ok(!(await outSince(c)).some(isLocationRequest), 'the pin is not asked for again');
      const quoted = await orderOf(p, c.waId);
      assert.equal(quoted.status, 'awaiting_payment');
      assert.equal(quoted.courier, 'manual');
      assert.equal(quoted.items.map((i: any) => `${i.sku}*${i.quantity}`).join(' '), 'OBT-PCT500*2');
      const row = await p.ctx.db.one<{ delivery_address: string; delivery_lat: number | null }>('SELECT delivery_address, delivery_lat FROM orders WHERE id = $1', [quoted.id]);
      assert.equal(row!.delivery_address, 'jl. tebet barat dalam 2 no 5, jakarta selatan');
      assert.equal(row!.delivery_lat, null);

      await ask(c, 'va bri', (t) => t.includes('Virtual account BRI'), 'VA number');
      await c.mark();
      const paid = await fetch(`${p.base}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: c.waId }) });
      assert.equal(paid.status, 200);
      await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
      for (let i = 0; i < 100; i++) {
        const o = await orderOf(p, c.waId);
        if (o.timeline.some((e: any) => e.type === 'manual_dispatch_required')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const dispatched = await orderOf(p, c.waId);
      assert.ok(dispatched.timeline.some((e: any) => e.type === 'manual_dispatch_required'), 'the shop is asked to send its own courier');
      assert.ok(!dispatched.timeline.some((e: any) => e.type === 'courier_booked'), 'no API courier is booked without a pin');
    });

    it('uses an address typed while shopping at confirmation, and a pin sent later lets the courier quote', async () => {
      const c = customer();
      await ask(c, 'alamat saya Jl. Kemang Raya No. 5, RT 03, Jakarta Selatan', (t) => /Alamat sudah dicatat/.test(t), 'address kept');
      await ask(c, 'aqua 1', summaryWith(/Aqua 600ml x1/), 'summary');
      await c.mark();
      await c.tap('confirm', 'Ya, pesan');
      await c.waitFor((_m, t) => /diantar ke Jl\. Kemang Raya No\. 5/.test(t), 'saved address used');
      const total = textOf(await c.waitFor((_m, t) => t.includes('Total:'), 'total for the address'));
      assert.match(total, /Kurir toko/);
      assert.ok(!(await outSince(c)).some(isLocationRequest), 'no pin asked');
      const typed = await orderOf(p, c.waId);
      assert.equal(typed.items.map((i: any) => `${i.sku}*${i.quantity}`).join(' '), 'MNM-AQUA600*1');
      // staff sending the shop's own courier see where to go before any pin
      assert.deepEqual(typed.delivery_location, { lat: null, lng: null, address: 'Jl. Kemang Raya No. 5, RT 03, Jakarta Selatan' });

      await c.mark();
      await c.shareLocation(-6.2425, 106.8412);
      const requoted = textOf(await c.waitFor((_m, t) => t.includes('Total:'), 'total quoted again with the pin'));
      assert.match(requoted, /Ongkir \(GoSend\)/);
      const o = await orderOf(p, c.waId);
      assert.equal(o.courier, 'gosend');
      assert.deepEqual(o.delivery_location, { lat: -6.2425, lng: 106.8412, address: 'Jl. Kemang Raya No. 5, RT 03, Jakarta Selatan' });
    });

    it('keeps a payment method named in the order message and pays with it once the fee is known', async () => {
      const c = customer();
      const replies = await ask(c, 'paracetamol 2 sama aqua 1, bayarnya qris aja', summaryWith(/Aqua 600ml x1/), 'summary');
      assert.match(replies, /Paracetamol 500mg Strip x2/);
      assert.equal(await cartOf(p, c.waId), 'MNM-AQUA600*1 OBT-PCT500*2');
      assert.ok((await c.texts()).some((t) => /bayarnya pakai QRIS setelah ongkir/.test(t)), 'the method is said back');
      await confirmToLocationRequest(c);
      await c.mark();
      await c.shareLocation(-6.2425, 106.8412, 'Jl. Bangka Raya 12');
      await c.waitFor((m) => m.message.type === 'image', 'QRIS image without a method question');
      const out = await outSince(c);
      assert.ok(out.some((m) => /Bayar pakai QRIS/.test(textOf(m)) && /Total:/.test(textOf(m))), 'the total says how it is paid');
      assert.ok(!out.some(isMethodQuestion), 'not asked how to pay again');
      const o = await orderOf(p, c.waId);
      assert.equal(o.payment.method, 'qris');
      assert.equal(o.payment.amount, o.total);
      assert.ok(o.delivery_fee > 0, 'the charge includes the delivery fee');
      assert.equal(o.items.map((i: any) => `${i.sku}*${i.quantity}`).sort().join(' '), 'MNM-AQUA600*1 OBT-PCT500*2');
    });

    it('asks for the pin after a typed address when the shop has no courier of its own', async () => {
      assert.equal((await p.api('PATCH', '/api/v1/settings', { couriers: ['gosend', 'grab'] })).status, 200);
      try {
        const c = customer();
        await ask(c, 'aqua 2', summaryWith(/Aqua 600ml x2/), 'summary');
        await confirmToLocationRequest(c);
        await c.mark();
        await c.say('kirim ke jl. bangka raya no 12, mampang, jakarta selatan');
        const asked = await c.waitFor((m) => isLocationRequest(m), 'pin requested');
        assert.match(textOf(asked), /pin lokasi/);
        await c.mark();
        await c.shareLocation(-6.2425, 106.8412);
        assert.match(textOf(await c.waitFor((_m, t) => t.includes('Total:'), 'total with the pin')), /Ongkir \(GoSend\)/);
      } finally {
        assert.equal((await p.api('PATCH', '/api/v1/settings', { couriers: ['gosend', 'grab', 'manual'] })).status, 200);
      }
    });
  });
}
