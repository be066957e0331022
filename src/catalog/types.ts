/** A product as pesan sees it, whichever catalog it comes from (the admin API's product shape). */
export interface Product {
  sku: string;
  name: string;
  price: number; // integer rupiah
  stock: number; // units that can still be sold
  unit?: string | null;
  category?: string | null;
  aliases?: string[];
  /** what the product is for, in the merchant's words ("untuk sakit kepala dan demam") */
  description?: string | null;
  /** extra words customers use for it: needs, symptoms, local names */
  search_words?: string[];
  prescription?: boolean;
  image_url?: string | null;
  active?: boolean;
}

export interface ReserveLine {
  sku: string;
  quantity: number;
}

export type ReserveResult =
  | { ok: true }
  | { ok: false; shortages: { sku: string; requested: number; available: number }[] };

/**
 * A client's own product/stock system behind a connector (rest = pesan's connector spec,
 * woocommerce). The internal catalog lives in pesan's database and does not go through this port.
 */
export interface CatalogConnector {
  readonly kind: 'rest' | 'woocommerce';
  listProducts(): Promise<Product[]>;
  search(query: string, limit?: number): Promise<Product[]>;
  /** Live stock for these SKUs. */
  getProducts(skus: string[]): Promise<Product[]>;
  /** Holds stock at the client until expiresAt; connectors without holds re-check stock instead. */
  reserve(orderId: string, lines: ReserveLine[], expiresAt: Date): Promise<ReserveResult>;
  release(orderId: string): Promise<void>;
  /** After payment: the client turns the hold into a sale (WooCommerce: an order with set_paid). */
  commit(orderId: string, lines: ReserveLine[], customer: { name: string; phone: string; address?: string }): Promise<void>;
}
