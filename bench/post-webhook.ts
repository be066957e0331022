// One signed WhatsApp webhook posted as Meta does: anything but a 200 is retried with backoff.
import type { Agent } from 'undici';
import { signMetaBody } from '../src/channel/whatsapp/signature.js';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface AckLog {
  acks: number[];
  failures: number;
}

/** A Meta webhook body carrying one customer's message. */
export function envelope(phoneNumberId: string, waId: string, messageId: string, message: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '1', phone_number_id: phoneNumberId }, contacts: [{ profile: { name: 'Pelanggan' }, wa_id: waId }], messages: [{ from: waId, id: messageId, timestamp: String(Math.floor(Date.now() / 1000)), ...message }] } }] }],
  });
}

/** Posts the body until it is acknowledged; records each answer's latency; returns when the first try started. */
export async function postWebhook(url: string, body: string, secret: string, dispatcher: Agent, log: AckLog): Promise<number> {
  const sig = signMetaBody(body, secret);
  for (let attempt = 0; ; attempt++) {
    const t = now();
    try {
      const res = await fetch(`${url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig }, body, dispatcher } as RequestInit);
      await res.arrayBuffer();
      log.acks.push(now() - t);
      if (res.status === 200) return t;
    } catch {
      log.acks.push(now() - t);
    }
    log.failures++;
    if (attempt > 5) throw new Error('webhook never acknowledged');
    await sleep(500 * 2 ** attempt);
  }
}
