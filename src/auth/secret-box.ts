// Encryption at rest for the TOTP secrets: AES-256-GCM with a random 12-byte IV and the user id as
// associated data (a sealed secret copied to another user's row does not open). The key is
// PESAN_SECRET_KEY (32 bytes as 64 hex or base64, or any passphrase, which is hashed to 32 bytes);
// in sandbox mode without it a fixed sandbox key is used. Outside sandbox without the key, TOTP
// enrolment is refused.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';

function keyFrom(value: string): Buffer {
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex');
  const b64 = Buffer.from(value, 'base64');
  if (b64.length === 32 && /^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return b64;
  return createHash('sha256').update(`pesan-secret-key:${value}`).digest();
}

export function secretKeyOf(config: Config): Buffer | undefined {
  // The key belongs to the configuration; until Config carries it, the environment variable is read here.
  const configured = (config as { secretKey?: string }).secretKey ?? process.env.PESAN_SECRET_KEY;
  if (configured && configured.trim()) return keyFrom(configured.trim());
  if (config.sandbox) return createHash('sha256').update('pesan sandbox secret key (not for production)').digest();
  return undefined;
}

export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
}

export function open(key: Buffer, sealed: string, aad: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}
