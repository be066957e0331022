// One whole order in a real browser against the real backend: the customer types and clicks in
// /sandbox/chat, pays with the sandbox control, and watches the order reach Completed.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSkip, browserSuite, DESKTOP } from '../helpers/browser.js';

describe('a whole order in /sandbox/chat', { skip: browserSkip }, () => {
  const s = browserSuite({ pesan: { db: 'pglite', env: { SANDBOX_COURIER_STEP_MS: '300' } } });
  let page: Page;

  before(async () => {
    page = await s.open('/sandbox/chat', { viewport: DESKTOP });
  });

  const merchantSays = (text: string | RegExp) => page.getByTestId('msg-merchant').filter({ hasText: text }).last().waitFor({ timeout: 15_000 });
  async function type(text: string) {
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-send').click();
  }

  test('greeting, list pick, typed items, confirm, location, QRIS, pay, Completed', async () => {
    await type('halo');
    await merchantSays('Selamat datang');
    // Open the category menu and pick a category, then a product.
    await page.getByTestId('list-open').last().click();
    await page.locator('[data-testid="list-row"][data-id^="cat:"]').filter({ hasText: 'Vitamin' }).click();
    await merchantSays('Vitamin');
    await page.getByTestId('list-open').last().click();
    await page.locator('[data-testid="list-row"][data-id="add:VIT-C1000"]').click();
    await merchantSays('Vitamin C 1000mg Tablet x1');
    await type('paracetamol 2 strip sama aqua 1');
    await merchantSays(/Subtotal: Rp 32\.000/);
    await page.locator('[data-testid="reply-button"][data-id="confirm"]').last().click();
    await page.getByTestId('location-open').last().waitFor();
    await page.getByTestId('location-open').last().click();
    await page.getByTestId('location-preset').first().click();
    await merchantSays('Total:');
    await page.locator('[data-testid="reply-button"][data-id="pay:qris"]').last().click();
    const qr = page.locator('[data-testid="msg-merchant"] img').last();
    await qr.waitFor({ timeout: 15_000 });
    // Measured in the page once the picture has loaded: the chat re-renders bubbles as statuses
    // arrive, so a size read through a separate locator call can land on a node being replaced.
    const width = await page.waitForFunction(() => {
      const imgs = document.querySelectorAll('[data-testid="msg-merchant"] img');
      const i = imgs[imgs.length - 1] as HTMLImageElement | undefined;
      if (!i || !i.complete || i.naturalWidth === 0 || !i.isConnected) return 0;
      return i.getBoundingClientRect().width || 0;
    }, undefined, { timeout: 15_000 });
    assert.ok(((await width.jsonValue()) as number) >= 200, 'the QR code is shown large enough to scan');
    await page.getByTestId('pay-now').waitFor({ state: 'visible' });
    await page.waitForFunction(() => !(document.querySelector('[data-testid="pay-now"]') as HTMLButtonElement).disabled, undefined, { timeout: 15_000 });
    await page.getByTestId('pay-now').click();
    await merchantSays('sudah diterima');
    await merchantSays('Driver ditemukan');
    await merchantSays('sudah sampai');
    await page.waitForFunction(() => document.querySelector('[data-testid="order-status"]')?.textContent?.includes('completed'), undefined, { timeout: 15_000 });
    // the note under the pay button no longer says it waits for the gateway once the payment is recorded
    await page.waitForFunction(() => document.querySelector('#pay-result')?.textContent?.includes('recorded the payment'), undefined, { timeout: 15_000 });
    await page.screenshot({ path: '/tmp/full-order.png', fullPage: false });
    const orders = (await s.p.api('GET', '/api/v1/orders?status=completed')).body.orders;
    assert.equal(orders.length, 1);
    assert.equal(orders[0].subtotal, 32_000);
    // the sandbox panel names the order by its full number, the one the customer is told
    const shown = await page.getByTestId('order-panel').locator('.kv').filter({ hasText: 'Order' }).locator('.v').textContent();
    assert.equal(shown, orders[0].id);
  });
});
