// Simulators use this to lose the answer of a create the provider has already recorded: the reply
// comes too late for the caller's timeout, or the connection drops. That is the moment a blind
// retry books or charges twice, so tests arm it through each simulator's `_sim/lose-next-answer`.
import type { FastifyInstance, FastifyReply } from 'fastify';

export type LostAnswerMode = 'timeout' | 'drop';

export class LostAnswers {
  private armed: { mode: LostAnswerMode; delayMs: number; count: number; downMs: number } | undefined;
  private downUntil = 0;

  /** True for `down_ms` after an answer was lost: the provider then answers 503 to everything. */
  isDown(): boolean {
    return Date.now() < this.downUntil;
  }

  /**
   * Registers `POST <prefix>/_sim/lose-next-answer` `{ "mode": "timeout"|"drop", "delay_ms"?, "count"?, "down_ms"? }`;
   * `down_ms` makes the provider unavailable for that long right after, so the lookup fails too.
   */
  register(app: FastifyInstance): void {
    app.post('/_sim/lose-next-answer', async (req, reply) => {
      const b = (req.body ?? {}) as { mode?: string; delay_ms?: number; count?: number; down_ms?: number };
      const mode = b.mode ?? 'timeout';
      if (mode !== 'timeout' && mode !== 'drop') return reply.status(400).send({ error: 'mode must be timeout or drop' });
      this.armed = { mode, delayMs: Number(b.delay_ms ?? 3000), count: Math.max(1, Number(b.count ?? 1)), downMs: Math.max(0, Number(b.down_ms ?? 0)) };
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
    if (a.downMs > 0) this.downUntil = Date.now() + a.downMs;
    if (a.mode === 'drop') {
      reply.hijack();
      reply.raw.socket?.destroy();
      return true;
    }
    await new Promise((r) => setTimeout(r, a.delayMs).unref());
    return false;
  }
}
