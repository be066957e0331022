// The sandbox chat page, driven in a real (Debian) Chromium against a stand-in of the Meta simulator's
// control API and pesan's sandbox endpoints, exactly as the page's contract describes them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { Page } from 'playwright-core';
import { browserSkip, browserSuite, DESKTOP } from '../helpers/browser.js';
import { chatPage } from '../../src/sandbox/chat-page.js';
import { listen } from '../helpers/http.js';

const MERCHANT = 'Apotek & Minimarket <Sehat>';

interface SimMessage {
  id: string;
  direction: 'in' | 'out';
  at: string;
  type: string;
  message: any;
  status?: 'sent' | 'delivered' | 'read' | 'failed';
}

/** In-memory stand-in for the Meta simulator's control API plus pesan's sandbox endpoints. */
function standIn(app: FastifyInstance) {
  const conversations = new Map<string, SimMessage[]>();
  const listeners = new Map<string, Set<(m: SimMessage) => void>>();
  const inbound: any[] = [];
  const payments: any[] = [];
  const media = new Map<string, Buffer>();
  let orderByWaId = new Map<string, any>();
  let settings = { qris_gateway: 'midtrans', va_gateway: 'xendit', courier_mode: 'normal', couriers: 'gosend,grab,manual' };
  let seq = 0;

  const emit = (waId: string, m: SimMessage) => {
    for (const fn of listeners.get(waId) ?? []) fn(m);
  };
  const record = (waId: string, m: SimMessage) => {
    const list = conversations.get(waId) ?? [];
    list.push(m);
    conversations.set(waId, list);
    emit(waId, m);
    return m;
  };
  const setStatus = (waId: string, id: string, status: SimMessage['status']) => {
    const m = conversations.get(waId)?.find((x) => x.id === id);
    if (!m) return;
    m.status = status;
    emit(waId, { ...m });
  };
  const send = (waId: string, body: any) =>
    record(waId, { id: `wamid.out${++seq}`, direction: 'out', at: new Date().toISOString(), type: body.type, message: { messaging_product: 'whatsapp', to: waId, ...body }, status: 'sent' });

  /** What "pesan" answers: a list for any text, plus a few keywords to reach the other message kinds. */
  async function reply(waId: string, msg: any) {
    if (msg.type === 'text' && /tombol/i.test(msg.text)) {
      send(waId, { type: 'interactive', interactive: { type: 'button', body: { text: 'Bayar pakai apa?' }, action: { buttons: [{ type: 'reply', reply: { id: 'pay:qris', title: 'QRIS' } }, { type: 'reply', reply: { id: 'pay:va', title: 'Virtual Account' } }] } } });
    } else if (msg.type === 'text' && /lokasi/i.test(msg.text)) {
      send(waId, { type: 'interactive', interactive: { type: 'location_request_message', body: { text: 'Kirim lokasi pengantaran ya.' }, action: { name: 'send_location' } } });
    } else if (msg.type === 'text') {
      send(waId, {
        type: 'interactive',
        interactive: {
          type: 'list',
          header: { type: 'text', text: 'Apotek Sehat' },
          body: { text: 'Halo! Mau pesan apa hari ini? *Obat* atau _kebutuhan harian_?' },
          footer: { text: 'Ketik nama barang juga bisa' },
          action: {
            button: 'Lihat menu',
            sections: [
              { title: 'Obat', rows: [{ id: 'sku:PCT500', title: 'Paracetamol 500mg', description: 'Rp 12.000 / strip' }, { id: 'sku:OBH', title: 'OBH Combi 100ml', description: 'Rp 21.000' }] },
              { title: 'Minimarket', rows: [{ id: 'sku:AQUA600', title: 'Aqua 600ml', description: 'Rp 4.000' }] },
            ],
          },
        },
      });
    } else if (msg.type === 'interactive' && msg.kind === 'list_reply') {
      send(waId, { type: 'text', text: { body: `Siap, *${msg.title}* masuk keranjang. Total Rp 12.000.` } });
      orderByWaId.set(waId, {
        id: 'ord_7f3a2c1e9b',
        status: 'awaiting_payment',
        total: 12000,
        items: [{ name: msg.title, quantity: 1, line_total: 12000 }],
        payment: { gateway: 'midtrans', method: 'qris', status: 'pending', amount: 12000, expires_at: new Date(Date.now() + 30 * 60_000).toISOString() },
        delivery: null,
      });
    } else if (msg.type === 'interactive' && msg.kind === 'button_reply') {
      const id = `media${++seq}`;
      media.set(id, await QRCode.toBuffer('00020101021226610016ID.CO.QRIS.WWW0118936009140000000000000303UMI5204541153033605405120005802ID5912APOTEK SEHAT6007JAKARTA6304ABCD', { scale: 8 }));
      send(waId, { type: 'image', image: { id, caption: 'Scan QRIS ini untuk membayar Rp 12.000' } });
    } else if (msg.type === 'location') {
      send(waId, { type: 'text', text: { body: `Alamat tersimpan: ${msg.address ?? `${msg.latitude}, ${msg.longitude}`}` } });
    }
  }

  app.post('/sandbox/meta/_sim/inbound', async (req) => {
    const { from, name, message } = req.body as any;
    inbound.push({ from, name, message });
    const webhookMessage =
      message.type === 'text'
        ? { type: 'text', text: { body: message.text } }
        : message.type === 'interactive'
          ? { type: 'interactive', interactive: { type: message.kind, [message.kind]: { id: message.replyId, title: message.title } } }
          : message.type === 'location'
            ? { type: 'location', location: { latitude: message.latitude, longitude: message.longitude, name: message.name, address: message.address } }
            : { type: 'image', image: { id: `media${++seq}`, mime_type: message.mimeType, caption: message.caption } };
    const m = record(from, { id: `wamid.in${++seq}`, direction: 'in', at: new Date().toISOString(), type: message.type, message: { from, ...webhookMessage } });
    // pesan marks the customer's message read, then answers: both arrive over SSE after this response.
    setTimeout(() => {
      setStatus(from, m.id, 'read');
      void reply(from, message);
    }, 50);
    return { wa_message_id: m.id, webhook_status: 200 };
  });
  app.get('/sandbox/meta/_sim/conversations/:waId', async (req) => ({ messages: conversations.get((req.params as any).waId) ?? [] }));
  app.get('/sandbox/meta/_sim/media/:id', async (req, res) => {
    const png = media.get((req.params as any).id);
    if (!png) return res.status(404).send({ error: 'no such media' });
    return res.type('image/png').send(png);
  });
  app.get('/sandbox/meta/_sim/events', (req, res) => {
    const waId = (req.query as any).wa_id as string;
    res.hijack();
    res.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.raw.write(': connected\n\n');
    const fn = (m: SimMessage) => res.raw.write(`event: message\ndata: ${JSON.stringify(m)}\n\n`);
    const set = listeners.get(waId) ?? new Set();
    set.add(fn);
    listeners.set(waId, set);
    req.raw.on('close', () => set.delete(fn));
  });
  app.get('/sandbox/order', async (req) => ({ order: orderByWaId.get((req.query as any).wa_id) ?? null }));
  app.post('/sandbox/pay', async (req, res) => {
    const { wa_id } = req.body as any;
    payments.push({ wa_id });
    const order = orderByWaId.get(wa_id);
    if (!order || order.payment?.status !== 'pending') return res.status(404).send({ error: 'no pending payment' });
    order.payment.status = 'paid';
    order.status = 'paid';
    send(wa_id, { type: 'text', text: { body: 'Pembayaran diterima, terima kasih!' } });
    return { ok: true, gateway: 'midtrans', reference: 'sim-ref-1', amount: order.total };
  });
  app.get('/sandbox/settings', async () => ({ ...settings, gateways: ['midtrans', 'xendit', 'doku'], courier_options: ['gosend', 'grab', 'manual'] }));
  app.post('/sandbox/settings', async (req) => {
    settings = { ...settings, ...(req.body as any) };
    return { ...settings, gateways: ['midtrans', 'xendit', 'doku'], courier_options: ['gosend', 'grab', 'manual'] };
  });

  return { inbound, payments, get settings() { return settings; }, reset: () => { orderByWaId = new Map(); } };
}

describe('sandbox chat page', () => {
  let app: FastifyInstance;
  let base: string;
  let sim: ReturnType<typeof standIn>;

  before(async () => {
    app = Fastify({ forceCloseConnections: true });
    await app.register(chatPage, { merchantName: MERCHANT });
    sim = standIn(app);
    base = await listen(app);
  });
  after(async () => {
    await app.close();
  });

  test('serves the page with the merchant name escaped, and its script and stylesheet', async () => {
    const page = await fetch(`${base}/sandbox/chat`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.ok(html.includes('Apotek &amp; Minimarket &lt;Sehat&gt;'), 'merchant name shown, escaped');
    assert.ok(!html.includes('<Sehat>'), 'merchant name cannot inject markup');
    assert.ok(html.includes('src="/sandbox/chat/app.js"'));
    assert.ok(!/https?:\/\//.test(html.replace(/xmlns="[^"]*"/g, '')), 'nothing loaded from the internet');

    const js = await fetch(`${base}/sandbox/chat/app.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.ok((await js.text()).includes("'/sandbox/meta/_sim'"), 'the script talks to the Meta simulator');

    const css = await fetch(`${base}/sandbox/chat/style.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
  });

  describe('in a browser', { skip: browserSkip }, () => {
    const s = browserSuite({ pesan: false });
    let page: Page;

    before(async () => {
      page = await s.open(`${base}/sandbox/chat`, { viewport: DESKTOP, timezoneId: 'Europe/London', timeoutMs: 10_000 });
    });

    test('a typed message goes to the simulator and the merchant list reply can be answered from its sheet', async () => {
      const waId = await page.getByTestId('customer-phone').inputValue();
      assert.match(waId, /^62812\d{8}$/, 'a random Indonesian number identifies the customer');

      await page.getByTestId('chat-input').fill('halo');
      await page.getByTestId('chat-input').press('Enter');
      await page.getByTestId('msg-customer').filter({ hasText: 'halo' }).waitFor();
      for (let i = 0; i < 100 && sim.inbound.at(-1)?.message.text !== 'halo'; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(sim.inbound.at(-1), { from: waId, name: 'Sandbox Customer', message: { type: 'text', text: 'halo' } });

      const list = page.getByTestId('msg-merchant').filter({ hasText: 'Mau pesan apa hari ini?' });
      await list.waitFor();
      assert.equal(await list.locator('strong').first().textContent(), 'Obat', 'WhatsApp *bold* is rendered');
      // The customer's own bubble shows the read ticks pesan's status update brought.
      await page.locator('[data-testid="msg-customer"] .tick[data-status="read"]').first().waitFor();

      await list.getByTestId('list-open').click();
      await page.getByTestId('list-row').first().waitFor();
      await page.screenshot({ path: '/tmp/chat-list.png' });
      assert.deepEqual(await page.getByTestId('list-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id)), ['sku:PCT500', 'sku:OBH', 'sku:AQUA600']);
      await page.locator('[data-testid="list-row"][data-id="sku:OBH"]').click();

      await page.getByTestId('msg-customer').filter({ hasText: 'OBH Combi 100ml' }).waitFor();
      for (let i = 0; i < 100 && sim.inbound.at(-1)?.message.type !== 'interactive'; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(sim.inbound.at(-1)?.message, { type: 'interactive', kind: 'list_reply', replyId: 'sku:OBH', title: 'OBH Combi 100ml' });
      await page.getByTestId('msg-merchant').filter({ hasText: 'masuk keranjang' }).waitFor();
    });

    test('the order panel follows the order and "pay now" pays the pending charge', async () => {
      await page.locator('[data-testid="order-status"]:text-is("awaiting_payment")').waitFor();
      const pay = page.getByTestId('pay-now');
      assert.equal(await pay.isEnabled(), true, 'pay is offered while a payment is pending');
      await pay.click();
      await page.locator('[data-testid="order-status"]:text-is("paid")').waitFor();
      assert.deepEqual(sim.payments.at(-1), { wa_id: await page.getByTestId('customer-phone').inputValue() });
      assert.equal(await pay.isEnabled(), false, 'nothing left to pay');
      await page.getByTestId('msg-merchant').filter({ hasText: 'Pembayaran diterima' }).waitFor();
    });

    test('reply buttons send a button_reply and the merchant QR image shows large enough to scan', async () => {
      await page.getByTestId('chat-input').fill('tombol');
      await page.getByTestId('chat-send').click();
      await page.locator('[data-testid="reply-button"][data-id="pay:qris"]').click();
      // The click's request reaches the simulator a moment after the click returns.
      for (let i = 0; i < 100 && sim.inbound.at(-1)?.message.type !== 'interactive'; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(sim.inbound.at(-1)?.message, { type: 'interactive', kind: 'button_reply', replyId: 'pay:qris', title: 'QRIS' });
      const img = page.locator('[data-testid="msg-merchant"][data-type="image"] img');
      await img.waitFor();
      await page.waitForFunction(() => {
        const i = document.querySelector('[data-testid="msg-merchant"][data-type="image"] img') as HTMLImageElement | null;
        return !!i && i.complete && i.naturalWidth > 0;
      });
      const box = await img.boundingBox();
      assert.ok(box && box.width >= 250, `QR shown at ${box?.width}px wide`);
    });

    test('a location request lets the customer send a preset pin or a point picked on the map', async () => {
      await page.getByTestId('chat-input').fill('kirim lokasi');
      await page.getByTestId('chat-input').press('Enter');
      await page.getByTestId('location-open').last().click();
      await page.getByTestId('location-preset').filter({ hasText: 'Bangka Raya' }).click();
      await page.getByTestId('msg-merchant').filter({ hasText: 'Alamat tersimpan: Jl. Bangka Raya 12' }).waitFor();
      const sent = sim.inbound.at(-1)?.message;
      assert.equal(sent.type, 'location');
      assert.equal(sent.name, 'Rumah');
      assert.ok(sent.latitude < -6.2 && sent.latitude > -6.3 && sent.longitude > 106.8 && sent.longitude < 106.83, 'Mampang coordinates');

      await page.getByTestId('location-open').last().click();
      const map = page.getByTestId('location-map');
      await page.screenshot({ path: '/tmp/chat-location.png' });
      const box = await map.boundingBox();
      assert.ok(box);
      await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
      await page.getByTestId('location-send-pin').click();
      await page.getByTestId('msg-merchant').filter({ hasText: /Alamat tersimpan: -6\.\d+, 106\.\d+/ }).waitFor();
      const pin = sim.inbound.at(-1)?.message;
      assert.ok(Math.abs(pin.latitude - -6.24) < 0.01 && Math.abs(pin.longitude - 106.83) < 0.01, `centre of the map is South Jakarta, got ${pin.latitude},${pin.longitude}`);
    });

    test('provider settings are changed from the side panel', async () => {
      await page.getByTestId('qris-gateway').selectOption('doku');
      await page.getByTestId('no-driver').check();
      await page.locator('#settings-result:text("Saved")').waitFor();
      assert.equal(sim.settings.qris_gateway, 'doku');
      assert.equal(sim.settings.courier_mode, 'no_driver');
    });

    test('an attached image is sent as base64 with the typed caption', async () => {
      const png = await QRCode.toBuffer('resep dokter', { scale: 4 });
      await page.getByTestId('chat-input').fill('resep dari dokter');
      await page.getByTestId('chat-attach').setInputFiles({ name: 'resep.png', mimeType: 'image/png', buffer: png });
      await page.locator('[data-testid="msg-customer"][data-type="image"] img').waitFor();
      for (let i = 0; i < 100 && sim.inbound.at(-1)?.message.type !== 'image'; i++) await new Promise((r) => setTimeout(r, 20));
      const sent = sim.inbound.at(-1)?.message;
      assert.equal(sent.type, 'image');
      assert.equal(sent.mimeType, 'image/png');
      assert.equal(sent.caption, 'resep dari dokter');
      assert.deepEqual(Buffer.from(sent.dataBase64, 'base64'), png);
    });

    test('the conversation and the customer survive a reload; "new customer" starts an empty chat', async () => {
      const waId = await page.getByTestId('customer-phone').inputValue();
      await page.screenshot({ path: '/tmp/chat.png' });
      await page.reload();
      assert.equal(await page.getByTestId('customer-phone').inputValue(), waId);
      await page.getByTestId('msg-customer').filter({ hasText: 'halo' }).waitFor();
      await page.getByTestId('msg-merchant').filter({ hasText: 'Pembayaran diterima' }).waitFor();
      // Shown in Jakarta time whatever the browser's zone (it runs in London here).
      const shown = await page.locator('[data-testid="msg-customer"] time').first().textContent();
      const at = await page.locator('[data-testid="msg-customer"] time').first().getAttribute('datetime');
      const expected = new Date(new Date(at!).getTime() + 7 * 3600_000).toISOString().slice(11, 16);
      assert.equal(shown, expected);

      await page.getByTestId('new-customer').click();
      assert.notEqual(await page.getByTestId('customer-phone').inputValue(), waId);
      assert.equal(await page.getByTestId('msg-customer').count(), 0);
      assert.equal(await page.getByTestId('order-status').isVisible(), false);
      assert.deepEqual(s.pageErrors, []);
    });
  });
});
