import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildCatalogIndex, parseMessage, parseWithLlm, shouldAskLlm, type CatalogProduct } from '../../src/nlu/index.js';

const index = buildCatalogIndex(JSON.parse(readFileSync(new URL('./catalogs/minimarket.json', import.meta.url), 'utf8')) as CatalogProduct[]);

/** What the stand-in model answers next, and what it was last asked. */
let reply: (req: unknown, res: ServerResponse) => void = () => {};
let lastRequest: { body: Record<string, unknown>; auth: string | undefined } | null = null;
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let raw = '';
  req.setEncoding('utf8').on('data', (d: string) => { raw += d; }).on('end', () => {
    lastRequest = { body: JSON.parse(raw) as Record<string, unknown>, auth: req.headers.authorization };
    reply(lastRequest.body, res);
  });
});
let baseUrl = '';

function answer(content: unknown): (req: unknown, res: ServerResponse) => void {
  return (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: JSON.stringify(content) } }] }));
  };
}

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => { server.closeAllConnections(); server.close(); });

describe('parseWithLlm', () => {
  const text = 'yang kemarin itu lho kak, mie goreng yg dus, dua';
  const offline = parseMessage(text, index);

  it('uses a valid answer and sends a strict json_schema request with candidates', async () => {
    reply = answer({ intent: 'order', items: [{ sku: 'IDM-GRG-DUS', quantity: 2 }], payment_method: null, bank: null });
    const r = await parseWithLlm(text, index, offline, { baseUrl, apiKey: 'k-123', model: 'm' });
    assert.equal(r.intent, 'order');
    assert.deepEqual(r.items.map((i) => [i.sku, i.quantity]), [['IDM-GRG-DUS', 2]]);
    const body = lastRequest!.body as { model: string; response_format: { type: string; json_schema: { name: string; strict: boolean } }; messages: { content: string }[] };
    assert.equal(lastRequest!.auth, 'Bearer k-123');
    assert.equal(body.model, 'm');
    assert.equal(body.response_format.type, 'json_schema');
    assert.equal(body.response_format.json_schema.name, 'order_parse');
    assert.equal(body.response_format.json_schema.strict, true);
    const user = JSON.parse(body.messages[1]!.content) as { candidates: { sku: string }[] };
    assert.ok(user.candidates.length > 0 && user.candidates.length <= 30);
  });

  it('refuses SKUs outside the catalog and impossible quantities', async () => {
    reply = answer({ intent: 'order', items: [{ sku: 'NOT-A-SKU', quantity: 1 }, { sku: 'AQ-600', quantity: 0 }, { sku: 'SPR-390', quantity: 2 }], payment_method: null, bank: null });
    const r = await parseWithLlm(text, index, offline, { baseUrl, model: 'm' });
    assert.deepEqual(r.items.map((i) => [i.sku, i.quantity]), [['SPR-390', 2]]);
  });

  it('falls back to the offline result on an unknown intent', async () => {
    reply = answer({ intent: 'buy_everything', items: [], payment_method: null, bank: null });
    assert.deepEqual(await parseWithLlm(text, index, offline, { baseUrl, model: 'm' }), offline);
  });

  it('falls back to the offline result on timeout', async () => {
    reply = (_req, res) => { setTimeout(() => answer({ intent: 'cancel', items: [], payment_method: null, bank: null })(_req, res), 500); };
    const started = Date.now();
    const r = await parseWithLlm(text, index, offline, { baseUrl, model: 'm', timeoutMs: 100 });
    assert.deepEqual(r, offline);
    assert.ok(Date.now() - started < 450);
  });

  it('falls back on HTTP errors and unreachable servers', async () => {
    reply = (_req, res) => { res.statusCode = 500; res.end('{}'); };
    assert.deepEqual(await parseWithLlm(text, index, offline, { baseUrl, model: 'm' }), offline);
    assert.deepEqual(await parseWithLlm(text, index, offline, { baseUrl: 'http://127.0.0.1:1', model: 'm', timeoutMs: 500 }), offline);
  });

  it('is only worth asking when the offline parse is unsure', () => {
    assert.equal(shouldAskLlm(parseMessage('aqua 600ml 2 dus', index)), false);
    assert.equal(shouldAskLlm(parseMessage('yang kemarin itu lho', index)), true);
  });
});
