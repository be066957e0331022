// The dialogue policy's inputs (a snapshot of the conversation) and outputs (steps to act on).
import type { Stage } from '../stage.js';
import type { ConversationState, SavedPlace } from '../turn.js';
import type { PaymentOptions, StoreFacts } from '../store-facts.js';
import type { PaymentTopic, StoreFact } from '../../nlu/acts.js';
import type { Bank } from '../../payments/port.js';

export interface CartLineView {
  sku: string;
  name: string;
  quantity: number;
  line_total: number;
}

export interface DialogueView {
  stage: Stage;
  /** An order (open, or the customer's last one) exists to report on. */
  hasOrder: boolean;
  /** The cart's lines while it can be edited; empty otherwise. */
  cart: CartLineView[];
  pending?: ConversationState['pending'];
  misreads: number;
  place?: SavedPlace;
  facts: StoreFacts;
  payments: PaymentOptions;
}

/** The message and, per sku, the words of it the parser read the product from. */
export interface NameCheck {
  text: string;
  mentions: Record<string, string>;
}

export interface Line {
  sku: string;
  quantity: number;
}

/** Something said that needs no database: rendered in the customer's language (render/say.ts). */
export type Say =
  | { say: 'thanks' }
  | { say: 'goodbye' }
  | { say: 'compliment' }
  | { say: 'cart_empty' }
  | { say: 'no_order' }
  | { say: 'did_not_understand' }
  | { say: 'locked_order' }
  | { say: 'nothing_to_cancel' }
  | { say: 'not_in_cart' }
  | { say: 'declined' }
  | { say: 'empty_catalog' }
  | { say: 'go_ahead' }
  | { say: 'need_not_found'; need: string }
  | { say: 'payment_answer'; topic: PaymentTopic; wallet?: string; options: PaymentOptions }
  | { say: 'store_fact'; fact: StoreFact; place?: string; facts: StoreFacts }
  | { say: 'below_minimum'; minimum: number; subtotal: number };

export type Step =
  | { do: 'say'; what: Say }
  | { do: 'greet' }
  | { do: 'menu'; page: number }
  | { do: 'category'; index: number; page: number }
  /**
   * Lines into the cart. With `check`, the words the parser read each product from (by sku) are
   * held against the catalog: a line whose name leaves out what the customer typed next to it
   * ("nasi kuning" read as Nasi Putih, "besi 16 mm" as another size) is asked first.
   */
  | { do: 'cart.set'; lines: Line[]; mode: 'set' | 'add'; check?: NameCheck }
  /** Lines read with low confidence: asked with buttons, entered only on "yes". */
  | { do: 'cart.propose'; lines: (Line & { mention: string })[]; mode: 'set' | 'add'; replaces?: string }
  /** `typed`: the order message; of a product and its packs, the single one is taken when no pack is named. */
  | { do: 'cart.choose'; mention: string; skus: string[]; quantity: number; typed?: string }
  /** `mentions`: the words naming the lines, for a line the parser read as a look-alike ("tolak anginnya" for the box). */
  | { do: 'cart.remove'; skus: string[]; mentions?: string[] }
  | { do: 'cart.clear' }
  | { do: 'cart.show' }
  | { do: 'cart.replace'; from: string; to: Line }
  /** "ganti X jadi yg 60 ml": the line by its name, replaced by the variant the words describe. */
  | { do: 'cart.replace_variant'; fromMention: string; fromSkus: string[]; toText: string; to?: Line & { explicit: boolean } }
  | { do: 'products.answer'; skus: string[]; check?: NameCheck }
  /** Products answering a need ("obat pusing"): listed to choose from, none added. */
  | { do: 'products.list'; mention: string; skus: string[] }
  /** A name not pinned to a product: "not sold" with the closest, or "which one?" when they all carry that name. */
  | { do: 'products.not_sold'; mention: string; suggestions: string[]; quantity?: number; text?: string; /** asked, not ordered: shown, never proposed */ question?: boolean }
  | { do: 'product.out_of_stock'; sku: string }
  | { do: 'order.confirm' }
  | { do: 'order.cancel' }
  | { do: 'order.status' }
  | { do: 'payment.choose'; method: 'qris' | 'va'; bank: Bank | null }
  | { do: 'payment.claim' }
  | { do: 'payment.ask_method' }
  | { do: 'place.pin'; lat: number; lng: number; address?: string }
  | { do: 'place.address'; text: string }
  | { do: 'image'; mediaId: string; mimeType: string }
  | { do: 'prompt.repeat' }
  | { do: 'handover'; question?: string }
  /** After messages the bot could not read: the menu and a person, as buttons. */
  | { do: 'help.offer' };

export interface Decision {
  steps: Step[];
  /** The bot could not read this message (counts towards offering a person). */
  misread: boolean;
  /** A question the bot could not answer: kept for staff. */
  unanswered?: string;
}
