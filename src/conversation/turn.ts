// What one message's processing works on: the conversation, its customer and merchant, the open
// order, and the replies collected so far. Types only, so every stage of the pipeline can share
// them without importing one another.
import type { AppContext, MerchantRow } from '../context.js';
import type { Queryable } from '../db/index.js';
import type { OutgoingMessage } from '../channel/whatsapp/outgoing.js';
import type { LoadedCatalog } from '../catalog/service.js';
import type { OrderRow } from '../orders/repo.js';
import type { Recipient } from './outbox.js';
import type { LlmHint } from './llm-assist.js';
import type { Lang } from './texts.js';

export interface ConversationRow {
  id: number;
  merchant_id: string;
  customer_id: number;
  state: ConversationState;
  catalog_id: string | null;
  catalog_reason: string | null;
  active_order_id: string | null;
  human_handover: boolean;
}

/** A place the customer gave before the order asked for it (kept for the order, never asked again). */
export interface SavedPlace {
  lat?: number;
  lng?: number;
  address?: string;
}

export interface ConversationState {
  /** A question we asked and whose answer we are waiting for. */
  pending?:
    | { kind: 'ambiguity'; mention: string; quantity: number; candidates: string[]; names?: string[] }
    /** Lines read with low confidence, waiting for the customer's "yes" before they enter the cart. */
    | { kind: 'proposal'; lines: { sku: string; quantity: number }[]; mode: 'set' | 'add'; replaces?: string }
    /** Products just shown in answer to a question: "mau 2" / "yes" then orders them. */
    | { kind: 'asked'; skus: string[] };
  /** Messages in a row the bot could not read; at two it offers the menu and a person. */
  misreads?: number;
  /**
   * The customer's latest question the bot could not answer, shown to staff (inbox
   * `pending_question`). Once a person was asked for it stays until staff reply; otherwise the
   * next message the bot understands retires it.
   */
  pendingQuestion?: { text: string; at: string; handover?: boolean };
  /** A location pin or typed address shared before the order needed it. */
  place?: SavedPlace;
  /** When the customer asked for a person (ISO time); staff writing after it take the conversation over. */
  personAskedAt?: string;
  /**
   * While a person is asked for and has not answered: when the customer started ordering by
   * themselves, so the bot serves them until staff write (ISO time).
   */
  servingWhileWaiting?: string;
  /** Set by catalog routing (understand/routing.ts). */
  catalogQuestion?: { text: string; switchTo?: string; reason?: string };
}

export interface CustomerRow {
  id: number;
  wa_id: string;
  name: string | null;
  language: Lang;
}

export interface Turn {
  ctx: AppContext;
  tx: Queryable;
  merchant: MerchantRow;
  conv: ConversationRow;
  customer: CustomerRow;
  lang: Lang;
  to: Recipient;
  out: OutgoingMessage[];
  order?: OrderRow;
  catalog?: LoadedCatalog;
  /** The optional LLM's reading of this message, asked before the transaction (llm-assist.ts). */
  llmHint?: LlmHint;
}
