// GET/PATCH /api/v1/settings: the merchant's own choices (gateways per method, couriers and
// preference, the fee when it delivers by hand), overriding the instance configuration.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext, MerchantSettings } from '../context.js';
import { merchantIdOf } from './request-merchant.js';
import { scopedContext } from '../providers.js';
import { credentialsChange, credentialsPatch, credentialsSummary } from '../platform/credentials.js';
import { secretsOf } from '../secrets/context.js';
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
  .merge(credentialsPatch)
  .partial()
  .strict();

export async function settingsApiRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  type Row = { settings: MerchantSettings; credentials: Record<string, string> | null };
  const rowOf = (merchantId: string) => ctx.db.one<Row>('SELECT settings, credentials FROM merchants WHERE id = $1', [merchantId]);
  const current = async (merchantId: string, known?: Row) => {
    const row = known ?? (await rowOf(merchantId));
    const s = row?.settings ?? {};
    const own = await scopedContext(ctx, merchantId, row?.credentials ?? null);
    return {
      qris_gateway: s.qris_gateway ?? ctx.config.payments.qrisGateway ?? null,
      va_gateway: s.va_gateway ?? ctx.config.payments.vaGateway ?? null,
      couriers: s.couriers ?? ctx.config.couriers,
      preferred_courier: s.preferred_courier ?? null,
      manual_delivery_fee: s.manual_delivery_fee ?? 15_000,
      ...storeFactsOf(s as Record<string, unknown>),
      available: { gateways: [...own.gateways.keys()], couriers: [...own.couriers.keys(), 'manual'] },
      // Which of the merchant's own credentials are set (never the credentials themselves).
      credentials: credentialsSummary(ctx, merchantId, row?.credentials ?? {}),
    };
  };

  api.get('/settings', async (req) => current(merchantIdOf(req)));

  api.patch('/settings', async (req, reply) => {
    if (!requireRole(req, reply)) return reply;
    const parsed = settingsPatch.safeParse(req.body ?? {});
    if (!parsed.success) {
      return reply.code(400).send({ error: 'invalid settings', issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
    }
    const { midtrans, xendit, doku, gosend, grab, ...patch } = parsed.data;
    const creds = { midtrans, xendit, doku, gosend, grab };
    const merchantId = merchantIdOf(req);
    if (Object.values(creds).some((v) => v) && !secretsOf(ctx).available) return reply.code(503).send({ error: 'PESAN_SECRET_KEY is not set: credentials cannot be stored' });
    // The choices below may name a gateway or courier whose credentials come in this very request.
    // (one read and one write: the row read here serves the checks, the write returns the row answered with)
    const row = await rowOf(merchantId);
    const before = await scopedContext(ctx, merchantId, row?.credentials ?? null);
    const own = {
      gateways: new Set<string>([...before.gateways.keys(), ...(['midtrans', 'xendit', 'doku'] as const).filter((g) => creds[g])]),
      couriers: new Set<string>([...before.couriers.keys(), ...(['gosend', 'grab'] as const).filter((c) => creds[c])]),
    };
    for (const key of ['qris_gateway', 'va_gateway'] as const) {
      const g = patch[key];
      if (g && !own.gateways.has(g)) return reply.code(400).send({ error: `${key}: ${g} is not configured for this merchant` });
    }
    for (const c of patch.couriers ?? []) {
      if (c !== 'manual' && !own.couriers.has(c)) return reply.code(400).send({ error: `couriers: ${c} is not configured for this merchant` });
    }
    const couriers = patch.couriers ?? row?.settings?.couriers ?? ctx.config.couriers;
    if (patch.preferred_courier && !couriers.includes(patch.preferred_courier)) {
      return reply.code(400).send({ error: 'preferred_courier must be one of couriers' });
    }
    const { set, remove } = credentialsChange(ctx, creds);
    const saved = await ctx.db.one<Row>(
      `UPDATE merchants SET settings = settings || $2::jsonb, credentials = (credentials - $4::text[]) || $3::jsonb WHERE id = $1 RETURNING settings, credentials`,
      [merchantId, JSON.stringify(patch), JSON.stringify(set), remove],
    );
    return current(merchantId, saved);
  });
}
