// Where the order goes: a location pin or a typed address, whenever the customer sends it. Sent
// before the order asks, it is kept in the conversation and used at confirmation, so the customer
// is never asked for it again.
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

/**
 * The order has just been confirmed and needs a place: the saved one when the customer gave it
 * earlier (a pin is used at once; a typed address is kept and only the pin is asked), else ask.
 */
export async function placeForConfirmedOrder(tx: Queryable, order: OrderRow, place: SavedPlace | undefined, lang: Lang): Promise<{ order: OrderRow; messages: OutgoingMessage[]; used: boolean }> {
  if (place?.lat !== undefined && place.lng !== undefined) {
    const updated = await applyPin(tx, order, place.lat, place.lng, place.address);
    return { order: updated, messages: [{ type: 'text', text: D.usingSavedPlace(lang, place.address) }], used: true };
  }
  if (place?.address) {
    await tx.query('UPDATE orders SET delivery_address = $2, updated_at = now() WHERE id = $1', [order.id, place.address]);
    return { order: { ...order, delivery_address: place.address }, messages: [{ type: 'location_request', body: D.pinForAddress(lang, place.address) }], used: true };
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
  if (editable(s) || s === 'prescription') {
    // Before the order needs it: kept for the order, used at confirmation (or approval).
    turn.conv.state.place = { ...turn.conv.state.place, lat, lng, ...(address ? { address } : {}) };
    turn.out.push({ type: 'text', text: D.placeSaved(turn.lang) });
    return;
  }
  turn.out.push({ type: 'text', text: D.lockedOrder(turn.lang) });
}

export async function receiveAddress(turn: Turn, text: string): Promise<void> {
  const o = turn.order;
  const s = stageOf(o);
  const address = text.trim().slice(0, 500);
  if (o && s === 'location') {
    await turn.tx.query('UPDATE orders SET delivery_address = $2, updated_at = now() WHERE id = $1', [o.id, address]);
    turn.order = { ...o, delivery_address: address };
    turn.out.push({ type: 'location_request', body: T.addressNoted(turn.lang) });
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
