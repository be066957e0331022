// Credentials at rest: sealed with AES-256-GCM (node:crypto) under PESAN_SECRET_KEY. A sealed value
// is `s1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts); the key id is the first 8 hex digits of
// the SHA-256 of the key, so after a rotation (new PESAN_SECRET_KEY, the old one in PESAN_SECRET_KEYS)
// old values still open and are resealed under the new key at start (resealAll).
// In sandbox mode without PESAN_SECRET_KEY a local key is derived (and the log says so once).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import type { Logger } from '../shared/log.js';

export class SecretsUnavailableError extends Error {
  constructor() {
    super('PESAN_SECRET_KEY is not set: credentials cannot be stored or read');
  }
}

interface Key {
  id: string;
  bytes: Buffer;
}

/** A key from configuration: 32 bytes as base64 or hex, or any passphrase (then hashed to 32 bytes). */
function keyFrom(text: string): Key {
  let bytes: Buffer | undefined;
  if (/^[0-9a-f]{64}$/i.test(text)) bytes = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const b = Buffer.from(text, 'base64');
    if (b.length === 32) bytes = b;
  }
  bytes ??= createHash('sha256').update(`pesan-secret-key:${text}`).digest();
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

export class Secrets {
  private readonly current?: Key;
  private readonly byId = new Map<string, Key>();

  constructor(opts: { key?: string; previous?: string[]; sandbox?: boolean; sandboxSeed?: string; logger?: Pick<Logger, 'warn'> }) {
    let key = opts.key ? keyFrom(opts.key) : undefined;
    if (!key && opts.sandbox) {
      key = keyFrom(`sandbox-local:${opts.sandboxSeed ?? 'pesan'}`);
      opts.logger?.warn({ key_id: key.id }, 'PESAN_SECRET_KEY is not set: sandbox mode seals stored credentials with a key derived locally (not for production)');
    }
    this.current = key;
    for (const k of [key, ...(opts.previous ?? []).map(keyFrom)]) if (k && !this.byId.has(k.id)) this.byId.set(k.id, k);
  }

  get available(): boolean {
    return !!this.current;
  }

  get currentKeyId(): string | undefined {
    return this.current?.id;
  }

  seal(plain: string): string {
    if (!this.current) throw new SecretsUnavailableError();
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return ['s1', this.current.id, iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [v, kid, iv, tag, ct] = sealed.split('.');
    if (v !== 's1' || !kid || !iv || !tag || ct === undefined) throw new Error('not a sealed value');
    const key = this.byId.get(kid);
    if (!key) throw new Error(`sealed with unknown key ${kid}: add the old key to PESAN_SECRET_KEYS`);
    const d = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }

  /** Null-safe open: undefined for NULL, and for a value that cannot be opened (logged by the caller). */
  tryOpen(sealed: string | null | undefined): string | undefined {
    if (!sealed) return undefined;
    try {
      return this.open(sealed);
    } catch {
      return undefined;
    }
  }

  needsReseal(sealed: string): boolean {
    return !!this.current && sealed.split('.')[1] !== this.current.id;
  }
}

/** After a key rotation: reseals every stored credential still under an older key. Returns how many. */
export async function resealAll(db: Queryable, secrets: Secrets): Promise<number> {
  if (!secrets.available) return 0;
  let n = 0;
  const numbers = await db.query<{ phone_number_id: string; access_token: string | null; app_secret: string | null; verify_token: string | null }>(
    'SELECT phone_number_id, access_token, app_secret, verify_token FROM merchant_numbers',
  );
  for (const r of numbers) {
    const next: Record<string, string | null> = {};
    for (const col of ['access_token', 'app_secret', 'verify_token'] as const) {
      const v = r[col];
      if (v && secrets.needsReseal(v)) next[col] = secrets.seal(secrets.open(v));
    }
    const cols = Object.keys(next);
    if (!cols.length) continue;
    await db.query(`UPDATE merchant_numbers SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE phone_number_id = $1`, [r.phone_number_id, ...cols.map((c) => next[c])]);
    n += cols.length;
  }
  const merchants = await db.query<{ id: string; credentials: Record<string, string> }>(`SELECT id, credentials FROM merchants WHERE credentials <> '{}'::jsonb`);
  for (const m of merchants) {
    let changed = false;
    const creds = { ...m.credentials };
    for (const [k, v] of Object.entries(creds)) {
      if (typeof v === 'string' && secrets.needsReseal(v)) {
        creds[k] = secrets.seal(secrets.open(v));
        changed = true;
        n++;
      }
    }
    if (changed) await db.query('UPDATE merchants SET credentials = $2::jsonb WHERE id = $1', [m.id, JSON.stringify(creds)]);
  }
  return n;
}
