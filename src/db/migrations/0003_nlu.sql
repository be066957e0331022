-- What a product is for, in the merchant's words: read by the chat's need search ("obat pusing",
-- "lem buat pipa") and never required to name the product.
ALTER TABLE products ADD COLUMN IF NOT EXISTS description TEXT;
ALTER TABLE products ADD COLUMN IF NOT EXISTS search_words TEXT[] NOT NULL DEFAULT '{}';
