// The order list on the real backend with many orders: open orders first, carts hidden unless asked,
// 25 a page, a WIB date range, search by phone as the customer writes it (08…), and a CSV export of
// exactly what is shown (spreadsheet formulas in customer names defused). At 1366×900 and 390×844.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { browserSkip, browserSuite, DESKTOP, noHorizontalScroll, type Viewport } from '../helpers/browser.js';
import { DEFAULT_MERCHANT_ID } from '../../src/merchants.js';
import { internalCatalogId } from '../../src/catalog/internal.js';

const DAY = 86_400_000;
/** YYYY-MM-DD of the WIB day `ms` falls in. */
const wibDate = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);

describe('dashboard order list', { skip: browserSkip }, () => {
  const s = browserSuite();
  const now = Date.now();
  const oldAt = now - 20 * DAY;

  before(async () => {
    const db = s.p.ctx.db;
    const cust = async (waId: string, name: string) =>
      (await db.one<{ id: string }>(`INSERT INTO customers (merchant_id, wa_id, name) VALUES ($1, $2, $3) RETURNING id`, [DEFAULT_MERCHANT_ID, waId, name]))!.id;
    const sari = await cust('6281255500001', 'Sari');
    const trick = await cust('6281255500002', '=HYPERLINK("http://x")');
    const order = async (id: string, customer: string, status: string, total: number, at: number) => {
      await db.query(
        `INSERT INTO orders (id, merchant_id, customer_id, catalog_id, status, subtotal, total, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $7)`,
        [id, DEFAULT_MERCHANT_ID, customer, internalCatalogId(DEFAULT_MERCHANT_ID), status, total, new Date(at)],
      );
      await db.query(`INSERT INTO order_items (order_id, sku, name, unit_price, quantity, line_total) VALUES ($1, 'AQ', 'Aqua 600ml', $2, 1, $2)`, [id, total]);
    };
    for (let i = 0; i < 27; i++) await order(`PSN-T-DONE-${String(i).padStart(2, '0')}`, sari, 'completed', 10_000 + i, now - (i + 1) * 60_000);
    await order('PSN-T-OPEN', trick, 'awaiting_payment', 55_000, now - 3 * DAY);
    await order('PSN-T-CART', sari, 'cart', 7_000, now - 30_000);
    await order('PSN-T-OLD', sari, 'completed', 99_000, oldAt);
  });
  async function open(viewport: Viewport): Promise<Page> {
    const page = await s.dashboard(viewport, { acceptDownloads: true });
    await page.getByTestId('order-row').first().waitFor();
    return page;
  }
  const rowIds = (page: Page) => page.getByTestId('order-row').evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.id));

  test('the list API filters, pages and refuses a wrong date in words', async () => {
    const all = (await s.p.api('GET', '/api/v1/dashboard/orders?per_page=100')).body;
    assert.equal(all.total, 29, 'carts are not counted');
    assert.equal(all.orders[0].id, 'PSN-T-OPEN', 'open orders first');
    assert.equal((await s.p.api('GET', '/api/v1/dashboard/orders?carts=1')).body.total, 30);
    const bad = await s.p.api('GET', '/api/v1/dashboard/orders?from=03-12-2026');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /date like/);
  });

  for (const vp of [{ width: 1366, height: 900 }, { width: 390, height: 844 }]) {
    test(`open first, carts on request, pages, date range and search (${vp.width}px)`, async () => {
      const page = await open(vp);
      await noHorizontalScroll(page, 'order list');
      let ids = await rowIds(page);
      assert.equal(ids.length, 25);
      assert.equal(ids[0], 'PSN-T-OPEN');
      assert.ok(!ids.includes('PSN-T-CART'), 'carts hidden');
      assert.equal(await page.getByTestId('orders-range').innerText(), '1–25 dari 29');

      await page.getByTestId('orders-next').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 4);
      ids = await rowIds(page);
      assert.ok(ids.includes('PSN-T-OLD'));
      assert.equal(await page.getByTestId('orders-range').innerText(), '26–29 dari 29');
      await page.getByTestId('orders-prev').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 25);

      await page.getByTestId('show-carts').check();
      await page.locator('[data-testid="order-row"][data-id="PSN-T-CART"]').waitFor();
      await page.getByTestId('show-carts').uncheck();
      await page.locator('[data-testid="order-row"][data-id="PSN-T-CART"]').waitFor({ state: 'detached' });

      // The WIB day 20 days ago holds just the old order.
      await page.getByTestId('date-from').fill(wibDate(oldAt));
      await page.getByTestId('date-to').fill(wibDate(oldAt));
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 1);
      assert.deepEqual(await rowIds(page), ['PSN-T-OLD']);
      assert.equal(await page.getByTestId('orders-pager').isVisible(), false);
      await noHorizontalScroll(page, 'date filter');
      await page.getByTestId('date-from').fill('');
      await page.getByTestId('date-to').fill('');

      // A phone number as customers write it (0812…) finds the orders of 62812….
      await page.getByTestId('order-search').fill('0812 5550 0002');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 1);
      assert.deepEqual(await rowIds(page), ['PSN-T-OPEN']);
      await page.getByTestId('order-search').fill('');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 25);
      await page.close();
    });
  }

  test('CSV export holds what the filters select, with formulas defused', async () => {
    const page = await open(DESKTOP);
    await page.getByTestId('status-filter').selectOption('awaiting_payment');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('orders-csv').click()]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trim().split(/\r\n/);
    assert.equal(lines.length, 2, csv);
    assert.match(lines[0], /^order,created_wib,status/);
    assert.match(lines[1], /^PSN-T-OPEN,/);
    assert.ok(lines[1].includes(`"'=HYPERLINK(""http://x"")"`), lines[1]);

    await page.getByTestId('status-filter').selectOption('');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 25);
    const [all] = await Promise.all([page.waitForEvent('download'), page.getByTestId('orders-csv').click()]);
    assert.equal(readFileSync((await all.path())!, 'utf8').trim().split(/\r\n/).length, 30, 'every selected order, not just the page');
    await page.close();
    assert.deepEqual(s.pageErrors, []);
  });
});
