// What makes the dashboard installable on a phone: a web app manifest, a service worker (network
// first, so orders are never stale; the page shell is kept for when the network drops) and icons.
// The icons are drawn here as PNGs with node:zlib, so no binary files or image tools are needed.
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A square icon: the brand green with a white ring, readable at any launcher size. */
export function iconPng(size: number): Buffer {
  const rows: Buffer[] = [];
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x + 0.5 - c, y + 0.5 - c) / size;
      const white = r > 0.2 && r < 0.3;
      row.set(white ? [255, 255, 255] : [0, 128, 106], 1 + x * 3);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

export function manifest(name: string) {
  return {
    name: `${name} · pesan`,
    short_name: 'pesan',
    start_url: '/dashboard',
    scope: '/dashboard',
    display: 'standalone',
    background_color: '#f6f8f7',
    theme_color: '#00806a',
    icons: [192, 512].map((s) => ({ src: `/dashboard/icon-${s}.png`, sizes: `${s}x${s}`, type: 'image/png', purpose: 'any' })),
  };
}

export const serviceWorker = `// pesan dashboard service worker: network first; the shell is served from cache only when offline.
const SHELL = 'pesan-dashboard-v1';
self.addEventListener('install', (e) => { e.waitUntil(caches.open(SHELL).then((c) => c.addAll(['/dashboard/app.js', '/dashboard/style.css']))); self.skipWaiting(); });
self.addEventListener('activate', (e) => { e.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  // The API and the page itself (which may embed a key) are never cached.
  if (e.request.method !== 'GET' || !url.pathname.startsWith('/dashboard/')) return;
  e.respondWith(fetch(e.request).then((res) => { const copy = res.clone(); caches.open(SHELL).then((c) => c.put(e.request, copy)); return res; }).catch(() => caches.match(e.request)));
});
`;
