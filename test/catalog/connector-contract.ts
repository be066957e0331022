// The behaviour pesan relies on from every client catalog connector, run against its simulator
// over real HTTP. Each connector test file calls describeConnectorContract with its own harness.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProviderError } from '../../src/shared/http.js';
import type { CatalogConnector } from '../../src/catalog/types.js';

export interface ConnectorHarness {
  /** Talks to the simulator with the right credentials. */
  connector: CatalogConnector;
  /** Same simulator, wrong token/secret. */
  withWrongCredentials(): CatalogConnector;
  withTimeout(timeoutMs: number): CatalogConnector;
  setMode(mode: 'normal' | 'down' | 'slow'): Promise<void>;
  /** Sets what the client has on its shelf for a SKU. */
  setStock(sku: string, stock: number): Promise<void>;
  /** A word of a product's name and that product's SKU. */
  sample: { word: string; sku: string };
  /** Four distinct stock-counted SKUs the tests may change freely. */
  skus: [string, string, string, string];
  /** true when reserve holds stock at the client (rest), false when it only re-checks (WooCommerce). */
  holds: boolean;
  close(): Promise<void>;
}

const soon = () => new Date(Date.now() + 15 * 60_000);
const customer = { name: 'Budi Santoso', phone: '6281234567890', address: 'Jl. Melati No. 5, Jakarta Selatan' };

async function stockOf(c: CatalogConnector, sku: string): Promise<number> {
  const [p] = await c.getProducts([sku]);
  assert.ok(p, `product ${sku} should exist`);
  return p.stock;
}

async function rejectsWith(promise: Promise<unknown>, check: (e: ProviderError) => void) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ProviderError, `expected ProviderError, got ${String(err)}`);
    check(err);
    return true;
  });
}

export function describeConnectorContract(name: string, setup: () => Promise<ConnectorHarness>) {
  describe(`catalog connector contract: ${name}`, () => {
    let h: ConnectorHarness;
    before(async () => {
      h = await setup();
    });
    after(async () => {
      await h.setMode('normal');
      await h.close();
    });

    it('lists products with integer rupiah prices and unique SKUs', async () => {
      const all = await h.connector.listProducts();
      assert.ok(all.length >= 5);
      assert.equal(new Set(all.map((p) => p.sku)).size, all.length);
      for (const p of all) {
        assert.ok(Number.isInteger(p.price) && p.price >= 0, `${p.sku} price ${p.price}`);
        assert.ok(Number.isInteger(p.stock) && p.stock >= 0, `${p.sku} stock ${p.stock}`);
        assert.ok(p.name.length > 0);
      }
    });

    it('search finds a product by a word of its name', async () => {
      const found = await h.connector.search(h.sample.word);
      assert.ok(
        found.some((p) => p.sku === h.sample.sku),
        `searching "${h.sample.word}" should find ${h.sample.sku}, got ${found.map((p) => p.sku).join(', ')}`,
      );
      const limited = await h.connector.search('', 2);
      assert.ok(limited.length <= 2);
    });

    it('getProducts returns live stock and leaves out unknown SKUs', async () => {
      const [sku] = h.skus;
      await h.setStock(sku, 7);
      const got = await h.connector.getProducts([sku, 'NO-SUCH-SKU']);
      assert.deepEqual(
        got.map((p) => [p.sku, p.stock]),
        [[sku, 7]],
      );
      await h.setStock(sku, 2);
      assert.equal(await stockOf(h.connector, sku), 2);
    });

    it('reserve succeeds while stock lasts, then reports the shortage', async () => {
      const [other, sku] = h.skus;
      await h.setStock(sku, 5);
      await h.setStock(other, 10);
      assert.deepEqual(await h.connector.reserve('ord-contract-1', [{ sku, quantity: 3 }, { sku: other, quantity: 1 }], soon()), { ok: true });
      const left = h.holds ? 2 : 5;
      const second = await h.connector.reserve('ord-contract-2', [{ sku, quantity: left + 1 }, { sku: other, quantity: 1 }], soon());
      assert.deepEqual(second, { ok: false, shortages: [{ sku, requested: left + 1, available: left }] });
      // Lines naming the same product twice are checked together.
      const split = await h.connector.reserve('ord-contract-3', [{ sku, quantity: left }, { sku, quantity: 1 }], soon());
      assert.equal(split.ok, false);
      const unknown = await h.connector.reserve('ord-contract-4', [{ sku: 'NO-SUCH-SKU', quantity: 1 }], soon());
      assert.deepEqual(unknown, { ok: false, shortages: [{ sku: 'NO-SUCH-SKU', requested: 1, available: 0 }] });
    });

    it('release returns held stock (or is a no-op without holds) and can be repeated', async () => {
      const sku = h.skus[2];
      await h.setStock(sku, 6);
      assert.deepEqual(await h.connector.reserve('ord-contract-rel', [{ sku, quantity: 4 }], soon()), { ok: true });
      assert.equal(await stockOf(h.connector, sku), h.holds ? 2 : 6);
      await h.connector.release('ord-contract-rel');
      assert.equal(await stockOf(h.connector, sku), 6);
      await h.connector.release('ord-contract-rel');
      await h.connector.release('ord-never-reserved');
      assert.equal(await stockOf(h.connector, sku), 6);
    });

    it('commit turns the order into a sale once, however often it is called', async () => {
      const sku = h.skus[3];
      await h.setStock(sku, 9);
      assert.deepEqual(await h.connector.reserve('ord-contract-sale', [{ sku, quantity: 2 }], soon()), { ok: true });
      await h.connector.commit('ord-contract-sale', [{ sku, quantity: 2 }], customer);
      assert.equal(await stockOf(h.connector, sku), 7);
      await h.connector.commit('ord-contract-sale', [{ sku, quantity: 2 }], customer);
      assert.equal(await stockOf(h.connector, sku), 7);
    });

    it('wrong credentials fail for good (not worth retrying)', async () => {
      await rejectsWith(h.withWrongCredentials().search(h.sample.word), (e) => {
        assert.equal(e.transient, false);
        assert.equal(e.status, 401);
      });
    });

    it('a client that is down fails transiently', async () => {
      await h.setMode('down');
      try {
        await rejectsWith(h.connector.getProducts([h.sample.sku]), (e) => assert.equal(e.transient, true));
      } finally {
        await h.setMode('normal');
      }
      assert.equal((await h.connector.getProducts([h.sample.sku])).length, 1);
    });

    it('a client slower than the timeout fails transiently', async () => {
      await h.setMode('slow');
      try {
        await rejectsWith(h.withTimeout(300).search(h.sample.word), (e) => {
          assert.equal(e.transient, true);
          assert.match(e.message, /timed out/);
        });
      } finally {
        await h.setMode('normal');
      }
    });
  });
}
