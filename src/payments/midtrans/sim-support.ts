// Plumbing shared by the three gateway simulators (Midtrans, Xendit, DOKU): EMVCo QRIS payloads, the
// sandbox "mode" switch (down / slow, to demonstrate retries and circuit breakers), expiry timers and
// webhook delivery. It lives in the Midtrans folder only because the payments root belongs to the domain.
import type { FastifyInstance, FastifyReply } from 'fastify';

export type SimMode = 'normal' | 'down' | 'slow';
export const SIM_MODES: SimMode[] = ['normal', 'down', 'slow'];
export const SLOW_DELAY_MS = 15_000;

/** CRC-16/CCITT-FALSE over the payload, as EMVCo merchant-presented QR codes require in tag 63. */
export function crc16ccitt(data: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(data, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

const tlv = (tag: string, value: string) => `${tag}${value.length.toString().padStart(2, '0')}${value}`;

/**
 * A dynamic QRIS payload (EMVCo MPM) that banking apps' parsers accept structurally: merchant account
 * info under the QRIS domain, IDR, the amount, and the charge reference in the additional data field so
 * every charge gets a distinct string. It is not payable by a real bank — the simulator's `_sim/pay` is.
 */
export function buildQrisPayload(p: { acquirerDomain: string; merchantPan: string; nmid: string; merchantName: string; city: string; amount: number; reference: string; terminal?: string }): string {
  const merchantInfo = tlv('00', p.acquirerDomain) + tlv('01', p.merchantPan) + tlv('02', p.nmid.slice(0, 15)) + tlv('03', 'UMI');
  const additional = tlv('01', p.reference.slice(0, 25)) + tlv('07', (p.terminal ?? 'A01').slice(0, 25));
  const body =
    tlv('00', '01') +
    tlv('01', '12') + // 12 = dynamic: one payment, then the code is spent
    tlv('26', merchantInfo) +
    tlv('51', tlv('00', 'ID.CO.QRIS.WWW') + tlv('02', p.nmid.slice(0, 15)) + tlv('03', 'UMI')) +
    tlv('52', '5499') +
    tlv('53', '360') +
    tlv('54', String(p.amount)) +
    tlv('58', 'ID') +
    tlv('59', p.merchantName.slice(0, 25)) +
    tlv('60', p.city.slice(0, 15)) +
    tlv('61', '12190') +
    tlv('62', additional) +
    '6304';
  return body + crc16ccitt(body);
}

/** Makes the simulator's provider API answer 503 ("down") or 15 s late ("slow"); control routes stay up. */
export function installModeSwitch(app: FastifyInstance, state: { mode: SimMode; refused?: number }, downBody: () => unknown): void {
  app.addHook('onRequest', async (req, reply: FastifyReply) => {
    if (req.url.includes('/_sim/')) return;
    if (state.mode === 'down') {
      // Counted, so a demo (or test) can see whether callers back off while the gateway is down.
      state.refused = (state.refused ?? 0) + 1;
      await reply.code(503).send(downBody());
      return reply;
    }
    if (state.mode === 'slow') await new Promise((r) => setTimeout(r, SLOW_DELAY_MS).unref());
  });
}

/** One timer per charge that fires at its expiry; cleared when the app closes so tests and restarts exit. */
export class ExpiryTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  // setTimeout overflows past ~24.8 days; such charges are expired lazily when next read.
  private static readonly MAX_DELAY = 2 ** 31 - 1;

  schedule(key: string, at: Date, fire: () => void): void {
    this.cancel(key);
    const delay = Math.max(0, at.getTime() - Date.now());
    if (delay > ExpiryTimers.MAX_DELAY) return;
    const t = setTimeout(() => {
      this.timers.delete(key);
      fire();
    }, delay);
    t.unref();
    this.timers.set(key, t);
  }

  cancel(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

export interface SentNotification {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** POSTs a webhook exactly as given; resolves to the HTTP status the receiver answered (0 when unreachable). */
export async function deliver(n: SentNotification): Promise<{ status: number; error?: string; body?: string }> {
  try {
    const res = await fetch(n.url, { method: 'POST', headers: n.headers, body: n.body, signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, error: (err as Error).message };
  }
}

/** Fire-and-forget delivery for notifications the gateway sends on its own (expiry): failures only log. */
export function deliverInBackground(app: FastifyInstance, n: SentNotification): void {
  void deliver(n).then((r) => {
    if (r.status < 200 || r.status >= 300) app.log.warn({ url: n.url, status: r.status, error: r.error }, 'simulator notification not accepted');
  });
}

/** Base URL of the simulator as the caller reached it, for links the provider would return (QR images). */
export function selfBaseUrl(req: { protocol: string; host: string }, prefix: string): string {
  return `${req.protocol}://${req.host}${prefix}`;
}

export type PayOutcome =
  | { error: string }
  /** the notification to deliver now (and to replay byte-for-byte on notify-again) */
  | { notification: SentNotification }
  /** the simulator delivered it itself (DOKU first obtains a token from pesan) */
  | { delivered: { status: number; error?: string } };

export interface ControlHooks<T> {
  state: { mode: SimMode; refused?: number };
  find(reference: string): T | undefined;
  list(): unknown[];
  pay(charge: T, amount: number | undefined): PayOutcome | Promise<PayOutcome>;
  /** expires now; a notification only where the real gateway sends one */
  expire(charge: T): { error?: string; notification?: SentNotification };
  last(charge: T): SentNotification | undefined;
}

/**
 * The uniform sandbox control API every gateway simulator exposes (kept identical across gateways).
 * `_sim/pay` with `notify: false` pays without delivering the notification, as when a gateway's
 * notification is lost on the way; `_sim/notify-again` delivers it later.
 */
export function registerControlRoutes<T>(app: FastifyInstance, hooks: ControlHooks<T>): void {
  app.post<{ Body: { reference?: string; amount?: number; notify?: boolean } }>('/_sim/pay', async (req, reply) => {
    const { reference, amount, notify } = req.body ?? {};
    const charge = reference ? hooks.find(reference) : undefined;
    if (!charge) return reply.code(404).send({ ok: false, error: `no charge with reference ${reference}` });
    const r = await hooks.pay(charge, typeof amount === 'number' ? amount : undefined);
    if ('error' in r) return reply.code(409).send({ ok: false, error: r.error });
    if (notify === false && 'notification' in r) return { ok: true, notification_status: null };
    const d = 'delivered' in r ? r.delivered : await deliver(r.notification);
    return { ok: true, notification_status: d.status, ...(d.error ? { notification_error: d.error } : {}) };
  });

  app.post<{ Body: { reference?: string } }>('/_sim/expire', async (req, reply) => {
    const charge = req.body?.reference ? hooks.find(req.body.reference) : undefined;
    if (!charge) return reply.code(404).send({ ok: false, error: `no charge with reference ${req.body?.reference}` });
    const r = hooks.expire(charge);
    if (r.error) return reply.code(409).send({ ok: false, error: r.error });
    const d = r.notification ? await deliver(r.notification) : undefined;
    return { ok: true, notification_status: d?.status ?? null };
  });

  app.post<{ Body: { reference?: string } }>('/_sim/notify-again', async (req, reply) => {
    const charge = req.body?.reference ? hooks.find(req.body.reference) : undefined;
    const n = charge ? hooks.last(charge) : undefined;
    if (!charge || !n) return reply.code(404).send({ ok: false, error: 'no notification sent for this reference yet' });
    const d = await deliver(n);
    return { ok: true, notification_status: d.status, ...(d.error ? { notification_error: d.error } : {}) };
  });

  app.get('/_sim/charges', async () => ({ mode: hooks.state.mode, refused: hooks.state.refused ?? 0, charges: hooks.list() }));

  app.post<{ Body: { mode?: string } }>('/_sim/mode', async (req, reply) => {
    const mode = req.body?.mode as SimMode;
    if (!SIM_MODES.includes(mode)) return reply.code(400).send({ ok: false, error: `mode must be one of ${SIM_MODES.join(', ')}` });
    hooks.state.mode = mode;
    return { ok: true, mode };
  });
}
