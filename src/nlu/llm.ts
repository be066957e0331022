import { z } from 'zod';
import type { CatalogIndex } from './catalog-index.js';
import { searchProducts } from './search.js';
import { BANKS, INTENTS, type NluResult } from './types.js';

export interface LlmConfig { baseUrl: string; apiKey?: string; model: string; timeoutMs?: number }

const MAX_CANDIDATES = 30;

/** Worth paying for a model call: the offline parser was unsure or saw words it could not place. */
export function shouldAskLlm(result: NluResult): boolean {
  return result.confidence < 0.6 || result.ambiguous.length > 0 || result.unknown.length > 0 || result.intent === 'other';
}

const answerSchema = z.object({
  intent: z.enum(INTENTS as unknown as [string, ...string[]]),
  items: z.array(z.object({ sku: z.string(), quantity: z.number() })),
  payment_method: z.enum(['qris', 'va']).nullable(),
  bank: z.enum(BANKS as unknown as [string, ...string[]]).nullable(),
});

/** JSON schema sent as response_format; strict mode needs every property required and no extras. */
export const ORDER_PARSE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['intent', 'items', 'payment_method', 'bank'],
  properties: {
    intent: { type: 'string', enum: [...INTENTS] },
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sku', 'quantity'],
        properties: { sku: { type: 'string' }, quantity: { type: 'integer' } },
      },
    },
    payment_method: { type: ['string', 'null'], enum: ['qris', 'va', null] },
    bank: { type: ['string', 'null'], enum: [...BANKS, null] },
  },
} as const;

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

function candidateSkus(text: string, index: CatalogIndex, offline: NluResult): string[] {
  const skus = new Set<string>();
  for (const i of offline.items) skus.add(i.sku);
  for (const a of offline.ambiguous) for (const c of a.candidates) skus.add(c);
  for (const u of offline.unknown) for (const s of u.suggestions) skus.add(s);
  for (const r of searchProducts(text, index, MAX_CANDIDATES)) skus.add(r.sku);
  return [...skus].slice(0, MAX_CANDIDATES);
}

function systemPrompt(): string {
  return [
    'You read WhatsApp messages that customers send to an Indonesian shop and return JSON only.',
    `intent is one of: ${INTENTS.join(', ')}.`,
    'items: products the customer names, as catalog SKUs from the candidate list only, with integer quantity (1 when not said).',
    'A size in a product name (600ml, 500mg, 5 kg) is not a quantity. "sedus"/"1 dus"/"karton" means the carton product when one exists.',
    'payment_method: "qris" or "va" or null; bank: bca, bni, bri, mandiri, permata, cimb or null. A bank alone means va.',
  ].join('\n');
}

/**
 * Second opinion from an OpenAI-compatible model. Anything unexpected — timeout, HTTP error, malformed or
 * out-of-catalog answer — leaves the offline result in charge, so the bot never depends on the model.
 */
export async function parseWithLlm(text: string, index: CatalogIndex, offline: NluResult, cfg: LlmConfig): Promise<NluResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), cfg.timeoutMs ?? 3000);
  try {
    const candidates = candidateSkus(text, index, offline).map((sku) => {
      const p = index.bySku.get(sku)!;
      return { sku, name: p.name, unit: p.unit };
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (cfg.apiKey) headers.authorization = `Bearer ${cfg.apiKey}`;
    const res = await fetch(`${cfg.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers,
      signal: controller.signal,
      body: JSON.stringify({
        model: cfg.model,
        temperature: 0,
        messages: [
          { role: 'system', content: systemPrompt() },
          { role: 'user', content: JSON.stringify({ message: text, candidates }) },
        ],
        response_format: { type: 'json_schema', json_schema: { name: 'order_parse', strict: true, schema: ORDER_PARSE_SCHEMA } },
      }),
    });
    if (!res.ok) return offline;
    const completion = completionSchema.safeParse(await res.json());
    if (!completion.success) return offline;
    const content = completion.data.choices[0]!.message.content;
    if (!content) return offline;
    const answer = answerSchema.safeParse(JSON.parse(content));
    if (!answer.success) return offline;
    const a = answer.data;
    const items = a.items
      .filter((i) => index.bySku.has(i.sku) && Number.isInteger(i.quantity) && i.quantity >= 1 && i.quantity <= 999)
      .map((i) => ({ sku: i.sku, quantity: i.quantity, quantityExplicit: true, mention: index.bySku.get(i.sku)!.name, score: 0.9 }));
    const refused = items.length < a.items.length;
    return {
      ...offline,
      intent: a.intent as NluResult['intent'],
      confidence: refused ? Math.min(offline.confidence, 0.6) : Math.max(offline.confidence, 0.85),
      items,
      ambiguous: refused ? offline.ambiguous : [],
      unknown: refused ? offline.unknown : [],
      payment_method: a.payment_method as NluResult['payment_method'],
      bank: a.bank as NluResult['bank'],
    };
  } catch {
    return offline;
  } finally {
    clearTimeout(timer);
  }
}
