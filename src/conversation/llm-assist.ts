// The optional LLM helps with messages the offline parser is unsure about. It is asked before the
// conversation's transaction opens, so a slow model never holds a lock; its answer is validated
// (unknown SKUs and absurd quantities dropped) and a timeout or error leaves the offline result.
import type { AppContext } from '../context.js';
import type { IncomingMessage } from '../channel/whatsapp/outgoing.js';
import { parseMessage, parseWithLlm, shouldAskLlm, type NluResult } from '../nlu/index.js';
import { getCatalog, loadCatalog, merchantCatalogs } from '../catalog/service.js';

export interface LlmHint {
  messageId: number;
  catalogId: string;
  text: string;
  result: NluResult;
}

export async function llmHintFor(ctx: AppContext, conversationId: number): Promise<LlmHint | undefined> {
  const llm = ctx.config.llm;
  if (!llm) return undefined;
  try {
    const msg = await ctx.db.one<{ id: number; payload: IncomingMessage }>(
      'SELECT id, payload FROM inbound_messages WHERE conversation_id = $1 AND processed_at IS NULL ORDER BY id LIMIT 1',
      [conversationId],
    );
    if (!msg || msg.payload.content.type !== 'text') return undefined;
    const text = msg.payload.content.text;
    const conv = await ctx.db.one<{ merchant_id: string; catalog_id: string | null }>('SELECT merchant_id, catalog_id FROM conversations WHERE id = $1', [conversationId]);
    if (!conv) return undefined;
    const row = (conv.catalog_id ? await getCatalog(ctx.db, conv.catalog_id) : undefined) ?? (await merchantCatalogs(ctx.db, conv.merchant_id))[0];
    if (!row) return undefined;
    const catalog = await loadCatalog(ctx, ctx.db, row);
    const offline = parseMessage(text, catalog.index);
    if (!shouldAskLlm(offline)) return undefined;
    const result = await parseWithLlm(text, catalog.index, offline, { baseUrl: llm.baseUrl, apiKey: llm.apiKey, model: llm.model, timeoutMs: 3_000 });
    return { messageId: msg.id, catalogId: row.id, text, result };
  } catch (err) {
    ctx.logger.warn({ err: (err as Error).message }, 'LLM assist skipped');
    return undefined;
  }
}
