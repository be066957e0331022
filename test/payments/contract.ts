// The behaviour every PaymentGateway adapter owes pesan, checked against its simulator over real HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CapturedRequest } from '../helpers/http.js';
import { ProviderError } from '../../src/shared/http.js';
import { BANKS, type CreateChargeInput, type PaymentEvent, type PaymentGateway, type WebhookRequest } from '../../src/payments/port.js';

export interface GatewayHarness {
  gateway: PaymentGateway;
  /** simulator base URL including its prefix; control routes are at `${simBaseUrl}/_sim/...` */
  simBaseUrl: string;
  /** every webhook the simulator delivered to pesan */
  receiver: { received: CapturedRequest[] };
  /** the same gateway configured with credentials the provider does not know */
  withWrongCredentials(): PaymentGateway;
  /** gateway-specific forgeries of a genuine notification; each one must be refused */
  forge(genuine: CapturedRequest): { name: string; req: WebhookRequest }[];
  /** true when the provider offers no way to cancel a QRIS code, so pesan can only stop honouring it */
  qrisCancelIsLocal?: boolean;
  close(): Promise<void>;
}

let seq = 0;
export function chargeInput(prefix: string, over: Partial<CreateChargeInput> = {}): CreateChargeInput {
  seq += 1;
  const orderId = `${prefix}${Date.now().toString().slice(-7)}${String(seq).padStart(3, '0')}`;
  return {
    reference: `${orderId}-1`,
    orderId,
    amount: 27_500 + seq,
    method: 'qris',
    expiresAt: new Date(Date.now() + 30 * 60_000),
    customer: { name: 'Budi Santoso', phone: '6281234567890' },
    description: `Pesanan ${orderId}`,
    ...over,
  };
}

export const asWebhook = (c: CapturedRequest): WebhookRequest => ({ rawBody: c.rawBody, headers: c.headers, path: c.path.split('?')[0] });

async function simPost(h: GatewayHarness, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${h.simBaseUrl}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** Waits until a delivered webhook verifies into an event for `reference` with `status`. */
async function eventFor(h: GatewayHarness, reference: string, status: PaymentEvent['status'], skip = 0): Promise<{ captured: CapturedRequest; event: PaymentEvent }> {
  const deadline = Date.now() + 5000;
  for (;;) {
    let found = 0;
    for (const captured of h.receiver.received) {
      const verdict = await h.gateway.verifyWebhook(asWebhook(captured));
      if (!verdict.ok) continue;
      const event = verdict.events.find((e) => e.reference === reference && e.status === status);
      if (event && found++ === skip) return { captured, event };
    }
    if (Date.now() > deadline) throw new Error(`no verified ${status} notification for ${reference}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function describeGatewayContract(name: string, setup: () => Promise<GatewayHarness>): void {
  describe(`${name} gateway contract`, () => {
    let h: GatewayHarness;
    before(async () => {
      h = await setup();
    });
    after(async () => {
      await h?.close();
    });

    test('creates a QRIS charge with a QR string, the exact amount and the requested expiry', async () => {
      const input = chargeInput(name);
      const charge = await h.gateway.createCharge(input);
      assert.equal(charge.reference, input.reference);
      assert.equal(charge.status, 'pending');
      assert.equal(charge.amount, input.amount);
      assert.ok(charge.externalId, 'gateway id present');
      if (charge.qrString === undefined && charge.qrImageUrl) {
        // The gateway gave the QR only as an image (Midtrans without qr_string): it must be one.
        const img = await fetch(charge.qrImageUrl);
        assert.match(img.headers.get('content-type') ?? '', /^image\//);
      } else assert.match(charge.qrString ?? '', /^000201/, 'EMVCo QRIS payload');
      // Gateways that count expiry in whole minutes may round up, never down.
      const drift = charge.expiresAt.getTime() - input.expiresAt.getTime();
      assert.ok(drift >= -1000 && drift <= 61_000, `expiry off by ${drift} ms`);
    });

    test('creates a virtual account for every bank it supports', async () => {
      const banks = BANKS.filter((b) => h.gateway.supports('va', b));
      assert.ok(banks.length >= 5, `supports only ${banks.join(', ')}`);
      const numbers = new Set<string>();
      for (const bank of banks) {
        const input = chargeInput(name, { method: 'va', bank });
        const charge = await h.gateway.createCharge(input);
        assert.equal(charge.status, 'pending', bank);
        assert.equal(charge.amount, input.amount, bank);
        assert.equal(charge.bank, bank);
        const payWith = charge.vaNumber ?? `${charge.billerCode}/${charge.billKey}`;
        assert.match(payWith, /^\d{6,}$|^\d+\/\d+$/, `${bank} has a number to pay to: ${payWith}`);
        assert.ok(!numbers.has(payWith), `${bank} number is unique`);
        numbers.add(payWith);
      }
    });

    test('creating the same reference twice is idempotent or a clear permanent error', async () => {
      const input = chargeInput(name, { method: 'va', bank: 'bni' });
      const first = await h.gateway.createCharge(input);
      try {
        const again = await h.gateway.createCharge(input);
        assert.equal(again.reference, first.reference);
        assert.equal(again.vaNumber ?? again.billKey, first.vaNumber ?? first.billKey, 'same account, not a second charge');
        assert.equal(again.amount, first.amount);
      } catch (err) {
        assert.ok(err instanceof ProviderError, String(err));
        assert.equal(err.transient, false);
      }
    });

    for (const method of ['qris', 'va'] as const) {
      test(`a ${method} charge goes pending → paid and pesan receives a verifiable paid notification`, async () => {
        const input = chargeInput(name, method === 'va' ? { method, bank: 'bca' } : { method });
        const charge = await h.gateway.createCharge(input);
        const ref = { reference: input.reference, externalId: charge.externalId, method, bank: input.bank, raw: charge.raw };
        assert.equal((await h.gateway.getStatus(ref)).status, 'pending');

        const paid = await simPost(h, 'pay', { reference: input.reference });
        assert.equal(paid.status, 200, JSON.stringify(paid.json));
        assert.equal(paid.json.ok, true);
        assert.equal(paid.json.notification_status, 200);

        const status = await h.gateway.getStatus(ref);
        assert.equal(status.status, 'paid');
        assert.equal(status.amount, input.amount);

        const { event } = await eventFor(h, input.reference, 'paid');
        assert.equal(event.amount, input.amount);
        assert.ok(event.eventKey);

        const again = await simPost(h, 'pay', { reference: input.reference });
        assert.notEqual(again.status, 200, 'a charge is paid only once');
      });
    }

    test('a replayed notification carries the same event key', async () => {
      const input = chargeInput(name, { method: 'va', bank: 'bri' });
      await h.gateway.createCharge(input);
      assert.equal((await simPost(h, 'pay', { reference: input.reference })).status, 200);
      const first = await eventFor(h, input.reference, 'paid');
      const replay = await simPost(h, 'notify-again', { reference: input.reference });
      assert.equal(replay.json.ok, true);
      const second = await eventFor(h, input.reference, 'paid', 1);
      assert.notEqual(second.captured, first.captured, 'a second delivery arrived');
      assert.equal(second.event.eventKey, first.event.eventKey);
    });

    test('forged notifications are refused', async () => {
      const input = chargeInput(name, { method: 'qris' });
      await h.gateway.createCharge(input);
      await simPost(h, 'pay', { reference: input.reference });
      const { captured } = await eventFor(h, input.reference, 'paid');
      const forgeries = h.forge(captured);
      assert.ok(forgeries.length > 0);
      for (const f of forgeries) {
        const verdict = await h.gateway.verifyWebhook(f.req);
        assert.equal(verdict.ok, false, `${f.name} must be refused`);
        if (!verdict.ok) assert.ok(verdict.status >= 400 && verdict.status < 500, f.name);
      }
      const garbage = await h.gateway.verifyWebhook({ ...asWebhook(captured), rawBody: Buffer.from('not json') });
      assert.equal(garbage.ok, false, 'garbage body refused');
    });

    for (const method of ['va', 'qris'] as const) {
      test(`cancelling an unpaid ${method} charge makes it unpayable`, async () => {
        const input = chargeInput(name, method === 'va' ? { method, bank: 'bni' } : { method });
        const charge = await h.gateway.createCharge(input);
        const ref = { reference: input.reference, externalId: charge.externalId, method, bank: input.bank, raw: charge.raw };
        await h.gateway.cancel(ref);
        assert.ok(['expired', 'cancelled'].includes((await h.gateway.getStatus(ref)).status));
        if (method === 'qris' && h.qrisCancelIsLocal) return;
        const pay = await simPost(h, 'pay', { reference: input.reference });
        assert.notEqual(pay.status, 200, 'the customer can no longer pay');
        assert.ok(['expired', 'cancelled'].includes((await h.gateway.getStatus(ref)).status));
      });
    }

    test('an unpaid charge expires at the gateway', async () => {
      const input = chargeInput(name, { method: 'va', bank: 'bca' });
      const charge = await h.gateway.createCharge(input);
      const ref = { reference: input.reference, externalId: charge.externalId, method: input.method, bank: input.bank, raw: charge.raw };
      assert.equal((await simPost(h, 'expire', { reference: input.reference })).status, 200);
      assert.equal((await h.gateway.getStatus(ref)).status, 'expired');
      assert.notEqual((await simPost(h, 'pay', { reference: input.reference })).status, 200);
    });

    test('wrong credentials are a permanent ProviderError', async () => {
      await assert.rejects(h.withWrongCredentials().createCharge(chargeInput(name)), (err: unknown) => {
        assert.ok(err instanceof ProviderError, String(err));
        assert.equal(err.status, 401);
        assert.equal(err.transient, false);
        return true;
      });
    });

    test('an outage is a transient ProviderError, and service resumes after it', async () => {
      assert.equal((await simPost(h, 'mode', { mode: 'down' })).status, 200);
      try {
        await assert.rejects(h.gateway.createCharge(chargeInput(name)), (err: unknown) => {
          assert.ok(err instanceof ProviderError, String(err));
          assert.equal(err.transient, true);
          return true;
        });
      } finally {
        await simPost(h, 'mode', { mode: 'normal' });
      }
      const charge = await h.gateway.createCharge(chargeInput(name));
      assert.equal(charge.status, 'pending');
    });
  
    test('a paid QRIS is refunded through the API: partly, then the rest; a retried key refunds once; never beyond what was paid; VAs are not', async () => {
      assert.ok(h.gateway.refund && h.gateway.refundable, 'every gateway here can refund QRIS by API');
      assert.equal(h.gateway.refundable!('qris'), true);
      assert.equal(h.gateway.refundable!('va'), false, 'no VA refund API at any of these gateways');
      const input = chargeInput(name);
      const charge = await h.gateway.createCharge(input);
      const ref = { reference: input.reference, externalId: charge.externalId, method: 'qris' as const, raw: charge.raw };
      await assert.rejects(h.gateway.refund!(ref, { refundKey: `${input.orderId}-r0`, amount: 1000, reason: 'unpaid' }), ProviderError, 'an unpaid charge cannot be refunded');
      assert.equal((await simPost(h, 'pay', { reference: input.reference })).status, 200);
      const part = await h.gateway.refund!(ref, { refundKey: `${input.orderId}-r1`, amount: 10_000, reason: 'satu item habis' });
      assert.ok(part.refundId);
      const retried = await h.gateway.refund!(ref, { refundKey: `${input.orderId}-r1`, amount: 10_000, reason: 'satu item habis' });
      assert.equal(retried.refundId, part.refundId, 'the same key is the same refund');
      await assert.rejects(h.gateway.refund!(ref, { refundKey: `${input.orderId}-r2`, amount: input.amount, reason: 'too much' }), ProviderError);
      const rest = await h.gateway.refund!(ref, { refundKey: `${input.orderId}-r3`, amount: input.amount - 10_000, reason: 'sisanya' });
      assert.notEqual(rest.refundId, part.refundId);
    });
  });
}
