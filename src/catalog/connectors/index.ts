// Builds the client catalog connector that config.clientCatalog describes.
import type { CatalogConnector } from '../types.js';
import type { ConnectorLogger } from './common.js';
import { createRestConnector } from './rest/client.js';
import { createWooCommerceConnector, type CommitGuard } from './woocommerce/client.js';

export { createRestConnector, type RestConnectorConfig } from './rest/client.js';
export { restCatalogSimulator, type RestCatalogSimulatorOptions } from './rest/simulator.js';
export { apotekSehatFarmaProducts, APOTEK_SEHAT_FARMA_NAME } from './rest/seed.js';
export { createWooCommerceConnector, UNMANAGED_STOCK, type CommitGuard, type WooCommerceConnectorConfig } from './woocommerce/client.js';
export { wooCommerceSimulator, type WooCommerceSimulatorOptions } from './woocommerce/simulator.js';
export { tokoMakmurProducts, TOKO_MAKMUR_NAME, type WooSeedProduct } from './woocommerce/seed.js';
export type { ConnectorLogger } from './common.js';

export interface ClientCatalogConfig {
  url: string;
  /** rest: the bearer token. woocommerce: "ck_…:cs_…" (consumer key, a colon, consumer secret). */
  token: string;
  kind: 'rest' | 'woocommerce';
  name?: string;
}

export function createConnectorFromConfig(
  cfg: ClientCatalogConfig,
  opts: { timeoutMs?: number; logger?: ConnectorLogger; commitGuard?: CommitGuard } = {},
): CatalogConnector {
  if (cfg.kind === 'rest') {
    return createRestConnector({ url: cfg.url, token: cfg.token, name: cfg.name, timeoutMs: opts.timeoutMs, logger: opts.logger });
  }
  if (cfg.kind === 'woocommerce') {
    const colon = cfg.token.indexOf(':');
    if (colon <= 0 || colon === cfg.token.length - 1) {
      throw new Error('CLIENT_CATALOG_TOKEN for WooCommerce must be "consumer_key:consumer_secret" (ck_…:cs_…)');
    }
    return createWooCommerceConnector({
      url: cfg.url,
      consumerKey: cfg.token.slice(0, colon),
      consumerSecret: cfg.token.slice(colon + 1),
      name: cfg.name,
      timeoutMs: opts.timeoutMs,
      logger: opts.logger,
      commitGuard: opts.commitGuard,
    });
  }
  throw new Error(`CLIENT_CATALOG_KIND must be rest or woocommerce, got "${String((cfg as { kind: unknown }).kind)}"`);
}
