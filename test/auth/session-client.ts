// A browser-like client for the staff API: keeps the cookies a login sets and sends the CSRF
// header the dashboard sends (unless told not to).
import type { Pesan } from '../helpers/pesan.js';
import { createUser } from '../../src/auth/users.js';
import type { Role } from '../../src/auth/types.js';

export interface StaffClient {
  cookies: Map<string, string>;
  setCookies: string[];
  login(email: string, password: string, totp?: string): Promise<{ status: number; body: any }>;
  call(method: string, path: string, body?: unknown, opts?: { csrf?: boolean | string }): Promise<{ status: number; body: any }>;
}

export function staffClient(p: Pesan): StaffClient {
  const cookies = new Map<string, string>();
  const c: StaffClient = {
    cookies,
    setCookies: [],
    async login(email, password, totp) {
      return c.call('POST', '/api/v1/auth/login', { email, password, ...(totp ? { totp } : {}) });
    },
    async call(method, path, body, opts = {}) {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const csrf = opts.csrf ?? true;
      if (csrf === true && cookies.get('pesan_csrf')) headers['x-csrf-token'] = cookies.get('pesan_csrf')!;
      if (typeof csrf === 'string') headers['x-csrf-token'] = csrf;
      const res = await fetch(`${p.base}${path}`, { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined });
      const set = res.headers.getSetCookie();
      if (set.length) c.setCookies = set;
      for (const line of set) {
        const [pair] = line.split(';');
        const i = pair.indexOf('=');
        const k = pair.slice(0, i);
        const v = pair.slice(i + 1);
        if (/Max-Age=0/i.test(line) || v === '') cookies.delete(k);
        else cookies.set(k, v);
      }
      const text = await res.text();
      let json: any;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = text;
      }
      return { status: res.status, body: json };
    },
  };
  return c;
}

let n = 0;
/** A user of the default merchant, created directly in the database. */
export async function addUser(p: Pesan, role: Role, name?: string): Promise<{ email: string; password: string; id: number }> {
  const email = `${role}${++n}-${Date.now().toString(36)}@test.pesan`;
  const password = `pw-${role}-${n}-long-enough`;
  const u = await createUser(p.ctx.db, { merchantId: 'default', email, name: name ?? null, role, password });
  return { email, password, id: u.id };
}
