import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { assertTransition, type OrderStatus } from './state-machine.js';

export interface OrderRow {
  id: string;
  merchant_id: string;
  customer_id: number;
  conversation_id: number | null;
  catalog_id: string;
  status: OrderStatus;
  language: 'id' | 'en';
  subtotal: number;
  delivery_fee: number;
  total: number;
  currency: string;
  delivery_lat: number | null;
  delivery_lng: number | null;
  delivery_address: string | null;
  courier: string | null;
  quote: any;
  payment_method: 'qris' | 'va' | null;
  bank: string | null;
  needs_prescription: boolean;
  created_at: Date;
  updated_at: Date;
  paid_at: Date | null;
  completed_at: Date | null;
}

export interface OrderItemRow {
  id: number;
  order_id: string;
  sku: string;
  name: string;
  unit: string | null;
  unit_price: number;
  quantity: number;
  line_total: number;
  prescription: boolean;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Short, unambiguous ids customers can read out: PSN-261126-7KQ2M. */
export function newOrderId(now = new Date()): string {
  const wib = new Date(now.getTime() + 7 * 3600_000);
  const ymd = wib.toISOString().slice(2, 10).replace(/-/g, '');
  const bytes = randomBytes(6);
  let suffix = '';
  for (const b of bytes) suffix += ALPHABET[b % ALPHABET.length];
  return `PSN-${ymd}-${suffix}`;
}

export async function createOrder(
  tx: Queryable,
  o: { merchantId: string; customerId: number; conversationId: number; catalogId: string; language: 'id' | 'en' },
): Promise<OrderRow> {
  const id = newOrderId();
  const row = await tx.one<OrderRow>(
    `INSERT INTO orders (id, merchant_id, customer_id, conversation_id, catalog_id, status, language)
     VALUES ($1, $2, $3, $4, $5, 'cart', $6) RETURNING *`,
    [id, o.merchantId, o.customerId, o.conversationId, o.catalogId, o.language],
  );
  await addEvent(tx, id, 'created', { catalog_id: o.catalogId }, null, 'cart');
  return row!;
}

export async function getOrder(q: Queryable, id: string, forUpdate = false): Promise<OrderRow | undefined> {
  return q.one<OrderRow>(`SELECT * FROM orders WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
}

export async function getItems(q: Queryable, orderId: string): Promise<OrderItemRow[]> {
  return q.query<OrderItemRow>('SELECT * FROM order_items WHERE order_id = $1 ORDER BY id', [orderId]);
}

export interface CartLine {
  sku: string;
  name: string;
  unit?: string | null;
  unitPrice: number;
  quantity: number;
  prescription?: boolean;
}

/** Sets one cart line (quantity 0 removes it) and recomputes the totals. */
export async function setCartLine(tx: Queryable, orderId: string, line: CartLine): Promise<void> {
  await tx.query('DELETE FROM order_items WHERE order_id = $1 AND sku = $2', [orderId, line.sku]);
  if (line.quantity > 0) {
    await tx.query(
      `INSERT INTO order_items (order_id, sku, name, unit, unit_price, quantity, line_total, prescription)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [orderId, line.sku, line.name, line.unit ?? null, line.unitPrice, line.quantity, line.unitPrice * line.quantity, line.prescription ?? false],
    );
  }
  await recomputeTotals(tx, orderId);
}

export async function recomputeTotals(tx: Queryable, orderId: string): Promise<void> {
  await tx.query(
    `UPDATE orders o SET
       subtotal = COALESCE((SELECT SUM(line_total) FROM order_items WHERE order_id = o.id), 0),
       needs_prescription = COALESCE((SELECT bool_or(prescription) FROM order_items WHERE order_id = o.id), false),
       total = COALESCE((SELECT SUM(line_total) FROM order_items WHERE order_id = o.id), 0) + o.delivery_fee,
       updated_at = now()
     WHERE o.id = $1`,
    [orderId],
  );
}

export async function addEvent(
  q: Queryable,
  orderId: string,
  type: string,
  data: Record<string, unknown> = {},
  from: string | null = null,
  to: string | null = null,
): Promise<void> {
  await q.query('INSERT INTO order_events (order_id, type, from_status, to_status, data) VALUES ($1, $2, $3, $4, $5)', [
    orderId,
    type,
    from,
    to,
    JSON.stringify(data),
  ]);
}

/**
 * Moves an order to a new status, checking the state machine and writing the timeline.
 * The caller holds the order row lock (getOrder(..., true)) inside its transaction.
 */
export async function transition(tx: Queryable, order: OrderRow, to: OrderStatus, reason: string, data: Record<string, unknown> = {}): Promise<OrderRow> {
  assertTransition(order.status, to);
  const row = await tx.one<OrderRow>(
    `UPDATE orders SET status = $2, updated_at = now(),
       paid_at = CASE WHEN $2 = 'paid' THEN now() ELSE paid_at END,
       completed_at = CASE WHEN $2 = 'completed' THEN now() ELSE completed_at END
     WHERE id = $1 AND status = $3 RETURNING *`,
    [order.id, to, order.status],
  );
  if (!row) throw new Error(`order ${order.id} changed concurrently (expected ${order.status})`);
  await addEvent(tx, order.id, reason, data, order.status, to);
  return row;
}

export async function timeline(q: Queryable, orderId: string) {
  return q.query('SELECT type, from_status, to_status, data, created_at FROM order_events WHERE order_id = $1 ORDER BY id', [orderId]);
}
