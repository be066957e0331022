// The payment lifecycle a customer and merchant rely on, at every gateway, over real HTTP between pesan
// and the gateway simulators: late payments after expiry, method changes, "sudah bayar" checks when a
// notification is lost, a gateway outage, and notifications that do not match the charge.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { postJson, stockOf, sleep, startPesan, type Customer, type Pesan, toMethodChoice, chooseQris, chooseVa } from '../helpers/pesan.js';
import { CircuitBreaker, CircuitOpenError } from '../../src/shared/breaker.js';
import { gatewayBreaker, type PaymentRow } from '../../src/payments/service.js';
import { nonSnapSignature } from '../../src/payments/doku/signature.js';
import { NOTIFY_PATHS } from '../../src/payments/doku/wire.js';

type Gw = 'midtrans' | 'xendit' | 'doku';
const GATEWAYS: Gw[] = ['midtrans', 'xendit', 'doku'];
const rp = (n: number) => `Rp ${n.toLocaleString('id-ID').replace(/,/g, '.')}`;
// A tiny JPEG header is enough: pesan stores the screenshot, it does not read it.
const SCREENSHOT = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]).toString('base64');

const sim = (p: Pesan, gw: Gw, action: string, body: unknown = {}) => postJson(`${p.base}/sandbox/${gw}/_sim/${action}`, body);
async function simCharges(p: Pesan, gw: Gw): Promise<{ refused: number; charges: any[] }> {
  return (await (await fetch(`${p.base}/sandbox/${gw}/_sim/charges`)).json()) as any;
}
async function simCharge(p: Pesan, gw: Gw, reference: string): Promise<any> {
  return (await simCharges(p, gw)).charges.find((c) => c.reference === reference);
}
/** Whether the gateway would still take money for the charge. */
const liveAtGateway = (c: any) => ['pending', 'ACTIVE', 'PENDING'].includes(c.status);

const orderOf = async (p: Pesan, waId: string) =>
  (await p.ctx.db.one<{ id: string; total: number; status: string }>(
    'SELECT o.id, o.total, o.status FROM orders o JOIN customers cu ON cu.id = o.customer_id WHERE cu.wa_id = $1 ORDER BY o.created_at DESC LIMIT 1',
    [waId],
  ))!;
const paymentsOf = (p: Pesan, orderId: string) => p.ctx.db.query<PaymentRow & { paid_amount: number | null }>('SELECT * FROM payments WHERE order_id = $1 ORDER BY id', [orderId]);
const detail = async (p: Pesan, orderId: string) => (await p.api('GET', `/api/v1/orders/${orderId}`)).body;
const eventsOf = async (p: Pesan, orderId: string, type: string) => ((await detail(p, orderId)).timeline as any[]).filter((e) => e.type === type);
const countTexts = async (c: Customer, re: RegExp) => (await c.texts()).filter((t) => re.test(t)).length;

async function waitUntil<T>(fn: () => Promise<T | undefined | false | null>, what: string, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for: ${what}`);
    await sleep(50);
  }
}

/** Runs a scheduled job now instead of when it is due (the real handler runs). */
async function runNow(p: Pesan, kind: string, paymentId: number, extra = '') {
  const n = await p.ctx.db.query(
    `UPDATE jobs SET run_at = now() - interval '1 second' WHERE kind = $1 AND done_at IS NULL AND failed_at IS NULL AND (payload->>'paymentId')::int = $2 ${extra} RETURNING id`,
    [kind, paymentId],
  );
  assert.ok(n.length > 0, `a ${kind} job is scheduled for payment ${paymentId}`);
  p.ctx.jobs.kick();
}

/** Waits until every settled webhook event for a reference has been processed. */
async function webhooksSettled(p: Pesan, reference: string) {
  await waitUntil(
    async () => Number((await p.ctx.db.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM webhook_events WHERE processed_at IS NULL AND payload->'event'->>'reference' = $1`, [reference]))!.n) === 0,
    `webhooks for ${reference} processed`,
  );
}

async function setGateway(p: Pesan, gw: Gw) {
  const res = await postJson(`${p.base}/sandbox/settings`, { qris_gateway: gw, va_gateway: gw });
  assert.equal(res.status, 200);
}

// --- the method change, shared by the PGlite and PostgreSQL runs --------------------------------------------
async function methodChangeCase(p: Pesan, gw: Gw, waId: string) {
  const c = p.customer(waId);
  const pctBefore = await stockOf(p, 'OBT-PCT500');
  await toMethodChoice(c);
  await chooseQris(c);
  await chooseVa(c, 'bca');
  await chooseVa(c, 'bni');
  const order = await orderOf(p, c.waId);
  const rows = await waitUntil(async () => {
    const r = await paymentsOf(p, order.id);
    return r.length === 3 && r[0].status === 'cancelled' && r[1].status === 'cancelled' && r[2].status === 'pending' ? r : undefined;
  }, 'QRIS and BCA cancelled, BNI pending');
  const [qris, bca, bni] = rows;
  assert.deepEqual(rows.map((r) => [r.method, r.bank]), [['qris', null], ['va', 'bca'], ['va', 'bni']]);
  assert.equal(rows.filter((r) => r.status === 'pending' || r.status === 'creating').length, 1, 'exactly one live charge in pesan');
  for (const r of rows) assert.equal(r.amount, order.total);

  // At the gateway: the replaced charges can no longer be paid; only the BNI one is live.
  const atGw = await Promise.all(rows.map((r) => simCharge(p, gw, r.reference)));
  assert.ok(atGw.every(Boolean), 'each charge was created at the gateway once');
  assert.ok(!liveAtGateway(atGw[1]), `BCA VA withdrawn at ${gw} (${atGw[1].status})`);
  assert.ok(liveAtGateway(atGw[2]), 'BNI VA live at the gateway');
  // Xendit's QR Codes API cannot withdraw a code; every other gateway's QRIS is cancelled there too.
  if (gw === 'xendit') assert.equal(atGw[0].status, 'ACTIVE');
  else assert.ok(!liveAtGateway(atGw[0]), `QRIS withdrawn at ${gw} (${atGw[0].status})`);
  const cancelled = await eventsOf(p, order.id, 'payment_cancelled');
  assert.deepEqual(cancelled.map((e) => e.data.reference).sort(), [qris.reference, bca.reference].sort());

  // Paying the live charge completes the order.
  await c.mark();
  const paid = await postJson(`${p.base}/sandbox/pay`, { wa_id: c.waId });
  assert.equal(paid.status, 200);
  assert.equal(paid.body.reference, bni.reference);
  await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
  await c.waitFor((_m, t) => t.includes('sudah sampai'), 'delivered');

  // The replaced charges: a gateway that withdrew them refuses the money; Xendit's QR takes it, and pesan
  // records it and flags it for refund instead of paying the order twice.
  assert.equal((await sim(p, gw, 'pay', { reference: bca.reference })).status, 409, 'the withdrawn BCA VA cannot be paid');
  const oldQr = await sim(p, gw, 'pay', { reference: qris.reference });
  if (gw === 'xendit') {
    assert.equal(oldQr.status, 200);
    await c.waitFor((_m, t) => t.includes('akan kami kembalikan'), 'refund notice for the replaced QRIS');
    await webhooksSettled(p, qris.reference);
    const after = await paymentsOf(p, order.id);
    assert.equal(after[0].status, 'paid');
    assert.equal(after[0].late, true, 'flagged');
    const flagged = await eventsOf(p, order.id, 'late_payment_refund_required');
    assert.equal(flagged.length, 1);
    assert.equal(flagged[0].data.reference, qris.reference);
  } else {
    assert.equal(oldQr.status, 409, 'the withdrawn QRIS cannot be paid');
  }
  const d = await detail(p, order.id);
  assert.equal(d.status, 'completed');
  assert.equal(d.timeline.filter((e: any) => e.to_status === 'paid').length, 1, 'the order was paid once');
  assert.equal(await countTexts(c, /sudah diterima/), 1, 'one payment confirmation');
  assert.equal(await stockOf(p, 'OBT-PCT500'), pctBefore - 2, 'sold once');
  const settled = (await paymentsOf(p, order.id)).filter((r) => r.status === 'paid' && !r.late);
  assert.deepEqual(settled.map((r) => r.reference), [bni.reference], 'one payment counts for the order');
}

let seq = 0;
const nextWa = () => `62813777${String(++seq).padStart(4, '0')}`;

for (const gw of GATEWAYS) {
  describe(`payment lifecycle at ${gw} (PGlite)`, () => {
    let p: Pesan;
    before(async () => {
      p = await startPesan({ db: 'pglite' });
      await setGateway(p, gw);
    });
    after(() => p.stop());

    it('records a payment that arrives after expiry, flags it for refund and keeps the order expired', async () => {
      const c = p.customer(nextWa());
      const before = await stockOf(p, 'OBT-PCT500');
      await toMethodChoice(c, 'paracetamol 3');
      await chooseQris(c);
      assert.equal(await stockOf(p, 'OBT-PCT500'), before - 3);
      const order = await orderOf(p, c.waId);
      const [pay] = await paymentsOf(p, order.id);
      // Xendit's QR cannot be withdrawn, so it stays payable by itself. At the other gateways the charge
      // stays payable when pesan cannot reach the gateway at the moment of expiry.
      const unreachable = gw !== 'xendit';
      await c.mark();
      if (unreachable) assert.equal((await sim(p, gw, 'mode', { mode: 'down' })).status, 200);
      try {
        await runNow(p, 'payment.expire', pay.id);
        await c.waitFor((_m, t) => t.includes('Waktu pembayaran habis'), 'expiry message');
      } finally {
        if (unreachable) await sim(p, gw, 'mode', { mode: 'normal' });
      }
      assert.equal((await paymentsOf(p, order.id))[0].status, 'expired');
      assert.equal((await orderOf(p, c.waId)).status, 'expired');
      assert.equal(await stockOf(p, 'OBT-PCT500'), before, 'stock released');
      if (unreachable) assert.equal((await eventsOf(p, order.id, 'payment_gateway_expire_failed')).length, 1, 'the failed withdrawal is on the timeline');
      assert.ok(liveAtGateway(await simCharge(p, gw, pay.reference)), 'still payable at the gateway');

      // The customer pays anyway.
      await c.mark();
      const r = await sim(p, gw, 'pay', { reference: pay.reference });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      await c.waitFor((_m, t) => t.includes('setelah pesanan kedaluwarsa'), 'late payment notice');
      await webhooksSettled(p, pay.reference);
      const [row] = await paymentsOf(p, order.id);
      assert.equal(row.status, 'paid');
      assert.equal(row.late, true);
      assert.equal(Number(row.paid_amount), order.total);
      const flagged = await eventsOf(p, order.id, 'late_payment_refund_required');
      assert.equal(flagged.length, 1);
      assert.equal(flagged[0].data.reference, pay.reference);
      assert.equal(flagged[0].data.amount, order.total);
      const d = await detail(p, order.id);
      assert.equal(d.status, 'expired', 'the order stays expired');
      assert.equal(d.payment.late, true);
      assert.ok(!d.timeline.some((e: any) => e.to_status === 'paid'));
      assert.equal(await stockOf(p, 'OBT-PCT500'), before, 'stock is not taken again');
      assert.equal(await countTexts(c, /sudah diterima/), 0, 'no payment confirmation for an expired order');

      // The gateway repeating its notification changes nothing.
      await sim(p, gw, 'notify-again', { reference: pay.reference });
      await webhooksSettled(p, pay.reference);
      await sleep(300);
      assert.equal(await countTexts(c, /setelah pesanan kedaluwarsa/), 1, 'told once');
      assert.equal((await eventsOf(p, order.id, 'late_payment_refund_required')).length, 1);
    });

    it('changing method QRIS → VA BCA → VA BNI keeps one live charge and pays the order once', async () => {
      await methodChangeCase(p, gw, nextWa());
    });

    if (gw === 'xendit') {
      it('takes a payment on a replaced QRIS as the order payment while the order is unpaid, and withdraws the VA', async () => {
        const c = p.customer(nextWa());
        await toMethodChoice(c);
        await chooseQris(c);
        await chooseVa(c, 'bca');
        const order = await orderOf(p, c.waId);
        const [qris, va] = await waitUntil(async () => {
          const r = await paymentsOf(p, order.id);
          return r.length === 2 && r[0].status === 'cancelled' && r[1].status === 'pending' ? r : undefined;
        }, 'QRIS replaced by VA');
        await c.mark();
        assert.equal((await sim(p, gw, 'pay', { reference: qris.reference })).status, 200);
        await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
        const rows = await waitUntil(async () => {
          const r = await paymentsOf(p, order.id);
          return r[1].status === 'cancelled' ? r : undefined;
        }, 'VA withdrawn');
        assert.equal(rows[0].status, 'paid');
        assert.equal(rows[0].late, false);
        assert.ok(!liveAtGateway(await simCharge(p, gw, va.reference)), 'VA withdrawn at Xendit');
        assert.equal((await eventsOf(p, order.id, 'payment_on_replaced_charge')).length, 1);
        assert.equal((await sim(p, gw, 'pay', { reference: va.reference })).status, 409, 'the VA cannot be paid as well');
        assert.equal((await eventsOf(p, order.id, 'late_payment_refund_required')).length, 0);
      });
    }

    it('"sudah bayar" before paying: not received yet with amount and time left; the follow-up check finds a payment whose notification was lost', async () => {
      const c = p.customer(nextWa());
      await toMethodChoice(c);
      await chooseQris(c);
      const order = await orderOf(p, c.waId);
      const [pay] = await paymentsOf(p, order.id);
      await c.mark();
      await c.say('sudah bayar kak');
      const m = await c.waitFor((_m, t) => /belum kami terima/.test(t), 'not received yet');
      const text = m.message.text.body as string;
      assert.ok(text.includes(rp(order.total)), `amount in "${text}"`);
      const minutes = Number(/sisa waktu (\d+) menit/.exec(text)?.[1]);
      assert.ok(minutes >= 28 && minutes <= 30, `minutes left in "${text}"`);
      const followUp = await p.ctx.db.one<{ run_at: Date }>(
        `SELECT run_at FROM jobs WHERE kind = 'payment.check' AND done_at IS NULL AND payload->>'reason' = 'follow_up' AND (payload->>'paymentId')::int = $1`,
        [pay.id],
      );
      assert.ok(followUp && new Date(followUp.run_at).getTime() > Date.now() + 60_000, 'a second check is scheduled a little later');

      // Paid at the gateway, but the gateway's notification never reaches pesan.
      const r = await sim(p, gw, 'pay', { reference: pay.reference, notify: false });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.notification_status, null, 'no notification sent');
      await sleep(300);
      assert.equal((await paymentsOf(p, order.id))[0].status, 'pending', 'pesan has not heard of it');

      await c.mark();
      await runNow(p, 'payment.check', pay.id, `AND payload->>'reason' = 'follow_up'`);
      await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmed by the follow-up check');
      const d = await detail(p, order.id);
      const paidEvent = d.timeline.find((e: any) => e.to_status === 'paid');
      assert.equal(paidEvent.data.source, 'follow_up');
      assert.equal(d.payment.status, 'paid');
      assert.equal(d.payment.late, false);
      assert.ok(d.timeline.some((e: any) => e.type === 'payment_checked' && e.data.status === 'pending'), 'the first check is on the timeline');

      // The lost notification turns up after all: nothing happens twice.
      await sim(p, gw, 'notify-again', { reference: pay.reference });
      await webhooksSettled(p, pay.reference);
      await sleep(300);
      assert.equal(await countTexts(c, /sudah diterima/), 1);
      assert.equal((await detail(p, order.id)).timeline.filter((e: any) => e.to_status === 'paid').length, 1);
    });

    it('a payment screenshot triggers the same check', async () => {
      const c = p.customer(nextWa());
      await toMethodChoice(c);
      await chooseVa(c, 'bni');
      const order = await orderOf(p, c.waId);
      const [pay] = await paymentsOf(p, order.id);
      await c.mark();
      await c.sendImage(SCREENSHOT);
      const m = await c.waitFor((_m, t) => /belum kami terima/.test(t), 'not received yet after a screenshot');
      assert.ok(textIncludes(m, rp(order.total)));
      assert.equal((await sim(p, gw, 'pay', { reference: pay.reference, notify: false })).status, 200);
      await c.mark();
      await c.sendImage(SCREENSHOT);
      await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmed after the second screenshot');
      const d = await detail(p, order.id);
      assert.equal(d.timeline.find((e: any) => e.to_status === 'paid').data.source, 'claim');
      assert.equal(d.timeline.filter((e: any) => e.type === 'payment_claimed').length, 2);
      await waitUntil(async () => (await eventsOf(p, order.id, 'payment_proof_stored')).length === 2 || undefined, 'both screenshots stored');
    });

    it('gateway down: the customer is told once, the charge is retried and sent after recovery; the circuit breaker opens', async () => {
      const c = p.customer(nextWa());
      await toMethodChoice(c);
      const breaker = gatewayBreaker(p.ctx, gw);
      assert.equal(breaker.isOpen, false);
      assert.equal((await sim(p, gw, 'mode', { mode: 'down' })).status, 200);
      try {
        await c.tap('pay:qris', 'QRIS');
        await c.waitFor((_m, t) => t.includes('layanan pembayaran sedang gangguan'), 'payment service trouble notice');
        const order = await orderOf(p, c.waId);
        const [pay] = await paymentsOf(p, order.id);
        assert.equal(pay.status, 'creating');
        const job = () =>
          p.ctx.db.one<{ id: number; run_at: Date; failed_at: Date | null; done_at: Date | null }>(
            `SELECT id, run_at, failed_at, done_at FROM jobs WHERE kind = 'payment.create' AND payload->>'orderId' = $1`,
            [order.id],
          );
        const first = (await job())!;
        assert.ok(new Date(first.run_at).getTime() > Date.now(), 'retry scheduled later');
        // Retry until the breaker opens (the first attempt already failed).
        for (let i = 0; i < 5 && !breaker.isOpen; i++) {
          await p.ctx.db.query(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE id = $1`, [first.id]);
          p.ctx.jobs.kick();
          await waitUntil(async () => {
            const j = (await job())!;
            return new Date(j.run_at).getTime() > Date.now() && !j.failed_at && !j.done_at;
          }, 'the retry rescheduled');
        }
        assert.equal(breaker.isOpen, true, 'circuit open after repeated failures');
        // While open, pesan does not call the gateway at all.
        const refused = (await simCharges(p, gw)).refused;
        await p.ctx.db.query(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE id = $1`, [first.id]);
        p.ctx.jobs.kick();
        await waitUntil(async () => new Date((await job())!.run_at).getTime() > Date.now(), 'fail-fast retry rescheduled');
        assert.equal((await simCharges(p, gw)).refused, refused, 'no request reached the gateway while the circuit was open');
        assert.equal((await paymentsOf(p, order.id))[0].status, 'creating');
        assert.equal(await countTexts(c, /layanan pembayaran sedang gangguan/), 1, 'told once');

        await sim(p, gw, 'mode', { mode: 'normal' });
        breaker.reset(); // as when the cool-down has passed
        await c.mark();
        await p.ctx.db.query(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE id = $1`, [first.id]);
        p.ctx.jobs.kick();
        await c.waitFor((m) => m.message.type === 'image', 'QRIS after recovery');
        const rows = await paymentsOf(p, order.id);
        assert.equal(rows.length, 1);
        assert.equal(rows[0].status, 'pending');
        const charges = (await simCharges(p, gw)).charges.filter((x) => x.reference.startsWith(order.id));
        assert.equal(charges.length, 1, 'one charge at the gateway');
        assert.equal(await countTexts(c, /layanan pembayaran sedang gangguan/), 1, 'still told once');
        assert.ok((await eventsOf(p, order.id, 'payment_gateway_unavailable')).length >= 1);
        assert.equal((await eventsOf(p, order.id, 'payment_created')).length, 1);
      } finally {
        await sim(p, gw, 'mode', { mode: 'normal' });
        breaker.reset();
      }
    });

    if (gw === 'midtrans') {
      it('gateway down: choosing another method at another gateway works, and the stuck charge is dropped', async () => {
        const c = p.customer(nextWa());
        await toMethodChoice(c);
        await postJson(`${p.base}/sandbox/settings`, { va_gateway: 'xendit' });
        assert.equal((await sim(p, gw, 'mode', { mode: 'down' })).status, 200);
        try {
          await c.tap('pay:qris', 'QRIS');
          await c.waitFor((_m, t) => t.includes('layanan pembayaran sedang gangguan'), 'payment service trouble notice');
          const va = await chooseVa(c, 'bca');
          assert.match(JSON.stringify(va.message), /\*\d{8,}\*/);
          const order = await orderOf(p, c.waId);
          const rows = await paymentsOf(p, order.id);
          assert.deepEqual(rows.map((r) => [r.gateway, r.method, r.status]), [['midtrans', 'qris', 'cancelled'], ['xendit', 'va', 'pending']]);
          // The QRIS job, when it runs again, sees the order moved on and creates nothing.
          await p.ctx.db.query(`UPDATE jobs SET run_at = now() - interval '1 second' WHERE kind = 'payment.create' AND payload->>'orderId' = $1 AND done_at IS NULL`, [order.id]);
          await sim(p, gw, 'mode', { mode: 'normal' });
          gatewayBreaker(p.ctx, gw).reset();
          p.ctx.jobs.kick();
          await waitUntil(async () => !(await p.ctx.db.one(`SELECT 1 FROM jobs WHERE kind = 'payment.create' AND payload->>'orderId' = $1 AND done_at IS NULL`, [order.id])) || undefined, 'QRIS job finished');
          assert.equal(await simCharge(p, gw, rows[0].reference), undefined, 'no QRIS charge at Midtrans');
          assert.equal((await paymentsOf(p, order.id)).filter((r) => r.status === 'pending').length, 1);
          await c.mark();
          assert.equal((await postJson(`${p.base}/sandbox/pay`, { wa_id: c.waId })).status, 200);
          await c.waitFor((_m, t) => t.includes('sudah diterima'), 'paid by VA');
        } finally {
          await sim(p, gw, 'mode', { mode: 'normal' });
          gatewayBreaker(p.ctx, gw).reset();
          await postJson(`${p.base}/sandbox/settings`, { va_gateway: gw });
        }
      });
    }

    it('a payment notified while the circuit is open (earlier failures) is applied at once, not after the cool-down', async () => {
      const c = p.customer(nextWa());
      await toMethodChoice(c);
      await chooseQris(c);
      const order = await orderOf(p, c.waId);
      const [pay] = await paymentsOf(p, order.id);
      const breaker = gatewayBreaker(p.ctx, gw);
      // Earlier calls failed while the gateway was unreachable: the circuit is open for 30 s.
      const unreachable = Object.assign(new Error('unreachable'), { transient: true });
      for (let i = 0; i < 3; i++) await assert.rejects(breaker.run(() => Promise.reject(unreachable), () => true));
      assert.equal(breaker.isOpen, true);
      try {
        await c.mark();
        assert.equal((await sim(p, gw, 'pay', { reference: pay.reference })).status, 200);
        await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmed', 10_000);
        assert.notEqual((await orderOf(p, c.waId)).status, 'awaiting_payment', 'the order is paid');
        assert.equal(breaker.isOpen, false, 'the status call that answered closed the circuit');
      } finally {
        breaker.reset();
      }
    });

    it('refuses notifications whose currency or reference does not match the charge, on the timeline', async () => {
      const c = p.customer(nextWa());
      await toMethodChoice(c);
      await chooseQris(c);
      const order = await orderOf(p, c.waId);
      const [pay] = await paymentsOf(p, order.id);
      const refusedBefore = async () => (await eventsOf(p, order.id, 'payment_mismatch_refused')).length;
      const expectRefused = async (send: () => Promise<{ status: number }>, what: string, check: (e: any) => boolean) => {
        const n = await refusedBefore();
        const res = await send();
        assert.equal(res.status, 200, `${what}: an authentic notification is acknowledged`);
        const e = await waitUntil(async () => {
          const list = await eventsOf(p, order.id, 'payment_mismatch_refused');
          return list.length > n ? list[list.length - 1] : undefined;
        }, `${what} refused on the timeline`);
        assert.ok(check(e.data), `${what}: ${JSON.stringify(e.data)}`);
        const rows = await paymentsOf(p, order.id);
        assert.equal(rows.length, 1);
        assert.equal(rows[0].status, 'pending', `${what}: payment unchanged`);
        assert.equal((await orderOf(p, c.waId)).status, 'awaiting_payment', `${what}: order unchanged`);
      };
      const otherRef = `${order.id}-9`;

      if (gw === 'midtrans') {
        const key = p.ctx.config.midtrans!.serverKey;
        const notify = (o: { ref: string; txId: string; currency: string }) => {
          const gross = `${order.total}.00`;
          return postJson(`${p.base}/webhooks/midtrans`, {
            order_id: o.ref, status_code: '200', gross_amount: gross, transaction_status: 'settlement', transaction_id: o.txId, fraud_status: 'accept', currency: o.currency, payment_type: 'qris',
            signature_key: createHash('sha512').update(o.ref + '200' + gross + key).digest('hex'),
          });
        };
        await expectRefused(() => notify({ ref: pay.reference, txId: pay.external_id!, currency: 'USD' }), 'currency', (d) => d.currency === 'USD' && d.reason === 'currency');
        await expectRefused(() => notify({ ref: otherRef, txId: randomUUID(), currency: 'IDR' }), 'unknown charge reference', (d) => d.reason === 'reference' && d.got_reference === otherRef);
        await expectRefused(() => notify({ ref: pay.reference, txId: randomUUID(), currency: 'IDR' }), 'transaction id of another charge', (d) => d.reason === 'reference');
      } else if (gw === 'xendit') {
        const token = p.ctx.config.xendit!.callbackToken;
        const notify = (o: { ref: string; qrId: string; currency: string }) =>
          postJson(`${p.base}/webhooks/xendit`, {
            event: 'qr.payment', api_version: '2022-07-31', created: new Date().toISOString(),
            data: { id: `qrpy_${randomUUID()}`, qr_id: o.qrId, reference_id: o.ref, amount: order.total, currency: o.currency, status: 'SUCCEEDED', created: new Date().toISOString() },
          }, { 'x-callback-token': token, 'api-version': '2022-07-31', 'webhook-id': randomUUID() });
        await expectRefused(() => notify({ ref: pay.reference, qrId: pay.external_id!, currency: 'USD' }), 'currency', (d) => d.currency === 'USD' && d.reason === 'currency');
        await expectRefused(() => notify({ ref: otherRef, qrId: `qr_${randomUUID()}`, currency: 'IDR' }), 'unknown charge reference', (d) => d.reason === 'reference' && d.got_reference === otherRef);
        await expectRefused(() => notify({ ref: pay.reference, qrId: `qr_${randomUUID()}`, currency: 'IDR' }), 'QR id of another charge', (d) => d.reason === 'reference');
      } else {
        // DOKU's QRIS notification carries no currency (it is always IDR); the reference checks apply.
        const cfg = p.ctx.config.doku!;
        const notify = (o: { ref: string; referenceNo: string }) => {
          const requestId = randomUUID();
          const requestTimestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
          const body = JSON.stringify({
            service: { id: 'QRIS' }, acquirer: { id: 'DOKU' }, channel: { id: 'QRIS' },
            order: { invoice_number: o.ref, amount: order.total },
            transaction: { status: 'SUCCESS', date: requestTimestamp, original_request_id: o.referenceNo },
          });
          const target = `/webhooks/doku${NOTIFY_PATHS.qrisNotify}`;
          return postJson(`${p.base}${target}`, body, {
            'client-id': cfg.clientId, 'request-id': requestId, 'request-timestamp': requestTimestamp,
            signature: nonSnapSignature(cfg.secretKey, { clientId: cfg.clientId, requestId, requestTimestamp, requestTarget: target, body }),
          });
        };
        await expectRefused(() => notify({ ref: otherRef, referenceNo: '999' }), 'unknown charge reference', (d) => d.reason === 'reference' && d.got_reference === otherRef);
        await expectRefused(() => notify({ ref: pay.reference, referenceNo: '999' }), 'reference number of another charge', (d) => d.reason === 'reference');
      }

      // The real payment still goes through.
      await c.mark();
      assert.equal((await postJson(`${p.base}/sandbox/pay`, { wa_id: c.waId })).status, 200);
      await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
      assert.equal((await paymentsOf(p, order.id))[0].late, false);
    });
  });
}

function textIncludes(m: { message: any }, s: string) {
  return JSON.stringify(m.message).includes(s);
}

describe('method change on PostgreSQL', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'postgres' });
    await setGateway(p, 'midtrans');
  });
  after(async () => {
    await p.stop();
    await p.dropDb();
  });
  it('QRIS → VA BCA → VA BNI at Midtrans: one live charge, the order paid once', async () => {
    await methodChangeCase(p, 'midtrans', nextWa());
  });
});

describe('CircuitBreaker', () => {
  const transient = (err: unknown) => (err as { transient?: boolean }).transient === true;
  const down = Object.assign(new Error('down'), { transient: true });
  const bad = Object.assign(new Error('bad request'), { transient: false });

  it('opens after the threshold of consecutive transient failures, fails fast, and tries again after the cool-down', async () => {
    let now = 1_000_000;
    const b = new CircuitBreaker('gw', { threshold: 3, coolDownMs: 30_000, now: () => now });
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(down);
    };
    for (let i = 0; i < 3; i++) await assert.rejects(b.run(failing, transient), /down/);
    assert.equal(b.isOpen, true);
    await assert.rejects(b.run(failing, transient), CircuitOpenError);
    assert.equal(calls, 3, 'no call while open');
    now += 29_999;
    await assert.rejects(b.run(failing, transient), CircuitOpenError);
    now += 1;
    assert.equal(b.isOpen, false, 'half-open after the cool-down');
    // One trial call; its failure opens the circuit again at once.
    await assert.rejects(b.run(failing, transient), /down/);
    assert.equal(calls, 4);
    assert.equal(b.isOpen, true);
    now += 30_000;
    assert.equal(await b.run(() => Promise.resolve('ok'), transient), 'ok');
    assert.equal(b.isOpen, false);
    // A success reset the count: two failures do not open it.
    for (let i = 0; i < 2; i++) await assert.rejects(b.run(failing, transient), /down/);
    assert.equal(b.isOpen, false);
  });

  it('does not count errors that retrying cannot fix, and a success resets the count', async () => {
    const b = new CircuitBreaker('gw', { threshold: 2, coolDownMs: 1000 });
    for (let i = 0; i < 5; i++) await assert.rejects(b.run(() => Promise.reject(bad), transient), /bad request/);
    assert.equal(b.isOpen, false);
    await assert.rejects(b.run(() => Promise.reject(down), transient));
    await b.run(() => Promise.resolve(1), transient);
    await assert.rejects(b.run(() => Promise.reject(down), transient));
    assert.equal(b.isOpen, false);
    await assert.rejects(b.run(() => Promise.reject(down), transient));
    assert.equal(b.isOpen, true);
    b.reset();
    assert.equal(b.isOpen, false);
  });

  it('a sign of life from the provider ends the cool-down: one trial goes through, its success closes the circuit', async () => {
    let now = 0;
    const b = new CircuitBreaker('gw', { threshold: 2, coolDownMs: 30_000, now: () => now });
    b.heardFrom();
    assert.equal(b.isOpen, false, 'a closed circuit stays closed');
    for (let i = 0; i < 2; i++) await assert.rejects(b.run(() => Promise.reject(down), transient));
    assert.equal(b.isOpen, true);
    now = 1_000;
    b.heardFrom();
    assert.equal(b.isOpen, false);
    assert.equal(await b.run(() => Promise.resolve('status'), transient), 'status');
    for (let i = 0; i < 1; i++) await assert.rejects(b.run(() => Promise.reject(down), transient));
    assert.equal(b.isOpen, false, 'the success reset the count');
  });

  it('lets only one trial call through while half-open', async () => {
    let now = 0;
    const b = new CircuitBreaker('gw', { threshold: 1, coolDownMs: 100, now: () => now });
    await assert.rejects(b.run(() => Promise.reject(down), transient));
    now = 100;
    let release!: () => void;
    const trial = b.run(() => new Promise<string>((r) => (release = () => r('ok'))), transient);
    await assert.rejects(b.run(() => Promise.resolve('second'), transient), CircuitOpenError);
    release();
    assert.equal(await trial, 'ok');
    assert.equal(await b.run(() => Promise.resolve('after'), transient), 'after');
  });
});
