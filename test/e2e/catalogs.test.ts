// One WhatsApp number, two catalogs: the merchant's own (internal) and the client pharmacy
// "Apotek Sehat Farma" whose stock lives in its own system (the rest simulator). pesan routes each
// request to the right catalog, asks when it cannot tell, never mixes two catalogs in a cart, holds
// the client's stock before asking for payment, and records its choice on the conversation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KINDS } from '../helpers/db.js';
import { startPesan, textOf, type Customer, type Pesan } from '../helpers/pesan.js';

const INTERNAL = 'default:internal';
const CLIENT = 'default:apotek';

const conversation = async (p: Pesan, c: Customer) => (await p.api('GET', `/api/v1/conversations/${c.waId}`)).body;
const simState = async (p: Pesan) => (await (await fetch(`${p.base}/sandbox/client-catalog/_sim/state`)).json()) as any;
const simPost = async (p: Pesan, path: string, body: unknown) => {
  const res = await fetch(`${p.base}/sandbox/client-catalog/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, `simulator ${path}`);
};
const isSummary = (_m: unknown, t: string) => t.includes('Subtotal');
const isLocationRequest = (m: any) => m.message.interactive?.type === 'location_request_message';
const summaryText = (m: any) => m.message.interactive.body.text as string;

describe('catalog routing on one number with an internal and a client catalog', () => {
  let p: Pesan;
  let n = 0;
  const customer = () => p.customer(`62813100${String(++n).padStart(4, '0')}`);
  before(async () => {
    p = await startPesan({ db: 'pglite' });
  });
  after(async () => {
    await p.stop();
  });

  it('lists both catalogs through the admin API, never with a token', async () => {
    const res = await p.api('GET', '/api/v1/catalogs');
    assert.equal(res.status, 200);
    const byId = new Map(res.body.catalogs.map((c: any) => [c.id, c]));
    assert.equal((byId.get(INTERNAL) as any).kind, 'internal');
    const client = byId.get(CLIENT) as any;
    assert.equal(client.kind, 'rest');
    assert.equal(client.name, 'Apotek Sehat Farma');
    assert.ok(client.keywords.includes('apotek'));
    assert.equal(client.has_token, true);
    assert.equal(client.connected, true);
    assert.ok(!JSON.stringify(res.body).includes('sandbox-client-catalog-token'), 'the token is never returned');
    assert.equal((await fetch(`${p.base}/api/v1/catalogs`)).status, 401);
  });

  it("keeps the merchant's own products, and products both sell, in the internal catalog", async () => {
    const c = customer();
    await c.say('paracetamol 2 strip sama aqua 1');
    const summary = summaryText(await c.waitFor(isSummary, 'cart summary'));
    assert.match(summary, /Paracetamol 500mg Strip x2/);
    assert.match(summary, /Aqua 600ml x1/);
    const conv = await conversation(p, c);
    assert.equal(conv.catalog_id, INTERNAL);
    assert.equal(conv.active_order.catalog_id, INTERNAL);
    assert.ok(conv.catalog_reason, 'the reason is recorded');
  });

  it('routes a product only the client sells to the client catalog, with the reason on record', async () => {
    const c = customer();
    await c.say('sanmol 2');
    const summary = summaryText(await c.waitFor(isSummary, 'cart summary'));
    assert.match(summary, /Sanmol Sirup 60ml x2 = Rp 46\.000/);
    const conv = await conversation(p, c);
    assert.equal(conv.catalog_id, CLIENT);
    assert.equal(conv.catalog_name, 'Apotek Sehat Farma');
    assert.match(conv.catalog_reason, /Sanmol/);
    assert.match(conv.catalog_reason, /only in Apotek Sehat Farma/);
    assert.equal(conv.active_order.catalog_id, CLIENT);
    assert.deepEqual(conv.active_order.items.map((i: any) => i.sku), ['ASF-SNMSYR']);
  });

  it('routes to the store the customer names, even for a product both sell', async () => {
    const c = customer();
    await c.say('paracetamol 3 di apotek sehat farma');
    const summary = summaryText(await c.waitFor(isSummary, 'cart summary'));
    assert.match(summary, /Paracetamol 500mg x3 = Rp 13\.500/, "the client's paracetamol at the client's price");
    const conv = await conversation(p, c);
    assert.equal(conv.catalog_id, CLIENT);
    assert.match(conv.catalog_reason, /named "apotek sehat farma"/i);

    // Only the name: that store's menu.
    const d = customer();
    await d.say('mau belanja di apotek');
    await d.waitFor((_m, t) => t.includes('belanja di Apotek Sehat Farma'), 'store confirmation');
    const menu = await d.waitFor((m) => m.message.type === 'interactive' && m.message.interactive.type === 'list', 'menu of the client');
    assert.match(textOf(menu), /obat demam/, "the client's categories");
    assert.equal((await conversation(p, d)).catalog_id, CLIENT);
  });

  it('asks with buttons when the message needs both stores, and follows the answer', async () => {
    const c = customer();
    await c.say('aqua sama sanmol');
    const q = await c.waitFor((_m, t) => t.includes('[usecat:'), 'which store question');
    const text = textOf(q);
    assert.ok(q.message.interactive.type === 'button');
    assert.match(text, /\[usecat:default:internal\]/);
    assert.match(text, /\[usecat:default:apotek\]/);
    assert.match(text, /Aqua 600ml/);
    assert.match(text, /Sanmol Sirup 60ml: Apotek Sehat Farma/);
    assert.equal((await conversation(p, c)).active_order, null, 'nothing in a cart before the answer');
    await c.mark();
    await c.tap(`usecat:${CLIENT}`, 'Apotek Sehat Farma');
    const summary = summaryText(await c.waitFor(isSummary, 'cart summary'));
    assert.match(summary, /Sanmol Sirup 60ml x1/);
    assert.doesNotMatch(summary, /Aqua/);
    const conv = await conversation(p, c);
    assert.equal(conv.catalog_id, CLIENT);
    assert.match(conv.catalog_reason, /customer chose Apotek Sehat Farma/);
  });

  it("confirms before a second store's product joins a cart, and never mixes them", async () => {
    const c = customer();
    await c.say('aqua 2');
    await c.waitFor(isSummary, 'cart summary');
    const first = (await conversation(p, c)).active_order;
    assert.equal(first.catalog_id, INTERNAL);
    await c.mark();
    await c.say('mylanta 1');
    const q = await c.waitFor((_m, t) => t.includes('[catsw:new]'), 'switch question');
    assert.match(textOf(q), /Mylanta Cair 50ml ada di Apotek Sehat Farma/);
    assert.match(textOf(q), /\[catsw:keep\]/);
    let conv = await conversation(p, c);
    assert.equal(conv.active_order.id, first.id);
    assert.deepEqual(conv.active_order.items.map((i: any) => i.sku), ['MNM-AQUA600'], 'the cart was not touched');

    // Keep the cart: nothing from the other store is added.
    await c.mark();
    await c.tap('catsw:keep', 'Lanjut keranjang');
    const kept = summaryText(await c.waitFor(isSummary, 'cart summary again'));
    assert.match(kept, /Aqua 600ml x2/);
    assert.doesNotMatch(kept, /Mylanta/);

    // Ask again and start a new order there: the old cart is cancelled, the new one has only Mylanta.
    await c.mark();
    await c.say('mylanta 1');
    await c.waitFor((_m, t) => t.includes('[catsw:new]'), 'switch question again');
    await c.mark();
    await c.tap('catsw:new', 'Pesanan baru');
    const fresh = summaryText(await c.waitFor(isSummary, 'new cart summary'));
    assert.match(fresh, /Mylanta Cair 50ml x1/);
    assert.doesNotMatch(fresh, /Aqua/);
    conv = await conversation(p, c);
    assert.equal(conv.catalog_id, CLIENT);
    assert.match(conv.catalog_reason, /new order/);
    assert.notEqual(conv.active_order.id, first.id);
    assert.equal(conv.active_order.catalog_id, CLIENT);
    assert.equal((await p.api('GET', `/api/v1/orders/${first.id}`)).body.status, 'cancelled');

    // Back in the client store, a product both sell stays there.
    await c.mark();
    await c.say('paracetamol 1');
    const both = summaryText(await c.waitFor(isSummary, 'summary with both items'));
    assert.match(both, /Mylanta Cair 50ml x1/);
    assert.match(both, /Paracetamol 500mg x1/);
  });

  it("offers the other store in the menu, and a tap there shows that store's menu", async () => {
    const c = customer();
    await c.say('halo');
    const menu = await c.waitFor((_m, t) => t.includes('[cat:'), 'greeting menu');
    assert.match(textOf(menu), /\[usecat:default:apotek\] Apotek Sehat Farma/);
    await c.mark();
    await c.tap(`usecat:${CLIENT}`, 'Apotek Sehat Farma', 'list_reply');
    await c.waitFor((_m, t) => t.includes('belanja di Apotek Sehat Farma'), 'store confirmation');
    const clientMenu = await c.waitFor((_m, t) => t.includes('[cat:'), "the client's menu");
    assert.match(textOf(clientMenu), /obat demam/);
    assert.match(textOf(clientMenu), /\[usecat:default:internal\]/, 'and the way back');
    // 16 categories: a page of them, "Lainnya…" for the rest.
    assert.doesNotMatch(textOf(clientMenu), /vitamin/);
    assert.match(textOf(clientMenu), /\[cats:1\] Lainnya/);
    await c.mark();
    await c.tap('cats:1', 'Lainnya…', 'list_reply');
    const next = await c.waitFor((_m, t) => t.includes('[cat:'), 'next page of categories');
    assert.match(textOf(next), /\[cat:\d+:0\] vitamin/);
    assert.doesNotMatch(textOf(next), /obat demam\n/);
    assert.match((await conversation(p, c)).catalog_reason, /customer chose Apotek Sehat Farma/);
  });

  it('imports a CSV over the API all or nothing, with an error per bad row, and exports it back', async () => {
    const post = (body: string, type = 'text/csv', query = '') =>
      fetch(`${p.base}/api/v1/products/import${query}`, { method: 'POST', headers: { authorization: `Bearer ${p.adminKey}`, 'content-type': type }, body });
    const skus = async () => (await p.api('GET', '/api/v1/products')).body.products as any[];
    const before = await skus();

    const bad = await post('sku,name,price,stock\nCSV-KOPI,Kopi Kapal Api,2500,40\nCSV-TEH,Teh Celup,abc,10\nCSV-GULA,,5000,3\n');
    assert.equal(bad.status, 400);
    const report = (await bad.json()) as any;
    assert.equal(report.imported, 0);
    assert.deepEqual(report.errors.map((e: any) => [e.row, e.field]), [[3, 'price'], [4, 'name']]);
    assert.deepEqual(await skus(), before, 'nothing imported, not even the good row');

    // Excel with Indonesian settings: semicolons, Indonesian headers, rupiah as merchants write it.
    const good = await p.api('POST', '/api/v1/products/import', { csv: 'kode;nama;harga;stok;kategori;alias\nCSV-KOPI;Kopi Kapal Api;Rp 2.500;40;Minuman;kopi|kapal api\nOBT-BODREX;Bodrex Strip;6.500;40;Obat;bodrex\n' });
    assert.equal(good.status, 200);
    assert.equal(good.body.imported, 2);
    const after = await skus();
    assert.equal(after.find((x) => x.sku === 'CSV-KOPI')?.price, 2500);
    assert.equal(after.find((x) => x.sku === 'OBT-BODREX')?.price, 6500);

    // The chat sells what was imported at once.
    const c = customer();
    await c.say('kopi kapal api 2');
    assert.match(summaryText(await c.waitFor(isSummary, 'cart summary')), /Kopi Kapal Api x2 = Rp 5\.000/);

    const exported = await fetch(`${p.base}/api/v1/products/export`, { headers: { authorization: `Bearer ${p.adminKey}` } });
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-type') ?? '', /^text\/csv/);
    const csv = await exported.text();
    assert.match(csv, /^sku,name,price,stock/);
    assert.match(csv, /CSV-KOPI,Kopi Kapal Api,2500,40/);
    const again = await post(csv);
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as any).imported, after.length, 'the export imports back unchanged');

    const client = await post(csv, 'text/csv', `?catalog=${encodeURIComponent(CLIENT)}`);
    assert.equal(client.status, 409, "a client catalog's products live in the client's system");
    assert.equal((await post('', 'text/csv')).status, 400);
  });

  it('answers 404 for a customer it has never talked to', async () => {
    assert.equal((await p.api('GET', '/api/v1/conversations/6289999999')).status, 404);
  });
});

for (const dbKind of DB_KINDS) {
  describe(`an order from the client catalog on ${dbKind}`, () => {
    let p: Pesan;
    before(async () => {
      p = await startPesan({ db: dbKind });
    });
    after(async () => {
      await p.stop();
      await p.dropDb();
    });

    it('holds the stock at the client before payment and sells it there after, to Completed', async () => {
      const c = p.customer('6281320000001');
      const onHand = (await simState(p)).products.find((x: any) => x.sku === 'ASF-SNMSYR').on_hand;
      await c.say('sanmol 2');
      await c.waitFor(isSummary, 'cart summary');
      await c.mark();
      await c.tap('confirm', 'Ya, pesan');
      await c.waitFor((_m, t) => t.includes('cek stok di Apotek Sehat Farma'), 'checking stock at the client');
      await c.waitFor(isLocationRequest, 'location request after the hold');
      const orderId = (await conversation(p, c)).active_order.id;
      let sim = await simState(p);
      const hold = sim.reservations.find((r: any) => r.order_id === orderId);
      assert.equal(hold?.status, 'held');
      assert.deepEqual(hold.lines, [{ sku: 'ASF-SNMSYR', quantity: 2 }]);

      await c.mark();
      await c.shareLocation(-6.2425, 106.8412, 'Jl. Bangka Raya 12, Mampang');
      await c.waitFor((_m, t) => t.includes('Total:'), 'total with delivery fee');
      await c.mark();
      await c.tap('pay:qris', 'QRIS');
      await c.waitFor((m) => m.message.type === 'image', 'QRIS image');
      const paid = await fetch(`${p.base}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: c.waId }) });
      assert.equal(paid.status, 200);
      await c.waitFor((_m, t) => t.includes('sudah sampai'), 'delivered');

      const order = (await p.api('GET', `/api/v1/orders/${orderId}`)).body;
      assert.equal(order.status, 'completed');
      assert.equal(order.catalog_id, CLIENT);
      const types = order.timeline.map((e: any) => e.type);
      assert.ok(types.indexOf('stock_reserved') < types.indexOf('confirmed'), 'held before the order moved on to payment');
      const waitCommitted = async () => {
        for (let i = 0; i < 100; i++) {
          sim = await simState(p);
          if (sim.reservations.find((r: any) => r.order_id === orderId)?.status === 'committed') return;
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.fail('the sale was never recorded at the client');
      };
      await waitCommitted();
      assert.equal(sim.products.find((x: any) => x.sku === 'ASF-SNMSYR').on_hand, onHand - 2, 'sold once at the client');
      assert.equal(sim.reservations.find((r: any) => r.order_id === orderId).customer.phone, c.waId);
    });

    it('reports a product that sold out at the client before confirmation, and never asks for payment', async () => {
      const c = p.customer('6281320000002');
      await c.say('cetirizine 3 sama oralit 2');
      const summary = summaryText(await c.waitFor(isSummary, 'cart summary'));
      assert.match(summary, /Cetirizine 10mg x3/);
      assert.match(summary, /Oralit 200 x2/);
      await simPost(p, 'stock', { sku: 'ASF-CTRZ', stock: 0 });
      await c.mark();
      await c.tap('confirm', 'Ya, pesan');
      const report = await c.waitFor((_m, t) => t.includes('baru saja berubah'), 'sold-out report');
      assert.match(textOf(report), /Cetirizine 10mg: habis/);
      const again = summaryText(await c.waitFor(isSummary, 'cart summary without the sold-out product'));
      assert.doesNotMatch(again, /Cetirizine/);
      assert.match(again, /Oralit 200 x2/);
      const conv = await conversation(p, c);
      assert.equal(conv.active_order.status, 'awaiting_confirmation');
      assert.equal(conv.active_order.payment, null, 'no charge was made');
      assert.ok(!(await c.messages()).some(isLocationRequest), 'never asked for location or payment');
      assert.ok(!(await simState(p)).reservations.some((r: any) => r.order_id === conv.active_order.id), 'nothing held for it');

      // The rest can still be ordered.
      await c.mark();
      await c.tap('confirm', 'Ya, pesan');
      await c.waitFor(isLocationRequest, 'location request for what is left');
      const hold = (await simState(p)).reservations.find((r: any) => r.order_id === conv.active_order.id);
      assert.deepEqual(hold.lines, [{ sku: 'ASF-ORALIT', quantity: 2 }]);
    });

    it('tells the customer politely when the client is too slow, and keeps the cart', async () => {
      const set = await p.api('POST', '/api/v1/catalogs', { id: CLIENT, kind: 'rest', name: 'Apotek Sehat Farma', keywords: ['apotek', 'farma', 'sehat farma'], timeout_ms: 150 });
      assert.equal(set.status, 200);
      assert.equal(set.body.catalog.timeout_ms, 150);
      assert.equal(set.body.catalog.has_token, true, 'the stored token is kept when none is sent');
      const c = p.customer('6281320000003');
      await c.say('procold 2');
      await c.waitFor(isSummary, 'cart summary');
      await simPost(p, 'mode', { mode: 'slow' });
      try {
        await c.mark();
        await c.tap('confirm', 'Ya, pesan');
        const sorry = await c.waitFor((_m, t) => t.includes('tidak bisa dihubungi'), 'polite message');
        assert.match(textOf(sorry), /Keranjang kakak tetap tersimpan/);
        const again = summaryText(await c.waitFor(isSummary, 'cart summary again'));
        assert.match(again, /Procold Flu & Batuk x2/);
        const conv = await conversation(p, c);
        assert.equal(conv.active_order.status, 'awaiting_confirmation');
        assert.deepEqual(conv.active_order.items.map((i: any) => [i.sku, i.quantity]), [['ASF-PRCFLU', 2]]);
        assert.ok(!(await c.messages()).some(isLocationRequest), 'no location request without a hold');
      } finally {
        await simPost(p, 'mode', { mode: 'normal' });
      }
      await c.mark();
      await c.tap('confirm', 'Ya, pesan');
      await c.waitFor(isLocationRequest, 'location request once the client answers again');
    });
  });
}
