import { COUNT_UNITS, NUM_EN, NUM_ID, SIZE_UNITS, SLANG, UNIT_ALIASES } from './lexicon.js';

export type TokenKind = 'word' | 'num' | 'size' | 'unit' | 'sep' | 'x';

export interface Token {
  kind: TokenKind;
  /** canonical text: the word, the unit, or a size key such as "#v600" (ml) / "#m500" (mg) */
  text: string;
  /** numeric value for num; amount in base units (ml, mg, %) for size */
  value: number;
  /** the text the customer typed, for echoing mentions back */
  raw: string;
  dim?: 'v' | 'm' | 'p';
  bulk?: boolean;
}

export interface Tokenized { tokens: Token[]; question: boolean }

const SCAN = /(\d+(?:[.,]\d+)*)|([a-z]+(?:'[a-z]+)?)|(\n|[,+&;|•*])|(%)|(\?)|(\.|\))/g;

function parseNumber(s: string): number {
  // "15.000" is Indonesian thousands grouping; "1,5" / "7.5" are decimals.
  if (/^\d{1,3}([.,]\d{3})+$/.test(s)) return Number(s.replace(/[.,]/g, ''));
  return Number(s.replace(',', '.'));
}

interface RawTok { kind: 'word' | 'num' | 'sep' | 'pct' | 'dot'; text: string; start: number; end: number }

function scan(s: string): { raw: RawTok[]; question: boolean } {
  const raw: RawTok[] = [];
  let question = false;
  for (const m of s.matchAll(SCAN)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (m[1] !== undefined) raw.push({ kind: 'num', text: m[1], start, end });
    else if (m[2] !== undefined) raw.push({ kind: 'word', text: m[2], start, end });
    else if (m[3] !== undefined) raw.push({ kind: 'sep', text: m[3], start, end });
    else if (m[4] !== undefined) raw.push({ kind: 'pct', text: '%', start, end });
    else if (m[5] !== undefined) { question = true; raw.push({ kind: 'sep', text: '?', start, end }); }
    else raw.push({ kind: 'dot', text: m[0], start, end });
  }
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

function isDigits(s: string): boolean { return /^\d/.test(s); }

/** Expand one scanned word into canonical words (slang, "-nya", "se-" prefixes). */
function expandWord(w: string): string[] {
  const slang = SLANG[w];
  if (slang !== undefined) return slang.split(' ');
  if (w.length > 5 && w.endsWith('nya')) {
    const stem = w.slice(0, -3);
    return [...expandWord(stem)];
  }
  if (w.length > 3 && w.startsWith('se')) {
    const rest = w.slice(2);
    const restCanon = SLANG[rest] ?? rest;
    if (restCanon in COUNT_UNITS || restCanon in SIZE_UNITS) return ['1', restCanon];
    if (restCanon === 'lusin') return ['12'];
  }
  if (w.startsWith('x') && /^x\d+$/.test(w)) return ['x', w.slice(1)];
  return [w];
}

function canonUnit(w: string): string { return UNIT_ALIASES[w] ?? w; }

/**
 * Lowercase, fold slang, turn number words into digits, split glued digits/letters,
 * and recognise sizes ("600 ml" → "#v600") and count units ("2 strip").
 */
export function tokenize(text: string): Tokenized {
  const s = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[’`´]/g, "'").toLowerCase();
  const { raw, question } = scan(s);

  // 1. words → canonical words; numbers stay strings for now
  const flat: { text: string; raw: string; kind: 'w' | 'n' | 's' }[] = [];
  for (const r of raw) {
    if (r.kind === 'sep') { flat.push({ text: ',', raw: r.text, kind: 's' }); continue; }
    if (r.kind === 'pct') { flat.push({ text: '%', raw: '%', kind: 'w' }); continue; }
    if (r.kind === 'num') { flat.push({ text: r.text, raw: r.text, kind: 'n' }); continue; }
    if (r.kind === 'word') {
      for (const w of expandWord(r.text)) flat.push({ text: w, raw: r.text, kind: isDigits(w) ? 'n' : 'w' });
    }
  }

  // 2. number words ("dua puluh lima", "setengah lusin", "a dozen", "two")
  const nums: { text: string; raw: string; kind: 'w' | 'n' | 's'; value?: number }[] = [];
  for (let i = 0; i < flat.length; i++) {
    const t = flat[i]!;
    if (t.kind === 'n') { nums.push({ ...t, value: parseNumber(t.text) }); continue; }
    if (t.kind === 's') { nums.push(t); continue; }
    const w = t.text;
    const next = flat[i + 1]?.text;
    if ((w === 'setengah' || w === 'half') && (next === 'lusin' || next === 'dozen' || (next === 'a' && flat[i + 2]?.text === 'dozen'))) {
      nums.push({ text: '6', raw: t.raw, kind: 'n', value: 6 });
      i += next === 'a' ? 2 : 1;
      continue;
    }
    if ((w === 'a' || w === 'an') && next !== undefined && (next === 'dozen' || next in COUNT_UNITS)) {
      nums.push({ text: '1', raw: t.raw, kind: 'n', value: 1 });
      continue;
    }
    const base = NUM_ID[w] ?? NUM_EN[w];
    if (base !== undefined) {
      const prev = nums[nums.length - 1];
      if ((w === 'dozen') && prev?.value !== undefined) { prev.value *= 12; prev.text = String(prev.value); continue; }
      let value = base;
      if (next === 'belas' && base < 10) { value = 10 + base; i++; }
      else if (next === 'puluh' && base < 10) {
        value = base * 10; i++;
        const unit = flat[i + 1] ? (NUM_ID[flat[i + 1]!.text] ?? NUM_EN[flat[i + 1]!.text]) : undefined;
        if (unit !== undefined && unit < 10) { value += unit; i++; }
      } else if (next === 'lusin') { value = base * 12; i++; }
      else if (base >= 20 && base < 100 && base % 10 === 0) {
        const unit = flat[i + 1] ? NUM_EN[flat[i + 1]!.text] : undefined;
        if (unit !== undefined && unit < 10) { value += unit; i++; }
      }
      nums.push({ text: String(value), raw: t.raw, kind: 'n', value });
      continue;
    }
    if (w === 'lusin' && nums[nums.length - 1]?.value !== undefined) {
      const prev = nums[nums.length - 1]!;
      prev.value = (prev.value ?? 1) * 12; prev.text = String(prev.value);
      continue;
    }
    nums.push(t);
  }

  // 3. sizes, count units, multipliers
  const tokens: Token[] = [];
  for (let i = 0; i < nums.length; i++) {
    const t = nums[i]!;
    if (t.kind === 's') { tokens.push({ kind: 'sep', text: ',', value: 0, raw: t.raw }); continue; }
    if (t.kind === 'n') {
      const value = t.value ?? Number(t.text);
      const nextText = nums[i + 1]?.kind === 'w' ? nums[i + 1]!.text : undefined;
      const size = nextText !== undefined ? SIZE_UNITS[nextText] : undefined;
      if (size) {
        const amount = Math.round(value * size.factor * 1000) / 1000;
        tokens.push({ kind: 'size', text: `#${size.dim}${amount}`, value: amount, dim: size.dim, raw: `${t.raw} ${nums[i + 1]!.raw}` });
        i++;
        continue;
      }
      tokens.push({ kind: 'num', text: String(value), value, raw: t.raw });
      if (nextText !== undefined && canonUnit(nextText) in COUNT_UNITS) {
        const u = canonUnit(nextText);
        tokens.push({ kind: 'unit', text: u, value: 0, raw: nums[i + 1]!.raw, bulk: COUNT_UNITS[u] ?? false });
        i++;
      }
      continue;
    }
    const w = canonUnit(t.text);
    if (COUNT_UNITS[w] === true) { tokens.push({ kind: 'unit', text: w, value: 0, raw: t.raw, bulk: true }); continue; }
    if (w === 'x' && (nums[i - 1]?.kind === 'n' || nums[i + 1]?.kind === 'n')) { tokens.push({ kind: 'x', text: 'x', value: 0, raw: t.raw }); continue; }
    tokens.push({ kind: 'word', text: t.text, value: 0, raw: t.raw });
  }
  return { tokens, question };
}
