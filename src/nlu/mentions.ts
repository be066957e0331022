import type { CatalogIndex, IndexedProduct } from './catalog-index.js';
import { CHAT_WORDS, CONJUNCTIONS, COUNT_UNITS, FILLERS, GENERIC_UNITS, SPEC_WORDS, SLANG, STOPWORDS, SYNONYMS, UNIT_ALIASES } from './lexicon.js';
import type { Token } from './text.js';
import { INTENT_WORDS } from './intent.js';

export interface Hit { word: string; sim: number }

/** A message token that points at catalog words. */
interface QTok { i: number; hits: Hit[]; weight: number }

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
  /** inside "buat …"/"untuk …": describes what the product is for */
  purpose: boolean;
  /** "kecil"/"besar" next to it: the smallest or largest size among its candidates */
  sizeAdj?: { dim: string; amount: number };
  /** shortened to what tells it apart; its words are borrowed from the mention before */
  elliptic?: boolean;
  /** "besar"/"kecil" said next to it */
  sizeWord?: 'small' | 'large';
  /** "yg pak 100 lembar": the pieces the wanted pack holds */
  holds?: { n: number; unit: string };
}

export interface Ranked { p: number; score: number; raw?: number }

export interface Mention {
  start: number;
  end: number;
  clause: number;
  /** message tokens the product explains (not read again for the intent: "No Drop" is no removal) */
  used: number[];
  /** said as what something is for ("buat batuk berdahak"): a need more than an order */
  purpose: boolean;
  /** the top two readings rest on the same typed words: the customer named no variant */
  sameEvidence: boolean;
  /** words of the same phrase that no product explains ("sepatu" in "sepatu futsal") */
  unexplained: number;
  mention: string;
  ranked: Ranked[];
  quantity: number;
  explicit: boolean;
}

/** Score above which a mention names a product confidently enough to act on it. */
export const ITEM_THRESHOLD = 0.58;
/** Top two within this margin → ask the customer which one. */
export const AMBIGUITY_MARGIN = 0.04;

export function wordHits(w: string, index: CatalogIndex): Hit[] {
  // everyday chat words match a product only when the catalog spells them exactly ("makan" is not "makanan")
  if (STOPWORDS.has(w) || INTENT_WORDS.has(w) || CHAT_WORDS.has(w)) return index.vocab.has(w) ? [{ word: w, sim: 1 }] : [];
  const hits = [...index.vocab.lookup(w)];
  for (const syn of SYNONYMS[w] ?? []) if (index.vocab.has(syn) && syn !== w) hits.push({ word: syn, sim: 0.9 });
  if (hits.length === 0 && w.length >= 5) {
    // glued words: "indomiegoreng", "tolakangin"
    for (let k = 2; k <= w.length - 2; k++) {
      const a = w.slice(0, k);
      const b = w.slice(k);
      if (index.vocab.has(a) && index.vocab.has(b)) return [{ word: a, sim: 0.95 }, { word: b, sim: 0.95 }];
    }
  }
  return hits;
}

function supportOf(hits: Hit[], index: CatalogIndex): Set<number> {
  const out = new Set<number>();
  for (const h of hits) for (const p of index.postings.get(h.word) ?? []) out.add(p.p);
  return out;
}

function intersect(a: Set<number>, b: Set<number>): Set<number> {
  const out = new Set<number>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}

function hitWeight(hits: Hit[], index: CatalogIndex): number {
  let w = 0;
  for (const h of hits) {
    const base = (index.idf.get(h.word) ?? 1) * (h.word.startsWith('#') ? 0.5 : 1);
    if (base > w) w = base;
  }
  return w || 1;
}

/** Ways a customer might write a product's size as a bare number: 600 (ml), 1.5 (l), 500 (mg), 5 (kg). */
export function naturalAmounts(s: { dim: string; amount: number }): number[] {
  if (s.dim === 'v') return [s.amount, s.amount / 1000];
  if (s.dim === 'm') return [s.amount, s.amount / 1000, s.amount / 1_000_000];
  // lengths are stored in mm: "pipa 3/4" (inch), "besi 12" (mm), "hebel 10" (cm), "meteran 5" (m)
  if (s.dim === 'L') return [s.amount, s.amount / 10, Math.round((s.amount / 25.4) * 1000) / 1000, s.amount / 1000];
  if (s.dim === 'd') return [];
  return [s.amount];
}

function sizeHits(t: Token): Hit[] {
  return [{ word: t.text, sim: 1 }, ...(t.alts ?? []).map((a) => ({ word: a, sim: 1 }))];
}

function nextNonUnit(tokens: Token[], i: number): Token | undefined {
  let j = i + 1;
  while (tokens[j]?.kind === 'unit') j++;
  return tokens[j];
}

/** Split the token stream into product mentions (greedy: a mention grows while some product still explains every word). */
function buildSpans(tokens: Token[], index: CatalogIndex): { spans: Span[]; clauseOf: number[]; bulkMarks: number[]; nameNums: Set<number> } {
  const nameNums = new Set<number>();
  const spans: Span[] = [];
  const clauseOf: number[] = [];
  const bulkMarks: number[] = [];
  let clause = 0;
  let cur: Span | null = null;
  let pendingSize: { tok: Token; i: number } | null = null;
  let purpose = false;
  /** a content word no product has, just before a mention ("sepatu futsal"): the customer names something else */
  let unknownAt = -2;
  /** a size with no mention after it in its clause belongs to the one before ("gresik cement 50 kg") */
  const flushSize = (): void => {
    if (!pendingSize) return;
    const last = spans[spans.length - 1];
    const ph = sizeHits(pendingSize.tok);
    if (last && last.clause === clause) {
      const withSize = intersect(last.cand, supportOf(ph, index));
      if (withSize.size > 0 && !soldByMeasure(last, pendingSize.tok, index)) { last.toks.push({ i: pendingSize.i, hits: ph, weight: hitWeight(ph, index) }); last.cand = withSize; }
      else last.looseSizes.push(pendingSize.tok);
    } else if (pendingSize.tok.kind === 'size') {
      // "aqua 600 ml 6 sama 1500 ml 2", "gula 1/2 kg 1 sama yg 1 kg 1": a size alone after "and" is another size of the same product
      const at = pendingSize.i;
      const tok = pendingSize.tok;
      const sized = supportOf(ph, index);
      const sp = openElliptic(at, sized);
      if (sp) { sp.toks.push({ i: at, hits: ph, weight: hitWeight(ph, index) }); sp.cand = intersect(sp.cand, sized); }
      else {
        // "… sama 3 ons" of a product sold by the ons: the size counts it
        const byMeasure = new Set(index.products.filter((p) => measureCount(p, tok) !== null).map((p) => p.ord));
        const sm = openElliptic(at, byMeasure);
        if (sm) sm.looseSizes.push(tok);
      }
    }
    pendingSize = null;
  };
  /**
   * A mention the customer shortened to what tells it apart ("… sama 1500 ml 2", "… sama 5 butir"): it keeps the
   * words of the mention just before it and only products among `filter` that share its leading words.
   */
  const openElliptic = (at: number, filter: Set<number>): Span | null => {
    const last = spans[spans.length - 1];
    if (!last || last.purpose || last.clause === clause || clause - last.clause > 1 || at - last.end > 4) return null;
    const head = last.toks.filter((q) => tokens[q.i]?.kind === 'word');
    if (head.length === 0) return null;
    const cand = intersect(siblingsWithToken(last, null, index), filter);
    if (cand.size === 0) return null;
    const sp: Span = { clause, start: at, end: at, toks: head.map((q) => ({ ...q })), cand, looseSizes: [], bulk: false, unit: null, qty: null, mult: null, price: null, unexplained: 0, fragment: false, purpose: false, elliptic: true };
    spans.push(sp);
    return sp;
  };
  const close = (): void => { cur = null; };
  const open = (i: number, q: QTok | null, cand: Set<number>): Span => {
    const s: Span = { clause, start: i, end: i, toks: q ? [q] : [], cand, looseSizes: [], bulk: false, unit: null, qty: null, mult: null, price: null, unexplained: 0, fragment: false, purpose };
    if (pendingSize && pendingSize.tok.kind === 'size') {
      const ph = sizeHits(pendingSize.tok);
      const withSize = intersect(cand, supportOf(ph, index));
      if (withSize.size > 0) {
        s.toks.push({ i: pendingSize.i, hits: ph, weight: hitWeight(ph, index) });
        s.cand = withSize;
      } else s.looseSizes.push(pendingSize.tok);
      s.start = pendingSize.i;
    }
    pendingSize = null;
    if (unknownAt === i - 1) s.unexplained++;
    spans.push(s);
    return s;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    clauseOf[i] = clause;
    const span: Span | null = cur;
    if (t.kind === 'sep') { close(); flushSize(); clause++; clauseOf[i] = clause; purpose = false; continue; }
    if (t.kind === 'unit') {
      if (t.bulk && tokens[i - 1]?.kind !== 'num') bulkMarks.push(i);
      if (span) continue; // "teh botol": a unit word right after a product word may be part of the name; handled below for words
      continue;
    }
    if (t.kind === 'x') { close(); continue; }
    if (t.kind === 'price') {
      const priced = index.byPrice.get(t.value);
      if (span && priced && intersect(span.cand, priced).size > 0) { span.cand = intersect(span.cand, priced); span.price = t.value; span.end = i; continue; }
      close();
      // "udh tf barusan 52rb", "totalnya 52rb": money paid or owed, not a product at that price
      const paid = tokens.slice(Math.max(0, i - 4), i).some((x) => x.kind === 'word' && MONEY_WORDS.has(x.text));
      // "yg 45rb itu 2": the product at that price, when few share it
      if (priced && priced.size <= 6 && !paid) { const ps = open(i, null, new Set(priced)); ps.price = t.value; cur = ps; }
      continue;
    }
    if (t.kind === 'size') {
      const hit = sizeHits(t);
      if (span) {
        const withSize = intersect(span.cand, supportOf(hit, index));
        // "kabel 50 meter" of a cable sold by the metre is fifty metres, even if a 50 m roll exists
        if (withSize.size > 0 && !soldByMeasure(span, t, index)) {
          span.toks.push({ i, hits: hit, weight: hitWeight(hit, index) });
          span.cand = withSize;
          span.end = i;
        } else span.looseSizes.push(t);
      } else pendingSize = { tok: t, i };
      continue;
    }
    if (t.kind === 'num') {
      // "lip cream 05": a zero-led number is a shade or a model code, never a count
      if (/^0\d+$/.test(t.raw) && span && span.end === i - 1) {
        const code = [...span.cand].filter((p) => index.tokenSets[p]!.has(t.raw) || index.tokenSets[p]!.has(String(t.value)));
        if (code.length > 0) {
          const hits = [{ word: index.tokenSets[code[0]!]!.has(t.raw) ? t.raw : String(t.value), sim: 1 }];
          span.toks.push({ i, hits, weight: hitWeight(hits, index) });
          span.cand = new Set(code);
        } else span.unexplained++;
        span.end = i;
        nameNums.add(i);
        continue;
      }
      // "charger buat iphone 13": a number inside what the product is for is a model, not a count
      const modelWord = tokens[i - 1]?.kind === 'word' && isContentWord(tokens[i - 1]!.text);
      if (purpose && modelWord && !span && tokens[i + 1]?.kind !== 'unit') { nameNums.add(i); purpose = false; close(); continue; }
      purpose = false;
      // "stop kontak 4 lubang", "yg 3 lubang", "crayon 12 warna": a number the name puts before a word is part of the name
      const nw = tokens[i + 1];
      const phrase = nw?.kind === 'word' ? index.numberPhrases.get(`${t.text} ${nw.text}`) : undefined;
      if (phrase) {
        const hits = [{ word: t.text, sim: 1 }];
        const q: QTok = { i, hits, weight: hitWeight(hits, index) };
        const onSpan = span && span.end === i - 1 ? intersect(span.cand, phrase) : new Set<number>();
        if (span && onSpan.size > 0) { span.toks.push(q); span.cand = onSpan; span.end = i; nameNums.add(i); continue; }
        if (!span) {
          close();
          const last = spans[spans.length - 1];
          const narrowed = last && last.clause !== clause ? intersect(phrase, siblingsWithToken(last, null, index)) : new Set<number>();
          cur = open(i, q, narrowed.size > 0 ? narrowed : new Set(phrase));
          nameNums.add(i);
          continue;
        }
      }
      if (span && span.end === i - 1) {
        // a number that belongs to the name ("Vicks Formula 44", "Oralit 200") or is a size without its unit ("aqua 600")
        const numStr = t.text;
        // "ABC AAA isi 2": the pack count of a name is no reason to read "aaa 2" as that name
        const inName = [...span.cand].some((p) => index.tokenSets[p]!.has(numStr) && !packCountOnly(index.products[p]!, numStr)) || (tokens[i - 1]?.text === 'isi');
        const after = nextNonUnit(tokens, i);
        const followedByNum = after?.kind === 'num' || after?.kind === 'size' || after?.kind === 'price';
        if (inName && (t.value > 12 || followedByNum || t.glued || namesBetter(span, numStr, index))) {
          const hits = [{ word: numStr, sim: 1 }];
          span.toks.push({ i, hits, weight: hitWeight(hits, index) });
          span.cand = intersect(span.cand, supportOf(hits, index));
          span.end = i;
          nameNums.add(i);
          continue;
        }
        const countedBy = tokens[i + 1]?.kind === 'unit' && tokens[i + 1]!.mult !== undefined; // "setengah lusin" counts
        // "hebel 10 cm 100": once the size is said, a number after it is the count, not the size again
        const saidDims = new Set<string>(span.toks.filter((q) => tokens[q.i]?.kind === 'size').map((q) => String(tokens[q.i]!.dim)));
        const sized = [...span.cand].flatMap((p) => index.products[p]!.sizes.filter((s) => naturalAmounts(s).includes(t.value) && !saidDims.has(s.dim)).map((s) => ({ p, key: s.key })));
        // "semen gresik 40 brp": a number past a dozen that is one of its variants' sizes picks that variant
        const picksVariant = t.value > 12 && sized.length > 0 && new Set(sized.map((x) => x.p)).size < span.cand.size && tokens[i + 1]?.kind !== 'unit';
        if (!countedBy && (t.value >= 100 || followedByNum || !Number.isInteger(t.value) || picksVariant)) {
          if (sized.length > 0) {
            const keys = [...new Set(sized.map((s) => s.key))];
            const hits = keys.map((k) => ({ word: k, sim: 0.95 }));
            span.toks.push({ i, hits, weight: hitWeight(hits, index) });
            span.cand = new Set(sized.map((s) => s.p));
            span.end = i;
            t.kind = 'size';
            continue;
          }
        }
      }
      // "level 5", "no 10", "ukuran 42": a number after a spec word describes the product, never counts it
      const specStart = i - 1 === 0 || tokens[i - 2]?.kind === 'sep' || (tokens[i - 2]?.kind === 'word' && CONJUNCTIONS.has(tokens[i - 2]!.text));
      const specBefore = tokens[i - 1]?.kind === 'word' && SPEC_WORDS.has(tokens[i - 1]!.text) && !specStart && !(span?.toks.some((q) => q.i === i - 1));
      if (specBefore) {
        const owner: Span | undefined = span ?? spans[spans.length - 1];
        if (owner && [...owner.cand].some((p) => index.tokenSets[p]!.has(t.text))) {
          const hits = [{ word: t.text, sim: 1 }];
          owner.toks.push({ i, hits, weight: hitWeight(hits, index) });
          owner.cand = intersect(owner.cand, supportOf(hits, index));
          owner.end = i;
          cur = owner;
        }
        t.kind = 'size';
        continue;
      }
      // "amplas 180 sama 240": a bare number after "and" that names a sibling of the mention before
      // "… sm yg 180 10": "yang" after the conjunction changes nothing
      const prevTok = tokens[i - 1]?.kind === 'word' && tokens[i - 1]!.text === 'yang' ? tokens[i - 2] : tokens[i - 1];
      const afterConj = prevTok?.kind === 'sep' || (prevTok?.kind === 'word' && CONJUNCTIONS.has(prevTok.text));
      const before = spans[spans.length - 1];
      const gapOk = before !== undefined && tokens.slice(before.end + 1, i).every((x) => x.kind === 'num' || x.kind === 'unit' || x.kind === 'sep' || (x.kind === 'word' && (CONJUNCTIONS.has(x.text) || STOPWORDS.has(x.text))));
      if (!span && afterConj && before && (i - before.end <= 3 || (gapOk && i - before.end <= 6))) {
        const siblings = siblingsWithToken(before, t.text, index);
        if (siblings.size > 0) {
          const hits = [{ word: t.text, sim: 1 }];
          cur = open(i, { i, hits, weight: hitWeight(hits, index) }, siblings);
          continue;
        }
      }
      // "telur 1 kg sama 5 butir": a count in a unit another variant of the same product is sold in
      const unitTok = tokens[i + 1];
      const lastSpan = spans[spans.length - 1];
      const priorCounted = lastSpan !== undefined && tokens.slice(lastSpan.start, i).some((x, k) => (x.kind === 'num' || x.kind === 'size') && !lastSpan.toks.some((q) => q.i === lastSpan.start + k && x.kind === 'num'));
      if (!span && afterConj && priorCounted && unitTok?.kind === 'unit' && !unitTok.mult && Number.isInteger(t.value) && t.value >= 1) {
        const u = canonUnitWord(unitTok.text);
        const soldInUnit = new Set(index.products.filter((p) => p.units.has(u)).map((p) => p.ord));
        const sp = openElliptic(i + 1, soldInUnit);
        if (sp) { sp.qty = t.value; sp.unit = u; if (unitTok.bulk) sp.bulk = true; nameNums.add(i); close(); continue; }
      }
      close();
      continue;
    }
    // word
    const w = t.text;
    // "kirim ke jalan mawar", "di gang melati": a street or place name is not a product
    if (PLACE_WORDS.has(w) && (tokens[i + 1]?.kind === 'word' || (tokens[i + 1]?.kind === 'sep' && tokens[i + 2]?.kind === 'word'))) {
      close();
      let k = tokens[i + 1]?.kind === 'sep' ? i + 2 : i + 1;
      while (tokens[k]?.kind === 'word' && !CONJUNCTIONS.has(tokens[k]!.text) && k - i <= 3) { clauseOf[k] = clause; k++; }
      i = k - 1;
      continue;
    }
    if (w === 'untuk' || w === 'for') { purpose = true; close(); continue; }
    // "sekotak isi 12" describes the pack; "… sama isinya 2" after "and" orders the refill
    const clauseStart = i === 0 || tokens[i - 1]!.kind === 'sep' || (tokens[i - 1]!.kind === 'word' && CONJUNCTIONS.has(tokens[i - 1]!.text));
    if (SPEC_WORDS.has(w) && tokens[i + 1]?.kind === 'num' && !clauseStart && !(span && [...span.cand].some((p) => index.tokenSets[p]!.has(w)))) { if (span) span.end = i; continue; }
    // a filler the name itself carries ("Tahu Isi") is a name word, not a filler
    if (FILLERS.has(w) && span && ![...span.cand].some((p) => nameWordNotSpec(index.products[p]!, w))) { span.end = i; continue; }
    // "yg usb 3.0 bukan otg": what follows "bukan" is what the customer does not want
    if (CONTRAST_WORDS.has(w)) { close(); flushSize(); clause++; clauseOf[i] = clause; continue; }
    if (CONJUNCTIONS.has(w)) {
      const nt = tokens[i + 1];
      const inName = span !== null && [...span.cand].some((p) => index.tokenSets[p]!.has(w))
        && (nextWordSupports(tokens, i, span, index) || nt === undefined || nt.kind === 'num' || nt.kind === 'sep');
      if (!inName) { close(); flushSize(); clause++; clauseOf[i] = clause; continue; }
    }
    const hits = wordHits(w, index);
    // "sania jerigen 1": a packing word no name carries says how it is sold
    if (hits.length === 0 && span && canonUnitWord(w) in COUNT_UNITS) { if (span.unit === null) span.unit = canonUnitWord(w); span.end = i; continue; }
    if (hits.length === 0) {
      // "mie instan", "sabun mandi": a word of the shop's own categories describes, it names nothing unsold
      const describes = index.categoryWords.has(w);
      if (span && span.end >= i - 2 && isContentWord(w) && !describes) span.unexplained++;
      if (isContentWord(w) && !describes) unknownAt = i;
      close();
      continue;
    }
    const support = supportOf(hits, index);
    const q: QTok = { i, hits, weight: hitWeight(hits, index) };
    // a catalog word that is also an address or a filler ("gan" of a GaN charger, "aa" of a battery) counts the same way
    const stopLike = STOPWORDS.has(w) || STOPWORDS.has(SLANG[w] ?? '');
    if ((stopLike || w in COUNT_UNITS) && !CONJUNCTIONS.has(w)) {
      // a stopword that is also a catalog word ("good" in Good Day) may only extend a mention or start one the next word confirms
      if (span && intersect(span.cand, support).size > 0) {
        span.toks.push(q); span.cand = intersect(span.cand, support); span.end = i;
        if (w in COUNT_UNITS && span.unit === null) span.unit = w;
        continue;
      }
      let k = i + 1;
      while (tokens[k]?.kind === 'word' && FILLERS.has(tokens[k]!.text)) k++;
      const nt = tokens[k];
      const confirmed = nt?.kind === 'word' && !STOPWORDS.has(nt.text) && !STOPWORDS.has(SLANG[nt.text] ?? '') && intersect(support, supportOf(wordHits(nt.text, index), index)).size > 0;
      // "gas 3kg 1", "gas nya 2": a catalog word followed by an amount is being ordered, not cheered
      // …but "besi 8 banyak nya 40" is a particle after another word, not the NYA cable
      const pt = tokens[i - 1];
      const particle = stopLike && pt?.kind === 'word' && !CONJUNCTIONS.has(pt.text) && !STOPWORDS.has(pt.text) && intersect(support, supportOf(wordHits(pt.text, index), index)).size === 0;
      const counted = !(w in COUNT_UNITS) && !particle && (nt?.kind === 'num' || (nt?.kind === 'size' && intersect(support, supportOf([{ word: nt.text, sim: 1 }], index)).size > 0));
      if ((confirmed || counted) && !(purpose && spans.length > 0)) {
        close();
        cur = open(i, q, support);
        continue;
      }
      // "pond's day cream 20 g 1, sachetnya 2": a packing word and a count after a comma is that pack of the item before
      if (w in COUNT_UNITS && !span && clauseStart && nt?.kind === 'num' && !GENERIC_UNITS.has(w)) {
        const u = canonUnitWord(w);
        const soldInUnit = new Set(index.products.filter((p) => p.units.has(u) || p.fields[0]!.tokens.includes(w)).map((p) => p.ord));
        const sp = openElliptic(i, soldInUnit);
        if (sp) { sp.unit = u; sp.end = i; close(); continue; }
      }
      if (w in COUNT_UNITS && span) { span.end = i; if (span.unit === null) span.unit = w; continue; } // "aqua botol 600", "sania jerigen 1": a container word names how it is packed
      if (w in COUNT_UNITS) continue;
      close();
      continue;
    }
    if (span) {
      // "pensil warna 24 warna", "roti tawar sari roti": a word again extends only a name that has it twice
      const again = span.toks.filter((x) => x.hits.some((h) => hits.some((g) => g.word === h.word && g.sim === 1 && h.sim === 1))).length;
      const twiceIn = again > 0 && [...span.cand].some((p) => index.products[p]!.fields.some((f) => f.tokens.filter((x) => hits.some((g) => g.word === x)).length > again));
      const repeated = again > 0 && !twiceIn;
      const both = intersect(span.cand, support);
      if (!repeated && both.size > 0) { span.toks.push(q); span.cand = both; span.end = i; continue; }
      // two words side by side that no product has together: the customer may name something not sold here
      if (!repeated && span.end === i - 1 && span.toks.length === 1) span.fragment = true;
    }
    const cutOff = span !== null && span.end === i - 1 && intersect(span.cand, support).size === 0;
    close();
    // "sikalastic 1 kaleng buat kamar mandi": what it is for is not another product
    if (purpose && spans.length > 0) continue;
    cur = open(i, q, support);
    if (cutOff) (cur as Span).fragment = true;
  }
  flushSize();
  return { spans, clauseOf, bulkMarks, nameNums };
}

function packCountOnly(p: IndexedProduct, num: string): boolean {
  return p.fields.every((f) => f.tokens.every((t, j) => t !== num || f.tokens[j - 1] === 'isi'));
}

/** "Tahu Isi" carries "isi" as a word of its name; "Telur Puyuh isi 20" only as the start of a pack size. */
function nameWordNotSpec(p: IndexedProduct, w: string): boolean {
  return p.fields.some((f) => f.tokens.some((t, j) => t === w && !/^[#\d]/.test(f.tokens[j + 1] ?? '')));
}

/** A measure that counts a product sold by that measure ("50 meter" of cable per metre, "2 kilo" of nails per kg). */
function soldByMeasure(span: Span, t: Token, index: CatalogIndex): boolean {
  for (const p of span.cand) if (measureCount(index.products[p]!, t) !== null) return true;
  return false;
}

/** How many of a product sold by a measure a stated size is ("3 ons" of a per-ons product → 3). */
function measureCount(p: IndexedProduct, t: Token): number | null {
  const ss = p.saleSize;
  if (!ss || ss.dim !== t.dim || ss.amount <= 0) return null;
  const r = t.value / ss.amount;
  return Math.abs(r - Math.round(r)) < 1e-6 && r >= 1 ? Math.round(r) : null;
}

function tokensIsSpec(q: QTok): boolean { return q.hits.every((h) => h.word.startsWith('#') || /^\d/.test(h.word)); }

function topScore(span: Span, index: CatalogIndex): number {
  let best = 0;
  for (const p of span.cand) { const sc = scoreProduct(span, index.products[p]!); if (sc > best) best = sc; }
  return best;
}

/** "besi 6" when a product is called "besi 6": the number names it far better than it counts it. */
function namesBetter(span: Span, numStr: string, index: CatalogIndex): boolean {
  if (Number(numStr) < 2) return false;
  const hits = [{ word: numStr, sim: 1 }];
  const cand = intersect(span.cand, supportOf(hits, index));
  if (cand.size === 0 || cand.size === span.cand.size) return false;
  const withNum: Span = { ...span, toks: [...span.toks, { i: -1, hits, weight: hitWeight(hits, index) }], cand };
  return topScore(withNum, index) >= topScore(span, index) + 0.12;
}

/** Products that carry `tok` and share a word with what the previous mention could be. */
function siblingsWithToken(before: Span, tok: string | null, index: CatalogIndex): Set<number> {
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

/** A word that should name something: not chat, not grammar, not a number. */
function canonUnitWord(w: string): string { return UNIT_ALIASES[w] ?? w; }

function isContentWord(w: string): boolean {
  if (canonUnitWord(w) in COUNT_UNITS) return false;
  // "masker n95" at a shop without it: a model code says which one, so an unknown code is something else
  if (/^[a-z]{1,3}\d{1,4}$/.test(w)) return true;
  return w.length >= 3 && /^[a-z]+$/.test(w) && !STOPWORDS.has(w) && !INTENT_WORDS.has(w) && !FILLERS.has(w) && !CONJUNCTIONS.has(w) && !CHAT_WORDS.has(w);
}

function nextWordSupports(tokens: Token[], i: number, span: Span, index: CatalogIndex): boolean {
  const nt = tokens[i + 1];
  if (nt?.kind !== 'word') return false;
  return intersect(span.cand, supportOf(wordHits(nt.text, index), index)).size > 0;
}

const MONEY_WORDS = new Set(['transfer', 'bayar', 'lunas', 'total', 'totalnya', 'dp', 'ongkir', 'kembalian', 'kembali', 'uang', 'duit', 'saldo', 'paid', 'pay', 'sudah', 'tagihan', 'nominal']);
const NOT_A_COUNT_BEFORE = new Set(['jam', 'pukul', 'jm', 'tgl', 'tanggal', 'tahun', 'thn', 'umur', 'usia', 'rt', 'rw', 'nomor', 'nomer', 'blok', 'lantai', 'kamar', 'menit', 'km', 'kilometer', 'gang', 'gg', 'kavling', 'kav', 'at', 'by']);
const DURATION_AFTER = new Set(['hari', 'minggu', 'bulan', 'tahun', 'thn', 'th', 'jam', 'menit', 'detik', 'days', 'day', 'weeks', 'week', 'months', 'month', 'years', 'year', 'hours', 'hour', 'minutes', 'tahunan', 'bulanan', 'pagi', 'siang', 'sore', 'malam', 'malem']);

/** Give each number to the mention it most plausibly counts. */
function attachQuantities(tokens: Token[], spans: Span[], clauseOf: number[], nameNums: Set<number>, index: CatalogIndex): void {
  interface Q { i: number; value: number; unit: Token | null; left: Span | null; right: Span | null; prefer: 'left' | 'right' | null }
  const qs: Q[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'num' || nameNums.has(i)) continue;
    // "jam tujuh", "tgl 5", "umur 2 bulan", "rt 05", "3 hari": times, dates, ages and addresses count nothing
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    if ((before?.kind === 'word' && NOT_A_COUNT_BEFORE.has(before.text)) || (after?.kind === 'word' && DURATION_AFTER.has(after.text))) continue;
    // "usb 3.0", "versi 2.0": a whole number written with a decimal is a version
    if (/[.,]0$/.test(t.raw) && after?.kind !== 'unit') continue;
    const c = clauseOf[i]!;
    let left: Span | null = null;
    let right: Span | null = null;
    for (const s of spans) {
      if (s.clause !== c) continue;
      if (s.end < i && (left === null || s.end > left.end)) left = s;
      if (s.start > i && (right === null || s.start < right.start)) right = s;
    }
    const unit = tokens[i + 1]?.kind === 'unit' && tokens[i + 1]!.raw !== '' || tokens[i + 1]?.mult ? tokens[i + 1]! : null;
    let prefer: Q['prefer'] = null;
    if (tokens[i - 1]?.kind === 'x') prefer = 'left';
    else if (tokens[i + 1]?.kind === 'x') prefer = right && right.start === i + 2 ? 'right' : 'left';
    else if (unit && right && right.start === i + 2 && !(left && left.end === i - 1)) prefer = 'right';
    else if (tokens[i + 1]?.kind === 'word' && tokens[i + 1]!.text === 'of') prefer = 'right';
    // "…whiskas 1,2 kg, 2 ya": a count alone in its clause belongs to the item just named
    if (!left && !right) {
      let k = i - 1;
      while (k >= 0 && tokens[k]!.kind !== 'num' && !spans.some((sp) => sp.end === k)) k--;
      const prevSpan = spans.find((sp) => sp.end === k && clauseOf[k] === c - 1);
      const onlyFillers = tokens.slice(k + 1, i).every((x) => x.kind === 'sep' || (x.kind === 'word' && STOPWORDS.has(x.text)));
      if (prevSpan && onlyFillers) left = prevSpan;
    }
    qs.push({ i, value: t.value, unit, left, right, prefer });
  }
  // "hvs a4 70gr yg pak 100 lembar 2": the pieces a pack holds, said beside the count, describe the pack
  const holds = (q: Q): boolean => q.unit !== null && [q.left, q.right].some((sp) => sp !== null && [...sp.cand].some((p) => {
    const ct = index.products[p]!.contents;
    return ct !== null && ct.n === q.value && ct.unit === canonUnitWord(q.unit!.text);
  }));
  for (let k = qs.length - 1; k >= 0; k--) {
    const q = qs[k]!;
    if (holds(q) && qs.some((o) => o !== q && clauseOf[o.i] === clauseOf[q.i] && !holds(o))) {
      for (const sp of [q.left, q.right]) if (sp) sp.holds = { n: q.value, unit: canonUnitWord(q.unit!.text) };
      qs.splice(k, 1);
    }
  }
  const onlyLeft = qs.filter((q) => q.left && !q.right).length;
  const onlyRight = qs.filter((q) => q.right && !q.left).length;
  const orientation: 'left' | 'right' = onlyRight > onlyLeft ? 'right' : 'left';
  for (const q of qs) {
    // "amplas 180 sama 240 masing2 5", "hb and 2b, 4 each": the count goes to every item named before it
    const prevT = tokens[q.i - 1];
    const nextT = tokens[q.unit ? q.i + 2 : q.i + 1];
    if ((prevT?.kind === 'word' && prevT.text === 'masing') || (nextT?.kind === 'word' && (nextT.text === 'each' || nextT.text === 'masing'))) {
      const before = spans.filter((sp) => sp.end < q.i && sp.qty === null);
      if (before.length > 1 && Number.isInteger(q.value) && q.value >= 1) {
        for (const sp of before) { sp.qty = q.value; if (q.unit) { sp.unit = q.unit.text; if (q.unit.bulk) sp.bulk = true; } }
        continue;
      }
    }
    const mult = q.unit?.mult ?? 1;
    const counted = q.value * mult;
    // "1000 biji" is a count; a bare 1500 is more likely a size or a price
    const max = q.unit ? 99_999 : 999;
    if (!Number.isInteger(counted) || counted < 1 || q.value > max) continue;
    const options: Span[] = [];
    const first = q.prefer ?? orientation;
    const a = first === 'left' ? q.left : q.right;
    const b = first === 'left' ? q.right : q.left;
    if (a) options.push(a);
    if (b) options.push(b);
    const target = options.find((s) => s.qty === null);
    if (!target) continue;
    target.qty = q.value;
    if (q.unit) {
      // "garnier sachet 5 biji": "biji" only counts; the packing word said before still picks the variant
      if (!(target.unit !== null && GENERIC_UNITS.has(q.unit.text))) target.unit = q.unit.text;
      if (q.unit.mult) target.mult = q.unit.mult;
      if (q.unit.bulk) target.bulk = true;
    }
  }
}

/**
 * How well a mention names a product: the share of the typed words the product explains, times the
 * better of (a) how much of the product's name was typed and (b) how few products in this catalog carry
 * every typed word (`identified`, 1 when only this one does). (b) lets a brand or key word in the middle
 * of a name ("sensodyne" → "Pasta Gigi Sensodyne 100 g") name the product without its generic prefix.
 */
export function scoreProduct(span: Span, p: IndexedProduct, identified = 0): number {
  let qDen = 0;
  for (const qt of span.toks) qDen += qt.weight;
  // how much of the message each field explains; a word may be explained by the name or by any alias
  let qNumAll = 0;
  const perField = p.fields.map(() => 0);
  for (const qt of span.toks) {
    let hereAll = 0;
    p.fields.forEach((f, fi) => {
      let here = 0;
      for (const h of qt.hits) if (h.sim > here && f.tokens.includes(h.word)) here = h.sim;
      perField[fi]! += qt.weight * here;
      if (here > hereAll) hereAll = here;
    });
    qNumAll += qt.weight * hereAll;
  }
  let best = 0;
  p.fields.forEach((f, fi) => {
    let matched = 0;
    for (let j = 0; j < f.tokens.length; j++) {
      let b = 0;
      for (const qt of span.toks) for (const h of qt.hits) if (h.word === f.tokens[j] && h.sim > b) b = h.sim;
      matched += b * f.weights[j]!;
    }
    const nameCov = matched / f.total;
    const ownCov = qDen > 0 ? perField[fi]! / qDen : 0;
    const allCov = qDen > 0 ? qNumAll / qDen : 0;
    // words explained only by another field count a little less than words this field explains itself
    const queryCov = Math.max(ownCov, 0.9 * allCov);
    const s = Math.max(Math.sqrt(nameCov), identified * (0.9 + 0.1 * nameCov)) * Math.pow(queryCov, 0.7);
    if (s > best) best = s;
  });
  return best;
}

/**
 * How a spec the customer stated fits this product: another value of the same spec ("triplek 15 mm"
 * against 12 mm) contradicts it; a spec of a kind the product has none of ("pipa 2 inch" against pipe glue)
 * is unexplained. Either way the mention is not silently taken for this product.
 */
function specFit(span: Span, p: IndexedProduct): 'ok' | 'contradicts' | 'unexplained' {
  let out: 'ok' | 'contradicts' | 'unexplained' = 'ok';
  for (const ls of span.looseSizes) {
    if (p.saleSize && p.saleSize.dim === ls.dim) continue;
    const same = p.sizes.filter((s) => s.dim === ls.dim);
    if (ls.dim === 'm' && ls.value < 50_000 && same.length > 0) return 'contradicts';
    if (same.length > 0) {
      if (same.some((s) => Math.abs(s.amount - ls.value) < 1e-6)) continue;
      // "beras 10 kg" of a 5 kg bag may mean two bags; a weight of something sold by weight is a count
      if ((ls.dim === 'm' || ls.dim === 'v') && Number.isInteger(ls.value / same[0]!.amount)) continue;
      return 'contradicts';
    }
    // a weight or volume to buy of something without one ("telur 2 kg") is still a way of counting
    if (ls.dim === 'm' || ls.dim === 'v') continue;
    out = 'unexplained';
  }
  return out;
}

function rank(span: Span, index: CatalogIndex, context: QTok[] = []): Ranked[] {
  const out: Ranked[] = [];
  const unitDiscriminates0 = span.unit !== null && [...span.cand].some((pi) => !index.products[pi]!.units.has(span.unit!));
  if (span.toks.length === 0 && span.price !== null) {
    // "yg 52rb itu 2 rim": the price and the unit together
    for (const pi of span.cand) out.push({ p: pi, score: 0.8 + (unitDiscriminates0 && index.products[pi]!.units.has(span.unit!) ? 0.1 : 0) });
    return out.sort((a, b) => b.score - a.score);
  }
  // every typed word only resembles a catalog word: worth a confirmation, even when it is one edit away
  const allFuzzy = span.toks.every((q) => q.hits.every((h) => h.sim < 0.9));
  // how few products carry every typed word: one means the words identify it
  const k = span.cand.size;
  let identified = k === 1 ? 1 : Math.max(0, 1 - 0.15 * Math.log2(k));
  if (allFuzzy) identified = Math.min(identified, Math.max(...span.toks.flatMap((q) => q.hits.map((h) => h.sim))) - 0.15);
  // "mie instan", "kucing", "makan": category or chat words alone are talk about products, not one product
  const chatOnly = span.toks.every((q) => q.hits.every((h) => CHAT_WORDS.has(h.word) || STOPWORDS.has(h.word)));
  const categoryOnly = k > 2 && span.toks.every((q) => q.hits.every((h) => index.categoryWords.has(h.word) || CHAT_WORDS.has(h.word) || STOPWORDS.has(h.word)));
  const generic = chatOnly || categoryOnly;
  if (span.toks.every((q) => tokensIsSpec(q))) identified = 0;
  const unitDiscriminates = span.unit !== null && [...span.cand].some((pi) => !index.products[pi]!.units.has(span.unit!))
    && [...span.cand].some((pi) => index.products[pi]!.units.has(span.unit!));
  const measureDiscriminates = span.looseSizes.length > 0 && [...span.cand].some((pi) => !index.products[pi]!.saleSize);
  // "bawang merah 1 kg" beside a per-kg and a per-ons product: one kilo, not ten ons
  const stated = span.looseSizes[0];
  const counts = stated ? [...span.cand].map((pi) => measureCount(index.products[pi]!, stated)).filter((n): n is number => n !== null) : [];
  const fewest = counts.length > 1 ? Math.min(...counts) : null;
  for (const pi of span.cand) {
    const p = index.products[pi]!;
    let s = scoreProduct(span, p, identified);
    if (s <= 0) continue;
    // "hitam 3 sama biru 2": a lone modifier keeps the head of the mention before it
    let headed = false;
    if (context.length > 0) {
      const shared = context.filter((q) => q.hits.some((h) => index.tokenSets[pi]!.has(h.word)));
      if (shared.length > 0) {
        const withCtx = scoreProduct({ ...span, toks: [...span.toks, ...shared] }, p, identified);
        if (withCtx > s) { s = s + (withCtx - s) * 0.9; headed = true; }
      }
    }
    const spec = specFit(span, p);
    if (spec === 'contradicts') s *= 0.6;
    else if (spec === 'unexplained') s *= 0.8;
    if (span.unexplained > 0) s *= Math.pow(0.78, Math.min(span.unexplained, 2));
    if (span.fragment) s *= 0.88;
    // …unless the mention before gave it its head ("champ sosis sapi 3, eh yg ayam aja")
    if (generic && !headed) s = Math.min(s, 0.5);
    // the unit asked for picks the variant sold in it ("2 renteng", "1 roll", "sepail"); half a dozen is six pieces
    if (span.unit && unitDiscriminates && !GENERIC_UNITS.has(span.unit)) {
      const whole = span.qty === null || Number.isInteger(span.qty);
      if (p.unit === span.unit && whole) s += 0.25;
      else if (p.units.has(span.unit) && whole) s += 0.12;
      else if (p.units.has(span.unit) && !whole) s *= 0.6;
      else if (whole) s *= 0.6;
    }
    if (allFuzzy && span.toks.length <= 2) s *= 0.85;

    if (span.holds && p.contents && p.contents.n === span.holds.n && p.contents.unit === span.holds.unit) s += 0.2;
    // "lem tembak yg besar" is not the one the name calls small
    if (span.sizeWord && p.fields[0]!.tokens.some((t) => (span.sizeWord === 'large' ? SMALL : LARGE).has(t))) s *= 0.6;
    if (span.sizeAdj) {
      const mine = p.sizes.find((z) => z.dim === span.sizeAdj!.dim);
      if (mine && Math.abs(mine.amount - span.sizeAdj.amount) < 1e-6) s += 0.2;
    }
    // "telur 2 kg": a weight picks the product sold by weight
    if (measureDiscriminates && p.saleSize && span.looseSizes.some((ls) => ls.dim === p.saleSize!.dim)) s += 0.15;
    // "fillet ayam 1kg 5 pack": with a count beside it, a size equal to what one item weighs names that item
    if (span.qty !== null && p.saleSize && span.looseSizes.some((ls) => ls.dim === p.saleSize!.dim && Math.abs(ls.value - p.saleSize!.amount) < 1e-6)) s += 0.3;
    if (fewest !== null && stated && (measureCount(p, stated) ?? fewest) > fewest) s *= 0.8;
    // a carton is only meant when the customer says so; otherwise the single unit
    if (span.bulk) s += p.bulk ? 0.25 : -0.25;
    else if (p.bulk) s -= 0.1;
    out.push({ p: pi, score: Math.min(1, s), raw: s });
  }
  // sorted on the unclamped score, so a unit or size that picks a variant still counts for a full match
  out.sort((a, b) => (b.raw ?? b.score) - (a.raw ?? a.score)
    || index.products[a.p]!.fields[0]!.tokens.length - index.products[b.p]!.fields[0]!.tokens.length
    || a.p - b.p);
  return out;
}

/** Which typed tokens this product explains, as a key. */
function matchedWords(span: Span, p: IndexedProduct): string {
  return span.toks.map((q) => (q.hits.some((h) => p.fields.some((f) => f.tokens.includes(h.word))) ? '1' : '0')).join('');
}

/** Every word of one of the product's names was typed ("nasi goreng" for "Nasi Goreng"). */
function fullyNamed(span: Span, p: IndexedProduct): boolean {
  const typed = new Set(span.toks.flatMap((q) => q.hits.filter((h) => h.sim >= 0.86).map((h) => h.word)));
  return p.fields.some((f) => f.tokens.every((t) => typed.has(t) || t === '~carton' || t === '~pack'));
}

/** "2 kg" of a product sold per 1 kg → 2; "telur 3 kg" of a product sold by the kg → 3. */
function quantityFromSize(span: Span, p: IndexedProduct): number | null {
  for (const ls of span.looseSizes) {
    if (p.saleSize && p.saleSize.dim === ls.dim && p.saleSize.amount > 0) {
      const r = Math.round((ls.value / p.saleSize.amount) * 1000) / 1000;
      if (Number.isInteger(r) && r >= 1 && r <= 99_999) return r;
    }
    // "1000mg" against a 500mg tablet is a strength, not two strips; "2 kg" of sugar is a count
    if (ls.dim === 'm' && ls.value < 50_000) continue;
    if (ls.dim === 'p') continue;
    const same = p.sizes.find((s) => s.dim === ls.dim);
    if (same && same.amount > 0) {
      const r = ls.value / same.amount;
      if (Number.isInteger(r) && r >= 1 && r <= 999) return r;
    }
  }
  return null;
}

export function findMentions(tokens: Token[], index: CatalogIndex): Mention[] {
  const built = buildSpans(tokens, index);
  const { clauseOf, bulkMarks } = built;
  const spans = built.spans;
  for (const b of bulkMarks) {
    const c = clauseOf[b];
    let best: Span | null = null;
    let dist = Infinity;
    for (const s of spans) {
      if (s.clause !== c) continue;
      const d = s.end < b ? b - s.end : s.start - b;
      if (d < dist) { dist = d; best = s; }
    }
    if (best) best.bulk = true;
  }
  attachQuantities(tokens, spans, clauseOf, built.nameNums, index);
  mergeTrailingModifiers(spans, index);
  mergeLeadingDescriptors(spans, tokens, index);
  mergePriceReferences(spans);
  markSizeAdjectives(tokens, spans, index);
  const ranked = spans.map((s, k) => {
    // the most recent mention of several words gives a one- or two-word mention its head
    let context: QTok[] = [];
    if (s.toks.length <= 2) {
      for (let m = k - 1; m >= 0; m--) {
        const prev = spans[m]!;
        // its words and its size ("pilot g2 0,7 biru 1 hitam 1": the black one of the same size)
        if (prev.toks.length >= 2 && !prev.purpose) { context = prev.toks.filter((q) => tokens[q.i]?.kind === 'word' || tokens[q.i]?.kind === 'size'); break; }
      }
    }
    const r = rank(s, index, context);
    const top = r[0];
    const sibling = top && s.bulk && !index.products[top.p]!.bulk ? index.bulkSibling.get(top.p) : undefined;
    // "air mineral sedus": the alias named the single bottle; the carton of the same bottle is meant
    if (top && sibling !== undefined) return [{ p: sibling, score: top.score }, ...r.filter((x) => x.p !== sibling)];
    return r;
  });
  const mentions: Mention[] = [];
  spans.forEach((s, k) => {
    const r = ranked[k]!;
    const top = r[0]?.score ?? 0;
    if (top < ITEM_THRESHOLD) {
      // a weak word glued to a confident mention is a modifier ("susu ultra"), not a product of its own
      const neighbourStrong = spans.some((o, m) => m !== k && o.clause === s.clause
        && (o.start - s.end <= 2 && o.start > s.end || s.start - o.end <= 2 && s.start > o.end) && (ranked[m]![0]?.score ?? 0) >= ITEM_THRESHOLD);
      if (neighbourStrong) return;
    }
    let quantity = s.qty ?? 1;
    let explicit = s.qty !== null;
    const bestP = r[0] ? index.products[r[0].p] : undefined;
    // "selusin" is twelve pieces, unless this product is sold by the dozen
    if (s.mult && s.unit && !(bestP && bestP.units.has(s.unit))) quantity = Math.round(quantity * s.mult);
    // "sate 30 tusuk" of a ten-skewer portion is three portions
    const cu = s.unit !== null ? canonUnitWord(s.unit) : null;
    if (bestP?.contents && cu === bestP.contents.unit && bestP.unit !== cu && s.qty !== null && s.qty >= bestP.contents.n && s.qty % bestP.contents.n === 0) quantity = s.qty / bestP.contents.n;
    if (s.qty === null && bestP) {
      const fromSize = quantityFromSize(s, bestP);
      if (fromSize !== null) { quantity = fromSize; explicit = true; }
    }
    const mention = tokens.slice(s.start, s.end + 1).filter((t) => t.kind !== 'sep').map((t) => t.raw).join(' ');
    // a carton of the same product is told apart by its own rule, not asked about here
    const rival = r.slice(1).find((x) => !(bestP && index.bulkSibling.get(bestP.ord) === x.p) && !index.products[x.p]!.bulk);
    const second = rival ? index.products[rival.p] : undefined;
    const sameEvidence = bestP !== undefined && second !== undefined && matchedWords(s, bestP) === matchedWords(s, second) && !fullyNamed(s, bestP);
    mentions.push({ start: s.start, end: s.end, clause: s.clause, used: s.toks.map((q) => q.i), purpose: s.purpose, sameEvidence, unexplained: s.unexplained, mention, ranked: r, quantity, explicit });
  });
  return mentions;
}

const CORRECTION_WORDS = new Set(['eh', 'ehh', 'ralat', 'maksudnya', 'maksud', 'salah', 'koreksi', 'bukan', 'sorry', 'oops', 'wait', 'i mean']);
const CORRECTION_SKIP = new Set(['deh', 'aja', 'saja', 'jadi', 'jadiin', 'jadikan', 'jd', 'jdi', 'bikin', 'dibikin', 'ubah', 'diubah', 'ganti', 'saya', 'aku', 'nya', 'tapi', 'yang', 'ding', 'dink', 'kak', 'ya', 'mean', 'i', 'make', 'it']);

/**
 * "3 eh 4 deh", "10 sak eh 12", "20 batang ga jadi 15 aja", "bukan 2 tapi 3": the later number replaces the
 * earlier one, and the correction words go, so neither the count nor the intent reads the slip.
 */
export function applyCorrections(tokens: Token[]): Token[] {
  const drop = new Set<number>();
  // "triplek 9mm 5 lembar eh ganti yg 12 mm aja", "lampu yg 12 watt jadi 9 watt": the later size replaces the earlier one
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || !(CORRECTION_WORDS.has(t.text) || t.text === 'jadi' || t.text === 'jadiin' || t.text === 'ganti')) continue;
    let j = i + 1;
    while (tokens[j]?.kind === 'word' && CORRECTION_SKIP.has(tokens[j]!.text)) j++;
    const next = tokens[j];
    if (next?.kind !== 'size') continue;
    let k = i - 1;
    while (k >= 0 && i - k <= 6 && tokens[k]!.kind !== 'sep' && !(tokens[k]!.kind === 'size' && tokens[k]!.dim === next.dim)) k--;
    if (k < 0 || tokens[k]?.kind !== 'size' || tokens[k]!.dim !== next.dim) continue;
    drop.add(k);
    for (let m = i; m < j; m++) drop.add(m);
    i = j;
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word') continue;
    const gaJadi = t.text === 'ga' && tokens[i + 1]?.kind === 'word' && tokens[i + 1]!.text === 'jadi';
    // "3 eh tambah 1 lagi jadi 4": the total the customer ends on
    const total = t.text === 'jadi' && tokens[i + 1]?.kind === 'num' && tokens.slice(Math.max(0, i - 5), i).some((x) => x.kind === 'num');
    if (!CORRECTION_WORDS.has(t.text) && !gaJadi && !total) continue;
    let j = i + (gaJadi ? 2 : 1);
    while (tokens[j]?.kind === 'word' && CORRECTION_SKIP.has(tokens[j]!.text)) j++;
    const next = tokens[j];
    if (next?.kind !== 'num' && next?.kind !== 'size') continue;
    let k = i - 1;
    if (total) { k = i - 1; while (k > 0 && tokens[k]!.kind !== 'num' && i - k < 6) k--; for (let m = k + 1; m < i; m++) drop.add(m); }
    const sepAt = tokens[k]?.kind === 'sep' && !total ? k : -1;
    if (sepAt >= 0) k--; // "40 batang, eh 50": the comma goes with the slip
    if (tokens[k]?.kind === 'unit') k--;
    if (tokens[k]?.kind !== next.kind || (next.kind === 'size' && tokens[k]!.dim !== next.dim)) continue;
    drop.add(k);
    if (sepAt >= 0) drop.add(sepAt);
    if (tokens[k + 1]?.kind === 'unit' && k + 1 < i) drop.add(k + 1);
    for (let m = i; m < j; m++) drop.add(m);
  }
  return drop.size === 0 ? tokens : tokens.filter((_, i) => !drop.has(i));
}

/**
 * "energen 1 renteng coklat": a word after the count that narrows the item just counted, with no count of its
 * own and no "and" before it, belongs to that item rather than starting another.
 */
function mergeTrailingModifiers(spans: Span[], index: CatalogIndex): void {
  for (let k = spans.length - 1; k > 0; k--) {
    const s = spans[k]!;
    const prev = spans[k - 1]!;
    if (s.clause !== prev.clause || s.qty !== null || prev.qty === null || s.start - prev.end > 6) continue;
    const both = intersect(prev.cand, s.cand);
    if (both.size === 0) continue;
    // one word that narrows it ("energen 1 renteng coklat"), or words its name has ("robot 18 watt 1 yg udah ada kabel type c nya")
    const narrows = s.toks.length === 1 && both.size < prev.cand.size && s.start - prev.end <= 4;
    const described = s.toks.length >= 2 && [...both].every((p) => s.toks.every((q) => q.hits.some((h) => index.tokenSets[p]!.has(h.word))));
    if (!narrows && !described) continue;
    prev.toks.push(...s.toks);
    prev.cand = both;
    prev.end = s.end;
    spans.splice(k, 1);
  }
}

const CONTRAST_WORDS = new Set(['bukan', 'selain']);
const DESCRIPTOR_WORDS = new Set(['obat', 'vitamin', 'minuman', 'makanan', 'snack', 'barang', 'produk', 'sabun', 'susu', 'mie', 'kopi', 'minyak', 'pasta', 'shampo', 'sampo', 'pakan', 'cat', 'kertas', 'buku']);

/**
 * "mie instan indomie soto 4", "obat batuk OBH 1": a kind of product said just before the product itself
 * describes it; it is not another item. Merged into the product when it fits it, dropped otherwise.
 */
function mergeLeadingDescriptors(spans: Span[], tokens: Token[], index: CatalogIndex): void {
  for (let k = spans.length - 2; k >= 0; k--) {
    const s = spans[k]!;
    const next = spans[k + 1]!;
    if (s.clause !== next.clause || s.qty !== null || s.price !== null || next.start - s.end > 2 || s.toks.length === 0) continue;
    const between = tokens.slice(s.end + 1, next.start);
    if (between.some((t) => t.kind !== 'word' || !index.categoryWords.has(t.text))) continue;
    const generic = s.toks.every((q) => tokens[q.i]?.kind === 'word' && q.hits.some((h) => h.sim >= 0.9)
      && q.hits.filter((h) => h.sim >= 0.9).every((h) => index.categoryWords.has(h.word) || DESCRIPTOR_WORDS.has(h.word)));
    if (!generic) continue;
    const both = intersect(s.cand, next.cand);
    if (both.size > 0) { next.toks.unshift(...s.toks); next.cand = both; }
    next.start = s.start;
    spans.splice(k, 1);
  }
}

const PLACE_WORDS = new Set(['jalan', 'jl', 'jln', 'gang', 'gg', 'komplek', 'komp', 'kompleks', 'perumahan', 'perum', 'desa', 'kampung', 'kelurahan', 'kel', 'kecamatan', 'kec', 'kota', 'kabupaten', 'kab', 'dusun', 'blok', 'street', 'road', 'apartemen', 'cluster']);

const SMALL = new Set(['kecil', 'small', 'mini', 'kecik', 'cilik', 'alit', 'leutik']);
const LARGE = new Set(['besar', 'gede', 'big', 'large', 'jumbo', 'gedhe', 'ageng', 'badag', 'gedé']);

/** "pepsodent kecil", "uhu besar": among sizes of the same product, the smallest or the largest. */
function markSizeAdjectives(tokens: Token[], spans: Span[], index: CatalogIndex): void {
  for (const s of spans) {
    let adj: 'small' | 'large' | null = null;
    for (let i = Math.max(0, s.start - 1); i <= Math.min(tokens.length - 1, s.end + 2); i++) {
      const t = tokens[i]!;
      if (t.kind !== 'word') continue;
      if ([...s.cand].some((p) => index.tokenSets[p]!.has(t.text))) continue; // "Stapler Besar": the name says it
      if (SMALL.has(t.text)) adj = 'small';
      else if (LARGE.has(t.text)) adj = 'large';
    }
    if (!adj) continue;
    s.sizeWord = adj;
    const byDim = new Map<string, number[]>();
    for (const p of s.cand) for (const z of index.products[p]!.sizes) { const l = byDim.get(z.dim); if (l) l.push(z.amount); else byDim.set(z.dim, [z.amount]); }
    let best: [string, number[]] | null = null;
    for (const e of byDim) if (!best || e[1].length > best[1].length) best = e;
    if (!best || new Set(best[1]).size < 2) continue;
    s.sizeAdj = { dim: best[0], amount: adj === 'small' ? Math.min(...best[1]) : Math.max(...best[1]) };
  }
}

/** "yg 24rb itu bolt ikan 2": a price and then the name of the product at that price are one item. */
function mergePriceReferences(spans: Span[]): void {
  for (let k = spans.length - 2; k >= 0; k--) {
    const ps = spans[k]!;
    const next = spans[k + 1]!;
    if (ps.toks.length > 0 || ps.price === null || next.clause !== ps.clause) continue;
    const both = intersect(next.cand, ps.cand);
    if (both.size === 0) continue;
    next.cand = both;
    next.price = ps.price;
    if (next.qty === null && ps.qty !== null) { next.qty = ps.qty; next.unit = ps.unit; }
    next.start = ps.start;
    spans.splice(k, 1);
  }
}
