import type { CatalogIndex } from './catalog-index.js';
import { classifyIntent, INTENT_WORDS } from './intent.js';
import { STOPWORDS } from './lexicon.js';
import { detectLanguage } from './language.js';
import { AMBIGUITY_MARGIN, findMentions, ITEM_THRESHOLD } from './mentions.js';
import { extractPayment } from './payment.js';
import { tokenize } from './text.js';
import type { NluAmbiguity, NluItem, NluResult } from './types.js';

const GENERIC_PRODUCT_WORDS = new Set(['obat', 'vitamin', 'minuman', 'makanan', 'snack', 'medicine', 'drink', 'food', 'barang', 'produk', 'sabun', 'susu', 'mie']);

/** Every answer for one message, plus the text position of each item and ambiguity (the CLI keeps the customer's order). */
export interface DetailedParse {
  result: NluResult;
  ordered: { sku: string; quantity: number }[];
}

export function parseDetailed(text: string, index: CatalogIndex): DetailedParse {
  const { tokens, question } = tokenize(text, index.vocab);
  const mentions = findMentions(tokens, index);

  const items: NluItem[] = [];
  const ambiguous: NluAmbiguity[] = [];
  const unknown: NluResult['unknown'] = [];
  const ordered: { sku: string; quantity: number; start: number }[] = [];
  for (const m of mentions) {
    const top = m.ranked[0];
    if (!top || top.score < ITEM_THRESHOLD) {
      const suggestions = m.ranked.filter((r) => r.score >= 0.3).slice(0, 3).map((r) => index.products[r.p]!.sku);
      unknown.push({ mention: m.mention, suggestions });
      continue;
    }
    const second = m.ranked[1];
    const sku = index.products[top.p]!.sku;
    if (second && second.score >= top.score - AMBIGUITY_MARGIN) {
      const candidates = m.ranked.filter((r) => r.score >= top.score - 0.1).slice(0, 5).map((r) => index.products[r.p]!.sku);
      ambiguous.push({ mention: m.mention, quantity: m.quantity, candidates });
    } else {
      const existing = items.find((i) => i.sku === sku);
      if (existing) existing.quantity += m.quantity;
      else items.push({ sku, quantity: m.quantity, quantityExplicit: m.explicit, mention: m.mention, score: round(top.score) });
    }
    const prev = ordered.find((o) => o.sku === sku);
    if (prev) prev.quantity += m.quantity; else ordered.push({ sku, quantity: m.quantity, start: m.start });
  }

  const words = tokens.filter((t) => t.kind === 'word').map((t) => t.text);
  const payment = extractPayment(words);
  const productNoun = unknown.length > 0 || words.some((w) => GENERIC_PRODUCT_WORDS.has(w) || index.categoryWords.has(w));
  const { intent, confidence } = classifyIntent({
    words,
    lower: text.toLowerCase(),
    question,
    itemCount: items.length + ambiguous.length,
    explicitQuantity: mentions.some((m) => m.explicit && (m.ranked[0]?.score ?? 0) >= ITEM_THRESHOLD),
    productNoun,
    unknownWords: words.filter((w) => w.length >= 3 && /^[a-z]+$/.test(w) && !STOPWORDS.has(w) && !INTENT_WORDS.has(w) && !index.vocab.has(w) && index.vocab.lookup(w).length === 0).length,
    payment,
  });
  // street names and talk about the courier are not shopping: "Jl. Cempaka Putih" names no rice
  if (intent === 'share_address' || intent === 'human' || intent === 'order_status') {
    items.length = 0;
    ambiguous.length = 0;
    unknown.length = 0;
    ordered.length = 0;
  }
  let method = payment.method;
  if (method === null && payment.transferWord && intent === 'choose_payment') method = 'va';

  const result: NluResult = {
    intent,
    confidence: ambiguous.length > 0 || unknown.length > 0 ? Math.min(confidence, 0.6) : confidence,
    language: detectLanguage(text),
    items,
    ambiguous,
    unknown,
    payment_method: method,
    bank: payment.bank,
  };
  return { result, ordered: ordered.sort((a, b) => a.start - b.start).map(({ sku, quantity }) => ({ sku, quantity })) };
}

export function parseMessage(text: string, index: CatalogIndex): NluResult {
  return parseDetailed(text, index).result;
}

function round(x: number): number { return Math.round(x * 1000) / 1000; }
