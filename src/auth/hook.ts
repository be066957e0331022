// Authentication of every /api/v1 request (the onRequest hook in src/api/routes.ts):
//   - `Authorization: Bearer <key>`: ADMIN_API_KEY (the default merchant) or a merchant API key
//     (src/platform/api-keys.ts). A key acts as owner and needs no CSRF token.
//   - the `pesan_session` cookie of a staff login; POST/PUT/PATCH/DELETE then also need the header
//     `x-csrf-token` equal to the session's token (sent to the page in the `pesan_csrf` cookie).
// It sets req.merchantId, req.auth and, for staff, req.staff.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { merchantForApiKey } from '../platform/api-keys.js';
import { safeEqual } from '../shared/crypto.js';
import { DEFAULT_MERCHANT_ID } from '../merchants.js';
import { SESSION_COOKIE, parseCookies, sessionFor } from './sessions.js';
import { beforeAudited } from './audit.js';

/** Routes anyone may call: the login itself and the logout (which only ends the cookie's session). */
export const PUBLIC_ROUTES = new Set(['/api/v1/auth/login', '/api/v1/auth/logout']);
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function bearerIdentity(ctx: AppContext, token: string): Promise<{ merchantId: string; keyId?: string; admin?: boolean } | undefined> {
  if (!token) return undefined;
  const adminKey = ctx.config.adminApiKey;
  if (adminKey && safeEqual(token, adminKey)) return { merchantId: DEFAULT_MERCHANT_ID, admin: true };
  const merchantId = await merchantForApiKey(ctx.db, token);
  return merchantId ? { merchantId } : undefined;
}

export function authenticate(ctx: AppContext) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const route = req.routeOptions.url ?? '';
    if (PUBLIC_ROUTES.has(route)) return;
    const auth = req.headers.authorization ?? '';
    if (auth) {
      const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
      const key = await bearerIdentity(ctx, token);
      if (!key) return reply.code(401).send({ error: 'missing or wrong bearer token' });
      req.merchantId = key.merchantId;
      req.auth = { kind: 'api_key', role: 'owner', actor: key.admin ? 'admin API key' : key.keyId ? `API key ${key.keyId}` : 'merchant API key', keyId: key.keyId };
    } else {
      const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
      const s = token ? await sessionFor(ctx.db, token) : undefined;
      if (!s) return reply.code(401).send({ error: token ? 'session expired; log in again' : 'log in, or send a bearer token' });
      if (UNSAFE.has(req.method)) {
        const header = req.headers['x-csrf-token'];
        if (!safeEqual(Array.isArray(header) ? header[0] : header, s.csrf)) {
          return reply.code(403).send({ error: 'missing or wrong x-csrf-token header (send the pesan_csrf cookie value)' });
        }
      }
      req.merchantId = s.merchant_id;
      req.staff = { userId: s.user_id, email: s.email, name: s.name, role: s.role, merchantId: s.merchant_id };
      req.auth = { kind: 'session', role: s.role, actor: s.name || s.email, userId: s.user_id };
    }
    await beforeAudited(ctx, req);
  };
}
