-- A send whose answer never came back (timed out, connection dropped after the request went out) may
-- have reached Meta: it is 'unconfirmed', never sent again, and Meta's status webhook (which echoes
-- the outbound id) moves it on to sent, delivered, read or failed.
ALTER TABLE outbound_messages DROP CONSTRAINT IF EXISTS outbound_messages_status_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_status_check CHECK (status IN ('queued', 'unconfirmed', 'sent', 'delivered', 'read', 'failed'));
