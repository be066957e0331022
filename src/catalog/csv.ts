// Product lists as CSV, the way merchants keep them in Excel or Google Sheets.
//
// Import is all-or-nothing: callers must import nothing when `errors` is non-empty, because a price
// list applied halfway (some prices new, some old) is worse than one not applied at all.
//
// Accepted: a header row (column names in English or Indonesian, any order), RFC 4180 quoting
// (delimiters, quotes and line breaks inside "…"), a UTF-8 BOM, and `;` or tab instead of `,`
// (Excel with Indonesian regional settings saves with `;`). Row numbers in errors are spreadsheet
// rows: the header is row 1.
import type { Product } from './types.js';

export interface CsvError {
  row: number;
  field?: string;
  message: string;
}

export const CSV_COLUMNS = ['sku', 'name', 'price', 'stock', 'unit', 'category', 'aliases', 'prescription', 'image_url', 'active', 'description', 'search_words'] as const;
type Column = (typeof CSV_COLUMNS)[number];
const REQUIRED: Column[] = ['sku', 'name', 'price', 'stock'];

/** Header spellings merchants use, compared without case, spaces, dashes or underscores. */
const HEADER_NAMES: Record<string, Column> = {
  sku: 'sku',
  kode: 'sku',
  kodebarang: 'sku',
  name: 'name',
  nama: 'name',
  namaproduk: 'name',
  namabarang: 'name',
  price: 'price',
  harga: 'price',
  stock: 'stock',
  stok: 'stock',
  unit: 'unit',
  satuan: 'unit',
  category: 'category',
  kategori: 'category',
  aliases: 'aliases',
  alias: 'aliases',
  description: 'description',
  deskripsi: 'description',
  keterangan: 'description',
  searchwords: 'search_words',
  katacari: 'search_words',
  katakunci: 'search_words',
  keywords: 'search_words',
  prescription: 'prescription',
  resep: 'prescription',
  imageurl: 'image_url',
  image: 'image_url',
  gambar: 'image_url',
  active: 'active',
  aktif: 'active',
};

const MAX_PRICE = 1_000_000_000_000;
const MAX_STOCK = 1_000_000_000;

// Spreadsheets run cells starting with these as formulas; exported text gets a leading ' so they
// stay text, and the parser takes it off again.
const FORMULA_START = /^[=+\-@]/;

interface CsvRecord {
  row: number;
  fields: string[];
}

function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && ch in counts) counts[ch]++;
  }
  return Object.entries(counts).reduce((best, cur) => (cur[1] > best[1] ? cur : best), [',', 0])[0];
}

/** RFC 4180 records; `row` counts records (blank lines included) as a spreadsheet shows them. */
function readRecords(text: string, delimiter: string): { records: CsvRecord[]; error?: CsvError } {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let atFieldStart = true;
  let row = 1;
  let quoteRow = 1;
  const endField = () => {
    fields.push(field);
    field = '';
    atFieldStart = true;
  };
  const endRecord = () => {
    endField();
    records.push({ row, fields });
    fields = [];
    row++;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && atFieldStart) {
      inQuotes = true;
      quoteRow = row;
      atFieldStart = false;
    } else if (ch === delimiter) endField();
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += ch;
      // Spaces before an opening quote (`a, "b"`) do not make the quote literal.
      if (ch !== ' ' || field.trim() !== '') atFieldStart = false;
      else field = '';
    }
  }
  if (inQuotes) return { records, error: { row: quoteRow, message: 'a quoted value is never closed (missing ")' } };
  if (field !== '' || fields.length > 0) endRecord();
  return { records };
}

function cell(raw: string | undefined): string {
  const v = (raw ?? '').trim();
  return v.startsWith("'") && FORMULA_START.test(v.slice(1)) ? v.slice(1) : v;
}

/** "12500", "12.500", "Rp 12.500", "Rp12.500,-", "12.500,00" → 12500. */
export function parseRupiahText(raw: string): number | string {
  let s = raw.trim().replace(/\s+/g, '');
  if (s === '') return 'price is required';
  s = s.replace(/^(rp\.?|idr)/i, '');
  if (s.startsWith('-')) return 'price cannot be negative';
  // "12.500,-" and a zero fraction ("12.500,00", "12500.00"); two digits at most, so a thousands
  // group such as ".000" is never taken for one.
  s = s.replace(/,-$/, '').replace(/[.,]0{1,2}$/, '');
  let n: number;
  if (/^\d+$/.test(s)) n = Number(s);
  else if (/^\d{1,3}(\.\d{3})+$/.test(s)) n = Number(s.replace(/\./g, ''));
  else if (/^\d{1,3}(,\d{3})+$/.test(s)) return `price "${raw.trim()}" is ambiguous: write ${s.replace(/,/g, '')} or ${s.replace(/,/g, '.')}`;
  else if (/^\d+([.,]\d+)?$/.test(s)) return `price "${raw.trim()}" has fractions of a rupiah; prices are whole rupiah`;
  else return `price "${raw.trim()}" is not an amount (write e.g. 12500 or Rp 12.500)`;
  if (n > MAX_PRICE) return `price "${raw.trim()}" is too large`;
  return n;
}

function parseStock(raw: string): number | string {
  const s = raw.trim();
  if (s === '') return 'stock is required (0 when sold out)';
  if (/^-\s*\d/.test(s)) return 'stock cannot be negative';
  let n: number;
  if (/^\d+$/.test(s)) n = Number(s);
  else if (/^\d{1,3}(\.\d{3})+$/.test(s)) n = Number(s.replace(/\./g, ''));
  else return `stock "${s}" is not a whole number`;
  if (n > MAX_STOCK) return `stock "${s}" is too large`;
  return n;
}

const TRUE_WORDS = new Set(['true', 'ya', 'y', 'yes', '1', 'benar']);
const FALSE_WORDS = new Set(['false', 'tidak', 'tdk', 'no', 'n', '0', 'salah']);

function parseFlag(raw: string, fallback: boolean, column: string): boolean | string {
  const s = raw.trim().toLowerCase();
  if (s === '') return fallback;
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  return `${column} must be true/false, ya/tidak or 1/0, got "${raw.trim()}"`;
}

export function parseProductsCsv(text: string): { products: Product[]; errors: CsvError[] } {
  const errors: CsvError[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { products: [], errors: [{ row: 1, message: 'the file is empty' }] };

  const { records, error } = readRecords(body, detectDelimiter(body));
  if (error) errors.push(error);
  const [header, ...rows] = records;
  if (!header) return { products: [], errors };

  const columns: (Column | undefined)[] = [];
  header.fields.forEach((name, i) => {
    const key = name.trim().toLowerCase().replace(/[\s_\-]+/g, '');
    const column = HEADER_NAMES[key];
    if (key === '' && header.fields.slice(i).every((f) => f.trim() === '')) return; // trailing delimiters
    if (!column) errors.push({ row: header.row, field: name.trim(), message: `unknown column "${name.trim()}" (expected: ${CSV_COLUMNS.join(', ')})` });
    else if (columns.includes(column)) errors.push({ row: header.row, field: column, message: `column ${column} appears twice` });
    columns[i] = column;
  });
  for (const c of REQUIRED) {
    if (!columns.includes(c)) errors.push({ row: header.row, field: c, message: `required column ${c} is missing` });
  }
  if (errors.length) return { products: [], errors };

  const products: Product[] = [];
  const firstRowOfSku = new Map<string, number>();
  for (const rec of rows) {
    if (rec.fields.every((f) => f.trim() === '')) continue;
    // Usually an unquoted comma in a name, which shifts every later value one column right.
    if (rec.fields.length > header.fields.length) {
      errors.push({ row: rec.row, message: `row has more values than the header has columns; put values containing "," or ";" in double quotes` });
      continue;
    }
    const get = (c: Column) => {
      const i = columns.indexOf(c);
      return i < 0 ? '' : cell(rec.fields[i]);
    };
    const fail = (field: Column, message: string) => errors.push({ row: rec.row, field, message });
    const before = errors.length;

    const sku = get('sku');
    if (!sku) fail('sku', 'sku is required');
    else if (sku.length > 100) fail('sku', 'sku is longer than 100 characters');
    else if (firstRowOfSku.has(sku)) fail('sku', `duplicate sku ${sku} (first on row ${firstRowOfSku.get(sku)})`);
    else firstRowOfSku.set(sku, rec.row);

    const name = get('name');
    if (!name) fail('name', 'name is required');
    else if (name.length > 300) fail('name', 'name is longer than 300 characters');

    const price = parseRupiahText(get('price'));
    if (typeof price === 'string') fail('price', price);
    const stock = parseStock(get('stock'));
    if (typeof stock === 'string') fail('stock', stock);
    const prescription = parseFlag(get('prescription'), false, 'prescription');
    if (typeof prescription === 'string') fail('prescription', prescription);
    const active = parseFlag(get('active'), true, 'active');
    if (typeof active === 'string') fail('active', active);
    const imageUrl = get('image_url');
    if (imageUrl && !/^https?:\/\/\S+$/i.test(imageUrl)) fail('image_url', `image_url must be an http(s) address, got "${imageUrl}"`);

    if (errors.length > before) continue;
    products.push({
      sku,
      name,
      price: price as number,
      stock: stock as number,
      unit: get('unit') || null,
      category: get('category') || null,
      aliases: get('aliases')
        .split('|')
        .map((a) => a.trim())
        .filter(Boolean),
      prescription: prescription as boolean,
      image_url: imageUrl || null,
      active: active as boolean,
      description: get('description') || null,
      search_words: get('search_words')
        .split('|')
        .map((a) => a.trim())
        .filter(Boolean),
    });
  }
  if (products.length === 0 && errors.length === 0) errors.push({ row: 2, message: 'no products: the file has a header row but no product rows' });
  return { products, errors };
}

function csvField(value: string, delimiter: string, text: boolean): string {
  const v = text && FORMULA_START.test(value) ? `'${value}` : value;
  const needsQuotes = v.includes(delimiter) || /["\r\n]/.test(v) || v !== v.trim();
  return needsQuotes ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The catalog as CSV that parseProductsCsv reads back unchanged. Use `delimiter: ';'` (and `bom`)
 * for a file that opens in columns in Excel with Indonesian settings. Aliases are joined with `|`,
 * so an alias containing `|` does not survive the trip.
 */
export function productsToCsv(products: Product[], opts: { delimiter?: ',' | ';'; bom?: boolean } = {}): string {
  const d = opts.delimiter ?? ',';
  const lines = [CSV_COLUMNS.join(d)];
  for (const p of products) {
    lines.push(
      [
        csvField(p.sku, d, true),
        csvField(p.name, d, true),
        String(p.price),
        String(p.stock),
        csvField(p.unit ?? '', d, true),
        csvField(p.category ?? '', d, true),
        csvField((p.aliases ?? []).join('|'), d, true),
        String(p.prescription ?? false),
        csvField(p.image_url ?? '', d, false),
        String(p.active ?? true),
        csvField(p.description ?? '', d, true),
        csvField((p.search_words ?? []).join('|'), d, true),
      ].join(d),
    );
  }
  return (opts.bom ? '\ufeff' : '') + lines.join('\r\n') + '\r\n';
}
