import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WhatsAppApiError } from '../../src/channel/whatsapp/graph-client.js';
import type { OutgoingMessage } from '../../src/channel/whatsapp/outgoing.js';
import { startSimulator } from './harness.js';

let h: Awaited<ReturnType<typeof startSimulator>>;
before(async () => {
  h = await startSimulator();
});
after(() => h.close());

const to = '6281234567890';
// A 1x1 PNG, as pesan would upload a QRIS picture.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function rejection(p: Promise<unknown>): Promise<WhatsAppApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof WhatsAppApiError, `expected WhatsAppApiError, got ${err}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

test('each message type is accepted by the Graph API and lands in the outbox as sent', async () => {
  const qrMediaId = await h.client().uploadMedia(png, 'image/png', 'qris.png');
  const msgs: [OutgoingMessage, string?][] = [
    [{ type: 'text', text: 'Halo, mau pesan apa?' }],
    [{ type: 'list', header: 'Menu', body: 'Pilih menu', footer: 'Warung Bu Sri', button: 'Lihat menu', sections: [{ title: 'Makanan', rows: [{ id: 'sku:1', title: 'Nasi goreng', description: 'Rp 20.000' }] }] }],
    [{ type: 'buttons', body: 'Bayar pakai apa?', buttons: [{ id: 'pay:qris', title: 'QRIS' }, { id: 'pay:va', title: 'Virtual Account' }] }],
    [{ type: 'location_request', body: 'Kirim lokasi pengantaran' }],
    [{ type: 'qr_image', qrString: '00020101', caption: 'Scan untuk bayar' }, qrMediaId],
    [{ type: 'image', link: 'https://example.com/nasi.jpg', caption: 'Nasi goreng' }],
  ];
  const ids: string[] = [];
  for (const [msg, mediaId] of msgs) {
    const { waMessageId } = await h.client().send(to, msg, mediaId);
    assert.match(waMessageId, /^wamid\./);
    ids.push(waMessageId);
  }
  assert.equal(new Set(ids).size, ids.length);
  const { json } = await h.control(`outbox?to=${to}`);
  assert.deepEqual(
    json.messages.map((m: any) => [m.id, m.direction, m.type]),
    ids.map((id, i) => [id, 'out', i === 0 ? 'text' : i >= 4 ? 'image' : 'interactive']),
  );
  assert.equal(json.messages[4].message.image.id, qrMediaId);
  assert.equal(json.messages[1].message.interactive.action.sections[0].rows[0].id, 'sku:1');
});

test('a QRIS code without a media id is rendered to a PNG, uploaded and sent as that image', async () => {
  const { waMessageId } = await h.client().send(to, { type: 'qr_image', qrString: '00020101021126570011ID.DANA.WWW', caption: 'Scan QRIS' });
  const sent = (await h.control(`outbox?to=${to}`)).json.messages.find((m: any) => m.id === waMessageId);
  assert.equal(sent.message.image.caption, 'Scan QRIS');
  const picture = await fetch(`${h.sim}/_sim/media/${sent.message.image.id}`);
  assert.equal(picture.headers.get('content-type'), 'image/png');
  const bytes = Buffer.from(await picture.arrayBuffer());
  assert.deepEqual(bytes.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
});

test('uploaded media can be looked up and downloaded back byte for byte', async () => {
  const client = h.client();
  const id = await client.uploadMedia(png, 'image/png', 'qris.png');
  const info = await client.getMedia(id);
  assert.equal(info.mimeType, 'image/png');
  assert.equal(info.fileSize, png.length);
  assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+\/sandbox\/meta\/_sim\/download\//);
  const { data, mimeType } = await client.downloadMedia(id);
  assert.deepEqual(data, png);
  assert.equal(mimeType, 'image/png');
  const anonymous = await fetch(info.url);
  assert.equal(anonymous.status, 401, 'the download URL wants the bearer token, as Meta does');
});

test('a wrong access token is a permanent 401 with Graph code 190', async () => {
  const err = await rejection(h.client({ accessToken: 'wrong' }).send(to, { type: 'text', text: 'x' }));
  assert.equal(err.httpStatus, 401);
  assert.equal(err.code, 190);
  assert.equal(err.transient, false);
  const mediaErr = await rejection(h.client({ accessToken: 'wrong' }).getMedia('123'));
  assert.equal(mediaErr.code, 190);
});

test('a wrong phone number id is refused as a permanent parameter error', async () => {
  const err = await rejection(h.client({ phoneNumberId: '999' }).send(to, { type: 'text', text: 'x' }));
  assert.equal(err.httpStatus, 400);
  assert.equal(err.code, 100);
  assert.equal(err.transient, false);
});

test('a rate limit (429/130429) is transient and the next send succeeds', async () => {
  assert.equal((await h.control('faults', { count: 1, httpStatus: 429, code: 130429 })).status, 200);
  const err = await rejection(h.client().send(to, { type: 'text', text: 'x' }));
  assert.equal(err.httpStatus, 429);
  assert.equal(err.code, 130429);
  assert.equal(err.transient, true);
  assert.match(err.message, /130429/);
  const ok = await h.client().send(to, { type: 'text', text: 'x' });
  assert.match(ok.waMessageId, /^wamid\./);
});

test('server errors are transient; outside the 24-hour window (131047) is permanent', async () => {
  await h.control('faults', { count: 2, httpStatus: 500, code: 131000 });
  for (let i = 0; i < 2; i++) {
    const err = await rejection(h.client().send(to, { type: 'text', text: 'x' }));
    assert.deepEqual([err.httpStatus, err.code, err.transient], [500, 131000, true]);
  }
  await h.control('faults', { count: 1, httpStatus: 400, code: 131047, message: '(#131047) Re-engagement message' });
  const err = await rejection(h.client().send(to, { type: 'text', text: 'x' }));
  assert.deepEqual([err.httpStatus, err.code, err.transient, err.message], [400, 131047, false, '(#131047) Re-engagement message']);
  assert.ok(err.details);
});

test('an unreachable Graph API is a transient error, not a crash', async () => {
  const err = await rejection(h.client({ graphUrl: 'http://127.0.0.1:9' }).send(to, { type: 'text', text: 'x' }));
  assert.equal(err.httpStatus, 0);
  assert.equal(err.transient, true);
});

test('marking a customer message read shows on the simulated phone', async () => {
  const { json } = await h.control('inbound', { from: '6289900000001', message: { type: 'text', text: 'halo' } });
  await h.client().markRead(json.wa_message_id, { typing: true });
  const conv = await h.control('conversations/6289900000001');
  assert.equal(conv.json.messages[0].status, 'read');
});
