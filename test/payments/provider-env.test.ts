// Sandbox or production per provider is an explicit setting; keys and URLs of the other kind stop the start.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';

const live = { SANDBOX: '0', WHATSAPP_ACCESS_TOKEN: 't', PUBLIC_URL: 'https://pesan.example' };

test('outside sandbox mode a provider with credentials must say sandbox or production', () => {
  assert.throws(() => loadConfig({ ...live, MIDTRANS_SERVER_KEY: 'Mid-server-abc' }), /MIDTRANS_ENV is required outside sandbox mode/);
  assert.throws(() => loadConfig({ ...live, GOSEND_CLIENT_ID: 'c', GOSEND_PASS_KEY: 'k' }), /GOSEND_ENV is required/);
  assert.throws(() => loadConfig({ ...live, MIDTRANS_ENV: 'live', MIDTRANS_SERVER_KEY: 'Mid-server-abc' }), /MIDTRANS_ENV must be sandbox or production/);
});

test('the setting picks the URL; the key prefix never does', () => {
  const prod = loadConfig({ ...live, MIDTRANS_ENV: 'production', MIDTRANS_SERVER_KEY: 'Mid-server-abc' });
  assert.equal(prod.midtrans?.baseUrl, 'https://api.midtrans.com');
  const sb = loadConfig({ ...live, MIDTRANS_ENV: 'sandbox', MIDTRANS_SERVER_KEY: 'SB-Mid-server-abc', GOSEND_ENV: 'production', GOSEND_CLIENT_ID: 'c', GRAB_ENV: 'sandbox', GRAB_CLIENT_ID: 'g' });
  assert.equal(sb.midtrans?.baseUrl, 'https://api.sandbox.midtrans.com');
  assert.equal(sb.gosend?.baseUrl, 'https://kilat-api.gojekapi.com');
  assert.equal(sb.grab?.baseUrl, 'https://partner-api.grab.com/grab-express-sandbox');
});

test('a production key against a sandbox setting or URL, or the reverse, is a clear startup error', () => {
  assert.throws(() => loadConfig({ ...live, MIDTRANS_ENV: 'production', MIDTRANS_SERVER_KEY: 'SB-Mid-server-abc' }), /MIDTRANS_SERVER_KEY is a sandbox key but MIDTRANS_ENV is production/);
  assert.throws(() => loadConfig({ ...live, MIDTRANS_ENV: 'sandbox', MIDTRANS_SERVER_KEY: 'Mid-server-abc' }), /production key/);
  assert.throws(
    () => loadConfig({ ...live, MIDTRANS_ENV: 'production', MIDTRANS_SERVER_KEY: 'Mid-server-abc', MIDTRANS_BASE_URL: 'https://api.sandbox.midtrans.com' }),
    /MIDTRANS_BASE_URL https:\/\/api.sandbox.midtrans.com is a sandbox URL but MIDTRANS_ENV is production/,
  );
  assert.throws(() => loadConfig({ ...live, XENDIT_ENV: 'production', XENDIT_SECRET_KEY: 'xnd_development_abc' }), /XENDIT_SECRET_KEY is a sandbox key/);
  assert.throws(() => loadConfig({ ...live, DOKU_ENV: 'sandbox', DOKU_CLIENT_ID: 'BRN-1', DOKU_SECRET_KEY: 's', DOKU_BASE_URL: 'https://api.doku.com' }), /production URL but DOKU_ENV is sandbox/);
  assert.throws(() => loadConfig({ ...live, GRAB_ENV: 'production', GRAB_CLIENT_ID: 'g', GRAB_BASE_URL: 'https://partner-api.grab.com/grab-express-sandbox' }), /sandbox URL but GRAB_ENV is production/);
  assert.throws(() => loadConfig({ ...live, GOSEND_ENV: 'production', GOSEND_CLIENT_ID: 'c', GOSEND_BASE_URL: 'https://pesan.example/sandbox/gosend' }), /sandbox URL/);
});

test('in sandbox mode everything defaults to sandbox and the simulators', () => {
  const c = loadConfig({ SANDBOX: '1' });
  assert.equal(c.midtrans?.env, 'sandbox');
  assert.equal(c.gosend?.env, 'sandbox');
  assert.match(c.grab!.baseUrl, /\/sandbox\/grab$/);
});
