// Xendit wire format: QR Codes API (api-version 2022-07-31) and Fixed Virtual Accounts
// (xendit-node / xendit-go SDKs, docs.xendit.co). Amounts are whole rupiah as JSON numbers.
import { z } from 'zod';

export const QR_API_VERSION = '2022-07-31';
export const XENDIT_BANK_CODES = { bca: 'BCA', bni: 'BNI', bri: 'BRI', mandiri: 'MANDIRI', permata: 'PERMATA', cimb: 'CIMB' } as const;

export const errorBody = z.looseObject({ error_code: z.string(), message: z.string().optional() });

export const createQrRequest = z.object({
  reference_id: z.string().min(1).max(255),
  type: z.literal('DYNAMIC'),
  currency: z.literal('IDR'),
  amount: z.number().int().min(1500).max(10_000_000),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  channel_code: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type CreateQrRequest = z.infer<typeof createQrRequest>;

export const qrCode = z.looseObject({
  id: z.string(),
  reference_id: z.string(),
  type: z.string(),
  currency: z.string(),
  amount: z.number().nullable().optional(),
  channel_code: z.string().optional(),
  expires_at: z.string(),
  qr_string: z.string(),
  status: z.enum(['ACTIVE', 'INACTIVE']),
  created: z.string().optional(),
});
export type QrCode = z.infer<typeof qrCode>;

export const qrPayment = z.looseObject({
  id: z.string(),
  qr_id: z.string(),
  reference_id: z.string(),
  amount: z.number(),
  currency: z.string().optional(),
  status: z.string(),
  created: z.string(),
});
export type QrPayment = z.infer<typeof qrPayment>;

export const qrPaymentList = z.looseObject({ data: z.array(qrPayment), has_more: z.boolean().optional() });

export const createVaRequest = z.object({
  external_id: z.string().min(1).max(255),
  bank_code: z.enum(Object.values(XENDIT_BANK_CODES) as [string, ...string[]]),
  name: z.string().min(1),
  expected_amount: z.number().int().positive().optional(),
  suggested_amount: z.number().int().positive().optional(),
  is_closed: z.boolean().optional(),
  is_single_use: z.boolean().optional(),
  expiration_date: z.iso.datetime({ offset: true }).optional(),
  virtual_account_number: z.string().regex(/^\d+$/).optional(),
  description: z.string().optional(),
});
export type CreateVaRequest = z.infer<typeof createVaRequest>;

export const virtualAccount = z.looseObject({
  id: z.string(),
  external_id: z.string(),
  bank_code: z.string(),
  merchant_code: z.string().optional(),
  name: z.string(),
  account_number: z.string(),
  is_closed: z.boolean().optional(),
  is_single_use: z.boolean().optional(),
  status: z.enum(['PENDING', 'ACTIVE', 'INACTIVE']),
  currency: z.string().optional(),
  expiration_date: z.string(),
  expected_amount: z.number().optional(),
});
export type VirtualAccount = z.infer<typeof virtualAccount>;

export const updateVaRequest = z.object({
  expiration_date: z.iso.datetime({ offset: true }).optional(),
  expected_amount: z.number().int().positive().optional(),
  suggested_amount: z.number().int().positive().optional(),
  is_single_use: z.boolean().optional(),
  description: z.string().optional(),
});

/** Flat FVA payment callback; also the shape of GET /callback_virtual_account_payments/payment_id={id}. */
export const vaPayment = z.looseObject({
  id: z.string().optional(),
  payment_id: z.string(),
  callback_virtual_account_id: z.string(),
  external_id: z.string(),
  account_number: z.string().optional(),
  bank_code: z.string().optional(),
  amount: z.number(),
  transaction_timestamp: z.string(),
  currency: z.string().optional(),
});
export type VaPayment = z.infer<typeof vaPayment>;

/** QR payment callback, api-version 2022-07-31. */
export const qrCallback = z.looseObject({
  event: z.string(),
  api_version: z.string().optional(),
  business_id: z.string().optional(),
  created: z.string().optional(),
  data: qrPayment,
});

/** Legacy (V1) QR callback, kept so a dashboard still on V1 does not lose payments. */
export const qrCallbackV1 = z.looseObject({
  event: z.literal('qr.payment'),
  id: z.string(),
  amount: z.number(),
  status: z.string(),
  created: z.string().optional(),
  qr_code: z.looseObject({ id: z.string(), external_id: z.string() }),
});
