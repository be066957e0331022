// GET /metrics in Prometheus text format, read from the database at scrape time so every
// instance reports the same shared truth (orders, queues, failures).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

export function metricsRoute(app: FastifyInstance, ctx: AppContext): void {
  app.get('/metrics', async (_req, reply) => {
    const lines: string[] = [];
    const gauge = (name: string, help: string, rows: { labels?: Record<string, string>; value: number }[]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      for (const r of rows) {
        const labels = r.labels ? `{${Object.entries(r.labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}` : '';
        lines.push(`${name}${labels} ${r.value}`);
      }
    };
    const orders = await ctx.db.query<{ status: string; n: number }>('SELECT status, COUNT(*)::int AS n FROM orders GROUP BY status');
    gauge('pesan_orders', 'Orders by status', orders.map((r) => ({ labels: { status: r.status }, value: r.n })));
    const jobs = await ctx.db.query<{ kind: string; n: number }>('SELECT kind, COUNT(*)::int AS n FROM jobs WHERE done_at IS NULL AND failed_at IS NULL GROUP BY kind');
    gauge('pesan_jobs_pending', 'Jobs waiting or running, by kind', jobs.map((r) => ({ labels: { kind: r.kind }, value: r.n })));
    const failed = await ctx.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM jobs WHERE failed_at IS NOT NULL');
    gauge('pesan_jobs_failed', 'Jobs that used up their retries', [{ value: failed!.n }]);
    const inbound = await ctx.db.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM inbound_messages WHERE processed_at IS NULL');
    gauge('pesan_inbound_unprocessed', 'Accepted WhatsApp messages not yet processed', [{ value: inbound!.n }]);
    const outbound = await ctx.db.query<{ status: string; n: number }>('SELECT status, COUNT(*)::int AS n FROM outbound_messages GROUP BY status');
    gauge('pesan_outbound_messages', 'Outgoing WhatsApp messages by status', outbound.map((r) => ({ labels: { status: r.status }, value: r.n })));
    const payments = await ctx.db.query<{ gateway: string; status: string; n: number }>('SELECT gateway, status, COUNT(*)::int AS n FROM payments GROUP BY gateway, status');
    gauge('pesan_payments', 'Payments by gateway and status', payments.map((r) => ({ labels: { gateway: r.gateway, status: r.status }, value: r.n })));
    return reply.type('text/plain; version=0.0.4').send(lines.join('\n') + '\n');
  });
}
