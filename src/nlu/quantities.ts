// Gives each number of a message to the mention it most plausibly counts.
import type { CatalogIndex } from './catalog-index.js';
import { DOCUMENT_WORDS, GENERIC_UNITS, STOPWORDS } from './lexicon.js';
import type { Token } from './text.js';
import { canonUnitWord, type Span } from './evidence.js';

const NOT_A_COUNT_BEFORE = new Set(['jam', 'pukul', 'jm', 'tgl', 'tanggal', 'tahun', 'thn', 'umur', 'usia', 'rt', 'rw', 'nomor', 'nomer', 'blok', 'lantai', 'kamar', 'menit', 'km', 'kilometer', 'gang', 'gg', 'kavling', 'kav', 'at', 'by', 'demam', 'suhu', 'suhunya', 'panasnya']);
const DURATION_AFTER = new Set(['hari', 'minggu', 'bulan', 'tahun', 'thn', 'th', 'jam', 'menit', 'detik', 'days', 'day', 'weeks', 'week', 'months', 'month', 'years', 'year', 'hours', 'hour', 'minutes', 'tahunan', 'bulanan', 'pagi', 'siang', 'sore', 'malam', 'malem']);

/** Give each number to the mention it most plausibly counts. */
/** Words that say the customer takes what was named: "ambil 3", "jadi 2", "take 2". */
const TAKE_WORDS = new Set(['ambil', 'take', 'jadi', 'pesen', 'beli']);

export function attachQuantities(tokens: Token[], spans: Span[], clauseOf: number[], nameNums: Set<number>, index: CatalogIndex): void {
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
    // ("skripsi 120 halaman print bw": the sheets of the document are the job's that follows)
    else if (unit && right && right.start === i + 2 && (!(left && left.end === i - 1) || (canonUnitWord(unit.text) === 'lembar'
      && left.toks.every((q) => DOCUMENT_WORDS.has(tokens[q.i]?.text ?? ''))))) prefer = 'right';
    else if (tokens[i + 1]?.kind === 'word' && tokens[i + 1]!.text === 'of') prefer = 'right';
    // "…whiskas 1,2 kg, 2 ya": a count alone in its clause belongs to the item just named
    if (!left && !right) {
      let k = i - 1;
      while (k >= 0 && tokens[k]!.kind !== 'num' && !spans.some((sp) => sp.end === k)) k--;
      const prevSpan = spans.find((sp) => sp.end === k && clauseOf[k] === c - 1);
      // ("triplek 9mm 125rb ya? ambil 3": taking it is said between)
      const onlyFillers = tokens.slice(k + 1, i).every((x) => x.kind === 'sep' || (x.kind === 'word' && (STOPWORDS.has(x.text) || TAKE_WORDS.has(x.text))));
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
      // "fc ktp sm kk masing2 3 lembar": one job done on several documents, so many sheets of each
      const job = before.length === 1 ? before[0]! : null;
      const documents = job ? tokens.slice(job.start, q.i).filter((x) => x.kind === 'word' && DOCUMENT_WORDS.has(x.text)).length : 0;
      if (job && documents >= 2 && Number.isInteger(q.value) && q.value >= 1) {
        job.qty = q.value * documents;
        if (q.unit) job.unit = q.unit.text;
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
