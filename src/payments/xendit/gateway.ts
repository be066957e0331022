// Xendit adapter: QRIS through the QR Codes API (api-version 2022-07-31), bank VAs through Fixed Virtual
// Accounts. Callbacks are authenticated by the dashboard's verification token, not by a body signature.
import { header, safeEqual } from '../../shared/crypto.js';
import { basicAuth, createOnce, httpRequest, ProviderError, type HttpResponse } from '../../shared/http.js';
import { parseRupiah } from '../../shared/money.js';
import type { RefundInput, RefundResult, Bank, Charge, ChargeRef, ChargeStatusResult, CreateChargeInput, PaymentEvent, PaymentGateway, PaymentMethod, WebhookRequest, WebhookVerdict } from '../port.js';
import { errorBody, QR_API_VERSION, qrCallback, qrCallbackV1, qrCode, qrPaymentList, vaPayment, virtualAccount, XENDIT_BANK_CODES, type CreateQrRequest, type CreateVaRequest } from './wire.js';

export interface XenditGatewayConfig {
  secretKey: string;
  callbackToken: string;
  baseUrl: string;
  timeoutMs?: number;
  attempts?: number;
}

const PROVIDER = 'xendit';

export function createXenditGateway(cfg: XenditGatewayConfig): PaymentGateway {
  const baseUrl = cfg.baseUrl.replace(/\/$/, '');
  const auth = basicAuth(cfg.secretKey);
  // Xendit's 2022-07-31 QR API has no way to withdraw a code, so a cancelled QR is remembered here and
  // reported as cancelled until it expires or a payment shows up anyway (then the domain refunds).
  // Per process only: the domain's own record of the cancellation is what survives restarts.
  const locallyCancelledQr = new Set<string>();
  // Payment ids learnt from VA callbacks let getStatus use the documented payment lookup.
  const vaPaymentIds = new Map<string, string>();

  async function call(method: string, path: string, opts: { json?: unknown; qrApi?: boolean; once?: boolean; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { authorization: auth, ...(opts.headers ?? {}) };
    if (opts.qrApi) headers['api-version'] = QR_API_VERSION;
    // Creates are sent once: after a lost answer createOnce looks the charge up instead of resending.
    const res = await httpRequest(PROVIDER, { method, url: baseUrl + path, headers, json: opts.json, timeoutMs: cfg.timeoutMs, attempts: opts.once ? 1 : cfg.attempts });
    if (res.status >= 400) {
      const err = errorBody.safeParse(res.data);
      const what = err.success ? `${err.data.error_code}${err.data.message ? `: ${err.data.message}` : ''}` : `HTTP ${res.status}`;
      throw new ProviderError(PROVIDER, `${method} ${path.split('?')[0]} → ${what}`, res.status, res.data, false);
    }
    return res;
  }

  function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, res: HttpResponse, what: string): T {
    const r = schema.safeParse(res.data);
    if (!r.success) throw new ProviderError(PROVIDER, `unexpected ${what} response`, res.status, res.data, false);
    return r.data;
  }

  const requireId = (ref: ChargeRef): string => {
    if (!ref.externalId) throw new ProviderError(PROVIDER, `charge ${ref.reference} has no Xendit id; Xendit looks charges up by id only`);
    return encodeURIComponent(ref.externalId);
  };

  /**
   * QR status from GET /qr_codes/{id} (documented): a DYNAMIC code turns INACTIVE once paid or once it
   * expires, so INACTIVE before expires_at reads as paid. The payments list of a QR, when the account
   * serves it, adds the paid amount and time; its absence (404) changes nothing.
   */
  async function qrStatus(ref: ChargeRef): Promise<ChargeStatusResult> {
    const id = requireId(ref);
    const qr = parse(qrCode, await call('GET', `/qr_codes/${id}`, { qrApi: true }), 'QR code');
    const payments = await call('GET', `/qr_codes/${id}/payments`, { qrApi: true })
      .then((res) => qrPaymentList.safeParse(res.data))
      .catch(() => undefined);
    const paid = payments?.success ? payments.data.data.find((p) => p.status === 'SUCCEEDED') : undefined;
    const raw = { qr, payments: payments?.success ? payments.data : undefined };
    if (paid) return { status: 'paid', amount: parseRupiah(paid.amount), currency: paid.currency ?? qr.currency, paidAt: new Date(paid.created), raw };
    const lapsed = new Date(qr.expires_at).getTime() <= Date.now();
    if (qr.status === 'INACTIVE' && !lapsed && !locallyCancelledQr.has(qr.id)) return { status: 'paid', amount: qr.amount ?? undefined, currency: qr.currency, raw };
    const status = qr.status === 'INACTIVE' || lapsed ? 'expired' : locallyCancelledQr.has(qr.id) ? 'cancelled' : 'pending';
    return { status, raw };
  }

  /** The QR Xendit holds for our reference_id (GET /qr_codes?reference_id=, an array); null when none. */
  async function qrByReference(reference: string) {
    const res = await call('GET', `/qr_codes?reference_id=${encodeURIComponent(reference)}`, { qrApi: true });
    const list = Array.isArray(res.data) ? res.data : Array.isArray(res.data?.data) ? res.data.data : res.data ? [res.data] : [];
    const found = list.map((x: unknown) => qrCode.safeParse(x)).find((r: { success: boolean; data?: { reference_id: string } }) => r.success && r.data!.reference_id === reference);
    return found?.success ? found.data : null;
  }

  /** The FVA Xendit holds for our external_id (GET /callback_virtual_accounts?external_id=); null when none. */
  async function vaByExternalId(externalId: string) {
    let res: HttpResponse;
    try {
      res = await call('GET', `/callback_virtual_accounts?external_id=${encodeURIComponent(externalId)}`);
    } catch (err) {
      if (err instanceof ProviderError && err.status === 404) return null;
      throw err;
    }
    const list = Array.isArray(res.data) ? res.data : Array.isArray(res.data?.data) ? res.data.data : res.data ? [res.data] : [];
    const found = list.map((x: unknown) => virtualAccount.safeParse(x)).find((r: { success: boolean; data?: { external_id: string } }) => r.success && r.data!.external_id === externalId);
    return found?.success ? found.data : null;
  }

  async function vaStatus(ref: ChargeRef): Promise<ChargeStatusResult> {
    const va = parse(virtualAccount, await call('GET', `/callback_virtual_accounts/${requireId(ref)}`), 'virtual account');
    const paymentId = vaPaymentIds.get(ref.reference);
    if (paymentId) {
      const p = parse(vaPayment, await call('GET', `/callback_virtual_account_payments/payment_id=${encodeURIComponent(paymentId)}`), 'VA payment');
      return { status: 'paid', amount: parseRupiah(p.amount), currency: p.currency ?? 'IDR', paidAt: new Date(p.transaction_timestamp), raw: { va, payment: p } };
    }
    // Without a payment id (no callback seen yet) Xendit offers no lookup by VA. Assumption, from the FVA
    // lifecycle: a single-use VA turns INACTIVE when paid, and also when its expiration_date passes (which
    // is how we cancel). So INACTIVE before expiration_date = paid; at/after it = expired. A payment made
    // just before expiry and checked afterwards reads "expired" here; the callback still reports it.
    const expired = new Date(va.expiration_date).getTime() <= Date.now();
    if (va.status === 'INACTIVE' && !expired) return { status: 'paid', amount: va.expected_amount, currency: va.currency ?? 'IDR', raw: { va } };
    return { status: expired || va.status === 'INACTIVE' ? 'expired' : 'pending', raw: { va } };
  }

  function verify(req: WebhookRequest): WebhookVerdict {
    if (!cfg.callbackToken) return { ok: false, status: 401, reason: 'no Xendit callback token configured' };
    if (!safeEqual(header(req.headers, 'x-callback-token'), cfg.callbackToken)) return { ok: false, status: 401, reason: 'x-callback-token does not match' };
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return { ok: false, status: 400, reason: 'body is not JSON' };
    }
    const webhookId = header(req.headers, 'webhook-id');
    const events: PaymentEvent[] = [];
    const qr = qrCallback.safeParse(json);
    const qrV1 = qrCallbackV1.safeParse(json);
    const va = vaPayment.safeParse(json);
    if (qr.success && qr.data.event === 'qr.payment') {
      const p = qr.data.data;
      events.push({ eventKey: webhookId ?? p.id, reference: p.reference_id, externalId: p.qr_id, status: p.status === 'SUCCEEDED' ? 'paid' : 'unknown', amount: parseRupiah(p.amount), currency: p.currency, paidAt: new Date(p.created) });
    } else if (qrV1.success) {
      const p = qrV1.data;
      events.push({ eventKey: webhookId ?? p.id, reference: p.qr_code.external_id, externalId: p.qr_code.id, status: p.status === 'COMPLETED' ? 'paid' : 'unknown', amount: parseRupiah(p.amount), paidAt: p.created ? new Date(p.created) : undefined });
    } else if (va.success) {
      // A FVA payment callback has no status: its existence means the money arrived.
      const p = va.data;
      vaPaymentIds.set(p.external_id, p.payment_id);
      events.push({ eventKey: webhookId ?? p.payment_id, reference: p.external_id, externalId: p.callback_virtual_account_id, status: 'paid', amount: parseRupiah(p.amount), currency: p.currency, paidAt: new Date(p.transaction_timestamp) });
    }
    // Authentic callbacks of other kinds (FVA created/updated, refunds) are acknowledged without events,
    // so Xendit does not keep retrying them.
    return { ok: true, events };
  }

  return {
    id: 'xendit',

    supports(method: PaymentMethod, bank?: Bank): boolean {
      return method === 'qris' || (method === 'va' && bank !== undefined && bank in XENDIT_BANK_CODES);
    },

    async createCharge(input: CreateChargeInput): Promise<Charge> {
      if (input.method === 'qris') {
        const body: CreateQrRequest = {
          reference_id: input.reference,
          type: 'DYNAMIC',
          currency: 'IDR',
          amount: input.amount,
          expires_at: input.expiresAt.toISOString(),
          metadata: { order_id: input.orderId },
        };
        // Nothing public says Xendit dedupes a repeated reference_id: after a lost answer (or a 409
        // for a reference already used) the QR is looked up by reference_id before creating again.
        const qr = await createOnce(PROVIDER, {
          lookupFirst: input.lookupFirst,
          create: async () => {
            try {
              return parse(qrCode, await call('POST', '/qr_codes', { json: body, qrApi: true, once: true }), 'QR code');
            } catch (err) {
              const existing = err instanceof ProviderError && err.status === 409 ? await qrByReference(input.reference) : null;
              if (existing) return existing;
              throw err;
            }
          },
          lookup: () => qrByReference(input.reference),
        });
        return { reference: input.reference, externalId: qr.id, status: 'pending', amount: qr.amount ?? input.amount, expiresAt: new Date(qr.expires_at), qrString: qr.qr_string, raw: qr };
      }
      if (!input.bank) throw new ProviderError(PROVIDER, 'a bank is required for a virtual account');
      const body: CreateVaRequest = {
        external_id: input.reference,
        bank_code: XENDIT_BANK_CODES[input.bank],
        name: input.customer.name.replace(/[^A-Za-z ]/g, '').trim() || 'Pelanggan',
        expected_amount: input.amount,
        is_closed: true,
        is_single_use: true,
        expiration_date: input.expiresAt.toISOString(),
        description: input.description.slice(0, 255),
      };
      // No idempotency key is documented for FVA: after a lost answer the VA is looked up by external_id
      // before creating again.
      const va = await createOnce(PROVIDER, {
        lookupFirst: input.lookupFirst,
        create: async () => parse(virtualAccount, await call('POST', '/callback_virtual_accounts', { json: body, once: true }), 'virtual account'),
        lookup: () => vaByExternalId(input.reference),
      });
      return {
        reference: input.reference,
        externalId: va.id,
        status: 'pending',
        amount: va.expected_amount ?? input.amount,
        expiresAt: new Date(va.expiration_date),
        vaNumber: va.account_number,
        bank: input.bank,
        raw: va,
      };
    },

    getStatus(ref: ChargeRef): Promise<ChargeStatusResult> {
      return ref.method === 'qris' ? qrStatus(ref) : vaStatus(ref);
    },

    // QR payments can be refunded through the API (only for some issuers: DANA, ShopeePay, OVO, LinkAja, …);
    // Fixed VA payments cannot.
    refundable: (method: PaymentMethod) => method === 'qris',

    async refund(ref: ChargeRef, input: RefundInput): Promise<RefundResult> {
      const id = requireId(ref);
      const payments = parse(qrPaymentList, await call('GET', `/qr_codes/${id}/payments`, { qrApi: true }), 'QR payments');
      const paid = payments.data.find((p) => p.status === 'SUCCEEDED');
      if (!paid) throw new ProviderError(PROVIDER, `QR ${ref.externalId} has no succeeded payment to refund`, 404, payments, false);
      // Path as in Xendit's client SDKs (qr_codes/payments/{qrpy_id}/refunds); the idempotency key makes a retry the same refund.
      const res = await call('POST', `/qr_codes/payments/${encodeURIComponent(paid.id)}/refunds`, {
        qrApi: true,
        headers: { 'idempotency-key': input.refundKey },
        json: { amount: input.amount, reason: input.reason.slice(0, 255) },
      });
      const r = res.data as { id?: string; status?: string };
      if (!r?.id || r.status === 'FAILED') throw new ProviderError(PROVIDER, `refund ${r?.status ?? 'without an id'}`, res.status, res.data, false);
      return { refundId: r.id, raw: res.data };
    },

    async check(): Promise<void> {
      // An authenticated read that finds nothing: QR codes with a reference pesan never uses.
      await qrByReference(`pesan-doctor-${Date.now().toString(36)}`);
    },

    async cancel(ref: ChargeRef): Promise<void> {
      if (ref.method === 'qris') {
        requireId(ref);
        locallyCancelledQr.add(ref.externalId!);
        return;
      }
      // FVA has no delete; moving expiration_date to now closes the account for payments.
      try {
        await call('PATCH', `/callback_virtual_accounts/${requireId(ref)}`, { json: { expiration_date: new Date().toISOString() } });
      } catch (err) {
        const current = await vaStatus(ref).catch(() => undefined);
        if (current?.status === 'expired') return;
        throw err;
      }
    },

    verifyWebhook(req: WebhookRequest): WebhookVerdict {
      try {
        return verify(req);
      } catch (err) {
        return { ok: false, status: 400, reason: (err as Error).message };
      }
    },
  };
}
