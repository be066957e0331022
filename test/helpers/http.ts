import Fastify, { type FastifyInstance } from 'fastify';

/** Starts a Fastify app on a free loopback port and returns its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

export interface CapturedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  json: any;
}

/**
 * A loopback server that records every request it gets with its exact bytes (signatures are over
 * bytes): a webhook receiver for simulator tests. `extraRoutes` adds endpoints pesan would serve
 * beside its webhooks (DOKU's B2B token endpoint).
 */
export async function captureServer(
  reply: (req: CapturedRequest) => { status: number; body?: unknown } = () => ({ status: 200, body: { ok: true } }),
  extraRoutes?: (app: FastifyInstance) => void,
) {
  const app = Fastify();
  const received: CapturedRequest[] = [];
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  extraRoutes?.(app);
  app.all('/*', async (req, res) => {
    const rawBody = (req.body as Buffer | undefined) ?? Buffer.alloc(0);
    let json: any;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      json = undefined;
    }
    const captured = { path: req.url, headers: req.headers, rawBody, json };
    received.push(captured);
    const r = reply(captured);
    res.status(r.status).send(r.body ?? '');
  });
  const url = await listen(app);
  return {
    url,
    received,
    close: () => app.close(),
    async waitFor(pred: (r: CapturedRequest) => boolean, timeoutMs = 5000): Promise<CapturedRequest> {
      const start = Date.now();
      for (;;) {
        const hit = received.find(pred);
        if (hit) return hit;
        if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a request');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
