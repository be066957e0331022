import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpGet } from 'node:http';
import { verifyMetaSignature } from '../../src/channel/whatsapp/signature.js';
import { parseWhatsAppWebhook } from '../../src/channel/whatsapp/inbound.js';
import type { CapturedRequest } from '../helpers/http.js';
import { SIM, startSimulator } from './harness.js';

let h: Awaited<ReturnType<typeof startSimulator>>;
before(async () => {
  h = await startSimulator();
});
after(() => h.close());
beforeEach(async () => {
  await h.control('reset', {});
  h.webhook.received.length = 0;
});

const customer = '6281234500001';
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const signatureOf = (r: CapturedRequest) => r.headers['x-hub-signature-256'] as string | undefined;
const hasMessage = (id: string) => (r: CapturedRequest) => r.json?.entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.id === id;
const statusOf = (id: string, status: string) => (r: CapturedRequest) =>
  r.json?.entry?.[0]?.changes?.[0]?.value?.statuses?.some((s: any) => s.id === id && s.status === status);

async function inbound(message: object, name = 'Budi') {
  const res = await h.control('inbound', { from: customer, name, message });
  assert.equal(res.status, 200);
  assert.equal(res.json.webhook_status, 200);
  const hook = await h.webhook.waitFor(hasMessage(res.json.wa_message_id));
  return { id: res.json.wa_message_id as string, hook };
}

test('a customer message arrives at pesan as a Meta-signed webhook that reads back to the same content', async () => {
  const cases: [object, object][] = [
    [{ type: 'text', text: 'mau pesan 2 nasi goreng' }, { type: 'text', text: 'mau pesan 2 nasi goreng' }],
    [{ type: 'interactive', kind: 'list_reply', replyId: 'sku:NASGOR', title: 'Nasi goreng' }, { type: 'interactive', replyId: 'sku:NASGOR', title: 'Nasi goreng' }],
    [{ type: 'interactive', kind: 'button_reply', replyId: 'pay:qris', title: 'QRIS' }, { type: 'interactive', replyId: 'pay:qris', title: 'QRIS' }],
    [
      { type: 'location', latitude: -6.1754, longitude: 106.8272, name: 'Monas', address: 'Gambir' },
      { type: 'location', latitude: -6.1754, longitude: 106.8272, name: 'Monas', address: 'Gambir' },
    ],
  ];
  for (const [message, content] of cases) {
    const { id, hook } = await inbound(message);
    assert.equal(hook.path, '/webhooks/whatsapp');
    assert.equal(verifyMetaSignature(hook.rawBody, signatureOf(hook), SIM.appSecret), true);
    assert.equal(verifyMetaSignature(hook.rawBody, signatureOf(hook), 'other-secret'), false);
    assert.equal(hook.json.object, 'whatsapp_business_account');
    assert.equal(hook.json.entry[0].changes[0].field, 'messages');
    assert.match(hook.json.entry[0].changes[0].value.messages[0].timestamp, /^\d+$/);
    const parsed = parseWhatsAppWebhook(hook.json);
    assert.equal(parsed.messages.length, 1);
    const m = parsed.messages[0];
    assert.equal(m.waMessageId, id);
    assert.equal(m.phoneNumberId, SIM.phoneNumberId);
    assert.equal(m.fromWaId, customer);
    assert.equal(m.profileName, 'Budi');
    assert.deepEqual(m.content, content);
  }
});

test('a customer photo is delivered as media pesan can download with its token', async () => {
  const { hook } = await inbound({ type: 'image', dataBase64: png.toString('base64'), mimeType: 'image/png', caption: 'resep' });
  const content = parseWhatsAppWebhook(hook.json).messages[0].content;
  assert.equal(content.type, 'image');
  if (content.type !== 'image') return;
  assert.equal(content.caption, 'resep');
  const { data, mimeType } = await h.client().downloadMedia(content.mediaId);
  assert.deepEqual(data, png);
  assert.equal(mimeType, 'image/png');
  const open = await fetch(`${h.sim}/_sim/media/${content.mediaId}`);
  assert.equal(open.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await open.arrayBuffer()), png, 'the chat page shows media without a token');
});

test('replay re-posts the identical signed bytes, as Meta does when it retries', async () => {
  const { id, hook } = await inbound({ type: 'text', text: 'halo' });
  const res = await h.control('replay', { wa_message_id: id });
  assert.deepEqual(res.json, { wa_message_id: id, webhook_status: 200 });
  const copies = h.webhook.received.filter(hasMessage(id));
  assert.equal(copies.length, 2);
  assert.deepEqual(copies[1].rawBody, hook.rawBody);
  assert.equal(signatureOf(copies[1]), signatureOf(hook));
  assert.equal((await h.control('replay', { wa_message_id: 'wamid.nope' })).status, 404);
});

test('a send is followed by signed "sent" then "delivered" status webhooks and the conversation shows them', async () => {
  await inbound({ type: 'text', text: 'halo' });
  const { waMessageId } = await h.client().send(customer, { type: 'text', text: 'Halo Budi!' });
  const delivered = await h.webhook.waitFor(statusOf(waMessageId, 'delivered'));
  const sentIndex = h.webhook.received.findIndex(statusOf(waMessageId, 'sent'));
  assert.ok(sentIndex >= 0 && sentIndex < h.webhook.received.indexOf(delivered), '"sent" comes before "delivered"');
  assert.equal(verifyMetaSignature(delivered.rawBody, signatureOf(delivered), SIM.appSecret), true);
  const { statuses } = parseWhatsAppWebhook(delivered.json);
  assert.deepEqual(
    statuses.map((s) => [s.waMessageId, s.status, s.recipient, s.phoneNumberId]),
    [[waMessageId, 'delivered', customer, SIM.phoneNumberId]],
  );
  const conv = await h.control(`conversations/${customer}`);
  assert.deepEqual(
    conv.json.messages.map((m: any) => [m.direction, m.type, m.status]),
    [
      ['in', 'text', undefined],
      ['out', 'text', 'delivered'],
    ],
  );
  assert.equal(conv.json.messages[1].message.text.body, 'Halo Budi!');
  assert.ok(!Number.isNaN(Date.parse(conv.json.messages[1].at)));

  const read = await h.control('read', { wa_id: customer });
  assert.deepEqual(read.json.read, [waMessageId]);
  await h.webhook.waitFor(statusOf(waMessageId, 'read'));
});

test('bodies Meta would refuse get a Graph (#100) error and are not recorded', async () => {
  const post = (body: object, token = SIM.accessToken) =>
    fetch(`${h.sim}/v25.0/${SIM.phoneNumberId}/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: customer };
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
  const list = (action: object) => ({ ...base, type: 'interactive', interactive: { type: 'list', body: { text: 'Pilih' }, action } });
  const bad: object[] = [
    { to: customer, type: 'text', text: { body: 'no product' } },
    { ...base, type: 'text', text: {} },
    { ...base, type: 'text', text: { body: 'x'.repeat(4097) } },
    list({ button: 'Menu', sections: [{ rows: rows(11) }] }),
    list({ button: 'Menu', sections: [{ rows: [{ id: 'a', title: 'x'.repeat(25) }] }] }),
    list({ button: 'x'.repeat(21), sections: [{ rows: rows(1) }] }),
    list({ button: 'Menu', sections: [{ rows: rows(1) }, { title: 'B', rows: [{ id: 'z', title: 'z' }] }] }),
    { ...base, type: 'interactive', interactive: { type: 'button', body: { text: 'x' }, action: { buttons: [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `${i}`, title: `${i}` } })) } } },
    { ...base, type: 'interactive', interactive: { type: 'button', body: { text: 'x' }, action: { buttons: [{ type: 'reply', reply: { id: '1', title: 'x'.repeat(21) } }] } } },
    { ...base, type: 'image', image: { id: '404' } },
    { ...base, type: 'carrier_pigeon' },
  ];
  for (const body of bad) {
    const res = await post(body);
    assert.equal(res.status, 400, JSON.stringify(body).slice(0, 120));
    const json = (await res.json()) as any;
    assert.equal(json.error.code, 100);
    assert.equal(json.error.type, 'OAuthException');
    assert.match(json.error.message, /^\(#100\) /);
    assert.ok(json.error.fbtrace_id);
  }
  const denied = await post({ ...base, type: 'text', text: { body: 'x' } }, 'bad');
  assert.equal(denied.status, 401);
  assert.equal(((await denied.json()) as any).error.code, 190);
  assert.deepEqual((await h.control('outbox')).json.messages, []);

  const ok = await post({ ...base, type: 'text', text: { body: 'ok' } });
  assert.deepEqual(Object.keys((await ok.json()) as object), ['messaging_product', 'contacts', 'messages']);
});

test('the event stream pushes new messages and status changes of one customer', async () => {
  const events: any[] = [];
  const url = new URL(`${h.sim}/_sim/events?wa_id=${customer}`);
  const req = httpGet(url);
  const opened = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      assert.equal(res.headers['content-type'], 'text/event-stream');
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        if (buf.includes(': connected')) resolve();
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (frame.includes('event: message') && data) events.push(JSON.parse(data.slice(6)));
        }
      });
    });
    req.on('error', reject);
  });
  req.end();
  await opened;
  try {
    const { id } = await inbound({ type: 'text', text: 'halo' });
    await h.control('inbound', { from: '6280000000000', message: { type: 'text', text: 'someone else' } });
    const { waMessageId } = await h.client().send(customer, { type: 'text', text: 'Hai' });
    await h.webhook.waitFor(statusOf(waMessageId, 'delivered'));
    const start = Date.now();
    while (!events.some((e) => e.id === waMessageId && e.status === 'delivered') && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(events[0], { ...events[0], id, direction: 'in', type: 'text' });
    assert.ok(events.every((e) => e.id === id || e.id === waMessageId), 'only this customer’s messages');
    assert.deepEqual(
      events.filter((e) => e.id === waMessageId).map((e) => e.status),
      [undefined, 'sent', 'delivered'],
    );
  } finally {
    req.destroy();
  }
});

test('with the service window enforced, a send to a silent customer fails with 131047 by webhook', async () => {
  const strict = await startSimulator({ enforceServiceWindow: true });
  try {
    const { waMessageId } = await strict.client().send('6287700000000', { type: 'text', text: 'promo' });
    const hook = await strict.webhook.waitFor((r) => r.json?.entry?.[0]?.changes?.[0]?.value?.statuses?.[0]?.id === waMessageId);
    const [status] = parseWhatsAppWebhook(hook.json).statuses;
    assert.equal(status.status, 'failed');
    assert.equal(status.errors?.[0].code, 131047);
  } finally {
    await strict.close();
  }
});

test('bad control requests are refused with a reason', async () => {
  const res = await h.control('inbound', { from: 'budi', message: { type: 'text', text: 'x' } });
  assert.equal(res.status, 400);
  assert.ok(res.json.issues.length > 0);
  assert.equal((await h.control('faults', { count: 1 })).status, 400);
  assert.equal((await fetch(`${h.sim}/_sim/events`)).status, 400, 'an event stream needs a customer');
});
