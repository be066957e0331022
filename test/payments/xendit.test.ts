import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { listen } from '../helpers/http.js';
import { createXenditGateway } from '../../src/payments/xendit/gateway.js';
import { OutcomeUnknownError } from '../../src/shared/http.js';
import { xenditSimulator } from '../../src/payments/xendit/simulator.js';
import { asWebhook, chargeInput, describeGatewayContract, type GatewayHarness } from './contract.js';
import { webhookReceiver } from './receiver.js';

const SECRET_KEY = 'xnd_development_test_key';
const CALLBACK_TOKEN = 'test-callback-token';

async function startXendit(): Promise<GatewayHarness & { receiver: Awaited<ReturnType<typeof webhookReceiver>> }> {
  const receiver = await webhookReceiver();
  const app = Fastify();
  await app.register(xenditSimulator, { prefix: '/sandbox/xendit', notificationUrl: `${receiver.url}/webhooks/xendit`, secretKey: SECRET_KEY, callbackToken: CALLBACK_TOKEN });
  const simBaseUrl = `${await listen(app)}/sandbox/xendit`;
  return {
    gateway: createXenditGateway({ secretKey: SECRET_KEY, callbackToken: CALLBACK_TOKEN, baseUrl: simBaseUrl }),
    simBaseUrl,
    receiver,
    withWrongCredentials: () => createXenditGateway({ secretKey: 'xnd_development_wrong', callbackToken: CALLBACK_TOKEN, baseUrl: simBaseUrl }),
    forge(genuine) {
      const base = asWebhook(genuine);
      const without = { ...genuine.headers };
      delete without['x-callback-token'];
      return [
        { name: 'wrong callback token', req: { ...base, headers: { ...genuine.headers, 'x-callback-token': 'guessed-token' } } },
        { name: 'no callback token', req: { ...base, headers: without } },
      ];
    },
    qrisCancelIsLocal: true,
    close: async () => {
      await app.close();
      await receiver.close();
    },
  };
}

describeGatewayContract('xendit', startXendit);

describe('xendit specifics', () => {
  let h: Awaited<ReturnType<typeof startXendit>>;
  before(async () => {
    h = await startXendit();
  });
  after(() => h.close());

  const api = (path: string, body: unknown) =>
    fetch(`${h.simBaseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic ' + Buffer.from(`${SECRET_KEY}:`).toString('base64') }, body: JSON.stringify(body) });

  test("Xendit's own QR simulate endpoint pays and sends a 2022-07-31 callback", async () => {
    const input = chargeInput('xq');
    const charge = await h.gateway.createCharge(input);
    const res = await api(`/qr_codes/${charge.externalId}/payments/simulate`, { amount: input.amount });
    assert.equal(res.status, 200);
    const cb = await h.receiver.waitFor((r) => r.json?.data?.reference_id === input.reference);
    assert.equal(cb.headers['api-version'], '2022-07-31');
    assert.equal(cb.json.event, 'qr.payment');
    const verdict = await h.gateway.verifyWebhook(asWebhook(cb));
    assert.ok(verdict.ok);
    assert.deepEqual([verdict.events[0].status, verdict.events[0].amount, verdict.events[0].eventKey], ['paid', input.amount, cb.headers['webhook-id']]);
  });

  test("Xendit's own FVA simulate endpoint pays; after the callback, status comes from the payment lookup", async () => {
    const input = chargeInput('xv', { method: 'va', bank: 'mandiri' });
    const charge = await h.gateway.createCharge(input);
    assert.equal((await api(`/callback_virtual_accounts/external_id=${input.reference}/simulate_payment`, { amount: input.amount + 1 })).status, 400, 'closed VA takes the exact amount');
    assert.equal((await api(`/callback_virtual_accounts/external_id=${input.reference}/simulate_payment`, { amount: input.amount })).status, 200);
    const cb = await h.receiver.waitFor((r) => r.json?.external_id === input.reference);
    const verdict = await h.gateway.verifyWebhook(asWebhook(cb));
    assert.ok(verdict.ok && verdict.events[0].status === 'paid');
    const status = await h.gateway.getStatus({ reference: input.reference, externalId: charge.externalId, method: 'va', bank: 'mandiri' });
    assert.equal(status.status, 'paid');
    assert.equal(status.amount, input.amount);
    assert.equal((status.raw as any).payment.payment_id, cb.json.payment_id);
  });

  test('the QR API refuses requests without the 2022-07-31 api-version header', async () => {
    const res = await api('/qr_codes', { reference_id: 'x-1', type: 'DYNAMIC', currency: 'IDR', amount: 10000 });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error_code, 'API_VALIDATION_ERROR');
  });

  test('a repeated reference gets the QR Xendit already holds, never a second charge', async () => {
    const input = chargeInput('xd');
    const first = await h.gateway.createCharge(input);
    const again = await h.gateway.createCharge(input);
    assert.equal(again.externalId, first.externalId);
    assert.equal(again.qrString, first.qrString);
  });

  const held = async (reference: string) => {
    const list = ((await (await fetch(`${h.simBaseUrl}/_sim/charges`)).json()) as { charges: any[] }).charges;
    return list.filter((c) => JSON.stringify(c).includes(reference));
  };

  for (const [method, bank] of [['qris', undefined], ['va', 'bni']] as const) {
    for (const mode of ['timeout', 'drop'] as const) {
      test(`a ${method} charge whose answer is lost (${mode}) after Xendit recorded it ends as exactly one charge`, async () => {
        const gateway = createXenditGateway({ secretKey: SECRET_KEY, callbackToken: CALLBACK_TOKEN, baseUrl: h.simBaseUrl, timeoutMs: 500 });
        const input = chargeInput(`xl${method}${mode}`, bank ? { method, bank } : {});
        assert.equal((await fetch(`${h.simBaseUrl}/_sim/lose-next-answer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode, delay_ms: 1500 }) })).status, 200);
        const charge = await gateway.createCharge(input);
        const charges = await held(input.reference);
        assert.equal(charges.length, 1, 'one charge at Xendit');
        assert.ok(JSON.stringify(charges[0]).includes(charge.externalId));
        assert.ok(charge.qrString || charge.vaNumber, 'the customer still gets something to pay with');
      });
    }
  }

  test('a charge whose answer is lost while Xendit is then unreachable is not created again; the retry finds it', async () => {
    const gateway = createXenditGateway({ secretKey: SECRET_KEY, callbackToken: CALLBACK_TOKEN, baseUrl: h.simBaseUrl, timeoutMs: 500, attempts: 1 });
    const input = chargeInput('xlu');
    assert.equal((await fetch(`${h.simBaseUrl}/_sim/lose-next-answer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'drop', down_ms: 1500 }) })).status, 200);
    await assert.rejects(gateway.createCharge(input), (err: unknown) => err instanceof OutcomeUnknownError);
    await new Promise((r) => setTimeout(r, 1600));
    const charge = await gateway.createCharge({ ...input, lookupFirst: true });
    const charges = await held(input.reference);
    assert.equal(charges.length, 1);
    assert.ok(JSON.stringify(charges[0]).includes(charge.externalId));
  });

  test('QR status: a code Xendit turned INACTIVE before its expiry was paid', async () => {
    const input = chargeInput('xs');
    const charge = await h.gateway.createCharge(input);
    const ref = { reference: input.reference, externalId: charge.externalId, method: 'qris' as const };
    assert.equal((await h.gateway.getStatus(ref)).status, 'pending');
    assert.equal((await api(`/qr_codes/${charge.externalId}/payments/simulate`, { amount: input.amount })).status, 200);
    const s = await h.gateway.getStatus(ref);
    assert.equal(s.status, 'paid');
    assert.equal(s.amount, input.amount);
  });

  test('authentic callbacks that are not payments are acknowledged without events', async () => {
    const verdict = await h.gateway.verifyWebhook({ rawBody: Buffer.from(JSON.stringify({ id: 'va1', external_id: 'x', status: 'ACTIVE' })), headers: { 'x-callback-token': CALLBACK_TOKEN }, path: '/webhooks/xendit' });
    assert.deepEqual(verdict, { ok: true, events: [] });
  });
});
