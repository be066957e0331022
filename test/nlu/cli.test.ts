import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { answerLine } from '../../src/nlu/cli.js';
import { buildCatalogIndex, type CatalogProduct } from '../../src/nlu/index.js';

const catalogFile = fileURLToPath(new URL('./catalogs/minimarket.json', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const index = buildCatalogIndex(JSON.parse(readFileSync(catalogFile, 'utf8')) as CatalogProduct[]);

describe('CLI contract', () => {
  it('answers one line with exactly intent, items, payment_method and bank', () => {
    const a = answerLine('{"text":"beliin indomie goreng sedus, transfer bca aja"}', index);
    assert.deepEqual(Object.keys(a), ['intent', 'items', 'payment_method', 'bank']);
    assert.deepEqual(a, { intent: 'order', items: [{ sku: 'IDM-GRG-DUS', quantity: 1 }], payment_method: 'va', bank: 'bca' });
  });

  it('keeps the customer order of items', () => {
    const a = answerLine('{"text":"sprite 1, aqua 600ml 2, chitato 3"}', index);
    assert.deepEqual(a.items.map((i) => i.sku), ['SPR-390', 'AQ-600', 'CHT-68']);
  });

  it('streams stdin to stdout, one JSON line per input line, in order', async () => {
    const input = [
      { text: 'halo kak' },
      { text: 'aqua 2 sama indomie goreng 3' },
      { text: 'udah tf ya kak' },
      { text: 'scan qr aja' },
    ];
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/nlu/cli-main.ts', '--catalog', catalogFile], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.stdin.end(`${input.map((i) => JSON.stringify(i)).join('\n')}\n`);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { intent: string; items: unknown[]; payment_method: unknown; bank: unknown });
    assert.equal(lines.length, input.length);
    assert.deepEqual(lines.map((l) => l.intent), ['greeting', 'order', 'payment_claim', 'choose_payment']);
    assert.deepEqual(lines[1]!.items, [{ sku: 'AQ-600', quantity: 2 }, { sku: 'IDM-GRG', quantity: 3 }]);
    assert.deepEqual([lines[3]!.payment_method, lines[3]!.bank], ['qris', null]);
  });
});
