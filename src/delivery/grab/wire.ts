// GrabExpress Delivery API wire format (OAuth2 client credentials, /v1/deliveries).
// Loose schemas: unknown fields pass through; only what pesan reads is required.
import { z } from 'zod';
import type { DeliveryStatus } from '../port.js';

/**
 * GrabExpress status → pesan delivery status. FAILED is not in this table because it depends on
 * whether a driver was ever assigned: see mapGrabStatus.
 */
export const GRAB_STATUS_MAP: Readonly<Record<string, DeliveryStatus>> = {
  ALLOCATING: 'finding_driver',
  PENDING_PICKUP: 'driver_assigned',
  PICKING_UP: 'picking_up',
  PENDING_DROP_OFF: 'picked_up',
  IN_DELIVERY: 'in_delivery',
  COMPLETED: 'delivered',
  CANCELED: 'cancelled',
  CANCELLED: 'cancelled', // spelling unconfirmed: accept both
  IN_RETURN: 'returned',
  RETURNED: 'returned',
};

/**
 * FAILED before any driver took the job means Grab found nobody (pesan tries the next courier);
 * FAILED with a driver means the trip itself failed. "Had a driver" is read from the event or
 * delivery itself (a driver/courier with a name), so the adapter stays stateless.
 */
export function mapGrabStatus(status: string, hadDriver: boolean): DeliveryStatus | undefined {
  const s = status.toUpperCase();
  if (s === 'FAILED') return hadDriver ? 'failed' : 'no_driver';
  return GRAB_STATUS_MAP[s];
}

const num = z.union([z.number(), z.string().transform(Number)]).pipe(z.number());

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: num.optional(),
});

export const coordinatesSchema = z.looseObject({ latitude: z.number(), longitude: z.number() });
export const placeSchema = z.looseObject({ address: z.string().min(1), keywords: z.string().optional(), coordinates: coordinatesSchema });
export const packageSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  quantity: z.number().int().positive(),
  price: z.number().nonnegative(),
  dimensions: z.looseObject({ height: z.number(), width: z.number(), depth: z.number(), weight: z.number() }),
});
export const contactSchema = z.looseObject({
  firstName: z.string().min(1),
  lastName: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().min(1),
  smsEnabled: z.boolean().optional(),
  instruction: z.string().optional(),
});

export const quoteRequestSchema = z.looseObject({
  serviceType: z.enum(['INSTANT', 'SAME_DAY', 'BULK']),
  vehicleType: z.string().optional(),
  codType: z.string().optional(),
  packages: z.array(packageSchema).min(1),
  origin: placeSchema,
  destination: placeSchema,
});
export const deliveryRequestSchema = quoteRequestSchema.extend({
  merchantOrderID: z.string().min(1),
  paymentMethod: z.enum(['CASHLESS', 'CASH']),
  highValue: z.boolean().optional(),
  sender: contactSchema,
  recipient: contactSchema,
});
export type GrabDeliveryRequest = z.infer<typeof deliveryRequestSchema>;

export const quoteSchema = z.looseObject({
  service: z.looseObject({ type: z.string().optional(), name: z.string().optional() }).optional(),
  currency: z.looseObject({ code: z.string().optional() }).optional(),
  amount: num,
  /** metres (unit unconfirmed in public sources; the sandbox uses metres) */
  distance: num.optional(),
  estimatedTimeline: z.looseObject({ pickup: z.string().optional(), dropoff: z.string().optional() }).optional(),
});
export const quotesResponseSchema = z.looseObject({ quotes: z.array(quoteSchema) });

/**
 * The courier object on GET /v1/deliveries/{id}. Grab's SDKs leave it untyped; pesan reads
 * `{ name, phone, photoURL?, vehicle: { licensePlate, model? }, coordinates? }` and also accepts a
 * flat `licensePlate` in case the real payload matches the webhook's driver object.
 */
export const courierSchema = z.looseObject({
  name: z.string().nullish(),
  phone: z.string().nullish(),
  photoURL: z.string().nullish(),
  licensePlate: z.string().nullish(),
  vehicle: z.looseObject({ licensePlate: z.string().nullish(), model: z.string().nullish() }).nullish(),
});

export const deliverySchema = z.looseObject({
  deliveryID: z.string().min(1),
  merchantOrderID: z.string().optional(),
  status: z.string(),
  trackingURL: z.string().nullish(),
  quote: z.looseObject({ amount: num.optional() }).nullish(),
  courier: courierSchema.nullish(),
  timeline: z.looseObject({ allocate: z.string().nullish() }).nullish(),
});
export type GrabDelivery = z.infer<typeof deliverySchema>;

export const webhookSchema = z.looseObject({
  deliveryID: z.string().min(1),
  merchantOrderID: z.string().optional(),
  /** epoch seconds */
  timestamp: num.optional(),
  status: z.string().min(1),
  trackURL: z.string().nullish(),
  failedReason: z.string().nullish(),
  driver: z
    .looseObject({
      name: z.string().nullish(),
      phone: z.string().nullish(),
      licensePlate: z.string().nullish(),
      photoURL: z.string().nullish(),
    })
    .nullish(),
});
export type GrabWebhook = z.infer<typeof webhookSchema>;
