// Gateway notifications: verify (each adapter its own way), store each event once, answer.
// Effects run from the stored event in the payment.webhook job.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { enqueue } from '../jobs/queue.js';
import type { GatewayId, PaymentGateway, WebhookVerdict } from './port.js';
import { merchantCandidate, providerCandidates, servesMerchant } from '../providers.js';
import { cleanDeep } from '../shared/sanitize.js';

export function paymentWebhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Every gateway has its path even when only merchants (not the environment) configured it.
  for (const id of ['midtrans', 'xendit', 'doku'] as GatewayId[]) {
    const gateway = ctx.gateways.get(id);
    gateway?.extraWebhookRoutes?.(app);
    const handler = (req: FastifyRequest, reply: FastifyReply) => handle(ctx, id, req, reply);
    if (id === 'doku') app.post('/webhooks/doku/*', handler);
    else {
      app.post(`/webhooks/${id}`, handler);
      // A merchant's own notification URL: only that merchant's account is tried.
      app.post(`/webhooks/${id}/m/:merchant`, (req: FastifyRequest, reply: FastifyReply) => handle(ctx, id, req, reply, (req.params as { merchant: string }).merchant));
    }
  }
}

async function handle(ctx: AppContext, id: GatewayId, req: FastifyRequest, reply: FastifyReply, onlyMerchant?: string) {
  const rawBody = req.rawBody ?? Buffer.alloc(0);
  const params: Record<string, string> = {};
  for (const src of [req.query, req.rawBody ? undefined : req.body]) {
    if (src && typeof src === 'object' && !Buffer.isBuffer(src)) for (const [k, v] of Object.entries(src)) if (typeof v === 'string') params[k] = v;
  }
  // The notification is verified with the secret of the merchant whose charge it names: each
  // candidate (the environment's gateway, each merchant's own) is tried, and the charge's merchant
  // must be the one served by the gateway that verified it.
  const candidates = onlyMerchant ? await merchantCandidate(ctx, 'gateways', id, onlyMerchant) : await providerCandidates(ctx, 'gateways', id);
  if (candidates.length === 0) return reply.code(404).send({ error: `${id} is not configured` });
  let verdict: WebhookVerdict | undefined;
  let gateway: PaymentGateway = candidates[0].adapter;
  for (const c of candidates) {
    const v = await c.adapter.verifyWebhook({ rawBody, headers: req.headers, path: req.url.split('?')[0], params });
    if (v.ok || !verdict) {
      verdict = v;
      gateway = c.adapter;
    }
    if (v.ok) break;
  }
  if (!verdict!.ok) {
    ctx.logger.warn({ gateway: id, reason: verdict!.reason }, 'payment notification refused');
    return reply.code(verdict!.status).send(verdict!.body ?? { error: verdict!.reason });
  }
  const ok = verdict as Extract<WebhookVerdict, { ok: true }>;
  let merchantId: string | undefined;
  for (const event of ok.events) {
    const p = await ctx.db.one<{ merchant_id: string }>('SELECT merchant_id FROM payments WHERE gateway = $1 AND reference = $2', [id, event.reference]);
    if (!p) continue;
    if (!(await servesMerchant(ctx, 'gateways', id, gateway, p.merchant_id))) {
      ctx.logger.warn({ gateway: id, merchant: p.merchant_id }, "payment notification refused: not signed with the charge's merchant's key");
      return reply.code(401).send({ error: 'invalid signature' });
    }
    merchantId = p.merchant_id;
  }
  const fresh = await ctx.db.tx(async (tx) => {
    let n = 0;
    for (const event of cleanDeep(ok.events)) {
      const row = await tx.one<{ id: number }>(
        `INSERT INTO webhook_events (provider, event_key, payload) VALUES ($1, $2, $3) ON CONFLICT (provider, event_key) DO NOTHING RETURNING id`,
        [id, event.eventKey, JSON.stringify(cleanDeep({ event, body: safeJson(rawBody), ...(merchantId ? { merchant_id: merchantId } : {}) }))],
      );
      if (row) {
        await enqueue(tx, 'payment.webhook', { eventId: row.id });
        n++;
      }
    }
    return n;
  });
  if (fresh > 0) ctx.jobs.kick();
  const r = ok.reply ?? { status: 200, body: { ok: true } };
  return reply.code(r.status).send(r.body);
}

function safeJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8').slice(0, 10_000);
  }
}
