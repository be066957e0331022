// Product search in the database (pg_trgm) finds what customers type, typos included, on the
// embedded database and on the server, and agrees with the NLU matcher on which product it is.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KINDS, freshDb, type TestDb } from '../helpers/db.js';
import { upsertProducts } from '../../src/catalog/internal.js';
import { searchCatalog } from '../../src/catalog/search.js';
import { buildCatalogIndex, parseMessage } from '../../src/nlu/index.js';
import { DEMO_PRODUCTS } from '../../src/sandbox/demo-catalog.js';

const CATALOG = 'm:internal';

// What customers type → the product they mean.
const TYPOS: [string, string][] = [
  ['paracetmol', 'OBT-PCT500'],
  ['betadne', 'OBT-BETADINE'],
  ['tolak angn', 'OBT-TOLAKANGIN'],
  ['indomi goreng', 'MKN-INDOMIE-GRG'],
  ['pocari swet', 'MNM-POCARI'],
  ['teh botl', 'MNM-TEHBOTOL'],
  ['redoxn', 'VIT-REDOXON'],
];

for (const kind of DB_KINDS) {
  describe(`catalog search on ${kind}`, () => {
    let t: TestDb;
    before(async () => {
      t = await freshDb(kind);
      await t.db.query(`INSERT INTO merchants (id, name) VALUES ('m', 'Toko M')`);
      await t.db.query(`INSERT INTO catalogs (id, merchant_id, kind, name) VALUES ($1, 'm', 'internal', 'Toko M'), ('other:internal', 'm', 'internal', 'Other')`, [CATALOG]);
      await t.db.tx((tx) => upsertProducts(tx, CATALOG, DEMO_PRODUCTS));
      await t.db.tx((tx) => upsertProducts(tx, 'other:internal', [{ sku: 'X-PCT', name: 'Paracetamol Other Shop', price: 1, stock: 1 }]));
    });
    after(async () => t.drop());

    it('finds a product from a misspelt name, the one the NLU matcher picks too', async () => {
      const index = buildCatalogIndex(DEMO_PRODUCTS);
      for (const [query, sku] of TYPOS) {
        const hits = await searchCatalog(t.db, CATALOG, query);
        assert.equal(hits[0]?.sku, sku, `search "${query}"`);
        assert.equal(hits[0]!.matched, 'name');
        assert.ok(hits[0]!.score < 1, `"${query}" is not an exact match`);
        assert.deepEqual(parseMessage(query, index).items.map((i) => i.sku), [sku], `NLU "${query}"`);
      }
    });

    it('finds a product by an alias its name does not contain', async () => {
      const hits = await searchCatalog(t.db, CATALOG, 'penambah darah');
      assert.equal(hits[0]?.sku, 'VIT-SANGOBION');
      assert.equal(hits[0]!.matched, 'alias');
      assert.equal((await searchCatalog(t.db, CATALOG, 'tebot'))[0]?.sku, 'MNM-TEHBOTOL');
    });

    it('lists a category, and ranks a name match above a category match', async () => {
      const drinks = await searchCatalog(t.db, CATALOG, 'minuman', { limit: 20 });
      const inCategory = DEMO_PRODUCTS.filter((p) => p.category === 'Minuman').map((p) => p.sku);
      const top = drinks.slice(0, inCategory.length);
      assert.deepEqual(new Set(top.map((h) => h.sku)), new Set(inCategory), 'the whole category first');
      assert.ok(top.every((h) => h.matched === 'category'));
      assert.ok(drinks.slice(inCategory.length).every((h) => h.score < top.at(-1)!.score), 'look-alike names ("minyak") only after it');
      const vitamins = await searchCatalog(t.db, CATALOG, 'vitamin', { limit: 20 });
      assert.equal(vitamins[0]!.matched, 'name', 'a product named "Vitamin…" comes first');
      assert.ok(vitamins.some((h) => h.sku === 'VIT-SANGOBION' && h.matched === 'category'));
    });

    it('stays inside the catalog, skips inactive products unless asked, and finds nothing for nonsense', async () => {
      assert.ok((await searchCatalog(t.db, CATALOG, 'paracetamol')).every((h) => h.sku !== 'X-PCT'));
      await t.db.query(`UPDATE products SET active = false WHERE catalog_id = $1 AND sku = 'VIT-REDOXON'`, [CATALOG]);
      assert.equal((await searchCatalog(t.db, CATALOG, 'redoxon')).length, 0);
      assert.equal((await searchCatalog(t.db, CATALOG, 'redoxon', { includeInactive: true }))[0]?.sku, 'VIT-REDOXON');
      assert.deepEqual(await searchCatalog(t.db, CATALOG, 'zzqxw'), []);
      assert.deepEqual(await searchCatalog(t.db, CATALOG, '   '), []);
    });
  });
}
