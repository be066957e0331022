-- Courier polling: when did the courier last tell us anything about this delivery (webhook or poll)?
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS last_event_at TIMESTAMPTZ;

-- Refunds: through the gateway where its API refunds the method, otherwise recorded by hand with the
-- bank transfer's reference. Amounts are integer rupiah.
CREATE TABLE IF NOT EXISTS refunds (
  id BIGSERIAL PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  order_id TEXT NOT NULL REFERENCES orders(id),
  payment_id BIGINT,
  amount BIGINT NOT NULL CHECK (amount > 0),
  reason TEXT NOT NULL,
  -- 'gateway' (refunded through the payment gateway's API) or 'manual' (the merchant transferred it)
  method TEXT NOT NULL,
  gateway TEXT,
  gateway_refund_id TEXT,
  bank_reference TEXT,
  -- 'done' or 'failed' (a gateway refund the gateway refused)
  status TEXT NOT NULL,
  error TEXT,
  refunded_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS refunds_order ON refunds (order_id);
CREATE INDEX IF NOT EXISTS refunds_merchant ON refunds (merchant_id, created_at)
;

-- A QRIS the gateway gave only as an image (Midtrans without qr_string): the image's URL.
ALTER TABLE payments ADD COLUMN IF NOT EXISTS qr_image_url TEXT
