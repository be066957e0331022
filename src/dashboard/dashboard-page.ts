// The merchant dashboard: one page plus a small script that drives the admin API (`/api/v1`), so every
// action a merchant takes here is one an integrator can also take through the API.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { iconPng, manifest, serviceWorker } from './pwa.js';

export interface DashboardPageOptions {
  /**
   * Embedded in the page so it can call the admin API without asking. Pass it only in sandbox mode:
   * anyone who can open the page can read it. Without it the page asks for the key and keeps it in
   * the browser tab's session storage.
   */
  adminApiKey?: string;
  /** Shown in the page header. */
  merchantName?: string;
  /** Where the admin API is mounted; default `/api/v1`. */
  apiBase?: string;
  /**
   * URL prefix where a WhatsApp media id can be viewed (prescription photos on the timeline), e.g.
   * `/sandbox/meta/_sim/media/` in sandbox mode. Unset: photos are listed by id only.
   */
  mediaBase?: string;
}

const assetDir = new URL('./assets/', import.meta.url);
const readAsset = (name: string) => readFileSync(new URL(name, assetDir), 'utf8');

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** JSON safe to place inside a <script> element (no `</script>` or comment openers survive). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function renderDashboardHtml(template: string, opts: DashboardPageOptions): string {
  const config = { apiBase: opts.apiBase ?? '/api/v1', apiKey: opts.adminApiKey ?? null, mediaBase: opts.mediaBase ?? null };
  return template
    .replaceAll('{{MERCHANT_NAME}}', escapeHtml(opts.merchantName ?? 'pesan'))
    .replace('{{CONFIG_JSON}}', () => scriptJson(config));
}

export const dashboardPage: FastifyPluginAsync<DashboardPageOptions> = async (app: FastifyInstance, opts: DashboardPageOptions) => {
  const html = renderDashboardHtml(readAsset('index.html'), opts);
  const js = readAsset('app.js');
  const css = readAsset('style.css');
  // no-store: the page may carry the sandbox admin key; keep it out of shared caches.
  app.get('/dashboard', async (_req, reply) => reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html));
  app.get('/dashboard/app.js', async (_req, reply) => reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(js));
  app.get('/dashboard/style.css', async (_req, reply) => reply.header('cache-control', 'no-cache').type('text/css; charset=utf-8').send(css));
  const icons = new Map([192, 512].map((n) => [n, iconPng(n)]));
  const appManifest = manifest(opts.merchantName ?? 'pesan');
  app.get('/dashboard/manifest.webmanifest', async (_req, reply) => reply.type('application/manifest+json').send(appManifest));
  app.get('/dashboard/sw.js', async (_req, reply) => reply.header('cache-control', 'no-cache').header('service-worker-allowed', '/dashboard').type('text/javascript; charset=utf-8').send(serviceWorker));
  for (const [n, png] of icons) app.get(`/dashboard/icon-${n}.png`, async (_req, reply) => reply.header('cache-control', 'public, max-age=86400').type('image/png').send(png));
};
