import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { createConnectorFromConfig, createWooCommerceConnector, UNMANAGED_STOCK, wooCommerceSimulator, type WooSeedProduct } from '../../src/catalog/connectors/index.js';
import { listen } from '../helpers/http.js';
import { describeConnectorContract } from './connector-contract.js';

const KEY = 'ck_test_toko_makmur';
const SECRET = 'cs_test_toko_makmur';

async function startShop(products?: WooSeedProduct[]) {
  // Timed-out calls can leave a connection that never carried a request; only a forced close ends it.
  const app = Fastify({ forceCloseConnections: true });
  await app.register(wooCommerceSimulator, { prefix: '/sandbox/woocommerce', consumerKey: KEY, consumerSecret: SECRET, products });
  const url = `${await listen(app)}/sandbox/woocommerce`;
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${url}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, await res.text());
  };
  const state = async () => (await (await fetch(`${url}/_sim/state`)).json()) as { products: any[]; orders: any[] };
  return { app, url, control, state };
}

describeConnectorContract('woocommerce', async () => {
  const shop = await startShop();
  return {
    connector: createWooCommerceConnector({ url: shop.url, consumerKey: KEY, consumerSecret: SECRET }),
    withWrongCredentials: () => createWooCommerceConnector({ url: shop.url, consumerKey: KEY, consumerSecret: 'cs_wrong' }),
    withTimeout: (timeoutMs) => createWooCommerceConnector({ url: shop.url, consumerKey: KEY, consumerSecret: SECRET, timeoutMs }),
    setMode: (mode) => shop.control('mode', { mode }),
    setStock: (sku, stock) => shop.control('stock', { sku, stock }),
    sample: { word: 'indomie', sku: 'TM-IMGR' },
    skus: ['TM-BRS5', 'TM-MGR2', 'TM-GLP1', 'TM-TLR10'],
    holds: false,
    close: () => shop.app.close(),
  };
});

describe('WooCommerce connector against Toko Makmur', () => {
  let shop: Awaited<ReturnType<typeof startShop>>;
  const warnings: Record<string, unknown>[] = [];
  const connector = () =>
    createWooCommerceConnector({ url: shop.url, consumerKey: KEY, consumerSecret: SECRET, logger: { warn: (obj) => void warnings.push(obj) } });
  before(async () => {
    shop = await startShop();
  });
  after(() => shop.app.close());

  it('maps the shop: SKU-less products as wc-<id>, untracked stock as plenty, variable products left out with a reason', async () => {
    const all = await connector().listProducts();
    const kerupuk = all.find((p) => p.name === 'Kerupuk Udang Finna 95g');
    assert.match(kerupuk?.sku ?? '', /^wc-\d+$/);
    assert.equal(kerupuk?.price, 9500);
    assert.equal(kerupuk?.category, 'Camilan');
    assert.equal(all.find((p) => p.sku === 'TM-ESBT')?.stock, UNMANAGED_STOCK);
    assert.equal(all.find((p) => p.sku === 'TM-ULTM')?.stock, 0);
    assert.equal(all.find((p) => p.sku === 'TM-GAS'), undefined);
    assert.ok(warnings.some((w) => w.sku === 'TM-GAS' && /variable/.test(String(w.reason))));

    const [byId] = await connector().getProducts([kerupuk!.sku]);
    assert.equal(byId?.name, 'Kerupuk Udang Finna 95g');
  });

  it('commit records a paid WooCommerce order carrying the pesan order id, and a restarted pesan does not record it twice', async () => {
    const kerupuk = (await connector().search('kerupuk'))[0];
    await shop.control('stock', { sku: 'TM-IMSA', stock: 20 });
    const customer = { name: 'Siti Aminah', phone: '6281298765432', address: 'Jl. Kenanga 3, Bekasi' };
    const lines = [
      { sku: 'TM-IMSA', quantity: 5 },
      { sku: kerupuk.sku, quantity: 1 },
    ];
    assert.deepEqual(await connector().reserve('ord-woo-1', lines, new Date(Date.now() + 60_000)), { ok: true });
    await connector().commit('ord-woo-1', lines, customer);
    // A new connector has an empty memory, like pesan after a restart: the shop's orders tell it.
    await connector().commit('ord-woo-1', lines, customer);

    const { orders } = await shop.state();
    const mine = orders.filter((o) => o.meta_data.some((m: any) => m.key === 'pesan_order_id' && m.value === 'ord-woo-1'));
    assert.equal(mine.length, 1);
    assert.equal(mine[0].status, 'processing');
    assert.deepEqual(mine[0].billing, { first_name: 'Siti Aminah', phone: '6281298765432', address_1: 'Jl. Kenanga 3, Bekasi' });
    assert.deepEqual(
      mine[0].line_items.map((l: any) => [l.sku, l.quantity]),
      [
        ['TM-IMSA', 5],
        ['', 1],
      ],
    );
    assert.equal((await connector().getProducts(['TM-IMSA']))[0].stock, 15);
  });

  it('an unpublished product is not offered and cannot be reserved', async () => {
    const shop2 = await startShop([
      { sku: 'DRAFT-1', name: 'Kopi &amp; Susu Sachet', price: 2500, stock: 50, status: 'draft' },
      { sku: 'PUB-1', name: 'Teh Celup &#8211; Sariwangi', price: 6000, stock: 10 },
    ]);
    try {
      const c = createWooCommerceConnector({ url: shop2.url, consumerKey: KEY, consumerSecret: SECRET });
      assert.deepEqual(
        (await c.listProducts()).map((p) => p.name),
        ['Teh Celup – Sariwangi'],
      );
      const [draft] = await c.getProducts(['DRAFT-1']);
      assert.equal(draft.active, false);
      assert.equal(draft.name, 'Kopi & Susu Sachet');
      assert.deepEqual(await c.reserve('ord-draft', [{ sku: 'DRAFT-1', quantity: 1 }], new Date(Date.now() + 60_000)), {
        ok: false,
        shortages: [{ sku: 'DRAFT-1', requested: 1, available: 0 }],
      });
    } finally {
      await shop2.app.close();
    }
  });

  it('reads a large shop page by page', async () => {
    const many: WooSeedProduct[] = Array.from({ length: 230 }, (_, i) => ({ sku: `BIG-${i}`, name: `Barang ${i}`, price: 1000 + i, stock: 5 }));
    const big = await startShop(many);
    try {
      const res = await fetch(`${big.url}/wp-json/wc/v3/products?per_page=100&page=3`, { headers: { authorization: 'Basic ' + Buffer.from(`${KEY}:${SECRET}`).toString('base64') } });
      assert.equal(res.headers.get('x-wp-total'), '230');
      assert.equal(res.headers.get('x-wp-totalpages'), '3');
      assert.equal(((await res.json()) as unknown[]).length, 30);
      const all = await createWooCommerceConnector({ url: big.url, consumerKey: KEY, consumerSecret: SECRET }).listProducts();
      assert.equal(all.length, 230);
      assert.equal(new Set(all.map((p) => p.sku)).size, 230);
    } finally {
      await big.app.close();
    }
  });

  it('answers without credentials and with a wrong key the way WooCommerce does', async () => {
    const anonymous = await fetch(`${shop.url}/wp-json/wc/v3/products`);
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as any).code, 'woocommerce_rest_cannot_view');
    const wrong = await fetch(`${shop.url}/wp-json/wc/v3/products`, { headers: { authorization: 'Basic ' + Buffer.from('ck_nope:cs_nope').toString('base64') } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.', data: { status: 401 } });
  });

  it('is built from CLIENT_CATALOG_TOKEN "ck:cs" by the config factory, which refuses a token without the colon', async () => {
    const c = createConnectorFromConfig({ kind: 'woocommerce', url: shop.url, token: `${KEY}:${SECRET}` });
    assert.equal(c.kind, 'woocommerce');
    assert.ok((await c.search('indomie')).length >= 2);
    assert.throws(() => createConnectorFromConfig({ kind: 'woocommerce', url: shop.url, token: KEY }), /consumer_key:consumer_secret/);
    assert.equal(createConnectorFromConfig({ kind: 'rest', url: shop.url, token: 't' }).kind, 'rest');
  });
});
