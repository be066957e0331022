import { FuzzyVocabulary } from './fuzzy.js';
import { CONJUNCTIONS, COUNT_UNITS, FILLERS, STOPWORDS } from './lexicon.js';

const FUNCTION_WORDS = new Set([...CONJUNCTIONS, ...FILLERS, 'di', 'ke', 'untuk', 'for', 'in']);
import { tokenize } from './text.js';
import type { CatalogProduct } from './types.js';

/** One way of naming a product: its name or one of its aliases, as weighted tokens. */
export interface IndexedField { tokens: string[]; weights: number[]; total: number; alias: boolean }

export interface IndexedProduct {
  ord: number;
  sku: string;
  name: string;
  unit: string | null;
  /** a carton/box of several units ("1 dus (24 botol)") */
  bulk: boolean;
  /** size keys such as "#v600" */
  sizes: { key: string; dim: string; amount: number }[];
  fields: IndexedField[];
  product: CatalogProduct;
}

export interface Posting { p: number; f: number; t: number }

export interface CatalogIndex {
  products: IndexedProduct[];
  bySku: Map<string, IndexedProduct>;
  postings: Map<string, Posting[]>;
  idf: Map<string, number>;
  vocab: FuzzyVocabulary;
  /** per-product set of every token in any field, for fast "does p contain w" checks */
  tokenSets: Set<string>[];
  /** single product → the carton of the same product ("Aqua 600ml" → "Aqua 600ml 1 dus (24 botol)") */
  bulkSibling: Map<number, number>;
  /** words of product categories ("obat batuk", "mie instan"): product talk without a product */
  categoryWords: Set<string>;
}

interface ParsedName { tokens: string[]; bulk: boolean; sizes: { key: string; dim: string; amount: number }[] }

const BULK_MARK = '~carton';

function parseName(text: string): ParsedName {
  // parenthesised remarks ("(24 botol)") describe contents, not what customers type
  const cleaned = text.replace(/\([^)]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' ');
  const toks = tokenize(cleaned).tokens;
  const out: string[] = [];
  const sizes: ParsedName['sizes'] = [];
  let bulk = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === 'unit' && t.bulk) {
      bulk = true;
      if (out.length > 0 && toks[i - 1]?.kind === 'num') out.pop();
      // A carton alias ("indomie dus") must not fully match a plain "indomie": keep a token for the
      // carton that no customer word produces, so the single unit wins unless a carton is asked for.
      out.push(BULK_MARK);
      continue;
    }
    if (t.kind === 'size') {
      out.push(t.text);
      sizes.push({ key: t.text, dim: t.dim ?? 'v', amount: t.value });
      continue;
    }
    if (t.kind === 'sep' || t.kind === 'x') continue;
    out.push(t.text);
  }
  return { tokens: out, bulk, sizes };
}

function tokenWeight(tok: string, idf: number, position: number, category: Set<string>): number {
  if (tok.startsWith('#')) return idf * 0.5;
  if (tok in COUNT_UNITS || FUNCTION_WORDS.has(tok)) return idf * 0.3;
  // a word the category repeats ("Betadine Antiseptik", category antiseptik) describes; the leading word names
  if (category.has(tok)) return idf * 0.5;
  if (position === 0) return idf * 1.5;
  return idf;
}

/** Precompute everything parseMessage needs; linear in catalog size. */
export function buildCatalogIndex(products: CatalogProduct[]): CatalogIndex {
  const active = products.filter((p) => p.active !== false);
  const parsed = active.map((p) => {
    const name = parseName(p.name);
    const aliases = (p.aliases ?? []).map((a) => parseName(a)).filter((a) => a.tokens.length > 0);
    const unit = p.unit ? p.unit.toLowerCase().trim() : null;
    const unitBulk = unit !== null && COUNT_UNITS[unit] === true;
    return { p, name, aliases, unit, bulk: name.bulk || unitBulk };
  });

  const df = new Map<string, number>();
  for (const x of parsed) {
    const seen = new Set<string>([...x.name.tokens, ...x.aliases.flatMap((a) => a.tokens)]);
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const n = Math.max(parsed.length, 1);
  const idf = new Map<string, number>();
  for (const [t, d] of df) idf.set(t, Math.log(1 + n / d));

  const indexed: IndexedProduct[] = [];
  const postings = new Map<string, Posting[]>();
  const tokenSets: Set<string>[] = [];
  parsed.forEach((x, ord) => {
    const fieldsRaw = [{ tokens: x.name.tokens, alias: false }, ...x.aliases.map((a) => ({ tokens: a.tokens, alias: true }))];
    const category = new Set(x.p.category ? tokenize(x.p.category).tokens.map((t) => t.text) : []);
    const fields: IndexedField[] = fieldsRaw.map((f) => {
      const weights = f.tokens.map((t, i) => tokenWeight(t, idf.get(t) ?? 1, i, category));
      return { tokens: f.tokens, weights, total: weights.reduce((a, b) => a + b, 0) || 1, alias: f.alias };
    });
    fields.forEach((f, fi) => f.tokens.forEach((tok, ti) => {
      const list = postings.get(tok);
      const posting = { p: ord, f: fi, t: ti };
      if (list) list.push(posting); else postings.set(tok, [posting]);
    }));
    tokenSets.push(new Set(fields.flatMap((f) => f.tokens)));
    indexed.push({
      ord, sku: x.p.sku, name: x.p.name, unit: x.unit, bulk: x.bulk,
      sizes: [...x.name.sizes, ...x.aliases.flatMap((a) => a.sizes)], fields, product: x.p,
    });
  });

  const bulkSibling = new Map<number, number>();
  const bulkOnes = indexed.filter((p) => p.bulk);
  for (const p of indexed) {
    if (p.bulk) continue;
    const name = p.fields[0]!.tokens;
    const sib = bulkOnes.find((b) => {
      const bt = b.fields[0]!.tokens;
      return name.every((t) => bt.includes(t)) && bt.length - name.length <= 1;
    });
    if (sib) bulkSibling.set(p.ord, sib.ord);
  }

  return {
    bulkSibling,
    products: indexed,
    bySku: new Map(indexed.map((p) => [p.sku, p])),
    postings,
    idf,
    vocab: new FuzzyVocabulary(postings.keys()),
    tokenSets,
    categoryWords: new Set(active.flatMap((p) => (p.category ? tokenize(p.category).tokens : []))
      .filter((t) => t.kind === 'word' && !STOPWORDS.has(t.text) && t.text.length > 2).map((t) => t.text)),
  };
}
