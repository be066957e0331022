import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildCatalogIndex, parseMessage, type CatalogProduct } from '../../src/nlu/index.js';

// Messages written for these tests, not taken from the corpus: each block is a class of phrasing.
const load = (name: string): CatalogProduct[] =>
  JSON.parse(readFileSync(new URL(`./catalogs/${name}.json`, import.meta.url), 'utf8')) as CatalogProduct[];
const pharmacy = buildCatalogIndex(load('pharmacy'));
const mart = buildCatalogIndex(load('minimarket'));

function check(intent: string, texts: string[], index = mart): void {
  const wrong = texts.map((t) => [t, parseMessage(t, index).intent]).filter(([, got]) => got !== intent);
  assert.deepEqual(wrong, [], `expected ${intent}`);
}

describe('intent classes', () => {
  it('greetings, regional and stretched, also asking whether the shop is open', () => {
    check('greeting', ['kulo nuwun', 'sugeng sonten', 'sugeng dalu mas', 'sampurasun kang', 'wilujeng enjing', 'punten a', 'hallooo kak',
      'siaaang', 'selamat pagi apotek', 'met malem min', 'assalamualaikum wr wb', 'pagi kak masih buka?', 'halo, tokonya buka hari ini?', 'asslm kak', 'halo min, lagi buka ga?',
      'halo, ini dengan toko jaya?']);
  });
  it('thanks and goodbyes are other', () => {
    check('other', ['matur nuwun mas', 'hatur nuhun', 'makasih ya kak, sukses', 'oke makasih banyak']);
  });
  it('a person, in any phrasing', () => {
    check('human', ['tolong telpon saya', 'bisa hubungi saya kak', 'sambungin ke orangnya dong', 'bot ga ngerti', 'robotnya ga paham',
      'mau ngomong sama admin', 'saya mau komplain', 'bisa tanya langsung ke apotekernya?', 'minta nomor wa adminnya', 'mau bicara dengan pemilik toko',
      'tolong telfon saya', 'susah ngomong sama bot', 'saya butuh bantuan orang', 'kok dari tadi ga nyambung sih']);
  });
  it('where the order is, by courier, driver or truck', () => {
    check('order_status', ['kurirnya udah jalan belum?', 'drivernya dmn ya', 'ojolnya kok lama', 'barang saya udah naik truk?',
      'kapan dianter kak pesanan saya', 'paketnya udah sampai mana', 'pesanan saya udah dikirim?', 'track my order',
      'drivernya ga bisa dihubungi', 'jam berapa sampainya?', 'kok lama banget ya', 'pesananku udah jadi belum']);
  });
  it('what delivery or payment can be is other', () => {
    check('other', ['bisa kirim pake mobil?', 'bisa diantar ke cibubur?', 'bisa bayar pake dana ga', 'bisa cod?', 'ongkir ke depok berapa',
      'buka sampai jam berapa', 'minimal belanja berapa kak']);
  });
  it('price lists and catalogs, also of a category', () => {
    check('browse_catalog', ['daftar harga sabun dong', 'pricelist minuman', 'minta katalognya kak', 'ada brosur?', 'list harga mie instan', 'jual apa aja kak']);
  });
  it('questions about products and needs are not orders', () => {
    check('ask_product', ['obat flu yang ampuh apa?', 'panadol ada?', 'harga panadol berapa', 'obat buat sakit gigi apa ya', 'panadol sama bodrex bagusan mana'], pharmacy);
  });
  it('confirmations are short yeses; a postponement is not one', () => {
    check('confirm', ['iya kak lanjut', 'sip gass', 'nggih', 'mangga', 'oke bener semua']);
    check('other', ['oke nanti saya kabari', 'ok saya pikir dulu', 'sip makasih', 'ok sebentar ya', 'oke kak terima kasih']);
  });
  it('payment claims in regional words', () => {
    check('payment_claim', ['sampun transfer', 'wis tak transfer mas', 'parantos bayar', 'udah tf ya kak', 'barusan saya bayar', 'wes tak bayar', 'sudah saya qris']);
  });
  it('naming QRIS, a bank or transfer chooses; asking about an e-wallet does not', () => {
    check('choose_payment', ['qris bisa?', 'bisa transfer bca?', 'ga jadi cod, qris aja', 'ovo aja kak']);
    check('other', ['bisa ovo?', 'gopay bisa ga']);
  });
  it('cancel everything vs drop one product', () => {
    check('cancel', ['ga jadi deh kak', 'batalin aja pesanannya', 'hapus semua']);
    check('remove_item', ['panadolnya ga jadi', 'hapus panadol'], pharmacy);
  });
});
