// The default merchant (from configuration) and, in sandbox mode, its demo catalogs: the internal
// pharmacy-and-minimarket catalog and a client pharmacy ("Apotek Sehat Farma") whose products and
// stock live in its own system, reached through pesan's connector spec.
import type { AppContext } from './context.js';
import { internalCatalogId, upsertProducts } from './catalog/internal.js';
import { connectCatalog, setConnectorFactory, type CatalogRow } from './catalog/service.js';
import { APOTEK_SEHAT_FARMA_NAME } from './catalog/connectors/index.js';
import { DEMO_PRODUCTS } from './sandbox/demo-catalog.js';
import { SANDBOX_CLIENT_CATALOG, type OptionalProviders } from './providers.js';
import { FOOD_STALL_PRODUCTS } from './sandbox/food-catalog.js';
import { secretsOf } from './secrets/context.js';
import { sha256Hex } from './shared/crypto.js';
import { invalidateNumbers } from './platform/numbers.js';

export const DEFAULT_MERCHANT_ID = 'default';
/** The sandbox's client catalog: the rest simulator mounted at /sandbox/client-catalog. */
export const SANDBOX_CLIENT_CATALOG_ID = `${DEFAULT_MERCHANT_ID}:apotek`;
export const SANDBOX_CLIENT_CATALOG_KEYWORDS = ['apotek', 'farma', 'sehat farma', 'apotek sehat farma', 'asf'];

/** The sandbox's second demo merchant, a food stall on a number of another (simulated) Meta app. */
export const SANDBOX_FOOD_STALL = {
  id: 'warung',
  name: 'Warung Makan Bu Sri',
  address: 'Jl. Tebet Raya No. 21, Jakarta Selatan',
  lat: -6.2297,
  lng: 106.8555,
  phone: '6281200000002',
  phoneNumberId: '100000000000002',
  // Not secrets: they only open the local Meta simulator (stored sealed all the same).
  accessToken: 'sandbox-access-token-warung',
  appSecret: 'sandbox-app-secret-warung',
  verifyToken: 'sandbox-verify-token-warung',
};

/** Sandbox only: the food stall with its own number, sealed Meta credentials and catalog (created once). */
export async function ensureSandboxMerchants(ctx: AppContext): Promise<void> {
  const f = SANDBOX_FOOD_STALL;
  const secrets = secretsOf(ctx);
  await ctx.db.tx(async (tx) => {
    await tx.query(
      `INSERT INTO merchants (id, name, address, lat, lng, phone, wa_phone_number_id) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      [f.id, f.name, f.address, f.lat, f.lng, f.phone, f.phoneNumberId],
    );
    await tx.query(
      `INSERT INTO merchant_numbers (phone_number_id, merchant_id, access_token, app_secret, verify_token, verify_token_hash) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (phone_number_id) DO NOTHING`,
      [f.phoneNumberId, f.id, secrets.seal(f.accessToken), secrets.seal(f.appSecret), secrets.seal(f.verifyToken), sha256Hex(f.verifyToken)],
    );
    const catalogId = internalCatalogId(f.id);
    await tx.query(`INSERT INTO catalogs (id, merchant_id, kind, name) VALUES ($1, $2, 'internal', $3) ON CONFLICT (id) DO NOTHING`, [catalogId, f.id, f.name]);
    const n = await tx.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM products WHERE catalog_id = $1', [catalogId]);
    if (n!.n === 0) await upsertProducts(tx, catalogId, FOOD_STALL_PRODUCTS);
    await tx.query(
      `UPDATE merchants SET settings = jsonb_build_object('opening_hours', 'Setiap hari 10.00–22.00', 'delivery_radius_km', 5) || settings WHERE id = $1`,
      [f.id],
    );
  });
  invalidateNumbers();
}

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
    if (config.whatsapp.phoneNumberId) {
      // The env number's credentials stay in env (NULL here); a number the platform gave another merchant is not taken back.
      await tx.query(`INSERT INTO merchant_numbers (phone_number_id, merchant_id) VALUES ($1, $2) ON CONFLICT (phone_number_id) DO NOTHING`, [
        config.whatsapp.phoneNumberId,
        DEFAULT_MERCHANT_ID,
      ]);
    }
    const catalogId = internalCatalogId(DEFAULT_MERCHANT_ID);
    await tx.query(
      `INSERT INTO catalogs (id, merchant_id, kind, name) VALUES ($1, $2, 'internal', $3) ON CONFLICT (id) DO NOTHING`,
      [catalogId, DEFAULT_MERCHANT_ID, m.name],
    );
    if (config.sandbox) {
      const n = await tx.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM products WHERE catalog_id = $1', [catalogId]);
      if (n!.n === 0) await upsertProducts(tx, catalogId, DEMO_PRODUCTS);
      // The demo number also sells for a client pharmacy whose stock lives in its own system.
      // Created once: an operator's later changes through the admin API are kept, except that the
      // simulator's address follows this instance's address.
      await tx.query(
        `INSERT INTO catalogs (id, merchant_id, kind, name, keywords, config) VALUES ($1, $2, 'rest', $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET config = catalogs.config || jsonb_build_object('url', $5::jsonb->>'url')
         WHERE catalogs.config->>'url' LIKE '%/sandbox/client-catalog'`,
        [
          SANDBOX_CLIENT_CATALOG_ID,
          DEFAULT_MERCHANT_ID,
          APOTEK_SEHAT_FARMA_NAME,
          SANDBOX_CLIENT_CATALOG_KEYWORDS,
          JSON.stringify({ url: `${config.publicUrl}/sandbox/client-catalog`, token: SANDBOX_CLIENT_CATALOG.restToken }),
        ],
      );
    }
    if (config.clientCatalog) {
      await tx.query(
        `INSERT INTO catalogs (id, merchant_id, kind, name, config) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, config = catalogs.config || EXCLUDED.config`,
        [`${DEFAULT_MERCHANT_ID}:client`, DEFAULT_MERCHANT_ID, config.clientCatalog.kind, config.clientCatalog.name, JSON.stringify({ url: config.clientCatalog.url })],
      );
    }
  });
  // Connectors of every client catalog in the database (credentials for the configured one from env).
  setConnectorFactory(ctx, connectorFactory);
  const rows = await db.query<CatalogRow>(`SELECT * FROM catalogs WHERE kind <> 'internal' AND active`);
  for (const r of rows) {
    const envToken = r.id === `${DEFAULT_MERCHANT_ID}:client` ? (config.clientCatalog?.token ?? '') : undefined;
    connectCatalog(ctx, r, envToken);
  }
}
