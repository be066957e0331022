import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { createRestConnector, restCatalogSimulator } from '../../src/catalog/connectors/index.js';
import type { Product } from '../../src/catalog/types.js';
import { ProviderError } from '../../src/shared/http.js';
import { listen } from '../helpers/http.js';
import { describeConnectorContract } from './connector-contract.js';

const TOKEN = 'asf-test-token';
const PREFIX = '/sandbox/catalog/apotek-sehat-farma';

async function startSimulator(opts: { products?: Product[] } = {}) {
  // Timed-out calls can leave a connection that never carried a request; only a forced close ends it.
  const app = Fastify({ forceCloseConnections: true });
  await app.register(restCatalogSimulator, { prefix: PREFIX, token: TOKEN, ...opts });
  const base = await listen(app);
  const url = `${base}${PREFIX}`;
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${url}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, await res.text());
  };
  return { app, url, control };
}

describeConnectorContract('rest (pesan connector spec)', async () => {
  const sim = await startSimulator();
  return {
    connector: createRestConnector({ url: sim.url, token: TOKEN }),
    withWrongCredentials: () => createRestConnector({ url: sim.url, token: 'not-the-token' }),
    withTimeout: (timeoutMs) => createRestConnector({ url: sim.url, token: TOKEN, timeoutMs }),
    setMode: (mode) => sim.control('mode', { mode }),
    setStock: (sku, stock) => sim.control('stock', { sku, stock }),
    sample: { word: 'amoxicillin', sku: 'ASF-AMX500' },
    skus: ['ASF-PCT500', 'ASF-BDRX', 'ASF-PRMAAG', 'ASF-CTRZ'],
    holds: true,
    close: () => sim.app.close(),
  };
});

describe('rest connector against Apotek Sehat Farma', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.app.close());
  const connector = () => createRestConnector({ url: sim.url, token: TOKEN });
  const soon = () => new Date(Date.now() + 15 * 60_000);

  it('lists the whole pharmacy across pages, prescription medicines marked', async () => {
    const all = await connector().listProducts();
    assert.ok(all.length >= 20);
    const amox = all.find((p) => p.sku === 'ASF-AMX500');
    assert.equal(amox?.prescription, true);
    assert.equal(amox?.name, 'Amoxicillin 500mg');
    assert.equal(all.find((p) => p.sku === 'ASF-PCT500')?.prescription, false);
  });

  it('a held order still holds after a retried reserve, and a changed cart replaces the hold', async () => {
    const c = connector();
    await sim.control('stock', { sku: 'ASF-ORALIT', stock: 10 });
    assert.deepEqual(await c.reserve('ord-retry', [{ sku: 'ASF-ORALIT', quantity: 4 }], soon()), { ok: true });
    assert.deepEqual(await c.reserve('ord-retry', [{ sku: 'ASF-ORALIT', quantity: 4 }], soon()), { ok: true });
    const [after1] = await c.getProducts(['ASF-ORALIT']);
    assert.equal(after1.stock, 6);
    assert.deepEqual(await c.reserve('ord-retry', [{ sku: 'ASF-ORALIT', quantity: 9 }], soon()), { ok: true });
    const [after2] = await c.getProducts(['ASF-ORALIT']);
    assert.equal(after2.stock, 1);
  });

  it('an expired hold gives its stock back', async () => {
    const c = connector();
    await sim.control('stock', { sku: 'ASF-ENTRO', stock: 3 });
    assert.deepEqual(await c.reserve('ord-expiring', [{ sku: 'ASF-ENTRO', quantity: 3 }], new Date(Date.now() + 300)), { ok: true });
    assert.equal((await c.getProducts(['ASF-ENTRO']))[0].stock, 0);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await c.getProducts(['ASF-ENTRO']))[0].stock, 3);
    const state = (await (await fetch(`${sim.url}/_sim/state`)).json()) as { reservations: { order_id: string; status: string }[] };
    assert.equal(state.reservations.find((r) => r.order_id === 'ord-expiring')?.status, 'expired');
  });

  it('commit after a lapsed hold still sells when the stock is there, and refuses when it is not', async () => {
    const c = connector();
    await sim.control('stock', { sku: 'ASF-BTDN', stock: 2 });
    await c.commit('ord-no-hold', [{ sku: 'ASF-BTDN', quantity: 2 }], { name: 'Sari', phone: '628111' });
    assert.equal((await c.getProducts(['ASF-BTDN']))[0].stock, 0);
    await assert.rejects(c.commit('ord-no-hold-2', [{ sku: 'ASF-BTDN', quantity: 1 }], { name: 'Sari', phone: '628111' }), /insufficient_stock/);
  });

  it('a committed order cannot be released: the sale is the client\'s to undo', async () => {
    const c = connector();
    await sim.control('stock', { sku: 'ASF-HNSPLS', stock: 5 });
    await c.reserve('ord-sold', [{ sku: 'ASF-HNSPLS', quantity: 1 }], soon());
    await c.commit('ord-sold', [{ sku: 'ASF-HNSPLS', quantity: 1 }], { name: 'Sari', phone: '628111' });
    await assert.rejects(c.release('ord-sold'), /already_committed/);
    assert.equal((await c.getProducts(['ASF-HNSPLS']))[0].stock, 4);
  });

  it('skips malformed products with a logged reason instead of failing the whole list', async () => {
    const bad = Fastify();
    bad.get('/products', async () => ({
      products: [
        { sku: 'OK-1', name: 'Vitamin C', price: 15000, stock: 5 },
        { sku: 'BAD-PRICE', name: 'Madu', price: 12500.5, stock: 1 },
        { sku: 'NO-NAME', price: 1000, stock: 1 },
        { sku: 'OVERSOLD', name: 'Masker', price: 2000, stock: -3 },
      ],
      next_cursor: null,
    }));
    const url = await listen(bad);
    const warnings: Record<string, unknown>[] = [];
    try {
      const c = createRestConnector({ url, token: 't', logger: { warn: (obj) => void warnings.push(obj) } });
      const products = await c.listProducts();
      assert.deepEqual(
        products.map((p) => [p.sku, p.stock]),
        [
          ['OK-1', 5],
          ['OVERSOLD', 0],
        ],
      );
      assert.deepEqual(
        warnings.map((w) => w.sku),
        ['BAD-PRICE', 'NO-NAME'],
      );
      assert.match(String(warnings[0].reason), /price/);
      assert.match(String(warnings[1].reason), /name/);
    } finally {
      await bad.close();
    }
  });

  it('a client system that is switched off fails transiently, so the customer is asked to try again later', async () => {
    const off = Fastify();
    const url = await listen(off);
    await off.close();
    await assert.rejects(createRestConnector({ url, token: TOKEN, attempts: 2 }).search('paracetamol'), (err: unknown) => {
      assert.ok(err instanceof ProviderError);
      assert.equal(err.transient, true);
      return true;
    });
  });

  it('rejects the wrong token on the wire with the spec\'s error body', async () => {
    const res = await fetch(`${sim.url}/products`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: 'unauthorized', message: 'invalid token' });
  });
});
