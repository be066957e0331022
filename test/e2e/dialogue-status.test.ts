// "Where is my order?" in any phrasing answers with the order's real state: its status, the driver
// and the tracking link, through signed webhooks and a driver recorded by the merchant.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KINDS } from '../helpers/db.js';
import { ask, cartOf, startPesan, textOf, toMethodChoice, chooseQris, type Customer, type Pesan } from '../helpers/pesan.js';

async function waitStatus(p: Pesan, id: string, status: string): Promise<any> {
  for (let i = 0; i < 300; i++) {
    const o = (await p.api('GET', `/api/v1/orders/${id}`)).body;
    if (o.status === status) return o;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`order ${id} never reached ${status}`);
}

for (const dbKind of DB_KINDS) {
  describe(`dialogue: order status in any phrasing on ${dbKind}`, () => {
    let p: Pesan;
    before(async () => {
      p = await startPesan({ db: dbKind, env: { COURIERS: 'manual' } });
    });
    after(async () => {
      await p.stop();
      await p.dropDb();
    });

    it('reports the real status, the driver and the tracking link', async () => {
      const c = p.customer(dbKind === 'pglite' ? '6281510000001' : '6281520000001');
      assert.match(await ask(c, 'pesanan saya gimana', (t) => /Belum ada pesanan/.test(t), 'no order yet'), /Belum ada pesanan aktif/);

      // Still a cart: the cart is what the order is.
      const cart = await ask(c, 'paracetamol 2', (t) => t.includes('Subtotal'), 'summary');
      assert.match(cart, /Paracetamol 500mg Strip x2/);
      assert.match(await ask(c, 'cek pesanan saya', (t) => t.includes('Subtotal'), 'the cart as the status'), /Paracetamol 500mg Strip x2 = Rp/);
      assert.equal(await cartOf(p, c.waId), 'OBT-PCT500*2');
      await c.mark();
      await c.tap('cancel', 'Batal');
      await c.waitFor((_m, t) => /dibatalkan/i.test(t), 'cart cancelled');

      await toMethodChoice(c, 'paracetamol 2');
      const id = ((await p.api('GET', '/api/v1/orders')).body.orders as any[]).find((o) => o.customer.wa_id === c.waId).id as string;
      assert.match(await ask(c, 'pesanan saya gimana', (t) => t.includes(id), 'status while paying'), /menunggu pembayaran/);

      await chooseQris(c);
      const paid = await fetch(`${p.base}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: c.waId }) });
      assert.equal(paid.status, 200);
      await waitStatus(p, id, 'dispatching');
      const waiting = await ask(c, 'kurirnya udah jalan?', (t) => t.includes(id), 'status while no driver yet');
      assert.match(waiting, /mencari driver/);
      assert.match(waiting, /Driver belum ditugaskan/);

      const dispatched = await p.api('POST', `/api/v1/orders/${id}/dispatch`, {
        provider: 'maxim',
        driver_name: 'Rudi Hartono',
        driver_phone: '6281355556666',
        vehicle_plate: 'B 4321 RH',
        tracking_url: 'https://maxim.example/t/rudi',
      });
      assert.equal(dispatched.status, 200);
      const where = await ask(c, 'drivernya di mana', (t) => t.includes(id), 'status with the driver');
      assert.match(where, /driver menuju toko/);
      assert.match(where, /Rudi Hartono · B 4321 RH/);
      assert.match(where, /6281355556666/);
      assert.match(where, /Lacak: https:\/\/maxim\.example\/t\/rudi/);

      assert.equal((await p.api('POST', `/api/v1/orders/${id}/delivery-status`, { status: 'picked_up' })).body.status, 'picked_up');
      const english = await ask(c, 'track my delivery please', (t) => t.includes(id), 'status in English');
      assert.match(english, /picked up/);
      assert.match(english, /Track: https:\/\/maxim\.example\/t\/rudi/);
      const api = (await p.api('GET', `/api/v1/orders/${id}`)).body;
      assert.equal(api.status, 'picked_up');
      assert.equal(api.delivery.driver_name, 'Rudi Hartono');
    });
  });
}
