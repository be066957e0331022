// Bad input loses nothing and changes nothing: forged webhooks are refused, replays are processed
// once, a crash after accepting a message loses nothing, stock comes back exactly once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { stockOf, sleep, chooseQris, startPesan, toMethodChoice, type Customer, type Pesan } from '../helpers/pesan.js';
import { signMetaBody } from '../../src/channel/whatsapp/signature.js';

const count = async (p: Pesan, sql: string, params: unknown[] = []) => Number((await p.ctx.db.one<{ n: number }>(sql, params))!.n);

async function toQrisPayment(c: Customer, text = 'paracetamol 2') {
  await toMethodChoice(c, text);
  await chooseQris(c);
}

describe('webhook safety and durability (PGlite)', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite', env: { SANDBOX_COURIER_STEP_MS: '100' } });
  });
  after(() => p.stop());

  it('refuses a WhatsApp webhook with a forged or missing signature and stores nothing', async () => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '1', phone_number_id: p.ctx.config.whatsapp.phoneNumberId }, contacts: [{ wa_id: '628999', profile: { name: 'X' } }], messages: [{ from: '628999', id: 'wamid.forged1', timestamp: '1700000000', type: 'text', text: { body: 'halo' } }] } }] }],
    });
    const before = await count(p, 'SELECT COUNT(*)::int AS n FROM inbound_messages');
    for (const sig of [signMetaBody(body, 'wrong-secret'), undefined, 'sha256=00']) {
      const res = await fetch(`${p.base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', ...(sig ? { 'x-hub-signature-256': sig } : {}) }, body });
      assert.equal(res.status, 401);
    }
    assert.equal(await count(p, 'SELECT COUNT(*)::int AS n FROM inbound_messages'), before);
    // The same bytes with the right signature are accepted.
    const ok = await fetch(`${p.base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, p.ctx.config.whatsapp.appSecret!) }, body });
    assert.equal(ok.status, 200);
    assert.equal(await count(p, `SELECT COUNT(*)::int AS n FROM inbound_messages WHERE wa_message_id = 'wamid.forged1'`), 1);
  });

  it('answers the webhook verification handshake only with the right token', async () => {
    const good = await fetch(`${p.base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${p.ctx.config.whatsapp.verifyToken}&hub.challenge=12345`);
    assert.equal(good.status, 200);
    assert.equal(await good.text(), '12345');
    const bad = await fetch(`${p.base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=12345`);
    assert.equal(bad.status, 403);
  });

  it('processes a replayed WhatsApp message once: one order line, one reply', async () => {
    const c = p.customer('6281300000001');
    await c.say('aqua 3');
    await c.waitFor((_m, t) => t.includes('Subtotal'), 'summary');
    const repliesBefore = (await c.texts()).length;
    const r = await fetch(`${p.base}/sandbox/meta/_sim/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_message_id: c.lastWaMessageId }) });
    assert.equal(r.status, 200);
    await sleep(800);
    assert.equal((await c.texts()).length, repliesBefore);
    assert.equal(await count(p, 'SELECT COUNT(*)::int AS n FROM inbound_messages WHERE wa_message_id = $1', [c.lastWaMessageId]), 1);
  });

  it('refuses forged gateway and courier notifications without storing them', async () => {
    const events = () => count(p, 'SELECT COUNT(*)::int AS n FROM webhook_events');
    const before = await events();
    const body = { order_id: 'PSN-X-1', status_code: '200', gross_amount: '10000.00', transaction_status: 'settlement', transaction_id: 'tx-1', signature_key: createHash('sha512').update('PSN-X-1' + '200' + '10000.00' + 'not-the-key').digest('hex') };
    const mid = await fetch(`${p.base}/webhooks/midtrans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok(mid.status >= 400 && mid.status < 500, `midtrans forged → ${mid.status}`);
    const go = await fetch(`${p.base}/webhooks/gosend`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-callback-token': 'forged' }, body: JSON.stringify({ booking_id: 'GK-1', status: 'delivered', event_id: 'e1' }) });
    assert.equal(go.status, 401);
    const grab = await fetch(`${p.base}/webhooks/grab`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer forged' }, body: JSON.stringify({ deliveryID: 'IN-1', status: 'COMPLETED', timestamp: 1 }) });
    assert.equal(grab.status, 401);
    assert.equal(await events(), before);
  });

  it('applies a replayed payment notification and courier webhooks once', async () => {
    const c = p.customer('6281300000002');
    await toQrisPayment(c);
    await c.mark();
    const pay = await fetch(`${p.base}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: c.waId }) });
    const { reference } = (await pay.json()) as { reference: string };
    await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
    await fetch(`${p.base}/sandbox/midtrans/_sim/notify-again`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference }) });
    await c.waitFor((_m, t) => t.includes('sudah sampai'), 'delivered');
    const booking = (await p.ctx.db.one<{ external_id: string; order_id: string }>(`SELECT d.external_id, d.order_id FROM deliveries d JOIN orders o ON o.id = d.order_id JOIN customers cu ON cu.id = o.customer_id WHERE cu.wa_id = $1`, [c.waId]))!;
    await fetch(`${p.base}/sandbox/gosend/_sim/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ externalId: booking.external_id }) });
    await sleep(800);
    const texts = await c.texts();
    assert.equal(texts.filter((t) => t.includes('sudah diterima')).length, 1, 'one payment confirmation');
    assert.equal(texts.filter((t) => t.includes('sudah sampai')).length, 1, 'one delivered message');
    assert.equal(await count(p, `SELECT COUNT(*)::int AS n FROM payments WHERE order_id = $1 AND status = 'paid'`, [booking.order_id]), 1);
    assert.equal(await count(p, `SELECT COUNT(*)::int AS n FROM order_events WHERE order_id = $1 AND to_status = 'paid'`, [booking.order_id]), 1);
  });

  it('refuses a correctly signed notification for a different amount', async () => {
    const c = p.customer('6281300000003');
    await toQrisPayment(c);
    const pay = (await p.ctx.db.one<{ reference: string; amount: number; order_id: string }>(`SELECT p.reference, p.amount, p.order_id FROM payments p JOIN orders o ON o.id = p.order_id JOIN customers cu ON cu.id = o.customer_id WHERE cu.wa_id = $1`, [c.waId]))!;
    const gross = `${pay.amount - 1000}.00`;
    const key = p.ctx.config.midtrans!.serverKey;
    const body = { order_id: pay.reference, status_code: '200', gross_amount: gross, transaction_status: 'settlement', transaction_id: `tx-${pay.reference}`, fraud_status: 'accept', currency: 'IDR', payment_type: 'qris', signature_key: createHash('sha512').update(pay.reference + '200' + gross + key).digest('hex') };
    const res = await fetch(`${p.base}/webhooks/midtrans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, 'a valid signature is acknowledged');
    // Wait for this notification (not the gateway's earlier "pending" one) to be handled.
    for (let i = 0; i < 100; i++) {
      if (await count(p, `SELECT COUNT(*)::int AS n FROM webhook_events WHERE processed_at IS NOT NULL AND provider = 'midtrans' AND event_key LIKE $1`, [`tx-${pay.reference}:%`])) break;
      await sleep(100);
    }
    const order = (await p.api('GET', `/api/v1/orders/${pay.order_id}`)).body;
    assert.equal(order.status, 'awaiting_payment');
    assert.ok(order.timeline.some((e: any) => e.type === 'payment_mismatch_refused'));
  });

  it('expires an unpaid charge: order expired, stock back exactly once, customer told', async () => {
    const c = p.customer('6281300000004');
    const before = await stockOf(p, 'OBT-PCT500');
    await toQrisPayment(c, 'paracetamol 3');
    assert.equal(await stockOf(p, 'OBT-PCT500'), before - 3);
    await c.mark();
    // Bring the expiry forward instead of waiting 30 minutes; the real job runs.
    const pay = (await p.ctx.db.one<{ id: number; order_id: string }>(`SELECT p.id, p.order_id FROM payments p JOIN orders o ON o.id = p.order_id JOIN customers cu ON cu.id = o.customer_id WHERE cu.wa_id = $1`, [c.waId]))!;
    await p.ctx.db.query(
      `UPDATE jobs SET run_at = now() WHERE done_at IS NULL AND ((kind = 'payment.expire' AND (payload->>'paymentId')::int = $1) OR (kind = 'order.expire_check' AND payload->>'orderId' = $2))`,
      [pay.id, pay.order_id],
    );
    p.ctx.jobs.kick();
    await c.waitFor((_m, t) => t.includes('Waktu pembayaran habis'), 'expiry message');
    await sleep(500);
    assert.equal(await stockOf(p, 'OBT-PCT500'), before);
    const order = (await p.api('GET', '/api/v1/orders?status=expired')).body.orders.find((o: any) => o.customer.wa_id === c.waId);
    assert.ok(order, 'order is expired');
    assert.equal(order.payment.status, 'expired');
    // A payment that arrives now is recorded and flagged for refund, never lost.
    await p.ctx.jobs.runDue();
    const charges = (await (await fetch(`${p.base}/sandbox/midtrans/_sim/charges`)).json()) as any;
    assert.ok(JSON.stringify(charges).includes(order.id));
  });

  it('"batal" before payment cancels the order and releases its stock', async () => {
    const c = p.customer('6281300000005');
    const before = await stockOf(p, 'MNM-TEHBOTOL');
    await c.say('teh botol 4');
    await c.waitFor((_m, t) => t.includes('Subtotal'), 'summary');
    await c.mark();
    await c.tap('confirm');
    await c.waitFor((m) => m.message.interactive?.type === 'location_request_message', 'location request');
    assert.equal(await stockOf(p, 'MNM-TEHBOTOL'), before - 4);
    await c.mark();
    await c.say('batal');
    await c.waitFor((_m, t) => t.includes('Pesanan dibatalkan'), 'cancel confirmation');
    assert.equal(await stockOf(p, 'MNM-TEHBOTOL'), before);
  });

  it('reports a shortage with what is left and an alternative instead of overselling', async () => {
    const c = p.customer('6281300000006');
    await c.say('redoxon 5');
    const m = await c.waitFor((_m, t) => t.includes('tinggal 3'), 'shortage message');
    const ids = m.message.interactive.action.buttons.map((b: any) => b.reply.id);
    assert.ok(ids.includes('set:VIT-REDOXON:3'), 'offers to take the 3 left');
    assert.ok(ids.some((id: string) => id.startsWith('set:VIT-') && id !== 'set:VIT-REDOXON:3'), 'offers an alternative vitamin');
  });
});

describe('crash safety (PostgreSQL server, two instances)', () => {
  it('a message accepted by an instance that stops before processing is answered by the next one', async () => {
    const a = await startPesan({ db: 'postgres' });
    // Accepts webhooks but never processes: as if it died right after the 200.
    await a.ctx.conversations.stop();
    await a.ctx.jobs.stop();
    const c = a.customer('6281300000099');
    await c.say('halo');
    assert.equal(await count(a, 'SELECT COUNT(*)::int AS n FROM inbound_messages WHERE processed_at IS NULL'), 1);
    const url = a.databaseUrl!;
    await a.stop();
    const b = await startPesan({ databaseUrl: url });
    try {
      for (let i = 0; i < 100; i++) {
        const out = (await (await fetch(`${b.base}/sandbox/meta/_sim/outbox?to=${c.waId}`)).json()) as { messages: any[] };
        if (out.messages.length > 0) {
          assert.match(JSON.stringify(out.messages[0].message), /Selamat datang/);
          return;
        }
        await sleep(100);
      }
      assert.fail('the second instance never answered');
    } finally {
      await b.stop();
      await a.dropDb();
    }
  });
});

describe('operations endpoints', () => {
  it('/healthz answers when the database does, and /metrics reports orders and queues', async () => {
    const p = await startPesan({ db: 'pglite' });
    try {
      const health = await fetch(`${p.base}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as any).database, 'pglite');
      const c = p.customer('6281300000777');
      await c.say('aqua 2');
      await c.waitFor((_m, t) => t.includes('Subtotal'), 'summary');
      const metrics = await (await fetch(`${p.base}/metrics`)).text();
      assert.match(metrics, /pesan_orders\{status="awaiting_confirmation"\} 1/);
      assert.match(metrics, /pesan_inbound_unprocessed 0/);
      assert.match(metrics, /# TYPE pesan_jobs_pending gauge/);
    } finally {
      await p.stop();
    }
  });
});
