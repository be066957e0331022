// The dashboard against the real backend: orders placed over WhatsApp appear without a reload with
// their full numbers, Today counts them, search by number finds one, a prescription waiting in
// "Needs attention" is approved from the page (its photo loads) and a customer waiting for a person
// is handed back from the inbox; both leave the queue. Every screen fits a 390 px phone.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import type { Page } from 'playwright-core';
import { browserSkip, browserSuite, DESKTOP, noHorizontalScroll } from '../helpers/browser.js';
import { chooseQris, toMethodChoice } from '../helpers/pesan.js';

const photo = async () => (await QRCode.toBuffer('resep dr. Siti: Amoxicillin 500mg 3x1', { type: 'png' })).toString('base64');

describe('dashboard on the real backend', { skip: browserSkip }, () => {
  const s = browserSuite();
  // One page through every test: the dashboard is driven as a merchant leaves it open all day.
  let page: Page;

  before(async () => {
    page = await s.open('about:blank', { viewport: DESKTOP });
  });

  const attention = (kind: string, key: string) => page.locator(`[data-testid="attention-item"][data-kind="${kind}"][data-${kind === 'handover' ? 'wa' : 'order'}="${key}"]`);

  test('new orders appear live with full numbers, Today counts them, search finds one by number', async () => {
    await page.goto(`${s.p.base}/dashboard`);
    await page.getByTestId('today-orders-today').waitFor();
    assert.equal(await page.getByTestId('today-orders-today').innerText(), '0');

    const ani = s.p.customer('6281390000001', 'Ani');
    await toMethodChoice(ani, 'paracetamol 2');
    await chooseQris(ani);
    const paid = await fetch(`${s.p.base}/sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ wa_id: ani.waId }) });
    assert.equal(paid.status, 200);
    await ani.waitFor((_m, t) => t.includes('sudah diterima'), 'payment received');
    const dedi = s.p.customer('6281390000002', 'Dedi');
    await toMethodChoice(dedi, 'aqua 3');

    const orders = (await s.p.api('GET', '/api/v1/orders')).body.orders.filter((o: any) => o.status !== 'cart');
    assert.equal(orders.length, 2);
    for (const o of orders) await page.locator(`[data-testid="order-row"][data-id="${o.id}"]`).filter({ hasText: o.id }).waitFor();
    const shown = await page.locator('[data-testid="order-row"] .order-id').allInnerTexts();
    assert.equal(new Set(shown).size, shown.length, 'order numbers are distinct');

    // Today: both orders, revenue from the paid one only.
    const paidOrder = (await s.p.api('GET', '/api/v1/orders?status=paid')).body.orders[0] ?? orders.find((o: any) => o.payment?.status === 'paid');
    assert.ok(paidOrder, 'one order is paid');
    const revenue = 'Rp ' + paidOrder.total.toLocaleString('id-ID');
    await page.waitForFunction(() => document.querySelector('[data-testid="today-orders-today"]')?.textContent === '2');
    await page.locator('[data-testid="today-revenue-today"]', { hasText: revenue }).waitFor();

    const unpaid = orders.find((o: any) => o.id !== paidOrder.id);
    await page.getByTestId('order-search').fill(unpaid.id);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 1);
    assert.equal(await page.getByTestId('order-row').getAttribute('data-id'), unpaid.id);
    await page.getByTestId('order-search').fill('');
  });

  test('a prescription and a waiting customer are handled from Needs attention and leave the queue', async () => {
    const citra = s.p.customer('6281390000003', 'Citra');
    await citra.say('amoxicillin 1');
    await citra.waitFor((_m, t) => t.includes('butuh resep dokter'), 'prescription flag');
    await citra.mark();
    await citra.tap('confirm');
    await citra.waitFor((_m, t) => t.includes('kirim foto resep'), 'prescription request');
    await citra.mark();
    await citra.sendImage(await photo(), 'image/png');
    await citra.waitFor((_m, t) => t.includes('resep sedang dicek'), 'prescription received');
    const rx = (await s.p.api('GET', '/api/v1/orders?status=awaiting_prescription')).body.orders[0];
    assert.ok(rx);

    await attention('prescription', rx.id).click();
    await page.locator('[data-testid="order-status"][data-status="awaiting_prescription"]').waitFor();
    await page.waitForFunction(() => {
      const i = document.querySelector('[data-testid="timeline-photo"]') as HTMLImageElement | null;
      return !!i && i.complete && i.naturalWidth > 0;
    });
    await page.getByTestId('prescription-approve').click();
    await page.locator('[data-testid="order-status"][data-status="awaiting_payment"]').waitFor();
    await attention('prescription', rx.id).waitFor({ state: 'detached' });

    const eko = s.p.customer('6281390000004', 'Eko');
    await eko.say('halo');
    await eko.waitFor((_m, t) => t.includes('Selamat datang'), 'greeting');
    await eko.mark();
    await eko.say('mau ngomong sama admin');
    await eko.waitFor((_m, t) => t.includes('admin kami akan segera membalas'), 'handover notice');
    await attention('handover', eko.waId).click();
    await page.getByTestId('hand-back').click();
    await eko.waitFor((_m, t) => t.includes('Asisten otomatis kami aktif lagi'), 'hand-back notice');
    await page.getByTestId('tab-orders').click();
    await attention('handover', eko.waId).waitFor({ state: 'detached' });
    await noHorizontalScroll(page, 'orders at 1366');
    await page.screenshot({ path: '/tmp/dashboard-live-1366.png' });
  });

  test('the API docs cover every route README names, with request bodies from the validation schemas', async () => {
    const doc = await (await fetch(`${s.p.base}/api/openapi.json`)).json();
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const named = [...readme.matchAll(/(GET|POST|PUT|PATCH|DELETE)[ |]+`?(\/api\/v1\/[^\s`)?]*)/g)].map((m) => [m[1]!.toLowerCase(), m[2]!.replace(/:([A-Za-z]+)/g, '{$1}')] as const);
    assert.ok(named.length > 10);
    for (const [method, path] of named) assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is documented`);
    assert.ok(doc.paths['/api/v1/settings']?.get && doc.paths['/api/v1/settings']?.patch);
    assert.ok(doc.paths['/api/v1/orders/{id}/dispatch'].post.requestBody.content['application/json'].schema.properties.driver_name);
    const html = await fetch(`${s.p.base}/api/docs`, { headers: { accept: 'text/html' } });
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    await page.goto(`${s.p.base}/api/docs`);
    await page.getByTestId('api-op').first().waitFor();
    assert.ok((await page.getByTestId('api-op').count()) >= named.length / 2);
    await page.goto(`${s.p.base}/dashboard`);
    await page.getByTestId('order-row').first().waitFor();
  });

  test('the catalog adds, edits, deletes and imports products from the page', async () => {
    await page.getByTestId('tab-catalog').click();
    await page.getByTestId('catalog-tools').locator('summary').click();
    await page.getByTestId('new-sku').fill('TST-MADU');
    await page.getByTestId('new-name').fill('Madu Hutan 250ml');
    await page.getByTestId('new-price').fill('45000');
    await page.getByTestId('new-stock').fill('2');
    await page.getByTestId('new-category').fill('Herbal');
    await page.getByTestId('new-aliases').fill('madu, honey');
    await page.getByTestId('new-save').click();
    const row = page.locator('[data-testid="product-row"][data-sku="TST-MADU"]');
    await row.waitFor();
    const saved = (await s.p.api('GET', '/api/v1/products')).body.products.find((x: any) => x.sku === 'TST-MADU');
    assert.deepEqual([saved.name, saved.price, saved.stock, saved.category, saved.aliases], ['Madu Hutan 250ml', 45000, 2, 'Herbal', ['madu', 'honey']]);
    await row.getByTestId('stock-input').fill('9');
    await row.getByTestId('product-save').click();
    await row.getByText('Tersimpan').waitFor();
    assert.equal((await s.p.api('GET', '/api/v1/products')).body.products.find((x: any) => x.sku === 'TST-MADU').stock, 9);
    await row.getByTestId('product-delete').click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await s.p.api('GET', '/api/v1/products')).body.products.some((x: any) => x.sku === 'TST-MADU'), false);

    // Import: the export's own header, with one new product.
    const exported = await (await fetch(`${s.p.base}/api/v1/products/export`, { headers: { authorization: `Bearer ${s.p.adminKey}` } })).text();
    const header = exported.replace(/^\uFEFF/, '').split(/\r?\n/)[0]!;
    const cols = header.split(',');
    const values: Record<string, string> = { sku: 'TST-JAHE', name: 'Jahe Merah Sachet', price: '3000', stock: '40' };
    const csv = `${header}\n${cols.map((c) => values[c] ?? '').join(',')}\n`;
    await page.getByTestId('csv-file').setInputFiles({ name: 'produk.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('[data-testid="csv-result"]', { hasText: 'diimpor' }).waitFor();
    await page.locator('[data-testid="product-row"][data-sku="TST-JAHE"]').waitFor();
    assert.equal((await s.p.api('GET', '/api/v1/products')).body.products.find((x: any) => x.sku === 'TST-JAHE').price, 3000);
  });

  test('every screen fits a 390 px phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const tab of ['tab-orders', 'tab-catalog', 'tab-inbox']) {
      await page.getByTestId(tab).click();
      await page.locator(`#panel-${tab.slice(4)}`).waitFor({ state: 'visible' });
      await noHorizontalScroll(page, `${tab} at 390`);
      await page.screenshot({ path: `/tmp/dashboard-live-390-${tab}.png`, fullPage: true });
    }
    await page.getByTestId('tab-orders').click();
    await page.getByTestId('order-row').first().click();
    await page.getByTestId('order-status').waitFor();
    await noHorizontalScroll(page, 'order detail at 390');
    // Installable: a manifest with icons that decode, and an active service worker.
    const pwa = await page.evaluate(async () => {
      const href = (document.querySelector('link[rel=manifest]') as HTMLLinkElement).href;
      const m = await (await fetch(href)).json();
      const img = new Image();
      img.src = m.icons[0].src;
      await img.decode();
      const reg = await navigator.serviceWorker.ready;
      return { display: m.display, width: img.naturalWidth, sizes: m.icons[0].sizes, active: !!reg.active };
    });
    assert.deepEqual(pwa, { display: 'standalone', width: 192, sizes: '192x192', active: true });
    assert.deepEqual(s.pageErrors, []);
  });
});
