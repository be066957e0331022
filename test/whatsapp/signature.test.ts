import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signMetaBody, verifyMetaSignature } from '../../src/channel/whatsapp/signature.js';

const secret = 'app-secret-123';
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]}],"note":"caf\\u00e9 \u00e9"}');

test('a body signed with the app secret is accepted', () => {
  const header = signMetaBody(body, secret);
  assert.match(header, /^sha256=[0-9a-f]{64}$/);
  assert.equal(verifyMetaSignature(body, header, secret), true);
});

test('the hex digest is accepted in upper case too', () => {
  const header = 'sha256=' + signMetaBody(body, secret).slice(7).toUpperCase();
  assert.equal(verifyMetaSignature(body, header, secret), true);
});

test('a signature made with another secret is refused', () => {
  assert.equal(verifyMetaSignature(body, signMetaBody(body, 'attacker-guess'), secret), false);
});

test('a tampered body is refused', () => {
  const header = signMetaBody(body, secret);
  const tampered = Buffer.from(body.toString('utf8').replace('"1"', '"2"'));
  assert.equal(verifyMetaSignature(tampered, header, secret), false);
});

test('re-serialised JSON is not the signed body (escapes differ), so it is refused', () => {
  const header = signMetaBody(body, secret);
  const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
  assert.notDeepEqual(reserialised, body);
  assert.equal(verifyMetaSignature(reserialised, header, secret), false);
});

test('a missing or malformed header is refused without throwing', () => {
  const good = signMetaBody(body, secret);
  for (const header of [undefined, '', 'sha256=', 'sha1=' + good.slice(7), good.slice(7), 'sha256=zz' + good.slice(9), good + '00', good.slice(0, -2)]) {
    assert.equal(verifyMetaSignature(body, header, secret), false, String(header));
  }
});

test('an empty app secret never verifies', () => {
  assert.equal(verifyMetaSignature(body, signMetaBody(body, ''), ''), false);
});
