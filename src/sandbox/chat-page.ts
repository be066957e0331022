// The sandbox customer view: a WhatsApp-like page that talks to the Meta simulator's control API
// (`/sandbox/meta/_sim/...`) and to pesan's sandbox endpoints (`/sandbox/pay|settings|order`).
// Plain HTML/CSS/JS read once at startup: no build step and nothing fetched from the internet,
// because sandbox demos run on laptops without a connection.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

export interface ChatPageOptions {
  /** Shown in the chat header, as WhatsApp shows the business profile name. */
  merchantName: string;
}

const assetDir = new URL('./chat/', import.meta.url);

function readAsset(name: string): string {
  return readFileSync(new URL(name, assetDir), 'utf8');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => /^[\p{L}\p{N}]/u.test(w));
  const letters = words.slice(0, 2).map((w) => w[0]?.toUpperCase() ?? '');
  return letters.join('') || 'P';
}

export function renderChatHtml(template: string, merchantName: string): string {
  return template
    .replaceAll('{{MERCHANT_NAME}}', escapeHtml(merchantName))
    .replaceAll('{{MERCHANT_INITIALS}}', escapeHtml(initials(merchantName)));
}

export const chatPage: FastifyPluginAsync<ChatPageOptions> = async (app: FastifyInstance, opts: ChatPageOptions) => {
  const html = renderChatHtml(readAsset('index.html'), opts.merchantName);
  const js = readAsset('app.js');
  const css = readAsset('style.css');
  // no-cache: the page is edited while demoing; a stale app.js against a newer backend confuses people.
  app.get('/sandbox/chat', async (_req, reply) => reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html));
  app.get('/sandbox/chat/app.js', async (_req, reply) => reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(js));
  app.get('/sandbox/chat/style.css', async (_req, reply) => reply.header('cache-control', 'no-cache').type('text/css; charset=utf-8').send(css));
};
