// Who is making an /api/v1 request, set by the auth hook (src/auth/hook.ts).
export const ROLES = ['owner', 'pharmacist', 'staff'] as const;
export type Role = (typeof ROLES)[number];

export interface StaffIdentity {
  userId: number;
  email: string;
  name: string | null;
  role: Role;
  merchantId: string;
}

export interface RequestAuth {
  kind: 'session' | 'api_key';
  role: Role;
  /** How the audit log and the order timeline name who acted: the user's name or email, or "API key". */
  actor: string;
  userId?: number;
  /** Merchant API key id, when the bearer was one. */
  keyId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffIdentity;
    auth?: RequestAuth;
  }
}
