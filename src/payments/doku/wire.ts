// DOKU SNAP Direct API wire format (developers.doku.com; doku-nodejs-library DTOs). Amounts are strings
// with two decimals; responseCode = HTTP status (3) + service code (2) + case (2).
import { z } from 'zod';
import type { Bank } from '../port.js';

export const PATHS = {
  token: '/authorization/v1/access-token/b2b',
  qrGenerate: '/snap-adapter/b2b/v1.0/qr/qr-mpm-generate',
  qrQuery: '/snap-adapter/b2b/v1.0/qr/qr-mpm-query',
  // SNAP defines QR MPM cancel (service 77); DOKU lists it in its docs, exact path unconfirmed.
  qrCancel: '/snap-adapter/b2b/v1.0/qr/qr-mpm-cancel',
  vaCreate: '/virtual-accounts/bi-snap-va/v1.1/transfer-va/create-va',
  vaStatus: '/orders/v1.0/transfer-va/status',
  vaDelete: '/virtual-accounts/bi-snap-va/v1.1/transfer-va/delete-va',
  qrRefund: '/snap-adapter/b2b/v1.0/qr/qr-mpm-refund',
} as const;

/** SNAP service codes, the middle two digits of responseCode. */
export const SERVICE = { token: '73', vaStatus: '26', vaCreate: '27', vaDelete: '31', vaPayment: '25', qrGenerate: '47', qrQuery: '51', qrCancel: '77', qrRefund: '78' } as const;
export const snapCode = (http: number, service: string, caseCode: string) => `${http}${service}${caseCode}`;

/** Where pesan receives DOKU, relative to /webhooks/doku (the simulator's notificationUrl). */
export const NOTIFY_PATHS = { token: '/authorization/v1/access-token/b2b', vaPayment: '/v1/transfer-va/payment', qrisNotify: '/qris/notify' } as const;

export const DOKU_VA_CHANNELS: Record<Bank, string> = {
  bca: 'VIRTUAL_ACCOUNT_BCA',
  bni: 'VIRTUAL_ACCOUNT_BNI',
  bri: 'VIRTUAL_ACCOUNT_BRI',
  mandiri: 'VIRTUAL_ACCOUNT_BANK_MANDIRI',
  permata: 'VIRTUAL_ACCOUNT_BANK_PERMATA',
  cimb: 'VIRTUAL_ACCOUNT_BANK_CIMB',
};

const SNAP_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
export const money = z.object({ value: z.string().regex(/^(0|[1-9]\d{0,15})(\.\d{2})$/), currency: z.literal('IDR') });
export const snapResponse = z.looseObject({ responseCode: z.string(), responseMessage: z.string().optional() });

export const tokenResponse = snapResponse.extend({ accessToken: z.string(), tokenType: z.string().optional(), expiresIn: z.union([z.string(), z.number()]).optional() });

export const qrGenerateRequest = z.object({
  partnerReferenceNo: z.string().min(1).max(64),
  amount: money,
  merchantId: z.string().min(1),
  terminalId: z.string().min(1),
  validityPeriod: z.string().regex(SNAP_ISO).optional(),
  additionalInfo: z.looseObject({}).optional(),
});
/** DOKU's answers may leave out referenceNo (and partnerReferenceNo); only qrContent is needed. */
export const qrGenerateResponse = snapResponse.extend({ partnerReferenceNo: z.string().optional(), referenceNo: z.string().optional(), qrContent: z.string().min(1) });

export const qrQueryRequest = z.object({
  originalPartnerReferenceNo: z.string().optional(),
  originalReferenceNo: z.string().optional(),
  serviceCode: z.string().optional(),
  merchantId: z.string().min(1),
  additionalInfo: z.looseObject({}).optional(),
});
export const qrQueryResponse = snapResponse.extend({
  originalReferenceNo: z.string().optional(),
  originalPartnerReferenceNo: z.string().optional(),
  /** SNAP: 00 success, 01 initiated, 02 paying, 03 pending, 04 refunded, 05 cancelled, 06 failed, 07 not found */
  latestTransactionStatus: z.string(),
  transactionStatusDesc: z.string().optional(),
  paidTime: z.string().optional(),
  amount: money.optional(),
});
export const qrCancelRequest = z.object({
  originalPartnerReferenceNo: z.string().min(1),
  originalReferenceNo: z.string().optional(),
  merchantId: z.string().min(1),
  reason: z.string().optional(),
});

/** SNAP QR MPM refund (DOKU's QRIS guide lists it; VAs have no refund API). */
export const qrRefundRequest = z.object({
  originalPartnerReferenceNo: z.string().min(1),
  originalReferenceNo: z.string().optional(),
  partnerRefundNo: z.string().min(1).max(64),
  refundAmount: money,
  reason: z.string().max(256).optional(),
  merchantId: z.string().min(1),
  additionalInfo: z.looseObject({}).optional(),
});
export const qrRefundResponse = snapResponse.extend({ refundNo: z.string().optional(), partnerRefundNo: z.string().optional(), refundAmount: money.optional(), refundTime: z.string().optional() });

const vaIds = {
  partnerServiceId: z.string().length(8),
  customerNo: z.string().regex(/^\d{1,20}$/),
  virtualAccountNo: z.string().min(1),
};
export const createVaRequest = z.object({
  ...vaIds,
  virtualAccountName: z.string().min(1).max(255),
  virtualAccountEmail: z.email(),
  virtualAccountPhone: z.string().optional(),
  trxId: z.string().min(1).max(64),
  totalAmount: money,
  additionalInfo: z.looseObject({ channel: z.string(), virtualAccountConfig: z.looseObject({ reusableStatus: z.boolean() }).optional() }),
  virtualAccountTrxType: z.enum(['C', 'O', 'V']),
  expiredDate: z.string().regex(SNAP_ISO),
});
export type CreateVaRequest = z.infer<typeof createVaRequest>;
/**
 * What create-va answers. Accounts differ in who generates the VA number (DOKU or the merchant), and
 * partnerServiceId comes back padded or not: only what DOKU gives is read, nothing is demanded.
 */
export const createVaResponse = snapResponse.extend({
  virtualAccountData: z
    .looseObject({
      partnerServiceId: z.string().optional(),
      customerNo: z.string().optional(),
      virtualAccountNo: z.string().optional(),
      trxId: z.string().optional(),
      totalAmount: money.optional(),
      expiredDate: z.string().optional(),
    })
    .optional(),
});

export const vaStatusRequest = z.object({ ...vaIds, inquiryRequestId: z.string().optional(), paymentRequestId: z.string().optional(), additionalInfo: z.looseObject({}).optional() });
export const vaStatusResponse = snapResponse.extend({
  virtualAccountData: z.looseObject({
    ...vaIds,
    trxId: z.string().optional(),
    paymentRequestId: z.string().optional(),
    paidAmount: money.optional(),
    totalAmount: money.optional(),
    /** "00" paid; anything else not (yet) paid, with the reason in paymentFlagReason */
    paymentFlagStatus: z.string().optional(),
    paymentFlagReason: z.looseObject({ english: z.string().optional(), indonesia: z.string().optional() }).optional(),
    expiredDate: z.string().optional(),
    trxDateTime: z.string().optional(),
  }),
});
/** delete-va names the channel the VA was made on (additionalInfo.channel), as create-va did. */
export const deleteVaRequest = z.object({ ...vaIds, trxId: z.string().min(1), additionalInfo: z.looseObject({ channel: z.string().min(1) }) });

/** SNAP "Payment" notification DOKU sends to the merchant when a VA is paid. */
export const vaPaymentNotification = z.looseObject({
  ...vaIds,
  virtualAccountName: z.string().optional(),
  trxId: z.string().min(1),
  paymentRequestId: z.string().min(1),
  paidAmount: money,
  trxDateTime: z.string().optional(),
});

/**
 * DOKU's public "Notify QRIS" page lists upper-case parameters (WORDS, TRANSACTIONID, INVOICE, AMOUNT,
 * TXNSTATUS, TXNDATE, TERMINALID, …), sent as form fields or query parameters.
 */
export const qrisNotifyParams = z.looseObject({
  WORDS: z.string().min(1),
  TRANSACTIONID: z.string().min(1),
  AMOUNT: z.string().min(1),
  TXNSTATUS: z.string().min(1),
  INVOICE: z.string().optional(),
  TXNDATE: z.string().optional(),
  TERMINALID: z.string().optional(),
  REFERENCEID: z.string().optional(),
});
export type QrisNotifyParams = z.infer<typeof qrisNotifyParams>;

/** Non-SNAP notification (layout of DOKU's non-SNAP notifications; QRIS-specific fields unconfirmed). */
export const nonSnapNotification = z.looseObject({
  order: z.looseObject({ invoice_number: z.string().min(1), amount: z.number() }),
  transaction: z.looseObject({ status: z.string(), date: z.string().optional(), original_request_id: z.string().optional() }),
  service: z.looseObject({ id: z.string() }).optional(),
  channel: z.looseObject({ id: z.string() }).optional(),
});
