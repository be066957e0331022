// The PaymentGateway port. Adapters translate between pesan and one gateway's wire format;
// the payments service (domain) decides what a payment event means for the order.
import type { FastifyInstance } from 'fastify';

export type GatewayId = 'midtrans' | 'xendit' | 'doku';
export type PaymentMethod = 'qris' | 'va';
export type Bank = 'bca' | 'bni' | 'bri' | 'mandiri' | 'permata' | 'cimb';
export const BANKS: Bank[] = ['bca', 'bni', 'bri', 'mandiri', 'permata', 'cimb'];

export interface CreateChargeInput {
  /** Unique per charge attempt (order id + attempt number); gateways enforce uniqueness on it. */
  reference: string;
  orderId: string;
  amount: number; // integer rupiah
  method: PaymentMethod;
  bank?: Bank; // required for va
  expiresAt: Date;
  customer: { name: string; phone: string };
  description: string;
  items?: { sku: string; name: string; price: number; quantity: number }[];
  /** An earlier attempt with this reference may have reached the gateway: look it up before creating. */
  lookupFirst?: boolean;
}

export interface Charge {
  reference: string;
  /** The gateway's own id for the charge (transaction_id, qr id, VA id …). */
  externalId: string;
  status: ChargeStatus;
  amount: number;
  expiresAt: Date;
  qrString?: string;
  /** When the gateway gives no QR string, the URL of its QR image (checked to be an image at creation). */
  qrImageUrl?: string;
  vaNumber?: string;
  bank?: Bank;
  /** Mandiri bill payment (Midtrans echannel) pays with biller code + bill key instead of a VA number. */
  billKey?: string;
  billerCode?: string;
  raw: unknown;
}

export type ChargeStatus = 'pending' | 'paid' | 'expired' | 'cancelled' | 'failed';

export interface ChargeRef {
  reference: string;
  externalId?: string | null;
  method: PaymentMethod;
  bank?: Bank | null;
  /** What the gateway returned at creation, for adapters that need more than ids (DOKU VA numbers). */
  raw?: unknown;
}

export interface ChargeStatusResult {
  status: ChargeStatus;
  /** Paid amount in integer rupiah when the gateway reports one. */
  amount?: number;
  currency?: string;
  paidAt?: Date;
  raw: unknown;
}

/** One fact a webhook told us, reduced to what the domain needs. */
export interface PaymentEvent {
  /** Unique per event at this gateway; replays carry the same key. */
  eventKey: string;
  reference: string;
  /** The gateway's own id for the charge (as in Charge.externalId) when the notification names it. */
  externalId?: string;
  status: ChargeStatus | 'unknown';
  amount?: number;
  currency?: string;
  paidAt?: Date;
}

export interface WebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** Path of the request as received (DOKU signs it). */
  path: string;
  /** Query parameters and form fields, for gateways that notify with parameters (DOKU's QRIS notify). */
  params?: Record<string, string>;
}

export type WebhookVerdict =
  | { ok: true; events: PaymentEvent[]; reply?: { status: number; body: unknown } }
  | { ok: false; status: number; reason: string; body?: unknown };

export interface RefundInput {
  /** pesan's own key for this refund: a retried request with the same key refunds once */
  refundKey: string;
  amount: number; // integer rupiah
  reason: string;
}

export interface RefundResult {
  /** the gateway's id for the refund */
  refundId: string;
  raw: unknown;
}

export interface PaymentGateway {
  readonly id: GatewayId;
  /** Methods and banks this gateway can take. */
  supports(method: PaymentMethod, bank?: Bank): boolean;
  createCharge(input: CreateChargeInput): Promise<Charge>;
  getStatus(ref: ChargeRef): Promise<ChargeStatusResult>;
  /** Cancels/expires an unpaid charge at the gateway so it can no longer be paid. */
  cancel(ref: ChargeRef): Promise<void>;
  /** Verifies authenticity of a notification and reduces it to events; never throws for bad input. */
  verifyWebhook(req: WebhookRequest): WebhookVerdict | Promise<WebhookVerdict>;
  /** Whether this gateway's API refunds a paid charge of this method (VAs usually cannot be refunded by API). */
  refundable?(method: PaymentMethod): boolean;
  /** Refunds (part of) a paid charge through the gateway; throws a ProviderError when the gateway refuses. */
  refund?(ref: ChargeRef, input: RefundInput): Promise<RefundResult>;
  /** One harmless authenticated call (npm run doctor); throws a ProviderError saying what is wrong. */
  check?(): Promise<void>;
  /** Extra routes a gateway needs under /webhooks/<id>/ (DOKU's B2B token endpoint). */
  extraWebhookRoutes?(app: FastifyInstance): void;
}
