// Helpers shared by the client catalog connectors.
import type { z } from 'zod';
import { createLogger } from '../../shared/log.js';
import type { Product, ReserveLine } from '../types.js';

/** What connectors need from a logger (a pino logger fits). */
export interface ConnectorLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

let fallbackLogger: ConnectorLogger | undefined;
export function defaultLogger(): ConnectorLogger {
  fallbackLogger ??= createLogger('warn');
  return fallbackLogger;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** One line per SKU, quantities added up, so a cart that names a product twice is checked as a whole. */
export function mergeLines(lines: ReserveLine[]): ReserveLine[] {
  const wanted = new Map<string, number>();
  for (const l of lines) wanted.set(l.sku, (wanted.get(l.sku) ?? 0) + l.quantity);
  return [...wanted].map(([sku, quantity]) => ({ sku, quantity }));
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every optional field filled in, so callers (and upserts) never have to guess a default. */
export function completeProduct(p: Product): Required<Product> {
  return {
    sku: p.sku,
    name: p.name,
    price: p.price,
    stock: p.stock,
    unit: p.unit ?? null,
    category: p.category ?? null,
    aliases: (p.aliases ?? []).map((a) => a.trim()).filter(Boolean),
    description: p.description?.trim() || null,
    search_words: (p.search_words ?? []).map((a) => a.trim()).filter(Boolean),
    prescription: p.prescription ?? false,
    image_url: p.image_url ?? null,
    active: p.active ?? true,
  };
}

export const trimSlash = (url: string) => url.replace(/\/+$/, '');
