// GrabExpress adapter: OAuth2 client credentials, /v1/deliveries, and Grab's tracking webhooks.
import type { z } from 'zod';
import { createOnce, httpRequest, ProviderError, type HttpResponse } from '../../shared/http.js';
import type { BookRequest, Booking, Courier, CourierUpdate, CourierWebhookRequest, CourierWebhookVerdict, Place, Quote, QuoteRequest } from '../port.js';
import { readCourierWebhook } from '../shared/webhook-auth.js';
import { deliverySchema, mapGrabStatus, quotesResponseSchema, tokenResponseSchema, webhookSchema, type GrabDelivery } from './wire.js';

export interface GrabConfig {
  clientId: string;
  clientSecret: string;
  /** e.g. https://partner-api.grab.com/grab-express-sandbox */
  baseUrl: string;
  /** host of /grabid/v1/oauth2/token, e.g. https://partner-api.grab.com */
  authUrl: string;
  webhookToken: string;
  /** The merchant's email for Grab's sender contact (Grab's docs list email on contacts). */
  senderEmail?: string;
  /** per request; default 10 s */
  timeoutMs?: number;
}

const PROVIDER = 'grab';
export const GRAB_SCOPE = 'grab_express.partner_deliveries';
/** Refresh this long before Grab says the token expires, so a request never carries a dying token. */
const EXPIRY_MARGIN_MS = 60_000;
/** Merchants rarely know parcel sizes; a small food/pharmacy parcel is a safe default for a bike. */
const DEFAULT_DIMENSIONS = { height: 10, width: 10, depth: 10, weight: 500 }; // cm, grams

function errorMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? body.slice(0, 200) : undefined;
  const b = body as Record<string, any>;
  return b.message ?? b.error_description ?? b.error ?? b.reason;
}

function parse<S extends z.ZodType>(schema: S, res: HttpResponse, what: string): z.infer<S> {
  const r = schema.safeParse(res.data);
  if (!r.success) throw new ProviderError(PROVIDER, `unexpected ${what} response`, res.status, res.data);
  return r.data;
}

/**
 * Grab wants first and last name apart; an Indonesian single name gets "-" as last name. The note
 * for the driver goes in `instruction` (Grab's contact field for it).
 */
function contact(p: Place, email?: string) {
  const [firstName, ...rest] = p.contactName.trim().split(/\s+/);
  return {
    firstName: firstName || p.contactName,
    lastName: rest.join(' ') || '-',
    phone: p.contactPhone,
    smsEnabled: true,
    ...(email ? { email } : {}),
    ...(p.note ? { instruction: p.note.slice(0, 500) } : {}),
  };
}

const place = (p: Place) => ({
  address: p.address,
  ...(p.note ? { keywords: p.note } : {}),
  coordinates: { latitude: p.lat, longitude: p.lng },
});

/** The body shared by quote and create: one package per order line. */
export function grabQuoteBody(req: QuoteRequest) {
  return {
    serviceType: 'INSTANT',
    vehicleType: 'BIKE',
    codType: 'REGULAR',
    packages: req.items.map((i) => ({
      name: i.name.slice(0, 100),
      description: `${i.name} x${i.quantity}`.slice(0, 200),
      quantity: i.quantity,
      price: i.price,
      dimensions: DEFAULT_DIMENSIONS,
    })),
    origin: place(req.origin),
    destination: place(req.destination),
  };
}

function driverOf(d: { name?: string | null; phone?: string | null; plate?: string | null; photoUrl?: string | null } | null | undefined): CourierUpdate['driver'] {
  if (!d || (!d.name && !d.phone)) return undefined;
  return { name: d.name || undefined, phone: d.phone || undefined, plate: d.plate || undefined, photoUrl: d.photoUrl || undefined };
}

export function createGrabCourier(cfg: GrabConfig): Courier {
  const base = cfg.baseUrl.replace(/\/$/, '');
  const tokenUrl = `${cfg.authUrl.replace(/\/$/, '')}/grabid/v1/oauth2/token`;
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const res = await httpRequest(PROVIDER, {
      method: 'POST',
      url: tokenUrl,
      json: { client_id: cfg.clientId, client_secret: cfg.clientSecret, grant_type: 'client_credentials', scope: GRAB_SCOPE },
    });
    if (res.status !== 200) {
      throw new ProviderError(PROVIDER, `access token refused: HTTP ${res.status} ${errorMessage(res.data) ?? ''}`.trim(), res.status, res.data);
    }
    const t = parse(tokenResponseSchema, res, 'token');
    const lifetimeMs = (t.expires_in ?? 3600) * 1000;
    cached = { token: t.access_token, refreshAt: Date.now() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS) };
    return t.access_token;
  }

  /** One token request at a time, however many calls need a token at once. */
  function accessToken(): Promise<string> {
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  async function call(method: string, path: string, json?: unknown, attempts?: number): Promise<HttpResponse> {
    let token = await accessToken();
    const send = () => httpRequest(PROVIDER, { method, url: base + path, headers: { Authorization: `Bearer ${token}` }, json, attempts, timeoutMs: cfg.timeoutMs });
    let res = await send();
    if (res.status === 401) {
      // Grab may revoke a token before expires_in; fetch a new one once and retry.
      if (cached?.token === token) cached = undefined;
      token = await accessToken();
      res = await send();
    }
    if (res.status < 200 || res.status >= 300) {
      throw new ProviderError(PROVIDER, `${method} ${path}: HTTP ${res.status} ${errorMessage(res.data) ?? ''}`.trim(), res.status, res.data);
    }
    return res;
  }

  function update(d: GrabDelivery, res: HttpResponse): CourierUpdate {
    const plate = d.courier?.vehicle?.licensePlate ?? d.courier?.licensePlate;
    const status = mapGrabStatus(d.status, Boolean(d.courier?.name || d.timeline?.allocate));
    if (!status) throw new ProviderError(PROVIDER, `unknown delivery status "${d.status}"`, res.status, res.data);
    return {
      eventKey: `${d.deliveryID}:${d.status}`,
      externalId: d.deliveryID,
      status,
      providerStatus: d.status,
      driver: driverOf({ name: d.courier?.name, phone: d.courier?.phone, plate, photoUrl: d.courier?.photoURL }),
      trackingUrl: d.trackingURL || undefined,
    };
  }

  /**
   * The delivery Grab holds for this merchantOrderID; null when none (or only one that ended undelivered).
   * GET /v1/merchant/deliveries/{merchantOrderID} mirrors the cancel-by-merchant-id path of Grab's
   * C# SDK; that Grab serves GET there is not publicly confirmed (see README).
   */
  async function deliveryByMerchantOrderID(merchantOrderID: string): Promise<GrabDelivery | null> {
    let res: HttpResponse;
    try {
      res = await call('GET', `/v1/merchant/deliveries/${encodeURIComponent(merchantOrderID)}`, undefined, 2);
    } catch (err) {
      if (err instanceof ProviderError && err.status === 404) return null;
      throw err;
    }
    const d = parse(deliverySchema, res, 'delivery lookup');
    const status = mapGrabStatus(d.status, Boolean(d.courier?.name));
    // Only a delivery that ended without delivering is "none": anything else is this order's delivery.
    if (!status || ['cancelled', 'no_driver', 'failed', 'returned'].includes(status)) return null;
    return d;
  }

  return {
    id: 'grab',

    async quote(req: QuoteRequest): Promise<Quote | null> {
      const res = await call('POST', '/v1/deliveries/quotes', grabQuoteBody(req));
      const q = parse(quotesResponseSchema, res, 'quote').quotes[0];
      // Grab answers a route it cannot serve with no quotes.
      if (!q) return null;
      const dropoff = q.estimatedTimeline?.dropoff ? Date.parse(q.estimatedTimeline.dropoff) : NaN;
      const eta = Math.round((dropoff - Date.now()) / 60_000);
      return {
        courier: 'grab',
        fee: Math.round(q.amount),
        serviceType: q.service?.type ?? 'INSTANT',
        distanceKm: q.distance !== undefined ? Math.round(q.distance / 10) / 100 : undefined,
        etaMinutes: Number.isFinite(eta) && eta > 0 ? eta : undefined,
        raw: res.data,
      };
    },

    async book(req: BookRequest): Promise<Booking> {
      const body = {
        ...grabQuoteBody(req),
        merchantOrderID: req.orderId,
        paymentMethod: 'CASHLESS',
        highValue: false,
        sender: contact(req.origin, cfg.senderEmail),
        recipient: contact(req.destination),
      };
      const booking = (d: GrabDelivery, raw: unknown): Booking => {
        const amount = d.quote?.amount;
        return { courier: 'grab', externalId: d.deliveryID, fee: amount !== undefined ? Math.round(amount) : req.quote.fee, trackingUrl: d.trackingURL || undefined, raw };
      };
      // Nothing public says Grab dedupes a repeated merchantOrderID: one POST per attempt, and after a
      // lost answer the delivery is looked up by merchantOrderID before creating again.
      return createOnce(PROVIDER, {
        lookupFirst: req.lookupFirst,
        create: async () => {
          const res = await call('POST', '/v1/deliveries', body, 1);
          return booking(parse(deliverySchema, res, 'delivery'), res.data);
        },
        lookup: async () => {
          const found = await deliveryByMerchantOrderID(req.orderId);
          return found ? booking(found, found) : null;
        },
      });
    },

    async cancel(externalId: string): Promise<void> {
      await call('DELETE', `/v1/deliveries/${encodeURIComponent(externalId)}`); // 204 when cancelled
    },

    async status(externalId: string): Promise<CourierUpdate> {
      const res = await call('GET', `/v1/deliveries/${encodeURIComponent(externalId)}`);
      return update(parse(deliverySchema, res, 'delivery'), res);
    },

    verifyWebhook(req: CourierWebhookRequest): CourierWebhookVerdict {
      return verifyGrabWebhook(req, cfg.webhookToken);
    },
  };
}

/**
 * Checks the shared token, then reads one tracking message. A status pesan does not know is
 * acknowledged with no updates: refusing it would only make Grab retry it.
 */
export function verifyGrabWebhook(req: CourierWebhookRequest, token: string): CourierWebhookVerdict {
  const read = readCourierWebhook(req, token);
  if (!read.ok) return read;
  const parsed = webhookSchema.safeParse(read.json);
  if (!parsed.success) return { ok: false, status: 400, reason: 'not a GrabExpress tracking message' };
  const e = parsed.data;
  const status = mapGrabStatus(e.status, Boolean(e.driver?.name));
  if (!status) return { ok: true, updates: [] };
  return {
    ok: true,
    updates: [
      {
        eventKey: `${e.deliveryID}:${e.status}:${e.timestamp ?? ''}`,
        externalId: e.deliveryID,
        status,
        providerStatus: e.status,
        driver: driverOf({ name: e.driver?.name, phone: e.driver?.phone, plate: e.driver?.licensePlate, photoUrl: e.driver?.photoURL }),
        trackingUrl: e.trackURL || undefined,
        at: e.timestamp !== undefined && Number.isFinite(e.timestamp) ? new Date(e.timestamp * 1000) : undefined,
      },
    ],
  };
}
