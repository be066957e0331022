-- Many merchants on one deployment: each merchant's WhatsApp numbers (several per merchant, each
-- with the credentials of the Meta app it belongs to), its API keys (stored as SHA-256 hashes),
-- whether it is active, and its provider credentials (encrypted, see src/secrets).
ALTER TABLE merchants ADD COLUMN IF NOT EXISTS active BOOLEAN NOT NULL DEFAULT true;
-- Encrypted provider credentials by provider: {"midtrans": "<sealed JSON>", ...}; never returned.
ALTER TABLE merchants ADD COLUMN IF NOT EXISTS credentials JSONB NOT NULL DEFAULT '{}';

CREATE TABLE IF NOT EXISTS merchant_numbers (
  phone_number_id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  -- Sealed (AES-256-GCM) Graph access token, Meta app secret and webhook verify token; NULL: from env.
  access_token TEXT,
  app_secret TEXT,
  verify_token TEXT,
  -- SHA-256 of the verify token, so the GET handshake finds its number without decrypting every row.
  verify_token_hash TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS merchant_numbers_merchant ON merchant_numbers (merchant_id);

INSERT INTO merchant_numbers (phone_number_id, merchant_id)
  SELECT wa_phone_number_id, id FROM merchants WHERE wa_phone_number_id IS NOT NULL
  ON CONFLICT (phone_number_id) DO NOTHING;

CREATE TABLE IF NOT EXISTS merchant_api_keys (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  key_hash TEXT NOT NULL UNIQUE,
  -- The first characters of the key, so an operator can tell keys apart; not enough to use one.
  key_prefix TEXT NOT NULL,
  label TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  revoked_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS merchant_api_keys_merchant ON merchant_api_keys (merchant_id);

-- The number the customer last wrote to: the merchant answers from that number.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS phone_number_id TEXT;
