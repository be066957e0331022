import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildCatalogIndex, parseMessage, type CatalogProduct } from '../../src/nlu/index.js';

// Messages written for these tests, not taken from the corpus: each block is a class of phrasing.
const load = (name: string): CatalogProduct[] =>
  JSON.parse(readFileSync(new URL(`./catalogs/${name}.json`, import.meta.url), 'utf8')) as CatalogProduct[];
const pharmacy = buildCatalogIndex(load('pharmacy'));
const mart = buildCatalogIndex(load('minimarket'));
const warung = buildCatalogIndex(load('foodstall'));
const frozen = buildCatalogIndex(load('frozen'));
const trade = (name: string) =>
  buildCatalogIndex(JSON.parse(readFileSync(new URL(`./data/${name}/catalog.json`, import.meta.url), 'utf8')) as CatalogProduct[]);
const electronics = trade('electronics');
const stationery = trade('stationery');
const building = trade('building');
const petshop = trade('petshop');

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

  it('asking whether an e-wallet is taken chooses nothing, even with a product word around', () => {
    for (const t of ['bisa bayar pakai shopeepay kak?', 'dana bisa ga kak', 'terima gopay ga']) {
      const r = parseMessage(t, mart);
      assert.deepEqual([r.intent, r.payment_method, r.bank], ['other', null, null], t);
    }
  });
  it('a channel the customer says they lack is not chosen', () => {
    const r = parseMessage('transfer bca aja, saya ga punya qris', mart);
    assert.deepEqual([r.intent, r.payment_method, r.bank], ['choose_payment', 'va', 'bca']);
  });
  it('payment claims in the passive', () => {
    check('payment_claim', ['qris nya sudah terbayar ya kak', 'barusan sudah kebayar lewat qris']);
  });
  it('an order that also asks about payment, delivery fee or the total stays an order', () => {
    check('order', ['indomie goreng 3 sm aqua 600ml 2, bisa cod kan?', 'gula pasir 2 kg sama minyak bimoli 1 liter 1, totalnya jadi brp kak']);
    check('order', ['panadol extra 2 ya kak, ongkir ke ciledug brp?', 'vitamin c 3 strip ya, buat stok di rumah'], pharmacy);
  });
  it('an order that says where to bring it stays an order', () => {
    check('order', ['nasi goreng dua sama es jeruk dua, anterin ke gang melati rumah cat hijau ya'], warung);
  });
  it('how a dish is prepared is not a removal; dropping something else beside a counted order is an order', () => {
    check('order', ['mie ayam bakso 2 ga pake daun bawang ya', 'soto ayam 3, jangan terlalu pedas', 'ayam bakar 2 aja, yg pecel lele tadi ga usah'], warung);
    check('order', ['indomie soto empat, yg kaleng ga jadi']);
    check('remove_item', ['aqua 600ml 2 hapus aja']);
  });
  it('thanks and praise that name a product order nothing; a delivery report is not a status question', () => {
    check('other', ['makasih ya bu, ayam bakarnya enak banget', 'mantul bang soto ayamnya, puas'], warung);
    check('other', ['makasih kak, belanjaan udah sampai']);
    check('ask_product', ['ayam geprek nya enak ga?'], warung);
    check('order_status', ['paket saya udah dikirim belum ya kak', 'cetakan foto saya udah jadi belum?']);
  });
  it('a message for someone at the shop, a call, a person by address form', () => {
    check('human', ['tolong bilangin ke bapaknya ya mbak'], warung);
    check('human', ['bisa telpon aja kak? susah jelasinnya', 'mau ngobrol sama mbak yang jaga apotek'], pharmacy);
  });
  it('regional yeses, rough greetings and openers', () => {
    check('confirm', ['iyo kak', 'nggih mas', 'udah pas bu'], warung);
    check('greeting', ['woy kak', 'spada bang', 'kak, masih buka?', 'permisi mau tanya']);
    check('other', ['buka jam berapa kak']);
  });
  it('questions about couriers, delivery areas, paying on arrival, paperwork and use are other', () => {
    check('other', ['bisa kirim pake grab ga?', 'bisa anter ke blok C ga kak?', 'bisa bayar pas barang datang?', 'bisa minta nota buat kantor?']);
    check('other', ['obatnya dioles berapa kali sehari?'], pharmacy);
  });
  it('emptying the cart is a cancellation', () => {
    check('cancel', ['kosongkan keranjang saya', 'hapus semua isi keranjangnya']);
  });
  it('a list of a category, a price spelt loosely, a kind of product, a service at the shop', () => {
    check('browse_catalog', ['list minuman yg ada apa aja kak']);
    check('ask_product', ['chitato brpaan kak', 'ada yg murah buat anak kos?', 'bisa beli pulsa disini?', 'indomie goreng ada ga bang']);
  });
  it('words a product also uses, read in context: the shop described, the cart, the job being made, a delivery report', () => {
    check('greeting', ['pagi bang, toko hp ya?'], electronics);
    check('human', ['bisa ngobrol sama teknisinya?', 'bu bisa minta nomor wa nya?', 'pak bisa ketemu langsung sama pemiliknya?'], electronics);
    check('order_status', ['print an saya udah beres belum kak?'], stationery);
    check('other', ['mantap pak, semennya udah nyampe'], building);
    check('cancel', ['kosongin aja keranjangnya kak'], petshop);
    check('other', ['aman kan kak dikirim jauh? ga cair?'], frozen);
    check('order_status', ['pesanan saya udah dikirim? takut cair'], frozen);
  });
  it('introductions and regional greetings; place words that only say what an order is for', () => {
    check('greeting', ['salam kenal kak, saya pengurus masjid', "tabe' pak"], building);
    check('order', ['semen tiga roda 40 kg 20 sak buat renovasi masjid'], building);
    check('order', ['lampu philips 9w putih 10 biji buat kos 10 kamar', 'mau pesan stop kontak uticon 3 lubang dua ya, bayar qris'], electronics);
  });
  it('what a courier can do before anything is sent is a store question; a complaint about one on the way is status', () => {
    check('other', ['truknya bisa masuk jalan kecil ga pak?'], building);
    check('order_status', ['kurirnya udah jalan belum bang', 'drivernya ga bisa dihubungi bang'], electronics);
    check('order_status', ['obat kemarin kapan dikirim mbak?'], pharmacy);
  });
  it('warranty, authenticity and registration questions about the goods are other; about one product named, a question about it', () => {
    check('other', ['ini bpom semua kan mbak?', 'original semua kak?', 'apotek buka 24 jam?'], pharmacy);
    check('ask_product', ['panadol nya asli kan mbak?'], pharmacy);
    check('ask_product', ['ada lampu yg garansi 2 tahun?'], electronics);
  });
  it('a size shared by two variants does not keep a drop of one of them from being an order of the other', () => {
    check('order', ['wardah day cream yg 30 ml aja 2, yg 20 ml nya ga jadi'], trade('cosmetics'));
  });
  it('everything off, whatever else is said; something unsold asked with a long description', () => {
    check('cancel', ['batal semuanya bu, udah dapet makan di kantor'], warung);
    check('ask_product', ['map batik ada ga kak? yg buat lamaran kerja'], stationery);
  });
  it('proof of a transfer with a suffix, the pharmacist asked in English, the seating of the shop', () => {
    check('payment_claim', ['ini bukti tfnya bu', 'transferannya udah masuk kan bu?']);
    check('human', ['can I speak with the pharmacist?'], pharmacy);
    check('other', ['bu ada tempat duduknya? mau makan disana'], warung);
  });
  it('a print shop: files sent by the customer, handling notes, jobs done or ready to fetch, pickup questions', () => {
    check('other', ['kak file nya udah saya kirim ke email ya', 'hasil print nya jangan sampai kelipat ya kak'], stationery);
    check('order_status', ['kak print an saya jadinya jam brp?', 'udah bisa diambil belum kak fotokopian saya?'], stationery);
    check('other', ['bisa ambil besok pagi?'], stationery);
  });
  it('"kalo ga" opens the fallback the customer picks, it does not refuse it', () => {
    const r = parseMessage('bayar tempo bisa? kalo ga transfer bca aja', building);
    assert.deepEqual([r.intent, r.payment_method, r.bank], ['choose_payment', 'va', 'bca']);
  });
  it('a counted order ending in a question tag or presuming the product is there stays an order', () => {
    check('order', ['sabun lifebuoy 3 ya bu?', 'indomie soto 5 ya, ada kan?', 'aqua 1500ml 2 ya, bisa cepet?', 'gula pasir 2 kg ya, ada kembalian 50rb?']);
    check('order', ['tolak angin 2 ya mbak, diminum abis makan kan?'], pharmacy);
    check('ask_product', ['indomie goreng ada ga bang', 'sprite 390ml masih ada?']);
  });
  it('haggling and who fetches the order are store talk; a counted order that haggles stays an order', () => {
    check('other', ['kalo ambil banyak ada diskon ga pak?', 'bisa nego ga pak harganya?', 'pak tukang saya yg ambil ya nanti'], building);
    check('order', ['paku kayu 7 cm 5 kg ya pak, ada potongan ga?'], building);
  });
  it('thanks that ask and order nothing are other, whatever product words they carry', () => {
    check('other', ['kak barangnya udah dateng, masih beku semua, makasih'], frozen);
    check('ask_product', ['makasih kak, sosis nya masih ada?'], frozen);
  });
  it('Javanese and Sundanese yeses and no-goes; a yes to "teh" is not an order of tea', () => {
    check('confirm', ['heeh bu', 'muhun teh', 'oke teh']);
    check('order', ['es teh ya'], warung);
    check('cancel', ['mboten sido bu']);
  });
  it('showing the cart is other even where "keranjang" is a product; emptying it is a cancellation', () => {
    check('other', ['lihat keranjang', 'isi keranjang saya apa aja?'], petshop);
    check('cancel', ['reset keranjang'], petshop);
  });
});

describe('what a message settles', () => {
  const shop = buildCatalogIndex([
    { sku: 'KRT', name: 'Kertas Manila Warna', price: 1500, unit: 'lembar', category: 'kertas', aliases: ['karton manila'] },
    { sku: 'LEM', name: 'Lem Fox Putih 150 g', price: 9000, unit: 'pcs', category: 'lem' },
    { sku: 'JLD', name: 'Jilid Hardcover Skripsi', price: 35000, unit: 'buah', category: 'jasa jilid' },
  ]);
  it('"ada kan? sekalian ya" after counted products orders them', () => {
    assert.equal(parseMessage('karton manila 2 lembar sama lem fox 1, ada kan? sekalian ya', shop).intent, 'order');
  });
  it('"itu aja, diproses ya" confirms; "jilid skripsi sy kapan selesai" asks after the job', () => {
    assert.equal(parseMessage('udah itu aja, diproses ya', shop).intent, 'confirm');
    assert.equal(parseMessage('jilid skripsi sy kapan selesai ya', shop).intent, 'order_status');
    assert.equal(parseMessage('jilid hardcover 2 ya', shop).intent, 'order');
  });
});

describe('suppositions, conditions and settled payments', () => {
  const shop = buildCatalogIndex([
    { sku: 'BRS-25', name: 'Beras Ramos 25 kg', price: 340000, unit: 'karung', category: 'beras' },
    { sku: 'SNL', name: 'Map Snelhecter Plastik', price: 3000, unit: 'pcs', category: 'map' },
    { sku: 'PLX', name: 'CAT SEMPROT PYLOX HITAM 300CC', price: 29000, unit: 'kaleng', category: 'cat' },
    { sku: 'JLD', name: 'Jilid Hardcover Skripsi', price: 35000, unit: 'buah', category: 'jasa jilid' },
  ]);
  it('a count said as a supposition asks; one that commits orders', () => {
    assert.equal(parseMessage('beras ramos harganya berapa pak? kalau ambil 5 karung bisa kurang?', shop).intent, 'ask_product');
    assert.equal(parseMessage('kalo ambil beras ramos 5 karung bisa 330rb ga? kalo bisa gue ambil', shop).intent, 'order');
  });
  it('"nek ada 3": counted on condition it is there, it is ordered', () => {
    assert.equal(parseMessage('sampeyan ada snelhecter? nek ada 3', shop).intent, 'order');
  });
  it('"sudah saya lunasi" claims the payment; "pilox nya batal" strikes a product spelled another way', () => {
    assert.equal(parseMessage('pak sudah saya lunasi', shop).intent, 'payment_claim');
    const r = parseMessage('pilox nya batal', shop);
    assert.equal(r.intent, 'remove_item');
    assert.deepEqual(r.items.map((i) => i.sku), ['PLX']);
  });
  it('a price the customer states after a counted product orders it, and names no other product at that price', () => {
    const mart = buildCatalogIndex([
      { sku: 'IDM-DUS', name: 'Indomie Goreng 1 dus isi 40', price: 124000, unit: 'dus' },
      { sku: 'MSD-DUS', name: 'Mie Sedaap Goreng dus isi 40', price: 120000, unit: 'dus' },
    ]);
    const r = parseMessage('Mau ambil Indomie goreng 5 dus harga 120rb/dus ya, transfer BRI', mart);
    assert.equal(r.intent, 'order');
    assert.deepEqual(r.items.map((i) => `${i.sku}*${i.quantity}`), ['IDM-DUS*5']);
  });
  it('a brand that is also a word of praise asks about the brand', () => {
    const mart = buildCatalogIndex([{ sku: 'MSD-DUS', name: 'Mie Sedaap Goreng dus isi 40', price: 120000, unit: 'dus' }]);
    assert.equal(parseMessage('sedaap goreng per dus brp gan', mart).intent, 'ask_product');
  });
  it('"hapus semua aja" empties the cart whatever a later word resembles', () => {
    const mart = buildCatalogIndex([{ sku: 'LPG', name: 'Gas LPG 3 kg isi ulang', price: 22000, unit: 'tabung' }]);
    assert.equal(parseMessage('hapus semua aja min, mau ulang dari awal', mart).intent, 'cancel');
  });
  it('what was ordered asked after with "-nya" and "belum sampe" is the order\'s status', () => {
    const food = buildCatalogIndex([{ sku: 'NSI', name: 'Nasi Putih', price: 4000, unit: 'porsi' }]);
    assert.equal(parseMessage('kak udah 1 jam kok belum sampe ya nasinya', food).intent, 'order_status');
  });
  it('a bank or a wallet name inside an address chooses no payment; a drop of another size keeps the order', () => {
    const b = buildCatalogIndex([
      { sku: 'BSI-8', name: 'Besi Beton 8mm SNI 12m', price: 60000, unit: 'batang' },
      { sku: 'BSI-10', name: 'Besi Beton 10mm SNI 12m', price: 90000, unit: 'batang' },
      { sku: 'BSI-12', name: 'Besi Beton 12mm SNI 12m', price: 130000, unit: 'batang' },
    ]);
    const a = parseMessage('alamat proyek: perumahan bumi permata sudiang blok C7 no 4', b);
    assert.equal(a.intent, 'share_address');
    assert.equal(a.bank, null);
    const r = parseMessage('besi beton 8mm 10 batang, besi beton 10 mm 10 batang, besi 12 mm ga jadi', b);
    assert.equal(r.intent, 'order');
    assert.deepEqual(r.items.map((i) => `${i.sku}*${i.quantity}`).sort(), ['BSI-10*10', 'BSI-8*10']);
  });
  it('the order asked about as such is its status', () => {
    assert.equal(parseMessage('pesenan jilid tadi gmn kak?', shop).intent, 'order_status');
  });
});

describe('long orders and delivery questions', () => {
  const shop = buildCatalogIndex([
    { sku: 'OBH', name: 'OBH Combi Anak Batuk Pilek 60 ml', price: 18000, unit: 'botol', category: 'obat batuk' },
    { sku: 'TA', name: 'Tolak Angin Anak Sachet', price: 3500, unit: 'sachet', category: 'herbal' },
    { sku: 'MSK-PCS', name: 'Masker Medis 3 Ply (per pcs)', price: 1000, unit: 'pcs', category: 'masker' },
    { sku: 'MSK-BOX', name: 'Masker Medis 3 Ply 1 Box (50 pcs)', price: 35000, unit: 'box', category: 'masker' },
    { sku: 'MTF', name: 'Metformin 500 mg', price: 8000, unit: 'strip', category: 'obat resep' },
  ]);
  it('who an order is for, told at length, does not swallow the order after it', () => {
    const r = parseMessage('saya mau pesan obat buat anak saya yang lagi pilek sama batuk dari kemarin itu OBH combi anak satu botol terus tolak angin anak tiga sachet', shop);
    assert.equal(r.intent, 'order');
    assert.deepEqual(r.items.map((i) => `${i.sku}*${i.quantity}`).sort(), ['OBH*1', 'TA*3']);
  });
  it('"ecer" is the single piece; a monthly supply is an order; how far the shop delivers is a store question', () => {
    assert.deepEqual(parseMessage('maskernya ecer aja kak 10 pcs', shop).items.map((i) => `${i.sku}*${i.quantity}`), ['MSK-PCS*10']);
    assert.equal(parseMessage('metformin 500 5 strip ya mbak, stok bulanan ibu saya', shop).intent, 'order');
    assert.equal(parseMessage('ngirim sampe daerah bekasi timur ga?', shop).intent, 'other');
    assert.equal(parseMessage('pesanan saya udah sampe mana?', shop).intent, 'order_status');
  });
});
