// Login rate limiting from the login_attempts table (so it holds across instances): five failed
// logins for one email from one address within 15 minutes, or thirty from one address for any
// emails, and further attempts answer 429 until the window has passed.
import type { Queryable } from '../db/index.js';
import { normalizeEmail } from './users.js';

export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_EMAIL_IP = 5;
export const MAX_FAILURES_PER_IP = 30;

/** Seconds until another attempt is allowed, or 0 when one is allowed now. */
export async function loginBlockedFor(q: Queryable, email: string, ip: string): Promise<number> {
  const r = await q.one<{ per_email: number; per_ip: number; oldest_email: Date | null; oldest_ip: Date | null }>(
    `SELECT COUNT(*) FILTER (WHERE email = $1)::int AS per_email, COUNT(*)::int AS per_ip,
            MIN(at) FILTER (WHERE email = $1) AS oldest_email, MIN(at) AS oldest_ip
       FROM login_attempts WHERE ip = $2 AND NOT ok AND at > now() - make_interval(mins => $3)`,
    [normalizeEmail(email), ip, LOGIN_WINDOW_MINUTES],
  );
  const until = (oldest: Date | null) => (oldest ? Math.max(1, Math.ceil((new Date(oldest).getTime() + LOGIN_WINDOW_MINUTES * 60_000 - Date.now()) / 1000)) : 1);
  if (r!.per_email >= MAX_FAILURES_PER_EMAIL_IP) return until(r!.oldest_email);
  if (r!.per_ip >= MAX_FAILURES_PER_IP) return until(r!.oldest_ip);
  return 0;
}

export async function recordLoginAttempt(q: Queryable, email: string, ip: string, ok: boolean): Promise<void> {
  const e = normalizeEmail(email).slice(0, 320);
  if (ok) {
    // A successful login clears this address's failures for the email.
    await q.query('DELETE FROM login_attempts WHERE email = $1 AND ip = $2 AND NOT ok', [e, ip]);
    return;
  }
  await q.query('INSERT INTO login_attempts (email, ip, ok) VALUES ($1, $2, false)', [e, ip]);
  await q.query(`DELETE FROM login_attempts WHERE at < now() - make_interval(mins => $1)`, [LOGIN_WINDOW_MINUTES * 4]);
}
