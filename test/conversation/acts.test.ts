// Dialogue acts the NLU intents do not name, read from the text (and the parser's reading).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bareQuantity, detectAct, yesNo } from '../../src/nlu/acts.js';

const none = { intent: 'other' as const, items: [], ambiguous: [] };
const withItem = { intent: 'order' as const, items: [{ sku: 'A', quantity: 2, quantityExplicit: true, mention: 'aqua', score: 1 }], ambiguous: [] };
const act = (text: string, nlu: any = none) => detectAct(text, nlu)?.act ?? null;

describe('small talk', () => {
  it('reads greetings in any form', () => {
    for (const t of ['haloo apotek', 'assalamualaikum', 'pagi kak', 'Selamat siang', 'hai min', 'good morning']) assert.equal(act(t), 'greeting', t);
  });
  it('reads thanks, goodbyes and compliments', () => {
    for (const t of ['makasih kak', 'terima kasih banyak ya', 'thanks!', 'suwun', 'hatur nuhun']) assert.equal(act(t), 'thanks', t);
    for (const t of ['dadah', 'bye kak', 'sampai jumpa']) assert.equal(act(t), 'goodbye', t);
    for (const t of ['mantap kak cepat banget', 'keren pelayanannya', 'great service']) assert.equal(act(t), 'compliment', t);
  });
  it('leaves an order that starts with thanks to the parser', () => {
    assert.equal(act('makasih, aqua 2 ya', withItem), null);
  });
});

describe('cart commands', () => {
  it('shows, empties, replaces and adds', () => {
    assert.equal(act('cek keranjang'), 'show_cart');
    assert.equal(act('keranjang saya apa aja?'), 'show_cart');
    assert.equal(act('hapus semua'), 'clear_cart');
    assert.equal(act('kosongkan keranjang'), 'clear_cart');
    assert.deepEqual(detectAct('ganti aqua jadi teh botol', withItem), { act: 'replace', from: 'aqua', to: 'teh botol' });
    assert.deepEqual(detectAct('tukar panadol dengan bodrex'), { act: 'replace', from: 'panadol', to: 'bodrex' });
    assert.equal(act('tambah aqua 2', withItem), 'add_more');
    assert.equal(act('aqua 1 lagi', withItem), 'add_more');
    assert.equal(act('aqua 2', withItem), null);
  });
});

describe('questions', () => {
  it('asks about payment without choosing', () => {
    assert.deepEqual(detectAct('COD bisa?'), { act: 'payment_question', topic: 'cod' });
    assert.deepEqual(detectAct('OVO bisa?'), { act: 'payment_question', topic: 'ewallet', wallet: 'ovo' });
    assert.deepEqual(detectAct('bisa bayar pakai shopeepay ga'), { act: 'payment_question', topic: 'ewallet', wallet: 'shopeepay' });
    assert.deepEqual(detectAct('bisa transfer?'), { act: 'payment_question', topic: 'transfer' });
    assert.equal(act('qris aja'), null);
    assert.equal(act('udah transfer ya kak', { ...none, intent: 'payment_claim' }), null);
  });
  it('asks store facts', () => {
    assert.deepEqual(detectAct('buka jam berapa kak?'), { act: 'store_fact', fact: 'hours' });
    assert.deepEqual(detectAct('alamatnya di mana'), { act: 'store_fact', fact: 'address' });
    assert.deepEqual(detectAct('bisa kirim ke Kemang?'), { act: 'store_fact', fact: 'delivery_area', place: 'kemang' });
    assert.deepEqual(detectAct('minimal belanja berapa'), { act: 'store_fact', fact: 'minimum_order' });
    assert.equal(act('alamat saya jl mawar 3'), null);
  });
  it('asks for the order status in many phrasings', () => {
    for (const t of ['kurirnya udah jalan?', 'drivernya di mana', 'track my delivery', 'pesanan saya gimana', 'paketnya kok belum sampai']) assert.equal(act(t), 'order_status', t);
  });
  it('asks for a person in many phrasings', () => {
    for (const t of ['bot ga ngerti, mau orang aja', 'tolong hubungi saya', 'sambungin ke admin', 'mau ngomong sama cs', 'can I talk to a real person']) assert.equal(act(t), 'human', t);
  });
});

describe('help, totals and places that look like products', () => {
  it('reads a call for help, a complaint and a question about the total', () => {
    assert.equal(act('ada yg bisa bantu ga'), 'help');
    assert.equal(act('saya mau komplain'), 'human');
    assert.equal(act('berapa totalnya'), 'total_question');
    assert.equal(act('ongkirnya berapa kak'), 'total_question');
    assert.equal(act('pelayanannya oke banget'), 'compliment');
  });
  it('keeps a delivery question when the place name resembles a product', () => {
    const tebet = { intent: 'ask_product' as const, items: [{ sku: 'TEH', quantity: 1, quantityExplicit: false, mention: 'tebet', score: 0.8 }], ambiguous: [] };
    assert.deepEqual(detectAct('kirim ke tebet bisa?', tebet), { act: 'store_fact', fact: 'delivery_area', place: 'tebet' });
    const tehToTebet = { ...tebet, items: [{ ...tebet.items[0]!, mention: 'teh botol', score: 1 }] };
    assert.equal(act('bisa kirim teh botol ke tebet?', tehToTebet), null);
  });
});

describe('answers that lean on the last message', () => {
  it('reads "ganti jadi Y" as replacing the line just added', () => {
    assert.deepEqual(detectAct('eh ganti jadi panadol'), { act: 'replace', from: '', to: 'panadol' });
    assert.deepEqual(detectAct('ganti aja jadi bodrex'), { act: 'replace', from: '', to: 'bodrex' });
  });
  it('reads a bare quantity', () => {
    assert.equal(bareQuantity('mau 2'), 2);
    assert.equal(bareQuantity('I want 2'), 2);
    assert.equal(bareQuantity('ambil tiga ya kak'), 3);
    assert.equal(bareQuantity('aqua 2'), null);
    assert.equal(bareQuantity('yaudah 2 aja'), 2);
    assert.equal(bareQuantity('I will take 2'), 2);
    assert.equal(bareQuantity('jam 2'), null);
  });
});

describe('turns of a conversation', () => {
  it('reads "mau tanya", "that\'s all" and needs', async () => {
    const { isNeed } = await import('../../src/nlu/acts.js');
    assert.equal(act('kak mau tanya'), 'wants_to_ask');
    assert.equal(act('boleh nanya?'), 'wants_to_ask');
    assert.equal(act("that's all"), 'done_ordering');
    assert.equal(act('udah kak'), 'done_ordering');
    assert.equal(act('udah dulu ya kak'), 'goodbye');
    assert.equal(act('cek'), 'show_cart');
    assert.equal(isNeed('obat sakit kepala'), true);
    assert.equal(isNeed('rokok'), false);
  });
});

describe('yes or no answers', () => {
  it('reads short answers with address words around them', () => {
    assert.equal(yesNo('iya kak'), 'yes');
    assert.equal(yesNo('Ya betul'), 'yes');
    assert.equal(yesNo('ok'), 'yes');
    assert.equal(yesNo('bukan'), 'no');
    assert.equal(yesNo('ga jadi kak'), 'no');
    assert.equal(yesNo('aqua 2'), null);
  });
});
