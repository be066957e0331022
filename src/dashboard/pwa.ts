// What makes the dashboard installable on a phone: a web app manifest, a service worker (network
// first, so orders are never stale; the page shell is kept for when the network drops) and icons.
// The icons are drawn here as PNGs with node:zlib, so no binary files or image tools are needed.
import { encodeRgbPng } from '../shared/png.js';

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
  return encodeRgbPng(size, size, Buffer.concat(rows));
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
