// Builds the whole service from a Config: database, jobs, providers, routes, and in sandbox mode
// the simulators. `startApp` is what `npm start` and the end-to-end tests run.
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { Config } from './config.js';
import { openDb, type Db } from './db/index.js';
import { migrate } from './db/migrate.js';
import { JobRunner } from './jobs/runner.js';
import { enqueue } from './jobs/queue.js';
import { createLogger, type Logger } from './shared/log.js';
import type { AppContext, WhatsAppPort } from './context.js';
import type { GatewayId, PaymentGateway } from './payments/port.js';
import type { Courier, CourierId } from './delivery/port.js';
import type { CatalogConnector } from './catalog/types.js';
import { GraphClient } from './channel/whatsapp/graph-client.js';
import { whatsappWebhookRoutes } from './channel/whatsapp/webhook.js';
import { sendJob } from './channel/whatsapp/sender.js';
import { metaSimulator } from './channel/whatsapp/simulator.js';
import { processConversationJob } from './conversation/processor.js';
import { ConversationDispatcher } from './conversation/dispatcher.js';
import { paymentJobs } from './payments/service.js';
import { paymentWebhookRoutes } from './payments/webhooks.js';
import { createMidtransGateway } from './payments/midtrans/gateway.js';
import { midtransSimulator } from './payments/midtrans/simulator.js';
import { deliveryJobs, courierWebhookRoutes } from './delivery/service.js';
import { createGoSendCourier } from './delivery/gosend/client.js';
import { goSendSimulator } from './delivery/gosend/simulator.js';
import { createGrabCourier } from './delivery/grab/client.js';
import { grabSimulator } from './delivery/grab/simulator.js';
import { adminApiRoutes } from './api/routes.js';
import { metricsRoute } from './api/metrics.js';
import { sandboxRoutes } from './sandbox/routes.js';
import { chatPage } from './sandbox/chat-page.js';
import { DEFAULT_MERCHANT_ID, SANDBOX_FOOD_STALL, ensureDefaultMerchant, ensureSandboxMerchants } from './merchants.js';
import { warmClientCatalogs } from './catalog/service.js';
import { supportJobs } from './jobs/support.js';
import { optionalProviders, scopedJobs } from './providers.js';
import { platformApiRoutes } from './platform/routes.js';
import { merchantNumbers, numberInfo, numbersGeneration, sendingNumber } from './platform/numbers.js';
import { resealAll } from './secrets/index.js';
import { resealTotpSecrets } from './auth/secret-box.js';
import { secretsOf } from './secrets/context.js';
import { fastifyEdgeOptions, installEdge } from './shared/sanitize.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

export interface RunningApp {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  stop(): Promise<void>;
}

export async function startApp(config: Config, opts: { db?: Db; logger?: Logger; listen?: boolean } = {}): Promise<RunningApp> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const db = opts.db ?? (await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  await migrate(db);

  const jobs = new JobRunner(db, { pollMs: config.jobPollMs, logger, concurrency: 32 });
  const gateways = new Map<GatewayId, PaymentGateway>();
  if (config.midtrans) gateways.set('midtrans', createMidtransGateway(config.midtrans));
  const couriers = new Map<CourierId, Courier>();
  if (config.gosend) couriers.set('gosend', createGoSendCourier(config.gosend));
  if (config.grab) couriers.set('grab', createGrabCourier(config.grab));
  const connectors = new Map<string, CatalogConnector>();
  const extra = await optionalProviders(config, logger);
  for (const [id, g] of extra.gateways) gateways.set(id, g);

  const ctx = { config, db, logger, jobs, gateways, couriers, connectors, whatsapp: whatsappPort(config, () => ctx) } as AppContext;
  // Credentials sealed under an older PESAN_SECRET_KEY are resealed under the current one.
  const resealed = (await resealAll(db, secretsOf(ctx))) + (await resealTotpSecrets(db, secretsOf(ctx)));
  if (resealed) logger.info({ resealed, key_id: secretsOf(ctx).currentKeyId }, 'stored credentials resealed under the current PESAN_SECRET_KEY');
  const dispatcher = new ConversationDispatcher(ctx);
  ctx.conversations = dispatcher;
  await ensureDefaultMerchant(ctx, extra.connectorFactory);
  if (config.sandbox) await ensureSandboxMerchants(ctx);

  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, ...fastifyEdgeOptions });
  // Bodies, query strings and path parameters are cleaned at the edge (src/shared/sanitize.ts); signatures
  // are over the exact bytes received, kept on req.rawBody. Meta retries anything but 200, so its webhook
  // gets an unreadable body as empty and acknowledges it once the signature is checked.
  installEdge(app, { lenientJsonPaths: ['/webhooks/whatsapp'] });
  await app.register(formbody);

  app.get('/healthz', async (_req, reply) => {
    try {
      await db.query('SELECT 1');
      return { ok: true, database: db.kind, sandbox: config.sandbox };
    } catch {
      return reply.code(503).send({ ok: false });
    }
  });
  app.get('/', async (_req, reply) => reply.redirect(config.sandbox ? '/sandbox/chat' : '/dashboard'));

  metricsRoute(app, ctx);
  whatsappWebhookRoutes(app, ctx);
  paymentWebhookRoutes(app, ctx);
  courierWebhookRoutes(app, ctx);
  await adminApiRoutes(app, ctx);
  await platformApiRoutes(app, ctx);
  await extra.registerRoutes(app, ctx);

  if (config.sandbox) {
    const base = config.publicUrl;
    await app.register(metaSimulator, {
      prefix: '/sandbox/meta',
      webhookUrl: `${base}/webhooks/whatsapp`,
      appSecret: config.whatsapp.appSecret!,
      accessToken: config.whatsapp.accessToken!,
      phoneNumberId: config.whatsapp.phoneNumberId!,
      extraNumbers: [{ phoneNumberId: SANDBOX_FOOD_STALL.phoneNumberId, appSecret: SANDBOX_FOOD_STALL.appSecret, accessToken: SANDBOX_FOOD_STALL.accessToken, displayPhoneNumber: SANDBOX_FOOD_STALL.phone }],
    });
    if (config.midtrans && config.midtrans.baseUrl.startsWith(`${base}/sandbox/`)) {
      await app.register(midtransSimulator, { prefix: '/sandbox/midtrans', notificationUrl: `${base}/webhooks/midtrans`, serverKey: config.midtrans.serverKey });
    }
    if (config.gosend && config.gosend.baseUrl.startsWith(`${base}/sandbox/`)) {
      await app.register(goSendSimulator, {
        prefix: '/sandbox/gosend',
        webhookUrl: `${base}/webhooks/gosend`,
        clientId: config.gosend.clientId,
        passKey: config.gosend.passKey,
        webhookToken: config.gosend.webhookToken,
        stepMs: config.sandboxCourierStepMs,
        publicUrl: `${base}/sandbox/gosend`,
      });
    }
    if (config.grab && config.grab.baseUrl.startsWith(`${base}/sandbox/`)) {
      await app.register(grabSimulator, {
        prefix: '/sandbox/grab',
        webhookUrl: `${base}/webhooks/grab`,
        clientId: config.grab.clientId,
        clientSecret: config.grab.clientSecret,
        webhookToken: config.grab.webhookToken,
        stepMs: config.sandboxCourierStepMs,
        publicUrl: `${base}/sandbox/grab`,
      });
    }
    await extra.registerSimulators(app, ctx);
    await app.register(chatPage, { merchantName: config.merchant.name });
    await sandboxRoutes(app, ctx);
  }

  jobs.register('conversation.process', processConversationJob(ctx));
  jobs.register('whatsapp.send', sendJob(ctx));
  // Payment and delivery jobs run with the gateways and couriers of the merchant they concern.
  const providerJobs = scopedJobs(ctx, (c) => ({ ...paymentJobs(c), ...deliveryJobs(c) }));
  for (const [kind, handler] of Object.entries({ ...providerJobs, ...supportJobs(ctx) })) jobs.register(kind, handler);

  let url = config.publicUrl;
  if (opts.listen !== false) {
    await app.listen({ port: config.port, host: config.host });
    url = `http://${config.host}:${config.port}`;
  }
  // Client catalogs' product lists are fetched now (the sandbox ones are served by this very app,
  // so after listen), so no customer message waits for the first one.
  void warmClientCatalogs(ctx, DEFAULT_MERCHANT_ID);
  jobs.start();
  dispatcher.start(Math.max(250, config.jobPollMs * 2));
  // Housekeeping (old rate counters and finished jobs) as a job, so only one instance does each run.
  const housekeeping = setInterval(() => {
    enqueue(db, 'maintenance.cleanup', {}).catch(() => undefined);
  }, 15 * 60_000);
  housekeeping.unref();

  return {
    app,
    ctx,
    url,
    async stop() {
      clearInterval(housekeeping);
      await dispatcher.stop();
      await jobs.stop();
      await app.close();
      if (!opts.db) await db.close();
    },
  };
}

/**
 * One Graph client per business number, with the access token of the Meta app that number belongs
 * to (sealed in merchant_numbers, or the env token for the env-configured number). A customer is
 * written to from the number they wrote to; otherwise from the merchant's first number.
 */
function whatsappPort(config: Config, ctxRef: () => AppContext): WhatsAppPort {
  const clients = new Map<string, { gen: number; client: GraphClient }>();
  async function clientFor(merchantId: string, to?: string): Promise<GraphClient> {
    const ctx = ctxRef();
    let number = to ? await sendingNumber(ctx, merchantId, to) : (await merchantNumbers(ctx, merchantId))[0]?.phoneNumberId;
    if (!number) throw new Error(`merchant ${merchantId} has no WhatsApp number configured`);
    const gen = numbersGeneration();
    const hit = clients.get(number);
    if (hit && hit.gen === gen) return hit.client;
    let info = await numberInfo(ctx, number);
    if (!info || info.merchantId !== merchantId) {
      // The customer's number was taken off this merchant: its first number answers instead.
      const first = (await merchantNumbers(ctx, merchantId))[0];
      info = first ?? null;
      number = first?.phoneNumberId ?? number;
    }
    if (!info || info.merchantId !== merchantId || !info.accessToken) throw new Error(`merchant ${merchantId} has no usable WhatsApp number configured`);
    const client = new GraphClient({ graphUrl: config.whatsapp.graphUrl, apiVersion: config.whatsapp.apiVersion, accessToken: info.accessToken, phoneNumberId: number });
    clients.set(number, { gen, client });
    return client;
  }
  return {
    send: async (merchantId, to, payload, opts) => (await clientFor(merchantId, to)).send(to, payload, undefined, opts),
    downloadMedia: async (merchantId, mediaId) => (await clientFor(merchantId)).downloadMedia(mediaId),
  };
}
