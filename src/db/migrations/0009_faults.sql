-- Courier booking intents: written (and committed) before pesan asks a courier to book, so that an
-- instance that dies after the courier answered and before the booking was saved leaves a trace. Any
-- later attempt for the same order and courier then looks the booking up by pesan's reference first
-- (the order id, sent as GoSend's storeOrderId and Grab's merchantOrderID) instead of booking again.
CREATE TABLE IF NOT EXISTS courier_booking_intents (
  order_id text NOT NULL,
  courier text NOT NULL,
  reference text NOT NULL,
  attempts int NOT NULL DEFAULT 1,
  external_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, courier)
);
