// The parts of the WooCommerce REST API v3 (/wp-json/wc/v3) pesan reads and writes.
import { z } from 'zod';

export const wooCategory = z.object({ id: z.number().optional(), name: z.string(), slug: z.string().optional() });
export const wooImage = z.object({ id: z.number().optional(), src: z.string(), alt: z.string().optional() });

export const wooProduct = z.object({
  id: z.number().int(),
  name: z.string(),
  sku: z.string().nullish(),
  type: z.string().optional(),
  status: z.string().optional(),
  // A string such as "12500" or "12500.00", depending on the shop's decimals setting; "" when unset.
  price: z.union([z.string(), z.number()]).nullish(),
  // "parent" appears on variations that inherit stock management.
  manage_stock: z.union([z.boolean(), z.literal('parent')]).optional(),
  stock_quantity: z.number().nullish(),
  stock_status: z.string().optional(),
  purchasable: z.boolean().optional(),
  categories: z.array(wooCategory).optional(),
  images: z.array(wooImage).optional(),
});
export type WooProduct = z.infer<typeof wooProduct>;

export const wooMeta = z.object({ id: z.number().optional(), key: z.string(), value: z.unknown() });

export const wooOrder = z.object({
  id: z.number().int(),
  status: z.string().optional(),
  meta_data: z.array(wooMeta).optional(),
});

export const wooError = z.object({
  code: z.string(),
  message: z.string().optional(),
  data: z.object({ status: z.number().optional() }).passthrough().nullish(),
});

export const createOrderRequest = z.object({
  payment_method: z.string().optional(),
  payment_method_title: z.string().optional(),
  set_paid: z.boolean().optional(),
  status: z.string().optional(),
  customer_note: z.string().optional(),
  billing: z.record(z.string(), z.string()).optional(),
  shipping: z.record(z.string(), z.string()).optional(),
  line_items: z.array(z.object({ product_id: z.number().int(), quantity: z.number().int().positive() })).min(1),
  meta_data: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
});

/** The order meta key that ties a WooCommerce order to the pesan order it records. */
export const PESAN_ORDER_META_KEY = 'pesan_order_id';
