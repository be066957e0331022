// Gateways beyond Midtrans, client catalog connectors, the dashboard, and their sandbox
// simulators are wired here, so app.ts stays the backbone.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import type { Logger } from './shared/log.js';
import type { GatewayId, PaymentGateway } from './payments/port.js';
import type { CatalogConnector } from './catalog/types.js';
import { createXenditGateway } from './payments/xendit/gateway.js';
import { xenditSimulator } from './payments/xendit/simulator.js';
import { createDokuGateway } from './payments/doku/gateway.js';
import { dokuSimulator } from './payments/doku/simulator.js';
import { generateDokuSandboxKeys } from './payments/doku/signature.js';
import { createConnectorFromConfig, restCatalogSimulator, wooCommerceSimulator } from './catalog/connectors/index.js';
import { dashboardPage } from './dashboard/dashboard-page.js';

export interface OptionalProviders {
  gateways: Map<GatewayId, PaymentGateway>;
  /** Builds the connector of a client catalog from its stored config. */
  connectorFactory: (kind: 'rest' | 'woocommerce', cfg: { url: string; token: string; name?: string; timeoutMs?: number }) => CatalogConnector | undefined;
  registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void>;
  registerSimulators(app: FastifyInstance, ctx: AppContext): Promise<void>;
}

/** Credentials of the sandbox client catalogs (not secrets: they only open the local simulators). */
export const SANDBOX_CLIENT_CATALOG = { restToken: 'sandbox-client-catalog-token', wooKey: 'ck_sandbox', wooSecret: 'cs_sandbox' };

export async function optionalProviders(config: Config, logger: Logger): Promise<OptionalProviders> {
  const gateways = new Map<GatewayId, PaymentGateway>();
  const base = config.publicUrl;
  const simulated = (url: string) => url.startsWith(`${base}/sandbox/`);
  if (config.xendit) gateways.set('xendit', createXenditGateway(config.xendit));
  // In sandbox without DOKU keys, a fresh key pair on each start stands in for the merchant's and DOKU's.
  const dokuKeys = config.doku && (!config.doku.privateKey || simulated(config.doku.baseUrl)) ? generateDokuSandboxKeys() : undefined;
  if (config.doku) {
    gateways.set(
      'doku',
      createDokuGateway({
        ...config.doku,
        privateKey: config.doku.privateKey && !dokuKeys ? config.doku.privateKey : dokuKeys?.merchantPrivateKey,
        dokuPublicKey: config.doku.dokuPublicKey && !dokuKeys ? config.doku.dokuPublicKey : dokuKeys?.dokuPublicKey,
      }),
    );
  }
  return {
    gateways,
    connectorFactory: (kind, cfg) => {
      try {
        return createConnectorFromConfig({ kind, url: cfg.url, token: cfg.token, name: cfg.name }, { timeoutMs: cfg.timeoutMs, logger: { warn: (o: unknown, m?: string) => logger.warn(o as object, m) } as any });
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'client catalog is misconfigured');
        return undefined;
      }
    },
    async registerRoutes(app, ctx) {
      await app.register(dashboardPage, {
        merchantName: config.merchant.name,
        // Only in sandbox is the key handed to the page; live, the merchant types it in.
        ...(config.sandbox ? { adminApiKey: ctx.config.adminApiKey, mediaBase: '/sandbox/meta/_sim/media/' } : {}),
      });
    },
    async registerSimulators(app) {
      if (config.xendit && simulated(config.xendit.baseUrl)) {
        await app.register(xenditSimulator, { prefix: '/sandbox/xendit', notificationUrl: `${base}/webhooks/xendit`, secretKey: config.xendit.secretKey, callbackToken: config.xendit.callbackToken });
      }
      if (config.doku && dokuKeys && simulated(config.doku.baseUrl)) {
        await app.register(dokuSimulator, {
          prefix: '/sandbox/doku',
          notificationUrl: `${base}/webhooks/doku`,
          clientId: config.doku.clientId,
          secretKey: config.doku.secretKey,
          merchantPublicKey: dokuKeys.merchantPublicKey,
          dokuPrivateKey: dokuKeys.dokuPrivateKey,
          qrisMerchantId: config.doku.qrisMerchantId,
          vaPartnerServiceId: config.doku.vaPartnerServiceId,
        });
      }
      await app.register(restCatalogSimulator, { prefix: '/sandbox/client-catalog', token: SANDBOX_CLIENT_CATALOG.restToken });
      await app.register(wooCommerceSimulator, { prefix: '/sandbox/woocommerce', consumerKey: SANDBOX_CLIENT_CATALOG.wooKey, consumerSecret: SANDBOX_CLIENT_CATALOG.wooSecret });
    },
  };
}

// ---- Per-merchant providers ----
// Each merchant's gateways and couriers are built from its own sealed credentials (PATCH
// /api/v1/settings); the default merchant, and in sandbox mode every merchant, falls back to the
// environment's for a provider it has not set. A merchant's adapters live on a context of its own
// (scopedContext), so circuit breakers, which are kept per context, are per merchant too.
import { DEFAULT_MERCHANT_ID } from './merchants.js';
import { PROVIDER_URLS } from './config.js';
import { openCredentials, sealedCredentials, type MerchantCredentials } from './platform/credentials.js';
import { createMidtransGateway } from './payments/midtrans/gateway.js';
import { createGoSendCourier } from './delivery/gosend/client.js';
import { createGrabCourier } from './delivery/grab/client.js';
import type { Courier, CourierId } from './delivery/port.js';
import type { Job } from './jobs/runner.js';

interface Scoped {
  fingerprint: string;
  ctx: AppContext;
}
const scopedByApp = new WeakMap<AppContext, Map<string, Scoped>>();

/** The merchant's own adapters from its credentials (URLs from the environment it names). */
export function merchantAdapters(config: Config, creds: MerchantCredentials): { gateways: Map<GatewayId, PaymentGateway>; couriers: Map<CourierId, Courier> } {
  const gateways = new Map<GatewayId, PaymentGateway>();
  const couriers = new Map<CourierId, Courier>();
  // A base URL of one's own only in sandbox mode (simulators, tests); live, the provider's own host.
  const base = (own: string | undefined, fallback: string) => ((config.sandbox && own) || fallback).replace(/\/$/, '');
  if (creds.midtrans) gateways.set('midtrans', createMidtransGateway({ serverKey: creds.midtrans.server_key, baseUrl: base(creds.midtrans.base_url, PROVIDER_URLS.midtrans[creds.midtrans.env]) }));
  if (creds.xendit) {
    gateways.set('xendit', createXenditGateway({ secretKey: creds.xendit.secret_key, callbackToken: creds.xendit.callback_token, baseUrl: base(creds.xendit.base_url, PROVIDER_URLS.xendit[creds.xendit.env]) }));
  }
  if (creds.doku) {
    const d = creds.doku;
    gateways.set(
      'doku',
      createDokuGateway({
        clientId: d.client_id,
        secretKey: d.secret_key,
        privateKey: d.private_key,
        dokuPublicKey: d.doku_public_key,
        qrisMerchantId: d.qris_merchant_id ?? '',
        vaPartnerServiceId: d.va_partner_service_id ?? '',
        baseUrl: base(d.base_url, PROVIDER_URLS.doku[d.env]),
      }),
    );
  }
  if (creds.gosend) {
    const g = creds.gosend;
    couriers.set('gosend', createGoSendCourier({ clientId: g.client_id, passKey: g.pass_key, webhookToken: g.webhook_token, baseUrl: base(g.base_url, PROVIDER_URLS.gosend[g.env]) }));
  }
  if (creds.grab) {
    const g = creds.grab;
    couriers.set(
      'grab',
      createGrabCourier({
        clientId: g.client_id,
        clientSecret: g.client_secret,
        webhookToken: g.webhook_token,
        senderEmail: g.sender_email,
        baseUrl: base(g.base_url, PROVIDER_URLS.grab[g.env]),
        authUrl: base(g.auth_url, PROVIDER_URLS.grabAuth[g.env]),
      }),
    );
  }
  return { gateways, couriers };
}

/** The root context of a scoped one (scoped contexts inherit from it). */
function rootOf(ctx: AppContext): AppContext {
  return (ctx as { __root?: AppContext }).__root ?? ctx;
}

/** A context whose gateways and couriers are the merchant's (the rest is the app's). */
export async function scopedContext(ctx: AppContext, merchantId: string, known?: Record<string, string> | null): Promise<AppContext> {
  const root = rootOf(ctx);
  let byMerchant = scopedByApp.get(root);
  if (!byMerchant) scopedByApp.set(root, (byMerchant = new Map()));
  // (a caller that has just read or written the merchant's row passes its sealed credentials: no second read)
  const sealed = known !== undefined ? (known ?? {}) : await sealedCredentials(root.db, merchantId);
  // The default merchant without credentials of its own is the environment's: the app's context.
  if (merchantId === DEFAULT_MERCHANT_ID && Object.keys(sealed).length === 0) return root;
  const fingerprint = JSON.stringify(sealed);
  const hit = byMerchant.get(merchantId);
  if (hit && hit.fingerprint === fingerprint) return hit.ctx;
  const own = merchantAdapters(root.config, openCredentials(root, merchantId, sealed));
  const envFallback = merchantId === DEFAULT_MERCHANT_ID || root.config.sandbox;
  const gateways = new Map<GatewayId, PaymentGateway>(envFallback ? root.gateways : []);
  const couriers = new Map<CourierId, Courier>(envFallback ? root.couriers : []);
  for (const [id, g] of own.gateways) gateways.set(id, g);
  for (const [id, c] of own.couriers) couriers.set(id, c);
  const scoped = Object.create(root, {
    gateways: { value: gateways, enumerable: true },
    couriers: { value: couriers, enumerable: true },
    __root: { value: root },
    merchantId: { value: merchantId, enumerable: true },
  }) as AppContext;
  byMerchant.set(merchantId, { fingerprint, ctx: scoped });
  return scoped;
}

/** Every adapter of one provider that may have signed a webhook: the environment's and each merchant's own. */
export async function providerCandidates<K extends 'gateways' | 'couriers'>(
  ctx: AppContext,
  kind: K,
  id: string,
): Promise<{ adapter: NonNullable<ReturnType<AppContext[K]['get']>>; merchantId?: string }[]> {
  const root = rootOf(ctx);
  const out: { adapter: any; merchantId?: string }[] = [];
  const envAdapter = (root[kind] as Map<string, unknown>).get(id);
  if (envAdapter) out.push({ adapter: envAdapter });
  const rows = await root.db.query<{ id: string }>(`SELECT id FROM merchants WHERE credentials ? $1 ORDER BY id`, [id]);
  for (const r of rows) {
    const s = await scopedContext(root, r.id);
    const a = (s[kind] as Map<string, unknown>).get(id);
    if (a && a !== envAdapter) out.push({ adapter: a, merchantId: r.id });
  }
  return out;
}

/** The adapter one merchant uses for a provider (its own, or the environment's it falls back to). */
export async function merchantCandidate<K extends 'gateways' | 'couriers'>(
  ctx: AppContext,
  kind: K,
  id: string,
  merchantId: string,
): Promise<{ adapter: NonNullable<ReturnType<AppContext[K]['get']>>; merchantId?: string }[]> {
  const exists = await rootOf(ctx).db.one('SELECT 1 FROM merchants WHERE id = $1', [merchantId]);
  if (!exists) return [];
  const a = ((await scopedContext(ctx, merchantId))[kind] as Map<string, unknown>).get(id);
  return a ? [{ adapter: a as any, merchantId }] : [];
}

/** Whether `adapter` is the one that serves `merchantId` for its provider. */
export async function servesMerchant(ctx: AppContext, kind: 'gateways' | 'couriers', id: string, adapter: unknown, merchantId: string): Promise<boolean> {
  const s = await scopedContext(ctx, merchantId);
  return (s[kind] as Map<string, unknown>).get(id) === adapter;
}

/** The merchant a payment or delivery job concerns, from the ids in its payload. */
async function merchantOfJob(ctx: AppContext, payload: Record<string, unknown>): Promise<string | undefined> {
  const q = ctx.db;
  if (typeof payload.orderId === 'string') return (await q.one<{ merchant_id: string }>('SELECT merchant_id FROM orders WHERE id = $1', [payload.orderId]))?.merchant_id;
  if (payload.paymentId !== undefined) return (await q.one<{ merchant_id: string }>('SELECT merchant_id FROM payments WHERE id = $1', [payload.paymentId]))?.merchant_id;
  if (payload.deliveryId !== undefined) {
    return (await q.one<{ merchant_id: string }>('SELECT o.merchant_id FROM deliveries d JOIN orders o ON o.id = d.order_id WHERE d.id = $1', [payload.deliveryId]))?.merchant_id;
  }
  if (payload.eventId !== undefined) return (await q.one<{ m: string | null }>(`SELECT payload->>'merchant_id' AS m FROM webhook_events WHERE id = $1`, [payload.eventId]))?.m ?? undefined;
  return undefined;
}

/** Job handlers that run with the context of the merchant the job concerns. */
export function scopedJobs(ctx: AppContext, build: (ctx: AppContext) => Record<string, (job: Job) => Promise<void>>): Record<string, (job: Job) => Promise<void>> {
  const built = new WeakMap<AppContext, Record<string, (job: Job) => Promise<void>>>();
  const handlersOf = (c: AppContext) => {
    let h = built.get(c);
    if (!h) built.set(c, (h = build(c)));
    return h;
  };
  const kinds = Object.keys(build(ctx));
  return Object.fromEntries(
    kinds.map((kind) => [
      kind,
      async (job: Job) => {
        const merchantId = await merchantOfJob(ctx, (job.payload ?? {}) as Record<string, unknown>);
        const c = merchantId ? await scopedContext(ctx, merchantId) : ctx;
        return handlersOf(c)[kind](job);
      },
    ]),
  );
}
