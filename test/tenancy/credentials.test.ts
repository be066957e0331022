// A merchant's own gateway and courier credentials: set through PATCH /api/v1/settings, sealed in
// the database, never answered or logged; a gateway or courier webhook is verified with the secret
// of the merchant whose charge or booking it names.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { DB_KINDS } from '../helpers/db.js';
import { midtransSignature } from '../../src/payments/midtrans/signature.js';
import { dumpDatabase, startTenancy, type Tenancy } from './harness.js';

const B_SERVER_KEY = 'SB-Mid-server-merchantB-0c3f1e9a';
const B_GOSEND_TOKEN = 'gosend-webhook-token-of-b-5e2d';
const B_GOSEND_PASS = 'gosend-pass-key-of-b-77f0';
const ENV_SERVER_KEY = 'SB-Mid-server-sandbox-key';

function midtransNotification(orderId: string, grossAmount: string, serverKey: string, transactionId: string) {
  return {
    order_id: orderId,
    status_code: '200',
    gross_amount: grossAmount,
    signature_key: midtransSignature(orderId, '200', grossAmount, serverKey),
    transaction_status: 'settlement',
    transaction_id: transactionId,
    payment_type: 'qris',
    currency: 'IDR',
    settlement_time: '2026-12-03 13:00:00',
  };
}

for (const kind of DB_KINDS) {
  describe(`per-merchant provider credentials (${kind})`, () => {
    let t: Tenancy;
    let keyB: string;
    // B's own Midtrans account: answers the status of B's charge, only to B's server key.
    let midtransB: Server;
    let midtransBUrl: string;
    const statusCalls: string[] = [];
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${t.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: res.status, text: await res.text() };
    };

    before(async () => {
      midtransB = createServer((req, res) => {
        statusCalls.push(`${req.method} ${req.url}`);
        const ok = req.headers.authorization === `Basic ${Buffer.from(`${B_SERVER_KEY}:`).toString('base64')}`;
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { ...midtransNotification('ORD-B1-1', '25000.00', B_SERVER_KEY, 'tx-b'), status_message: 'Success' } : { status_code: '401', status_message: 'Unauthorized' }));
      });
      await new Promise<void>((r) => midtransB.listen(0, '127.0.0.1', () => r()));
      midtransBUrl = `http://127.0.0.1:${(midtransB.address() as { port: number }).port}`;
      t = await startTenancy(kind);
      const created = await t.platform('POST', '/api/v1/platform/merchants', { id: 'toko-b', name: 'Toko B', address: 'Jl. B', lat: -6.2, lng: 106.8, phone: '6281300000002' });
      assert.equal(created.status, 201, created.text);
      keyB = created.body.api_key;
      // One order of B's with a charge at Midtrans, and one delivery at GoSend (as the jobs would have made them).
      await t.db.query(`INSERT INTO customers (merchant_id, wa_id, name) VALUES ('toko-b', '6281377770007', 'Rina')`);
      const c = await t.db.one<{ id: number }>(`SELECT id FROM customers WHERE merchant_id = 'toko-b'`);
      await t.db.query(`INSERT INTO orders (id, merchant_id, customer_id, catalog_id, status, subtotal, total) VALUES ('ORD-B1', 'toko-b', $1, 'toko-b:internal', 'awaiting_payment', 25000, 25000)`, [c!.id]);
      await t.db.query(`INSERT INTO payments (order_id, merchant_id, gateway, method, amount, reference, status, expires_at) VALUES ('ORD-B1', 'toko-b', 'midtrans', 'qris', 25000, 'ORD-B1-1', 'pending', now() + interval '30 minutes')`);
      await t.db.query(`INSERT INTO deliveries (order_id, courier, status, external_id) VALUES ('ORD-B1', 'gosend', 'finding_driver', 'GK-B-001')`);
    });
    after(async () => {
      await t?.close();
      midtransB?.close();
    });

    it('stores the credentials sealed and answers only that they are configured', async () => {
      const bad = await t.call(keyB, 'PATCH', '/api/v1/settings', { midtrans: { server_key: B_SERVER_KEY } });
      assert.equal(bad.status, 400, 'env is required');
      const r = await t.call(keyB, 'PATCH', '/api/v1/settings', {
        midtrans: { server_key: B_SERVER_KEY, env: 'sandbox', base_url: midtransBUrl },
        gosend: { client_id: 'b-client', pass_key: B_GOSEND_PASS, webhook_token: B_GOSEND_TOKEN, env: 'sandbox' },
        qris_gateway: 'midtrans',
      });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.credentials.midtrans, { configured: true, env: 'sandbox' });
      assert.deepEqual(r.body.credentials.gosend, { configured: true, env: 'sandbox' });
      assert.deepEqual(r.body.credentials.xendit, { configured: false });
      const got = await t.call(keyB, 'GET', '/api/v1/settings');
      const a = await t.admin('GET', '/api/v1/settings');
      assert.deepEqual(a.body.credentials.midtrans, { configured: false }, "B's credentials are not A's");
      for (const s of [B_SERVER_KEY, B_GOSEND_TOKEN, B_GOSEND_PASS]) {
        assert.ok(!r.text.includes(s) && !got.text.includes(s) && !a.text.includes(s), 'never answered');
      }
      const row = await t.db.one<{ credentials: Record<string, string> }>(`SELECT credentials FROM merchants WHERE id = 'toko-b'`);
      assert.match(row!.credentials.midtrans, /^s1\.[0-9a-f]{8}\./, 'sealed with a key id');
    });

    it("verifies a Midtrans notification with the key of the charge's merchant", async () => {
      const count = async () => Number((await t.db.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM webhook_events WHERE provider = 'midtrans'`))!.n);
      const n0 = await count();
      const withEnvKey = await post('/webhooks/midtrans', midtransNotification('ORD-B1-1', '25000.00', ENV_SERVER_KEY, 'tx-env'));
      assert.equal(withEnvKey.status, 401, "the environment's (merchant A's) key does not speak for B's charge");
      const wrong = await post('/webhooks/midtrans', midtransNotification('ORD-B1-1', '25000.00', 'SB-Mid-server-wrong', 'tx-wrong'));
      assert.equal(wrong.status, 401);
      assert.equal(await count(), n0, 'nothing stored');
      const ok = await post('/webhooks/midtrans', midtransNotification('ORD-B1-1', '25000.00', B_SERVER_KEY, 'tx-b'));
      assert.equal(ok.status, 200, ok.text);
      const ev = await t.db.one<{ m: string }>(`SELECT payload->>'merchant_id' AS m FROM webhook_events WHERE provider = 'midtrans' ORDER BY id DESC LIMIT 1`);
      assert.equal(ev?.m, 'toko-b');
      // The job then runs with B's gateways (it asks B's Midtrans account, with B's key): the charge is paid.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const p = await t.db.one<{ status: string }>(`SELECT status FROM payments WHERE reference = 'ORD-B1-1'`);
        if (p?.status === 'paid') break;
        if (Date.now() > deadline) assert.fail(`payment still ${p?.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(statusCalls.some((c) => c.includes('/v2/ORD-B1-1/status')), "B's own Midtrans was asked");
    });

    it("a merchant's own notification URL tries only that merchant's account", async () => {
      await t.db.query(`INSERT INTO payments (order_id, merchant_id, gateway, method, amount, reference, status, expires_at) VALUES ('ORD-B1', 'toko-b', 'midtrans', 'qris', 25000, 'ORD-B1-2', 'cancelled', now())`);
      const body = (key: string) => midtransNotification('ORD-B1-2', '25000.00', key, 'tx-b-2');
      assert.equal((await post('/webhooks/midtrans/m/toko-b', body(ENV_SERVER_KEY))).status, 401);
      assert.equal((await post('/webhooks/midtrans/m/default', body(B_SERVER_KEY))).status, 401, "the default merchant's path does not take B's key");
      assert.equal((await post('/webhooks/midtrans/m/default', body(ENV_SERVER_KEY))).status, 401, "nor B's charge signed with the default merchant's key");
      assert.equal((await post('/webhooks/midtrans/m/nobody', body(B_SERVER_KEY))).status, 404);
      assert.equal((await post('/webhooks/midtrans/m/toko-b', body(B_SERVER_KEY))).status, 200);
    });

    it("verifies a GoSend update with the token of the booking's merchant", async () => {
      const body = { booking_id: 'GK-B-001', status: 'confirmed', event_id: 'ev-b-1', driver_name: 'Agus', driver_phone: '0812000' };
      assert.equal((await post('/webhooks/gosend', body, { 'x-callback-token': 'sandbox-gosend-webhook-token' })).status, 401, "the environment's token is not B's");
      assert.equal((await post('/webhooks/gosend', body, { 'x-callback-token': 'nope' })).status, 401);
      assert.equal((await post('/webhooks/gosend/m/default', body, { 'x-callback-token': B_GOSEND_TOKEN })).status, 401);
      assert.equal((await post('/webhooks/gosend', body, { 'x-callback-token': B_GOSEND_TOKEN })).status, 200);
      assert.equal((await post('/webhooks/gosend/m/toko-b', { ...body, event_id: 'ev-b-2', status: 'picked_up' }, { 'x-callback-token': B_GOSEND_TOKEN })).status, 200);
    });

    it('no credential in a log line or in plain text in the database', async () => {
      const logs = t.logs.join('');
      const dump = await dumpDatabase(t.db);
      for (const s of [B_SERVER_KEY, B_GOSEND_TOKEN, B_GOSEND_PASS, keyB]) {
        assert.ok(!logs.includes(s), 'a log line shows a credential');
        assert.ok(!dump.includes(s), 'the database holds a credential in plain text');
      }
      // Removing one: null.
      const r = await t.call(keyB, 'PATCH', '/api/v1/settings', { gosend: null, couriers: ['manual'] });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.credentials.gosend, { configured: false });
    });
  });
}
