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
