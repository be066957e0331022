// Where the order goes: a location pin or a typed address, whenever the customer sends it. Sent
// before the order asks, it is kept in the conversation and used at confirmation, so the customer
// is never asked for it again. A typed address alone is enough: the order is quoted (and later
// dispatched) without a pin by the shop's own courier; a pin sent at any point lets the couriers quote.
import type { OutgoingMessage } from '../../channel/whatsapp/outgoing.js';
import type { Queryable } from '../../db/index.js';
import { enqueue } from '../../jobs/queue.js';
import { addEvent, type OrderRow } from '../../orders/repo.js';
import { D } from '../render/say.js';
import { editable, stageOf } from '../stage.js';
import { T, type Lang } from '../texts.js';
import type { SavedPlace, Turn } from '../turn.js';

/** Puts a pin on the order and asks the courier for a quote (the job answers with the total). */
export async function applyPin(tx: Queryable, order: OrderRow, lat: number, lng: number, address?: string): Promise<OrderRow> {
  await tx.query(
    `UPDATE orders SET delivery_lat = $2, delivery_lng = $3, delivery_address = COALESCE($4, delivery_address), quote = NULL, updated_at = now() WHERE id = $1`,
    [order.id, lat, lng, address ?? null],
  );
  await addEvent(tx, order.id, 'location_shared', { lat, lng, address: address ?? null });
  await enqueue(tx, 'delivery.quote', { orderId: order.id });
  return { ...order, delivery_lat: lat, delivery_lng: lng, delivery_address: address ?? order.delivery_address, quote: null };
}

/** Puts a typed address on an order that has no pin and asks for a quote without one. */
export async function applyAddress(tx: Queryable, order: OrderRow, address: string): Promise<OrderRow> {
  await tx.query('UPDATE orders SET delivery_address = $2, quote = NULL, updated_at = now() WHERE id = $1', [order.id, address]);
  await addEvent(tx, order.id, 'address_shared', { address });
  await enqueue(tx, 'delivery.quote', { orderId: order.id });
  return { ...order, delivery_address: address, quote: null };
}

/**
 * The order has just been confirmed and needs a place: the saved one when the customer gave it
 * earlier (a pin, or a typed address, is used at once), else ask.
 */
export async function placeForConfirmedOrder(tx: Queryable, order: OrderRow, place: SavedPlace | undefined, lang: Lang): Promise<{ order: OrderRow; messages: OutgoingMessage[]; used: boolean }> {
  if (place?.lat !== undefined && place.lng !== undefined) {
    const updated = await applyPin(tx, order, place.lat, place.lng, place.address);
    return { order: updated, messages: [{ type: 'text', text: D.usingSavedPlace(lang, place.address) }], used: true };
  }
  if (place?.address) {
    const updated = await applyAddress(tx, order, place.address);
    return { order: updated, messages: [{ type: 'text', text: D.usingSavedAddress(lang, place.address) }], used: true };
  }
  return { order, messages: [{ type: 'location_request', body: T.askLocation(lang) }], used: false };
}

/**
 * After a pharmacist approves the prescription: the order now needs its place (the one shared
 * while waiting, if any). Reads the conversation without locking it; the conversation forgets the
 * place itself once the order has it.
 */
export async function placeAfterApproval(tx: Queryable, order: OrderRow, conversationId: number, lang: Lang): Promise<OutgoingMessage[]> {
  const conv = await tx.one<{ state: { place?: SavedPlace } }>('SELECT state FROM conversations WHERE id = $1', [conversationId]);
  return (await placeForConfirmedOrder(tx, order, conv?.state?.place, lang)).messages;
}

export async function receivePin(turn: Turn, lat: number, lng: number, address?: string): Promise<void> {
  const o = turn.order;
  const s = stageOf(o);
  if (o && (s === 'location' || s === 'quoting' || s === 'method')) {
    turn.order = await applyPin(turn.tx, o, lat, lng, address ?? o.delivery_address ?? turn.conv.state.place?.address);
    turn.conv.state.place = undefined;
    turn.out.push({ type: 'text', text: T.quoting(turn.lang) });
    return;
  }
  if (o && s === 'paying') {
    // The charge is made for the fee quoted: the pin only helps the driver find the door.
    await turn.tx.query('UPDATE orders SET delivery_lat = $2, delivery_lng = $3, updated_at = now() WHERE id = $1', [o.id, lat, lng]);
    await addEvent(turn.tx, o.id, 'location_shared', { lat, lng, address: address ?? null, after_quote: true });
    turn.order = { ...o, delivery_lat: lat, delivery_lng: lng };
    turn.out.push({ type: 'text', text: D.pinForDriver(turn.lang) });
    return;
  }
  if (editable(s) || s === 'prescription') {
    // Before the order needs it: kept for the order, used at confirmation (or approval).
    turn.conv.state.place = { ...turn.conv.state.place, lat, lng, ...(address ? { address } : {}) };
    turn.out.push({ type: 'text', text: D.placeSaved(turn.lang) });
    return;
  }
  turn.out.push({ type: 'text', text: D.lockedOrder(turn.lang) });
}

/** "kirim ke jl. …", "alamat saya jl. …": the words that introduce an address are not part of it. */
const ADDRESS_INTRO = /^(?:(?:tolong|mohon|please|kak|min|ya|oke|ok)[\s,]+)*(?:(?:alamat(?:nya)?(?: saya| aku| rumah| pengiriman| kirim)?|(?:tolong |mohon )?(?:di)?(?:kirim|antar|anter)(?:in|kan)?(?: aja| ya)? (?:ke|di)|deliver to|send (?:it )?to|my address is|address)[\s:,]+)/i;

export function addressOf(text: string): string {
  const t = text.trim();
  const rest = t.replace(ADDRESS_INTRO, '').trim();
  return (rest.length >= 5 ? rest : t).slice(0, 500);
}

export async function receiveAddress(turn: Turn, text: string): Promise<void> {
  const o = turn.order;
  const s = stageOf(o);
  const address = addressOf(text);
  if (o && s === 'location') {
    turn.order = await applyAddress(turn.tx, o, address);
    turn.out.push({ type: 'text', text: D.addressQuoting(turn.lang) });
    return;
  }
  if (o && (s === 'quoting' || s === 'method' || s === 'paying')) {
    // The pin is in; the typed address helps the driver find the door (used when booking).
    await turn.tx.query('UPDATE orders SET delivery_address = $2, updated_at = now() WHERE id = $1', [o.id, address]);
    turn.order = { ...o, delivery_address: address };
    turn.out.push({ type: 'text', text: D.addressForDriver(turn.lang) });
    return;
  }
  if (editable(s) || s === 'prescription') {
    turn.conv.state.place = { ...turn.conv.state.place, address };
    turn.out.push({ type: 'text', text: D.addressSaved(turn.lang) });
    return;
  }
  turn.out.push({ type: 'text', text: D.lockedOrder(turn.lang) });
}
