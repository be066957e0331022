// GET /metrics in Prometheus text format, read from the database at scrape time so every
// instance reports the same shared truth (orders, queues, failures).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { ackLatency, replyLatency } from '../jobs/latency.js';
import { currentLag, lagHistogram, startLoopLag } from '../jobs/loop-lag.js';
import { dbStats } from '../db/index.js';
import { graphQueue } from '../channel/whatsapp/graph-client.js';

export function metricsRoute(app: FastifyInstance, ctx: AppContext): void {
  startLoopLag();
  // Ack latency as Meta sees it (from the request arriving to the answer), on every instance.
  app.addHook('onResponse', (req, reply, done) => {
    if (req.method === 'POST' && req.routeOptions.url === '/webhooks/whatsapp') ackLatency.observe(reply.elapsedTime);
    done();
  });
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
    // This instance's own figures: latencies, event-loop lag, queues, database statements.
    lines.push(...ackLatency.render(), ...replyLatency.render());
    const lag = lagHistogram();
    lines.push('# HELP pesan_event_loop_lag_seconds Event-loop lag samples (how late a 20 ms timer fired)', '# TYPE pesan_event_loop_lag_seconds histogram');
    let acc = 0;
    lag.buckets.forEach((b, i) => {
      acc += lag.counts[i]!;
      lines.push(`pesan_event_loop_lag_seconds_bucket{le="${b / 1000}"} ${acc}`);
    });
    lines.push(`pesan_event_loop_lag_seconds_bucket{le="+Inf"} ${lag.count}`, `pesan_event_loop_lag_seconds_sum ${lag.sum / 1000}`, `pesan_event_loop_lag_seconds_count ${lag.count}`);
    gauge('pesan_event_loop_lag_current_seconds', 'Recent event-loop lag', [{ value: currentLag() / 1000 }]);
    gauge('pesan_event_loop_lag_max_seconds', 'Largest event-loop lag seen since start', [{ value: lag.max / 1000 }]);
    const depth = ctx.db.queueDepth();
    const conv = ctx.conversations.depth?.() ?? { waiting: 0, running: 0 };
    const graph = graphQueue();
    gauge('pesan_queue_depth', 'Work waiting or running in this instance, by queue', [
      { labels: { queue: 'db_ack' }, value: depth.ack },
      { labels: { queue: 'db_work' }, value: depth.work },
      { labels: { queue: 'conversations_waiting' }, value: conv.waiting },
      { labels: { queue: 'conversations_running' }, value: conv.running },
      { labels: { queue: 'whatsapp_sends_in_flight' }, value: graph.inFlight },
      { labels: { queue: 'whatsapp_sends_waiting' }, value: graph.waiting },
    ]);
    const st = dbStats();
    lines.push('# HELP pesan_db_statements_total SQL statements run by this instance', '# TYPE pesan_db_statements_total counter', `pesan_db_statements_total ${st.statements}`);
    lines.push('# HELP pesan_db_transactions_total Transactions run by this instance', '# TYPE pesan_db_transactions_total counter', `pesan_db_transactions_total ${st.transactions}`);
    return reply.type('text/plain; version=0.0.4').send(lines.join('\n') + '\n');
  });
}
