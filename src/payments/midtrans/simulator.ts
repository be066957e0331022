// A Midtrans Core API simulator: same paths, Basic auth with the server key, the HTTP-200-with-error-body
// quirk, signed HTTP notifications on every status change (pending, settlement, expire, cancel), and
// expiry on its own clock. Control endpoints for demos live under <prefix>/_sim/.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { safeEqual } from '../../shared/crypto.js';
import { jakartaDateTime, parseJakartaDateTime } from '../../shared/time.js';
import { midtransSignature } from './signature.js';
import { chargeRequest, type ChargeRequest } from './wire.js';
import { buildQrisPayload, deliverInBackground, ExpiryTimers, installModeSwitch, registerControlRoutes, selfBaseUrl, type SentNotification, type SimMode } from './sim-support.js';

export interface MidtransSimulatorOptions {
  /** pesan's notification URL (POST /webhooks/midtrans) */
  notificationUrl: string;
  serverKey: string;
  merchantId?: string;
  /** Include qr_string in QRIS charge answers (default true); false serves Midtrans' reference-example form. */
  qrStringInCharge?: boolean;
}

type TxStatus = 'pending' | 'settlement' | 'expire' | 'cancel' | 'refund' | 'partial_refund';

interface SimTransaction {
  orderId: string;
  transactionId: string;
  paymentType: ChargeRequest['payment_type'];
  bank?: string;
  grossAmount: number;
  status: TxStatus;
  transactionTime: Date;
  expiryTime: Date;
  settlementTime?: Date;
  vaNumber?: string;
  billKey?: string;
  qrString?: string;
  refunded?: number;
  refunds?: Map<string, Record<string, unknown>>;
  lastNotification?: SentNotification;
}

const DEFAULT_EXPIRY_MS: Record<ChargeRequest['payment_type'], number> = {
  qris: 15 * 60_000, // GoPay QRIS default
  bank_transfer: 24 * 3600_000,
  echannel: 24 * 3600_000,
};
const UNIT_MS = { second: 1000, minute: 60_000, hour: 3600_000, day: 86_400_000 } as const;
const BILLER_CODE = '70012';
const VA_PREFIX: Record<string, string> = { bca: '12345', bni: '9888', bri: '23456', cimb: '5919', permata: '8562' };
const amountString = (n: number) => `${n}.00`;

export const midtransSimulator: FastifyPluginAsync<MidtransSimulatorOptions> = async (app, opts) => {
  const merchantId = opts.merchantId ?? 'G000000001';
  const byOrder = new Map<string, SimTransaction>();
  const byTxId = new Map<string, SimTransaction>();
  const timers = new ExpiryTimers();
  const state = { mode: 'normal' as SimMode };
  let vaSeq = 0;
  // Midtrans' reference example of a QRIS charge has no qr_string (only the image action); a public
  // capture has one. `POST _sim/qris-form {"qr_string": false}` serves the first form.
  let qrStringInCharge = opts.qrStringInCharge ?? true;
  app.post('/_sim/qris-form', async (req, reply) => {
    const v = (req.body as { qr_string?: unknown } | undefined)?.qr_string;
    if (typeof v !== 'boolean') return reply.code(400).send({ error: 'qr_string must be true or false' });
    qrStringInCharge = v;
    return { qr_string: v };
  });

  app.addHook('onClose', async () => timers.clear());
  installModeSwitch(app, state, () => ({ status_code: '503', status_message: 'Midtrans is under maintenance (simulated outage)' }));

  // --- provider API -------------------------------------------------------------------------------------
  function authorised(req: FastifyRequest): boolean {
    const h = req.headers.authorization;
    if (!h?.startsWith('Basic ')) return false;
    const [user] = Buffer.from(h.slice(6), 'base64').toString('utf8').split(':');
    return safeEqual(user, opts.serverKey);
  }
  function rejectAuth(reply: FastifyReply) {
    return reply.code(401).send({ status_code: '401', status_message: 'Unknown Merchant server_key/id', id: randomUUID() });
  }

  function lookup(id: string): SimTransaction | undefined {
    const tx = byOrder.get(id) ?? byTxId.get(id);
    if (tx && tx.status === 'pending' && tx.expiryTime.getTime() <= Date.now()) setStatus(tx, 'expire');
    return tx;
  }

  function view(tx: SimTransaction, statusCode: string, statusMessage: string): Record<string, unknown> {
    const gross = amountString(tx.grossAmount);
    const v: Record<string, unknown> = {
      status_code: statusCode,
      status_message: statusMessage,
      transaction_id: tx.transactionId,
      order_id: tx.orderId,
      merchant_id: merchantId,
      gross_amount: gross,
      currency: 'IDR',
      payment_type: tx.paymentType,
      transaction_time: jakartaDateTime(tx.transactionTime),
      transaction_status: tx.status,
      fraud_status: 'accept',
      expiry_time: jakartaDateTime(tx.expiryTime),
    };
    if (tx.settlementTime) v.settlement_time = jakartaDateTime(tx.settlementTime);
    if (tx.paymentType === 'qris') Object.assign(v, { acquirer: 'gopay', qr_string: tx.qrString });
    if (tx.paymentType === 'bank_transfer') {
      if (tx.bank === 'permata') v.permata_va_number = tx.vaNumber;
      else v.va_numbers = [{ bank: tx.bank, va_number: tx.vaNumber }];
    }
    if (tx.paymentType === 'echannel') Object.assign(v, { bill_key: tx.billKey, biller_code: BILLER_CODE });
    v.signature_key = midtransSignature(tx.orderId, statusCode, gross, opts.serverKey);
    return v;
  }

  const NOTIFICATION_CODE: Record<TxStatus, string> = { pending: '201', settlement: '200', expire: '202', cancel: '200', refund: '200', partial_refund: '200' };

  function notification(tx: SimTransaction): SentNotification {
    const body: Record<string, unknown> = { ...view(tx, NOTIFICATION_CODE[tx.status], 'midtrans payment notification') };
    delete body.qr_string;
    if (tx.paymentType === 'qris') Object.assign(body, { issuer: 'gopay', transaction_type: 'on-us', merchant_cross_reference_id: tx.transactionId });
    if (tx.status === 'settlement' && tx.paymentType === 'bank_transfer') body.payment_amounts = [{ paid_at: body.settlement_time, amount: body.gross_amount }];
    return {
      url: opts.notificationUrl,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'Veritrans' },
      body: JSON.stringify(body),
    };
  }

  /** Every status change notifies, as Midtrans does; returns the notification so _sim/pay can report delivery. */
  function setStatus(tx: SimTransaction, status: TxStatus): SentNotification {
    tx.status = status;
    if (status !== 'pending') timers.cancel(tx.orderId);
    if (status === 'settlement') tx.settlementTime = new Date();
    tx.lastNotification = notification(tx);
    return tx.lastNotification;
  }

  function expiryOf(body: ChargeRequest, now: Date): Date {
    const ce = body.custom_expiry;
    if (!ce) return new Date(now.getTime() + DEFAULT_EXPIRY_MS[body.payment_type]);
    const start = ce.order_time ? parseJakartaDateTime(ce.order_time) : now;
    return new Date(start.getTime() + ce.expiry_duration * UNIT_MS[ce.unit]);
  }

  function nextVa(bank: string): string {
    vaSeq += 1;
    const prefix = VA_PREFIX[bank] ?? '9999';
    const width = bank === 'permata' ? 10 : bank === 'bri' ? 18 : bank === 'cimb' ? 12 : bank === 'bni' ? 16 : 15;
    return prefix + String(vaSeq).padStart(width - prefix.length, '0');
  }

  app.post('/v2/charge', async (req, reply) => {
    if (!authorised(req)) return rejectAuth(reply);
    const parsed = chargeRequest.safeParse(req.body);
    if (!parsed.success) {
      return reply.send({ status_code: '400', status_message: 'One or more parameters in the payload is invalid.', validation_messages: parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`), id: randomUUID() });
    }
    const body = parsed.data;
    const orderId = body.transaction_details.order_id;
    const existing = lookup(orderId);
    // Midtrans lets an expired order_id be charged again; anything else is a duplicate (HTTP 200, code 406).
    if (existing && existing.status !== 'expire') {
      return reply.send({ status_code: '406', status_message: 'The request could not be completed due to a conflict with the current state of the target resource, please try again', id: randomUUID() });
    }
    if (body.payment_type === 'bank_transfer' && !body.bank_transfer) return reply.send({ status_code: '400', status_message: 'bank_transfer is required', id: randomUUID() });
    const now = new Date();
    const expiryTime = expiryOf(body, now);
    if (expiryTime.getTime() <= now.getTime()) return reply.send({ status_code: '400', status_message: 'custom_expiry is in the past', id: randomUUID() });
    const tx: SimTransaction = {
      orderId,
      transactionId: randomUUID(),
      paymentType: body.payment_type,
      grossAmount: body.transaction_details.gross_amount,
      status: 'pending',
      transactionTime: now,
      expiryTime,
    };
    let message = 'QRIS transaction is created';
    if (body.payment_type === 'qris') {
      tx.qrString = buildQrisPayload({ acquirerDomain: 'COM.GO-JEK.WWW', merchantPan: '936009140000000001', nmid: 'ID1020000000001', merchantName: 'PESAN SANDBOX', city: 'JAKARTA', amount: tx.grossAmount, reference: orderId });
    } else if (body.payment_type === 'bank_transfer') {
      tx.bank = body.bank_transfer!.bank;
      tx.vaNumber = body.bank_transfer!.va_number ?? nextVa(tx.bank);
      message = tx.bank === 'permata' ? 'Success, PERMATA VA transaction is successful' : 'Success, Bank Transfer transaction is created';
    } else {
      vaSeq += 1;
      tx.billKey = body.echannel?.bill_key ?? String(700000000000 + vaSeq);
      message = 'OK, Mandiri Bill transaction is successful';
    }
    byOrder.set(orderId, tx);
    byTxId.set(tx.transactionId, tx);
    timers.schedule(orderId, expiryTime, () => {
      if (tx.status === 'pending') deliverInBackground(app, setStatus(tx, 'expire'));
    });
    deliverInBackground(app, setStatus(tx, 'pending'));
    const res = view(tx, '201', message);
    delete res.signature_key;
    if (tx.paymentType === 'qris') {
      if (!qrStringInCharge) delete res.qr_string;
      res.actions = [{ name: 'generate-qr-code', method: 'GET', url: `${selfBaseUrl(req, app.prefix)}/v2/qris/${tx.transactionId}/qr-code` }];
    }
    return reply.send(res);
  });

  app.get<{ Params: { id: string } }>('/v2/:id/status', async (req, reply) => {
    if (!authorised(req)) return rejectAuth(reply);
    const tx = lookup(req.params.id);
    if (!tx) return reply.code(404).send({ status_code: '404', status_message: "Transaction doesn't exist.", id: randomUUID() });
    const [code, message] = tx.status === 'expire' ? ['407', 'Success, transaction has expired'] : tx.status === 'pending' ? ['201', 'Success, transaction is found'] : ['200', 'Success, transaction is found'];
    return reply.send(view(tx, code, message));
  });

  for (const action of ['expire', 'cancel'] as const) {
    app.post<{ Params: { id: string } }>(`/v2/:id/${action}`, async (req, reply) => {
      if (!authorised(req)) return rejectAuth(reply);
      const tx = lookup(req.params.id);
      if (!tx) return reply.code(404).send({ status_code: '404', status_message: "Transaction doesn't exist.", id: randomUUID() });
      if (tx.status !== 'pending') return reply.send({ status_code: '412', status_message: 'Merchant cannot modify the status of the transaction', id: randomUUID() });
      deliverInBackground(app, setStatus(tx, action));
      const res = action === 'expire' ? view(tx, '407', 'Success, transaction has expired') : view(tx, '200', 'Success, transaction is canceled');
      delete res.signature_key;
      return reply.send(res);
    });
  }

  // Refund API: settled QRIS only (bank transfers are not refundable by API); refund_key dedupes.
  app.post<{ Params: { id: string }; Body: { refund_key?: string; amount?: number; reason?: string } }>('/v2/:id/refund', async (req, reply) => {
    if (!authorised(req)) return rejectAuth(reply);
    const tx = lookup(req.params.id);
    if (!tx) return reply.code(404).send({ status_code: '404', status_message: "Transaction doesn't exist.", id: randomUUID() });
    const key = req.body?.refund_key ?? randomUUID();
    tx.refunds ??= new Map();
    const again = tx.refunds.get(key);
    if (again) return reply.send(again);
    if (tx.paymentType !== 'qris') return reply.send({ status_code: '412', status_message: `Payment type ${tx.paymentType} cannot be refunded through the API`, id: randomUUID() });
    if (tx.status !== 'settlement' && tx.status !== 'partial_refund') return reply.send({ status_code: '412', status_message: 'Merchant cannot modify the status of the transaction', id: randomUUID() });
    const amount = req.body?.amount ?? tx.grossAmount - (tx.refunded ?? 0);
    if (!Number.isInteger(amount) || amount <= 0 || amount > tx.grossAmount - (tx.refunded ?? 0)) return reply.send({ status_code: '413', status_message: 'The request could not be processed due to malformed syntax: refund amount exceeds the remaining amount', id: randomUUID() });
    tx.refunded = (tx.refunded ?? 0) + amount;
    tx.status = tx.refunded === tx.grossAmount ? 'refund' : 'partial_refund';
    const res = { ...view(tx, '200', 'Success, refund request is approved'), refund_chargeback_id: tx.refunds.size + 1, refund_amount: amountString(amount), refund_key: key };
    delete (res as Record<string, unknown>).signature_key;
    tx.refunds.set(key, res);
    return reply.send(res);
  });

  // The image behind the "generate-qr-code" action; no auth, as on Midtrans (the URL is the secret).
  app.get<{ Params: { id: string } }>('/v2/qris/:id/qr-code', async (req, reply) => {
    const tx = byTxId.get(req.params.id);
    if (!tx?.qrString) return reply.code(404).send({ status_code: '404', status_message: 'QR code not found' });
    return reply.type('image/png').send(await QRCode.toBuffer(tx.qrString, { margin: 2, width: 320 }));
  });

  registerControlRoutes(app, {
    state,
    find: (reference) => lookup(reference),
    list: () => [...byOrder.values()].map((t) => ({ reference: t.orderId, transaction_id: t.transactionId, payment_type: t.paymentType, bank: t.bank ?? (t.billKey ? 'mandiri' : undefined), amount: t.grossAmount, status: t.status, va_number: t.vaNumber, bill_key: t.billKey, expiry_time: t.expiryTime.toISOString() })),
    pay: (tx, amount) => {
      if (tx.status !== 'pending') return { error: `transaction is ${tx.status}` };
      if (amount !== undefined && amount !== tx.grossAmount) return { error: `amount must be exactly ${tx.grossAmount} for this charge` };
      return { notification: setStatus(tx, 'settlement') };
    },
    expire: (tx) => (tx.status === 'pending' ? { notification: setStatus(tx, 'expire') } : { error: `transaction is ${tx.status}` }),
    last: (tx) => tx.lastNotification,
  });
};
