// Products that answer a need ("obat pusing", "buat batuk berdahak", "lem buat kertas"): searched over
// what the merchant wrote about each product (category, description, search words) as well as its name.
// Used only to list products for the customer to choose from; nothing here adds to a cart.
import type { CatalogIndex } from './catalog-index.js';
import { CHAT_WORDS, STOPWORDS } from './lexicon.js';
import type { Token } from './text.js';

/** Everyday words for a complaint → the words catalogs use for it. */
const NEED_WORDS: Record<string, string[]> = {
  pusing: ['kepala', 'sakit kepala', 'nyeri'], pening: ['kepala', 'pusing'], migrain: ['kepala'], meriang: ['demam'], panas: ['demam'],
  demam: ['demam', 'panas'], mencret: ['diare'], diare: ['diare'], sembelit: ['pencahar'], mual: ['mual', 'maag'], maag: ['maag', 'lambung'],
  kembung: ['angin', 'maag'], masuk: [], angin: ['angin'], pilek: ['flu', 'pilek'], flu: ['flu', 'pilek'], batuk: ['batuk'], dahak: ['berdahak', 'batuk'],
  berdahak: ['berdahak', 'batuk'], kering: ['kering'], gatal: ['gatal', 'alergi'], alergi: ['alergi'], luka: ['luka', 'antiseptik', 'plester'],
  nyeri: ['nyeri', 'pereda'], pegal: ['pegal', 'nyeri', 'otot'], linu: ['nyeri', 'otot'], sariawan: ['sariawan'], mata: ['mata'], gigi: ['gigi'],
  kulit: ['kulit'], jerawat: ['jerawat'], bocor: ['bocor'], rembes: ['bocor'], karat: ['karat'], kutu: ['kutu'], cacing: ['cacing'],
  headache: ['kepala'], fever: ['demam'], cough: ['batuk'], cold: ['flu'], diarrhea: ['diare'], itch: ['gatal'], wound: ['luka'],
};

/** Products whose words cover the need typed in these tokens, best first (at most `limit`). */
export function matchNeeds(tokens: Token[], index: CatalogIndex, limit = 5): string[] {
  const words = tokens.filter((t) => t.kind === 'word' && t.text.length >= 3 && !STOPWORDS.has(t.text)).map((t) => t.text);
  const wanted: { alts: string[]; weight: number }[] = [];
  for (const w of words) {
    const alts = [w, ...(NEED_WORDS[w] ?? [])].flatMap((x) => x.split(' '));
    const known = alts.filter((a) => index.needPostings.has(a));
    if (known.length === 0) continue;
    // a complaint word weighs more than a generic one ("buat", "kak" are not here; "obat" is a stopword)
    const weight = (NEED_WORDS[w] ? 2 : 1) * (CHAT_WORDS.has(w) && !NEED_WORDS[w] ? 0.5 : 1);
    wanted.push({ alts: known, weight });
  }
  if (wanted.length === 0 || !wanted.some((x) => x.weight >= 2 || index.needOnly.has(x.alts[0]!))) return [];
  const total = wanted.reduce((a, b) => a + b.weight, 0);
  const scores = new Map<number, number>();
  for (const { alts, weight } of wanted) {
    const hit = new Set<number>();
    for (const a of alts) for (const p of index.needPostings.get(a) ?? []) hit.add(p);
    for (const p of hit) scores.set(p, (scores.get(p) ?? 0) + weight);
  }
  return [...scores]
    .map(([p, s]) => ({ p, s: s / total }))
    .filter((x) => x.s >= 0.5)
    .sort((a, b) => b.s - a.s || (index.products[b.p]!.product.stock ?? 0) - (index.products[a.p]!.product.stock ?? 0))
    .slice(0, limit)
    .map((x) => index.products[x.p]!.sku);
}

/** A complaint or purpose word ("pusing", "bocor"), as opposed to a product's name. */
export function isNeedWord(w: string): boolean { return NEED_WORDS[w] !== undefined; }

/** "sunscreen ada apa aja", "lauknya ada apa aja": the products of the kind the words name, by category or name. */
export function productsOfKind(tokens: Token[], index: CatalogIndex, limit = 10): string[] {
  const words = tokens.filter((t) => t.kind === 'word' && t.text.length >= 3 && !STOPWORDS.has(t.text)).map((t) => t.text);
  const score = new Map<number, number>();
  for (const w of words) {
    for (const p of index.needPostings.get(w) ?? []) score.set(p, (score.get(p) ?? 0) + 1);
  }
  const best = Math.max(0, ...score.values());
  if (best === 0) return [];
  return [...score].filter(([, s]) => s === best)
    .sort((a, b) => (index.products[b[0]]!.product.stock ?? 0) - (index.products[a[0]]!.product.stock ?? 0))
    .slice(0, limit)
    .map(([p]) => index.products[p]!.sku);
}
