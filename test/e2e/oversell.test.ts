// Zero oversell under a real race: two pesan instances on one PostgreSQL server, 200 customers
// confirming the last 10 units at the same moment.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPesan, type Customer, type Pesan } from '../helpers/pesan.js';
import { signMetaBody } from '../../src/channel/whatsapp/signature.js';

/** Posts a signed Meta webhook straight to an instance, as Meta would to whichever instance the load balancer picks. */
async function postTo(p: Pesan, waId: string, message: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '1', phone_number_id: p.ctx.config.whatsapp.phoneNumberId }, contacts: [{ profile: { name: waId }, wa_id: waId }], messages: [{ from: waId, id: `wamid.race.${waId}.${Math.random().toString(36).slice(2)}`, timestamp: String(Math.floor(Date.now() / 1000)), ...message }] } }] }],
  });
  const res = await fetch(`${p.base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, p.ctx.config.whatsapp.appSecret!) }, body });
  assert.equal(res.status, 200);
}

const CUSTOMERS = 200;
/**
 * How long each customer may wait for an answer. This test is about correctness (never a unit oversold, everyone
 * answered), not speed (`npm run bench` measures that): 200 turns queue on one product row, and on a 2-core
 * machine shared with other test files they take minutes, so the wait is generous.
 */
const ANSWER_WITHIN_MS = 300_000;
const UNITS = 10;
const SKU = 'VIT-LAST10';

describe('zero oversell with two instances and 200 customers (PostgreSQL server)', () => {
  let a: Pesan;
  let b: Pesan;
  before(async () => {
    a = await startPesan({ db: 'postgres' });
    // Both instances send through one Graph API (A's simulator), as both would send to Meta.
    b = await startPesan({ databaseUrl: a.databaseUrl, env: { WHATSAPP_GRAPH_URL: `${a.base}/sandbox/meta` } });
    const put = await a.api('PUT', '/api/v1/products', [{ sku: SKU, name: 'Vitamin D3 1000 IU Langka', price: 55_000, stock: UNITS, unit: 'botol', category: 'Vitamin', aliases: ['vitamin d3', 'vit d'] }]);
    assert.equal(put.status, 200);
  });
  after(async () => {
    await b?.stop();
    await a?.stop();
    await a?.dropDb();
  });

  it('reserves exactly the units in stock and tells everyone else it is sold out', async () => {
    // Replies are read from A's simulator; half the customers' messages arrive at each instance.
    const customers: Customer[] = Array.from({ length: CUSTOMERS }, (_, i) => a.customer(`62857${String(i).padStart(7, '0')}`, `Pelanggan ${i}`));
    const via = (i: number) => (i % 2 ? b : a);
    // Everyone puts one in the cart while stock still shows 10.
    await Promise.all(customers.map((c, i) => postTo(via(i), c.waId, { type: 'text', text: { body: 'vitamin d3 1' } })));
    await Promise.all(customers.map((c) => c.waitFor((_m, t) => t.includes('Subtotal: Rp 55.000'), 'cart summary', ANSWER_WITHIN_MS)));
    await Promise.all(customers.map((c) => c.mark()));
    // Then all confirm at once, half through each instance (each processes what it accepted).
    await Promise.all(customers.map((c, i) => postTo(via(i), c.waId, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'confirm', title: 'Ya, pesan' } } })));
    const outcomes = await Promise.all(
      customers.map(async (c) => {
        const m = await c.waitFor((m, t) => m.message.interactive?.type === 'location_request_message' || /habis|tinggal/.test(t), 'reservation outcome', ANSWER_WITHIN_MS);
        return m.message.interactive?.type === 'location_request_message' ? 'reserved' : 'sold_out';
      }),
    );
    assert.equal(outcomes.filter((o) => o === 'reserved').length, UNITS);
    assert.equal(outcomes.filter((o) => o === 'sold_out').length, CUSTOMERS - UNITS);
    const product = (await a.api('GET', '/api/v1/products')).body.products.find((p: any) => p.sku === SKU);
    assert.equal(product.stock, 0);
    const held = await a.ctx.db.one<{ n: number }>(`SELECT COALESCE(SUM(quantity), 0)::int AS n FROM stock_reservations WHERE sku = $1 AND status = 'active'`, [SKU]);
    assert.equal(held!.n, UNITS);
  });
});
