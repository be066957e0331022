// Staff users: one row per person, belonging to one merchant. Emails are unique deployment-wide
// (case-insensitive) because the login form asks for email and password only.
import type { Queryable } from '../db/index.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password.js';
import { ROLES, type Role } from './types.js';

export interface UserRow {
  id: number;
  merchant_id: string;
  email: string;
  name: string | null;
  role: Role;
  password_hash: string;
  totp_secret: string | null;
  totp_enabled: boolean;
  totp_last_step: number | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** What the API shows of a user: never the password hash or the TOTP secret. */
export function userJson(u: UserRow) {
  return {
    id: u.id,
    merchant_id: u.merchant_id,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    totp_enabled: u.totp_enabled,
    created_at: u.created_at,
  };
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export class UserError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function createUser(
  q: Queryable,
  u: { merchantId: string; email: string; name?: string | null; role: Role; password: string },
): Promise<UserRow> {
  const email = normalizeEmail(u.email);
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UserError(`not an email address: ${u.email}`, 400);
  if (!isRole(u.role)) throw new UserError(`role must be one of ${ROLES.join(', ')}`, 400);
  if (u.password.length < MIN_PASSWORD_LENGTH) throw new UserError(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`, 400);
  const merchant = await q.one('SELECT id FROM merchants WHERE id = $1', [u.merchantId]);
  if (!merchant) throw new UserError(`no merchant ${u.merchantId}`, 404);
  if (await q.one('SELECT 1 FROM users WHERE lower(email) = $1', [email])) throw new UserError(`a user with email ${email} already exists`, 409);
  const hash = await hashPassword(u.password);
  const row = await q.one<UserRow>(
    `INSERT INTO users (merchant_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
    [u.merchantId, email, u.name ?? null, u.role, hash],
  );
  return row!;
}

export async function userByEmail(q: Queryable, email: string): Promise<(UserRow & { merchant_name: string; merchant_active: boolean }) | undefined> {
  return q.one(
    `SELECT u.*, m.name AS merchant_name, m.active AS merchant_active
       FROM users u JOIN merchants m ON m.id = u.merchant_id WHERE lower(u.email) = $1`,
    [normalizeEmail(email)],
  );
}

export async function userById(q: Queryable, id: number): Promise<UserRow | undefined> {
  return q.one<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
}

export async function setPassword(q: Queryable, userId: number, password: string): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UserError(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`, 400);
  await q.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [userId, await hashPassword(password)]);
  // A new password ends every session of the old one.
  await q.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}

/** Active owners of a merchant other than `exceptUserId`: the last one may not be removed or demoted. */
export async function otherActiveOwners(q: Queryable, merchantId: string, exceptUserId: number): Promise<number> {
  const r = await q.one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM users WHERE merchant_id = $1 AND role = 'owner' AND active AND id <> $2`, [merchantId, exceptUserId]);
  return r!.n;
}
