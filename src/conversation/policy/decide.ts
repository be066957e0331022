// The dialogue policy: given where the conversation stands and how the message was read, what to
// do. Pure (no database, no clock), so every rule here is unit-tested on its own
// (test/conversation/policy.test.ts). The act stage carries the steps out; render words them.
//
// Rules that protect the customer:
// - a reading below CONFIRM_BELOW (or a message read with low confidence overall) is asked with
//   buttons before it touches the cart: nobody pays for what they did not ask for;
// - a question ("X berapa?", "ada X ga?", "obat pusing") answers and adds nothing;
// - a product the shop does not sell is said so, with the closest products to choose from.
import { CONFIRM_BELOW, type NluResult } from '../../nlu/types.js';
import { addsToLine, bareQuantity, isNeed, yesNo } from '../../nlu/acts.js';
import { editable } from '../stage.js';
import { singleAmongPacks } from './packs.js';
import type { Interpretation, ButtonAction } from '../understand/types.js';
import type { Decision, DialogueView, Line, Step } from './types.js';

/** Words that make a message a need or a symptom ("obat pusing", "pereda nyeri"). */
const SYMPTOM = /\b(obat|sakit|pereda|penghilang|meredakan|mengatasi|medicine|remedy)\b/;

/** Lines of the cart the message names: products read, look-alikes, or the closest to a name not pinned. */
function cartSkusNamed(view: DialogueView, nlu: NluResult): string[] {
  const named = new Set([...nlu.items.map((i) => i.sku), ...nlu.ambiguous.flatMap((a) => a.candidates)]);
  const sure = view.cart.filter((l) => named.has(l.sku)).map((l) => l.sku);
  // A name not pinned counts when exactly one line of the cart is among its closest products.
  const loose = nlu.unknown.map((u) => view.cart.filter((l) => u.suggestions.includes(l.sku))).filter((ls) => ls.length === 1).map((ls) => ls[0]!.sku);
  return [...new Set([...sure, ...loose])];
}

const CHOICE_FILLER = new Set(['yg', 'yang', 'aja', 'saja', 'deh', 'dong', 'kak', 'min', 'ya', 'itu', 'ini', 'nya', 'mau', 'the', 'one', 'pilih', 'ambil', 'pake', 'pakai']);
const nameWords = (s: string) =>
  s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/(\d)(\p{L})/gu, '$1 $2').replace(/(\p{L})(\d)/gu, '$1 $2').match(/[\p{L}\p{N}]+/gu) ?? [];

/** The choice an answer to "which one?" names: a product the parser read among them, or the one whose name has every word typed. */
function pickByName(p: Extract<NonNullable<DialogueView['pending']>, { kind: 'ambiguity' }>, nlu: NluResult, text: string): Line | undefined {
  const read = nlu.items.filter((i) => p.candidates.includes(i.sku));
  if (read.length === 1 && nlu.items.length === 1) return { sku: read[0]!.sku, quantity: read[0]!.quantityExplicit ? read[0]!.quantity : p.quantity };
  if (!p.names || p.names.length !== p.candidates.length || text.length > 40 || nlu.items.length > 0) return undefined;
  const typed = nameWords(text).filter((w) => !CHOICE_FILLER.has(w));
  if (typed.length === 0) return undefined;
  const fits = p.candidates.map((sku, i) => ({ sku, words: nameWords(p.names![i]!) })).filter((c) => {
    const have = new Set(c.words);
    return typed.every((w) => have.has(w));
  });
  if (fits.length === 1) return { sku: fits[0]!.sku, quantity: p.quantity };
  // "yg hitam" between the pen and a dozen of it: a pack nobody asked for is not the one meant.
  const single = singleAmongPacks(fits.map((c) => ({ choice: c.sku, words: c.words })), [...typed, ...nameWords(p.mention)]);
  return single ? { sku: single, quantity: p.quantity } : undefined;
}

const LINE_FILLER = new Set([...CHOICE_FILLER, 'jadi', 'jd', 'jadiin', 'ganti', 'ubah', 'eh', 'sih', 'nih', 'tolong', 'please', 'make', 'it', 'lagi', 'tambah', 'tambahin', 'pcs', 'buah', 'biji']);

/** A line of the cart every word of a short message names (the count aside), when only one line fits. */
function lineNamedBy(view: DialogueView, text: string): Line | undefined {
  if (text.length > 40) return undefined;
  const quantity = standaloneNumber(text);
  if (!quantity) return undefined;
  const typed = nameWords(text.replace(/(\p{L})nya\b/giu, '$1')).filter((w) => !LINE_FILLER.has(w) && !/^\d+$/.test(w));
  if (typed.length === 0) return undefined;
  const fits = view.cart.filter((l) => {
    const have = new Set(nameWords(l.name));
    return typed.every((w) => have.has(w));
  });
  return fits.length === 1 ? { sku: fits[0]!.sku, quantity } : undefined;
}



/** Words of a follow-up question about the product just shown ("stoknya?", "harganya"). */
const FOLLOW_UP = /^(stok|stock|harga|hrg|isi|ukuran|size|berat|warna|varian|expired|exp|kadaluarsa|ready)(nya)?( (nya|berapa|brp|apa|ada))*$/;

/** Below this overall confidence an order reading is confirmed as a whole. */
export const LOW_CONFIDENCE = 0.5;
/** Misreads in a row after which the menu and a person are offered. */
export const MISREADS_BEFORE_HELP = 2;

const done = (...steps: Step[]): Decision => ({ steps, misread: false });

export function decide(view: DialogueView, input: Interpretation): Decision {
  switch (input.kind) {
    case 'text':
      return decideText(view, input);
    case 'button':
      return decideButton(view, input.action);
    case 'location':
      return done({ do: 'place.pin', lat: input.lat, lng: input.lng, address: input.address });
    case 'image':
      return done({ do: 'image', mediaId: input.mediaId, mimeType: input.mimeType });
    case 'catalog_order':
      return done({ do: 'cart.set', lines: input.lines, mode: 'set' });
    default:
      return misread(view);
  }
}

function decideButton(view: DialogueView, a: ButtonAction): Decision {
  switch (a.kind) {
    case 'menu':
      return done({ do: 'menu', page: a.page });
    case 'category':
      return done({ do: 'category', index: a.index, page: a.page });
    case 'add':
      return done({ do: 'cart.set', lines: [{ sku: a.sku, quantity: 1 }], mode: 'add' });
    case 'set':
      return done({ do: 'cart.set', lines: [{ sku: a.sku, quantity: a.quantity }], mode: 'set' });
    case 'out_of_stock':
      return done({ do: 'product.out_of_stock', sku: a.sku });
    case 'confirm':
      return confirm(view);
    case 'cancel':
      return done({ do: 'order.cancel' });
    case 'pay':
      return done({ do: 'payment.choose', method: a.method, bank: a.bank });
    case 'human':
      return done({ do: 'handover' });
    case 'proposal':
      return answerProposal(view, a.accept);
  }
}

function answerProposal(view: DialogueView, accept: boolean): Decision {
  const p = view.pending;
  if (p?.kind !== 'proposal') return done(view.cart.length ? { do: 'cart.show' } : { do: 'say', what: { say: 'cart_empty' } });
  if (!accept) return done({ do: 'say', what: { say: 'declined' } });
  if (p.replaces && p.lines.length === 1) return done({ do: 'cart.replace', from: p.replaces, to: p.lines[0]! });
  return done({ do: 'cart.set', lines: p.lines, mode: p.mode });
}

function confirm(view: DialogueView): Decision {
  if (view.stage === 'none') return done({ do: 'say', what: { say: 'cart_empty' } });
  if (view.stage !== 'cart') return done({ do: 'prompt.repeat' });
  if (view.cart.length === 0) return done({ do: 'say', what: { say: 'cart_empty' } });
  const subtotal = view.cart.reduce((s, l) => s + l.line_total, 0);
  const minimum = view.facts.minimum_order;
  if (minimum && subtotal < minimum) return done({ do: 'say', what: { say: 'below_minimum', minimum, subtotal } }, { do: 'cart.show' });
  return done({ do: 'order.confirm' });
}

function misread(view: DialogueView, text?: string): Decision {
  const help = view.misreads + 1 >= MISREADS_BEFORE_HELP;
  return { steps: [help ? { do: 'help.offer' } : { do: 'say', what: { say: 'did_not_understand' } }], misread: true, unanswered: text };
}

function decideText(view: DialogueView, m: Extract<Interpretation, { kind: 'text' }>): Decision {
  const { nlu, act, text } = m;
  const products = nlu.items.length + nlu.ambiguous.length > 0;

  // Answers to the question the bot asked last.
  const answer = yesNo(text);
  if (view.pending?.kind === 'proposal' && answer) return answerProposal(view, answer === 'yes');
  if (view.pending?.kind === 'ambiguity' && !products && /^\s*\d+\s*$/.test(text)) {
    const sku = view.pending.candidates[Number(text.trim()) - 1];
    if (sku) return done({ do: 'cart.set', lines: [{ sku, quantity: view.pending.quantity }], mode: 'set' });
  }

  // "yg urat", "yg 1,2 kg": the answer to "which one?" names one of the choices.
  if (view.pending?.kind === 'ambiguity') {
    const picked = pickByName(view.pending, nlu, text);
    if (picked) return done({ do: 'cart.set', lines: [picked], mode: 'set' });
  }

  // "mau 2" / "yes" right after the bot showed a product the customer asked about.
  // ... unless the message names something else ("ada materai?" after the pencil was shown).
  const namesOther =
    nlu.unknown.length > 0 || !!nlu.matches?.length || (!!m.unmatched && !FOLLOW_UP.test(m.unmatched)) || /\d\s*(mm|cm|kg|ml|liter|inch|watt|gsm)\b/i.test(text);
  if (view.pending?.kind === 'asked' && !products && !namesOther) {
    const quantity = bareQuantity(text) ?? (answer === 'yes' ? 1 : null);
    const skus = view.pending.skus;
    if (quantity && skus.length === 1) return done({ do: 'cart.set', lines: [{ sku: skus[0]!, quantity }], mode: 'set' });
    if (quantity && skus.length > 1) return done({ do: 'cart.choose', mention: text, skus, quantity });
    // "berapa isinya?", "stoknya?": a follow-up question about what was just shown.
    if (nlu.intent === 'ask_product' || (!act && nlu.intent === 'other' && /\?|\b(berapa|brp|isi|isinya|ukuran|harga|stok|how much|size)\b/i.test(text))) return done({ do: 'products.answer', skus });
  }

  // "eh 3 deh", "tambah 1 lagi": a bare quantity corrects or adds to the line just added.
  const bare = products ? null : bareQuantity(text);
  const lastLine = view.cart.at(-1);
  if (bare && lastLine && view.stage === 'cart' && view.pending?.kind !== 'asked') {
    return done({ do: 'cart.set', lines: [{ sku: lastLine.sku, quantity: bare }], mode: addsToLine(text) ? 'add' : 'set' });
  }

  // "pouchnya 4 aja": the parser read no product, but the words name exactly one line of the cart.
  const byName = !products && !act && nlu.unknown.length === 0 && !nlu.matches?.length && view.stage === 'cart' ? lineNamedBy(view, text) : undefined;
  if (byName) return done({ do: 'cart.set', lines: [byName], mode: addsToLine(text) ? 'add' : 'set' });

  if (nlu.intent === 'human' || act?.act === 'human') return done({ do: 'handover', question: text });
  if (nlu.intent === 'payment_claim') return done({ do: 'payment.claim' });

  switch (act?.act) {
    case 'clear_cart':
      return done(editable(view.stage) ? { do: 'cart.clear' } : { do: 'say', what: { say: 'locked_order' } });
    case 'show_cart':
      if (editable(view.stage)) return done(view.cart.length ? { do: 'cart.show' } : { do: 'say', what: { say: 'cart_empty' } });
      return done({ do: 'order.status' });
    case 'replace':
      return replace(view, m);
    case 'payment_question':
      return done(
        { do: 'say', what: { say: 'payment_answer', topic: act.topic, wallet: act.wallet, options: view.payments } },
        ...(view.stage === 'method' ? [{ do: 'payment.ask_method' } as Step] : []),
      );
    case 'store_fact':
      return done({ do: 'say', what: { say: 'store_fact', fact: act.fact, place: act.place, facts: view.facts } });
    case 'order_status':
      return done(orderStatusStep(view));
    case 'help':
      if (!products) return done({ do: 'help.offer' });
      break;
    case 'wants_to_ask':
      return done({ do: 'say', what: { say: 'go_ahead' } });
    case 'done_ordering':
      if (view.stage === 'cart' || view.stage === 'none') return confirm(view);
      break;
    case 'total_question':
      // The summary (with "delivery fee after your location"), the total with the fee, or where it stands.
      if (view.stage === 'cart') return done({ do: 'cart.show' });
      if (view.stage === 'method') return done({ do: 'payment.ask_method' });
      if (view.stage === 'none') {
        const delivery = /ongkir|ongkos|kirim|antar|delivery/i.test(text);
        return done({ do: 'say', what: delivery ? { say: 'store_fact', fact: 'delivery_area', facts: view.facts } : { say: 'cart_empty' } });
      }
      return done({ do: 'order.status' });
    case 'thanks':
    case 'goodbye':
    case 'compliment':
      // "obat pusing yang bagus apa?" is a question with a kind word in it, not a compliment.
      if (!products && !asksAboutProducts(m) && !(act.act === 'compliment' && nlu.intent === 'confirm' && view.stage === 'cart')) return done({ do: 'say', what: { say: act.act } });
      break;
    default:
      break;
  }

  switch (nlu.intent) {
    case 'cancel': {
      // "stabilonya ga jadi": a line called off, not the order.
      const named = cartSkusNamed(view, nlu);
      if (view.stage === 'cart' && named.length && named.length < view.cart.length) return done({ do: 'cart.remove', skus: named });
      return done({ do: 'order.cancel' });
    }
    case 'order_status':
      return done(orderStatusStep(view));
    case 'confirm':
      return confirm(view);
    case 'choose_payment':
      // Before there is an order to pay, say how paying works here instead of "no order".
      if (view.stage === 'none') return done({ do: 'say', what: { say: 'payment_answer', topic: nlu.payment_method === 'qris' ? 'qris' : 'transfer', options: view.payments } });
      if (nlu.payment_method || nlu.bank) return done({ do: 'payment.choose', method: nlu.payment_method ?? 'va', bank: nlu.bank });
      break;
    case 'remove_item':
      if (!editable(view.stage) || view.stage === 'none') return done({ do: 'say', what: { say: view.stage === 'none' ? 'cart_empty' : 'locked_order' } });
      return done({
        do: 'cart.remove',
        skus: [...nlu.items.map((i) => i.sku), ...nlu.ambiguous.flatMap((a) => a.candidates), ...cartSkusNamed(view, nlu)],
        mentions: [...nlu.items, ...nlu.ambiguous, ...nlu.unknown].map((x) => x.mention),
      });
    case 'ask_product':
      if (products || nlu.matches?.length || nlu.unknown.length) return question(nlu, text, view);
      break;
    case 'share_address':
      return done({ do: 'place.address', text });
    default:
      break;
  }

  if (!products && (nlu.intent === 'greeting' || act?.act === 'greeting')) return done(m.catalogEmpty ? { do: 'say', what: { say: 'empty_catalog' } } : { do: 'greet' });
  // "sunscreen ada apa aja": the products of that kind; a plain "ada apa aja" gets the menu
  if (!products && nlu.intent === 'browse_catalog' && nlu.matches?.length) return done({ do: 'products.list', mention: text, skus: nlu.matches });
  if (!products && nlu.intent === 'browse_catalog') return done(m.catalogEmpty ? { do: 'say', what: { say: 'empty_catalog' } } : { do: 'menu', page: 0 });
  if (products || nlu.unknown.length) return order(nlu, act?.act === 'add_more' ? 'add' : 'set', view, text);
  if (nlu.matches?.length) return done({ do: 'products.list', mention: text, skus: nlu.matches });
  if (nlu.intent === 'choose_payment' && view.stage === 'method') return done({ do: 'payment.ask_method' });
  if (m.catalogEmpty) return done({ do: 'say', what: { say: 'empty_catalog' } });
  // Nothing recognisable: a plain search before giving up; what it finds is offered, never added.
  const hits = m.search.filter((h) => h.score > 0.5);
  // Asked about ("ada gas 12 kg?"): what the search finds is the closest to a name not sold, or the answer.
  const asked = m.unmatched ?? text.replace(/\b(ada|ga|gak|nggak|kak|min|dong|ya|jual|apa)\b|[?!.]/gi, ' ').replace(/\s+/g, ' ').trim();
  if (hits.length && asked && nlu.intent === 'ask_product' && !isNeed(asked))
    return done({ do: 'products.not_sold', mention: asked, suggestions: hits.map((h) => h.sku).slice(0, 3), text, question: true });
  if (hits.length) return done({ do: 'cart.choose', mention: text, skus: hits.map((h) => h.sku), quantity: 1 });
  // Asked for or ordered by a name the shop does not sell: said so, with the closest products.
  // A need the bot found nothing for is a question for staff.
  if (m.unmatched && isNeed(m.unmatched)) return { steps: [{ do: 'say', what: { say: 'need_not_found', need: m.unmatched } }], misread: false, unanswered: text };
  // "obat pusing" the parser read as nothing: still a need, said so and kept for staff.
  if (!m.unmatched && text.length <= 80 && SYMPTOM.test(text.toLowerCase())) return { steps: [{ do: 'say', what: { say: 'need_not_found', need: text.trim().replace(/[?!.]+$/, '') } }], misread: false, unanswered: text };
  if (m.unmatched) return done({ do: 'products.not_sold', mention: m.unmatched, suggestions: m.search.map((h) => h.sku).slice(0, 3) });
  return misread(view, text);
}

/** "cek pesanan saya" while the order is still a cart: the cart is the answer (what is in it, and its buttons). */
const orderStatusStep = (view: DialogueView): Step => (view.stage === 'cart' && view.cart.length ? { do: 'cart.show' } : { do: 'order.status' });

/** The message asks about products (a question the parser read, products it matched, or a "?"). */
function asksAboutProducts(m: Extract<Interpretation, { kind: 'text' }>): boolean {
  const { nlu } = m;
  return nlu.intent === 'ask_product' || !!nlu.matches?.length || nlu.unknown.length > 0 || (/\?/.test(m.text) && !!m.unmatched);
}

/** A street's name may run over a few words ("jalan raya mawar"); */
const STREET = String.raw`(?:jl|jln|jalan|gg|gang|komplek|komp|perum|perumahan|cluster|blok|street|st|road)`;
/** an area follows its marker directly ("kirim ke tebet", "daerah kemang"). */
const AREA = String.raw`(?:alamat(?:nya)?|alamat saya|daerah|kawasan|kelurahan|kel|kecamatan|kec|desa|dusun|(?:kirim|kirimin|kirimkan|antar|antarin|antarkan|anter|anterin|dikirim|diantar|diantarkan|deliver|send)(?: aja| ya)? (?:ke|to))`;
const WEAK_PLACE = String.raw`(?:ke|di|dari|to|at|in)`;
const FILLER_WORD = String.raw`(?:ya|aja|saja|dong|deh|kak|min|sama|dan|terus|trus|and|please|\d+)`;

/** Whether the words the parser read as a product sit in a place the customer named. */
export function placeOf(text: string, mention: string): 'place' | 'maybe' | undefined {
  const plain = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const t = ` ${plain(text)} `;
  const m = plain(mention);
  if (!m) return undefined;
  const escaped = m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const street = new RegExp(String.raw`\s${STREET}\s(?:(?!${FILLER_WORD}\s)[\p{L}\p{N}]+\s){0,2}?${escaped}\s`, 'u');
  if (street.test(t) || new RegExp(String.raw`\s${AREA}\s${escaped}\s`, 'u').test(t)) return 'place';
  if (new RegExp(String.raw`\s${WEAK_PLACE}\s${escaped}\s`, 'u').test(t)) return 'maybe';
  return undefined;
}

/**
 * Names the parser could not pin to a product: one answer per set of closest products (pieces of
 * one name, "triplek" and "mm", are one thing the customer asked for), with the number typed
 * when there is exactly one such name, so "which one?" can keep it.
 */
function notSoldSteps(nlu: NluResult, text: string, asking = false): Step[] {
  const groups = new Map<string, { mention: string; suggestions: string[] }>();
  for (const u of nlu.unknown) {
    const key = u.suggestions.length ? [...u.suggestions].sort().join(' ') : `mention:${u.mention}`;
    const seen = groups.get(key);
    if (!seen || u.mention.length > seen.mention.length) groups.set(key, { mention: u.mention, suggestions: u.suggestions });
  }
  const quantity = groups.size === 1 && nlu.items.length + nlu.ambiguous.length === 0 ? standaloneNumber(text) : undefined;
  // "obat pusing": a need, never "not sold"; the closest products are what may help.
  if (groups.size > 0 && SYMPTOM.test(text.toLowerCase())) {
    const skus = [...new Set([...groups.values()].flatMap((g) => g.suggestions))];
    return skus.length ? [{ do: 'products.list', mention: text, skus }] : [{ do: 'say', what: { say: 'need_not_found', need: text.trim().replace(/[?!.]+$/, '') } }];
  }
  return [...groups.values()].map((g) => ({
    do: 'products.not_sold',
    mention: g.mention,
    suggestions: g.suggestions,
    ...(quantity && !asking ? { quantity } : {}),
    ...(groups.size === 1 ? { text } : {}),
    ...(asking ? { question: true } : {}),
  }));
}

/** The last number typed on its own ("3 lembar", not the "12" of "12mm" or "30x30"). */
function standaloneNumber(text: string): number | undefined {
  const all = [...text.matchAll(/(?:^|[\s,])(\d{1,4})(?=[\s,.!?]|$)(?![.,]\d)(?!\s*(?:mm|cm|m|kg|g|gr|ml|l|lt|liter|inch|inchi|watt|w|gsm)\b)/gi)].map((m) => Number(m[1]));
  const n = all.at(-1);
  return n && n > 0 ? n : undefined;
}

/** The one cart line a name not pinned refers to ("klosetnya" with Kloset Jongkok in the cart). */
function cartLineNamed(view: DialogueView, mention: string): string | undefined {
  const typed = nameWords(mention.replace(/(\p{L})nya\b/giu, '$1')).filter((w) => !LINE_FILLER.has(w));
  if (typed.length === 0) return undefined;
  const fits = view.cart.filter((l) => {
    const have = new Set(nameWords(l.name));
    return typed.every((w) => have.has(w));
  });
  return fits.length === 1 ? fits[0]!.sku : undefined;
}

/** A question about products: prices and stock, the products for a need, or "not sold here". */
function question(nlu: NluResult, text: string, view?: DialogueView): Decision {
  // "klosetnya warna putih kan?": a question about a line of the cart is answered with that product.
  const aboutCart = view ? nlu.unknown.map((u) => cartLineNamed(view, u.mention)) : [];
  const lines = aboutCart.filter((sku): sku is string => !!sku);
  if (lines.length) nlu = { ...nlu, unknown: nlu.unknown.filter((_, i) => !aboutCart[i]) };
  const steps: Step[] = notSoldSteps(nlu, text, true);
  if (lines.length) steps.push({ do: 'products.answer', skus: [...new Set(lines)] });
  // A name read with low confidence ("bodrexin" ~ Bodrex) is not what they asked for: not sold, and the closest.
  const unsure = nlu.items.filter((i) => i.score < CONFIRM_BELOW);
  for (const i of unsure) steps.push({ do: 'products.not_sold', mention: i.mention, suggestions: [i.sku], text, question: true });
  const sure = nlu.items.filter((i) => i.score >= CONFIRM_BELOW);
  const skus = [...sure.map((i) => i.sku), ...nlu.ambiguous.flatMap((a) => a.candidates.slice(0, 3)), ...(nlu.matches ?? [])];
  const mentions = Object.fromEntries([...nlu.ambiguous.flatMap((a) => a.candidates.slice(0, 3).map((c) => [c, a.mention])), ...sure.map((i) => [i.sku, i.mention])]);
  if (skus.length) steps.push({ do: 'products.answer', skus: [...new Set(skus)], check: { text, mentions } });
  return done(...steps);
}

/** An order: sure lines go in, unsure ones are asked first, unknown ones are said so. */
function order(nlu: NluResult, mode: 'set' | 'add', view: DialogueView, text: string): Decision {
  // "pulpennya 5 deh": a name not pinned whose closest product is a line of the cart is that line.
  const corrections: Line[] = [];
  if (view.stage === 'cart' && nlu.unknown.length === 1 && nlu.items.length + nlu.ambiguous.length === 0) {
    const u = nlu.unknown[0]!;
    const inCart = view.cart.filter((l) => u.suggestions.includes(l.sku));
    const line = inCart[0];
    if (inCart.length === 1 && line && u.suggestions[0] === line.sku) {
      corrections.push({ sku: line.sku, quantity: standaloneNumber(text) ?? line.quantity });
      nlu = { ...nlu, unknown: [] };
    }
  }
  if (corrections.length) return done({ do: 'cart.set', lines: corrections, mode });
  // "renovasi kamar mandi … keramik kamar mandi 4": a name not pinned that repeats words of a product
  // read in the same message is that product told twice (a side story), not another thing to ask about.
  const read = nlu.items.map((i) => ({ sku: i.sku, words: new Set(nameWords(i.mention)) }));
  nlu = { ...nlu, unknown: nlu.unknown.filter((u) => !read.some((r) => u.suggestions.includes(r.sku) && nameWords(u.mention).every((w) => r.words.has(w)))) };
  const steps: Step[] = notSoldSteps(nlu, text);
  const lowOverall = nlu.confidence < LOW_CONFIDENCE && nlu.ambiguous.length === 0 && nlu.unknown.length === 0;
  const sure: Line[] = [];
  const unsure: (Line & { mention: string })[] = [];
  for (const i of nlu.items) {
    // "kirim ke jalan mawar": a place, never a product; "di mawar" may be either: asked.
    const place = placeOf(text, i.mention);
    if (place === 'place') continue;
    if (place === 'maybe') {
      unsure.push({ sku: i.sku, quantity: i.quantity, mention: i.mention });
      continue;
    }
    // "tolak angin aja" names a line already in the cart without a number: its quantity stays.
    const inCart = view.cart.find((l) => l.sku === i.sku);
    if (inCart && !i.quantityExplicit && mode === 'set') {
      sure.push({ sku: i.sku, quantity: inCart.quantity });
      continue;
    }
    if (lowOverall || i.score < CONFIRM_BELOW) unsure.push({ sku: i.sku, quantity: i.quantity, mention: i.mention });
    else sure.push({ sku: i.sku, quantity: i.quantity });
  }
  const choices: typeof nlu.ambiguous = [];
  for (const a of nlu.ambiguous) {
    // "aquanya 4 deh" with Aqua 600ml in the cart: of the look-alikes, the one in the cart is meant.
    const inCart = view.cart.filter((l) => a.candidates.includes(l.sku));
    if (inCart.length === 1 && view.stage === 'cart') {
      const line = inCart[0]!;
      // A look-alike named without a number keeps the line's quantity (the parser reads it as 1).
      const quantity = a.quantity === 1 && !/\b(1|satu|one|siji|hiji|setunggal)\b/i.test(text) ? line.quantity : a.quantity;
      sure.push({ sku: line.sku, quantity });
    } else choices.push(a);
  }
  if (sure.length) steps.push({ do: 'cart.set', lines: sure, mode, check: { text, mentions: Object.fromEntries(nlu.items.filter((i) => sure.some((l) => l.sku === i.sku)).map((i) => [i.sku, i.mention])) } });
  // An order ("buku tulis sidu 38 lembar 10") means the single product over its packs unless a pack is named.
  for (const a of choices) steps.push({ do: 'cart.choose', mention: a.mention, skus: a.candidates, quantity: a.quantity, typed: text });
  if (unsure.length) steps.push({ do: 'cart.propose', lines: unsure, mode });
  // "… bayarnya qris aja": the method is kept for checkout (the cart it belongs to exists by now).
  if ((nlu.payment_method || nlu.bank) && (sure.length || view.stage === 'cart')) steps.push({ do: 'payment.choose', method: nlu.payment_method ?? 'va', bank: nlu.bank });
  return done(...steps);
}

/** "ganti X jadi Y" / "ganti X jadi 3": only lines of the cart can be replaced. */
function replace(view: DialogueView, m: Extract<Interpretation, { kind: 'text' }>): Decision {
  if (!editable(view.stage)) return done({ do: 'say', what: { say: 'locked_order' } });
  const r = m.replace;
  const inCart = r?.last ? view.cart.slice(-1) : view.cart.filter((l) => r?.from.includes(l.sku));
  const old = inCart[0];
  // "ganti kayu putihnya jadi yg 60 ml": the parser read a look-alike of the line, or only a size
  // for the new one; the act stage finds the line and its variant by their names.
  const toText = m.act?.act === 'replace' ? m.act.to : '';
  if (r && !r.last && (!old || (!r.to && !r.toAmbiguous?.length && r.quantity === undefined)) && view.cart.length)
    return done({
      do: 'cart.replace_variant',
      fromMention: r.fromMention,
      fromSkus: old ? [old.sku] : r.from,
      toText,
      ...(r.to && r.to.score >= CONFIRM_BELOW ? { to: { sku: r.to.sku, quantity: r.to.quantity, explicit: r.to.explicit } } : {}),
    });
  if (!r || !old) return done({ do: 'say', what: { say: 'not_in_cart' } }, ...(view.cart.length ? [{ do: 'cart.show' } as Step] : []));
  if (r.quantity !== undefined && !r.to) return done({ do: 'cart.set', lines: [{ sku: old.sku, quantity: r.quantity }], mode: 'set' });
  if (r.toAmbiguous?.length) return done({ do: 'cart.remove', skus: [old.sku] }, { do: 'cart.choose', mention: r.fromMention, skus: r.toAmbiguous, quantity: old.quantity });
  if (!r.to) return done({ do: 'say', what: { say: 'did_not_understand' } });
  const to = { sku: r.to.sku, quantity: r.to.explicit ? r.to.quantity : old.quantity };
  if (r.to.score < CONFIRM_BELOW) return done({ do: 'cart.propose', lines: [{ ...to, mention: r.fromMention }], mode: 'set', replaces: old.sku });
  return done({ do: 'cart.replace', from: old.sku, to });
}
