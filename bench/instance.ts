// One pesan instance of `npm run bench`, in its own process (as production runs it): configuration
// from the environment, pino logging at LOG_LEVEL (default info) to BENCH_LOG_FILE (default /dev/null)
// through the same synchronous destination pino uses for stdout. Tells the harness its URL over IPC
// and answers {type:'stats'} with its process figures.
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { startApp } from '../src/app.js';
import { dbStats, sqlProfileTop } from '../src/db/index.js';

const config = loadConfig(process.env);
const logger = pino(
  { level: config.logLevel, redact: { paths: ['*.authorization', '*.accessToken', '*.appSecret', '*.serverKey', '*.passKey'], censor: '[redacted]' } },
  pino.destination({ dest: process.env.BENCH_LOG_FILE ?? '/dev/null', sync: true }),
);
const app = await startApp(config, { logger });
let rssPeak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
}, 100);
sampler.unref();

process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'stats') {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    process.send!({ type: 'stats', rssPeak, db: dbStats() });
  }
  if (msg.type === 'reset') {
    rssPeak = process.memoryUsage().rss;
    dbStats(true);
    process.send!({ type: 'reset' });
  }
  if (msg.type === 'stop') {
    for (const r of sqlProfileTop()) process.stderr.write(`sql ${String(r.n).padStart(7)} ${r.ms.toFixed(0).padStart(8)} ms  ${r.sql}\n`);
    await app.stop().catch(() => undefined);
    process.exit(0);
  }
});
process.send!({ type: 'ready', url: app.url });
