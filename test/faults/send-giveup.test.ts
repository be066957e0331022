// A send that gets no answer may still have reached Meta, and the Cloud API has no idempotency key:
// such a message is never sent again, whichever timeout gave up on it. Meta's status webhook (which
// echoes the outbound id) then marks it sent. A request that certainly never left (connection
// refused) is still retried.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphClient, WhatsAppApiError } from '../../src/channel/whatsapp/graph-client.js';
import { signMetaBody } from '../../src/channel/whatsapp/signature.js';
import { freePort, startPesan, type Pesan } from '../helpers/pesan.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Graph API that reads every request and never answers: the worst case, a request that arrived. */
async function silentGraph(): Promise<{ url: string; bodies: any[]; close: () => Promise<void>; server: Server }> {
  const bodies: any[] = [];
  const server = createServer((req) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      try {
        bodies.push(JSON.parse(raw));
      } catch {
        bodies.push(raw);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    bodies,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function failure(p: Promise<unknown>): Promise<WhatsAppApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof WhatsAppApiError);
    return err;
  }
  assert.fail('expected the send to fail');
}

describe('a send that got no answer', () => {
  it('may have arrived when it timed out; certainly did not when the connection was refused', async () => {
    const graph = await silentGraph();
    try {
      const client = new GraphClient({ graphUrl: graph.url, apiVersion: 'v25.0', accessToken: 't', phoneNumberId: '1', timeoutMs: 300 });
      const timedOut = await failure(client.send('628100', { type: 'text', text: 'halo' }));
      assert.equal(timedOut.mayHaveArrived, true);
      assert.equal(graph.bodies.length, 1);
    } finally {
      await graph.close();
    }
    const closed = new GraphClient({ graphUrl: `http://127.0.0.1:${await freePort()}`, apiVersion: 'v25.0', accessToken: 't', phoneNumberId: '1', timeoutMs: 300 });
    const refused = await failure(closed.send('628100', { type: 'text', text: 'halo' }));
    assert.equal(refused.mayHaveArrived, false);
    assert.equal(refused.transient, true);
  });

  describe('in the outbox', () => {
    let graph: Awaited<ReturnType<typeof silentGraph>>;
    let p: Pesan;
    before(async () => {
      graph = await silentGraph();
      p = await startPesan({ db: 'pglite', env: { WHATSAPP_GRAPH_URL: graph.url } });
    });
    after(async () => {
      await p.stop();
      await graph.close();
    });

    it('is sent once, never again, until its status webhook marks it sent', { timeout: 120_000 }, async () => {
      const waId = '6281500000001';
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '1', phone_number_id: p.ctx.config.whatsapp.phoneNumberId }, contacts: [{ profile: { name: 'Sari' }, wa_id: waId }], messages: [{ from: waId, id: 'wamid.giveup.1', timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'halo' } }] } }] }],
      });
      const secret = p.ctx.config.whatsapp.appSecret!;
      const hook = (b: string) => fetch(`${p.base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(b, secret) }, body: b });
      assert.equal((await hook(body)).status, 200);
      // Every reply's request reaches the silent Graph API and times out (10 s each).
      let rows: { id: number; status: string }[] = [];
      for (const start = Date.now(); Date.now() - start < 90_000; await sleep(500)) {
        rows = await p.ctx.db.query(`SELECT id, status FROM outbound_messages WHERE to_wa_id = $1 ORDER BY id`, [waId]);
        if (rows.length > 0 && rows.every((r) => r.status !== 'queued')) break;
      }
      assert.ok(rows.length > 0, 'the greeting queued replies');
      assert.deepEqual(rows.map((r) => r.status), rows.map(() => 'unconfirmed'));
      // Well past the outbox sweeper's interval and the first retry's backoff: nothing is sent again.
      await sleep(6_000);
      const sends = graph.bodies.filter((b) => b?.to === waId);
      assert.equal(sends.length, rows.length, 'each reply was requested exactly once');
      assert.deepEqual(sends.map((b) => b.biz_opaque_callback_data), rows.map((r) => `pesan:out:${r.id}`));
      // Meta did deliver the first: its status webhook, echoing the outbound id, marks it sent.
      const status = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '1', phone_number_id: p.ctx.config.whatsapp.phoneNumberId }, statuses: [{ id: 'wamid.meta.1', status: 'sent', recipient_id: waId, timestamp: String(Math.floor(Date.now() / 1000)), biz_opaque_callback_data: `pesan:out:${rows[0]!.id}` }] } }] }],
      });
      assert.equal((await hook(status)).status, 200);
      const first = await p.ctx.db.one<{ status: string; wa_message_id: string }>(`SELECT status, wa_message_id FROM outbound_messages WHERE id = $1`, [rows[0]!.id]);
      assert.deepEqual(first, { status: 'sent', wa_message_id: 'wamid.meta.1' });
    });
  });
});
