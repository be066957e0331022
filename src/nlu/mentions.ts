// Finds the products a message names: spans of typed words (spans.ts), the numbers that count them
// (quantities.ts), merged where one item was said in pieces, then ranked against the catalog
// (product-score.ts) into mentions with a quantity and the evidence the dialogue acts on.
import type { CatalogIndex } from './catalog-index.js';
import type { Token } from './text.js';
import { canonUnitWord, intersect, restOfClause, startsSomeName, type QTok, type Span } from './evidence.js';
import { fullyNamed, LARGE, matchedWords, quantityFromSize, rank, SMALL, type Ranked } from './product-score.js';
import { CHAT_WORDS, CONJUNCTIONS, COUNT_UNITS, FILLERS, GENERIC_UNITS, isPassive, SLANG, STOPWORDS, ORDER_PASSIVES, passiveCounts, SPEC_WORDS } from './lexicon.js';
import { attachQuantities } from './quantities.js';
import { buildSpans } from './spans.js';

export type { Hit, Span } from './evidence.js';
export type { Ranked } from './product-score.js';
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
  /** a word right after it describes a kind none of its products is: maybe a variant not sold here */
  contradicted: boolean;
  /** said in a container none of its products comes in: not sold here, however well the rest fits */
  unsoldForm: boolean;
  mention: string;
  ranked: Ranked[];
  quantity: number;
  explicit: boolean;
}

/** Score above which a mention names a product confidently enough to act on it. */
export const ITEM_THRESHOLD = 0.58;
/** Top two within this margin → ask the customer which one. */
export const AMBIGUITY_MARGIN = 0.04;

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
  pickByPurpose(spans, tokens, index);
  attachQuantities(tokens, spans, clauseOf, built.nameNums, index);
  dropPreparationNotes(spans, tokens, index);
  applyCopies(spans, tokens, index);
  mergeTrailingModifiers(spans, tokens, index);
  mergeLeadingDescriptors(spans, tokens, index);
  dropKindBeforeBrand(spans, index);
  mergePriceReferences(spans);
  paperOfTheJob(spans, index);
  markSizeAdjectives(tokens, spans, index);
  const ranked = spans.map((s, k) => {
    // the most recent mention of several words gives a one- or two-word mention its head
    let context: QTok[] = [];
    // ("ayam goreng 2 nasi 2": a word that begins names, listed with its own count, is an item of its own, not
    // a variant of the one before; "yg ayam" after a sausage still is)
    // ("… sama softcase nya 1", "isinya 1": "-nya" points back at it)
    const pointsBack = s.toks.some((q) => tokens[q.i]!.raw.toLowerCase().endsWith('nya') || tokens[q.i + 1]?.text === 'nya');
    // (counted, or a bare item of a list: "ayam goreng 1 + nasi + es teh")
    const after = tokens[s.end + 1];
    const bareItem = after === undefined || after.kind === 'sep' || (after.kind === 'word' && CONJUNCTIONS.has(after.text));
    const ownHead = (s.qty !== null || bareItem) && s.listed === true && !pointsBack && startsSomeName(s.toks[0]!, index) && tokens[s.start - 1]?.text !== 'yang';
    if (s.toks.length <= 2 && !ownHead) {
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
    const rival = r.slice(1).find((x) => !(bestP && index.bulkSibling.get(bestP.ord) === x.p) && !index.products[x.p]!.bulk && !index.products[x.p]!.packOfSingle);
    const second = rival ? index.products[rival.p] : undefined;
    const sameEvidence = bestP !== undefined && second !== undefined && matchedWords(s, bestP) === matchedWords(s, second) && !fullyNamed(s, bestP) && !s.plainAsked;
    mentions.push({ start: s.start, end: s.end, clause: s.clause, used: s.toks.map((q) => q.i), purpose: s.purpose, sameEvidence, unexplained: s.unexplained, contradicted: s.contradicted === true, unsoldForm: s.unsoldForm === true, mention, ranked: r, quantity, explicit });
  });
  return mentions;
}

/**
 * "insto yg buat mata kering 1", "woods buat batuk kering 1 botol": what the customer says an item is for, in the
 * words its merchant wrote about some of its variants, picks those variants. Only when the item is counted in the
 * same clause: "ada cat buat kayu?" asks what there is for wood, and is answered with a list.
 */
function pickByPurpose(spans: Span[], tokens: Token[], index: CatalogIndex): void {
  spans.forEach((s, k) => {
    if (s.cand.size < 2) return;
    let j = s.end + 1;
    if (tokens[j]?.kind === 'word' && tokens[j]!.text === 'yang') j++;
    if (tokens[j]?.kind !== 'word' || (tokens[j]!.text !== 'untuk' && tokens[j]!.text !== 'for')) return;
    const nextStart = spans[k + 1]?.start ?? Infinity;
    const words: number[] = [];
    for (let i = j + 1; i < tokens.length && i < nextStart && words.length < 4; i++) {
      const t = tokens[i]!;
      if (t.kind !== 'word' || CONJUNCTIONS.has(t.text)) break;
      words.push(i);
    }
    if (words.length === 0) return;
    const { rest, end } = restOfClause(tokens, words[words.length - 1]!);
    // (a number in a question is a model: "charger buat iphone 13 yg bagus apa?")
    if (end?.raw === '?' || (s.qty === null && !rest.some((t) => t.kind === 'num'))) return;
    const said = (p: number) => words.filter((i) => index.needPostings.get(tokens[i]!.text)?.has(p) || index.tokenSets[p]!.has(tokens[i]!.text)).length;
    const fit = new Map([...s.cand].map((p) => [p, said(p)]));
    const best = Math.max(...fit.values());
    const picked = new Set([...s.cand].filter((p) => fit.get(p) === best));
    if (best === 0 || picked.size === s.cand.size) return;
    s.cand = picked;
    s.end = words[words.length - 1]!;
  });
}

/**
 * "geprek nya 2 bukan 3", "mcb nya 10a bukan 16a": the one said first stands, the one after "bukan" is what it is
 * not ("bukan 2 tapi 3" is a slip read by applyCorrections).
 */
function dropDenied(tokens: Token[]): Token[] {
  const drop = new Set<number>();
  const code = (x: Token) => x.kind === 'word' && /\d/.test(x.text) && /[a-z]/.test(x.text);
  for (let i = 1; i + 1 < tokens.length; i++) {
    const [a, t, b] = [tokens[i - 1]!, tokens[i]!, tokens[i + 1]!];
    if (t.kind !== 'word' || t.text !== 'bukan' || tokens[i + 2]?.text === 'tapi') continue;
    const alike = (a.kind === 'num' && b.kind === 'num') || (a.kind === 'size' && b.kind === 'size' && a.dim === b.dim) || (code(a) && code(b));
    if (!alike) continue;
    drop.add(i);
    drop.add(i + 1);
    i++;
  }
  return drop.size === 0 ? tokens : tokens.filter((_, i) => !drop.has(i));
}

const CORRECTION_WORDS = new Set(['eh', 'ehh', 'ralat', 'maksudnya', 'maksud', 'salah', 'koreksi', 'bukan', 'sorry', 'oops', 'wait', 'i mean']);
const CORRECTION_SKIP = new Set(['deh', 'aja', 'saja', 'jadi', 'jadiin', 'jadikan', 'jd', 'jdi', 'bikin', 'dibikin', 'ubah', 'diubah', 'ganti', 'saya', 'aku', 'nya', 'tapi', 'yang', 'ding', 'dink', 'kak', 'ya', 'mean', 'i', 'make', 'it']);

/**
 * "3 eh 4 deh", "10 sak eh 12", "20 batang ga jadi 15 aja", "bukan 2 tapi 3": the later number replaces the
 * earlier one, and the correction words go, so neither the count nor the intent reads the slip.
 */
export function applyCorrections(typed: Token[], vocab?: { has(w: string): boolean }): Token[] {
  const tokens = dropDenied(typed);
  const drop = new Set<number>();

  // "betadine 15 ml 1 ya kak, eh ganti yg 30 ml aja", "powerbank 20000 1, eh ralat yg 10000": a spec said again
  // after a slip, past the count and the comma, takes the earlier spec's place; the count stays
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || !(t.text === 'eh' || t.text === 'ralat' || t.text === 'koreksi' || t.text === 'maksudnya')) continue;
    let j = i + 1;
    while (tokens[j]?.kind === 'word' && (CORRECTION_SKIP.has(tokens[j]!.text) || CORRECTION_WORDS.has(tokens[j]!.text))) j++;
    // ("bakso isi 25 2 pack... eh isi 50 maksudnya": a number after a spec word is that spec again)
    if (tokens[j]?.kind === 'word' && SPEC_WORDS.has(tokens[j]!.text) && tokens[j + 1]?.kind === 'num') {
      const label = tokens[j]!.text;
      let e = i - 1;
      while (e >= 1 && i - e <= 10 && !(tokens[e - 1]!.kind === 'word' && tokens[e - 1]!.text === label && tokens[e]!.kind === 'num')) e--;
      if (e >= 1 && i - e <= 10 && tokens[e]!.kind === 'num') {
        tokens[e] = { ...tokens[j + 1]! };
        const from = tokens[i - 1]?.kind === 'sep' ? i - 1 : i;
        for (let m = from; m <= j + 1; m++) drop.add(m);
        i = j + 1;
        continue;
      }
    }
    const next = tokens[j];
    const specNum = next?.kind === 'num' && next.value >= 100 && tokens[j + 1]?.kind !== 'unit';
    if (!next || (next.kind !== 'size' && !specNum)) continue;
    let k = i - 1;
    let seps = 0;
    for (; k >= 0 && i - k <= 10; k--) {
      const x = tokens[k]!;
      if (x.kind === 'sep' && ++seps > 1) { k = -1; break; }
      if (next.kind === 'size' ? x.kind === 'size' && x.dim === next.dim : x.kind === 'num' && x.value >= 100 && x.value / next.value <= 10 && next.value / x.value <= 10) break;
    }
    // only across the count: with no comma crossed the in-clause rules below read it
    if (k < 0 || seps === 0) continue;
    tokens[k] = { ...next };
    const from = tokens[i - 1]?.kind === 'sep' ? i - 1 : i;
    for (let m = from; m <= j; m++) drop.add(m);
    i = j;
  }
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
    // ("kopi 2 jadiin 1"; but "semen 50 nya jadiin 15" counts the 50 kg sacks)
    // (…"dipotong jadi 20 potong" is what it is cut into)
    const cutInto = isPassive(tokens[i - 1]?.raw.toLowerCase() ?? '') && !passiveCounts(tokens[i - 1]!.raw.toLowerCase());
    // ("yg sidu 100 jadiin 3": the 100 is in the name, 3 is the count)
    const nameNumBefore = tokens[i - 1]?.kind === 'num' && tokens[i - 1]!.value >= 10 && vocab?.has(tokens[i - 1]!.text) === true
      && tokens[i - 2]?.kind === 'word' && vocab.has(tokens[i - 2]!.text);
    const total = tokens[i + 1]?.kind === 'num' && !cutInto && !nameNumBefore && ((t.text === 'jadi' && tokens.slice(Math.max(0, i - 5), i).some((x) => x.kind === 'num'))
      || ((t.text === 'jadiin' || t.text === 'jadikan') && (tokens[i - 1]?.kind === 'num'
        // ("indomie goreng 1 dus, jadiin 3 dus": opening the next clause)
        || (tokens[i - 1]?.kind === 'sep' && tokens.slice(Math.max(0, i - 4), i).some((x) => x.kind === 'num')))));
    if (!CORRECTION_WORDS.has(t.text) && !gaJadi && !total) continue;
    let j = i + (gaJadi ? 2 : 1);
    // ("6 dus, eh ralat 7 dus": "ralat" after "eh" is the same slip; "1 tray, eh ga jadi, 15 butir aja": and a comma)
    while (tokens[j]?.kind === 'word' && (CORRECTION_SKIP.has(tokens[j]!.text) || CORRECTION_WORDS.has(tokens[j]!.text) || (tokens[j]!.text === 'ga' && tokens[j + 1]?.text === 'jadi'))) j++;
    if (tokens[j]?.kind === 'sep' && tokens[j]!.text === ',' && tokens[j + 1]?.kind === 'num' && (CORRECTION_WORDS.has(t.text) || gaJadi)) j++;
    const next = tokens[j];
    if (next?.kind !== 'num' && next?.kind !== 'size') continue;
    let k = i - 1;
    if (total) { k = i - 1; while (k > 0 && tokens[k]!.kind !== 'num' && i - k < 6) k--; for (let m = k + 1; m < i; m++) drop.add(m); }
    // "40 lbr rangkap 2 jadi 80": the total of all the copies is the job's count
    if (total && tokens[k - 1]?.kind === 'word' && tokens[k - 1]!.text === 'rangkap' && next.kind === 'num') {
      let m = k - 2;
      while (m >= 0 && k - m <= 4 && tokens[m]!.kind !== 'num') m--;
      if (m >= 0 && tokens[m]!.kind === 'num') {
        tokens[m] = { ...tokens[m]!, value: next.value, text: String(next.value) };
        for (let d = k - 1; d <= j; d++) drop.add(d);
        i = j;
        continue;
      }
    }
    const sepAt = tokens[k]?.kind === 'sep' && !total ? k : -1;
    // "40 batang, eh 50": the comma goes with the slip ("3 dus.. eh ralat 2 dus": however many)
    const seps: number[] = [];
    while (sepAt >= 0 && tokens[k]?.kind === 'sep') seps.push(k--);
    if (tokens[k]?.kind === 'unit') k--;
    if (tokens[k]?.kind !== next.kind || (next.kind === 'size' && tokens[k]!.dim !== next.dim)) continue;
    drop.add(k);
    for (const x of seps) drop.add(x);
    if (tokens[k + 1]?.kind === 'unit' && k + 1 < i) drop.add(k + 1);
    for (let m = i; m < j; m++) drop.add(m);
  }
  // "cat mowilex 5kg 2, eh salah, jotaplast 5kg 2": a slip named as such takes back the clause before it
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    // ("fc a4 warna 10, ga deng f4 warna aja 10": "no wait" taken back the same way)
    const noWait = (t.text === 'ga' || t.text === 'gak' || t.text === 'nggak' || t.text === 'enggak') && (tokens[i + 1]?.text === 'deng' || tokens[i + 1]?.text === 'ding');
    if (t.kind !== 'word' || !(SLIP_WORDS.has(t.text) || noWait) || drop.has(i)) continue;
    const before = tokens[i - 1]!;
    const startsClause = before.kind === 'sep' || (before.kind === 'word' && CORRECTION_WORDS.has(before.text));
    let j = i + (noWait ? 2 : 1);
    while (tokens[j]?.kind === 'sep' || (tokens[j]?.kind === 'word' && (CORRECTION_SKIP.has(tokens[j]!.text) || CORRECTION_WORDS.has(tokens[j]!.text)))) j++;
    if (!startsClause || tokens[j]?.kind !== 'word' || NOT_A_SLIP_NEXT.has(tokens[j]!.text)) continue;
    let k = i - 1;
    while (k > 0 && tokens[k]!.kind === 'word' && CORRECTION_WORDS.has(tokens[k]!.text)) k--;
    while (k > 0 && tokens[k]?.kind === 'sep') k--; // ("soto babat 2.. eh salah, …")
    while (k >= 0 && tokens[k]!.kind !== 'sep') k--;
    // only when the clause taken back said something (a product with its count)
    if (!tokens.slice(k + 1, i).some((x) => x.kind === 'num' || x.kind === 'size')) continue;
    for (let m = k + 1; m < j; m++) drop.add(m);
  }
  return drop.size === 0 ? tokens : tokens.filter((_, i) => !drop.has(i));
}

/** Words that take back what was just said ("eh salah", "ralat"). */
const SLIP_WORDS = new Set(['salah', 'ralat', 'koreksi']);
/** …unless they complain about a delivery: "salah kirim", "salah barang". */
const NOT_A_SLIP_NEXT = new Set(['kirim', 'dikirim', 'barang', 'alamat', 'pesanan', 'order', 'warna', 'ukuran']);

/**
 * "energen 1 renteng coklat": a word after the count that narrows the item just counted, with no count of its
 * own and no "and" before it, belongs to that item rather than starting another.
 */
function mergeTrailingModifiers(spans: Span[], tokens: Token[], index: CatalogIndex): void {
  for (let k = spans.length - 1; k > 0; k--) {
    const s = spans[k]!;
    const prev = spans[k - 1]!;
    if (s.clause !== prev.clause || s.start - prev.end > 6) continue;
    const both = intersect(prev.cand, s.cand);
    if (both.size === 0) continue;
    // "print 15 lembar hitam putih": the kind said after the count, in words that start no product's name
    if (prev.qty === null && s.qty !== null && both.size < prev.cand.size && s.start - prev.end <= 4 && s.toks.every((q) => !startsSomeName(q, index))) {
      prev.toks.push(...s.toks);
      prev.cand = both;
      prev.end = s.end;
      prev.qty = s.qty;
      prev.unit = s.unit ?? prev.unit;
      spans.splice(k, 1);
      continue;
    }
    if (s.qty !== null || prev.qty === null) continue;
    // one word that narrows it ("energen 1 renteng coklat"), or words its name has ("robot 18 watt 1 yg udah ada kabel type c nya")
    // (…or restates it: "ngeprint skripsi 120 lembar item putih" of the one black-and-white print)
    // (…not past words of talk: "merah 1 tlg dipisah plastiknya" asks for a bag, it names no red folder)
    const talkBetween = tokens.slice(prev.end + 1, s.start).some((x) => x.kind === 'word' && !index.vocab.has(x.text) && !FILLERS.has(x.text) && !GENERIC_UNITS.has(x.text)
      && (STOPWORDS.has(x.text) || CHAT_WORDS.has(x.text) || isPassive(x.raw.toLowerCase())));
    const narrows = s.toks.length === 1 && s.start - prev.end <= 4 && !talkBetween && (both.size < prev.cand.size || !startsSomeName(s.toks[0]!, index));
    const described = s.toks.length >= 2 && [...both].every((p) => s.toks.every((q) => q.hits.some((h) => index.tokenSets[p]!.has(h.word))));
    if (!narrows && !described) continue;
    prev.toks.push(...s.toks);
    prev.cand = both;
    prev.end = s.end;
    spans.splice(k, 1);
  }
}

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
    if (!best || new Set(best[1]).size < 2) {
      // "matcha es gede" beside "Matcha Latte Iced Regular" and "… Iced Lrg": the variant named by a word of that size
      const words = adj === 'small' ? SMALL : LARGE;
      const named = [...s.cand].filter((p) => [...index.tokenSets[p]!].some((w) => words.has(w) || words.has(SLANG[w] ?? '')));
      if (named.length > 0 && named.length < s.cand.size) s.cand = new Set(named);
      continue;
    }
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

const JOB_WORDS = new Set(['fotokopi', 'fotocopy', 'fc', 'print', 'cetak', 'copy', 'fotokopian', 'scan', 'laminating', 'laminasi', 'jilid']);
/**
 * "fotokopi ktp 10 lembar kertas A4", "fc ktp sm kk 3 lembar, kertas f4": the paper said after a copy or print
 * job is the job's paper size, not a ream to buy.
 */
function paperOfTheJob(spans: Span[], index: CatalogIndex): void {
  for (let k = spans.length - 1; k > 0; k--) {
    const s = spans[k]!;
    if (s.qty !== null || s.toks.length !== 2 || !s.toks[0]!.hits.some((h) => h.word === 'kertas')) continue;
    const size = s.toks[1]!.hits.map((h) => h.word);
    const job = spans.slice(0, k).reverse().find((o) => [...o.cand].some((p) => index.products[p]!.fields[0]!.tokens.some((t) => JOB_WORDS.has(t))));
    if (!job) continue;
    const sized = new Set([...job.cand].filter((p) => size.some((w) => index.tokenSets[p]!.has(w))));
    if (sized.size === 0) continue;
    job.cand = sized;
    job.toks.push(s.toks[1]!);
    spans.splice(k, 1);
  }
}

/**
 * "print 40 lbr rangkap 2", "10 halaman, rangkap 3": copies of a job multiply the sheets of the job counted just
 * before them ("… rangkap 2 jadi 80" states the total itself: applyCorrections keeps that).
 */
/** "masing-masing", "semua", "tiap": said of a finishing job, it is done to every copy. */
const EACH_WORDS = new Set(['masing', 'semua', 'semuanya', 'tiap', 'setiap', 'each', 'all']);

function applyCopies(spans: Span[], tokens: Token[], index: CatalogIndex): void {
  const copies = (n: Token | undefined) => n?.kind === 'num' && Number.isInteger(n.value) && n.value >= 2 && n.value <= 100;
  // "skripsi 120 halaman print bw, jilid hard cover 3 rangkap": copies said of the whole document make every sheet of
  // it that many times, and each copy is bound
  const finishing = (s: Span) => [...s.cand].every((p) => index.tokenSets[p]!.has('jilid') || index.tokenSets[p]!.has('binding'));
  const whole = tokens.findIndex((t, i) => t.kind === 'word' && t.text === 'rangkap' && copies(tokens[i - 1]));
  if (whole > 0 && tokens.filter((t) => t.kind === 'word' && t.text === 'rangkap').length === 1) {
    const n = tokens[whole - 1]!.value;
    const sheets = (s: Span) => s.qty !== null && s.unit !== null && canonUnitWord(s.unit) === 'lembar';
    const counted = spans.filter(sheets);
    if (counted.length > 0) {
      for (const s of counted) s.qty! *= n;
      // (once: "4 rangkap soft cover … dijilid soft cover 4" is four bindings)
      const finishers = spans.filter((s) => finishing(s) && s.cand.size > 0);
      const first = finishers.find((s) => s.qty === null);
      if (first && !finishers.some((s) => s.qty !== null)) first.qty = n;
      const seen = new Set<string>();
      for (const s of finishers) {
        const key = [...s.cand].sort().join(' ');
        if (s.qty === n && seen.has(key)) s.qty = null;
        if (s.qty === n) seen.add(key);
      }
      return;
    }
  }
  // the job counted last, a few words before ("10 halaman, rangkap 3" crosses the comma)
  const jobBefore = (i: number, reach: number) => [...spans].reverse().find((s) => s.end < i && s.qty !== null && i - s.end <= reach);
  tokens.forEach((t, i) => {
    if (t.kind !== 'word') return;
    // "rangkap 5", "15 set, tiap set 8 lembar": copies or sheets per set multiply the job's count
    const perSet = (t.text === 'tiap' || t.text === 'per' || t.text === 'setiap') && tokens[i + 1]?.kind === 'word' && ['set', 'bundel', 'rangkap', 'eksemplar'].includes(tokens[i + 1]!.text);
    const n = t.text === 'rangkap' ? tokens[i + 1] : perSet ? tokens[i + 2] : undefined;
    if (copies(n)) {
      const job = jobBefore(i, t.text === 'rangkap' ? 6 : 8);
      if (job && job.qty !== null) job.qty *= n!.value;
      // ("makalah 18 halaman rangkap 5, jilid lakban masing2", "… dijilid hardcover semua": each copy bound)
      const binding = spans.find((s) => s.start > i && s.qty === null && s.cand.size > 0 && finishing(s));
      const each = binding !== undefined && tokens.slice(binding.end + 1, binding.end + 4).some((x) => x.kind === 'word' && EACH_WORDS.has(x.text));
      if (job && binding && each && t.text === 'rangkap') binding.qty = n!.value;
      return;
    }
    // "2 lembar masing masing 3 kali": each sheet so many times
    if (t.text === 'kali' && copies(tokens[i - 1]) && tokens[i - 2]?.text === 'masing') {
      const job = jobBefore(i - 1, 6);
      if (job && job.qty !== null) job.qty *= tokens[i - 1]!.value;
    }
  });
}

/** How a part of a dish is made or how much of it ("dikit", "dipisah", "mateng"): a note on the order line. */
const PREPARED_AS = new Set([
  'dikit', 'sedikit', 'dikitin', 'sdikit', 'banyak', 'byk', 'banyakin', 'dibanyakin', 'dibanyakan', 'kurang', 'kurangin', 'dikurangi',
  'dikurangin', 'pisah', 'dipisah', 'dipisahin', 'dipisahkan', 'terpisah', 'matang', 'mateng', 'garing', 'kering', 'lembek', 'encer',
  'kental', 'full', 'extra', 'ekstra', 'lebih', 'jangan', 'jgn', 'gausah', 'normal', 'sedang', 'dibungkus', 'ditaruh', 'taruh', 'diplastikin',
  'less', 'more', 'separate', 'separately', 'on',
  // how an egg or a side is cooked: "telurnya dadar", "telornya rebus aja"
  'dadar', 'ceplok', 'rebus', 'orak', 'balado', 'kering', 'basah', 'krispi', 'crispy',
]);

/** "telurnya diceplok", "ayamnya dibakar": a passive verb of how it is cooked or packed, not a change to the order. */
function cookedAs(w: string, index: CatalogIndex): boolean {
  return isPassive(w) && !ORDER_PASSIVES.has(w) && !index.vocab.has(w);
}

/**
 * "nasi goreng 2, nasinya setengah", "es teh 3 gulanya dikit", "sambalnya dipisah": a part of the item said with
 * "-nya" and how it is made or how much of it is a note on the item, not another product. Kept when the word
 * after it is one of its products' own words ("tehnya manis" picks the sweet tea) or it is counted.
 */
function dropPreparationNotes(spans: Span[], tokens: Token[], index: CatalogIndex): void {
  for (let k = spans.length - 1; k >= 0; k--) {
    const s = spans[k]!;
    // "ayam utuh 2 ekor dipotong 8": a passive verb alone, read by its root, is how the item is done
    if (s.toks.length === 1 && cookedAs(tokens[s.toks[0]!.i]!.raw.toLowerCase(), index) && k > 0) { spans.splice(k, 1); continue; }
    // "telurnya diceplok" read as one name: the part, then how it is cooked
    // ("yg satu telornya didadar": "yg satu" says which of them, it counts no egg)
    const whichOfThem = tokens[s.start - 1]?.kind === 'num' && tokens[s.start - 2]?.text === 'yang';
    if ((s.qty === null || whichOfThem) && s.toks.some((q) => q.i < s.end && tokens[q.i]!.raw.toLowerCase().endsWith('nya') && cookedAs(tokens[q.i + 1]?.raw.toLowerCase() ?? '', index))) { spans.splice(k, 1); continue; }
    const last = tokens[s.end];
    if (!last || last.kind !== 'word') continue;
    // "nasinya", or "bakso nya" typed apart
    const apart = (tokens[s.end + 1]?.kind === 'word' && tokens[s.end + 1]!.text === 'nya') || (last.text === 'nya' && s.end > s.start);
    if (!apart && (!last.raw.toLowerCase().endsWith('nya') || last.text.endsWith('nya'))) continue;
    const next = tokens[s.end + (apart && last.text !== 'nya' ? 2 : 1)];
    if (!next) continue;
    const half = next.kind === 'num' && next.value > 0 && next.value < 1;
    if (!half && (s.qty !== null || next.kind !== 'word' || !(PREPARED_AS.has(next.text) || cookedAs(next.text, index)))) continue;
    if (next.kind === 'word' && [...s.cand].some((p) => index.tokenSets[p]!.has(next.text))) continue;
    spans.splice(k, 1);
  }
}

/**
 * "sheet mask mediheal tea tree 5", "moisturizer cetaphil tub 1": the kind of product said just before a
 * product of that kind describes it. Dropped when it names no product fully, the next mention starts a
 * name (a brand), and the two share a category; "roti tawar susu ultra 2" names two kinds and keeps both.
 */
function dropKindBeforeBrand(spans: Span[], index: CatalogIndex): void {
  const categories = (sp: Span) => new Set([...sp.cand].map((p) => index.products[p]!.product.category).filter((c): c is string => !!c));
  for (let k = spans.length - 2; k >= 0; k--) {
    const s = spans[k]!;
    const next = spans[k + 1]!;
    if (s.clause !== next.clause || s.qty !== null || s.price !== null || next.start !== s.end + 1 || s.toks.length === 0 || next.toks.length === 0) continue;
    if (intersect(s.cand, next.cand).size > 0 || !startsSomeName(next.toks[0]!, index)) continue;
    if ([...s.cand].some((p) => fullyNamed(s, index.products[p]!))) continue;
    const mine = categories(s);
    if (![...categories(next)].some((c) => mine.has(c))) continue;
    next.start = s.start;
    spans.splice(k, 1);
  }
}
