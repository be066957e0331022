// A webhook receiver that keeps the exact bytes of every request (signatures are over bytes), with room
// for extra routes a gateway needs on pesan's side (DOKU's B2B token endpoint).
// Same surface as captureServer() from ../helpers/http.ts, which currently hands JSON bodies over parsed.
import Fastify, { type FastifyInstance } from 'fastify';
import { listen, type CapturedRequest } from '../helpers/http.js';

export async function webhookReceiver(extraRoutes?: (app: FastifyInstance) => void) {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  extraRoutes?.(app);
  const received: CapturedRequest[] = [];
  app.post('/*', async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let json: any;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      json = undefined;
    }
    received.push({ path: req.url, headers: req.headers, rawBody, json });
    return res.status(200).send({ ok: true });
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
