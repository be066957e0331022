-- Product pictures uploaded from the dashboard live in `media` beside prescription photos. A picture
-- is served without login at an unguessable token (WhatsApp fetches product images by link), and
-- belongs to one product of the merchant's internal catalog so a replacement or deletion removes it.
ALTER TABLE media ADD COLUMN public_token TEXT;
ALTER TABLE media ADD COLUMN product_sku TEXT;
CREATE UNIQUE INDEX media_public_token ON media (public_token) WHERE public_token IS NOT NULL;
CREATE INDEX media_product_picture ON media (merchant_id, product_sku) WHERE product_sku IS NOT NULL;
