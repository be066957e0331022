// Checks the building, stationery and petshop corpora and the conversations file:
// every line parses, every intent is one of the fixed set, every SKU exists in the named catalog,
// quantities are positive integers and payment slots are consistent.
// Run: npx tsx test/nlu/data/check-b.ts
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const INTENTS = new Set(['greeting', 'browse_catalog', 'order', 'ask_product', 'remove_item', 'confirm', 'cancel',
  'choose_payment', 'payment_claim', 'order_status', 'share_address', 'human', 'other']);
const BANKS = new Set(['bca', 'bni', 'bri', 'mandiri', 'permata', 'cimb']);

function catalogSkus(name: string): Set<string> {
  const candidates = [join(here, name, 'catalog.json'), join(here, '..', 'catalogs', `${name}.json`)];
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new Error(`no catalog ${name}`);
  const products = JSON.parse(readFileSync(file, 'utf8')) as { sku: string; price: number; prescription?: boolean }[];
  return new Set(products.map((p) => p.sku));
}

const errors: string[] = [];
const cache = new Map<string, Set<string>>();
function skus(name: string): Set<string> {
  let s = cache.get(name);
  if (!s) { s = catalogSkus(name); cache.set(name, s); }
  return s;
}
function checkItems(where: string, catalog: string, items: unknown): void {
  if (!Array.isArray(items)) { errors.push(`${where}: items not a list`); return; }
  for (const it of items as { sku: string; quantity: number }[]) {
    if (!skus(catalog).has(it.sku)) errors.push(`${where}: unknown sku ${it.sku} in ${catalog}`);
    if (!Number.isInteger(it.quantity) || it.quantity < 1) errors.push(`${where}: bad quantity ${it.quantity}`);
  }
}

for (const trade of ['building', 'stationery', 'petshop']) {
  for (const part of ['tune', 'heldout']) {
    const file = join(here, trade, `${part}.jsonl`);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
    const seen = new Set<string>();
    lines.forEach((line, i) => {
      const where = `${trade}/${part}.jsonl:${i + 1}`;
      const ex = JSON.parse(line) as { catalog: string; text: string; intent: string; items: unknown; payment_method: string | null; bank: string | null };
      if (ex.catalog !== trade) errors.push(`${where}: catalog ${ex.catalog}`);
      if (!INTENTS.has(ex.intent)) errors.push(`${where}: intent ${ex.intent}`);
      if (typeof ex.text !== 'string' || !ex.text.trim()) errors.push(`${where}: empty text`);
      const key = ex.text.toLowerCase().trim();
      if (seen.has(key)) errors.push(`${where}: duplicate text`);
      seen.add(key);
      checkItems(where, ex.catalog, ex.items);
      if (ex.payment_method !== null && ex.payment_method !== 'qris' && ex.payment_method !== 'va') errors.push(`${where}: payment_method ${ex.payment_method}`);
      if (ex.bank !== null && (!BANKS.has(ex.bank) || ex.payment_method !== 'va')) errors.push(`${where}: bank ${ex.bank}`);
    });
    console.log(`${trade}/${part}: ${lines.length}`);
  }
}

const convFile = join(here, 'conversations', 'conversations.jsonl');
if (existsSync(convFile)) {
  const lines = readFileSync(convFile, 'utf8').split('\n').filter((l) => l.trim());
  const ids = new Set<string>();
  lines.forEach((line, i) => {
    const c = JSON.parse(line) as { id: string; catalog: string; turns: { say?: string; location?: unknown; expect: Record<string, unknown> }[] };
    const where = `conversations:${i + 1} ${c.id}`;
    if (ids.has(c.id)) errors.push(`${where}: duplicate id`);
    ids.add(c.id);
    if (c.turns.length < 3 || c.turns.length > 8) errors.push(`${where}: ${c.turns.length} customer turns`);
    for (const t of c.turns) {
      if ((t.say === undefined) === (t.location === undefined)) errors.push(`${where}: turn needs say or location`);
      const e = t.expect ?? {};
      for (const k of Object.keys(e)) {
        if (!['cart', 'reply_any', 'reply_none', 'asks', 'payment'].includes(k)) errors.push(`${where}: expect key ${k}`);
      }
      if (e.cart !== undefined) checkItems(where, c.catalog, e.cart);
      if (e.payment !== undefined && e.payment !== 'qris' && e.payment !== 'va') errors.push(`${where}: payment ${String(e.payment)}`);
    }
  });
  console.log(`conversations: ${lines.length}`);
}

if (errors.length) { console.error(errors.join('\n')); process.exit(1); }
console.log('ok');
