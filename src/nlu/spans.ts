// Splits a message's tokens into product mentions. A mention grows greedily while some product still
// explains every word of it; each kind of token (separator, unit, price, size, number, word) has its
// own rules for joining the mention being read, starting a new one, or describing the one before.
import type { CatalogIndex, IndexedProduct } from './catalog-index.js';
import { ASSORTED_WORDS, COLOUR_WORDS, CONJUNCTIONS, COUNT_UNITS, DOCUMENT_WORDS, FILLERS, GENERIC_UNITS, isPassive, MULTIPLIER_UNITS, NUMBER_LABELS, passiveCounts, PEOPLE_WORDS, PLAIN_WORDS, SLANG, SPEC_WORDS, STOPWORDS, SYNONYMS } from './lexicon.js';
import { ADDRESS_FORMS, CALL_OPENERS, DIGIT_WORDS, type Token } from './text.js';
import {
  canonUnitWord, hitWeight, intersect, isContentWord, measureCount, naturalAmounts, siblingsWithToken, sizeHits, sizeKeysNamed, soldByMeasure,
  restOfClause, startsSomeName, supportOf, wordHits, type Hit, type QTok, type Span,
} from './evidence.js';
import { LARGE, namesBetter, SMALL } from './product-score.js';

export interface BuiltSpans {
  spans: Span[];
  /** the clause of every token: separators, conjunctions and "bukan" start a new one */
  clauseOf: number[];
  /** carton words said apart from a count ("sedus"): they mark the nearest mention as bulk */
  bulkMarks: number[];
  /** numbers that are part of a product's name, a shade or a model: never a count */
  nameNums: Set<number>;
}

export function buildSpans(tokens: Token[], index: CatalogIndex): BuiltSpans {
  return new SpanBuilder(tokens, index).run();
}

const MONEY_WORDS = new Set(['transfer', 'bayar', 'lunas', 'total', 'totalnya', 'dp', 'ongkir', 'kembalian', 'kembali', 'uang', 'duit', 'saldo', 'paid', 'pay', 'sudah', 'tagihan', 'nominal']);
export const CONTRAST_WORDS = new Set(['bukan', 'selain']);
const PLACE_WORDS = new Set(['jalan', 'jl', 'jln', 'gang', 'gg', 'komplek', 'komp', 'kompleks', 'perumahan', 'perum', 'desa', 'kampung', 'kelurahan', 'kel', 'kecamatan', 'kec', 'kota', 'kabupaten', 'kab', 'dusun', 'blok', 'street', 'road', 'apartemen', 'cluster']);

class SpanBuilder {
  private readonly spans: Span[] = [];
  private readonly clauseOf: number[] = [];
  private readonly bulkMarks: number[] = [];
  private readonly nameNums = new Set<number>();
  private clause = 0;
  /** the mention being read */
  private cur: Span | null = null;
  /** a size said before any product word: it joins the next mention, or the one before */
  private pendingSize: { tok: Token; i: number } | null = null;
  private earlierSize: { tok: Token; i: number } | null = null;
  /** inside "buat …"/"untuk …" */
  private purpose = false;
  /** where the "buat …"/"untuk …" now open began */
  private purposeAt = -1;
  /** a content word no product has, just before a mention ("sepatu futsal"): the customer names something else */
  private unknownAt = -2;

  constructor(private readonly tokens: Token[], private readonly index: CatalogIndex) {}

  run(): BuiltSpans {
    const { tokens } = this;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      this.clauseOf[i] = this.clause;
      const span = this.cur;
      switch (t.kind) {
        case 'sep': this.newClause(i); this.purpose = false; break;
        case 'unit': if (t.bulk && tokens[i - 1]?.kind !== 'num') this.bulkMarks.push(i); break; // "teh botol": a unit word after a product word is handled with words
        case 'x': this.close(); break;
        case 'price': this.onPrice(i, t, span); break;
        case 'size': this.onSize(i, t, span); break;
        case 'num': this.onNum(i, t, span); break;
        default: i = this.onWord(i, t, span);
      }
    }
    this.flushSize();
    return { spans: this.spans, clauseOf: this.clauseOf, bulkMarks: this.bulkMarks, nameNums: this.nameNums };
  }

  // ---- building blocks --------------------------------------------------------------------------

  private q(i: number, hits: Hit[]): QTok {
    return { i, hits, weight: hitWeight(hits, this.index) };
  }

  private close(): void { this.cur = null; }

  private newClause(i: number): void {
    this.close();
    this.flushSize();
    this.clause++;
    this.clauseOf[i] = this.clause;
  }

  private open(i: number, q: QTok | null, cand: Set<number>): Span {
    const s: Span = { clause: this.clause, start: i, end: i, toks: q ? [q] : [], cand, looseSizes: [], bulk: false, unit: null, qty: null, mult: null, price: null, unexplained: 0, fragment: false, purpose: this.purpose };
    // ("half kg of 5cm nails": two sizes said before the name, of different kinds, both describe it)
    for (const pending of [this.earlierSize, this.pendingSize]) {
      if (!pending || pending.tok.kind !== 'size') continue;
      const ph = sizeHits(pending.tok);
      const withSize = intersect(s.cand, supportOf(ph, this.index));
      if (withSize.size > 0) {
        s.toks.push(this.q(pending.i, ph));
        s.cand = withSize;
      } else s.looseSizes.push(pending.tok);
      s.start = Math.min(s.start, pending.i);
    }
    this.pendingSize = null;
    this.earlierSize = null;
    // (…but not what it is for: "pesan untuk renovasi dapur semen tiga roda 6 sak")
    if (this.unknownAt === i - 1 && !(this.purpose && q !== null && startsSomeName(q, this.index))) s.unexplained++;
    const prev = this.tokens[s.start - 1];
    s.listed = prev === undefined || prev.kind === 'num' || prev.kind === 'unit' || prev.kind === 'size' || this.afterConjunction(s.start);
    this.spans.push(s);
    return s;
  }

  /**
   * A mention the customer shortened to what tells it apart ("… sama 1500 ml 2", "… sama 5 butir"): it keeps the
   * words of the mention just before it and only products among `filter` that share its leading words.
   */
  private openElliptic(at: number, filter: Set<number>): Span | null {
    const last = this.spans[this.spans.length - 1];
    if (!last || last.purpose || last.clause === this.clause || this.clause - last.clause > 1) return null;
    // close to it: "semen conch 40 kg 10 sak sama yg 50 kg 5 sak" has only its count and "sama yg" between
    const between = this.tokens.slice(last.end + 1, at).filter((x) => x.kind === 'word' && !CONJUNCTIONS.has(x.text) && !FILLERS.has(x.text) && !STOPWORDS.has(x.text));
    if (between.length > 1 || at - last.end > 8) return null;
    const head = last.toks.filter((q) => this.tokens[q.i]?.kind === 'word');
    if (head.length === 0) return null;
    const cand = intersect(siblingsWithToken(last, null, this.index), filter);
    if (cand.size === 0) return null;
    const sp: Span = { clause: this.clause, start: at, end: at, toks: head.map((q) => ({ ...q })), cand, looseSizes: [], bulk: false, unit: null, qty: null, mult: null, price: null, unexplained: 0, fragment: false, purpose: false, elliptic: true };
    this.spans.push(sp);
    return sp;
  }

  /** A size with no mention after it in its clause belongs to the one before ("gresik cement 50 kg"). */
  private flushSize(): void {
    const pending = this.pendingSize;
    if (!pending) return;
    const { index } = this;
    const last = this.spans[this.spans.length - 1];
    const ph = sizeHits(pending.tok);
    if (last && last.clause === this.clause) {
      const withSize = intersect(last.cand, supportOf(ph, index));
      if (withSize.size > 0 && !soldByMeasure(last, pending.tok, index)) { last.toks.push(this.q(pending.i, ph)); last.cand = withSize; }
      else last.looseSizes.push(pending.tok);
    } else if (pending.tok.kind === 'size') {
      // "aqua 600 ml 6 sama 1500 ml 2", "gula 1/2 kg 1 sama yg 1 kg 1": a size alone after "and" is another size of the same product
      const { i: at, tok } = pending;
      const sized = supportOf(ph, index);
      const sp = this.openElliptic(at, sized);
      if (sp) { sp.toks.push(this.q(at, ph)); sp.cand = intersect(sp.cand, sized); }
      else {
        // "… sama 3 ons" of a product sold by the ons: the size counts it
        const byMeasure = new Set(index.products.filter((p) => measureCount(p, tok) !== null).map((p) => p.ord));
        const sm = this.openElliptic(at, byMeasure);
        if (sm) sm.looseSizes.push(tok);
      }
    }
    this.pendingSize = null;
    this.earlierSize = null;
  }

  /** The token before `i`, skipping a "yang" ("… sm yg 180 10": "yang" after the conjunction changes nothing). */
  private afterConjunction(i: number): boolean {
    const { tokens } = this;
    const prev = tokens[i - 1]?.kind === 'word' && tokens[i - 1]!.text === 'yang' ? tokens[i - 2] : tokens[i - 1];
    return prev?.kind === 'sep' || (prev?.kind === 'word' && CONJUNCTIONS.has(prev.text));
  }

  // ---- prices and sizes -------------------------------------------------------------------------

  private onPrice(i: number, t: Token, span: Span | null): void {
    const { index } = this;
    const priced = index.byPrice.get(t.value);
    if (span && priced && intersect(span.cand, priced).size > 0) { span.cand = intersect(span.cand, priced); span.price = t.value; span.end = i; return; }
    // "materai 10rb", "voucher 50rb": a denomination the name carries ("Materai 10000") names it
    const denom = String(t.value);
    if (span && span.end === i - 1 && [...span.cand].some((p) => index.tokenSets[p]!.has(denom))) {
      const hits = [{ word: denom, sim: 1 }];
      span.toks.push(this.q(i, hits));
      span.cand = intersect(span.cand, supportOf(hits, index));
      span.end = i;
      this.nameNums.add(i);
      return;
    }
    this.close();
    // "udh tf barusan 52rb", "totalnya 52rb": money paid or owed, not a product at that price
    const paid = this.tokens.slice(Math.max(0, i - 4), i).some((x) => x.kind === 'word' && MONEY_WORDS.has(x.text));
    // "indomie goreng 5 dus harga 120rb/dus": a price said right after a product is what that one costs, no other
    const last = this.spans[this.spans.length - 1];
    const saidOf = last !== undefined && last.clause === this.clause && i - last.end <= 4 && this.tokens[i - 1]?.text !== 'yang';
    // "yg 45rb itu 2": the product at that price, when few share it
    if (priced && priced.size <= 6 && !paid && !saidOf) { const ps = this.open(i, null, new Set(priced)); ps.price = t.value; this.cur = ps; }
  }

  private onSize(i: number, t: Token, span: Span | null): void {
    if (!span) {
      const before = this.pendingSize;
      this.earlierSize = before && before.tok.dim !== t.dim && i - before.i <= 3 && !this.tokens.slice(before.i, i).some((x) => x.kind === 'sep') ? before : null;
      this.pendingSize = { tok: t, i };
      return;
    }
    const hit = sizeHits(t);
    let withSize = intersect(span.cand, supportOf(hit, this.index));
    // "minyak goreng sunco 1 liter" where only the 2 L pouch spells out "goreng": the size said outweighs the word
    // that left out the 1 L one, which stays a word its name does not explain
    // (…unless what is left counts it: "beras curah 5 kg" is five kilos of the loose rice)
    const countsIt = [...span.cand].some((p) => measureCount(this.index.products[p]!, t) !== null);
    if (withSize.size === 0 && span.wider && span.end === i - 1 && !countsIt) {
      const back = intersect(span.wider, supportOf(hit, this.index));
      if (back.size > 0 && !soldByMeasure({ ...span, cand: back }, t, this.index)) { withSize = back; span.cand = back; span.unexplained++; }
    }
    // "kabel 50 meter" of a cable sold by the metre is fifty metres, even if a 50 m roll exists
    if (withSize.size > 0 && !soldByMeasure(span, t, this.index)) {
      span.toks.push(this.q(i, hit));
      span.cand = withSize;
      span.end = i;
    } else span.looseSizes.push(t);
  }

  // ---- numbers: a count, or part of what names the product --------------------------------------

  private onNum(i: number, t: Token, span: Span | null): void {
    if (this.numAsCode(i, t, span)) return;
    if (this.numAfterNumberedWord(i, t, span)) return;
    if (this.numBesideCodes(i, t, span)) return;
    if (this.numAfterPassive(i)) return;
    if (this.numPicksSize(i, t)) return;
    // "pulpen yg 4500 hitam 3": a bare number after "yang" or "harga" that is a price of the shop is that price
    const cue = this.tokens[i - 1];
    if (t.value >= 500 && Number.isInteger(t.value) && cue?.kind === 'word' && (cue.text === 'yang' || cue.text === 'harga')
      && span !== null && intersect(span.cand, this.index.byPrice.get(t.value) ?? new Set()).size > 0) {
      t.kind = 'price';
      this.onPrice(i, t, span);
      return;
    }
    // "charger buat iphone 13": a number inside what the product is for is a model, not a count
    const { tokens } = this;
    const modelWord = tokens[i - 1]?.kind === 'word' && isContentWord(tokens[i - 1]!.text);
    if (this.purpose && modelWord && !span && tokens[i + 1]?.kind !== 'unit') { this.nameNums.add(i); this.purpose = false; this.close(); return; }
    this.purpose = false;
    if (this.numInNamePhrase(i, t, span)) return;
    // ("pepsodent gede 190 1", "ultra coklat yg kecil 200": a size word between still leaves the number its size)
    const sizeWordBetween = (k: number) => this.tokens[k]?.kind === 'word' && (SMALL.has(this.tokens[k]!.text) || LARGE.has(this.tokens[k]!.text));
    const lastSpan = this.spans[this.spans.length - 1];
    const sized = span ?? (lastSpan && lastSpan.clause === this.clause ? lastSpan : null);
    const adjacent = sized !== null && ((span !== null && span.end === i - 1) || (sized.end === i - 2 && sizeWordBetween(i - 1))
      || (sized.end === i - 3 && sizeWordBetween(i - 1) && this.tokens[i - 2]?.text === 'yang'));
    if (sized && adjacent && this.numNamesOrSizes(i, t, sized)) return;
    if (this.numAfterSpecWord(i, t, span)) return;
    if (!span && this.numNamesSibling(i, t)) return;
    if (!span && this.numCountsInOtherUnit(i, t)) return;
    this.close();
  }

  /** "lip cream 05": a zero-led number is a shade or a model code, never a count. */
  private numAsCode(i: number, t: Token, span: Span | null): boolean {
    if (!/^0\d+$/.test(t.raw) || !span || span.end !== i - 1) return false;
    const { index } = this;
    const code = [...span.cand].filter((p) => index.tokenSets[p]!.has(t.raw) || index.tokenSets[p]!.has(String(t.value)));
    if (code.length > 0) {
      const hits = [{ word: index.tokenSets[code[0]!]!.has(t.raw) ? t.raw : String(t.value), sim: 1 }];
      span.toks.push(this.q(i, hits));
      span.cand = new Set(code);
    } else span.unexplained++;
    span.end = i;
    this.nameNums.add(i);
    return true;
  }

  /**
   * "sunscreen spf 50" where every product has its SPF written as a number after "spf": the number after
   * that word names the variant. One no product has is a variant this shop may not sell, never a count.
   */
  private numAfterNumberedWord(i: number, t: Token, span: Span | null): boolean {
    const { tokens, index } = this;
    const prev = tokens[i - 1];
    if (!span || span.end !== i - 1 || prev?.kind !== 'word' || !span.toks.some((q) => q.i === i - 1) || tokens[i + 1]?.kind === 'unit') return false;
    // "geprek level 5 dua" where only "Ayam Geprek Level Dewa" has the word: a level no variant is named by is how
    // the plain one is made, so the label names nothing and the number counts nothing
    const bareLabel = (p: number) => index.products[p]!.fields[0]!.tokens.some((x, j, a) => x === prev.text && !/^\d/.test(a[j + 1] ?? ''));
    const rest = span.toks.filter((q) => q.i !== i - 1);
    if (NUMBER_LABELS.has(prev.text) && rest.length > 0 && [...span.cand].every(bareLabel)
      && ![...span.cand].some((p) => index.products[p]!.fields.some((f) => f.tokens.some((x, j) => x === prev.text && f.tokens[j + 1] === t.text)))) {
      span.cand = rest.reduce((c, q) => intersect(c, supportOf(q.hits, index)), supportOf(rest[0]!.hits, index));
      span.toks = rest;
      span.wider = undefined;
      span.end = i;
      this.nameNums.add(i);
      return true;
    }
    const after = new Set<string>();
    for (const p of span.cand) {
      let numbered = false;
      let bare = false;
      for (const f of index.products[p]!.fields) {
        f.tokens.forEach((x, j) => {
          if (x !== prev.text) return;
          if (/^\d+$/.test(f.tokens[j + 1] ?? '')) { numbered = true; after.add(f.tokens[j + 1]!); } else bare = true;
        });
      }
      if (!numbered || bare) return false;
    }
    if (after.size === 0 || after.has(t.text) || !Number.isInteger(t.value)) return false;
    // a label ("spf", "no") always; otherwise a numbered series ("iPhone 11/13/15", "Note 12/13") and a number
    // inside its range or followed by the count ("tg iphone 14 ada?"), never a count of a single model ("epson 664 1")
    const values = [...after].map(Number);
    const series = values.length >= 2 && ((t.value >= Math.min(...values) && t.value <= Math.max(...values)) || tokens[i + 1]?.kind === 'num');
    if (!NUMBER_LABELS.has(prev.text) && !series) return false;
    span.contradicted = true;
    span.end = i;
    this.nameNums.add(i);
    return true;
  }

  /** "ayam utuh 2 ekor dipotong 8", "dibagi 4": the number a passive verb takes is how it is done, not a count. */
  private numAfterPassive(i: number): boolean {
    // ("buat 20 orang": people, "dipotong jadi 20 potong": pieces it is cut into)
    if (this.tokens[i + 1]?.kind === 'word' && PEOPLE_WORDS.has(this.tokens[i + 1]!.text)) { this.close(); this.nameNums.add(i); return true; }
    const v = this.tokens[i - 1]?.kind === 'word' && this.tokens[i - 1]!.text === 'jadi' ? this.tokens[i - 2] : this.tokens[i - 1];
    if ((v?.kind !== 'word' && v?.kind !== 'unit') || !isPassive(v.raw.toLowerCase()) || passiveCounts(v.raw.toLowerCase()) || this.index.vocab.has(v.raw.toLowerCase())) return false;
    this.close();
    this.nameNums.add(i);
    return true;
  }

  /** "bakso sapi 2 pack yg 500an": a bare number after "yang" that is one variant's size picks that variant. */
  private numPicksSize(i: number, t: Token): boolean {
    const { tokens, index } = this;
    const last = this.spans[this.spans.length - 1];
    if (!last || tokens[i - 1]?.kind !== 'word' || tokens[i - 1]!.text !== 'yang' || i - last.end > 5 || last.clause !== this.clause) return false;
    const sized = [...last.cand].filter((p) => sizeKeysNamed(index.products[p]!, t.value).length > 0);
    if (sized.length === 0 || sized.length === last.cand.size) return false;
    last.cand = new Set(sized);
    last.toks.push(this.q(i, [{ word: sizeKeysNamed(index.products[sized[0]!]!, t.value)[0]!, sim: 0.95 }]));
    t.kind = 'size';
    return true;
  }

  /**
   * "fit me 310" where the shop's Fit Me shades are 120 and 220: a number of the same digits as the codes its
   * products carry, but none of them, is a shade the shop does not have, never 310 of another shade.
   */
  private numBesideCodes(i: number, t: Token, span: Span | null): boolean {
    const { tokens, index } = this;
    if (!span || span.end !== i - 1 || !Number.isInteger(t.value) || t.value < 100 || t.value >= 1000 || tokens[i + 1]?.kind === 'unit' || tokens[i + 1]?.kind === 'size') return false;
    const codes = new Set<string>();
    for (const p of span.cand) for (const f of index.products[p]!.fields) f.tokens.forEach((x, j) => { if (/^\d+$/.test(x) && f.tokens[j - 1] !== 'isi') codes.add(x); });
    if (codes.has(t.text) || ![...codes].some((c) => c.length === t.text.length && !/^0/.test(c))) return false;
    span.contradicted = true;
    span.end = i;
    this.nameNums.add(i);
    return true;
  }

  /** "stop kontak 4 lubang", "yg 3 lubang", "crayon 12 warna": a number the name puts before a word is part of the name. */
  private numInNamePhrase(i: number, t: Token, span: Span | null): boolean {
    const { tokens, index } = this;
    const nw = tokens[i + 1];
    const phrase = nw?.kind === 'word' ? index.numberPhrases.get(`${t.text} ${nw.text}`) : undefined;
    if (!phrase) return false;
    const q = this.q(i, [{ word: t.text, sim: 1 }]);
    const onSpan = span && span.end === i - 1 ? intersect(span.cand, phrase) : new Set<number>();
    if (span && onSpan.size > 0) { span.toks.push(q); span.cand = onSpan; span.end = i; this.nameNums.add(i); return true; }
    if (span) return false;
    this.close();
    const last = this.spans[this.spans.length - 1];
    const narrowed = last && last.clause !== this.clause ? intersect(phrase, siblingsWithToken(last, null, index)) : new Set<number>();
    this.cur = this.open(i, q, narrowed.size > 0 ? narrowed : new Set(phrase));
    this.nameNums.add(i);
    return true;
  }

  /** Right after a product word: a number that belongs to the name ("Vicks Formula 44", "Oralit 200") or is a size without its unit ("aqua 600"). */
  private numNamesOrSizes(i: number, t: Token, span: Span): boolean {
    const { tokens, index } = this;
    const numStr = t.text;
    // "ABC AAA isi 2": the pack count of a name is no reason to read "aaa 2" as that name
    const inName = [...span.cand].some((p) => index.tokenSets[p]!.has(numStr) && !packCountOnly(index.products[p]!, numStr)) || (tokens[i - 1]?.text === 'isi');
    const after = nextNonUnit(tokens, i);
    const followedByNum = after?.kind === 'num' || after?.kind === 'size' || after?.kind === 'price';
    // ("pipa 1/2 rucika 4 batang": a fraction in its names is that size, never a count of pieces)
    const fractionNamed = !Number.isInteger(t.value) && tokens[i + 1]?.kind === 'word'
      && ![...span.cand].some((p) => index.products[p]!.sizes.some((s) => naturalAmounts(s).includes(t.value)));
    if (inName && (t.value > 12 || followedByNum || t.glued || fractionNamed || namesBetter(span, numStr, index))) {
      // (…or the same number as a size without its unit: "hvs a4 70" is every 70 gsm paper, not only the one whose
      // nickname says "a4 70")
      // (…and a side of the sizes of the others: "hebel 10" is the 10x20x60 block by the piece and by the cubic metre)
      const sizeKeys = new Set([...span.cand].flatMap((p) => [...sizeKeysNamed(index.products[p]!, t.value),
        ...index.products[p]!.sizes.filter((z) => z.dim === 'd' && naturalAmounts(z).includes(t.value)).map((z) => z.key)]));
      const hits = [{ word: numStr, sim: 1 }, ...[...sizeKeys].map((k) => ({ word: k, sim: 0.95 }))];
      span.toks.push(this.q(i, hits));
      span.cand = intersect(span.cand, supportOf(hits, index));
      span.end = i;
      this.nameNums.add(i);
      return true;
    }
    // "setengah lusin", "seratus biji": a number with a count unit after it counts
    // (…unless another count follows the unit: "aqua 330 botol 12" is twelve 330 ml bottles)
    const countedBy = tokens[i + 1]?.kind === 'unit' && (tokens[i + 1]!.mult !== undefined || tokens[i + 1]!.raw !== '') && tokens[i + 2]?.kind !== 'num';
    // "hebel 10 cm 100": once the size is said, a number after it is the count, not the size again
    const saidDims = new Set<string>(span.toks.filter((q) => tokens[q.i]?.kind === 'size').map((q) => String(tokens[q.i]!.dim)));
    let sized = [...span.cand].flatMap((p) => index.products[p]!.sizes.filter((s) => naturalAmounts(s).includes(t.value) && !saidDims.has(s.dim)).map((s) => ({ p, key: s.key })));
    // "besi 12" of bars 12 mm thick and all 12 m long: the size that tells them apart
    const perKey = new Map<string, number>();
    for (const x of sized) perKey.set(x.key, (perKey.get(x.key) ?? 0) + 1);
    const telling = sized.filter((x) => perKey.get(x.key)! < span.cand.size);
    if (telling.length > 0) sized = telling;
    // "semen gresik 40 brp": a number past a dozen that is one of its variants' sizes picks that variant
    // "besi 10 full 20 batang", "besi 6 banci nya": followed by a word of the sized variants' names, it is their size
    const nw = tokens[i + 1];
    const sizedWordNext = nw?.kind === 'word' && sized.some((x) => index.tokenSets[x.p]!.has(nw.text)) && !(canonUnitWord(nw.text) in COUNT_UNITS);
    const picksVariant = (t.value > 12 || sizedWordNext) && sized.length > 0 && new Set(sized.map((x) => x.p)).size < span.cand.size && tokens[i + 1]?.kind !== 'unit';
    if (countedBy || !(t.value >= 100 || followedByNum || !Number.isInteger(t.value) || picksVariant) || sized.length === 0) return false;
    const keys = [...new Set(sized.map((s) => s.key))];
    span.toks.push(this.q(i, keys.map((k) => ({ word: k, sim: 0.95 }))));
    span.cand = new Set(sized.map((s) => s.p));
    span.end = i;
    t.kind = 'size';
    return true;
  }

  /** "level 5", "no 10", "ukuran 42": a number after a spec word describes the product, never counts it. */
  private numAfterSpecWord(i: number, t: Token, span: Span | null): boolean {
    const { tokens, index } = this;
    const specStart = i - 1 === 0 || tokens[i - 2]?.kind === 'sep' || (tokens[i - 2]?.kind === 'word' && CONJUNCTIONS.has(tokens[i - 2]!.text));
    const specBefore = tokens[i - 1]?.kind === 'word' && SPEC_WORDS.has(tokens[i - 1]!.text) && !specStart && !(span?.toks.some((q) => q.i === i - 1));
    if (!specBefore) return false;
    const owner: Span | undefined = span ?? this.spans[this.spans.length - 1];
    // "lip cream no 4" of shade "04": the catalog pads its codes with a zero
    const code = [t.text, `0${t.text}`].find((c) => owner && [...owner.cand].some((p) => index.tokenSets[p]!.has(c)));
    // "ganti pempek isi 5 jadi yg isi 10": in a clause of its own, the spec names a sibling of the product before
    if (!span && owner && code === undefined && owner.clause !== this.clause && this.clause - owner.clause <= 1) {
      const siblings = siblingsWithToken(owner, t.text, index);
      if (siblings.size > 0) { this.cur = this.open(i, this.q(i, [{ word: t.text, sim: 1 }]), siblings); this.nameNums.add(i); return true; }
    }
    if (owner && code !== undefined) {
      const hits = [{ word: code, sim: 1 }];
      owner.toks.push(this.q(i, hits));
      owner.cand = intersect(owner.cand, supportOf(hits, index));
      owner.end = i;
      this.cur = owner;
    }
    t.kind = 'size';
    return true;
  }

  /** "amplas 180 sama 240": a bare number after "and" that names a sibling of the mention before. */
  private numNamesSibling(i: number, t: Token): boolean {
    const { tokens, index } = this;
    const before = this.spans[this.spans.length - 1];
    if (!before) return false;
    const gapOk = tokens.slice(before.end + 1, i).every((x) => x.kind === 'num' || x.kind === 'unit' || x.kind === 'sep' || (x.kind === 'word' && (CONJUNCTIONS.has(x.text) || STOPWORDS.has(x.text))));
    const near = this.afterConjunction(i) && (i - before.end <= 3 || (gapOk && i - before.end <= 6));
    // Further on, "kerupuk balado yg 500 kebanyakan, skrg yg 250 aja 1", "kakak pake fit me 220, kalo aku 120 satu":
    // "yang" and a number, or a number opening a clause that only says who it is for, point at a variant of the
    // product just named; small numbers stay counts ("… sy 2 aja").
    const pointed = !near && Number.isInteger(t.value) && t.value >= 10 && tokens[i + 1]?.kind !== 'unit' && i - before.end <= 14
      && this.clause - before.clause <= 2 && (tokens[i - 1]?.text === 'yang' || this.opensClause(i));
    if (!near && !pointed) return false;
    let hits: Hit[] = [{ word: t.text, sim: 1 }];
    let siblings = siblingsWithToken(before, t.text, index);
    if (siblings.size === 0 && t.value > 12 && Number.isInteger(t.value)) {
      // "kerupuk balado 500, yg 250 1": a size said without its unit (past a dozen: smaller numbers count)
      const sized = [...siblingsWithToken(before, null, index)].filter((p) => sizeKeysNamed(index.products[p]!, t.value).length > 0);
      siblings = new Set(sized);
      if (sized.length > 0) hits = [{ word: sizeKeysNamed(index.products[sized[0]!]!, t.value)[0]!, sim: 0.95 }];
    }
    if (siblings.size === 0 || (pointed && [...siblings].every((p) => before.cand.has(p)))) return false;
    this.cur = this.open(i, this.q(i, hits), siblings);
    // the number names the sibling; it counts nothing
    this.nameNums.add(i);
    return true;
  }

  /** Only a clause's opening words ("kalau aku", "terus yg", "sekarang") stand before `i`. */
  private opensClause(i: number): boolean {
    let k = i - 1;
    while (k >= 0 && this.tokens[k]!.kind === 'word' && CLAUSE_OPENERS.has(this.tokens[k]!.text)) k--;
    return k < i - 1 && (k < 0 || this.tokens[k]!.kind === 'sep');
  }

  /** "telur 1 kg sama 5 butir": a count in a unit another variant of the same product is sold in. */
  private numCountsInOtherUnit(i: number, t: Token): boolean {
    const { tokens, index } = this;
    const unitTok = tokens[i + 1];
    const lastSpan = this.spans[this.spans.length - 1];
    if (!this.afterConjunction(i) || lastSpan === undefined || unitTok?.kind !== 'unit' || unitTok.mult || !Number.isInteger(t.value) || t.value < 1) return false;
    const priorCounted = tokens.slice(lastSpan.start, i).some((x, k) => (x.kind === 'num' || x.kind === 'size') && !lastSpan.toks.some((q) => q.i === lastSpan.start + k && x.kind === 'num'));
    if (!priorCounted) return false;
    const u = canonUnitWord(unitTok.text);
    const soldInUnit = new Set(index.products.filter((p) => p.units.has(u)).map((p) => p.ord));
    const sp = this.openElliptic(i + 1, soldInUnit);
    if (!sp) return false;
    sp.qty = t.value;
    sp.unit = u;
    if (unitTok.bulk) sp.bulk = true;
    this.nameNums.add(i);
    this.close();
    return true;
  }

  // ---- words ------------------------------------------------------------------------------------

  /** Reads a word; returns the index of the last token it consumed. */
  private onWord(i: number, t: Token, span: Span | null): number {
    const { tokens, index } = this;
    const w = t.text;
    // "kirim ke jalan mawar", "di gang melati": a street or place name is not a product
    if (PLACE_WORDS.has(w) && (tokens[i + 1]?.kind === 'word' || (tokens[i + 1]?.kind === 'sep' && tokens[i + 2]?.kind === 'word'))) {
      this.close();
      let k = tokens[i + 1]?.kind === 'sep' ? i + 2 : i + 1;
      while (tokens[k]?.kind === 'word' && !CONJUNCTIONS.has(tokens[k]!.text) && k - i <= 3) { this.clauseOf[k] = this.clause; k++; }
      return k - 1;
    }
    if (w === 'untuk' || w === 'for') { this.purpose = true; this.purposeAt = i; this.close(); return i; }
    // "ganti kerupuk balado 250 nya jadi yg 500 g": what it becomes is a mention of its own
    if ((w === 'jadi' || w === 'jadiin' || w === 'jadikan' || w === 'dengan' || w === 'ke') && span && tokens.slice(0, i).some((x) => x.kind === 'word' && REPLACE_VERBS.has(x.text))) { this.newClause(i); return i; }
    // "sekotak isi 12" describes the pack; "… sama isinya 2" after "and" orders the refill
    const clauseStart = i === 0 || tokens[i - 1]!.kind === 'sep' || (tokens[i - 1]!.kind === 'word' && CONJUNCTIONS.has(tokens[i - 1]!.text));
    if (SPEC_WORDS.has(w) && tokens[i + 1]?.kind === 'num' && !clauseStart && !(span && [...span.cand].some((p) => index.tokenSets[p]!.has(w)))) { if (span) span.end = i; return i; }
    // "ada mamypoko ukuran S?", "sweety ada ukuran M?": a clothing size said of the product just named is that size
    // of it, or one the shop does not have, never another product of that size
    if (CLOTHING_SIZES.has(w) && i > 0 && ['ukuran', 'uk', 'size', 'ukurannya'].includes(tokens[i - 1]!.text)) {
      const last = span ?? this.spans[this.spans.length - 1];
      if (last && last.clause === this.clause && i - last.end <= 4) {
        const fits = [...last.cand].filter((p) => index.tokenSets[p]!.has(w));
        if (fits.length > 0) { last.cand = new Set(fits); last.toks.push(this.q(i, [{ word: w, sim: 1 }])); }
        else last.contradicted = true;
        last.end = i;
        this.cur = last;
        return i;
      }
    }
    // "assalamualaikum mak ros", "mak ros, beras 2 karung" at a shop whose dimsum is "Dimsum Ayam Mak Ros": the
    // shopkeeper called by name, at the start or after a greeting, with nothing after the name in its clause
    if (ADDRESS_FORMS.has(t.raw.toLowerCase()) && (i === 0 || tokens[i - 1]!.kind === 'sep' || (tokens[i - 1]!.kind === 'word' && CALL_OPENERS.has(tokens[i - 1]!.text)))) {
      let j = i + 1;
      // (the name as the products carry it, "mak ros", or after another address form, "uni ros")
      const { pairs, afterAddress } = namePairs(index);
      const pair = (a: string, b: string, first: boolean) => pairs.has(`${a} ${b}`) || (first && afterAddress.has(b));
      while (tokens[j]?.kind === 'word' && pair(tokens[j - 1]!.text, tokens[j]!.text, j === i + 1)) j++;
      // (…a name the shop puts after its products' own, never one a product begins with: "teh botol" is Teh Botol Sosro)
      const begins = (index.postings.get(w) ?? []).some((x) => x.f === 0 && x.t === 0);
      if (j > i + 1 && !begins && (tokens[j] === undefined || tokens[j]!.kind === 'sep')) { this.close(); return j - 1; }
    }
    // "pepsodent yg besar 1": a size said after a product picks among its sizes; it names no other product that
    // is called big ("Aqua besar")
    if ((SMALL.has(w) || LARGE.has(w)) && i > 0) {
      const last = span ?? this.spans[this.spans.length - 1];
      const after = last !== undefined && last.clause === this.clause && (last.end === i - 1 || (last.end === i - 2 && tokens[i - 1]!.text === 'yang'));
      if (after && last.cand.size >= 2 && ![...last.cand].some((p) => index.tokenSets[p]!.has(w))) { last.end = i; this.cur = last; return i; }
    }
    // "ayam goreng 1+ nasi" at a shop that also sells "SGM Eksplor 1+": an age that continues no product just named
    // is the count of a list
    const plus = /^([a-z]+)plus$/.exec(w);
    const age = plus ? DIGIT_WORDS.indexOf(plus[1]!) : -1;
    if (age >= 0 && !(span && [...span.cand].some((p) => index.tokenSets[p]!.has(w)))) {
      const n = tokens[i]!;
      n.kind = 'num'; n.value = age; n.text = String(age);
      this.onNum(i, n, span);
      this.newClause(i);
      return i;
    }
    // a filler the name itself carries ("Tahu Isi") is a name word, not a filler
    if (FILLERS.has(w) && span && ![...span.cand].some((p) => nameWordNotSpec(index.products[p]!, w))) { span.end = i; return i; }
    // "yg usb 3.0 bukan otg": what follows "bukan" is what the customer does not want
    if (CONTRAST_WORDS.has(w)) { this.newClause(i); return i; }
    if (CONJUNCTIONS.has(w)) {
      const nt = tokens[i + 1];
      // ("obh combi plus yg 100 ml", "curcuma plus yg jeruk": the word a name has right after the one just typed)
      const { pairs } = namePairs(index);
      const saidNext = span !== null && span.toks.some((q) => q.i === i - 1 && q.hits.some((h) => pairs.has(`${h.word} ${w}`)));
      const inName = span !== null && [...span.cand].some((p) => index.tokenSets[p]!.has(w))
        && (saidNext || nextWordSupports(tokens, i, span, index) || nt === undefined || nt.kind === 'num' || nt.kind === 'sep');
      if (!inName) { this.newClause(i); return i; }
    }
    // "fotokopi ktp 10 lembar", "print skripsi": what the job is done on belongs to the job
    if (span && DOCUMENT_WORDS.has(w) && ![...span.cand].some((p) => index.tokenSets[p]!.has(w))) { span.end = i; return i; }
    // "salonpas yg biasa 2", "tolak angin biasa 4": the plain one of its variants (a word none of its names has)
    const last = this.spans[this.spans.length - 1];
    const plainOf = span ?? (last && (last.end === i - 1 || (last.end === i - 2 && tokens[i - 1]?.text === 'yang')) ? last : null);
    if (plainOf && PLAIN_WORDS.has(w) && intersect(plainOf.cand, supportOf(wordHits(w, index), index)).size === 0) { plainOf.plainAsked = true; plainOf.end = i; return i; }
    // "indomie goreng jumbo 3 sama yg biasa 3": the plain one of the product just named, as an item of its own
    if (!span && PLAIN_WORDS.has(w) && last && last.clause !== this.clause && tokens[i - 1]?.text === 'yang') {
      const sp = this.openElliptic(i, new Set(index.products.map((p) => p.ord)));
      // (its head without the words only the one just named carries: "jumbo")
      // (…among its own family: "tolak angin anak 3 karo sing dewasa 2" leaves "anak" out, whatever else has it)
      if (sp) {
        sp.plainAsked = true;
        sp.toks = sp.toks.filter((q) => intersect(supportOf(q.hits, index), sp.cand).size >= 2);
        sp.cand = sp.toks.reduce((c, q) => intersect(c, supportOf(q.hits, index)), sp.cand);
        sp.end = i;
        return i;
      }
    }
    // "lakban item", "kopi item": right after a product word, slang for black ("2 item" still counts items);
    // "es coklat R", "kopsu aren L": a size letter after a drink is its size
    const meant = span && span.end === i - 1 && tokens[i - 1]?.kind === 'word' ? (AFTER_PRODUCT[w] ?? []).filter((x) => index.vocab.has(x)) : [];
    let hits = meant.length > 0 && [...span!.cand].some((p) => meant.some((x) => index.tokenSets[p]!.has(x))) ? meant.map((x) => ({ word: x, sim: x === w ? 1 : 0.95 })) : wordHits(w, index);
    // "gas 3kg 2" where the shop lists "LPG 3KG": an everyday word ("gas" is also "go ahead") names the product by
    // its other name when a count or a size follows it
    const nt = tokens[i + 1];
    if (hits.length === 0 && (nt?.kind === 'num' || nt?.kind === 'size')) hits = (SYNONYMS[w] ?? []).filter((x) => index.vocab.has(x)).map((x) => ({ word: x, sim: 0.9 }));
    if (hits.length === 0) { this.onUnknownWord(i, w, span); return i; }
    const q = this.q(i, hits);
    const support = supportOf(hits, index);
    // a catalog word that is also an address or a filler ("gan" of a GaN charger, "aa" of a battery) counts the same way
    const stopLike = STOPWORDS.has(w) || STOPWORDS.has(SLANG[w] ?? '');
    if ((stopLike || w in COUNT_UNITS) && !CONJUNCTIONS.has(w)) { this.onWeakCatalogWord(i, w, q, support, stopLike, clauseStart, span); return i; }
    this.onCatalogWord(i, q, support, span);
    return i;
  }

  /** The word at i is inside the "buat …" said right after `last` ("tg buat a15"): what that product is for. */
  private saysWhatFor(last: Span, i: number): boolean {
    const t = this.tokens[last.end + 1];
    return this.purpose && !last.purpose && i - last.end <= 3 && t?.kind === 'word' && (t.text === 'untuk' || t.text === 'for');
  }

  /** A word no product has. */
  private onUnknownWord(i: number, w: string, span: Span | null): void {

    // "sania jerigen 1": a packing word no name carries says how it is sold
    // ("yg lusinan", "yg dusan": the one sold by the dozen, by the carton)
    const stem = w.endsWith('an') ? w.slice(0, -2) : '';
    const packing = canonUnitWord(w) in COUNT_UNITS ? canonUnitWord(w) : stem && (canonUnitWord(stem) in COUNT_UNITS || stem in MULTIPLIER_UNITS) ? canonUnitWord(stem) : null;
    // ("aqua gelas 2 dus", "le minerale galon ada?": a container that is a product of its own, said of a brand
    // none of whose products come in it, is a kind the shop does not sell)
    if (span && packing !== null && this.containerNotSold(i, w, packing, span)) return;
    // "masker medis 1 box sama yg satuan 5": the one sold by the piece of what was just named
    if (!span && packing !== null && this.tokens[i - 1]?.text === 'yang' && this.tokens[i + 1]?.kind === 'num') {
      const soldInUnit = new Set(this.index.products.filter((p) => p.units.has(packing)).map((p) => p.ord));
      const sp = this.openElliptic(i, soldInUnit);
      if (sp) { sp.unit = packing; sp.end = i; this.close(); return; }
    }
    if (span && packing !== null) { if (span.unit === null) span.unit = packing; if (COUNT_UNITS[packing] === true) span.bulk = true; span.end = i; return; }
    // "mie instan", "sabun mandi": a word of the shop's own categories describes, it names nothing unsold
    const describes = this.index.categoryWords.has(w);
    // "case buat a25" at a shop with no A25 at all: the model it is for is not sold
    const last = this.spans[this.spans.length - 1];
    if (last && /\d/.test(w) && /[a-z]/.test(w) && this.saysWhatFor(last, i)) last.contradicted = true;
    // "cushion 23N" where its shades are 21N and 33W: a code of the family the shop does not have
    if (span && span.end === i - 1 && /\d/.test(w) && /[a-z]/.test(w) && [...span.cand].some((p) => [...this.index.tokenSets[p]!].some((x) => /\d/.test(x) && /[a-z]/.test(x) && !x.startsWith('#')))) {
      span.contradicted = true;
      span.end = i;
      return;
    }
    if (span && span.end >= i - 2 && isContentWord(w) && !describes) span.unexplained++;
    if (isContentWord(w) && !describes) this.unknownAt = i;
    this.close();
  }

  /**
   * "aqua gelas 2 dus", "le minerale galon ada?": a container that is a product of its own, said right after a brand
   * none of whose products come in it, is a kind the shop does not sell.
   */
  private containerNotSold(i: number, w: string, packing: string, span: Span): boolean {
    if (span.end !== i - 1 || !CONTAINER_KINDS.has(packing)) return false;
    const next = this.tokens[i + 1];
    const countedOtherwise = next?.kind === 'num' && this.tokens[i + 2]?.kind === 'unit' && canonUnitWord(this.tokens[i + 2]!.text) !== packing;
    const uncounted = !restOfClause(this.tokens, i).rest.some((x) => x.kind === 'num');
    const comesIn = [...span.cand].some((p) => this.index.products[p]!.units.has(packing) || this.index.tokenSets[p]!.has(w) || this.index.tokenSets[p]!.has(packing));
    if (!(countedOtherwise || uncounted) || comesIn) return false;
    span.contradicted = true;
    span.unsoldForm = true;
    span.end = i;
    return true;
  }

  /** A catalog word that is also a stopword or a packing word ("good" in Good Day, "botol"): it only joins, or starts a mention the next word confirms. */
  private onWeakCatalogWord(i: number, w: string, q: QTok, support: Set<number>, stopLike: boolean, clauseStart: boolean, span: Span | null): void {
    const { tokens, index } = this;
    if (span && w in COUNT_UNITS && this.containerNotSold(i, w, canonUnitWord(w), span)) return;
    if (span && intersect(span.cand, support).size > 0) {
      // (a packing word in a name is a preference, not a filter: "rinso sachet serenteng" is the renteng of sachets)
      span.toks.push(q); if (!(w in COUNT_UNITS)) span.cand = intersect(span.cand, support); span.end = i;
      if (w in COUNT_UNITS && span.unit === null) span.unit = w;
      return;
    }
    let k = i + 1;
    while (tokens[k]?.kind === 'word' && FILLERS.has(tokens[k]!.text)) k++;
    const nt = tokens[k];
    // ("scan ktp", "print skripsi": the document a job is done on confirms the job)
    const confirmed = nt?.kind === 'word' && ((!STOPWORDS.has(nt.text) && !STOPWORDS.has(SLANG[nt.text] ?? '') && intersect(support, supportOf(wordHits(nt.text, index), index)).size > 0)
      || (DOCUMENT_WORDS.has(nt.text) && ![...support].some((p) => index.tokenSets[p]!.has(nt.text))));
    // "gas 3kg 1", "gas nya 2": a catalog word followed by an amount is being ordered, not cheered
    // …but "besi 8 banyak nya 40" is a particle after another word, not the NYA cable
    const pt = tokens[i - 1];
    const particle = stopLike && pt?.kind === 'word' && !CONJUNCTIONS.has(pt.text) && !STOPWORDS.has(pt.text) && intersect(support, supportOf(wordHits(pt.text, index), index)).size === 0;
    const counted = !(w in COUNT_UNITS) && !particle && (nt?.kind === 'num' || (nt?.kind === 'size' && intersect(support, supportOf([{ word: nt.text, sim: 1 }], index)).size > 0));
    // "mas geprek 2" at a stall whose frozen packs are "Frozen Geprek Mas Bro": the shopkeeper called at the start,
    // unless the words go on as a name has them ("mbok darmi 2" of "Minyak Urut Mbok Darmi")
    const opening = i === 0 || tokens[i - 1]?.kind === 'sep';
    const calls = opening && ADDRESS_FORMS.has(tokens[i]!.raw.toLowerCase()) && nt?.kind === 'word'
      && ![...support].some((p) => index.products[p]!.fields.some((f) => f.tokens.some((x, j) => x === w && f.tokens[j + 1] === nt.text)));
    if (calls) { this.close(); return; }
    if ((confirmed || counted) && !(this.purpose && this.spans.length > 0)) {
      this.close();
      this.cur = this.open(i, q, support);
      return;
    }
    // "pond's day cream 20 g 1, sachetnya 2": a packing word and a count after a comma is that pack of the item before
    // ("… jadi yg botol 1": "yang" before it changes nothing)
    const opensWithYang = tokens[i - 1]?.kind === 'word' && tokens[i - 1]!.text === 'yang' && (i === 1 || tokens[i - 2]?.kind === 'sep' || (tokens[i - 2]?.kind === 'word' && (CONJUNCTIONS.has(tokens[i - 2]!.text) || tokens[i - 2]!.text === 'jadi')));
    if (w in COUNT_UNITS && !span && (clauseStart || opensWithYang) && nt?.kind === 'num' && !GENERIC_UNITS.has(w)) {
      const u = canonUnitWord(w);
      const soldInUnit = new Set(index.products.filter((p) => p.units.has(u) || p.fields[0]!.tokens.includes(w)).map((p) => p.ord));
      const sp = this.openElliptic(i, soldInUnit);
      if (sp) { sp.unit = u; sp.end = i; this.close(); return; }
    }
    if (w in COUNT_UNITS && span) { span.end = i; if (span.unit === null) span.unit = w; return; } // "aqua botol 600", "sania jerigen 1": a container word names how it is packed
    if (w in COUNT_UNITS) return;
    this.close();
  }

  /** A word of the catalog: it extends the mention when some product has both, else starts a new one. */
  private onCatalogWord(i: number, q: QTok, support: Set<number>, span: Span | null): void {
    const { index } = this;
    if (span) {
      // "pensil warna 24 warna", "roti tawar sari roti": a word again extends only a name that has it twice
      const again = span.toks.filter((x) => x.hits.some((h) => q.hits.some((g) => g.word === h.word && g.sim === 1 && h.sim === 1))).length;
      const twiceIn = again > 0 && [...span.cand].some((p) => index.products[p]!.fields.some((f) => f.tokens.filter((x) => q.hits.some((g) => g.word === x)).length > again));
      const repeated = again > 0 && !twiceIn;
      const both = intersect(span.cand, support);
      // "merah 1 tlg dipisah plastiknya": past its own count and a few words of talk, a word is no longer its name
      const gap = this.tokens.slice(span.end + 1, i);
      const countedThenTalk = gap.findIndex((x) => x.kind === 'num') >= 0 && gap.slice(gap.findIndex((x) => x.kind === 'num') + 1).some((x) => x.kind === 'word');
      if (!repeated && both.size > 0 && !countedThenTalk) { if (both.size < span.cand.size) span.wider = span.cand; span.toks.push(q); span.cand = both; span.end = i; return; }
      // two words side by side that no product has together: the customer may name something not sold here
      if (!repeated && span.end === i - 1 && span.toks.length === 1) span.fragment = true;
    }
    const cutOff = span !== null && span.end === i - 1 && intersect(span.cand, support).size === 0;
    // "buffalo biru 5" of "Kertas Buffalo A4 Warna": the colour wanted of what is sold in assorted colours
    if (cutOff && COLOUR_WORDS.has(this.tokens[i]!.text) && [...span!.cand].some((p) => [...index.tokenSets[p]!].some((x) => ASSORTED_WORDS.has(x)))) {
      span!.end = i;
      return;
    }
    // a word that starts no product's name is said about the product before it, not a new product
    // ("cat kayu emco putih" when only a black one is sold): that product may not be sold in that kind
    if (cutOff && !startsSomeName(q, index) && !PLAIN_WORDS.has(this.tokens[i]!.text)) {
      span!.contradicted = true;
      // …and a word that describes many kinds of product (a colour, "warna") is no product of its own there;
      // one that only one family carries ("wavin") may still name one
      if (headsOf(support, index) > 1) { this.close(); return; }
    }
    this.close();
    // "tg buat a15": the model it is for picks it among what was just named; a model none of them fits
    // ("case buat a25" where no A25 case is sold) is a kind the shop does not have
    const last = this.spans[this.spans.length - 1];
    if (last && this.saysWhatFor(last, i)) {
      const model = /\d/.test(this.tokens[i]!.text);
      const both = intersect(last.cand, support);
      // ("lem buat pipa paralon 2", "cat yg buat tembok luar": what it is for, said in words only some of its variants
      // carry, picks among them when it is counted; "ada cat buat kayu?" asks what there is for wood)
      const counted = last.qty !== null || restOfClause(this.tokens, i).rest.some((x) => x.kind === 'num');
      const narrows = counted && both.size > 0 && both.size < last.cand.size;
      if ((model || narrows) && both.size > 0) { last.toks.push(q); last.cand = both; last.end = i; this.purpose = false; this.cur = last; return; }
      if (model) { last.contradicted = true; return; }
    }
    // "pesan buat anak saya yang lagi pilek dari kemarin itu OBH combi anak satu": after a few words about who or
    // what it is for, a word that begins a product's name begins the order again
    const turn = this.tokens[i - 1];
    if (this.purpose && i - this.purposeAt >= 4 && turn?.kind === 'word' && PURPOSE_ENDS.has(turn.text) && startsSomeName(q, index)) this.purpose = false;
    // ("tolak angin anak 6 buat si kecil sm tolak angin biasa 4": "and" and the start of a name is the next item)
    if (this.purpose && i - this.purposeAt >= 2 && turn?.kind === 'word' && CONJUNCTIONS.has(turn.text) && startsSomeName(q, index) && this.tokens.slice(i + 1, i + 4).some((x) => x.kind === 'num')) this.purpose = false;
    // "sikalastic 1 kaleng buat kamar mandi": what it is for is not another product
    if (this.purpose && this.spans.length > 0) return;
    const opened = this.open(i, q, support);
    this.cur = opened;
    if (cutOff) opened.fragment = true;
    if (span?.contradicted && cutOff) opened.cutter = true;
  }
}

/** Containers that make a product of their own (cup water, a gallon, a can), unlike the bottle most drinks come in. */
const CONTAINER_KINDS = new Set(['gelas', 'cup', 'galon', 'kaleng', 'jerigen']);

/** Word pairs of the catalog's names, and the words names put after an address form ("Mak Ros"), read once per index. */
const pairsByIndex = new WeakMap<CatalogIndex, { pairs: Set<string>; afterAddress: Set<string> }>();
function namePairs(index: CatalogIndex): { pairs: Set<string>; afterAddress: Set<string> } {
  let v = pairsByIndex.get(index);
  if (!v) {
    v = { pairs: new Set(), afterAddress: new Set() };
    for (const p of index.products) for (const f of p.fields) f.tokens.forEach((x, k) => {
      const next = f.tokens[k + 1];
      if (next === undefined) return;
      v!.pairs.add(`${x} ${next}`);
      if (ADDRESS_FORMS.has(x)) v!.afterAddress.add(next);
    });
    pairsByIndex.set(index, v);
  }
  return v;
}


/** Clothing and diaper sizes as customers say them. */
const CLOTHING_SIZES = new Set(['xs', 's', 'm', 'l', 'xl', 'xxl', 'xxxl', 'nb']);

/** Verbs that swap one item for another ("ganti X jadi Y", "tukar X dengan Y"). */
const REPLACE_VERBS = new Set(['ganti', 'gantiin', 'diganti', 'tukar', 'tuker', 'ubah', 'diubah', 'change', 'swap', 'replace']);

/** Words that turn from what an order is for back to the order ("… dari kemarin itu OBH combi", "… jadi royal canin"). */
const PURPOSE_ENDS = new Set(['itu', 'jadi', 'terus', 'trus', 'nah', 'yaitu', 'yakni', 'mau', 'pesan', 'beli', 'ambil', 'minta']);

/** Everyday words and letters that, right after what they describe, say its colour or size. */
const AFTER_PRODUCT: Record<string, string[]> = { item: ['hitam'], r: ['regular', 'r'], l: ['large', 'l'], m: ['medium', 'm'], s: ['small', 's'] };

/** Words that open a clause about whom or when it is for, before what the customer picks. */
const CLAUSE_OPENERS = new Set(['kalau', 'kalo', 'klo', 'saya', 'aku', 'gue', 'gw', 'kita', 'kami', 'sekarang', 'terus', 'jadi', 'nah', 'untuk', 'yang', 'dia', 'adik', 'anak', 'suami', 'istri', 'ibu', 'bapak']);

function nextNonUnit(tokens: Token[], i: number): Token | undefined {
  let j = i + 1;
  while (tokens[j]?.kind === 'unit') j++;
  return tokens[j];
}

function packCountOnly(p: IndexedProduct, num: string): boolean {
  return p.fields.every((f) => f.tokens.every((t, j) => t !== num || f.tokens[j - 1] === 'isi'));
}

/** "Tahu Isi" carries "isi" as a word of its name; "Telur Puyuh isi 20" only as the start of a pack size. */
function nameWordNotSpec(p: IndexedProduct, w: string): boolean {
  return p.fields.some((f) => f.tokens.some((t, j) => t === w && !/^[#\d]/.test(f.tokens[j + 1] ?? '')));
}

function nextWordSupports(tokens: Token[], i: number, span: Span, index: CatalogIndex): boolean {
  const nt = tokens[i + 1];
  if (nt?.kind !== 'word') return false;
  return intersect(span.cand, supportOf(wordHits(nt.text, index), index)).size > 0;
}

/** "biasa", "original": the plain member of what was named, no variant of it */

/** How many different leading name words the products carry: 1 for one family or brand. */
function headsOf(products: Set<number>, index: CatalogIndex): number {
  return new Set([...products].map((p) => index.products[p]!.fields[0]!.tokens[0])).size;
}

