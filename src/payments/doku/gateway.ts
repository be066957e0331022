// DOKU SNAP Direct API adapter: QRIS MPM and transfer-va. Outbound: B2B token (RSA) + HMAC-SHA512 per call.
// Inbound: DOKU first asks pesan for a token (RSA, DOKU's key), then sends the VA payment notification
// signed with HMAC-SHA512; QRIS payments arrive as a non-SNAP HMAC-SHA256 notification.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { header, hmacHex, safeEqual } from '../../shared/crypto.js';
import { httpRequest, ProviderError, type HttpResponse } from '../../shared/http.js';
import { parseRupiah } from '../../shared/money.js';
import { jakartaIso } from '../../shared/time.js';
import type { RefundInput, RefundResult, Bank, Charge, ChargeRef, ChargeStatus, ChargeStatusResult, CreateChargeInput, PaymentEvent, PaymentGateway, PaymentMethod, WebhookRequest, WebhookVerdict } from '../port.js';
import { signTokenRequest, symmetricSignature, verifyNotificationSignature, verifyTokenRequest, nonSnapSignature } from './signature.js';
import { createVaResponse, DOKU_VA_CHANNELS, nonSnapNotification, qrisNotifyParams, qrRefundResponse, NOTIFY_PATHS, PATHS, qrGenerateResponse, qrQueryResponse, SERVICE, snapCode, snapResponse, tokenResponse, vaPaymentNotification, vaStatusResponse, type CreateVaRequest } from './wire.js';

export interface DokuGatewayConfig {
  clientId: string;
  secretKey: string;
  /** merchant private key (PEM): signs our B2B token requests */
  privateKey?: string;
  baseUrl: string;
  qrisMerchantId: string;
  vaPartnerServiceId: string;
  /** DOKU's public key (PEM): verifies the token requests DOKU sends before its notifications */
  dokuPublicKey?: string;
  /** QRIS terminal id (DOKU_QRIS_TERMINAL_ID), per merchant; default A01 */
  terminalId?: string;
  /** the merchant's postal code, sent with QRIS (DOKU_QRIS_POSTAL_CODE) */
  postalCode?: string;
  /** address on the VA (virtualAccountEmail, DOKU_VA_EMAIL) */
  vaEmail?: string;
  timeoutMs?: number;
  attempts?: number;
}

const PROVIDER = 'doku';
const TOKEN_TTL_S = 900;
const TOKEN_REFRESH_MARGIN_MS = 60_000;
// DOKU stamps X-TIMESTAMP on its token requests; a wide window tolerates clock drift while making a
// captured request useless after a while.
const TOKEN_REQUEST_MAX_SKEW_MS = 10 * 60_000;

export const dokuPartnerServiceId = (id: string) => id.trim().padStart(8, ' ');

/**
 * customerNo for a charge: 11 digits derived from a hash of the reference. References mix letters and
 * digits, and keeping only their digits could map two references to one VA; the hash keeps it
 * deterministic (a retried create or a status check recomputes the same VA) and collision-free in practice.
 */
export function dokuCustomerNo(reference: string): string {
  const n = BigInt('0x' + createHash('sha256').update(reference).digest('hex').slice(0, 16)) % 100_000_000_000n;
  return n.toString().padStart(11, '0');
}

const rupiah = (n: number) => `${n}.00`;

export function createDokuGateway(cfg: DokuGatewayConfig): PaymentGateway {
  const baseUrl = cfg.baseUrl.replace(/\/$/, '');
  const partnerServiceId = dokuPartnerServiceId(cfg.vaPartnerServiceId);
  let token: { value: string; refreshAt: number } | undefined;
  let tokenInFlight: Promise<string> | undefined;
  let externalSeq = 0;

  // --- outbound -----------------------------------------------------------------------------------------
  async function fetchToken(): Promise<string> {
    if (!cfg.privateKey) throw new ProviderError(PROVIDER, 'no merchant private key configured (DOKU_PRIVATE_KEY)');
    const timestamp = jakartaIso(new Date());
    const res = await httpRequest(PROVIDER, {
      method: 'POST',
      url: baseUrl + PATHS.token,
      headers: { 'x-client-key': cfg.clientId, 'x-timestamp': timestamp, 'x-signature': signTokenRequest(cfg.privateKey, cfg.clientId, timestamp) },
      json: { grantType: 'client_credentials' },
      timeoutMs: cfg.timeoutMs,
      attempts: cfg.attempts,
    });
    const parsed = tokenResponse.safeParse(res.data);
    if (res.status >= 400 || !parsed.success) throw snapError(res, 'access token');
    const ttlS = Number(parsed.data.expiresIn ?? TOKEN_TTL_S) || TOKEN_TTL_S;
    token = { value: parsed.data.accessToken, refreshAt: Date.now() + ttlS * 1000 - TOKEN_REFRESH_MARGIN_MS };
    return token.value;
  }

  function accessToken(): Promise<string> {
    if (token && Date.now() < token.refreshAt) return Promise.resolve(token.value);
    // one token request at a time; concurrent callers share it
    tokenInFlight ??= fetchToken().finally(() => (tokenInFlight = undefined));
    return tokenInFlight;
  }

  /** Numeric, unique per day per client, as SNAP requires (time-based with a per-process counter and jitter). */
  function externalId(): string {
    externalSeq = (externalSeq + 1) % 1000;
    return `${Date.now()}${String(externalSeq).padStart(3, '0')}${randomInt(1000).toString().padStart(3, '0')}`;
  }

  function snapError(res: HttpResponse, what: string): ProviderError {
    const body = snapResponse.safeParse(res.data);
    const detail = body.success ? `${body.data.responseCode} ${body.data.responseMessage ?? ''}`.trim() : `HTTP ${res.status}`;
    const status = res.status >= 400 ? res.status : body.success ? Number(body.data.responseCode.slice(0, 3)) : res.status;
    return new ProviderError(PROVIDER, `${what}: ${detail}`, status, res.data, status >= 500 || status === 429);
  }

  async function snapCall(method: 'POST' | 'DELETE', path: string, body: unknown, retryOnBadToken = true): Promise<HttpResponse> {
    const tokenValue = await accessToken();
    const timestamp = jakartaIso(new Date());
    const json = JSON.stringify(body);
    const res = await httpRequest(PROVIDER, {
      method,
      url: baseUrl + path,
      headers: {
        authorization: `Bearer ${tokenValue}`,
        'x-partner-id': cfg.clientId,
        'x-external-id': externalId(),
        'x-timestamp': timestamp,
        'channel-id': 'H2H',
        'x-signature': symmetricSignature(cfg.secretKey, method, path, tokenValue, json, timestamp),
        'content-type': 'application/json',
      },
      body: json,
      timeoutMs: cfg.timeoutMs,
      attempts: cfg.attempts,
    });
    // A token DOKU no longer accepts (restart, revocation) is refreshed once.
    if (res.status === 401 && retryOnBadToken && String((res.data as any)?.responseCode ?? '').endsWith('01')) {
      token = undefined;
      return snapCall(method, path, body, false);
    }
    return res;
  }

  /** The ids pesan proposes for a new VA (DOKU may answer with its own). */
  const proposedVaIds = (reference: string) => {
    const customerNo = dokuCustomerNo(reference);
    return { partnerServiceId, customerNo, virtualAccountNo: partnerServiceId + customerNo };
  };

  /** The VA's ids as DOKU answered them at creation (stored in the charge's raw record), else as proposed. */
  const vaIdsOf = (ref: Pick<ChargeRef, 'reference' | 'raw'>) => {
    const proposed = proposedVaIds(ref.reference);
    const given = createVaResponse.safeParse(ref.raw).data?.virtualAccountData ?? (ref.raw as any)?.virtualAccountData;
    if (!given?.virtualAccountNo) return proposed;
    const pid = dokuPartnerServiceId(String(given.partnerServiceId ?? proposed.partnerServiceId));
    const customerNo = String(given.customerNo ?? String(given.virtualAccountNo).replace(/\s/g, '').slice(pid.trim().length));
    return { partnerServiceId: pid, customerNo, virtualAccountNo: pid + customerNo };
  };

  async function vaStatus(ref: Pick<ChargeRef, 'reference' | 'raw'>): Promise<ChargeStatusResult> {
    const res = await snapCall('POST', PATHS.vaStatus, vaIdsOf(ref));
    const parsed = vaStatusResponse.safeParse(res.data);
    if (res.status >= 400 || !parsed.success || !parsed.data.responseCode.startsWith('200')) throw snapError(res, 'VA status');
    const va = parsed.data.virtualAccountData;
    if (va.paymentFlagStatus === '00') {
      return { status: 'paid', amount: va.paidAmount ? parseRupiah(va.paidAmount.value) : undefined, currency: va.paidAmount?.currency, paidAt: va.trxDateTime ? new Date(va.trxDateTime) : undefined, raw: parsed.data };
    }
    // Unpaid VAs carry the reason in paymentFlagReason (exact wording unconfirmed); fall back to the clock.
    const reason = `${va.paymentFlagReason?.english ?? ''}`.toLowerCase();
    const lapsed = va.expiredDate ? new Date(va.expiredDate).getTime() <= Date.now() : false;
    const status: ChargeStatus = /cancel|delet/.test(reason) ? 'cancelled' : /expir/.test(reason) || lapsed ? 'expired' : 'pending';
    return { status, raw: parsed.data };
  }

  async function qrStatus(ref: ChargeRef): Promise<ChargeStatusResult> {
    const res = await snapCall('POST', PATHS.qrQuery, {
      originalPartnerReferenceNo: ref.reference,
      ...(ref.externalId && ref.externalId !== ref.reference ? { originalReferenceNo: ref.externalId } : {}),
      serviceCode: SERVICE.qrGenerate,
      merchantId: cfg.qrisMerchantId,
    });
    const parsed = qrQueryResponse.safeParse(res.data);
    if (res.status >= 400 || !parsed.success || !parsed.data.responseCode.startsWith('200')) throw snapError(res, 'QRIS query');
    const q = parsed.data;
    const map: Record<string, ChargeStatus> = { '00': 'paid', '04': 'paid', '05': 'cancelled', '01': 'pending', '02': 'pending', '03': 'pending' };
    const status = map[q.latestTransactionStatus] ?? (/expir/i.test(q.transactionStatusDesc ?? '') ? 'expired' : 'failed');
    return { status, amount: status === 'paid' && q.amount ? parseRupiah(q.amount.value) : undefined, currency: q.amount?.currency, paidAt: q.paidTime ? new Date(q.paidTime) : undefined, raw: q };
  }

  // --- inbound ------------------------------------------------------------------------------------------
  // Tokens we issue to DOKU are self-validating (expiry + nonce + HMAC under the secret key), so every
  // pesan instance behind a load balancer accepts a token any other instance issued; nothing is stored.
  function issueToken(): string {
    const body = `${Math.floor(Date.now() / 1000) + TOKEN_TTL_S}.${randomBytes(12).toString('hex')}`;
    return `${body}.${hmacHex('sha256', cfg.secretKey, 'doku-b2b-token:' + body)}`;
  }
  function tokenValid(value: string | undefined): boolean {
    const m = /^(\d+)\.([0-9a-f]+)\.([0-9a-f]{64})$/.exec(value ?? '');
    if (!m) return false;
    if (!safeEqual(m[3], hmacHex('sha256', cfg.secretKey, `doku-b2b-token:${m[1]}.${m[2]}`))) return false;
    return Number(m[1]) * 1000 > Date.now();
  }

  function verifySnapVaPayment(req: WebhookRequest): WebhookVerdict {
    const code = (http: number, c: string) => snapCode(http, SERVICE.vaPayment, c);
    const auth = header(req.headers, 'authorization') ?? '';
    const bearer = auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    if (!tokenValid(bearer)) return { ok: false, status: 401, reason: 'invalid B2B token', body: { responseCode: code(401, '01'), responseMessage: 'Invalid Token (B2B)' } };
    const timestamp = header(req.headers, 'x-timestamp') ?? '';
    const relative = req.path.startsWith('/webhooks/doku/') ? req.path.slice('/webhooks/doku'.length) : req.path;
    if (!verifyNotificationSignature(cfg.secretKey, 'POST', [req.path, relative], bearer!, req.rawBody, timestamp, header(req.headers, 'x-signature'))) {
      return { ok: false, status: 401, reason: 'X-SIGNATURE does not match', body: { responseCode: code(401, '00'), responseMessage: 'Unauthorized. Invalid Signature' } };
    }
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return { ok: false, status: 400, reason: 'body is not JSON', body: { responseCode: code(400, '01'), responseMessage: 'Invalid Field Format' } };
    }
    const parsed = vaPaymentNotification.safeParse(json);
    if (!parsed.success) return { ok: false, status: 400, reason: 'not a SNAP VA payment', body: { responseCode: code(400, '02'), responseMessage: 'Invalid Mandatory Field' } };
    const n = parsed.data;
    const event: PaymentEvent = {
      eventKey: `va:${n.trxId}:${n.paymentRequestId}`,
      reference: n.trxId,
      externalId: n.virtualAccountNo.trim(),
      status: 'paid',
      amount: parseRupiah(n.paidAmount.value),
      currency: n.paidAmount.currency,
      paidAt: n.trxDateTime ? new Date(n.trxDateTime) : undefined,
    };
    const virtualAccountData = { partnerServiceId: n.partnerServiceId, customerNo: n.customerNo, virtualAccountNo: n.virtualAccountNo, virtualAccountName: n.virtualAccountName, paymentRequestId: n.paymentRequestId, paidAmount: n.paidAmount, trxId: n.trxId };
    return { ok: true, events: [event], reply: { status: 200, body: { responseCode: code(200, '00'), responseMessage: 'success', virtualAccountData } } };
  }

  function verifyNonSnap(req: WebhookRequest): WebhookVerdict {
    const clientId = header(req.headers, 'client-id');
    const requestId = header(req.headers, 'request-id');
    const requestTimestamp = header(req.headers, 'request-timestamp');
    if (!clientId || !requestId || !requestTimestamp || !safeEqual(clientId, cfg.clientId)) return { ok: false, status: 401, reason: 'unknown or missing Client-Id' };
    const expected = nonSnapSignature(cfg.secretKey, { clientId, requestId, requestTimestamp, requestTarget: req.path, body: req.rawBody });
    if (!safeEqual(header(req.headers, 'signature'), expected)) return { ok: false, status: 401, reason: 'Signature does not match' };
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return { ok: false, status: 400, reason: 'body is not JSON' };
    }
    const parsed = nonSnapNotification.safeParse(json);
    if (!parsed.success) return { ok: true, events: [] }; // authentic but not a payment we know: acknowledge
    const n = parsed.data;
    const statusMap: Record<string, ChargeStatus> = { SUCCESS: 'paid', FAILED: 'failed', EXPIRED: 'expired' };
    const event: PaymentEvent = {
      eventKey: `notify:${n.order.invoice_number}:${n.transaction.status}:${n.transaction.original_request_id ?? ''}`,
      reference: n.order.invoice_number,
      externalId: n.transaction.original_request_id,
      status: statusMap[n.transaction.status] ?? 'unknown',
      amount: parseRupiah(n.order.amount),
      currency: 'IDR',
      paidAt: n.transaction.status === 'SUCCESS' && n.transaction.date ? new Date(n.transaction.date) : undefined,
    };
    return { ok: true, events: [event] };
  }

  /**
   * DOKU's documented QRIS notification with upper-case parameters. Its WORDS formula is not public,
   * so WORDS is required but its content is not trusted: the event only names the charge, with status
   * 'unknown', and the domain reads the real status from DOKU's QRIS query (pull on notify). A forged
   * notification can therefore change nothing.
   */
  function verifyQrisParams(req: WebhookRequest): WebhookVerdict | undefined {
    const parsed = qrisNotifyParams.safeParse(req.params ?? {});
    if (!parsed.success) return undefined;
    const n = parsed.data;
    if (!/^[0-9a-f]{40}$/i.test(n.WORDS)) return { ok: false, status: 401, reason: 'WORDS is not a SHA-1 hex digest' };
    let amount: number | undefined;
    try {
      amount = parseRupiah(n.AMOUNT);
    } catch {
      return { ok: false, status: 400, reason: `bad AMOUNT ${n.AMOUNT}` };
    }
    return {
      ok: true,
      events: [{ eventKey: `qris-notify:${n.TRANSACTIONID}:${n.TXNSTATUS}:${n.REFERENCEID ?? ''}`, reference: n.TRANSACTIONID, status: 'unknown', amount, currency: 'IDR' }],
      reply: { status: 200, body: 'CONTINUE' },
    };
  }

  const getStatus = (ref: ChargeRef): Promise<ChargeStatusResult> => (ref.method === 'qris' ? qrStatus(ref) : vaStatus(ref));

  return {
    id: 'doku',

    supports(method: PaymentMethod, bank?: Bank): boolean {
      return method === 'qris' || (method === 'va' && bank !== undefined && bank in DOKU_VA_CHANNELS);
    },

    async createCharge(input: CreateChargeInput): Promise<Charge> {
      const validity = jakartaIso(input.expiresAt);
      const expiresAt = new Date(validity); // SNAP times have whole seconds
      if (input.method === 'qris') {
        const res = await snapCall('POST', PATHS.qrGenerate, {
          partnerReferenceNo: input.reference,
          amount: { value: rupiah(input.amount), currency: 'IDR' },
          merchantId: cfg.qrisMerchantId,
          terminalId: cfg.terminalId || 'A01',
          validityPeriod: validity,
          additionalInfo: { ...(cfg.postalCode ? { postalCode: cfg.postalCode } : {}), feeType: '1' },
        });
        const parsed = qrGenerateResponse.safeParse(res.data);
        if (res.status >= 400 || !parsed.success || !parsed.data.responseCode.startsWith('200')) throw snapError(res, 'QRIS generate');
        // Without DOKU's referenceNo the charge is known by our partnerReferenceNo alone.
        return { reference: input.reference, externalId: parsed.data.referenceNo ?? input.reference, status: 'pending', amount: input.amount, expiresAt, qrString: parsed.data.qrContent, raw: parsed.data };
      }
      if (!input.bank) throw new ProviderError(PROVIDER, 'a bank is required for a virtual account');
      const ids = proposedVaIds(input.reference);
      const body: CreateVaRequest = {
        ...ids,
        virtualAccountName: input.customer.name.replace(/[^A-Za-z0-9 .'-]/g, '').trim().slice(0, 255) || 'Pelanggan',
        ...(cfg.vaEmail ? { virtualAccountEmail: cfg.vaEmail } : ({} as { virtualAccountEmail: string })),
        virtualAccountPhone: input.customer.phone,
        trxId: input.reference,
        totalAmount: { value: rupiah(input.amount), currency: 'IDR' },
        additionalInfo: { channel: DOKU_VA_CHANNELS[input.bank], virtualAccountConfig: { reusableStatus: false } },
        virtualAccountTrxType: 'C',
        expiredDate: validity,
      };
      const res = await snapCall('POST', PATHS.vaCreate, body);
      const parsed = createVaResponse.safeParse(res.data);
      // The number the customer pays is the one DOKU answered with (some accounts have DOKU generate it).
      const charge = (raw: unknown): Charge => {
        const given = vaIdsOf({ reference: input.reference, raw });
        return {
          reference: input.reference,
          externalId: given.virtualAccountNo.trim(),
          status: 'pending',
          amount: input.amount,
          expiresAt,
          vaNumber: given.virtualAccountNo.replace(/\s/g, ''),
          bank: input.bank,
          raw,
        };
      };
      if (parsed.success && parsed.data.responseCode.startsWith('200')) return charge(parsed.data);
      if (snapResponse.safeParse(res.data).data?.responseCode === snapCode(409, SERVICE.vaCreate, '00')) {
        // The VA for this reference exists: our earlier attempt. Same reference ⇒ same VA number, so the
        // retry is answered with it, after checking DOKU holds it for the same amount.
        const existing = await vaStatus({ reference: input.reference });
        const total = (existing.raw as any)?.virtualAccountData?.totalAmount?.value;
        if (total !== undefined && parseRupiah(total) !== input.amount) throw new ProviderError(PROVIDER, `reference ${input.reference} already used for another amount`, 409, existing.raw, false);
        return { ...charge(existing.raw), status: existing.status };
      }
      throw snapError(res, 'create VA');
    },

    getStatus,

    // QRIS MPM has a refund API; virtual accounts do not.
    refundable: (method: PaymentMethod) => method === 'qris',

    async refund(ref: ChargeRef, input: RefundInput): Promise<RefundResult> {
      const res = await snapCall('POST', PATHS.qrRefund, {
        originalPartnerReferenceNo: ref.reference,
        ...(ref.externalId && ref.externalId !== ref.reference ? { originalReferenceNo: ref.externalId } : {}),
        partnerRefundNo: input.refundKey,
        refundAmount: { value: rupiah(input.amount), currency: 'IDR' },
        reason: input.reason.slice(0, 256),
        merchantId: cfg.qrisMerchantId,
      });
      const parsed = qrRefundResponse.safeParse(res.data);
      if (res.status >= 400 || !parsed.success || !parsed.data.responseCode.startsWith('200')) throw snapError(res, 'QRIS refund');
      return { refundId: parsed.data.refundNo ?? input.refundKey, raw: parsed.data };
    },

    async check(): Promise<void> {
      // A fresh B2B token proves the client id and the merchant's private key.
      token = undefined;
      await accessToken();
    },

    async cancel(ref: ChargeRef): Promise<void> {
      const res =
        ref.method === 'qris'
          ? await snapCall('POST', PATHS.qrCancel, { originalPartnerReferenceNo: ref.reference, ...(ref.externalId ? { originalReferenceNo: ref.externalId } : {}), merchantId: cfg.qrisMerchantId, reason: 'order cancelled' })
          : await snapCall('DELETE', PATHS.vaDelete, { ...vaIdsOf(ref), trxId: ref.reference, additionalInfo: { channel: ref.bank ? DOKU_VA_CHANNELS[ref.bank] : (ref.raw as any)?.virtualAccountData?.additionalInfo?.channel } });
      const ok = snapResponse.safeParse(res.data);
      if (res.status < 400 && ok.success && ok.data.responseCode.startsWith('200')) return;
      const current = await getStatus(ref).catch(() => undefined);
      if (current && (current.status === 'expired' || current.status === 'cancelled')) return;
      throw snapError(res, 'cancel');
    },

    verifyWebhook(req: WebhookRequest): WebhookVerdict {
      try {
        if (header(req.headers, 'x-signature') !== undefined) return verifySnapVaPayment(req);
        if (header(req.headers, 'signature') !== undefined) return verifyNonSnap(req);
        return verifyQrisParams(req) ?? { ok: false, status: 401, reason: 'no DOKU signature header or WORDS' };
      } catch (err) {
        return { ok: false, status: 400, reason: (err as Error).message };
      }
    },

    extraWebhookRoutes(app: FastifyInstance): void {
      // DOKU obtains a B2B token from us before each SNAP notification, signing with its own RSA key.
      app.post(`/webhooks/doku${NOTIFY_PATHS.token}`, async (req, reply) => {
        const code = (http: number, c: string) => snapCode(http, SERVICE.token, c);
        const clientKey = header(req.headers, 'x-client-key');
        const timestamp = header(req.headers, 'x-timestamp') ?? '';
        const signature = header(req.headers, 'x-signature') ?? '';
        if (!cfg.dokuPublicKey) return reply.code(401).send({ responseCode: code(401, '00'), responseMessage: "Unauthorized. DOKU's public key is not configured" });
        if (!safeEqual(clientKey, cfg.clientId)) return reply.code(401).send({ responseCode: code(401, '00'), responseMessage: 'Unauthorized. Unknown client' });
        const at = new Date(timestamp).getTime();
        if (!Number.isFinite(at) || Math.abs(Date.now() - at) > TOKEN_REQUEST_MAX_SKEW_MS) return reply.code(400).send({ responseCode: code(400, '01'), responseMessage: 'Invalid field format [X-TIMESTAMP]' });
        if (!verifyTokenRequest(cfg.dokuPublicKey, clientKey!, timestamp, signature)) return reply.code(401).send({ responseCode: code(401, '00'), responseMessage: 'Unauthorized. Invalid Signature' });
        return reply.send({ responseCode: code(200, '00'), responseMessage: 'Successful', accessToken: issueToken(), tokenType: 'Bearer', expiresIn: String(TOKEN_TTL_S) });
      });
    },
  };
}
