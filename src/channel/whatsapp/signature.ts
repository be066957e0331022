// Meta signs every webhook POST with the app secret over the exact bytes it sent; re-serialising the parsed
// JSON would change escaping and break the signature, so callers must hand us the raw body.
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** The `X-Hub-Signature-256` value Meta would send for these bytes. */
export function signMetaBody(rawBody: Buffer | string, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/** True only when the header carries a well-formed sha256 HMAC of `rawBody` under `appSecret` (constant time). */
export function verifyMetaSignature(rawBody: Buffer, headerValue: string | undefined, appSecret: string): boolean {
  if (typeof headerValue !== 'string' || !appSecret) return false;
  const value = headerValue.trim();
  if (!value.toLowerCase().startsWith(PREFIX)) return false;
  const hex = value.slice(PREFIX.length);
  if (!HEX_SHA256.test(hex)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}
