// Scores the offline NLU on the labelled sets. Held-out failures are never printed: that part is only
// looked at in aggregate, so it stays an honest estimate. `--failures` lists tuning-set mistakes.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalogIndex, type CatalogIndex } from '../../src/nlu/index.js';
import { parseDetailed } from '../../src/nlu/parse.js';
import type { CatalogProduct } from '../../src/nlu/types.js';

interface Example {
  catalog: string;
  text: string;
  intent: string;
  items: { sku: string; quantity: number }[];
  payment_method: string | null;
  bank: string | null;
}

const here = dirname(fileURLToPath(import.meta.url));
const showFailures = process.argv.includes('--failures');

const indexes = new Map<string, CatalogIndex>();
function indexFor(name: string): CatalogIndex {
  let idx = indexes.get(name);
  if (!idx) {
    const products = JSON.parse(readFileSync(join(here, 'catalogs', `${name}.json`), 'utf8')) as CatalogProduct[];
    idx = buildCatalogIndex(products);
    indexes.set(name, idx);
  }
  return idx;
}

function itemKey(items: { sku: string; quantity: number }[]): string {
  return items.map((i) => `${i.sku}*${i.quantity}`).sort().join(' ');
}

function pct(n: number, d: number): string { return d === 0 ? '  n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`; }

function evaluate(part: string): { intent: number; items: number; payment: number } {
  const lines = readFileSync(join(here, 'data', `${part}.jsonl`), 'utf8').split('\n').filter((l) => l.trim());
  const examples = lines.map((l) => JSON.parse(l) as Example);
  const perIntent = new Map<string, { n: number; ok: number }>();
  let intentOk = 0, itemsOk = 0, itemsWithGold = 0, itemsWithGoldOk = 0, payOk = 0, payGold = 0, payGoldOk = 0;
  const failures: string[] = [];
  for (const ex of examples) {
    const { result, ordered } = parseDetailed(ex.text, indexFor(ex.catalog));
    const s = perIntent.get(ex.intent) ?? { n: 0, ok: 0 };
    s.n++;
    const iOk = result.intent === ex.intent;
    if (iOk) { s.ok++; intentOk++; }
    perIntent.set(ex.intent, s);
    const itOk = itemKey(ordered) === itemKey(ex.items);
    if (itOk) itemsOk++;
    if (ex.items.length > 0) { itemsWithGold++; if (itOk) itemsWithGoldOk++; }
    const pOk = result.payment_method === ex.payment_method && result.bank === ex.bank;
    if (pOk) payOk++;
    if (ex.payment_method !== null || ex.bank !== null) { payGold++; if (pOk) payGoldOk++; }
    if (!(iOk && itOk && pOk)) {
      failures.push(`  [${ex.catalog}] ${JSON.stringify(ex.text)}\n     want ${ex.intent} {${itemKey(ex.items)}} ${ex.payment_method}/${ex.bank}\n     got  ${result.intent} {${itemKey(ordered)}} ${result.payment_method}/${result.bank}`);
    }
  }
  const n = examples.length;
  console.log(`\n== ${part} (${n} messages) ==`);
  console.log('intent accuracy per intent:');
  for (const [intent, s] of [...perIntent].sort((a, b) => a[0].localeCompare(b[0]))) {
    console.log(`  ${intent.padEnd(15)} ${pct(s.ok, s.n)}  (${s.ok}/${s.n})`);
  }
  console.log(`intent accuracy            ${pct(intentOk, n)}  (${intentOk}/${n})`);
  console.log(`item accuracy (exact set)  ${pct(itemsOk, n)}  (${itemsOk}/${n}); messages naming products: ${pct(itemsWithGoldOk, itemsWithGold)} (${itemsWithGoldOk}/${itemsWithGold})`);
  console.log(`payment slots (method+bank) ${pct(payOk, n)} (${payOk}/${n}); messages naming a payment: ${pct(payGoldOk, payGold)} (${payGoldOk}/${payGold})`);
  if (showFailures && part !== 'heldout' && failures.length > 0) console.log(`failures:\n${failures.join('\n')}`);
  return { intent: intentOk / n, items: itemsOk / n, payment: payOk / n };
}

evaluate('tune');
evaluate('heldout');
