// The customers of `npm run bench`'s first-message burst, in a thread of their own: the main thread also
// plays Meta's Graph API and the providers, and measuring acks on that busy event loop would count its
// delays as pesan's. Posts each customer's signed "halo", C at a time, retrying what got no 200 as Meta
// does, and reports when each was sent and how long each answer took.
import { parentPort, workerData } from 'node:worker_threads';
import { Agent } from 'undici';
import { envelope, postWebhook, type AckLog } from './post-webhook.js';

export interface LoadSpec {
  urls: string[];
  ids: string[];
  c: number;
  phoneNumberId: string;
  secret: string;
  text: string;
}

export interface LoadResult {
  sentAt: [string, number][];
  acks: number[];
  ackFailures: number;
  t0: number;
  tAcked: number;
}

const spec = workerData as LoadSpec;
const now = () => performance.timeOrigin + performance.now();
const agent = new Agent({ connections: 512, pipelining: 1, keepAliveTimeout: 30_000 });
let seq = 0;

async function main(): Promise<void> {
  const sentAt: [string, number][] = [];
  const log: AckLog = { acks: [], failures: 0 };
  let next = 0;
  const t0 = now();
  await Promise.all(Array.from({ length: Math.min(spec.c, spec.ids.length) }, async () => {
    for (;;) {
      const k = next++;
      if (k >= spec.ids.length) return;
      const waId = spec.ids[k]!;
      sentAt.push([waId, await postWebhook(spec.urls[k % spec.urls.length]!, envelope(spec.phoneNumberId, waId, `wamid.bench.w${process.pid}.${++seq}`, { type: 'text', text: { body: spec.text } }), spec.secret, agent, log)]);
    }
  }));
  const result: LoadResult = { sentAt, acks: log.acks, ackFailures: log.failures, t0, tAcked: now() };
  parentPort!.postMessage(result);
  await agent.close();
}

void main();
