// Settings and refunds from the dashboard on the real backend: store facts, gateways and couriers are
// saved through PATCH /api/v1/settings and wrong values are explained beside their field (nothing is
// sent); a paid order cancelled by the shop reads "refund due", not "paid", and the refund recorded
// from its detail takes it out of Needs attention. Both at 1366×900 and on a 390×844 phone.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, browserSuite, noHorizontalScroll, PHONE, VIEWPORTS, type Viewport } from '../helpers/browser.js';
import { chooseQris, toMethodChoice } from '../helpers/pesan.js';

describe('dashboard settings and refunds', { skip: browserSkip }, () => {
  // Slow couriers: a paid order stays "dispatching" long enough to be cancelled by the shop.
  const s = browserSuite({ pesan: { db: 'pglite', env: { SANDBOX_COURIER_STEP_MS: '60000' } } });
  const open = (viewport: Viewport) => s.dashboard(viewport);

  for (const vp of VIEWPORTS) {
    test(`settings are validated in words and saved (${vp.width}px)`, async () => {
      const page = await open(vp);
      await page.getByTestId('tab-settings').click();
      await page.waitForFunction(() => (document.querySelector('[data-testid="set-manual-fee"]') as HTMLInputElement).value !== '');
      await noHorizontalScroll(page, 'settings');
      const before = (await s.p.api('GET', '/api/v1/settings')).body;

      // Wrong values: explained beside the field, nothing sent.
      await page.getByTestId('set-minimum-order').fill('dua puluh ribu');
      await page.getByTestId('set-radius').fill('-3');
      for (const c of ['gosend', 'grab', 'manual']) await page.getByTestId(`set-courier-${c}`).uncheck();
      await page.getByTestId('settings-save').click();
      assert.match(await page.getByTestId('err-minimum_order').innerText(), /rupiah/);
      assert.match(await page.getByTestId('err-delivery_radius_km').innerText(), /km/);
      assert.match(await page.getByTestId('err-couriers').innerText(), /minimal satu/);
      assert.match(await page.getByTestId('settings-result').innerText(), /Belum disimpan/);
      assert.deepEqual((await s.p.api('GET', '/api/v1/settings')).body, before, 'nothing was saved');
      await noHorizontalScroll(page, 'settings with errors');

      // Values as a shop owner types them.
      await page.getByTestId('set-opening-hours').fill(`Senin–Sabtu 08.00–21.00 (${vp.width})`);
      await page.getByTestId('set-store-address').fill('Jl. Kaliurang KM 5 No. 12, Sleman');
      await page.getByTestId('set-delivery-area').fill('Depok, Sleman\nNgaglik');
      await page.getByTestId('set-radius').fill('2,5');
      await page.getByTestId('set-minimum-order').fill('Rp 25.000');
      await page.getByTestId('set-manual-fee').fill('12.000');
      await page.getByTestId('set-cod').check();
      await page.getByTestId('set-courier-grab').check();
      await page.getByTestId('set-courier-manual').check();
      await page.getByTestId('set-preferred').selectOption('grab');
      await page.getByTestId('settings-save').click();
      await page.locator('[data-testid="settings-result"]', { hasText: 'Tersimpan' }).waitFor();
      const saved = (await s.p.api('GET', '/api/v1/settings')).body;
      assert.equal(saved.opening_hours, `Senin–Sabtu 08.00–21.00 (${vp.width})`);
      assert.equal(saved.store_address, 'Jl. Kaliurang KM 5 No. 12, Sleman');
      assert.deepEqual(saved.delivery_area, ['Depok', 'Sleman', 'Ngaglik']);
      assert.equal(saved.delivery_radius_km, 2.5);
      assert.equal(saved.minimum_order, 25000);
      assert.equal(saved.manual_delivery_fee, 12000);
      assert.equal(saved.cash_on_delivery, true);
      assert.deepEqual(saved.couriers, ['grab', 'manual']);
      assert.equal(saved.preferred_courier, 'grab');

      // Shown again as saved after a reload; clearing a fact sends null.
      await page.reload();
      await page.getByTestId('tab-settings').click();
      await page.waitForFunction(() => (document.querySelector('[data-testid="set-minimum-order"]') as HTMLInputElement).value === '25.000');
      await page.getByTestId('set-minimum-order').fill('');
      await page.getByTestId('set-courier-gosend').check();
      await page.getByTestId('set-preferred').selectOption('');
      // Order of preference: the list as shown, ↑ moves a courier earlier.
      await page.getByTestId('courier-up-manual').click();
      await page.getByTestId('courier-up-manual').click();
      await page.getByTestId('settings-save').click();
      await page.locator('[data-testid="settings-result"]', { hasText: 'Tersimpan' }).waitFor();
      const cleared = (await s.p.api('GET', '/api/v1/settings')).body;
      assert.equal(cleared.minimum_order, null);
      assert.equal(cleared.preferred_courier, null);
      assert.deepEqual(cleared.couriers, ['manual', 'grab', 'gosend']);
      // Back to the sandbox's defaults for the next test.
      const reset = await s.p.api('PATCH', '/api/v1/settings', { couriers: ['gosend', 'grab', 'manual'], preferred_courier: null, delivery_area: null, delivery_radius_km: null, minimum_order: null, cash_on_delivery: false, manual_delivery_fee: 15000, opening_hours: null, store_address: null });
      assert.equal(reset.status, 200);
      await page.close();
    });
  }

  test('a paid order cancelled by the shop reads "refund due" and leaves Needs attention once refunded', async () => {
    const c = s.p.customer('6281377700001', 'Rudi');
    await toMethodChoice(c, 'aqua 2');
    await chooseQris(c);
    const pay = await fetch(`${s.p.base}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: c.waId }) });
    assert.equal(pay.status, 200);
    let order: any;
    for (let i = 0; i < 100 && !order; i++) {
      order = (await s.p.api('GET', '/api/v1/orders')).body.orders.find((o: any) => o.customer.wa_id === c.waId && ['paid', 'dispatching'].includes(o.status));
      if (!order) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(order, 'the order is paid');
    assert.equal((await s.p.api('POST', `/api/v1/orders/${order.id}/cancel`, { reason: 'stok rusak' })).status, 200);

    for (const vp of VIEWPORTS) {
      const page = await open(vp);
      const row = page.locator(`[data-testid="order-row"][data-id="${order.id}"]`);
      await row.locator('[data-refund-due="true"]').waitFor();
      assert.match(await row.innerText(), /perlu refund/);
      assert.doesNotMatch(await row.getByTestId('order-row-status').innerText(), /^dibayar$/);
      await page.locator(`[data-testid="attention-item"][data-kind="refund"][data-order="${order.id}"]`).waitFor();
      await noHorizontalScroll(page, 'orders with a refund due');
      if (vp.width === 390) {
        // Opening the item shows the refund form; the phone test records it.
        await page.locator(`[data-testid="attention-item"][data-kind="refund"][data-order="${order.id}"]`).click();
        await page.getByTestId('refund-form').waitFor();
        assert.equal(await page.getByTestId('refund-amount').inputValue(), String(order.total));
        await noHorizontalScroll(page, 'refund form');
        await page.getByTestId('refund-reference').fill('BCA 0312 7788');
        await page.getByTestId('refund-submit').click();
        await page.locator('[data-testid="action-result"]', { hasText: 'Refund tercatat' }).waitFor();
        await page.locator(`[data-testid="attention-item"][data-kind="refund"][data-order="${order.id}"]`).waitFor({ state: 'detached' });
        await row.locator('[data-refund-due="true"]').waitFor({ state: 'detached' });
        await page.locator('[data-testid="timeline"] li[data-type="refunded"]').waitFor();
        const detail = (await s.p.api('GET', `/api/v1/orders/${order.id}`)).body;
        assert.equal(detail.timeline.find((e: any) => e.type === 'refunded').data.bank_reference, 'BCA 0312 7788');
      }
      await page.close();
    }
    assert.deepEqual(s.pageErrors, []);
  });

  test('the English switch translates the page and its messages, and is kept', async () => {
    const page = await open(PHONE);
    assert.equal(await page.getByTestId('tab-settings').innerText(), 'Pengaturan');
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await page.getByTestId('tab-settings').innerText(), 'Settings');
    await page.getByTestId('tab-settings').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="set-manual-fee"]') as HTMLInputElement).value !== '');
    await page.getByTestId('set-minimum-order').fill('twenty');
    await page.getByTestId('settings-save').click();
    assert.match(await page.getByTestId('err-minimum_order').innerText(), /whole rupiah/);
    assert.match(await page.getByTestId('settings-result').innerText(), /Not saved/);
    await noHorizontalScroll(page, 'settings in English');
    // The order list and an order's timeline in English too.
    await page.getByTestId('tab-orders').click();
    await page.getByTestId('order-row').first().click();
    await page.locator('[data-testid="timeline"] li[data-type="created"]', { hasText: 'Order created' }).waitFor();
    await page.reload();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'id');
    await page.close();
  });
});
