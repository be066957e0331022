// The merchant's chat inbox: a customer asks for a person, staff see it in the inbox, answer through
// the admin API while the bot keeps quiet, and hand the customer back to the bot.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DB_KINDS } from '../helpers/db.js';
import { handled, outboundCount, sleep, startPesan, type Customer, type Pesan } from '../helpers/pesan.js';

const inboxEntry = async (p: Pesan, waId: string, query = '') => {
  const res = await p.api('GET', `/api/v1/inbox${query}`);
  assert.equal(res.status, 200);
  return (res.body.conversations as any[]).find((x) => x.wa_id === waId);
};

for (const dbKind of DB_KINDS) {
  describe(`chat inbox with human handover (${dbKind})`, () => {
    let p: Pesan;
    before(async () => {
      p = await startPesan({ db: dbKind });
    });
    after(async () => {
      await p?.stop();
      await p?.dropDb();
    });

    it('a customer asks for admin, staff answer from the inbox while the bot is silent, then hand back to the bot', async () => {
      const c = p.customer('6281377000001', 'Rina');
      await c.say('halo');
      await c.waitFor((m, t) => m.message.type === 'interactive' && t.includes('[cat:'), 'menu');
      await c.mark();
      await c.say('paracetamol 2');
      await c.waitFor((_m, t) => t.includes('Subtotal'), 'cart summary');
      await c.mark();
      await c.say('mau ngomong sama admin');
      await c.waitFor((_m, t) => t.includes('admin kami akan segera membalas'), 'handover notice');

      const listed = await inboxEntry(p, c.waId, '?handover=true');
      assert.ok(listed, 'the conversation is in the handover list');
      assert.equal(listed.human_handover, true);
      assert.equal(listed.name, 'Rina');
      assert.equal(listed.active_order?.status, 'awaiting_confirmation');
      assert.equal(listed.last_message.direction, 'out');
      assert.match(listed.last_message.text, /admin kami akan segera membalas/);
      assert.equal(await inboxEntry(p, c.waId, '?handover=false'), undefined, 'not in the bot list');

      // The bot stays silent, whatever the customer sends.
      const before = await outboundCount(p, c.waId);
      await c.mark();
      await c.say('masih ada stok obat batuk?');
      await handled(p, c);
      await c.shareLocation(-6.2425, 106.8412, 'Jl. Bangka Raya 12');
      await handled(p, c);
      assert.equal(await outboundCount(p, c.waId), before, 'no reply from the bot during handover');
      const waiting = await inboxEntry(p, c.waId);
      assert.equal(waiting.unread, 2, 'two customer messages wait for an answer');
      assert.equal(waiting.last_message.direction, 'in');
      assert.equal(waiting.last_message.text, '📍 -6.2425,106.8412 Jl. Bangka Raya 12');

      // Staff answer; the customer receives it on WhatsApp.
      const sent = await p.api('POST', `/api/v1/inbox/${c.waId}/messages`, { text: '  Ada kak, OBH Combi masih ada. Mau ditambah?  ' });
      assert.equal(sent.status, 201);
      assert.equal(sent.body.message.text, 'Ada kak, OBH Combi masih ada. Mau ditambah?');
      const got = await c.waitFor((m, t) => m.message.type === 'text' && t === 'Ada kak, OBH Combi masih ada. Mau ditambah?', 'staff reply');
      assert.ok(got);
      assert.equal((await inboxEntry(p, c.waId)).unread, 0);

      // The thread merges both directions, oldest first, in readable text.
      const thread = await p.api('GET', `/api/v1/inbox/${c.waId}/messages`);
      assert.equal(thread.status, 200);
      const msgs = thread.body.messages as any[];
      assert.deepEqual(msgs.slice(0, 1).map((m) => [m.direction, m.type, m.text]), [['in', 'text', 'halo']]);
      const menu = msgs.find((m) => m.direction === 'out' && m.type === 'list');
      assert.ok(menu?.text.includes('Pilih kategori'), 'list body is readable');
      assert.ok(menu.options.length > 0, 'list rows are listed');
      const summary = msgs.find((m) => m.type === 'buttons');
      assert.match(summary.text, /Subtotal/);
      assert.deepEqual(msgs.slice(-3).map((m) => [m.direction, m.type, m.text]), [
        ['in', 'text', 'masih ada stok obat batuk?'],
        ['in', 'location', '📍 -6.2425,106.8412 Jl. Bangka Raya 12'],
        ['out', 'text', 'Ada kak, OBH Combi masih ada. Mau ditambah?'],
      ]);
      assert.equal(msgs.at(-1).by, 'staff');
      assert.ok(['queued', 'sent', 'delivered', 'read'].includes(msgs.at(-1).status));
      assert.equal(menu.by, 'bot');
      const ats = msgs.map((m) => Date.parse(m.at));
      assert.deepEqual(ats, [...ats].sort((a, b) => a - b), 'oldest first');
      const lastTwo = await p.api('GET', `/api/v1/inbox/${c.waId}/messages?limit=2`);
      assert.deepEqual(lastTwo.body.messages.map((m: any) => m.text), msgs.slice(-2).map((m) => m.text));

      // Hand back: the customer is told, and the bot answers again.
      await c.mark();
      const back = await p.api('POST', `/api/v1/inbox/${c.waId}/handover`, { active: false });
      assert.equal(back.status, 200);
      assert.equal(back.body.human_handover, false);
      await c.waitFor((_m, t) => t.includes('Asisten otomatis kami aktif lagi') && t.includes('"menu"'), 'hand-back notice');
      assert.equal((await inboxEntry(p, c.waId)).human_handover, false);
      assert.ok(await inboxEntry(p, c.waId, '?handover=false'));
      await c.mark();
      await c.say('halo');
      await c.waitFor((_m, t) => t.includes('Selamat datang'), 'the bot answers again');
    });
  });
}

describe('chat inbox: staff taking over, English customers, validation and auth', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite' });
  });
  after(() => p.stop());

  it('a staff reply takes the conversation over; an English customer is handed back in English, once', async () => {
    const c = p.customer('6281377000002', 'John');
    await c.say('hello, what products do you have?');
    await c.waitFor((_m, t) => t.includes('Choose a category'), 'English menu');

    const take = await p.api('POST', `/api/v1/inbox/${c.waId}/messages`, { text: 'Hi John, this is Dewi from the pharmacy.' });
    assert.equal(take.status, 201);
    assert.equal(take.body.human_handover, true);
    await c.waitFor((_m, t) => t === 'Hi John, this is Dewi from the pharmacy.', 'staff reply');
    assert.equal((await inboxEntry(p, c.waId)).human_handover, true);

    const before = await outboundCount(p, c.waId);
    await c.say('do you have vitamin c?');
    await handled(p, c);
    assert.equal(await outboundCount(p, c.waId), before, 'the bot steps back while a person talks');

    await c.mark();
    const back = await p.api('POST', `/api/v1/inbox/${c.waId}/handover`, { active: false });
    assert.equal(back.body.changed, true);
    await c.waitFor((_m, t) => t.includes('Our automatic assistant is back') && t.includes('"menu"'), 'English hand-back notice');
    const again = await p.api('POST', `/api/v1/inbox/${c.waId}/handover`, { active: false });
    assert.deepEqual([again.status, again.body.changed], [200, false]);
    assert.equal(
      (await p.api('GET', `/api/v1/inbox/${c.waId}/messages`)).body.messages.filter((m: any) => /automatic assistant is back/.test(m.text)).length,
      1,
      'told once',
    );

    // Taking over by hand silences the bot without writing to the customer.
    const n = await outboundCount(p, c.waId);
    const over = await p.api('POST', `/api/v1/inbox/${c.waId}/handover`, { active: true });
    assert.deepEqual([over.status, over.body.human_handover], [200, true]);
    await c.say('vitamin c 1');
    await handled(p, c);
    assert.equal(await outboundCount(p, c.waId), n);
    // The customer can still ask for the bot back themselves.
    await c.mark();
    await c.say('menu');
    await c.waitFor((m) => m.message.type === 'interactive', 'menu from the bot');
    assert.equal((await inboxEntry(p, c.waId)).human_handover, false);
  });

  it('refuses bad replies and unknown customers', async () => {
    const c = p.customer('6281377000003');
    await c.say('halo');
    await handled(p, c);
    const path = `/api/v1/inbox/${c.waId}`;
    for (const body of [{}, { text: '' }, { text: '   \n ' }, { text: 42 }, { text: 'x'.repeat(4097) }, { text: '🙏'.repeat(4097) }]) {
      const res = await p.api('POST', `${path}/messages`, body);
      assert.equal(res.status, 400, `refused ${JSON.stringify(body).slice(0, 40)}`);
      assert.ok(res.body.issues.length > 0);
    }
    const longest = await p.api('POST', `${path}/messages`, { text: '🙏'.repeat(4096) });
    assert.equal(longest.status, 201, '4096 characters is WhatsApp’s limit, emoji count as one');
    for (const body of [{}, { active: 'yes' }, { active: 1 }]) assert.equal((await p.api('POST', `${path}/handover`, body)).status, 400);
    assert.equal((await p.api('GET', '/api/v1/inbox?handover=maybe')).status, 400);
    assert.equal((await p.api('GET', `${path}/messages?limit=0`)).status, 400);
    assert.equal((await p.api('GET', `${path}/messages?limit=abc`)).status, 400);

    const before = await outboundCount(p, '6289999999999');
    assert.equal((await p.api('GET', '/api/v1/inbox/6289999999999/messages')).status, 404);
    assert.equal((await p.api('POST', '/api/v1/inbox/6289999999999/messages', { text: 'halo' })).status, 404);
    assert.equal((await p.api('POST', '/api/v1/inbox/6289999999999/handover', { active: true })).status, 404);
    assert.equal(await outboundCount(p, '6289999999999'), before, 'nothing sent to a stranger');
  });

  it('requires the admin bearer token', async () => {
    const c = p.customer('6281377000004');
    await c.say('halo');
    await handled(p, c);
    const n = await outboundCount(p, c.waId);
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/v1/inbox'],
      ['GET', `/api/v1/inbox/${c.waId}/messages`],
      ['POST', `/api/v1/inbox/${c.waId}/messages`, { text: 'halo' }],
      ['POST', `/api/v1/inbox/${c.waId}/handover`, { active: true }],
    ];
    for (const [method, path, body] of calls) {
      for (const auth of [undefined, 'Bearer wrong-key', p.adminKey]) {
        const res = await fetch(`${p.base}${path}`, {
          method,
          headers: { ...(auth ? { authorization: auth } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        assert.equal(res.status, 401, `${method} ${path} with ${auth ?? 'no token'}`);
      }
    }
    assert.equal(await outboundCount(p, c.waId), n, 'nothing was sent');
    assert.equal((await inboxEntry(p, c.waId)).human_handover, false, 'nothing changed');
  });
});
