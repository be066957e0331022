// TOTP secrets at rest: sealed with the deployment's Secrets (src/secrets: AES-256-GCM under
// PESAN_SECRET_KEY, older keys in PESAN_SECRET_KEYS still open). The sealed text carries the user
// id, so a sealed secret copied to another user's row does not open there.
import type { AppContext } from '../context.js';
import { secretsOf } from '../secrets/context.js';
import type { Secrets } from '../secrets/index.js';
import type { Queryable } from '../db/index.js';

export function totpSecretsAvailable(ctx: Pick<AppContext, 'config' | 'logger'>): boolean {
  return secretsOf(ctx).available;
}

export function sealTotpSecret(ctx: Pick<AppContext, 'config' | 'logger'>, userId: number, secret: string): string {
  return secretsOf(ctx).seal(`totp:${userId}:${secret}`);
}

/** The base32 secret, or undefined when it cannot be opened or belongs to another row. */
export function openTotpSecret(ctx: Pick<AppContext, 'config' | 'logger'>, userId: number, sealed: string | null): string | undefined {
  const plain = secretsOf(ctx).tryOpen(sealed);
  const prefix = `totp:${userId}:`;
  return plain?.startsWith(prefix) ? plain.slice(prefix.length) : undefined;
}

/** After a key rotation: reseals the TOTP secrets still under an older key. Returns how many. */
export async function resealTotpSecrets(db: Queryable, secrets: Secrets): Promise<number> {
  if (!secrets.available) return 0;
  const rows = await db.query<{ id: number; totp_secret: string }>('SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL');
  let n = 0;
  for (const r of rows) {
    if (!secrets.needsReseal(r.totp_secret)) continue;
    const plain = secrets.tryOpen(r.totp_secret);
    if (plain === undefined) continue;
    await db.query('UPDATE users SET totp_secret = $2 WHERE id = $1 AND totp_secret = $3', [r.id, secrets.seal(plain), r.totp_secret]);
    n++;
  }
  return n;
}
