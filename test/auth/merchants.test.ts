// Staff of two merchants on one deployment: a login acts for its own merchant only, a merchant key
// manages only its own staff, and a deactivated merchant's staff are logged out.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPesan, type Pesan } from '../helpers/pesan.js';
import { DB_KINDS } from '../helpers/db.js';
import { addUser, staffClient } from './session-client.js';

const PLATFORM = 'test-platform-key-staff';

for (const kind of DB_KINDS) describe(`staff of two merchants (${kind})`, () => {
  let p: Pesan;
  let keyB: string;
  const asB = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${p.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${keyB}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  };
  before(async () => {
    p = await startPesan({ db: kind, env: { PLATFORM_API_KEY: PLATFORM } });
    const res = await fetch(`${p.base}/api/v1/platform/merchants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PLATFORM}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'toko-b', name: 'Toko B', address: 'Jl. B 2', lat: -6.2, lng: 106.8, phone: '6281300000002' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    keyB = ((await res.json()) as { api_key: string }).api_key;
  });
  after(async () => {
    await p.stop();
    await p.dropDb();
  });

  it('keeps logins, staff lists and the audit log per merchant', async () => {
    const a = await addUser(p, 'staff', 'Staff A');
    const created = await asB('POST', '/api/v1/staff', { email: 'owner@toko-b.test', name: 'Bu B', role: 'owner', password: 'toko-b-owner-pw' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.user.merchant_id, 'toko-b');

    const b = staffClient(p);
    const login = await b.login('owner@toko-b.test', 'toko-b-owner-pw');
    assert.equal(login.status, 200);
    assert.deepEqual([login.body.user.merchant_id, login.body.user.merchant_name], ['toko-b', 'Toko B']);
    assert.equal((await b.call('PATCH', '/api/v1/settings', { manual_delivery_fee: 9000 })).status, 200);

    // B sees only B: its staff, its products, its audit entries; A's user is not there to change.
    const staff = await b.call('GET', '/api/v1/staff');
    assert.deepEqual(staff.body.staff.map((s: any) => s.email), ['owner@toko-b.test']);
    assert.equal((await b.call('PATCH', `/api/v1/staff/${a.id}`, { password: 'taken-over-pw' })).status, 404);
    assert.equal((await asB('DELETE', `/api/v1/staff/${a.id}`)).status, 404);
    assert.equal((await staffClient(p).login(a.email, a.password)).status, 200, "A's user unchanged");
    const productsA = (await p.api('GET', '/api/v1/products')).body.products.map((x: any) => x.sku);
    const productsB = (await b.call('GET', '/api/v1/products')).body.products.map((x: any) => x.sku);
    assert.ok(productsA.length > 0);
    assert.ok(!productsB.some((s: string) => productsA.includes(s)), "A's products are not in B's list");
    const auditB = (await b.call('GET', '/api/v1/audit')).body.entries;
    assert.ok(auditB.some((e: any) => e.action === 'settings changed' && e.actor === 'Bu B'));
    assert.ok(auditB.every((e: any) => e.actor !== 'Staff A'));
    const auditA = (await p.api('GET', '/api/v1/audit')).body.entries;
    assert.ok(auditA.every((e: any) => e.actor !== 'Bu B'), "B's entries are not in A's log");
    assert.ok(auditA.some((e: any) => e.action === 'login' && e.actor === 'Staff A'));

    // The platform deactivates B: its staff are logged out and cannot log in.
    const off = await fetch(`${p.base}/api/v1/platform/merchants/toko-b`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${PLATFORM}`, 'content-type': 'application/json' },
      body: JSON.stringify({ active: false }),
    });
    assert.equal(off.status, 200);
    assert.equal((await b.call('GET', '/api/v1/auth/me')).status, 401);
    assert.equal((await b.login('owner@toko-b.test', 'toko-b-owner-pw')).status, 403);
  });
});
