// The merchant dashboard in a real (Debian) Chromium against a stand-in of the admin API (/api/v1),
// shaped as DESIGN.md's operator contract describes it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { Page } from 'playwright-core';
import { browserSkip, browserSuite, DESKTOP } from '../helpers/browser.js';
import { dashboardPage } from '../../src/dashboard/dashboard-page.js';
import { listen } from '../helpers/http.js';

const KEY = 'adm_test_key_123';

function standInAdminApi(app: FastifyInstance) {
  const calls: { method: string; url: string; body: any }[] = [];
  const now = Date.now();
  const orders: any[] = [
    {
      id: '0b9f6c1e-2d4a-4e7b-9a51-7f2c3d4e5f60',
      status: 'paid',
      customer: { wa_id: '6281234567890', name: 'Budi' },
      items: [
        { sku: 'PCT500', name: 'Paracetamol 500mg', quantity: 2, unit_price: 12000, line_total: 24000 },
        { sku: 'AQUA600', name: 'Aqua 600ml', quantity: 3, unit_price: 4000, line_total: 12000 },
      ],
      subtotal: 36000,
      delivery_fee: 15000,
      total: 51000,
      payment: { gateway: 'midtrans', method: 'qris', status: 'paid', amount: 51000, expires_at: new Date(now + 20 * 60_000).toISOString() },
      delivery: null,
      timeline: [
        { type: 'status', from_status: null, to_status: 'cart', data: {}, created_at: new Date(now - 9 * 60_000).toISOString() },
        { type: 'status', from_status: 'awaiting_payment', to_status: 'paid', data: { gateway: 'midtrans', reference: 'A120' }, created_at: new Date(now - 2 * 60_000).toISOString() },
      ],
      created_at: new Date(now - 9 * 60_000).toISOString(),
    },
    {
      id: '5e1d2c3b-0000-4000-8000-000000000002',
      status: 'awaiting_payment',
      customer: { wa_id: '6281298765432', name: 'Sari' },
      items: [{ sku: 'OBH', name: 'OBH Combi 100ml', quantity: 1, unit_price: 21000, line_total: 21000 }],
      subtotal: 21000,
      delivery_fee: 10000,
      total: 31000,
      payment: { gateway: 'xendit', method: 'va', status: 'pending', amount: 31000, expires_at: new Date(now + 25 * 60_000).toISOString() },
      delivery: null,
      timeline: [],
      created_at: new Date(now - 60_000).toISOString(),
    },
    {
      id: '9a8b7c6d-0000-4000-8000-000000000003',
      status: 'awaiting_prescription',
      customer: { wa_id: '6281211112222', name: 'Dewi' },
      items: [{ sku: 'AMOX500', name: 'Amoxicillin 500mg', quantity: 1, unit_price: 35000, line_total: 35000, prescription: true }],
      subtotal: 35000,
      delivery_fee: 0,
      total: 35000,
      payment: null,
      delivery: null,
      timeline: [{ type: 'prescription_received', from_status: null, to_status: null, data: { media_id: 'rx-photo-1' }, created_at: new Date(now - 5 * 60_000).toISOString() }],
      created_at: new Date(now - 6 * 60_000).toISOString(),
    },
  ];
  const products: any[] = [
    { sku: 'PCT500', name: 'Paracetamol 500mg', price: 12000, stock: 40, category: 'Obat', prescription: false },
    { sku: 'AMOX500', name: 'Amoxicillin 500mg', price: 35000, stock: 10, category: 'Obat', prescription: true },
    { sku: 'AQUA600', name: 'Aqua 600ml', price: 4000, stock: 0, category: 'Minuman' },
  ];
  const push = (order: any, type: string, to: string, data: object) => {
    order.timeline.push({ type, from_status: order.status, to_status: to, data, created_at: new Date().toISOString() });
    order.status = to;
  };

  app.register(async (api) => {
    api.addHook('onRequest', async (req, reply) => {
      calls.push({ method: req.method, url: req.url, body: undefined });
      if (req.headers.authorization !== `Bearer ${KEY}`) return reply.status(401).send({ error: 'unauthorized' });
    });
    api.addHook('preHandler', async (req) => {
      calls[calls.length - 1]!.body = req.body;
    });
    api.get('/orders', async (req) => {
      const status = (req.query as any).status;
      return { orders: orders.filter((o) => !status || o.status === status) };
    });
    api.get('/orders/:id', async (req, reply) => orders.find((o) => o.id === (req.params as any).id) ?? reply.status(404).send({ error: 'not found' }));
    api.post('/orders/:id/dispatch', async (req, reply) => {
      const o = orders.find((x) => x.id === (req.params as any).id);
      const b = req.body as any;
      if (!o || !['paid', 'dispatching'].includes(o.status)) return reply.status(409).send({ error: 'order cannot be dispatched now' });
      o.delivery = { courier: 'manual', provider: b.provider, status: 'driver_assigned', driver_name: b.driver_name, driver_phone: b.driver_phone, vehicle_plate: b.vehicle_plate, tracking_url: b.tracking_url ?? null };
      push(o, 'status', 'driver_assigned', { provider: b.provider, driver_name: b.driver_name });
      return o;
    });
    api.post('/orders/:id/delivery-status', async (req, reply) => {
      const o = orders.find((x) => x.id === (req.params as any).id);
      const b = req.body as any;
      const to = b.status === 'failed' ? 'delivery_failed' : b.status;
      if (!o) return reply.status(404).send({ error: 'not found' });
      if (b.status === 'delivered' && o.status !== 'picked_up') return reply.status(409).send({ error: `order cannot go from ${o.status} to delivered` });
      o.delivery.status = to;
      push(o, 'status', to, b.note ? { note: b.note } : {});
      return o;
    });
    api.post('/orders/:id/prescription', async (req, reply) => {
      const o = orders.find((x) => x.id === (req.params as any).id);
      if (!o || o.status !== 'awaiting_prescription') return reply.status(409).send({ error: 'order is not waiting for a prescription' });
      push(o, 'prescription_approved', 'awaiting_payment', {});
      return o;
    });
    api.post('/orders/:id/cancel', async (req) => {
      const o = orders.find((x) => x.id === (req.params as any).id);
      push(o, 'status', 'cancelled', { by: 'merchant' });
      return o;
    });
    api.get('/products', async () => ({ products }));
    api.patch('/products/:sku', async (req, reply) => {
      const p = products.find((x) => x.sku === (req.params as any).sku);
      if (!p) return reply.status(404).send({ error: 'no such product' });
      Object.assign(p, req.body);
      return p;
    });
  }, { prefix: '/api/v1' });
  return { calls, orders, products };
}

describe('merchant dashboard', () => {
  let app: FastifyInstance;
  let base: string;
  let api: ReturnType<typeof standInAdminApi>;

  before(async () => {
    app = Fastify({ forceCloseConnections: true });
    // Two mounts of the page: sandbox (key embedded) and production-like (key asked for).
    await app.register(dashboardPage, { adminApiKey: KEY, merchantName: 'Apotek Sehat', mediaBase: '/media/' });
    app.get('/media/:id', async (_req, reply) => reply.type('image/png').send(await QRCode.toBuffer('resep', { scale: 4 })));
    await app.register(async (prod) => {
      await prod.register(dashboardPage, { merchantName: 'Apotek </script> Sehat' });
    }, { prefix: '/prod' });
    api = standInAdminApi(app);
    base = await listen(app);
  });
  after(async () => {
    await app.close();
  });

  test('the page embeds the admin key only when given one, safely inside its script element', async () => {
    const sandbox = await (await fetch(`${base}/dashboard`)).text();
    assert.ok(sandbox.includes(JSON.stringify(KEY)));
    const prod = await fetch(`${base}/prod/dashboard`);
    assert.equal(prod.headers.get('cache-control'), 'no-store');
    const html = await prod.text();
    assert.ok(!html.includes(KEY));
    assert.ok(html.includes('"apiKey":null'));
    assert.ok(html.includes('Apotek &lt;/script&gt; Sehat'));
    assert.equal((await fetch(`${base}/dashboard/app.js`)).status, 200);
    assert.equal((await fetch(`${base}/dashboard/style.css`)).status, 200);
  });

  describe('in a browser', { skip: browserSkip }, () => {
    const s = browserSuite({ pesan: false });
    let page: Page;

    before(async () => {
      page = await s.open('about:blank', { viewport: DESKTOP, timezoneId: 'America/New_York', timeoutMs: 10_000 });
    });

    test('lists orders with status, customer, total and WIB time, newest first', async () => {
      await page.goto(`${base}/dashboard`);
      const rows = page.getByTestId('order-row');
      await rows.first().waitFor();
      assert.deepEqual(await rows.evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.id)), [api.orders[1].id, api.orders[2].id, api.orders[0].id]);
      const first = await rows.nth(2).innerText();
      assert.match(first, /Budi/);
      assert.match(first, /6281234567890/);
      assert.match(first, /dibayar/);
      assert.match(first, /Rp 51\.000/);
      const created = new Date(api.orders[0].created_at);
      const wib = new Date(created.getTime() + 7 * 3600_000).toISOString();
      assert.ok(first.includes(`${wib.slice(11, 16)}`), `time shown in WIB (${wib.slice(11, 16)}) in: ${first}`);

      await page.getByTestId('status-filter').selectOption('awaiting_payment');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 1);
      assert.ok(api.calls.some((c) => c.url === '/api/v1/orders?status=awaiting_payment'));
      await page.getByTestId('status-filter').selectOption('');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="order-row"]').length === 3);
    });

    test('an order is dispatched manually, then marked picked up and delivered', async () => {
      const order = api.orders[0];
      await page.locator(`[data-testid="order-row"][data-id="${order.id}"]`).click();
      await page.locator('[data-testid="order-status"][data-status="paid"]').waitFor();
      await page.locator('[data-testid="timeline"] .status-change[data-from="awaiting_payment"][data-to="paid"]').waitFor();
      assert.match(await page.getByTestId('timeline').innerText(), /menunggu bayar → dibayar/);

      await page.getByTestId('dispatch-provider').selectOption('maxim');
      await page.getByTestId('driver-name').fill('Joko');
      await page.getByTestId('driver-phone').fill('081377778888');
      await page.getByTestId('vehicle-plate').fill('B 1234 XYZ');
      await page.getByTestId('dispatch-submit').click();
      await page.locator('[data-testid="order-status"][data-status="driver_assigned"]').waitFor();
      const dispatch = api.calls.find((c) => c.url === `/api/v1/orders/${order.id}/dispatch`);
      assert.deepEqual(dispatch?.body, { provider: 'maxim', driver_name: 'Joko', driver_phone: '081377778888', vehicle_plate: 'B 1234 XYZ' });
      assert.match(await page.getByTestId('delivery-info').innerText(), /Joko/);

      // Delivered before pickup is refused by the API: the merchant sees why.
      await page.locator('[data-testid="delivery-status"][data-status="delivered"]').click();
      await page.locator('[data-testid="action-result"]:text("cannot go from driver_assigned")').waitFor();

      await page.locator('[data-testid="delivery-status"][data-status="picked_up"]').click();
      await page.locator('[data-testid="order-status"][data-status="picked_up"]').waitFor();
      await page.getByTestId('delivery-note').fill('diterima satpam');
      await page.locator('[data-testid="delivery-status"][data-status="delivered"]').click();
      await page.locator('[data-testid="order-status"][data-status="delivered"]').waitFor();
      assert.deepEqual(api.calls.filter((c) => c.url.endsWith('/delivery-status')).map((c) => c.body), [
        { status: 'delivered' },
        { status: 'picked_up' },
        { status: 'delivered', note: 'diterima satpam' },
      ]);
      await page.locator(`[data-testid="order-row"][data-id="${order.id}"] [data-testid="order-row-status"][data-status="delivered"]`).waitFor();
      await page.screenshot({ path: '/tmp/dashboard.png' });
    });

    test('a pharmacist sees the prescription photo and approves it', async () => {
      const order = api.orders[2];
      await page.locator(`[data-testid="order-row"][data-id="${order.id}"]`).click();
      await page.locator('[data-testid="order-status"][data-status="awaiting_prescription"]').waitFor();
      await page.waitForFunction(() => {
        const i = document.querySelector('[data-testid="timeline-photo"]') as HTMLImageElement | null;
        return !!i && i.complete && i.naturalWidth > 0;
      });
      assert.equal(await page.getByTestId('dispatch-form').count(), 0, 'no dispatch before payment');
      await page.getByTestId('prescription-approve').click();
      await page.locator('[data-testid="order-status"][data-status="awaiting_payment"]').waitFor();
      assert.deepEqual(api.calls.find((c) => c.url.endsWith('/prescription'))?.body, { decision: 'approve' });
    });

    test('stock is edited in the catalog table', async () => {
      await page.getByTestId('tab-catalog').click();
      const row = page.locator('[data-testid="product-row"][data-sku="AQUA600"]');
      await row.waitFor();
      assert.equal(await page.getByTestId('orders-table').isVisible(), false, 'only one section shows at a time');
      assert.match(await row.innerText(), /habis/);
      await row.getByTestId('stock-input').fill('24');
      await row.getByTestId('product-save').click();
      await row.getByText('Tersimpan').waitFor();
      assert.deepEqual(api.calls.find((c) => c.method === 'PATCH')?.body, { stock: 24 });
      assert.equal(api.products.find((p) => p.sku === 'AQUA600').stock, 24);
      assert.doesNotMatch(await row.innerText(), /habis/);
      await page.screenshot({ path: '/tmp/dashboard-catalog.png' });
    });

    test('without an embedded key the page asks for one and rejects a wrong one', async () => {
      await page.goto(`${base}/prod/dashboard`);
      // This stand-in has no staff API (GET /auth/me is 404), so the page asks for a key.
      await page.getByTestId('login').waitFor();
      assert.equal(await page.getByTestId('staff-login').isVisible(), false);
      await page.getByTestId('api-key').fill('wrong');
      await page.getByTestId('api-key').press('Enter');
      await page.getByText('Key tidak diterima.').waitFor();
      assert.equal(await page.getByTestId('orders-table').isVisible(), false);
      await page.getByTestId('api-key').fill(KEY);
      await page.getByTestId('api-key').press('Enter');
      await page.getByTestId('order-row').first().waitFor();
      assert.deepEqual(s.pageErrors, []);
    });
  });
});
