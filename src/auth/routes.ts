// Staff API under /api/v1: login/logout/me, TOTP enrolment, staff management and the audit log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { merchantIdOf } from '../api/request-merchant.js';
import { burnPasswordCheck, MIN_PASSWORD_LENGTH, verifyPassword } from './password.js';
import { CSRF_COOKIE, SESSION_COOKIE, SESSION_MAX_DAYS, cookie, createSession, deleteSession, parseCookies } from './sessions.js';
import { loginBlockedFor, recordLoginAttempt } from './rate-limit.js';
import { checkTotp, newTotpSecret, otpauthUrl } from './totp.js';
import { openTotpSecret, sealTotpSecret, totpSecretsAvailable } from './secret-box.js';
import { createUser, otherActiveOwners, setPassword, userByEmail, userById, userJson, UserError, type UserRow } from './users.js';
import { registerAuditHook, writeAudit } from './audit.js';
import { requireOwner } from './roles.js';
import { ROLES } from './types.js';
import { badRequest } from '../api/request-errors.js';

const loginSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
  totp: z.string().trim().max(16).optional(),
});
const codeSchema = z.object({ code: z.string().trim().min(1).max(16) });
export const staffCreateSchema = z.object({
  email: z.string().trim().min(3).max(320),
  name: z.string().trim().max(100).nullish(),
  role: z.enum(ROLES),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
});
export const staffPatchSchema = z.object({
  name: z.string().trim().max(100).nullish(),
  role: z.enum(ROLES).optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1024).optional(),
  active: z.boolean().optional(),
  /** false turns the user's two-factor login off (an owner helping someone who lost their phone). */
  totp: z.literal(false).optional(),
});


export async function authApiRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  registerAuditHook(api, ctx);
  const secure = ctx.config.publicUrl.startsWith('https:');
  const maxAge = SESSION_MAX_DAYS * 86400;

  const merchantName = async (id: string) => (await ctx.db.one<{ name: string }>('SELECT name FROM merchants WHERE id = $1', [id]))?.name ?? null;

  api.post('/auth/login', async (req, reply) => {
    // JSON only: a plain HTML form on another site cannot post a login (login CSRF).
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return reply.code(415).send({ error: 'send the login as application/json' });
    const parsed = loginSchema.safeParse(req.body);
    if (!parsed.success) return badRequest(reply, parsed.error);
    const { email, password, totp } = parsed.data;
    const ip = req.ip || 'unknown';
    const wait = await loginBlockedFor(ctx.db, email, ip);
    if (wait > 0) return reply.code(429).header('retry-after', String(wait)).send({ error: `too many failed logins; try again in ${Math.ceil(wait / 60)} minutes`, retry_after: wait });
    const user = await userByEmail(ctx.db, email);
    const ok = user ? await verifyPassword(password, user.password_hash) : (await burnPasswordCheck(password), false);
    if (!user || !ok) {
      await recordLoginAttempt(ctx.db, email, ip, false);
      return reply.code(401).send({ error: 'wrong email or password' });
    }
    if (!user.active) return reply.code(403).send({ error: 'this login is switched off; ask the owner' });
    if (!user.merchant_active) return reply.code(403).send({ error: 'this merchant is not active' });
    if (user.totp_enabled) {
      if (!totp) return reply.code(401).send({ error: 'two-factor code required', totp_required: true });
      const secret = openTotpSecret(ctx, user.id, user.totp_secret);
      const step = secret ? checkTotp(secret, totp) : undefined;
      if (step === undefined || (user.totp_last_step !== null && step <= user.totp_last_step)) {
        await recordLoginAttempt(ctx.db, email, ip, false);
        return reply.code(401).send({ error: 'wrong two-factor code', totp_required: true });
      }
      await ctx.db.query('UPDATE users SET totp_last_step = $2 WHERE id = $1', [user.id, step]);
    }
    await recordLoginAttempt(ctx.db, email, ip, true);
    const { token, csrf } = await createSession(ctx.db, user.id, { ip, userAgent: req.headers['user-agent'] });
    await writeAudit(ctx.db, { merchantId: user.merchant_id, actor: user.name || user.email, actorUserId: user.id, actorRole: user.role, action: 'login', detail: { ip } });
    reply.header('set-cookie', [
      cookie(SESSION_COOKIE, token, { httpOnly: true, secure, maxAgeSeconds: maxAge }),
      cookie(CSRF_COOKIE, csrf, { httpOnly: false, secure, maxAgeSeconds: maxAge }),
    ]);
    reply.header('cache-control', 'no-store');
    return { user: { id: user.id, email: user.email, name: user.name, role: user.role, merchant_id: user.merchant_id, merchant_name: user.merchant_name, totp_enabled: user.totp_enabled } };
  });

  api.post('/auth/logout', async (req, reply) => {
    const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (token) await deleteSession(ctx.db, token);
    reply.header('set-cookie', [
      cookie(SESSION_COOKIE, '', { httpOnly: true, secure, maxAgeSeconds: 0 }),
      cookie(CSRF_COOKIE, '', { httpOnly: false, secure, maxAgeSeconds: 0 }),
    ]);
    return { ok: true };
  });

  api.get('/auth/me', async (req) => {
    const merchantId = merchantIdOf(req);
    if (req.staff) {
      const u = await userById(ctx.db, req.staff.userId);
      return { user: { id: req.staff.userId, email: req.staff.email, name: req.staff.name, role: req.staff.role, merchant_id: merchantId, merchant_name: await merchantName(merchantId), totp_enabled: u?.totp_enabled ?? false } };
    }
    return { user: { id: null, email: null, name: req.auth?.actor ?? 'API key', role: 'owner', merchant_id: merchantId, merchant_name: await merchantName(merchantId), kind: 'api_key' } };
  });

  const sessionUser = async (req: FastifyRequest, reply: FastifyReply): Promise<UserRow | undefined> => {
    const u = req.staff ? await userById(ctx.db, req.staff.userId) : undefined;
    if (!u) reply.code(400).send({ error: 'two-factor login belongs to a staff login; log in with email and password first' });
    return u;
  };

  api.post('/auth/totp/setup', async (req, reply) => {
    const u = await sessionUser(req, reply);
    if (!u) return reply;
    if (u.totp_enabled) return reply.code(409).send({ error: 'two-factor login is already on; turn it off first' });
    if (!totpSecretsAvailable(ctx)) return reply.code(503).send({ error: 'set PESAN_SECRET_KEY to use two-factor login' });
    const secret = newTotpSecret();
    await ctx.db.query('UPDATE users SET totp_secret = $2, totp_last_step = NULL, updated_at = now() WHERE id = $1', [u.id, sealTotpSecret(ctx, u.id, secret)]);
    // The secret is shown this once, for the authenticator app; it is stored only encrypted.
    return { otpauth_url: otpauthUrl(secret, u.email), secret };
  });

  api.post('/auth/totp/enable', async (req, reply) => {
    const parsed = codeSchema.safeParse(req.body);
    if (!parsed.success) return badRequest(reply, parsed.error);
    const u = await sessionUser(req, reply);
    if (!u) return reply;
    if (u.totp_enabled) return reply.code(409).send({ error: 'two-factor login is already on' });
    const secret = openTotpSecret(ctx, u.id, u.totp_secret);
    if (!secret) return reply.code(409).send({ error: 'start with POST /api/v1/auth/totp/setup' });
    const step = checkTotp(secret, parsed.data.code);
    if (step === undefined) return reply.code(400).send({ error: 'wrong code; check the authenticator app and the phone clock' });
    await ctx.db.query('UPDATE users SET totp_enabled = true, totp_last_step = $2, updated_at = now() WHERE id = $1', [u.id, step]);
    return { totp_enabled: true };
  });

  api.post('/auth/totp/disable', async (req, reply) => {
    const parsed = codeSchema.safeParse(req.body);
    if (!parsed.success) return badRequest(reply, parsed.error);
    const u = await sessionUser(req, reply);
    if (!u) return reply;
    const secret = openTotpSecret(ctx, u.id, u.totp_secret);
    if (!u.totp_enabled || !secret) return reply.code(409).send({ error: 'two-factor login is not on' });
    if (checkTotp(secret, parsed.data.code) === undefined) return reply.code(400).send({ error: 'wrong code' });
    await ctx.db.query('UPDATE users SET totp_enabled = false, totp_secret = NULL, totp_last_step = NULL, updated_at = now() WHERE id = $1', [u.id]);
    return { totp_enabled: false };
  });

  // Staff management (owner).
  api.get('/staff', async (req, reply) => {
    if (!requireOwner(req, reply)) return reply;
    const rows = await ctx.db.query<UserRow>('SELECT * FROM users WHERE merchant_id = $1 ORDER BY id', [merchantIdOf(req)]);
    return { staff: rows.map(userJson) };
  });

  api.post('/staff', async (req, reply) => {
    if (!requireOwner(req, reply)) return reply;
    const parsed = staffCreateSchema.safeParse(req.body);
    if (!parsed.success) return badRequest(reply, parsed.error);
    try {
      const u = await createUser(ctx.db, { merchantId: merchantIdOf(req), ...parsed.data });
      return reply.code(201).send({ user: userJson(u) });
    } catch (err) {
      if (err instanceof UserError) return reply.code(err.status).send({ error: err.message });
      throw err;
    }
  });

  const staffOf = async (req: FastifyRequest) => {
    const id = Number((req.params as { id: string }).id);
    if (!Number.isSafeInteger(id)) return undefined;
    const u = await userById(ctx.db, id);
    return u && u.merchant_id === merchantIdOf(req) ? u : undefined;
  };

  api.patch('/staff/:id', async (req, reply) => {
    if (!requireOwner(req, reply)) return reply;
    const parsed = staffPatchSchema.safeParse(req.body);
    if (!parsed.success) return badRequest(reply, parsed.error);
    const u = await staffOf(req);
    if (!u) return reply.code(404).send({ error: 'no such staff member' });
    const p = parsed.data;
    const losesOwner = u.role === 'owner' && u.active && ((p.role && p.role !== 'owner') || p.active === false);
    if (losesOwner && (await otherActiveOwners(ctx.db, u.merchant_id, u.id)) === 0) return reply.code(409).send({ error: 'the merchant needs at least one active owner' });
    await ctx.db.tx(async (tx) => {
      if (p.name !== undefined) await tx.query('UPDATE users SET name = $2, updated_at = now() WHERE id = $1', [u.id, p.name]);
      if (p.role) await tx.query('UPDATE users SET role = $2, updated_at = now() WHERE id = $1', [u.id, p.role]);
      if (p.active !== undefined) {
        await tx.query('UPDATE users SET active = $2, updated_at = now() WHERE id = $1', [u.id, p.active]);
        if (!p.active) await tx.query('DELETE FROM sessions WHERE user_id = $1', [u.id]);
      }
      if (p.totp === false) await tx.query('UPDATE users SET totp_enabled = false, totp_secret = NULL, totp_last_step = NULL, updated_at = now() WHERE id = $1', [u.id]);
      if (p.password) await setPassword(tx, u.id, p.password);
    });
    return { user: userJson((await userById(ctx.db, u.id))!) };
  });

  api.delete('/staff/:id', async (req, reply) => {
    if (!requireOwner(req, reply)) return reply;
    const u = await staffOf(req);
    if (!u) return reply.code(404).send({ error: 'no such staff member' });
    if (u.role === 'owner' && u.active && (await otherActiveOwners(ctx.db, u.merchant_id, u.id)) === 0) return reply.code(409).send({ error: 'the merchant needs at least one active owner' });
    await ctx.db.query('DELETE FROM users WHERE id = $1', [u.id]);
    return { deleted: u.id };
  });

  api.get('/audit', async (req, reply) => {
    if (!requireOwner(req, reply)) return reply;
    const { limit, before } = req.query as { limit?: string; before?: string };
    const n = Math.min(Math.max(Number(limit) || 100, 1), 500);
    const b = Number(before);
    const rows = await ctx.db.query(
      `SELECT id, at, actor, actor_role, action, target, detail FROM audit_log WHERE merchant_id = $1 ${Number.isSafeInteger(b) && b > 0 ? 'AND id < $3' : ''} ORDER BY id DESC LIMIT $2`,
      Number.isSafeInteger(b) && b > 0 ? [merchantIdOf(req), n, b] : [merchantIdOf(req), n],
    );
    return { entries: rows };
  });
}
