// Midtrans Core API v2 wire format (docs.midtrans.com; midtrans-nodejs-client). Shared by the adapter and
// the simulator so both sides agree on one shape.
import { z } from 'zod';

export const MIDTRANS_BANKS = ['bca', 'bni', 'bri', 'cimb', 'permata'] as const;

export const customExpiry = z.object({
  /** "2016-12-07 11:54:12 +0700" */
  order_time: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$/).optional(),
  expiry_duration: z.number().int().positive(),
  unit: z.enum(['second', 'minute', 'hour', 'day']),
});

export const chargeRequest = z.object({
  payment_type: z.enum(['qris', 'bank_transfer', 'echannel']),
  transaction_details: z.object({
    order_id: z.string().min(1).max(50),
    gross_amount: z.number().int().positive(),
  }),
  qris: z.object({ acquirer: z.enum(['gopay', 'airpay shopee']).optional() }).optional(),
  bank_transfer: z
    .object({
      bank: z.enum(MIDTRANS_BANKS),
      va_number: z.string().regex(/^\d+$/).optional(),
      permata: z.object({ recipient_name: z.string().max(20) }).optional(),
    })
    .optional(),
  echannel: z.object({ bill_info1: z.string().max(10), bill_info2: z.string().max(30), bill_key: z.string().optional() }).optional(),
  custom_expiry: customExpiry.optional(),
  customer_details: z.looseObject({ first_name: z.string().optional(), phone: z.string().optional() }).optional(),
  item_details: z.array(z.looseObject({ id: z.string().optional(), price: z.number().int(), quantity: z.number().int().positive(), name: z.string().max(50) })).optional(),
});
export type ChargeRequest = z.infer<typeof chargeRequest>;

const vaNumber = z.object({ bank: z.string(), va_number: z.string() });

/** Charge, status, cancel and expire responses, and notifications, share this shape (fields vary by type). */
export const transaction = z.looseObject({
  status_code: z.string(),
  status_message: z.string().optional(),
  transaction_id: z.string().optional(),
  order_id: z.string().optional(),
  merchant_id: z.string().optional(),
  gross_amount: z.string().optional(),
  currency: z.string().optional(),
  payment_type: z.string().optional(),
  transaction_time: z.string().optional(),
  transaction_status: z.string().optional(),
  fraud_status: z.string().optional(),
  expiry_time: z.string().optional(),
  settlement_time: z.string().optional(),
  qr_string: z.string().optional(),
  acquirer: z.string().optional(),
  va_numbers: z.array(vaNumber).optional(),
  permata_va_number: z.string().optional(),
  bill_key: z.string().optional(),
  biller_code: z.string().optional(),
  signature_key: z.string().optional(),
  actions: z.array(z.looseObject({ name: z.string(), method: z.string(), url: z.string() })).optional(),
});
export type Transaction = z.infer<typeof transaction>;

export const notification = transaction.extend({
  order_id: z.string(),
  status_code: z.string(),
  gross_amount: z.string(),
  signature_key: z.string(),
  transaction_status: z.string(),
  transaction_id: z.string(),
});
export type Notification = z.infer<typeof notification>;
