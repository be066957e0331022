// Roles on the real app: each role gets 403 on what it may not do (and gets past the guard on what
// it may), staff management is the owner's, and changes are on the audit log and the order timeline.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import { startPesan, type Pesan } from '../helpers/pesan.js';
import { addUser, staffClient, type StaffClient } from './session-client.js';
import type { Role } from '../../src/auth/types.js';

type Call = [method: string, path: string, body: unknown, allowed: Role[]];

// Bodies are chosen so that a call that passes the guard changes nothing (400/404/409).
const O = 'PSN-000000-NOPE0';
const CALLS: Call[] = [
  ['GET', '/api/v1/orders', undefined, ['owner', 'pharmacist', 'staff']],
  ['GET', '/api/v1/products', undefined, ['owner', 'pharmacist', 'staff']],
  ['GET', '/api/v1/dashboard/today', undefined, ['owner', 'pharmacist', 'staff']],
  ['POST', `/api/v1/orders/${O}/cancel`, {}, ['owner', 'pharmacist', 'staff']],
  ['POST', `/api/v1/orders/${O}/prescription`, { decision: 'approve' }, ['owner', 'pharmacist']],
  ['POST', `/api/v1/orders/${O}/dispatch`, { provider: 'other', driver_name: 'A', driver_phone: '08123456789' }, ['owner', 'staff']],
  ['POST', `/api/v1/orders/${O}/delivery-status`, { status: 'delivered' }, ['owner', 'staff']],
  ['GET', '/api/v1/inbox', undefined, ['owner', 'staff']],
  ['POST', '/api/v1/inbox/6280000000000/messages', {}, ['owner', 'staff']],
  ['PATCH', '/api/v1/products/NO-SUCH-SKU', { stock: 5 }, ['owner', 'staff']],
  ['PATCH', '/api/v1/products/NO-SUCH-SKU', { price: 1000 }, ['owner']],
  ['PUT', '/api/v1/products', [{}], ['owner']],
  ['DELETE', '/api/v1/products/NO-SUCH-SKU', undefined, ['owner']],
  ['POST', '/api/v1/catalogs', {}, ['owner']],
  ['PATCH', '/api/v1/settings', { no_such_setting: 1 }, ['owner']],
  ['POST', `/api/v1/orders/${O}/refund`, {}, ['owner']],
  ['GET', '/api/v1/staff', undefined, ['owner']],
  ['POST', '/api/v1/staff', {}, ['owner']],
  ['PATCH', '/api/v1/staff/999999', {}, ['owner']],
  ['DELETE', '/api/v1/staff/999999', undefined, ['owner']],
  ['GET', '/api/v1/audit', undefined, ['owner']],
];

describe('roles', () => {
  let p: Pesan;
  const clients = {} as Record<Role, StaffClient>;
  const users = {} as Record<Role, { email: string; password: string; id: number }>;
  before(async () => {
    p = await startPesan({ db: 'pglite' });
    const names: Record<Role, string> = { owner: 'Bu Rina', pharmacist: 'Dewi', staff: 'Sari' };
    for (const role of ['owner', 'pharmacist', 'staff'] as Role[]) {
      users[role] = await addUser(p, role, names[role]);
      clients[role] = staffClient(p);
      assert.equal((await clients[role].login(users[role].email, users[role].password)).status, 200);
    }
  });
  after(() => p.stop());

  it('gives each role 403 on what it may not do, and lets it past on what it may', async () => {
    const wrong: string[] = [];
    for (const [method, path, body, allowed] of CALLS) {
      for (const role of ['owner', 'pharmacist', 'staff'] as Role[]) {
        const r = await clients[role].call(method, path, body);
        const ok = allowed.includes(role);
        if (ok ? r.status === 403 || r.status === 401 : r.status !== 403) wrong.push(`${role} ${method} ${path} ${JSON.stringify(body)} → ${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
      }
      // A bearer key acts as owner.
      const k = await p.api(method, path, body);
      if (k.status === 403 || k.status === 401) wrong.push(`key ${method} ${path} → ${k.status}`);
    }
    assert.deepEqual(wrong, []);
    // Nothing changed on the way.
    assert.equal((await p.api('GET', '/api/v1/staff')).body.staff.length, 3);
  });

  it('lets staff change stock but not prices', async () => {
    const sku = (await p.api('GET', '/api/v1/products')).body.products[0].sku;
    const stock = await clients.staff.call('PATCH', `/api/v1/products/${sku}`, { stock: 42 });
    assert.equal(stock.status, 200, JSON.stringify(stock.body));
    assert.equal(stock.body.product.stock, 42);
    assert.equal((await clients.staff.call('PATCH', `/api/v1/products/${sku}`, { stock: 1, price: 1 })).status, 403);
    assert.equal((await clients.pharmacist.call('PATCH', `/api/v1/products/${sku}`, { stock: 1 })).status, 403);
  });

  it('lets the owner manage staff, keeping at least one owner', async () => {
    const owner = clients.owner;
    const created = await owner.call('POST', '/api/v1/staff', { email: 'Kasir@Toko.test', name: 'Kasir', role: 'staff', password: 'kasir-password-1' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.user.email, 'kasir@toko.test');
    assert.equal(created.body.user.password_hash, undefined);
    assert.equal((await owner.call('POST', '/api/v1/staff', { email: 'kasir@toko.test', role: 'staff', password: 'another-password' })).status, 409, 'emails are unique');
    assert.equal((await owner.call('POST', '/api/v1/staff', { email: 'x@toko.test', role: 'boss', password: 'another-password' })).status, 400);
    assert.equal((await owner.call('POST', '/api/v1/staff', { email: 'y@toko.test', role: 'staff', password: 'short' })).status, 400);
    const id = created.body.user.id;
    const kasir = staffClient(p);
    assert.equal((await kasir.login('kasir@toko.test', 'kasir-password-1')).status, 200);
    // Promotion takes effect on the live session.
    assert.equal((await kasir.call('GET', '/api/v1/staff')).status, 403);
    assert.equal((await owner.call('PATCH', `/api/v1/staff/${id}`, { role: 'owner' })).status, 200);
    assert.equal((await kasir.call('GET', '/api/v1/staff')).status, 200);
    // Switched off: the session ends and the login is refused.
    const off = await owner.call('PATCH', `/api/v1/staff/${id}`, { active: false });
    assert.equal(off.status, 200);
    assert.equal(off.body.user.active, false);
    assert.equal((await kasir.call('GET', '/api/v1/auth/me')).status, 401);
    assert.equal((await kasir.login('kasir@toko.test', 'kasir-password-1')).status, 403);
    // The last active owner cannot be demoted, switched off or deleted.
    assert.equal((await owner.call('PATCH', `/api/v1/staff/${users.owner.id}`, { role: 'staff' })).status, 409);
    assert.equal((await owner.call('PATCH', `/api/v1/staff/${users.owner.id}`, { active: false })).status, 409);
    assert.equal((await owner.call('DELETE', `/api/v1/staff/${users.owner.id}`)).status, 409);
    assert.equal((await owner.call('DELETE', `/api/v1/staff/${id}`)).status, 200);
    assert.equal((await owner.call('DELETE', `/api/v1/staff/${id}`)).status, 404);
    const list = await owner.call('GET', '/api/v1/staff');
    assert.doesNotMatch(JSON.stringify(list.body), /scrypt|password|totp_secret/);
  });

  it('records who changed what on the audit log and the order timeline ("approved by Dewi")', async () => {
    const c = p.customer('6281700000099');
    await c.say('amoxicillin 1');
    await c.waitFor((_m, t) => t.includes('butuh resep dokter'), 'prescription flag');
    await c.mark();
    await c.tap('confirm');
    await c.waitFor((_m, t) => t.includes('kirim foto resep'), 'prescription request');
    const order = (await p.api('GET', '/api/v1/orders?status=awaiting_prescription')).body.orders.find((o: any) => o.customer.wa_id === c.waId);
    assert.ok(order);
    await c.mark();
    await c.sendImage((await QRCode.toBuffer('resep', { type: 'png' })).toString('base64'), 'image/png');
    await c.waitFor((_m, t) => t.includes('resep sedang dicek'), 'prescription received');
    assert.equal((await clients.staff.call('POST', `/api/v1/orders/${order.id}/prescription`, { decision: 'approve' })).status, 403);
    const approved = await clients.pharmacist.call('POST', `/api/v1/orders/${order.id}/prescription`, { decision: 'approve', note: 'ok' });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const timeline = (await p.api('GET', `/api/v1/orders/${order.id}`)).body.timeline;
    const ev = timeline.find((e: any) => e.type === 'prescription_approved');
    assert.equal(ev.data.by, 'Dewi');
    assert.equal(ev.data.by_role, 'pharmacist');
    assert.ok(!timeline.some((e: any) => e.type !== 'prescription_approved' && e.data?.by && e.type !== 'staff_action' && e.created_at < ev.created_at), 'earlier events are not attributed');

    // A cancel by the key is attributed to the key.
    const cancel = await p.api('POST', `/api/v1/orders/${order.id}/cancel`, { reason: 'customer asked' });
    assert.equal(cancel.status, 200);
    const after = (await p.api('GET', `/api/v1/orders/${order.id}`)).body.timeline;
    assert.ok(after.some((e: any) => e.to_status === 'cancelled' && e.data.by === 'admin API key'));

    const sku = (await p.api('GET', '/api/v1/products')).body.products[1].sku;
    assert.equal((await clients.staff.call('PATCH', `/api/v1/products/${sku}`, { stock: 7 })).status, 200);
    assert.equal((await clients.owner.call('PATCH', '/api/v1/settings', { manual_delivery_fee: 11000 })).status, 200);
    assert.equal((await clients.owner.call('POST', '/api/v1/staff', { email: 'new@toko.test', role: 'staff', password: 'secret-password-9' })).status, 201);

    const audit = await clients.owner.call('GET', '/api/v1/audit?limit=50');
    assert.equal(audit.status, 200);
    const entries = audit.body.entries as any[];
    const find = (action: string, actor: string) => entries.find((e) => e.action === action && e.actor === actor);
    assert.equal(find('prescription approved', 'Dewi')?.target, `order ${order.id}`);
    assert.ok(find('order cancelled', 'admin API key'));
    assert.equal(find('product changed', 'Sari')?.target, `product ${sku}`);
    assert.deepEqual(find('product changed', 'Sari')?.detail.body, { stock: 7 });
    assert.ok(find('settings changed', 'Bu Rina'));
    assert.ok(find('staff added', 'Bu Rina'));
    assert.ok(find('login', 'Dewi'));
    for (const e of entries) assert.ok(e.at && e.actor && e.action);
    // Refused changes are not logged as changes; passwords never reach the log.
    assert.ok(!entries.some((e) => e.action === 'prescription approved' && e.actor === 'Sari'));
    assert.doesNotMatch(JSON.stringify(entries), /secret-password-9/);
  });
});
