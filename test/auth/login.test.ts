// Staff login on the real app: cookies, CSRF, session expiry, rate limiting, TOTP, and that no
// password hash or secret ever appears in an answer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPesan, type Pesan } from '../helpers/pesan.js';
import { DB_KINDS } from '../helpers/db.js';
import { addUser, staffClient } from './session-client.js';
import { totpCode, stepAt } from '../../src/auth/totp.js';
import { createUser } from '../../src/auth/users.js';

const noSecrets = (body: unknown) => {
  const text = JSON.stringify(body ?? null);
  assert.doesNotMatch(text, /scrypt\$|password_hash|totp_secret/, `no password hash or secret in ${text.slice(0, 300)}`);
};

for (const kind of DB_KINDS) describe(`staff login (${kind})`, () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: kind });
  });
  after(async () => {
    await p.stop();
    await p.dropDb();
  });

  it('logs in with cookies, answers me, and logs out', async () => {
    const u = await addUser(p, 'staff', 'Sari');
    const c = staffClient(p);
    assert.equal((await c.call('GET', '/api/v1/auth/me')).status, 401);
    const login = await c.login(u.email.toUpperCase(), u.password);
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.deepEqual(
      { email: login.body.user.email, role: login.body.user.role, merchant_id: login.body.user.merchant_id },
      { email: u.email, role: 'staff', merchant_id: 'default' },
    );
    assert.ok(login.body.user.merchant_name);
    noSecrets(login.body);
    const session = c.setCookies.find((l) => l.startsWith('pesan_session='))!;
    const csrf = c.setCookies.find((l) => l.startsWith('pesan_csrf='))!;
    assert.match(session, /HttpOnly/);
    assert.match(session, /SameSite=Lax/);
    assert.doesNotMatch(session, /Secure/, 'http PUBLIC_URL: no Secure flag');
    assert.doesNotMatch(csrf, /HttpOnly/, 'the page reads the CSRF cookie');
    // The token is stored hashed only.
    const token = c.cookies.get('pesan_session')!;
    assert.equal((await p.ctx.db.query('SELECT 1 FROM sessions WHERE token_hash = $1', [token])).length, 0);
    const me = await c.call('GET', '/api/v1/auth/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.email, u.email);
    assert.equal(me.body.user.name, 'Sari');
    noSecrets(me.body);
    assert.equal((await c.call('GET', '/api/v1/orders')).status, 200);
    assert.equal((await c.call('POST', '/api/v1/auth/logout')).status, 200);
    assert.equal((await c.call('GET', '/api/v1/auth/me')).status, 401);
    // The old token is dead even if replayed.
    const replay = await fetch(`${p.base}/api/v1/auth/me`, { headers: { cookie: `pesan_session=${token}` } });
    assert.equal(replay.status, 401);
  });

  it('refuses wrong passwords, unknown emails and switched-off users', async () => {
    const u = await addUser(p, 'pharmacist');
    const c = staffClient(p);
    assert.equal((await c.login(u.email, 'wrong-password')).status, 401);
    assert.equal((await c.login('nobody@nowhere.test', u.password)).status, 401);
    // A form post from another site is not a login.
    const form = await fetch(`${p.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: u.email, password: u.password }).toString(),
    });
    assert.equal(form.status, 415);
    assert.equal(form.headers.getSetCookie().length, 0);
    assert.equal(c.cookies.size, 0);
    await p.ctx.db.query('UPDATE users SET active = false WHERE id = $1', [u.id]);
    assert.equal((await c.login(u.email, u.password)).status, 403);
    // A user of a deactivated merchant cannot log in, and a live session of one stops working.
    await p.ctx.db.query(`INSERT INTO merchants (id, name) VALUES ('closed-shop', 'Closed shop')`);
    await createUser(p.ctx.db, { merchantId: 'closed-shop', email: 'owner@closed.test', role: 'owner', password: 'closed-shop-pw' });
    const o = staffClient(p);
    assert.equal((await o.login('owner@closed.test', 'closed-shop-pw')).status, 200);
    assert.equal((await o.call('GET', '/api/v1/auth/me')).body.user.merchant_id, 'closed-shop');
    await p.ctx.db.query(`UPDATE merchants SET active = false WHERE id = 'closed-shop'`);
    assert.equal((await o.call('GET', '/api/v1/auth/me')).status, 401);
    assert.equal((await o.login('owner@closed.test', 'closed-shop-pw')).status, 403);
  });

  it('refuses cookie-authenticated changes without the CSRF header', async () => {
    const u = await addUser(p, 'owner');
    const c = staffClient(p);
    assert.equal((await c.login(u.email, u.password)).status, 200);
    const without = await c.call('PATCH', '/api/v1/settings', { manual_delivery_fee: 12000 }, { csrf: false });
    assert.equal(without.status, 403);
    const wrong = await c.call('PATCH', '/api/v1/settings', { manual_delivery_fee: 12000 }, { csrf: 'not-the-token' });
    assert.equal(wrong.status, 403);
    // Another session's CSRF token does not fit this session.
    const other = staffClient(p);
    await other.login(u.email, u.password);
    const crossed = await c.call('PATCH', '/api/v1/settings', { manual_delivery_fee: 12000 }, { csrf: other.cookies.get('pesan_csrf')! });
    assert.equal(crossed.status, 403);
    assert.notEqual((await p.api('GET', '/api/v1/settings')).body.manual_delivery_fee, 12000, 'nothing changed');
    const ok = await c.call('PATCH', '/api/v1/settings', { manual_delivery_fee: 12000 });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    // Reads need no CSRF header; bearer keys need none either.
    assert.equal((await c.call('GET', '/api/v1/settings', undefined, { csrf: false })).status, 200);
    assert.equal((await p.api('PATCH', '/api/v1/settings', { manual_delivery_fee: 10000 })).status, 200);
  });

  it('ends sessions after 12 idle hours or 7 days', async () => {
    const u = await addUser(p, 'staff');
    const c = staffClient(p);
    await c.login(u.email, u.password);
    assert.equal((await c.call('GET', '/api/v1/auth/me')).status, 200);
    await p.ctx.db.query(`UPDATE sessions SET last_seen_at = now() - interval '13 hours' WHERE user_id = $1`, [u.id]);
    assert.equal((await c.call('GET', '/api/v1/auth/me')).status, 401);
    await c.login(u.email, u.password);
    assert.equal((await c.call('GET', '/api/v1/auth/me')).status, 200);
    // Busy all week: the idle clock is fresh but the absolute limit ends it.
    await p.ctx.db.query(`UPDATE sessions SET created_at = now() - interval '7 days', expires_at = now() - interval '1 minute' WHERE user_id = $1`, [u.id]);
    assert.equal((await c.call('GET', '/api/v1/auth/me')).status, 401);
    // A new password (owner reset) ends the sessions of the old one.
    await c.login(u.email, u.password);
    assert.equal((await c.call('GET', '/api/v1/auth/me')).status, 200);
    assert.equal((await p.api('PATCH', `/api/v1/staff/${u.id}`, { password: 'a-brand-new-password' })).status, 200);
    assert.equal((await c.call('GET', '/api/v1/auth/me')).status, 401);
    assert.equal((await c.login(u.email, u.password)).status, 401);
    assert.equal((await c.login(u.email, 'a-brand-new-password')).status, 200);
  });

  it('rate-limits wrong passwords per email and address (429)', async () => {
    const u = await addUser(p, 'owner');
    const c = staffClient(p);
    for (let i = 0; i < 5; i++) assert.equal((await c.login(u.email, `wrong-${i}`)).status, 401);
    const blocked = await c.login(u.email, u.password);
    assert.equal(blocked.status, 429, 'even the right password waits');
    assert.ok(Number(blocked.body.retry_after) > 0);
    // The window passes.
    await p.ctx.db.query(`UPDATE login_attempts SET at = at - interval '16 minutes'`);
    assert.equal((await c.login(u.email, u.password)).status, 200);
  });

  it('requires the TOTP code once an owner turned it on', async () => {
    const u = await addUser(p, 'owner', 'Dewi');
    const c = staffClient(p);
    await c.login(u.email, u.password);
    const setup = await c.call('POST', '/api/v1/auth/totp/setup');
    assert.equal(setup.status, 200);
    assert.match(setup.body.otpauth_url, /^otpauth:\/\/totp\/pesan:.*secret=[A-Z2-7]+.*algorithm=SHA1&digits=6&period=30/);
    const secret: string = setup.body.secret;
    // Stored only encrypted.
    const row = await p.ctx.db.one<{ totp_secret: string }>('SELECT totp_secret FROM users WHERE id = $1', [u.id]);
    assert.ok(row!.totp_secret && !row!.totp_secret.includes(secret));
    // Not on until a code is confirmed.
    assert.equal((await staffClient(p).login(u.email, u.password)).status, 200);
    assert.equal((await c.call('POST', '/api/v1/auth/totp/enable', { code: '000000' === totpCode(secret) ? '111111' : '000000' })).status, 400);
    const enable = await c.call('POST', '/api/v1/auth/totp/enable', { code: totpCode(secret) });
    assert.equal(enable.status, 200);
    const me = await c.call('GET', '/api/v1/auth/me');
    assert.equal(me.body.user.totp_enabled, true);
    noSecrets(me.body);

    const d = staffClient(p);
    const missing = await d.login(u.email, u.password);
    assert.equal(missing.status, 401);
    assert.equal(missing.body.totp_required, true);
    assert.equal(d.cookies.size, 0);
    assert.equal((await d.login(u.email, u.password, '123456' === totpCode(secret) ? '654321' : '123456')).status, 401);
    // The code of the next step (clock drift) is accepted; the one already used is not accepted again.
    const next = totpCode(secret, (stepAt() + 1) * 30_000);
    assert.equal((await d.login(u.email, u.password, next)).status, 200);
    assert.equal((await staffClient(p).login(u.email, u.password, next)).status, 401, 'a code is used once');
    // Staff listing never shows secrets.
    const list = await p.api('GET', '/api/v1/staff');
    assert.equal(list.status, 200);
    assert.ok(list.body.staff.some((s: any) => s.email === u.email && s.totp_enabled));
    noSecrets(list.body);
  });
});
