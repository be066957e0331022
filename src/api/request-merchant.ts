// Which merchant an admin API request acts for. The auth hook sets it from the bearer key or the
// staff session; every /api/v1 handler reads it through merchantIdOf so none can forget the scope.
import type { FastifyRequest } from 'fastify';
import { DEFAULT_MERCHANT_ID } from '../merchants.js';

declare module 'fastify' {
  interface FastifyRequest {
    merchantId?: string;
  }
}

export function merchantIdOf(req: FastifyRequest): string {
  return req.merchantId ?? DEFAULT_MERCHANT_ID;
}
