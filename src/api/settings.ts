// GET/PATCH /api/v1/settings: the merchant's own choices (gateways per method, couriers and
// preference, the fee when it delivers by hand), overriding the instance configuration.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext, MerchantSettings } from '../context.js';
import { merchantIdOf } from './request-merchant.js';
import { requireRole } from '../auth/roles.js';

// ---- Store facts: what the bot answers customers with ("buka jam berapa", "alamatnya di mana",
// "bisa kirim ke X?") and the minimum order enforced at confirmation. null clears a fact.
const factText = (max: number) => z.string().trim().min(1).max(max).nullable();
const storeFactsPatch = z.object({
  opening_hours: factText(200),
  store_address: factText(500),
  delivery_area: z.array(z.string().trim().min(1).max(100)).max(100).nullable(),
  delivery_radius_km: z.number().positive().max(500).nullable(),
  minimum_order: z.number().int().min(0).max(100_000_000).nullable(),
  cash_on_delivery: z.boolean(),
});
const storeFactsOf = (s: Record<string, unknown>) => ({
  opening_hours: (s.opening_hours as string | undefined) ?? null,
  store_address: (s.store_address as string | undefined) ?? null,
  delivery_area: (s.delivery_area as string[] | undefined) ?? [],
  delivery_radius_km: (s.delivery_radius_km as number | undefined) ?? null,
  minimum_order: (s.minimum_order as number | undefined) ?? null,
  cash_on_delivery: s.cash_on_delivery === true,
});
// ---- end of store facts

const settingsPatch = z
  .object({
    qris_gateway: z.enum(['midtrans', 'xendit', 'doku']),
    va_gateway: z.enum(['midtrans', 'xendit', 'doku']),
    couriers: z.array(z.enum(['gosend', 'grab', 'manual'])).min(1).max(3),
    preferred_courier: z.enum(['gosend', 'grab', 'manual']).nullable(),
    manual_delivery_fee: z.number().int().min(0).max(1_000_000),
  })
  .merge(storeFactsPatch)
  .partial()
  .strict();

export async function settingsApiRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const current = async (merchantId: string) => {
    const row = await ctx.db.one<{ settings: MerchantSettings }>('SELECT settings FROM merchants WHERE id = $1', [merchantId]);
    const s = row?.settings ?? {};
    return {
      qris_gateway: s.qris_gateway ?? ctx.config.payments.qrisGateway ?? null,
      va_gateway: s.va_gateway ?? ctx.config.payments.vaGateway ?? null,
      couriers: s.couriers ?? ctx.config.couriers,
      preferred_courier: s.preferred_courier ?? null,
      manual_delivery_fee: s.manual_delivery_fee ?? 15_000,
      ...storeFactsOf(s as Record<string, unknown>),
      available: { gateways: [...ctx.gateways.keys()], couriers: [...ctx.couriers.keys(), 'manual'] },
    };
  };

  api.get('/settings', async (req) => current(merchantIdOf(req)));

  api.patch('/settings', async (req, reply) => {
    if (!requireRole(req, reply)) return reply;
    const parsed = settingsPatch.safeParse(req.body ?? {});
    if (!parsed.success) {
      return reply.code(400).send({ error: 'invalid settings', issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    }
    const patch = parsed.data;
    const merchantId = merchantIdOf(req);
    for (const key of ['qris_gateway', 'va_gateway'] as const) {
      const g = patch[key];
      if (g && !ctx.gateways.has(g)) return reply.code(400).send({ error: `${key}: ${g} is not configured on this instance` });
    }
    for (const c of patch.couriers ?? []) {
      if (c !== 'manual' && !ctx.couriers.has(c)) return reply.code(400).send({ error: `couriers: ${c} is not configured on this instance` });
    }
    const couriers = patch.couriers ?? (await current(merchantId)).couriers;
    if (patch.preferred_courier && !couriers.includes(patch.preferred_courier)) {
      return reply.code(400).send({ error: 'preferred_courier must be one of couriers' });
    }
    await ctx.db.query(`UPDATE merchants SET settings = settings || $2::jsonb WHERE id = $1`, [merchantId, JSON.stringify(patch)]);
    return current(merchantId);
  });
}
