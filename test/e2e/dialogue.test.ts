// Dialogue behaviours customers expect, through signed webhooks from the Meta simulator: the cart
// commands, a place given before it is asked for, questions that add nothing, and readings the bot
// is unsure of, confirmed before they touch the cart. Each asserts the replies and the cart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KINDS } from '../helpers/db.js';
import { ask, cartOf, startPesan, textOf, type Customer, type Pesan } from '../helpers/pesan.js';
import { DEMO_PRODUCTS } from '../../src/sandbox/demo-catalog.js';
import { buildCatalogIndex, parseMessage } from '../../src/nlu/index.js';
import { CONFIRM_BELOW } from '../../src/nlu/types.js';

/** Typos of the catalog's names (one letter dropped or doubled), with a quantity. */
function typosOf(names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const word = name.toLowerCase().split(/\s+/).slice(0, 2).join(' ');
    for (let i = 1; i < word.length; i++) {
      if (word[i] === ' ' || word[i - 1] === ' ') continue;
      out.push(`${word.slice(0, i)}${word.slice(i + 1)} 2`, `${word.slice(0, i)}${word[i]}${word.slice(i)} 2`);
    }
  }
  return out;
}

/**
 * A typo the parser reads as one product but with a score below CONFIRM_BELOW, whatever the
 * parser's current tuning: the dialogue must confirm exactly such readings.
 */
function unsureReading(): { text: string; sku: string; name: string; quantity: number } {
  const index = buildCatalogIndex(DEMO_PRODUCTS);
  const candidates = ['indomi 2', 'indomei 2', 'pnadol 2', 'sangobin 1', 'redoxn 1', 'imbost 1', 'bodrx 1', 'promg 2', 'pocar 2', 'betadin 1', 'sangobn 2', 'redokson 1', 'indomy 2', 'bimoly 1', 'gulak 1', ...typosOf(DEMO_PRODUCTS.map((p) => p.name))];
  for (const text of candidates) {
    const r = parseMessage(text, index);
    const item = r.items[0];
    if (r.items.length === 1 && r.ambiguous.length === 0 && r.unknown.length === 0 && item && item.score < CONFIRM_BELOW && r.intent === 'order') {
      return { text, sku: item.sku, name: DEMO_PRODUCTS.find((p) => p.sku === item.sku)!.name, quantity: item.quantity };
    }
  }
  throw new Error('no candidate message is read with low confidence by the parser; add one');
}

const summaryWith = (re: RegExp) => (t: string) => t.includes('Subtotal') && re.test(t);

let n = 0;
for (const dbKind of DB_KINDS) {
  describe(`dialogue: cart and questions on ${dbKind}`, () => {
    let p: Pesan;
    const customer = () => p.customer(`62813${dbKind === 'pglite' ? 1 : 2}000${String(++n).padStart(4, '0')}`);
    before(async () => {
      p = await startPesan({ db: dbKind });
    });
    after(async () => {
      await p.stop();
      await p.dropDb();
    });

    it('shows the cart, adds with "tambah", replaces with "ganti", and empties with "hapus semua"', async () => {
      const c = customer();
      await ask(c, 'aqua 2', summaryWith(/Aqua 600ml x2/), 'summary with two Aqua');
      assert.equal(await cartOf(p, c.waId), 'MNM-AQUA600*2');

      const added = await ask(c, 'tambah aqua 2', summaryWith(/Aqua 600ml x4/), 'summary with four Aqua');
      assert.match(added, /Rp 16\.000/);
      assert.equal(await cartOf(p, c.waId), 'MNM-AQUA600*4');

      const shown = await ask(c, 'cek keranjang', (t) => t.includes('Subtotal'), 'cart shown');
      assert.match(shown, /Aqua 600ml x4 = Rp 16\.000/);
      assert.equal(await cartOf(p, c.waId), 'MNM-AQUA600*4');

      assert.match(await ask(c, 'berapa totalnya?', (t) => t.includes('Subtotal'), 'total asked'), /Subtotal: Rp 16\.000/);

      await ask(c, 'ganti aqua jadi teh botol', summaryWith(/Teh Botol Sosro 450ml x4/), 'summary after the replacement');
      assert.doesNotMatch(textOf((await c.messages()).filter((m) => m.direction === 'out').at(-1)!), /Aqua/);
      assert.equal(await cartOf(p, c.waId), 'MNM-TEHBOTOL*4');

      await ask(c, 'ganti teh botol jadi 1', summaryWith(/Teh Botol Sosro 450ml x1/), 'quantity changed');
      assert.equal(await cartOf(p, c.waId), 'MNM-TEHBOTOL*1');

      await ask(c, 'hapus semua', (t) => /dikosongkan/.test(t), 'cart emptied');
      assert.equal(await cartOf(p, c.waId), '');
      await ask(c, 'cek keranjang', (t) => /Keranjang masih kosong/.test(t), 'empty cart shown');
    });

    it('keeps a location pin sent before ordering and does not ask for it again', async () => {
      const c = customer();
      await c.mark();
      await c.shareLocation(-6.2425, 106.8412, 'Jl. Bangka Raya 12, Mampang');
      await c.waitFor((_m, t) => /Lokasi sudah dicatat/.test(t), 'location kept');
      assert.equal(await cartOf(p, c.waId), '');
      await ask(c, 'paracetamol 2', summaryWith(/Paracetamol 500mg Strip x2/), 'summary');
      await c.mark();
      await c.tap('confirm', 'Ya, pesan');
      await c.waitFor((_m, t) => /lokasi yang kakak kirim/.test(t), 'saved location used');
      await c.waitFor((_m, t) => t.includes('Total:'), 'total with the delivery fee, no second location request');
      const after = (await c.messages()).slice(c.cursor).filter((m) => m.direction === 'out');
      assert.ok(!after.some((m) => m.message.interactive?.type === 'location_request_message'), 'no location request after confirming');
      const orders = (await p.api('GET', '/api/v1/orders')).body.orders as any[];
      const o = orders.find((x) => x.customer.wa_id === c.waId);
      assert.deepEqual(o.delivery_location, { lat: -6.2425, lng: 106.8412, address: 'Jl. Bangka Raya 12, Mampang' });
      assert.equal(o.items.map((i: any) => `${i.sku}*${i.quantity}`).join(' '), 'OBT-PCT500*2');
      // A typed address after the pin is kept for the driver, not asked again.
      await ask(c, 'Jl. Bangka Raya No. 12, pagar hijau', (t) => /Alamat dicatat untuk driver/.test(t), 'address for the driver');
      const detail = (await p.api('GET', `/api/v1/orders/${o.id}`)).body;
      assert.equal(detail.delivery_location.address, 'Jl. Bangka Raya No. 12, pagar hijau');
      assert.equal(detail.delivery_location.lat, -6.2425);
    });

    it('keeps a pin shared while the prescription is checked, and uses it after approval', async () => {
      const c = customer();
      await ask(c, 'amoxicillin 1', (t) => t.includes('Subtotal'), 'summary');
      await c.mark();
      await c.tap('confirm', 'Ya, pesan');
      await c.waitFor((_m, t) => t.includes('kirim foto resep'), 'prescription requested');
      await c.mark();
      await c.shareLocation(-6.26, 106.81, 'Jl. Tebet Raya 7');
      await c.waitFor((_m, t) => /Lokasi sudah dicatat/.test(t), 'location kept while waiting');
      const id = ((await p.api('GET', '/api/v1/orders')).body.orders as any[]).find((o) => o.customer.wa_id === c.waId).id;
      await c.mark();
      assert.equal((await p.api('POST', `/api/v1/orders/${id}/prescription`, { decision: 'approve' })).status, 200);
      await c.waitFor((_m, t) => t.includes('Total:'), 'total quoted for the kept location');
      const after = (await c.messages()).slice(c.cursor).filter((m) => m.direction === 'out');
      assert.ok(!after.some((m) => m.message.interactive?.type === 'location_request_message'), 'not asked for the location again');
      const o = (await p.api('GET', `/api/v1/orders/${id}`)).body;
      assert.deepEqual(o.delivery_location, { lat: -6.26, lng: 106.81, address: 'Jl. Tebet Raya 7' });
    });

    it('answers "X berapa?" and "ada X ga?" with price and stock and adds nothing', async () => {
      const c = customer();
      const price = await ask(c, 'aqua berapa?', (t) => /Aqua 600ml: Rp 4\.000/.test(t), 'price answer');
      assert.match(price, /stok \d+/);
      assert.equal(await cartOf(p, c.waId), '');
      const stock = await ask(c, 'ada pocari ga?', (t) => /Pocari Sweat 500ml: Rp 8\.500/.test(t), 'stock answer');
      assert.match(stock, /\[add:MNM-POCARI\]/);
      assert.equal(await cartOf(p, c.waId), '');
      // The add button answers the question with an order.
      await c.mark();
      await c.tap('add:MNM-POCARI', '+ Pocari Sweat');
      await c.waitFor((_m, t) => summaryWith(/Pocari Sweat 500ml x1/)(t), 'added from the answer');
      assert.equal(await cartOf(p, c.waId), 'MNM-POCARI*1');
    });

    it('orders the product just asked about on "mau 3", and "ganti jadi Y" replaces the line just added', async () => {
      const c = customer();
      await ask(c, 'aqua berapa?', (t) => /Aqua 600ml: Rp 4\.000/.test(t), 'price answer');
      assert.equal(await cartOf(p, c.waId), '');
      await ask(c, 'mau 3', summaryWith(/Aqua 600ml x3/), 'ordered from the answer');
      assert.equal(await cartOf(p, c.waId), 'MNM-AQUA600*3');
      await ask(c, 'paracetamol 2', summaryWith(/Paracetamol 500mg Strip x2/), 'second line');
      await ask(c, 'eh ganti jadi panadol', summaryWith(/Panadol Biru Strip x2/), 'last line replaced');
      assert.equal(await cartOf(p, c.waId), 'MNM-AQUA600*3 OBT-PANADOL*2');
    });

    it('takes corrections as typed: a bare number, "tambah 1 lagi", and "ok 3 aja" after "only 3 left"', async () => {
      const c = customer();
      await ask(c, 'pesen 2 aqua dong', summaryWith(/Aqua 600ml x2/), 'two Aqua');
      await ask(c, 'eh 3 deh', summaryWith(/Aqua 600ml x3/), 'corrected to three');
      await ask(c, 'tambah 1 lagi', summaryWith(/Aqua 600ml x4/), 'one more');
      assert.equal(await cartOf(p, c.waId), 'MNM-AQUA600*4');
      const stock = (await p.api('GET', '/api/v1/products')).body.products.find((x: any) => x.sku === 'VIT-REDOXON').stock as number;
      await ask(c, `redoxon ${stock + 2}`, (t) => new RegExp(`tinggal ${stock}`).test(t), 'only so many left');
      assert.equal(await cartOf(p, c.waId), 'MNM-AQUA600*4', 'nothing added beyond the stock');
      await ask(c, `ok ${stock} aja`, summaryWith(new RegExp(`Redoxon Vitamin C Effervescent x${stock}`)), 'took what is left');
      assert.equal(await cartOf(p, c.waId), `MNM-AQUA600*4 VIT-REDOXON*${stock}`);
    });

    it('says a product is not sold here instead of guessing', async () => {
      const c = customer();
      const reply = await ask(c, 'ada rokok ga?', (t) => /belum tersedia/.test(t), 'not sold here');
      assert.match(reply, /rokok/);
      assert.equal(await cartOf(p, c.waId), '');
    });

    it('confirms a low-confidence reading with buttons before it changes the cart', async () => {
      const c = customer();
      const unsure = unsureReading();
      const asked = await ask(c, unsure.text, (t) => /\[proposal:yes\]/.test(t), 'confirmation buttons');
      assert.ok(asked.includes(`${unsure.name} x${unsure.quantity}`), asked);
      assert.equal(await cartOf(p, c.waId), '', 'nothing in the cart before the customer agrees');
      await c.mark();
      await c.tap('proposal:no', 'Bukan');
      await c.waitFor((_m, t) => /tidak kami tambahkan/.test(t), 'declined');
      assert.equal(await cartOf(p, c.waId), '');

      await ask(c, unsure.text, (t) => /\[proposal:yes\]/.test(t), 'asked again');
      await ask(c, 'iya', (t) => t.includes('Subtotal') && t.includes(`${unsure.name} x${unsure.quantity}`), 'typed yes adds it');
      assert.equal(await cartOf(p, c.waId), `${unsure.sku}*${unsure.quantity}`);
    });
  });
}
