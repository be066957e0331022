// Platform API under /api/v1/platform (bearer PLATFORM_API_KEY): the company running pesan for its
// clients creates merchants, gives them WhatsApp numbers, issues and revokes their API keys, and
// deactivates them. No answer ever carries a stored credential; a new API key is shown once.
//   POST   /merchants                       {id?, name, address, lat, lng, phone, whatsapp?} → 201 {id, api_key, api_key_id}
//   GET    /merchants                       every merchant, its numbers and keys (no secrets)
//   GET    /merchants/:id
//   PATCH  /merchants/:id                   {name?, address?, lat?, lng?, phone?, staff_phone?, active?, whatsapp?, remove_numbers?}
//   POST   /merchants/:id/api-keys          {label?} → 201 {id, api_key}
//   DELETE /merchants/:id/api-keys/:keyId
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import { safeEqual, sha256Hex } from '../shared/crypto.js';
import { internalCatalogId } from '../catalog/internal.js';
import { invalidateCatalogRows } from '../catalog/service.js';
import { secretsOf } from '../secrets/context.js';
import { SecretsUnavailableError } from '../secrets/index.js';
import { issueApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { invalidateNumbers } from './numbers.js';
import { badRequest, slugOf } from '../api/request-errors.js';

const whatsappBody = z
  .object({
    phone_number_id: z.string().trim().regex(/^[A-Za-z0-9_-]{3,64}$/, 'a Meta phone number id (digits)'),
    access_token: z.string().min(1).max(2000).optional(),
    app_secret: z.string().min(1).max(500).optional(),
    verify_token: z.string().min(1).max(500).optional(),
  })
  .strict();
type WhatsAppBody = z.infer<typeof whatsappBody>;

const merchantFields = {
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().max(500),
  lat: z.number().min(-90).max(90).nullable(),
  lng: z.number().min(-180).max(180).nullable(),
  phone: z.string().trim().max(30),
  staff_phone: z.string().trim().min(5).max(30).nullable(),
};

const createBody = z
  .object({
    id: z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, 'lowercase letters, digits, "_" and "-" (2 to 63)').optional(),
    ...merchantFields,
    address: merchantFields.address.default(''),
    lat: merchantFields.lat.optional(),
    lng: merchantFields.lng.optional(),
    phone: merchantFields.phone.default(''),
    staff_phone: merchantFields.staff_phone.optional(),
    whatsapp: z.union([whatsappBody, z.array(whatsappBody).max(20)]).optional(),
  })
  .strict();

const patchBody = z
  .object({
    ...merchantFields,
    active: z.boolean(),
    whatsapp: z.union([whatsappBody, z.array(whatsappBody).max(20)]),
    remove_numbers: z.array(z.string().trim().min(1).max(64)).max(20),
  })
  .partial()
  .strict();

const keyBody = z.object({ label: z.string().trim().min(1).max(100).optional() }).strict();


const slug = (s: string) => slugOf(s, 40, 'merchant');

class Conflict extends Error {}

export async function platformApiRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const secrets = secretsOf(ctx);

  /** Adds a number to a merchant or updates its credentials; a number of another merchant is a conflict. */
  async function putNumber(tx: Queryable, merchantId: string, w: WhatsAppBody): Promise<void> {
    const owner = await tx.one<{ merchant_id: string; access_token: string | null; app_secret: string | null }>(
      'SELECT merchant_id, access_token, app_secret FROM merchant_numbers WHERE phone_number_id = $1',
      [w.phone_number_id],
    );
    if (owner && owner.merchant_id !== merchantId) throw new Conflict(`number ${w.phone_number_id} belongs to another merchant`);
    const envNumber = w.phone_number_id === ctx.config.whatsapp.phoneNumberId;
    if (!owner && !envNumber && (!w.access_token || !w.app_secret)) {
      throw new Conflict(`number ${w.phone_number_id}: a new number needs its access_token and app_secret`);
    }
    const sealed = (v: string | undefined) => (v === undefined ? null : secrets.seal(v));
    if (!owner) {
      await tx.query(
        `INSERT INTO merchant_numbers (phone_number_id, merchant_id, access_token, app_secret, verify_token, verify_token_hash) VALUES ($1, $2, $3, $4, $5, $6)`,
        [w.phone_number_id, merchantId, sealed(w.access_token), sealed(w.app_secret), sealed(w.verify_token), w.verify_token ? sha256Hex(w.verify_token) : null],
      );
    } else {
      await tx.query(
        `UPDATE merchant_numbers SET access_token = COALESCE($2, access_token), app_secret = COALESCE($3, app_secret),
           verify_token = COALESCE($4, verify_token), verify_token_hash = COALESCE($5, verify_token_hash) WHERE phone_number_id = $1`,
        [w.phone_number_id, sealed(w.access_token), sealed(w.app_secret), sealed(w.verify_token), w.verify_token ? sha256Hex(w.verify_token) : null],
      );
    }
    // The merchants row keeps its first number (older code paths and the unique index read it).
    await tx.query(`UPDATE merchants SET wa_phone_number_id = $2 WHERE id = $1 AND wa_phone_number_id IS NULL`, [merchantId, w.phone_number_id]);
  }

  async function merchantJson(q: Queryable, id: string) {
    const m = await q.one<{ id: string; name: string; address: string; lat: number | null; lng: number | null; phone: string; staff_phone: string | null; active: boolean; created_at: Date }>(
      'SELECT id, name, address, lat, lng, phone, staff_phone, active, created_at FROM merchants WHERE id = $1',
      [id],
    );
    if (!m) return undefined;
    const numbers = await q.query<{ phone_number_id: string; access_token: string | null; app_secret: string | null; verify_token: string | null; created_at: Date }>(
      'SELECT phone_number_id, access_token, app_secret, verify_token, created_at FROM merchant_numbers WHERE merchant_id = $1 ORDER BY created_at, phone_number_id',
      [id],
    );
    const env = (v: string | null, fromEnv: string | undefined) => (v ? { configured: true } : fromEnv ? { configured: true, from_env: true } : { configured: false });
    return {
      ...m,
      numbers: numbers.map((n) => ({
        phone_number_id: n.phone_number_id,
        access_token: env(n.access_token, ctx.config.whatsapp.accessToken),
        app_secret: env(n.app_secret, ctx.config.whatsapp.appSecret),
        verify_token: env(n.verify_token, ctx.config.whatsapp.verifyToken),
        created_at: n.created_at,
      })),
      api_keys: await listApiKeys(q, id),
    };
  }

  await app.register(
    async (api) => {
      api.addHook('onRequest', async (req, reply) => {
        const key = ctx.config.platformApiKey;
        const auth = req.headers.authorization ?? '';
        const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
        if (!key) return reply.code(401).send({ error: 'the platform API is off: set PLATFORM_API_KEY' });
        if (!safeEqual(token, key)) return reply.code(401).send({ error: 'missing or wrong platform bearer token' });
      });
      api.setErrorHandler((err, _req, reply) => {
        if (err instanceof Conflict) return reply.code(409).send({ error: err.message });
        if (err instanceof SecretsUnavailableError) return reply.code(503).send({ error: err.message });
        const status = (err as { statusCode?: number }).statusCode;
        if (status && status < 500) return reply.code(status).send({ error: (err as Error).message });
        ctx.logger.error({ err: (err as Error).message }, 'platform API request failed');
        return reply.code(500).send({ error: 'internal error' });
      });

      api.post('/merchants', async (req, reply) => {
        const parsed = createBody.safeParse(req.body ?? {});
        if (!parsed.success) return badRequest(reply, parsed.error);
        const b = parsed.data;
        if (!secrets.available && b.whatsapp) throw new SecretsUnavailableError();
        const id = b.id ?? `${slug(b.name)}-${randomBytes(3).toString('hex')}`;
        const numbers = b.whatsapp === undefined ? [] : Array.isArray(b.whatsapp) ? b.whatsapp : [b.whatsapp];
        const issued = await ctx.db.tx(async (tx) => {
          const exists = await tx.one('SELECT 1 FROM merchants WHERE id = $1', [id]);
          if (exists) throw new Conflict(`merchant ${id} exists`);
          await tx.query(`INSERT INTO merchants (id, name, address, lat, lng, phone, staff_phone) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
            id,
            b.name,
            b.address,
            b.lat ?? null,
            b.lng ?? null,
            b.phone,
            b.staff_phone ?? null,
          ]);
          await tx.query(`INSERT INTO catalogs (id, merchant_id, kind, name) VALUES ($1, $2, 'internal', $3) ON CONFLICT (id) DO NOTHING`, [internalCatalogId(id), id, b.name]);
          for (const w of numbers) await putNumber(tx, id, w);
          return issueApiKey(tx, id, 'created with the merchant');
        });
        invalidateNumbers();
        invalidateCatalogRows();
        ctx.logger.info({ merchant: id, numbers: numbers.map((n) => n.phone_number_id) }, 'merchant created');
        return reply.code(201).send({ id, api_key: issued.api_key, api_key_id: issued.id });
      });

      api.get('/merchants', async () => {
        const ids = await ctx.db.query<{ id: string }>('SELECT id FROM merchants ORDER BY created_at, id');
        const merchants = [];
        for (const r of ids) merchants.push(await merchantJson(ctx.db, r.id));
        return { merchants };
      });

      api.get('/merchants/:id', async (req, reply) => {
        const m = await merchantJson(ctx.db, (req.params as { id: string }).id);
        return m ? { merchant: m } : reply.code(404).send({ error: 'merchant not found' });
      });

      api.patch('/merchants/:id', async (req, reply) => {
        const { id } = req.params as { id: string };
        const parsed = patchBody.safeParse(req.body ?? {});
        if (!parsed.success) return badRequest(reply, parsed.error);
        const b = parsed.data;
        const numbers = b.whatsapp === undefined ? [] : Array.isArray(b.whatsapp) ? b.whatsapp : [b.whatsapp];
        if (!secrets.available && numbers.some((n) => n.access_token || n.app_secret || n.verify_token)) throw new SecretsUnavailableError();
        const found = await ctx.db.tx(async (tx) => {
          const m = await tx.one('SELECT id FROM merchants WHERE id = $1 FOR UPDATE', [id]);
          if (!m) return false;
          const cols = (['name', 'address', 'lat', 'lng', 'phone', 'staff_phone', 'active'] as const).filter((k) => b[k] !== undefined);
          if (cols.length) {
            await tx.query(`UPDATE merchants SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...cols.map((c) => b[c])]);
          }
          for (const w of numbers) await putNumber(tx, id, w);
          for (const n of b.remove_numbers ?? []) {
            await tx.query('DELETE FROM merchant_numbers WHERE phone_number_id = $1 AND merchant_id = $2', [n, id]);
            await tx.query(
              `UPDATE merchants SET wa_phone_number_id = (SELECT phone_number_id FROM merchant_numbers WHERE merchant_id = $1 ORDER BY created_at LIMIT 1)
                WHERE id = $1 AND wa_phone_number_id = $2`,
              [id, n],
            );
          }
          return true;
        });
        if (!found) return reply.code(404).send({ error: 'merchant not found' });
        invalidateNumbers();
        if (b.active !== undefined) ctx.logger.info({ merchant: id, active: b.active }, b.active ? 'merchant activated' : 'merchant deactivated');
        return { merchant: await merchantJson(ctx.db, id) };
      });

      api.post('/merchants/:id/api-keys', async (req, reply) => {
        const { id } = req.params as { id: string };
        const parsed = keyBody.safeParse(req.body ?? {});
        if (!parsed.success) return badRequest(reply, parsed.error);
        const m = await ctx.db.one('SELECT 1 FROM merchants WHERE id = $1', [id]);
        if (!m) return reply.code(404).send({ error: 'merchant not found' });
        const issued = await issueApiKey(ctx.db, id, parsed.data.label);
        return reply.code(201).send({ id: issued.id, api_key: issued.api_key });
      });

      api.delete('/merchants/:id/api-keys/:keyId', async (req, reply) => {
        const { id, keyId } = req.params as { id: string; keyId: string };
        if (!(await revokeApiKey(ctx.db, id, keyId))) return reply.code(404).send({ error: 'no such live key for this merchant' });
        return { revoked: keyId };
      });
    },
    { prefix: '/api/v1/platform' },
  );
}
