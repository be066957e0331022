import type { CatalogIndex, IndexedProduct } from './catalog-index.js';
import { CONJUNCTIONS, COUNT_UNITS, FILLERS, STOPWORDS, SYNONYMS } from './lexicon.js';
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
}

export interface Ranked { p: number; score: number }

export interface Mention {
  start: number;
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
  if (STOPWORDS.has(w) || INTENT_WORDS.has(w)) return index.vocab.has(w) ? [{ word: w, sim: 1 }] : [];
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
function buildSpans(tokens: Token[], index: CatalogIndex): { spans: Span[]; clauseOf: number[]; bulkMarks: number[] } {
  const spans: Span[] = [];
  const clauseOf: number[] = [];
  const bulkMarks: number[] = [];
  let clause = 0;
  let cur: Span | null = null;
  let pendingSize: { tok: Token; i: number } | null = null;
  const close = (): void => { cur = null; };
  const open = (i: number, q: QTok | null, cand: Set<number>): Span => {
    const s: Span = { clause, start: i, end: i, toks: q ? [q] : [], cand, looseSizes: [], bulk: false, unit: null, qty: null, mult: null, price: null };
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
    spans.push(s);
    return s;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    clauseOf[i] = clause;
    const span: Span | null = cur;
    if (t.kind === 'sep') { close(); clause++; clauseOf[i] = clause; pendingSize = null; continue; }
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
      // "yg 45rb itu 2": the product at that price, when few share it
      if (priced && priced.size <= 6) { const ps = open(i, null, new Set(priced)); ps.price = t.value; }
      continue;
    }
    if (t.kind === 'size') {
      const hit = sizeHits(t);
      if (span) {
        const withSize = intersect(span.cand, supportOf(hit, index));
        if (withSize.size > 0) {
          span.toks.push({ i, hits: hit, weight: hitWeight(hit, index) });
          span.cand = withSize;
          span.end = i;
        } else span.looseSizes.push(t);
      } else pendingSize = { tok: t, i };
      continue;
    }
    if (t.kind === 'num') {
      if (span && span.end === i - 1) {
        // a number that belongs to the name ("Vicks Formula 44", "Oralit 200") or is a size without its unit ("aqua 600")
        const numStr = t.text;
        const inName = [...span.cand].some((p) => index.tokenSets[p]!.has(numStr));
        const followedByNum = nextNonUnit(tokens, i)?.kind === 'num';
        if (inName && (t.value > 12 || followedByNum)) {
          const hits = [{ word: numStr, sim: 1 }];
          span.toks.push({ i, hits, weight: hitWeight(hits, index) });
          span.cand = intersect(span.cand, supportOf(hits, index));
          span.end = i;
          continue;
        }
        if (t.value >= 100 || followedByNum || !Number.isInteger(t.value)) {
          const sized = [...span.cand].flatMap((p) => index.products[p]!.sizes.filter((s) => naturalAmounts(s).includes(t.value)).map((s) => ({ p, key: s.key })));
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
      close();
      continue;
    }
    // word
    const w = t.text;
    if (FILLERS.has(w) && span) { span.end = i; continue; }
    if (CONJUNCTIONS.has(w)) {
      const inName = span !== null && [...span.cand].some((p) => index.tokenSets[p]!.has(w)) && nextWordSupports(tokens, i, span, index);
      if (!inName) { close(); clause++; clauseOf[i] = clause; pendingSize = null; continue; }
    }
    const hits = wordHits(w, index);
    if (hits.length === 0) { close(); continue; }
    const support = supportOf(hits, index);
    const q: QTok = { i, hits, weight: hitWeight(hits, index) };
    if ((STOPWORDS.has(w) || w in COUNT_UNITS) && !CONJUNCTIONS.has(w)) {
      // a stopword that is also a catalog word ("good" in Good Day) may only extend a mention or start one the next word confirms
      if (span && intersect(span.cand, support).size > 0) { span.toks.push(q); span.cand = intersect(span.cand, support); span.end = i; continue; }
      let k = i + 1;
      while (tokens[k]?.kind === 'word' && FILLERS.has(tokens[k]!.text)) k++;
      const nt = tokens[k];
      const confirmed = nt?.kind === 'word' && !STOPWORDS.has(nt.text) && intersect(support, supportOf(wordHits(nt.text, index), index)).size > 0;
      // "gas 3kg 1", "gas nya 2": a catalog word followed by an amount is being ordered, not cheered
      const counted = !(w in COUNT_UNITS) && (nt?.kind === 'num' || (nt?.kind === 'size' && intersect(support, supportOf([{ word: nt.text, sim: 1 }], index)).size > 0));
      if (confirmed || counted) {
        close();
        cur = open(i, q, support);
        continue;
      }
      if (w in COUNT_UNITS && span) { span.end = i; continue; } // "aqua botol 600": a container word between the name and its size
      if (w in COUNT_UNITS) continue;
      close();
      continue;
    }
    if (span) {
      const repeated = span.toks.some((x) => x.hits.some((h) => hits.some((g) => g.word === h.word && g.sim === 1 && h.sim === 1)));
      const both = intersect(span.cand, support);
      if (!repeated && both.size > 0) { span.toks.push(q); span.cand = both; span.end = i; continue; }
    }
    close();
    cur = open(i, q, support);
  }
  return { spans, clauseOf, bulkMarks };
}

function nextWordSupports(tokens: Token[], i: number, span: Span, index: CatalogIndex): boolean {
  const nt = tokens[i + 1];
  if (nt?.kind !== 'word') return false;
  return intersect(span.cand, supportOf(wordHits(nt.text, index), index)).size > 0;
}

/** Give each number to the mention it most plausibly counts. */
function attachQuantities(tokens: Token[], spans: Span[], clauseOf: number[]): void {
  interface Q { i: number; value: number; unit: Token | null; left: Span | null; right: Span | null; prefer: 'left' | 'right' | null }
  const qs: Q[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'num') continue;
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
    qs.push({ i, value: t.value, unit, left, right, prefer });
  }
  const onlyLeft = qs.filter((q) => q.left && !q.right).length;
  const onlyRight = qs.filter((q) => q.right && !q.left).length;
  const orientation: 'left' | 'right' = onlyRight > onlyLeft ? 'right' : 'left';
  for (const q of qs) {
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
      target.unit = q.unit.text;
      if (q.unit.mult) target.mult = q.unit.mult;
      if (q.unit.bulk) target.bulk = true;
    }
  }
}

export function scoreProduct(span: Span, p: IndexedProduct): number {
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
    const s = Math.sqrt(nameCov) * Math.pow(queryCov, 0.7);
    if (s > best) best = s;
  });
  return best;
}

/** A spec the customer stated that this product has in another value ("triplek 15 mm" against 12 mm): not this one. */
function contradicts(span: Span, p: IndexedProduct): boolean {
  for (const ls of span.looseSizes) {
    if (p.saleSize && p.saleSize.dim === ls.dim) continue;
    if (ls.dim === 'm' && ls.value < 50_000 && p.sizes.some((s) => s.dim === 'm')) return true;
    if (p.sizes.some((s) => s.dim === ls.dim) && !p.sizes.some((s) => s.dim === ls.dim && Math.abs(s.amount - ls.value) < 1e-6)) {
      // "beras 10 kg" of a 5 kg bag may mean two bags; a weight of something sold by weight is a count
      if (ls.dim === 'm' || ls.dim === 'v') { const same = p.sizes.find((s) => s.dim === ls.dim)!; if (Number.isInteger(ls.value / same.amount)) continue; }
      return true;
    }
  }
  return false;
}

function rank(span: Span, index: CatalogIndex): Ranked[] {
  const out: Ranked[] = [];
  if (span.toks.length === 0 && span.price !== null) {
    for (const pi of span.cand) out.push({ p: pi, score: 0.8 });
    return out;
  }
  for (const pi of span.cand) {
    const p = index.products[pi]!;
    let s = scoreProduct(span, p);
    if (s <= 0) continue;
    if (contradicts(span, p)) s *= 0.6;
    // the unit asked for picks the variant sold in it ("2 renteng", "1 roll", "sepail")
    if (span.unit && p.units.has(span.unit)) s += 0.08;
    // a carton is only meant when the customer says so; otherwise the single unit
    if (span.bulk) s += p.bulk ? 0.25 : -0.25;
    else if (p.bulk) s -= 0.1;
    out.push({ p: pi, score: Math.min(1, s) });
  }
  out.sort((a, b) => b.score - a.score
    || index.products[a.p]!.fields[0]!.tokens.length - index.products[b.p]!.fields[0]!.tokens.length
    || a.p - b.p);
  return out;
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
  const { spans, clauseOf, bulkMarks } = buildSpans(tokens, index);
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
  attachQuantities(tokens, spans, clauseOf);
  const ranked = spans.map((s) => {
    const r = rank(s, index);
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
    if (s.qty === null && bestP) {
      const fromSize = quantityFromSize(s, bestP);
      if (fromSize !== null) { quantity = fromSize; explicit = true; }
    }
    const mention = tokens.slice(s.start, s.end + 1).filter((t) => t.kind !== 'sep').map((t) => t.raw).join(' ');
    mentions.push({ start: s.start, mention, ranked: r, quantity, explicit });
  });
  return mentions;
}
