-- Staff logins: users per merchant, their sessions, login attempts (rate limiting) and the audit log.
-- An email is unique across the whole deployment (case-insensitive): the login form asks only for
-- email and password, so the email alone must say which merchant a person works for.
CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  email TEXT NOT NULL,
  name TEXT,
  role TEXT NOT NULL CHECK (role IN ('owner', 'pharmacist', 'staff')),
  -- scrypt$N$r$p$salt$hash (base64url), see src/auth/password.ts
  password_hash TEXT NOT NULL,
  -- base32 secret sealed with src/secrets (AES-256-GCM, PESAN_SECRET_KEY) together with the user id; enabled once a first code was checked
  totp_secret TEXT,
  totp_enabled BOOLEAN NOT NULL DEFAULT false,
  -- last accepted 30-second step, so a code is not accepted twice
  totp_last_step BIGINT,
  active BOOLEAN NOT NULL DEFAULT true,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_merchant ON users (merchant_id);

-- Only a SHA-256 of the session token is stored; the token itself lives in the browser's cookie.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  ip TEXT,
  user_agent TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE login_attempts (
  id BIGSERIAL PRIMARY KEY,
  email TEXT NOT NULL,
  ip TEXT NOT NULL,
  ok BOOLEAN NOT NULL,
  at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_email_ip ON login_attempts (email, ip, at);
CREATE INDEX login_attempts_at ON login_attempts (at);

CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- who: the user's name (or email), or "API key"
  actor TEXT NOT NULL,
  actor_user_id BIGINT,
  actor_role TEXT,
  action TEXT NOT NULL,
  target TEXT,
  detail JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_merchant ON audit_log (merchant_id, id DESC);
