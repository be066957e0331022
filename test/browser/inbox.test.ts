// The dashboard's chat inbox in a real (Debian) Chromium against a whole pesan instance: a customer
// asks for a person, staff answer by typing in the dashboard, and hand the customer back to the bot.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSkip, browserSuite, DESKTOP } from '../helpers/browser.js';
import type { Customer } from '../helpers/pesan.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** "HH:MM" of an instant in Asia/Jakarta (UTC+7), computed without the browser. */
const wibClock = (iso: string) => new Date(Date.parse(iso) + 7 * 3600_000).toISOString().slice(11, 16);

describe('chat inbox in the dashboard', { skip: browserSkip }, () => {
  const s = browserSuite();
  let page: Page;

  before(async () => {
    // A merchant's laptop set to another zone: the inbox still shows WIB.
    page = await s.open('about:blank', { viewport: DESKTOP, timezoneId: 'America/New_York', timeoutMs: 15_000 });
  });

  async function handled(c: Customer): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const row = await s.p.ctx.db.one<{ processed_at: Date | null }>('SELECT processed_at FROM inbound_messages WHERE wa_message_id = $1', [c.lastWaMessageId]);
      if (row?.processed_at) return;
      await sleep(50);
    }
    throw new Error('message never processed');
  }
  const outboundCount = async (waId: string) => Number((await s.p.ctx.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM outbound_messages WHERE to_wa_id = $1', [waId]))!.n);
  const row = (waId: string) => page.locator(`[data-testid="convo-row"][data-wa-id="${waId}"]`);
  const bubble = (text: string) => page.getByTestId('bubble').filter({ hasText: text });

  test('staff answer a customer who asked for a person, then hand back to the bot', async () => {
    const rina = s.p.customer('6281377100001', 'Rina');
    const budi = s.p.customer('6281377100002', 'Budi');
    await rina.say('paracetamol 2');
    await rina.waitFor((_m, t) => t.includes('Subtotal'), 'cart summary');
    await budi.say('halo');
    await budi.waitFor((_m, t) => t.includes('Selamat datang'), 'greeting');
    await budi.mark();
    await budi.say('mau ngomong sama admin');
    await budi.waitFor((_m, t) => t.includes('admin kami akan segera membalas'), 'handover notice');

    await page.goto(`${s.p.base}/dashboard`);
    await page.getByTestId('tab-inbox').click();
    await row(budi.waId).waitFor();
    await row(rina.waId).waitFor();
    assert.equal(await page.getByTestId('inbox-count').innerText(), '1');
    const order = await page.getByTestId('convo-row').evaluateAll((rs) => rs.map((r) => (r as HTMLElement).dataset.waId));
    assert.equal(order[0], budi.waId, 'the customer waiting for a person is listed first');
    assert.equal(await row(budi.waId).getByTestId('handover-badge').count(), 1);
    assert.equal(await row(rina.waId).getByTestId('handover-badge').count(), 0);
    await row(rina.waId).locator('[data-status="awaiting_confirmation"]').waitFor();

    await row(budi.waId).click();
    await bubble('mau ngomong sama admin').waitFor();
    await page.getByTestId('hand-back').waitFor();
    assert.match(await page.getByTestId('thread-banner').innerText(), /bot diam/);
    // Times are WIB whatever the browser's zone.
    const thread = (await s.p.api('GET', `/api/v1/inbox/${budi.waId}/messages`)).body.messages as any[];
    const asked = thread.find((m) => m.text === 'mau ngomong sama admin');
    assert.equal(await bubble('mau ngomong sama admin').getByTestId('bubble-time').innerText(), wibClock(asked.at));
    // The bot's menu shows as readable text with its options.
    assert.match(await page.getByTestId('bubble').filter({ hasText: 'Pilih kategori' }).innerText(), /Obat/);

    // The customer writes again: the bot stays quiet and the message shows up without a reload.
    const before = await outboundCount(budi.waId);
    await budi.say('ada obat batuk untuk anak?');
    await handled(budi);
    assert.equal(await outboundCount(budi.waId), before, 'the bot is silent');
    await bubble('ada obat batuk untuk anak?').waitFor();
    await row(budi.waId).getByTestId('unread').filter({ hasText: '1' }).waitFor();

    // Staff type a reply and press Enter; the customer gets it on WhatsApp.
    await budi.mark();
    await page.getByTestId('reply-text').fill('Ada kak, OBH Anak 60ml. Mau saya masukkan ke pesanan?');
    await page.getByTestId('reply-text').press('Enter');
    await budi.waitFor((m, t) => m.message.type === 'text' && t === 'Ada kak, OBH Anak 60ml. Mau saya masukkan ke pesanan?', 'staff reply on WhatsApp');
    const staff = bubble('OBH Anak 60ml');
    await staff.waitFor();
    assert.equal(await staff.getAttribute('data-by'), 'staff');
    assert.equal(await page.getByTestId('reply-text').inputValue(), '', 'the reply box is cleared');
    await page.screenshot({ path: '/tmp/inbox.png' });

    // Hand back: the customer is told, the badge goes, and the bot answers again.
    await budi.mark();
    await page.getByTestId('hand-back').click();
    await budi.waitFor((_m, t) => t.includes('Asisten otomatis kami aktif lagi'), 'hand-back notice');
    await page.getByTestId('take-over').waitFor();
    await row(budi.waId).and(page.locator('[data-handover="false"]')).waitFor();
    await page.getByTestId('inbox-count').waitFor({ state: 'hidden' });
    await budi.mark();
    await budi.say('halo');
    await budi.waitFor((_m, t) => t.includes('Selamat datang'), 'the bot answers again');
    await bubble('Asisten otomatis kami aktif lagi').waitFor();

    // Take over another conversation by hand: the bot goes quiet for Rina.
    await row(rina.waId).click();
    await bubble('paracetamol 2').waitFor();
    await page.getByTestId('take-over').click();
    await page.getByTestId('hand-back').waitFor();
    await row(rina.waId).getByTestId('handover-badge').waitFor();
    const n = await outboundCount(rina.waId);
    await rina.say('ya');
    await handled(rina);
    assert.equal(await outboundCount(rina.waId), n, 'the bot is silent after taking over');

    // The conversation's order opens in the Orders view, which still works.
    await page.getByTestId('thread-order').click();
    await page.locator('[data-testid="order-status"][data-status="awaiting_confirmation"]').waitFor();
    assert.equal(await page.getByTestId('thread').isVisible(), false, 'one section at a time');
    assert.match(await page.getByTestId('order-detail').innerText(), /Paracetamol/);
    assert.deepEqual(s.pageErrors, []);
  });
});
