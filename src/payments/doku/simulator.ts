// A DOKU SNAP simulator: B2B token with the merchant's RSA signature, HMAC-SHA512 on every call, unique
// X-EXTERNAL-ID per day, SNAP response codes, QRIS MPM and transfer-va. Payments notify pesan the way DOKU
// does: for VAs it first obtains a token from pesan (signed with DOKU's RSA key), then sends the SNAP
// payment notification; for QRIS it sends the non-SNAP HMAC-SHA256 notification.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../../shared/crypto.js';
import { jakartaIso } from '../../shared/time.js';
import { buildQrisPayload, deliver, installModeSwitch, registerControlRoutes, type PayOutcome, type SentNotification, type SimMode } from '../midtrans/sim-support.js';
import { minifyJson, nonSnapSignature, signTokenRequest, symmetricSignature, verifyTokenRequest } from './signature.js';
import { qrRefundRequest, createVaRequest, deleteVaRequest, DOKU_VA_CHANNELS, NOTIFY_PATHS, PATHS, qrCancelRequest, qrGenerateRequest, qrQueryRequest, SERVICE, snapCode, tokenResponse, vaStatusRequest } from './wire.js';

export interface DokuSimulatorOptions {
  /** pesan's DOKU webhook base, e.g. http://host/webhooks/doku; the token, VA and QRIS paths are appended */
  notificationUrl: string;
  clientId: string;
  secretKey: string;
  /** verifies pesan's token requests */
  merchantPublicKey: string;
  /** signs DOKU's token requests to pesan */
  dokuPrivateKey: string;
  qrisMerchantId?: string;
  vaPartnerServiceId?: string;
  /** How this account answers at start (see `_sim/account`). */
  account?: { vaNumberBy?: 'merchant' | 'doku'; minimal?: boolean; qrisNotify?: 'json' | 'params' };
}

type Outcome = 'pending' | 'paid' | 'expired' | 'cancelled';

interface SimQr {
  kind: 'qris';
  partnerReferenceNo: string;
  referenceNo: string;
  amount: string;
  merchantId: string;
  terminalId: string;
  qrContent: string;
  validUntil: Date;
  status: Outcome;
  paidAt?: Date;
  lastNotification?: SentNotification;
}

interface SimVa {
  kind: 'va';
  trxId: string;
  partnerServiceId: string;
  customerNo: string;
  virtualAccountNo: string;
  virtualAccountName: string;
  channel: string;
  totalAmount: string;
  expiredDate: Date;
  status: Outcome;
  paymentRequestId?: string;
  paidAt?: Date;
  lastNotification?: SentNotification;
}

const TOKEN_TTL_S = 900;
const QR_DEFAULT_VALIDITY_MS = 30 * 60_000;
const CHANNELS = new Set(Object.values(DOKU_VA_CHANNELS));

export const dokuSimulator: FastifyPluginAsync<DokuSimulatorOptions> = async (app, opts) => {
  const tokens = new Map<string, number>(); // token → expiry (ms)
  const externalIds = new Set<string>(); // `${day}:${X-EXTERNAL-ID}`
  const qrs = new Map<string, SimQr>();
  const vas = new Map<string, SimVa>(); // by trxId
  const state = { mode: 'normal' as SimMode };
  const base = app.prefix;
  // How this DOKU account answers (accounts differ): who makes VA numbers, whether optional response
  // fields are sent, and which QRIS notification form is used.
  const form = { vaNumberBy: 'merchant' as 'merchant' | 'doku', minimal: false, qrisNotify: 'json' as 'json' | 'params', ...(opts.account ?? {}) };
  let dokuVaSeq = 0;
  app.post('/_sim/account', async (req, reply) => {
    const b = (req.body ?? {}) as { va_number_by?: string; minimal?: boolean; qris_notify?: string };
    if (b.va_number_by !== undefined) {
      if (b.va_number_by !== 'merchant' && b.va_number_by !== 'doku') return reply.code(400).send({ error: 'va_number_by must be merchant or doku' });
      form.vaNumberBy = b.va_number_by;
    }
    if (b.minimal !== undefined) form.minimal = Boolean(b.minimal);
    if (b.qris_notify !== undefined) {
      if (b.qris_notify !== 'json' && b.qris_notify !== 'params') return reply.code(400).send({ error: 'qris_notify must be json or params' });
      form.qrisNotify = b.qris_notify;
    }
    return form;
  });

  // SNAP signs the minified body, i.e. JSON.stringify(JSON.parse(raw)), so the parsed body is enough and
  // the simulator works under whatever JSON parser the host app installed (object, Buffer or string).
  const jsonBody = (req: FastifyRequest): unknown => {
    const b = req.body;
    if (Buffer.isBuffer(b) || typeof b === 'string') {
      try {
        return b.length ? JSON.parse(b.toString()) : undefined;
      } catch {
        return undefined;
      }
    }
    return b;
  };
  const signedBody = (req: FastifyRequest) => {
    const json = jsonBody(req);
    return json === undefined ? '' : JSON.stringify(json);
  };
  installModeSwitch(app, state, () => ({ responseCode: '5030000', responseMessage: 'Service Unavailable (simulated outage)' }));

  const send = (reply: FastifyReply, http: number, service: string, caseCode: string, message: string, extra: object = {}) =>
    reply.code(http).send({ responseCode: snapCode(http, service, caseCode), responseMessage: message, ...extra });
  const relativePath = (req: FastifyRequest) => req.url.split('?')[0].slice(base.length);

  // --- B2B token ----------------------------------------------------------------------------------------
  app.post(PATHS.token, async (req, reply) => {
    const clientKey = req.headers['x-client-key'];
    const timestamp = req.headers['x-timestamp'];
    const signature = req.headers['x-signature'];
    if (typeof clientKey !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') return send(reply, 400, SERVICE.token, '02', 'Invalid Mandatory Field');
    if (!safeEqual(clientKey, opts.clientId)) return send(reply, 401, SERVICE.token, '00', 'Unauthorized. Unknown Client');
    if (!verifyTokenRequest(opts.merchantPublicKey, clientKey, timestamp, signature)) return send(reply, 401, SERVICE.token, '00', 'Unauthorized. Invalid Signature');
    const accessToken = randomBytes(24).toString('base64url');
    tokens.set(accessToken, Date.now() + TOKEN_TTL_S * 1000);
    return send(reply, 200, SERVICE.token, '00', 'Successful', { accessToken, tokenType: 'Bearer', expiresIn: String(TOKEN_TTL_S) });
  });

  /** SNAP checks on every service call; returns true when the request may proceed. */
  function snapAuthorised(req: FastifyRequest, reply: FastifyReply, service: string): boolean {
    const h = req.headers;
    const auth = typeof h.authorization === 'string' && h.authorization.startsWith('Bearer ') ? h.authorization.slice(7) : '';
    const expiry = tokens.get(auth);
    if (!expiry || expiry <= Date.now()) {
      void send(reply, 401, service, '01', 'Invalid Token (B2B)');
      return false;
    }
    const timestamp = String(h['x-timestamp'] ?? '');
    const externalId = String(h['x-external-id'] ?? '');
    if (!timestamp || !/^\d{1,36}$/.test(externalId) || h['channel-id'] === undefined || !safeEqual(String(h['x-partner-id'] ?? ''), opts.clientId)) {
      void send(reply, 400, service, '02', 'Invalid Mandatory Field [X-TIMESTAMP/X-EXTERNAL-ID/X-PARTNER-ID/CHANNEL-ID]');
      return false;
    }
    const expected = symmetricSignature(opts.secretKey, req.method, relativePath(req), auth, signedBody(req), timestamp);
    if (!safeEqual(String(h['x-signature'] ?? ''), expected)) {
      void send(reply, 401, service, '00', 'Unauthorized. Invalid Signature');
      return false;
    }
    const key = `${jakartaIso(new Date()).slice(0, 10)}:${externalId}`;
    if (externalIds.has(key)) {
      void send(reply, 409, service, '01', 'Conflict. Duplicate X-EXTERNAL-ID');
      return false;
    }
    externalIds.add(key);
    return true;
  }

  function fresh<T extends SimQr | SimVa>(c: T | undefined): T | undefined {
    if (c && c.status === 'pending' && (c.kind === 'qris' ? c.validUntil : c.expiredDate).getTime() <= Date.now()) c.status = 'expired';
    return c;
  }

  // --- QRIS MPM -----------------------------------------------------------------------------------------
  app.post(PATHS.qrGenerate, async (req, reply) => {
    if (!snapAuthorised(req, reply, SERVICE.qrGenerate)) return reply;
    const parsed = qrGenerateRequest.safeParse(jsonBody(req));
    if (!parsed.success) return send(reply, 400, SERVICE.qrGenerate, '01', `Invalid Field Format ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const b = parsed.data;
    if (opts.qrisMerchantId && b.merchantId !== opts.qrisMerchantId) return send(reply, 404, SERVICE.qrGenerate, '08', 'Invalid Merchant');
    if (qrs.has(b.partnerReferenceNo)) return send(reply, 409, SERVICE.qrGenerate, '00', 'Conflict');
    const validUntil = b.validityPeriod ? new Date(b.validityPeriod) : new Date(Date.now() + QR_DEFAULT_VALIDITY_MS);
    const referenceNo = String(Date.now()).slice(-10) + String(qrs.size % 100).padStart(2, '0');
    const qr: SimQr = {
      kind: 'qris',
      partnerReferenceNo: b.partnerReferenceNo,
      referenceNo,
      amount: b.amount.value,
      merchantId: b.merchantId,
      terminalId: b.terminalId,
      qrContent: buildQrisPayload({ acquirerDomain: 'ID.CO.DOKU.WWW', merchantPan: '936008990000000003', nmid: `ID${b.merchantId}`.slice(0, 15), merchantName: 'PESAN SANDBOX', city: 'JAKARTA', amount: Number(b.amount.value), reference: b.partnerReferenceNo, terminal: b.terminalId }),
      validUntil,
      status: 'pending',
    };
    qrs.set(qr.partnerReferenceNo, qr);
    if (form.minimal) return send(reply, 200, SERVICE.qrGenerate, '00', 'Successful', { qrContent: qr.qrContent });
    return send(reply, 200, SERVICE.qrGenerate, '00', 'Successful', { partnerReferenceNo: qr.partnerReferenceNo, referenceNo, qrContent: qr.qrContent, merchantName: 'PESAN SANDBOX', terminalId: qr.terminalId, additionalInfo: { validityPeriod: jakartaIso(validUntil) } });
  });

  const QR_STATUS: Record<Outcome, [string, string]> = { paid: ['00', 'Success'], pending: ['03', 'Pending'], cancelled: ['05', 'Cancelled'], expired: ['06', 'Expired'] };

  app.post(PATHS.qrQuery, async (req, reply) => {
    if (!snapAuthorised(req, reply, SERVICE.qrQuery)) return reply;
    const parsed = qrQueryRequest.safeParse(jsonBody(req));
    if (!parsed.success) return send(reply, 400, SERVICE.qrQuery, '01', 'Invalid Field Format');
    const b = parsed.data;
    const qr = fresh(b.originalPartnerReferenceNo ? qrs.get(b.originalPartnerReferenceNo) : [...qrs.values()].find((q) => q.referenceNo === b.originalReferenceNo));
    if (!qr) return send(reply, 404, SERVICE.qrQuery, '01', 'Transaction Not Found');
    const [code, desc] = QR_STATUS[qr.status];
    return send(reply, 200, SERVICE.qrQuery, '00', 'Successful', {
      originalReferenceNo: qr.referenceNo,
      originalPartnerReferenceNo: qr.partnerReferenceNo,
      serviceCode: SERVICE.qrGenerate,
      latestTransactionStatus: code,
      transactionStatusDesc: desc,
      ...(qr.paidAt ? { paidTime: jakartaIso(qr.paidAt) } : {}),
      amount: { value: qr.amount, currency: 'IDR' },
      terminalId: qr.terminalId,
    });
  });

  app.post(PATHS.qrCancel, async (req, reply) => {
    if (!snapAuthorised(req, reply, SERVICE.qrCancel)) return reply;
    const parsed = qrCancelRequest.safeParse(jsonBody(req));
    if (!parsed.success) return send(reply, 400, SERVICE.qrCancel, '01', 'Invalid Field Format');
    const qr = fresh(qrs.get(parsed.data.originalPartnerReferenceNo));
    if (!qr) return send(reply, 404, SERVICE.qrCancel, '01', 'Transaction Not Found');
    if (qr.status !== 'pending') return send(reply, 403, SERVICE.qrCancel, '15', `Transaction Not Permitted. Transaction is ${qr.status}`);
    qr.status = 'cancelled';
    return send(reply, 200, SERVICE.qrCancel, '00', 'Successful', { originalReferenceNo: qr.referenceNo, originalPartnerReferenceNo: qr.partnerReferenceNo, cancelTime: jakartaIso(new Date()) });
  });

  // Refund of a paid QR; partnerRefundNo identifies the refund (a repeat answers the same refund).
  const qrRefunds = new Map<string, Record<string, unknown>>();
  const qrRefunded = new Map<string, number>();
  app.post(PATHS.qrRefund, async (req, reply) => {
    if (!snapAuthorised(req, reply, SERVICE.qrRefund)) return reply;
    const parsed = qrRefundRequest.safeParse(jsonBody(req));
    if (!parsed.success) return send(reply, 400, SERVICE.qrRefund, '01', `Invalid Field Format ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const b = parsed.data;
    const again = qrRefunds.get(b.partnerRefundNo);
    if (again) return send(reply, 200, SERVICE.qrRefund, '00', 'Successful', again);
    const qr = fresh(qrs.get(b.originalPartnerReferenceNo));
    if (!qr) return send(reply, 404, SERVICE.qrRefund, '01', 'Transaction Not Found');
    if (qr.status !== 'paid') return send(reply, 403, SERVICE.qrRefund, '15', `Transaction Not Permitted. Transaction is ${qr.status}`);
    const left = Number(qr.amount) - (qrRefunded.get(qr.partnerReferenceNo) ?? 0);
    const amount = Number(b.refundAmount.value);
    if (amount <= 0 || amount > left) return send(reply, 403, SERVICE.qrRefund, '14', `Insufficient refundable amount (${left.toFixed(2)} left)`);
    qrRefunded.set(qr.partnerReferenceNo, Number(qr.amount) - left + amount);
    const answer = { originalPartnerReferenceNo: qr.partnerReferenceNo, originalReferenceNo: qr.referenceNo, refundNo: `RF${Date.now()}${qrRefunds.size}`, partnerRefundNo: b.partnerRefundNo, refundAmount: b.refundAmount, refundTime: jakartaIso(new Date()) };
    qrRefunds.set(b.partnerRefundNo, answer);
    return send(reply, 200, SERVICE.qrRefund, '00', 'Successful', answer);
  });

  // --- transfer-va --------------------------------------------------------------------------------------
  app.post(PATHS.vaCreate, async (req, reply) => {
    if (!snapAuthorised(req, reply, SERVICE.vaCreate)) return reply;
    const parsed = createVaRequest.safeParse(jsonBody(req));
    if (!parsed.success) return send(reply, 400, SERVICE.vaCreate, '01', `Invalid Field Format ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const b = parsed.data;
    if (b.virtualAccountNo !== b.partnerServiceId + b.customerNo) return send(reply, 400, SERVICE.vaCreate, '01', 'Invalid Field Format virtualAccountNo');
    if (opts.vaPartnerServiceId && b.partnerServiceId.trim() !== opts.vaPartnerServiceId.trim()) return send(reply, 400, SERVICE.vaCreate, '01', 'Invalid Field Format partnerServiceId');
    if (!CHANNELS.has(b.additionalInfo.channel)) return send(reply, 400, SERVICE.vaCreate, '01', 'Invalid Field Format additionalInfo.channel');
    const expiredDate = new Date(b.expiredDate);
    if (expiredDate.getTime() <= Date.now()) return send(reply, 400, SERVICE.vaCreate, '01', 'Invalid Field Format expiredDate');
    // An account where DOKU makes the numbers ignores the customerNo pesan proposed.
    const customerNo = form.vaNumberBy === 'doku' ? String(7_700_000_000 + ++dokuVaSeq).padStart(11, '0') : b.customerNo;
    const virtualAccountNo = b.partnerServiceId + customerNo;
    const clash = vas.get(b.trxId) ?? [...vas.values()].find((v) => v.virtualAccountNo === virtualAccountNo && v.status === 'pending');
    if (clash) return send(reply, 409, SERVICE.vaCreate, '00', 'Conflict');
    const va: SimVa = {
      kind: 'va',
      trxId: b.trxId,
      partnerServiceId: b.partnerServiceId,
      customerNo,
      virtualAccountNo,
      virtualAccountName: b.virtualAccountName,
      channel: b.additionalInfo.channel,
      totalAmount: b.totalAmount.value,
      expiredDate,
      status: 'pending',
    };
    vas.set(va.trxId, va);
    if (form.minimal) {
      // No optional fields, and partnerServiceId without its padding.
      return send(reply, 200, SERVICE.vaCreate, '00', 'Successful', { virtualAccountData: { partnerServiceId: b.partnerServiceId.trim(), customerNo, virtualAccountNo: b.partnerServiceId.trim() + customerNo, trxId: b.trxId } });
    }
    return send(reply, 200, SERVICE.vaCreate, '00', 'Successful', { virtualAccountData: { ...b, customerNo, virtualAccountNo, expiredDate: jakartaIso(expiredDate) } });
  });

  const digits = (no: string) => no.replace(/\s/g, '');
  const vaByNumber = (no: string) => [...vas.values()].filter((v) => digits(v.virtualAccountNo) === digits(no)).at(-1);
  const VA_FLAG: Record<Outcome, [string, string, string]> = {
    paid: ['00', 'Success', 'Sukses'],
    pending: ['02', 'Pending', 'Menunggu pembayaran'],
    expired: ['01', 'Expired', 'Kedaluwarsa'],
    cancelled: ['01', 'Cancelled (deleted)', 'Dibatalkan'],
  };

  app.post(PATHS.vaStatus, async (req, reply) => {
    if (!snapAuthorised(req, reply, SERVICE.vaStatus)) return reply;
    const parsed = vaStatusRequest.safeParse(jsonBody(req));
    if (!parsed.success) return send(reply, 400, SERVICE.vaStatus, '01', 'Invalid Field Format');
    const va = fresh(vaByNumber(parsed.data.virtualAccountNo));
    if (!va) return send(reply, 404, SERVICE.vaStatus, '12', 'Invalid Bill/Virtual Account [Not Found]');
    const [flag, english, indonesia] = VA_FLAG[va.status];
    return send(reply, 200, SERVICE.vaStatus, '00', 'Successful', {
      virtualAccountData: {
        partnerServiceId: va.partnerServiceId,
        customerNo: va.customerNo,
        virtualAccountNo: va.virtualAccountNo,
        trxId: va.trxId,
        ...(va.paymentRequestId ? { paymentRequestId: va.paymentRequestId, paidAmount: { value: va.totalAmount, currency: 'IDR' } } : {}),
        totalAmount: { value: va.totalAmount, currency: 'IDR' },
        paymentFlagStatus: flag,
        paymentFlagReason: { english, indonesia },
        expiredDate: jakartaIso(va.expiredDate),
        ...(va.paidAt ? { trxDateTime: jakartaIso(va.paidAt) } : {}),
      },
      additionalInfo: { channel: va.channel },
    });
  });

  app.delete(PATHS.vaDelete, async (req, reply) => {
    if (!snapAuthorised(req, reply, SERVICE.vaDelete)) return reply;
    const parsed = deleteVaRequest.safeParse(jsonBody(req));
    if (!parsed.success) return send(reply, 400, SERVICE.vaDelete, '01', 'Invalid Field Format');
    const va = fresh(vas.get(parsed.data.trxId));
    if (!va || digits(va.virtualAccountNo) !== digits(parsed.data.virtualAccountNo)) return send(reply, 404, SERVICE.vaDelete, '12', 'Invalid Bill/Virtual Account [Not Found]');
    if (parsed.data.additionalInfo.channel !== va.channel) return send(reply, 400, SERVICE.vaDelete, '01', 'Invalid Field Format additionalInfo.channel');
    if (va.status === 'paid') return send(reply, 404, SERVICE.vaDelete, '14', 'Paid Bill');
    if (va.status !== 'pending') return send(reply, 404, SERVICE.vaDelete, '19', `Invalid Bill/Virtual Account [${va.status}]`);
    va.status = 'cancelled';
    return send(reply, 200, SERVICE.vaDelete, '00', 'Successful', { virtualAccountData: { partnerServiceId: va.partnerServiceId, customerNo: va.customerNo, virtualAccountNo: va.virtualAccountNo, trxId: va.trxId } });
  });

  // --- notifications to pesan ---------------------------------------------------------------------------
  const notifyBase = opts.notificationUrl.replace(/\/$/, '');

  /** DOKU asks the merchant for a B2B token first, proving itself with its RSA key. */
  async function tokenFromPesan(): Promise<{ token?: string; status: number; error?: string }> {
    const timestamp = jakartaIso(new Date());
    const r = await deliver({
      url: notifyBase + NOTIFY_PATHS.token,
      headers: { 'content-type': 'application/json', 'x-client-key': opts.clientId, 'x-timestamp': timestamp, 'x-signature': signTokenRequest(opts.dokuPrivateKey, opts.clientId, timestamp) },
      body: JSON.stringify({ grantType: 'client_credentials' }),
    });
    if (r.status !== 200) return { status: r.status, error: r.error ?? `token endpoint answered ${r.status}: ${r.body?.slice(0, 200)}` };
    let json: unknown;
    try {
      json = JSON.parse(r.body ?? '');
    } catch {
      /* handled below */
    }
    const parsed = tokenResponse.safeParse(json);
    return parsed.success ? { token: parsed.data.accessToken, status: 200 } : { status: r.status, error: 'token endpoint returned no accessToken' };
  }

  async function payVa(va: SimVa): Promise<PayOutcome> {
    va.status = 'paid';
    va.paidAt = new Date();
    va.paymentRequestId = randomUUID().replace(/-/g, '').slice(0, 24);
    const t = await tokenFromPesan();
    if (!t.token) return { delivered: { status: t.status, error: t.error } };
    const url = notifyBase + NOTIFY_PATHS.vaPayment;
    const body = minifyJson(
      JSON.stringify({
        partnerServiceId: va.partnerServiceId,
        customerNo: va.customerNo,
        virtualAccountNo: va.virtualAccountNo,
        virtualAccountName: va.virtualAccountName,
        trxId: va.trxId,
        paymentRequestId: va.paymentRequestId,
        paidAmount: { value: va.totalAmount, currency: 'IDR' },
        trxDateTime: jakartaIso(va.paidAt),
        additionalInfo: { channel: va.channel },
      }),
    );
    const timestamp = jakartaIso(new Date());
    va.lastNotification = {
      url,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${t.token}`,
        'x-timestamp': timestamp,
        'x-signature': symmetricSignature(opts.secretKey, 'POST', new URL(url).pathname, t.token, body, timestamp),
        'x-partner-id': opts.clientId,
        'x-external-id': `${Date.now()}${Math.floor(Math.random() * 1000)}`,
        'channel-id': 'H2H',
      },
      body,
    };
    return { notification: va.lastNotification };
  }

  function payQr(qr: SimQr): PayOutcome {
    qr.status = 'paid';
    qr.paidAt = new Date();
    const url = notifyBase + NOTIFY_PATHS.qrisNotify;
    if (form.qrisNotify === 'params') {
      // The upper-case form of DOKU's "Notify QRIS" page, as form fields. WORDS here is the sandbox's own
      // digest (DOKU's formula is not public).
      const p: Record<string, string> = {
        ACQUIRER: 'DOKU',
        CUSTOMERPAN: '9360050110001187249',
        INVOICE: qr.referenceNo,
        TRANSACTIONID: qr.partnerReferenceNo,
        CONVENIENCEFEE: 'C00000000',
        TERMINALID: qr.terminalId,
        ORIGIN: 'INBOUND',
        AMOUNT: qr.amount,
        TXNDATE: jakartaIso(qr.paidAt).replace(/[-:T]/g, '').slice(0, 14),
        MERCHANTPAN: '936008990000000003',
        REFERENCEID: qr.referenceNo,
        CUSTOMERNAME: 'PELANGGAN SANDBOX',
        TXNSTATUS: 'S',
        ISSUERNAME: 'QRIS SANDBOX',
      };
      p.WORDS = createHash('sha1').update(p.AMOUNT + opts.clientId + p.TRANSACTIONID + p.TXNSTATUS + opts.secretKey).digest('hex');
      qr.lastNotification = { url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(p).toString() };
      return { notification: qr.lastNotification };
    }
    const requestId = randomUUID();
    const requestTimestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const body = JSON.stringify({
      service: { id: 'QRIS' },
      acquirer: { id: 'DOKU' },
      channel: { id: 'QRIS' },
      order: { invoice_number: qr.partnerReferenceNo, amount: Number(qr.amount) },
      transaction: { status: 'SUCCESS', date: requestTimestamp, original_request_id: qr.referenceNo },
      qris_info: { merchant_id: qr.merchantId, terminal_id: qr.terminalId, reference_no: qr.referenceNo, issuer: 'DANA' },
    });
    qr.lastNotification = {
      url,
      headers: {
        'content-type': 'application/json',
        'client-id': opts.clientId,
        'request-id': requestId,
        'request-timestamp': requestTimestamp,
        signature: nonSnapSignature(opts.secretKey, { clientId: opts.clientId, requestId, requestTimestamp, requestTarget: new URL(url).pathname, body }),
      },
      body,
    };
    return { notification: qr.lastNotification };
  }

  type SimCharge = SimQr | SimVa;
  registerControlRoutes<SimCharge>(app, {
    state,
    find: (reference) => fresh(qrs.get(reference)) ?? fresh(vas.get(reference)),
    list: () => [
      ...[...qrs.values()].map((q) => ({ reference: q.partnerReferenceNo, method: 'qris', reference_no: q.referenceNo, amount: Number(q.amount), status: fresh(q)!.status, valid_until: q.validUntil.toISOString() })),
      ...[...vas.values()].map((v) => ({ reference: v.trxId, method: 'va', channel: v.channel, virtual_account_no: v.virtualAccountNo.replace(/\s/g, ''), amount: Number(v.totalAmount), status: fresh(v)!.status, expired_date: v.expiredDate.toISOString() })),
    ],
    pay: (c, amount) => {
      if (c.status !== 'pending') return { error: `transaction is ${c.status}` };
      const due = Number(c.kind === 'qris' ? c.amount : c.totalAmount);
      if (amount !== undefined && amount !== due) return { error: `amount must be exactly ${due}` };
      return c.kind === 'qris' ? payQr(c) : payVa(c);
    },
    expire: (c) => {
      if (c.status !== 'pending') return { error: `transaction is ${c.status}` };
      c.status = 'expired';
      return {}; // DOKU sends no notification when a QR or VA lapses
    },
    last: (c) => c.lastNotification,
  });
};
