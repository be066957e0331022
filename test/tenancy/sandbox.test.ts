// The sandbox's two demo merchants: the pharmacy-and-minimarket (env-configured) and a food stall on
// a second number of another simulated Meta app, each with its own catalog, picked in /sandbox/chat.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { textOf } from '../helpers/pesan.js';
import { NUMBER_A, startTenancy, type Tenancy } from './harness.js';
import { SANDBOX_FOOD_STALL } from '../../src/merchants.js';

describe('sandbox: two demo merchants on two numbers', () => {
  let t: Tenancy;
  before(async () => {
    // Without PESAN_SECRET_KEY: sandbox derives a local key and says so once.
    t = await startTenancy('pglite', { PESAN_SECRET_KEY: '' });
  });
  after(() => t?.close());

  it('lists both shops for the chat page, and says once that the sealing key is local', async () => {
    const res = await fetch(`${t.base}/sandbox/merchants`);
    const { merchants } = (await res.json()) as { merchants: { id: string; name: string; phone_number_id: string }[] };
    assert.deepEqual(
      merchants.map((m) => [m.id, m.phone_number_id]),
      [
        ['default', NUMBER_A],
        ['warung', SANDBOX_FOOD_STALL.phoneNumberId],
      ],
    );
    const page = await (await fetch(`${t.base}/sandbox/chat`)).text();
    assert.match(page, /data-testid="merchant-select"/);
    const notes = t.logs.filter((l) => l.includes('PESAN_SECRET_KEY is not set'));
    assert.equal(notes.length, 1, 'said once');
  });

  it("answers the food stall's customer from the stall's number with the stall's menu, and the pharmacy's with its own", async () => {
    const food = t.customer('6281344440004', SANDBOX_FOOD_STALL.phoneNumberId);
    assert.equal(await food.say('nasi goreng 2'), 200);
    const m = await food.waitFor((_m, x) => x.includes('Subtotal'), 'the food cart');
    assert.equal(m.phone_number_id, SANDBOX_FOOD_STALL.phoneNumberId);
    assert.match(textOf(m), /Nasi Goreng Spesial/);
    const shop = t.customer('6281344440004', NUMBER_A);
    assert.equal(await shop.say('paracetamol 1'), 200);
    const p = await shop.waitFor((_m, x) => x.includes('Subtotal'), 'the pharmacy cart');
    assert.equal(p.phone_number_id, NUMBER_A);
    assert.match(textOf(p), /Paracetamol/);
    assert.doesNotMatch(textOf(p), /Nasi Goreng/);
    // One person, two shops: two customers, each merchant's own.
    const rows = await t.db.query<{ merchant_id: string }>(`SELECT merchant_id FROM customers WHERE wa_id = '6281344440004' ORDER BY merchant_id`);
    assert.deepEqual(rows.map((r) => r.merchant_id), ['default', 'warung']);
    const order = await (await fetch(`${t.base}/sandbox/order?wa_id=6281344440004&merchant=warung`)).json();
    assert.ok(order.order === null || /Nasi/.test(JSON.stringify(order.order)));
  });
});
