import type { CatalogIndex } from './catalog-index.js';
import { naturalAmounts, wordHits, type Hit, type Span } from './evidence.js';
import { scoreProduct } from './product-score.js';
import { STOPWORDS } from './lexicon.js';
import { tokenize } from './text.js';

/** Typo-tolerant product search for "type a name" menus: every query word counts, none is required. */
export function searchProducts(query: string, index: CatalogIndex, limit = 10): { sku: string; score: number }[] {
  const { tokens } = tokenize(query, index.vocab);
  const span: Span = { clause: 0, start: 0, end: 0, toks: [], cand: new Set(), looseSizes: [], bulk: false, unit: null, qty: null, mult: null, price: null, unexplained: 0, fragment: false, purpose: false };
  tokens.forEach((t, i) => {
    if (t.kind !== 'word' && t.kind !== 'size' && t.kind !== 'num') return;
    if (t.kind === 'word' && STOPWORDS.has(t.text) && !index.vocab.has(t.text)) return;
    const hits = t.kind === 'word' ? wordHits(t.text, index) : t.kind === 'num' ? numberHits(t.value, index) : [{ word: t.text, sim: 1 }];
    const weight = Math.max(1, ...hits.map((h) => index.idf.get(h.word) ?? 1));
    span.toks.push({ i, hits, weight });
    for (const h of hits) for (const p of index.postings.get(h.word) ?? []) span.cand.add(p.p);
  });
  const out: { sku: string; score: number }[] = [];
  for (const p of span.cand) {
    const score = scoreProduct(span, index.products[p]!);
    if (score > 0.2) out.push({ sku: index.products[p]!.sku, score: Math.round(score * 1000) / 1000 });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, limit);
}

/** A bare number in a search is usually a size ("kayu putih 120"). */
function numberHits(value: number, index: CatalogIndex): Hit[] {
  const keys = new Set<string>([String(value)]);
  for (const p of index.products) for (const s of p.sizes) if (naturalAmounts(s).includes(value)) keys.add(s.key);
  return [...keys].map((word) => ({ word, sim: 1 }));
}
