-- Core schema. Money is integer rupiah (BIGINT); times are TIMESTAMPTZ (UTC).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE merchants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  lat DOUBLE PRECISION,
  lng DOUBLE PRECISION,
  phone TEXT NOT NULL DEFAULT '',
  staff_phone TEXT,
  wa_phone_number_id TEXT UNIQUE,
  settings JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Catalogs serving a merchant's number: its internal catalog and any client (connector) catalogs.
CREATE TABLE catalogs (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  kind TEXT NOT NULL CHECK (kind IN ('internal', 'rest', 'woocommerce')),
  name TEXT NOT NULL,
  keywords TEXT[] NOT NULL DEFAULT '{}',
  config JSONB NOT NULL DEFAULT '{}',
  active BOOLEAN NOT NULL DEFAULT true,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE products (
  id BIGSERIAL PRIMARY KEY,
  catalog_id TEXT NOT NULL REFERENCES catalogs(id),
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  price BIGINT NOT NULL CHECK (price >= 0),
  -- stock is what can still be sold: reservations subtract from it, releases add back.
  stock INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
  unit TEXT,
  category TEXT,
  aliases TEXT[] NOT NULL DEFAULT '{}',
  prescription BOOLEAN NOT NULL DEFAULT false,
  image_url TEXT,
  active BOOLEAN NOT NULL DEFAULT true,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (catalog_id, sku)
);
CREATE INDEX products_name_trgm ON products USING gin (name gin_trgm_ops);

CREATE TABLE customers (
  id BIGSERIAL PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  wa_id TEXT NOT NULL,
  name TEXT,
  language TEXT NOT NULL DEFAULT 'id',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (merchant_id, wa_id)
);

CREATE TABLE conversations (
  id BIGSERIAL PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  customer_id BIGINT NOT NULL UNIQUE REFERENCES customers(id),
  state JSONB NOT NULL DEFAULT '{}',
  catalog_id TEXT,
  catalog_reason TEXT,
  active_order_id TEXT,
  human_handover BOOLEAN NOT NULL DEFAULT false,
  last_inbound_at TIMESTAMPTZ,
  send_lease_until TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE inbound_messages (
  id BIGSERIAL PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  conversation_id BIGINT NOT NULL REFERENCES conversations(id),
  wa_message_id TEXT NOT NULL UNIQUE,
  from_wa_id TEXT NOT NULL,
  type TEXT NOT NULL,
  payload JSONB NOT NULL,
  sent_at TIMESTAMPTZ,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  processed_at TIMESTAMPTZ,
  error TEXT
);
CREATE INDEX inbound_pending ON inbound_messages (conversation_id, id) WHERE processed_at IS NULL;

CREATE TABLE outbound_messages (
  id BIGSERIAL PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  conversation_id BIGINT REFERENCES conversations(id),
  order_id TEXT,
  to_wa_id TEXT NOT NULL,
  payload JSONB NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'delivered', 'read', 'failed')),
  wa_message_id TEXT UNIQUE,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  error JSONB,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  sent_at TIMESTAMPTZ
);
CREATE INDEX outbound_queued ON outbound_messages (conversation_id, id) WHERE status = 'queued';

CREATE TABLE whatsapp_statuses (
  id BIGSERIAL PRIMARY KEY,
  wa_message_id TEXT NOT NULL,
  status TEXT NOT NULL,
  payload JSONB NOT NULL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (wa_message_id, status)
);

-- Per-number send budget shared by every instance (WHATSAPP_MPS).
CREATE TABLE send_rate (
  phone_number_id TEXT NOT NULL,
  second BIGINT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (phone_number_id, second)
);

CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  conversation_id BIGINT REFERENCES conversations(id),
  catalog_id TEXT NOT NULL,
  status TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT 'id',
  subtotal BIGINT NOT NULL DEFAULT 0,
  delivery_fee BIGINT NOT NULL DEFAULT 0,
  total BIGINT NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'IDR',
  delivery_lat DOUBLE PRECISION,
  delivery_lng DOUBLE PRECISION,
  delivery_address TEXT,
  courier TEXT,
  quote JSONB,
  payment_method TEXT,
  bank TEXT,
  needs_prescription BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  paid_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ
);
CREATE INDEX orders_merchant_status ON orders (merchant_id, status, created_at DESC);

CREATE TABLE order_items (
  id BIGSERIAL PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders(id),
  sku TEXT NOT NULL,
  name TEXT NOT NULL,
  unit TEXT,
  unit_price BIGINT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  line_total BIGINT NOT NULL,
  prescription BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX order_items_order ON order_items (order_id);

CREATE TABLE order_events (
  id BIGSERIAL PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders(id),
  type TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  data JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order ON order_events (order_id, id);

CREATE TABLE stock_reservations (
  id BIGSERIAL PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders(id),
  catalog_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'committed', 'released')),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  closed_at TIMESTAMPTZ
);
CREATE INDEX stock_reservations_order ON stock_reservations (order_id);

CREATE TABLE payments (
  id BIGSERIAL PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders(id),
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  gateway TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('qris', 'va')),
  bank TEXT,
  amount BIGINT NOT NULL CHECK (amount > 0),
  -- reference is what the gateway knows the charge by (order id + attempt), unique per gateway.
  reference TEXT NOT NULL,
  external_id TEXT,
  status TEXT NOT NULL DEFAULT 'creating' CHECK (status IN ('creating', 'pending', 'paid', 'expired', 'cancelled', 'failed')),
  qr_string TEXT,
  va_number TEXT,
  bill_key TEXT,
  biller_code TEXT,
  expires_at TIMESTAMPTZ NOT NULL,
  paid_at TIMESTAMPTZ,
  paid_amount BIGINT,
  late BOOLEAN NOT NULL DEFAULT false,
  raw JSONB,
  error TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (gateway, reference)
);
CREATE INDEX payments_order ON payments (order_id);
-- Never two live charges for one order.
CREATE UNIQUE INDEX payments_one_live ON payments (order_id) WHERE status IN ('creating', 'pending');

CREATE TABLE deliveries (
  id BIGSERIAL PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders(id),
  courier TEXT NOT NULL,
  status TEXT NOT NULL,
  external_id TEXT,
  fee BIGINT,
  driver_name TEXT,
  driver_phone TEXT,
  vehicle_plate TEXT,
  driver_photo_url TEXT,
  tracking_url TEXT,
  provider TEXT,
  raw JSONB,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_order ON deliveries (order_id);
CREATE UNIQUE INDEX deliveries_external ON deliveries (courier, external_id) WHERE external_id IS NOT NULL;

-- Every provider webhook, stored before it is acknowledged; the unique key makes replays no-ops.
CREATE TABLE webhook_events (
  id BIGSERIAL PRIMARY KEY,
  provider TEXT NOT NULL,
  event_key TEXT NOT NULL,
  payload JSONB NOT NULL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  processed_at TIMESTAMPTZ,
  error TEXT,
  UNIQUE (provider, event_key)
);

CREATE TABLE media (
  id BIGSERIAL PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id),
  order_id TEXT,
  kind TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  data BYTEA NOT NULL,
  wa_media_id TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Durable jobs: everything that happens after a commit runs from here, so a crash loses nothing.
CREATE TABLE jobs (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  payload JSONB NOT NULL DEFAULT '{}',
  run_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 10,
  locked_until TIMESTAMPTZ,
  locked_by TEXT,
  done_at TIMESTAMPTZ,
  failed_at TIMESTAMPTZ,
  last_error TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX jobs_ready ON jobs (run_at) WHERE done_at IS NULL AND failed_at IS NULL;
