// What every admin and platform route answers for a body or query that fails its schema, and the
// readable id made from a name when the caller gives none.
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

export function badRequest(reply: FastifyReply, err: z.ZodError) {
  return reply.code(400).send({ error: 'invalid request', issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
}

/** "Apotek Sehat Jaya" → "apotek-sehat-jaya" (at most `max` characters, `fallback` when nothing is left). */
export function slugOf(name: string, max: number, fallback: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, max) || fallback
  );
}
