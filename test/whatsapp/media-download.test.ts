// Media downloads as Meta's CDN behaves: without a User-Agent it answers an HTML page with status 200.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { GraphClient, WhatsAppApiError } from '../../src/channel/whatsapp/graph-client.js';
import { listen } from '../helpers/http.js';

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const app = Fastify();
let base = '';
const seenAgents: (string | undefined)[] = [];

before(async () => {
  app.get('/v25.0/:id', async (req) => ({ url: `${base}/cdn/${(req.params as { id: string }).id}`, mime_type: 'image/jpeg', sha256: '', file_size: png.length }));
  app.get('/cdn/:id', async (req, reply) => {
    seenAgents.push(req.headers['user-agent']);
    if (req.headers.authorization !== 'Bearer tok') return reply.status(401).send({ error: { message: 'bad token', code: 190 } });
    // The CDN's answer to a client it does not like: an HTML page, status 200.
    if (!req.headers['user-agent'] || (req.params as { id: string }).id === 'html') {
      return reply.type('text/html; charset=utf-8').send('<!DOCTYPE html><html><body>Please update your browser</body></html>');
    }
    return reply.type('image/png').send(png);
  });
  base = await listen(app);
});
after(() => app.close());

const client = () => new GraphClient({ graphUrl: base, apiVersion: 'v25.0', accessToken: 'tok', phoneNumberId: '1' });

test('a media download sends a User-Agent and gets the file', async () => {
  const { data, mimeType } = await client().downloadMedia('m1');
  assert.deepEqual(data, png);
  assert.equal(mimeType, 'image/png');
  assert.ok(seenAgents.at(-1) && seenAgents.at(-1)!.length > 0, 'a User-Agent was sent');
});

test('an HTML page in place of the media is refused, never stored as an image', async () => {
  await assert.rejects(client().downloadMedia('html'), (err: unknown) => err instanceof WhatsAppApiError && /HTML/.test(err.message) && err.transient);
});
