import { COUNT_UNITS, DOCUMENT_WORDS, MULTIPLIER_UNITS, NUM_EN, NUM_ID, PRICE_SUFFIX, SIZE_UNITS, SLANG, STOPWORDS, UNIT_ALIASES, type SizeDim } from './lexicon.js';

export type TokenKind = 'word' | 'num' | 'size' | 'unit' | 'sep' | 'x' | 'price';

export interface Token {
  kind: TokenKind;
  /** canonical text: the word, the unit, or a spec key such as "#v600" (ml), "#L12" (mm), "#d30x30" */
  text: string;
  /** numeric value for num; amount in base units for size; rupiah for price */
  value: number;
  /** the text the customer typed, for echoing mentions back */
  raw: string;
  dim?: SizeDim;
  bulk?: boolean;
  /** the same spec read another way ("3 mili" is 3 mm or 3 ml) */
  alts?: string[];
  /** a unit that counts several pieces ("lusin" = 12) unless the product is sold by it */
  mult?: number;
  /** "per meter", "per kubik": how it is sold, never how many */
  per?: boolean;
  /** a number typed against letters ("mx12", "g2"): part of a code more than a count */
  glued?: boolean;
}

export interface Tokenized { tokens: Token[]; question: boolean }

/** Words the catalog uses; glued codes ("A4", "2B", "S6") stay whole when the catalog spells them so. */
export interface Vocabulary { has(word: string): boolean; lookup?(word: string): { word: string; sim: number }[]; pair?(a: string, b: string): boolean; twoDimensional?: boolean }

const SCAN = /(\d+(?:[.,]\d+)*\s*\/\s*\d+)|(\d+(?:[.,]\d+)*)|([a-z]+(?:'[a-z]+)?)|(\n|[,+&;|•*:])|(%)|(\?)|(["\u2033])|(\.|\))/g;

function parseNumber(s: string): number {
  if (s.includes('/')) {
    const [a, b] = s.split('/').map((x) => parseNumber(x.trim()));
    return b ? Math.round((a! / b) * 10000) / 10000 : a!;
  }
  // "15.000" is Indonesian thousands grouping; "1,5" / "7.5" are decimals.
  if (/^\d{1,3}([.,]\d{3})+$/.test(s)) return Number(s.replace(/[.,]/g, ''));
  return Number(s.replace(',', '.'));
}

interface RawTok { kind: 'word' | 'num' | 'sep' | 'pct' | 'dot' | 'inch'; text: string; start: number; end: number; grouped?: boolean; glue?: boolean }

function scan(s: string): { raw: RawTok[]; question: boolean } {
  const raw: RawTok[] = [];
  let question = false;
  for (const m of s.matchAll(SCAN)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (m[1] !== undefined) raw.push({ kind: 'num', text: m[1].replace(/\s+/g, ''), start, end });
    // "003" (an ink code) is a name, not three
    else if (m[2] !== undefined && /^0\d+$/.test(m[2])) raw.push({ kind: 'word', text: m[2], start, end });
    else if (m[2] !== undefined) raw.push({ kind: 'num', text: m[2], start, end, grouped: /^\d{1,3}([.,]\d{3})+$/.test(m[2]) && /\./.test(m[2]) });
    else if (m[3] !== undefined) raw.push({ kind: 'word', text: m[3], start, end });
    // ("Mixagrip Flu & Batuk", "nasi & es teh": "&" is "and", which a name may hold and a list separates by)
    else if (m[4] === '&') raw.push({ kind: 'word', text: 'dan', start, end });
    else if (m[4] !== undefined) raw.push({ kind: 'sep', text: m[4], start, end });
    else if (m[5] !== undefined) raw.push({ kind: 'pct', text: '%', start, end });
    else if (m[6] !== undefined) { question = true; raw.push({ kind: 'sep', text: '?', start, end }); }
    else if (m[7] !== undefined) raw.push({ kind: 'inch', text: 'inch', start, end });
    else raw.push({ kind: 'dot', text: m[0], start, end });
  }
  for (let i = 1; i < raw.length; i++) raw[i]!.glue = raw[i]!.start === raw[i - 1]!.end;
  markListNumbers(raw);
  return { raw, question };
}

/** "1. Paracetamol 2 strip 2. OBH" — numbered list markers become separators, but only as a 1,2,3… chain so "panadol 2." stays a quantity. */
function markListNumbers(raw: RawTok[]): void {
  let expect = 1;
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!;
    const next = raw[i + 1];
    const after = raw[i + 2];
    if (t.kind === 'num' && Number(t.text) === expect && next?.kind === 'dot' && next.start === t.end && after?.kind === 'word') {
      t.kind = 'sep';
      next.kind = 'sep';
      expect++;
    }
  }
  for (const t of raw) if (t.kind === 'dot') t.kind = 'sep';
}

/** A letter group right after a number that says what the number is ("12mm", "2x", "15rb", "3pcs"). */
function isNumberSuffix(w: string): boolean {
  if (w in SIZE_UNITS || w in COUNT_UNITS || w in PRICE_SUFFIX || w in MULTIPLIER_UNITS || w in UNIT_ALIASES || w in GLUED_UNITS) return true;
  const c = SLANG[w] ?? w;
  return c in SIZE_UNITS || c in COUNT_UNITS || c in MULTIPLIER_UNITS || UNIT_ALIASES[c] !== undefined || c in PRICE_SUFFIX
    || c === 'x' || c === 'an' || w in GLUED_UNITS;
}
/** Units read only when glued to the number: "10a" is ten ampere, "a 10" is not. */
const GLUED_UNITS: Record<string, string> = { a: 'ampere', in: 'inch', v: 'volt', w: 'watt' };

/**
 * Letters and digits typed together ("a4", "2b", "s6", "mu380", "paracetamol2"): a catalog code when the
 * catalog spells it so, or when indexing the catalog itself; otherwise the parts as typed.
 */
function isUnknownWord(w: string, vocab: Vocabulary): boolean {
  return w.length >= 3 && /^[a-z]+$/.test(w) && !vocab.has(w) && (vocab.lookup?.(w) ?? []).length === 0 && SLANG[w] === undefined && !STOPWORDS.has(w);
}

function mergeCodes(raw: RawTok[], vocab: Vocabulary | undefined): RawTok[] {
  const out: RawTok[] = [];
  for (let i = 0; i < raw.length; i++) {
    const a = raw[i]!;
    const b = raw[i + 1];
    // "Lampu LED Philips 10 W", "MCB 16 A" in a product's own name: a one-letter unit after its number
    if (!vocab && a.kind === 'num' && b?.kind === 'word' && b.start === a.end + 1 && b.text in GLUED_UNITS && !a.text.includes('/')
      && (raw[i + 2] === undefined || raw[i + 2]!.kind !== 'word' || raw[i + 2]!.start > b.end)) {
      out.push(a, { ...b, text: GLUED_UNITS[b.text]! });
      i++;
      continue;
    }
    const touching = b !== undefined && b.start === a.end && (a.kind === 'word' || a.kind === 'num') && (b.kind === 'word' || b.kind === 'num') && a.kind !== b.kind;
    if (!touching || a.text.includes('/') || b.text.includes('/')) { out.push(a); continue; }
    const glued = a.text + b.text;
    const numFirst = a.kind === 'num';
    const word = numFirst ? b.text : a.text;
    let code: boolean;
    // "n95", "a15", "g2": one letter and digits is a model or a code, even one this shop does not sell
    if (vocab) code = vocab.has(glued) || (!isNumberSuffix(word) && (vocab.lookup?.(glued) ?? []).some((h) => h.sim >= 0.8 && /\d/.test(h.word)))
      || (!numFirst && word.length === 1 && word !== 'x' && /^\d{1,3}$/.test(b.text))
      // "cushion 23N" where the shop's shades are 21N and 33W: a shade of that family, not 23 cushions
      || (numFirst && word.length === 1 && !isNumberSuffix(word) && /^\d{1,3}$/.test(a.text)
        && Array.from({ length: 99 }, (_, n) => `${n + 1}${word}`).some((c) => vocab.has(c)))
      // "poco x6" is a phone; "panadol x3" is three
      || (!numFirst && word === 'x' && /^\d{1,2}$/.test(b.text) && raw[i - 1]?.kind === 'word' && raw[i - 1]!.end === a.start - 1 && isUnknownWord(raw[i - 1]!.text, vocab));
    // "Skintific 5X Ceramide": a multiplier sign glued inside a name, before another word, is part of the name
    else if (numFirst) code = (!isNumberSuffix(word) && word.length <= 3) || (word === 'x' && raw[i + 2]?.kind === 'word' && raw[i + 2]!.start > b.end);
    else code = (word.length <= 3 && word !== 'x' && word !== 'rp' && !(word in SIZE_UNITS)) || (!numFirst && word.length === 1 && word !== 'x' && /^\d{1,3}$/.test(b.text));
    if (code) {
      out.push({ kind: 'word', text: glued, start: a.start, end: b.end });
      i++;
      continue;
    }
    if (numFirst && word in GLUED_UNITS) {
      out.push(a, { ...b, text: GLUED_UNITS[word]! });
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** How customers call the shopkeeper. */
export const ADDRESS_FORMS = new Set(['mbok', 'bu', 'buk', 'ibu', 'pak', 'bapak', 'mas', 'mbak', 'mba', 'kak', 'kakak', 'bang', 'abang', 'uni', 'uda', 'teh', 'aa', 'cik', 'ci', 'koh', 'bos', 'gan', 'min', 'admin', 'om', 'tante', 'bude', 'pakde', 'mak', 'emak', 'nyonya', 'sis', 'bro', 'lae', 'ito', 'inang']);

/** Greetings and thanks after which an address form or a name calls the shopkeeper ("punten teh", "assalamualaikum mak ros"). */
export const CALL_OPENERS = new Set(['punten', 'permisi', 'misi', 'halo', 'hallo', 'hai', 'hi', 'assalamualaikum', 'wr', 'wb', 'warahmatullah', 'wabarakatuh',
  'pagi', 'siang', 'sore', 'malam', 'selamat', 'met', 'nuhun', 'hatur', 'mangga', 'sampurasun', 'wilujeng']);

const REDUPLICATED = new Set(['abu', 'masing', 'sama', 'hati', 'kira', 'pelan', 'cepat', 'baik', 'satu', 'dua', 'jalan', 'lihat', 'liat', 'tanya', 'mudah', 'semoga', 'sekali', 'barang', 'macam', 'kadang', 'bener', 'benar', 'lama', 'buru', 'jauh', 'siapa', 'apa']);

function isDigits(s: string): boolean { return /^\d/.test(s); }

/** Expand one scanned word into canonical words (slang, "-nya", "se-"/"sa-" prefixes). */
function expandWord(w: string): string[] {
  const slang = SLANG[w];
  if (slang !== undefined) return slang.split(' ');
  if (w.length > 5 && w.endsWith('nya')) return expandWord(w.slice(0, -3));
  // "tigapuluh", "limabelas", "duaratus": number words typed as one
  const glued = /^(satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan)(puluh|belas|ratus|ribu)$/.exec(w);
  if (glued) return [glued[1]!, glued[2]!];
  if (w.length > 3 && (w.startsWith('se') || w.startsWith('sa'))) {
    const rest = w.slice(2);
    const restCanon = SE_UNITS[rest] ?? (rest in COUNT_UNITS ? UNIT_ALIASES[rest] ?? rest : undefined) ?? UNIT_ALIASES[SLANG[rest] ?? rest] ?? SLANG[rest] ?? rest;
    if (restCanon in COUNT_UNITS || restCanon in SIZE_UNITS || restCanon in MULTIPLIER_UNITS) return ['1', restCanon];
  }
  return [w];
}

/**
 * "manisss", "kakkk", "pleaseee", "haloooo": a letter held down is typed once; held in a word spelled with
 * it doubled ("maaf", "coffee"), twice.
 */
function unstretch(w: string, vocab: Vocabulary | undefined): string {
  // ("AAA" batteries are spelled that way)
  if (!/([a-z])\1\1/.test(w) || vocab?.has(w) || /^([a-z])\1+$/.test(w)) return w;
  const twice = w.replace(/([a-z])\1{2,}/g, '$1$1');
  const known = (x: string) => vocab?.has(x) === true || SLANG[x] !== undefined || STOPWORDS.has(x) || NUM_ID[x] !== undefined || NUM_EN[x] !== undefined;
  return known(twice) ? twice : w.replace(/([a-z])\1{2,}/g, '$1');
}

/** "nasine", "sambele", "endoge": the Javanese "-(n)e" of a catalog word is the Indonesian "-nya". */
function javaneseOwn(w: string, vocab: Vocabulary | undefined): string {
  if (!vocab || w.length < 5 || !w.endsWith('e') || vocab.has(w) || SLANG[w] !== undefined) return w;
  const inCatalog = (x: string) => x.length >= 3 && (vocab.has(x) || (SLANG[x] !== undefined && vocab.has(SLANG[x]!)));
  if (w.endsWith('ne') && /[aiuo]$/.test(w.slice(0, -2)) && inCatalog(w.slice(0, -2))) return `${w.slice(0, -2)}nya`;
  if (/[^aiueo]e$/.test(w) && inCatalog(w.slice(0, -1))) return `${w.slice(0, -1)}nya`;
  return w;
}

/** Units heard only after "se-": "sepapan" telur is a tray, "seplastik" a bag. */
const SE_UNITS: Record<string, string> = { papan: 'tray', plastik: 'bungkus', kresek: 'bungkus', piring: 'porsi', mangkok: 'porsi', ikat: 'ikat', sisir: 'sisir' };

function canonUnit(w: string): string { return UNIT_ALIASES[w] ?? w; }

interface Flat { text: string; raw: string; kind: 'w' | 'n' | 's' | 'p'; value?: number; grouped?: boolean; glue?: boolean }

const DONENESS = new Set(['mateng', 'matang', 'mentah', 'masak', 'garing', 'kering', 'basah']);
const FRACTION_WORDS: Record<string, number> = { setengah: 0.5, stengah: 0.5, stgh: 0.5, stngh: 0.5, setengh: 0.5, seperempat: 0.25, separuh: 0.5, half: 0.5, quarter: 0.25 };

/** Number words, Indonesian and regional ("dua puluh lima", "telu", "tilu", "rolas"), into values. */
function readNumberWords(flat: Flat[], vocab: Vocabulary | undefined): Flat[] {
  const numOf = (w: string | undefined): number | undefined => (w === undefined ? undefined : NUM_ID[w] ?? NUM_EN[w]);
  const out: Flat[] = [];
  for (let i = 0; i < flat.length; i++) {
    const t = flat[i]!;
    if (t.kind !== 'w') { out.push(t); continue; }
    if (!vocab) { out.push(t); continue; }
    const prevW = flat[i - 1];
    // "tiga roda 50 kg 8 sak", "paper one f4": a number word the catalog writes beside this word is a name
    if ((flat[i + 1]?.kind === 'w' && vocab.pair?.(t.text, flat[i + 1]!.text)) || (prevW?.kind === 'w' && vocab.pair?.(prevW.text, t.text))) { out.push(t); continue; }
    const w = t.text;
    const next = flat[i + 1]?.text;
    const frac = FRACTION_WORDS[w];
    // "telur ceplok 2 setengah mateng": how done it is, not two and a half eggs
    if (frac !== undefined && next !== undefined && DONENESS.has(next)) { out.push(t); continue; }
    if (frac !== undefined) {
      const prev = out[out.length - 1];
      // "dua setengah" = 2.5; "tiga perempat" is handled below
      if (prev?.kind === 'n' && prev.value !== undefined && Number.isInteger(prev.value) && prev.value < 20 && frac === 0.5) { prev.value += 0.5; prev.text = String(prev.value); continue; }
      out.push({ text: String(frac), raw: t.raw, kind: 'n', value: frac });
      continue;
    }
    if (w === 'perempat') {
      const prev = out[out.length - 1];
      if (prev?.kind === 'n' && prev.value !== undefined && prev.value < 4) { prev.value /= 4; prev.text = String(prev.value); continue; }
    }
    if ((w === 'a' || w === 'an') && next !== undefined && (next in MULTIPLIER_UNITS || canonUnit(next) in COUNT_UNITS || next === 'couple')) {
      if (next === 'couple') { out.push({ text: '2', raw: `${t.raw} ${flat[i + 1]!.raw}`, kind: 'n', value: 2 }); i++; if (flat[i + 1]?.text === 'of') i++; continue; }
      out.push({ text: '1', raw: t.raw, kind: 'n', value: 1 });
      continue;
    }
    // Betawi "lime belas", "lime puluh": five, where "lime" alone may be the fruit
    let base = w === 'lime' && (next === 'belas' || next === 'puluh' || next === 'ratus' || next === 'ribu') ? 5 : numOf(w);
    if (base === undefined) { out.push(t); continue; }
    let j = i;
    let value = base;
    const look = (k: number) => flat[k]?.text;
    if (look(j + 1) === 'belas' && base < 10) { value = 10 + base; j++; }
    else if (look(j + 1) === 'puluh' && base < 10) {
      value = base * 10; j++;
      const u = numOf(look(j + 1));
      if (u !== undefined && u < 10) { value += u; j++; }
    } else if (base >= 20 && base < 100 && base % 10 === 0) {
      const u = numOf(look(j + 1));
      if (u !== undefined && u < 10) { value += u; j++; }
    }
    // "seratus lima puluh", "dua ratus dua belas": the hundreds and what follows them below a hundred
    const below100 = (k: number): { v: number; end: number } | null => {
      const b = numOf(look(k));
      if (b === undefined || b >= 100) return null;
      if (b < 10 && look(k + 1) === 'belas') return { v: 10 + b, end: k + 1 };
      if (b < 10 && look(k + 1) === 'puluh') {
        const u = numOf(look(k + 2));
        return u !== undefined && u < 10 ? { v: b * 10 + u, end: k + 2 } : { v: b * 10, end: k + 1 };
      }
      return { v: b, end: k };
    };
    if ((look(j + 1) === 'ratus' && value < 10) || value === 100) {
      if (value < 10) { value *= 100; j++; }
      const rest = below100(j + 1);
      if (rest) { value += rest.v; j = rest.end; }
    }
    // "seribu lima ratus", "dua ribu lima ratus": a price said in words, thousands and then hundreds
    const hundreds = (k: number): { v: number; end: number } | null => {
      const b = numOf(look(k));
      if (b === 100) { const rest = below100(k + 1); return rest ? { v: 100 + rest.v, end: rest.end } : { v: 100, end: k }; }
      if (b === undefined || b >= 10 || look(k + 1) !== 'ratus') return null;
      const rest = below100(k + 2);
      return rest ? { v: b * 100 + rest.v, end: rest.end } : { v: b * 100, end: k + 1 };
    };
    const thousandWord = look(j + 1) === 'ribu' || look(j + 1) === 'rb' || look(j + 1) === 'rebu';
    const thenHundreds = value === 1000 && w === 'seribu' ? hundreds(j + 1) : thousandWord && value < 1000 ? hundreds(j + 2) : null;
    if (thenHundreds) {
      const total = (value === 1000 && w === 'seribu' ? 1000 : value * 1000) + thenHundreds.v;
      out.push({ text: String(total), raw: flat.slice(i, thenHundreds.end + 1).map((x) => x.raw).join(' '), kind: 'n', value: total, grouped: true });
      i = thenHundreds.end;
      continue;
    }
    if (thousandWord) {
      out.push({ text: String(value), raw: t.raw, kind: 'n', value });
      i = j;
      continue;
    }
    base = value;
    out.push({ text: String(value), raw: flat.slice(i, j + 1).map((x) => x.raw).join(' '), kind: 'n', value });
    i = j;
  }
  return out;
}

const DIM_LEN = new Set(['mm', 'cm', 'm', 'meter', 'milimeter', 'mili', 'centimeter', 'sentimeter', 'senti', 'centi', 'inch']);

/**
 * Lowercase, fold slang and regional words, turn number words into digits, split glued digits and letters,
 * and read specs ("600 ml" → "#v600", "12mm" → "#L12", "3/4 inch", "30x30"), prices ("15rb", "Rp 15.000")
 * and count units ("2 strip", "selusin").
 */
/** "3+" as one word: the scanner keeps digits and letters apart. */
export const DIGIT_WORDS = ['nol', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan'];

export function tokenize(text: string, vocab?: Vocabulary): Tokenized {
  const s = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[’`´]/g, "'").toLowerCase()
    .replace(/[\u00b2]/g, '2').replace(/[\u00b3]/g, '3')
    .replace(/(\d)\s*m3\b/g, '$1 kubik').replace(/\bm3\b/g, 'kubik').replace(/\bmeter kubik\b/g, 'kubik')
    .replace(/(\d)\s*m2\b/g, '$1 meterpersegi').replace(/\bmeter persegi\b/g, 'meterpersegi')
    // "black and white", "b/w": one colour scheme, not two products joined by "and"
    .replace(/\bblack\s*(?:and|&|n)\s*white\b|\bb\/w\b/g, 'hitam putih')
    // "SGM Eksplor 1+", "sgm 3+ 1": an age with a plus is one word of the name (where the catalog has it), not a list
    .replace(/\b(\d)\+(?!\d)/g, (m, d: string) => (!vocab || vocab.has(`${DIGIT_WORDS[Number(d)]}plus`) ? ` ${DIGIT_WORDS[Number(d)]}plus ` : m));
  const { raw: scanned, question } = scan(s);
  const raw = mergeCodes(scanned, vocab).map((r) => (r.kind === 'word' ? { ...r, text: javaneseOwn(unstretch(r.text, vocab), vocab) } : r));

  // 1. words → canonical words; numbers stay strings for now
  const flat: Flat[] = [];
  let skipAn: unknown = null;
  for (const r of raw) {
    if (r === skipAn) continue;
    if (r.kind === 'sep') { flat.push({ text: ',', raw: r.text, kind: 's' }); continue; }
    if (r.kind === 'pct') { flat.push({ text: '%', raw: '%', kind: 'w' }); continue; }
    if (r.kind === 'inch') { flat.push({ text: 'inch', raw: '"', kind: 'w' }); continue; }
    if (r.kind === 'num') {
      const prev = raw[raw.indexOf(r) - 1];
      // "masing2", "kue2": the Indonesian shorthand for a doubled word, not two of anything
      // "abu2 5kg 1": a doubled colour or kind is followed by its own size or count
      const nextRaw = raw[raw.indexOf(r) + 1];
      const countFollows = nextRaw?.kind === 'num';
      // "print2an", "kue2an": a doubled word with "-an" (printouts, cakes of all kinds) counts nothing either
      if (r.text === '2' && r.glue && prev?.kind === 'word' && nextRaw?.kind === 'word' && nextRaw.text === 'an' && nextRaw.glue) { skipAn = nextRaw; continue; }
      if (r.text === '2' && r.glue && prev?.kind === 'word' && (REDUPLICATED.has(prev.text) || (vocab && prev.text.length >= 3 && !vocab.has(prev.text) && !vocab.lookup?.(prev.text).length) || (vocab?.has(prev.text) && countFollows && prev.text.length >= 3))) continue;
      flat.push({ text: r.text, raw: r.text, kind: 'n', value: parseNumber(r.text), grouped: r.grouped, glue: r.glue && prev?.kind === 'word' });
      continue;
    }
    if (/\d/.test(r.text)) { flat.push({ text: r.text, raw: r.text, kind: 'w' }); continue; }
    const prevRaw = raw[raw.indexOf(r) - 1];
    // a measure or price right after a number is read as typed ("100g" is grams, not "ga"; "15k" is not "ok")
    // …and after a number word too: "satu pak" is one pack, not "one sir"
    const afterNumber = prevRaw?.kind === 'num' || (prevRaw?.kind === 'word' && (NUM_ID[prevRaw.text] !== undefined || NUM_EN[prevRaw.text] !== undefined) && r.text in COUNT_UNITS);
    if (afterNumber && (r.text in SIZE_UNITS || r.text in COUNT_UNITS || (r.text in PRICE_SUFFIX && (r.glue || r.text.length > 1)))) {
      flat.push({ text: r.text, raw: r.text, kind: 'w', glue: r.glue });
      continue;
    }
    // "sak" before a unit is Javanese for one ("sak roll", "sak dus"); otherwise a sack
    if (r.text === 'sak') {
      const nxt = raw[raw.indexOf(r) + 1];
      // ("sak pak": the pack, not "sir")
      const nt = nxt?.kind === 'word' ? (canonUnit(nxt.text) in COUNT_UNITS ? canonUnit(nxt.text) : canonUnit(SLANG[nxt.text] ?? nxt.text)) : '';
      if (nt && nt !== 'sak' && (nt in COUNT_UNITS || nt in SIZE_UNITS || nt in MULTIPLIER_UNITS)) { flat.push({ text: '1', raw: r.text, kind: 'n', value: 1 }); continue; }
    }
    // in a product's own name "Pak" is a pack and "Tiga" in "Tiga Roda" is a word
    if (!vocab && (r.text in COUNT_UNITS || NUM_ID[r.text] !== undefined || NUM_EN[r.text] !== undefined)) { flat.push({ text: r.text, raw: r.text, kind: 'w', glue: r.glue }); continue; }
    // …and "GaN" (33W charger) or "AA" (battery) are product words, not "bro" or "big brother"
    if (!vocab && SLANG[r.text] !== undefined && STOPWORDS.has(SLANG[r.text]!)) { flat.push({ text: r.text, raw: r.text, kind: 'w', glue: r.glue }); continue; }
    // a word the catalog itself uses keeps its meaning ("mangga" is a mango in a fruit shop, "please" elsewhere)
    if (vocab?.has(r.text) && SLANG[r.text] !== undefined && !(r.text in COUNT_UNITS)) { flat.push({ text: r.text, raw: r.text, kind: 'w', glue: r.glue }); continue; }
    // Sundanese "teh" after a greeting or a name is an address ("punten teh"), not tea
    const prevWord = raw[raw.indexOf(r) - 1];
    // …and so is "teh," opening the message ("teh, sangu dua"): tea is ordered with a count, not called
    const idx = raw.indexOf(r);
    const calls = idx === 0 && raw[1]?.kind === 'sep' && raw[1].text === ',' && raw.length > 3;
    if (r.text === 'teh' && ((prevWord?.kind === 'word' && CALL_OPENERS.has(prevWord.text)) || calls)) { flat.push({ text: 'kak', raw: r.text, kind: 'w', glue: r.glue }); continue; }
    // "fc ktp sm kk": beside another document or a copy job, "kk" is the family card, not "kakak"
    if (r.text === 'kk' && raw.slice(Math.max(0, idx - 3), idx + 4).some((x) => x !== r && x.kind === 'word' && (DOCUMENT_WORDS.has(x.text) || /^(fc|fotokopi|fotocopy|copy|print|scan|laminating)$/.test(x.text)))) {
      flat.push({ text: 'kk', raw: r.text, kind: 'w', glue: r.glue });
      continue;
    }
    // "mbok, …", "uni, …", "bu darmi, …": the shopkeeper called at the start is no product, even where the shop's
    // own name is in its products' names ("Minyak Urut Mbok Darmi")
    if (calls && ADDRESS_FORMS.has(r.text)) { flat.push({ text: 'kak', raw: r.text, kind: 'w', glue: r.glue }); continue; }
    // "tf mandiri aja uda", "bisa bayar di tempat uda?": the Minang "uda" closing a message calls, it is no "sudah"
    const closes = raw.slice(idx + 1).every((x) => x.kind === 'sep');
    if (r.text === 'uda' && closes && idx > 0) { flat.push({ text: 'kak', raw: r.text, kind: 'w', glue: r.glue }); continue; }
    // "otak otak", "abu abu", "masing masing": a doubled word is one word
    const last = flat[flat.length - 1];
    if (last?.kind === 'w' && last.raw === r.text && r.text.length >= 3) continue;
    expandWord(r.text).forEach((w, k) => flat.push({ text: w, raw: r.text, kind: isDigits(w) ? 'n' : 'w', value: isDigits(w) ? Number(w) : undefined, glue: k === 0 && r.glue }));
  }

  // 2. number words, except where the catalog uses them in a name ("semen tiga roda", "paper one")
  const nums = readNumberWords(flat, vocab);

  // 3. prices, specs, count units, multipliers
  const tokens: Token[] = [];
  for (let i = 0; i < nums.length; i++) {
    const t = nums[i]!;
    if (t.kind === 's') { tokens.push({ kind: 'sep', text: ',', value: 0, raw: t.raw }); continue; }
    if (t.kind === 'w' && (t.text === 'rp' || t.text === 'idr') && nums[i + 1]?.kind === 'n') {
      const n = nums[i + 1]!;
      let v = n.value ?? 0;
      const suf = nums[i + 2]?.kind === 'w' ? PRICE_SUFFIX[nums[i + 2]!.text] : undefined;
      if (suf) { v *= suf; i++; }
      tokens.push({ kind: 'price', text: `$${Math.round(v)}`, value: Math.round(v), raw: `${t.raw} ${n.raw}` });
      i++;
      continue;
    }
    // "sebox 2", "sedus 3": the unit is said with "se-", the count comes after it
    if (t.kind === 'n' && t.text === '1' && /^s[ea]/.test(t.raw) && nums[i + 1]?.raw === t.raw && nums[i + 2]?.kind === 'n') {
      const u = canonUnit(nums[i + 1]!.text);
      if (u in COUNT_UNITS) { tokens.push({ kind: 'unit', text: u, value: 0, raw: t.raw, bulk: COUNT_UNITS[u] ?? false }); i++; continue; }
    }
    if (t.kind === 'n') {
      const value = t.value ?? Number(t.text);
      const nextW = nums[i + 1]?.kind === 'w' ? nums[i + 1]!.text : undefined;
      // prices: "15rb", "15 ribu", "15k", "Rp 15.000" (handled above), "15.000"
      const suf = nextW !== undefined ? PRICE_SUFFIX[nextW] : undefined;
      const unitAfter = nums[i + 2]?.kind === 'w' ? canonUnit(nums[i + 2]!.text) : '';
      // "2rb biji", "3 ribu lembar": thousands followed by a count unit count pieces, they price nothing
      // ("yg 185rb tabung baru" is still the one at that price)
      const priceBefore = nums[i - 1]?.kind === 'w' && PRICE_CUES.has(nums[i - 1]!.text);
      const thousandsCounted = suf === 1000 && PIECE_UNITS.has(unitAfter) && !priceBefore;
      if (suf !== undefined && !thousandsCounted) {
        let j = i + 1;
        if (nums[j + 1]?.text === 'an') j++; // "45rb an", "5 ribuan"
        const v = Math.round(value * suf);
        tokens.push({ kind: 'price', text: `$${v}`, value: v, raw: nums.slice(i, j + 1).map((x) => x.raw).join(' ') });
        i = j;
        continue;
      }
      if (thousandsCounted) {
        tokens.push({ kind: 'num', text: String(value * 1000), value: value * 1000, raw: `${t.raw} ${nums[i + 1]!.raw}` });
        tokens.push({ kind: 'unit', text: unitAfter, value: 0, raw: nums[i + 2]!.raw, bulk: false });
        i += 2;
        continue;
      }
      if (t.grouped && value >= 1000 && !(nextW !== undefined && canonUnit(nextW) in COUNT_UNITS)) {
        tokens.push({ kind: 'price', text: `$${value}`, value, raw: t.raw });
        continue;
      }
      // dimensions: "30x30", "2x1,5 mm", "122 x 244"
      const xTok = nums[i + 1];
      const other = nums[i + 2];
      // ("keramik 30 kali 30 8 dus", voice-typed: "kali" between two sizes of ten and more, before a count)
      const kali = xTok?.kind === 'w' && xTok.text === 'kali' && other?.kind === 'n' && value >= 10 && (other.value ?? 0) >= 10
        && (nums[i + 3]?.kind === 'n' || DIM_LEN.has(nums[i + 3]?.text ?? ''));
      // ("buku kiky 38 x 10", "dimsum isi 10 x 20" at a shop that sells nothing measured by two sides: a count)
      const spaced = !(xTok?.glue === true && other?.glue === true);
      if (xTok?.kind === 'w' && (xTok.text === 'x' || kali) && other?.kind === 'n' && other.value !== undefined
        && !(spaced && vocab?.twoDimensional === false) && isDimension(t, other, !spaced)) {
        const pair = [value, other.value].sort((a, b) => a - b);
        let k = i + 2;
        const unitW = nums[k + 1]?.kind === 'w' ? nums[k + 1]!.text : '';
        if (DIM_LEN.has(unitW)) k++;
        tokens.push({ kind: 'size', text: `#d${pair[0]}x${pair[1]}`, value: pair[0]! * pair[1]!, dim: 'd', raw: nums.slice(i, k + 1).map((x) => x.raw).join(' ') });
        i = k;
        continue;
      }
      const size = nextW !== undefined ? SIZE_UNITS[nextW] : undefined;
      if (size) {
        const amount = Math.round(value * size.factor * 1000) / 1000;
        const tok: Token = { kind: 'size', text: `#${size.dim}${amount}`, value: amount, dim: size.dim, raw: `${t.raw} ${nums[i + 1]!.raw}` };
        if (size.alt) tok.alts = [`#${size.alt.dim}${Math.round(value * size.alt.factor * 1000) / 1000}`];
        // "80gr" of paper is its weight per m² ("80 gsm")
        if (size.dim === 'm' && size.factor === 1000 && value >= 40 && value <= 400) tok.alts = [...(tok.alts ?? []), `#G${value}`];
        tokens.push(tok);
        i++;
        continue;
      }
      tokens.push({ kind: 'num', text: String(value), value, raw: t.raw, ...(t.glue ? { glued: true } : {}) });
      if (nextW !== undefined) {
        const u = canonUnit(nextW);
        if (u in COUNT_UNITS) {
          tokens.push({ kind: 'unit', text: u, value: 0, raw: nums[i + 1]!.raw, bulk: COUNT_UNITS[u] ?? false });
          i++;
        } else if (u in MULTIPLIER_UNITS) {
          tokens.push({ kind: 'unit', text: u, value: 0, raw: nums[i + 1]!.raw, bulk: false, mult: MULTIPLIER_UNITS[u] });
          i++;
        }
      }
      continue;
    }
    // "hebel per kubik", "paku per ons", "fotokopi per lembar": how the customer wants it sold
    const perNext = t.kind === 'w' && t.text === 'per' && nums[i + 1]?.kind === 'w' ? nums[i + 1]!.text : undefined;
    if (perNext !== undefined && SIZE_UNITS[perNext] && SIZE_UNITS[perNext]!.dim !== 'T') {
      const u = SIZE_UNITS[perNext]!;
      tokens.push({ kind: 'size', text: `#${u.dim}${u.factor}`, value: u.factor, dim: u.dim, raw: `per ${nums[i + 1]!.raw}`, per: true });
      i++;
      continue;
    }
    if (perNext !== undefined && canonUnit(perNext) in COUNT_UNITS) {
      const u = canonUnit(perNext);
      tokens.push({ kind: 'unit', text: u, value: 0, raw: `per ${nums[i + 1]!.raw}`, bulk: COUNT_UNITS[u] ?? false });
      i++;
      continue;
    }
    const w = canonUnit(t.text);
    if (COUNT_UNITS[w] === true) { tokens.push({ kind: 'unit', text: w, value: 0, raw: t.raw, bulk: true }); continue; }
    // "bisa pasang tg?": without a number before it, "pasang" is the verb to install, not a pair
    if (w in MULTIPLIER_UNITS && tokens[tokens.length - 1]?.kind !== 'num' && !vocab?.has(w) && w !== 'pasang' && w !== 'pair') {
      // "lusinan", "a dozen" already read; a bare "lusin" after the product counts one dozen
      tokens.push({ kind: 'num', text: '1', value: 1, raw: '' });
      tokens.push({ kind: 'unit', text: w, value: 0, raw: t.raw, bulk: false, mult: MULTIPLIER_UNITS[w] });
      continue;
    }
    if (w === 'x' && (nums[i - 1]?.kind === 'n' || nums[i + 1]?.kind === 'n')) { tokens.push({ kind: 'x', text: 'x', value: 0, raw: t.raw }); continue; }
    tokens.push({ kind: 'word', text: t.text, value: 0, raw: t.raw });
  }
  return { tokens, question };
}

/** Units of small pieces bought by the thousand ("2rb biji" of bricks, "3 ribu lembar" of copies). */
const PIECE_UNITS = new Set(['biji', 'buah', 'pcs', 'lembar', 'butir', 'keping', 'batang']);
/** Words before a number that make it a price the customer refers to ("yg 25rb", "harga 2rb"). */
const PRICE_CUES = new Set(['yang', 'harga', 'hrg', 'seharga', 'rp']);

/** "30x30", "2x1,5", "5x7": glued, or spaced but with a measure after it; "2 x 3" between products is a count. */
function isDimension(a: Flat, b: Flat, glued: boolean): boolean {
  if (a.value === undefined || b.value === undefined || a.value <= 0 || b.value <= 0) return false;
  if (!Number.isInteger(a.value) || !Number.isInteger(b.value)) return true;
  if (a.value >= 10 && b.value >= 10) return true;
  return glued && a.value >= 2 && b.value >= 2;
}
