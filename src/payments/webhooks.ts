// Gateway notifications: verify (each adapter its own way), store each event once, answer.
// Effects run from the stored event in the payment.webhook job.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { enqueue } from '../jobs/queue.js';
import type { PaymentGateway } from './port.js';
import { cleanDeep } from '../shared/sanitize.js';

export function paymentWebhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  for (const gateway of ctx.gateways.values()) {
    gateway.extraWebhookRoutes?.(app);
    const handler = (req: FastifyRequest, reply: FastifyReply) => handle(ctx, gateway, req, reply);
    if (gateway.id === 'doku') app.post('/webhooks/doku/*', handler);
    else app.post(`/webhooks/${gateway.id}`, handler);
  }
}

async function handle(ctx: AppContext, gateway: PaymentGateway, req: FastifyRequest, reply: FastifyReply) {
  const rawBody = req.rawBody ?? Buffer.alloc(0);
  const params: Record<string, string> = {};
  for (const src of [req.query, req.rawBody ? undefined : req.body]) {
    if (src && typeof src === 'object' && !Buffer.isBuffer(src)) for (const [k, v] of Object.entries(src)) if (typeof v === 'string') params[k] = v;
  }
  const verdict = await gateway.verifyWebhook({ rawBody, headers: req.headers, path: req.url.split('?')[0], params });
  if (!verdict.ok) {
    ctx.logger.warn({ gateway: gateway.id, reason: verdict.reason }, 'payment notification refused');
    return reply.code(verdict.status).send(verdict.body ?? { error: verdict.reason });
  }
  const fresh = await ctx.db.tx(async (tx) => {
    let n = 0;
    for (const event of cleanDeep(verdict.events)) {
      const row = await tx.one<{ id: number }>(
        `INSERT INTO webhook_events (provider, event_key, payload) VALUES ($1, $2, $3) ON CONFLICT (provider, event_key) DO NOTHING RETURNING id`,
        [gateway.id, event.eventKey, JSON.stringify(cleanDeep({ event, body: safeJson(rawBody) }))],
      );
      if (row) {
        await enqueue(tx, 'payment.webhook', { eventId: row.id });
        n++;
      }
    }
    return n;
  });
  if (fresh > 0) ctx.jobs.kick();
  const r = verdict.reply ?? { status: 200, body: { ok: true } };
  return reply.code(r.status).send(r.body);
}

function safeJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8').slice(0, 10_000);
  }
}
