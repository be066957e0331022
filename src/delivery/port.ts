// The Courier port. Adapters speak one courier's API; the delivery service decides what a
// status means for the order and what the customer is told.

export type CourierId = 'gosend' | 'grab' | 'manual';

export interface Place {
  lat: number;
  lng: number;
  address: string;
  contactName: string;
  contactPhone: string;
  note?: string;
}

export interface QuoteRequest {
  origin: Place;
  destination: Place;
  items: { name: string; quantity: number; price: number }[];
}

export interface Quote {
  courier: CourierId;
  fee: number; // integer rupiah
  serviceType: string; // e.g. Instant, INSTANT
  distanceKm?: number;
  etaMinutes?: number;
  raw?: unknown;
}

export interface BookRequest extends QuoteRequest {
  orderId: string;
  quote: Quote;
  /** An earlier booking attempt for this order may have reached the courier: look it up before booking. */
  lookupFirst?: boolean;
}

export interface Booking {
  courier: CourierId;
  externalId: string;
  fee?: number;
  trackingUrl?: string;
  raw: unknown;
}

/** pesan's own delivery statuses; every courier's statuses map onto these. */
export type DeliveryStatus =
  | 'finding_driver'
  | 'driver_assigned'
  | 'picking_up' // driver on the way to the merchant
  | 'picked_up'
  | 'in_delivery' // on the way to the customer
  | 'arriving'
  | 'delivered'
  | 'on_hold'
  | 'no_driver'
  | 'cancelled'
  | 'failed'
  | 'returned';

export interface DriverInfo {
  name?: string;
  phone?: string;
  plate?: string;
  photoUrl?: string;
}

export interface CourierUpdate {
  /** Unique per event; replays carry the same key. */
  eventKey: string;
  externalId: string;
  status: DeliveryStatus;
  /** The courier's own status string, for the timeline. */
  providerStatus: string;
  driver?: DriverInfo;
  trackingUrl?: string;
  at?: Date;
}

export interface CourierWebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export type CourierWebhookVerdict = { ok: true; updates: CourierUpdate[] } | { ok: false; status: number; reason: string };

export interface Courier {
  readonly id: CourierId;
  /** null when the courier cannot serve this route. */
  quote(req: QuoteRequest): Promise<Quote | null>;
  book(req: BookRequest): Promise<Booking>;
  cancel(externalId: string): Promise<void>;
  status(externalId: string): Promise<CourierUpdate>;
  verifyWebhook(req: CourierWebhookRequest): CourierWebhookVerdict;
}
