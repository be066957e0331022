// The load generator of `npm run bench`, in its own thread so posting webhooks does not compete
// with pesan for the same event loop. Posts N signed texts, C at a time; reports when each was sent.
import { parentPort, workerData } from 'node:worker_threads';
import { signMetaBody } from '../src/channel/whatsapp/signature.js';

interface LoadSpec {
  url: string;
  n: number;
  c: number;
  phoneNumberId: string;
  secret: string;
  texts: string[];
}

const spec = workerData as LoadSpec;
const now = () => performance.timeOrigin + performance.now();

async function main() {
  const sentAt: [string, number][] = [];
  let acked = 0;
  let next = 0;
  const t0 = now();
  async function worker(w: number) {
    for (;;) {
      const i = next++;
      if (i >= spec.n) return;
      const waId = `628${String(w).padStart(4, '0')}${String(i).padStart(6, '0')}`;
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '1', phone_number_id: spec.phoneNumberId }, contacts: [{ profile: { name: `C${w}` }, wa_id: waId }], messages: [{ from: waId, id: `wamid.bench.${i}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: spec.texts[i % spec.texts.length] } }] } }] }],
      });
      sentAt.push([waId, now()]);
      const res = await fetch(spec.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(body, spec.secret) }, body });
      if (res.status === 200) acked++;
      await res.arrayBuffer();
    }
  }
  await Promise.all(Array.from({ length: spec.c }, (_, w) => worker(w)));
  parentPort!.postMessage({ sentAt, acked, t0, tAcked: now() });
}

void main();
