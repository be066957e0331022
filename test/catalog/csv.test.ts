import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProductsCsv, productsToCsv } from '../../src/catalog/csv.js';
import type { Product } from '../../src/catalog/types.js';

const full = (p: Partial<Product> & Pick<Product, 'sku' | 'name' | 'price' | 'stock'>): Product => ({
  unit: null,
  category: null,
  aliases: [],
  prescription: false,
  image_url: null,
  active: true,
  description: null,
  search_words: [],
  ...p,
});

describe('parseProductsCsv', () => {
  it('reads a plain file with every column', () => {
    const { products, errors } = parseProductsCsv(
      'sku,name,price,stock,unit,category,aliases,prescription,image_url,active\n' +
        'AMX-500,Amoxicillin 500mg,12000,40,strip,antibiotik,amox|amoksisilin,ya,https://img.example/amx.jpg,true\n' +
        'PCT-500,Paracetamol 500mg,4500,150,strip,obat demam,,tidak,,\n',
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(products, [
      full({ sku: 'AMX-500', name: 'Amoxicillin 500mg', price: 12000, stock: 40, unit: 'strip', category: 'antibiotik', aliases: ['amox', 'amoksisilin'], prescription: true, image_url: 'https://img.example/amx.jpg' }),
      full({ sku: 'PCT-500', name: 'Paracetamol 500mg', price: 4500, stock: 150, unit: 'strip', category: 'obat demam' }),
    ]);
  });

  it('keeps commas, quotes and line breaks inside quoted values', () => {
    const { products, errors } = parseProductsCsv(
      'sku,name,price,stock,category\r\n' + 'BRS-5,"Beras 5kg, ""Pandan Wangi""",78000,25,"sembako\r\npokok"\r\n' + 'GLP-1,Gula 1kg,17500,40,sembako\r\n',
    );
    assert.deepEqual(errors, []);
    assert.equal(products[0].name, 'Beras 5kg, "Pandan Wangi"');
    assert.equal(products[0].category, 'sembako\r\npokok');
    assert.equal(products[1].sku, 'GLP-1');
  });

  it('reads semicolon files from Indonesian Excel, with a BOM and Indonesian headers and prices', () => {
    const { products, errors } = parseProductsCsv('\ufeffSKU;Nama;Harga;Stok;Satuan;Resep\r\n' + 'TLK-1;Tolak Angin, Cair;Rp 4.500;120;sachet;Tidak\r\n' + 'MDU-1;Madu TJ 250g;"Rp12.500,-";1.000;botol;0\r\n');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      products.map((p) => [p.sku, p.name, p.price, p.stock, p.unit, p.prescription]),
      [
        ['TLK-1', 'Tolak Angin, Cair', 4500, 120, 'sachet', false],
        ['MDU-1', 'Madu TJ 250g', 12500, 1000, 'botol', false],
      ],
    );
  });

  it('accepts the usual ways of writing rupiah and refuses fractions and negatives', () => {
    const prices = ['12500', '12.500', 'Rp 12.500', 'Rp12.500', 'IDR 12500', '12.500,00', '12500.00', 'Rp 1.250.000'];
    const rows = prices.map((p, i) => `S${i},Barang ${i},"${p}",1`).join('\n');
    const ok = parseProductsCsv(`sku,name,price,stock\n${rows}\n`);
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(
      ok.products.map((p) => p.price),
      [12500, 12500, 12500, 12500, 12500, 12500, 12500, 1250000],
    );

    const bad = parseProductsCsv('sku,name,price,stock\nA,Satu,"12.5",1\nB,Dua,-500,1\nC,Tiga,"12500,75",1\nD,Empat,gratis,1\nE,Lima,,1\nF,Enam,"12,500",1\n');
    assert.deepEqual(
      bad.errors.map((e) => [e.row, e.field]),
      [
        [2, 'price'],
        [3, 'price'],
        [4, 'price'],
        [5, 'price'],
        [6, 'price'],
        [7, 'price'],
      ],
    );
    assert.match(bad.errors[0].message, /fraction/);
    assert.match(bad.errors[1].message, /negative/);
    assert.match(bad.errors[5].message, /ambiguous/);
    assert.deepEqual(bad.products.length, 0);
  });

  it('reports bad rows by spreadsheet row and field, counting rows that hold line breaks once', () => {
    const { errors } = parseProductsCsv(
      [
        'sku,name,price,stock,prescription,image_url',
        'OK-1,"Nama dua\nbaris",1000,5,,', // row 2 spans two lines
        ',Tanpa SKU,1000,5,,', // row 3
        'S-4,,1000,5,,', // row 4
        'S-5,Stok minus,1000,-2,,', // row 5
        'S-6,Resep aneh,1000,2,mungkin,', // row 6
        'S-7,Gambar,1000,2,,ftp://x', // row 7
        'S-8,Beras 5kg, premium,1000,2,,', // row 8: unquoted comma
        '',
        'S-10,Setelah baris kosong,1000,abc,,', // row 10
      ].join('\n'),
    );
    assert.deepEqual(
      errors.map((e) => [e.row, e.field]),
      [
        [3, 'sku'],
        [4, 'name'],
        [5, 'stock'],
        [6, 'prescription'],
        [7, 'image_url'],
        [8, undefined],
        [10, 'stock'],
      ],
    );
    assert.match(errors[5].message, /quotes/);
  });

  it('refuses a second row with the same SKU, naming the first', () => {
    const { errors } = parseProductsCsv('sku,name,price,stock\nA-1,Satu,1000,1\nB-1,Dua,1000,1\nA-1,Satu lagi,2000,1\n');
    assert.deepEqual(errors, [{ row: 4, field: 'sku', message: 'duplicate sku A-1 (first on row 2)' }]);
  });

  it('refuses files whose header is missing a required column or has an unknown one', () => {
    const { errors } = parseProductsCsv('sku,name,harga,kategory\nA,Satu,1000,x\n');
    assert.deepEqual(
      errors.map((e) => [e.row, e.field]),
      [
        [1, 'kategory'],
        [1, 'stock'],
      ],
    );
  });

  it('refuses empty files, header-only files and unclosed quotes', () => {
    assert.match(parseProductsCsv('').errors[0].message, /empty/);
    assert.match(parseProductsCsv('sku,name,price,stock\n').errors[0].message, /no products/);
    const unclosed = parseProductsCsv('sku,name,price,stock\nA,Satu,1000,1\nB,"Dua,1000,1\nC,Tiga,1000,1\n');
    assert.equal(unclosed.errors[0].row, 3);
    assert.match(unclosed.errors[0].message, /never closed/);
  });
});

describe('productsToCsv', () => {
  const catalog: Product[] = [
    full({ sku: 'AMX-500', name: 'Amoxicillin 500mg', price: 12000, stock: 40, unit: 'strip', category: 'antibiotik', aliases: ['amox', 'amoksisilin'], prescription: true }),
    full({ sku: 'BRS-5', name: 'Beras 5kg, "Pandan Wangi"', price: 78000, stock: 0, category: 'sembako;pokok', image_url: 'https://img.example/b.jpg?w=1,2' }),
    full({ sku: 'NOTE', name: 'Baris satu\nbaris dua', price: 0, stock: 3, active: false, description: 'Untuk sakit kepala, demam', search_words: ['pusing', 'meriang'] }),
    full({ sku: 'FX-1', name: '=HYPERLINK("http://evil")', price: 1000, stock: 1, category: '-diskon', aliases: ['@promo'] }),
  ];

  it('round-trips through the parser, with commas or semicolons and a BOM', () => {
    for (const opts of [{}, { delimiter: ';' as const, bom: true }]) {
      const { products, errors } = parseProductsCsv(productsToCsv(catalog, opts));
      assert.deepEqual(errors, []);
      assert.deepEqual(products, catalog);
    }
  });

  it('keeps spreadsheet formulas from running when the export is opened', () => {
    const csv = productsToCsv(catalog);
    const line = csv.split('\r\n').find((l) => l.startsWith('FX-1'))!;
    assert.ok(!/,=|,-|,@/.test(line), line);
  });

  it('fills in defaults for products that omit optional fields', () => {
    const { products } = parseProductsCsv(productsToCsv([{ sku: 'X', name: 'Minimal', price: 500, stock: 2 }]));
    assert.deepEqual(products, [full({ sku: 'X', name: 'Minimal', price: 500, stock: 2 })]);
  });
});
