// GoSend adapter: translates the Courier port to gokilat v10 and GoSend's booking events back.
import type { z } from 'zod';
import { createOnce, httpRequest, ProviderError, type HttpResponse } from '../../shared/http.js';
import type { BookRequest, Booking, Courier, CourierUpdate, CourierWebhookRequest, CourierWebhookVerdict, Quote, QuoteRequest } from '../port.js';
import { readCourierWebhook } from '../shared/webhook-auth.js';
import { bookingResponseSchema, mapGoSendStatus, priceResponseSchema, statusResponseSchema, webhookSchema } from './wire.js';

export interface GoSendConfig {
  clientId: string;
  passKey: string;
  baseUrl: string;
  webhookToken: string;
  /** per request; default 10 s */
  timeoutMs?: number;
}

const PROVIDER = 'gosend';
/** 3 = corporate billing: the merchant's GoSend account pays, never the driver in cash. */
const PAYMENT_TYPE_CORPORATE = 3;

const latLong = (p: { lat: number; lng: number }) => `${p.lat},${p.lng}`;

/** "Kopi Susu x2, Roti Bakar x1": what the driver reads on the pickup screen. */
export function goSendItemLine(items: { name: string; quantity: number }[]): string {
  return items.map((i) => `${i.name} x${i.quantity}`).join(', ');
}

function errorMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? body.slice(0, 200) : undefined;
  const b = body as Record<string, any>;
  if (Array.isArray(b.errors) && b.errors[0]) return b.errors[0].message ?? b.errors[0].message_title;
  return b.message ?? b.error;
}

function parse<S extends z.ZodType>(schema: S, res: HttpResponse, what: string): z.infer<S> {
  const r = schema.safeParse(res.data);
  if (!r.success) throw new ProviderError(PROVIDER, `unexpected ${what} response`, res.status, res.data);
  return r.data;
}

export function createGoSendCourier(cfg: GoSendConfig): Courier {
  const base = cfg.baseUrl.replace(/\/$/, '');

  async function call(method: string, path: string, json?: unknown, attempts?: number): Promise<HttpResponse> {
    const res = await httpRequest(PROVIDER, {
      method,
      url: base + path,
      headers: { 'Client-ID': cfg.clientId, 'Pass-Key': cfg.passKey },
      json,
      attempts,
      timeoutMs: cfg.timeoutMs,
    });
    if (res.status < 200 || res.status >= 300) {
      throw new ProviderError(PROVIDER, `${method} ${path.split('?')[0]}: HTTP ${res.status} ${errorMessage(res.data) ?? ''}`.trim(), res.status, res.data);
    }
    return res;
  }

  /** The booking GoSend holds for this order; null when there is none (or only one that ended undelivered). */
  async function bookingByStoreOrderId(storeOrderId: string) {
    let res: HttpResponse;
    try {
      res = await call('GET', `/gokilat/v10/booking/storeOrderId/${encodeURIComponent(storeOrderId)}`, undefined, 2);
    } catch (err) {
      if (err instanceof ProviderError && err.status === 404) return null;
      throw err;
    }
    const s = parse(statusResponseSchema, res, 'booking lookup');
    const status = mapGoSendStatus(s.status);
    // Only a booking that ended without delivering is "none": anything else is this order's booking.
    if (status === 'cancelled' || status === 'no_driver' || status === 'returned') return null;
    return s;
  }

  return {
    id: 'gosend',

    async quote(req: QuoteRequest): Promise<Quote | null> {
      const q = new URLSearchParams({ origin: latLong(req.origin), destination: latLong(req.destination), paymentType: String(PAYMENT_TYPE_CORPORATE) });
      const res = await call('GET', `/gokilat/v10/calculate/price?${q}`);
      const instant = parse(priceResponseSchema, res, 'price').Instant;
      if (!instant || instant.serviceable !== true || instant.active === false || !instant.price) return null;
      return {
        courier: 'gosend',
        fee: Math.round(instant.price.total_price),
        serviceType: instant.shipment_method ?? 'Instant',
        distanceKm: instant.distance,
        raw: res.data,
      };
    },

    async book(req: BookRequest): Promise<Booking> {
      const goods = req.items.reduce((sum, i) => sum + i.price * i.quantity, 0);
      const body = {
        paymentType: PAYMENT_TYPE_CORPORATE,
        collection_location: 'pickup',
        shipment_method: 'Instant',
        routes: [
          {
            originName: req.origin.contactName,
            originNote: req.origin.note ?? '',
            originContactName: req.origin.contactName,
            originContactPhone: req.origin.contactPhone,
            originLatLong: latLong(req.origin),
            originAddress: req.origin.address,
            destinationName: req.destination.contactName,
            destinationNote: req.destination.note ?? '',
            destinationContactName: req.destination.contactName,
            destinationContactPhone: req.destination.contactPhone,
            destinationLatLong: latLong(req.destination),
            destinationAddress: req.destination.address,
            item: goSendItemLine(req.items),
            storeOrderId: req.orderId,
            insuranceDetails: {
              applied: 'false',
              fee: '0',
              product_description: req.items.map((i) => i.name).join(', ').slice(0, 255),
              product_price: String(goods),
            },
          },
        ],
      };
      // Nothing public says GoSend dedupes a repeated storeOrderId: one POST per attempt, and after a
      // lost answer the booking is looked up by storeOrderId before booking again.
      return createOnce(PROVIDER, {
        lookupFirst: req.lookupFirst,
        create: async () => {
          const res = await call('POST', '/gokilat/v10/booking', body, 1);
          const b = parse(bookingResponseSchema, res, 'booking');
          return { courier: 'gosend', externalId: b.orderNo, fee: req.quote.fee, raw: res.data } as Booking;
        },
        lookup: async () => {
          const found = await bookingByStoreOrderId(req.orderId);
          return found ? ({ courier: 'gosend', externalId: found.orderNo, fee: req.quote.fee, trackingUrl: found.liveTrackingUrl || undefined, raw: found } as Booking) : null;
        },
      });
    },

    async cancel(externalId: string): Promise<void> {
      await call('PUT', '/gokilat/v10/booking/cancel', { orderNo: externalId });
    },

    async status(externalId: string): Promise<CourierUpdate> {
      const res = await call('GET', `/gokilat/v10/booking/orderno/${encodeURIComponent(externalId)}`);
      const s = parse(statusResponseSchema, res, 'status');
      const status = mapGoSendStatus(s.status);
      if (!status) throw new ProviderError(PROVIDER, `unknown booking status "${s.status}"`, res.status, res.data);
      return {
        eventKey: `${s.orderNo}:${s.status}`,
        externalId: s.orderNo,
        status,
        providerStatus: s.status,
        driver: driverOf(s.driverName, s.driverPhone, s.vehicleNumber),
        trackingUrl: s.liveTrackingUrl || undefined,
      };
    },

    verifyWebhook(req: CourierWebhookRequest): CourierWebhookVerdict {
      return verifyGoSendWebhook(req, cfg.webhookToken);
    },
  };
}

function driverOf(name?: string | null, phone?: string | null, plate?: string | null): CourierUpdate['driver'] {
  if (!name && !phone) return undefined;
  return { name: name || undefined, phone: phone || undefined, plate: plate || undefined };
}

/**
 * Checks the shared token, then reads one booking_event. An event with a status pesan does not know
 * is acknowledged with no updates: refusing it would only make GoSend retry it forever.
 */
export function verifyGoSendWebhook(req: CourierWebhookRequest, token: string): CourierWebhookVerdict {
  const read = readCourierWebhook(req, token);
  if (!read.ok) return read;
  const parsed = webhookSchema.safeParse(read.json);
  if (!parsed.success) return { ok: false, status: 400, reason: 'not a GoSend booking event' };
  const e = parsed.data;
  const orderNo = e.booking_id || e.entity_id;
  const providerStatus = e.status || e.booking_status;
  if (!orderNo || !providerStatus) return { ok: false, status: 400, reason: 'booking event without booking_id or status' };
  const status = mapGoSendStatus(providerStatus);
  if (!status) return { ok: true, updates: [] };
  return {
    ok: true,
    updates: [
      {
        eventKey: e.event_id || `${orderNo}:${providerStatus}`,
        externalId: orderNo,
        status,
        providerStatus,
        driver: driverOf(e.driver_name, e.driver_phone, e.vehicle_number),
        trackingUrl: e.live_tracking_url || e.liveTrackingUrl || undefined,
        at: e.event_date !== undefined && Number.isFinite(e.event_date) ? new Date(e.event_date) : undefined,
      },
    ],
  };
}
