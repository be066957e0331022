// Simulators use this to lose the answer of a create the provider has already recorded: the reply
// comes too late for the caller's timeout, or the connection drops. That is the moment a blind
// retry books or charges twice, so tests arm it through each simulator's `_sim/lose-next-answer`.
import type { FastifyInstance, FastifyReply } from 'fastify';

export type LostAnswerMode = 'timeout' | 'drop';

export class LostAnswers {
  private armed: { mode: LostAnswerMode; delayMs: number; count: number } | undefined;

  /** Registers `POST <prefix>/_sim/lose-next-answer` `{ "mode": "timeout"|"drop", "delay_ms"?, "count"? }`. */
  register(app: FastifyInstance): void {
    app.post('/_sim/lose-next-answer', async (req, reply) => {
      const b = (req.body ?? {}) as { mode?: string; delay_ms?: number; count?: number };
      const mode = b.mode ?? 'timeout';
      if (mode !== 'timeout' && mode !== 'drop') return reply.status(400).send({ error: 'mode must be timeout or drop' });
      this.armed = { mode, delayMs: Number(b.delay_ms ?? 3000), count: Math.max(1, Number(b.count ?? 1)) };
      return { armed: this.armed };
    });
  }

  /**
   * Call right after the create was recorded. Returns true when the answer was dropped (the handler
   * must return `reply` and send nothing); after a timeout-style loss it returns false once the delay
   * passed, and the late answer goes to a caller who gave up.
   */
  async lose(reply: FastifyReply): Promise<boolean> {
    const a = this.armed;
    if (!a) return false;
    if (--a.count <= 0) this.armed = undefined;
    if (a.mode === 'drop') {
      reply.hijack();
      reply.raw.socket?.destroy();
      return true;
    }
    await new Promise((r) => setTimeout(r, a.delayMs).unref());
    return false;
  }
}
