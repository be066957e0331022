// Which catalog serves a message when one WhatsApp number fronts several (the merchant's own
// catalog and client catalogs whose products live in the client's system).
//
// In order: a catalog the customer names ("di apotek", a store's name or keyword) wins; else the
// catalog whose products match the message best (the NLU run against each catalog: more of the
// message recognised wins, then a clearly better match); on a tie the catalog the customer is
// already shopping in, then the number's default (internal) catalog; when the message needs two
// catalogs at once, pesan asks with buttons. A cart never mixes catalogs: a request for another
// catalog while the cart has items is confirmed first (a new order replaces the cart). The choice
// and its reason are kept on the conversation (conversations.catalog_id / catalog_reason).
// Part of understanding a message (which catalog to read it against); when the answer is a
// question about stores, routing replies itself and the message goes no further.
import { getCatalog, loadCatalog, merchantCatalogs, CatalogUnavailable, type CatalogRow, type LoadedCatalog } from '../../catalog/service.js';
import { parseMessage, type Intent, type NluResult } from '../../nlu/index.js';
import { detectAct } from '../../nlu/acts.js';
import { addEvent, getItems } from '../../orders/repo.js';
import { rowTitle } from '../menu.js';
import { cancelOrder } from '../order-actions.js';
import type { Lang } from '../texts.js';
import { T } from '../texts.js';
import { stageOf } from '../stage.js';
import { bind, currentCatalog } from '../current-catalog.js';
import type { Turn } from '../turn.js';
import { sendCartSummary } from '../actions/cart.js';
import { catalogMenu } from '../actions/menu.js';

/** A question about catalogs we asked and whose answer (a button) we are waiting for. */
export interface CatalogQuestion {
  /** The customer's message (without the store's name), run again once the catalog is settled. */
  text: string;
  /** Set when confirming a switch away from a cart of another catalog. */
  switchTo?: string;
  reason?: string;
}


/** Messages whose meaning is about the order in progress, never a request for products. */
const ORDER_TALK: Intent[] = ['remove_item', 'cancel', 'confirm', 'payment_claim', 'order_status', 'human', 'share_address', 'choose_payment'];
/** How much better (NLU score) another catalog's match must be to count as clearly better. */
const CLEARLY_BETTER = 0.1;
const PREPOSITIONS = '(?:di|dari|ke|dr|at|from|in)';

const RT = {
  askWhich: (lang: Lang, lines: string[]) =>
    lang === 'en'
      ? `We sell from more than one store:\n${lines.join('\n')}\nOne order is served by one store. Which one first?`
      : `Produk yang kakak cari ada di toko yang berbeda:\n${lines.join('\n')}\nSatu pesanan dilayani satu toko. Mau pesan dari mana dulu?`,
  confirmSwitch: (lang: Lang, what: string, to: string, from: string) =>
    lang === 'en'
      ? `${what} is sold by ${to}, but your cart is from ${from}. One order is served by one store. Start a new order at ${to} (your current cart is cancelled), or keep your cart?`
      : `${what} ada di ${to}, sedangkan keranjang kakak dari ${from}. Satu pesanan hanya dari satu toko. Mulai pesanan baru di ${to} (keranjang sekarang dibatalkan), atau lanjut keranjang sekarang?`,
  newOrderButton: (lang: Lang) => (lang === 'en' ? 'New order there' : 'Pesanan baru'),
  keepCartButton: (lang: Lang) => (lang === 'en' ? 'Keep my cart' : 'Lanjut keranjang'),
  nowAt: (lang: Lang, name: string) => (lang === 'en' ? `OK, you are now shopping at ${name}.` : `Baik, kakak sekarang belanja di ${name}.`),
  unavailable: (lang: Lang, name: string) =>
    lang === 'en'
      ? `Sorry, ${name} cannot be reached right now. Your cart is kept; please try again in a moment.`
      : `Maaf, ${name} sedang tidak bisa dihubungi. Keranjang kakak tetap tersimpan; coba lagi sebentar lagi ya.`,
  orderInProgress: (lang: Lang) =>
    lang === 'en'
      ? 'Your order is already being processed. To order from another store, finish or cancel ("cancel") this one first.'
      : 'Pesanan kakak sedang diproses. Untuk pesan dari toko lain, selesaikan atau batalkan ("batal") pesanan ini dulu ya.',
};

function question(turn: Turn): CatalogQuestion | undefined {
  return turn.conv.state.catalogQuestion;
}
function setQuestion(turn: Turn, q: CatalogQuestion | undefined): void {
  turn.conv.state.catalogQuestion = q;
}

// ---------------------------------------------------------------------------------------------
// Names: "di apotek", "dari Apotek Sehat Farma"

const words = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').match(/[\p{L}\p{N}]+/gu) ?? [];

function phrasePattern(phrase: string): RegExp | undefined {
  const w = words(phrase);
  if (w.length === 0) return undefined;
  const body = w.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^\\p{L}\\p{N}]+');
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${PREPOSITIONS}[^\\p{L}\\p{N}]+)?${body}(?![\\p{L}\\p{N}])`, 'iu');
}

/** The catalog the message names, by its longest mention; undefined when none or two tie. */
export function namedCatalog(text: string, catalogs: CatalogRow[]): { row: CatalogRow; phrase: string; rest: string } | undefined {
  const plain = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  let best: { row: CatalogRow; phrase: string; length: number; rest: string } | undefined;
  let tie = false;
  for (const row of catalogs) {
    for (const phrase of [row.name, ...(row.keywords ?? [])]) {
      const re = phrasePattern(phrase);
      const m = re ? re.exec(plain) : null;
      if (!m) continue;
      const length = words(phrase).join(' ').length;
      if (best && best.row.id !== row.id && length === best.length) tie = true;
      if (!best || length > best.length) {
        best = { row, phrase, length, rest: (plain.slice(0, m.index) + ' ' + plain.slice(m.index + m[0].length)).replace(/\s+/g, ' ').trim() };
        tie = false;
      }
    }
  }
  return best && !tie ? { row: best.row, phrase: best.phrase, rest: best.rest } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Products: which catalog recognises the most of the message

interface Match {
  loaded: LoadedCatalog;
  nlu: NluResult;
  /** Words of the message that name one of this catalog's products. */
  covered: Set<string>;
  /** Mean NLU score of the recognised products. */
  score: number;
}

function evaluate(loaded: LoadedCatalog, text: string): Match {
  const nlu = parseMessage(text, loaded.index);
  const covered = new Set<string>();
  const scores: number[] = [];
  if (!ORDER_TALK.includes(nlu.intent)) {
    for (const i of nlu.items) {
      words(i.mention).forEach((w) => covered.add(w));
      scores.push(i.score);
    }
    for (const a of nlu.ambiguous) {
      words(a.mention).forEach((w) => covered.add(w));
      scores.push(0.8);
    }
  }
  return { loaded, nlu, covered, score: scores.length ? scores.reduce((s, x) => s + x, 0) / scores.length : 0 };
}

const isSubset = (a: Set<string>, b: Set<string>) => [...a].every((w) => b.has(w));

type Decision = { kind: 'stay' } | { kind: 'switch'; to: Match; reason: string } | { kind: 'ask'; options: Match[] };

/** Picks among catalogs by what each recognises; `current` wins ties, then `preferred` (the default). */
function decide(matches: Match[], current: string, preferred: string): Decision {
  const found = matches.filter((m) => m.covered.size > 0);
  if (found.length === 0) return { kind: 'stay' };
  // Drop every catalog that recognises strictly less of the message than another one.
  const maximal = found.filter((m) => !found.some((o) => o !== m && isSubset(m.covered, o.covered) && o.covered.size > m.covered.size));
  const first = maximal[0]!;
  if (!maximal.every((m) => m.covered.size === first.covered.size && isSubset(m.covered, first.covered))) {
    // Each catalog has something the others lack ("aqua sama sanmol"): the customer chooses.
    return { kind: 'ask', options: maximal };
  }
  const top = Math.max(...maximal.map((m) => m.score));
  const tied = maximal.filter((m) => m.score >= top - CLEARLY_BETTER);
  const pick = tied.find((m) => m.loaded.catalog.id === current) ?? tied.find((m) => m.loaded.catalog.id === preferred) ?? (tied.length === 1 ? tied[0] : undefined);
  if (!pick) return { kind: 'ask', options: tied };
  if (pick.loaded.catalog.id === current) return { kind: 'stay' };
  const what = productNames(pick).join(', ');
  const reason =
    found.length === 1
      ? `"${what}" is only in ${pick.loaded.catalog.name}`
      : pick.loaded.catalog.id === preferred && tied.length > 1
        ? `"${what}" is in several catalogs; the number's own catalog comes first`
        : `"${what}" matches ${pick.loaded.catalog.name} best`;
  return { kind: 'switch', to: pick, reason };
}

function productNames(m: Match): string[] {
  const skus = [...m.nlu.items.map((i) => i.sku), ...m.nlu.ambiguous.map((a) => a.candidates[0]!)];
  return skus.map((s) => m.loaded.bySku.get(s)?.name ?? s).slice(0, 3);
}

// ---------------------------------------------------------------------------------------------
// The router the dialogue calls for every text

/**
 * Settles which catalog serves this text. Returns the catalog and the text to parse (the store's
 * name taken out), or undefined when the router has answered the customer itself (a question
 * about which store, or a store that cannot be reached).
 */
export async function routeText(turn: Turn, text: string): Promise<{ catalog: LoadedCatalog; text: string } | undefined> {
  if (turn.catalog) return { catalog: turn.catalog, text };
  setQuestion(turn, undefined); // a new message supersedes any open question
  try {
    return await route(turn, text);
  } catch (err) {
    if (!(err instanceof CatalogUnavailable)) throw err;
    turn.ctx.logger.warn({ catalog: err.catalog.id, err: err.message }, 'catalog unavailable for a message');
    turn.out.push({ type: 'text', text: RT.unavailable(turn.lang, err.catalog.name) });
    return undefined;
  }
}

async function route(turn: Turn, text: string): Promise<{ catalog: LoadedCatalog; text: string } | undefined> {
  const s = stageOf(turn.order);
  // Past the cart the order's catalog serves everything; with one catalog there is nothing to choose.
  if (s !== 'none' && s !== 'cart') return { catalog: await currentCatalog(turn), text };
  const rows = await merchantCatalogs(turn.tx, turn.merchant.id);
  if (rows.length <= 1) return { catalog: await currentCatalog(turn), text };

  const named = namedCatalog(text, rows);
  if (named) {
    const target = await loadCatalog(turn.ctx, turn.tx, named.row);
    const rest = evaluate(target, named.rest);
    const wantsProducts = rest.nlu.items.length + rest.nlu.ambiguous.length + rest.nlu.unknown.length > 0;
    const reason = `customer named "${named.phrase}"`;
    if (!(await moveTo(turn, target, named.rest, reason, productNames(rest).join(', ') || named.row.name))) return undefined;
    if (!wantsProducts && !['cancel', 'order_status', 'human', 'payment_claim', 'confirm', 'remove_item'].includes(rest.nlu.intent)) {
      // "haloo apotek": a greeting that names the store is greeted, then shown that store.
      const greeting = rest.nlu.intent === 'greeting' || detectAct(named.rest, rest.nlu)?.act === 'greeting';
      if (greeting) turn.out.push({ type: 'text', text: T.greeting(turn.lang, target.catalog.name, turn.customer.name ?? undefined) });
      turn.out.push({ type: 'text', text: RT.nowAt(turn.lang, target.catalog.name) });
      turn.out.push(await catalogMenu(turn, target));
      return undefined;
    }
    return { catalog: target, text: named.rest };
  }

  const current = await currentCatalog(turn);
  const mine = evaluate(current, text);
  if (ORDER_TALK.includes(mine.nlu.intent)) return { catalog: current, text };
  const matches: Match[] = [mine];
  for (const row of rows) {
    if (row.id === current.catalog.id) continue;
    try {
      matches.push(evaluate(await loadCatalog(turn.ctx, turn.tx, row), text));
    } catch (err) {
      if (!(err instanceof CatalogUnavailable)) throw err;
      turn.ctx.logger.warn({ catalog: row.id, err: err.message }, 'catalog skipped while routing: unavailable');
    }
  }
  const preferred = rows[0]!.id;
  const currentId = turn.order?.catalog_id ?? turn.conv.catalog_id ?? preferred;
  const decision = decide(matches, currentId, preferred);
  if (decision.kind === 'stay') return { catalog: current, text };
  if (decision.kind === 'switch') {
    const ok = await moveTo(turn, decision.to.loaded, text, decision.reason, productNames(decision.to).join(', '));
    return ok ? { catalog: decision.to.loaded, text } : undefined;
  }
  // Cannot tell: ask, with one button per store.
  setQuestion(turn, { text });
  const options = decision.options.slice(0, 3);
  turn.out.push({
    type: 'buttons',
    body: RT.askWhich(turn.lang, options.map((m) => `• ${productNames(m).join(', ')}: ${m.loaded.catalog.name}`)),
    buttons: options.map((m) => ({ id: `usecat:${m.loaded.catalog.id}`, title: rowTitle(m.loaded.catalog.name, 20) })),
  });
  return undefined;
}

/**
 * Makes `target` the conversation's catalog. With items in a cart of another catalog it asks
 * first (returns false); an empty cart simply moves along.
 */
async function moveTo(turn: Turn, target: LoadedCatalog, text: string, reason: string, what: string): Promise<boolean> {
  const order = turn.order;
  if (order && order.catalog_id !== target.catalog.id && stageOf(turn.order) === 'cart') {
    const items = await getItems(turn.tx, order.id);
    if (items.length > 0) {
      const from = (await getCatalog(turn.tx, order.catalog_id))?.name ?? order.catalog_id;
      setQuestion(turn, { text, switchTo: target.catalog.id, reason });
      turn.out.push({
        type: 'buttons',
        body: RT.confirmSwitch(turn.lang, what, target.catalog.name, from),
        buttons: [
          { id: 'catsw:new', title: RT.newOrderButton(turn.lang) },
          { id: 'catsw:keep', title: RT.keepCartButton(turn.lang) },
        ],
      });
      return false;
    }
    await turn.tx.query('UPDATE orders SET catalog_id = $2, updated_at = now() WHERE id = $1', [order.id, target.catalog.id]);
    await addEvent(turn.tx, order.id, 'catalog_changed', { from: order.catalog_id, to: target.catalog.id, reason });
    turn.order = { ...order, catalog_id: target.catalog.id };
  }
  if (turn.conv.catalog_id !== target.catalog.id) bind(turn, target.catalog, reason);
  turn.catalog = target;
  return true;
}

/**
 * A tap on a store button (`usecat:<catalog id>`): binds the conversation to it and returns the
 * text to run again, or undefined when it answered itself (menu of that store, or a question).
 */
export async function chooseCatalog(turn: Turn, catalogId: string): Promise<string | undefined> {
  const pending = question(turn);
  setQuestion(turn, undefined);
  const row = await getCatalog(turn.tx, catalogId);
  if (!row || row.merchant_id !== turn.merchant.id || !row.active) {
    turn.out.push({ type: 'text', text: T.didNotUnderstand(turn.lang) });
    return undefined;
  }
  const s = stageOf(turn.order);
  if (s !== 'none' && s !== 'cart') {
    turn.out.push({ type: 'text', text: RT.orderInProgress(turn.lang) });
    return undefined;
  }
  const target = await loadOrApologise(turn, row);
  if (!target) return undefined;
  if (!(await moveTo(turn, target, pending?.text ?? '', `customer chose ${row.name}`, row.name))) return undefined;
  if (pending?.text) return pending.text;
  turn.out.push({ type: 'text', text: RT.nowAt(turn.lang, row.name) });
  turn.out.push(await catalogMenu(turn, target));
  return undefined;
}

/**
 * The answer to "start a new order at the other store, or keep your cart?" (`catsw:new|keep`).
 * Returns the text to run again in the new store, or undefined when it answered itself.
 */
export async function answerSwitch(turn: Turn, answer: string): Promise<string | undefined> {
  const pending = question(turn);
  setQuestion(turn, undefined);
  if (answer !== 'new' || !pending?.switchTo) {
    await sendCartSummary(turn);
    return undefined;
  }
  const row = await getCatalog(turn.tx, pending.switchTo);
  if (!row || !row.active) return undefined;
  const s = stageOf(turn.order);
  if (turn.order && s === 'cart') {
    await cancelOrder(turn.ctx, turn.tx, turn.order, 'customer', `new order at ${row.name}`);
    turn.order = undefined;
    turn.conv.active_order_id = null;
  } else if (s !== 'none') {
    turn.out.push({ type: 'text', text: RT.orderInProgress(turn.lang) });
    return undefined;
  }
  const target = await loadOrApologise(turn, row);
  if (!target) return undefined;
  bind(turn, row, `${pending.reason ?? `customer chose ${row.name}`}; customer started a new order there`);
  turn.catalog = target;
  if (pending.text.trim()) return pending.text;
  turn.out.push({ type: 'text', text: RT.nowAt(turn.lang, row.name) });
  turn.out.push(await catalogMenu(turn, target));
  return undefined;
}

/** A catalog's products, or a polite "that store cannot be reached" to the customer. */
async function loadOrApologise(turn: Turn, row: CatalogRow): Promise<LoadedCatalog | undefined> {
  try {
    return await loadCatalog(turn.ctx, turn.tx, row);
  } catch (err) {
    if (!(err instanceof CatalogUnavailable)) throw err;
    turn.out.push({ type: 'text', text: RT.unavailable(turn.lang, row.name) });
    return undefined;
  }
}
