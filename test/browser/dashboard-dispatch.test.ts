// A manual dispatch waiting in Needs attention on the real backend: the shop delivers only by hand,
// a paid order asks for a driver, and recording the inDrive booking from the order the item opens
// takes it out of the queue. Then every screen is checked for width at 1366×900 and 390×844.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, browserSuite, noHorizontalScroll, PHONE, VIEWPORTS } from '../helpers/browser.js';
import { chooseQris, toMethodChoice } from '../helpers/pesan.js';

describe('dashboard manual dispatch', { skip: browserSkip }, () => {
  const s = browserSuite();

  before(async () => {
    assert.equal((await s.p.api('PATCH', '/api/v1/settings', { couriers: ['manual'], preferred_courier: null })).status, 200);
  });

  test('a manual dispatch recorded from the page leaves Needs attention', async () => {
    const c = s.p.customer('6281344400001', 'Hana');
    await toMethodChoice(c, 'aqua 2');
    await chooseQris(c);
    const pay = await fetch(`${s.p.base}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: c.waId }) });
    assert.equal(pay.status, 200);

    const page = await s.dashboard(PHONE);
    const item = page.locator('[data-testid="attention-item"][data-kind="manual_dispatch"]');
    await item.waitFor();
    const orderId = await item.getAttribute('data-order');
    assert.ok(orderId);
    await item.click();
    await page.getByTestId('dispatch-form').waitFor();
    await noHorizontalScroll(page, 'dispatch form');
    await page.getByTestId('dispatch-provider').selectOption('indrive');
    await page.getByTestId('driver-name').fill('Budi');
    await page.getByTestId('driver-phone').fill('081234567890');
    await page.getByTestId('vehicle-plate').fill('B 1234 XYZ');
    await page.getByTestId('dispatch-submit').click();
    await page.locator('[data-testid="action-result"]', { hasText: 'Driver ditugaskan' }).waitFor();
    await item.waitFor({ state: 'detached' });
    await page.locator('[data-testid="order-status"][data-status="driver_assigned"]').waitFor();
    assert.match(await page.getByTestId("timeline").innerText(), /Driver Budi \(B 1234 XYZ\) ditugaskan \(inDrive\)/);
    assert.match(await page.getByTestId("timeline").innerText(), /Pembayaran QRIS Rp [\d.]+ diterima via Midtrans/);
    // On the phone the detail sits below the list, with a way back to it.
    await page.getByTestId('back-to-list').click();
    await page.waitForFunction((id) => {
      const r = document.querySelector(`[data-testid="order-row"][data-id="${id}"]`)?.getBoundingClientRect();
      return !!r && r.top >= 0 && r.bottom <= window.innerHeight;
    }, orderId);
    const order = (await s.p.api('GET', `/api/v1/orders/${orderId}`)).body;
    assert.equal(order.delivery.driver_name, 'Budi');
    await page.close();
  });

  for (const vp of VIEWPORTS) {
    test(`every screen fits at ${vp.width}px`, async () => {
      const page = await s.dashboard(vp);
      await page.getByTestId('order-row').first().waitFor();
      for (const tab of ['orders', 'catalog', 'inbox', 'staff', 'settings']) {
        await page.getByTestId(`tab-${tab}`).click();
        await page.locator(`#panel-${tab}`).waitFor({ state: 'visible' });
        await page.waitForTimeout(300);
        await noHorizontalScroll(page, `${tab} at ${vp.width}`);
      }
      await page.close();
      assert.deepEqual(s.pageErrors, []);
    });
  }
});
