// Two merchants on one deployment (the env-configured default merchant A, and B created through the
// platform API on its own number of another Meta app): each merchant's key acts on its own rows
// only, inbound WhatsApp is routed by number and checked with the owner's app secret, replies go
// out from the customer's number with its owner's token, and no credential is ever shown.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KINDS } from '../helpers/db.js';
import { textOf } from '../helpers/pesan.js';
import { dumpDatabase, NUMBER_A, SECRET_A, startTenancy, textWebhook, type Tenancy } from './harness.js';

const NUMBER_B = '100000000000777';
const TOKEN_B = 'EAAB-token-of-merchant-b-3f9a7c';
const SECRET_B = 'app-secret-of-merchant-b-81d2e0';
const VERIFY_B = 'verify-token-of-merchant-b-77aa';

for (const kind of DB_KINDS) {
  describe(`two merchants on one deployment (${kind})`, () => {
    let t: Tenancy;
    let keyB: string;
    const a = () => t.customer('6281311110001', NUMBER_A);
    const b = () => t.customer('6281322220002', NUMBER_B);
    let orderA: string;
    let mediaA: number;

    before(async () => {
      t = await startTenancy(kind);
    });
    after(() => t?.close());

    it('the platform API needs PLATFORM_API_KEY, and a merchant is created with its number; the key is shown once', async () => {
      assert.equal((await t.call('', 'GET', '/api/v1/platform/merchants')).status, 401);
      assert.equal((await t.admin('GET', '/api/v1/platform/merchants')).status, 401, 'the admin key is not the platform key');
      const bad = await t.platform('POST', '/api/v1/platform/merchants', { name: '' });
      assert.equal(bad.status, 400);
      const created = await t.platform('POST', '/api/v1/platform/merchants', {
        id: 'warung-b',
        name: 'Warung Makan Bu Sri',
        address: 'Jl. Tebet Raya 5, Jakarta',
        lat: -6.23,
        lng: 106.85,
        phone: '6281399990000',
        whatsapp: { phone_number_id: NUMBER_B, access_token: TOKEN_B, app_secret: SECRET_B, verify_token: VERIFY_B },
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.id, 'warung-b');
      assert.match(created.body.api_key, /^psk_[A-Za-z0-9_-]{43}$/);
      keyB = created.body.api_key;
      assert.equal((await t.platform('POST', '/api/v1/platform/merchants', { id: 'warung-b', name: 'again' })).status, 409);
      const taken = await t.platform('POST', '/api/v1/platform/merchants', { name: 'Other', whatsapp: { phone_number_id: NUMBER_B, access_token: 'x', app_secret: 'y' } });
      assert.equal(taken.status, 409, 'a number belongs to one merchant');
      const list = await t.platform('GET', '/api/v1/platform/merchants');
      assert.equal(list.status, 200);
      const ids = list.body.merchants.map((m: any) => m.id);
      assert.deepEqual(ids.sort(), ['default', 'warung', 'warung-b'], 'the env merchant, the sandbox food stall and B');
      const mb = list.body.merchants.find((m: any) => m.id === 'warung-b');
      assert.deepEqual(mb.numbers.map((n: any) => [n.phone_number_id, n.access_token.configured, n.app_secret.configured]), [[NUMBER_B, true, true]]);
      assert.equal(mb.api_keys.length, 1);
      for (const s of [TOKEN_B, SECRET_B, VERIFY_B, keyB]) assert.ok(!list.text.includes(s), 'no credential in the list');
      // The number joins the simulated Meta as another app's number.
      const res = await fetch(`${t.base}/sandbox/meta/_sim/numbers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone_number_id: NUMBER_B, app_secret: SECRET_B, access_token: TOKEN_B }),
      });
      assert.equal(res.status, 200);
      // B fills its own catalog with its own key.
      const put = await t.call(keyB, 'PUT', '/api/v1/products', [
        { sku: 'NSG-01', name: 'Nasi Goreng Spesial', price: 18000, stock: 40, category: 'Makanan', aliases: ['nasi goreng', 'nasgor'] },
        { sku: 'ESTEH', name: 'Es Teh Manis', price: 5000, stock: 100, category: 'Minuman', aliases: ['es teh'] },
      ]);
      assert.equal(put.status, 200, put.text);
    });

    it("answers A's customer from A's number with A's catalog, and B's customer from B's number with B's", async () => {
      const ca = a();
      assert.equal(await ca.say('paracetamol 2'), 200);
      const ma = await ca.waitFor((_m, x) => x.includes('Subtotal'), "A's cart");
      assert.equal(ma.phone_number_id, NUMBER_A, "sent from A's number (the simulator checks A's token for it)");
      assert.match(textOf(ma), /Paracetamol/);
      await ca.mark();
      const cb = b();
      assert.equal(await cb.say('nasi goreng 2'), 200);
      const mb = await cb.waitFor((_m, x) => x.includes('Subtotal'), "B's cart");
      assert.equal(mb.phone_number_id, NUMBER_B, "sent from B's number with B's token");
      assert.match(textOf(mb), /Nasi Goreng Spesial/);
      await cb.mark();
      assert.equal(await cb.say('paracetamol'), 200);
      const nope = await cb.waitFor(() => true, 'an answer');
      assert.equal(nope.phone_number_id, NUMBER_B);
      assert.doesNotMatch(textOf(nope), /Paracetamol 500mg/, "A's products are not B's");
      // Nothing of B's went out from A's number, and nothing of A's from B's.
      const outbox = (await (await fetch(`${t.base}/sandbox/meta/_sim/outbox`)).json()) as { messages: any[] };
      for (const m of outbox.messages) {
        if (m.message.to === ca.waId) assert.equal(m.phone_number_id, NUMBER_A);
        if (m.message.to === cb.waId) assert.equal(m.phone_number_id, NUMBER_B);
      }
      // A's confirmed order, and a stored picture of A's, for the cross-merchant calls below.
      await ca.mark();
      await ca.say('ok');
      await ca.waitFor((m) => m.message.interactive?.type === 'location_request_message' || /lokasi/i.test(textOf(m)), 'the location request');
      await new Promise((r) => setTimeout(r, 300));
      const orders = await t.admin('GET', '/api/v1/orders');
      orderA = orders.body.orders.find((o: any) => o.customer.wa_id === ca.waId)?.id;
      assert.ok(orderA, "A's order");
      const m = await t.db.one<{ id: number }>(`INSERT INTO media (merchant_id, kind, mime_type, data) VALUES ('default', 'prescription', 'image/png', $1) RETURNING id`, [Buffer.from('png')]);
      mediaA = Number(m!.id);
      assert.equal((await t.admin('GET', `/api/v1/media/${mediaA}`)).status, 200);
    });

    it("with B's key, every /api/v1 route on A's ids answers 404 or 403 and changes nothing", async () => {
      const waA = a().waId;
      const before = {
        order: (await t.admin('GET', `/api/v1/orders/${orderA}`)).body,
        products: (await t.admin('GET', '/api/v1/products')).body,
        catalogs: (await t.admin('GET', '/api/v1/catalogs')).body,
        settings: (await t.admin('GET', '/api/v1/settings')).body,
        inbox: (await t.admin('GET', '/api/v1/inbox')).body.conversations.map((c: any) => [c.wa_id, c.human_handover]),
        staff: undefined as unknown,
      };
      // A staff login of A's, for the staff routes.
      const staffA = await t.admin('POST', '/api/v1/staff', { email: 'dewi@apotek.example', name: 'Dewi', role: 'pharmacist', password: 'apoteker-rahasia-123' });
      assert.equal(staffA.status, 201, staffA.text);
      const staffId = String(staffA.body.user.id);
      before.staff = (await t.admin('GET', '/api/v1/staff')).body;
      const calls: [string, string, unknown?][] = [
        ['PATCH', `/api/v1/staff/${staffId}`, { role: 'owner' }],
        ['DELETE', `/api/v1/staff/${staffId}`],
        ['GET', `/api/v1/orders/${orderA}`],
        ['POST', `/api/v1/orders/${orderA}/cancel`, { reason: 'x' }],
        ['POST', `/api/v1/orders/${orderA}/dispatch`, { provider: 'other', driver_name: 'Joko', driver_phone: '0812345678' }],
        ['POST', `/api/v1/orders/${orderA}/delivery-status`, { status: 'delivered' }],
        ['POST', `/api/v1/orders/${orderA}/prescription`, { decision: 'approve' }],
        ['POST', `/api/v1/orders/${orderA}/refund`, { reason: 'x', bank_reference: 'TRF1' }],
        ['PATCH', '/api/v1/products/OBT-PCT500', { price: 1 }],
        ['DELETE', '/api/v1/products/OBT-PCT500'],
        ['POST', '/api/v1/products/OBT-PCT500/picture', {}],
        ['DELETE', '/api/v1/products/OBT-PCT500/picture'],
        ['GET', `/api/v1/conversations/${waA}`],
        ['GET', `/api/v1/inbox/${waA}/messages`],
        ['POST', `/api/v1/inbox/${waA}/messages`, { text: 'halo dari B' }],
        ['POST', `/api/v1/inbox/${waA}/handover`, { active: true }],
        ['GET', `/api/v1/media/${mediaA}`],
        ['GET', '/api/v1/products/export?catalog=default:internal'],
        ['POST', '/api/v1/products/import?catalog=default:internal', { csv: 'sku,name,price,stock\nOBT-PCT500,Hijacked,1,1\n' }],
        ['GET', '/api/v1/products/search?q=paracetamol&catalog=default:internal'],
        ['POST', '/api/v1/catalogs', { id: 'default:internal', kind: 'internal', name: 'Hijacked' }],
        ['POST', '/api/v1/catalogs', { id: 'default:apotek', kind: 'rest', name: 'Hijacked', url: 'http://127.0.0.1:1/x' }],
      ];
      const covered = new Set<string>();
      for (const [method, path, body] of calls) {
        const r = await t.call(keyB, method, path, body);
        assert.ok([403, 404].includes(r.status), `${method} ${path} answered ${r.status}: ${r.text}`);
        // (an error may repeat the id it was asked about, nothing more)
        assert.ok(!r.text.includes('Paracetamol') && !r.text.includes('Pelanggan') && !r.text.includes(NUMBER_A), `${method} ${path} shows none of A's data: ${r.text}`);
        const names: Record<string, string> = { [orderA]: '{id}', [waA]: '{waId}', [String(mediaA)]: '{id}', [staffId]: '{id}', 'OBT-PCT500': '{sku}' };
        covered.add(`${method.toLowerCase()} ${path.split('?')[0].split('/').map((seg) => names[seg] ?? seg).join('/')}`);
      }
      // Every route with an id in its path is in the list above (a new one must be added here).
      const doc = (await (await fetch(`${t.base}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      for (const [path, methods] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/v1/') || path.startsWith('/api/v1/platform') || !path.includes('{')) continue;
        if (path.startsWith('/api/v1/auth')) continue; // the login itself: test/auth
        for (const m of Object.keys(methods)) {
          const key = `${m} ${path}`.replace(/\{[A-Za-z_]+\}/g, (p) => (p === '{waId}' ? '{waId}' : p === '{sku}' ? '{sku}' : '{id}'));
          assert.ok(covered.has(key), `route ${key} is covered by the isolation test`);
        }
      }
      const afterState = {
        order: (await t.admin('GET', `/api/v1/orders/${orderA}`)).body,
        products: (await t.admin('GET', '/api/v1/products')).body,
        catalogs: (await t.admin('GET', '/api/v1/catalogs')).body,
        settings: (await t.admin('GET', '/api/v1/settings')).body,
        inbox: (await t.admin('GET', '/api/v1/inbox')).body.conversations.map((c: any) => [c.wa_id, c.human_handover]),
        staff: (await t.admin('GET', '/api/v1/staff')).body,
      };
      for (const k of Object.keys(before) as (keyof typeof before)[]) assert.deepEqual(afterState[k], before[k], `A's ${k} unchanged`);
      assert.deepEqual(afterState, before, "A's order, products, catalogs, settings and conversations are unchanged");
      const staffReplies = await t.db.query(`SELECT 1 FROM outbound_messages WHERE payload->>'text' = 'halo dari B'`);
      assert.equal(staffReplies.length, 0);
    });

    it("B's lists never contain A's rows, and B's settings are B's own", async () => {
      const waA = a().waId;
      const lists = ['/api/v1/staff', '/api/v1/audit', '/api/v1/orders', '/api/v1/products', '/api/v1/catalogs', '/api/v1/inbox', '/api/v1/refunds?status=pending', '/api/v1/refunds?status=done', '/api/v1/dashboard/attention', '/api/v1/dashboard/today', '/api/v1/products/export'];
      for (const path of lists) {
        const r = await t.call(keyB, 'GET', path);
        assert.equal(r.status, 200, `${path}: ${r.text}`);
        assert.ok(!r.text.includes(waA) && !r.text.includes(orderA) && !r.text.includes('OBT-') && !r.text.includes('default:'), `${path} shows none of A's rows`);
      }
      const catalogs = (await t.call(keyB, 'GET', '/api/v1/catalogs')).body.catalogs;
      assert.deepEqual(catalogs.map((c: any) => c.id), ['warung-b:internal']);
      const inbox = (await t.call(keyB, 'GET', '/api/v1/inbox')).body.conversations;
      assert.deepEqual(inbox.map((c: any) => c.wa_id), [b().waId]);
      const patched = await t.call(keyB, 'PATCH', '/api/v1/settings', { opening_hours: 'Setiap hari 10.00–21.00', manual_delivery_fee: 8000 });
      assert.equal(patched.status, 200, patched.text);
      const sa = (await t.admin('GET', '/api/v1/settings')).body;
      assert.notEqual(sa.opening_hours, 'Setiap hari 10.00–21.00');
      assert.equal(sa.manual_delivery_fee, 15000);
    });

    it("a webhook for A's number signed with B's app secret is refused, and the other way round", async () => {
      const count = async () => Number((await t.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM inbound_messages'))!.n);
      const n0 = await count();
      assert.equal(await t.webhook(textWebhook(NUMBER_A, '6281355550005', 'halo'), SECRET_B), 401);
      assert.equal(await t.webhook(textWebhook(NUMBER_B, '6281355550005', 'halo'), SECRET_A), 401);
      assert.equal(await count(), n0, 'nothing stored');
      assert.equal(await t.webhook(textWebhook(NUMBER_B, '6281355550006', 'halo'), SECRET_B), 200);
      assert.equal(await count(), n0 + 1);
      const row = await t.db.one<{ merchant_id: string }>(`SELECT merchant_id FROM inbound_messages WHERE from_wa_id = '6281355550006'`);
      assert.equal(row?.merchant_id, 'warung-b');
      // Meta's verification handshake with B's verify token.
      const hs = await fetch(`${t.base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_B}&hub.challenge=c123`);
      assert.equal(await hs.text(), 'c123');
      const wrong = await fetch(`${t.base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=c123`);
      assert.equal(wrong.status, 403);
    });

    it('API keys: another is issued, one is revoked; a deactivated merchant is acknowledged and ignored', async () => {
      const second = await t.platform('POST', '/api/v1/platform/merchants/warung-b/api-keys', { label: 'kasir' });
      assert.equal(second.status, 201);
      assert.equal((await t.call(second.body.api_key, 'GET', '/api/v1/orders')).status, 200);
      assert.equal((await t.platform('DELETE', `/api/v1/platform/merchants/default/api-keys/${second.body.id}`)).status, 404, "a key is revoked through its own merchant");
      assert.equal((await t.platform('DELETE', `/api/v1/platform/merchants/warung-b/api-keys/${second.body.id}`)).status, 200);
      assert.equal((await t.call(second.body.api_key, 'GET', '/api/v1/orders')).status, 401, 'a revoked key no longer works');
      assert.equal((await t.call(keyB, 'GET', '/api/v1/orders')).status, 200, 'the other key still does');
      assert.equal((await t.platform('POST', '/api/v1/platform/merchants/nobody/api-keys', {})).status, 404);

      const off = await t.platform('PATCH', '/api/v1/platform/merchants/warung-b', { active: false });
      assert.equal(off.status, 200);
      assert.equal(off.body.merchant.active, false);
      const count = async () => Number((await t.db.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM inbound_messages WHERE merchant_id = 'warung-b'`))!.n);
      const n0 = await count();
      const cb = b();
      await cb.mark();
      assert.equal(await cb.say('menu'), 200, 'acknowledged');
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(await count(), n0, 'and ignored');
      assert.equal((await cb.messages()).filter((m) => m.direction === 'out').length, (await cb.messages()).filter((m) => m.direction === 'out').length);
      assert.equal((await t.call(keyB, 'GET', '/api/v1/orders')).status, 401, "a deactivated merchant's key does not work");
      assert.equal((await t.platform('PATCH', '/api/v1/platform/merchants/warung-b', { active: true })).status, 200);
      assert.equal((await t.call(keyB, 'GET', '/api/v1/orders')).status, 200);
      await cb.mark();
      assert.equal(await cb.say('menu'), 200);
      const back = await cb.waitFor(() => true, 'answered again');
      assert.equal(back.phone_number_id, NUMBER_B);
    });

    it('no credential appears in any API answer, log line, or in plain text in the database', async () => {
      const secrets = [TOKEN_B, SECRET_B, VERIFY_B, keyB, 'test-pesan-secret-key-for-sealing', 'apoteker-rahasia-123'];
      const answers = [
        await t.platform('GET', '/api/v1/platform/merchants'),
        await t.platform('GET', '/api/v1/platform/merchants/warung-b'),
        await t.platform('PATCH', '/api/v1/platform/merchants/warung-b', { whatsapp: { phone_number_id: NUMBER_B, access_token: TOKEN_B } }),
        await t.call(keyB, 'GET', '/api/v1/settings'),
      ];
      for (const r of answers) for (const s of secrets) assert.ok(!r.text.includes(s), `an answer shows a credential: ${r.text.slice(0, 200)}`);
      const logs = t.logs.join('');
      assert.ok(logs.length > 0, 'logs were captured');
      for (const s of secrets) assert.ok(!logs.includes(s), 'a log line shows a credential');
      const dump = await dumpDatabase(t.db);
      assert.ok(dump.includes('warung-b'), 'the dump has the rows');
      for (const s of secrets) assert.ok(!dump.includes(s), 'the database holds a credential in plain text');
    });
  });
}
