// Same interface as captureServer() in test/helpers/http.ts, but keeps the exact request bytes for
// JSON bodies too. (The shared helper's '*' parser loses to Fastify's built-in JSON parser, so its
// rawBody is a parsed object for application/json; replace this file once the helper is fixed.)
import Fastify from 'fastify';
import { listen, type CapturedRequest } from '../helpers/http.js';

export async function captureWebhooks() {
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const received: CapturedRequest[] = [];
  app.all('/*', async (req, res) => {
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
  return { url, received, close: () => app.close() };
}
