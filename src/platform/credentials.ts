// A merchant's own gateway and courier credentials, set through PATCH /api/v1/settings
// ("midtrans": {"server_key", "env"}, "xendit", "doku", "gosend", "grab"; null removes one). Each is
// sealed on its own in merchants.credentials and is never returned: answers say {configured: true}.
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import { secretsOf } from '../secrets/context.js';

const env = z.enum(['sandbox', 'production']);
const url = z.string().url().max(300);
const secret = (max = 2000) => z.string().min(1).max(max);

export const credentialSchemas = {
  midtrans: z.object({ server_key: secret(), env, base_url: url.optional() }).strict(),
  xendit: z.object({ secret_key: secret(), callback_token: secret(), env, base_url: url.optional() }).strict(),
  doku: z
    .object({
      client_id: secret(200),
      secret_key: secret(),
      private_key: secret(10_000).optional(),
      doku_public_key: secret(10_000).optional(),
      qris_merchant_id: z.string().max(64).optional(),
      va_partner_service_id: z.string().max(32).optional(),
      env,
      base_url: url.optional(),
    })
    .strict(),
  gosend: z.object({ client_id: secret(200), pass_key: secret(), webhook_token: secret(), env, base_url: url.optional() }).strict(),
  grab: z
    .object({ client_id: secret(200), client_secret: secret(), webhook_token: secret(), sender_email: z.string().email().optional(), env, base_url: url.optional(), auth_url: url.optional() })
    .strict(),
};

export type ProviderName = keyof typeof credentialSchemas;
export const PROVIDER_NAMES = Object.keys(credentialSchemas) as ProviderName[];
export type MerchantCredentials = { [K in ProviderName]?: z.infer<(typeof credentialSchemas)[K]> };

/** The settings PATCH fields for credentials (each optional; null removes). */
export const credentialsPatch = z.object(
  Object.fromEntries(PROVIDER_NAMES.map((p) => [p, credentialSchemas[p].nullable()])) as { [K in ProviderName]: z.ZodNullable<(typeof credentialSchemas)[K]> },
);

/** What a credentials patch changes: providers to store (sealed) and providers to remove. */
export function credentialsChange(ctx: Pick<AppContext, 'config' | 'logger'>, patch: Partial<Record<ProviderName, unknown | null>>): { set: Record<string, string>; remove: string[] } {
  const secrets = secretsOf(ctx);
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const p of PROVIDER_NAMES) {
    if (!(p in patch) || patch[p] === undefined) continue;
    if (patch[p] === null) remove.push(p);
    else set[p] = secrets.sealJson(patch[p]);
  }
  return { set, remove };
}

/** The sealed credentials as stored (a fingerprint: adapters are rebuilt when it changes). */
export async function sealedCredentials(q: Queryable, merchantId: string): Promise<Record<string, string>> {
  const row = await q.one<{ credentials: Record<string, string> | null }>('SELECT credentials FROM merchants WHERE id = $1', [merchantId]);
  return row?.credentials ?? {};
}

export function openCredentials(ctx: Pick<AppContext, 'config' | 'logger'>, merchantId: string, sealed: Record<string, string>): MerchantCredentials {
  const secrets = secretsOf(ctx);
  const out: MerchantCredentials = {};
  for (const p of PROVIDER_NAMES) {
    const v = sealed[p];
    if (!v) continue;
    try {
      (out as Record<string, unknown>)[p] = secrets.openJson(v);
    } catch {
      ctx.logger.error({ merchant: merchantId, provider: p }, 'stored credentials cannot be opened (PESAN_SECRET_KEY changed without PESAN_SECRET_KEYS?)');
    }
  }
  return out;
}

/** What an answer may say about a merchant's credentials: which are set and their environment. */
export function credentialsSummary(ctx: Pick<AppContext, 'config' | 'logger'>, merchantId: string, sealed: Record<string, string>) {
  const open = openCredentials(ctx, merchantId, sealed);
  return Object.fromEntries(PROVIDER_NAMES.map((p) => [p, open[p] ? { configured: true, env: open[p]!.env } : { configured: false }]));
}
