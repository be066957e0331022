import { FuzzyVocabulary } from './fuzzy.js';
import { CHAT_WORDS, CONJUNCTIONS, COUNT_UNITS, FILLERS, MULTIPLIER_UNITS, NUM_EN, NUM_ID, SIZE_UNITS, SLANG, STOPWORDS, UNIT_ALIASES } from './lexicon.js';

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
  /** a pack (a dozen, "pak isi 10") of a product the shop also sells alone */
  packOfSingle?: boolean;
  /** size keys such as "#v600" */
  sizes: { key: string; dim: string; amount: number }[];
  /** the measure it is sold by ("per m3", unit "kg", "meter"): a weight or length asked for is a count of these */
  saleSize: { dim: string; amount: number } | null;
  /** unit words that describe how this product is packed or sold ("roll", "pail", "renteng", its unit field) */
  units: Set<string>;
  /** pieces in one item ("Sate Ayam 10 tusuk", "1 renteng (12 sachet)"): "30 tusuk" is three of it */
  contents: { n: number; unit: string } | null;
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
  /** word → products whose category, description, search words or name carry it (need search) */
  needPostings: Map<string, Set<number>>;
  /** words found only in what merchants wrote about products, not in their names */
  needOnly: Set<string>;
  /** words of product names (not only of aliases) */
  nameWords: Set<string>;
  /** price in rupiah → products at that price ("yg 45rb itu") */
  byPrice: Map<number, Set<number>>;
  /** "4 lubang", "12 warna", "2 pintu": a number and the word after it in a name → the products named so */
  numberPhrases: Map<string, Set<number>>;
}

interface ParsedName { tokens: string[]; bulk: boolean; sizes: { key: string; dim: string; amount: number }[]; saleSize: { dim: string; amount: number } | null; units: string[] }

const BULK_MARK = '~carton';
/** A pack of several pieces ("1 renteng (12 sachet)", "1 slop"): like a carton, meant only when its unit is said. */
const PACK_MARK = '~pack';
const MULTI_PACK_UNITS = new Set(['renteng', 'renceng', 'rencengan', 'slop', 'bal', 'tray']);

/**
 * "CUSSONS BABY SOAP 4X75G", "Susu UHT 6 x 200 ml": a multipack of pieces of one weight or volume, read as that
 * size and a count of pieces ("75 g isi 4 pcs"), not as the two sides of a tile.
 */
function multipackAsContents(name: string): string {
  return name.replace(/\b(\d{1,2})\s*[x×]\s*(\d+(?:[.,]\d+)?)\s*(g|gr|gram|ml|l|ltr|liter|kg)\b/gi, (_m, n: string, size: string, unit: string) => `${size} ${unit} isi ${n} pcs`);
}

/** "PIPA PVC RUCIKA 3 D": a capital D after a number in a name is "dim", the inch of the building trade. */
function dimAsInch(name: string): string {
  return name.replace(/(\d) D(?![\w/])/g, '$1 dim');
}

function parseName(raw: string): ParsedName {
  const text = dimAsInch(multipackAsContents(raw));
  // parenthesised remarks ("(24 botol)") describe contents, not what customers type
  // "iPhone 13 / 14" names both models, it is no fraction
  const cleaned = text.replace(/\([^)]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' ').replace(/(\d)\s+\/\s+(\d)/g, '$1 $2');
  // "1 pak (10 buku)", "1 kotak isi 12": the name states how many pieces the pack holds
  const packedCount = /\(\s*(isi\s*)?\d+\s*[a-z]/i.test(text) || /\bisi\s*\d+/i.test(text);
  const toks = tokenize(cleaned).tokens;
  const out: string[] = [];
  const sizes: ParsedName['sizes'] = [];
  const units: string[] = [];
  let saleSize: ParsedName['saleSize'] = null;
  let bulk = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    // "per m3", "per karung", "per meter": how it is sold, not what it is called
    if (t.per && t.kind === 'size') { saleSize = { dim: t.dim ?? 'v', amount: t.value }; continue; }
    if (t.kind === 'unit' && t.raw.startsWith('per ')) { units.push(t.text); continue; }
    if (t.kind === 'word' && t.text === 'per' && toks[i + 1]) {
      const u = toks[i + 1]!;
      const asSize = u.kind === 'word' ? tokenize(`1 ${u.text}`).tokens[0] : undefined;
      if (asSize?.kind === 'size') { saleSize = { dim: asSize.dim ?? 'v', amount: asSize.value }; i++; continue; }
      if (u.kind === 'unit' || (u.kind === 'word' && u.text in COUNT_UNITS)) { units.push(u.text); i++; continue; }
    }
    if (t.kind === 'unit' && t.bulk) {
      bulk = true;
      if (out.length > 0 && toks[i - 1]?.kind === 'num') out.pop();
      // A carton alias ("indomie dus") must not fully match a plain "indomie": keep a token for the
      // carton that no customer word produces, so the single unit wins unless a carton is asked for.
      out.push(BULK_MARK);
      units.push(t.text);
      continue;
    }
    if (t.kind === 'unit') {
      // "1 Rim", "1 tray", "1 Lusin": a count of one describes the pack, it is not part of the name
      if (toks[i - 1]?.kind === 'num' && toks[i - 1]!.value === 1 && out[out.length - 1] === '1') out.pop();
      units.push(t.text);
      if (t.mult) out.push(t.text);
      else if (MULTI_PACK_UNITS.has(t.text) || (packedCount && (t.text === 'pak' || t.text === 'pack' || t.text === 'kotak'))) out.push(PACK_MARK);
      continue;
    }
    if (t.kind === 'size') {
      out.push(t.text);
      sizes.push({ key: t.text, dim: t.dim ?? 'v', amount: t.value });
      for (const a of t.alts ?? []) sizes.push({ key: a, dim: a.slice(1, 2), amount: Number(a.slice(2)) });
      continue;
    }
    if (t.kind === 'price') continue;
    if (t.kind === 'sep' || t.kind === 'x') continue;
    if (t.kind === 'word' && t.text in COUNT_UNITS) {
      units.push(t.text);
      if (toks[i - 1]?.kind === 'num' && toks[i - 1]!.value === 1 && out[out.length - 1] === '1') out.pop();
    }
    out.push(t.text);
  }
  return { tokens: out, bulk, sizes, saleSize, units };
}

/** "sekotak" of a product sold per box: the Indonesian and the English word for the same pack. */
const EQUIVALENT_UNITS: [string, string][] = [['kotak', 'box'], ['bungkus', 'pack']];
function withEquivalentUnits(units: Set<string>): Set<string> {
  for (const [a, b] of EQUIVALENT_UNITS) { if (units.has(a)) units.add(b); else if (units.has(b)) units.add(a); }
  return units;
}

/** "Sate Ayam 10 tusuk" sold per porsi, "Kopi … 1 renteng (10 sachet)": how many pieces of which unit one item holds. */
function contentsOf(name: string, unit: string | null): { n: number; unit: string } | null {
  const toks = tokenize(multipackAsContents(name).replace(/[()]/g, ' ')).tokens;
  for (let i = 1; i < toks.length; i++) {
    const t = toks[i]!;
    const prev = toks[i - 1]!;
    const u = t.kind === 'unit' ? t.text : t.kind === 'word' && t.text in COUNT_UNITS ? (UNIT_ALIASES[t.text] ?? t.text) : null;
    if (u === null || prev.kind !== 'num' || prev.value < 2 || COUNT_UNITS[u] === true || u === unit) continue;
    return { n: prev.value, unit: u };
  }
  return null;
}

/**
 * "Pensil 2B Faber Castell /lusin", "BUKU SIDU 100 LBR /PAK (10)" beside the single pencil or book: a pack of
 * what is also sold alone is only meant when the customer says so, like a carton.
 */
function markPacksOfSingles(indexed: IndexedProduct[]): void {
  const core = (p: IndexedProduct) => new Set(p.fields[0]!.tokens.filter((t) => !PACK_WORDS.has(t) && !(t in COUNT_UNITS) && !(t in MULTIPLIER_UNITS)
    && !t.startsWith('#') && t !== String(p.contents?.n ?? '')));
  // (a bag sold "per pack" is one item: only a pack that says how many it holds, or a dozen, is a pack of pieces)
  const packish = (p: IndexedProduct) => (p.unit !== null && (p.unit in MULTIPLIER_UNITS || MULTI_PACK_UNITS.has(p.unit))) || (p.contents !== null && p.contents.n > 1)
    || ((p.unit === 'pak' || p.unit === 'pack') && /(\bisi\s*\d+|\(\s*\d+\s*\)|\bx\s*\d+)/i.test(p.name));
  // the name words of every single product, once, under each of its words (a pack and its single share some)
  const singles = new Map<string, { p: IndexedProduct; words: Set<string> }[]>();
  for (const o of indexed) {
    if (o.bulk || packish(o)) continue;
    const words = core(o);
    for (const w of words) {
      const list = singles.get(w);
      if (list) list.push({ p: o, words }); else singles.set(w, [{ p: o, words }]);
    }
  }
  for (const p of indexed) {
    if (p.bulk || !packish(p)) continue;
    const mine = core(p);
    const single = [...mine].some((w) => (singles.get(w) ?? []).some(({ p: o, words }) => o.unit !== p.unit
      && ([...mine].every((t) => words.has(t)) || [...words].every((t) => mine.has(t)))));
    if (single) p.packOfSingle = true;
  }
}

type ParsedProduct = { p: CatalogProduct; name: ParsedName; aliases: ParsedName[]; extra: ParsedName[] };

const PACK_WORDS = new Set([BULK_MARK, PACK_MARK, 'isi', 'pak', 'pack', 'renteng', 'lusin', 'kotak', 'box', 'dus', 'karton', 'tray', 'rim', 'bal', 'slop', 'karung', 'sak', 'roll']);

/**
 * What a shop owner wrote as an alias for a product also names its packs ("buku sidu 58" → the pack of
 * ten as well), and an abbreviation of the product's leading words ("skm" = Susu Kental Manis) names
 * every product that starts with those words. The unit the customer asks for then picks among them.
 */
/**
 * "KAPAL API SPECIAL MIX /renteng isi 10" beside "Kopi Kapal Api Special Mix sachet": a pack whose name is the
 * single's without a leading kind word is also named as the single is, with its own pack word ("kopi kapal api
 * renteng").
 */
function packNamedLikeSingle(parsed: ParsedProduct[]): void {
  const packish = (t: string) => PACK_WORDS.has(t) || t in COUNT_UNITS || (UNIT_ALIASES[t] ?? '') in COUNT_UNITS || /^\d/.test(t) || t.startsWith('#');
  // (singles indexed once by the words after their first, so a catalog of thousands is read in one pass)
  const key = (words: string[]) => [...new Set(words)].sort().join(' ');
  const byRest = new Map<string, string[][]>();
  for (const single of parsed) {
    const st = single.name.tokens.filter((t) => !packish(t));
    if (st.length < 3 || st.slice(1).includes(st[0]!)) continue;
    const k = key(st.slice(1));
    const list = byRest.get(k);
    if (list) list.push(st); else byRest.set(k, [st]);
  }
  for (const pack of parsed) {
    const own = pack.name.tokens.filter((t) => !packish(t));
    const packWords = pack.name.tokens.filter((t) => PACK_WORDS.has(t) || t in COUNT_UNITS);
    if (own.length < 2 || packWords.length === 0) continue;
    for (const st of byRest.get(key(own)) ?? []) {
      const tokens = [...st, ...packWords];
      if (!pack.extra.some((x) => x.tokens.join(' ') === tokens.join(' '))) pack.extra.push({ ...pack.name, tokens });
    }
  }
}

function inheritAliases(parsed: ParsedProduct[]): void {
  const nameOf = (x: ParsedProduct) => x.name.tokens.filter((t) => !t.startsWith('#'));
  for (const base of parsed) {
    if (base.aliases.length === 0) continue;
    const bt = nameOf(base);
    for (const other of parsed) {
      if (other === base) continue;
      const ot = nameOf(other);
      const extraWords = ot.filter((t) => !bt.includes(t));
      if (bt.length === ot.length && extraWords.length === 0 && other.name.sizes.length > 0) {
        // "keni 1/2" for Knee PVC 1/2 inch: the nickname names its other sizes too, with their own size
        for (const a of base.aliases) {
          const nick = a.tokens.filter((t) => !/^[#\d]/.test(t));
          if (!nick.some((t) => !bt.includes(t)) || nick.length === a.tokens.length) continue;
          const tokens = [...nick, ...other.name.sizes.filter((z) => !z.key.includes('x')).map((z) => z.key).slice(0, 1)];
          if (!other.aliases.some((x) => x.tokens.join(' ') === tokens.join(' '))) other.aliases.push({ ...a, tokens, sizes: other.name.sizes, units: other.name.units });
        }
        continue;
      }
      // "wermes m6" of "Wiremesh M6 lembaran" names "Wiremesh M6 Roll" too, with "roll": the two differ only in how they are packed
      const packOnly = (t: string) => PACK_WORDS.has(t) || t in COUNT_UNITS || (UNIT_ALIASES[t] ?? '') in COUNT_UNITS || (t.endsWith('an') && t.slice(0, -2) in COUNT_UNITS);
      const ownPack = bt.filter((t) => !ot.includes(t));
      if (ownPack.length > 0 && ownPack.every(packOnly) && extraWords.length > 0 && extraWords.every(packOnly) && bt.some((t) => !packOnly(t))) {
        for (const a of base.aliases) {
          const tokens = [...a.tokens.filter((t) => !ownPack.includes(t) && !packOnly(t)), ...extraWords];
          if (!other.aliases.some((x) => x.tokens.join(' ') === tokens.join(' '))) other.aliases.push({ ...a, tokens, sizes: other.name.sizes, units: other.name.units });
        }
        continue;
      }
      if (!bt.every((t) => ot.includes(t)) || extraWords.length === 0) continue;
      if (extraWords.every((t) => PACK_WORDS.has(t) || /^\d/.test(t))) {
        // (…even beside a nickname of its own: "minyak kita" names the carton of MinyaKita too, said with "dus")
        const carton = extraWords.includes(BULK_MARK) || extraWords.includes(PACK_MARK);
        if (other.aliases.length === 0 || carton) {
          for (const a of base.aliases) if (!other.aliases.some((x) => x.tokens.join(' ') === a.tokens.join(' '))) other.aliases.push({ ...a, tokens: [...a.tokens] });
        }
        continue;
      }
      // "susu bendera" for Frisian Flag's plain can names its chocolate can too, as "susu bendera cokelat":
      // a nickname of a product family's plain member, with what tells the other member apart
      for (const a of base.aliases) {
        if (a.tokens.length < 2 || a.tokens.some((t) => extraWords.includes(t))) continue;
        const tokens = [...a.tokens, ...extraWords];
        if (!other.aliases.some((x) => x.tokens.join(' ') === tokens.join(' '))) other.aliases.push({ ...a, tokens });
      }
    }
    for (const a of [...base.aliases]) {
      // "skm", or "tg a15" of "Tempered Glass Samsung Galaxy A15": the first word abbreviates the name's leading words
      const abbr = a.tokens[0]!;
      const words = bt.slice(0, abbr.length);
      if (abbr.length < 2 || !/^[a-z]+$/.test(abbr) || words.length !== abbr.length || words.map((w) => w[0]).join('') !== abbr) continue;
      if (a.tokens.length > 1 && !base.aliases.some((x) => x.tokens.length === 1 + bt.length - words.length && x.tokens[0] === abbr)) {
        base.aliases.push({ tokens: [abbr, ...bt.slice(words.length)], bulk: base.name.bulk, sizes: [], saleSize: null, units: [] });
      }
      for (const other of parsed) {
        if (other === base) continue;
        const ot = nameOf(other);
        if (words.every((w, i) => ot[i] === w) && !other.aliases.some((x) => x.tokens.includes(abbr))) {
          other.aliases.push({ tokens: [abbr, ...ot.slice(words.length)], bulk: other.name.bulk, sizes: [], saleSize: null, units: [] });
        }
      }
    }
  }
}

/**
 * "tg a15" of "Tempered Glass Samsung Galaxy A15", "skm" of Susu Kental Manis: the initials of the leading words a
 * family of products shares name each of them, unless the initials are a word of their own (a unit, chat, a
 * catalog word).
 */
/** Letters customers type for something else than a product. */
const CHAT_SHORTHAND = new Set(['cs', 'wa', 'tf', 'va', 'hp', 'ok', 'pm', 'dm', 'cod', 'otw', 'ga', 'gk', 'pp', 'bb', 'ty', 'np', 'dp', 'ig', 'fb', 'tt', 'gw', 'lu', 'sy', 'km', 'kk', 'mm', 'cm']);

function addFamilyInitials(parsed: { name: { tokens: string[] }; aliases: ParsedName[] }[]): void {
  const words = (x: { name: { tokens: string[] } }) => x.name.tokens.filter((t) => !t.startsWith('#'));
  const vocab = new Set(parsed.flatMap((x) => [...x.name.tokens, ...x.aliases.flatMap((a) => a.tokens)]));
  for (const k of [2, 3]) {
    const families = new Map<string, typeof parsed>();
    for (const x of parsed) {
      const lead = words(x).slice(0, k);
      if (lead.length < k || !lead.every((w) => /^[a-z]{3,}$/.test(w))) continue;
      const key = lead.join(' ');
      const list = families.get(key);
      if (list) list.push(x); else families.set(key, [x]);
    }
    for (const [key, members] of families) {
      const lead = key.split(' ');
      const abbr = lead.map((w) => w[0]).join('');
      // (two letters are read as initials only for a family of three or more: "cs" is customer service first)
      if (members.length < (abbr.length === 2 ? 3 : 2) || vocab.has(abbr) || STOPWORDS.has(abbr) || CHAT_WORDS.has(abbr)
        || CHAT_SHORTHAND.has(abbr) || SLANG[abbr] !== undefined || abbr in COUNT_UNITS || abbr in SIZE_UNITS) continue;
      for (const x of members) {
        const tokens = [abbr, ...words(x).slice(k)];
        if (!x.aliases.some((a) => a.tokens[0] === abbr)) x.aliases.push({ tokens, bulk: false, sizes: [], saleSize: null, units: [] });
      }
    }
  }
}

/**
 * "MKP CAP LANG 30ML" beside "Minyak Kayu Putih Cap Lang 60 ml", "LARUTAN CKT KALENG" beside "Larutan Penyegar Cap
 * Kaki Tiga": a stock list shortens a run of words to its initials. Where the initials match a run of a sibling's
 * name (one sharing another word with it), each is also listed with the other's form, so the run and the initials
 * both name both.
 */
function expandSiblingInitials(parsed: ParsedProduct[]): void {
  const runs = new Map<string, { x: ParsedProduct; at: number; len: number }[]>();
  for (const x of parsed) {
    const t = x.name.tokens;
    for (let i = 0; i < t.length; i++) {
      for (let len = 2; len <= 4 && i + len <= t.length; len++) {
        const run = t.slice(i, i + len);
        if (!run.every((w) => /^[a-z]{2,}$/.test(w))) break;
        const key = run.map((w) => w[0]).join('');
        const list = runs.get(key);
        if (list) list.push({ x, at: i, len }); else runs.set(key, [{ x, at: i, len }]);
      }
    }
  }
  const usedBy = new Map<string, number>();
  for (const x of parsed) for (const w of new Set(x.name.tokens)) usedBy.set(w, (usedBy.get(w) ?? 0) + 1);
  const added = new Set<string>();
  const add = (x: ParsedProduct, tokens: string[]) => {
    const key = `${x.p.sku} ${tokens.join(' ')}`;
    if (added.has(key)) return;
    added.add(key);
    x.extra.push({ ...x.name, tokens });
  };
  for (const x of parsed) {
    x.name.tokens.forEach((w, i) => {
      if (!/^[a-z]{3,4}$/.test(w) || STOPWORDS.has(w) || SLANG[w] !== undefined) return;
      // (a word other names use as a word is no initials)
      if ((usedBy.get(w) ?? 0) > 1) return;
      const shares = (y: ParsedProduct) => y.name.tokens.some((v) => v !== w && !/\d/.test(v) && !v.startsWith('#') && x.name.tokens.includes(v));
      // (…nor a run of words its own name spells out: "Baterai ABC Alkaline AAA" beside "… ABC Alkaline AA")
      const own = (r: { x: ParsedProduct; at: number; len: number }) => r.x.name.tokens.slice(r.at, r.at + r.len).some((v) => x.name.tokens.includes(v));
      const matches = (runs.get(w) ?? []).filter((r) => r.x !== x && shares(r.x) && !own(r));
      const forms = new Set(matches.map((r) => r.x.name.tokens.slice(r.at, r.at + r.len).join(' ')));
      if (forms.size !== 1) return;
      const run = [...forms][0]!.split(' ');
      add(x, [...x.name.tokens.slice(0, i), ...run, ...x.name.tokens.slice(i + 1)]);
      for (const r of matches) {
        const t = r.x.name.tokens;
        add(r.x, [...t.slice(0, r.at), w, ...t.slice(r.at + r.len)]);
      }
    });
  }
}

/**
 * "kopi kapal api 3 renteng" where the renteng is listed as "kapal api spesial mix renteng" and only the sachet's
 * name starts with "Kopi": the kind a product is filed under, when other names of this catalog use it as a name
 * word, may be said before its name.
 */
function kindBeforeName(parsed: ParsedProduct[]): void {
  // per category and kind, the other name words of the products that carry the kind ("kopi" → kapal, api, bubuk)
  const kindNames = new Map<string, Set<string>>();
  for (const y of parsed) {
    if (!y.p.category) continue;
    for (const k of y.p.category.split(/\s*(?:&|\/|,|\+|\bdan\b|\band\b)\s*/i).map((c) => tokenize(c).tokens.filter((t) => t.kind === 'word').map((t) => t.text))) {
      if (k.length === 0 || !k.every((w) => y.name.tokens.includes(w))) continue;
      const id = `${y.p.category}|${k.join(' ')}`;
      const set = kindNames.get(id) ?? new Set<string>();
      for (const w of y.name.tokens) if (!k.includes(w)) set.add(w);
      kindNames.set(id, set);
    }
  }
  const nameWords = new Map<string, number>();
  for (const x of parsed) for (const t of new Set(x.name.tokens)) nameWords.set(t, (nameWords.get(t) ?? 0) + 1);
  for (const x of parsed) {
    if (!x.p.category) continue;
    // ("Lakban & lem", "Fotokopi / print": a category of two kinds; a product is one of them)
    const kinds = x.p.category.split(/\s*(?:&|\/|,|\+|\bdan\b|\band\b)\s*/i).map((c) => tokenize(c).tokens.filter((t) => t.kind === 'word').map((t) => t.text)).filter((k) => k.length > 0);
    // (…which one is told by a product of the same category and brand that carries it: "Kopi Bubuk Kapal Api" beside
    // "Kapal Api Special Mix renteng", both filed under "Kopi & Inuman")
    // (…and only for a product whose name has no word of its category: "Biji Kopi" under "Biji/Bubuk Kopi" is one form)
    const bare = kinds.every((k) => k.every((w) => !x.name.tokens.includes(w)));
    const told = kinds.length > 1 ? (bare ? kinds.filter((k) => x.name.tokens.some((w) => !/\d/.test(w) && (kindNames.get(`${x.p.category}|${k.join(' ')}`)?.has(w) ?? false))) : []) : kinds;
    if (told.length !== 1) continue;
    const kind = told[0]!;
    if (kind.length > 2 || kind.every((w) => x.name.tokens.includes(w))) continue;
    if (!kind.every((w) => (nameWords.get(w) ?? 0) - (x.name.tokens.includes(w) ? 1 : 0) > 0)) continue;
    const named = parseName(`${kind.filter((w) => !x.name.tokens.includes(w)).join(' ')} ${x.p.name}`);
    if (named.tokens.length > 0) x.extra.push(named);
  }
}

/**
 * "teh manis anget" where the shop lists "Teh Manis" beside "Es Teh Manis": a drink without "es" whose iced
 * sibling is listed is the warm one, so "hangat" names it.
 */
function warmBesideIced(parsed: ParsedProduct[]): void {
  const key = (tokens: string[]) => [...new Set(tokens.filter((t) => !t.startsWith('#')))].sort().join(' ');
  const iced = new Set(parsed.filter((x) => x.name.tokens.includes('es')).map((x) => key(x.name.tokens.filter((t) => t !== 'es'))));
  for (const x of parsed) {
    if (x.name.tokens.includes('es') || x.name.tokens.includes('hangat') || !iced.has(key(x.name.tokens))) continue;
    x.extra.push(parseName(`${x.p.name} hangat`));
  }
}

/** "Americano Ice R", "Popok M": a size letter on a menu or a shelf is said as the word ("regular", "medium"). */
const SIZE_LETTERS: Record<string, string> = { r: 'regular', l: 'large', m: 'medium', s: 'small' };
function spellSizeLetters(parsed: ParsedProduct[]): void {
  for (const x of parsed) {
    // "MAMYPOKO PANTS STD M34", "SWEETY L28": a clothing size run into the count of pieces is that size
    const coded = x.name.tokens.map((w) => /^(xxl|xl|s|m|l)\d{1,3}$/.exec(w)?.[1] ?? w);
    if (coded.some((w, i) => w !== x.name.tokens[i])) x.extra.push({ ...x.name, tokens: coded });
    const t = x.name.tokens;
    if (!t.some((w, i) => i > 0 && SIZE_LETTERS[w] !== undefined)) continue;
    x.extra.push({ ...x.name, tokens: t.map((w, i) => (i > 0 && SIZE_LETTERS[w]) || w) });
  }
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
    const unitRaw = p.unit ? p.unit.toLowerCase().trim() : null;
    const unitTok = unitRaw ? tokenize(/^\d/.test(unitRaw) ? unitRaw : `1 ${unitRaw}`).tokens.find((t) => t.kind !== 'num') : undefined;
    const unit = unitTok?.kind === 'unit' ? unitTok.text : unitRaw ? (UNIT_ALIASES[unitRaw] ?? unitRaw) : null;
    const unitBulk = unit !== null && COUNT_UNITS[unit] === true;
    const saleSize = name.saleSize ?? (unitTok?.kind === 'size' ? { dim: unitTok.dim ?? 'v', amount: unitTok.value } : null);
    // "Me-O", "Faber-Castell", "MX-12B": customers type them joined ("meo", "mx12")
    const joined = [...p.name.matchAll(/\b([a-z0-9]+)-([a-z0-9]+)\b/gi)].length > 0 ? [p.name.replace(/\b([a-z0-9]+)-(?=[a-z0-9])/gi, '$1')] : [];
    // "Aqua Galon (isi ulang)": a remark in brackets without a count is another way the product is asked for
    // (…not a list of what a bundle holds: "(nasi, sayur, sambal, kuah)", "(ayam goreng+nasi+es teh)")
    const remarks = [...p.name.matchAll(/\(([^)0-9]+)\)/g)].filter((m) => !/[,+&]/.test(m[1]!)).map((m) => `${p.name.replace(/\([^)]*\)/g, ' ')} ${m[1]}`);
    // "Scott's", "Pond's": typed without the apostrophe ("scotts")
    const possessive = /[a-z]'s\b/i.test(p.name) ? [p.name.replace(/([a-z])'s\b/gi, '$1s')] : [];
    const extra = [...(p.search_words ?? []), ...joined, ...remarks, ...possessive].map((a) => parseName(a)).filter((a) => a.tokens.length > 0);
    return { p, name, aliases, extra, unit, bulk: name.bulk || unitBulk, saleSize };
  });

  kindBeforeName(parsed);
  warmBesideIced(parsed);
  spellSizeLetters(parsed);
  inheritAliases(parsed);
  packNamedLikeSingle(parsed);
  addFamilyInitials(parsed);
  expandSiblingInitials(parsed);

  const df = new Map<string, number>();
  for (const x of parsed) {
    const seen = new Set<string>([...x.name.tokens, ...x.aliases.flatMap((a) => a.tokens), ...x.extra.flatMap((a) => a.tokens)]);
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const n = Math.max(parsed.length, 1);
  const idf = new Map<string, number>();
  for (const [t, d] of df) idf.set(t, Math.log(1 + n / d));

  const indexed: IndexedProduct[] = [];
  const postings = new Map<string, Posting[]>();
  const tokenSets: Set<string>[] = [];
  parsed.forEach((x, ord) => {
    const fieldsRaw = [{ tokens: x.name.tokens, alias: false }, ...[...x.aliases, ...x.extra].map((a) => ({ tokens: a.tokens, alias: true }))];
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
      ord, sku: x.p.sku, name: x.p.name, unit: x.unit, bulk: x.bulk, saleSize: x.saleSize, contents: contentsOf(x.p.name, x.unit),
      units: withEquivalentUnits(new Set([...(x.unit ? [x.unit] : []), ...x.name.units, ...x.aliases.flatMap((a) => a.units)])),
      sizes: [...x.name.sizes, ...x.aliases.flatMap((a) => a.sizes)], fields, product: x.p,
    });
  });

  const needPostings = new Map<string, Set<number>>();
  const needOnly = new Set<string>();
  for (const p of indexed) {
    const about = [p.product.category ?? '', p.product.description ?? '', ...(p.product.search_words ?? [])].join(' ');
    const aboutWords = tokenize(about).tokens.filter((t) => t.kind === 'word').map((t) => t.text);
    for (const w of [...aboutWords, ...p.fields.flatMap((f) => f.tokens)]) {
      if (w.startsWith('#') || STOPWORDS.has(w)) continue;
      const set = needPostings.get(w);
      if (set) set.add(p.ord); else needPostings.set(w, new Set([p.ord]));
    }
    for (const w of aboutWords) if (!postings.has(w)) needOnly.add(w);
  }
  const nameWords = new Set<string>();
  for (const p of indexed) for (const t of p.fields[0]!.tokens) nameWords.add(t);

  markPacksOfSingles(indexed);
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

  const numberPhrases = new Map<string, Set<number>>();
  for (const p of indexed) {
    for (const f of p.fields) {
      f.tokens.forEach((t, j) => {
        const nx = f.tokens[j + 1];
        if (!/^\d+$/.test(t) || nx === undefined || !/^[a-z]{3,}$/.test(nx)) return;
        const key = `${t} ${nx}`;
        const set = numberPhrases.get(key);
        if (set) set.add(p.ord); else numberPhrases.set(key, new Set([p.ord]));
      });
    }
  }

  const vocab = new FuzzyVocabulary(postings.keys());
  const pairs: string[] = [];
  // "Semen Tiga Roda", "Two Way Cake", "Paper One": a number word with the word beside it in a name
  for (const p of indexed) for (const f of p.fields) f.tokens.forEach((t, j) => {
    if (NUM_ID[t] === undefined && NUM_EN[t] === undefined) return;
    const nx = f.tokens[j + 1];
    const pv = f.tokens[j - 1];
    if (nx && /^[a-z][a-z0-9]+$/.test(nx)) pairs.push(`${t} ${nx}`);
    if (pv && /^[a-z][a-z0-9]+$/.test(pv)) pairs.push(`${pv} ${t}`);
  });
  vocab.setNumberWordPairs(pairs);

  const byPrice = new Map<number, Set<number>>();
  for (const p of indexed) {
    const set = byPrice.get(p.product.price);
    if (set) set.add(p.ord); else byPrice.set(p.product.price, new Set([p.ord]));
  }

  return {
    needPostings,
    needOnly,
    nameWords,
    byPrice,
    numberPhrases,
    bulkSibling,
    products: indexed,
    bySku: new Map(indexed.map((p) => [p.sku, p])),
    postings,
    idf,
    vocab,
    tokenSets,
    categoryWords: new Set(active.flatMap((p) => (p.category ? tokenize(p.category).tokens : []))
      .filter((t) => t.kind === 'word' && !STOPWORDS.has(t.text) && t.text.length > 2).map((t) => t.text)),
  };
}
