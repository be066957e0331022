// Cart actions inside the conversation's transaction: lines in and out, the summary, and the
// questions that come before a line enters the cart (which one, did you mean).
import type { LoadedCatalog } from '../../catalog/service.js';
import type { Product } from '../../catalog/types.js';
import { createOrder, getItems, setCartLine, transition, type OrderRow } from '../../orders/repo.js';
import { formatRupiah as rp } from '../../shared/money.js';
import { rowTitle } from '../menu.js';
import { cartSummaryMessage, choiceMessage, productAnswer, proposalMessage } from '../render/products.js';
import { D } from '../render/say.js';
import { editable, stageOf } from '../stage.js';
import { T } from '../texts.js';
import type { Turn } from '../turn.js';
import type { Line, NameCheck } from '../policy/types.js';
import { singleAmongPacks } from '../policy/packs.js';

/** The open cart, reopened for editing if it was waiting for confirmation; a new one when none. */
async function ensureCartOrder(turn: Turn, catalog: LoadedCatalog): Promise<OrderRow | undefined> {
  const s = stageOf(turn.order);
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

/**
 * Adds lines to the cart. mode 'set' makes the typed quantity the line's quantity ("aqua 2" means two
 * bottles in total); 'add' adds to what is there (tapping a product in the menu, "tambah aqua 2").
 */
export async function setLines(turn: Turn, catalog: LoadedCatalog, lines: Line[], mode: 'set' | 'add', check?: NameCheck): Promise<void> {
  const { lang } = turn;
  if (check) {
    // What the customer typed next to the name says it is another product: asked, not added.
    const doubtful = lines.filter((l) => check.mentions[l.sku] && misnamed(catalog, check.text, check.mentions[l.sku]!, l.sku));
    if (doubtful.length) {
      const rest = lines.filter((l) => !doubtful.includes(l));
      if (rest.length) await setLines(turn, catalog, rest, mode);
      propose(turn, catalog, doubtful, mode);
      return;
    }
  }
  if (!editable(stageOf(turn.order))) {
    turn.out.push({ type: 'text', text: D.lockedOrder(lang) });
    return;
  }
  const order = await ensureCartOrder(turn, catalog);
  if (!order) return;
  const existing = new Map((await getItems(turn.tx, order.id)).map((i) => [i.sku, i]));
  const added: string[] = [];
  const prescription: string[] = [];
  const short: string[] = [];
  for (const line of lines) {
    const p = catalog.bySku.get(line.sku);
    if (!p) continue;
    const quantity = mode === 'add' ? (existing.get(p.sku)?.quantity ?? 0) + line.quantity : line.quantity;
    if (quantity > p.stock) {
      reportShortage(turn, catalog, p, quantity);
      if (p.stock > 0) short.push(p.sku);
      continue;
    }
    await setCartLine(turn.tx, order.id, { sku: p.sku, name: p.name, unit: p.unit, unitPrice: p.price, quantity, prescription: p.prescription });
    added.push(`• ${p.name} x${quantity}`);
    if (p.prescription) prescription.push(p.name);
  }
  if (added.length) turn.out.push({ type: 'text', text: T.added(lang, added) });
  if (prescription.length) turn.out.push({ type: 'text', text: T.prescriptionFlag(lang, prescription) });
  // "ok 3 aja" after "only 3 left" takes what is left.
  if (short.length) turn.conv.state.pending = { kind: 'asked', skus: short };
  // Nothing went in and nothing was there: the shortage message says it all.
  if (added.length === 0 && existing.size === 0) return;
  await sendCartSummary(turn);
}

function reportShortage(turn: Turn, catalog: LoadedCatalog, p: Product, requested: number): void {
  const { lang } = turn;
  const buttons: { id: string; title: string }[] = [];
  if (p.stock > 0) buttons.push({ id: `set:${p.sku}:${p.stock}`, title: T.takeAvailable(lang, p.stock) });
  const alt = alternativeFor(catalog, p, requested);
  let body = T.short(lang, p.name, requested, p.stock);
  if (alt) {
    body += '\n' + T.alternative(lang, `${alt.name} (${rp(alt.price)})`);
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

/** The cart with its buttons (or "cart empty"); a cart moves to awaiting_confirmation. */
export async function sendCartSummary(turn: Turn): Promise<void> {
  const order = turn.order;
  if (!order) {
    turn.out.push({ type: 'text', text: T.cartEmpty(turn.lang) });
    return;
  }
  const items = await getItems(turn.tx, order.id);
  if (items.length === 0) {
    turn.out.push({ type: 'text', text: T.cartEmpty(turn.lang) });
    return;
  }
  const subtotal = items.reduce((s, i) => s + i.line_total, 0);
  if (order.status === 'cart') turn.order = await transition(turn.tx, order, 'awaiting_confirmation', 'summary_sent', { subtotal });
  turn.out.push(cartSummaryMessage(turn.lang, items, subtotal));
}

async function editableOrder(turn: Turn): Promise<OrderRow | undefined> {
  const order = turn.order;
  if (!order || stageOf(order) !== 'cart') return undefined;
  if (order.status === 'awaiting_confirmation') turn.order = await transition(turn.tx, order, 'cart', 'cart_edited');
  return turn.order;
}

export async function removeLines(turn: Turn, skus: string[], mentions: string[] = []): Promise<void> {
  const order = turn.order;
  if (!order || stageOf(order) !== 'cart') {
    turn.out.push({ type: 'text', text: order ? D.lockedOrder(turn.lang) : T.cartEmpty(turn.lang) });
    return;
  }
  const wanted = new Set(skus);
  const items = await getItems(turn.tx, order.id);
  let toRemove = items.filter((i) => wanted.has(i.sku));
  if (toRemove.length === 0) {
    // The parser read a look-alike of the line meant: the line whose name has every word typed.
    for (const mention of mentions) {
      const typed = nameWords(mention.replace(/nya\b/gi, ''));
      if (typed.length === 0) continue;
      const fits = items.filter((i) => {
        const have = new Set(nameWords(i.name));
        return typed.every((w) => have.has(w));
      });
      if (fits.length === 1) toRemove.push(fits[0]!);
    }
    toRemove = [...new Set(toRemove)];
  }
  if (toRemove.length === 0) {
    turn.out.push({ type: 'text', text: T.notInCart(turn.lang) });
    return sendCartSummary(turn);
  }
  const o = (await editableOrder(turn))!;
  for (const i of toRemove) await setCartLine(turn.tx, o.id, { sku: i.sku, name: i.name, unitPrice: i.unit_price, quantity: 0 });
  turn.out.push({ type: 'text', text: T.removed(turn.lang, toRemove.map((i) => i.name)) });
  await sendCartSummary(turn);
}

/** "hapus semua": every line out; the order stays an (empty) cart the customer can fill again. */
export async function clearCart(turn: Turn): Promise<void> {
  const o = await editableOrder(turn);
  if (o) for (const i of await getItems(turn.tx, o.id)) await setCartLine(turn.tx, o.id, { sku: i.sku, name: i.name, unitPrice: i.unit_price, quantity: 0 });
  turn.out.push({ type: 'text', text: D.cartCleared(turn.lang) });
}

/** "ganti X jadi Y": X leaves the cart and Y takes its place, in one step the customer sees. */
export async function replaceLine(turn: Turn, catalog: LoadedCatalog, from: string, to: Line): Promise<void> {
  const o = await editableOrder(turn);
  const old = o ? (await getItems(turn.tx, o.id)).find((i) => i.sku === from) : undefined;
  const next = catalog.bySku.get(to.sku);
  if (!o || !old || !next) {
    turn.out.push({ type: 'text', text: T.notInCart(turn.lang) });
    return;
  }
  if (to.quantity > next.stock) {
    reportShortage(turn, catalog, next, to.quantity);
    return sendCartSummary(turn);
  }
  await setCartLine(turn.tx, o.id, { sku: old.sku, name: old.name, unitPrice: old.unit_price, quantity: 0 });
  await setCartLine(turn.tx, o.id, { sku: next.sku, name: next.name, unit: next.unit, unitPrice: next.price, quantity: to.quantity, prescription: next.prescription });
  turn.out.push({ type: 'text', text: D.replaced(turn.lang, old.name, next.name, to.quantity) });
  if (next.prescription) turn.out.push({ type: 'text', text: T.prescriptionFlag(turn.lang, [next.name]) });
  await sendCartSummary(turn);
}

const REPLACE_FILLER = new Set(['yg', 'yang', 'jadi', 'aja', 'saja', 'deh', 'dong', 'kak', 'ya', 'nya', 'itu', 'ini', 'the', 'one']);

/**
 * "ganti yg 38 lembar jadi yg 58 lembar", "ganti kayu putihnya jadi yg 60 ml": the cart line is
 * the one the words name (or the one the parser read), and the new product is the one that has
 * every word typed for it and shares the most of the old line's name. Anything less clear is
 * answered with the cart, never guessed.
 */
export async function replaceVariant(turn: Turn, catalog: LoadedCatalog, fromMention: string, fromSkus: string[], toText: string, to?: Line & { explicit: boolean }): Promise<void> {
  const items = (await editableOrder(turn)) ? await getItems(turn.tx, turn.order!.id) : [];
  const words = (s: string) => nameWords(s.replace(/nya\b/gi, '')).filter((w) => !REPLACE_FILLER.has(w));
  const fromWords = words(fromMention);
  let old = items.filter((i) => fromSkus.includes(i.sku));
  if (old.length !== 1) old = items.filter((i) => fromWords.length > 0 && fromWords.every((w) => new Set(nameWords(i.name)).has(w)));
  const line = old.length === 1 ? old[0]! : undefined;
  if (line && to && to.sku !== line.sku) return replaceLine(turn, catalog, line.sku, { sku: to.sku, quantity: to.explicit ? to.quantity : line.quantity });
  const toWords = words(toText);
  const oldWords = new Set(line ? nameWords(line.name) : []);
  const ranked = line && toWords.length
    ? catalog.products
        .filter((p) => p.sku !== line.sku && toWords.every((w) => new Set([p.name, ...(p.aliases ?? [])].flatMap(nameWords)).has(w)))
        .map((p) => {
          const own = [...new Set(nameWords(p.name))];
          // Most of the old name kept, then the fewest words neither name nor the customer has ("1 Pak isi 10").
          return { p, shared: own.filter((w) => oldWords.has(w)).length, extra: own.filter((w) => !oldWords.has(w) && !toWords.includes(w)).length };
        })
        .sort((a, b) => b.shared - a.shared || a.extra - b.extra)
    : [];
  const [best, next] = ranked;
  if (!line || !best || (next && next.shared === best.shared && next.extra === best.extra) || best.shared === 0) {
    turn.out.push({ type: 'text', text: T.notInCart(turn.lang) });
    return sendCartSummary(turn);
  }
  return replaceLine(turn, catalog, line.sku, { sku: best.p.sku, quantity: line.quantity });
}

const productsOf = (catalog: LoadedCatalog, skus: string[]) => skus.map((s) => catalog.bySku.get(s)).filter((p): p is Product => !!p);

/** "Which one?" with buttons; a typed number answers it too (kept in the conversation state). */
/** An order naming a product and its packs takes the single product when no pack is named; else "which one?". */
export async function chooseOrTake(turn: Turn, catalog: LoadedCatalog, mention: string, skus: string[], quantity: number, typed?: string): Promise<void> {
  if (typed) {
    const products = productsOf(catalog, skus).slice(0, 9);
    const single = singleAmongPacks(products.map((p) => ({ choice: p, words: nameWords(p.name) })), nameWords(typed));
    if (single) return setLines(turn, catalog, [{ sku: single.sku, quantity }], 'set');
  }
  askWhich(turn, catalog, mention, skus, quantity);
}

export function askWhich(turn: Turn, catalog: LoadedCatalog, mention: string, skus: string[], quantity: number): void {
  const products = productsOf(catalog, skus).slice(0, 9);
  if (products.length === 0) return;
  turn.conv.state.pending = { kind: 'ambiguity', mention, quantity, candidates: products.map((p) => p.sku), names: products.map((p) => p.name) };
  turn.out.push(choiceMessage(turn.lang, T.whichOne(turn.lang, mention), products, quantity));
}

/** Lines read with low confidence: asked first, entered only when the customer says yes. */
export function propose(turn: Turn, catalog: LoadedCatalog, lines: Line[], mode: 'set' | 'add', replaces?: string): void {
  const known = lines.map((l) => ({ product: catalog.bySku.get(l.sku), quantity: l.quantity })).filter((l): l is { product: Product; quantity: number } => !!l.product);
  if (known.length === 0) return;
  turn.conv.state.pending = { kind: 'proposal', lines: known.map((l) => ({ sku: l.product.sku, quantity: l.quantity })), mode, ...(replaces ? { replaces } : {}) };
  turn.out.push(proposalMessage(turn.lang, known));
}

export function answerProducts(turn: Turn, catalog: LoadedCatalog, skus: string[], intro?: string, check?: NameCheck): void {
  if (check) {
    // "ada nasi kuning?" read as Nasi Putih: Nasi Kuning is not sold; Nasi Putih is the closest.
    const kept: string[] = [];
    const missing = new Map<string, string[]>();
    for (const sku of skus) {
      const mention = check.mentions[sku];
      const other = mention ? misnamed(catalog, check.text, mention, sku) : undefined;
      if (other) missing.set(other, [...(missing.get(other) ?? []), sku]);
      else kept.push(sku);
    }
    // "ada besi 16 mm?" with 6, 10 and 12 mm sold: 16 mm is not sold; those are the closest.
    // Look-alikes of a name where one of them fits ("minyak goreng 2 liter ada?"): only the one that fits is shown.
    const fitting = new Set(kept.map((sku) => check.mentions[sku]).filter(Boolean));
    for (const [other, closest] of missing) if (!closest.some((sku) => fitting.has(check.mentions[sku]))) notSold(turn, catalog, other, closest, 1, check.text, true);
    skus = kept;
  }
  const products = productsOf(catalog, skus).slice(0, intro ? 5 : 3);
  if (products.length === 0) return;
  turn.out.push(...productAnswer(turn.lang, products, intro));
  // "mau 2" next refers to these (only those that can be bought).
  const buyable = products.filter((p) => p.stock > 0).map((p) => p.sku);
  if (buyable.length) turn.conv.state.pending = { kind: 'asked', skus: buyable };
}

export function notSold(turn: Turn, catalog: LoadedCatalog, mention: string, suggestions: string[], quantity = 1, message = mention, settled = false, asking = false): void {
  if (settled) return sayNotSold(turn, catalog, mention, suggestions);
  // "triplek" when the shop sells four Triplek: it is sold, only which one is open. The one the
  // rest of the message describes best ("12mm") is proposed; with no clear best, the customer picks.
  const other = otherThingNamed(message, mention, catalog);
  // "vaksin kucing" read as "kucing": what is not sold is the whole name the customer typed.
  if (other) mention = other;
  let named = other ? [] : namedBy(catalog, mention);
  // "ada gas 12 kg?" where only 3 kg is sold: not sold, the 3 kg the closest.
  const sizes = [...withoutLastCount(message).matchAll(SPEC)].map((m) => nameWords(m[1]!));
  if (named.length && sizes.length) {
    const sized = named.filter((p) => sizes.every((ns) => ns.every((n) => new Set([p.name, ...(p.aliases ?? [])].flatMap(nameWords)).has(n))));
    if (sized.length === 0) return sayNotSold(turn, catalog, mention, named.slice(0, 3).map((p) => p.sku));
    named = sized;
  }
  if (named.length > 0) {
    // The message's words without the count ("3 lembar"), so a count never reads as a size.
    const said = new Set(nameWords(withoutLastCount(message)));
    const fit = (p: Product) => [p.name, ...(p.aliases ?? [])].flatMap(nameWords).filter((w, i, a) => a.indexOf(w) === i && said.has(w)).length;
    const ranked = named.map((p) => ({ p, fit: fit(p) })).sort((a, b) => b.fit - a.fit);
    const base = nameWords(mention).length;
    // Asked about, not ordered: the products that carry the name, answered.
    if (asking) return answerProducts(turn, catalog, ranked.map((r) => r.p.sku));
    const [best, next] = ranked;
    if (best && best.fit > base && (!next || best.fit > next.fit)) return propose(turn, catalog, [{ sku: best.p.sku, quantity }], 'add');
    return askWhich(turn, catalog, mention, ranked.map((r) => r.p.sku), quantity);
  }
  sayNotSold(turn, catalog, mention, suggestions);
}

function sayNotSold(turn: Turn, catalog: LoadedCatalog, mention: string, suggestions: string[]): void {
  const closest = productsOf(catalog, suggestions).slice(0, 3);
  const text = D.notSold(turn.lang, mention, closest.map((p) => p.name));
  if (closest.length === 0) {
    turn.out.push({ type: 'text', text });
    return;
  }
  turn.out.push(...productAnswer(turn.lang, closest, text));
}

/** Words around a product's name that say nothing about which product ("mau", "2", "lembar"). */
const NEUTRAL = new Set(
  ('and with please pls plz also one two three four five six get can could would like order orders for too thanks thank just only more bottle bottles pack packs piece pieces ' +
    'hello there hey want wanna need give send deliver buy take have has got them those these that this then okay yes yeah sure ' +
    'oke ok sip siap pak bapak ibu bang mas mbak gan sis saya aku gue gua kami kita butuh perlu kasih tolong pengen pingin ingin cari nyari carikan sekarang besok nanti hari ' +
    'abis habis lalu tambahan pesanan lho kok yah dah udah sudah jadi tapi cuma cuman paling kirim antar ' +
    'tumbas meser mundut nyuwun tuku hoyong pesen kalih kaliyan setunggal siji loro telu hiji tilu punten nggih monggo sampun mawon mawon aing urang ' +
    'aya wonten enten gaduh bade badhe kersa sareng niki niku punika teh mah atuh ' +
    'ada jual jualan mau pesan pesen psn beli minta order tambah tambahin sama dan atau yang yg ga gak nggak ngga kak min dong ya aja saja deh juga lagi ' +
    'itu ini sih apa berapa brp harga stok stock want buy need some the any you have sell please tolong sekalian terus trus plus kalau kalo buat untuk utk ' +
    'nya nih tuh kah punya jenis merk merek ukuran sizes size tipe type isi warna ready kosong habis dulu satu dua tiga empat lima ' +
    'lembar sak pcs biji buah batang dus box botol bungkus bks strip pack pak roll kaleng galon karung porsi gelas kilo liter meter renteng sachet tube pasang lusin kotak').split(' '),
);

/**
 * "sepatu futsal" read as "futsal": the customer named something else (a word next to the mention
 * that no product carries), so products that merely share the mention are not it.
 */
function otherThingNamed(message: string, mention: string, catalog: LoadedCatalog): string | undefined {
  const words = nameWords(message);
  const m = nameWords(mention);
  if (m.length === 0) return undefined;
  const starts = words.map((_, i) => i).filter((i) => m.every((w, j) => words[i + j] === w));
  if (starts.length === 0) return undefined;
  const vocabulary = new Set(catalog.products.flatMap((p) => [p.name, ...(p.aliases ?? [])].flatMap(nameWords)));
  const foreign = (w: string | undefined) => !!w && /^\p{L}{3,}$/u.test(w) && !NEUTRAL.has(w) && !vocabulary.has(w);
  // Every place the name appears must have such a word ("renovasi kamar mandi ... pesan keramik kamar mandi").
  let said: string | undefined;
  for (const at of starts) {
    const before = foreign(words[at - 1]);
    const after = foreign(words[at + m.length]);
    if (!before && !after) return undefined;
    said ??= [...(before ? [words[at - 1]!] : []), ...m, ...(after ? [words[at + m.length]!] : [])].join(' ');
  }
  return said;
}

const SPEC = /(\d+(?:[.,]\d+)?)\s*(mm|cm|m|kg|kilo|g|gr|gram|ml|l|lt|liter|inch|inchi|in|watt|w|gsm|x\d+)\b/giu;
const UNIT_NAMES: Record<string, string> = { kilo: 'kg', l: 'liter', lt: 'liter', m: 'meter', gr: 'g', gram: 'g' };
const unitOf = (u: string) => UNIT_NAMES[u.toLowerCase()] ?? u.toLowerCase();

/**
 * The customer's words say the product read is not the one they mean: a word next to the name
 * that no product carries ("nasi kuning"), or a size typed right after the name that this product
 * does not have ("besi 16 mm"). Returns what they asked for, in their words.
 */
function misnamed(catalog: LoadedCatalog, message: string, mention: string, sku: string): string | undefined {
  const other = otherThingNamed(message, mention, catalog);
  if (other) return other;
  const p = catalog.bySku.get(sku);
  if (!p) return undefined;
  const lower = message.toLowerCase();
  const at = lower.indexOf(mention.toLowerCase());
  if (at < 0) return undefined;
  // Sizes within the few words after the name belong to it.
  const after = lower.slice(at + mention.length).split(/\s+/).slice(0, 4).join(' ');
  const own = new Set([p.name, ...(p.aliases ?? [])].flatMap(nameWords));
  for (const m of after.matchAll(SPEC)) {
    // "telur 2 kg" of a product sold per kg: a count, not a size.
    if (p.unit && unitOf(p.unit) === unitOf(m[2]!)) continue;
    const numbers = nameWords(m[1]!);
    if (!numbers.every((n) => own.has(n))) return `${mention} ${m[0]}`.trim();
  }
  return undefined;
}

function withoutLastCount(text: string): string {
  const all = [...text.matchAll(/(?:^|[\s,])(\d{1,4})(?=[\s,.!?]|$)(?![.,]\d)(?!\s*(?:mm|cm|m|kg|g|gr|ml|l|lt|liter|inch|inchi|watt|w|gsm)\b)/gi)];
  const last = all.at(-1);
  return last ? text.slice(0, last.index) + ' ' + text.slice(last.index + last[0].length) : text;
}

/** Words of a name, a size split from its unit ("12mm" → "12", "mm"). */
const nameWords = (s: string) =>
  s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/(\d)(\p{L})/gu, '$1 $2').replace(/(\p{L})(\d)/gu, '$1 $2').match(/[\p{L}\p{N}]+/gu) ?? [];

/** Products whose name or an alias carries every word of the mention (words of 3+ letters, at least one). */
function namedBy(catalog: LoadedCatalog, mention: string): Product[] {
  const wanted = nameWords(mention).filter((w) => w.length >= 3 && /\p{L}/u.test(w));
  if (wanted.length === 0) return [];
  return catalog.products.filter((p) => {
    if (p.active === false) return false;
    const have = new Set([p.name, ...(p.aliases ?? [])].flatMap(nameWords));
    return wanted.every((w) => have.has(w));
  });
}

export function outOfStock(turn: Turn, catalog: LoadedCatalog, sku: string): void {
  const p = catalog.bySku.get(sku);
  turn.out.push({ type: 'text', text: p ? T.short(turn.lang, p.name, 1, 0) : T.didNotUnderstand(turn.lang) });
}
