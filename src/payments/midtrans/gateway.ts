// Midtrans Core API adapter: QRIS (GoPay acquirer), bank transfer VAs (BCA/BNI/BRI/CIMB/Permata) and
// Mandiri bill payment (echannel). order_id is our charge reference, so a retried create is recognised.
import { basicAuth, httpRequest, ProviderError, type HttpResponse } from '../../shared/http.js';
import { parseRupiah } from '../../shared/money.js';
import { jakartaDateTime, parseJakartaDateTime } from '../../shared/time.js';
import type { RefundInput, RefundResult, Bank, Charge, ChargeRef, ChargeStatus, ChargeStatusResult, CreateChargeInput, PaymentEvent, PaymentGateway, PaymentMethod, WebhookRequest, WebhookVerdict } from '../port.js';
import { verifyMidtransSignature } from './signature.js';
import { notification, transaction, type ChargeRequest, type Transaction } from './wire.js';

export interface MidtransGatewayConfig {
  serverKey: string;
  baseUrl: string;
  /** per-request timeout and attempts (defaults of httpRequest when omitted) */
  timeoutMs?: number;
  attempts?: number;
}

const PROVIDER = 'midtrans';

/** Maps Midtrans' transaction_status (+ fraud_status for card captures) to pesan's view of a charge. */
export function midtransStatus(transactionStatus: string | undefined, fraudStatus?: string): ChargeStatus | 'unknown' {
  switch (transactionStatus) {
    case 'settlement':
      return 'paid';
    case 'capture':
      return fraudStatus === undefined || fraudStatus === 'accept' ? 'paid' : fraudStatus === 'deny' ? 'failed' : 'pending';
    case 'pending':
    case 'authorize':
      return 'pending';
    case 'expire':
      return 'expired';
    case 'cancel':
      return 'cancelled';
    case 'deny':
    case 'failure':
      return 'failed';
    default:
      // refund / partial_refund / chargeback: money moved after payment; the domain decides from the raw record.
      return 'unknown';
  }
}

function wholeMinutesUntil(expiresAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 60_000));
}

export function buildChargeRequest(input: CreateChargeInput, now = new Date()): ChargeRequest {
  const base = {
    transaction_details: { order_id: input.reference, gross_amount: input.amount },
    custom_expiry: { order_time: `${jakartaDateTime(now)} +0700`, expiry_duration: wholeMinutesUntil(input.expiresAt, now), unit: 'minute' as const },
    customer_details: { first_name: input.customer.name.slice(0, 255), phone: input.customer.phone },
    ...itemDetails(input),
  };
  if (input.method === 'qris') return { payment_type: 'qris', qris: { acquirer: 'gopay' }, ...base };
  const bank = input.bank;
  if (!bank) throw new ProviderError(PROVIDER, 'a bank is required for a virtual account');
  if (bank === 'mandiri') {
    return { payment_type: 'echannel', echannel: { bill_info1: 'Payment:', bill_info2: input.description.slice(0, 30) }, ...base };
  }
  if (bank === 'permata') {
    return { payment_type: 'bank_transfer', bank_transfer: { bank, permata: { recipient_name: input.customer.name.slice(0, 20) } }, ...base };
  }
  return { payment_type: 'bank_transfer', bank_transfer: { bank }, ...base };
}

/** Midtrans rejects a charge whose item lines do not add up to gross_amount, so lines are sent only when they do. */
function itemDetails(input: CreateChargeInput): Pick<ChargeRequest, 'item_details'> {
  if (!input.items?.length) return {};
  const total = input.items.reduce((s, i) => s + i.price * i.quantity, 0);
  if (total !== input.amount) return {};
  return { item_details: input.items.map((i) => ({ id: i.sku.slice(0, 50), price: i.price, quantity: i.quantity, name: i.name.slice(0, 50) })) };
}

export function createMidtransGateway(cfg: MidtransGatewayConfig): PaymentGateway {
  const baseUrl = cfg.baseUrl.replace(/\/$/, '');
  const headers = { authorization: basicAuth(cfg.serverKey) };

  async function call(method: 'GET' | 'POST', path: string, json?: unknown): Promise<{ res: HttpResponse; tx: Transaction }> {
    const res = await httpRequest(PROVIDER, { method, url: baseUrl + path, headers, json, timeoutMs: cfg.timeoutMs, attempts: cfg.attempts });
    const parsed = transaction.safeParse(res.data);
    if (!parsed.success) {
      throw new ProviderError(PROVIDER, `unexpected response (HTTP ${res.status}) to ${method} ${path}`, res.status, res.data, false);
    }
    return { res, tx: parsed.data };
  }

  /** Midtrans may answer HTTP 200 with status_code ≥ 400 in the body; 407 (expired) is a normal answer. */
  function failure(res: HttpResponse, tx: Transaction, what: string): ProviderError | undefined {
    const code = Number(tx.status_code);
    if (res.status < 400 && (code < 400 || code === 407)) return undefined;
    const status = code >= 400 ? code : res.status;
    return new ProviderError(PROVIDER, `${what}: ${tx.status_code} ${tx.status_message ?? ''}`.trim(), status, res.data, status >= 500 || status === 429);
  }

  function toStatusResult(tx: Transaction): ChargeStatusResult {
    const s = midtransStatus(tx.transaction_status, tx.fraud_status);
    return {
      // A refund still means the customer once paid; the raw record tells the rest.
      status: s === 'unknown' ? 'paid' : s,
      amount: tx.gross_amount !== undefined ? parseRupiah(tx.gross_amount) : undefined,
      currency: tx.currency,
      paidAt: tx.settlement_time ? parseJakartaDateTime(tx.settlement_time) : undefined,
      raw: tx,
    };
  }

  async function fetchStatus(reference: string): Promise<Transaction> {
    const { res, tx } = await call('GET', `/v2/${encodeURIComponent(reference)}/status`);
    const err = failure(res, tx, 'status');
    if (err) throw err;
    return tx;
  }

  /**
   * Midtrans' own QRIS reference example answers without qr_string: the QR is then the image behind
   * the `generate-qr-code` action. It is fetched once here, so a charge that cannot be shown fails now
   * (and is retried) instead of reaching the customer as an empty message.
   */
  async function qrImageOf(tx: Transaction): Promise<string | undefined> {
    if (tx.payment_type !== 'qris' || tx.qr_string) return undefined;
    const action = tx.actions?.find((a) => a.name === 'generate-qr-code');
    if (!action) throw new ProviderError(PROVIDER, 'QRIS charge answered with neither qr_string nor a generate-qr-code action', 200, tx, false);
    const res = await fetch(action.url, { signal: AbortSignal.timeout(cfg.timeoutMs ?? 10_000) }).catch((err: Error) => {
      throw new ProviderError(PROVIDER, `QR image not reachable: ${err.message}`, undefined, undefined, true);
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
    if (!res.ok || !type.startsWith('image/') || !(png || jpeg || type.includes('svg'))) {
      throw new ProviderError(PROVIDER, `QR image answered HTTP ${res.status} ${type || 'without a type'}, not an image`, res.status, undefined, res.status >= 500);
    }
    return action.url;
  }

  function toCharge(input: CreateChargeInput, tx: Transaction, fallbackExpiry: Date): Charge {
    const vaNumber = tx.va_numbers?.[0]?.va_number ?? tx.permata_va_number;
    const s = midtransStatus(tx.transaction_status, tx.fraud_status);
    return {
      reference: input.reference,
      externalId: tx.transaction_id ?? input.reference,
      status: s === 'unknown' ? 'paid' : s,
      amount: tx.gross_amount !== undefined ? parseRupiah(tx.gross_amount) : input.amount,
      expiresAt: tx.expiry_time ? parseJakartaDateTime(tx.expiry_time) : fallbackExpiry,
      qrString: tx.qr_string,
      vaNumber: tx.bill_key ? undefined : vaNumber,
      bank: input.method === 'va' ? input.bank : undefined,
      billKey: tx.bill_key,
      billerCode: tx.biller_code,
      raw: tx,
    };
  }

  return {
    id: 'midtrans',

    supports(method: PaymentMethod, bank?: Bank): boolean {
      return method === 'qris' || (method === 'va' && bank !== undefined);
    },

    async createCharge(input: CreateChargeInput): Promise<Charge> {
      const now = new Date();
      const body = buildChargeRequest(input, now);
      const fallbackExpiry = new Date(now.getTime() + body.custom_expiry!.expiry_duration * 60_000);
      const { res, tx } = await call('POST', '/v2/charge', body);
      if (tx.status_code === '406') {
        // order_id already used: this is our own earlier attempt (a retry after a lost response), so
        // answer with that charge — unless it was for a different amount, which is a real conflict.
        const existing = await fetchStatus(input.reference);
        const charge = toCharge(input, existing, fallbackExpiry);
        if (charge.amount !== input.amount) {
          throw new ProviderError(PROVIDER, `order_id ${input.reference} already used for another amount`, 406, existing, false);
        }
        return { ...charge, qrImageUrl: await qrImageOf(existing) };
      }
      const err = failure(res, tx, 'charge');
      if (err) throw err;
      return { ...toCharge(input, tx, fallbackExpiry), qrImageUrl: await qrImageOf(tx) };
    },

    async getStatus(ref: ChargeRef): Promise<ChargeStatusResult> {
      return toStatusResult(await fetchStatus(ref.reference));
    },

    // Midtrans' Refund API covers QRIS (GoPay/ShopeePay acquirers, within their windows), not bank transfers.
    refundable: (method: PaymentMethod) => method === 'qris',

    async refund(ref: ChargeRef, input: RefundInput): Promise<RefundResult> {
      // refund_key makes a retried request the same refund (Midtrans docs).
      const { res, tx } = await call('POST', `/v2/${encodeURIComponent(ref.reference)}/refund`, { refund_key: input.refundKey, amount: input.amount, reason: input.reason.slice(0, 255) });
      const err = failure(res, tx, 'refund');
      if (err) throw err;
      const id = (tx as Record<string, unknown>).refund_chargeback_id ?? (tx as Record<string, unknown>).refund_key ?? input.refundKey;
      return { refundId: String(id), raw: tx };
    },

    async check(): Promise<void> {
      // The status of a reference that cannot exist: "404 Transaction doesn't exist" proves the key works.
      const { res, tx } = await call('GET', `/v2/pesan-doctor-${Date.now().toString(36)}/status`);
      if (tx.status_code === '404') return;
      const err = failure(res, tx, 'status lookup');
      if (err) throw err;
    },

    async cancel(ref: ChargeRef): Promise<void> {
      // "expire" (not "cancel") is what Midtrans documents for pending QRIS/VA charges.
      const { res, tx } = await call('POST', `/v2/${encodeURIComponent(ref.reference)}/expire`);
      const err = failure(res, tx, 'expire');
      if (!err) return;
      // Already gone is what we wanted; anything else (settled → 412) the caller must know about.
      const current = await fetchStatus(ref.reference).catch(() => undefined);
      const s = midtransStatus(current?.transaction_status);
      if (s === 'expired' || s === 'cancelled' || s === 'failed') return;
      throw err;
    },

    verifyWebhook(req: WebhookRequest): WebhookVerdict {
      let json: unknown;
      try {
        json = JSON.parse(req.rawBody.toString('utf8'));
      } catch {
        return { ok: false, status: 400, reason: 'body is not JSON' };
      }
      const parsed = notification.safeParse(json);
      if (!parsed.success) return { ok: false, status: 400, reason: 'not a Midtrans notification' };
      const n = parsed.data;
      if (!verifyMidtransSignature(n, cfg.serverKey)) return { ok: false, status: 401, reason: 'signature_key does not match' };
      let amount: number | undefined;
      try {
        amount = parseRupiah(n.gross_amount);
      } catch {
        return { ok: false, status: 400, reason: `bad gross_amount ${n.gross_amount}` };
      }
      const event: PaymentEvent = {
        // Midtrans resends the same facts on retry; a later change (settlement → refund) is a new key.
        eventKey: [n.transaction_id, n.transaction_status, n.settlement_time].filter(Boolean).join(':'),
        reference: n.order_id,
        externalId: n.transaction_id,
        status: midtransStatus(n.transaction_status, n.fraud_status),
        amount,
        currency: n.currency,
        paidAt: n.settlement_time ? parseJakartaDateTime(n.settlement_time) : undefined,
      };
      return { ok: true, events: [event] };
    },
  };
}
