import type { CatalogIndex } from './catalog-index.js';
import { classifyIntent, INTENT_WORDS } from './intent.js';
import { GIVEN_WITH, PEOPLE_WORDS, STOPWORDS } from './lexicon.js';
import { detectLanguage } from './language.js';
import { AMBIGUITY_MARGIN, applyCorrections, findMentions, ITEM_THRESHOLD, type Mention } from './mentions.js';
import type { Token } from './text.js';
import { restOfClause } from './evidence.js';
import { extractPayment } from './payment.js';
import { isNeedWord, matchNeeds, productsOfKind } from './needs.js';
import { tokenize } from './text.js';
import type { NluAmbiguity, NluItem, NluResult } from './types.js';

const GENERIC_PRODUCT_WORDS = new Set(['obat', 'vitamin', 'minuman', 'makanan', 'snack', 'medicine', 'drink', 'food', 'barang', 'produk', 'sabun', 'susu', 'mie']);

/** Every answer for one message, plus the text position of each item and ambiguity (the CLI keeps the customer's order). */
export interface DetailedParse {
  result: NluResult;
  ordered: { sku: string; quantity: number }[];
}

export function parseDetailed(text: string, index: CatalogIndex): DetailedParse {
  const tokenized = tokenize(text, index.vocab);
  const question = tokenized.question;
  const tokens = applyCorrections(bridgeCompounds(joinPeopleCounts(tokenized.tokens), index), index.vocab);
  const all = findMentions(tokens, index);
  const afterAsides = dropSummaries(dropAsides(all, tokens));
  const found = dropCorrected(dropReplaced(afterAsides, tokens), tokens);
  const mentions = dropRemovedInline(found, tokens, index);
  takeWithout(mentions, tokens, index);
  countPerPerson(mentions, tokens);
  // a line taken back in the same message, by a slip ("eh penghapus ga usah") or a strike
  const struck = mentions.length < afterAsides.length;

  const items: NluItem[] = [];
  const ambiguous: NluAmbiguity[] = [];
  const unknown: NluResult['unknown'] = [];
  const ordered: { sku: string; quantity: number; start: number; quantityExplicit: boolean }[] = [];
  let unlistedNamed = 0;
  for (const m of mentions) {
    const top = m.ranked[0];
    // part of what the customer named is not in this catalog and the rest fits several products: not sold here
    const partlyUnlisted = top !== undefined && ((((m.unexplained > 0 && (m.ranked[1]?.score ?? 0) >= top.score - 0.25) || m.contradicted) && top.score < 0.85) || m.unsoldForm);
    if (!top || top.score < ITEM_THRESHOLD || partlyUnlisted) {
      // a product named in a kind the shop does not list still makes the message about products
      if (partlyUnlisted && top.score >= ITEM_THRESHOLD && (m.contradicted || m.explicit)) unlistedNamed++;
      const suggestions = m.ranked.filter((r) => r.score >= 0.3).slice(0, 3).map((r) => index.products[r.p]!.sku);
      unknown.push({ mention: m.mention, suggestions });
      continue;
    }
    const second = m.ranked[1];
    const sku = index.products[top.p]!.sku;
    // close scores, or scores apart only by words the customer never typed ("indomie 2" among its flavours)
    const rival = m.ranked.slice(1).find((x) => !index.products[x.p]!.bulk && !index.products[x.p]!.packOfSingle);
    // (…unless it is the plain one of its kind: "print 18 halaman" is the black-and-white print)
    const sameWords = m.sameEvidence && rival !== undefined && rival.score >= top.score - 0.25 && !top.plain;
    // compared unclamped: a unit or a measure that picks a variant still separates two full matches ("pasir cor 2 kubik")
    const rawOf = (r: { score: number; raw?: number }) => r.raw ?? r.score;
    if (second && (rawOf(second) >= rawOf(top) - AMBIGUITY_MARGIN || sameWords)) {
      const candidates = m.ranked.filter((r) => r.score >= top.score - (sameWords ? 0.25 : 0.1) && !(sameWords && index.products[r.p]!.bulk)).slice(0, 5).map((r) => index.products[r.p]!.sku);
      ambiguous.push({ mention: m.mention, quantity: m.quantity, candidates });
    } else {
      const existing = items.find((i) => i.sku === sku);
      // "roti tawar sari roti 1", "burger patty 2 … mau bikin burger sendiri": naming it again without a count adds none
      if (existing) mergeCount(existing, m);
      else items.push({ sku, quantity: m.quantity, quantityExplicit: m.explicit, mention: m.mention, score: round(top.score) });
    }
    // what the customer named: a mention its variants fit equally well names none of them, unless one is the plain
    // one a bare name means (it is asked with buttons either way; a near tie keeps its best reading as the guess)
    const tie = second !== undefined && rawOf(top) - rawOf(second) < 0.02;
    if (ambiguous.length > 0 && ambiguous[ambiguous.length - 1]!.mention === m.mention && !top.plain && tie) continue;
    const prev = ordered.find((o) => o.sku === sku);
    if (prev) mergeCount(prev, m); else ordered.push({ sku, quantity: m.quantity, start: m.start, quantityExplicit: m.explicit });
  }

  // words a product name explains are not read for the intent ("No Drop" removes nothing, "Tiga Roda" counts nothing)
  // (…including a product said in passing: "dulu pake no drop" removes nothing either)
  const used = new Set(all.filter((m) => (m.ranked[0]?.score ?? 0) >= ITEM_THRESHOLD).flatMap((m) => m.used));
  // (a product's "not yet" is no "… belum?" question)
  const words = tokens.filter((t, i) => t.kind === 'word' && !used.has(i) && !notYetAt(tokens, i, found)).map((t) => t.text);
  const payment = extractPayment(words);
  const productNoun = unknown.length > 0 || words.some((w) => GENERIC_PRODUCT_WORDS.has(w) || index.categoryWords.has(w));
  const features = {
    words,
    lower: text.toLowerCase(),
    question,
    itemCount: items.length + ambiguous.length,
    explicitQuantity: mentions.some((m) => m.explicit && (m.ranked[0]?.score ?? 0) >= ITEM_THRESHOLD),
    productNoun,
    unknownWords: words.filter((w) => w.length >= 3 && /^[a-z]+$/.test(w) && !STOPWORDS.has(w) && !INTENT_WORDS.has(w) && !index.vocab.has(w) && index.vocab.lookup(w).length === 0).length,
    payment,
  };
  let { intent, confidence } = classifyIntent(features);
  // "cat kayu emco putih 2", "implora cushion ada?": products named in a kind the shop does not list make an
  // order or a question the dialogue answers with "belum tersedia", not small talk
  if (intent === 'other' && unlistedNamed > 0) ({ intent, confidence } = classifyIntent({ ...features, itemCount: unlistedNamed }));
  // street names and talk about the courier are not shopping: "Jl. Cempaka Putih" names no rice
  if (intent === 'share_address' || intent === 'human' || intent === 'order_status' || (intent === 'browse_catalog' && !mentions.some((m) => m.explicit))) {
    items.length = 0;
    ambiguous.length = 0;
    unknown.length = 0;
    ordered.length = 0;
  }
  // what is left after striking a line in the same message is still an order
  // …and so is an order that drops only a part of a dish the shop does not sell on its own ("sate 2, lontongnya ga usah")
  // (…or something it does not sell at all: "pensil 2b 2 sama penghapus 1, eh penghapus ga usah")
  const partDropped = !struck && intent === 'remove_item' && items.length > 0 && items.every((i) => i.quantityExplicit)
    && (/\b[a-z]{3,}nya (ga|gak|nggak|tidak|tdk|gk) ?usah\b/.test(text.toLowerCase()) || dropsOnlyUnsold(tokens, all));
  const finalIntent = (struck && items.length + ambiguous.length > 0 && intent === 'remove_item') || partDropped ? 'order' : intent;
  let method = payment.method;
  // "…, bayar transfer aja" inside an order picks transfer too; "udah tf" only says it was paid
  const claimed = words.some((w) => w === 'sudah' || w === 'barusan' || w === 'telah');
  if (method === null && payment.transferWord && (intent === 'choose_payment' || (finalIntent === 'order' && !claimed))) method = 'va';

  // a need with no product named ("obat pusing", "cat buat kayu"): the products that answer it, to choose from
  // (a browse of a kind, "sunscreen ada apa aja", lists that kind the same way)
  const needy = items.length === 0 && ambiguous.length === 0 && (finalIntent === 'ask_product' || finalIntent === 'order' || finalIntent === 'other' || finalIntent === 'browse_catalog');
  // …unless the customer named a product the shop does not list ("sepatu futsal"): that is "belum tersedia"
  const namesUnlisted = unknown.some((u) => tokenize(u.mention, index.vocab).tokens.some((t) => t.kind === 'word' && index.nameWords.has(t.text) && !isNeedWord(t.text)));
  const matches = !needy || namesUnlisted ? [] : finalIntent === 'browse_catalog' ? productsOfKind(tokens, index) : matchNeeds(tokens, index);
  if (matches.length > 0) unknown.length = 0;
  // "alamat proyek: perumahan bumi permata …": a bank named only as part of an address chooses nothing
  const payWord = words.some((w) => /^(bayar|transfer|tf|trf|va|virtual|qris|qr|rekening|rek|via|pake|pakai|lewat)$/.test(w));
  let bank = payment.bank;
  if (finalIntent === 'share_address' && !payWord) { method = null; bank = null; }
  const result: NluResult = {
    intent: finalIntent,
    confidence: ambiguous.length > 0 || unknown.length > 0 ? Math.min(confidence, 0.6) : confidence,
    language: detectLanguage(text),
    items,
    ambiguous,
    unknown,
    payment_method: method,
    bank,
    ...(matches.length > 0 ? { matches } : {}),
  };
  return { result, ordered: ordered.sort((a, b) => a.start - b.start).map(({ sku, quantity }) => ({ sku, quantity })) };
}

/**
 * "ultramilk" against "Ultra Milk", "paper one" against "PaperOne": a word the catalog writes as two is
 * split, two words it writes as one are joined.
 */
function bridgeCompounds(tokens: Token[], index: CatalogIndex): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const n = tokens[i + 1];
    if (t.kind === 'word' && n?.kind === 'word' && index.nameWords.has(t.text + n.text) && !(index.nameWords.has(t.text) && index.nameWords.has(n.text))) {
      out.push({ ...t, text: t.text + n.text, raw: `${t.raw} ${n.raw}` });
      i++;
      continue;
    }
    if (t.kind === 'word' && t.text.length >= 6 && !index.nameWords.has(t.text)) {
      let split: Token[] | null = null;
      for (let k = 3; k <= t.text.length - 3 && !split; k++) {
        const a = t.text.slice(0, k);
        const b = t.text.slice(k);
        // "kertassidu": a name word glued to an alias word ("sidu") splits too
        const known = (w: string) => index.nameWords.has(w) || index.postings.has(w);
        if ((index.nameWords.has(a) || index.nameWords.has(b)) && known(a) && known(b)) split = [{ ...t, text: a }, { ...t, text: b }];
      }
      if (split) { out.push(...split); continue; }
    }
    out.push(t);
  }
  return out;
}

const REPLACE_VERBS = new Set(['ganti', 'gantiin', 'tukar', 'tuker', 'ubah', 'change', 'replace', 'swap']);
const REPLACE_TO = new Set(['jadi', 'dengan', 'ke', 'with', 'to', 'into', 'for', 'pakai']);

/** "ganti es teh jadi es jeruk": what is being replaced is not ordered again; the replacement is. */
function dropReplaced(mentions: Mention[], tokens: Token[]): Mention[] {
  const verb = tokens.findIndex((t) => t.kind === 'word' && REPLACE_VERBS.has(t.text));
  if (verb < 0) return mentions;
  const to = tokens.findIndex((t, i) => i > verb && t.kind === 'word' && REPLACE_TO.has(t.text));
  if (to < 0) {
    // "…, yg es teh manis ganti teh manis hangat": the product just before "ganti" gives way to the one after it,
    // wherever else in the message it was ordered
    const gone = mentions.find((m) => m.end === verb - 1);
    const comes = mentions.find((m) => m.start === verb + 1);
    const sku = gone?.ranked[0]?.p;
    if (!gone || !comes || sku === undefined || comes.ranked[0]?.p === sku) return mentions;
    const first = mentions.find((m) => m.ranked[0]?.p === sku && m.explicit);
    if (first && !comes.explicit) { comes.quantity = first.quantity; comes.explicit = true; }
    return mentions.filter((m) => m.ranked[0]?.p !== sku);
  }
  const after = mentions.filter((m) => m.start > to);
  if (after.length === 0) return mentions;
  // "tadi sy pesen mie ayam biasa, ganti jadi mie ayam komplit": what was named before "ganti" gives way
  if (!mentions.some((m) => m.start > verb && m.start < to)) {
    const gone = [...mentions].reverse().find((m) => m.end < verb && verb - m.end <= 3);
    // ("risol sayur 20 ganti jadi risol mayo": the count goes with the swap)
    if (gone?.explicit && !after[0]!.explicit) { after[0]!.quantity = gone.quantity; after[0]!.explicit = true; }
    return gone ? mentions.filter((m) => m !== gone) : mentions;
  }
  return mentions.filter((m) => !(m.start > verb && m.start < to));
}

/** Words of a story around the order: what someone ate, drank or bought before, how someone feels. */
// (…and what someone else uses or recommends: "adik sy pake emina, aku coba wardah 1", "temen rekomen X, tp sy Y 1")
const ASIDE_WORDS = new Set(['punya', 'liat', 'lihat', 'ngeliat', 'sebelum', 'sebelumnya', 'dulunya', 'lalu', 'adik', 'adek', 'kakak', 'kakakku', 'suami', 'istri', 'temen',
  'teman', 'tetangga', 'pacar', 'mertua', 'rekomen', 'rekomendasi', 'recommend', 'katanya', 'kata', 'kemarin', 'kemaren', 'kmrn', 'tadi', 'biasanya', 'pernah', 'dulu', 'minum', 'makan', 'diminum', 'dimakan', 'suka',
  'perut', 'kena', 'habis', 'abis', 'lagi', 'enak', 'kangen', 'bikin', 'masak', 'yesterday', 'usually', 'drink', 'drinks', 'eat', 'eats', 'ate', 'drank', 'likes', 'loves']);
const TOO_MUCH = /^ke(kecil|besar|mahal|gede|gedhe|panjang|pendek|manis|asin|pedes|pedas|tebal|tipis|sempit|lebar|berat|kecut|banyakan|dikit)an$/;
const SLIP_WORDS = new Set(['eh', 'ehh', 'ralat', 'maksudnya', 'maksud', 'koreksi', 'sorry', 'sori', 'oops', 'wait']);
/** What may come between a slip and the product that replaces it ("eh maksud saya es alpukat", "eh sori maksudnya …"). */
const SLIP_FILLER = new Set(['yang', 'aja', 'deh', 'ganti', 'jadi', 'kak', 'saya', 'aku', 'maaf', 'ding', 'ya', 'sih', 'tuh', 'mas', 'mbak', 'bu', 'pak', 'bang']);

/**
 * "champ sosis sapi 3, eh yg ayam aja 3": a product named right after a slip word replaces the one before,
 * and keeps its count unless it has its own.
 */
function dropCorrected(mentions: Mention[], tokens: Token[]): Mention[] {
  const out = [...mentions];
  for (let k = out.length - 1; k > 0; k--) {
    const m = out[k]!;
    const prev = out[k - 1]!;
    const between = tokens.slice(prev.end + 1, m.start);
    if (!between.some((t) => t.kind === 'word' && SLIP_WORDS.has(t.text))) continue;
    if (between.some((t) => t.kind === 'word' && !SLIP_WORDS.has(t.text) && !SLIP_FILLER.has(t.text))) continue;
    // ("teh kotak 1 dus. eh kapal api nya ga usah": the slip names what to strike, it replaces nothing)
    const clause = restOfClause(tokens, m.end).rest;
    if (clause.some((t, j) => t.kind === 'word' && (REMOVE_MARKS.has(t.text) || (t.text === 'ga' && (clause[j + 1]?.text === 'usah' || clause[j + 1]?.text === 'jadi'))))) continue;
    if (!m.explicit && prev.explicit) { m.quantity = prev.quantity; m.explicit = true; }
    out.splice(k - 1, 1);
  }
  return out;
}

/**
 * "kanzler singles 6, yg original 4 yg keju 2", "ayam goreng 3, 2 dada 1 paha": a count of a family that the
 * variants said next add up to is the total of them, no item of its own.
 */
function dropSummaries(mentions: Mention[]): Mention[] {
  const drop = new Set<Mention>();
  mentions.forEach((m, k) => {
    if (!m.explicit || m.ranked.length < 2) return;
    const family = new Set(m.ranked.filter((r) => r.score >= (m.ranked[0]?.score ?? 0) - 0.4).map((r) => r.p));
    let sum = 0;
    const parts: Mention[] = [];
    for (const o of mentions.slice(k + 1)) {
      const top = o.ranked[0];
      if (!o.explicit || !top || !family.has(top.p)) break;
      parts.push(o);
      sum += o.quantity;
      if (sum >= m.quantity) break;
    }
    if (parts.length >= 2 && sum === m.quantity && new Set(parts.map((o) => o.ranked[0]!.p)).size === parts.length) drop.add(m);
  });
  return drop.size === 0 ? mentions : mentions.filter((m) => !drop.has(m));
}

/** "kita ber-5", "ber4": how many people, one word, so the number counts no product. */
function joinPeopleCounts(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const n = tokens[i + 1];
    if (t.kind === 'word' && t.text === 'ber' && n?.kind === 'num' && Number.isInteger(n.value)) {
      out.push({ kind: 'word', text: `ber${n.value}`, value: 0, raw: `${t.raw}${n.raw}` });
      i++;
    } else out.push(t);
  }
  return out;
}

/** Words that end a list of what a box holds and go back to the order. */
const CONJUNCTIONS_OUT = new Set(['terus', 'trus', 'lalu', 'juga', 'tambah', 'plus']);

const BER_N: Record<string, number> = { berdua: 2, bertiga: 3, berempat: 4, berlima: 5, berenam: 6, bertujuh: 7, berdelapan: 8, bersepuluh: 10 };

/**
 * "kita ber-5, masing2 paket nasi rendang satu", "buat 3 orang, masing2 citra satu": a count for each of so many
 * people is that many times the count. Without "masing-masing" the people are only who it is for.
 */
function countPerPerson(mentions: Mention[], tokens: Token[]): void {
  if (!tokens.some((t) => t.kind === 'word' && (t.text === 'masing' || t.text === 'each'))) return;
  let people = 0;
  tokens.forEach((t, i) => {
    const nx = tokens[i + 1];
    if (t.kind === 'num' && nx?.kind === 'word' && PEOPLE_WORDS.has(nx.text)) people = t.value;
    else if (t.kind === 'word' && /^ber\d+$/.test(t.text)) people = Number(t.text.slice(3));
    else if (t.kind === 'word' && BER_N[t.text] !== undefined) people = BER_N[t.text]!;
  });
  if (!Number.isInteger(people) || people < 2 || people > 50) return;
  for (const m of mentions) if (m.explicit && !tokens.slice(m.start, m.end + 1).some((t) => t.kind === 'word' && PEOPLE_WORDS.has(t.text))) m.quantity *= people;
}

const WITHOUT = new Set(['tanpa', 'without', 'no']);
const WITHOUT_MEANS: Record<string, string> = { gula: 'manis', sugar: 'manis' };

/**
 * "es jeruk 1 ga pake es", "es teh manis 2 tanpa es": the product without a word of its own name is its sibling
 * that lacks it (Jeruk Hangat, Teh Manis Hangat), when the shop sells one; otherwise it is a note on the item.
 */
function takeWithout(mentions: Mention[], tokens: Token[], index: CatalogIndex): void {
  for (const m of [...mentions]) {
    const top = m.ranked[0];
    if (!top || top.score < ITEM_THRESHOLD) continue;
    // (its own count may come between; "es jeruk 2, yg satu ga pake es" says it of one of them)
    let k = m.end + 1;
    while (tokens[k]?.kind === 'num' || tokens[k]?.kind === 'unit') k++;
    while (tokens[k]?.kind === 'sep' || (tokens[k]?.kind === 'word' && ['ya', 'aja', 'kak', 'lagi', 'tapi'].includes(tokens[k]!.text))) k++;
    const oneOf = tokens[k]?.kind === 'word' && tokens[k]!.text === 'yang' && tokens[k + 1]?.kind === 'num' && tokens[k + 1]!.value === 1
      && m.explicit && m.quantity >= 2 && !mentions.some((o) => o !== m && o.start > m.end && o.start <= k + 1);
    if (oneOf) k += 2;
    else if (tokens[k]?.kind === 'word' && tokens[k]!.text === 'yang') continue;
    const a = tokens[k];
    const b = tokens[k + 1];
    const c = tokens[k + 2];
    const neg = a?.kind === 'word' && (WITHOUT.has(a.text) || (['ga', 'gak', 'nggak', 'tidak', 'jangan'].includes(a.text) && b?.kind === 'word' && b.text === 'pakai'));
    const wt = !neg ? undefined : WITHOUT.has(a!.text) ? b : c;
    if (!neg || wt?.kind !== 'word') continue;
    // "ga pake gula" of a sweet drink is the unsweetened one
    const wText = WITHOUT_MEANS[wt.text] ?? wt.text;
    const p = index.products[top.p]!;
    if (!p.fields[0]!.tokens.includes(wText)) continue;
    const keep = p.fields[0]!.tokens.filter((t) => t !== wText && !t.startsWith('#') && !/^\d/.test(t));
    const typed = new Set(m.used.map((i) => tokens[i]?.text).filter((t): t is string => !!t && t !== wText));
    const siblings = index.products.filter((o) => o.ord !== p.ord && !index.tokenSets[o.ord]!.has(wText)
      && [...typed].every((t) => index.tokenSets[o.ord]!.has(t)) && typed.size > 0);
    if (siblings.length === 0) continue;
    // (words its own name carries count more than words only a remark carries: "Es Teh Tawar" before a
    // "Paket Hemat (ayam goreng+nasi+es teh)")
    const shared = (o: typeof p) => keep.reduce((n, t) => n + (o.fields[0]!.tokens.includes(t) ? 1 : index.tokenSets[o.ord]!.has(t) ? 0.5 : 0), 0) - 0.01 * o.fields[0]!.tokens.length;
    const best = siblings.sort((x, y) => shared(y) - shared(x))[0]!;
    if (oneOf) {
      // one of them is the sibling, the rest stay as ordered
      m.quantity -= 1;
      mentions.splice(mentions.indexOf(m) + 1, 0, { ...m, quantity: 1, ranked: [{ p: best.ord, score: top.score }], used: [] });
      continue;
    }
    // what it was said without is no longer a rival reading
    m.ranked = [{ p: best.ord, score: top.score }, ...m.ranked.filter((r) => r.p !== best.ord && !index.tokenSets[r.p]!.has(wText))];
    m.sameEvidence = false;
  }
}
const CONTRAST = new Set(['bukan', 'selain', 'instead', 'not', 'jangan']);
const POSSESSIVES = new Set(['saya', 'ku', 'kamu', 'mu', 'dia', 'kita', 'kami', 'my', 'our', 'his', 'her']);

/**
 * "anak sy minum air putih aja, nasi goreng 2", "kmrn beli sosis enak, skrg mau nugget 2", "teh 1, ga pake es":
 * when some item carries a count, an uncounted product that only appears in a side story or after
 * "tanpa"/"ga pake" is not ordered.
 */
function dropAsides(mentions: Mention[], tokens: Token[]): Mention[] {
  const anyCounted = mentions.some((m) => m.explicit);
  const clauseOfTok: number[] = [];
  let c = 0;
  // ("bakso mercon kemarin pedesnya nampol hari ini bakso urat 3": "hari ini", "sekarang" turn from the story to the order)
  tokens.forEach((t, i) => {
    if (t.kind === 'sep' || (t.kind === 'word' && (t.text === 'sekarang' || (t.text === 'hari' && tokens[i + 1]?.text === 'ini')))) c++;
    clauseOfTok[i] = c;
  });
  const asideClause = new Set<number>();
  // (as typed too: "biasanya" is read as "biasa", the plain one)
  // ("temenku pake sandisk 64": someone's own, with "-ku", "-mu", "-nya")
  const aside = (w: string) => ASIDE_WORDS.has(w) || (/^[a-z]{4,}(ku|mu)$/.test(w) && ASIDE_WORDS.has(w.slice(0, -2)));
  tokens.forEach((t, i) => { if (t.kind === 'word' && (aside(t.text) || aside(t.raw.toLowerCase()))) asideClause.add(clauseOfTok[i]!); });
  const isWithout = (m: Mention): boolean => {
    const before = tokens[m.start - 1];
    const before2 = tokens[m.start - 2];
    // ("ayam gulai 1 jangan dikasih nangka", "ga usah pakai sambal")
    return (before?.kind === 'word' && WITHOUT.has(before.text))
      || (before?.kind === 'word' && GIVEN_WITH.has(before.text) && before2?.kind === 'word' && (before2.text === 'ga' || before2.text === 'jangan' || before2.text === 'usah'));
  };
  // "es teh ga pake gula 2": the count after the note counts the item the note is on
  return mentions.filter((m, k) => {
    const prev = mentions[k - 1];
    if (m.explicit && isWithout(m)) {
      if (prev && !prev.explicit && prev.clause === m.clause && m.start - prev.end <= 3) {
        prev.quantity = m.quantity;
        prev.explicit = true;
      }
      return false;
    }
    if (m.explicit) return true;
    // ("bukan yg sambal merah, sambal ijo 2": "yang" between)
    const before = tokens[m.start - 1]?.kind === 'word' && tokens[m.start - 1]!.text === 'yang' ? tokens[m.start - 2] : tokens[m.start - 1];
    const without = isWithout(m);
    const counted = mentions.some((o) => o.explicit && clauseOfTok[o.start] === clauseOfTok[m.start]);
    if (without) return false;
    // "snack box isi 5 25 box, isinya risol mayo, lemper sama kue sus": what a box holds is no order of its own
    const holds = tokens.slice(Math.max(0, m.start - 12), m.start + 1).some((x) => x.kind === 'word' && x.raw.toLowerCase() === 'isinya')
      && anyCounted && !tokens.slice(Math.max(0, m.start - 12), m.start).some((x) => x.kind === 'word' && CONJUNCTIONS_OUT.has(x.text));
    if (holds) return false;
    // "sosis 3, dikasih es batu ya biar ga cair": what the order is packed with, and why, is no order of it
    const why = tokens.slice(m.end + 1, m.end + 4).some((x) => x.kind === 'word' && (x.text === 'biar' || x.text === 'supaya' || x.text === 'agar'));
    if (why && before?.kind === 'word' && GIVEN_WITH.has(before.text)) return false;
    // "yg 30 gr kekecilan", "yg besar kemahalan": one found too small or too dear is what is not wanted
    const next1 = tokens[m.end + 1];
    const next2 = tokens[m.end + 2];
    if ([next1, next2].some((x) => x?.kind === 'word' && TOO_MUCH.test(x.text))) return false;
    // "yg microsd ya bukan flashdisk": what it is not
    if (before?.kind === 'word' && CONTRAST.has(before.text)) return false;
    // "hp gw", "motor saya": the customer's own thing, not something to buy
    const after = tokens[m.end + 1];
    if (after?.kind === 'word' && POSSESSIVES.has(after.text) && m.end === m.start) return false;
    return !(anyCounted && asideClause.has(clauseOfTok[m.start]!) && !counted);
  });
}

const REMOVE_MARKS = new Set(['hapus', 'buang', 'batal', 'cancel', 'remove', 'delete', 'jangan', 'without', 'coret', 'dicoret']);

/**
 * "triplek 5 lembar sama kaso 10, kasonya coret": a clause that strikes a product named earlier in the same
 * message takes it out, and the rest of the order stands.
 */
const STRIKE_FILLER = new Set(['yang', 'aja', 'saja', 'deh', 'dong', 'ya', 'kak', 'nya', 'ga', 'gak', 'jadi', 'usah', 'tidak', 'coret', 'dicoret', 'itu', 'ini', 'sih', 'tapi', 'kalau']);

/** Words that close what was just said ("1 aja", "2 dulu", "3 deh"). */
const CLOSING_PARTICLES = new Set(['aja', 'saja', 'dulu', 'deh', 'ya', 'yah']);

function dropRemovedInline(mentions: Mention[], tokens: Token[], index: CatalogIndex): Mention[] {
  const clauseHasRemove = new Map<number, boolean>();
  const clauseOfTok: number[] = [];
  let c = 0;
  tokens.forEach((t, i) => {
    // "lele goreng 3 ekor gk usah nasi": a drop said right after a counted item starts a clause of its own
    // ("beras 5 kg 1 aja ga usah yg 25": a closing "aja" between changes nothing)
    const counted = (k: number) => tokens[k]?.kind === 'num' || tokens[k]?.kind === 'unit';
    const dropAfterCount = t.kind === 'word' && t.text === 'ga' && (tokens[i + 1]?.text === 'usah' || tokens[i + 1]?.text === 'jadi')
      && (counted(i - 1) || (tokens[i - 1]?.kind === 'word' && CLOSING_PARTICLES.has(tokens[i - 1]!.text) && counted(i - 2))) && tokens[i + 2]?.kind === 'word';
    if (t.kind === 'sep' || dropAfterCount || (t.kind === 'word' && (t.text === 'dan' || t.text === 'sama' || t.text === 'and'))) c++;
    clauseOfTok[i] = c;
  });
  tokens.forEach((t, i) => {
    if (t.kind !== 'word') return;
    // "ga pakai sawi" prepares the item without it; it strikes nothing
    const gaX = t.text === 'ga' && tokens[i + 1]?.kind === 'word' && (tokens[i + 1]!.text === 'jadi' || tokens[i + 1]!.text === 'usah');
    // "pasir cor 1 rit dulu, batu belum": a product "not yet" at the end of its clause is not ordered now
    if (REMOVE_MARKS.has(t.text) || gaX || notYetAt(tokens, i, mentions)) clauseHasRemove.set(clauseOfTok[i]!, true);
  });
  if (clauseHasRemove.size === 0) return mentions;
  const out = [...mentions];
  // "meo pouch 10 sama whiskas kaleng 2, yg kaleng coret aja": a striking clause that names no product strikes
  // the one earlier item its words point at
  for (const [c] of clauseHasRemove) {
    if (mentions.some((m) => clauseOfTok[m.start] === c)) continue;
    const words = tokens.filter((t, i) => clauseOfTok[i] === c && t.kind === 'word' && !REMOVE_MARKS.has(t.text) && !STRIKE_FILLER.has(t.text)).map((t) => t.text);
    if (words.length === 0 || words.length > 3) continue;
    const hit = out.filter((m) => m.ranked[0] !== undefined && words.every((w) => m.used.some((u) => tokens[u]?.text === w) || index.tokenSets[m.ranked[0]!.p]!.has(w)));
    if (hit.length === 1 && out.length > 1) out.splice(out.indexOf(hit[0]!), 1);
  }
  // (only what names a product counts as kept: "… di cancel aja, pasirnya tetap" keeps no product it could add)
  const kept = mentions.filter((m) => !clauseHasRemove.get(clauseOfTok[m.start]!) && (m.ranked[0]?.score ?? 0) >= ITEM_THRESHOLD);
  for (const m of mentions) {
    if (!clauseHasRemove.get(clauseOfTok[m.start]!)) continue;
    const sku = m.ranked[0]?.p;
    if (sku === undefined) continue;
    // (…or a variant of it the strike fits nearly as well: "kapal api 2 renteng … eh kapal api na teu kedah")
    const lead = (p: number) => index.products[p]!.fields[0]!.tokens[0];
    // (…unless the strike names its own size: "besi 12 ga jadi" beside besi 8 and besi 10)
    const sized = m.used.some((u) => tokens[u]?.kind === 'num' || tokens[u]?.kind === 'size') || (m.ranked[0]?.score ?? 0) < ITEM_THRESHOLD;
    const fits = (p: number | undefined) => p !== undefined && (p === sku || (!sized && lead(p) === lead(sku)
      && m.ranked.some((r) => r.p === p && r.score >= m.ranked[0]!.score - 0.1)));
    const earlier = out.filter((o) => o !== m && o.start < m.start && fits(o.ranked[0]?.p) && !clauseHasRemove.get(clauseOfTok[o.start]!));
    // "nugget 2, yg so good ga jadi": a product struck beside an order is never added by it
    if (earlier.length === 0 && kept.length === 0) continue;
    for (const e of [...earlier, m]) out.splice(out.indexOf(e), 1);
  }
  return out;
}

/** Every clause that drops something names no product of the shop. */
function dropsOnlyUnsold(tokens: Token[], mentions: Mention[]): boolean {
  const clauses: number[] = [];
  let c = 0;
  tokens.forEach((t, i) => { if (t.kind === 'sep') c++; clauses[i] = c; });
  const marks = tokens.map((t, i) => ({ t, i })).filter(({ t, i }) => t.kind === 'word' && (REMOVE_MARKS.has(t.text) || (t.text === 'ga' && (tokens[i + 1]?.text === 'usah' || tokens[i + 1]?.text === 'jadi'))));
  if (marks.length === 0) return false;
  return marks.every(({ i }) => !mentions.some((m) => clauses[m.start] === clauses[i] && (m.ranked[0]?.score ?? 0) >= ITEM_THRESHOLD));
}

/** "pasir cor 1 rit dulu, batu belum": "belum" right after a product, ending its clause: that product not yet. */
function notYetAt(tokens: Token[], i: number, mentions: Mention[]): boolean {
  return tokens[i]?.text === 'belum' && (tokens[i + 1] === undefined || tokens[i + 1]!.kind === 'sep') && mentions.some((m) => m.end === i - 1);
}

export function parseMessage(text: string, index: CatalogIndex): NluResult {
  return parseDetailed(text, index).result;
}

function round(x: number): number { return Math.round(x * 1000) / 1000; }

/** The same product named twice: two counts add up; a mention without a count only repeats the other. */
function mergeCount(into: { quantity: number; quantityExplicit: boolean }, m: Mention): void {
  if (into.quantityExplicit && m.explicit) into.quantity += m.quantity;
  else if (m.explicit) { into.quantity = m.quantity; into.quantityExplicit = true; }
}
