// What the merchant has told pesan about the shop (merchant settings, PATCH /api/v1/settings) and
// which ways of paying this instance can take: the facts the dialogue answers questions with.
import type { AppContext, MerchantRow } from '../context.js';
import { BANKS, type Bank } from '../payments/port.js';

export interface StoreFacts {
  opening_hours?: string;
  store_address?: string;
  delivery_area?: string[];
  delivery_radius_km?: number;
  /** Integer rupiah; a cart below it cannot be confirmed. */
  minimum_order?: number;
  /** The shop takes cash on delivery (arranged by staff; pesan itself charges QRIS or VA). */
  cash_on_delivery?: boolean;
}

export interface PaymentOptions {
  qris: boolean;
  va: boolean;
  banks: Bank[];
  cod: boolean;
}

export function storeFactsOf(merchant: MerchantRow): StoreFacts {
  const s = (merchant.settings ?? {}) as StoreFacts;
  return {
    opening_hours: s.opening_hours || undefined,
    // The pickup address the merchant was created with answers "where are you" when none is set.
    store_address: s.store_address || merchant.address || undefined,
    delivery_area: Array.isArray(s.delivery_area) && s.delivery_area.length ? s.delivery_area : undefined,
    delivery_radius_km: typeof s.delivery_radius_km === 'number' && s.delivery_radius_km > 0 ? s.delivery_radius_km : undefined,
    minimum_order: typeof s.minimum_order === 'number' && s.minimum_order > 0 ? s.minimum_order : undefined,
    cash_on_delivery: s.cash_on_delivery === true,
  };
}

/** Any configured gateway that can take the method counts (payments/service.ts picks among them the same way). */
export function paymentOptionsOf(ctx: AppContext, merchant: MerchantRow): PaymentOptions {
  const gateways = [...ctx.gateways.values()];
  const qris = gateways.some((g) => g.supports('qris'));
  const banks = BANKS.filter((b) => gateways.some((g) => g.supports('va', b)));
  return { qris, va: banks.length > 0, banks, cod: ((merchant.settings ?? {}) as StoreFacts).cash_on_delivery === true };
}
