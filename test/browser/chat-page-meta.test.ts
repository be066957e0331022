// The chat page against the real Meta simulator: customer messages travel as signed webhooks to a small
// stand-in for pesan, whose replies go back through the Graph API. This pins the page to the simulator's
// actual control API rather than to the stand-in of chat-page.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { Page } from 'playwright-core';
import { browserSkip, browserSuite, DESKTOP } from '../helpers/browser.js';
import { chatPage } from '../../src/sandbox/chat-page.js';
import { metaSimulator } from '../../src/channel/whatsapp/simulator.js';
import { listen } from '../helpers/http.js';

const META = { appSecret: 'chat-app-secret', accessToken: 'EAAG-chat-token', phoneNumberId: '106540352242922', displayPhoneNumber: '6281100001111' };

describe('sandbox chat page with the Meta simulator', { skip: browserSkip }, () => {
  let app: FastifyInstance;
  let pesan: FastifyInstance;
  let base: string;
  const s = browserSuite({ pesan: false });
  let page: Page;
  const webhookMessages: any[] = [];
  const webhookStatuses: any[] = [];

  async function graph(path: string, init: RequestInit) {
    const res = await fetch(`${base}/sandbox/meta/v25.0/${META.phoneNumberId}/${path}`, { ...init, headers: { authorization: `Bearer ${META.accessToken}`, ...(init.headers ?? {}) } });
    assert.equal(res.status, 200, await res.clone().text());
    return res.json() as Promise<any>;
  }
  const sendMessage = (body: object) => graph('messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...body }) });

  /** What pesan would do: mark the message read, then answer it through the Graph API. */
  async function answer(m: any) {
    await sendMessage({ status: 'read', message_id: m.id });
    if (m.type === 'text') {
      await sendMessage({
        to: m.from,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Halo! Pilih produk:' },
          action: { button: 'Katalog', sections: [{ title: 'Obat', rows: [{ id: 'sku:PCT500', title: 'Paracetamol 500mg', description: 'Rp 12.000' }] }] },
        },
      });
    } else if (m.type === 'interactive') {
      const form = new FormData();
      form.append('messaging_product', 'whatsapp');
      form.append('type', 'image/png');
      form.append('file', new Blob([new Uint8Array(await QRCode.toBuffer('00020101021226QRIS-SANDBOX', { scale: 8 }))], { type: 'image/png' }), 'qris.png');
      const { id } = await graph('media', { method: 'POST', body: form });
      await sendMessage({ to: m.from, type: 'image', image: { id, caption: 'Scan QRIS: Rp 12.000' } });
    }
  }

  before(async () => {
    pesan = Fastify();
    pesan.post('/webhooks/whatsapp', async (req) => {
      const value = (req.body as any).entry[0].changes[0].value;
      for (const st of value.statuses ?? []) webhookStatuses.push(st);
      for (const m of value.messages ?? []) {
        webhookMessages.push(m);
        setTimeout(() => void answer(m).catch((err) => console.error('stand-in pesan failed to answer', err)), 10);
      }
      return { ok: true };
    });
    const pesanUrl = await listen(pesan);
    app = Fastify({ forceCloseConnections: true });
    await app.register(chatPage, { merchantName: 'Apotek Sehat' });
    await app.register(metaSimulator, { prefix: '/sandbox/meta', webhookUrl: `${pesanUrl}/webhooks/whatsapp`, statusDelayMs: 20, ...META });
    base = await listen(app);
    page = await s.open('about:blank', { viewport: DESKTOP, timeoutMs: 10_000 });
  });
  after(async () => {
    await app?.close();
    await pesan?.close();
  });

  test('chat from text to list reply to QR image, with read receipts both ways', async () => {
    await page.goto(`${base}/sandbox/chat`);
    const waId = await page.getByTestId('customer-phone').inputValue();
    await page.getByTestId('chat-input').fill('halo');
    await page.getByTestId('chat-send').click();

    const list = page.getByTestId('msg-merchant').filter({ hasText: 'Pilih produk' });
    await list.waitFor();
    assert.equal(webhookMessages[0].from, waId);
    assert.deepEqual(webhookMessages[0].text, { body: 'halo' });
    // pesan marked the customer's message read; the page shows blue ticks on it.
    await page.locator('[data-testid="msg-customer"] .tick[data-status="read"]').first().waitFor();
    // The page has the chat open, so pesan's delivered list becomes read and pesan hears of it.
    await list.locator('.tick[data-status="read"]').waitFor();
    assert.ok(webhookStatuses.some((s) => s.status === 'read' && s.recipient_id === waId));

    await list.getByTestId('list-open').click();
    await page.locator('[data-testid="list-row"][data-id="sku:PCT500"]').click();
    const img = page.locator('[data-testid="msg-merchant"][data-type="image"] img');
    await img.waitFor();
    await page.waitForFunction(() => {
      const i = document.querySelector('[data-testid="msg-merchant"][data-type="image"] img') as HTMLImageElement | null;
      return !!i && i.complete && i.naturalWidth > 0;
    });
    const reply = webhookMessages.find((m) => m.type === 'interactive');
    assert.deepEqual(reply.interactive, { type: 'list_reply', list_reply: { id: 'sku:PCT500', title: 'Paracetamol 500mg' } });
    await page.getByTestId('msg-customer').filter({ hasText: 'Paracetamol 500mg' }).waitFor();
    assert.equal(await page.getByTestId('msg-customer').count(), 2, 'each customer message shown once (optimistic copy and event merge)');
  });
});
