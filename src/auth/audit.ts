// The audit log: every change made through /api/v1 by a person or a key (orders, products,
// catalogs, settings, staff, messages) is written with who, when, what and on what. Changes to an
// order also name the person on the order's timeline: the events the request wrote get `by`
// ("approved by Dewi"), or a `staff_action` event is added when the request wrote none.
import type { FastifyInstance, FastifyRequest, FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/index.js';
import { merchantIdOf } from '../api/request-merchant.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Highest order_events id of the order an order route acts on, before the handler ran. */
    auditOrderEventsBefore?: number;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Requests that are not changes (or are recorded by their handler). */
const NOT_AUDITED = new Set(['/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/products/search']);

export interface AuditEntry {
  merchantId: string;
  actor: string;
  actorUserId?: number | null;
  actorRole?: string | null;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown>;
}

export async function writeAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (merchant_id, actor, actor_user_id, actor_role, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.merchantId, e.actor, e.actorUserId ?? null, e.actorRole ?? null, e.action, e.target ?? null, JSON.stringify(e.detail ?? {})],
  );
}

const SECRET_KEY = /pass|secret|token|key|totp|code|otp|authorization|cookie/i;

/** A copy of a request body fit for the log: secrets replaced, long lists and texts shortened. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4) return '…';
  if (typeof value === 'string') return value.length > 300 ? `${value.slice(0, 300)}…` : value;
  if (Array.isArray(value)) {
    const head = value.slice(0, 10).map((v) => redact(v, depth + 1));
    return value.length > 10 ? { count: value.length, first: head } : head;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value).slice(0, 50)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}

/** The route's path below /api/v1 and a few words for what it did. */
export function describe(method: string, route: string, body: any): { action: string; target: string | null } {
  const r = route.replace(/^\/api\/v1/, '');
  const key = `${method} ${r}`;
  const named: Record<string, string> = {
    'POST /orders/:id/prescription': body?.decision === 'reject' ? 'prescription rejected' : 'prescription approved',
    'POST /orders/:id/cancel': 'order cancelled',
    'POST /orders/:id/dispatch': 'dispatch recorded',
    'POST /orders/:id/delivery-status': `delivery ${typeof body?.status === 'string' ? body.status.replace(/_/g, ' ') : 'updated'}`,
    'POST /orders/:id/refund': 'refund',
    'PUT /products': 'products saved',
    'POST /products/import': 'products imported',
    'PATCH /products/:sku': 'product changed',
    'DELETE /products/:sku': 'product deleted',
    'POST /products/:sku/picture': 'product picture set',
    'DELETE /products/:sku/picture': 'product picture removed',
    'PATCH /settings': 'settings changed',
    'POST /catalogs': 'catalog saved',
    'POST /inbox/:waId/messages': 'message sent',
    'POST /inbox/:waId/handover': 'conversation handover',
    'POST /staff': 'staff added',
    'PATCH /staff/:id': 'staff changed',
    'DELETE /staff/:id': 'staff removed',
    'POST /auth/totp/setup': 'two-factor setup started',
    'POST /auth/totp/enable': 'two-factor enabled',
  };
  return { action: named[key] ?? key, target: null };
}

function targetOf(route: string, params: Record<string, string>): string | null {
  if (params.id && route.includes('/orders/')) return `order ${params.id}`;
  if (params.sku) return `product ${params.sku}`;
  if (params.waId) return `conversation ${params.waId}`;
  if (params.id && route.includes('/staff/')) return `user ${params.id}`;
  if (route.endsWith('/settings')) return 'settings';
  if (route.endsWith('/products') || route.endsWith('/products/import')) return 'products';
  if (route.endsWith('/catalogs')) return 'catalogs';
  return null;
}

const orderRoute = (route: string) => /^\/api\/v1\/orders\/:id(\/|$)/.test(route);

/** Called from the auth hook once the request is authenticated. */
export async function beforeAudited(ctx: AppContext, req: FastifyRequest): Promise<void> {
  const route = req.routeOptions.url ?? '';
  if (!UNSAFE.has(req.method) || !orderRoute(route)) return;
  const id = (req.params as { id?: string }).id;
  if (!id) return;
  const r = await ctx.db.one<{ max: number | null }>('SELECT MAX(id)::bigint AS max FROM order_events WHERE order_id = $1', [id]);
  req.auditOrderEventsBefore = r?.max ?? 0;
}

/** onSend: written before the answer leaves, so whoever reads the log after the answer sees it. */
export function auditHook(ctx: AppContext) {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const route = req.routeOptions.url ?? '';
    if (!req.auth || !UNSAFE.has(req.method) || NOT_AUDITED.has(route) || reply.statusCode >= 300) return payload;
    const params = (req.params ?? {}) as Record<string, string>;
    const body = req.body as any;
    const { action } = describe(req.method, route, body);
    const merchantId = merchantIdOf(req);
    try {
      await writeAudit(ctx.db, {
        merchantId,
        actor: req.auth.actor,
        actorUserId: req.auth.userId ?? null,
        actorRole: req.auth.role,
        action,
        target: targetOf(route, params),
        detail: { method: req.method, path: route.replace(/^\/api\/v1/, ''), params, ...(body !== undefined && typeof body === 'object' && body !== null ? { body: redact(body) } : {}) },
      });
      if (orderRoute(route) && params.id && req.auditOrderEventsBefore !== undefined) {
        const by = { by: req.auth.actor, by_role: req.auth.role, ...(req.auth.userId ? { by_user_id: req.auth.userId } : {}) };
        // A `by` the handler wrote is kept, except the generic "merchant", which the person replaces.
        const marked = await ctx.db.query(
          `UPDATE order_events SET data = CASE WHEN COALESCE(data->>'by', 'merchant') = 'merchant' THEN data || $3::jsonb ELSE $3::jsonb || data END
            WHERE order_id = $1 AND id > $2 RETURNING id`,
          [params.id, req.auditOrderEventsBefore, JSON.stringify(by)],
        );
        if (marked.length === 0 && (await ctx.db.one('SELECT 1 FROM orders WHERE id = $1 AND merchant_id = $2', [params.id, merchantId]))) {
          await ctx.db.query(`INSERT INTO order_events (order_id, type, data) VALUES ($1, 'staff_action', $2)`, [params.id, JSON.stringify({ action, ...by })]);
        }
      }
    } catch (err) {
      ctx.logger.error({ err, route }, 'audit log write failed');
    }
    return payload;
  };
}

export function registerAuditHook(api: FastifyInstance, ctx: AppContext): void {
  api.addHook('onSend', auditHook(ctx));
}
