import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { listen } from '../helpers/http.js';
import { webhookReceiver } from './receiver.js';
import { createMidtransGateway } from '../../src/payments/midtrans/gateway.js';
import { midtransSignature } from '../../src/payments/midtrans/signature.js';
import { midtransSimulator } from '../../src/payments/midtrans/simulator.js';
import { asWebhook, chargeInput, describeGatewayContract, type GatewayHarness } from './contract.js';

const SERVER_KEY = 'SB-Mid-server-test-key';

async function startMidtrans(qrStringInCharge = true): Promise<GatewayHarness & { receiver: Awaited<ReturnType<typeof webhookReceiver>> }> {
  const receiver = await webhookReceiver();
  const app = Fastify();
  await app.register(midtransSimulator, { prefix: '/sandbox/midtrans', notificationUrl: `${receiver.url}/webhooks/midtrans`, serverKey: SERVER_KEY, qrStringInCharge });
  const simBaseUrl = `${await listen(app)}/sandbox/midtrans`;
  return {
    gateway: createMidtransGateway({ serverKey: SERVER_KEY, baseUrl: simBaseUrl }),
    simBaseUrl,
    receiver,
    withWrongCredentials: () => createMidtransGateway({ serverKey: 'SB-Mid-server-wrong', baseUrl: simBaseUrl }),
    forge(genuine) {
      const body = genuine.json;
      const tampered = { ...body, gross_amount: '1.00' };
      const resigned = { ...body, signature_key: midtransSignature(body.order_id, body.status_code, body.gross_amount, 'SB-Mid-server-guess') };
      const unsigned = { ...body };
      delete unsigned.signature_key;
      const req = (b: unknown) => ({ ...asWebhook(genuine), rawBody: Buffer.from(JSON.stringify(b)) });
      return [
        { name: 'amount changed after signing', req: req(tampered) },
        { name: 'signed with another server key', req: req(resigned) },
        { name: 'no signature', req: req(unsigned) },
      ];
    },
    close: async () => {
      await app.close();
      await receiver.close();
    },
  };
}

describeGatewayContract('midtrans', startMidtrans);
// The same contract when QRIS answers carry no qr_string, as in Midtrans' own reference example.
describeGatewayContract('midtrans (QRIS without qr_string)', () => startMidtrans(false));

describe('midtrans specifics', () => {
  let h: Awaited<ReturnType<typeof startMidtrans>>;
  before(async () => {
    h = await startMidtrans();
  });
  after(() => h.close());

  test('a QRIS answer without qr_string (as in Midtrans\' reference example) shows the generate-qr-code image instead', async () => {
    const form = (on: boolean) => fetch(`${h.simBaseUrl}/_sim/qris-form`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ qr_string: on }) });
    assert.equal((await form(false)).status, 200);
    try {
      const charge = await h.gateway.createCharge(chargeInput('mq'));
      assert.equal(charge.qrString, undefined);
      assert.equal((charge.raw as any).qr_string, undefined, 'the simulator served the form without qr_string');
      assert.match(charge.qrImageUrl ?? '', /\/v2\/qris\/[^/]+\/qr-code$/);
      const img = await fetch(charge.qrImageUrl!);
      assert.equal(img.headers.get('content-type'), 'image/png');
      const { paymentMessages } = await import('../../src/payments/service.js');
      const [msg] = paymentMessages('id', { method: 'qris', qr_string: null, qr_image_url: charge.qrImageUrl, amount: 25_000, expires_at: charge.expiresAt } as any);
      assert.deepEqual([msg.type, (msg as any).link], ['image', charge.qrImageUrl]);
    } finally {
      await form(true);
    }
  });

  test('Mandiri is paid by biller code + bill key, Permata by its own VA number field', async () => {
    const mandiri = await h.gateway.createCharge(chargeInput('mt', { method: 'va', bank: 'mandiri' }));
    assert.equal(mandiri.billerCode, '70012');
    assert.match(mandiri.billKey ?? '', /^\d{12}$/);
    assert.equal(mandiri.vaNumber, undefined);
    const permata = await h.gateway.createCharge(chargeInput('mt', { method: 'va', bank: 'permata' }));
    assert.equal((permata.raw as any).permata_va_number, permata.vaNumber);
    assert.match(permata.vaNumber ?? '', /^\d{10}$/);
  });

  test('the pending notification sent at creation verifies as a pending event', async () => {
    const input = chargeInput('mt', { method: 'va', bank: 'cimb' });
    await h.gateway.createCharge(input);
    const n = await h.receiver.waitFor((r) => r.json?.order_id === input.reference && r.json?.transaction_status === 'pending');
    assert.equal(n.headers['user-agent'], 'Veritrans');
    const verdict = await h.gateway.verifyWebhook(asWebhook(n));
    assert.ok(verdict.ok);
    assert.equal(verdict.events[0].status, 'pending');
  });

  test('an expired charge notifies expire with a valid signature', async () => {
    const input = chargeInput('mt', { method: 'qris' });
    const charge = await h.gateway.createCharge(input);
    await h.gateway.cancel({ reference: input.reference, externalId: charge.externalId, method: 'qris' });
    const n = await h.receiver.waitFor((r) => r.json?.order_id === input.reference && r.json?.transaction_status === 'expire');
    const verdict = await h.gateway.verifyWebhook(asWebhook(n));
    assert.ok(verdict.ok);
    assert.equal(verdict.events[0].status, 'expired');
    // cancelling twice is harmless: the goal (unpayable) already holds
    await h.gateway.cancel({ reference: input.reference, method: 'qris' });
  });

  test('an unpaid charge expires by itself at its expiry time and Midtrans notifies it', async () => {
    const orderId = `mt-auto-${Date.now()}`;
    const res = await fetch(`${h.simBaseUrl}/v2/charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic ' + Buffer.from(`${SERVER_KEY}:`).toString('base64') },
      body: JSON.stringify({ payment_type: 'bank_transfer', bank_transfer: { bank: 'bca' }, transaction_details: { order_id: orderId, gross_amount: 15000 }, custom_expiry: { expiry_duration: 1, unit: 'second' } }),
    });
    assert.equal((await res.json()).status_code, '201');
    const n = await h.receiver.waitFor((r) => r.json?.order_id === orderId && r.json?.transaction_status === 'expire');
    const verdict = await h.gateway.verifyWebhook(asWebhook(n));
    assert.ok(verdict.ok && verdict.events[0].status === 'expired');
    assert.equal((await h.gateway.getStatus({ reference: orderId, method: 'va', bank: 'bca' })).status, 'expired');
  });

  test('an API error inside HTTP 200 is still an error', async () => {
    const res = await fetch(`${h.simBaseUrl}/v2/charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic ' + Buffer.from(`${SERVER_KEY}:`).toString('base64') },
      body: JSON.stringify({ payment_type: 'qris', transaction_details: { order_id: 'x', gross_amount: -5 } }),
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).status_code, '400');
    await assert.rejects(h.gateway.createCharge(chargeInput('mt', { amount: 0 })), /midtrans: charge: 400/);
  });

  test('the QRIS action URL serves a QR image', async () => {
    const charge = await h.gateway.createCharge(chargeInput('mt'));
    const url = (charge.raw as any).actions[0].url as string;
    const res = await fetch(url);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.ok((await res.arrayBuffer()).byteLength > 100);
  });
});
