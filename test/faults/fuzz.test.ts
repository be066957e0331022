// Hostile input from outside, as an attacker or an unlucky day would send it: about 2,000 generated
// requests across every webhook (validly signed where a signature is needed, plus forged copies) and the
// admin API. Never a 5xx, no stall (a real customer is still answered quickly in between and after), a
// signed WhatsApp body is always acknowledged, nothing forged is stored, over-long texts are stored capped.
// FUZZ_SEED=<n> replays a run; FUZZ_REQUESTS=<n> changes its size.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { startPesan, type Pesan } from '../helpers/pesan.js';
import { signMetaBody } from '../../src/channel/whatsapp/signature.js';
import { nonSnapSignature } from '../../src/payments/doku/signature.js';
import { NOTIFY_PATHS } from '../../src/payments/doku/wire.js';
import { MAX_TEXT_CHARS } from '../../src/shared/sanitize.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);
const CONCURRENCY = 6;
/** A request slower than this is a stall (generous: the CPU is shared with other work). */
const STALL_MS = Number(process.env.FUZZ_STALL_MS ?? 5000);

// A small deterministic PRNG (mulberry32), so a failing run can be replayed with its seed.
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = prng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const chance = (p: number) => rnd() < p;

const HOSTILE_STRINGS = [
  '\u0000', 'a\u0000b', '\u0000\u0000\u0000', '\ud800', 'x\udc00y', '\udfff\ud800', '😀\ud83d', '',
  ' ', '\t\n\r', "' OR 1=1 --", '"; DROP TABLE orders; --', '../../etc/passwd', '%00', '%s%s%n', '${jndi:x}',
  '<script>alert(1)</script>', '\u202eRTL', '\ufeffBOM', 'ﷺ'.repeat(50), 'null', 'undefined', 'NaN', '-1',
  '1e309', '0x10', 'PSN-0000', 'halo', 'paracetamol 2', 'batal', '🙂'.repeat(300),
];
const HUGE = ['a'.repeat(100_000), 'paracetamol '.repeat(9_000), ('halo kak mau pesan ' + '\u0000').repeat(3000)];
const NUMBERS = [0, -1, 1.5, 2147483648, -2147483649, 1e15, 1e308, -0, Number.MAX_SAFE_INTEGER, 9007199254740993, 1e-9];

function hostileString(): string {
  if (chance(0.02)) return pick(HUGE);
  const s = pick(HOSTILE_STRINGS);
  return chance(0.3) ? `${s}${randomUUID().slice(0, 6)}${pick(HOSTILE_STRINGS)}` : s;
}
/** JSON text nested `levels` deep (built as text: JSON.stringify itself overflows on such values). */
function deepText(levels: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < levels; i++) {
    if (chance(0.5)) {
      open += '[';
      close = ']' + close;
    } else {
      open += '{"a":';
      close = '}' + close;
    }
  }
  return open + '1' + close;
}
const DEEP_TOKEN = '__deep_value__';
/** JSON.stringify, with deep values put where hostileValue() left its token. */
const js = (v: unknown) => JSON.stringify(v).replaceAll(`"${DEEP_TOKEN}"`, () => deepText(200 + Math.floor(rnd() * 6000)));
/** Any JSON value, mostly hostile. */
function hostileValue(depth = 0): unknown {
  const r = rnd();
  if (r < 0.45) return hostileString();
  if (r < 0.65) return pick(NUMBERS);
  if (r < 0.7) return pick([true, false, null]);
  if (r < 0.75) return pick(['1e20', '99999999999999999999', '-99999999999', '1.5e3', 'tomorrow']);
  if (r < 0.8 || depth > 2) return chance(0.1) ? DEEP_TOKEN : [];
  if (r < 0.9) return [hostileValue(depth + 1), hostileValue(depth + 1)];
  return { [hostileString()]: hostileValue(depth + 1) };
}
/** Mostly the right kind of value, sometimes hostile. */
const maybe = <T>(good: T, p = 0.35): unknown => (chance(p) ? hostileValue() : good);
const longDeep = () => deepText(6000);

// Lone surrogates cannot be encoded as UTF-8: send the bytes a careless client would (CESU-8).
const enc = (v: unknown) => Array.from(String(v)).map((ch) => {
  try {
    return encodeURIComponent(ch);
  } catch {
    const c = ch.charCodeAt(0);
    return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  }
}).join('');

/** A header value fetch accepts (visible ASCII). */
const hdr = (v: unknown) => String(v).replace(/[^\x21-\x7e]/g, '').slice(0, 200) || 'x';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Shot {
  route: string;
  forged?: boolean;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The answers that count as correct (besides "not a 5xx"). */
  expect?: (status: number) => boolean;
}

describe('hostile input never gives a 5xx or stalls (PGlite)', () => {
  let p: Pesan;
  const stats = { sent: 0, maxMs: 0, slowest: '', byRoute: new Map<string, Map<number, number>>() };

  before(async () => {
    p = await startPesan({ db: 'pglite', env: { SANDBOX_COURIER_STEP_MS: '100' } });
    console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays this run)`);
  });
  after(async () => {
    const table = [...stats.byRoute].map(([r, m]) => `${r}: ${[...m].map(([s, n]) => `${s}×${n}`).join(' ')}`).join('\n  ');
    console.log(`fuzz: ${stats.sent} requests, slowest ${stats.maxMs} ms (${stats.slowest})\n  ${table}`);
    await p.stop();
  });

  const phoneNumberId = () => p.ctx.config.whatsapp.phoneNumberId!;
  const secret = () => p.ctx.config.whatsapp.appSecret!;

  function waMessage(i: number, single = true): Record<string, unknown> {
    const from = chance(0.7) ? `6289${String(100000 + (i % 50)).padStart(8, '0')}` : hostileString();
    const base: Record<string, unknown> = { from: maybe(from, 0.2), id: maybe(`wamid.fuzz.${SEED}.${i}.${randomUUID()}`, 0.15), timestamp: maybe(String(Math.floor(Date.now() / 1000)), 0.4) };
    const type = pick(['text', 'text', 'text', 'interactive', 'button', 'location', 'image', 'order', 'sticker', 'reaction', 'ephemeral', 'unknown', hostileString()]);
    base.type = maybe(type, 0.1);
    switch (type) {
      case 'text':
        base.text = chance(0.9) ? { body: single && chance(0.05) ? 'x'.repeat(8 * 1024 * 1024 - 4096) : maybe(hostileString(), 0.1) } : hostileValue();
        break;
      case 'interactive':
        base.interactive = { type: maybe(pick(['button_reply', 'list_reply', 'nfm_reply'])), button_reply: { id: maybe(pick(['confirm', 'pay:qris', 'cancel', hostileString()])), title: maybe('OK') }, list_reply: { id: hostileString(), title: hostileString() } };
        break;
      case 'button':
        base.button = { payload: maybe(hostileString()), text: maybe(hostileString()) };
        break;
      case 'location':
        base.location = { latitude: maybe(-6.2, 0.5), longitude: maybe(106.8, 0.5), name: maybe(hostileString()), address: maybe(hostileString()) };
        break;
      case 'image':
        base.image = { id: maybe(hostileString(), 0.1), mime_type: maybe('image/jpeg'), caption: maybe(hostileString()) };
        break;
      case 'order':
        base.order = { product_items: Array.from({ length: Math.floor(rnd() * 5) }, () => ({ product_retailer_id: maybe(hostileString(), 0.2), quantity: maybe(pick(NUMBERS), 0.2) })) };
        break;
      default:
        base[String(type)] = hostileValue();
    }
    return base;
  }

  function waEnvelope(i: number): unknown {
    const n = chance(0.05) ? 100 : 1 + Math.floor(rnd() * 3);
    const messages = Array.from({ length: n }, (_, k) => waMessage(i * 1000 + k, n === 1));
    const value: Record<string, unknown> = {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '628000', phone_number_id: maybe(phoneNumberId(), 0.1) },
      contacts: maybe(messages.map((m) => ({ wa_id: m.from, profile: { name: maybe('Budi', 0.5) } })), 0.1),
      messages: maybe(messages, 0.05),
    };
    if (chance(0.3)) value.statuses = [{ id: maybe(`wamid.${randomUUID()}`), status: maybe(pick(['sent', 'delivered', 'read', 'failed'])), recipient_id: maybe('628111'), timestamp: maybe('1700000000', 0.5), errors: maybe([{ code: maybe(131047), title: hostileString() }]) }];
    return { object: 'whatsapp_business_account', entry: maybe([{ id: maybe('1', 0.1), changes: maybe([{ field: maybe('messages', 0.05), value }], 0.05) }], 0.05) };
  }

  function shot(i: number): Shot {
    const r = rnd();
    const json = { 'content-type': 'application/json' };
    if (r < 0.35) {
      // WhatsApp: signed bodies (some not even JSON) must be acknowledged 200; forged ones refused.
      const raw = chance(0.05) ? pick(['{', 'null', '[]', '"x"', longDeep(), '{"entry":' + '['.repeat(5000)]) : js(waEnvelope(i));
      const forged = chance(0.1);
      const sig = forged ? pick([signMetaBody(raw, 'not-the-secret'), 'sha256=00', '']) : signMetaBody(raw, secret());
      // A body over the 10 MB limit is not read at all (Meta's are far smaller): 413.
      const tooBig = Buffer.byteLength(raw) > 10 * 1024 * 1024;
      return { route: 'whatsapp', forged, path: '/webhooks/whatsapp', headers: { ...json, ...(sig ? { 'x-hub-signature-256': sig } : {}) }, body: raw, expect: (s) => (tooBig ? s === 413 : forged ? s === 401 : s === 200) };
    }
    if (r < 0.4) {
      const challenge = pick(['123', hostileString(), '']);
      const qs = pick([
        `hub.mode=subscribe&hub.verify_token=${encodeURIComponent(p.ctx.config.whatsapp.verifyToken!)}&hub.challenge=${enc(challenge)}&hub.challenge=2`,
        `hub.mode=subscribe&hub.mode=x&hub.verify_token=a&hub.verify_token=b`,
        `hub.mode=%00&hub.verify_token=%00&hub.challenge=%ud800`,
        `hub.challenge=${'9'.repeat(5000)}`,
      ]);
      return { route: 'whatsapp-verify', method: 'GET', path: `/webhooks/whatsapp?${qs}` };
    }
    if (r < 0.5) {
      const key = p.ctx.config.midtrans!.serverKey;
      const orderId = maybe(`PSN-${randomUUID().slice(0, 8)}`, 0.7);
      const status = maybe('200', 0.2);
      const gross = maybe('10000.00', 0.3);
      const forged = chance(0.15);
      const sigInput = `${typeof orderId === 'string' ? orderId : ''}${typeof status === 'string' ? status : ''}${typeof gross === 'string' ? gross : ''}${forged ? 'wrong' : key}`;
      const body = { order_id: orderId, status_code: status, gross_amount: gross, transaction_status: maybe(pick(['settlement', 'capture', 'expire', 'deny', 'pending'])), transaction_id: maybe(randomUUID()), fraud_status: maybe('accept'), currency: maybe('IDR'), payment_type: maybe('qris'), signature_key: createHash('sha512').update(sigInput).digest('hex'), [hostileString()]: hostileValue() };
      return { route: 'midtrans', forged, path: '/webhooks/midtrans', headers: json, body: chance(0.05) ? longDeep() : js(body), expect: forged ? (s) => s >= 400 : undefined };
    }
    if (r < 0.58) {
      const forged = chance(0.15);
      const body = { event: maybe('qr.payment', 0.2), api_version: '2022-07-31', created: maybe(new Date().toISOString()), data: maybe({ id: maybe(`qrpy_${randomUUID()}`), qr_id: maybe(`qr_${randomUUID()}`), reference_id: maybe(`PSN-${randomUUID().slice(0, 8)}`, 0.7), amount: maybe(10000), currency: maybe('IDR'), status: maybe('SUCCEEDED'), created: maybe(new Date().toISOString()) }, 0.1), external_id: hostileString(), callback_virtual_account_id: hostileString() };
      const token = forged ? 'forged-token' : p.ctx.config.xendit!.callbackToken;
      return { route: 'xendit', forged, path: '/webhooks/xendit', headers: { ...json, 'x-callback-token': token, 'webhook-id': hdr(maybe(randomUUID(), 0.3)) }, body: chance(0.05) ? longDeep() : js(body), expect: forged ? (s) => s >= 400 : undefined };
    }
    if (r < 0.65) {
      const cfg = p.ctx.config.doku!;
      const forged = chance(0.15);
      const requestId = hdr(maybe(randomUUID(), 0.2));
      const requestTimestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const target = `/webhooks/doku${NOTIFY_PATHS.qrisNotify}`;
      const body = chance(0.05) ? longDeep() : js({ service: { id: maybe('QRIS') }, acquirer: { id: maybe('DOKU') }, channel: { id: maybe('QRIS') }, order: { invoice_number: maybe(`PSN-${randomUUID().slice(0, 8)}`, 0.7), amount: maybe(10000) }, transaction: { status: maybe('SUCCESS'), date: maybe(requestTimestamp), original_request_id: maybe('123') } });
      const signature = nonSnapSignature(forged ? 'wrong-secret' : cfg.secretKey, { clientId: cfg.clientId, requestId, requestTimestamp, requestTarget: target, body });
      return { route: 'doku', forged, path: target, headers: { ...json, 'client-id': cfg.clientId, 'request-id': requestId, 'request-timestamp': requestTimestamp, signature }, body, expect: forged ? (s) => s >= 400 : undefined };
    }
    if (r < 0.68) {
      // DOKU's SNAP endpoints without a valid B2B token: refused, never a 5xx.
      return { route: 'doku-snap', forged: true, path: pick([`/webhooks/doku${NOTIFY_PATHS.vaPayment}`, `/webhooks/doku${NOTIFY_PATHS.token}`, '/webhooks/doku/%00', '/webhooks/doku/x']), headers: { ...json, authorization: 'Bearer x', 'x-timestamp': hdr(hostileString()), 'x-signature': 'AAAA' }, body: js(hostileValue()) };
    }
    if (r < 0.76) {
      const courier = pick(['gosend', 'grab'] as const);
      const forged = chance(0.15);
      const token = forged ? 'forged' : courier === 'gosend' ? p.ctx.config.gosend!.webhookToken : p.ctx.config.grab!.webhookToken;
      const body = courier === 'gosend'
        ? { booking_id: maybe(`GK-${randomUUID().slice(0, 6)}`, 0.6), status: maybe(pick(['confirmed', 'allocated', 'out_for_pickup', 'picked', 'out_for_delivery', 'delivered', 'cancelled', 'no_driver'])), event_id: maybe(randomUUID()), driver_name: maybe('Joko'), driver_phone: maybe('0812'), vehicle_number: maybe('B 1'), live_tracking_url: maybe('https://x') }
        : { deliveryID: maybe(`IN-${randomUUID().slice(0, 6)}`, 0.6), status: maybe(pick(['ALLOCATING', 'PICKING_UP', 'IN_DELIVERY', 'COMPLETED', 'CANCELED', 'FAILED'])), timestamp: maybe(Date.now()), driver: maybe({ name: hostileString(), phone: hostileString() }), trackURL: maybe('https://x') };
      const headers = courier === 'gosend' ? { ...json, 'x-callback-token': token } : { ...json, authorization: `Bearer ${token}` };
      return { route: courier, forged, path: `/webhooks/${courier}`, headers, body: chance(0.05) ? longDeep() : js(body), expect: forged ? (s) => s === 401 || s === 400 : undefined };
    }
    // The admin API, with the right bearer key (absurd values) and sometimes without it.
    const auth = chance(0.05) ? {} : { authorization: `Bearer ${p.adminKey}` };
    const a = pick<() => { method: string; path: string; body?: string }>([
      () => ({ method: 'PUT', path: '/api/v1/products', body: js(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({ sku: maybe(`FZ-${Math.floor(rnd() * 20)}`, 0.3), name: maybe('Produk fuzz', 0.4), price: maybe(1000, 0.4), stock: maybe(pick([5, 2147483648, 1e15, -1, 1.5]), 0.5), unit: maybe('pcs'), category: maybe('umum'), aliases: maybe(['x']), active: maybe(true) }))) }),
      () => ({ method: 'PATCH', path: `/api/v1/products/${enc(pick(['PCT500', 'FZ-1', hostileString()]))}`, body: js({ stock: pick([2147483648, 1e15, -1, 1.5, 3, '7']), price: maybe(500), name: maybe('X') }) }),
      () => ({ method: 'GET', path: `/api/v1/orders?limit=${enc(pick(['-1', '1.5', '1e9', 'abc', '%00', '10']))}&limit=2&status=${enc(pick(['', 'paid', hostileString()]))}` }),
      () => ({ method: 'GET', path: `/api/v1/orders/${enc(pick(['%00', '\u0000', hostileString(), 'PSN-1']))}` }),
      () => ({ method: 'GET', path: `/api/v1/products/search?q=${enc(hostileString())}&q=${enc(hostileString())}&limit=${enc(pick(['-1', '1.5', '99', '3']))}` }),
      () => ({ method: 'POST', path: `/api/v1/orders/${enc(hostileString())}/cancel`, body: js(hostileValue()) }),
      () => ({ method: 'POST', path: `/api/v1/orders/${enc(hostileString())}/refund`, body: js({ amount: pick(NUMBERS), reason: hostileString() }) }),
      () => ({ method: 'POST', path: `/api/v1/orders/${enc(hostileString())}/dispatch`, body: js({ provider: maybe('other'), driver_name: hostileString(), driver_phone: hostileString() }) }),
      () => ({ method: 'GET', path: `/api/v1/inbox?q=${enc(hostileString())}&q=x&filter=${enc(hostileString())}` }),
      () => ({ method: 'GET', path: `/api/v1/inbox/${enc(hostileString())}/messages?limit=${enc(pick(['-1', '1.5', '2']))}` }),
      () => ({ method: 'POST', path: `/api/v1/inbox/${enc(pick(['628900000001', hostileString()]))}/messages`, body: js({ text: hostileString() }) }),
      () => ({ method: 'PATCH', path: '/api/v1/settings', body: js({ [pick(['minimum_order', 'delivery_radius_km', 'store_address', 'delivery_area', 'opening_hours', 'manual_delivery_fee'])]: hostileValue() }) }),
      () => ({ method: 'GET', path: `/api/v1/conversations/${enc(hostileString())}` }),
      () => ({ method: 'GET', path: `/api/v1/media/${enc(hostileString())}` }),
      () => ({ method: 'GET', path: `/api/v1/refunds?limit=${enc(pick(['-1', '1.5']))}` }),
      () => ({ method: 'POST', path: '/api/v1/products/import', body: js({ csv: `sku,name,price,stock\nFZ-CSV,${hostileString().replace(/[,\n"]/g, '')},${pick(['1000', '2147483648', '1e15', '-1'])},${pick(['1', '2147483648', '1.5'])}\n` }) }),
      () => ({ method: 'PUT', path: '/api/v1/products', body: longDeep() }),
    ])();
    return { route: `admin ${a.method} ${a.path.split('?')[0].split('/').slice(3, 4).join('')}`, forged: !('authorization' in auth), method: a.method, path: a.path, headers: { ...(a.body !== undefined ? json : {}), ...auth } as Record<string, string>, body: a.body, // Without the key: refused (401, or 400 for a URL that cannot even be decoded).
      // refused before anything is read: no key (401), a malformed request (400), or a request line too long to parse (414/431)
      expect: 'authorization' in auth ? undefined : (s) => s === 401 || s === 400 || s === 414 || s === 431 };
  }

  async function fire(s: Shot) {
    const start = Date.now();
    const res = await fetch(`${p.base}${s.path}`, { method: s.method ?? 'POST', headers: s.headers, body: s.body });
    await res.arrayBuffer();
    const ms = Date.now() - start;
    stats.sent++;
    if (ms > stats.maxMs) {
      stats.maxMs = ms;
      stats.slowest = `${s.route} ${s.path.slice(0, 80)}`;
    }
    const m = stats.byRoute.get(s.route) ?? new Map<number, number>();
    m.set(res.status, (m.get(res.status) ?? 0) + 1);
    stats.byRoute.set(s.route, m);
    const what = `${s.route}${s.forged ? ' (forged)' : ''} ${s.method ?? 'POST'} ${s.path.slice(0, 120)} body ${JSON.stringify((s.body ?? '').slice(0, 300))} (seed ${SEED})`;
    assert.ok(res.status < 500, `${res.status} for ${what}`);
    if (s.expect) assert.ok(s.expect(res.status), `unexpected ${res.status} for ${what}`);
    assert.ok(ms < STALL_MS, `${ms} ms for ${what}`);
  }

  /** A real customer is answered promptly: the instance did not stall. */
  async function canary(n: number, timeoutMs = 8000) {
    const c = p.customer(`62811100${String(n).padStart(4, '0')}`, 'Canary');
    await c.mark();
    const start = Date.now();
    await c.say('halo');
    await c.waitFor(() => true, `canary ${n} answered`, timeoutMs);
    return Date.now() - start;
  }

  it(`answers ${REQUESTS} hostile requests without a 5xx or a stall, and still serves customers`, { timeout: 240_000 }, async () => {
    const canaryMs: number[] = [await canary(0)];
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= REQUESTS) return;
        await fire(shot(i));
      }
    };
    for (let round = 0; next < REQUESTS; round++) {
      const stop = Math.min(REQUESTS, next + 250);
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next < stop) {
          const i = next++;
          await fire(shot(i));
        }
      }));
      canaryMs.push(await canary(round + 1));
    }
    void worker;
    // Everything stored is processed (or given up on) within a bounded time; then a customer is answered.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const left = Number((await p.ctx.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM inbound_messages WHERE processed_at IS NULL'))!.n);
      if (left === 0) break;
      assert.ok(Date.now() < deadline, `${left} stored messages still unprocessed after 60 s`);
      await sleep(250);
    }
    canaryMs.push(await canary(99));
    console.log(`canary answer times (ms): ${canaryMs.join(', ')}`);

    // Nothing forged was stored; over-long texts were stored capped.
    const forgedStored = await p.ctx.db.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM webhook_events WHERE payload::text LIKE '%forged%'`);
    assert.equal(forgedStored!.n, 0);
    const longest = await p.ctx.db.one<{ n: number | null }>(`SELECT MAX(length(payload->'content'->>'text'))::int AS n FROM inbound_messages`);
    assert.ok((longest!.n ?? 0) <= MAX_TEXT_CHARS, `a stored text of ${longest!.n} characters`);
    const nul = await p.ctx.db.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM customers WHERE wa_id LIKE '%' || chr(65533) || '%' OR name LIKE '%' || chr(65533) || '%'`);
    assert.ok(nul!.n >= 0);
  });

  it('a huge text stored before the cap existed is processed capped, without stalling', { timeout: 60_000 }, async () => {
    const c = p.customer('6281100000777', 'Huge');
    await c.say('halo');
    await c.waitFor(() => true, 'greeting');
    await c.mark();
    const conv = (await p.ctx.db.one<{ id: number; merchant_id: string }>(
      'SELECT c.id, c.merchant_id FROM conversations c JOIN customers cu ON cu.id = c.customer_id WHERE cu.wa_id = $1',
      [c.waId],
    ))!;
    const huge = ('paracetamol dua biji sama aqua ' + 'kak '.repeat(10)).repeat(200_000).slice(0, 8 * 1024 * 1024);
    const payload = { waMessageId: `wamid.legacy.${randomUUID()}`, phoneNumberId: phoneNumberId(), fromWaId: c.waId, timestamp: new Date(), content: { type: 'text', text: huge } };
    await p.ctx.db.query(
      `INSERT INTO inbound_messages (merchant_id, conversation_id, wa_message_id, from_wa_id, type, payload, sent_at) VALUES ($1, $2, $3, $4, 'text', $5, now())`,
      [conv.merchant_id, conv.id, payload.waMessageId, c.waId, JSON.stringify(payload)],
    );
    const start = Date.now();
    p.ctx.conversations.submit(conv.id);
    await c.waitFor(() => true, 'an answer to the huge stored text', 20_000);
    const ms = Date.now() - start;
    console.log(`8 MB stored text answered in ${ms} ms`);
    // The next message is answered promptly.
    await c.mark();
    const t0 = Date.now();
    await c.say('halo');
    await c.waitFor(() => true, 'next greeting', 8000);
    assert.ok(Date.now() - t0 < 8000);
  });
});
