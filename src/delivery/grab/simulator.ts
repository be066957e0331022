// GrabExpress sandbox: the OAuth2 token endpoint and /v1/deliveries (quotes, create, get, cancel)
// with real credential and bearer-token checks, deliveries that move through Grab's statuses on a
// timer, and tracking webhooks POSTed to pesan with `Authorization: Bearer <token>`.
// Control endpoints live under <prefix>/_sim (shared with the GoSend sandbox, plus revoke-tokens).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../../shared/crypto.js';
import { formatRupiah } from '../../shared/money.js';
import {
  haversineKm,
  pickDriver,
  SIM_MAX_KM,
  registerSimControls,
  SimClock,
  simBaseUrl,
  simFee,
  trackingPage,
  WebhookSender,
  type LatLng,
  type SimDriver,
  type SimMode,
} from '../shared/sim-kit.js';
import { GRAB_SCOPE } from './client.js';
import { LostAnswers } from '../../shared/sim-lost-answer.js';
import { deliveryRequestSchema, quoteRequestSchema, type GrabDeliveryRequest } from './wire.js';

export interface GrabSimulatorOptions {
  /** where tracking messages are POSTed (pesan's /webhooks/grab) */
  webhookUrl: string;
  clientId: string;
  clientSecret: string;
  webhookToken: string;
  /** ms between status changes in normal mode */
  stepMs: number;
  /** this simulator's public base URL incl. prefix, e.g. https://pesan.example/sandbox/x (for tracking links); default: from the request */
  publicUrl?: string;
  /** Deliveries start in this mode; default normal. */
  mode?: SimMode;
  /** access token lifetime in seconds; Grab's is about 7 days */
  tokenTtlSeconds?: number;
}

const PATH = ['ALLOCATING', 'PENDING_PICKUP', 'PICKING_UP', 'PENDING_DROP_OFF', 'IN_DELIVERY', 'COMPLETED'] as const;
const TERMINAL = new Set(['COMPLETED', 'CANCELED', 'FAILED', 'RETURNED']);
const CANCELLABLE = new Set(['ALLOCATING', 'PENDING_PICKUP', 'PICKING_UP']);
/** Minutes a bike needs per km in Jakarta traffic, plus pickup time: only for the quote's timeline. */
const MIN_PER_KM = 4;
const PICKUP_MIN = 15;

interface SimDelivery {
  deliveryID: string;
  merchantOrderID: string;
  status: string;
  request: GrabDeliveryRequest;
  distanceM: number;
  amount: number;
  trackingURL: string;
  pickupPin: string;
  driver?: SimDriver;
  failedReason: string;
  timeline: Record<string, string | null>;
}

const grabError = (reply: FastifyReply, status: number, reason: string, message: string, arg = '') =>
  reply.status(status).send({ arg, reason, message });

function quoteOf(origin: LatLng, destination: LatLng) {
  const km = haversineKm(origin, destination);
  const now = Date.now();
  return {
    km,
    quote: {
      service: { id: 0, type: 'INSTANT', name: 'GrabExpress Instant' },
      currency: { code: 'IDR', symbol: 'Rp', exponent: 0 },
      amount: simFee(km),
      estimatedTimeline: {
        pickup: new Date(now + PICKUP_MIN * 60_000).toISOString(),
        dropoff: new Date(now + (PICKUP_MIN + Math.ceil(km * MIN_PER_KM)) * 60_000).toISOString(),
      },
      distance: Math.round(km * 1000),
    },
  };
}

const coords = (p: { coordinates: { latitude: number; longitude: number } }): LatLng => ({ lat: p.coordinates.latitude, lng: p.coordinates.longitude });
const fullName = (c: { firstName: string; lastName?: string }) => [c.firstName, c.lastName && c.lastName !== '-' ? c.lastName : ''].filter(Boolean).join(' ');

export async function grabSimulator(app: FastifyInstance, opts: GrabSimulatorOptions): Promise<void> {
  const prefix = app.prefix;
  let mode: SimMode = opts.mode ?? 'normal';
  let seq = 0;
  const lost = new LostAnswers();
  lost.register(app);
  let tokensIssued = 0;
  let allocations = 0;
  const tokens = new Map<string, number>(); // access token → expiry (ms)
  const deliveries = new Map<string, SimDelivery>();
  const byMerchantOrderID = new Map<string, SimDelivery>();
  const sender = new WebhookSender(opts.webhookUrl, { Authorization: `Bearer ${opts.webhookToken}` }, app.log);
  const timersRun = () => mode === 'normal' || mode === 'no_driver';
  const clock = new SimClock(opts.stepMs, (id) => {
    const d = deliveries.get(id);
    if (d && timersRun()) void step(d);
  });

  app.addHook('onClose', async () => {
    clock.stop();
    sender.close();
  });

  const courierOf = (d: SimDelivery) =>
    d.driver
      ? {
          name: d.driver.name,
          phone: d.driver.phone,
          photoURL: `${d.trackingURL.replace(/\/_sim\/track\/.*$/, '')}/_sim/driver.svg`,
          vehicle: { licensePlate: d.driver.plate, model: 'Honda Beat' },
        }
      : null;

  function emit(d: SimDelivery): Promise<void> {
    const body = {
      deliveryID: d.deliveryID,
      merchantOrderID: d.merchantOrderID,
      timestamp: Math.floor(Date.now() / 1000),
      status: d.status,
      trackURL: d.trackingURL,
      pickupPin: d.pickupPin,
      failedReason: d.failedReason,
      sender: { name: fullName(d.request.sender), address: d.request.origin.address, relationship: '' },
      recipient: { name: fullName(d.request.recipient), address: d.request.destination.address, relationship: '' },
      driver: d.driver
        ? { name: d.driver.name, phone: d.driver.phone, licensePlate: d.driver.plate, photoURL: courierOf(d)!.photoURL, currentLat: d.request.origin.coordinates.latitude, currentLng: d.request.origin.coordinates.longitude }
        : null,
    };
    return sender.send(d.deliveryID, JSON.stringify(body));
  }

  function step(d: SimDelivery): Promise<void> | false {
    if (TERMINAL.has(d.status)) return false;
    const now = new Date().toISOString();
    if (mode === 'no_driver' && d.status === 'ALLOCATING') {
      d.status = 'FAILED';
      d.failedReason = 'No driver accepted the job';
      d.timeline.failed = now;
    } else {
      const next = PATH[PATH.indexOf(d.status as (typeof PATH)[number]) + 1];
      if (!next) return false;
      d.status = next;
      if (next === 'PENDING_PICKUP') {
        d.driver = pickDriver(allocations++);
        d.timeline.allocate = now;
      }
      if (next === 'PENDING_DROP_OFF') d.timeline.pickup = now;
      if (next === 'COMPLETED') d.timeline.dropoff = d.timeline.completed = now;
    }
    if (TERMINAL.has(d.status)) clock.cancel(d.deliveryID);
    else if (timersRun()) clock.schedule(d.deliveryID);
    return emit(d);
  }

  function view(d: SimDelivery) {
    const { quote } = quoteOf(coords(d.request.origin), coords(d.request.destination));
    return {
      deliveryID: d.deliveryID,
      merchantOrderID: d.merchantOrderID,
      paymentMethod: d.request.paymentMethod,
      quote: { ...quote, amount: d.amount, distance: d.distanceM, origin: d.request.origin, destination: d.request.destination, packages: d.request.packages },
      sender: d.request.sender,
      recipient: d.request.recipient,
      status: d.status,
      trackingURL: d.trackingURL,
      courier: courierOf(d),
      timeline: d.timeline,
      schedule: null,
      cashOnDelivery: { enable: false, amount: 0 },
      invoiceNo: `INV-${d.deliveryID}`,
      pickupPin: d.pickupPin,
      advanceInfo: { failedReason: d.failedReason },
    };
  }

  // ---- OAuth2 ----
  app.post('/grabid/v1/oauth2/token', async (req, reply) => {
    if (mode === 'down') return reply.status(503).send({ error: 'temporarily_unavailable', error_description: 'Service temporarily unavailable' });
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (b.grant_type !== 'client_credentials') return reply.status(400).send({ error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
    const idOk = safeEqual(typeof b.client_id === 'string' ? b.client_id : undefined, opts.clientId);
    const secretOk = safeEqual(typeof b.client_secret === 'string' ? b.client_secret : undefined, opts.clientSecret);
    if (!idOk || !secretOk) return reply.status(401).send({ error: 'invalid_client', error_description: 'Client authentication failed' });
    if (typeof b.scope !== 'string' || !b.scope.split(/\s+/).includes(GRAB_SCOPE)) {
      return reply.status(400).send({ error: 'invalid_scope', error_description: `scope must include ${GRAB_SCOPE}` });
    }
    const ttl = opts.tokenTtlSeconds ?? 604_799;
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, Date.now() + ttl * 1000);
    tokensIssued++;
    return { access_token: token, token_type: 'Bearer', expires_in: ttl };
  });

  // ---- the delivery API ----
  const checkAccess = async (req: FastifyRequest, reply: FastifyReply) => {
    if (mode === 'down' || lost.isDown()) return grabError(reply, 503, 'SERVICE_UNAVAILABLE', 'Service temporarily unavailable');
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const expiry = m ? tokens.get(m[1].trim()) : undefined;
    if (!expiry || expiry < Date.now()) return grabError(reply, 401, 'UNAUTHORIZED', 'Access token is missing, invalid or expired');
  };

  app.register(async (api) => {
    api.addHook('onRequest', checkAccess);

    api.post('/v1/deliveries/quotes', async (req, reply) => {
      const parsed = quoteRequestSchema.safeParse(req.body);
      if (!parsed.success) return grabError(reply, 400, 'INVALID_ARGUMENT', parsed.error.issues[0]?.message ?? 'invalid request', parsed.error.issues[0]?.path.join('.'));
      const { km, quote } = quoteOf(coords(parsed.data.origin), coords(parsed.data.destination));
      return { quotes: km <= SIM_MAX_KM ? [quote] : [], origin: parsed.data.origin, destination: parsed.data.destination, packages: parsed.data.packages };
    });

    api.post('/v1/deliveries', async (req, reply) => {
      const parsed = deliveryRequestSchema.safeParse(req.body);
      if (!parsed.success) return grabError(reply, 400, 'INVALID_ARGUMENT', parsed.error.issues[0]?.message ?? 'invalid request', parsed.error.issues[0]?.path.join('.'));
      const r = parsed.data;
      // As far as public sources tell, a repeated merchantOrderID is a new delivery (no dedupe):
      // pesan looks a delivery up by merchantOrderID before it creates again.
      const { km, quote } = quoteOf(coords(r.origin), coords(r.destination));
      if (km > SIM_MAX_KM) return grabError(reply, 400, 'OUT_OF_SERVICE_AREA', `Distance ${km.toFixed(1)} km is beyond the service area`, 'destination');
      const deliveryID = `IN-2-${(++seq).toString(36).toUpperCase()}${randomBytes(4).toString('hex').toUpperCase()}`;
      const d: SimDelivery = {
        deliveryID,
        merchantOrderID: r.merchantOrderID,
        status: 'ALLOCATING',
        request: r,
        distanceM: quote.distance,
        amount: quote.amount,
        trackingURL: `${simBaseUrl(req, prefix, opts.publicUrl)}/_sim/track/${deliveryID}`,
        pickupPin: String(1000 + (seq * 7919) % 9000),
        failedReason: '',
        timeline: { create: new Date().toISOString(), allocate: null, pickup: null, dropoff: null, completed: null },
      };
      deliveries.set(deliveryID, d);
      byMerchantOrderID.set(r.merchantOrderID, d);
      void emit(d);
      if (timersRun()) clock.schedule(deliveryID);
      if (await lost.lose(reply)) return reply;
      return view(d);
    });

    // Looked up by the merchant's own id (path as in Grab's cancel-by-merchantOrderID; GET unconfirmed publicly).
    api.get('/v1/merchant/deliveries/:merchantOrderID', async (req, reply) => {
      const d = byMerchantOrderID.get((req.params as { merchantOrderID: string }).merchantOrderID);
      return d ? view(d) : grabError(reply, 404, 'NOT_FOUND', 'Delivery not found', 'merchantOrderID');
    });

    api.get('/v1/deliveries/:id', async (req, reply) => {
      const d = deliveries.get((req.params as { id: string }).id);
      return d ? view(d) : grabError(reply, 404, 'NOT_FOUND', 'Delivery not found', 'deliveryID');
    });

    const cancel = (d: SimDelivery | undefined, reply: FastifyReply) => {
      if (!d) return grabError(reply, 404, 'NOT_FOUND', 'Delivery not found', 'deliveryID');
      if (d.status === 'CANCELED') return reply.status(204).send();
      if (!CANCELLABLE.has(d.status)) return grabError(reply, 409, 'INVALID_STATE', `Delivery cannot be cancelled in status ${d.status}`);
      d.status = 'CANCELED';
      d.timeline.cancel = new Date().toISOString();
      clock.cancel(d.deliveryID);
      void emit(d);
      return reply.status(204).send();
    };
    api.delete('/v1/deliveries/:id', async (req, reply) => cancel(deliveries.get((req.params as { id: string }).id), reply));
    api.delete('/v1/merchant/deliveries/:merchantOrderID', async (req, reply) =>
      cancel(byMerchantOrderID.get((req.params as { merchantOrderID: string }).merchantOrderID), reply),
    );
  });

  // ---- sandbox controls ----
  registerSimControls(app, {
    noun: 'delivery',
    find: (id) => deliveries.get(id) ?? byMerchantOrderID.get(id),
    all: () => deliveries.values(),
    idOf: (d) => d.deliveryID,
    statusOf: (d) => d.status,
    terminal: (d) => TERMINAL.has(d.status),
    view,
    step,
    // The trip fails where it stands (FAILED with a reason), e.g. after pickup when the recipient cannot be reached.
    fail: async (d, reason) => {
      d.status = 'FAILED';
      d.failedReason = reason ?? (d.driver ? 'Recipient unreachable' : 'No driver accepted the job');
      d.timeline.failed = new Date().toISOString();
      await emit(d);
    },
    getMode: () => mode,
    setMode: (m) => {
      mode = m;
    },
    clock,
    sender,
  });

  /** Makes every issued access token invalid, as when Grab rotates or revokes them early. */
  app.post('/_sim/revoke-tokens', async () => {
    const revoked = tokens.size;
    tokens.clear();
    return { revoked, issued: tokensIssued };
  });

  app.get('/_sim/tokens', async () => ({ issued: tokensIssued, active: tokens.size }));

  app.get('/_sim/bookings', async () => ({
    mode,
    bookings: [...deliveries.values()].map((d) => ({ ...view(d), webhooks: sender.deliveries.get(d.deliveryID) ?? [] })),
  }));

  app.get('/_sim/driver.svg', async (_req, reply) =>
    reply
      .type('image/svg+xml')
      .send('<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><circle cx="48" cy="48" r="48" fill="#00b14f"/><circle cx="48" cy="38" r="16" fill="#fff"/><rect x="22" y="60" width="52" height="24" rx="12" fill="#fff"/></svg>'),
  );

  app.get('/_sim/track/:id', async (req, reply) => {
    const d = deliveries.get((req.params as { id: string }).id);
    if (!d) return reply.status(404).type('text/html; charset=utf-8').send(trackingPage('GrabExpress: delivery not found', []));
    return reply.type('text/html; charset=utf-8').send(
      trackingPage(`GrabExpress ${d.deliveryID}`, [
        ['Status', d.status],
        ['Pesanan', d.merchantOrderID],
        ['Barang', d.request.packages.map((p) => p.description ?? p.name).join(', ')],
        ['Driver', d.driver?.name],
        ['Telepon', d.driver?.phone],
        ['Plat nomor', d.driver?.plate],
        ['PIN pickup', d.pickupPin],
        ['Jarak', `${(d.distanceM / 1000).toFixed(1)} km`],
        ['Ongkir', formatRupiah(d.amount)],
        ['Alasan gagal', d.failedReason],
      ]),
    );
  });
}
