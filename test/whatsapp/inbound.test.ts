import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWhatsAppWebhook } from '../../src/channel/whatsapp/inbound.js';

const meta = (phone: string) => ({ display_phone_number: '15550783881', phone_number_id: phone });

function change(value: object, field = 'messages') {
  return { field, value: { messaging_product: 'whatsapp', ...value } };
}

const payload = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: 'WABA1',
      changes: [
        change({
          metadata: meta('111'),
          contacts: [
            { profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' },
            { profile: { name: 'Budi' }, wa_id: '6281200000001', user_id: 'US.123', identity_key_hash: 'x' },
          ],
          messages: [
            { from: '16505551234', id: 'wamid.text', timestamp: '1749416383', type: 'text', text: { body: 'hi' } },
            {
              from: '6281200000001',
              id: 'wamid.list',
              timestamp: '1749416384',
              type: 'interactive',
              context: { from: '15550783881', id: 'wamid.orig' },
              interactive: { type: 'list_reply', list_reply: { id: 'sku:NASGOR', title: 'Nasi goreng', description: 'Rp 20.000' } },
            },
          ],
        }),
        change({ metadata: meta('111'), messages: [{ from: 'x', id: 'ignored', type: 'text', text: { body: 'other field' } }] }, 'account_update'),
      ],
    },
    {
      id: 'WABA2',
      changes: [
        change({
          metadata: meta('222'),
          contacts: [{ profile: { name: 'Ayu' }, wa_id: '6281300000002' }],
          messages: [
            { from: '6281300000002', id: 'wamid.btn', timestamp: '1749416385', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'pay:qris', title: 'QRIS' } } },
            { from: '6281300000002', id: 'wamid.tpl', timestamp: '1749416386', type: 'button', button: { payload: 'reorder:42', text: 'Pesan lagi' }, context: { id: 'wamid.x' } },
            { from: '6281300000002', id: 'wamid.loc', timestamp: '1749416387', type: 'location', location: { latitude: -6.2, longitude: 106.8, name: 'Monas', address: 'Gambir, Jakarta' } },
            { from: '6281300000002', id: 'wamid.loc2', timestamp: '1749416388', type: 'location', location: { latitude: -6.21, longitude: 106.81 } },
            { from: '6281300000002', id: 'wamid.img', timestamp: '1749416389', type: 'image', image: { id: '998877', mime_type: 'image/jpeg', sha256: 'abc', caption: 'resep dokter' } },
            {
              from: '6281300000002',
              id: 'wamid.order',
              timestamp: '1749416390',
              type: 'order',
              order: {
                catalog_id: '354160437058781',
                text: '',
                product_items: [
                  { product_retailer_id: 'HAMBURGER', quantity: 3, item_price: 30, currency: 'IDR' },
                  { product_retailer_id: 'COLA', quantity: 1, item_price: 10, currency: 'IDR' },
                  { quantity: 2 },
                ],
              },
            },
            { from: '6281300000002', id: 'wamid.sticker', timestamp: '1749416391', type: 'sticker', sticker: { id: '1', mime_type: 'image/webp' } },
            { from: '6281300000002', id: 'wamid.flow', timestamp: '1749416392', type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{}' } } },
          ],
        }),
      ],
    },
  ],
};

test('every message of every entry and "messages" change is read, with number and sender name', () => {
  const { messages, statuses } = parseWhatsAppWebhook(payload);
  assert.equal(statuses.length, 0);
  assert.deepEqual(
    messages.map((m) => m.waMessageId),
    ['wamid.text', 'wamid.list', 'wamid.btn', 'wamid.tpl', 'wamid.loc', 'wamid.loc2', 'wamid.img', 'wamid.order', 'wamid.sticker', 'wamid.flow'],
  );
  const [text, list] = messages;
  assert.deepEqual(text, {
    waMessageId: 'wamid.text',
    phoneNumberId: '111',
    fromWaId: '16505551234',
    profileName: 'Sheena Nelson',
    timestamp: new Date(1749416383 * 1000),
    content: { type: 'text', text: 'hi' },
  });
  assert.equal(list.profileName, 'Budi');
  assert.equal(messages[2].phoneNumberId, '222');
  assert.equal(messages[2].profileName, 'Ayu');
});

test('each message type becomes its channel content', () => {
  const byId = new Map(parseWhatsAppWebhook(payload).messages.map((m) => [m.waMessageId, m.content]));
  assert.deepEqual(byId.get('wamid.list'), { type: 'interactive', replyId: 'sku:NASGOR', title: 'Nasi goreng' });
  assert.deepEqual(byId.get('wamid.btn'), { type: 'interactive', replyId: 'pay:qris', title: 'QRIS' });
  assert.deepEqual(byId.get('wamid.tpl'), { type: 'interactive', replyId: 'reorder:42', title: 'Pesan lagi' });
  assert.deepEqual(byId.get('wamid.loc'), { type: 'location', latitude: -6.2, longitude: 106.8, name: 'Monas', address: 'Gambir, Jakarta' });
  assert.deepEqual(byId.get('wamid.loc2'), { type: 'location', latitude: -6.21, longitude: 106.81 });
  assert.deepEqual(byId.get('wamid.img'), { type: 'image', mediaId: '998877', mimeType: 'image/jpeg', caption: 'resep dokter' });
  assert.deepEqual(byId.get('wamid.order'), {
    type: 'order',
    items: [
      { sku: 'HAMBURGER', quantity: 3 },
      { sku: 'COLA', quantity: 1 },
    ],
  });
  assert.deepEqual(byId.get('wamid.sticker'), { type: 'unsupported', original: 'sticker' });
  assert.deepEqual(byId.get('wamid.flow'), { type: 'unsupported', original: 'interactive.nfm_reply' });
});

test('statuses are read with their errors, alongside messages in the same payload', () => {
  const body = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'W',
        changes: [
          change({
            metadata: meta('111'),
            statuses: [
              {
                id: 'wamid.out1',
                status: 'delivered',
                timestamp: '1698266945',
                recipient_id: '6281',
                conversation: { id: 'c', origin: { type: 'service' } },
                pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
              },
              {
                id: 'wamid.out2',
                status: 'failed',
                timestamp: '1698266946',
                recipient_id: '6282',
                errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'More than 24 hours' }, href: 'https://x' }],
              },
              { id: 'wamid.out3', status: 'deleted', timestamp: '1', recipient_id: '6283' },
              { status: 'read' },
            ],
          }),
          change({ metadata: meta('111'), messages: [{ from: '6284', id: 'wamid.in', timestamp: '5', type: 'text', text: { body: 'ok' } }] }),
        ],
      },
    ],
  };
  const { messages, statuses } = parseWhatsAppWebhook(body);
  assert.equal(messages.length, 1);
  assert.equal(messages[0].profileName, undefined);
  assert.deepEqual(statuses, [
    { waMessageId: 'wamid.out1', status: 'delivered', recipient: '6281', timestamp: new Date(1698266945000), phoneNumberId: '111' },
    {
      waMessageId: 'wamid.out2',
      status: 'failed',
      recipient: '6282',
      timestamp: new Date(1698266946000),
      phoneNumberId: '111',
      errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', details: 'More than 24 hours' }],
    },
  ]);
});

test('garbage never throws and unreadable parts are skipped without losing good neighbours', () => {
  for (const junk of [undefined, null, 42, 'x', [], {}, { entry: 'no' }, { entry: [null, 1, { changes: null }, { changes: [null, { field: 'messages' }, { field: 'messages', value: 7 }] }] }]) {
    assert.deepEqual(parseWhatsAppWebhook(junk), { messages: [], statuses: [] });
  }
  const mixed = {
    entry: [
      {
        changes: [
          change({
            metadata: meta('111'),
            contacts: 'not a list',
            messages: [
              null,
              { id: 'wamid.noFrom', type: 'text', text: { body: 'x' } },
              { from: '6285', id: 'wamid.badText', timestamp: 'soon', type: 'text', text: 'not an object' },
              { from: '6285', id: 'wamid.badLoc', timestamp: '10', type: 'location', location: { latitude: 'north' } },
              { from: '6285', id: 'wamid.ok', timestamp: '10', type: 'text', text: { body: 'masih bisa' } },
            ],
          }),
        ],
      },
    ],
  };
  const { messages } = parseWhatsAppWebhook(mixed);
  assert.deepEqual(
    messages.map((m) => [m.waMessageId, m.content.type]),
    [
      ['wamid.badText', 'unsupported'],
      ['wamid.badLoc', 'unsupported'],
      ['wamid.ok', 'text'],
    ],
  );
  assert.ok(!Number.isNaN(messages[0].timestamp.getTime()), 'an unreadable timestamp still gives a usable date');
});

test('a contact without wa_id still names a lone sender', () => {
  const { messages } = parseWhatsAppWebhook({
    entry: [{ changes: [change({ metadata: meta('1'), contacts: [{ profile: { name: 'Rina' }, user_id: 'US.9' }], messages: [{ from: '6286', id: 'w', timestamp: '1', type: 'text', text: { body: 'p' } }] })] }],
  });
  assert.equal(messages[0].profileName, 'Rina');
});
