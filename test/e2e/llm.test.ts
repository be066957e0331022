// With LLM_* set, messages the offline parser cannot read are asked of the model; its answer is
// validated, and a model that is slow or wrong never breaks the conversation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { listen } from '../helpers/http.js';
import { startPesan, type Pesan } from '../helpers/pesan.js';

describe('optional LLM in the conversation', () => {
  let llm: FastifyInstance;
  let p: Pesan;
  let mode: 'answer' | 'invent' | 'hang' = 'answer';
  const asked: string[] = [];

  before(async () => {
    llm = Fastify();
    llm.post('/v1/chat/completions', async (req) => {
      const body = req.body as { messages: { content: string }[] };
      asked.push(body.messages.map((m) => m.content).join('\n'));
      if (mode === 'hang') await new Promise((r) => setTimeout(r, 5_000));
      const items = mode === 'invent' ? [{ sku: 'NOT-A-PRODUCT', quantity: 3 }] : [{ sku: 'OBT-PANADOL', quantity: 2 }];
      return { choices: [{ message: { content: JSON.stringify({ intent: 'order', items, payment_method: null, bank: null }) } }] };
    });
    const url = await listen(llm);
    p = await startPesan({ db: 'pglite', env: { LLM_BASE_URL: `${url}/v1`, LLM_MODEL: 'stand-in', LLM_API_KEY: 'k' } });
  });
  after(async () => {
    await p.stop();
    await llm.close();
  });

  it('uses a validated model answer for a message the offline parser cannot read', async () => {
    mode = 'answer';
    const c = p.customer('6281700000001');
    await c.say('yang kayak biasanya aja kak dua');
    const summary = await c.waitFor((_m, t) => t.includes('Pesanan kakak'), 'summary from the model answer');
    assert.match(summary.message.interactive.body.text, /Panadol Biru Strip x2/);
    assert.ok(asked.some((a) => a.includes('yang kayak biasanya')), 'the model saw the message');
  });

  it('does not ask the model about what the offline parser already understands', async () => {
    const before = asked.length;
    const c = p.customer('6281700000002');
    await c.say('aqua 2');
    await c.waitFor((_m, t) => t.includes('Aqua 600ml x2'), 'offline result');
    assert.equal(asked.length, before);
  });

  it('refuses invented products and falls back when the model hangs', async () => {
    mode = 'invent';
    const c = p.customer('6281700000003');
    await c.say('barang yang kayak kemarin kak');
    await c.waitFor((_m, t) => /kurang paham|tidak (tersedia|ketemu)/.test(t), 'offline answer, no invented item');
    mode = 'hang';
    const askedBefore = asked.length;
    await c.mark();
    await c.say('barang yang kayak biasanya kak');
    await c.waitFor((_m, t) => /kurang paham|tidak (tersedia|ketemu)/.test(t), 'offline answer after the timeout', 20_000);
    assert.equal(asked.length, askedBefore + 1, 'the model was asked and timed out');
    const orders = (await p.api('GET', '/api/v1/orders')).body.orders.filter((o: any) => o.customer.wa_id === c.waId);
    assert.equal(orders.length, 0);
  });
});
