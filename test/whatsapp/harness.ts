// Starts the Meta simulator on loopback with a webhook receiver standing in for pesan.
import Fastify from 'fastify';
import { captureServer, listen } from '../helpers/http.js';
import { metaSimulator } from '../../src/channel/whatsapp/simulator.js';
import { GraphClient } from '../../src/channel/whatsapp/graph-client.js';

export const SIM = { appSecret: 'sim-app-secret', accessToken: 'EAAG-sim-token', phoneNumberId: '106540352242922', displayPhoneNumber: '6281100001111' };

/** The shared capture server stands in for pesan's webhook endpoint. */
export const rawCaptureServer = () => captureServer();

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
