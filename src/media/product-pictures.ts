// Product pictures: bytes stored in the `media` table (as prescription photos are), each with a
// random public token. The public URL is what goes into the product's image_url, because WhatsApp
// (Meta's servers) fetches product images by link and cannot send our bearer key or a session.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.js';

/** Largest picture accepted (documented in README and the OpenAPI document). */
export const MAX_PICTURE_BYTES = 5 * 1024 * 1024;
export const PICTURE_KIND = 'product_picture';
/** Path prefix of the public picture URLs (outside /api/v1: no login). */
export const PUBLIC_PICTURE_PATH = '/media/products/';

export type PictureType = 'image/jpeg' | 'image/png' | 'image/webp';
const EXTENSIONS: Record<PictureType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * The picture's type read from its first bytes. The browser's declared type and the file name are
 * ignored: they are whatever the sender says, and a served file's type must match its bytes.
 */
export function sniffPictureType(data: Uint8Array): PictureType | undefined {
  const at = (i: number, ...bytes: number[]) => bytes.every((b, k) => data[i + k] === b);
  if (data.length >= 3 && at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (data.length >= 8 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  // RIFF <size> WEBP
  if (data.length >= 12 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}

export function pictureUrl(publicUrl: string, token: string, type: PictureType): string {
  return `${publicUrl.replace(/\/$/, '')}${PUBLIC_PICTURE_PATH}${token}.${EXTENSIONS[type]}`;
}

/** Stores a product's new picture and removes the ones it replaces; answers its public URL. */
export async function storeProductPicture(
  tx: Queryable,
  opts: { merchantId: string; sku: string; type: PictureType; data: Buffer; publicUrl: string },
): Promise<{ id: number; url: string }> {
  await removeProductPictures(tx, opts.merchantId, opts.sku);
  // 256 random bits: the URL is public, so only knowing it gives access.
  const token = randomBytes(32).toString('base64url');
  // The bytes travel as base64 text decoded by PostgreSQL: PGlite's own bytea parameter encoding took
  // about 10× longer for 5 MB (≈5 s against ≈0.5 s, measured), holding its only connection meanwhile.
  const row = await tx.one<{ id: number }>(
    `INSERT INTO media (merchant_id, kind, mime_type, data, public_token, product_sku) VALUES ($1, $2, $3, decode($4, 'base64'), $5, $6) RETURNING id`,
    [opts.merchantId, PICTURE_KIND, opts.type, opts.data.toString('base64'), token, opts.sku],
  );
  return { id: Number(row!.id), url: pictureUrl(opts.publicUrl, token, opts.type) };
}

/** Deletes every stored picture of a product; answers how many. */
export async function removeProductPictures(tx: Queryable, merchantId: string, sku: string): Promise<number> {
  const gone = await tx.query('DELETE FROM media WHERE merchant_id = $1 AND kind = $2 AND product_sku = $3 RETURNING id', [merchantId, PICTURE_KIND, sku]);
  return gone.length;
}

/** A stored picture by the file name of its public URL (`<token>.<ext>`); the extension must match. */
export async function pictureByFileName(q: Queryable, fileName: string): Promise<{ type: PictureType; data: Buffer } | undefined> {
  const m = /^([A-Za-z0-9_-]{43})\.(jpg|png|webp)$/.exec(fileName);
  if (!m) return undefined;
  // base64 out as well: reading 5 MB as bytea took ≈1.7 s on PGlite, as base64 ≈0.12 s.
  const row = await q.one<{ mime_type: PictureType; b64: string }>(
    `SELECT mime_type, encode(data, 'base64') AS b64 FROM media WHERE public_token = $1 AND kind = $2`,
    [m[1], PICTURE_KIND],
  );
  if (!row || EXTENSIONS[row.mime_type] !== m[2]) return undefined;
  return { type: row.mime_type, data: Buffer.from(row.b64, 'base64') };
}
