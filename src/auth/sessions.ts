// Login sessions: a random 32-byte token in an httpOnly cookie, only its SHA-256 in the database.
// A session ends after 12 hours without a request or 7 days after login, whichever comes first.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { sha256Hex } from '../shared/crypto.js';
import type { Role } from './types.js';

export const SESSION_IDLE_HOURS = 12;
export const SESSION_MAX_DAYS = 7;
export const SESSION_COOKIE = 'pesan_session';
export const CSRF_COOKIE = 'pesan_csrf';

export interface SessionInfo {
  token_hash: string;
  csrf: string;
  last_seen_at: Date;
  user_id: number;
  email: string;
  name: string | null;
  role: Role;
  merchant_id: string;
  merchant_name: string;
}

export async function createSession(q: Queryable, userId: number, meta: { ip?: string; userAgent?: string } = {}): Promise<{ token: string; csrf: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await q.query(
    `INSERT INTO sessions (token_hash, user_id, csrf, ip, user_agent, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6))`,
    [sha256Hex(token), userId, csrf, meta.ip ?? null, (meta.userAgent ?? '').slice(0, 300) || null, SESSION_MAX_DAYS],
  );
  // Expired sessions of anyone are cleared now and then, here rather than in a separate job.
  await q.query(`DELETE FROM sessions WHERE expires_at < now() OR last_seen_at < now() - make_interval(hours => $1)`, [SESSION_IDLE_HOURS]);
  return { token, csrf };
}

/** The live session for a cookie token (user and merchant active), touching its idle clock. */
export async function sessionFor(q: Queryable, token: string): Promise<SessionInfo | undefined> {
  if (!token || token.length > 200) return undefined;
  const s = await q.one<SessionInfo>(
    `SELECT s.token_hash, s.csrf, s.last_seen_at, u.id AS user_id, u.email, u.name, u.role, u.merchant_id, m.name AS merchant_name
       FROM sessions s JOIN users u ON u.id = s.user_id JOIN merchants m ON m.id = u.merchant_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(hours => $2)
        AND u.active AND m.active`,
    [sha256Hex(token), SESSION_IDLE_HOURS],
  );
  if (!s) return undefined;
  // The idle clock is moved at most once a minute, so reads do not each write.
  if (Date.now() - new Date(s.last_seen_at).getTime() > 60_000) {
    await q.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [s.token_hash]);
  }
  return s;
}

export async function deleteSession(q: Queryable, token: string): Promise<void> {
  await q.query('DELETE FROM sessions WHERE token_hash = $1', [sha256Hex(token)]);
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (!k || k in out) continue;
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export function cookie(name: string, value: string, opts: { httpOnly: boolean; secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    `Max-Age=${opts.maxAgeSeconds}`,
    'SameSite=Lax',
    ...(opts.httpOnly ? ['HttpOnly'] : []),
    ...(opts.secure ? ['Secure'] : []),
  ].join('; ');
}
