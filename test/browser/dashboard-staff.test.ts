// Staff logins in the dashboard on the real backend: without a key the page shows the login screen
// (GET /auth/me answers 401), wrong passwords are explained, the owner manages logins on the Staff
// page (cookie session, x-csrf-token on every change), and a pharmacist sees only what the role may
// do. At 390×844 and 1366×900 with no horizontal scroll.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { browserSkip, launchBrowser } from '../helpers/browser.js';
import { startPesan, type Pesan } from '../helpers/pesan.js';

describe('dashboard staff logins', { skip: browserSkip }, () => {
  let p: Pesan;
  let browser: Browser;
  const pageErrors: string[] = [];

  before(async () => {
    p = await startPesan({ db: 'pglite' });
    browser = await launchBrowser();
    for (const [email, role] of [['pemilik@toko.id', 'owner'], ['apoteker@toko.id', 'pharmacist']]) {
      const r = await p.api('POST', '/api/v1/staff', { email, name: role === 'owner' ? 'Bu Rina' : 'Pak Apoteker', role, password: 'rahasia-123' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
  });
  after(async () => {
    await browser?.close();
    await p?.stop();
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const page = await (await browser.newContext({ viewport })).newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('dialog', (d) => void d.accept());
    // ?login=1: ignore the sandbox's embedded key, as a live dashboard has none.
    await page.goto(`${p.base}/dashboard?login=1`);
    await page.getByTestId('staff-login').waitFor();
    return page;
  }
  async function logIn(page: Page, email: string, password: string) {
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  }
  async function noHorizontalScroll(page: Page, what: string) {
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    assert.ok(scroll <= width, `${what}: page is ${scroll}px wide in a ${width}px window`);
  }

  test('the owner logs in on a phone and manages staff logins', async () => {
    const page = await open({ width: 390, height: 844 });
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
    const staff = async () => (await p.api('GET', '/api/v1/staff')).body.staff.find((u: any) => u.email === 'kasir@toko.id');
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
    assert.equal((await page.request.get(`${p.base}/api/v1/auth/me`)).status(), 401, 'the session is gone');
    await page.close();
  });

  test('a pharmacist sees orders and prescriptions only', async () => {
    const page = await open({ width: 1366, height: 900 });
    await logIn(page, 'apoteker@toko.id', 'rahasia-123');
    await page.getByTestId('orders-table').waitFor();
    await page.locator('body[data-role="pharmacist"]').waitFor();
    for (const tab of ['tab-catalog', 'tab-inbox', 'tab-settings', 'tab-staff']) assert.equal(await page.getByTestId(tab).isVisible(), false, `${tab} hidden`);
    assert.equal(await page.getByTestId('tab-orders').isVisible(), true);
    assert.match(await page.getByTestId('who').innerText(), /apoteker/);
    await noHorizontalScroll(page, 'pharmacist view');
    await page.close();
    assert.deepEqual(pageErrors, []);
  });
});
