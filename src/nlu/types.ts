export interface CatalogProduct {
  sku: string;
  name: string;
  price: number /* integer rupiah */;
  stock?: number;
  unit?: string | null;
  category?: string | null;
  aliases?: string[];
  description?: string | null;
  search_words?: string[];
  prescription?: boolean;
  image_url?: string | null;
  active?: boolean;
}

export type Intent =
  | 'greeting'
  | 'browse_catalog'
  | 'order'
  | 'ask_product'
  | 'remove_item'
  | 'confirm'
  | 'cancel'
  | 'choose_payment'
  | 'payment_claim'
  | 'order_status'
  | 'share_address'
  | 'human'
  | 'other';

export const INTENTS: readonly Intent[] = [
  'greeting', 'browse_catalog', 'order', 'ask_product', 'remove_item', 'confirm', 'cancel',
  'choose_payment', 'payment_claim', 'order_status', 'share_address', 'human', 'other',
];

export type Bank = 'bca' | 'bni' | 'bri' | 'mandiri' | 'permata' | 'cimb';
export const BANKS: readonly Bank[] = ['bca', 'bni', 'bri', 'mandiri', 'permata', 'cimb'];

export type PaymentMethod = 'qris' | 'va';

export interface NluItem { sku: string; quantity: number; quantityExplicit: boolean; mention: string; score: number }
export interface NluAmbiguity { mention: string; quantity: number; candidates: string[] /* skus, best first, max 5 */ }

export interface NluResult {
  intent: Intent;
  confidence: number;
  language: 'id' | 'en';
  items: NluItem[];
  ambiguous: NluAmbiguity[];
  unknown: { mention: string; suggestions: string[] }[];
  payment_method: PaymentMethod | null;
  bank: Bank | null;
  /**
   * Products that answer a need or a question ("obat pusing", "yang buat batuk berdahak", "ada
   * sunlight?"), best first. Shown to the customer to choose from; never added to the cart by themselves.
   */
  matches?: string[];
}

/** An item whose score is below this is confirmed with the customer (buttons) before it changes the cart. */
export const CONFIRM_BELOW = 0.75;
