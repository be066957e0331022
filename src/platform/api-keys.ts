// Merchant API keys: random 32 bytes shown once at issue; only their SHA-256 is stored. A key is a
// bearer for the /api/v1 routes and acts for its merchant only (role owner).
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { sha256Hex } from '../shared/crypto.js';

const KEY_PREFIX = 'psk_';

export interface IssuedKey {
  id: string;
  api_key: string;
}

export function hashApiKey(token: string): string {
  return sha256Hex(token);
}

export async function issueApiKey(db: Queryable, merchantId: string, label?: string | null): Promise<IssuedKey> {
  const apiKey = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = `key_${randomBytes(6).toString('hex')}`;
  await db.query(`INSERT INTO merchant_api_keys (id, merchant_id, key_hash, key_prefix, label) VALUES ($1, $2, $3, $4, $5)`, [
    id,
    merchantId,
    hashApiKey(apiKey),
    apiKey.slice(0, KEY_PREFIX.length + 4),
    label ?? null,
  ]);
  return { id, api_key: apiKey };
}

/** The merchant a bearer key acts for; null for an unknown or revoked key or an inactive merchant. */
export async function merchantForApiKey(db: Queryable, token: string): Promise<string | null> {
  if (!token || !token.startsWith(KEY_PREFIX) || token.length > 200) return null;
  const row = await db.one<{ merchant_id: string }>(
    `SELECT k.merchant_id FROM merchant_api_keys k JOIN merchants m ON m.id = k.merchant_id
      WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND m.active`,
    [hashApiKey(token)],
  );
  return row?.merchant_id ?? null;
}

/** Revokes one key of a merchant; false when the merchant has no such live key. */
export async function revokeApiKey(db: Queryable, merchantId: string, keyId: string): Promise<boolean> {
  const rows = await db.query(`UPDATE merchant_api_keys SET revoked_at = now() WHERE id = $1 AND merchant_id = $2 AND revoked_at IS NULL RETURNING id`, [keyId, merchantId]);
  return rows.length > 0;
}

export async function listApiKeys(db: Queryable, merchantId: string) {
  const rows = await db.query<{ id: string; key_prefix: string; label: string | null; created_at: Date; revoked_at: Date | null }>(
    `SELECT id, key_prefix, label, created_at, revoked_at FROM merchant_api_keys WHERE merchant_id = $1 ORDER BY created_at, id`,
    [merchantId],
  );
  return rows.map((r) => ({ id: r.id, prefix: r.key_prefix, label: r.label, created_at: r.created_at, revoked: r.revoked_at !== null }));
}
