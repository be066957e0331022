// The bot never guesses silently, end to end through signed webhooks: a reading below
// CONFIRM_BELOW and a name that fits several products are asked with buttons before the cart
// changes; a need lists products and adds nothing; a product the shop does not sell is "belum
// tersedia" with the closest products; a name the shop sells in several variants is "which one?";
// a place the customer names is never a product.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ask, cartOf, startPesan, textOf, type Customer, type Pesan } from '../helpers/pesan.js';
import { invalidateCatalogRows } from '../../src/catalog/service.js';
import { buildCatalogIndex, parseMessage } from '../../src/nlu/index.js';
import { CONFIRM_BELOW } from '../../src/nlu/types.js';

const CATALOG = [
  { sku: 'AQ-600', name: 'Aqua 600ml', price: 4000, stock: 50, unit: 'botol', category: 'minuman' },
  { sku: 'TBS-450', name: 'Teh Botol Sosro 450ml', price: 5000, stock: 50, unit: 'botol', category: 'minuman' },
  { sku: 'SBN-MWR', name: 'Sabun Mandi Mawar 80g', price: 5000, stock: 30, unit: 'batang', category: 'sabun', aliases: ['sabun mawar'] },
  { sku: 'SBN-LB-RED', name: 'Sabun Lifebuoy Merah 85g', price: 4500, stock: 20, unit: 'batang', category: 'sabun' },
  { sku: 'SBN-LB-GRN', name: 'Sabun Lifebuoy Hijau 85g', price: 4500, stock: 20, unit: 'batang', category: 'sabun' },
  { sku: 'PND-EXT', name: 'Panadol Extra', price: 16000, stock: 40, unit: 'strip', category: 'obat sakit kepala', search_words: ['pusing', 'sakit kepala'] },
  { sku: 'KKF', name: 'Kaos Kaki Futsal', price: 25000, stock: 10, unit: 'pasang', category: 'olahraga' },
  { sku: 'BOLA-FTS', name: 'Bola Futsal Molten', price: 250000, stock: 5, unit: 'pcs', category: 'olahraga' },
  { sku: 'TRP-3', name: 'Triplek 3 mm 122x244', price: 52000, stock: 40, unit: 'lembar', category: 'kayu' },
  { sku: 'TRP-12', name: 'Triplek 12 mm 122x244', price: 152000, stock: 40, unit: 'lembar', category: 'kayu' },
  { sku: 'SMN-TR40', name: 'Semen Tiga Roda 40 kg', price: 62000, stock: 50, unit: 'sak', category: 'semen' },
  { sku: 'PLP-HTM', name: 'Pulpen Standard AE7 Hitam 0,5 mm', price: 2500, stock: 300, unit: 'pcs', category: 'pulpen' },
  { sku: 'PLP-BRU', name: 'Pulpen Standard AE7 Biru 0,5 mm', price: 2500, stock: 300, unit: 'pcs', category: 'pulpen' },
  { sku: 'PLP-HTM12', name: 'Pulpen Standard AE7 Hitam 1 Lusin (isi 12)', price: 27000, stock: 40, unit: 'lusin', category: 'pulpen' },
  { sku: 'KRM-2525M', name: 'Keramik Kamar Mandi Roman Motif 25x25', price: 62000, stock: 40, unit: 'dus', category: 'keramik', aliases: ['keramik kamar mandi'] },
  { sku: 'WMS-40', name: 'Water Stop Sikalastic Pelapis Kamar Mandi 1 kg', price: 85000, stock: 50, unit: 'kaleng', category: 'cat', search_words: ['anti bocor kamar mandi'] },
  { sku: 'FLR-DRN', name: 'Floor Drain Stainless 3 inch', price: 25000, stock: 50, unit: 'pcs', category: 'sanitair', aliases: ['floor drain'] },
  { sku: 'KLS-1', name: 'Kloset Jongkok Ina Putih', price: 185000, stock: 50, unit: 'pcs', category: 'sanitair', aliases: ['wc jongkok'] },
  { sku: 'KLS-DDK', name: 'Kloset Duduk Toto CW421', price: 2350000, stock: 5, unit: 'pcs', category: 'sanitair', aliases: ['wc duduk'] },
  { sku: 'BKT-38', name: 'Buku Tulis Sinar Dunia 38 Lembar', price: 3500, stock: 500, unit: 'pcs', category: 'buku' },
  { sku: 'BKT-38P', name: 'Buku Tulis Sinar Dunia 38 Lembar 1 Pak (isi 10)', price: 32000, stock: 50, unit: 'pak', category: 'buku' },
  { sku: 'RC-KTN-2', name: 'Royal Canin Kitten 2 kg', price: 285000, stock: 10, unit: 'pack', category: 'makanan kucing', aliases: ['rc kitten'] },
  { sku: 'RC-PCH-KTN', name: 'Royal Canin Kitten Pouch 85 g', price: 22000, stock: 60, unit: 'pouch', category: 'makanan kucing', aliases: ['rc pouch kitten'] },
];

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

/** A typo of a product in CATALOG the parser reads with a score below CONFIRM_BELOW, whatever its tuning. */
function unsureReading(): { text: string; sku: string; quantity: number } {
  const index = buildCatalogIndex(CATALOG);
  for (const text of [...typosOf(CATALOG.map((p) => p.name))]) {
    const r = parseMessage(text, index);
    const item = r.items[0];
    if (r.items.length === 1 && r.ambiguous.length === 0 && r.unknown.length === 0 && item && item.score < CONFIRM_BELOW && r.intent === 'order') return { text, sku: item.sku, quantity: item.quantity };
  }
  throw new Error('no candidate message is read with low confidence by the parser; add one');
}

describe('dialogue: never a silent guess', () => {
  let p: Pesan;
  let n = 0;
  const customer = () => p.customer(`6281590${String(++n).padStart(5, '0')}`);
  before(async () => {
    p = await startPesan({ db: 'pglite' });
    await p.ctx.db.query("UPDATE catalogs SET active = false WHERE kind <> 'internal'");
    invalidateCatalogRows();
    const demo = (await p.api('GET', '/api/v1/products')).body.products as any[];
    assert.equal((await p.api('PUT', '/api/v1/products', demo.map((x) => ({ ...x, active: false })))).status, 200);
    assert.equal((await p.api('PUT', '/api/v1/products', CATALOG)).status, 200);
  });
  after(() => p.stop());

  it('asks with buttons before a low-confidence reading changes the cart', async () => {
    const c = customer();
    const unsure = unsureReading();
    const asked = await ask(c, unsure.text, (t) => /\[proposal:yes\]/.test(t), 'confirmation buttons');
    assert.match(asked, /\[proposal:no\]/);
    assert.equal(await cartOf(p, c.waId), '', 'nothing in the cart before yes');
    await c.mark();
    await c.tap('proposal:yes', 'Ya');
    await c.waitFor((_m, t) => t.includes('Subtotal'), 'summary after yes');
    assert.equal(await cartOf(p, c.waId), `${unsure.sku}*${unsure.quantity}`);
  });

  it('asks which one when a name fits several products, keeping the quantity', async () => {
    const c = customer();
    const q = await ask(c, 'sabun lifebuoy 2', (t) => /yang mana/.test(t), 'which one');
    assert.match(q, /\[pick:SBN-LB-RED:2\]/);
    assert.match(q, /\[pick:SBN-LB-GRN:2\]/);
    assert.equal(await cartOf(p, c.waId), '');
    await c.mark();
    await c.tap('pick:SBN-LB-GRN:2', 'Sabun Lifebuoy Hijau');
    await c.waitFor((_m, t) => t.includes('Subtotal'), 'summary');
    assert.equal(await cartOf(p, c.waId), 'SBN-LB-GRN*2');
  });

  it('takes "yg hitam" for the pen, not the dozen of it nobody asked for', async () => {
    const c = customer();
    const q = await ask(c, 'pulpen standard 2', (t) => /yang mana/.test(t), 'which pen');
    assert.match(q, /PLP-HTM12/);
    assert.equal(await cartOf(p, c.waId), '');
    const added = await ask(c, 'yg hitam', (t) => t.includes('Subtotal'), 'the black pen added');
    assert.match(added, /Pulpen Standard AE7 Hitam 0,5 mm x2/);
    assert.equal(await cartOf(p, c.waId), 'PLP-HTM*2');
    // Naming the pack picks the pack.
    const c2 = customer();
    await ask(c2, 'pulpen standard 2', (t) => /yang mana/.test(t), 'which pen');
    await ask(c2, 'yg hitam lusin', (t) => t.includes('Subtotal'), 'the dozen added');
    assert.equal(await cartOf(p, c2.waId), 'PLP-HTM12*2');
  });

  it('does not ask about a product the same message orders, told twice in a side story', async () => {
    const c = customer();
    await ask(c, 'saya lagi renovasi kamar mandi mau pesan keramik kamar mandi 4 dus sama floor drain 2', (t) => t.includes('Subtotal'), 'summary');
    const out = (await c.messages()).slice(c.cursor).filter((m) => m.direction === 'out').map(textOf);
    assert.ok(!out.some((t) => /\[proposal:yes\]/.test(t)), `no "did you mean" for the keramik ordered:\n${out.join('\n---\n')}`);
    assert.equal(await cartOf(p, c.waId), 'FLR-DRN*2 KRM-2525M*4');
  });

  it('answers a question about a line of the cart ("klosetnya warna putih kan?") with that product', async () => {
    const c = customer();
    await ask(c, 'kloset jongkok 1', (t) => t.includes('Subtotal'), 'summary');
    const reply = await ask(c, 'klosetnya warna putih kan pak?', (t) => /Kloset|belum tersedia/.test(t), 'answer');
    assert.match(reply, /Kloset Jongkok Ina Putih: Rp 185\.000/);
    assert.doesNotMatch(reply, /belum tersedia/);
    assert.equal(await cartOf(p, c.waId), 'KLS-1*1');
  });

  it('orders the single product, not its pack, when the customer names no pack', async () => {
    const c = customer();
    const added = await ask(c, 'buku tulis sinar dunia 38 lembar 10', (t) => t.includes('Subtotal') || /yang mana/.test(t), 'the books');
    assert.match(added, /Buku Tulis Sinar Dunia 38 Lembar x10/);
    assert.equal(await cartOf(p, c.waId), 'BKT-38*10');
    const c2 = customer();
    await ask(c2, 'buku tulis sinar dunia 38 lembar 2 pak', (t) => t.includes('Subtotal') || /yang mana/.test(t), 'the packs');
    assert.notEqual(await cartOf(p, c2.waId), 'BKT-38*2', 'a pack named is never the single book');
  });

  it('changes the line a word of the cart names when the parser reads no product ("pouchnya 4 aja")', async () => {
    const c = customer();
    await ask(c, 'royal canin kitten 2 kg 1', (t) => t.includes('Subtotal'), 'dry food');
    await ask(c, 'royal canin kitten pouch 6', (t) => /Pouch 85 g x6/.test(t), 'pouches');
    assert.equal(await cartOf(p, c.waId), 'RC-KTN-2*1 RC-PCH-KTN*6');
    await ask(c, 'pouchnya 4 aja', (t) => /Pouch 85 g x4/.test(t), 'pouches changed');
    assert.equal(await cartOf(p, c.waId), 'RC-KTN-2*1 RC-PCH-KTN*4');
    // A word every line carries names none of them: nothing changes silently.
    await ask(c, 'kittennya 3', (t) => t.length > 0, 'an answer');
    assert.equal(await cartOf(p, c.waId), 'RC-KTN-2*1 RC-PCH-KTN*4');
  });

  it('answers a question asked in Sundanese about a product it sells ("punten, aya semen tiga roda 40?")', async () => {
    const c = customer();
    const reply = await ask(c, 'punten, aya semen tiga roda 40?', (t) => /Semen Tiga Roda|belum tersedia/.test(t), 'answer');
    assert.match(reply, /Semen Tiga Roda 40 kg: Rp 62\.000/);
    assert.doesNotMatch(reply, /belum tersedia/);
    assert.equal(await cartOf(p, c.waId), '');
  });

  it('asks which variant of a name the shop sells instead of calling it not sold', async () => {
    const c = customer();
    const q = await ask(c, 'triplek 2 lembar', (t) => /yang mana|maksud kakak/i.test(t), 'which triplek');
    assert.doesNotMatch(q, /belum tersedia/);
    assert.match(q, /Triplek 3 mm/);
    assert.match(q, /Triplek 12 mm/);
    assert.equal(await cartOf(p, c.waId), '');
  });

  it('answers a need without adding anything, and without calling it not sold', async () => {
    const c = customer();
    for (const need of ['ada obat buat pusing kak?', 'obat pusing']) {
      const reply = await ask(c, need, (t) => /Panadol Extra|belum ketemu produk/.test(t), `need answered: ${need}`);
      assert.doesNotMatch(reply, /belum tersedia|kurang paham/);
    }
    assert.equal(await cartOf(p, c.waId), '', 'a need adds nothing');
  });

  it('lists the products whose search words fit a need', async () => {
    const c = customer();
    const listed = await ask(c, 'ada obat buat pusing kak?', (t) => /Panadol Extra|belum ketemu produk/.test(t), 'need answered');
    assert.match(listed, /Panadol Extra/);
    assert.equal(await cartOf(p, c.waId), '');
  });

  it('says "belum tersedia" with the closest products for a product the shop does not sell', async () => {
    const c = customer();
    const reply = await ask(c, 'ada sepatu futsal ga kak?', (t) => /belum tersedia|yang mana|maksud/.test(t), 'not sold answer');
    assert.match(reply, /belum tersedia/);
    assert.match(reply, /Kaos Kaki Futsal|Bola Futsal/, 'closest products are offered');
    assert.equal(await cartOf(p, c.waId), '');
  });

  it('never puts a place the customer names into the cart', async () => {
    const c = customer();
    const summary = await ask(c, 'aqua 2 kirim ke jalan mawar ya', (t) => t.includes('Subtotal'), 'summary');
    assert.doesNotMatch(summary, /Sabun Mandi Mawar/);
    assert.equal(await cartOf(p, c.waId), 'AQ-600*2');
    const c2 = customer();
    await ask(c2, 'alamat saya jl. mawar no 3 ya kak', (t) => /Alamat sudah dicatat/.test(t), 'address kept');
    assert.equal(await cartOf(p, c2.waId), '');
  });
});
