import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { buildCatalogIndex, type CatalogIndex } from './catalog-index.js';
import { parseDetailed } from './parse.js';
import type { CatalogProduct } from './types.js';

const productSchema = z.object({
  sku: z.string().min(1),
  name: z.string().min(1),
  price: z.number().optional().default(0),
  stock: z.number().optional(),
  unit: z.string().nullable().optional(),
  category: z.string().nullable().optional(),
  aliases: z.array(z.string()).optional(),
  prescription: z.boolean().optional(),
  image_url: z.string().nullable().optional(),
  active: z.boolean().optional(),
});

export async function loadCatalog(file: string): Promise<CatalogProduct[]> {
  const data: unknown = JSON.parse(await readFile(file, 'utf8'));
  const list = Array.isArray(data) ? data : (data as { products?: unknown }).products;
  return z.array(productSchema).parse(list);
}

export interface CliAnswer {
  intent: string;
  items: { sku: string; quantity: number }[];
  payment_method: string | null;
  bank: string | null;
}

/** One input line → one answer; a line that is not JSON is taken as the message text itself. */
export function answerLine(line: string, index: CatalogIndex): CliAnswer {
  let text = line;
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed !== null && typeof parsed === 'object' && 'text' in parsed) {
      const t = (parsed as { text: unknown }).text;
      text = typeof t === 'string' ? t : '';
    } else if (typeof parsed === 'string') text = parsed;
  } catch {
    // not JSON: keep the raw line
  }
  const { result, ordered } = parseDetailed(text, index);
  return { intent: result.intent, items: ordered, payment_method: result.payment_method, bank: result.bank };
}

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

/** `nlu --catalog FILE`: JSON lines {"text"} on stdin → one JSON answer per line on stdout, same order. */
export async function runNluCli(argv: string[]): Promise<void> {
  const file = argValue(argv, '--catalog');
  if (!file) {
    process.stderr.write('usage: nlu --catalog FILE < messages.jsonl\n');
    process.exitCode = 2;
    return;
  }
  const index = buildCatalogIndex(await loadCatalog(file));
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let buffer = '';
  for await (const line of rl) {
    if (line.trim() === '') continue;
    buffer += `${JSON.stringify(answerLine(line, index))}\n`;
    if (buffer.length > 64 * 1024) {
      await write(buffer);
      buffer = '';
    }
  }
  if (buffer) await write(buffer);
}

function write(chunk: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(chunk, (err) => (err ? reject(err) : resolve())));
}
