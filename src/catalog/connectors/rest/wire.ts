// Wire format of pesan's catalog connector spec (docs/catalog-connector.openapi.yaml).
// The client answers, pesan validates: a malformed product is skipped, never trusted.
import { z } from 'zod';

const text = z.string().trim().min(1);

/** One product as a client sends it; stock below zero (oversold at the client) counts as none left. */
export const wireProduct = z.object({
  sku: text.max(100),
  name: text.max(300),
  price: z.number().int('price must be whole rupiah').nonnegative(),
  stock: z
    .number()
    .int('stock must be a whole number')
    .transform((n) => Math.max(0, n)),
  unit: z.string().nullish(),
  category: z.string().nullish(),
  aliases: z.array(z.string()).nullish(),
  description: z.string().nullish(),
  search_words: z.array(z.string()).nullish(),
  prescription: z.boolean().nullish(),
  image_url: z.string().nullish(),
  active: z.boolean().nullish(),
});
export type WireProduct = z.infer<typeof wireProduct>;

export const productPage = z.object({
  products: z.array(z.unknown()),
  next_cursor: z.string().nullish(),
});

export const productBatch = z.object({
  products: z.array(z.unknown()),
  missing: z.array(z.string()).optional(),
});

export const shortage = z.object({
  sku: z.string(),
  requested: z.number().int(),
  available: z.number().int().transform((n) => Math.max(0, n)),
});

export const errorBody = z.object({
  error: z.string(),
  message: z.string().optional(),
  shortages: z.array(shortage).optional(),
});

export const reservationLine = z.object({
  sku: text,
  quantity: z.number().int().positive(),
});

export const reservationRequest = z.object({
  order_id: text.max(200),
  lines: z.array(reservationLine).min(1),
  expires_at: z.iso.datetime({ offset: true }),
});

export const commitRequest = z.object({
  customer: z.object({
    name: z.string(),
    phone: z.string(),
    address: z.string().nullish(),
  }),
  lines: z.array(reservationLine).min(1).optional(),
});

export type ReservationStatus = 'held' | 'released' | 'expired' | 'committed';

export interface ReservationBody {
  reservation_id: string;
  order_id: string;
  status: ReservationStatus;
  expires_at: string;
  lines: { sku: string; quantity: number }[];
}
