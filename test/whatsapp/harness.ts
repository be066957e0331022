// Starts the Meta simulator on loopback with a webhook receiver standing in for pesan.
import Fastify from 'fastify';
import { listen, type CapturedRequest } from '../helpers/http.js';
import { metaSimulator } from '../../src/channel/whatsapp/simulator.js';
import { GraphClient } from '../../src/channel/whatsapp/graph-client.js';

export const SIM = { appSecret: 'sim-app-secret', accessToken: 'EAAG-sim-token', phoneNumberId: '106540352242922', displayPhoneNumber: '6281100001111' };

/**
 * Same interface as captureServer() in test/helpers/http.ts, but it keeps the raw bytes of JSON bodies too:
 * that helper lets Fastify's JSON parser take application/json, so its rawBody is the parsed object and a
 * signature over the bytes cannot be checked. Switch back once the helper removes the default parsers.
 */
export async function rawCaptureServer() {
  const app = Fastify();
  const received: CapturedRequest[] = [];
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
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

export async function startSimulator(extra: { statusDelayMs?: number; enforceServiceWindow?: boolean } = {}) {
  const webhook = await rawCaptureServer();
  const app = Fastify();
  await app.register(metaSimulator, { prefix: '/sandbox/meta', webhookUrl: `${webhook.url}/webhooks/whatsapp`, statusDelayMs: 5, ...SIM, ...extra });
  const base = await listen(app);
  const sim = `${base}/sandbox/meta`;
  const client = (over: Partial<ConstructorParameters<typeof GraphClient>[0]> = {}) =>
    new GraphClient({ graphUrl: sim, apiVersion: 'v25.0', accessToken: SIM.accessToken, phoneNumberId: SIM.phoneNumberId, ...over });
  async function control(path: string, body?: unknown) {
    const res = await fetch(`${sim}/_sim/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as any };
  }
  return {
    base,
    sim,
    webhook,
    client,
    control,
    async close() {
      await app.close();
      await webhook.close();
    },
  };
}
