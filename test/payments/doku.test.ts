import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { listen, type CapturedRequest } from '../helpers/http.js';
import { createDokuGateway, dokuCustomerNo } from '../../src/payments/doku/gateway.js';
import { generateDokuSandboxKeys, nonSnapSignature, signTokenRequest, symmetricSignature } from '../../src/payments/doku/signature.js';
import { dokuSimulator } from '../../src/payments/doku/simulator.js';
import type { WebhookRequest } from '../../src/payments/port.js';
import { jakartaIso } from '../../src/shared/time.js';
import { asWebhook, chargeInput, describeGatewayContract, type GatewayHarness } from './contract.js';
import { webhookReceiver } from './receiver.js';

const CLIENT_ID = 'BRN-0001-TEST';
const SECRET_KEY = 'SK-test-doku-secret';
const keys = generateDokuSandboxKeys();

/** Re-signs a captured notification with another secret, keeping everything else. */
function resignedWith(secret: string, c: CapturedRequest, body: Buffer = c.rawBody): WebhookRequest {
  const h = c.headers as Record<string, string>;
  const path = c.path.split('?')[0];
  if (h['x-signature']) {
    const token = h.authorization.slice(7);
    return { rawBody: body, path, headers: { ...h, 'x-signature': symmetricSignature(secret, 'POST', path, token, body, h['x-timestamp']) } };
  }
  const signature = nonSnapSignature(secret, { clientId: h['client-id'], requestId: h['request-id'], requestTimestamp: h['request-timestamp'], requestTarget: path, body });
  return { rawBody: body, path, headers: { ...h, signature } };
}

async function startDoku(account?: { vaNumberBy?: 'merchant' | 'doku'; minimal?: boolean }): Promise<GatewayHarness & { receiver: Awaited<ReturnType<typeof webhookReceiver>> }> {
  const gatewayConfig = { clientId: CLIENT_ID, secretKey: SECRET_KEY, privateKey: keys.merchantPrivateKey, dokuPublicKey: keys.dokuPublicKey, qrisMerchantId: '000000000000001', vaPartnerServiceId: '88899', vaEmail: 'kasir@toko.example', terminalId: 'K45', postalCode: '12730' };
  // pesan's side: the token endpoint DOKU calls, plus a recorder for the notifications themselves. It is
  // served by another gateway instance (the simulator's URL is not known yet): the tokens it issues must
  // verify on any instance, as they would behind a load balancer.
  const inbound = createDokuGateway({ ...gatewayConfig, baseUrl: 'http://127.0.0.1:9' });
  const receiver = await webhookReceiver((app) => inbound.extraWebhookRoutes!(app));
  const app = Fastify();
  // like pesan's app: a root JSON parser of its own, which the simulator must work under
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, (body as Buffer).length ? JSON.parse(body.toString()) : {}));
  await app.register(dokuSimulator, {
    prefix: '/sandbox/doku',
    notificationUrl: `${receiver.url}/webhooks/doku`,
    clientId: CLIENT_ID,
    secretKey: SECRET_KEY,
    merchantPublicKey: keys.merchantPublicKey,
    dokuPrivateKey: keys.dokuPrivateKey,
    qrisMerchantId: '000000000000001',
    vaPartnerServiceId: '88899',
    account,
  });
  const simBaseUrl = `${await listen(app)}/sandbox/doku`;
  const gateway = createDokuGateway({ ...gatewayConfig, baseUrl: simBaseUrl });
  return {
    gateway,
    simBaseUrl,
    receiver,
    withWrongCredentials: () => createDokuGateway({ ...gatewayConfig, baseUrl: simBaseUrl, privateKey: generateDokuSandboxKeys().merchantPrivateKey }),
    forge(genuine) {
      const tamperedBody = Buffer.from(genuine.rawBody.toString('utf8').replace(/"amount":(\d+)/, '"amount":1').replace(/"value":"[\d.]+"/, '"value":"1.00"'));
      assert.notDeepEqual(tamperedBody, genuine.rawBody);
      return [
        { name: 'body changed after signing', req: { ...asWebhook(genuine), rawBody: tamperedBody } },
        { name: 'signed with a guessed secret', req: resignedWith('guessed-secret', genuine) },
        { name: 'signature for another path', req: { ...asWebhook(genuine), path: '/webhooks/doku/elsewhere' } },
      ];
    },
    close: async () => {
      await app.close();
      await receiver.close();
    },
  };
}

describeGatewayContract('doku', () => startDoku());
// The same contract for an account where DOKU makes the VA numbers and answers without optional fields.
describeGatewayContract('doku (DOKU-made VA numbers, minimal answers)', () => startDoku({ vaNumberBy: 'doku', minimal: true }));

describe('doku specifics', () => {
  let h: Awaited<ReturnType<typeof startDoku>>;
  before(async () => {
    h = await startDoku();
  });
  after(() => h.close());

  async function paidVa() {
    const input = chargeInput('dk', { method: 'va', bank: 'mandiri' });
    const charge = await h.gateway.createCharge(input);
    const res = await fetch(`${h.simBaseUrl}/_sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference: input.reference }) });
    assert.equal(res.status, 200);
    const n = await h.receiver.waitFor((r) => r.json?.trxId === input.reference);
    return { input, charge, n };
  }

  test('a VA number is the padded partner service id + a customer number derived from the reference', async () => {
    const input = chargeInput('dk', { method: 'va', bank: 'bca' });
    const charge = await h.gateway.createCharge(input);
    assert.equal(charge.vaNumber, `88899${dokuCustomerNo(input.reference)}`);
    assert.equal((charge.raw as any).virtualAccountData.partnerServiceId, '   88899');
  });

  test('DOKU gets a token from pesan first, then the SNAP VA payment notification verifies and gets the SNAP reply', async () => {
    const { input, n } = await paidVa();
    assert.equal(n.path, '/webhooks/doku/v1/transfer-va/payment');
    assert.match(String(n.headers.authorization), /^Bearer /);
    const verdict = await h.gateway.verifyWebhook(asWebhook(n));
    assert.ok(verdict.ok, JSON.stringify(verdict));
    assert.equal(verdict.events[0].reference, input.reference);
    assert.equal(verdict.events[0].amount, input.amount);
    assert.equal((verdict.reply?.body as any).responseCode, '2002500');
  });

  test('SNAP VA notifications with a made-up token or a tampered body are refused', async () => {
    const { n } = await paidVa();
    const h0 = n.headers as Record<string, string>;
    const fakeToken = `${Math.floor(Date.now() / 1000) + 900}.abcd.${'0'.repeat(64)}`;
    const withFakeToken = { ...asWebhook(n), headers: { ...h0, authorization: `Bearer ${fakeToken}`, 'x-signature': symmetricSignature(SECRET_KEY.slice(1), 'POST', n.path, fakeToken, n.rawBody, h0['x-timestamp']) } };
    const v1 = await h.gateway.verifyWebhook(withFakeToken);
    assert.deepEqual([v1.ok, !v1.ok && v1.status], [false, 401]);
    const tampered = { ...asWebhook(n), rawBody: Buffer.from(n.rawBody.toString().replace(/"value":"[\d.]+"/, '"value":"1.00"')) };
    assert.equal((await h.gateway.verifyWebhook(tampered)).ok, false);
  });

  test("pesan's token endpoint refuses a token request not signed with DOKU's key", async () => {
    const timestamp = jakartaIso(new Date());
    const res = await fetch(`${h.receiver.url}/webhooks/doku/authorization/v1/access-token/b2b`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-client-key': CLIENT_ID, 'x-timestamp': timestamp, 'x-signature': signTokenRequest(keys.merchantPrivateKey, CLIENT_ID, timestamp) },
      body: JSON.stringify({ grantType: 'client_credentials' }),
    });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).responseCode, '4017300');
  });

  test('a retried VA create answers with the same account (idempotent on the reference)', async () => {
    const input = chargeInput('dk', { method: 'va', bank: 'permata' });
    const first = await h.gateway.createCharge(input);
    const again = await h.gateway.createCharge(input);
    assert.equal(again.vaNumber, first.vaNumber);
    await assert.rejects(h.gateway.createCharge({ ...input, amount: input.amount + 1000 }), /another amount/);
  });

  const account = (body: object) =>
    fetch(`${h.simBaseUrl}/_sim/account`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => assert.equal(r.status, 200));
  const simCharges = async () => ((await (await fetch(`${h.simBaseUrl}/_sim/charges`)).json()) as { charges: any[] }).charges;

  test('where DOKU makes the VA number, the customer is shown DOKU\'s number, and status and cancel use it', async () => {
    await account({ va_number_by: 'doku' });
    try {
      const input = chargeInput('dkn', { method: 'va', bank: 'bni' });
      const charge = await h.gateway.createCharge(input);
      const held = (await simCharges()).find((c) => c.reference === input.reference);
      assert.equal(charge.vaNumber, held.virtual_account_no);
      assert.notEqual(charge.vaNumber, `88899${dokuCustomerNo(input.reference)}`, 'not the locally derived number');
      const ref = { reference: input.reference, externalId: charge.externalId, method: 'va' as const, bank: 'bni' as const, raw: charge.raw };
      assert.equal((await h.gateway.getStatus(ref)).status, 'pending');
      await h.gateway.cancel(ref); // delete-va with additionalInfo.channel, or the simulator refuses it
      assert.equal((await h.gateway.getStatus(ref)).status, 'cancelled');
    } finally {
      await account({ va_number_by: 'merchant' });
    }
  });

  test('answers without optional fields (no referenceNo, unpadded partnerServiceId) still make charges', async () => {
    await account({ minimal: true });
    try {
      const qrIn = chargeInput('dkm');
      const qr = await h.gateway.createCharge(qrIn);
      assert.match(qr.qrString ?? '', /^000201/);
      assert.equal((await h.gateway.getStatus({ reference: qrIn.reference, externalId: qr.externalId, method: 'qris', raw: qr.raw })).status, 'pending');
      const vaIn = chargeInput('dkm', { method: 'va', bank: 'bca' });
      const va = await h.gateway.createCharge(vaIn);
      assert.equal(va.vaNumber, `88899${dokuCustomerNo(vaIn.reference)}`);
      assert.equal((await h.gateway.getStatus({ reference: vaIn.reference, externalId: va.externalId, method: 'va', bank: 'bca', raw: va.raw })).status, 'pending');
    } finally {
      await account({ minimal: false });
    }
  });

  test('the QR carries the configured terminal id', async () => {
    const input = chargeInput('dkt');
    const charge = await h.gateway.createCharge(input);
    assert.ok(charge.qrString!.includes('K45'), 'terminal id in the QRIS payload');
  });

  test("DOKU's upper-case QRIS notification (WORDS, TRANSACTIONID, …) names the charge; its content is not trusted", async () => {
    await account({ qris_notify: 'params' });
    try {
      const input = chargeInput('dkw');
      await h.gateway.createCharge(input);
      const res = await fetch(`${h.simBaseUrl}/_sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference: input.reference }) });
      assert.equal(res.status, 200);
      const n = await h.receiver.waitFor((r) => r.rawBody.toString().includes(`TRANSACTIONID=${encodeURIComponent(input.reference)}`));
      const params = Object.fromEntries(new URLSearchParams(n.rawBody.toString()));
      assert.match(params.WORDS, /^[0-9a-f]{40}$/);
      const verdict = await h.gateway.verifyWebhook({ rawBody: Buffer.alloc(0), headers: n.headers, path: n.path, params });
      assert.ok(verdict.ok, JSON.stringify(verdict));
      assert.deepEqual([verdict.events[0].reference, verdict.events[0].status], [input.reference, 'unknown']);
      // the domain then asks DOKU, which says paid
      assert.equal((await h.gateway.getStatus({ reference: input.reference, method: 'qris' })).status, 'paid');
      const noWords = await h.gateway.verifyWebhook({ rawBody: Buffer.alloc(0), headers: {}, path: n.path, params: { ...params, WORDS: 'x' } });
      assert.equal(noWords.ok, false);
    } finally {
      await account({ qris_notify: 'json' });
    }
  });

  test('a VA notification signed hex-encoded, or over the path relative to the notification base, verifies', async () => {
    const { n } = await paidVa();
    const hd = n.headers as Record<string, string>;
    const token = hd.authorization.slice(7);
    const b64 = symmetricSignature(SECRET_KEY, 'POST', '/v1/transfer-va/payment', token, n.rawBody, hd['x-timestamp']);
    const hex = Buffer.from(symmetricSignature(SECRET_KEY, 'POST', n.path, token, n.rawBody, hd['x-timestamp']), 'base64').toString('hex');
    for (const sig of [b64, hex]) {
      const v = await h.gateway.verifyWebhook({ ...asWebhook(n), headers: { ...hd, 'x-signature': sig } });
      assert.ok(v.ok, sig);
    }
  });
});
