// Real picture files for upload tests, made here so no binary fixture is needed: a PNG any browser
// decodes (solid colour, width × height), and byte prefixes of the other formats.
import { encodeRgbPng } from '../../src/shared/png.js';

/** A decodable RGB PNG of one colour. */
export function pngPicture(width: number, height: number, rgb: [number, number, number] = [220, 40, 60]): Buffer {
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  return png(width, height, Buffer.concat(Array.from({ length: height }, () => row)));
}

/** A decodable RGB PNG of pseudo-random pixels: it hardly compresses, as a camera photo. */
export function noisyPngPicture(width: number, height: number, seed = 1): Buffer {
  const raw = Buffer.alloc(height * (width * 3 + 1));
  let x = seed >>> 0;
  for (let i = 0; i < raw.length; i++) {
    if (i % (width * 3 + 1) === 0) continue; // filter byte 0 at the start of each row
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    raw[i] = x >>> 24;
  }
  return png(width, height, raw);
}

const png = encodeRgbPng;

/** `size` bytes that start like a JPEG (SOI + APP0 marker) followed by random data. */
export function jpegLike(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 7919 + 13) & 0xff;
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
}

/** A WebP file header (RIFF … WEBPVP8L) with a body. */
export function webpLike(size = 64): Buffer {
  const b = Buffer.alloc(size, 0x11);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(size - 8, 4);
  b.write('WEBPVP8L', 8, 'ascii');
  return b;
}
