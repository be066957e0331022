// Unusual but legitimate days: a shop with no products yet, a shop with 10,000 products, and a customer
// who sends 50 messages within a second. Each is handled gracefully: answers, no error apology, no stall.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPesan, type Pesan } from '../helpers/pesan.js';
import { T } from '../../src/conversation/texts.js';

const APOLOGY = [T.error('id'), T.error('en')];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('edge days (PGlite)', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite' });
  });
  after(() => p.stop());

  it('a customer sending 50 messages in a second gets answers, no apology, and the next message is answered', { timeout: 120_000 }, async () => {
    const c = p.customer('6281400000050');
    const start = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => c.say(i % 5 === 0 ? 'halo' : i % 5 === 1 ? 'paracetamol 1' : i % 5 === 2 ? 'ada aqua?' : i % 5 === 3 ? 'berapa harganya' : 'ok')));
    const sentIn = Date.now() - start;
    // Every message is stored and processed, in a bounded time.
    for (;;) {
      const row = await p.ctx.db.one<{ total: number; left: number }>(
        `SELECT COUNT(*)::int AS total, COUNT(*) FILTER (WHERE processed_at IS NULL)::int AS left FROM inbound_messages WHERE from_wa_id = $1`,
        [c.waId],
      );
      assert.equal(row!.total, 50);
      if (row!.left === 0) break;
      assert.ok(Date.now() - start < 90_000, `${row!.left} of 50 still unprocessed`);
      await sleep(200);
    }
    const texts = await c.texts();
    assert.ok(texts.length > 0);
    assert.ok(!texts.some((t) => APOLOGY.includes(t)), 'no error apology');
    const errors = await p.ctx.db.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM inbound_messages WHERE from_wa_id = $1 AND error IS NOT NULL`, [c.waId]);
    assert.equal(errors!.n, 0);
    console.log(`50 messages sent in ${sentIn} ms, all processed in ${Date.now() - start} ms, ${texts.length} replies`);
    await c.mark();
    await c.say('halo');
    await c.waitFor(() => true, 'an answer after the burst', 15_000);
  });

  it('a catalog of 10,000 products: loads through the API, customers are answered, search stays fast', { timeout: 180_000 }, async () => {
    const products = Array.from({ length: 10_000 }, (_, i) => ({
      sku: `BULK-${i}`,
      name: `${['Sabun', 'Shampo', 'Kopi', 'Teh', 'Beras', 'Gula', 'Minyak', 'Susu', 'Roti', 'Mie'][i % 10]} Merek${Math.floor(i / 10)} ${100 + (i % 900)}g`,
      price: 1000 + (i % 500) * 100,
      stock: 50,
      category: ['mandi', 'minuman', 'sembako', 'makanan'][i % 4],
    }));
    const t0 = Date.now();
    const put = await p.api('PUT', '/api/v1/products', products);
    assert.equal(put.status, 200, JSON.stringify(put.body).slice(0, 300));
    const loadMs = Date.now() - t0;
    const t1 = Date.now();
    const search = await p.api('GET', '/api/v1/products/search?q=kopi%20merek12');
    assert.equal(search.status, 200);
    assert.ok(search.body.products.length > 0);
    const searchMs = Date.now() - t1;
    const c = p.customer('6281400010000');
    const t2 = Date.now();
    await c.say('halo');
    await c.waitFor(() => true, 'greeting with a 10,000-product catalog', 30_000);
    await c.mark();
    await c.say('kopi merek12 2');
    const reply = await c.waitFor(() => true, 'an answer about a product', 30_000);
    const answerMs = Date.now() - t2;
    assert.ok(!APOLOGY.some((a) => JSON.stringify(reply.message).includes(a)), 'no error apology');
    console.log(`10,000 products: loaded in ${loadMs} ms, search ${searchMs} ms, two customer answers in ${answerMs} ms`);
  });

  it('an empty catalog: a greeting is answered without the error apology', { timeout: 120_000 }, async () => {
    const all = (await p.api('GET', '/api/v1/products')).body.products as { sku: string }[];
    await p.ctx.db.query(`DELETE FROM products`);
    for (const s of all.slice(0, 1)) await p.api('DELETE', `/api/v1/products/${encodeURIComponent(s.sku)}`); // invalidates the cached catalog
    const { invalidateCatalogRows } = await import('../../src/catalog/service.js');
    invalidateCatalogRows();
    assert.equal((await p.api('GET', '/api/v1/products')).body.products.length, 0);
    const c = p.customer('6281400000000');
    for (const text of ['halo', 'paracetamol 2', 'menu']) {
      await c.mark();
      await c.say(text);
      const m = await c.waitFor(() => true, `an answer to "${text}" with no products`, 15_000);
      const t = JSON.stringify(m.message);
      assert.ok(!APOLOGY.some((a) => t.includes(a)), `"${text}" got the error apology`);
    }
    const errors = await p.ctx.db.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM inbound_messages WHERE from_wa_id = $1 AND error IS NOT NULL`, [c.waId]);
    assert.equal(errors!.n, 0);
  });
});
