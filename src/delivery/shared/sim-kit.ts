// Building blocks shared by the courier simulators (GoSend and GrabExpress):
// distance pricing, a driver roster, the status clock, ordered webhook delivery and a tracking page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type SimMode = 'normal' | 'no_driver' | 'down' | 'manual_steps';
export const SIM_MODES: readonly SimMode[] = ['normal', 'no_driver', 'down', 'manual_steps'];

export interface LatLng {
  lat: number;
  lng: number;
}

export function haversineKm(a: LatLng, b: LatLng): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Instant bike couriers in Indonesia do not take trips much longer than this. */
export const SIM_MAX_KM = 40;

/** Rp 2.500 per km, Rp 10.000 minimum, rounded to Rp 500: close to what merchants see for bike couriers. */
export function simFee(km: number, perKm = 2500, minimum = 10_000): number {
  return Math.max(minimum, Math.round((km * perKm) / 500) * 500);
}

export interface SimDriver {
  name: string;
  phone: string;
  plate: string;
}

const DRIVERS: SimDriver[] = [
  { name: 'Budi Santoso', phone: '6281234560101', plate: 'B 3412 KZT' },
  { name: 'Agus Setiawan', phone: '6281234560102', plate: 'B 6721 PQA' },
  { name: 'Dewi Lestari', phone: '6281234560103', plate: 'B 4409 TRM' },
  { name: 'Rudi Hartono', phone: '6281234560104', plate: 'B 5530 UJX' },
  { name: 'Siti Rahmawati', phone: '6281234560105', plate: 'B 2876 SBD' },
  { name: 'Eko Prasetyo', phone: '6281234560106', plate: 'B 7154 WLN' },
  { name: 'Wahyu Nugroho', phone: '6281234560107', plate: 'B 3098 KGF' },
  { name: 'Putu Wirawan', phone: '6281234560108', plate: 'B 6613 NVE' },
];

export function pickDriver(seq: number): SimDriver {
  return DRIVERS[seq % DRIVERS.length];
}

/** Parses GoSend-style "lat,lng". */
export function parseLatLng(s: string | undefined): LatLng | undefined {
  if (!s) return undefined;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(s);
  if (!m) return undefined;
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return undefined;
  return { lat, lng };
}

/**
 * Base URL of a simulator as its callers see it, e.g. http://127.0.0.1:3000/sandbox/gosend:
 * `publicUrl` when given (behind a proxy the request's host is not what customers can open),
 * else the request's own origin plus the plugin prefix.
 */
export function simBaseUrl(req: FastifyRequest, prefix: string, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/$/, '');
  return `${req.protocol}://${req.host}${prefix}`;
}

/**
 * One timer per active booking. Timers are unref'd and all cleared by stop(), so an app that
 * closes (or a test that ends) is never held open by a courier that is still "driving".
 */
export class SimClock {
  private timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly stepMs: number,
    private readonly onTick: (id: string) => void,
  ) {}

  schedule(id: string): void {
    this.cancel(id);
    if (this.stopped || !(this.stepMs > 0)) return;
    const t = setTimeout(() => {
      this.timers.delete(id);
      this.onTick(id);
    }, this.stepMs);
    t.unref();
    this.timers.set(id, t);
  }

  has(id: string): boolean {
    return this.timers.has(id);
  }

  cancel(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  cancelAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  stop(): void {
    this.stopped = true;
    this.cancelAll();
  }
}

export interface WebhookDelivery {
  at: string;
  status?: number;
  error?: string;
}

/**
 * Posts webhooks one booking at a time, in order (a courier never reports "delivered" before
 * "picked"), retrying a failed delivery a few times like the real providers do. Remembers the exact
 * bytes of each booking's last webhook so `_sim/replay` can resend them unchanged.
 */
export class WebhookSender {
  private chains = new Map<string, Promise<void>>();
  private lastBody = new Map<string, string>();
  readonly deliveries = new Map<string, WebhookDelivery[]>();
  private closed = false;
  private inflight = new Set<AbortController>();
  /** When true, webhooks are recorded as dropped and never sent (a lost-webhook drill). */
  dropping = false;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly log: { warn: (obj: object, msg: string) => void },
    private readonly attempts = 3,
  ) {}

  /** Queues `body` for the booking and resolves once it was delivered (or given up on). */
  send(bookingId: string, body: string): Promise<void> {
    this.lastBody.set(bookingId, body);
    return this.enqueue(bookingId, body);
  }

  /** Resends the last webhook byte for byte; false when the booking never sent one. */
  replay(bookingId: string): Promise<void> | false {
    const body = this.lastBody.get(bookingId);
    if (body === undefined) return false;
    return this.enqueue(bookingId, body);
  }

  close(): void {
    this.closed = true;
    for (const c of this.inflight) c.abort();
  }

  private enqueue(bookingId: string, body: string): Promise<void> {
    const prev = this.chains.get(bookingId) ?? Promise.resolve();
    const next = prev.then(() => this.deliver(bookingId, body));
    this.chains.set(bookingId, next);
    return next;
  }

  private async deliver(bookingId: string, body: string): Promise<void> {
    const log = this.deliveries.get(bookingId) ?? [];
    this.deliveries.set(bookingId, log);
    if (this.dropping) {
      log.push({ at: new Date().toISOString(), error: 'dropped by the sandbox' });
      return;
    }
    for (let attempt = 1; attempt <= this.attempts && !this.closed; attempt++) {
      const controller = new AbortController();
      this.inflight.add(controller);
      const timer = setTimeout(() => controller.abort(), 5000);
      try {
        const res = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...this.headers },
          body,
          signal: controller.signal,
        });
        await res.arrayBuffer();
        log.push({ at: new Date().toISOString(), status: res.status });
        if (res.ok) return;
      } catch (err) {
        log.push({ at: new Date().toISOString(), error: (err as Error).message });
      } finally {
        clearTimeout(timer);
        this.inflight.delete(controller);
      }
      if (attempt < this.attempts && !this.closed) await new Promise((r) => setTimeout(r, 250 * attempt).unref());
    }
    if (!this.closed) this.log.warn({ bookingId, url: this.url }, 'courier simulator: webhook not accepted');
  }
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A tiny self-refreshing tracking page, standing in for the courier's live map. */
export function trackingPage(title: string, rows: [string, string | undefined][]): string {
  const body = rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(String(v))}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:32rem}th{text-align:left;padding-right:1rem;color:#555}td,th{padding:.3rem 0}</style>
</head><body><h1>${esc(title)}</h1><table>${body}</table><p><small>Sandbox simulator: no real driver.</small></p></body></html>`;
}

/** What a courier simulator tells the shared control routes about one of its bookings. */
export interface SimControlHooks<T> {
  /** "booking" (GoSend) or "delivery" (Grab), for messages. */
  noun: string;
  /** By the courier's id or the merchant's order id. */
  find(id: string): T | undefined;
  all(): Iterable<T>;
  idOf(t: T): string;
  statusOf(t: T): string;
  terminal(t: T): boolean;
  view(t: T): Record<string, unknown>;
  /** Moves one status on now; undefined when it cannot move any more. */
  step(t: T): Promise<unknown> | false | undefined;
  /** Fails it where it stands (no driver, driver cancels, or returned after pickup). */
  fail(t: T, reason: string | undefined): Promise<void>;
  getMode(): SimMode;
  setMode(m: SimMode): void;
  clock: SimClock;
  sender: WebhookSender;
}

/** The `_sim` control routes both courier simulators offer: mode, advance, fail, replay. */
export function registerSimControls<T>(app: FastifyInstance, h: SimControlHooks<T>): void {
  const lookup = (req: FastifyRequest) => {
    const id = (req.body as { externalId?: unknown } | undefined)?.externalId;
    return typeof id === 'string' ? h.find(id) : undefined;
  };
  const notFound = (reply: FastifyReply) => reply.status(404).send({ error: `no such ${h.noun}` });
  const stuck = (reply: FastifyReply, t: T) =>
    reply.status(409).send({ error: `${h.noun} is ${h.statusOf(t)}; it does not move any more`, [h.noun]: h.view(t) });

  app.get('/_sim/mode', async () => ({ mode: h.getMode() }));

  app.post('/_sim/mode', async (req, reply) => {
    const m = (req.body as { mode?: unknown } | undefined)?.mode;
    if (typeof m !== 'string' || !(SIM_MODES as readonly string[]).includes(m)) {
      return reply.status(400).send({ error: `mode must be one of ${SIM_MODES.join(', ')}` });
    }
    h.setMode(m as SimMode);
    if (m === 'normal' || m === 'no_driver') {
      for (const t of h.all()) if (!h.terminal(t) && !h.clock.has(h.idOf(t))) h.clock.schedule(h.idOf(t));
    } else h.clock.cancelAll();
    return { mode: m };
  });

  /** `{ "drop": true }`: every webhook from now on is lost, as when the courier cannot reach pesan. */
  app.post('/_sim/webhooks', async (req, reply) => {
    const drop = (req.body as { drop?: unknown } | undefined)?.drop;
    if (typeof drop !== 'boolean') return reply.status(400).send({ error: 'drop must be true or false' });
    h.sender.dropping = drop;
    return { drop };
  });

  app.post('/_sim/advance', async (req, reply) => {
    const t = lookup(req);
    if (!t) return notFound(reply);
    const sent = h.step(t);
    if (!sent) return stuck(reply, t);
    await sent;
    return h.view(t);
  });

  app.post('/_sim/fail', async (req, reply) => {
    const t = lookup(req);
    if (!t) return notFound(reply);
    if (h.terminal(t)) return stuck(reply, t);
    const reason = (req.body as { reason?: unknown } | undefined)?.reason;
    h.clock.cancel(h.idOf(t));
    await h.fail(t, typeof reason === 'string' && reason ? reason : undefined);
    return h.view(t);
  });

  app.post('/_sim/replay', async (req, reply) => {
    const t = lookup(req);
    if (!t) return notFound(reply);
    const sent = h.sender.replay(h.idOf(t));
    if (!sent) return reply.status(409).send({ error: 'no webhook sent yet' });
    await sent;
    return { replayed: true, id: h.idOf(t) };
  });
}
