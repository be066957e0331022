// The default merchant (from configuration) and, in sandbox mode, its demo catalog.
import type { AppContext } from './context.js';
import { internalCatalogId, upsertProducts } from './catalog/internal.js';
import { DEMO_PRODUCTS } from './sandbox/demo-catalog.js';
import type { OptionalProviders } from './providers.js';

export const DEFAULT_MERCHANT_ID = 'default';

export async function ensureDefaultMerchant(ctx: AppContext, connectorFactory: OptionalProviders['connectorFactory']): Promise<void> {
  const { config, db } = ctx;
  const m = config.merchant;
  await db.tx(async (tx) => {
    await tx.query(
      `INSERT INTO merchants (id, name, address, lat, lng, phone, staff_phone, wa_phone_number_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address, lat = EXCLUDED.lat, lng = EXCLUDED.lng,
         phone = EXCLUDED.phone, staff_phone = EXCLUDED.staff_phone, wa_phone_number_id = EXCLUDED.wa_phone_number_id`,
      [DEFAULT_MERCHANT_ID, m.name, m.address, m.lat, m.lng, m.phone, m.staffPhone ?? null, config.whatsapp.phoneNumberId ?? null],
    );
    const catalogId = internalCatalogId(DEFAULT_MERCHANT_ID);
    await tx.query(
      `INSERT INTO catalogs (id, merchant_id, kind, name) VALUES ($1, $2, 'internal', $3) ON CONFLICT (id) DO NOTHING`,
      [catalogId, DEFAULT_MERCHANT_ID, m.name],
    );
    if (config.sandbox) {
      const n = await tx.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM products WHERE catalog_id = $1', [catalogId]);
      if (n!.n === 0) await upsertProducts(tx, catalogId, DEMO_PRODUCTS);
    }
    if (config.clientCatalog) {
      await tx.query(
        `INSERT INTO catalogs (id, merchant_id, kind, name, config) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, config = EXCLUDED.config`,
        [`${DEFAULT_MERCHANT_ID}:client`, DEFAULT_MERCHANT_ID, config.clientCatalog.kind, config.clientCatalog.name, JSON.stringify({ url: config.clientCatalog.url })],
      );
    }
  });
  // Connectors of every client catalog in the database (credentials for the configured one from env).
  const rows = await db.query<{ id: string; kind: 'rest' | 'woocommerce'; config: { url?: string; token?: string } }>(`SELECT id, kind, config FROM catalogs WHERE kind <> 'internal' AND active`);
  for (const r of rows) {
    const token = r.id === `${DEFAULT_MERCHANT_ID}:client` ? (config.clientCatalog?.token ?? '') : (r.config.token ?? '');
    const connector = r.config.url ? connectorFactory(r.kind, { url: r.config.url, token }) : undefined;
    if (connector) ctx.connectors.set(r.id, connector);
  }
}
