// Paying: the method and bank, "I have paid", and the prompts that say what the order waits for.
import type { OutgoingMessage } from '../../channel/whatsapp/outgoing.js';
import type { Queryable } from '../../db/index.js';
import { askMethodMessage } from '../../delivery/messages.js';
import { enqueue } from '../../jobs/queue.js';
import { addEvent, type OrderRow } from '../../orders/repo.js';
import { BANKS, type Bank } from '../../payments/port.js';
import { D } from '../render/say.js';
import { stageOf } from '../stage.js';
import { T, type Lang } from '../texts.js';
import type { Turn } from '../turn.js';
import { orderStatus } from './status.js';
import { sendCartSummary } from './cart.js';

export function courierLabel(courier: string | null): string {
  return ({ gosend: 'GoSend', grab: 'GrabExpress', manual: 'Kurir toko', indrive: 'inDrive', maxim: 'Maxim' } as Record<string, string>)[courier ?? ''] ?? courier ?? '-';
}

export function askMethod(turn: Turn): void {
  const o = turn.order!;
  turn.out.push({
    type: 'buttons',
    body: T.totalAndMethod(turn.lang, o.subtotal, o.delivery_fee, courierLabel(o.courier), o.total),
    buttons: [
      { id: 'pay:qris', title: T.qrisButton() },
      { id: 'pay:va', title: T.vaButton(turn.lang) },
    ],
  });
}

/** Tells the customer again what the order is waiting for. */
export async function repeatPrompt(turn: Turn): Promise<void> {
  switch (stageOf(turn.order)) {
    case 'none':
      turn.out.push({ type: 'text', text: T.noOrder(turn.lang) });
      return;
    case 'cart':
      // Paying comes after the cart is confirmed: the summary with its "Ya, pesan" button.
      return sendCartSummary(turn);
    case 'location':
      turn.out.push({ type: 'location_request', body: T.askLocation(turn.lang) });
      return;
    case 'quoting':
      turn.out.push({ type: 'text', text: T.quoting(turn.lang) });
      return;
    case 'prescription':
      turn.out.push({ type: 'text', text: T.askPrescription(turn.lang) });
      return;
    case 'method':
      return askMethod(turn);
    case 'paying':
      turn.out.push({ type: 'text', text: T.alreadyPaying(turn.lang) });
      return;
    case 'fulfilment':
      return orderStatus(turn);
    default:
      turn.out.push({ type: 'text', text: T.didNotUnderstand(turn.lang) });
  }
}

export async function paymentClaim(turn: Turn): Promise<void> {
  const o = turn.order;
  if (!o || stageOf(o) !== 'paying') return repeatPrompt(turn);
  const p = await turn.tx.one<{ id: number }>(`SELECT id FROM payments WHERE order_id = $1 AND status = 'pending' ORDER BY id DESC LIMIT 1`, [o.id]);
  if (!p) return repeatPrompt(turn);
  await addEvent(turn.tx, o.id, 'payment_claimed', { payment_id: p.id });
  await enqueue(turn.tx, 'payment.check', { paymentId: p.id, reason: 'claim', followUp: true });
}

export async function choosePayment(turn: Turn, method: 'qris' | 'va', bank: Bank | null): Promise<void> {
  const s = stageOf(turn.order);
  const o = turn.order;
  // Named before the delivery fee is known ("… bayarnya qris aja"): kept on the order, used once it is quoted.
  if (o && (s === 'cart' || s === 'prescription' || s === 'location' || s === 'quoting')) return rememberPayment(turn, o, method, bank);
  if (!o || (s !== 'method' && s !== 'paying')) return repeatPrompt(turn);
  if (method === 'va' && !bank) {
    turn.out.push(bankList(turn.lang));
    await turn.tx.query(`UPDATE orders SET payment_method = 'va', bank = NULL, updated_at = now() WHERE id = $1`, [o.id]);
    turn.order = { ...o, payment_method: 'va', bank: null };
    return;
  }
  if (s === 'paying' && o.payment_method === method && (method === 'qris' || o.bank === bank)) {
    turn.out.push({ type: 'text', text: T.alreadyPaying(turn.lang) });
    return;
  }
  await turn.tx.query('UPDATE orders SET payment_method = $2, bank = $3, updated_at = now() WHERE id = $1', [o.id, method, bank]);
  turn.order = { ...o, payment_method: method, bank };
  await addEvent(turn.tx, o.id, 'payment_method_chosen', { method, bank });
  turn.out.push({ type: 'text', text: T.creatingPayment(turn.lang) });
  // The payment job cancels any earlier live charge first, so the order never has two.
  await enqueue(turn.tx, 'payment.create', { orderId: o.id, method, bank });
}

/** A photo: the prescription the order waits for, or a payment screenshot ("I have paid"). */
export async function receiveImage(turn: Turn, mediaId: string, mimeType: string): Promise<void> {
  const o = turn.order;
  const s = stageOf(o);
  if (o && s === 'prescription') {
    await addEvent(turn.tx, o.id, 'prescription_received', { media_id: mediaId });
    await enqueue(turn.tx, 'media.fetch', { merchantId: turn.merchant.id, orderId: o.id, mediaId, mimeType, kind: 'prescription' });
    turn.out.push({ type: 'text', text: T.prescriptionReceived(turn.lang) });
    return;
  }
  if (o && s === 'paying') {
    await enqueue(turn.tx, 'media.fetch', { merchantId: turn.merchant.id, orderId: o.id, mediaId, mimeType, kind: 'payment_proof' });
    return paymentClaim(turn);
  }
  turn.out.push({ type: 'text', text: T.didNotUnderstand(turn.lang) });
}

function bankList(lang: Lang): OutgoingMessage {
  return {
    type: 'list',
    body: T.chooseBank(lang),
    button: T.bankButton(lang),
    sections: [{ rows: BANKS.map((b) => ({ id: `bank:${b}`, title: b === 'cimb' ? 'CIMB Niaga' : b.toUpperCase() })) }],
  };
}

const methodLabel = (method: 'qris' | 'va', bank: Bank | null) => (method === 'qris' ? 'QRIS' : `VA ${bank ? (bank === 'cimb' ? 'CIMB Niaga' : bank.toUpperCase()) : ''}`.trim());

/** A method chosen before there is a total: written on the order (no charge yet), said back once. */
async function rememberPayment(turn: Turn, o: OrderRow, method: 'qris' | 'va', bank: Bank | null): Promise<void> {
  if (o.payment_method !== method || (o.bank ?? null) !== bank) {
    await turn.tx.query('UPDATE orders SET payment_method = $2, bank = $3, updated_at = now() WHERE id = $1', [o.id, method, bank]);
    turn.order = { ...o, payment_method: method, bank };
    await addEvent(turn.tx, o.id, 'payment_method_chosen', { method, bank, before_quote: true });
  }
  turn.out.push({ type: 'text', text: D.paymentRemembered(turn.lang, methodLabel(method, bank)) });
  // What the order still waits for before the fee can be known (the photo of the prescription, the place).
  const s = stageOf(turn.order);
  if (s === 'location' || s === 'prescription') await repeatPrompt(turn);
}

/**
 * Once the delivery fee is known (the quote job): the total and "how would you like to pay?", or,
 * when the customer named the method earlier, the total and the charge on its way.
 */
export async function afterQuote(tx: Queryable, o: OrderRow, lang: Lang): Promise<OutgoingMessage[]> {
  const method = o.payment_method;
  const bank = o.bank as Bank | null;
  const total = { subtotal: o.subtotal, fee: o.delivery_fee, courier: courierLabel(o.courier), total: o.total };
  if (method === 'qris' || (method === 'va' && bank)) {
    await enqueue(tx, 'payment.create', { orderId: o.id, method, bank });
    return [{ type: 'text', text: D.totalPaying(lang, total, methodLabel(method, bank)) }];
  }
  if (method === 'va') return [{ type: 'text', text: D.totalPaying(lang, total, 'VA') }, bankList(lang)];
  return [askMethodMessage(lang, o)];
}
