// Customers who write English get English; Indonesian is the default. Slang and typos still order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPesan, type Pesan } from '../helpers/pesan.js';

describe('language and free text', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite' });
  });
  after(() => p.stop());

  it('answers English in English, with rupiah totals', async () => {
    const c = p.customer('6281600000001', 'John');
    await c.say('hi there, I would like to order 2 panadol and one aqua please');
    const summary = await c.waitFor((_m, t) => t.includes('Your order'), 'English summary');
    const text = summary.message.interactive.body.text as string;
    assert.match(text, /Panadol Biru Strip x2 = Rp 29\.000/);
    assert.match(text, /Aqua 600ml x1 = Rp 4\.000/);
    assert.match(text, /Subtotal: Rp 33\.000/);
    const buttons = summary.message.interactive.action.buttons.map((b: any) => b.reply.title);
    assert.deepEqual(buttons, ['Yes, order', 'Add more', 'Cancel']);
  });

  it('understands Indonesian slang with typos, and asks instead of guessing between look-alike products', async () => {
    const c = p.customer('6281600000002');
    await c.say('kak mau pesen paracetmol 2 sm tolak angin 3 ya');
    const summary = await c.waitFor((_m, t) => t.includes('Pesanan kakak'), 'Indonesian summary');
    assert.match(summary.message.interactive.body.text, /Paracetamol 500mg Strip x2/);
    assert.match(summary.message.interactive.body.text, /Tolak Angin Cair Sachet x3/);
    // Two variants equally named: pesan asks, and the tapped choice goes into the cart.
    await p.api('PUT', '/api/v1/products', [
      { sku: 'SBN-LB-RED', name: 'Sabun Lifebuoy Merah 85g', price: 4500, stock: 20, category: 'Kebutuhan Rumah' },
      { sku: 'SBN-LB-GRN', name: 'Sabun Lifebuoy Hijau 85g', price: 4500, stock: 20, category: 'Kebutuhan Rumah' },
    ]);
    await c.mark();
    await c.say('sabun lifebuoy 2');
    const q = await c.waitFor((_m, t) => t.includes('yang mana'), 'which one question');
    const ids: string[] = (q.message.interactive.action.buttons ?? q.message.interactive.action.sections.flatMap((s: any) => s.rows)).map((b: any) => b.reply?.id ?? b.id);
    assert.ok(ids.includes('pick:SBN-LB-RED:2') && ids.includes('pick:SBN-LB-GRN:2'), 'offers both variants with the quantity');
    await c.mark();
    await c.tap('pick:SBN-LB-GRN:2', 'Sabun Lifebuoy Hijau');
    const s2 = await c.waitFor((_m, t) => t.includes('Pesanan kakak'), 'summary with the chosen variant');
    assert.match(s2.message.interactive.body.text, /Sabun Lifebuoy Hijau 85g x2/);
    assert.doesNotMatch(s2.message.interactive.body.text, /Merah/);
  });

  it('says "not found" with suggestions for a product the shop does not sell', async () => {
    const c = p.customer('6281600000003');
    await c.say('ada jual sepatu futsal 1?');
    await c.waitFor((_m, t) => /(tidak|belum) (tersedia|ketemu)|kurang paham/.test(t), 'not found answer');
    const orders = (await p.api('GET', '/api/v1/orders')).body.orders.filter((o: any) => o.customer.wa_id === c.waId);
    assert.equal(orders.length, 0, 'no order was created from a guess');
  });
});

describe('product questions', () => {
  it('answers price and stock, with the product picture when the catalog has one', async () => {
    const p = await startPesan({ db: 'pglite' });
    try {
      const put = await p.api('PUT', '/api/v1/products', [
        { sku: 'HB-MADU', name: 'Madu Hutan Asli 250ml', price: 65_000, stock: 7, category: 'Vitamin', image_url: 'https://cdn.example.id/madu.jpg', aliases: ['madu'] },
      ]);
      assert.equal(put.status, 200);
      const c = p.customer('6281600000009');
      await c.say('madu hutan ada? harganya berapa kak');
      const img = await c.waitFor((m) => m.message.type === 'image', 'product picture');
      assert.equal(img.message.image.link, 'https://cdn.example.id/madu.jpg');
      const info = await c.waitFor((_m, t) => t.includes('Rp 65.000') && t.includes('stok 7'), 'price and stock');
      assert.deepEqual(info.message.interactive.action.buttons.map((b: any) => b.reply.id), ['add:HB-MADU']);
    } finally {
      await p.stop();
    }
  });
});
