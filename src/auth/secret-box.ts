// TOTP secrets at rest: sealed with the deployment's Secrets (src/secrets: AES-256-GCM under
// PESAN_SECRET_KEY, older keys in PESAN_SECRET_KEYS still open). The sealed text carries the user
// id, so a sealed secret copied to another user's row does not open there.
import type { AppContext } from '../context.js';
import { secretsOf } from '../secrets/context.js';

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
