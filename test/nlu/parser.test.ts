import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { answerLine } from '../../src/nlu/cli.js';
import { buildCatalogIndex, detectLanguage, parseMessage, searchProducts, type CatalogProduct } from '../../src/nlu/index.js';
import { CONFIRM_BELOW } from '../../src/nlu/types.js';

const load = (name: string): CatalogProduct[] =>
  JSON.parse(readFileSync(new URL(`./catalogs/${name}.json`, import.meta.url), 'utf8')) as CatalogProduct[];
const pharmacy = buildCatalogIndex(load('pharmacy'));
const mart = buildCatalogIndex(load('minimarket'));
const stall = buildCatalogIndex(load('foodstall'));

/** What the CLI answers: confident items plus the best guess for ambiguous mentions. */
function items(text: string, index = mart): string {
  return answerLine(JSON.stringify({ text }), index).items.map((i) => `${i.sku}*${i.quantity}`).sort().join(' ');
}

describe('quantities', () => {
  it('reads digits before or after the product, and x-multipliers', () => {
    assert.equal(items('2 panadol', pharmacy), 'PND-500*2');
    assert.equal(items('panadol 2', pharmacy), 'PND-500*2');
    assert.equal(items('panadol x3', pharmacy), 'PND-500*3');
    assert.equal(items('4x paracetamol', pharmacy), 'PCT-500*4');
    assert.equal(items('paracetamol2', pharmacy), 'PCT-500*2');
    assert.equal(items('2strip paracetamol', pharmacy), 'PCT-500*2');
  });
  it('reads Indonesian and English number words', () => {
    assert.equal(items('tiga indomie goreng'), 'IDM-GRG*3');
    assert.equal(items('dua puluh aqua'), 'AQ-600*20');
    assert.equal(items('selusin oralit', pharmacy), 'ORL-200*12');
    assert.equal(items('setengah lusin konidin', pharmacy), 'KND-SCH*6');
    assert.equal(items('a dozen tolak angin', pharmacy), 'TA-SCH*12');
    assert.equal(items('two sprite'), 'SPR-390*2');
    assert.equal(items('sebelas oralit', pharmacy), 'ORL-200*11');
  });
  it('defaults to 1 and marks it as not said', () => {
    const r = parseMessage('mau beli insto', pharmacy);
    assert.equal(r.items[0]?.quantity, 1);
    assert.equal(r.items[0]?.quantityExplicit, false);
  });
  it('does not take a size in the name for a quantity', () => {
    assert.equal(items('aqua 600ml 5'), 'AQ-600*5');
    assert.equal(items('paracetamol 500 mg satu strip', pharmacy), 'PCT-500*1');
    assert.equal(items('beras 5 kg'), 'BRS-5*1');
    assert.equal(items('minyak goreng 2 liter'), 'MGR-2L*1');
    assert.equal(items('mau aqua 1500 ml 3'), 'AQ-1500*3');
  });
  it('turns a weight of a per-kg product into a count', () => {
    assert.equal(items('telur 3 kg'), 'TLR-1*3');
  });
});

describe('choosing between overlapping products', () => {
  it('takes the carton only when the customer says dus/karton/box', () => {
    assert.equal(items('beliin indomie goreng sedus'), 'IDM-GRG-DUS*1');
    assert.equal(items('indomie goreng karton 1'), 'IDM-GRG-DUS*1');
    assert.equal(items('3 dus aqua'), 'AQ-600-DUS*3');
    assert.equal(items('indomie goreng 3'), 'IDM-GRG*3');
    assert.equal(items('aqua 5 botol'), 'AQ-600*5');
    assert.equal(items('tolak angin 1 box', pharmacy), 'TA-BOX*1');
  });
  it('uses the size to pick the variant', () => {
    assert.equal(items('kayu putih 120 ml 2 botol', pharmacy), 'MKP-120*2');
    assert.equal(items('beras 10 kg 1'), 'BRS-10*1');
  });
  it('prefers the plain product over a longer variant', () => {
    assert.equal(items('nasi goreng 1', stall), 'NG-BSA*1');
    assert.equal(items('nasi goreng spesial 1', stall), 'NG-SPC*1');
  });
  it('reports look-alike mentions as ambiguous', () => {
    const r = parseMessage('aqua 2', mart);
    assert.equal(r.items.length, 0);
    assert.equal(r.ambiguous.length, 1);
    assert.deepEqual(r.ambiguous[0]!.candidates.slice(0, 2).sort(), ['AQ-1500', 'AQ-600']);
    assert.equal(r.ambiguous[0]!.quantity, 2);
    assert.equal(items('aqua 2'), 'AQ-600*2');
  });
});

describe('several items in one message', () => {
  it('splits on commas, conjunctions, plus, ampersand and new lines', () => {
    assert.equal(items('kak mau pesen paracetamol 2 sama vit c 1 ya', pharmacy), 'PCT-500*2 VITC-500*1');
    assert.equal(items('panadol 2, bodrex 1, promag 3', pharmacy), 'BDX-4*1 PMG-12*3 PND-500*2');
    assert.equal(items('aqua 2 + sprite 2 + chitato 1'), 'AQ-600*2 CHT-68*1 SPR-390*2');
    assert.equal(items('beliin hansaplast 2 & kasa steril 1', pharmacy), 'HSP-10*2 KSA-STR*1');
    assert.equal(items('aqua 2\nindomie goreng 4\ngula 1'), 'AQ-600*2 GLA-1*1 IDM-GRG*4');
    assert.equal(items('2 aqua 3 indomie goreng'), 'AQ-600*2 IDM-GRG*3');
    assert.equal(items('coca cola 2 sprite 2'), 'CCL-390*2 SPR-390*2');
  });
  it('keeps a conjunction that belongs to a product name', () => {
    assert.equal(items('procold flu dan batuk 2', pharmacy), 'PRC-6*2');
  });
});

describe('typos, abbreviations and glued words', () => {
  it('tolerates misspellings', () => {
    assert.equal(items('paracetmol 2', pharmacy), 'PCT-500*2');
    assert.equal(items('amoxcilin 1', pharmacy), 'AMX-500*1');
    assert.equal(items('aqwa 2'), 'AQ-600*2');
    assert.equal(items('betadin 2', pharmacy), 'BTD-30*2');
  });
  it('understands aliases, abbreviations and missing spaces', () => {
    assert.equal(items('pct 2 strip', pharmacy), 'PCT-500*2');
    assert.equal(items('vit c 1', pharmacy), 'VITC-500*1');
    assert.equal(items('indomiegoreng 3'), 'IDM-GRG*3');
    assert.equal(items('indomie grg 2'), 'IDM-GRG*2');
    assert.equal(items('minyak kayu putih 2', pharmacy), 'MKP-60*2');
  });
  it('maps English words onto the catalog', () => {
    assert.equal(items('two fried rice and one iced tea', stall), 'ETM*1 NG-BSA*2');
  });
});

describe('intents', () => {
  const cases: [string, string, typeof mart][] = [
    ['halo kak', 'greeting', mart], ['katalog dong', 'browse_catalog', mart], ['harga panadol berapa', 'ask_product', pharmacy],
    ['ada obat batuk?', 'ask_product', pharmacy], ['is aqua available', 'ask_product', mart], ['ga jadi yg aqua', 'remove_item', mart],
    ['remove the water', 'remove_item', mart], ['ya betul', 'confirm', mart], ['gas', 'confirm', mart], ['batal aja', 'cancel', mart],
    ['ga jadi pesen', 'cancel', mart], ['transfer bca aja', 'choose_payment', mart], ['udah tf ya kak', 'payment_claim', mart],
    ['done paying', 'payment_claim', mart], ['pesanan saya gimana', 'order_status', mart], ['where is my order', 'order_status', mart],
    ['Jl. Melati no 5 RT 02, Kebayoran', 'share_address', mart], ['mau ngomong sama admin', 'human', mart], ['makasih', 'other', mart],
    ['beliin indomie goreng sedus', 'order', mart],
  ];
  for (const [text, intent, index] of cases) {
    it(`${text} → ${intent}`, () => assert.equal(parseMessage(text, index).intent, intent));
  }
  it('does not read a street name as an order', () => {
    const r = parseMessage('jl. cempaka putih no 3', stall);
    assert.equal(r.intent, 'share_address');
    assert.deepEqual(r.items, []);
  });
});

describe('payment slots', () => {
  const slot = (text: string): string => {
    const r = parseMessage(text, mart);
    return `${r.payment_method}/${r.bank}`;
  };
  it('reads method and bank', () => {
    assert.equal(slot('tf bca'), 'va/bca');
    assert.equal(slot('virtual account mandiri'), 'va/mandiri');
    assert.equal(slot('scan qr aja'), 'qris/null');
    assert.equal(slot('pake qris'), 'qris/null');
    assert.equal(slot('va bni'), 'va/bni');
    assert.equal(slot('cimb niaga va ya'), 'va/cimb');
  });
  it('treats a bank alone as a virtual account', () => {
    assert.equal(slot('permata'), 'va/permata');
  });
  it('leaves slots empty when no payment is named', () => {
    assert.equal(slot('udah transfer kak'), 'null/null');
    assert.equal(slot('aqua 2'), 'null/null');
  });
});

describe('language and search', () => {
  it('detects English', () => {
    assert.equal(detectLanguage('where is my order'), 'en');
    assert.equal(detectLanguage('I would like two strips of paracetamol please'), 'en');
    assert.equal(detectLanguage('kak mau pesen paracetamol 2'), 'id');
    assert.equal(detectLanguage('aqua 2'), 'id');
  });
  it('finds products from a partial or misspelled name', () => {
    assert.equal(searchProducts('paracetmol', pharmacy)[0]?.sku, 'PCT-500');
    assert.equal(searchProducts('kayu putih 120', pharmacy)[0]?.sku, 'MKP-120');
    assert.ok(searchProducts('indomi', mart, 5).some((r) => r.sku === 'IDM-GRG'));
    assert.ok(searchProducts('indomi', mart, 3).length <= 3);
  });
});

describe('variants a catalog sells side by side', () => {
  // a catalog none of the corpus uses: names, packs and sizes as a merchant would type them
  const shop = buildCatalogIndex([
    { sku: 'RNS-SCH', name: 'Rinso Cair Sachet 42 ml', price: 1000, unit: 'sachet' },
    { sku: 'RNS-RTG', name: 'Rinso Cair Sachet 1 renteng (6 sachet)', price: 5500, unit: 'renteng' },
    { sku: 'MNY-1L', name: 'Minyak Goreng Sunco 1 L', price: 19000, unit: 'pouch' },
    { sku: 'MNY-2L', name: 'Minyak Goreng Sunco 2 L', price: 37000, unit: 'pouch' },
    { sku: 'BWG-KG', name: 'Bawang Merah 1 kg', price: 42000, unit: 'kg' },
    { sku: 'BWG-ONS', name: 'Bawang Merah per ons', price: 4500, unit: 'ons' },
    { sku: 'ROK-BTG', name: 'Rokok Surya 12 batang', price: 26000, unit: 'bungkus' },
    { sku: 'ROK-SLP', name: 'Rokok Surya 1 slop (10 bungkus)', price: 255000, unit: 'slop' },
  ]);
  it('takes the single piece unless the pack unit is said', () => {
    assert.equal(items('rinso sachet 4', shop), 'RNS-SCH*4');
    assert.equal(items('rinso cair 2 renteng', shop), 'RNS-RTG*2');
    assert.equal(items('surya 12 2 bungkus', shop), 'ROK-BTG*2');
    assert.equal(items('surya 1 slop', shop), 'ROK-SLP*1');
  });
  it('reads a size or a unit alone after "and" as another variant of the product before', () => {
    assert.equal(items('minyak sunco 1 liter 2 sama 2 liter 1', shop), 'MNY-1L*2 MNY-2L*1');
    assert.equal(items('sunco yg 1L 1 sama yg 2L 3', shop), 'MNY-1L*1 MNY-2L*3');
    assert.equal(items('bawang merah 1 kg sama 3 ons', shop), 'BWG-KG*1 BWG-ONS*3');
  });
});

describe('readings that generalise to a catalog nobody tuned on', () => {
  // a shop written for this test only: look-alikes, packs, codes, contents and nicknames
  const shop = buildCatalogIndex([
    { sku: 'CHG-UGR-GAN65', name: 'Ugreen Charger GaN 65W USB-C', price: 450000, unit: 'pcs', category: 'charger' },
    { sku: 'CHG-UGR-20', name: 'Ugreen Charger 20W USB-C', price: 150000, unit: 'pcs', category: 'charger' },
    { sku: 'BAT-ENR-AA2', name: 'Energizer Baterai AA isi 2', price: 18000, unit: 'pack', category: 'baterai' },
    { sku: 'BAT-ENR-AAA2', name: 'Energizer Baterai AAA isi 2', price: 18000, unit: 'pack', category: 'baterai' },
    { sku: 'BAT-ALK-AAA4', name: 'Alkaline Baterai AAA isi 4', price: 20000, unit: 'pack', category: 'baterai' },
    { sku: 'ANT-XMI-A3', name: 'Anti Gores Xiaomi Redmi A3', price: 25000, unit: 'pcs', aliases: ['ag a3'] },
    { sku: 'ANT-XMI-12', name: 'Anti Gores Xiaomi Redmi 12 / 13', price: 25000, unit: 'pcs' },
    { sku: 'CLK-3', name: 'Terminal Colokan 3 Lubang 2 m', price: 45000, unit: 'pcs' },
    { sku: 'CLK-5', name: 'Terminal Colokan 5 Lubang Saklar 3 m', price: 75000, unit: 'pcs' },
    { sku: 'KBL-NYA', name: 'Kabel NYA 1,5 mm per meter', price: 4000, unit: 'meter' },
    { sku: 'PKU-5', name: 'Paku Beton 5 cm', price: 1000, unit: 'pcs', category: 'paku' },
    { sku: 'SKM-PUT', name: 'Susu Kental Manis Indomilk Putih 370g', price: 12000, unit: 'kaleng', aliases: ['susu kaleng indomilk'] },
    { sku: 'SKM-CKL', name: 'Susu Kental Manis Indomilk Cokelat 370g', price: 12500, unit: 'kaleng' },
    { sku: 'PIS-GRG', name: 'Pisang Goreng 5 potong', price: 10000, unit: 'porsi' },
    { sku: 'GLN-AQ', name: 'Le Minerale Galon (isi ulang)', price: 22000, unit: 'galon' },
    { sku: 'ROK-LA', name: 'Rokok LA Bold 16 batang', price: 30000, unit: 'bungkus' },
  ]);
  it('reads specs, codes and model numbers as names, not counts', () => {
    assert.equal(items('ugreen gan 65w 1', shop), 'CHG-UGR-GAN65*1');
    assert.equal(items('colokan 5 lubang 1 sm yg 3 lubang 2', shop), 'CLK-3*2 CLK-5*1');
    assert.equal(items('anti gores redmi 13 satu', shop), 'ANT-XMI-12*1');
    assert.equal(items('ag redmi 12 dua', shop), 'ANT-XMI-12*2');
    // the model it is for counts nothing; both chargers fit it equally, so both are offered and neither is guessed
    const r = parseMessage('charger buat iphone 13 ada?', shop);
    assert.equal(r.intent, 'ask_product');
    assert.ok(!r.items.some((i) => i.quantity === 13), JSON.stringify(r.items));
    assert.ok([...r.items.map((i) => i.sku), ...r.ambiguous.flatMap((a) => a.candidates)].includes('CHG-UGR-20'));
  });
  it('keeps counts apart from pack contents, particles, times and corrections', () => {
    assert.equal(items('energizer aaa 3', shop), 'BAT-ENR-AAA2*3');
    assert.equal(items('paku beton banyak nya 40 biji', shop), 'PKU-5*40');
    assert.equal(items('paku beton 20, eh jadiin 30 aja', shop), 'PKU-5*30');
    assert.equal(items('pisang goreng 15 potong', shop), 'PIS-GRG*3');
    assert.equal(items('pisang goreng dua, anter jam tujuh ya', shop), 'PIS-GRG*2');
    assert.equal(items('pisang goreng tigapuluh potong', shop), 'PIS-GRG*6');
  });
  it('carries a variant named after the first item to the same product family', () => {
    assert.equal(items('susu kaleng indomilk 2 yg cokelat 1', shop), 'SKM-CKL*1 SKM-PUT*2');
    assert.equal(items('energizer aa 2 pack sama yg aaa 1', shop), 'BAT-ENR-AA2*2 BAT-ENR-AAA2*1');
  });
  it('drops what the customer only mentions', () => {
    assert.equal(items('charger ugreen 20w 1, yg type c ya bukan gan', shop), 'CHG-UGR-20*1');
    assert.equal(items('galon isi ulang 2, hp saya mati jadi chat aja', shop), 'GLN-AQ*2');
    assert.equal(items('rokok la bold 2 bungkus, eh rokok la nya yg 16 batang ya', shop), 'ROK-LA*2');
  });
});

describe('a building, copy and food shop nobody tuned on: measures, regional words, kinds not sold', () => {
  // a shop written for this test only
  const shop = buildCatalogIndex([
    { sku: 'PK2-KG', name: 'Paku Kayu 2 inch per kg', price: 22000, unit: 'kg', category: 'paku' },
    { sku: 'PK2-ONS', name: 'Paku Kayu 2 inch per ons', price: 2500, unit: 'ons', category: 'paku' },
    { sku: 'HBL-PCS', name: 'Bata Ringan Hebel 10 cm', price: 9000, unit: 'biji', category: 'bata', aliases: ['hebel'] },
    { sku: 'HBL-M3', name: 'Bata Ringan Hebel 10 cm per Kubik', price: 750000, unit: 'm3', category: 'bata' },
    { sku: 'BATA', name: 'Bata Merah Press', price: 900, unit: 'biji', category: 'bata' },
    { sku: 'PSR-KRG', name: 'Pasir Cor per Karung', price: 20000, unit: 'karung', category: 'pasir' },
    { sku: 'PSR-RIT', name: 'Pasir Cor 1 Rit Pickup', price: 400000, unit: 'rit', category: 'pasir' },
    { sku: 'SMN-40', name: 'Semen Gresik 40 kg', price: 60000, unit: 'sak', category: 'semen' },
    { sku: 'SMN-50', name: 'Semen Gresik 50 kg', price: 72000, unit: 'sak', category: 'semen' },
    { sku: 'CAT-HTM', name: 'Cat Kayu Avian Hitam 1 kg', price: 65000, unit: 'kaleng', category: 'cat' },
    { sku: 'CAT-TMB', name: 'Cat Tembok Vinilex Putih 5 kg', price: 110000, unit: 'galon', category: 'cat' },
    { sku: 'ELB-12', name: 'Elbow PVC 1/2 inch', price: 3000, unit: 'pcs', aliases: ['keni 1/2'] },
    { sku: 'ELB-34', name: 'Elbow PVC 3/4 inch', price: 4000, unit: 'pcs' },
    { sku: 'FC-BW', name: 'Fotokopi Hitam Putih per lembar', price: 300, unit: 'lembar', category: 'fotokopi' },
    { sku: 'PRN-BW', name: 'Print Hitam Putih per lembar', price: 1000, unit: 'lembar', category: 'print' },
    { sku: 'PRN-WRN', name: 'Print Warna per lembar', price: 2500, unit: 'lembar', category: 'print' },
    { sku: 'MTR', name: 'Materai 10000', price: 12000, unit: 'lembar' },
    { sku: 'PLP-A', name: 'Pulpen Standard AE7 Hitam', price: 2500, unit: 'pcs' },
    { sku: 'PLP-B', name: 'Pulpen Gel Kenko Hitam', price: 4500, unit: 'pcs' },
    { sku: 'NASI', name: 'Nasi Putih', price: 5000, unit: 'porsi', category: 'nasi', aliases: ['nasi'] },
    { sku: 'NASI-UDK', name: 'Nasi Uduk', price: 8000, unit: 'porsi', category: 'nasi' },
    { sku: 'MIE-AYM', name: 'Mie Ayam', price: 13000, unit: 'mangkok', category: 'mie ayam' },
    { sku: 'MIE-BKS', name: 'Mie Ayam Bakso', price: 17000, unit: 'mangkok', category: 'mie ayam' },
    { sku: 'TLR-BTR', name: 'Telur Ayam per butir', price: 2000, unit: 'butir', category: 'telur' },
    { sku: 'TLR-KG', name: 'Telur Ayam 1 kg', price: 28000, unit: 'kg', category: 'telur' },
  ]);
  it('a stated measure picks the variant it counts whole, and "per X" says how it is sold', () => {
    assert.equal(items('paku 2 inch 3 ons', shop), 'PK2-ONS*3');
    assert.equal(items('paku 2 inch sekilo', shop), 'PK2-KG*1');
    assert.equal(items('hebel 2 kubik', shop), 'HBL-M3*2');
    assert.equal(items('hebel per kubik 1', shop), 'HBL-M3*1');
    assert.equal(items('telur ayam sekilo', shop), 'TLR-KG*1');
    assert.equal(items('telur ayam 10 butir', shop), 'TLR-BTR*10');
  });
  it('counts in regional and compound number words, and thousands of pieces', () => {
    assert.equal(items('semen gresik 50 kg limo sak, pasir cor telung karung', shop), 'PSR-KRG*3 SMN-50*5');
    assert.equal(items('hebel seratus lima puluh biji', shop), 'HBL-PCS*150');
    assert.equal(items('bata merah 2rb biji', shop), 'BATA*2000');
    assert.equal(items('pasir cor serit', shop), 'PSR-RIT*1');
    assert.equal(items('semen gresik 40 kg 10 sak sama yg 50 kg 5 sak', shop), 'SMN-40*10 SMN-50*5');
  });
  it('a category word that is one product\'s whole name names it; a short word without a vowel still finds it', () => {
    assert.equal(items('mie ayam 2', shop), 'MIE-AYM*2');
    assert.equal(items('mie ayam bakso 1 nasi 2', shop), 'MIE-BKS*1 NASI*2');
    assert.equal(items('nsi uduk 2', shop), 'NASI-UDK*2');
    assert.equal(items('sego uduk kalih', shop), 'NASI-UDK*2');
  });
  it('reads prices, denominations and nicknames with sizes as names', () => {
    assert.equal(items('materai 10rb 2', shop), 'MTR*2');
    assert.equal(items('pulpen yg 4500 3', shop), 'PLP-B*3');
    assert.equal(items('keni 3/4 6', shop), 'ELB-34*6');
    assert.equal(items('keni 1/2 2', shop), 'ELB-12*2');
  });
  it('the kind said after a count, documents to copy, and a slip taken back', () => {
    assert.equal(items('ngeprint skripsi 120 lembar hitam putih', shop), 'PRN-BW*120');
    assert.equal(items('print proposal 35 lembar warna', shop), 'PRN-WRN*35');
    assert.equal(items('fotokopi ktp 10 lembar', shop), 'FC-BW*10');
    assert.equal(items('cat tembok vinilex 2, eh salah, cat kayu avian 1', shop), 'CAT-HTM*1');
  });
  it('a kind of a product that is not sold is said as not listed, with the closest product, and never added', () => {
    const r = parseMessage('cat kayu avian putih ada?', shop);
    assert.equal(r.intent, 'ask_product');
    assert.deepEqual(r.items, []);
    assert.ok(r.unknown.some((u) => u.suggestions.includes('CAT-HTM')), JSON.stringify(r.unknown));
    const o = parseMessage('cat kayu avian putih 2', shop);
    assert.equal(o.intent, 'order');
    assert.deepEqual(o.items, []);
    assert.ok(o.unknown.length > 0);
  });
  it('a word from inside a name said in passing is not added without asking', () => {
    const r = parseMessage('nasi uduk 2 ya bu, hitam banget langitnya', shop);
    assert.deepEqual(r.items.map((i) => i.sku), ['NASI-UDK']);
  });
});

describe('the kind said before a brand', () => {
  const shop = buildCatalogIndex([
    { sku: 'MSK-A', name: 'Nature Cica Sheet Mask', price: 15000, unit: 'pcs', category: 'masker' },
    { sku: 'MSK-B', name: 'Mediheal Tea Tree Essential Mask', price: 22000, unit: 'pcs', category: 'masker' },
    { sku: 'ROT', name: 'Roti Tawar Kupas', price: 16000, unit: 'bungkus', category: 'roti' },
    { sku: 'SSU', name: 'Susu Ultra Coklat 250 ml', price: 7000, unit: 'kotak', category: 'susu' },
  ]);
  it('describes the product when it is the same kind, and stays a product of its own otherwise', () => {
    assert.equal(items('sheet mask mediheal tea tree 5', shop), 'MSK-B*5');
    assert.equal(items('roti tawar kupas susu ultra 2', shop), 'ROT*1 SSU*2');
  });
});

describe('what a bare kind means', () => {
  const shop = buildCatalogIndex([
    { sku: 'TLR-AYM', name: 'Telur Ayam Negeri per butir', price: 2000, unit: 'butir' },
    { sku: 'TLR-BBK', name: 'Telur Bebek per butir', price: 3500, unit: 'butir' },
    { sku: 'GLA-PSR', name: 'Gula Pasir 1 kg', price: 17000, unit: 'pack' },
    { sku: 'GLA-MRH', name: 'Gula Merah 500 g', price: 12000, unit: 'pack' },
  ]);
  it('"telur" is a hen\'s egg and "gula" white sugar, unless another kind is said', () => {
    assert.equal(items('telur 10 butir', shop), 'TLR-AYM*10');
    assert.equal(items('telur bebek 4', shop), 'TLR-BBK*4');
    assert.equal(items('gula 2', shop), 'GLA-PSR*2');
    assert.equal(items('gula merah 1', shop), 'GLA-MRH*1');
  });
});

describe('how a part of a dish is made', () => {
  const shop = buildCatalogIndex([
    { sku: 'NSG', name: 'Nasi Goreng Spesial', price: 18000, unit: 'porsi', category: 'makanan' },
    { sku: 'NSI', name: 'Nasi Putih', price: 5000, unit: 'porsi', category: 'makanan' },
    { sku: 'ETM', name: 'Es Teh Manis', price: 5000, unit: 'gelas', category: 'minuman' },
    { sku: 'ETT', name: 'Es Teh Tawar', price: 4000, unit: 'gelas', category: 'minuman' },
    { sku: 'GLA', name: 'Gula Pasir 1 kg', price: 17000, unit: 'pack', category: 'sembako' },
    { sku: 'SMB', name: 'Sambal Bawang Botol', price: 15000, unit: 'botol', category: 'sembako' },
  ]);
  it('"nasinya setengah", "gulanya dikit", "sambalnya dipisah" are notes on the item, not more products', () => {
    assert.equal(items('nasi goreng spesial 2, nasinya setengah', shop), 'NSG*2');
    assert.equal(items('es teh manis 3 gulanya dikit', shop), 'ETM*3');
    assert.equal(items('nasi goreng spesial 1 sambalnya dipisah ya', shop), 'NSG*1');
  });
  it('a word its products have still picks the variant', () => {
    assert.equal(items('es tehnya tawar 2', shop), 'ETT*2');
  });
});

describe('a variant asked for that the shop does not have', () => {
  const shop = buildCatalogIndex([
    { sku: 'MCW-125', name: 'Garnier Micellar Water Pink 125 ml', price: 28000, unit: 'pcs', category: 'micellar water' },
    { sku: 'MCW-400', name: 'Garnier Micellar Water Pink 400 ml', price: 62000, unit: 'pcs', category: 'micellar water' },
    { sku: 'CSH-21N', name: 'Wardah Cushion 21N Light Ivory', price: 89000, unit: 'pcs', category: 'cushion' },
    { sku: 'CSH-33W', name: 'Wardah Cushion 33W Warm Beige', price: 89000, unit: 'pcs', category: 'cushion' },
    { sku: 'SS-45', name: 'Azarine Sunscreen Gel SPF 45 50 ml', price: 65000, unit: 'pcs', category: 'sunscreen' },
    { sku: 'GLA', name: 'Gula Pasir 1 kg', price: 17000, unit: 'pack', category: 'sembako' },
  ]);
  it('a bottle size, a shade code or an SPF no variant has is not sold, never a count of another', () => {
    for (const text of ['garnier micellar yg 250 ml ada?', 'cushion wardah 23N ready?', 'azarine yg spf 50 ada?']) {
      const r = parseMessage(text, shop);
      assert.deepEqual(r.items, [], text);
      assert.ok(r.unknown.length > 0, text);
    }
  });
  it('the variants it has are still named, and kilos still count packs', () => {
    assert.equal(items('cushion wardah 21n 2', shop), 'CSH-21N*2');
    assert.equal(items('azarine spf 45 1', shop), 'SS-45*1');
    assert.equal(items('micellar pink 400 ml 1', shop), 'MCW-400*1');
    assert.equal(items('gula pasir 2 kg', shop), 'GLA*2');
  });
});

describe('a Padang restaurant: swaps and Minang words', () => {
  const shop = buildCatalogIndex([
    { sku: 'ETM', name: 'Es Teh Manis', price: 5000, unit: 'gelas', category: 'minuman' },
    { sku: 'TMH', name: 'Teh Manis Hangat', price: 5000, unit: 'gelas', category: 'minuman' },
    { sku: 'JRK', name: 'Jeruk Hangat', price: 6000, unit: 'gelas', category: 'minuman' },
    { sku: 'EJR', name: 'Es Jeruk', price: 7000, unit: 'gelas', category: 'minuman' },
    { sku: 'KOPI', name: 'Kopi Hitam', price: 5000, unit: 'gelas', category: 'minuman' },
    { sku: 'AYB', name: 'Ayam Bakar', price: 22000, unit: 'potong', category: 'lauk' },
  ]);
  it('"yg X ganti Y" swaps X for Y wherever X was ordered; "X 2 jadiin 1" keeps the last count', () => {
    assert.equal(items('es teh manis 1, jeruk hangat 1, yg es teh manis ganti teh manis hangat', shop), 'JRK*1 TMH*1');
    assert.equal(items('yg td kopi 2 jadiin 1 aja', shop), 'KOPI*1');
  });
  it('a count for each of so many people is multiplied; the people alone count nothing', () => {
    assert.equal(items('kita ber-5, masing2 es teh manis satu ya', shop), 'ETM*5');
    assert.equal(items('buat 3 orang, masing2 kopi hitam satu', shop), 'KOPI*3');
    assert.equal(items('kita ber4 tapi pesen es jeruk 3 aja', shop), 'EJR*3');
  });
  it('reads Minang: ambo pasan … ciek, jo … duo', () => {
    assert.equal(items('ambo pasan ayam bakar ciek, jo es jeruak duo', shop), 'AYB*1 EJR*2');
  });
});

describe('a home-cooking stall in Javanese and Sundanese', () => {
  const shop = buildCatalogIndex([
    { sku: 'NSI', name: 'Nasi Putih', price: 5000, unit: 'porsi', category: 'nasi' },
    { sku: 'LELE', name: 'Lele Goreng', price: 12000, unit: 'ekor', category: 'lauk ikan' },
    { sku: 'ETM', name: 'Es Teh Manis', price: 5000, unit: 'gelas', category: 'minuman', aliases: ['es teh'] },
    { sku: 'ETT', name: 'Es Teh Tawar', price: 4000, unit: 'gelas', category: 'minuman' },
    { sku: 'THT', name: 'Teh Manis Hangat', price: 5000, unit: 'gelas', category: 'minuman' },
    { sku: 'JRK', name: 'Jeruk Hangat', price: 6000, unit: 'gelas', category: 'minuman' },
    { sku: 'EJR', name: 'Es Jeruk', price: 6000, unit: 'gelas', category: 'minuman' },
    { sku: 'AYG', name: 'Ayam Goreng Paha', price: 14000, unit: 'potong', category: 'lauk ayam' },
  ]);
  it('a drink without a word of its name is its sibling without it; the count after the note counts the drink', () => {
    assert.equal(items('es jeruk 1 ga pake es, anget aja', shop), 'JRK*1');
    assert.equal(items('es teh ga pake gula 2 ya mbok', shop), 'ETT*2');
    assert.equal(items('nasi putih 2 ga pake sambel', shop), 'NSI*2');
  });
  it('reads legi, wedang, iwak and the Sundanese "teh," that calls the shopkeeper', () => {
    assert.equal(items('es teh legi telu, mbok', shop), 'ETM*3');
    assert.equal(items('kulo nyuwun wedang jeruk kalih', shop), 'JRK*2');
    assert.equal(items('iwak lele loro karo sego putih loro', shop), 'LELE*2 NSI*2');
    assert.equal(items('teh, sangu bodas dua sareng hayam goreng paha dua nya', shop), 'AYG*2 NSI*2');
    assert.equal(items('teh manis hangat 2', shop), 'THT*2');
  });
});

describe('an order that says how it is paid', () => {
  const shop = buildCatalogIndex([
    { sku: 'FW', name: 'Scarlett Acne Facial Wash 100 ml', price: 75000, unit: 'pcs', category: 'facial wash' },
  ]);
  it('stays an order with the channel, whether chosen or already paid', () => {
    const a = parseMessage('facial wash scarlett 1, udah tf bni ya kak', shop);
    assert.equal(a.intent, 'order');
    assert.equal(a.bank, 'bni');
    const b = parseMessage('facial wash scarlett 2 bayar transfer aja', shop);
    assert.equal(b.intent, 'order');
    assert.equal(b.payment_method, 'va');
  });
});

describe('a copy shop\'s plain and marked options', () => {
  const shop = buildCatalogIndex([
    { sku: 'FC-HP', name: 'Fotokopi A4 Hitam Putih 1 Sisi', price: 300, unit: 'lembar', category: 'jasa fotokopi' },
    { sku: 'FC-BB', name: 'Fotokopi A4 Hitam Putih Bolak-Balik', price: 500, unit: 'lembar', category: 'jasa fotokopi' },
    { sku: 'FC-WRN', name: 'Fotokopi A4 Warna', price: 1500, unit: 'lembar', category: 'jasa fotokopi' },
    { sku: 'BFL', name: 'Kertas Buffalo A4 Warna', price: 1000, unit: 'lembar', category: 'kertas' },
    { sku: 'STB-KNG', name: 'Stabilo Boss Kuning', price: 9000, unit: 'pcs', category: 'spidol' },
    { sku: 'STB-ORN', name: 'Stabilo Boss Oranye', price: 9000, unit: 'pcs', category: 'spidol' },
    { sku: 'TLR-BTR', name: 'Telur Ayam (per butir)', price: 2000, unit: 'butir', category: 'sembako' },
    { sku: 'TLR-KG', name: 'Telur Ayam 1 kg', price: 28000, unit: 'kg', category: 'sembako' },
  ]);
  it('a copy is black and white and one-sided unless colour or two sides are asked for', () => {
    assert.equal(items('fotokopi a4 100 lbr', shop), 'FC-HP*100');
    assert.equal(items('fotokopi ktp a4 kalih lembar nggih', shop), 'FC-HP*2');
    assert.equal(items('fotokopi a4 bolak balik 20', shop), 'FC-BB*20');
    assert.equal(items('fotokopi a4 warna 5', shop), 'FC-WRN*5');
  });
  it('copies of a job multiply its sheets, and a total said after them is the count', () => {
    const jobs = buildCatalogIndex([{ sku: 'PRT', name: 'Print A4 Hitam Putih', price: 500, unit: 'lembar', category: 'jasa print' }]);
    assert.equal(items('print hitam putih 10 halaman, rangkap 3', jobs), 'PRT*30');
    assert.equal(items('print hitam putih 40 lbr rangkap 2 jadi 80', jobs), 'PRT*80');
  });
  it('a colour said of what comes in assorted colours picks it; "oren" is orange; a dozen eggs are pieces', () => {
    assert.equal(items('buffalo biru 5 lembar', shop), 'BFL*5');
    assert.equal(items('stabilo oren 1', shop), 'STB-ORN*1');
    assert.equal(items('telur selusin', shop), 'TLR-BTR*12');
  });
});

describe('jobs, shades and cosmetics words', () => {
  const shop = buildCatalogIndex([
    { sku: 'SCN', name: 'Scan Dokumen (kirim PDF)', price: 2000, unit: 'lembar', category: 'jasa', aliases: ['scan'] },
    { sku: 'LAM', name: 'Laminating KTP / Kartu', price: 3000, unit: 'lembar', category: 'jasa' },
    { sku: 'MTR', name: 'Materai Tempel 10.000', price: 12000, unit: 'pcs', category: 'materai' },
    { sku: 'LC-02', name: 'Wardah Lip Cream 02 Nudist', price: 60000, unit: 'pcs', category: 'lip cream' },
    { sku: 'LC-04', name: 'Wardah Lip Cream 04 Latte', price: 60000, unit: 'pcs', category: 'lip cream' },
    { sku: 'FW', name: 'Emina Bright Stuff Face Wash 50 ml', price: 20000, unit: 'pcs', category: 'facial wash' },
    { sku: 'TNR', name: 'Emina Bright Stuff Face Toner 100 ml', price: 25000, unit: 'pcs', category: 'toner' },
    { sku: 'PWD', name: 'Emina Mineral Loose Powder 01', price: 35000, unit: 'pcs', category: 'bedak' },
  ]);
  it('a document alone names no service; the job said with it does', () => {
    assert.equal(items('scan ktp 1 lembar', shop), 'SCN*1');
    assert.equal(items('laminating ktp 2', shop), 'LAM*2');
    assert.deepEqual(parseMessage('ktp saya 2 lembar', shop).items, []);
  });
  it('Betawi numbers, zero-padded shades, "facial" and "bedak tabur"', () => {
    assert.equal(items('aye mau beli materai due biji', shop), 'MTR*2');
    assert.equal(items('wardah lip cream no 4 1', shop), 'LC-04*1');
    assert.equal(items('toner emina 1, facial wash emina 1', shop), 'FW*1 TNR*1');
    assert.equal(items('bedak tabur emina 1', shop), 'PWD*1');
  });
});

describe('a building shop nobody tuned on: sizes said bare', () => {
  const shop = buildCatalogIndex([
    { sku: 'BSI-8-F', name: 'Besi Beton 8 mm Full 12 m', price: 52000, unit: 'batang', category: 'besi' },
    { sku: 'BSI-8-B', name: 'Besi Beton 8 mm Banci 12 m', price: 41000, unit: 'batang', category: 'besi' },
    { sku: 'BSI-10-F', name: 'Besi Beton 10 mm Full 12 m', price: 82000, unit: 'batang', category: 'besi' },
    { sku: 'BSI-12-F', name: 'Besi Beton 12 mm Full 12 m', price: 118000, unit: 'batang', category: 'besi' },
    { sku: 'LED-10', name: 'Lampu LED Philips 10 W', price: 35000, unit: 'pcs', category: 'lampu' },
    { sku: 'LED-15', name: 'Lampu LED Philips 15 W', price: 45000, unit: 'pcs', category: 'lampu' },
    { sku: 'SMN-TR50', name: 'Semen Tiga Roda 50 kg', price: 72000, unit: 'sak', category: 'semen' },
    { sku: 'ASB', name: 'Asbes Gelombang 105x180 cm', price: 65000, unit: 'lembar', category: 'atap' },
    { sku: 'KRM-30', name: 'Keramik Roman 30x30 cm', price: 62000, unit: 'dus', category: 'keramik' },
  ]);
  it('a bare number that is a variant\'s size, followed by a word of its name, is that size', () => {
    assert.equal(items('besi 10 full 20 batang', shop), 'BSI-10-F*20');
    assert.equal(items('besi 8 banci 30 btg, besi 12 full 8 btg', shop), 'BSI-12-F*8 BSI-8-B*30');
    assert.equal(items('asbes 180 8 lembar', shop), 'ASB*8');
    assert.equal(items('keramik 30 kali 30 8 dus', shop), 'KRM-30*8');
  });
  it('"10 W" in a name is watts, and a brand written with a number word keeps it', () => {
    assert.equal(items('lampu led 10 watt 5 biji, 15 watt 2', shop), 'LED-10*5 LED-15*2');
    assert.equal(items('tiga roda 50 kg aja 8 sak', shop), 'SMN-TR50*8');
    assert.equal(items('saya mau pesan untuk renovasi dapur semen tiga roda 50 kg 6 sak', shop), 'SMN-TR50*6');
  });
});

describe('a phone-accessories counter nobody tuned on', () => {
  const shop = buildCatalogIndex([
    { sku: 'TG-A15', name: 'Tempered Glass Samsung Galaxy A15', price: 25000, unit: 'pcs', category: 'tempered glass' },
    { sku: 'TG-IP13', name: 'Tempered Glass iPhone 13', price: 30000, unit: 'pcs', category: 'tempered glass' },
    { sku: 'TG-IP15', name: 'Tempered Glass iPhone 15', price: 30000, unit: 'pcs', category: 'tempered glass' },
    { sku: 'CS-A15', name: 'Softcase Bening Samsung Galaxy A15', price: 20000, unit: 'pcs', category: 'case' },
    { sku: 'CS-IP15', name: 'Case MagSafe Bening iPhone 15', price: 45000, unit: 'pcs', category: 'case' },
    { sku: 'MC-128', name: 'Sandisk MicroSD Ultra 128 GB', price: 150000, unit: 'pcs', category: 'memori' },
    { sku: 'FD-64', name: 'Flashdisk Sandisk Ultra Flair 64 GB', price: 90000, unit: 'pcs', category: 'flashdisk' },
    { sku: 'TNT', name: 'Tinta Epson 664 Hitam 70 ml', price: 85000, unit: 'botol', category: 'tinta' },
  ]);
  it('initials of a family\'s leading words and the counter\'s shorthand name products', () => {
    assert.equal(items('case iphone 15 magsafe 1 + tg iphone 15 1', shop), 'CS-IP15*1 TG-IP15*1');
    assert.equal(items('softcase a15 1 tg a15 1', shop), 'CS-A15*1 TG-A15*1');
    assert.equal(items('mc 128 1 sm fd 64 1', shop), 'FD-64*1 MC-128*1');
  });
  it('the model it is for picks the product; a model of the series not sold is not sold', () => {
    assert.equal(items('tg buat a15 2', shop), 'TG-A15*2');
    for (const text of ['tg iphone 14 ada?', 'ada case buat a25?']) {
      const r = parseMessage(text, shop);
      assert.deepEqual(r.items, [], text);
      assert.ok(r.unknown.length > 0, text);
    }
    assert.equal(items('tinta epson 664 2', shop), 'TNT*2');
  });
});

describe('what an item is for picks its variant', () => {
  const shop = buildCatalogIndex([
    { sku: 'INS-REG', name: 'Insto 7,5 ml', price: 15500, unit: 'botol', category: 'mata', description: 'mata merah & iritasi ringan' },
    { sku: 'INS-DRY', name: 'Insto Dry Eyes 7,5 ml', price: 18000, unit: 'botol', category: 'mata', description: 'mata kering' },
    { sku: 'WDS-EXP', name: 'Woods Peppermint Expectorant 100 ml', price: 23000, unit: 'botol', category: 'batuk', description: 'batuk berdahak' },
    { sku: 'WDS-ATS', name: 'Woods Peppermint Antitussive 100 ml', price: 24000, unit: 'botol', category: 'batuk', description: 'batuk kering' },
    { sku: 'LEM-PPA', name: 'Lem Pipa Isarplas Tube', price: 9000, unit: 'pcs', category: 'lem' },
    { sku: 'LEM-KYU', name: 'Lem Kayu Fox 1 kg', price: 30000, unit: 'pcs', category: 'lem' },
    { sku: 'PPA-05', name: 'Pipa PVC 1/2 inch', price: 30000, unit: 'batang', category: 'pipa' },
  ]);
  it('the words the merchant wrote about a variant, or its name, choose it when the item is counted', () => {
    assert.equal(items('insto yg buat mata kering 1, sy kerja depan laptop', shop), 'INS-DRY*1');
    assert.equal(items('woods buat batuk kering 1 botol', shop), 'WDS-ATS*1');
    assert.equal(items('lem buat pipa 2', shop), 'LEM-PPA*2');
  });
  it('a question about what there is for a use chooses none', () => {
    const r = parseMessage('ada woods buat batuk kering?', shop);
    assert.equal(r.items.length, 0);
    assert.equal(r.intent, 'ask_product');
  });
});

describe('a catalog typed in English, multipacks and two-kind categories', () => {
  const shop = buildCatalogIndex([
    { sku: 'CSB', name: 'Cussons Baby Soap Mild & Gentle 75 g', price: 5000, unit: 'pcs', category: 'bayi & anak' },
    { sku: 'CSB4', name: 'CUSSONS BABY SOAP 4X75G', price: 18000, unit: 'pak', category: 'bayi & anak' },
    { sku: 'BDK', name: 'Bedak Bayi Cussons Soft & Smooth 100 g', price: 12000, unit: 'pcs', category: 'bayi & anak' },
    { sku: 'KPA-RTG', name: 'Kapal Api Special Mix renteng', price: 15000, unit: 'renteng', category: 'Kopi & Inuman' },
    { sku: 'KPA-BBK', name: 'Kopi Bubuk Kapal Api Special 165 gr', price: 15500, unit: 'pcs', category: 'Kopi & Inuman' },
    { sku: 'TEH', name: 'Teh Kotak Jasmine 200 ml', price: 4000, unit: 'pcs', category: 'Kopi & Inuman' },
  ]);
  it('Indonesian words find the English name, and a count of pieces is of the single piece', () => {
    assert.equal(items('sabun bayi cussons 4 biji', shop), 'CSB*4');
    assert.equal(items('cussons 2 pak', shop), 'CSB4*2');
  });
  it('the kind a brand sibling is named with may be said before a name that lacks it', () => {
    assert.equal(items('kopi kapal api renteng 5', shop), 'KPA-RTG*5');
  });
});

describe('Sundanese and Javanese order words', () => {
  const shop = buildCatalogIndex([
    { sku: 'RNS-770', name: 'Rinso Anti Noda 770 g', price: 25000, unit: 'pcs' },
    { sku: 'RNS-1800', name: 'Rinso Anti Noda 1,8 kg', price: 52000, unit: 'pcs' },
    { sku: 'SNL-210', name: 'Sunlight Jeruk Nipis 210 ml', price: 5000, unit: 'pcs' },
    { sku: 'SNL-755', name: 'Sunlight Jeruk Nipis 755 ml', price: 15000, unit: 'pcs' },
    { sku: 'TEH-DUS', name: 'Teh Kotak Jasmine 1 dus isi 24', price: 80000, unit: 'dus' },
    { sku: 'KPA-RTG', name: 'Kapal Api Special Mix renteng', price: 15000, unit: 'renteng' },
  ]);
  it('"nu" and "sing" point at a variant, "alit" is the small one', () => {
    assert.equal(items('kang ieu rinso nu 770 hiji, sunlight nu alit tilu', shop), 'RNS-770*1 SNL-210*3');
  });
  it('"teu kedah" after a slip strikes the product it names, not the one said last', () => {
    assert.equal(items('kapal api 2 renteng, teh kotak 1 dus. eh kapal api na teu kedah', shop), 'TEH-DUS*1');
  });
});

describe('an electrical and pipe stock list in capitals', () => {
  const shop = buildCatalogIndex([
    { sku: 'PVC-12', name: 'PIPA PVC RUCIKA 1/2 AW', price: 39000, unit: 'batang' },
    { sku: 'PVC-34', name: 'PIPA PVC RUCIKA 3/4 AW', price: 49000, unit: 'batang' },
    { sku: 'PVC-3D', name: 'PIPA PVC RUCIKA 3 D', price: 142000, unit: 'batang' },
    { sku: 'PVC-4D', name: 'PIPA PVC RUCIKA 4 D', price: 198000, unit: 'batang' },
    { sku: 'TEE-12', name: 'TEE PVC 1/2 RUCIKA', price: 3000, unit: 'pcs' },
    { sku: 'LED-12', name: 'LAMPU LED PHILIPS 12W CDL', price: 43000, unit: 'pcs' },
    { sku: 'LED-12-WW', name: 'LAMPU LED PHILIPS 12W WW', price: 43000, unit: 'pcs' },
  ]);
  it('"3 D" is three inches, and a fraction said before the brand is the size', () => {
    assert.equal(items('pipa 4 inch rucika 3 batang', shop), 'PVC-4D*3');
    assert.equal(items('pipa rucika 3 dim 2 batang', shop), 'PVC-3D*2');
    assert.equal(items('pipa 1/2 rucika 4 batang, pipa 3/4 2 batang', shop), 'PVC-12*4 PVC-34*2');
    assert.equal(items('tee 1/2 setengah lusin', shop), 'TEE-12*6');
  });
  it('white light is cool daylight and yellow light is warm white', () => {
    assert.equal(items('lampu philips 12w kuning 2', shop), 'LED-12-WW*2');
    assert.equal(items('lampu 12 watt putih 3', shop), 'LED-12*3');
  });
});

describe('a container that is a product of its own', () => {
  const shop = buildCatalogIndex([
    { sku: 'AQA-600', name: 'Aqua 600 ml', price: 3500, unit: 'botol' },
    { sku: 'AQA-600-DUS', name: 'Aqua 600 ml 1 dus isi 24', price: 80000, unit: 'dus' },
    { sku: 'AQA-GLN', name: 'Aqua Galon isi ulang 19 L', price: 22000, unit: 'galon' },
    { sku: 'LMN-600', name: 'Le Minerale 600 ml', price: 3500, unit: 'botol' },
    { sku: 'TEH-DUS', name: 'Teh Kotak Jasmine 1 dus isi 24', price: 80000, unit: 'dus' },
  ]);
  it('cup water or a gallon of a brand sold only in bottles is not sold, never its carton', () => {
    const r = parseMessage('ambil teh kotak 3 dus sama aqua gelas 2 dus', shop);
    assert.deepEqual(r.items.map((i) => `${i.sku}*${i.quantity}`), ['TEH-DUS*3']);
    assert.equal(r.unknown.length, 1);
    assert.deepEqual(parseMessage('le minerale galon ada?', shop).items, []);
    assert.equal(items('aqua galon 2', shop), 'AQA-GLN*2');
  });
});

describe('initials a stock list uses for a run of a sibling\'s name', () => {
  const shop = buildCatalogIndex([
    { sku: 'MKP-30', name: 'MKP CAP LANG 30ML', price: 15000, unit: 'botol' },
    { sku: 'MKP-60', name: 'Minyak Kayu Putih Cap Lang 60 ml', price: 27000, unit: 'botol' },
    { sku: 'LCK-BTL', name: 'Larutan Penyegar Cap Kaki Tiga 500 ml', price: 8000, unit: 'botol' },
    { sku: 'LCK-KLG', name: 'LARUTAN CKT KALENG 320ML', price: 7500, unit: 'kaleng' },
    { sku: 'BTR-AA', name: 'Baterai ABC Alkaline AA', price: 9000, unit: 'pack' },
    { sku: 'BTR-AAA', name: 'Baterai ABC Alkaline AAA', price: 9000, unit: 'pack' },
  ]);
  it('the words name the shortened product and the initials name the spelled-out one', () => {
    assert.equal(items('kayu putih cap lang 30ml 3', shop), 'MKP-30*3');
    assert.equal(items('mkp 60 ml 1', shop), 'MKP-60*1');
    assert.equal(items('larutan cap kaki tiga kaleng 4', shop), 'LCK-KLG*4');
  });
  it('a name that spells its own run out is no initials of it', () => {
    assert.equal(items('batre AA 2 pack AAA 1 pack', shop), 'BTR-AA*2 BTR-AAA*1');
  });
});

describe('the plain one among variants of one size', () => {
  const shop = buildCatalogIndex([
    { sku: 'PND-TAB', name: 'Panadol Tablet 10s', price: 14000, unit: 'strip' },
    { sku: 'PND-EXT', name: 'PANADOL EXTRA 10S', price: 16500, unit: 'strip' },
    { sku: 'SCT-ORI', name: "Scott's Emulsion Original 200 ml", price: 68000, unit: 'botol' },
    { sku: 'SCT-JRK', name: 'SCOTTS EMULSION JERUK 200ML', price: 68000, unit: 'botol' },
    { sku: 'PCR-350', name: 'POCARI SWEAT 350ML', price: 7000, unit: 'botol' },
    { sku: 'PCR-500', name: 'POCARI SWEAT PET 500ML', price: 8500, unit: 'botol' },
    { sku: 'MTC-R', name: 'Matcha Latte Iced Regular', price: 23000, unit: 'cup' },
    { sku: 'MTC-L', name: 'Matcha Latte Iced Lrg', price: 29000, unit: 'cup' },
  ]);
  it('a bare name is the variant that adds only its form or "original"', () => {
    assert.equal(items('panadol 1 strip', shop), 'PND-TAB*1');
    assert.equal(items('scotts yg biasa 2', shop), 'SCT-ORI*2');
  });
  it('sizes apart are asked, never told apart by the shorter name', () => {
    const r = parseMessage('pocari 3', shop);
    assert.deepEqual(r.items, []);
    assert.equal(r.ambiguous.length, 1);
  });
  it('"gede" picks the variant its name calls large', () => {
    assert.equal(items('matcha yg es gede 2', shop), 'MTC-L*2');
  });
});

describe('a carton named by its single\'s nickname', () => {
  const shop = buildCatalogIndex([
    { sku: 'MKT-1', name: 'MinyaKita 1 liter', price: 17500, unit: 'pcs', aliases: ['minyak kita'] },
    { sku: 'MKT-DUS', name: 'MinyaKita 1 liter dus isi 12', price: 204000, unit: 'dus', aliases: ['minyakita dus'] },
  ]);
  it('"minyak kita 2 dus" is two cartons even when the carton has a nickname of its own', () => {
    assert.equal(items('minyak kita 2 dus', shop), 'MKT-DUS*2');
    assert.equal(items('minyak kita 2', shop), 'MKT-1*2');
  });
});

describe('a stall whose own name is in its products', () => {
  const shop = buildCatalogIndex([
    { sku: 'AGP', name: 'Ayam Geprek', price: 13000, unit: 'porsi', description: 'Level 0-5 gratis' },
    { sku: 'AGP-KJU', name: 'Ayam Geprek Keju', price: 16000, unit: 'porsi' },
    { sku: 'AGP-DWA', name: 'Ayam Geprek Level Dewa', price: 17000, unit: 'porsi', aliases: ['geprek level 10'] },
    { sku: 'FGP-5', name: 'Frozen Geprek Mas Bro Isi 5', price: 45000, unit: 'pack' },
    { sku: 'NSI', name: 'Nasi Putih', price: 4000, unit: 'porsi' },
  ]);
  it('the shopkeeper called at the start is no product, and a spice level no variant is named by is a note', () => {
    assert.equal(items('mas geprek 2 level 3 ya, sama nasi 2', shop), 'AGP*2 NSI*2');
    assert.equal(items('aku pesen geprek level 5 dua terus geprek keju satu', shop), 'AGP*2 AGP-KJU*1');
    assert.equal(items('geprek level dewa 1', shop), 'AGP-DWA*1');
    assert.equal(items('frozen geprek mas bro 2', shop), 'FGP-5*2');
  });
});

describe('the sibling said as "the one that"', () => {
  const shop = buildCatalogIndex([
    { sku: 'MSK-PCS', name: 'MASKER MEDIS 3PLY PCS', price: 1000, unit: 'pcs' },
    { sku: 'MSK-BOX', name: 'Masker Medis 3 Ply Box isi 50', price: 27000, unit: 'box' },
    { sku: 'TA-SCH', name: 'Tolak Angin Sachet 15 ml', price: 4500, unit: 'sachet' },
    { sku: 'TA-ANK', name: 'Tolak Angin Anak 10 ml', price: 3500, unit: 'sachet' },
    { sku: 'OBH-ANK', name: 'OBH Combi Anak 60 ml', price: 15000, unit: 'botol' },
  ]);
  it('"yg satuan 5" is the one sold by the piece; "sing dewasa" the one that is not the child\'s', () => {
    assert.equal(items('masker medis 1 box sama yg satuan 5', shop), 'MSK-BOX*1 MSK-PCS*5');
    assert.equal(items('minta tolak angin anak e telu karo sing dewasa loro', shop), 'TA-ANK*3 TA-SCH*2');
  });
});

describe('a friend\'s choice, gigabytes and the scanning service', () => {
  const shop = buildCatalogIndex([
    { sku: 'FD-32', name: 'Flashdisk Sandisk 32GB', price: 65000, unit: 'pcs' },
    { sku: 'FD-64', name: 'Flashdisk Sandisk 64GB', price: 95000, unit: 'pcs' },
    { sku: 'SCN', name: 'Scan Dokumen per lembar', price: 2000, unit: 'lembar' },
  ]);
  it('what a friend uses is not ordered; "giga" is gigabytes', () => {
    assert.equal(items('temenku pake sandisk 64, aku mau yg 32 aja 1', shop), 'FD-32*1');
    assert.equal(items('flashdisk sandisk 32 giga satu', shop), 'FD-32*1');
  });
  it('"scan per lembar berapa" asks about scanning and chooses no payment', () => {
    const r = parseMessage('scan per lembar berapa', shop);
    assert.equal(r.payment_method, null);
  });
});

describe('a clothing size said of the product just named', () => {
  const shop = buildCatalogIndex([
    { sku: 'MMP-M34', name: 'MMYPK PANTS M 34', price: 72000, unit: 'pak' },
    { sku: 'MMP-L30', name: 'MMYPK PANTS L 30', price: 72000, unit: 'pak' },
    { sku: 'MMP-XL26', name: 'MamyPoko Pants Standar XL 26', price: 72000, unit: 'pak' },
    { sku: 'SWT-L28', name: 'Sweety Silver Pants L 28', price: 66000, unit: 'pak' },
  ]);
  it('is that size of it, or one the shop does not have, never another brand in that size', () => {
    assert.equal(items('mamypoko ukuran L 2', shop), 'MMP-L30*2');
    for (const text of ['ada mamypoko ukuran S?', 'sweety ada ukuran M?']) {
      const r = parseMessage(text, shop);
      assert.deepEqual(r.items, [], text);
      assert.equal(r.unknown.length, 1, text);
    }
  });
});

describe('names with "plus" and "+", and a size said after the name', () => {
  const shop = buildCatalogIndex([
    { sku: 'OBH-60', name: 'OBH COMBI PLUS 60 ML', price: 15500, unit: 'botol' },
    { sku: 'OBH-100', name: 'Obat Batuk OBH Combi Plus 100ml', price: 21500, unit: 'botol' },
    { sku: 'SGM-1', name: 'SGM Eksplor 1+ Vanila 400g', price: 55000, unit: 'kotak' },
    { sku: 'SGM-3', name: 'SGM Eksplor 3+ Madu 400 gr', price: 52000, unit: 'kotak' },
    { sku: 'PSD-75', name: 'Pasta Gigi Pepsodent 75g', price: 6500, unit: 'pcs' },
    { sku: 'PSD-190', name: 'PEPSODENT 190 GR', price: 14500, unit: 'pcs' },
    { sku: 'AQA-1500', name: 'Aqua 1500 ml', price: 6000, unit: 'botol', aliases: ['aqua besar'] },
    { sku: 'AYG', name: 'Ayam Goreng', price: 12000, unit: 'porsi' },
    { sku: 'NSI', name: 'Nasi Putih', price: 4000, unit: 'porsi' },
  ]);
  it('"plus" in a name is no "and"; "1+" is an age where a name has it and a list sign elsewhere', () => {
    assert.equal(items('obh combi plus yg 100 ml satu', shop), 'OBH-100*1');
    assert.equal(items('mamypoko 1 pak sama sgm 3+ 1', shop), 'SGM-3*1');
    assert.equal(items('sgm 1+ satu kotak', shop), 'SGM-1*1');
    assert.equal(items('ayam goreng 1+ nasi 1', shop), 'AYG*1 NSI*1');
  });
  it('"yg besar" after a product picks its larger size, never a product called big', () => {
    assert.equal(items('pepsodent yg besar 1', shop), 'PSD-190*1');
  });
});

describe('a pack named without the kind word its single has', () => {
  const shop = buildCatalogIndex([
    { sku: 'KPA-SCH', name: 'Kopi Kapal Api Special Mix sachet', price: 1500, unit: 'sachet', category: 'minuman' },
    { sku: 'KPA-RTG', name: 'KAPAL API SPECIAL MIX /renteng isi 10', price: 14000, unit: 'renteng', category: 'minuman' },
    { sku: 'TEH-DUS', name: 'Teh Kotak Jasmine 1 dus isi 24', price: 80000, unit: 'dus' },
  ]);
  it('is named as the single is, with its own pack word, and struck the same way', () => {
    assert.equal(items('kopi kapal api tiga renteng', shop), 'KPA-RTG*3');
    assert.equal(items('kapal api 2 renteng, teh kotak 1 dus. eh kapal api nya ga usah', shop), 'TEH-DUS*1');
  });
});

describe('the shopkeeper called by the name the shop puts on its products', () => {
  const shop = buildCatalogIndex([
    { sku: 'DMS', name: 'Dimsum Ayam Mak Ros isi 10', price: 30000, unit: 'pack' },
    { sku: 'BRS', name: 'Beras Anak Daro 5 kg', price: 80000, unit: 'karung' },
  ]);
  it('at the start or after a greeting is no product; the name said as a product still is', () => {
    assert.equal(parseMessage('assalamualaikum mak ros', shop).intent, 'greeting');
    assert.equal(items('mak ros, beras anak daro 5 kilo duo karuang', shop), 'BRS*2');
    assert.equal(items('dimsum mak ros 2', shop), 'DMS*2');
    assert.equal(parseMessage('assalamualaikum wr wb uni ros', shop).intent, 'greeting');
    // (…never a product whose name begins with an address form: "teh botol" is Teh Botol Sosro)
    const tea = buildCatalogIndex([{ sku: 'TBS', name: 'Teh Botol Sosro 450ml', price: 5000, unit: 'botol' }]);
    assert.equal(items('teh botol', tea), 'TBS*1');
  });
});

describe('a nickname a pack shares with its single', () => {
  const shop = buildCatalogIndex([
    { sku: 'GDY', name: 'Good Day Cappuccino Sachet', price: 2000, unit: 'sachet', aliases: ['good day', 'goodday'] },
    { sku: 'GDY-RTG', name: 'Good Day Cappuccino 1 Renteng (isi 10)', price: 18500, unit: 'renteng', aliases: ['good day renteng'] },
  ]);
  it('does not make the single sold by the pack\'s unit', () => {
    assert.equal(items('good day cappucino 2 renteng kak', shop), 'GDY-RTG*2');
    assert.equal(items('good day 3', shop), 'GDY*3');
  });
});

describe('a block sold by the piece and by the cubic metre', () => {
  const shop = buildCatalogIndex([
    { sku: 'HBL-10', name: 'Hebel 10x20x60', price: 12500, unit: 'biji', aliases: ['bata ringan 10'] },
    { sku: 'HBL-10-M3', name: 'Hebel 10x20x60 per kubik', price: 790000, unit: 'kubik' },
    { sku: 'MU', name: 'Perekat Hebel MU-380 40kg', price: 112000, unit: 'sak' },
  ]);
  it('"hebel 10" is both; cubic metres pick the one sold by them, pieces the one sold by the piece', () => {
    assert.equal(items('hebel 10 dua kubik sama mu 380 lima sak', shop), 'HBL-10-M3*2 MU*5');
    assert.equal(items('hebel 10 350 biji', shop), 'HBL-10*350');
  });
});

describe('a total followed by its split', () => {
  const shop = buildCatalogIndex([
    { sku: 'KNZ-ORI', name: 'Kanzler Singles Original 65 g', price: 10000, unit: 'pcs' },
    { sku: 'KNZ-CHS', name: 'Kanzler Singles Cheese 65 g', price: 11000, unit: 'pcs', aliases: ['kanzler keju'] },
  ]);
  it('is the variants said next, never another item', () => {
    assert.equal(items('kanzler singles 6, yg original 4 yg keju 2', shop), 'KNZ-CHS*2 KNZ-ORI*4');
    assert.equal(items('kanzler original 4 sama kanzler keju 2', shop), 'KNZ-CHS*2 KNZ-ORI*4');
  });
});

describe('second thoughts in one message', () => {
  const shop = buildCatalogIndex([
    { sku: 'BTD-15', name: 'Betadine Antiseptik 15 ml', price: 18000, unit: 'botol', category: 'antiseptik' },
    { sku: 'BTD-30', name: 'Betadine Antiseptik 30 ml', price: 29000, unit: 'botol', category: 'antiseptik' },
    { sku: 'PB-10', name: 'Robot Powerbank RT180 10000 mAh', price: 150000, unit: 'pcs', category: 'powerbank' },
    { sku: 'PB-20', name: 'Robot Powerbank RT190 20000 mAh', price: 230000, unit: 'pcs', category: 'powerbank' },
    { sku: 'MSB-30', name: 'Skintific Moisture Gel 30 g', price: 90000, unit: 'pcs', category: 'moisturizer' },
    { sku: 'MSB-80', name: 'Skintific Moisture Gel 80 g', price: 160000, unit: 'pcs', category: 'moisturizer' },
    { sku: 'NDP', name: 'Cat No Drop Putih 4 kg', price: 210000, unit: 'galon', category: 'cat' },
    { sku: 'AVT', name: 'Cat Avitex Putih 5 kg', price: 120000, unit: 'galon', category: 'cat' },
  ]);
  it('"A bukan B": the one said first stands', () => {
    assert.equal(items('powerbank 10000 bukan 20000, 1 aja', shop), 'PB-10*1');
    assert.equal(items('betadine 15 ml nya 2 bukan 3', shop), 'BTD-15*2');
  });
  it('"1 tray, eh ga jadi, 15 butir aja": the count and unit after the slip replace the earlier ones', () => {
    const eggs = buildCatalogIndex([
      { sku: 'TLR', name: 'Telur Ayam (per butir)', price: 2000, unit: 'butir' },
      { sku: 'TLR-TRY', name: 'Telur Ayam 1 Tray (30 butir)', price: 55000, unit: 'tray' },
    ]);
    assert.equal(items('telur 1 tray, eh ga jadi, 15 butir aja', eggs), 'TLR*15');
  });
  it('a size said again after a slip replaces the earlier one and keeps the count', () => {
    assert.equal(items('betadine 15 ml 1 ya kak, eh ganti yg 30 ml aja deh', shop), 'BTD-30*1');
    assert.equal(items('powerbank robot 20000 1, eh ralat yg 10000 aja', shop), 'PB-10*1');
  });
  it('one found too small, or used before, is not ordered', () => {
    assert.equal(items('mau skintific moisture gel yg 80 gr aja 1, yg 30 gr kekecilan', shop), 'MSB-80*1');
    const r = parseMessage('sebelumnya saya pake no drop, skrg mau avitex putih 5 kg 2 galon', shop);
    assert.equal(r.intent, 'order');
    assert.deepEqual(r.items.map((i) => `${i.sku}*${i.quantity}`), ['AVT*2']);
  });
  it('when a product expires is asked about it, beside a count it stays an order', () => {
    assert.equal(parseMessage('betadine 30 ml expired nya kapan ya', shop).intent, 'ask_product');
    assert.equal(parseMessage('betadine 30 ml 2 ya, expired nya kapan', shop).intent, 'order');
  });
});

describe('what is not ordered in a story, a slip or a contrast', () => {
  const shop = buildCatalogIndex([
    { sku: 'EMN-SS', name: 'Emina Sun Protection SPF 30 60 ml', price: 35000, unit: 'pcs', category: 'sunscreen' },
    { sku: 'WRD-SS', name: 'Wardah UV Shield Sunscreen SPF 50 40 ml', price: 45000, unit: 'pcs', category: 'sunscreen' },
    { sku: 'JUS-ALP', name: 'Jus Alpukat', price: 15000, unit: 'gelas', category: 'minuman' },
    { sku: 'ES-ALP', name: 'Es Alpukat Kerok', price: 13000, unit: 'gelas', category: 'minuman' },
    { sku: 'SBL-MRH', name: 'Sambal Merah', price: 3000, unit: 'porsi', category: 'sambal' },
    { sku: 'SBL-IJO', name: 'Sambal Ijo', price: 3000, unit: 'porsi', category: 'sambal' },
    { sku: 'KRB-250', name: 'Kerupuk Balado 250 g', price: 20000, unit: 'bungkus', category: 'oleh-oleh' },
    { sku: 'KRB-500', name: 'Kerupuk Balado 500 g', price: 38000, unit: 'bungkus', category: 'oleh-oleh' },
    { sku: 'GLA', name: 'Gula Pasir 1 kg', price: 17000, unit: 'pack', category: 'sembako' },
  ]);
  it('what someone else uses, a slip taken back and what follows "bukan (yg)" are not ordered', () => {
    assert.equal(items('adik sy pake emina sun protection katanya lengket, aku coba wardah uv shield spf 50 aja 1', shop), 'WRD-SS*1');
    assert.equal(items('jus alpukat 1 eh maksud sy es alpukat', shop), 'ES-ALP*1');
    assert.equal(items('bukan yg sambal merah, sambal ijo 2', shop), 'SBL-IJO*2');
    assert.equal(items('kagak jadi sambal merah, sambal ijo aje dua', shop), 'SBL-IJO*2');
    const r = parseMessage('jus alpukat 2 ga usah pakai sambal ijo', shop);
    assert.equal(r.intent, 'order');
    assert.deepEqual(r.items.map((i) => `${i.sku}*${i.quantity}`), ['JUS-ALP*2']);
    assert.equal(items('es alpukat kerok 1 jangan dikasih sambal merah', shop), 'ES-ALP*1');
  });
  it('a number after "yg" names a sibling of the product before it, never counts it', () => {
    assert.equal(items('kerupuk balado 500 satu, yg 250 dua', shop), 'KRB-250*2 KRB-500*1');
    assert.equal(items('kerupuk balado 500, yg 250 1', shop), 'KRB-250*1 KRB-500*1');
    assert.equal(items('minggu lalu ambil kerupuk balado yg 500 kebanyakan, sekarang yg 250 aja 2', shop), 'KRB-250*2');
  });
  it('a weight counts packs of a whole kilo; of other packs it asks for a size', () => {
    assert.equal(items('gula pasir 2 kilo', shop), 'GLA*2');
    const r = parseMessage('ada kerupuk balado 1 kg?', shop);
    assert.ok(!r.items.some((i) => i.quantity > 1), JSON.stringify(r.items));
  });
});

describe('fallbacks and shade numbers', () => {
  const shop = buildCatalogIndex([
    { sku: 'LC-03', name: 'Implora Lip Cream 03 Nude', price: 15000, unit: 'pcs', category: 'lip cream' },
    { sku: 'LC-07', name: 'Implora Lip Cream 07 Red', price: 15000, unit: 'pcs', category: 'lip cream' },
    { sku: 'FM-120', name: 'Maybelline Fit Me Foundation 120 Classic Ivory', price: 120000, unit: 'pcs', category: 'foundation' },
    { sku: 'FM-220', name: 'Maybelline Fit Me Foundation 220 Natural Beige', price: 120000, unit: 'pcs', category: 'foundation' },
  ]);
  it('"X ada? kalau ga ada Y aja 1" orders the fallback', () => {
    const r = parseMessage('implora lip cream 05 ada? kalau gak ada 03 aja 1', shop);
    assert.equal(r.intent, 'order');
    assert.deepEqual(r.items.map((i) => `${i.sku}*${i.quantity}`), ['LC-03*1']);
  });
  it('shade numbers listed after the first name their siblings; one said for someone else is not ordered', () => {
    assert.equal(items('implora lip cream 03, 07 masing2 2', shop), 'LC-03*2 LC-07*2');
    assert.equal(items('temen sy pakai fit me 220, kalau saya 120 satu', shop), 'FM-120*1');
  });
  it('a shade number of the same digits that the shop lacks is not sold, never a count', () => {
    const r = parseMessage('fit me 310 ada kak?', shop);
    assert.deepEqual(r.items, []);
    assert.ok(r.unknown.length > 0);
    assert.equal(items('fit me 220 1', shop), 'FM-220*1');
  });
});

describe('a bakso stall: stories, contrasts and second thoughts', () => {
  const shop = buildCatalogIndex([
    { sku: 'URT', name: 'Bakso Urat', price: 18000, unit: 'mangkok', category: 'bakso' },
    { sku: 'MRC', name: 'Bakso Mercon', price: 20000, unit: 'mangkok', category: 'bakso' },
    { sku: 'MIE', name: 'Mie Ayam Biasa', price: 13000, unit: 'porsi', category: 'mie ayam' },
    { sku: 'KMP', name: 'Mie Ayam Komplit', price: 20000, unit: 'porsi', category: 'mie ayam' },
    { sku: 'SBB', name: 'Soto Babat', price: 18000, unit: 'mangkok', category: 'soto' },
    { sku: 'SAY', name: 'Soto Ayam', price: 15000, unit: 'mangkok', category: 'soto' },
    { sku: 'F25', name: 'Bakso Frozen isi 25', price: 45000, unit: 'pack', category: 'frozen' },
    { sku: 'F50', name: 'Bakso Frozen isi 50', price: 85000, unit: 'pack', category: 'frozen' },
  ]);
  it('what was had yesterday, what is not wanted and what was taken back are not ordered', () => {
    assert.equal(items('bakso mercon kemarin pedesnya nampol hari ini yg bakso urat 3 aja', shop), 'URT*3');
    assert.equal(items('biasanya sy ambil soto babat, hari ini soto ayam 3 ya', shop), 'SAY*3');
    assert.equal(parseMessage('wah bakso mercon yg kemarin nampol bener 👍', shop).intent, 'other');
    assert.equal(items('bakso frozen isi 25 3, dikasih bakso urat ya biar ga sepi', shop), 'F25*3');
    assert.equal(items('bakso urat 2 tapi jangan yg mercon', shop), 'URT*2');
    assert.equal(items('tadi sy pesen mie ayam biasa, ganti jadi mie ayam komplit', shop), 'KMP*1');
    assert.equal(items('soto babat 2.. eh salah, soto ayam 2 maksudnya', shop), 'SAY*2');
    assert.equal(items('bakso frozen isi 25 2 pack... eh isi 50 maksudnya', shop), 'F50*2');
  });
});

describe('a frozen-food shop: how it is cut and which pack', () => {
  const shop = buildCatalogIndex([
    { sku: 'UTH', name: 'Ayam Utuh Potong 1 ekor', price: 45000, unit: 'ekor', category: 'ayam' },
    { sku: 'BKS-500', name: 'Bakso Sapi Bernardi 500 g', price: 38000, unit: 'pack', category: 'bakso' },
    { sku: 'BKS-1K', name: 'Bakso Sapi Bernardi 1 kg', price: 72000, unit: 'pack', category: 'bakso' },
    { sku: 'NGS', name: 'Nasi Goreng Spesial', price: 20000, unit: 'porsi', category: 'makanan' },
    { sku: 'TLR', name: 'Telur Ceplok', price: 4000, unit: 'biji', category: 'lauk' },
  ]);
  it('the number a passive verb takes counts nothing; "yg 500an" picks the 500 g pack', () => {
    assert.equal(items('ayam utuh 2 ekor dipotong 8 ya', shop), 'UTH*2');
    assert.equal(items('bakso sapi 2 pack yg 500an', shop), 'BKS-500*2');
    assert.equal(items('nasi goreng spesial 2 telurnya dadar ya', shop), 'NGS*2');
  });
});

describe('a tent stall and a caterer: addresses, boxes and people', () => {
  const shop = buildCatalogIndex([
    { sku: 'LELE', name: 'Pecel Lele', price: 15000, unit: 'porsi', category: 'lauk' },
    { sku: 'NSI', name: 'Nasi Putih', price: 5000, unit: 'porsi', category: 'nasi', aliases: ['nasi'] },
    { sku: 'EJR', name: 'Es Jeruk', price: 7000, unit: 'gelas', category: 'minuman' },
    { sku: 'JRK', name: 'Jeruk Hangat', price: 6000, unit: 'gelas', category: 'minuman' },
    { sku: 'SBX-5', name: 'Snack Box isi 5 (min 20)', price: 15000, unit: 'box', category: 'snack box' },
    { sku: 'RSL', name: 'Risol Mayo', price: 4000, unit: 'pcs', category: 'kue' },
    { sku: 'LMP', name: 'Lemper Ayam', price: 3500, unit: 'pcs', category: 'kue' },
    { sku: 'TMP', name: 'Nasi Tumpeng Besar untuk 20 orang', price: 650000, unit: 'tumpeng', category: 'tumpeng' },
    { sku: 'BLU', name: 'Bolu Pandan', price: 60000, unit: 'loyang', category: 'kue' },
  ]);
  it('an order after the address in its own clause is an order', () => {
    const r = parseMessage('kirim ke jl. kenari 17 ya cak, pecel lele 2 nasi 2', shop);
    assert.equal(r.intent, 'order');
    assert.deepEqual(r.items.map((i) => `${i.sku}*${i.quantity}`).sort(), ['LELE*2', 'NSI*2']);
    assert.equal(parseMessage('kirim ke jl mawar no 5, rt 03 rw 02', shop).intent, 'share_address');
  });
  it('what a box holds, how many people and how it is cut count nothing; one of them without ice is the warm one', () => {
    assert.equal(items('snack box isi 5 25 box, isinya risol mayo, lemper sama kue sus ya', shop), 'SBX-5*25');
    assert.equal(items('tumpeng besar yg buat 20 orang 1 ya bu', shop), 'TMP*1');
    assert.equal(items('bolu pandan 1 loyang, dipotong jadi 20 potong ya bu', shop), 'BLU*1');
    assert.equal(items('es jeruk 2, yg satu ga pake es', shop), 'EJR*1 JRK*1');
    assert.equal(items('lemper ayam 20 ganti jadi risol mayo ya', shop), 'RSL*20');
    assert.equal(items('aye pesen pecel lele atu ame es jeruk due ye bang', shop), 'EJR*2 LELE*1');
  });
});

describe('a kelontong typed from its own spreadsheet: kinds said before names that lack them', () => {
  const shop = buildCatalogIndex([
    { sku: 'KPA-SCT', name: 'Kopi Kapal Api Spesial Mix Sachet', price: 1500, unit: 'sachet', category: 'kopi' },
    { sku: 'KPA-RTG', name: 'kapal api spesial mix renteng (10 sct)', price: 14000, unit: 'renteng', category: 'Kopi' },
    { sku: 'IDM-GRG-DUS', name: 'INDOMIE GORENG 1 DUS (40 PCS)', price: 118000, unit: 'dus', category: 'Mie Instan' },
    { sku: 'IDM-AB-DUS', name: 'INDOMIE AYAM BAWANG DUS isi 40', price: 112000, unit: 'dus', category: 'mie instan' },
    { sku: 'NSP', name: 'Nasi Putih', price: 4000, unit: 'porsi', category: 'makanan' },
    { sku: 'NSU', name: 'nasi uduk', price: 7000, unit: 'porsi', category: 'makanan' },
    { sku: 'NSG', name: 'NASGOR BIASA', price: 15000, unit: 'porsi', category: 'makanan', aliases: ['nasi goreng'] },
    { sku: 'AYG', name: 'Ayam Goreng', price: 12000, unit: 'porsi', category: 'lauk' },
    { sku: 'TDR', name: 'Telor Dadar', price: 5000, unit: 'pcs', category: 'lauk' },
  ]);
  it('the kind a product is filed under may be said before a name that lacks it; the unit still picks the pack', () => {
    assert.equal(items('kopi kapal api 3 renteng', shop), 'KPA-RTG*3');
    assert.equal(items('kopi kapal api sachet 10', shop), 'KPA-SCT*10');
  });
  it('a common word is not a look-alike of a product word ("bilang" is not "bawang")', () => {
    assert.equal(items('tadi aku bilang indomie goreng 1 dus, jadiin 3 dus', shop), 'IDM-GRG-DUS*3');
  });
  it('a word that begins names, listed with its own count, is its own item, not a variant of the one before', () => {
    const r = parseMessage('ayam goreng 1 nasi 1', shop);
    assert.ok(!r.items.some((i) => i.sku === 'NSG'), JSON.stringify(r.items));
  });
  it('"yg satu telornya didadar" says how one of them is made; it adds no egg', () => {
    assert.equal(items('nasgor biasa 2, yg satu telornya didadar', shop), 'NSG*2');
  });
});

describe('a warung typed from its own spreadsheet: plain variants, held-down letters, what is said without', () => {
  const shop = buildCatalogIndex([
    { sku: 'IDM-ORI', name: 'Indomie Goreng Original 85gr', price: 3200, unit: 'pcs', category: 'mie instan' },
    { sku: 'IDM-RDG', name: 'Indomie Goreng Rendang', price: 3500, unit: 'pcs', category: 'mie instan' },
    { sku: 'ETM', name: 'es teh manis', price: 4000, unit: 'gelas', category: 'minuman' },
    { sku: 'ETT', name: 'es teh tawar', price: 3000, unit: 'gelas', category: 'minuman' },
    { sku: 'THM', name: 'Teh Manis', price: 3500, unit: 'gelas', category: 'minuman' },
    { sku: 'PKT', name: 'PAKET HEMAT 1 (ayam goreng+nasi+es teh)', price: 20000, unit: 'porsi', category: 'paket' },
    { sku: 'FC', name: 'Fotokopi A4 per lbr', price: 300, unit: 'lbr', category: 'fotokopi' },
    { sku: 'RNS', name: 'Rinso bubuk sachet 44gr', price: 1500, unit: 'sachet', category: 'deterjen' },
  ]);
  it('a name that adds only "Original" or a size is the plain one', () => {
    assert.equal(items('indomie goreng 5', shop), 'IDM-ORI*5');
    assert.equal(items('indomie goreng rendang 2', shop), 'IDM-RDG*2');
  });
  it('a letter held down is read once, a drink listed beside its iced sibling is the warm one', () => {
    assert.equal(items('es teh manisss 3', shop), 'ETM*3');
    assert.equal(items('teh manis anget 2', shop), 'THM*2');
  });
  it('"ga pake gula" picks the unsweetened tea, not a bundle that lists tea among its parts', () => {
    const r = parseMessage('es teh 2 ga pake gula', shop);
    assert.deepEqual(r.items.map((i) => `${i.sku}*${i.quantity}`), ['ETT*2']);
  });
  it('numbers in Javanese teens and prices in words', () => {
    assert.equal(items('fotokopi a4 lima welas lembar', shop), 'FC*15');
    const r = parseMessage('rinso sachet harganya seribu lima ratus kan?', shop);
    assert.equal(r.intent, 'ask_product');
    assert.ok(!r.items.some((i) => i.quantity > 1), JSON.stringify(r.items));
  });
});

describe('a minimarket whose names read like a till receipt, and pharmacy stock-list abbreviations', () => {
  const shop = buildCatalogIndex([
    { sku: 'IDM-GRG', name: 'INDOMIE GRG SPC 85G', price: 3500, unit: 'pcs', category: 'mie instan' },
    { sku: 'IDM-AYB', name: 'INDOMIE AYM BWG 69G', price: 3200, unit: 'pcs', category: 'mie instan' },
    { sku: 'ORO-CKL', name: 'OREO CHOC CRM 133G', price: 9000, unit: 'pcs', category: 'biskuit' },
    { sku: 'ORO-STR', name: 'OREO STRWBRY 133G', price: 9000, unit: 'pcs', category: 'biskuit' },
    { sku: 'MMP-M', name: 'MAMYPOKO PANTS STD M34', price: 62000, unit: 'pack', category: 'popok bayi' },
    { sku: 'MMP-XL', name: 'MAMYPOKO PANTS STD XL26', price: 66000, unit: 'pack', category: 'popok bayi' },
    { sku: 'LPG-3', name: 'LPG 3KG ISI ULG', price: 22000, unit: 'tabung', category: 'gas & galon' },
    { sku: 'SNM-SYR', name: 'SANMOL SYR 60ML', price: 21500, unit: 'botol', category: 'obat anak' },
    { sku: 'PCT-SYR', name: 'Paracetamol Syr 60ml generik', price: 6000, unit: 'botol', category: 'obat bebas' },
    { sku: 'BDX-EXT', name: 'Bodrex Extra Tab 4s', price: 3000, unit: 'strip', category: 'obat bebas' },
  ]);
  it('a till-receipt abbreviation matches the word it shortens', () => {
    assert.equal(items('indomie goreng 5 sama indomie ayam bawang 2', shop), 'IDM-AYB*2 IDM-GRG*5');
    assert.equal(items('oreo strawberry 2, oreo coklat 1', shop), 'ORO-CKL*1 ORO-STR*2');
  });
  it('a clothing size run into the pack count is that size; "gas" is the LPG', () => {
    assert.equal(items('mamypoko XL 1', shop), 'MMP-XL*1');
    assert.equal(items('gas 3kg 2 tabung', shop), 'LPG-3*2');
  });
  it('stock-list abbreviations and Indonesian spellings of foreign sounds', () => {
    assert.equal(items('sanmol sirup 1', shop), 'SNM-SYR*1');
    assert.equal(items('bodreks ekstra 2', shop), 'BDX-EXT*2');
  });
});

describe('swaps to a sibling and what a bundle holds', () => {
  const shop = buildCatalogIndex([
    { sku: 'KRB-250', name: 'Kerupuk Balado 250 g', price: 20000, unit: 'bungkus', category: 'oleh-oleh' },
    { sku: 'KRB-500', name: 'Kerupuk Balado 500 g', price: 38000, unit: 'bungkus', category: 'oleh-oleh' },
    { sku: 'PMP-5', name: 'Pempek Kapal Selam isi 5', price: 50000, unit: 'pack', category: 'frozen' },
    { sku: 'PMP-10', name: 'Pempek Kapal Selam isi 10', price: 95000, unit: 'pack', category: 'frozen' },
    { sku: 'SNS-SCT', name: 'Sunsilk sachet', price: 1000, unit: 'sachet', category: 'sampo' },
    { sku: 'SNS-170', name: 'Sunsilk 170ml botol', price: 22000, unit: 'botol', category: 'sampo' },
    { sku: 'NSI-BKS', name: 'Nasi Bungkus Padang (nasi, sayur, sambal, kuah)', price: 18000, unit: 'bungkus', category: 'nasi' },
    { sku: 'SBL', name: 'Sambal Ijo', price: 3000, unit: 'porsi', category: 'sambal' },
  ]);
  it('"ganti X jadi yg Y" orders the sibling Y, not X', () => {
    assert.equal(items('ganti kerupuk balado 250 nya jadi yg 500 g', shop), 'KRB-500*1');
    assert.equal(items('ganti pempek kapal selam isi 5 jadi yg isi 10', shop), 'PMP-10*1');
    assert.equal(items('ganti sunsilk sachet jadi yg botol 1', shop), 'SNS-170*1');
  });
  it('a part of a bundle said without it is a note, not the bundle struck', () => {
    const r = parseMessage('nasi bungkus 2 ya, sambalnya ga usah', shop);
    assert.equal(r.intent, 'order');
    assert.deepEqual(r.items.map((i) => `${i.sku}*${i.quantity}`), ['NSI-BKS*2']);
  });
});

describe('a copy shop multiplies sheets by copies and sets', () => {
  const shop = buildCatalogIndex([
    { sku: 'FC-F4', name: 'Fotocopy F4 B/W', price: 300, unit: 'lembar', category: 'jasa' },
    { sku: 'FC-F4-BB', name: 'Fotocopy F4 B/W Bolak Balik', price: 500, unit: 'lembar', category: 'jasa' },
    { sku: 'PRT', name: 'Print Hitam Putih', price: 1000, unit: 'lembar', category: 'jasa' },
  ]);
  it('"rangkap N", "tiap set N lembar" and "masing-masing N kali" multiply the job', () => {
    assert.equal(items('print 40 lbr rangkap 2', shop), 'PRT*80');
    assert.equal(items('fc f4 bolak balik 15 set, tiap set 8 lembar', shop), 'FC-F4-BB*120');
    assert.equal(items('fotokopi folio 2 lembar masing masing 3 kali ya', shop), 'FC-F4*6');
  });
  it('copies said of the whole document ("3 rangkap") make every sheet that many times and are each bound', () => {
    const shop = buildCatalogIndex([
      { sku: 'PRT-BW', name: 'Print Hitam Putih A4 per lembar', price: 500, unit: 'lembar', aliases: ['print bw'] },
      { sku: 'PRT-CLR', name: 'Print Warna A4 per lembar', price: 1500, unit: 'lembar' },
      { sku: 'JLD-HC', name: 'Jilid Hard Cover Skripsi', price: 35000, unit: 'buah', aliases: ['hard cover'] },
      { sku: 'JLD-SC', name: 'Jilid Soft Cover', price: 10000, unit: 'buah' },
    ]);
    assert.equal(items('skripsi 120 halaman print bw, jilid hard cover 3 rangkap ya', shop), 'JLD-HC*3 PRT-BW*360');
    assert.equal(items('dosen minta 4 rangkap soft cover, tolong print 95 halaman hitam putih terus dijilid soft cover 4', shop), 'JLD-SC*4 PRT-BW*380');
  });
  it('a bare print or copy is the black-and-white one; "ngeprint" is print; each copy bound when the binding says so', () => {
    const shop = buildCatalogIndex([
      { sku: 'PRT-BW', name: 'Print Hitam Putih A4 per lembar', price: 500, unit: 'lembar' },
      { sku: 'PRT-BB', name: 'Print Hitam Putih A4 Bolak-Balik per lembar', price: 900, unit: 'lembar' },
      { sku: 'PRT-CLR', name: 'Print Warna A4 per lembar', price: 1500, unit: 'lembar' },
      { sku: 'FOTO', name: 'Cetak Foto 4R Glossy', price: 3000, unit: 'lembar', aliases: ['print foto 4r'] },
      { sku: 'JLD-LKB', name: 'Jilid Lakban', price: 5000, unit: 'buah' },
    ]);
    assert.equal(items('print 18 halaman', shop), 'PRT-BW*18');
    assert.equal(items('mas aku ngeprint makalah 18 halaman rangkap 5 buat kelompok, jilid lakban masing2', shop), 'JLD-LKB*5 PRT-BW*90');
    assert.equal(items('print 7 lembar rangkap 3 terus dijilid lakban', shop), 'JLD-LKB*1 PRT-BW*21');
  });
  it('the paper said after a job is its size, and sheets of each of several documents add up', () => {
    const withPaper = buildCatalogIndex([
      { sku: 'FC-A4', name: 'Fotocopy A4 B/W', price: 250, unit: 'lembar', category: 'jasa' },
      { sku: 'FC-F4', name: 'Fotocopy F4 B/W', price: 300, unit: 'lembar', category: 'jasa' },
      { sku: 'HVS-F4', name: 'Kertas HVS F4 70gr 1 rim', price: 58000, unit: 'rim', category: 'kertas' },
    ]);
    assert.equal(items('fc ktp sm kk masing2 3 lembar, kertas f4', withPaper), 'FC-F4*6');
  });
});

describe('measures that do not count a product sold by them whole', () => {
  const shop = buildCatalogIndex([
    { sku: 'PKU-7', name: 'Paku 7cm /kg', price: 22000, unit: 'kg', category: 'paku' },
    { sku: 'PKU-5', name: 'Paku 5cm /kg', price: 22000, unit: 'kg', category: 'paku' },
    { sku: 'PKU-5-H', name: 'Paku 5cm 1/2 kg', price: 12000, unit: 'bungkus', category: 'paku' },
  ]);
  it('half a kilo of nails sold by the kilo is asked, never a silent whole kilo', () => {
    const r = parseMessage('paku 7cm setengah kilo', shop);
    assert.ok(!r.items.some((i) => i.sku === 'PKU-7' && i.score >= CONFIRM_BELOW), JSON.stringify(r.items));
  });
  it('two sizes said before the name both describe it', () => {
    assert.equal(items('half kg of 5cm nails please', shop), 'PKU-5-H*1');
  });
});
