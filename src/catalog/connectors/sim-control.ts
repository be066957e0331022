// Behaviour switches shared by the catalog simulators: operators flip a client "down" or "slow"
// to see how pesan and its customers experience an outage.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';

export type SimMode = 'normal' | 'down' | 'slow';
export const simModeBody = z.object({ mode: z.enum(['normal', 'down', 'slow']) });
export const simStockBody = z.object({ sku: z.string().min(1), stock: z.number().int().nonnegative() });

/** How long a "slow" client takes to answer: longer than pesan's 4 s timeout. */
export const SLOW_ANSWER_MS = 10_000;

/**
 * Waits, but gives up as soon as the caller hangs up or the app starts closing, so a slow answer
 * nobody is waiting for does not hold up shutdown. Resolves false when the app is closing: the
 * caller should then answer at once with `Connection: close`.
 */
export function createPauser(app: FastifyInstance) {
  const pending = new Set<() => void>();
  let closing = false;
  // preClose, not onClose: the server only finishes closing once these requests are answered.
  app.addHook('preClose', async () => {
    closing = true;
    for (const wake of [...pending]) wake();
  });
  return (ms: number, reply: FastifyReply) =>
    new Promise<boolean>((resolve) => {
      if (ms <= 0 || closing) return resolve(!closing);
      const wake = () => {
        clearTimeout(timer);
        reply.raw.off('close', wake);
        pending.delete(wake);
        resolve(!closing);
      };
      const timer = setTimeout(wake, ms);
      reply.raw.once('close', wake);
      pending.add(wake);
    });
}
