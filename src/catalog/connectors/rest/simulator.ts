// A client catalog that speaks pesan's connector spec (docs/catalog-connector.openapi.yaml) from
// memory: the demo pharmacy "Apotek Sehat Farma", and a reference for clients implementing the spec.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { safeEqual } from '../../../shared/crypto.js';
import type { Product } from '../../types.js';
import { completeProduct, describeIssues, mergeLines } from '../common.js';
import { createPauser, SLOW_ANSWER_MS, simModeBody, simStockBody, type SimMode } from '../sim-control.js';
import { APOTEK_SEHAT_FARMA_NAME, apotekSehatFarmaProducts } from './seed.js';
import { commitRequest, reservationRequest, type ReservationBody, type ReservationStatus } from './wire.js';

export interface RestCatalogSimulatorOptions {
  token: string;
  products?: Product[];
  /** Added to every answer, to make a demo feel like a remote system. */
  latencyMs?: number;
  name?: string;
}

interface Reservation {
  id: string;
  orderId: string;
  status: ReservationStatus;
  expiresAt: Date;
  lines: { sku: string; quantity: number }[];
  customer?: { name: string; phone: string; address?: string | null };
  updatedAt: Date;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

const fail = (reply: FastifyReply, status: number, error: string, message: string, extra: Record<string, unknown> = {}) =>
  reply.status(status).send({ error, message, ...extra });

const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function decodeCursor(cursor: string): number | undefined {
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

const listQuery = z.object({
  q: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
  cursor: z.string().optional(),
});
const batchBody = z.object({ skus: z.array(z.string().min(1)).min(1).max(100) });

export const restCatalogSimulator: FastifyPluginAsync<RestCatalogSimulatorOptions> = async (app, opts) => {
  const name = opts.name ?? APOTEK_SEHAT_FARMA_NAME;
  // On-hand stock per SKU; what the API calls `stock` is on hand minus active holds.
  const catalog = new Map<string, { product: Required<Product>; onHand: number }>();
  for (const p of opts.products ?? apotekSehatFarmaProducts) catalog.set(p.sku, { product: completeProduct(p), onHand: p.stock });
  const reservations = new Map<string, Reservation>();
  let mode: SimMode = 'normal';
  const pause = createPauser(app);

  function expireHolds(now = new Date()) {
    for (const r of reservations.values()) {
      if (r.status === 'held' && r.expiresAt <= now) {
        r.status = 'expired';
        r.updatedAt = now;
      }
    }
  }

  function held(sku: string, except?: Reservation): number {
    let n = 0;
    for (const r of reservations.values()) {
      if (r.status !== 'held' || r === except) continue;
      for (const l of r.lines) if (l.sku === sku) n += l.quantity;
    }
    return n;
  }

  function available(sku: string, except?: Reservation): number {
    const item = catalog.get(sku);
    if (!item || !item.product.active) return 0;
    return Math.max(0, item.onHand - held(sku, except));
  }

  const view = (sku: string): Required<Product> => ({ ...catalog.get(sku)!.product, stock: available(sku) });

  const body = (r: Reservation): ReservationBody => ({
    reservation_id: r.id,
    order_id: r.orderId,
    status: r.status,
    expires_at: r.expiresAt.toISOString(),
    lines: r.lines,
  });

  function shortagesFor(lines: { sku: string; quantity: number }[], except?: Reservation) {
    return lines
      .map((l) => ({ sku: l.sku, requested: l.quantity, available: available(l.sku, except) }))
      .filter((s) => s.available < s.requested);
  }

  function sell(r: Reservation) {
    for (const l of r.lines) {
      const item = catalog.get(l.sku);
      if (item) item.onHand = Math.max(0, item.onHand - l.quantity);
    }
    r.status = 'committed';
    r.updatedAt = new Date();
  }

  const sameLines = (a: Reservation['lines'], b: Reservation['lines']) =>
    a.length === b.length && a.every((l) => b.some((m) => m.sku === l.sku && m.quantity === l.quantity));

  // The API itself, behind the mode switch and the bearer token.
  await app.register(async (api) => {
    api.addHook('onRequest', async (_req: FastifyRequest, reply: FastifyReply) => {
      if (mode === 'down') return fail(reply, 503, 'unavailable', `${name} is temporarily unavailable`);
      // Like a real slow server, the request still takes effect after the caller gave up.
      if (!(await pause(mode === 'slow' ? SLOW_ANSWER_MS : (opts.latencyMs ?? 0), reply))) {
        return fail(reply.header('connection', 'close'), 503, 'unavailable', `${name} is shutting down`);
      }
    });
    api.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const auth = req.headers.authorization ?? '';
      const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
      if (!token) return fail(reply, 401, 'unauthorized', 'missing bearer token');
      if (!safeEqual(token, opts.token)) return fail(reply, 401, 'unauthorized', 'invalid token');
      expireHolds();
    });

    api.get('/products', async (req, reply) => {
      const q = listQuery.safeParse(req.query);
      if (!q.success) return fail(reply, 400, 'invalid_request', describeIssues(q.error));
      const offset = q.data.cursor ? decodeCursor(q.data.cursor) : 0;
      if (offset === undefined) return fail(reply, 400, 'invalid_request', 'cursor is not one this server issued');
      const words = (q.data.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const matches = [...catalog.values()]
        .filter(({ product: p }) => {
          const hay = [p.sku, p.name, p.category ?? '', ...p.aliases].join(' ').toLowerCase();
          return words.every((w) => hay.includes(w));
        })
        .map(({ product }) => view(product.sku));
      const limit = q.data.limit ?? DEFAULT_LIMIT;
      const next = offset + limit < matches.length ? encodeCursor(offset + limit) : null;
      return { products: matches.slice(offset, offset + limit), next_cursor: next };
    });

    api.get<{ Params: { sku: string } }>('/products/:sku', async (req, reply) => {
      if (!catalog.has(req.params.sku)) return fail(reply, 404, 'not_found', `no product with sku ${req.params.sku}`);
      return view(req.params.sku);
    });

    api.post('/products::batchGet', async (req, reply) => {
      const b = batchBody.safeParse(req.body);
      if (!b.success) return fail(reply, 400, 'invalid_request', describeIssues(b.error));
      const skus = [...new Set(b.data.skus)];
      return { products: skus.filter((s) => catalog.has(s)).map(view), missing: skus.filter((s) => !catalog.has(s)) };
    });

    api.post('/reservations', async (req, reply) => {
      const b = reservationRequest.safeParse(req.body);
      if (!b.success) return fail(reply, 400, 'invalid_request', describeIssues(b.error));
      const expiresAt = new Date(b.data.expires_at);
      if (expiresAt <= new Date()) return fail(reply, 400, 'invalid_request', 'expires_at is in the past');
      const lines = mergeLines(b.data.lines);
      const existing = reservations.get(b.data.order_id);
      if (existing?.status === 'committed') return reply.status(200).send(body(existing));
      const current = existing?.status === 'held' ? existing : undefined;
      if (current && sameLines(current.lines, lines)) {
        current.expiresAt = expiresAt;
        return reply.status(200).send(body(current));
      }
      // A changed cart replaces the hold: the order's own held units count as available.
      const shortages = shortagesFor(lines, current);
      if (shortages.length) return fail(reply, 409, 'insufficient_stock', 'not enough stock for every line', { shortages });
      const r: Reservation = { id: `rsv_${randomUUID()}`, orderId: b.data.order_id, status: 'held', expiresAt, lines, updatedAt: new Date() };
      reservations.set(r.orderId, r);
      return reply.status(201).send(body(r));
    });

    api.delete<{ Params: { order_id: string } }>('/reservations/:order_id', async (req, reply) => {
      const r = reservations.get(req.params.order_id);
      if (r?.status === 'committed') return fail(reply, 409, 'already_committed', 'the order was already sold; it can no longer be released');
      if (r?.status === 'held') {
        r.status = 'released';
        r.updatedAt = new Date();
      }
      return reply.status(204).send();
    });

    api.post<{ Params: { order_id: string } }>('/reservations/:order_id/commit', async (req, reply) => {
      const b = commitRequest.safeParse(req.body ?? {});
      if (!b.success) return fail(reply, 400, 'invalid_request', describeIssues(b.error));
      const existing = reservations.get(req.params.order_id);
      if (existing?.status === 'committed') return reply.status(200).send(body(existing));
      if (existing?.status === 'held') {
        existing.customer = b.data.customer;
        sell(existing);
        return reply.status(200).send(body(existing));
      }
      // No live hold (lapsed or never made): sell the lines if the stock is still there.
      if (!b.data.lines) return fail(reply, 404, 'not_found', `no held reservation for order ${req.params.order_id}`);
      const lines = mergeLines(b.data.lines);
      const shortages = shortagesFor(lines);
      if (shortages.length) return fail(reply, 409, 'insufficient_stock', 'the hold lapsed and the stock is gone', { shortages });
      const r: Reservation = { id: `rsv_${randomUUID()}`, orderId: req.params.order_id, status: 'held', expiresAt: new Date(), lines, customer: b.data.customer, updatedAt: new Date() };
      reservations.set(r.orderId, r);
      sell(r);
      return reply.status(200).send(body(r));
    });
  });

  // Control endpoints for operators and tests: no token, never affected by the mode.
  app.post('/_sim/mode', async (req, reply) => {
    const b = simModeBody.safeParse(req.body);
    if (!b.success) return fail(reply, 400, 'invalid_request', describeIssues(b.error));
    mode = b.data.mode;
    return { mode };
  });

  app.post('/_sim/stock', async (req, reply) => {
    const b = simStockBody.safeParse(req.body);
    if (!b.success) return fail(reply, 400, 'invalid_request', describeIssues(b.error));
    const item = catalog.get(b.data.sku);
    if (!item) return fail(reply, 404, 'not_found', `no product with sku ${b.data.sku}`);
    item.onHand = b.data.stock;
    return { ...view(b.data.sku), on_hand: item.onHand };
  });

  app.get('/_sim/state', async () => {
    expireHolds();
    return {
      name,
      mode,
      latency_ms: opts.latencyMs ?? 0,
      products: [...catalog.values()].map(({ product, onHand }) => ({ ...view(product.sku), on_hand: onHand, held: held(product.sku) })),
      reservations: [...reservations.values()].map((r) => ({ ...body(r), customer: r.customer ?? null, updated_at: r.updatedAt.toISOString() })),
    };
  });
};
