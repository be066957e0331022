// Staff logins in the dashboard on the real backend: without a key the page shows the login screen
// (GET /auth/me answers 401), wrong passwords are explained, the owner manages logins on the Staff
// page (cookie session, x-csrf-token on every change), and a pharmacist sees only what the role may
// do. At 390×844 and 1366×900 with no horizontal scroll.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, browserSuite, DESKTOP, logIn, noHorizontalScroll, PHONE } from '../helpers/browser.js';

describe('dashboard staff logins', { skip: browserSkip }, () => {
  const s = browserSuite();

  before(async () => {
    for (const [email, role] of [['pemilik@toko.id', 'owner'], ['apoteker@toko.id', 'pharmacist']]) {
      const r = await s.p.api('POST', '/api/v1/staff', { email, name: role === 'owner' ? 'Bu Rina' : 'Pak Apoteker', role, password: 'rahasia-123' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
  });

  test('the owner logs in on a phone and manages staff logins', async () => {
    // ?login=1: ignore the sandbox's embedded key, as a live dashboard has none.
    const page = await s.open('/dashboard?login=1', { viewport: PHONE });
    await page.getByTestId('staff-login').waitFor();
    await noHorizontalScroll(page, 'login screen');
    await logIn(page, 'pemilik@toko.id', 'salah-sandi');
    await page.locator('[data-testid="login-error"]', { hasText: 'Email atau kata sandi salah' }).waitFor();
    await logIn(page, 'pemilik@toko.id', 'rahasia-123');
    await page.getByTestId('tab-staff').waitFor();
    assert.match(await page.getByTestId('who').innerText(), /Bu Rina · pemilik/);
    await page.getByTestId('tab-staff').click();
    await page.locator('[data-testid="staff-row"][data-email="apoteker@toko.id"]').waitFor();
    await noHorizontalScroll(page, 'staff page');

    await page.getByTestId('staff-email').fill('kasir@toko.id');
    await page.getByTestId('staff-name').fill('Kasir Dedi');
    await page.getByTestId('staff-password').fill('pendek');
    await page.getByTestId('staff-save').click();
    await page.locator('[data-testid="staff-result"]', { hasText: 'minimal 8 huruf' }).waitFor();
    await page.getByTestId('staff-password').fill('kasir-rahasia-1');
    await page.getByTestId('staff-save').click();
    const row = page.locator('[data-testid="staff-row"][data-email="kasir@toko.id"]');
    await row.waitFor();
    const staff = async () => (await s.p.api('GET', '/api/v1/staff')).body.staff.find((u: any) => u.email === 'kasir@toko.id');
    assert.equal((await staff()).role, 'staff');
    await row.getByTestId('staff-row-role').selectOption('pharmacist');
    await page.locator('[data-testid="staff-row"][data-email="kasir@toko.id"] .note', { hasText: 'Peran diubah' }).waitFor();
    assert.equal((await staff()).role, 'pharmacist');
    await page.locator('[data-testid="staff-row"][data-email="kasir@toko.id"] [data-testid="staff-row-active"]').click();
    await page.locator('[data-testid="staff-row"][data-email="kasir@toko.id"][data-active="false"]').waitFor();
    assert.equal((await staff()).active, false);
    await noHorizontalScroll(page, 'staff page with a new login');

    // The audit log shows who did it.
    await page.locator('[data-testid="audit-list"] li', { hasText: 'Bu Rina' }).first().waitFor();

    await page.getByTestId('logout').click();
    await page.getByTestId('staff-login').waitFor();
    assert.equal((await page.request.get(`${s.p.base}/api/v1/auth/me`)).status(), 401, 'the session is gone');
    await page.close();
  });

  test('a pharmacist sees orders and prescriptions only', async () => {
    const page = await s.dashboard(DESKTOP, { login: { email: 'apoteker@toko.id', password: 'rahasia-123' } });
    await page.getByTestId('orders-table').waitFor();
    await page.locator('body[data-role="pharmacist"]').waitFor();
    for (const tab of ['tab-catalog', 'tab-inbox', 'tab-settings', 'tab-staff']) assert.equal(await page.getByTestId(tab).isVisible(), false, `${tab} hidden`);
    assert.equal(await page.getByTestId('tab-orders').isVisible(), true);
    assert.match(await page.getByTestId('who').innerText(), /apoteker/);
    await noHorizontalScroll(page, 'pharmacist view');
    await page.close();
    assert.deepEqual(s.pageErrors, []);
  });
});
