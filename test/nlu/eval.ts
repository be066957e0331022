// Scores the offline NLU on the labelled corpus, one table row per trade and split.
//
// Corpus layout: test/nlu/data/<trade>/{tune,dev,heldout}.jsonl, one labelled message per line:
//   {"catalog"?, "text", "intent", "items":[{"sku","quantity"}], "payment_method", "bank"}
// A line's catalog is test/nlu/catalogs/<catalog>.json, else test/nlu/data/<trade>/<catalog>.json, else
// (and for a line without a catalog field) test/nlu/data/<trade>/catalog.json.
//
// Held-out failures are never printed: that part is only looked at in aggregate, so it stays an
// honest estimate. `--failures` lists tuning- and dev-set mistakes.
//
// Usage: npm run nlu:eval -- [--trade X] [--split tune|dev|heldout] [--by-catalog] [--intents] [--failures] [--json]
// --by-catalog gives each catalog of a trade its own row, so a shop the rules were never written
// against is scored on its own.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalogIndex, type CatalogIndex, type CatalogProduct } from '../../src/nlu/index.js';
import { parseDetailed } from '../../src/nlu/parse.js';
import { CONFIRM_BELOW } from '../../src/nlu/types.js';

export interface Example {
  catalog?: string;
  text: string;
  intent: string;
  items: { sku: string; quantity: number }[];
  payment_method: string | null;
  bank: string | null;
}

/** tune: written beside the rules; dev: written blind to the parser, its failures are read to find classes of
 * mistakes; heldout: written blind, never read, only scored. */
export const SPLITS = ['tune', 'dev', 'heldout'] as const;
export type Split = (typeof SPLITS)[number];

const here = dirname(fileURLToPath(import.meta.url));
export const DATA_DIR = join(here, 'data');
export const CATALOG_DIR = join(here, 'catalogs');
/** Folders under data/ that are not per-trade message sets. */
const NOT_TRADES = new Set(['conversations']);

/** Trades are the folders of data/ that hold at least one split file. */
export function listTrades(): string[] {
  return readdirSync(DATA_DIR)
    .filter((name) => !NOT_TRADES.has(name) && statSync(join(DATA_DIR, name)).isDirectory())
    .filter((name) => SPLITS.some((s) => existsSync(join(DATA_DIR, name, `${s}.jsonl`))))
    .sort();
}

export function catalogPath(trade: string, catalog: string | undefined): string {
  if (catalog !== undefined) {
    for (const p of [join(CATALOG_DIR, `${catalog}.json`), join(DATA_DIR, trade, `${catalog}.json`)]) {
      if (existsSync(p)) return p;
    }
  }
  return join(DATA_DIR, trade, 'catalog.json');
}

const products = new Map<string, CatalogProduct[]>();
export function loadCatalog(path: string): CatalogProduct[] {
  let p = products.get(path);
  if (!p) {
    p = JSON.parse(readFileSync(path, 'utf8')) as CatalogProduct[];
    products.set(path, p);
  }
  return p;
}

/** Lines of one split file with their 1-based line numbers; [] when the file does not exist. */
export function loadSplit(trade: string, split: Split): { line: number; example: Example }[] {
  const file = join(DATA_DIR, trade, `${split}.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((l) => l.text.trim())
    .map((l) => ({ line: l.line, example: JSON.parse(l.text) as Example }));
}

/** The catalog a line is scored against, as --by-catalog names it. */
export function catalogName(ex: Example): string {
  return ex.catalog ?? 'catalog';
}

function itemKey(items: { sku: string; quantity: number }[]): string {
  return items.map((i) => `${i.sku}*${i.quantity}`).sort().join(' ');
}

export interface Score {
  trade: string;
  /** set when the row covers one catalog of the trade only (--by-catalog) */
  catalog?: string;
  split: Split | 'all';
  messages: number;
  intent_ok: number;
  items_ok: number;
  /** messages whose gold names at least one product, and how many of them got the exact set */
  with_items: number;
  with_items_ok: number;
  payment_ok: number;
  /** messages whose gold names a payment method or bank, and how many of them got both right */
  with_payment: number;
  with_payment_ok: number;
  /** messages where the parser's order put in the cart a SKU the gold order does not have */
  wrong_item: number;
  /** messages whose gold intent is order */
  orders: number;
  /** per gold intent: messages and how many got that intent */
  by_intent: Record<string, { n: number; ok: number }>;
}

function emptyScore(trade: string, split: Split | 'all'): Score {
  return { trade, split, messages: 0, intent_ok: 0, items_ok: 0, with_items: 0, with_items_ok: 0, payment_ok: 0, with_payment: 0, with_payment_ok: 0, wrong_item: 0, orders: 0, by_intent: {} };
}

function add(into: Score, s: Score): void {
  for (const k of Object.keys(s) as (keyof Score)[]) {
    if (typeof s[k] === 'number') (into[k] as number) += s[k] as number;
  }
  for (const [intent, c] of Object.entries(s.by_intent)) {
    const t = (into.by_intent[intent] ??= { n: 0, ok: 0 });
    t.n += c.n;
    t.ok += c.ok;
  }
}

const indexes = new Map<string, CatalogIndex>();
function indexFor(path: string): CatalogIndex {
  let idx = indexes.get(path);
  if (!idx) {
    idx = buildCatalogIndex(loadCatalog(path));
    indexes.set(path, idx);
  }
  return idx;
}

/**
 * Scores one split of one trade. What goes in the cart without asking is what an `order` reading names
 * with confidence (score at least CONFIRM_BELOW, not ambiguous): the dialogue confirms anything less with
 * buttons first. Any other intent (a question, a removal) adds nothing. A wrong item is a SKU that would
 * go in the cart without asking although the gold cart does not have it: a product the customer did not
 * ask for.
 */
export function scoreSplit(trade: string, split: Split, failures?: string[], catalog?: string): Score {
  const s = emptyScore(trade, split);
  if (catalog !== undefined) s.catalog = catalog;
  for (const { line, example: ex } of loadSplit(trade, split)) {
    if (catalog !== undefined && catalogName(ex) !== catalog) continue;
    const { result, ordered } = parseDetailed(ex.text, indexFor(catalogPath(trade, ex.catalog)));
    s.messages++;
    const iOk = result.intent === ex.intent;
    if (iOk) s.intent_ok++;
    const bi = (s.by_intent[ex.intent] ??= { n: 0, ok: 0 });
    bi.n++;
    if (iOk) bi.ok++;
    const itOk = itemKey(ordered) === itemKey(ex.items);
    if (itOk) s.items_ok++;
    if (ex.items.length > 0) { s.with_items++; if (itOk) s.with_items_ok++; }
    const pOk = result.payment_method === ex.payment_method && result.bank === ex.bank;
    if (pOk) s.payment_ok++;
    if (ex.payment_method !== null || ex.bank !== null) { s.with_payment++; if (pOk) s.with_payment_ok++; }
    if (ex.intent === 'order') s.orders++;
    const goldCart = new Set(ex.intent === 'order' ? ex.items.map((i) => i.sku) : []);
    // the dialogue adds only confident readings; ambiguous or low-confidence ones are asked with buttons first
    const cart = result.intent === 'order' ? result.items.filter((i) => i.score >= CONFIRM_BELOW).map((i) => i.sku) : [];
    const wrong = cart.filter((sku) => !goldCart.has(sku));
    if (wrong.length > 0) s.wrong_item++;
    if (failures && !(iOk && itOk && pOk)) {
      failures.push(
        `  [${trade}/${split}:${line} ${ex.catalog ?? 'catalog'}] ${JSON.stringify(ex.text)}\n` +
          `     want ${ex.intent} {${itemKey(ex.items)}} ${ex.payment_method}/${ex.bank}\n` +
          `     got  ${result.intent} {${itemKey(ordered)}} ${result.payment_method}/${result.bank}` +
          (wrong.length > 0 ? `   WRONG ITEM ${wrong.join(' ')}` : ''),
      );
    }
  }
  return s;
}

function pct(n: number, d: number): string {
  return d === 0 ? '   n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`;
}

function rates(s: Score) {
  const r = (n: number, d: number) => (d === 0 ? null : Math.round((10000 * n) / d) / 10000);
  return {
    intent: r(s.intent_ok, s.messages),
    items: r(s.items_ok, s.messages),
    items_when_named: r(s.with_items_ok, s.with_items),
    payment: r(s.payment_ok, s.messages),
    payment_when_named: r(s.with_payment_ok, s.with_payment),
    wrong_item: r(s.wrong_item, s.messages),
  };
}

function row(s: Score, width = 12): string {
  return [
    (s.catalog === undefined ? s.trade : `${s.trade}:${s.catalog}`).padEnd(width),
    s.split.padEnd(8),
    String(s.messages).padStart(5),
    pct(s.intent_ok, s.messages),
    pct(s.items_ok, s.messages),
    pct(s.with_items_ok, s.with_items).padStart(8),
    pct(s.payment_ok, s.messages),
    pct(s.with_payment_ok, s.with_payment).padStart(8),
    pct(s.wrong_item, s.messages).padStart(7),
    String(s.wrong_item).padStart(5),
  ].join(' ');
}

function main(argv: string[]): void {
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`${name}=`));
    return eq?.slice(name.length + 1);
  };
  const showFailures = argv.includes('--failures');
  const asJson = argv.includes('--json');
  const showIntents = argv.includes('--intents');
  const byCatalog = argv.includes('--by-catalog');
  const tradeFilter = opt('--trade');
  const splitFilter = opt('--split');
  if (splitFilter !== undefined && !(SPLITS as readonly string[]).includes(splitFilter)) {
    console.error(`--split must be one of ${SPLITS.join(', ')}`);
    process.exit(2);
  }
  const all = listTrades();
  const trades = tradeFilter === undefined ? all : all.filter((t) => t === tradeFilter);
  if (trades.length === 0) {
    console.error(`no trade ${JSON.stringify(tradeFilter)}; trades: ${all.join(', ')}`);
    process.exit(2);
  }
  const splits = SPLITS.filter((s) => splitFilter === undefined || s === splitFilter);

  const rows: Score[] = [];
  const overall = new Map<string, Score>(splits.map((s) => [s, emptyScore('overall', s)]));
  const overallAll = emptyScore('overall', 'all');
  const failures: string[] = [];
  for (const trade of trades) {
    for (const split of splits) {
      // Held-out mistakes are never collected, so they cannot be printed.
      const catalogs = byCatalog ? [...new Set(loadSplit(trade, split).map((l) => catalogName(l.example)))].sort() : [undefined];
      for (const catalog of catalogs) {
        let s: Score;
        try {
          s = scoreSplit(trade, split, showFailures && split !== 'heldout' ? failures : undefined, catalog);
        } catch (e) {
          console.error(`${trade}/${split}: not scored (${(e as Error).message})`);
          continue;
        }
        if (s.messages === 0) continue;
        rows.push(s);
        add(overall.get(split)!, s);
        add(overallAll, s);
      }
    }
  }
  const totals = [...overall.values()].filter((s) => s.messages > 0);
  if (totals.length > 1) totals.push(overallAll);

  const width = Math.max(12, ...rows.map((s) => (s.catalog === undefined ? s.trade.length : s.trade.length + 1 + s.catalog.length)));
  if (asJson) {
    const out = [...rows, ...totals].map((s) => ({ ...s, rates: rates(s) }));
    console.log(JSON.stringify({ rows: out }, null, 2));
  } else {
    console.log(
      `${'trade'.padEnd(width)} ${'split'.padEnd(8)} ${'msgs'.padStart(5)} ${'intent'.padStart(6)} ${'items'.padStart(6)} ${'named'.padStart(8)} ${'payment'.padStart(6)} ${'named'.padStart(8)} ${'wrong'.padStart(7)} ${'n'.padStart(5)}`,
    );
    for (const s of rows) console.log(row(s, width));
    console.log('-'.repeat(72 + width));
    for (const s of totals) console.log(row(s, width));
    if (showIntents) {
      console.log('\nintent accuracy per gold intent:');
      for (const s of [...rows, ...totals]) {
        const parts = Object.entries(s.by_intent)
          .sort((a, b) => a[0].localeCompare(b[0]))
          .map(([intent, c]) => `${intent} ${pct(c.ok, c.n).trim()} (${c.ok}/${c.n})`);
        console.log(`${(s.catalog === undefined ? s.trade : `${s.trade}:${s.catalog}`).padEnd(width)} ${s.split.padEnd(8)} ${parts.join(', ')}`);
      }
    }
    console.log(
      '\nintent: intent right; items: exact set of SKUs and quantities; named: same, only over messages whose gold names\n' +
        'products (items) or a payment (payment); payment: method and bank both right; wrong: messages where the reading\n' +
        'would put in the cart, without asking, a SKU the gold order does not have (ambiguous and low-confidence readings\n' +
        'are asked with buttons first, so they do not count; n = how many).',
    );
  }
  if (showFailures && splits.includes('heldout')) {
    (asJson ? console.error : console.log)('\n(held-out failures are never printed; --failures lists tuning-set mistakes)');
  }
  if (showFailures && failures.length > 0) {
    (asJson ? console.error : console.log)(`\ntune failures (${failures.length}):\n${failures.join('\n')}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
