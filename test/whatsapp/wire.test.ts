import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toGraphMessage, truncate, WHATSAPP_LIMITS } from '../../src/channel/whatsapp/wire.js';

const to = '6281234567890';

test('text goes out as a Graph text message with the preview flag', () => {
  assert.deepEqual(toGraphMessage(to, { type: 'text', text: 'Halo!', previewUrl: true }), {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'text',
    text: { body: 'Halo!', preview_url: true },
  });
  assert.equal((toGraphMessage(to, { type: 'text', text: 'x' }) as any).text.preview_url, false);
});

test('a list keeps at most 10 rows across sections and shortens long labels with an ellipsis', () => {
  const rows = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `Nasi goreng spesial telur ${i} porsi besar`, description: 'd'.repeat(100) }));
  const body = toGraphMessage(to, {
    type: 'list',
    header: 'H'.repeat(80),
    body: 'B'.repeat(2000),
    footer: 'F'.repeat(70),
    button: 'Lihat semua menu hari ini',
    sections: [
      { title: 'Makanan berat dan lauk pauk', rows: rows(7, 'a') },
      { title: 'Minuman', rows: rows(6, 'b') },
      { title: 'Kosong', rows: rows(2, 'c') },
    ],
  }) as any;
  const i = body.interactive;
  assert.equal(body.type, 'interactive');
  assert.equal(i.type, 'list');
  assert.deepEqual(i.header, { type: 'text', text: 'H'.repeat(59) + '…' });
  assert.equal(i.body.text.length, WHATSAPP_LIMITS.interactiveBody);
  assert.ok(i.body.text.endsWith('…'));
  assert.equal(i.footer.text.length, 60);
  assert.equal(i.action.button, 'Lihat semua menu ha…');
  const all = i.action.sections.flatMap((s: any) => s.rows);
  assert.equal(all.length, 10);
  assert.deepEqual(
    all.map((r: any) => r.id),
    ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'b0', 'b1', 'b2'],
  );
  assert.equal(i.action.sections.length, 2, 'a section left without rows is dropped');
  assert.equal(i.action.sections[0].title, 'Makanan berat dan lauk …');
  for (const r of all) {
    assert.ok(r.title.length <= 24 && r.title.endsWith('…'));
    assert.equal(r.description.length, 72);
  }
});

test('a list with several untitled sections gets titles, since Meta requires them', () => {
  const body = toGraphMessage(to, {
    type: 'list',
    body: 'Pilih',
    button: 'Menu',
    sections: [{ rows: [{ id: '1', title: 'A' }] }, { rows: [{ id: '2', title: 'B' }] }],
  }) as any;
  for (const s of body.interactive.action.sections) assert.ok(s.title && s.title.length <= 24);
  const single = toGraphMessage(to, { type: 'list', body: 'Pilih', button: 'Menu', sections: [{ rows: [{ id: '1', title: 'A' }] }] }) as any;
  assert.equal('title' in single.interactive.action.sections[0], false);
  assert.equal('description' in single.interactive.action.sections[0].rows[0], false);
});

test('reply buttons: at most 3, titles at most 20 characters', () => {
  const body = toGraphMessage(to, {
    type: 'buttons',
    body: 'Bayar pakai apa?',
    footer: 'pesan',
    buttons: [
      { id: 'pay:qris', title: 'QRIS (semua e-wallet & m-banking)' },
      { id: 'pay:va', title: 'Virtual Account' },
      { id: 'pay:cod', title: 'COD' },
      { id: 'pay:x', title: 'Lainnya' },
    ],
  }) as any;
  assert.equal(body.interactive.type, 'button');
  assert.deepEqual(body.interactive.footer, { text: 'pesan' });
  assert.deepEqual(body.interactive.action.buttons, [
    { type: 'reply', reply: { id: 'pay:qris', title: 'QRIS (semua e-walle…' } },
    { type: 'reply', reply: { id: 'pay:va', title: 'Virtual Account' } },
    { type: 'reply', reply: { id: 'pay:cod', title: 'COD' } },
  ]);
});

test('location request, QR image by media id, image by link', () => {
  assert.deepEqual((toGraphMessage(to, { type: 'location_request', body: 'Kirim lokasi' }) as any).interactive, {
    type: 'location_request_message',
    body: { text: 'Kirim lokasi' },
    action: { name: 'send_location' },
  });
  assert.deepEqual((toGraphMessage(to, { type: 'qr_image', qrString: '000201...', caption: 'Scan QRIS' }, '1234') as any).image, {
    id: '1234',
    caption: 'Scan QRIS',
  });
  assert.throws(() => toGraphMessage(to, { type: 'qr_image', qrString: '000201...' }));
  assert.deepEqual((toGraphMessage(to, { type: 'image', link: 'https://example.com/a.png' }) as any).image, { link: 'https://example.com/a.png' });
});

test('truncation counts characters, not UTF-16 units, and never splits an emoji', () => {
  assert.equal(truncate('🍜🍜🍜', 3), '🍜🍜🍜');
  assert.equal(truncate('🍜🍜🍜🍜', 3), '🍜🍜…');
  assert.equal(truncate('abc', 3), 'abc');
});
