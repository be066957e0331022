// NLU latency on a generated 1,000-product catalog: index build time and parseMessage p50/p99.
import { pathToFileURL } from 'node:url';
import { buildCatalogIndex, parseMessage, type CatalogProduct } from '../src/nlu/index.js';

const BRANDS = ['Indomie', 'Sedaap', 'Aqua', 'Cleo', 'Sosro', 'Ultra', 'Bango', 'ABC', 'Kapal', 'Lifebuoy', 'Rinso', 'Sunlight', 'Panadol',
  'Bodrex', 'Promag', 'Tolak', 'Antangin', 'Sanmol', 'Tempra', 'Betadine', 'Hansaplast', 'Pepsodent', 'Sunsilk', 'Chitato', 'Pocari'];
const TYPES = ['Goreng', 'Soto', 'Kari', 'Mineral', 'Teh', 'Susu', 'Kecap', 'Saus', 'Kopi', 'Sabun', 'Deterjen', 'Tablet', 'Sirup',
  'Plester', 'Pasta Gigi', 'Shampo', 'Keripik', 'Minuman', 'Biskuit', 'Roti'];
const VARIANTS = ['Original', 'Pedas', 'Coklat', 'Stroberi', 'Jeruk', 'Extra', 'Anak', 'Lite', 'Spesial', 'Premium'];
const SIZES = ['250ml', '600ml', '1 liter', '500mg', '100g', '1 kg', '5 kg', '60ml'];

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCatalog(n = 1000, seed = 7): CatalogProduct[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const products: CatalogProduct[] = [];
  const seen = new Set<string>();
  while (products.length < n) {
    const name = `${pick(BRANDS)} ${pick(TYPES)} ${pick(VARIANTS)} ${pick(SIZES)}${rnd() < 0.1 ? ' 1 dus (24 pcs)' : ''}`;
    if (seen.has(name)) continue;
    seen.add(name);
    products.push({ sku: `SKU-${products.length + 1}`, name, price: 1000 + Math.floor(rnd() * 100) * 500, stock: 50, unit: name.includes('dus') ? 'dus' : 'pcs', category: null });
  }
  return products;
}

function typo(word: string, rnd: () => number): string {
  if (word.length < 5 || rnd() < 0.6) return word;
  const i = 1 + Math.floor(rnd() * (word.length - 2));
  return word.slice(0, i) + word.slice(i + 1);
}

export function generateMessages(products: CatalogProduct[], n = 2000, seed = 11): string[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const fixed = ['halo kak', 'katalog dong', 'udah tf ya kak', 'transfer bca aja', 'pesanan saya gimana', 'ya betul', 'batal aja',
    'Jl. Melati no 5 RT 02, Kebayoran', 'mau ngomong sama admin', 'where is my order'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.25) { out.push(pick(fixed)); continue; }
    const count = 1 + Math.floor(rnd() * 3);
    const parts: string[] = [];
    for (let k = 0; k < count; k++) {
      const words = pick(products).name.replace(/\(.*\)/, '').split(' ').slice(0, 2 + Math.floor(rnd() * 2)).map((w) => typo(w.toLowerCase(), rnd));
      parts.push(rnd() < 0.5 ? `${words.join(' ')} ${1 + Math.floor(rnd() * 5)}` : `${pick(['dua', 'tiga', '2x', 'sedus'])} ${words.join(' ')}`);
    }
    out.push(`${pick(['kak mau pesen ', 'beliin ', '', 'order ', 'harga '])}${parts.join(pick([', ', ' sama ', ' + ', '\n']))}${pick(['', ' ya', ' kak', '?'])}`);
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function benchNlu(): Promise<void> {
  const products = generateCatalog(1000);
  const t0 = process.hrtime.bigint();
  const index = buildCatalogIndex(products);
  const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const messages = generateMessages(products, 3000);
  for (const m of messages.slice(0, 300)) parseMessage(m, index); // warm the JIT, not the caches: fresh messages follow
  const times: number[] = [];
  // CPU time as well as wall time: on a shared machine the wall clock also counts time spent preempted
  const cpu: number[] = [];
  for (const m of generateMessages(products, 3000, 99)) {
    const c = process.cpuUsage();
    const s = process.hrtime.bigint();
    parseMessage(m, index);
    times.push(Number(process.hrtime.bigint() - s) / 1e6);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  // the fuzzy lookup memoises words; a fresh index shows the cost before any word has been seen
  const cold = buildCatalogIndex(products);
  const coldTimes: number[] = [];
  for (const m of generateMessages(products, 500, 1234)) {
    const s = process.hrtime.bigint();
    parseMessage(m, cold);
    coldTimes.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  coldTimes.sort((a, b) => a - b);
  console.log(`nlu: catalog ${products.length} products, index build ${buildMs.toFixed(1)} ms`);
  console.log(`nlu: parseMessage cold cache over ${coldTimes.length} messages: p50 ${percentile(coldTimes, 50).toFixed(3)} ms, p99 ${percentile(coldTimes, 99).toFixed(3)} ms`);
  console.log(`nlu: parseMessage over ${times.length} messages: p50 ${percentile(times, 50).toFixed(3)} ms, p99 ${percentile(times, 99).toFixed(3)} ms, max ${times[times.length - 1]!.toFixed(3)} ms (wall)`);
  console.log(`nlu: parseMessage CPU time: p50 ${percentile(cpu, 50).toFixed(3)} ms, p99 ${percentile(cpu, 99).toFixed(3)} ms`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchNlu();
