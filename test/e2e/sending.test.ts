// Outgoing WhatsApp messages survive Meta's temporary errors and surface permanent ones.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPesan, type Pesan } from '../helpers/pesan.js';

const fault = (p: Pesan, body: object) =>
  fetch(`${p.base}/sandbox/meta/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('sending through the Graph API', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite' });
  });
  after(() => p.stop());

  it('retries 5xx and 429 with backoff until the reply goes out, in order', async () => {
    const c = p.customer('6281500000001');
    assert.equal((await fault(p, { count: 2, httpStatus: 500, code: 131000 })).status, 200);
    await c.say('halo');
    await c.waitFor((_m, t) => t.includes('Selamat datang'), 'greeting after retries', 30_000);
    const menu = await c.waitFor((m) => m.message.type === 'interactive', 'menu after the greeting', 30_000);
    const msgs = (await c.messages()).filter((m) => m.direction === 'out');
    assert.ok(msgs.findIndex((m) => m.id === menu.id) > msgs.findIndex((m) => JSON.stringify(m.message).includes('Selamat datang')), 'greeting before menu');
    const row = await p.ctx.db.one<{ attempts: number; status: string }>(
      `SELECT attempts, status FROM outbound_messages WHERE to_wa_id = $1 ORDER BY id LIMIT 1`,
      [c.waId],
    );
    assert.equal(row!.attempts, 3, 'two failures, then success');
  });

  it('records a permanent error (131047) on the order timeline and goes on with the next message', async () => {
    const c = p.customer('6281500000002');
    await c.say('aqua 2');
    await c.waitFor((_m, t) => t.includes('Subtotal'), 'summary');
    await c.mark();
    assert.equal((await fault(p, { count: 1, httpStatus: 400, code: 131047, message: '(#131047) Re-engagement message' })).status, 200);
    await c.tap('confirm');
    // The first reply (location request) fails permanently; nothing retries it.
    for (let i = 0; i < 100; i++) {
      const failed = await p.ctx.db.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM outbound_messages WHERE to_wa_id = $1 AND status = 'failed'`, [c.waId]);
      if (failed!.n === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const order = (await p.api('GET', '/api/v1/orders?status=awaiting_payment')).body.orders.find((o: any) => o.customer.wa_id === c.waId);
    const detail = (await p.api('GET', `/api/v1/orders/${order.id}`)).body;
    const failure = detail.timeline.find((e: any) => e.type === 'message_failed');
    assert.ok(failure, 'failure on the timeline');
    assert.equal(failure.data.code, 131047);
    // The conversation is not stuck: the next reply is delivered.
    await c.mark();
    await c.say('status pesanan saya?');
    await c.waitFor((_m, t) => t.includes(order.id), 'order status reply');
  });
});
