// The payment tests' webhook receiver: the shared capture server, plus the routes a gateway needs on
// pesan's side (DOKU's B2B token endpoint).
import type { FastifyInstance } from 'fastify';
import { captureServer } from '../helpers/http.js';

export const webhookReceiver = (extraRoutes?: (app: FastifyInstance) => void) => captureServer(undefined, extraRoutes);
