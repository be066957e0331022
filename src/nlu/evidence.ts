// What the catalog says about the words a customer typed: which catalog words each typed word may
// be, which products carry them, and how much each one tells products apart. Shared by mention
// building, scoring and product search.
import type { CatalogIndex, IndexedProduct } from './catalog-index.js';
import { CHAT_WORDS, CONJUNCTIONS, COUNT_UNITS, FILLERS, STOPWORDS, SYNONYMS, UNIT_ALIASES } from './lexicon.js';
import type { Token } from './text.js';
import { ind as indonesianStopwords } from 'stopword';
import { consonants, isSubsequence } from './fuzzy.js';
import { INTENT_WORDS } from './intent.js';

export interface Hit { word: string; sim: number }

/** A message token that points at catalog words. */
export interface QTok { i: number; hits: Hit[]; weight: number }

export interface Span {
  clause: number;
  start: number;
  end: number;
  toks: QTok[];
  cand: Set<number>;
  /** "2 kg" next to a product sold per 1 kg: a quantity in disguise */
  looseSizes: Token[];
  bulk: boolean;
  unit: string | null;
  qty: number | null;
  /** "lusin" (12), "kodi" (20): the count is in these unless the product is sold by that unit */
  mult: number | null;
  /** a price the customer named ("yg 45rb"): only products at that price */
  price: number | null;
  /** content words right after it that no product explains ("genteng keramik kanmuri"): maybe not sold here */
  unexplained: number;
  /** a single generic word cut off by a word no product shares with it ("genteng | keramik") */
  fragment: boolean;
  /** said with a word right after it that describes a kind none of its products is ("cat kayu emco | putih",
   * "implora | cushion"): the customer asks for a variant the shop may not sell */
  contradicted?: boolean;
  /** said in a container none of its products comes in ("aqua gelas" where Aqua is sold in bottles): not sold here */
  unsoldForm?: boolean;
  /** said as the next item of a list: after a separator, "and", or the count of the item before */
  listed?: boolean;
  /** the word that contradicted the mention before, read as a product of its own: maybe, so it is asked */
  cutter?: boolean;
  /** inside "buat …"/"untuk …": describes what the product is for */
  purpose: boolean;
  /** "kecil"/"besar" next to it: the smallest or largest size among its candidates */
  sizeAdj?: { dim: string; amount: number };
  /** shortened to what tells it apart; its words are borrowed from the mention before */
  elliptic?: boolean;
  /** the candidates before the last word narrowed them, for a size said later that only they carry */
  wider?: Set<number>;
  /** "besar"/"kecil" said next to it */
  sizeWord?: 'small' | 'large';
  /** "yg biasa", "yang original" said: the plain one, not a variant with more words */
  plainAsked?: boolean;
  /** "yg pak 100 lembar": the pieces the wanted pack holds */
  holds?: { n: number; unit: string };
}

/** Indonesian function words (a maintained list): a customer who types one means that word, not a product's. */
const INDONESIAN_FUNCTION_WORDS = new Set<string>(indonesianStopwords.filter((w) => !w.includes('-')));

export function wordHits(w: string, index: CatalogIndex): Hit[] {
  // everyday chat words match a product only when the catalog spells them exactly ("makan" is not "makanan")
  // (…with the catalog's other names for it: "gas" of "LPG 3KG")
  if (STOPWORDS.has(w) || INTENT_WORDS.has(w) || CHAT_WORDS.has(w) || INDONESIAN_FUNCTION_WORDS.has(w)) {
    return index.vocab.has(w) ? [{ word: w, sim: 1 }, ...(SYNONYMS[w] ?? []).filter((x) => x !== w && index.vocab.has(x)).map((x) => ({ word: x, sim: 0.9 }))] : [];
  }
  // a word the catalog has exactly is that word; a look-alike with another first letter ("tembok" for
  // "gembok") is only a typo of a word the catalog lacks
  const hits = index.vocab.has(w) ? index.vocab.lookup(w).filter((h) => h.word[0] === w[0]) : [...index.vocab.lookup(w)];
  for (const syn of SYNONYMS[w] ?? []) if (index.vocab.has(syn) && syn !== w) hits.push({ word: syn, sim: 0.9 });
  // "goreng" of "INDOMIE GRG SPC 85G", "bawang" of "AYM BWG": a till-receipt abbreviation in the catalog is the
  // typed word's letters, in order, with its vowels left out
  if (w.length >= 4 && /^[a-z]+$/.test(w)) for (const a of abbreviationsOf(w, index)) if (!hits.some((h) => h.word === a)) hits.push({ word: a, sim: 0.9 });
  // "bodreks ekstra", "miksagrip", "kapucino": the same sounds spelled the Indonesian way
  if (!hits.some((h) => h.sim >= 0.9) && w.length >= 4) {
    for (const x of soundsLike(index).get(phoneticKey(w)) ?? []) if (x !== w) hits.push({ word: x, sim: 0.92 });
  }
  // "ngeprint", "difotokopi": a verb made of a catalog word names what it is done with
  if (!index.vocab.has(w) && !hits.some((h) => h.sim >= 0.9)) {
    const root = verbRoot(w, index);
    if (root) hits.push({ word: root, sim: 0.97 });
  }
  // "vitaminc", "vitamine": a name word with the one-letter word that follows it in some name, typed joined
  if (!hits.some((h) => h.sim === 1) && w.length >= 5) {
    const a = w.slice(0, -1);
    const b = w.slice(-1);
    if (index.vocab.has(a) && (index.postings.get(a) ?? []).some((x) => index.products[x.p]!.fields[x.f]!.tokens[x.t + 1] === b)) return [{ word: a, sim: 0.95 }, { word: b, sim: 0.95 }];
  }
  if (hits.length === 0 && w.length >= 5) {
    // glued words: "indomiegoreng", "tolakangin"
    for (let k = 2; k <= w.length - 2; k++) {
      const a = w.slice(0, k);
      const b = w.slice(k);
      if (index.vocab.has(a) && index.vocab.has(b)) return [{ word: a, sim: 0.95 }, { word: b, sim: 0.95 }];
    }
    const blend = blendOf(w, index);
    if (blend) return blend;
  }
  return hits;
}

const nameBigrams = new WeakMap<CatalogIndex, [string, string][]>();
/**
 * "pisgor", "nasduk", "naskun", "migor": two words of a name shortened into one, the start of the first with the
 * start or the end of the second (pis-ang gor-eng, nas-i u-duk). Read only when it fits one or two word pairs.
 */
function blendOf(w: string, index: CatalogIndex): Hit[] | null {
  let pairs = nameBigrams.get(index);
  if (!pairs) {
    const seen = new Set<string>();
    pairs = [];
    for (const p of index.products) {
      const t = p.fields.flatMap((f) => f.tokens.slice(0, 3).map((x, j) => [x, f.tokens[j + 1]] as const));
      for (const [a, b] of t) {
        if (!b || !/^[a-z]{2,}$/.test(a) || !/^[a-z]{3,}$/.test(b) || seen.has(`${a} ${b}`)) continue;
        seen.add(`${a} ${b}`);
        pairs.push([a, b]);
      }
    }
    nameBigrams.set(index, pairs);
  }
  const found: [string, string][] = [];
  for (const [a, b] of pairs) {
    for (let k = 2; k <= Math.min(a.length, w.length - 2); k++) {
      if (!a.startsWith(w.slice(0, k))) break;
      const rest = w.slice(k);
      if (rest.length >= 2 && rest.length < b.length && (b.startsWith(rest) || b.endsWith(rest))) { found.push([a, b]); break; }
    }
    if (found.length > 2) return null;
  }
  if (found.length === 0) return null;
  return found.flatMap(([a, b]) => [{ word: a, sim: 0.9 }, { word: b, sim: 0.9 }]);
}

const abbreviationTokens = new WeakMap<CatalogIndex, string[]>();
const abbreviationHits = new WeakMap<CatalogIndex, Map<string, string[]>>();
/** Catalog tokens that look like abbreviations (three to seven letters, no vowel after the first letter, or one in five letters or more). */
function abbreviationsOf(w: string, index: CatalogIndex): string[] {
  let cache = abbreviationHits.get(index);
  if (!cache) abbreviationHits.set(index, (cache = new Map()));
  const hit = cache.get(w);
  if (hit) return hit;
  let tokens = abbreviationTokens.get(index);
  if (!tokens) {
    tokens = [...index.postings.keys()].filter((t) => /^[a-z]{3,7}$/.test(t) && (t.slice(1).match(/[aiueo]/g) ?? []).length <= (t.length >= 5 && !/[aiueo]/.test(t.slice(-2)) ? 1 : 0) && !STOPWORDS.has(t) && !CHAT_WORDS.has(t));
    abbreviationTokens.set(index, tokens);
  }
  const out = tokens.filter((t) => t !== w && t[0] === w[0] && t.length < w.length && isSubsequence(t, w)
    // the abbreviation keeps the word's consonants in order and drops at most a few of them ("strwbry", "grg", "bwg")
    && consonants(w).length - consonants(t).length <= 2 && t[t.length - 1] === lastConsonant(w));
  cache.set(w, out);
  return out;
}
const lastConsonant = (w: string) => consonants(w).slice(-1);

/** A spelling key that Indonesian and foreign spellings of the same sounds share (x/ks, ph/f, q/k, c/k, old dj/tj/oe). */
export function phoneticKey(w: string): string {
  // ("pylox"/"pilox": a y between consonants is an i)
  return w.replace(/([^aeiou])y(?![aeiou])/g, '$1i').replace(/x/g, 'ks').replace(/ph/g, 'f').replace(/q/g, 'k').replace(/dj/g, 'j').replace(/tj/g, 'c').replace(/oe/g, 'u')
    .replace(/c(?!h)/g, 'k').replace(/([a-z])\1+/g, '$1');
}
const soundsLikeByIndex = new WeakMap<CatalogIndex, Map<string, string[]>>();
function soundsLike(index: CatalogIndex): Map<string, string[]> {
  let m = soundsLikeByIndex.get(index);
  if (!m) {
    m = new Map();
    for (const w of index.postings.keys()) {
      if (!/^[a-z]{4,}$/.test(w)) continue;
      const k = phoneticKey(w);
      const list = m.get(k);
      if (list) list.push(w); else m.set(k, [w]);
    }
    soundsLikeByIndex.set(index, m);
  }
  return m;
}

export function supportOf(hits: Hit[], index: CatalogIndex): Set<number> {
  const out = new Set<number>();
  for (const h of hits) for (const p of index.postings.get(h.word) ?? []) out.add(p.p);
  return out;
}

export function intersect(a: Set<number>, b: Set<number>): Set<number> {
  const out = new Set<number>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}

export function hitWeight(hits: Hit[], index: CatalogIndex): number {
  let w = 0;
  for (const h of hits) {
    const base = (index.idf.get(h.word) ?? 1) * (h.word.startsWith('#') ? 0.5 : 1);
    if (base > w) w = base;
  }
  return w || 1;
}

/** Ways a customer might write a product's size as a bare number: 600 (ml), 1.5 (l), 500 (mg), 5 (kg). */
/** Keys of a product's sizes (not its two-sided dimensions) that a bare number names ("aqua 600", "hvs a4 70"). */
export function sizeKeysNamed(p: IndexedProduct, value: number): string[] {
  return p.sizes.filter((z) => z.dim !== 'd' && naturalAmounts(z).includes(value)).map((z) => z.key);
}

export function naturalAmounts(s: { dim: string; amount: number; key?: string }): number[] {
  if (s.dim === 'v') return [s.amount, s.amount / 1000];
  if (s.dim === 'm') return [s.amount, s.amount / 1000, s.amount / 1_000_000];
  // lengths are stored in mm: "pipa 3/4" (inch), "besi 12" (mm), "hebel 10" (cm), "meteran 5" (m)
  if (s.dim === 'L') return [s.amount, s.amount / 10, Math.round((s.amount / 25.4) * 1000) / 1000, s.amount / 1000];
  // "asbes 180" of a 105x180 sheet, "keramik 40" of 40x40 tiles: one side names the size
  if (s.dim === 'd') return (/^#d([\d.]+)x([\d.]+)$/.exec(s.key ?? '') ?? []).slice(1).map(Number);
  return [s.amount];
}

export function sizeHits(t: Token): Hit[] {
  return [{ word: t.text, sim: 1 }, ...(t.alts ?? []).map((a) => ({ word: a, sim: 1 }))];
}

/** A measure that counts a product sold by that measure ("50 meter" of cable per metre, "2 kilo" of nails per kg). */
export function soldByMeasure(span: Span, t: Token, index: CatalogIndex): boolean {
  for (const p of span.cand) if (measureCount(index.products[p]!, t) !== null) return true;
  return false;
}

/** How many of a product sold by a measure a stated size is ("3 ons" of a per-ons product → 3). */
export function measureCount(p: IndexedProduct, t: Token): number | null {
  const ss = p.saleSize;
  if (!ss || ss.dim !== t.dim || ss.amount <= 0) return null;
  const r = t.value / ss.amount;
  return Math.abs(r - Math.round(r)) < 1e-6 && r >= 1 ? Math.round(r) : null;
}

/** Products that carry `tok` and share a word with what the previous mention could be. */
export function siblingsWithToken(before: Span, tok: string | null, index: CatalogIndex): Set<number> {
  const words = new Set<string>();
  for (const p of before.cand) for (const w of index.products[p]!.fields[0]!.tokens.slice(0, 2)) words.add(w);
  const out = new Set<number>();
  const pool = tok === null ? index.products.map((p) => p.ord) : (index.postings.get(tok) ?? []).map((post) => post.p);
  for (const ord of pool) {
    const p = index.products[ord]!;
    if (p.fields[0]!.tokens.slice(0, 2).some((w) => words.has(w))) out.add(ord);
  }
  return out;
}

export function canonUnitWord(w: string): string { return UNIT_ALIASES[w] ?? w; }

/** A word that should name something: not chat, not grammar, not a number. */
export function isContentWord(w: string): boolean {
  if (canonUnitWord(w) in COUNT_UNITS) return false;
  // "masker n95" at a shop without it: a model code says which one, so an unknown code is something else
  if (/^[a-z]{1,3}\d{1,4}$/.test(w)) return true;
  return w.length >= 3 && /^[a-z]+$/.test(w) && !STOPWORDS.has(w) && !INTENT_WORDS.has(w) && !FILLERS.has(w) && !CONJUNCTIONS.has(w) && !CHAT_WORDS.has(w);
}

const VERB_PREFIXES = ['nge', 'ng', 'di', 'me', 'mem', 'men', 'meng', 'ter'];
const VERB_SUFFIXES = ['in', 'kan', 'an', 'i', ''];

/** The catalog word inside an Indonesian verb form ("ngeprint" → print, "dilaminating" → laminating). */
function verbRoot(w: string, index: CatalogIndex): string | null {
  for (const pre of VERB_PREFIXES) {
    if (!w.startsWith(pre)) continue;
    for (const suf of VERB_SUFFIXES) {
      if (!w.endsWith(suf)) continue;
      const root = w.slice(pre.length, w.length - suf.length);
      if (root.length >= 4 && index.vocab.has(root) && !STOPWORDS.has(root)) return root;
    }
  }
  return null;
}

const nameStarts = new WeakMap<CatalogIndex, Set<string>>();
/** Whether a typed word begins the name or an alias of some product ("mediheal", "susu"), i.e. may name a new one. */
export function startsSomeName(q: QTok, index: CatalogIndex): boolean {
  let starts = nameStarts.get(index);
  if (!starts) {
    starts = new Set(index.products.flatMap((p) => p.fields.map((f) => f.tokens[0]!)));
    nameStarts.set(index, starts);
  }
  return q.hits.some((h) => starts.has(h.word));
}

/** The tokens after `i` up to the end of its clause (the next separator), and the separator itself if any. */
export function restOfClause(tokens: Token[], i: number): { rest: Token[]; end: Token | undefined } {
  const after = tokens.slice(i + 1);
  const sep = after.findIndex((t) => t.kind === 'sep');
  return sep < 0 ? { rest: after, end: undefined } : { rest: after.slice(0, sep), end: after[sep] };
}
