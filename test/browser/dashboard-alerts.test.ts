// Live alerts on the real backend: a customer who asks for a person, a message from them and a new
// order each ring and raise a browser notification without a reload; with the switch off nothing
// rings. On a 390×844 phone.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSkip, browserSuite, PHONE } from '../helpers/browser.js';
import { toMethodChoice } from '../helpers/pesan.js';

describe('dashboard live alerts', { skip: browserSkip }, () => {
  const s = browserSuite();
  let page: Page;

  before(async () => {
    page = await s.dashboard(PHONE, {
      // Record notifications and the page's alert events instead of showing them.
      // (A string: a compiled function could call helpers that do not exist in the page.)
      initScript: `
      window.__notes = [];
      window.__alerts = [];
      window.Notification = function (title, opts) { window.__notes.push({ title, body: (opts && opts.body) || '' }); this.close = () => {}; };
      window.Notification.permission = 'granted';
      window.Notification.requestPermission = async () => 'granted';
      window.addEventListener('pesan:alert', (e) => window.__alerts.push(e.detail));
    `,
    });
  });

  const notes = () => page.evaluate(() => (window as any).__notes as { title: string; body: string }[]);
  const waitNotes = (n: number) => page.waitForFunction((k) => (window as any).__notes.length >= k, n, { timeout: 20_000 });

  test('a waiting customer, their next message and a new order notify; switched off, nothing does', async () => {
    await page.getByTestId('order-search').waitFor();
    await page.waitForFunction(() => /WIB/.test(document.getElementById('live')?.textContent ?? ''));
    // The first inbox load only learns what is there.
    await page.locator('[data-testid="convo-list"][data-loaded="true"]').waitFor({ state: 'attached' });

    const eka = s.p.customer('6281366600001', 'Eka');
    await eka.say('mau ngomong sama admin');
    await waitNotes(1).catch(async (e) => {
      throw new Error(`${e.message}; alerts ${JSON.stringify(await page.evaluate(() => [(window as any).__alerts, (window as any).__notes, document.getElementById('inbox-count')?.textContent]))}`);
    });
    assert.match((await notes())[0]!.title, /Pesan dari Eka/);
    await page.locator('[data-testid="attention-item"][data-kind="handover"]').waitFor();

    await eka.say('halo kak, stok masker ada?');
    await page.waitForFunction(() => (window as any).__notes.some((n: any) => /masker/.test(n.body)));

    const fajar = s.p.customer('6281366600002', 'Fajar');
    await toMethodChoice(fajar, 'aqua 2');
    await page.waitForFunction(() => (window as any).__notes.some((n: any) => /Pesanan baru PSN-/.test(n.title)));
    const order = (await s.p.api('GET', '/api/v1/dashboard/orders')).body.orders.find((o: any) => o.customer.wa_id === fajar.waId);
    assert.ok((await notes()).some((n) => n.title === `Pesanan baru ${order.id}`), 'the notification names the full order number');
    await page.locator(`[data-testid="order-row"][data-id="${order.id}"]`).waitFor();

    await page.getByTestId('alerts-on').uncheck();
    const before = (await notes()).length;
    await eka.say('kak?');
    const gina = s.p.customer('6281366600003', 'Gina');
    await toMethodChoice(gina, 'aqua 1');
    const ginaOrder = async () => (await s.p.api('GET', '/api/v1/dashboard/orders')).body.orders.find((o: any) => o.customer.wa_id === gina.waId);
    for (let i = 0; i < 50 && !(await ginaOrder()); i++) await new Promise((r) => setTimeout(r, 100));
    await page.locator(`[data-testid="order-row"][data-id="${(await ginaOrder()).id}"]`).waitFor();
    await page.waitForTimeout(4000); // two inbox refreshes
    assert.equal((await notes()).length, before, 'no alerts while switched off');
    assert.equal(await page.evaluate(() => localStorage.getItem('pesan.alerts')), 'off', 'the choice is kept');
    assert.deepEqual(s.pageErrors, []);
  });
});
