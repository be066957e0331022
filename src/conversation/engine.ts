// The dialogue: one customer message in, state changes and replies out, all inside the caller's
// transaction. Provider calls (gateways, couriers) never run here: they are queued as jobs, so a
// slow provider never holds a conversation or a database transaction.
import type { AppContext, MerchantRow } from '../context.js';
import type { Queryable } from '../db/index.js';
import type { IncomingContent, OutgoingMessage } from '../channel/whatsapp/outgoing.js';
import { parseMessage, detectLanguage, searchProducts, type NluResult } from '../nlu/index.js';
import type { LoadedCatalog } from '../catalog/service.js';
import type { Product } from '../catalog/types.js';
import { addEvent, createOrder, getItems, getOrder, setCartLine, transition, type OrderRow } from '../orders/repo.js';
import { CANCELLABLE, OPEN_STATUSES } from '../orders/state-machine.js';
import { enqueue } from '../jobs/queue.js';
import type { Recipient } from './outbox.js';
import type { LlmHint } from './llm-assist.js';
import { T, type Lang } from './texts.js';
import { productList, rowTitle } from './menu.js';
import { answerSwitch, catalogMenu, chooseCatalog, currentCatalog, routeText } from './catalog-routing.js';
import { confirmOrder, cancelOrder } from './order-actions.js';
import { BANKS, type Bank } from '../payments/port.js';
import { formatRupiah as formatRp } from '../shared/money.js';

const rp = formatRp;

export interface ConversationRow {
  id: number;
  merchant_id: string;
  customer_id: number;
  state: ConversationState;
  catalog_id: string | null;
  catalog_reason: string | null;
  active_order_id: string | null;
  human_handover: boolean;
}

export interface ConversationState {
  /** A question we asked and whose answer we are waiting for. */
  pending?: { kind: 'ambiguity'; mention: string; quantity: number; candidates: string[] };
}

export interface CustomerRow {
  id: number;
  wa_id: string;
  name: string | null;
  language: Lang;
}

export interface Turn {
  ctx: AppContext;
  tx: Queryable;
  merchant: MerchantRow;
  conv: ConversationRow;
  customer: CustomerRow;
  lang: Lang;
  to: Recipient;
  out: OutgoingMessage[];
  order?: OrderRow;
  catalog?: LoadedCatalog;
  /** The optional LLM's reading of this message, asked before the transaction (llm-assist.ts). */
  llmHint?: LlmHint;
}

export async function handleIncoming(turn: Turn, content: IncomingContent): Promise<void> {
  const { conv } = turn;
  if (conv.active_order_id) {
    const order = await getOrder(turn.tx, conv.active_order_id, true);
    if (order && OPEN_STATUSES.includes(order.status)) turn.order = order;
  }
  if (content.type === 'text') updateLanguage(turn, content.text);

  if (conv.human_handover) {
    // A person is answering; the bot stays quiet unless the customer asks for it back.
    if (content.type === 'text' && /^\s*(bot|menu)\s*$/i.test(content.text)) {
      await turn.tx.query('UPDATE conversations SET human_handover = false WHERE id = $1', [conv.id]);
      conv.human_handover = false;
    } else return;
  }

  switch (content.type) {
    case 'text':
      return onText(turn, content.text);
    case 'interactive':
      return onReply(turn, content.replyId, content.title);
    case 'location':
      return onLocation(turn, content.latitude, content.longitude, content.address ?? content.name);
    case 'image':
      return onImage(turn, content.mediaId, content.mimeType ?? 'image/jpeg');
    case 'order': {
      const catalog = await catalogFor(turn);
      return addItems(turn, catalog, content.items.map((i) => ({ sku: i.sku, quantity: i.quantity })), 'set');
    }
    default:
      turn.out.push({ type: 'text', text: T.didNotUnderstand(turn.lang) });
  }
}

function updateLanguage(turn: Turn, text: string): void {
  // Switch language only on messages with enough words to tell; "ok" says nothing.
  if ((text.match(/[a-z]{2,}/gi) ?? []).length < 2) return;
  const lang = detectLanguage(text);
  if (lang !== turn.lang) {
    turn.lang = lang;
    turn.customer.language = lang;
  }
}

async function catalogFor(turn: Turn): Promise<LoadedCatalog> {
  return currentCatalog(turn);
}

async function onText(turn: Turn, typed: string): Promise<void> {
  // Which of the number's catalogs serves this message (it may answer itself: "which store?").
  const routed = await routeText(turn, typed);
  if (!routed) return;
  const { catalog, text } = routed;
  const hint = turn.llmHint;
  const nlu = hint && hint.catalogId === catalog.catalog.id && hint.text === text ? hint.result : parseMessage(text, catalog.index);
  const { lang } = turn;

  // A typed answer to "which one did you mean?"
  const pending = turn.conv.state.pending;
  if (pending && nlu.items.length === 0 && /^\s*\d+\s*$/.test(text)) {
    const n = Number(text.trim());
    const sku = pending.candidates[n - 1];
    if (sku) {
      turn.conv.state.pending = undefined;
      return addItems(turn, catalog, [{ sku, quantity: pending.quantity }], 'set');
    }
  }

  switch (nlu.intent) {
    case 'greeting':
      turn.out.push({ type: 'text', text: T.greeting(lang, turn.merchant.name, turn.customer.name ?? undefined) });
      return showMenu(turn, catalog);
    case 'browse_catalog':
      return showMenu(turn, catalog);
    case 'human':
      await turn.tx.query('UPDATE conversations SET human_handover = true WHERE id = $1', [turn.conv.id]);
      turn.conv.human_handover = true;
      turn.out.push({ type: 'text', text: T.handover(lang) });
      await enqueue(turn.tx, 'merchant.alert', { merchantId: turn.merchant.id, kind: 'handover', waId: turn.customer.wa_id });
      return;
    case 'cancel':
      return onCancel(turn);
    case 'order_status':
      return onStatus(turn);
    case 'payment_claim':
      return onPaymentClaim(turn);
    case 'confirm':
      return onConfirm(turn);
    case 'choose_payment':
      if (nlu.payment_method || nlu.bank) return onChoosePayment(turn, nlu.payment_method ?? 'va', nlu.bank);
      break;
    case 'remove_item':
      return onRemove(turn, nlu);
    case 'ask_product':
      if (nlu.items.length || nlu.ambiguous.length) return answerProductQuestion(turn, catalog, nlu);
      break;
    case 'share_address':
      return onTypedAddress(turn, text);
    default:
      break;
  }
  if (nlu.items.length || nlu.ambiguous.length || nlu.unknown.length) return onOrderText(turn, catalog, nlu);
  if (nlu.intent === 'choose_payment' && stage(turn) === 'method') return askMethod(turn);
  // Nothing recognisable: try a plain search before giving up.
  const hits = searchProducts(text, catalog.index, 5);
  if (hits.length > 0 && hits[0].score > 0.5) {
    return sendProductChoices(turn, catalog, text, hits.map((h) => h.sku), 1);
  }
  turn.out.push({ type: 'text', text: T.didNotUnderstand(lang) });
}

type Stage = 'none' | 'cart' | 'prescription' | 'location' | 'quoting' | 'method' | 'paying' | 'fulfilment';

/** Where the customer is in the flow, derived from the order rather than stored twice. */
export function stage(turn: Turn): Stage {
  const o = turn.order;
  if (!o) return 'none';
  switch (o.status) {
    case 'cart':
    case 'awaiting_confirmation':
      return 'cart';
    case 'awaiting_prescription':
      return 'prescription';
    case 'awaiting_payment':
      if (o.delivery_lat === null) return 'location';
      if (!o.quote) return 'quoting';
      if (!o.payment_method || (o.payment_method === 'va' && !o.bank)) return 'method';
      return 'paying';
    default:
      return 'fulfilment';
  }
}

async function ensureCartOrder(turn: Turn, catalog: LoadedCatalog): Promise<OrderRow | undefined> {
  const s = stage(turn);
  if (s === 'cart') {
    if (turn.order!.status === 'awaiting_confirmation') turn.order = await transition(turn.tx, turn.order!, 'cart', 'cart_edited');
    return turn.order;
  }
  if (s !== 'none') return undefined;
  const order = await createOrder(turn.tx, {
    merchantId: turn.merchant.id,
    customerId: turn.customer.id,
    conversationId: turn.conv.id,
    catalogId: catalog.catalog.id,
    language: turn.lang,
  });
  turn.order = order;
  turn.conv.active_order_id = order.id;
  return order;
}

async function onOrderText(turn: Turn, catalog: LoadedCatalog, nlu: NluResult): Promise<void> {
  const { lang } = turn;
  for (const u of nlu.unknown) {
    const names = u.suggestions.map((s) => catalog.bySku.get(s)?.name).filter((n): n is string => !!n).slice(0, 3);
    turn.out.push({ type: 'text', text: T.notFound(lang, u.mention, names) });
  }
  if (nlu.items.length) await addItems(turn, catalog, nlu.items.map((i) => ({ sku: i.sku, quantity: i.quantity })), 'set');
  for (const a of nlu.ambiguous) await sendProductChoices(turn, catalog, a.mention, a.candidates, a.quantity);
}

async function sendProductChoices(turn: Turn, catalog: LoadedCatalog, mention: string, skus: string[], quantity: number): Promise<void> {
  const products = skus.map((s) => catalog.bySku.get(s)).filter((p): p is Product => !!p).slice(0, 9);
  if (products.length === 0) return;
  turn.conv.state.pending = { kind: 'ambiguity', mention, quantity, candidates: products.map((p) => p.sku) };
  if (products.length <= 3) {
    turn.out.push({
      type: 'buttons',
      body: T.whichOne(turn.lang, mention) + '\n' + products.map((p, i) => `${i + 1}. ${p.name} – ${rp(p.price)}`).join('\n'),
      buttons: products.map((p) => ({ id: `pick:${p.sku}:${quantity}`, title: rowTitle(p.name, 20) })),
    });
  } else {
    turn.out.push({
      type: 'list',
      body: T.whichOne(turn.lang, mention),
      button: T.productsButton(turn.lang),
      sections: [{ rows: products.map((p) => ({ id: `pick:${p.sku}:${quantity}`, title: rowTitle(p.name), description: `${rp(p.price)}` })) }],
    });
  }
}


/**
 * Adds lines to the cart. mode 'set' makes the typed quantity the line's quantity ("aqua 2" means two
 * bottles in total); 'add' adds to what is there (tapping a product in the menu).
 */
export async function addItems(turn: Turn, catalog: LoadedCatalog, lines: { sku: string; quantity: number }[], mode: 'set' | 'add'): Promise<void> {
  const { lang } = turn;
  const s = stage(turn);
  if (s !== 'none' && s !== 'cart') {
    turn.out.push({ type: 'text', text: lockedOrderText(lang) });
    return;
  }
  const order = await ensureCartOrder(turn, catalog);
  if (!order) return;
  const existing = new Map((await getItems(turn.tx, order.id)).map((i) => [i.sku, i]));
  const added: string[] = [];
  const prescription: string[] = [];
  for (const line of lines) {
    const p = catalog.bySku.get(line.sku);
    if (!p) continue;
    const quantity = mode === 'add' ? (existing.get(p.sku)?.quantity ?? 0) + line.quantity : line.quantity;
    if (quantity > p.stock) {
      reportShortage(turn, catalog, p, quantity);
      continue;
    }
    await setCartLine(turn.tx, order.id, { sku: p.sku, name: p.name, unit: p.unit, unitPrice: p.price, quantity, prescription: p.prescription });
    added.push(`• ${p.name} x${quantity}`);
    if (p.prescription) prescription.push(p.name);
  }
  if (added.length) turn.out.push({ type: 'text', text: T.added(lang, added) });
  if (prescription.length) turn.out.push({ type: 'text', text: T.prescriptionFlag(lang, prescription) });
  await sendCartSummary(turn);
}

function lockedOrderText(lang: Lang): string {
  return lang === 'en'
    ? 'Your order is already being processed. To change it, type "cancel" and order again.'
    : 'Pesanan kakak sudah diproses. Untuk mengubah, ketik "batal" lalu pesan ulang ya.';
}

function reportShortage(turn: Turn, catalog: LoadedCatalog, p: Product, requested: number): void {
  const { lang } = turn;
  const buttons: { id: string; title: string }[] = [];
  if (p.stock > 0) buttons.push({ id: `set:${p.sku}:${p.stock}`, title: T.takeAvailable(lang, p.stock) });
  const alt = alternativeFor(catalog, p, requested);
  let body = T.short(lang, p.name, requested, p.stock);
  if (alt) {
    body += '\n' + T.alternative(lang, `${alt.name} (${formatRp(alt.price)})`);
    buttons.push({ id: `set:${alt.sku}:${Math.min(requested, alt.stock)}`, title: rowTitle(alt.name, 20) });
  }
  if (buttons.length) turn.out.push({ type: 'buttons', body, buttons });
  else turn.out.push({ type: 'text', text: body });
}

/** A product of the same category with enough stock, closest in price. */
function alternativeFor(catalog: LoadedCatalog, p: Product, requested: number): Product | undefined {
  return catalog.products
    .filter((x) => x.sku !== p.sku && x.category && x.category === p.category && x.stock >= Math.min(requested, 1) && !x.prescription)
    .sort((a, b) => Number(b.stock >= requested) - Number(a.stock >= requested) || Math.abs(a.price - p.price) - Math.abs(b.price - p.price))[0];
}

export async function sendCartSummary(turn: Turn): Promise<void> {
  const order = turn.order;
  if (!order) return;
  const items = await getItems(turn.tx, order.id);
  if (items.length === 0) {
    turn.out.push({ type: 'text', text: T.cartEmpty(turn.lang) });
    return;
  }
  const subtotal = items.reduce((s, i) => s + i.line_total, 0);
  if (order.status === 'cart') turn.order = await transition(turn.tx, order, 'awaiting_confirmation', 'summary_sent', { subtotal });
  turn.out.push({
    type: 'buttons',
    body: T.cartSummary(turn.lang, items, subtotal),
    buttons: [
      { id: 'confirm', title: T.confirmButton(turn.lang) },
      { id: 'menu', title: T.addMoreButton(turn.lang) },
      { id: 'cancel', title: T.cancelButton(turn.lang) },
    ],
  });
}

async function showMenu(turn: Turn, catalog: LoadedCatalog, page = 0): Promise<void> {
  turn.out.push(await catalogMenu(turn, catalog, page));
}

async function onReply(turn: Turn, id: string, title: string): Promise<void> {
  const [kind, a, b] = id.split(':');
  switch (kind) {
    case 'menu':
      return showMenu(turn, await catalogFor(turn));
    case 'cats':
      return showMenu(turn, await catalogFor(turn), Number(a) || 0);
    case 'cat': {
      const catalog = await catalogFor(turn);
      turn.out.push(productList(turn.lang, catalog.products, Number(a), Number(b ?? 0)));
      return;
    }
    case 'add':
      turn.conv.state.pending = undefined;
      return addItems(turn, await catalogFor(turn), [{ sku: a, quantity: 1 }], 'add');
    case 'set':
    case 'pick':
      turn.conv.state.pending = undefined;
      return addItems(turn, await catalogFor(turn), [{ sku: a, quantity: Math.max(1, Number(b) || 1) }], 'set');
    case 'confirm':
      return onConfirm(turn);
    case 'cancel':
      return onCancel(turn);
    case 'usecat': {
      // A store button: catalog ids contain ':' themselves.
      const again = await chooseCatalog(turn, id.slice('usecat:'.length));
      return again === undefined ? undefined : onText(turn, again);
    }
    case 'catsw': {
      const again = await answerSwitch(turn, a);
      return again === undefined ? undefined : onText(turn, again);
    }
    case 'pay':
      return onChoosePayment(turn, a === 'qris' ? 'qris' : 'va', null);
    case 'bank':
      return onChoosePayment(turn, 'va', (BANKS as string[]).includes(a) ? (a as Bank) : null);
    default:
      // Unknown button (an old message): treat the title as text.
      return onText(turn, title);
  }
}

async function onConfirm(turn: Turn): Promise<void> {
  const s = stage(turn);
  if (s === 'cart') return confirmOrder(turn);
  if (s === 'none') {
    turn.out.push({ type: 'text', text: T.cartEmpty(turn.lang) });
    return;
  }
  return repeatPrompt(turn);
}

/** Tells the customer again what we are waiting for. */
async function repeatPrompt(turn: Turn): Promise<void> {
  switch (stage(turn)) {
    case 'location':
      turn.out.push({ type: 'location_request', body: T.askLocation(turn.lang) });
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
      return onStatus(turn);
    default:
      turn.out.push({ type: 'text', text: T.didNotUnderstand(turn.lang) });
  }
}

export async function askMethod(turn: Turn): Promise<void> {
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

export function courierLabel(courier: string | null): string {
  return ({ gosend: 'GoSend', grab: 'GrabExpress', manual: 'Kurir toko', indrive: 'inDrive', maxim: 'Maxim' } as Record<string, string>)[courier ?? ''] ?? courier ?? '-';
}

async function onCancel(turn: Turn): Promise<void> {
  const o = turn.order;
  if (!o) {
    turn.out.push({ type: 'text', text: T.nothingToCancel(turn.lang) });
    return;
  }
  if (!CANCELLABLE.includes(o.status)) {
    turn.out.push({ type: 'text', text: T.cannotCancel(turn.lang) });
    return;
  }
  await cancelOrder(turn.ctx, turn.tx, o, 'customer', undefined, { notify: true });
  turn.order = undefined;
  turn.conv.active_order_id = null;
}

async function onStatus(turn: Turn): Promise<void> {
  const o = turn.order ?? (await lastOrder(turn));
  if (!o) {
    turn.out.push({ type: 'text', text: T.noOrder(turn.lang) });
    return;
  }
  const d = await turn.tx.one<{ tracking_url: string | null }>('SELECT tracking_url FROM deliveries WHERE order_id = $1 ORDER BY id DESC LIMIT 1', [o.id]);
  turn.out.push({ type: 'text', text: T.orderStatus(turn.lang, o.id, o.status, o.total) + (d?.tracking_url ? `\n${d.tracking_url}` : '') });
}

async function lastOrder(turn: Turn): Promise<OrderRow | undefined> {
  return turn.tx.one<OrderRow>('SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 1', [turn.customer.id]);
}

async function onPaymentClaim(turn: Turn): Promise<void> {
  const o = turn.order;
  if (!o || stage(turn) !== 'paying') return repeatPromptOrNone(turn);
  const p = await turn.tx.one<{ id: number }>(`SELECT id FROM payments WHERE order_id = $1 AND status = 'pending' ORDER BY id DESC LIMIT 1`, [o.id]);
  if (!p) return repeatPrompt(turn);
  await addEvent(turn.tx, o.id, 'payment_claimed', { payment_id: p.id });
  await enqueue(turn.tx, 'payment.check', { paymentId: p.id, reason: 'claim', followUp: true });
}

async function repeatPromptOrNone(turn: Turn): Promise<void> {
  if (!turn.order) {
    turn.out.push({ type: 'text', text: T.noOrder(turn.lang) });
    return;
  }
  return repeatPrompt(turn);
}

async function onChoosePayment(turn: Turn, method: 'qris' | 'va', bank: Bank | null): Promise<void> {
  const s = stage(turn);
  const o = turn.order;
  if (!o || (s !== 'method' && s !== 'paying')) return repeatPromptOrNone(turn);
  if (method === 'va' && !bank) {
    turn.out.push({
      type: 'list',
      body: T.chooseBank(turn.lang),
      button: T.bankButton(turn.lang),
      sections: [{ rows: BANKS.map((b) => ({ id: `bank:${b}`, title: b === 'cimb' ? 'CIMB Niaga' : b.toUpperCase() })) }],
    });
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

async function onLocation(turn: Turn, lat: number, lng: number, address?: string): Promise<void> {
  const o = turn.order;
  const s = stage(turn);
  if (!o || !(s === 'location' || s === 'quoting' || s === 'method')) return repeatPromptOrNone(turn);
  await turn.tx.query(
    `UPDATE orders SET delivery_lat = $2, delivery_lng = $3, delivery_address = COALESCE($4, delivery_address), quote = NULL, updated_at = now() WHERE id = $1`,
    [o.id, lat, lng, address ?? null],
  );
  turn.order = { ...o, delivery_lat: lat, delivery_lng: lng, quote: null };
  await addEvent(turn.tx, o.id, 'location_shared', { lat, lng, address: address ?? null });
  turn.out.push({ type: 'text', text: T.quoting(turn.lang) });
  await enqueue(turn.tx, 'delivery.quote', { orderId: o.id });
}

async function onTypedAddress(turn: Turn, text: string): Promise<void> {
  const o = turn.order;
  if (!o || stage(turn) !== 'location') return repeatPromptOrNone(turn);
  await turn.tx.query('UPDATE orders SET delivery_address = $2, updated_at = now() WHERE id = $1', [o.id, text.slice(0, 500)]);
  turn.out.push({ type: 'location_request', body: T.addressNoted(turn.lang) });
}

async function onImage(turn: Turn, mediaId: string, mimeType: string): Promise<void> {
  const o = turn.order;
  const s = stage(turn);
  if (o && s === 'prescription') {
    await addEvent(turn.tx, o.id, 'prescription_received', { media_id: mediaId });
    await enqueue(turn.tx, 'media.fetch', { merchantId: turn.merchant.id, orderId: o.id, mediaId, mimeType, kind: 'prescription' });
    turn.out.push({ type: 'text', text: T.prescriptionReceived(turn.lang) });
    return;
  }
  if (o && s === 'paying') {
    // A payment screenshot counts as "I have paid": check with the gateway.
    await enqueue(turn.tx, 'media.fetch', { merchantId: turn.merchant.id, orderId: o.id, mediaId, mimeType, kind: 'payment_proof' });
    return onPaymentClaim(turn);
  }
  turn.out.push({ type: 'text', text: T.didNotUnderstand(turn.lang) });
}

async function onRemove(turn: Turn, nlu: NluResult): Promise<void> {
  if (stage(turn) !== 'cart' || !turn.order) {
    turn.out.push({ type: 'text', text: turn.order ? lockedOrderText(turn.lang) : T.cartEmpty(turn.lang) });
    return;
  }
  const items = await getItems(turn.tx, turn.order.id);
  const skus = new Set([...nlu.items.map((i) => i.sku), ...nlu.ambiguous.flatMap((a) => a.candidates)]);
  const toRemove = items.filter((i) => skus.has(i.sku));
  if (toRemove.length === 0) {
    turn.out.push({ type: 'text', text: T.notInCart(turn.lang) });
    return sendCartSummary(turn);
  }
  if (turn.order.status === 'awaiting_confirmation') turn.order = await transition(turn.tx, turn.order, 'cart', 'cart_edited');
  for (const i of toRemove) await setCartLine(turn.tx, turn.order.id, { sku: i.sku, name: i.name, unitPrice: i.unit_price, quantity: 0 });
  turn.out.push({ type: 'text', text: T.removed(turn.lang, toRemove.map((i) => i.name)) });
  await sendCartSummary(turn);
}

async function answerProductQuestion(turn: Turn, catalog: LoadedCatalog, nlu: NluResult): Promise<void> {
  const skus = [...nlu.items.map((i) => i.sku), ...nlu.ambiguous.flatMap((a) => a.candidates.slice(0, 3))];
  const products = [...new Set(skus)].map((s) => catalog.bySku.get(s)).filter((p): p is Product => !!p).slice(0, 3);
  const lines = products.map(
    (p) => `• ${p.name}: ${formatRp(p.price)} – ${p.stock > 0 ? T.stockLeft(turn.lang, p.stock) : T.outOfStock(turn.lang)}${p.prescription ? ' (resep)' : ''}`,
  );
  const buttons = products.filter((p) => p.stock > 0).map((p) => ({ id: `add:${p.sku}`, title: rowTitle(`+ ${p.name}`, 20) }));
  // A question about one product gets its picture when the catalog has one.
  const only = products.length === 1 ? products[0] : undefined;
  if (only?.image_url) turn.out.push({ type: 'image', link: only.image_url, caption: `${only.name} – ${formatRp(only.price)}` });
  if (buttons.length) turn.out.push({ type: 'buttons', body: lines.join('\n'), buttons });
  else turn.out.push({ type: 'text', text: lines.join('\n') });
}
