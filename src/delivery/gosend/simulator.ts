// GoSend sandbox: the gokilat v10 API (price, booking, status, cancel) with Client-ID/Pass-Key
// checks, bookings that move through GoSend's statuses on a timer, and booking_event webhooks
// POSTed to pesan with the callback token. Control endpoints live under <prefix>/_sim.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../../shared/crypto.js';
import { formatRupiah } from '../../shared/money.js';
import {
  haversineKm,
  parseLatLng,
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
import { LostAnswers } from '../../shared/sim-lost-answer.js';
import { bookingRequestSchema } from './wire.js';

export interface GoSendSimulatorOptions {
  /** where booking events are POSTed (pesan's /webhooks/gosend) */
  webhookUrl: string;
  clientId: string;
  passKey: string;
  webhookToken: string;
  /** header carrying the token; GoSend's real name is unconfirmed */
  tokenHeader?: string;
  /** ms between status changes in normal mode */
  stepMs: number;
  /** this simulator's public base URL incl. prefix, e.g. https://pesan.example/sandbox/x (for tracking links); default: from the request */
  publicUrl?: string;
  /** Bookings start in this mode; default normal. */
  mode?: SimMode;
}

/** The happy path, one status per step. */
const PATH = ['confirmed', 'allocated', 'out_for_pickup', 'picked', 'out_for_delivery', 'delivered'] as const;
const TERMINAL = new Set(['delivered', 'cancelled', 'no_driver', 'rejected']);
const CANCELLABLE = new Set(['confirmed', 'allocated', 'out_for_pickup']);

/** What the status API answers: GoSend's REST labels, not the webhook's words. */
const STATUS_LABEL: Record<string, string> = {
  confirmed: 'Finding Driver',
  allocated: 'Driver Allocated',
  out_for_pickup: 'Enroute Pickup',
  picked: 'Item Picked by Driver',
  out_for_delivery: 'Enroute Drop',
  on_hold: 'On Hold',
  delivered: 'Completed',
  cancelled: 'Cancelled',
  rejected: 'Rejected',
  no_driver: 'Driver not found',
};

/** Event `type` names: only DRIVER_NOT_FOUND is seen in public sources; the rest are the sandbox's own. */
const EVENT_TYPE: Record<string, string> = {
  confirmed: 'CREATED',
  allocated: 'DRIVER_FOUND',
  out_for_pickup: 'OUT_FOR_PICKUP',
  picked: 'PICKED_UP',
  out_for_delivery: 'OUT_FOR_DELIVERY',
  delivered: 'COMPLETED',
  cancelled: 'CANCELLED',
  no_driver: 'DRIVER_NOT_FOUND',
};

interface SimBooking {
  id: number;
  orderNo: string;
  storeOrderId: string;
  status: string;
  origin: LatLng;
  destination: LatLng;
  distanceKm: number;
  price: number;
  item: string;
  receiverName: string;
  trackingUrl: string;
  driver?: SimDriver;
  createdAt: Date;
  dispatchedAt?: Date;
  arrivedAt?: Date;
  closedAt?: Date;
}

const gosendError = (reply: FastifyReply, status: number, message: string) =>
  reply.status(status).send({ errors: [{ message, message_title: status === 401 ? 'Unauthorized' : 'Error', message_severity: 'failure' }] });

export async function goSendSimulator(app: FastifyInstance, opts: GoSendSimulatorOptions): Promise<void> {
  const prefix = app.prefix;
  let mode: SimMode = opts.mode ?? 'normal';
  let seq = 170_000;
  const bookings = new Map<string, SimBooking>(); // by orderNo
  const byStoreOrderId = new Map<string, SimBooking>();
  /** Bookings whose next cancel loses the race with a driver who takes the job at that moment. */
  const cancelRaces = new Set<string>();
  const lost = new LostAnswers();
  lost.register(app);
  const sender = new WebhookSender(opts.webhookUrl, { [opts.tokenHeader ?? 'X-Callback-Token']: opts.webhookToken }, app.log);
  const clock = new SimClock(opts.stepMs, (orderNo) => {
    const b = bookings.get(orderNo);
    if (b && timersRun()) void step(b);
  });
  const timersRun = () => mode === 'normal' || mode === 'no_driver';

  app.addHook('onClose', async () => {
    clock.stop();
    sender.close();
  });

  function emit(b: SimBooking): Promise<void> {
    const body = {
      '@type': 'booking_event',
      entity_id: b.orderNo,
      type: EVENT_TYPE[b.status] ?? b.status.toUpperCase(),
      event_date: Date.now(),
      event_id: randomUUID(),
      partner_id: 'sandbox',
      destination_type: 'market_place',
      booking_id: b.orderNo,
      store_order_id: b.storeOrderId,
      status: b.status,
      booking_status: b.status,
      booking_type: 'instant',
      driver_name: b.driver?.name ?? '',
      driver_phone: b.driver?.phone ?? '',
      driver_phone2: '',
      driver_phone3: '',
      vehicle_number: b.driver?.plate ?? '',
      total_distance_in_kms: b.distanceKm,
      price: b.price,
      receiver_name: b.status === 'delivered' ? b.receiverName : '',
      live_tracking_url: b.driver ? b.trackingUrl : '',
    };
    return sender.send(b.orderNo, JSON.stringify(body));
  }

  /** Moves a booking one status on; resolves when its webhook was delivered. false when it cannot move. */
  function step(b: SimBooking): Promise<void> | false {
    if (TERMINAL.has(b.status)) return false;
    if (mode === 'no_driver' && b.status === 'confirmed') {
      b.status = 'no_driver';
      b.closedAt = new Date();
    } else {
      const next = PATH[PATH.indexOf(b.status as (typeof PATH)[number]) + 1];
      if (!next) return false;
      b.status = next;
      if (next === 'allocated') {
        b.driver = pickDriver(b.id);
        b.dispatchedAt = new Date();
      }
      if (next === 'delivered') b.arrivedAt = b.closedAt = new Date();
    }
    if (TERMINAL.has(b.status)) clock.cancel(b.orderNo);
    else if (timersRun()) clock.schedule(b.orderNo);
    return emit(b);
  }

  function view(b: SimBooking) {
    return {
      id: b.id,
      orderNo: b.orderNo,
      storeOrderId: b.storeOrderId,
      status: STATUS_LABEL[b.status] ?? b.status,
      bookingType: 'Instant',
      driverId: b.driver ? b.id : null,
      driverName: b.driver?.name ?? '',
      driverPhone: b.driver?.phone ?? '',
      vehicleNumber: b.driver?.plate ?? '',
      driverPhoto: '',
      receiverName: b.status === 'delivered' ? b.receiverName : '',
      totalPrice: b.price,
      totalDistanceInKms: b.distanceKm,
      liveTrackingUrl: b.driver ? b.trackingUrl : '',
      orderCreatedTime: b.createdAt.toISOString(),
      orderDispatchTime: b.dispatchedAt?.toISOString() ?? null,
      orderArrivalTime: b.arrivedAt?.toISOString() ?? null,
      orderClosedTime: b.closedAt?.toISOString() ?? null,
      cancelDescription: b.status === 'cancelled' ? 'Cancelled by partner' : null,
    };
  }

  // ---- the provider API ----
  const checkAccess = async (req: FastifyRequest, reply: FastifyReply) => {
    if (mode === 'down' || lost.isDown()) return gosendError(reply, 503, 'Service temporarily unavailable');
    const id = req.headers['client-id'];
    const key = req.headers['pass-key'];
    const okId = safeEqual(typeof id === 'string' ? id : undefined, opts.clientId);
    const okKey = safeEqual(typeof key === 'string' ? key : undefined, opts.passKey);
    if (!okId || !okKey) return gosendError(reply, 401, 'Invalid Client-ID or Pass-Key');
  };

  app.register(async (api) => {
    api.addHook('onRequest', checkAccess);

    api.get('/gokilat/v10/calculate/price', async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const origin = parseLatLng(q.origin);
      const destination = parseLatLng(q.destination);
      if (!origin || !destination) return gosendError(reply, 400, 'origin and destination must be "lat,lng"');
      const km = Math.round(haversineKm(origin, destination) * 100) / 100;
      const serviceable = km <= SIM_MAX_KM;
      const method = (name: 'Instant' | 'SameDay', price: number, description: string) => ({
        shipment_method: name,
        shipment_method_description: serviceable ? description : `Jarak ${km} km melebihi batas ${SIM_MAX_KM} km`,
        serviceable,
        active: true,
        distance: km,
        ...(serviceable ? { price: { total_price: price } } : {}),
      });
      return {
        Instant: method('Instant', simFee(km), 'Instant Delivery 1-2 jam'),
        SameDay: method('SameDay', simFee(km, 1500, 8000), 'Same Day Delivery 6-8 jam'),
      };
    });

    api.post('/gokilat/v10/booking', async (req, reply) => {
      const parsed = bookingRequestSchema.safeParse(req.body);
      if (!parsed.success) return gosendError(reply, 400, `invalid booking: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
      const r = parsed.data.routes[0];
      // Like the real service as far as public sources tell, a repeated storeOrderId is a new booking:
      // no dedupe. pesan looks a booking up by storeOrderId before it books again.
      const origin = parseLatLng(r.originLatLong);
      const destination = parseLatLng(r.destinationLatLong);
      if (!origin || !destination) return gosendError(reply, 400, 'originLatLong and destinationLatLong must be "lat,lng"');
      if (parsed.data.shipment_method !== 'Instant' && parsed.data.shipment_method !== 'SameDay') {
        return gosendError(reply, 400, `unknown shipment_method ${parsed.data.shipment_method}`);
      }
      const km = Math.round(haversineKm(origin, destination) * 100) / 100;
      if (km > SIM_MAX_KM) return gosendError(reply, 422, `Route not serviceable: ${km} km`);
      const id = ++seq;
      const orderNo = `GK-11-${id}`;
      const b: SimBooking = {
        id,
        orderNo,
        storeOrderId: r.storeOrderId,
        status: 'confirmed',
        origin,
        destination,
        distanceKm: km,
        price: simFee(km),
        item: r.item,
        receiverName: r.destinationContactName,
        trackingUrl: `${simBaseUrl(req, prefix, opts.publicUrl)}/_sim/track/${orderNo}`,
        createdAt: new Date(),
      };
      bookings.set(orderNo, b);
      byStoreOrderId.set(b.storeOrderId, b);
      void emit(b);
      if (timersRun()) clock.schedule(orderNo);
      if (await lost.lose(reply)) return reply;
      return reply.status(201).send({ id, orderNo, bookingType: 'Instant', storeOrderId: b.storeOrderId });
    });

    api.get('/gokilat/v10/booking/orderno/:orderNo', async (req, reply) => {
      const b = bookings.get((req.params as { orderNo: string }).orderNo);
      return b ? view(b) : gosendError(reply, 404, 'Booking not found');
    });

    api.get('/gokilat/v10/booking/storeOrderId/:storeOrderId', async (req, reply) => {
      const b = byStoreOrderId.get((req.params as { storeOrderId: string }).storeOrderId);
      return b ? view(b) : gosendError(reply, 404, 'Booking not found');
    });

    api.put('/gokilat/v10/booking/cancel', async (req, reply) => {
      const orderNo = (req.body as { orderNo?: unknown } | undefined)?.orderNo;
      const b = typeof orderNo === 'string' ? bookings.get(orderNo) : undefined;
      if (!b) return gosendError(reply, 404, 'Booking not found');
      if (b.status === 'cancelled') return { statusCode: 200, message: 'Booking cancelled' };
      const raced = cancelRaces.delete(b.orderNo) || cancelRaces.delete(b.storeOrderId);
      if (raced && b.status === 'confirmed') {
        // A driver accepted the job just before the cancel arrived: the booking stays alive.
        await step(b);
        return gosendError(reply, 422, 'Booking cannot be cancelled: driver already allocated');
      }
      if (!CANCELLABLE.has(b.status)) return gosendError(reply, 422, `Booking cannot be cancelled in status ${b.status}`);
      b.status = 'cancelled';
      b.closedAt = new Date();
      clock.cancel(b.orderNo);
      void emit(b);
      return { statusCode: 200, message: 'Booking cancelled' };
    });
  });

  // ---- sandbox controls ----
  registerSimControls(app, {
    noun: 'booking',
    find: (id) => bookings.get(id) ?? byStoreOrderId.get(id),
    all: () => bookings.values(),
    idOf: (b) => b.orderNo,
    statusOf: (b) => b.status,
    terminal: (b) => TERMINAL.has(b.status),
    view,
    step,
    // No driver before allocation, the driver cancels before pickup, or returned after pickup.
    fail: async (b) => {
      b.status = b.status === 'confirmed' ? 'no_driver' : CANCELLABLE.has(b.status) ? 'cancelled' : 'rejected';
      b.closedAt = new Date();
      await emit(b);
    },
    getMode: () => mode,
    setMode: (m) => {
      mode = m;
    },
    clock,
    sender,
  });

  /**
   * The next cancel of this booking (by orderNo, or by storeOrderId even before it is booked) finds
   * a driver allocated at that moment: the driver stays and the cancel is refused.
   */
  app.post('/_sim/cancel-race', async (req, reply) => {
    const id = (req.body as { externalId?: unknown } | undefined)?.externalId;
    if (typeof id !== 'string' || !id) return reply.status(400).send({ error: 'externalId is required' });
    cancelRaces.add(id);
    return { externalId: id, armed: true };
  });

  // `status` here is the webhook word (what the sandbox moves through); `statusLabel` what the status API says.
  app.get('/_sim/bookings', async () => ({
    mode,
    bookings: [...bookings.values()].map((b) => ({ ...view(b), status: b.status, statusLabel: STATUS_LABEL[b.status], webhooks: sender.deliveries.get(b.orderNo) ?? [] })),
  }));

  app.get('/_sim/track/:id', async (req, reply) => {
    const b = bookings.get((req.params as { id: string }).id);
    if (!b) return reply.status(404).type('text/html; charset=utf-8').send(trackingPage('GoSend: booking not found', []));
    return reply.type('text/html; charset=utf-8').send(
      trackingPage(`GoSend ${b.orderNo}`, [
        ['Status', b.status],
        ['Pesanan', b.storeOrderId],
        ['Barang', b.item],
        ['Driver', b.driver?.name],
        ['Telepon', b.driver?.phone],
        ['Plat nomor', b.driver?.plate],
        ['Jarak', `${b.distanceKm} km`],
        ['Ongkir', formatRupiah(b.price)],
      ]),
    );
  });
}
