// Dialogue behaviours beyond the cart, through signed webhooks from the Meta simulator: greetings
// and small talk, payment and store questions answered from the merchant's settings, the minimum
// order, a person when asked or when the bot cannot read the customer (the question kept for
// staff), and a shop whose catalog is empty.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KINDS } from '../helpers/db.js';
import { repliesTo, ask, cartOf, handled, outboundCount, startPesan, textOf, type Customer, type Pesan } from '../helpers/pesan.js';

let n = 0;
for (const dbKind of DB_KINDS) {
  describe(`dialogue: talk, questions and people on ${dbKind}`, () => {
    let p: Pesan;
    const customer = () => p.customer(`62814${dbKind === 'pglite' ? 1 : 2}000${String(++n).padStart(4, '0')}`);
    before(async () => {
      p = await startPesan({ db: dbKind });
    });
    after(async () => {
      await p.stop();
      await p.dropDb();
    });

    it('greets in any form and answers thanks, compliments and goodbyes briefly', async () => {
      const c = customer();
      for (const greeting of ['haloo apotek', 'assalamualaikum', 'pagi kak']) {
        const replies = await repliesTo(c, greeting, (t) => t.includes('[cat:'), `menu after "${greeting}"`);
        assert.ok(replies.some((t) => /Selamat datang/.test(t)), `greeted for "${greeting}": ${replies.join(" / ")}`);
      }
      assert.match(await ask(c, 'makasih kak', (t) => /Sama-sama/.test(t), 'thanks answered'), /Sama-sama kak/);
      await ask(c, 'mantap, pelayanannya cepat', (t) => /senang bisa membantu/.test(t), 'compliment answered');
      await ask(c, 'dadah', (t) => /sampai jumpa/.test(t), 'goodbye answered');
      await ask(c, 'thank you so much', (t) => /You're welcome/.test(t), 'English thanks in English');
      assert.equal(await cartOf(p, c.waId), '', 'small talk adds nothing');
    });

    it('lists the products of a kind when asked what the shop has of it, and adds nothing', async () => {
      const c = customer();
      const reply = await ask(c, 'vitamin ada apa aja kak', (t) => /Imboost|Sangobion|Vitamin C/.test(t), 'vitamins listed');
      for (const name of ['Imboost', 'Sangobion']) assert.match(reply, new RegExp(name));
      assert.doesNotMatch(reply, /Paracetamol/);
      assert.equal(await cartOf(p, c.waId), '', 'a browse adds nothing');
    });

    it('answers payment questions with what this shop accepts', async () => {
      const c = customer();
      assert.match(await ask(c, 'COD bisa?', (t) => /COD/.test(t), 'COD answer'), /belum bisa COD/);
      const ovo = await ask(c, 'OVO bisa?', (t) => /QRIS/.test(t), 'OVO answer');
      assert.match(ovo, /Bisa kak! OVO lewat QRIS/);
      const dana = await ask(c, 'bisa bayar pakai dana ga', (t) => /QRIS/.test(t), 'DANA answer');
      assert.match(dana, /DANA lewat QRIS/);
      const tf = await ask(c, 'bisa transfer?', (t) => /virtual account/.test(t), 'transfer answer');
      assert.match(tf, /BCA/);
      assert.equal(await cartOf(p, c.waId), '');
      // The merchant now takes cash on delivery.
      assert.equal((await p.api('PATCH', '/api/v1/settings', { cash_on_delivery: true })).status, 200);
      assert.match(await ask(c, 'COD bisa?', (t) => /COD/.test(t), 'COD answer after the setting'), /Bisa kak, COD/);
      assert.equal((await p.api('PATCH', '/api/v1/settings', { cash_on_delivery: false })).status, 200);
    });

    it('answers store facts from the settings and enforces the minimum order at confirmation', async () => {
      const bad = await p.api('PATCH', '/api/v1/settings', { minimum_order: 1.5 });
      assert.equal(bad.status, 400);
      assert.equal((await p.api('PATCH', '/api/v1/settings', { delivery_area: 'Kemang' })).status, 400);
      const set = await p.api('PATCH', '/api/v1/settings', {
        opening_hours: 'Setiap hari 08.00–21.00 WIB',
        store_address: 'Jl. Mampang Prapatan 10, Jakarta Selatan',
        delivery_area: ['Kemang', 'Mampang', 'Tebet'],
        delivery_radius_km: 7,
        minimum_order: 20_000,
      });
      assert.equal(set.status, 200);
      assert.equal(set.body.minimum_order, 20_000);
      assert.deepEqual(set.body.delivery_area, ['Kemang', 'Mampang', 'Tebet']);
      assert.equal((await p.api('GET', '/api/v1/settings')).body.opening_hours, 'Setiap hari 08.00–21.00 WIB');

      const c = customer();
      assert.match(await ask(c, 'buka jam berapa?', (t) => /Jam buka/.test(t), 'opening hours'), /08\.00–21\.00/);
      assert.match(await ask(c, 'alamatnya di mana kak', (t) => /Alamat kami/.test(t), 'address'), /Mampang Prapatan 10/);
      assert.match(await ask(c, 'bisa kirim ke kemang?', (t) => /kirim/.test(t), 'delivery area'), /Bisa kak, kami kirim ke Kemang/);
      assert.match(await ask(c, 'bisa kirim ke Bogor?', (t) => /radius/.test(t), 'outside the listed areas'), /7 km/);
      assert.match(await ask(c, 'minimal belanja berapa?', (t) => /Minimal belanja/.test(t), 'minimum order'), /Rp 20\.000/);

      await ask(c, 'aqua 2', (t) => t.includes('Subtotal'), 'summary');
      await c.mark();
      await c.tap('confirm', 'Ya, pesan');
      const refused = textOf(await c.waitFor((_m, t) => /Minimal belanja/.test(t), 'below the minimum'));
      assert.match(refused, /Rp 20\.000/);
      assert.match(refused, /Tambah Rp 12\.000/);
      const orders = (await p.api('GET', '/api/v1/orders')).body.orders as any[];
      assert.ok(['cart', 'awaiting_confirmation'].includes(orders.find((o) => o.customer.wa_id === c.waId).status), 'still a cart, nothing reserved');
      await ask(c, 'tambah aqua 3', (t) => /Aqua 600ml x5/.test(t), 'more added');
      await c.mark();
      await c.tap('confirm', 'Ya, pesan');
      await c.waitFor((m) => m.message.interactive?.type === 'location_request_message', 'confirmed at the minimum');
      assert.equal((await p.api('PATCH', '/api/v1/settings', { minimum_order: null })).body.minimum_order, null);
    });

    it('answers the same questions in English when the customer writes English', async () => {
      const c = customer();
      assert.match(await ask(c, 'do you accept cod?', (t) => /cash on delivery/.test(t), 'COD in English'), /Sorry, we don't take cash on delivery/);
      assert.match(await ask(c, 'can I pay with ovo?', (t) => /QRIS/.test(t), 'OVO in English'), /OVO works through QRIS/);
      assert.match(await ask(c, 'what time do you open?', (t) => /Opening hours/.test(t), 'hours in English'), /08\.00–21\.00/);
      assert.match(await ask(c, 'do you deliver to Tebet?', (t) => /deliver/.test(t), 'delivery in English'), /Yes, we deliver to Tebet/);
      assert.match(await ask(c, 'show my cart please', (t) => /cart/.test(t), 'cart in English'), /Your cart is empty/);
    });

    it('hands over to a person in any phrasing', async () => {
      for (const phrase of ['bot ga ngerti, mau orang aja', 'tolong hubungi saya', 'sambungin ke admin']) {
        const c = customer();
        await ask(c, phrase, (t) => /admin kami akan segera membalas/.test(t), `handover for "${phrase}"`);
        const inbox = (await p.api('GET', '/api/v1/inbox?handover=true')).body.conversations as any[];
        assert.ok(inbox.some((x) => x.wa_id === c.waId), `in the handover inbox after "${phrase}"`);
        // While a person handles it the bot is quiet; "bot" brings the bot back with its menu.
        await c.mark();
        await c.say('halo?');
        await c.say('bot');
        const back = await c.waitFor((_m, t) => t.includes('[cat:'), 'menu when the bot is back');
        const between = (await c.messages()).slice(c.cursor).filter((m) => m.direction === 'out' && m.id !== back.id);
        assert.equal(between.length, 0, 'no bot reply while a person was answering');
      }
    });

    it('takes an order typed while the customer waits for a person, and steps back once staff answer', async () => {
      const c = customer();
      await ask(c, 'tolong hubungi saya, mau pesan banyak buat acara', (t) => /admin kami akan segera membalas/.test(t), 'handover');
      // A question is for the person asked for: the bot stays quiet.
      const quiet = await outboundCount(p, c.waId);
      await c.say('ada diskon kalau beli banyak?');
      await handled(p, c);
      await c.shareLocation(-6.2425, 106.8412);
      await handled(p, c);
      assert.equal(await outboundCount(p, c.waId), quiet, 'no bot reply to the question or the pin');
      const ordered = await ask(c, 'aqua 3', (t) => t.includes('Subtotal'), 'the order is taken');
      assert.match(ordered, /Aqua 600ml x3/);
      assert.equal(await cartOf(p, c.waId), 'MNM-AQUA600*3');
      // From the order on the bot serves the customer; staff still see the request.
      assert.match(await ask(c, 'tambah paracetamol 1', (t) => t.includes('Subtotal'), 'more added'), /Paracetamol 500mg Strip x1/);
      assert.equal(await cartOf(p, c.waId), 'MNM-AQUA600*3 OBT-PCT500*1');
      assert.match(await ask(c, 'makasih ya', (t) => /sama-sama/i.test(t), 'thanks answered'), /sama-sama/i);
      const item = ((await p.api('GET', '/api/v1/inbox?handover=true')).body.conversations as any[]).find((x) => x.wa_id === c.waId);
      assert.ok(item, 'still waiting for a person in the inbox');
      assert.match(item.pending_question.text, /tolong hubungi saya/);

      // A person answers: the bot steps back, even for an order.
      assert.equal((await p.api('POST', `/api/v1/inbox/${c.waId}/messages`, { text: 'Halo kak, untuk acara berapa orang?' })).status, 201);
      await c.waitFor((_m, t) => t === 'Halo kak, untuk acara berapa orang?', 'staff reply');
      const before = await outboundCount(p, c.waId);
      await c.say('aqua 10');
      await handled(p, c);
      assert.equal(await outboundCount(p, c.waId), before, 'no bot reply while a person talks');
      assert.equal(await cartOf(p, c.waId), 'MNM-AQUA600*3 OBT-PCT500*1');
    });

    it('offers the menu and a person when asked for help', async () => {
      const c = customer();
      const offer = await ask(c, 'ada yg bisa bantu ga?', (t) => /\[human\]/.test(t), 'help offered');
      assert.match(offer, /\[menu\]/);
      await c.mark();
      await c.tap('menu', 'Lihat menu');
      await c.waitFor((_m, t) => t.includes('[cat:'), 'menu from the help buttons');
    });

    it('after two unreadable messages offers the menu and a person, and keeps the question for staff', async () => {
      const c = customer();
      await ask(c, 'zzkq wrrt', (t) => /kurang paham/.test(t), 'first misread');
      const offer = await ask(c, 'bisa minta faktur pajak', (t) => /\[human\]/.test(t), 'menu and person offered');
      assert.match(offer, /\[menu\]/);
      let item = ((await p.api('GET', '/api/v1/inbox')).body.conversations as any[]).find((x) => x.wa_id === c.waId);
      assert.equal(item.pending_question.text, 'bisa minta faktur pajak');

      await c.mark();
      await c.tap('human', 'Bicara dgn admin');
      await c.waitFor((_m, t) => /admin kami akan segera membalas/.test(t), 'handover from the button');
      // Staff hand the conversation back without answering: the question stays visible.
      assert.equal((await p.api('POST', `/api/v1/inbox/${c.waId}/handover`, { active: false })).status, 200);
      item = ((await p.api('GET', '/api/v1/inbox')).body.conversations as any[]).find((x) => x.wa_id === c.waId);
      assert.equal(item.human_handover, false);
      assert.equal(item.pending_question.text, 'bisa minta faktur pajak');
      // A staff reply answers it.
      assert.equal((await p.api('POST', `/api/v1/inbox/${c.waId}/messages`, { text: 'Bisa kak, kirim NPWP ya' })).status, 201);
      item = ((await p.api('GET', '/api/v1/inbox')).body.conversations as any[]).find((x) => x.wa_id === c.waId);
      assert.equal(item.pending_question, null);
    });

    it('retires an unread message once the bot understands the customer and no person was asked for', async () => {
      const c = customer();
      await ask(c, 'zzkq wrrt', (t) => /kurang paham/.test(t), 'misread');
      let item = ((await p.api('GET', '/api/v1/inbox')).body.conversations as any[]).find((x) => x.wa_id === c.waId);
      assert.equal(item.pending_question.text, 'zzkq wrrt');
      await ask(c, 'aqua 1', (t) => t.includes('Subtotal'), 'understood');
      item = ((await p.api('GET', '/api/v1/inbox')).body.conversations as any[]).find((x) => x.wa_id === c.waId);
      assert.equal(item.pending_question, null);
    });
  });
}

describe('dialogue: a shop whose catalog is empty', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite' });
    const products = (await p.api('GET', '/api/v1/products')).body.products as any[];
    const res = await p.api('PUT', '/api/v1/products', products.map((x) => ({ ...x, active: false })));
    assert.equal(res.status, 200);
  });
  after(() => p.stop());

  it('answers a greeting and the menu with "no products listed yet", never an error', async () => {
    const c = p.customer('6281490000001');
    const hello = await ask(c, 'halo', (t) => /belum memasang daftar produk/.test(t), 'empty catalog answer');
    assert.doesNotMatch(hello, /gangguan/);
    await ask(c, 'menu', (t) => /belum memasang daftar produk/.test(t), 'empty menu answer');
    await c.mark();
    await c.tap('menu', 'Lihat menu');
    await c.waitFor((_m, t) => /belum memasang daftar produk/.test(t), 'menu button on an empty catalog');
    assert.ok(!(await c.texts()).some((t) => /ada gangguan/.test(t)), 'no error apology');
  });
});
