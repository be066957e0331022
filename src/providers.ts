// Providers beyond the backbone (more gateways, client catalogs) are wired here, so app.ts stays
// the same as they are added.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import type { Logger } from './shared/log.js';
import type { GatewayId, PaymentGateway } from './payments/port.js';
import type { CatalogConnector } from './catalog/types.js';

export interface OptionalProviders {
  gateways: Map<GatewayId, PaymentGateway>;
  /** Builds the connector of a client catalog from its stored config. */
  connectorFactory: (kind: 'rest' | 'woocommerce', cfg: { url: string; token: string }) => CatalogConnector | undefined;
  registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void>;
  registerSimulators(app: FastifyInstance, ctx: AppContext): Promise<void>;
}

export async function optionalProviders(_config: Config, _logger: Logger): Promise<OptionalProviders> {
  return {
    gateways: new Map(),
    connectorFactory: () => undefined,
    registerRoutes: async () => undefined,
    registerSimulators: async () => undefined,
  };
}
