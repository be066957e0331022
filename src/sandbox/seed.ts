// `npm run seed`: the default merchant with the demo pharmacy-and-minimarket catalog, for trying
// pesan against real providers without typing a catalog first.
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { internalCatalogId, upsertProducts } from '../catalog/internal.js';
import { DEMO_PRODUCTS } from './demo-catalog.js';

export async function seedDemoCatalog(db: Db, config: Config): Promise<number> {
  const m = config.merchant;
  return db.tx(async (tx) => {
    await tx.query(
      `INSERT INTO merchants (id, name, address, lat, lng, phone, wa_phone_number_id) VALUES ('default', $1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [m.name, m.address, m.lat, m.lng, m.phone, config.whatsapp.phoneNumberId ?? null],
    );
    const catalogId = internalCatalogId('default');
    await tx.query(`INSERT INTO catalogs (id, merchant_id, kind, name) VALUES ($1, 'default', 'internal', $2) ON CONFLICT (id) DO NOTHING`, [catalogId, m.name]);
    const n = await tx.one<{ n: number }>('SELECT COUNT(*)::int AS n FROM products WHERE catalog_id = $1', [catalogId]);
    if (n!.n > 0) return 0;
    return upsertProducts(tx, catalogId, DEMO_PRODUCTS);
  });
}
