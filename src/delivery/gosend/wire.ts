// GoSend (Gojek) B2B "gokilat" v10 wire format. REST responses are camelCase, webhooks snake_case.
// Schemas are loose on purpose: unknown fields pass through, only what pesan reads is required.
import { z } from 'zod';
import type { DeliveryStatus } from '../port.js';

/** GoSend booking status → pesan delivery status. */
export const GOSEND_STATUS_MAP: Readonly<Record<string, DeliveryStatus>> = {
  confirmed: 'finding_driver',
  allocated: 'driver_assigned',
  out_for_pickup: 'picking_up',
  picked: 'picked_up',
  out_for_delivery: 'in_delivery',
  on_hold: 'on_hold',
  delivered: 'delivered',
  cancelled: 'cancelled',
  rejected: 'returned', // returned to sender after a failed drop-off
  no_driver: 'no_driver',
};

export const GOSEND_STATUSES = Object.keys(GOSEND_STATUS_MAP);

/**
 * The status API (GET /gokilat/v10/booking/orderno/{orderNo}) answers with title-case labels, not
 * the webhook's snake_case words. These are the labels public integrations map; matched without
 * regard to case or spacing. "On Hold" and "Rejected" are not seen publicly and are accepted in case.
 */
export const GOSEND_STATUS_LABELS: Readonly<Record<string, DeliveryStatus>> = {
  'Finding Driver': 'finding_driver',
  'Driver Allocated': 'driver_assigned',
  'Enroute Pickup': 'picking_up',
  'Item Picked by Driver': 'picked_up',
  'Enroute Drop': 'in_delivery',
  'On Hold': 'on_hold',
  Completed: 'delivered',
  Cancelled: 'cancelled',
  Rejected: 'returned',
  'Driver not found': 'no_driver',
};

const labelKey = (s: string) => s.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
const BY_LABEL = new Map(Object.entries(GOSEND_STATUS_LABELS).map(([k, v]) => [labelKey(k), v]));

/** Maps either vocabulary: the webhook's snake_case word or the status API's label. */
export function mapGoSendStatus(status: string): DeliveryStatus | undefined {
  return GOSEND_STATUS_MAP[status.trim().toLowerCase()] ?? BY_LABEL.get(labelKey(status));
}

const num = z.union([z.number(), z.string().transform(Number)]).pipe(z.number());

export const priceMethodSchema = z.looseObject({
  shipment_method: z.string().optional(),
  shipment_method_description: z.string().optional(),
  serviceable: z.boolean().optional(),
  active: z.boolean().optional(),
  distance: num.optional(),
  price: z.looseObject({ total_price: num }).optional(),
});
export const priceResponseSchema = z.looseObject({ Instant: priceMethodSchema.optional(), SameDay: priceMethodSchema.optional() });

export const bookingResponseSchema = z.looseObject({
  id: z.union([z.number(), z.string()]).optional(),
  orderNo: z.string(),
  bookingType: z.string().optional(),
  storeOrderId: z.string().optional(),
});

export const statusResponseSchema = z.looseObject({
  orderNo: z.string(),
  status: z.string(),
  driverName: z.string().nullish(),
  driverPhone: z.string().nullish(),
  /** not in the public sources; read when present */
  vehicleNumber: z.string().nullish(),
  liveTrackingUrl: z.string().nullish(),
  totalPrice: num.nullish(),
});

export const webhookSchema = z.looseObject({
  entity_id: z.string().optional(),
  booking_id: z.string().optional(),
  event_id: z.string().optional(),
  event_date: num.optional(),
  type: z.string().optional(),
  status: z.string().optional(),
  booking_status: z.string().optional(),
  driver_name: z.string().nullish(),
  driver_phone: z.string().nullish(),
  vehicle_number: z.string().nullish(),
  live_tracking_url: z.string().nullish(),
  /** some GoSend events carry the camelCase spelling instead */
  liveTrackingUrl: z.string().nullish(),
});
export type GoSendWebhook = z.infer<typeof webhookSchema>;

export const bookingRequestSchema = z.looseObject({
  paymentType: z.number(),
  collection_location: z.string(),
  shipment_method: z.string(),
  routes: z
    .array(
      z.looseObject({
        originName: z.string().optional(),
        originNote: z.string().optional(),
        originContactName: z.string().min(1),
        originContactPhone: z.string().min(1),
        originLatLong: z.string(),
        originAddress: z.string().min(1),
        destinationName: z.string().optional(),
        destinationNote: z.string().optional(),
        destinationContactName: z.string().min(1),
        destinationContactPhone: z.string().min(1),
        destinationLatLong: z.string(),
        destinationAddress: z.string().min(1),
        item: z.string().min(1),
        storeOrderId: z.string().min(1),
        insuranceDetails: z.looseObject({}).optional(),
      }),
    )
    .min(1),
});
export type GoSendBookingRequest = z.infer<typeof bookingRequestSchema>;
