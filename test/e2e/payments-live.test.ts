// Payments through the chat with gateway answers in the forms the real services use: Midtrans QRIS
// without qr_string, DOKU accounts that make their own VA numbers and notify QRIS with parameters.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { postJson, startPesan, toMethodChoice, chooseQris, chooseVa, type Pesan } from '../helpers/pesan.js';

describe('Midtrans QRIS answered without qr_string', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite', env: { PAYMENT_QRIS_GATEWAY: 'midtrans' } });
    assert.equal((await postJson(`${p.base}/sandbox/midtrans/_sim/qris-form`, { qr_string: false })).status, 200);
  });
  after(() => p.stop());

  it('the customer gets the QR image from the generate-qr-code action, pays, and the order is paid', async () => {
    const c = p.customer('6281460000001');
    await toMethodChoice(c);
    const img = await chooseQris(c);
    assert.match(img.message.image?.link ?? '', /\/sandbox\/midtrans\/v2\/qris\/[^/]+\/qr-code$/, JSON.stringify(img.message));
    assert.ok(!(await c.texts()).some((t) => t.includes('VA -')), 'never an empty VA message');
    const png = await fetch(img.message.image.link);
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.equal((await postJson(`${p.base}/sandbox/pay`, { wa_id: c.waId })).status, 200);
    await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
  });
});

describe('DOKU: VA numbers made by DOKU, QRIS notified with parameters', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite', env: { PAYMENT_QRIS_GATEWAY: 'doku', PAYMENT_VA_GATEWAY: 'doku' } });
    assert.equal((await postJson(`${p.base}/sandbox/doku/_sim/account`, { va_number_by: 'doku', qris_notify: 'params' })).status, 200);
  });
  after(() => p.stop());

  it("the customer is shown the number DOKU made, and paying it completes the payment", async () => {
    const c = p.customer('6281460000002');
    await toMethodChoice(c);
    const va = await chooseVa(c, 'bca');
    const charges = ((await (await fetch(`${p.base}/sandbox/doku/_sim/charges`)).json()) as any).charges as any[];
    const held = charges.find((x) => x.method === 'va' && x.status === 'pending');
    assert.ok(held, 'a VA at DOKU');
    assert.ok(JSON.stringify(va.message).includes(held.virtual_account_no), `shows DOKU's number ${held.virtual_account_no}`);
    assert.equal((await postJson(`${p.base}/sandbox/pay`, { wa_id: c.waId })).status, 200);
    await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
  });

  it('a QRIS paid and notified in the upper-case parameter form is confirmed through the QRIS query', async () => {
    const c = p.customer('6281460000003');
    await toMethodChoice(c);
    await chooseQris(c);
    assert.equal((await postJson(`${p.base}/sandbox/pay`, { wa_id: c.waId })).status, 200);
    await c.waitFor((_m, t) => t.includes('sudah diterima'), 'payment confirmation');
    const n = await p.ctx.db.one<{ payload: any }>(`SELECT payload FROM webhook_events WHERE provider = 'doku' AND event_key LIKE 'qris-notify:%' ORDER BY id DESC LIMIT 1`);
    assert.ok(n, 'the parameter-form notification was stored');
  });
});
