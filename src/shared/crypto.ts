import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Constant-time string comparison that is false (not throwing) for different lengths. */
export function safeEqual(a: string | undefined | null, b: string | undefined | null): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
export const sha512Hex = (data: string | Buffer) => createHash('sha512').update(data).digest('hex');
export const hmacHex = (alg: 'sha256' | 'sha512', key: string, data: string | Buffer) => createHmac(alg, key).update(data).digest('hex');
export const hmacBase64 = (alg: 'sha256' | 'sha512', key: string, data: string | Buffer) => createHmac(alg, key).update(data).digest('base64');

/** Header lookup that ignores case, as HTTP does. */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === want) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}
