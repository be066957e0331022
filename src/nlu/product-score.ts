// How well a mention names each candidate product: typed-word coverage weighted by how distinctive
// each word is in this catalog, adjusted by what the customer said about unit, size, pack and price.
import type { CatalogIndex, IndexedProduct } from './catalog-index.js';
import type { Token } from './text.js';
import { CHAT_WORDS, COUNT_UNITS, DEFAULT_VARIANT, DOCUMENT_WORDS, GENERIC_UNITS, MARKED_VARIANT_WORDS, PLAIN_WORDS, STOPWORDS } from './lexicon.js';
import { canonUnitWord, hitWeight, intersect, measureCount, startsSomeName, supportOf, type QTok, type Span } from './evidence.js';

export interface Ranked { p: number; score: number; raw?: number; /** put first as the plain one a bare name means */ plain?: boolean }

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
      // (…not when the count is said as well: "royal canin 4 kg 1" of 400 g packs asks for a 4 kg pack)
      // (…and only packs of one whole kilo, ons or litre: "kerupuk balado 1 kg" of 250 g packs, "beras 10 kg" of
      // 5 kg bags, ask for a pack of that size)
      if (span.qty === null && sizeCanCount(ls) && same.some(wholeMeasure) && Number.isInteger(ls.value / same[0]!.amount)) continue;
      return 'contradicts';
    }
    // a weight or volume to buy of something without one ("telur 2 kg") is still a way of counting
    if (ls.dim === 'm' || ls.dim === 'v') continue;
    out = 'unexplained';
  }
  return out;
}

/** The typed words (two or more) appear in one of the product's names as a phrase, in that order. */
function inOrder(span: Span, p: IndexedProduct): boolean {
  // (words only: where a size stands in a name says nothing of which one is meant, "tiga roda 40kg" of "Semen Tiga
  // Roda PCC 40KG" and of "Semen Putih Tiga Roda 40KG")
  const typed = span.toks.filter((q) => !q.hits.every((h) => h.word.startsWith('#')));
  if (typed.length < 2) return false;
  const words = [...typed].sort((a, b) => a.i - b.i).map((q) => q.hits.map((h) => h.word));
  return p.fields.some((f) => {
    for (let start = 0; start + words.length <= f.tokens.length; start++) {
      if (words.every((alts, k) => alts.includes(f.tokens[start + k]!))) return true;
    }
    return false;
  });
}

/** Words that ask for a pack rather than a piece. */
const PACK_SAID = new Set(['lusin', 'lusinan', 'pak', 'pack', 'box', 'kotak', 'dus', 'isi', 'grosir', 'dozen']);

/** The product carries every word of the head the mention before gave ("wardah lip cream 02, 04"), not just some. */
function carriesHead(context: QTok[], shared: QTok[]): boolean {
  const words = context.filter((q) => !tokensIsSpec(q));
  return words.length > 0 && words.every((q) => shared.includes(q));
}

export function rank(span: Span, index: CatalogIndex, context: QTok[] = []): Ranked[] {
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
  // (…unless the word is how the shop's own name of one or two products begins: "scan 3" at a copy shop with "Scan dokumen")
  const leadsFew = (w: string) => (index.postings.get(w) ?? []).some((x) => x.t === 0 && x.f === 0)
    && new Set((index.postings.get(w) ?? []).map((x) => x.p)).size <= 2;
  const chatOnly = span.toks.every((q) => q.hits.every((h) => (CHAT_WORDS.has(h.word) || STOPWORDS.has(h.word)) && !leadsFew(h.word)));
  // (…but words that begin the shop's own names, in order, name those products: "telur ayam" of "Telur Ayam 1 kg"
  // where "telur" and "ayam" are also categories)
  const typedSeq = [...span.toks].sort((a, b) => a.i - b.i);
  // (…unless they are the very name of a category: "pasir kucing" asks about the kind)
  const isKind = [...span.cand].some((pi) => {
    const c = (index.products[pi]!.product.category ?? '').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
    return c.length === typedSeq.length && typedSeq.every((q, j) => q.hits.some((h) => h.word === c[j]));
  });
  const beginsNames = typedSeq.length >= 2 && !isKind && [...span.cand].some((pi) => typedSeq.every((q, j) => q.hits.some((h) => h.word === index.products[pi]!.fields[0]!.tokens[j])));
  // (a word typed as it is spelled is read as itself: "lem" is the kind, whatever its English synonym names)
  const asTyped = (q: QTok) => (q.hits.some((h) => h.sim === 1) ? q.hits.filter((h) => h.sim === 1) : q.hits);
  const categoryOnly = k > 2 && !beginsNames && span.toks.every((q) => asTyped(q).every((h) => index.categoryWords.has(h.word) || CHAT_WORDS.has(h.word) || STOPWORDS.has(h.word)));
  const generic = chatOnly || categoryOnly;
  // a code or size alone identifies nothing; read with the head of the mention before it, it does as much as typed in full
  const identifiedWithHead = identified;
  if (span.toks.every((q) => tokensIsSpec(q))) identified = 0;
  const unitDiscriminates = span.unit !== null && [...span.cand].some((pi) => !index.products[pi]!.units.has(span.unit!))
    && [...span.cand].some((pi) => index.products[pi]!.units.has(span.unit!));
  const measureDiscriminates = span.looseSizes.length > 0 && [...span.cand].some((pi) => !index.products[pi]!.saleSize);
  // "bawang merah 1 kg" beside a per-kg and a per-ons product: one kilo, not ten ons
  const stated = span.looseSizes.find((ls) => !ls.per) ?? span.looseSizes[0];
  const counts = stated ? [...span.cand].map((pi) => measureCount(index.products[pi]!, stated)).filter((n): n is number => n !== null) : [];
  const fewest = counts.length > 1 ? Math.min(...counts) : null;
  const typedWords = new Set(span.toks.flatMap((q) => q.hits.map((h) => h.word)));
  const defaults = [...typedWords].flatMap((w) => DEFAULT_VARIANT[w] ?? []).filter((d) => !typedWords.has(d));
  const documentOnly = span.toks.length > 0 && span.toks.every((q) => q.hits.every((h) => DOCUMENT_WORDS.has(h.word)));
  const loneModifier = span.toks.length === 1 && span.qty === null && !span.elliptic && span.price === null && span.toks[0]!.hits.every((h) => !h.word.startsWith('#') && !/^\d/.test(h.word)) && !startsSomeName(span.toks[0]!, index);
  // "cat avian putih 2 + yg hitam 1": when some products carry the brand or kind the mention before named,
  // a product that carries none of it ("Lakban Hitam") is not what the modifier points at
  const headWords = context.filter((q) => !tokensIsSpec(q) && !q.hits.every((h) => index.categoryWords.has(h.word)));
  const carriesSomeHead = (pi: number) => headWords.some((q) => q.hits.some((h) => index.tokenSets[pi]!.has(h.word)));
  // (only a modifier; "es tehnya" after "paket rendang" names a drink of its own)
  const someHeaded = span.toks.length <= 2 && span.toks.length > 0 && !startsSomeName(span.toks[0]!, index) && [...span.cand].some(carriesSomeHead);
  const kindPlain = new Set<number>();
  for (const pi of span.cand) {
    const p = index.products[pi]!;
    let s = scoreProduct(span, p, identified);
    // "telur ayam sekilo" of "Telur Ayam 1 kg": a stated size equal to the product's own names it, even
    // when it was kept apart to count a product sold by measure
    const ownSizes = span.looseSizes.filter((ls) => p.sizes.some((z) => z.key === ls.text));
    if (ownSizes.length > 0) s = Math.max(s, scoreProduct({ ...span, toks: [...span.toks, ...ownSizes.map((ls) => ({ i: -1, hits: [{ word: ls.text, sim: 1 }], weight: hitWeight([{ word: ls.text, sim: 1 }], index) }))] }, p, identified));
    if (s <= 0) continue;
    // "hitam 3 sama biru 2": a lone modifier keeps the head of the mention before it
    let headed = false;
    if (context.length > 0) {
      const shared = context.filter((q) => q.hits.some((h) => index.tokenSets[pi]!.has(h.word)));
      if (shared.length > 0) {
        const withCtx = scoreProduct({ ...span, toks: [...span.toks, ...shared] }, p, carriesHead(context, shared) ? identifiedWithHead : identified);
        if (withCtx > s) { s = s + (withCtx - s) * 0.9; headed = true; }
      }
    }
    if (someHeaded && !carriesSomeHead(pi)) s *= 0.85;
    // "salonpas yg biasa": a variant whose name says more than was typed is not the plain one asked for
    if (span.plainAsked && p.fields[0]!.tokens.some((t) => !t.startsWith('#') && !/^\d/.test(t) && !typedWords.has(t) && !PLAIN_WORDS.has(t) && !(t in COUNT_UNITS) && !PACK_SAID.has(t))) s *= 0.85;

    const spec = specFit(span, p);
    if (spec === 'contradicts') s *= 0.6;
    else if (spec === 'unexplained') s *= 0.8;
    if (span.unexplained > 0) s *= Math.pow(0.78, Math.min(span.unexplained, 2));
    if (span.fragment) s *= 0.88;
    if (span.contradicted) s *= 0.8;
    // …unless the mention before gave it its head ("champ sosis sapi 3, eh yg ayam aja")
    // (a category word that is also the whole name of one product, "nasi" or "mie ayam", names that product)
    // (…and so is the plain one a bare kind means: "nasi 3" of "Nasi Putih" where "nasi" is a category)
    // (…whatever else its name shares with a sibling: "Print Hitam Putih A4 per lembar" beside "Print Warna A4")
    const plainOfKind = defaults.length > 0 && p.fields[0]!.tokens.some((t) => defaults.includes(t)) && p.fields[0]!.tokens.every((t) => t.startsWith('#') || typedWords.has(t) || defaults.includes(t) || PLAIN_WORDS.has(t)
      || t in COUNT_UNITS || t === 'per' || [...span.cand].some((o) => o !== pi && index.tokenSets[o]!.has(t) && !defaults.some((d) => index.tokenSets[o]!.has(d))));
    if (generic && !headed && !fullyNamed(span, p) && !plainOfKind) s = Math.min(s, 0.5);
    if (plainOfKind) kindPlain.add(pi);
    // "dingin bgt nih": one word from the middle or end of a name, uncounted and with no mention before it to
    // give it its head, is talk about something more than an order of it: asked, never added silently
    // ("sensodyne 2", counted, is an order of the one product it names)
    // (given its head by the mention before, it is a sibling only as the next item of a list: "hitam 3 biru 2")
    if ((loneModifier && (!headed || !span.listed)) || span.cutter) s = Math.min(s, 0.7);
    // "scan ktp", "fotokopi ktp": the document is what a job is done on; on its own it names no service
    if (documentOnly && !fullyNamed(span, p)) s = Math.min(s, 0.55);
    // the unit asked for picks the variant sold in it ("2 renteng", "1 roll", "sepail"); half a dozen is six pieces
    if (span.unit && unitDiscriminates && !GENERIC_UNITS.has(span.unit)) {
      const whole = span.qty === null || Number.isInteger(span.qty);
      if (p.unit === span.unit && whole) s += 0.25;
      else if (p.units.has(span.unit) && whole) s += 0.12;
      else if (p.units.has(span.unit) && !whole) s *= 0.6;
      else if (whole) s *= 0.6;
    }
    // "hebel 10 350 biji": pieces counted are not a product sold by the cubic metre or the kilo
    if (span.unit && GENERIC_UNITS.has(span.unit) && span.qty !== null && p.saleSize && !p.units.has(span.unit)) s *= 0.85;
    if (allFuzzy && span.toks.length <= 2) s *= 0.85;
    // "telur selusin" is twelve eggs: a dozen counts pieces, not what is sold by the kilo
    if (span.mult !== null && span.unit !== null && p.saleSize && !p.units.has(span.unit)) s *= 0.8;
    // "telur 10 butir" beside hen's and duck's eggs: the kind a bare word means here
    if (defaults.length > 0 && p.fields[0]!.tokens.some((t) => defaults.includes(t))) s += 0.05;
    // "fotokopi a4 100 lbr" beside a colour and a two-sided copy: the plain one, unless the customer says otherwise
    if (p.fields[0]!.tokens.some((t) => MARKED_VARIANT_WORDS.has(t) && !typedWords.has(t))) s *= 0.9;

    if (span.holds && p.contents && p.contents.n === span.holds.n && p.contents.unit === span.holds.unit) s += 0.2;
    // "lem tembak yg besar" is not the one the name calls small
    if (span.sizeWord && p.fields[0]!.tokens.some((t) => (span.sizeWord === 'large' ? SMALL : LARGE).has(t))) s *= 0.6;
    if (span.sizeAdj) {
      const mine = p.sizes.find((z) => z.dim === span.sizeAdj!.dim);
      if (mine && Math.abs(mine.amount - span.sizeAdj.amount) < 1e-6) s += 0.2;
    }
    // "paku 7cm setengah kilo" of nails sold by the kilo: half a kilo does not count it whole, so it is asked
    // (never silently a whole kilo)
    if (p.saleSize && span.looseSizes.some((ls) => ls.dim === p.saleSize!.dim && !ls.per && measureCount(p, ls) === null)) s *= 0.7;
    // "telur 2 kg": a weight picks the product sold by weight
    if (measureDiscriminates && p.saleSize && span.looseSizes.some((ls) => ls.dim === p.saleSize!.dim)) s += 0.15;
    // "fillet ayam 1kg 5 pack": with a count beside it, a size equal to what one item weighs names that item
    if (span.qty !== null && p.saleSize && span.looseSizes.some((ls) => ls.dim === p.saleSize!.dim && Math.abs(ls.value - p.saleSize!.amount) < 1e-6)) s += 0.3;
    if (fewest !== null && stated && (measureCount(p, stated) ?? fewest) > fewest) s *= 0.8;
    // "paku 2 inch 3 ons" beside a per-kg and a per-ons product: the one the measure counts whole;
    // "hebel 2 kubik" beside bricks per piece and per m³: the one sold by that measure
    if (counts.length > 0 && stated && measureCount(p, stated) === null && (p.saleSize?.dim === stated.dim || (!p.saleSize && !p.sizes.some((z) => z.dim === stated.dim)))) s *= 0.8;
    // a carton is only meant when the customer says so; otherwise the single unit
    if (span.bulk) s += p.bulk ? 0.25 : -0.25;
    else if (p.bulk) s -= 0.1;
    // …and so is a dozen or a pack of what is also sold alone, unless its unit or pack word was said ("2 boxes",
    // "yg lusinan")
    else if (p.packOfSingle && !(span.unit !== null && p.unit === canonUnitWord(span.unit)) && !typedWords.has(p.unit ?? '') && !span.toks.some((q) => q.hits.some((h) => PACK_SAID.has(h.word)))) s -= 0.1;
    // "es teh" is "Es Teh Manis" before "Teh Tarik Es": the words in the order a name has them, side by side, put
    // it first; how sure the reading is stays as it was
    out.push({ p: pi, score: Math.min(1, s), raw: s + (inOrder(span, p) ? 0.04 : 0) });
  }
  // sorted on the unclamped score, so a unit or size that picks a variant still counts for a full match
  out.sort((a, b) => (b.raw ?? b.score) - (a.raw ?? a.score)
    || index.products[a.p]!.fields[0]!.tokens.length - index.products[b.p]!.fields[0]!.tokens.length
    || a.p - b.p);
  // "nasi 2" beside Nasi Putih, nasi uduk and a nasi goreng: the one whose name adds only the default word
  // ("putih") goes first, at the score the best reading had; how sure the reading is stays as it was
  // (and it carries every word typed: "nasi box 2" is no Nasi Putih)
  const typedNames = span.toks.filter((q) => !tokensIsSpec(q));
  // (a name that adds only "Original", "Biasa" or a size is the plain one too: "indomie goreng" is the original)
  const plainNamed = (r: Ranked) => index.products[r.p]!.fields[0]!.tokens.every((t) => t.startsWith('#') || typedWords.has(t) || defaults.includes(t) || PLAIN_WORDS.has(t))
    && index.products[r.p]!.fields[0]!.tokens.some((t) => defaults.includes(t) || PLAIN_WORDS.has(t))
    && typedNames.every((q) => q.hits.some((h) => index.tokenSets[r.p]!.has(h.word)));
  let plain = out.find(plainNamed);
  const top = out[0];
  // (the best reading is the plain one only when no other close reading is plain as well: "pocari 350 ml" and
  // "pocari 500 ml" both add only a size)
  let onlyPlain = plain !== undefined && plain === top && !out.some((r) => r !== top && plainNamed(r) && (r.raw ?? r.score) >= (top.raw ?? top.score) - 0.05);
  // (…or, among close variants, the one that differs from the others only by such words or by its form: "Scott's
  // Emulsion Original" beside "… Jeruk", "Panadol Tablet" beside "Panadol Extra")
  if (!plain && top) {
    const named = typedNames.filter((q) => !q.hits.some((h) => PLAIN_WORDS.has(h.word)));
    const unit = index.products[top.p]!.unit;
    // (of one size: sizes apart are told apart by their sizes, never by which name has fewer words)
    const sizeKey = (r: Ranked) => index.products[r.p]!.sizes.map((z) => z.key).sort().join(' ');
    const close = out.filter((r) => (r.raw ?? r.score) >= (top.raw ?? top.score) - 0.05 && index.products[r.p]!.unit === unit && sizeKey(r) === sizeKey(top)
      && named.every((q) => q.hits.some((h) => index.tokenSets[r.p]!.has(h.word))));
    const wordsOf = (r: Ranked) => index.products[r.p]!.fields[0]!.tokens.filter((t) => !t.startsWith('#') && !/^\d/.test(t));
    const shared = (t: string) => close.every((r) => index.tokenSets[r.p]!.has(t));
    const plainish = close.filter((r) => wordsOf(r).every((t) => shared(t) || typedWords.has(t) || defaults.includes(t) || PLAIN_WORDS.has(t) || FORM_WORDS.has(t)));
    if (close.length >= 2 && plainish.length === 1) { plain = plainish[0]; onlyPlain = plain === top; }
  }
  if (plain && top && plain !== top && plain.score >= top.score - 0.1) {
    out.splice(out.indexOf(plain), 1);
    out.unshift({ ...plain, score: top.score, raw: Math.max(plain.raw ?? plain.score, top.raw ?? top.score), plain: true });
  } else if (onlyPlain || (top && kindPlain.size === 1 && kindPlain.has(top.p))) out[0] = { ...top, plain: true };
  return out;
}

/** The form a medicine comes in: a name that adds only its form is the plain one beside a named variant. */
const FORM_WORDS = new Set<string>(['tablet', 'kaplet', 'kapsul', 'strip', 'sachet', 'cair', 'liquid']);

/** Which typed tokens this product explains, as a key. */
export function matchedWords(span: Span, p: IndexedProduct): string {
  return span.toks.map((q) => (q.hits.some((h) => p.fields.some((f) => f.tokens.includes(h.word))) ? '1' : '0')).join('');
}

/** Every word of one of the product's names was typed ("nasi goreng" for "Nasi Goreng"). */
export function fullyNamed(span: Span, p: IndexedProduct): boolean {
  return p.fields.some((f) => fullyNamedBy(span, f));
}

function fullyNamedBy(span: Span, f: IndexedProduct['fields'][number]): boolean {
  const typed = new Set(span.toks.flatMap((q) => q.hits.filter((h) => h.sim >= 0.86).map((h) => h.word)));
  return f.tokens.every((t) => typed.has(t) || t === '~carton' || t === '~pack');
}

/** "2 kg" of a product sold per 1 kg → 2; "telur 3 kg" of a product sold by the kg → 3. */
export function quantityFromSize(span: Span, p: IndexedProduct): number | null {
  for (const ls of span.looseSizes) {
    if (ls.per) continue;
    if (p.saleSize && p.saleSize.dim === ls.dim && p.saleSize.amount > 0) {
      const r = Math.round((ls.value / p.saleSize.amount) * 1000) / 1000;
      if (Number.isInteger(r) && r >= 1 && r <= 99_999) return r;
    }
    // "1000mg" against a 500mg tablet is a strength, not two strips; "2 kg" of sugar is a count
    if (ls.dim === 'm' && ls.value < 50_000) continue;
    if (ls.dim === 'p') continue;
    const same = p.sizes.find((s) => s.dim === ls.dim);
    if (same && same.amount > 0 && sizeCanCount(ls) && wholeMeasure(same)) {
      const r = ls.value / same.amount;
      if (Number.isInteger(r) && r >= 1 && r <= 999) return r;
    }
  }
  return null;
}

/**
 * Weights from an ons up and litres are how groceries are counted ("gula 2 kg" of 1 kg packs is two,
 * "cabe 2 ons" of 100 g packs two); millilitres name a bottle's size ("micellar 250 ml" of a 125 ml
 * bottle asks for a size the shop may not have, not for two bottles).
 */
/** A pack of one kilo, one ons or one litre: what "2 kilo", "3 ons", "2 liter" count. */
function wholeMeasure(z: { dim: string; amount: number }): boolean {
  return (z.dim === 'm' && (z.amount === 1_000_000 || z.amount === 100_000)) || (z.dim === 'v' && z.amount === 1000);
}

function sizeCanCount(ls: Token): boolean {
  return (ls.dim === 'm' && ls.value >= 100_000) || (ls.dim === 'v' && ls.value >= 1000);
}

function tokensIsSpec(q: QTok): boolean { return q.hits.every((h) => h.word.startsWith('#') || /^\d/.test(h.word)); }

function topScore(span: Span, index: CatalogIndex): number {
  let best = 0;
  for (const p of span.cand) { const sc = scoreProduct(span, index.products[p]!); if (sc > best) best = sc; }
  return best;
}

/** "besi 6" when a product is called "besi 6": the number names it far better than it counts it. */
export function namesBetter(span: Span, numStr: string, index: CatalogIndex): boolean {
  if (Number(numStr) < 2) return false;
  const hits = [{ word: numStr, sim: 1 }];
  const cand = intersect(span.cand, supportOf(hits, index));
  if (cand.size === 0 || cand.size === span.cand.size) return false;
  const withNum: Span = { ...span, toks: [...span.toks, { i: -1, hits, weight: hitWeight(hits, index) }], cand };
  return topScore(withNum, index) >= topScore(span, index) + 0.12;
}

export const SMALL = new Set(['kecil', 'small', 'mini', 'kecik', 'cilik', 'alit', 'leutik']);
export const LARGE = new Set(['besar', 'gede', 'big', 'large', 'jumbo', 'gedhe', 'ageng', 'badag', 'gedé']);
