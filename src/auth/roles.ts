// Role guards for /api/v1 handlers. The owner may do everything; a bearer key acts as owner.
//   owner      everything: staff, settings, catalogs, products, refunds
//   pharmacist prescription decisions and orders
//   staff      orders, dispatch, inbox and stock
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from './types.js';

export type { Role } from './types.js';

export function roleOf(req: FastifyRequest): Role | undefined {
  return req.auth?.role;
}

/**
 * True when the request's role is one of `roles` (the owner always is); otherwise answers 403 and
 * returns false. Use at the top of a handler: `if (!requireRole(req, reply, 'staff')) return reply;`
 */
export function requireRole(req: FastifyRequest, reply: FastifyReply, ...roles: Role[]): boolean {
  const role = roleOf(req);
  if (role === 'owner' || (role && roles.includes(role))) return true;
  reply.code(role ? 403 : 401).send({
    error: role ? `your role (${role}) may not do this; it needs ${['owner', ...roles.filter((r) => r !== 'owner')].join(' or ')}` : 'not logged in',
  });
  return false;
}

/** Only the owner (and bearer keys). */
export const requireOwner = (req: FastifyRequest, reply: FastifyReply) => requireRole(req, reply, 'owner');

/** Staff may change a product's stock and whether it is on sale; any other field needs the owner. */
export function stockRoles(body: unknown): Role[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const keys = Object.keys(body);
  return keys.length > 0 && keys.every((k) => k === 'stock' || k === 'active') ? ['staff'] : [];
}
