// A Xendit simulator in test mode: QR Codes (api-version 2022-07-31) and Fixed Virtual Accounts with
// Xendit's own test-mode "simulate payment" endpoints, Basic auth with the secret key, Xendit's error
// format, and callbacks carrying the dashboard verification token. Control routes under <prefix>/_sim/.
import { randomBytes, randomUUID } from 'node:crypto';
import { LostAnswers } from '../../shared/sim-lost-answer.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../../shared/crypto.js';
import { buildQrisPayload, deliverInBackground, installModeSwitch, registerControlRoutes, type SentNotification, type SimMode } from '../midtrans/sim-support.js';

type Paid = { error: string } | { notification: SentNotification; payment: Record<string, unknown> };
import { createQrRequest, createVaRequest, QR_API_VERSION, updateVaRequest } from './wire.js';

export interface XenditSimulatorOptions {
  /** pesan's callback URL (POST /webhooks/xendit), for QR and VA callbacks alike */
  notificationUrl: string;
  secretKey: string;
  callbackToken: string;
  businessId?: string;
}

interface SimQr {
  kind: 'qris';
  id: string;
  referenceId: string;
  amount: number;
  qrString: string;
  expiresAt: Date;
  created: Date;
  status: 'ACTIVE' | 'INACTIVE';
  metadata: unknown;
  payments: Record<string, unknown>[];
  lastNotification?: SentNotification;
}

interface SimVa {
  kind: 'va';
  id: string;
  externalId: string;
  bankCode: string;
  merchantCode: string;
  name: string;
  accountNumber: string;
  expectedAmount?: number;
  isClosed: boolean;
  isSingleUse: boolean;
  expirationDate: Date;
  status: 'PENDING' | 'ACTIVE' | 'INACTIVE';
  description?: string;
  payments: Record<string, unknown>[];
  lastNotification?: SentNotification;
}

// Illustrative merchant codes per bank (the real ones are issued per Xendit account).
const MERCHANT_CODE: Record<string, string> = { BCA: '10766', BNI: '8808', BRI: '26215', MANDIRI: '88908', PERMATA: '8214', CIMB: '5880' };
const QR_DEFAULT_EXPIRY_MS = 48 * 3600_000;
const VA_DEFAULT_EXPIRY_MS = 31 * 86_400_000;
const hexId = () => randomBytes(12).toString('hex');

export const xenditSimulator: FastifyPluginAsync<XenditSimulatorOptions> = async (app, opts) => {
  const businessId = opts.businessId ?? '5f27a14a9bf05c73dd040bc8';
  const qrById = new Map<string, SimQr>();
  const qrByRef = new Map<string, SimQr>();
  const vaById = new Map<string, SimVa>();
  const vaByExternal = new Map<string, SimVa>();
  const vaPayments = new Map<string, Record<string, unknown>>();
  const state = { mode: 'normal' as SimMode };
  let vaSeq = 0;
  const lost = new LostAnswers();
  lost.register(app);

  installModeSwitch(app, state, () => ({ error_code: 'SERVER_ERROR', message: 'Xendit is temporarily unavailable (simulated outage)' }));

  function authorised(req: FastifyRequest): boolean {
    const h = req.headers.authorization;
    if (!h?.startsWith('Basic ')) return false;
    const [user] = Buffer.from(h.slice(6), 'base64').toString('utf8').split(':');
    return safeEqual(user, opts.secretKey);
  }
  const fail = (reply: FastifyReply, status: number, error_code: string, message: string) => reply.code(status).send({ error_code, message });
  const validation = (reply: FastifyReply, issues: { path: PropertyKey[]; message: string }[]) =>
    fail(reply, 400, 'API_VALIDATION_ERROR', issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; '));

  app.addHook('preHandler', async (req, reply) => {
    if (req.url.includes('/_sim/')) return;
    if (lost.isDown()) return fail(reply, 503, 'SERVER_ERROR', 'Xendit is temporarily unavailable (simulated outage)');
    if (!authorised(req)) return fail(reply, 401, 'INVALID_API_KEY', 'API key is not authorized for this API service');
  });

  // Expiry needs no timer: Xendit sends no callback when a QR or FVA lapses, so state flips on read.
  function freshQr(qr: SimQr | undefined): SimQr | undefined {
    if (qr && qr.status === 'ACTIVE' && qr.expiresAt.getTime() <= Date.now()) qr.status = 'INACTIVE';
    return qr;
  }
  function freshVa(va: SimVa | undefined): SimVa | undefined {
    if (!va) return va;
    if (va.status !== 'INACTIVE' && va.expirationDate.getTime() <= Date.now()) va.status = 'INACTIVE';
    else if (va.status === 'PENDING') va.status = 'ACTIVE'; // Xendit activates a new FVA within moments
    return va;
  }

  const qrView = (qr: SimQr) => ({
    id: qr.id,
    reference_id: qr.referenceId,
    business_id: businessId,
    type: 'DYNAMIC',
    currency: 'IDR',
    channel_code: 'ID_XENDIT',
    amount: qr.amount,
    expires_at: qr.expiresAt.toISOString(),
    qr_string: qr.qrString,
    status: qr.status,
    metadata: qr.metadata ?? null,
    created: qr.created.toISOString(),
    updated: new Date().toISOString(),
  });

  const vaView = (va: SimVa) => ({
    id: va.id,
    owner_id: businessId,
    external_id: va.externalId,
    bank_code: va.bankCode,
    merchant_code: va.merchantCode,
    name: va.name,
    account_number: va.accountNumber,
    is_closed: va.isClosed,
    is_single_use: va.isSingleUse,
    status: va.status,
    currency: 'IDR',
    country: 'ID',
    expiration_date: va.expirationDate.toISOString(),
    ...(va.expectedAmount !== undefined ? { expected_amount: va.expectedAmount } : {}),
    ...(va.description ? { description: va.description } : {}),
  });

  function callback(body: unknown, qrApi: boolean): SentNotification {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-callback-token': opts.callbackToken, 'webhook-id': randomUUID() };
    if (qrApi) headers['api-version'] = QR_API_VERSION;
    return { url: opts.notificationUrl, headers, body: JSON.stringify(body) };
  }

  function payQr(qr: SimQr, amount: number | undefined): Paid {
    freshQr(qr);
    if (qr.status !== 'ACTIVE') return { error: 'QR code is INACTIVE (expired or already paid)' };
    if (amount !== undefined && amount !== qr.amount) return { error: `a DYNAMIC QR code takes exactly ${qr.amount}` };
    const now = new Date().toISOString();
    const payment = {
      id: `qrpy_${randomUUID()}`,
      business_id: businessId,
      currency: 'IDR',
      amount: qr.amount,
      status: 'SUCCEEDED',
      created: now,
      qr_id: qr.id,
      qr_string: qr.qrString,
      reference_id: qr.referenceId,
      type: 'DYNAMIC',
      channel_code: 'ID_DANA',
      expires_at: qr.expiresAt.toISOString(),
      description: '',
      basket: null,
      metadata: qr.metadata ?? null,
      payment_detail: { receipt_id: String(100000 + qr.payments.length + qrById.size), source: 'DANA', name: null, account_details: null },
    };
    qr.payments.push(payment);
    qr.status = 'INACTIVE'; // a dynamic QR is single-payment
    qr.lastNotification = callback({ event: 'qr.payment', api_version: QR_API_VERSION, business_id: businessId, created: now, data: payment }, true);
    return { notification: qr.lastNotification, payment };
  }

  function payVa(va: SimVa, amount: number | undefined): Paid {
    freshVa(va);
    if (va.status === 'INACTIVE') return { error: 'virtual account is INACTIVE (expired or already paid)' };
    const paid = amount ?? va.expectedAmount;
    if (paid === undefined) return { error: 'amount is required for an open-amount virtual account' };
    if (va.isClosed && paid !== va.expectedAmount) return { error: `closed virtual account takes exactly ${va.expectedAmount}` };
    const payment = {
      id: hexId(),
      payment_id: hexId(),
      callback_virtual_account_id: va.id,
      owner_id: businessId,
      external_id: va.externalId,
      account_number: va.accountNumber,
      bank_code: va.bankCode,
      amount: paid,
      transaction_timestamp: new Date().toISOString(),
      merchant_code: va.merchantCode,
      currency: 'IDR',
      country: 'ID',
      sender_name: 'SIMULATED PAYER',
    };
    va.payments.push(payment);
    vaPayments.set(payment.payment_id, payment);
    if (va.isSingleUse) va.status = 'INACTIVE';
    va.lastNotification = callback(payment, false);
    return { notification: va.lastNotification, payment };
  }

  // --- QR Codes -----------------------------------------------------------------------------------------
  app.post('/qr_codes', async (req, reply) => {
    if (req.headers['api-version'] !== QR_API_VERSION) {
      return fail(reply, 400, 'API_VALIDATION_ERROR', `this simulator speaks the QR Codes API version ${QR_API_VERSION}; send the api-version header`);
    }
    const parsed = createQrRequest.safeParse(req.body);
    if (!parsed.success) return validation(reply, parsed.error.issues);
    const b = parsed.data;
    if (qrByRef.has(b.reference_id)) return fail(reply, 409, 'DUPLICATE_ERROR', `reference_id ${b.reference_id} has already been used`);
    const expiresAt = b.expires_at ? new Date(b.expires_at) : new Date(Date.now() + QR_DEFAULT_EXPIRY_MS);
    if (expiresAt.getTime() <= Date.now()) return fail(reply, 400, 'API_VALIDATION_ERROR', 'expires_at must be in the future');
    const qr: SimQr = {
      kind: 'qris',
      id: `qr_${randomUUID()}`,
      referenceId: b.reference_id,
      amount: b.amount,
      qrString: buildQrisPayload({ acquirerDomain: 'ID.CO.XENDIT.WWW', merchantPan: '936008990000000001', nmid: 'ID1020000000002', merchantName: 'PESAN SANDBOX', city: 'JAKARTA', amount: b.amount, reference: b.reference_id }),
      expiresAt,
      created: new Date(),
      status: 'ACTIVE',
      metadata: b.metadata,
      payments: [],
    };
    qrById.set(qr.id, qr);
    qrByRef.set(qr.referenceId, qr);
    if (await lost.lose(reply)) return reply;
    return reply.code(201).send(qrView(qr));
  });

  // Get QR codes by reference_id: an array, as public 2022-07-31 integrations read it.
  app.get('/qr_codes', async (req, reply) => {
    const ref = (req.query as { reference_id?: string }).reference_id;
    if (!ref) return fail(reply, 400, 'API_VALIDATION_ERROR', 'reference_id is required');
    const qr = freshQr(qrByRef.get(ref));
    return qr ? [qrView(qr)] : [];
  });

  app.get<{ Params: { id: string } }>('/qr_codes/:id', async (req, reply) => {
    const qr = freshQr(qrById.get(req.params.id));
    return qr ? qrView(qr) : fail(reply, 404, 'DATA_NOT_FOUND', 'QR code not found');
  });

  app.get<{ Params: { id: string } }>('/qr_codes/:id/payments', async (req, reply) => {
    const qr = qrById.get(req.params.id);
    return qr ? { data: qr.payments, has_more: false } : fail(reply, 404, 'DATA_NOT_FOUND', 'QR code not found');
  });

  // Refunds of a QR payment (qrpy_…); the idempotency-key header makes a retry the same refund.
  const refundsByKey = new Map<string, Record<string, unknown>>();
  const refundedOf = new Map<string, number>();
  app.post<{ Params: { paymentId: string }; Body: { amount?: number; reason?: string } }>('/qr_codes/payments/:paymentId/refunds', async (req, reply) => {
    const key = String(req.headers['idempotency-key'] ?? '');
    if (key && refundsByKey.has(key)) return refundsByKey.get(key);
    const qr = [...qrById.values()].find((q) => q.payments.some((p) => p.id === req.params.paymentId));
    const payment = qr?.payments.find((p) => p.id === req.params.paymentId);
    if (!qr || !payment) return fail(reply, 404, 'DATA_NOT_FOUND', 'QR payment not found');
    const paidAmount = Number(payment.amount);
    const left = paidAmount - (refundedOf.get(req.params.paymentId) ?? 0);
    const amount = req.body?.amount ?? left;
    if (!Number.isInteger(amount) || amount <= 0 || amount > left) return fail(reply, 400, 'REFUND_AMOUNT_EXCEEDED', `refund amount must be between 1 and ${left}`);
    refundedOf.set(req.params.paymentId, paidAmount - left + amount);
    const refund = { id: `qrrf_${randomUUID()}`, qr_id: qr.id, payment_id: req.params.paymentId, amount, currency: 'IDR', reason: req.body?.reason ?? null, status: 'SUCCEEDED', created: new Date().toISOString() };
    if (key) refundsByKey.set(key, refund);
    return reply.code(201).send(refund);
  });

  app.post<{ Params: { id: string }; Body: { amount?: number } }>('/qr_codes/:id/payments/simulate', async (req, reply) => {
    const qr = qrById.get(req.params.id);
    if (!qr) return fail(reply, 404, 'DATA_NOT_FOUND', 'QR code not found');
    const r = payQr(qr, typeof req.body?.amount === 'number' ? req.body.amount : undefined);
    if ('error' in r) return fail(reply, 400, 'INACTIVE_QR_CODE', r.error);
    deliverInBackground(app, r.notification);
    return r.payment;
  });

  // --- Fixed Virtual Accounts ---------------------------------------------------------------------------
  app.post('/callback_virtual_accounts', async (req, reply) => {
    const parsed = createVaRequest.safeParse(req.body);
    if (!parsed.success) return validation(reply, parsed.error.issues);
    const b = parsed.data;
    if (vaByExternal.has(b.external_id)) return fail(reply, 409, 'DUPLICATE_ERROR', `external_id ${b.external_id} has already been used`);
    const isClosed = b.is_closed ?? false;
    if (isClosed && b.expected_amount === undefined) return fail(reply, 400, 'API_VALIDATION_ERROR', 'expected_amount is required when is_closed is true');
    const merchantCode = MERCHANT_CODE[b.bank_code];
    vaSeq += 1;
    const accountNumber = b.virtual_account_number ?? merchantCode + String(9_990_000_000 + vaSeq).slice(-(b.bank_code === 'BCA' ? 11 : 10));
    if ([...vaById.values()].some((v) => v.accountNumber === accountNumber)) return fail(reply, 400, 'DUPLICATE_CALLBACK_VIRTUAL_ACCOUNT_ERROR', 'The virtual account number already exists');
    const va: SimVa = {
      kind: 'va',
      id: hexId(),
      externalId: b.external_id,
      bankCode: b.bank_code,
      merchantCode,
      name: b.name,
      accountNumber,
      expectedAmount: b.expected_amount,
      isClosed,
      isSingleUse: b.is_single_use ?? false,
      expirationDate: b.expiration_date ? new Date(b.expiration_date) : new Date(Date.now() + VA_DEFAULT_EXPIRY_MS),
      status: 'PENDING',
      description: b.description,
      payments: [],
    };
    vaById.set(va.id, va);
    vaByExternal.set(va.externalId, va);
    if (await lost.lose(reply)) return reply;
    return vaView(va);
  });

  // Lookup by external_id (seen in public integrations, not in Xendit's reference): an array.
  app.get('/callback_virtual_accounts', async (req, reply) => {
    const ext = (req.query as { external_id?: string }).external_id;
    if (!ext) return fail(reply, 400, 'API_VALIDATION_ERROR', 'external_id is required');
    const va = freshVa(vaByExternal.get(ext));
    return va ? [vaView(va)] : [];
  });

  app.get<{ Params: { id: string } }>('/callback_virtual_accounts/:id', async (req, reply) => {
    const va = freshVa(vaById.get(req.params.id));
    return va ? vaView(va) : fail(reply, 404, 'CALLBACK_VIRTUAL_ACCOUNT_NOT_FOUND_ERROR', 'Could not find callback virtual account');
  });

  app.patch<{ Params: { id: string } }>('/callback_virtual_accounts/:id', async (req, reply) => {
    const va = freshVa(vaById.get(req.params.id));
    if (!va) return fail(reply, 404, 'CALLBACK_VIRTUAL_ACCOUNT_NOT_FOUND_ERROR', 'Could not find callback virtual account');
    const parsed = updateVaRequest.safeParse(req.body);
    if (!parsed.success) return validation(reply, parsed.error.issues);
    if (va.status === 'INACTIVE') return fail(reply, 400, 'INACTIVE_VIRTUAL_ACCOUNT_ERROR', 'The virtual account is inactive');
    const b = parsed.data;
    if (b.expiration_date) va.expirationDate = new Date(b.expiration_date);
    if (b.expected_amount !== undefined) va.expectedAmount = b.expected_amount;
    if (b.is_single_use !== undefined) va.isSingleUse = b.is_single_use;
    if (b.description !== undefined) va.description = b.description;
    return vaView(freshVa(va)!);
  });

  app.post<{ Params: { externalId: string }; Body: { amount?: number } }>('/callback_virtual_accounts/external_id=:externalId/simulate_payment', async (req, reply) => {
    const va = vaByExternal.get(req.params.externalId);
    if (!va) return fail(reply, 404, 'CALLBACK_VIRTUAL_ACCOUNT_NOT_FOUND_ERROR', 'Could not find callback virtual account');
    const r = payVa(va, typeof req.body?.amount === 'number' ? req.body.amount : undefined);
    if ('error' in r) return fail(reply, 400, 'INACTIVE_VIRTUAL_ACCOUNT_ERROR', r.error);
    deliverInBackground(app, r.notification);
    return { status: 'COMPLETED', message: `Payment for the Fixed VA with external id ${va.externalId} is currently being processed. Please ensure that you have set a callback URL for VA payments via Dashboard Settings and contact us if you do not receive a VA payment callback within the next 5 mins.` };
  });

  app.get<{ Params: { paymentId: string } }>('/callback_virtual_account_payments/payment_id=:paymentId', async (req, reply) => {
    const p = vaPayments.get(req.params.paymentId);
    return p ?? fail(reply, 404, 'CALLBACK_VIRTUAL_ACCOUNT_PAYMENT_NOT_FOUND_ERROR', 'Could not find callback virtual account payment');
  });

  // --- sandbox control ----------------------------------------------------------------------------------
  type SimCharge = SimQr | SimVa;
  registerControlRoutes<SimCharge>(app, {
    state,
    find: (reference) => qrByRef.get(reference) ?? vaByExternal.get(reference),
    list: () => [
      ...[...qrById.values()].map((q) => ({ reference: q.referenceId, id: q.id, method: 'qris', amount: q.amount, status: freshQr(q)!.status, paid: q.payments.length > 0, expires_at: q.expiresAt.toISOString() })),
      ...[...vaById.values()].map((v) => ({ reference: v.externalId, id: v.id, method: 'va', bank_code: v.bankCode, account_number: v.accountNumber, amount: v.expectedAmount, status: freshVa(v)!.status, paid: v.payments.length > 0, expires_at: v.expirationDate.toISOString() })),
    ],
    pay: (c, amount) => (c.kind === 'qris' ? payQr(c, amount) : payVa(c, amount)),
    expire: (c) => {
      if (c.kind === 'qris') {
        if (freshQr(c)!.status !== 'ACTIVE') return { error: 'QR code is already INACTIVE' };
        c.expiresAt = new Date();
        c.status = 'INACTIVE';
      } else {
        if (freshVa(c)!.status === 'INACTIVE') return { error: 'virtual account is already INACTIVE' };
        c.expirationDate = new Date();
        c.status = 'INACTIVE';
      }
      return {}; // Xendit sends no callback on expiry
    },
    last: (c) => c.lastNotification,
  });
};
