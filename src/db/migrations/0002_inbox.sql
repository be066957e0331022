-- The merchant's chat inbox reads a customer's whole thread and the latest message of each
-- conversation; these keep both index lookups however many messages the number has handled.
CREATE INDEX IF NOT EXISTS inbound_by_conversation ON inbound_messages (conversation_id, id);
CREATE INDEX IF NOT EXISTS outbound_by_conversation ON outbound_messages (conversation_id, id);
CREATE INDEX IF NOT EXISTS conversations_recent ON conversations (merchant_id, updated_at DESC);
