import { GIVEN_WITH, NUM_EN, NUM_ID, SIZE_UNITS } from './lexicon.js';
import type { PaymentSlots } from './payment.js';
import type { Intent } from './types.js';

export interface IntentFeatures {
  /** canonical words of the message */
  words: string[];
  /** lowercased original text */
  lower: string;
  question: boolean;
  /** confident or ambiguous product mentions */
  itemCount: number;
  /** some item carries a number the customer typed */
  explicitQuantity: boolean;
  /** product-like words that matched nothing well, or category words ("obat batuk") */
  productNoun: boolean;
  /** words that are neither catalog words nor known chat words ("rokok" in a shop that sells none) */
  unknownWords: number;
  payment: PaymentSlots;
}

const set = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));

// Word classes. Canonical forms (after the tokenizer's slang table) unless noted; the raw text is read
// too, since some regional phrases are canonicalised into other words ("kulo nuwun" → "saya makasih").
const GREET = set(`halo hallo hai hi hello hey helo hallo halloo hay hei pagi siang sore malam selamat met assalamualaikum
  asalamualaikum assalamualaikom assalamu alaikum salam permisi misi p morning evening afternoon shalom punten sampurasun
  sugeng wilujeng enjing sonten dalu horas swastiastu tabik salamat samlekom ass askum malem mlm slmt siank
  woi woy oi hoi spada sepada tabe tabe'`);
const BROWSE = set('menu katalog catalog catalogue daftar list pricelist pricelistnya brosur brochure');
/** browse words that ask for the list even when a category or a product family is named */
const BROWSE_STRONG = set('katalog catalog catalogue pricelist pricelistnya brosur brochure');
const ASK_STRONG = set('harga berapa price cost ready tersedia stok stock available availability sedia');
/** "expired nya kapan": asked of a product named without a count, a question about it; beside a count, part of the order */
const EXPIRY = set('expired expire exp kadaluarsa kedaluwarsa kadaluwarsa');
const ASK_WEAK = set('ada have jual punya masih apakah cari cariin nyari carikan looking sell');
/** words that make a sentence about products a question: which, what, recommend, compare */
const ASK_QUESTION = set('apa mana bagus bagusan ampuh manjur recommend rekomendasi rekomen saran cocok beda bedanya isinya ukuran rasa varian which what recommended suggest');
const ORDER_VERB = set('mau pesan beli order minta tolong ambil kirim want need like buy get send tambah add');
const ORDER_STRONG = set('pesan beli order ambil buy tambah add minta');
const REMOVE = set('hapus buang remove delete kurangi drop without');
const CANCEL = set('batal cancel');
const CONFIRM = set(`ya yes ok sip siap benar lanjut gas setuju confirm konfirmasi correct right sure mantap boleh deal proceed cukup yup gass
  okelah silakan iyap iyup yoi fix gaskeun hayu hayuk ayo cus kuy sepakat sesuai leres enggeh nggeh yuk
  iyo yo hooh hoo injih enjih nggih inggih heeh he'eh huum hu'um ho'oh`);
/** words that keep a short reply from being a confirmation: it postpones, thanks or talks about something else */
const NOT_CONFIRM = set(`nanti kabari kabarin kabar ditunggu tunggu pikir mikir dulu lihat liat coba pelayanan pelayanannya tanya apa mana berapa
  gimana kenapa kapan besok makasih sebentar bentar tar ntar wait terima kasih
  sampai datang diterima nyampe`);
const THANKS = set('makasih thank thanks');
const PAST = set('sudah done already barusan tadi have');
const PAY_VERB = set('transfer transferred bayar pay paying paid lunas kebayar terbayar kebayarkan');
const STATUS_STRONG = set('status tracking lacak resi update track');
const STATUS_VERB = set(`sampai datang dikirim diantar dianter delivered arrive arrived shipped diproses kirim dibikin dibuat disiapin disiapkan dimasak
  dipacking dikemas jalan berangkat otw naik dimuat muat antar anter nyampe`);
const STATUS_Q = set('kapan belum sudah mana dimana where when gimana lama kok posisi');
const ORDER_NOUN = set('pesanan order paket barang belanjaan makanan kiriman obat material');
/** who carries the order: a question about where they are is about the order */
const COURIER = set(`kurir courier driver sopir supir ojol ojek gojek grab gosend grabexpress maxim truk truck armada ekspedisi jne jnt sicepat
  anteraja pengantar abang delivery`);
const HUMAN_STRONG = set(`admin cs operator apoteker dokter pemilik owner human agent penjual seller kasir petugas pelayan teknisi
  pharmacist doctor vet technician manager advisor konsultan`);
/** "mau sama admin aja", "pengen ke orangnya langsung": asking for a person rather than the bot */
const WANT_PERSON = /\b(mau|minta|pengen|pgn|ingin|pingin)\s+(sama|sm|ama|ke|dengan|dgn|ngobrol sama|ngobrol sm|bicara sama|bicara dengan)\s+(admin|cs|orang|orangnya|manusia|pemilik|owner|penjual|kasir|apoteker|petugas|pelayan|karyawan|staff|staf)\b/;
/** "minta nomor yang punya toko", "no hp ownernya": the number of a person at the shop */
const PERSON_NUMBER = /\b(nomor|nomer|no|nmr|kontak)\b.*\b(yang punya|yg punya|pemilik|owner|ownernya|admin|adminnya|pak haji|bos|bosnya)\b/;
const HUMAN_WEAK = set('orang person manusia staff staf pegawai karyawan someone');
const TALK = set(`ngomong omong bicara talk speak hubungi hubungin dihubungi menghubungi dihubungkan hubungkan sambung sambungkan sambungin
  disambungkan nyambung chat telpon telepon telp tlp nelpon ditelpon call calling connect komplain complain keluhan ngobrol kontak contact
  telfon telfonin telponin ditelfon tlpn konsultasi konsul ketemu bertemu ketemuan`);
/** a call-me request: "tolong telpon saya", "hubungi saya" */
const CALL = set('telpon telepon telp tlp tlpn telfon telfonin telponin ditelfon nelpon ditelpon call vc hubungi hubungin dihubungi menghubungi kontak contact');
const COMPLAIN = set('komplain complain keluhan');
const BOT = set('bot robot mesin');
const NOT_UNDERSTAND = set('ngerti mengerti paham faham nyambung understand');
const ADDRESS_FORM = set('kak admin');
const SHOP = set('apotek apotik toko warung kedai petshop minimarket mart depo depot bangunan material fotokopi fotocopy fotokopian fotocopyan atk kios outlet resto store shop swalayan');
/** address forms that are also product words somewhere (Sundanese "teh" is "sister", not tea) */
const ADDRESS_RAW = set('teh a aa kang mas mbak om bu pak neng mang bro');
const OPEN = set('buka open masih hari ini sekarang lagi kah ga belum sudah jaga online melayani');
const FILLER = set('kak dong deh aja ya nih sih lah yah please kah toh loh tuh nah eh wkwk hehe haha');
const CAPABLE = set('bisa boleh can terima menerima accept melayani layani');
const DELIVER = set('kirim dikirim antar diantar dianter anter delivery deliver kirimnya pengiriman');
/** "stok bulanan", "stok di rumah": a supply the customer keeps */
const SUPPLY_OF = new Set(['bulanan', 'mingguan', 'harian', 'sebulan', 'seminggu', 'rumah', 'kantor', 'warung', 'dirumah']);
/** words of "what do you have" that name no kind of product */
const GENERIC = set('obat barang produk product products jual jualan ready ada yang stok stock apa aja tersedia sedia kak');
const GOODBYE = set('bye dadah daah wassalam wassalamualaikum sampai jumpa');
/** praise of the food or the goods: said after the fact, it orders nothing ("enak bgt geprek nya") */
/** what a customer may want assured about goods: warranty, registration, authenticity, expiry */
/** "merk apa aja", "rasa apa aja": which of a kind, a question about products */
const KIND_OF = set('merk merek rasa warna shade jenis ukuran size varian tipe type isi isinya model');
const ASSURANCE = set('garansi garansinya bpom ori original asli halal expired kadaluarsa kadaluwarsa kedaluwarsa exp resmi segel');
/** how a report of a delivery opens: "mantap pak, semennya udah nyampe" */
const REPORT_OPENER = set('mantap sip alhamdulillah ok siap');
const PRAISE = set('enak lezat mantul mantep maknyus nagih juara sedap gurih empuk puas recommended rekomended joss renyah crispy nampol endul');
/** passing a message on to someone at the shop: "sampaikan ke ibunya", "bilangin ke owner" */
const RELAY = set('sampaikan sampein sampaiin sampekan bilangin');
/** paperwork the shop hands over, not a product: "bisa minta faktur?" */
/** facilities of the shop itself (not toilets or chairs: a building shop sells those) */
const FACILITY = set('parkir parkiran parkirnya wifi');
const DISCOUNT = set('diskon diskonnya potongan potongannya nego discount');
const PAPERWORK = set('faktur nota kwitansi kuitansi invoice struk receipt bon');
/** how something is sent or handed over: "kirim file lewat email" */
const MANNER = set('lewat email wa whatsapp gdrive drive flashdisk online');
const FILE_CHANNEL = set('email wa whatsapp gdrive drive');
/** how a product is taken or kept: asked about what was bought, not asking for a product */
const USAGE = set('diminum dipakai dioles dioleskan dimakan disimpan diseduh dikonsumsi digunakan');
/** passive delivery and packing verbs: "dikirim pake ice pack kan?" asks how, not for the ice */
const HANDLED = set('dikirim diantar dianter dibungkus dikemas dipacking dipack');
/** emptying the cart: "kosongin keranjang" */
const EMPTY = set('kosongin kosongkan clear empty reset bersihin bersihkan');
const CART = set('keranjang cart troli trolley basket');
/** after "jangan"/"ga", a way of preparing an item, not a product struck: "jangan pake seledri", "jangan terlalu pedas" */
const MODIFIER_NEXT = set('pakai terlalu pedas manis asin banyak dikasih kasih digoreng dicampur campur lupa kepedesan kemanisan sampai');
/** words that end a question: "ada ga kak", "ready kah" (address forms and particles after them are skipped) */
const TAIL_SKIP = set('kak admin ya dong sih nih deh yah lho loh toh');
const NUMBER_WORDS = new Set([...Object.keys(NUM_ID), ...Object.keys(NUM_EN), 'selusin', 'setengah', 'lusin', 'sepasang', 'sekilo', 'sebiji']);
/** an address form after "sama"/"ke": the person is who the customer wants ("ngomong sama mas yg jaga") */
const PERSON_AFTER = /\b(sama|sm|ama|dengan|dgn|ke)\s+(mas|mbak|mba|bapak|ibu|pak|bu|kakak|kak|bang|abang|teh|teteh|kang|akang|om|tante|cici|koh|yang jaga|yg jaga|penjaga|ibunya|bapaknya|bosnya|ownernya)\b/;
/** a removal said in a clause; "jangan pake X" and "ga pake X" prepare an item and are erased first */
const REMOVAL_MARK = /\b(ga|gak|nggak|ngga|g|gk|tidak|tdk|ndak|enggak|mboten|ora) ?(jadi|jd|usah|ush|sido)\b|\bga(jadi|jd|usah|ush)\b|\b(hapus|hapusin|apus|coret|dicoret|batal|batalin|cancel|remove|delete|buang|skip|jangan)\b/;
const PREPARATION = /\b(jangan|ga|gak|nggak|tanpa|tidak|gk|g|no|without) (pake|pakai|pakek|terlalu|kebanyakan|dikasih|dikasi|kasih|kasi|pedes|pedas|manis|asin)\b( \w+)?/g;
const CLAUSE_BREAK = /[,.;!?\n]+|\b(?:tapi|tp|terus|trus|trs|lalu|sama|sm|dan|aja|ajah)\b/;
const REMOVAL_FILLER = set('yang yg nya aja deh ya kak sih dong itu juga jg kemarin kemaren tadi tp tapi');

/**
 * "sunsilk sachet lima, yg botol ga jadi", "charming 1 aja, tp yg romansa kemarin ga usah": one clause counts an order
 * and another drops something that clause does not name. The message is an order of what is kept. When the dropped
 * words repeat a counted clause ("whiskas kaleng 2, yg kaleng coret") the drop is about that item and stays a removal.
 */
function keepsOrderBesideDrop(lower: string): boolean {
  const clauses = lower.replace(PREPARATION, ' ').split(CLAUSE_BREAK).map((c) => (c ?? '').trim()).filter(Boolean);
  const counted = (c: string): boolean => /\d/.test(c) || c.split(/[^a-z]+/).some((x) => NUMBER_WORDS.has(x));
  const kept = clauses.filter((c) => !REMOVAL_MARK.test(c) && counted(c));
  const drops = clauses.filter((c) => REMOVAL_MARK.test(c));
  if (kept.length === 0 || drops.length === 0) return false;
  const keptWords = new Set(kept.flatMap((c) => c.split(/[^a-z0-9]+/)));
  return drops.every((c) => {
    const named = c.replace(REMOVAL_MARK, ' ').replace(REMOVAL_MARK, ' ').split(/[^a-z0-9]+/).filter((x) => x && !REMOVAL_FILLER.has(x));
    // a size unit ("yg 80 gram aja 1, yg 30 gram ga jadi") is shared by variants and names none of them
    // (…and a size the kept lines do not have names another variant: "besi 8 10 batang, …, besi 12 ga jadi")
    const otherSize = named.some((x) => /^\d/.test(x) && !keptWords.has(x) && !keptWords.has(`${x}mm`));
    return named.length > 0 && (otherSize || !named.some((x) => keptWords.has(x) && !/^\d+$/.test(x) && !(x in SIZE_UNITS)));
  });
}
const ADDRESS_KEYS = /\b(jl|jln|jalan|gg|gang|komplek|komp|kompleks|perum|perumahan|blok|rt|rw|kel|kelurahan|kec|kecamatan|kab|kabupaten|kota|apartemen|apartment|apt|tower|desa|dusun|cluster|griya|residence|street|road|kode pos|kodepos|kos|kost|kosan|kamar|lantai|lt|ruko|gedung|km)\b/g;
const LANDMARK = /\b(sebelah|belakang|depan|samping|seberang|dekat|deket|pojok|sebrang|masjid|musholla|pom bensin|spbu|indomaret|alfamart|near|next to|behind|opposite|across from|in front of)\b/;

/** Words that steer the intent; they never fuzzily match a product ("telpon" is not "telon"). */
export const INTENT_WORDS = new Set<string>([
  ...GREET, ...BROWSE, ...ASK_STRONG, ...ASK_WEAK, ...ORDER_VERB, ...REMOVE, ...CANCEL, ...CONFIRM, ...THANKS, ...PAST, ...PAY_VERB,
  ...STATUS_STRONG, ...STATUS_VERB, ...STATUS_Q, ...HUMAN_STRONG, ...HUMAN_WEAK, ...TALK, ...COURIER, ...BOT, ...NOT_UNDERSTAND,
]);

/** "pagiii" → "pagi", "halooo" → "halo": stretched letters of chat words (runs of 3+ become one letter). */
function squeeze(w: string): string {
  let out = '';
  let i = 0;
  while (i < w.length) {
    let j = i;
    while (j < w.length && w[j] === w[i]) j++;
    out += j - i >= 3 ? w[i] : w.slice(i, j);
    i = j;
  }
  return out;
}
/** every run of a repeated letter as one ("haloo" → "halo", "sipp" → "sip") */
function undouble(w: string): string {
  let out = '';
  for (let i = 0; i < w.length; i++) if (i === 0 || w[i] !== w[i - 1]) out += w[i];
  return out;
}
const variantCache = new Map<string, string[]>();
function variantsOf(w: string): string[] {
  let v = variantCache.get(w);
  if (v) return v;
  const a = squeeze(w);
  const b = undouble(w);
  v = [w];
  if (a !== w) v.push(a);
  if (b !== w && b !== a) v.push(b);
  if (variantCache.size > 20000) variantCache.clear();
  variantCache.set(w, v);
  return v;
}
function inSet(s: Set<string>, w: string): boolean {
  for (const x of variantsOf(w)) if (s.has(x)) return true;
  return false;
}

type Words = string[][];
function count(words: Words, s: Set<string>): number {
  let n = 0;
  for (const vs of words) for (const x of vs) if (s.has(x)) { n++; break; }
  return n;
}
function any(words: Words, s: Set<string>): boolean {
  for (const vs of words) for (const x of vs) if (s.has(x)) return true;
  return false;
}

let joinedOf: string[] | null = null;
let joined = '';
let joinedOf2: string[] | null = null;
let joined2 = '';
function hasPhrase(words: string[], phrase: string): boolean {
  if (words === joinedOf) return joined.includes(` ${phrase} `);
  if (words === joinedOf2) return joined2.includes(` ${phrase} `);
  joinedOf2 = joinedOf;
  joined2 = joined;
  joinedOf = words;
  joined = ` ${words.join(' ')} `;
  return joined.includes(` ${phrase} `);
}

function addressScore(lower: string): number {
  const keys = new Set(lower.match(ADDRESS_KEYS) ?? []);
  let score = keys.size;
  if (/\bno\.?\s*\d/.test(lower) || /\bnomor\s*\d/.test(lower)) score++;
  if (/\balamat\b|\baddress\b/.test(lower)) score++;
  const landmark = LANDMARK.test(lower);
  if (landmark) score++;
  // ("ke rumah bu nur di lingsar, dekat pom bensin": a village address is a house and a landmark, no number)
  if (/\b(ke|di) rumah\b/.test(lower) && landmark) score += 2;
  if (/\b(kirim|anter|antar|antarkan|anterin|kirimin|diantar|dianter|dikirim)\s+ke\b|\b(deliver|send|ship)\s+(it\s+)?to\b/.test(lower) && keys.size > 0) score++;
  if (!/\d/.test(lower)) score -= 1;
  if (/^\s*(jl|jln|jalan|gg|gang|komplek|perum|perumahan)\b/.test(lower)) score++;
  return score;
}

/** raw words of the text, before slang canonicalisation */
function rawWords(lower: string): string[] {
  return lower.split(/[^a-z0-9']+/).filter(Boolean).map(squeeze);
}

/** Regional and religious greetings that the slang table turns into other words. */
function regionalGreeting(raw: string): boolean {
  const s = ` ${raw} `;
  return / (kulo|kula) nuwun /.test(s) || / nuwun sewu /.test(s) || / (sugeng|wilujeng) (enjing|siang|sonten|dalu|wengi|ndalu|sore|pagi|tepang) /.test(s)
    || / sampurasun /.test(s) || / ass?alamu ?'?alaikum/.test(s) || / om swastiastu /.test(s) || / as+(a?l+a?m+|kum|lm)[a-z]* /.test(s);
}

export function classifyIntent(f: IntentFeatures): { intent: Intent; confidence: number } {
  const w = f.words.map(squeeze);
  const raw = rawWords(f.lower);
  const W: Words = w.map(variantsOf);
  const R: Words = raw.map(variantsOf);
  const rawText = raw.join(' ');
  const items = f.itemCount > 0;
  const content = w.filter((x) => !FILLER.has(x));
  const trailingNeg = w.length > 1 && w[w.length - 1] === 'ga';
  // "ada tg poco ga bang", "ready kah kak": a question tag before the address form or a particle
  const tail = w.filter((x) => !TAIL_SKIP.has(x));
  const tagQ = trailingNeg || (tail.length > 1 && (tail[tail.length - 1] === 'ga' || tail[tail.length - 1] === 'kah' || tail[tail.length - 1] === 'belum'));
  const asked = f.question || tagQ;
  // (a word a product name explains is no praise: "sedaap goreng dus brp" asks about Mie Sedaap)
  const praise = any(W, PRAISE) || (!items && any(R, PRAISE));
  // "brpaan", "brpan": price and amount questions spelt past the slang table
  const priceWordRaw = raw.some((x) => /^(brp|brap|berap)[a-z]*$/.test(x));
  const last = w[w.length - 1];
  const thanks = (any(W, THANKS) && !/\b(kulo|kula) nuwun\b/.test(rawText)) || /\b(terima ?kasih|hatur nuhun|matur (nuwun|suwun)|suwun)\b/.test(rawText);

  // a typed address (street names are not products: "Jl. Cempaka Putih" names no rice)
  // an order typed before the address stays an order ("aqua 2 kirim ke jalan mawar ya")
  // "bisa anter ke blok F ga?" asks where the shop delivers; a full address (number, street) is given, not asked
  const addr = addressScore(f.lower);
  const deliveryAsked = /\b(bisa|bs|boleh|can)\b/.test(f.lower) && (f.question || /\b(ga|gak|nggak|kah|ngga)\b/.test(f.lower)) && addr < 4;
  if (addr >= 2 && !deliveryAsked) {
    const cut = f.lower.search(/\b(kirim|anter|antar|dikirim|diantar|dianter|alamat|jl|jln|jalan)[a-z]*\b/);
    const before = cut > 0 ? f.lower.slice(0, cut) : '';
    const counted = /\d/.test(before) || before.split(/[^a-z]+/).some((x) => NUMBER_WORDS.has(x));
    // "keramik 40x40 15 dus buat lantai musholla", "lampu buat kos 12 kamar, hannochs 12w 12 biji": with no word that
    // sends anything anywhere, place words around a counted order describe what it is for
    const sendsSomewhere = cut >= 0 || /\b(alamat|address|rumah saya|rumahku|ke)\b/.test(f.lower);
    // (…or after it, in a clause of its own: "kirim ke jl. kenari 17 ya, pecel lele 2 nasi 2")
    const rest = cut >= 0 ? f.lower.slice(cut).split(/[,;\n]/).slice(1).join(' ') : '';
    const countedAfter = rest.length > 0 && addressScore(rest) < 2 && (/\d/.test(rest) || rest.split(/[^a-z]+/).some((x) => NUMBER_WORDS.has(x)));
    if (!(items && f.explicitQuantity && (counted || countedAfter || !sendsSomewhere))) return { intent: 'share_address', confidence: 0.9 };
  }

  // greetings, also regional ones and a greeting that asks whether the shop is open ("halo min, masih buka?")
  const greetWords = count(W, GREET) + count(R, GREET) > 0 || regionalGreeting(rawText);
  const greetRest = w.filter((x) => !inSet(GREET, x) && !FILLER.has(x) && !ADDRESS_FORM.has(x) && !SHOP.has(x) && !OPEN.has(x)
    && x !== 'saya' && x !== 'makasih' && x !== 'benar' && x !== 'semua' && x !== 'selamat' && x !== 'alaikum' && x !== 'apa' && x !== 'kabar'
    && x !== 'dengan' && x !== 'ini');
  // "pagi pak, toko bangunan ya?": a shop word the catalog happens to share is not a product asked for
  // …and "pagi bang, toko hp ya?": what follows the shop word describes the shop
  const shopOnly = f.itemCount === 1 && !f.explicitQuantity && raw.some((x) => ((SHOP.has(x) || ADDRESS_RAW.has(x)) && !w.includes(x)) || SHOP.has(x));
  // "halo, ini dengan toko jaya?": the shop's own name after "dengan" or a shop word
  const shopNamed = raw.some((x) => SHOP.has(x)) || raw.includes('dengan');
  const nameOnly = shopNamed && greetRest.length <= 3 && greetRest.every((x) => !INTENT_WORDS.has(x) && x !== 'ada' && x !== 'mau');
  if (greetWords && (!items || shopOnly) && !thanks && (greetRest.length === 0 || nameOnly) && content.length <= 7 && !any(R, GOODBYE)) {
    return { intent: 'greeting', confidence: 0.85 };
  }

  // "bang, buka?", "min mau nanya": an opener that asks nothing yet
  // (a day named, "buka ga hari ini", asks the opening hours: a store question)
  const openerRest = content.filter((x) => !ADDRESS_FORM.has(x) && !SHOP.has(x) && !['buka', 'open', 'masih', 'ga', 'kah', 'lagi', 'sudah', 'belum'].includes(x));
  const opensShop = content.some((x) => x === 'buka' || x === 'open') && openerRest.length === 0 && !/\d|\bjam\b/.test(f.lower);
  // "salam kenal pak, sy ketua rt 05": an introduction
  const introduces = hasPhrase(raw, 'salam kenal') || hasPhrase(raw, 'kenalin saya') || hasPhrase(raw, 'perkenalkan saya');
  const wantsToAsk = (content.includes('nanya') || content.includes('tanya') || content.includes('bertanya'))
    && content.every((x) => ['mau', 'nanya', 'tanya', 'bertanya', 'numpang', 'permisi', 'boleh', 'izin', 'ijin', 'saya', 'dong', 'sedikit', 'dikit', 'bentar'].includes(x));
  if (!items && (opensShop || wantsToAsk || (introduces && content.length <= 8))) return { intent: 'greeting', confidence: 0.7 };

  // a person: talk to / call / connect, a complaint, "the bot does not understand"
  // raw words catch forms the slang table rewrites; with products named, a raw word may be a product's ("stop kontak")
  const rawCounts = !items;
  const talk = any(W, TALK) || (rawCounts && any(R, TALK));
  const humanStrong = any(W, HUMAN_STRONG) || hasPhrase(w, 'customer service') || hasPhrase(w, 'yang punya') || hasPhrase(raw, 'dokter hewan');
  const humanWeak = any(W, HUMAN_WEAK);
  const callMe = (any(W, CALL) || (rawCounts && any(R, CALL))) && (w.includes('saya') || w.includes('nomor') || w.includes('me') || w.includes('wa') || f.question || trailingNeg
    || w.includes('tolong') || w.includes('bisa') || (w.includes('mau') && !items));
  // "tolong sampaikan ke ibunya", "bilangin ke owner": a message for someone at the shop
  const relay = any(W, RELAY) && (w.includes('ke') || w.includes('sama') || w.includes('dengan'));
  const talkToPerson = talk && PERSON_AFTER.test(f.lower);
  // "bisa minta nomor wa nya?": the shop's own number, to reach a person (a number typed is the customer's own)
  const askNumber = (/\b(nomor|nomer|no|nmr)\s*(wa|whatsapp|hp|telp|telepon|telpon)\b/.test(f.lower) || PERSON_NUMBER.test(f.lower)) && !/\d{5,}/.test(f.lower);
  const direct = w.includes('langsung') && (w.includes('tanya') || w.includes('nanya') || w.includes('ngomong') || w.includes('bicara') || talk);
  const courierNamed = any(W, COURIER) || any(R, COURIER);
  const bot = any(W, BOT) || any(R, BOT);
  const lost = any(W, NOT_UNDERSTAND) || any(R, NOT_UNDERSTAND);
  const botLost = bot && (lost || talk || w.includes('salah') || w.includes('ribet') || w.includes('susah') || w.includes('bales') || w.includes('balas') || w.includes('jawab'));
  // "kok ga nyambung", "saya ga ngerti": the conversation is stuck, a person should take it
  const stuck = lost && w.includes('ga') && !items && !f.productNoun && content.length <= 7;
  const wantPerson = humanWeak && (w.includes('mau') || w.includes('minta') || w.includes('want') || w.includes('ke') || w.includes('sama') || w.includes('dengan')
    || w.includes('butuh') || w.includes('bantuan') || w.includes('dibantu'));
  const consult = (w.includes('konsultasi') || w.includes('consult')) && !items && content.length <= 5;
  if ((talk && (humanStrong || humanWeak)) || (humanStrong && !items && content.length <= 4) || (w.includes('real') && humanWeak)
    || (callMe && !courierNamed) || direct || botLost || stuck || consult || (wantPerson && !items) || (any(W, COMPLAIN) && !items)
    || (relay && !items) || (talkToPerson && !items) || (askNumber && !items) || (WANT_PERSON.test(f.lower) && !items)) {
    return { intent: 'human', confidence: 0.9 };
  }

  // "bukti tfnya", "transferannya": payment words with a suffix the slang table does not know
  const payVerb = any(W, PAY_VERB) || raw.some((x) => /^(tf|trf|transfer|bayar)(an)?(nya)?$/.test(x));
  const paidBy = (y: string): boolean => PAY_VERB.has(y) || ((y === 'scan' || y === 'qris') && !w.includes('aja'));
  const pastWord = (x: string): boolean => PAST.has(x) || x === 'wes' || x === 'mpun' || x === 'empun';
  const pastPay = w.some((x, i) => pastWord(x) && w.slice(i + 1, i + 4).some(paidBy))
    || w.some((x, i) => PAY_VERB.has(x) && w.slice(i + 1, i + 3).some((y) => y === 'sudah' || y === 'done'));
  // "facial wash scarlett 1, udah tf bni ya": counted products are an order, whatever is said of paying for them
  const orderingStory = items && f.explicitQuantity;
  if (!orderingStory && ((pastPay || (!items && any(W, PAST) && payVerb)) || w.includes('paid') || w.includes('lunas') || w.includes('transferred')
    // ("sudah saya lunasi", "udah dilunasin")
    || (w.some((x) => /^(di)?lunas(i|in|kan)$/.test(x)) && w.some(pastWord))
    || (w.includes('bukti') && payVerb))) {
    return { intent: 'payment_claim', confidence: 0.9 };
  }

  // store and service questions: hours, minimum order, delivery fee, packing, what a delivery or payment can be
  // ("ngirim sampe bekasi timur ga?": whether the shop delivers that far is asked like "bisa kirim ke …?")
  const reachQ = (any(W, DELIVER) || raw.some((x) => x === 'ngirim' || x === 'ngantar' || x === 'nganter')) && (w.includes('sampai') || w.includes('ke'))
    && (trailingNeg || (f.question && w.includes('ga'))) && !/\b(pesanan|pesenan|orderan|paket|kiriman|barang|belanjaan)(nya|ku)?\b/.test(f.lower) && !w.includes('sudah') && !w.includes('belum');
  const capable = (any(W, CAPABLE) && (f.question || trailingNeg || w.includes('kah') || w.includes('ga') || last === 'kak')) || reachQ;
  // "bisa gosend ga?": which courier the shop can send with, not where the order is
  // …and "truk bisa masuk gang sempit ga?": what the courier can do, asked before any order is out ("drivernya ga bisa
  // dihubungi" is a complaint about one that is)
  const courierOffered = raw.some((x, i) => CAPABLE.has(x) && raw.slice(i + 1, i + 4).some((y) => inSet(COURIER, y)))
    || (courierNamed && asked && raw.some((x, i) => CAPABLE.has(x) && !['ga', 'gak', 'tidak', 'nggak', 'ngga', 'gk', 'g', 'belum', 'blm'].includes(raw[i - 1] ?? '')));
  const deliverQ = capable && (any(W, DELIVER) || any(R, DELIVER) || courierOffered) && !w.includes('kapan') && !w.includes('belum') && !w.includes('dimana')
    && !w.includes('sudah') && !w.includes('mana');
  // "bisa OVO?", "bisa bayar pake dana ga": asking what is accepted chooses nothing; naming QRIS, a bank or transfer still chooses
  const named = f.payment.method !== null || f.payment.bank !== null || f.payment.transferWord;
  const wallet = /\b(ovo|dana|gopay|go-pay|shopeepay|shopee pay|linkaja|link aja|cod|paylater|kartu kredit|credit card|debit|bayar di tempat|tunai|cash)\b/.test(f.lower);
  const methodNamed = /\b(qris|qr|va|virtual account|transfer|tf|trf|bca|bni|bri|mandiri|permata|cimb)\b/.test(f.lower);
  const payQ = f.payment.asked || (capable && (f.question || trailingNeg) && ((wallet && !methodNamed) || (!named && payVerb)) && !w.includes('aja'));
  const arrival = w.includes('sampai') || w.includes('datang') || w.includes('dikirim') || w.includes('diantar') || w.includes('dianter') || w.includes('estimasi') || w.includes('eta');
  // "buka 24 jam ga?": the tokenizer reads "24 jam" as a duration, so the text is read too
  const jam = w.includes('jam') || /\bjam\b/.test(f.lower);
  const hours = (jam && (w.includes('buka') || w.includes('tutup') || (w.includes('berapa') && !arrival))) || ((w.includes('buka') || w.includes('tutup')) && (w.includes('sampai') || jam || w.includes('hari') || trailingNeg));
  const storeQ = hours || w.includes('ongkir') || w.includes('ongkos') || w.includes('minimal') || w.includes('minimum') || w.includes('packing')
    || w.includes('pengiriman') || w.includes('cod') || w.includes('tempo') || (capable && w.includes('pesan') && /\b(besok|lusa|nanti|minggu depan)\b/.test(f.lower))
    || any(W, PAPERWORK) || w.includes('kembalian')
    // haggling: "bisa dikasih potongan?", "ada diskon kalo ambil banyak?", "bisa kurang?"
    || any(W, DISCOUNT) || hasPhrase(w, 'bisa kurang')
    // the shop's own facilities: "ada tempat duduknya?", "parkirnya luas?"
    || any(W, FACILITY) || any(R, FACILITY) || hasPhrase(raw, 'tempat duduk') || hasPhrase(raw, 'tempat duduknya') || hasPhrase(raw, 'dine in') || hasPhrase(raw, 'makan ditempat');
  // "dikirim pake ice pack kan?", "print nya bisa kirim file lewat email?": how something is sent or packed
  // "aman kan dikirim jauh? ga cair?": whether a delivery keeps the goods whole
  const keptWhole = (any(W, HANDLED) || any(R, HANDLED)) && asked && !w.includes('sudah') && !w.includes('belum') && ['aman', 'cair', 'pecah', 'rusak', 'tahan', 'jauh', 'meleleh'].some((x) => w.includes(x));
  // "file nya udah saya kirim ke email": what the customer sent the shop, not goods to send
  const sentFile = (w.includes('kirim') || any(W, HANDLED)) && any(W, FILE_CHANNEL) && !f.explicitQuantity;
  // "bisa ambil besok pagi?": picking up at the shop
  const pickup = ['ambil', 'diambil', 'pickup', 'jemput', 'nunggu', 'tunggu', 'parkir'].some((x) => w.includes(x));
  const howSent = (any(W, HANDLED) && w.includes('pakai') && asked) || (capable && asked && any(W, MANNER)) || keptWhole || sentFile
    || (pickup && capable && asked && !items && !any(W, ORDER_NOUN) && !w.includes('sudah') && !w.includes('belum'))
    // "tukang saya yg ambil ya nanti", "mau ambil sendiri": who fetches the order
    || (!f.explicitQuantity && (hasPhrase(w, 'yang ambil') || hasPhrase(w, 'yang ngambil') || hasPhrase(w, 'yang jemput') || hasPhrase(w, 'ambil sendiri')));
  const serviceAsk = payQ || ((deliverQ || storeQ) && !named) || howSent;
  // "makasih, barang udh nyampe", "mantap, enak bgt": a report after the fact, not a question
  const report = (thanks || praise || any(W, REPORT_OPENER)) && !f.question && !tagQ
    && !['belum', 'kapan', 'mana', 'dimana', 'gimana', 'kok', 'lama', 'posisi'].some((x) => w.includes(x));
  const statusVerbQ = any(W, STATUS_VERB) && (w.includes('belum') || w.includes('kapan') || w.includes('mana') || w.includes('dimana') || (w.includes('sudah') && asked));
  // "paket aku udh dikirim belom?": the order itself, even where "paket" or "barang" is also a product word
  const mine = /\b(pesanan|pesenan|orderan|paket|kiriman|barang|belanjaan|material|obat)(nya|ku)?\b/.test(f.lower) || /\b(kemarin|kemaren|kmrn|tadi)\b/.test(f.lower)
    || /\b[a-z]*(an|nya) (saya|sy|aku|ku|gw|gue)\b/.test(f.lower) || /\b(punya|milik) (saya|sy|aku|gw|gue)\b/.test(f.lower);
  // "print an saya udah beres belum?": whether the work the shop is doing is done
  // …or can be fetched ("udah bisa diambil belum?"), or when it will be ("print an saya jadinya jam brp?")
  const doneWord = ['jadi', 'selesai', 'beres', 'siap', 'kelar', 'diambil'].some((x) => w.includes(x));
  const doneWhen = /\b(jadinya|selesainya|kelarnya|beresnya|siapnya|jadi|selesai|kelar|beres)\b/.test(f.lower)
    && (w.includes('kapan') || (jam && (w.includes('berapa') || priceWordRaw)));
  // "jilid skripsi sy kapan selesai": the customer's own job, asked when it is done
  const possessed = /\b(?!buat\b|untuk\b|anak\b|suami\b|istri\b)[a-z]{3,} (saya|sy|aku|gw|gue)\b/.test(f.lower);
  const doneAsked = (((w.includes('sudah') || w.includes('belum')) && doneWord && (asked || w.includes('belum'))) || (doneWhen && (mine || possessed)))
    && !hasPhrase(w, 'ga jadi') && !hasPhrase(w, 'yang sudah') && !w.includes('ada');
  // ("pesenan print tadi gmn?": the order itself asked about, whatever it holds; "print nya udh beres belum": the job)
  const orderAsked = /\b(pesanan|pesenan|orderan)(nya|ku)?\b/.test(f.lower) && (w.includes('gimana') || w.includes('mana') || w.includes('kapan'));
  // (…or what was ordered, "-nya", asked after: "udah 1 jam kok belum sampe ya nasinya")
  const theJob = (doneAsked || statusVerbQ) && /\b[a-z]+ ?nya\b/.test(f.lower);
  if (items && !f.explicitQuantity && (statusVerbQ || doneAsked || orderAsked) && (mine || (doneAsked && possessed) || theJob) && !deliverQ && !payQ) return { intent: 'order_status', confidence: 0.7 };
  // "udah itu aja, diproses ya": nothing more to add, go ahead
  if (!items && hasPhrase(w, 'itu aja') && /\b(diproses|proses|prosess|lanjut|lanjutkan|checkout|dilanjut)\b/.test(f.lower) && !f.question) return { intent: 'confirm', confidence: 0.8 };

  if (!items) {
    const courier = any(W, COURIER) || any(R, COURIER);
    const strong = any(W, STATUS_STRONG) || hasPhrase(w, 'sampai mana') || hasPhrase(w, 'on the way') || w.includes('otw')
      || hasPhrase(w, 'where is my') || hasPhrase(w, "where's my");
    const verbQ = any(W, STATUS_VERB) && (any(W, STATUS_Q) || f.question) && !deliverQ;
    // the customer's courier, driver or truck: anything said about them is about the order ("drivernya ga bisa dihubungi")
    const courierQ = courier && !deliverQ && (any(W, STATUS_Q) || any(W, STATUS_VERB) || f.question || /\b[a-z]+nya\b/.test(f.lower) || content.length <= 4)
      && !(w.includes('apa') && !any(W, STATUS_Q));
    const doneQ = (/\b(pesanan|pesenan|orderan|order|paket|kiriman|barang|belanjaan)(ku|nya| saya| aku)?\b/.test(f.lower)
      && (w.includes('sudah') || w.includes('belum')) && (w.includes('jadi') || w.includes('siap') || w.includes('selesai') || w.includes('beres') || w.includes('belum')))
      // "jilidan sy udh jadi blm?": whatever the shop is making for the customer, asked whether it is done
      || doneAsked;
    const waiting = w.includes('lama') && (w.includes('kok') || w.includes('masih') || w.includes('banget')) && content.length <= 6;
    const eta = (w.includes('estimasi') || w.includes('eta')) || (w.includes('jam') && w.includes('berapa') && arrival);
    const nounQ = any(W, ORDER_NOUN) && (w.includes('gimana') || w.includes('lama') || w.includes('where') || w.includes('mana') || w.includes('dimana') || w.includes("where's") || w.includes('kapan'));
    if ((strong || verbQ || courierQ || nounQ || doneQ || waiting || eta) && !storeQ && !payQ && !howSent && !report && !reachQ) return { intent: 'order_status', confidence: 0.85 };
  }

  if (!items && serviceAsk) return { intent: 'other', confidence: 0.7 };
  // "panadol bisa cod?", "bisa bayar di tempat?": a product word in a question about payment or delivery adds nothing
  if (items && !f.explicitQuantity && serviceAsk) return { intent: 'other', confidence: 0.55 };
  // "viva 2 sm bedak 1, cod bisa ga?", "baseus 1, total brp?": an order that also asks about payment, delivery or the total
  const totalQ = w.includes('total') || w.includes('totalnya') || (w.includes('semua') && w.includes('berapa')) || hasPhrase(w, 'jadi berapa');
  // "… harganya berapa? kalau ambil 5 karung bisa kurang?": a count said as a supposition asks what it would cost
  const supposes = f.question && /\b(kalau|kalo|klo|jika|misal|misalnya|seandainya)\s+(saya\s+|aku\s+|sy\s+)?(ambil|beli|pesan|pesen|order|borong|ngambil)\b/.test(f.lower);
  // (…unless it commits: "… bisa 55rb ga? kalo bisa gue ambil")
  const commits = /\b(kalau|kalo|klo)\s+(bisa|boleh|ada)\s+(saya\s+|aku\s+|sy\s+|gue\s+|gw\s+)?(ambil|jadi|order|pesan|pesen|beli)\b/.test(f.lower);
  if (items && supposes && !commits) return { intent: 'ask_product', confidence: 0.7 };
  if (items && f.explicitQuantity && (serviceAsk || totalQ)) return { intent: 'order', confidence: 0.8 };
  // "lampu philips garansinya brp lama?", "ini bpom semua kan?": an assurance about goods, not a request for them
  const assurance = asked && !f.explicitQuantity && any(W, ASSURANCE) && !['ada', 'ready', 'stok', 'jual', 'cari', 'punya'].some((x) => w.includes(x));
  // …but about one product named ("biore aqua rich original kan?", "gembok 40mm ori ga?") it asks about that product
  if (assurance) return { intent: items && f.itemCount === 1 ? 'ask_product' : 'other', confidence: 0.55 };
  // "obatnya diminum sblm atau sesudah makan?": how to use what was bought
  const usageQ = !items && (any(W, USAGE) || any(R, USAGE)) && asked && !any(W, ASK_WEAK) && !w.some((x, i) => USAGE.has(x) && w[i - 1] === 'yang');
  if (usageQ) return { intent: 'other', confidence: 0.55 };
  // "bisa beli token listrik disini?", "bisa cek tensi di apotek?": a service or product the shop may offer
  const atShop = /\b(disini|di sini|dsini|dsni|sini)\b/.test(f.lower) || raw.some((x, i) => raw[i - 1] === 'di' && SHOP.has(x));
  if (!items && capable && asked && (atShop || w.includes('beli') || w.includes('cari')) && f.unknownWords > 0 && !thanks && !pickup) {
    return { intent: 'ask_product', confidence: 0.5 };
  }
  // "paket sy udh dikirim belom": the arrival report with thanks is handled above; compliments with a product name add nothing
  if (items && !f.explicitQuantity && (thanks || praise) && !f.question && !any(W, ORDER_STRONG) && !w.includes('mau') && !w.includes('lagi')) {
    return { intent: 'other', confidence: 0.6 };
  }

  // "jangan pake seledri", "jangan terlalu pedas" prepare an item; a bare "jangan" strikes it
  // ("jangan rendang ayam ya, rendang sapi 2": "jangan" before what is not wanted, beside an order, is a contrast)
  // (…in a question it says what is not wanted of what is asked for: "sunscreen apa kak? jangan yg gel")
  const asksWhich = f.question && (w.includes('apa') || w.includes('mana') || w.includes('which') || w.includes('what'));
  const jangan = !asksWhich && w.some((x, i) => x === 'jangan' && !MODIFIER_NEXT.has(w[i + 1] ?? '') && !(f.explicitQuantity && i < w.length - 1));
  // Javanese "mboten sido", "ora sido" is "ga jadi"
  // ("ga usah pakai sambal", "ga usah dikasih es" prepare the item too)
  const usahDrop = w.some((x, i) => x === 'ga' && w[i + 1] === 'usah' && !GIVEN_WITH.has(w[i + 2] ?? ''));
  const gaJadi = hasPhrase(w, 'ga jadi') || hasPhrase(w, 'ga sido') || usahDrop || hasPhrase(w, 'never mind') || hasPhrase(w, 'take out') || jangan;
  const removing = any(W, REMOVE) || gaJadi || any(W, CANCEL);
  // "hapus semua isi keranjang", "kosongin keranjang aja": the whole cart, whatever product word "keranjang" also is
  const cartNamed = any(R, CART) || any(W, CART) || /\b(keranjang|cart|troli|trolley|basket)/.test(f.lower);
  const emptyCart = ((any(W, EMPTY) || any(R, EMPTY)) && (cartNamed || w.includes('semua')))
    || (any(W, REMOVE) && w.includes('semua') && (cartNamed || w.includes('isi')))
    // ("hapus semua aja min, mau ulang dari awal": everything, with nothing named after it)
    || /\b(hapus|hps|buang|delete|clear)\s+semua(nya)?\s*(aja|saja|ya|dong|deh|min|kak|gan|,|\.|$)/.test(f.lower);
  // "batal semua, mandornya udah beli nasi bungkus": everything is off, whatever else the message tells
  const allOff = (any(W, CANCEL) || hasPhrase(w, 'ga jadi')) && (w.includes('semua') || w.includes('semuanya') || w.includes('all'));
  if ((emptyCart || allOff) && !f.explicitQuantity) return { intent: 'cancel', confidence: 0.8 };
  // "lihat keranjang", "isi keranjang saya apa aja?": showing the cart (the dialogue answers with it), not a product
  const viewCart = cartNamed && !f.explicitQuantity && !removing && ['cek', 'lihat', 'liat', 'isi', 'show', 'view', 'tampilkan', 'apa'].some((x) => w.includes(x) || raw.includes(x));
  if (viewCart) return { intent: 'other', confidence: 0.6 };
  if (items && removing && f.explicitQuantity && keepsOrderBesideDrop(f.lower)) return { intent: 'order', confidence: 0.7 };
  // "nugget 2, yg so good ga jadi" stays a removal here: the parser turns it into an order of what is kept once the struck
  // product is out of the list (an order reading would put the struck product in the cart)
  if (items && removing) return { intent: 'remove_item', confidence: 0.85 };
  // "semen putihnya ga jadi": a product word the catalog did not resolve, dropped
  if (!items && gaJadi && f.productNoun && !w.includes('semua') && !w.includes('pesanan') && !w.includes('order')) return { intent: 'remove_item', confidence: 0.5 };
  // "ga jadi cod, qris aja": a change of payment, not a cancellation
  const payAfterNo = named && /\b(ga|gak|nggak|tidak|gk|g) ?jadi\b/.test(f.lower)
    && /\b(qris|qr|va|virtual account|transfer|tf|bca|bni|bri|mandiri|permata|cimb)\b/.test(f.lower.slice(f.lower.search(/\b(ga|gak|nggak|tidak|gk|g) ?jadi\b/)));
  if (!items && payAfterNo) return { intent: 'choose_payment', confidence: 0.7 };
  if (!items && (any(W, CANCEL) || gaJadi)) return { intent: 'cancel', confidence: 0.85 };
  if (!items && any(W, REMOVE)) return { intent: 'cancel', confidence: 0.5 };

  const pay = f.payment;
  if (!items && (pay.method !== null || pay.bank !== null || pay.transferWord)) return { intent: 'choose_payment', confidence: 0.9 };

  // price lists, brochures, catalogs: the list, also of a category ("daftar harga cat", "pricelist pasir kucing")
  const listPhrase = hasPhrase(w, 'daftar harga') || hasPhrase(w, 'list harga') || hasPhrase(w, 'price list') || hasPhrase(w, 'daftar menu')
    || hasPhrase(w, 'daftar produk') || hasPhrase(w, 'list produk') || hasPhrase(w, 'lihat produk') || hasPhrase(w, 'liat produk')
    || hasPhrase(w, 'your products') || hasPhrase(w, 'semua produk') || hasPhrase(raw, 'harga list');
  // "list makanan kucing yg ada apa aja": a list of a category, whatever product the category word also names
  const browseStrong = any(W, BROWSE_STRONG) || listPhrase || (any(W, BROWSE) && hasPhrase(w, 'apa aja'));
  if (browseStrong && !f.explicitQuantity) return { intent: 'browse_catalog', confidence: 0.8 };

  // "buat stok di pangkalan": stocking up is a purpose, not a question about stock
  // ("stok bulanan ibu saya": a supply to keep, not whether it is in stock)
  const Wask = W.filter((vs, i) => !((vs[0] === 'stok' || vs[0] === 'stock') && (w[i - 1] === 'untuk' || w[i - 1] === 'for' || SUPPLY_OF.has(w[i + 1] ?? ''))));
  const priceWord = priceWordRaw;
  const askStrong = any(Wask, ASK_STRONG) || hasPhrase(w, 'how much') || hasPhrase(w, 'do you have') || priceWord || (any(W, EXPIRY) && !f.explicitQuantity);
  const adaGa = hasPhrase(w, 'ada ga') || hasPhrase(w, 'ready ga') || hasPhrase(w, 'ada ga kak') || hasPhrase(w, 'masih ada');
  const askQ = any(W, ASK_QUESTION) && !hasPhrase(w, 'apa aja');
  const finalQ = last === 'apa' || last === 'mana' || (w.length >= 2 && (w[w.length - 2] === 'apa' || w[w.length - 2] === 'mana') && (last === 'ya' || last === 'kak'));
  // "… kan?", "… itu kuningan bukan": a tag question asks
  const tagKan = w.slice(-3).includes('kan') || last === 'bukan';
  const askWeak = any(W, ASK_WEAK) || f.question || tagQ || adaGa;
  // "wardah 2 ya kak?", "geprek 2 ya bu, bisa cepet?": with a count typed, a question mark alone does not make a
  // question about the product; "indomie 10 ya, ada kan?" presumes it is there
  // (…and "…, ada kan? sekalian ya", "X ga ada ya? yaudah Y aja satu": the question is settled by the order)
  const presumes = f.explicitQuantity && (tail[tail.length - 1] === 'kan' || w.includes('sekalian') || w.includes('yaudah') || hasPhrase(w, 'ya sudah'));
  // "sunscreen ada apa aja ya", "lauknya ada apa aja": what the shop has of a kind is a browse of that kind;
  // which brands, flavours or colours of it, or what serves a need, is a question
  const whatKinds = hasPhrase(w, 'ada apa aja') && !w.some((x) => KIND_OF.has(x)) && !w.includes('buat') && !w.includes('untuk');
  const askEvidence = askStrong || any(W, ASK_WEAK) || adaGa || askQ || finalQ || hasPhrase(w, 'apa aja');
  // (a bare "tg iphone 13?" may still ask: the number can be the model, so a "ya" or a "bisa" is wanted too)
  if (items && f.explicitQuantity && (presumes || (!askEvidence && (w.includes('ya') || capable)))) return { intent: 'order', confidence: 0.8 };
  // "muhun teh", "iya mas": a yes to an address form that a product also uses ("teh" is tea and Sundanese "sister")
  const addressItem = f.itemCount === 1 && !f.explicitQuantity && raw.some((x) => ADDRESS_RAW.has(x) && !w.includes(x));
  // (the yes comes first and the address form last: "es teh ya" orders tea)
  const yesFirst = raw.length >= 2 && (inSet(CONFIRM, raw[0]!) || ['iya', 'iyaa', 'muhun', 'oke', 'okee', 'siap'].includes(raw[0]!)) && ADDRESS_RAW.has(raw[raw.length - 1]!);
  if (addressItem && yesFirst && w.every((x) => inSet(CONFIRM, x) || FILLER.has(x) || ADDRESS_FORM.has(x))) return { intent: 'confirm', confidence: 0.6 };
  if (items) {
    // ("X ada? kalau ga ada Y aja 1": the fallback, counted, is ordered)
    const ordering = (any(W, ORDER_VERB) || hasPhrase(w, 'kalau ada') || hasPhrase(w, 'kalau ga ada') || hasPhrase(w, 'kalau tidak ada')) && f.explicitQuantity;
    const orderVerb = any(W, ORDER_STRONG) || hasPhrase(w, 'mau');
    if (!orderVerb && !f.explicitQuantity && whatKinds) return { intent: 'browse_catalog', confidence: 0.6 };
    // "indomie 5 dus, sedaap 2 dus. ada harga grosir?": a counted order that asks for a better price is still an order
    const haggles = f.explicitQuantity && /\b(harga|hrg)\s+(grosir|khusus|partai|reseller|nego|diskon|special|spesial)\b|\b(bisa|boleh|ada)\s+(diskon|nego|potongan)\b/.test(f.lower);
    if (haggles) return { intent: 'order', confidence: 0.7 };
    // "yg 40 sama 50 bedanya apa, bagusan beli yg mana": which one to buy is asked, whatever verb it is asked with
    const compares = w.includes('bedanya') || w.includes('bagusan') || hasPhrase(w, 'yang mana') || hasPhrase(w, 'lebih bagus') || hasPhrase(w, 'which one');
    if (compares && !f.explicitQuantity) return { intent: 'ask_product', confidence: 0.7 };
    // "kalo mau nyambung pipa pake lem apa ya": ending on "apa"/"mana" with nothing counted asks, "mau" or not
    if (finalQ && !f.explicitQuantity && !any(W, ORDER_STRONG)) return { intent: 'ask_product', confidence: 0.6 };
    // ("… 5 dus harga 120rb/dus ya": a price the customer states asks nothing)
    const priceStated = /\b(harga|hrg|harganya)\s*(rp\.?\s*)?\d/.test(f.lower);
    if (askStrong && !(ordering && (!w.includes('harga') || priceStated) && !w.includes('berapa'))) return { intent: 'ask_product', confidence: 0.85 };
    if (askWeak && !ordering && !f.explicitQuantity) return { intent: 'ask_product', confidence: 0.75 };
    if ((askWeak && asked || adaGa) && !ordering) return { intent: 'ask_product', confidence: 0.6 };
    if (!orderVerb && (finalQ || (askQ && !f.explicitQuantity) || (tagKan && !f.explicitQuantity))) return { intent: 'ask_product', confidence: 0.6 };
    if (!orderVerb && !f.explicitQuantity && hasPhrase(w, 'apa aja')) return { intent: 'ask_product', confidence: 0.6 };
  }

  // "barangnya udah dateng, masih beku semua, makasih": thanks that ask nothing and order nothing
  if (!items && thanks && !asked && !any(W, ORDER_STRONG) && !w.includes('mau')) return { intent: 'other', confidence: 0.6 };
  const genericOnly = content.every((x) => GENERIC.has(x));
  const browse = any(W, BROWSE) || (hasPhrase(w, 'apa aja') && (!f.productNoun || genericOnly || w.includes('jual') || w.includes('jualan') || w.includes('produk') || w.includes('barang')))
    || ((w.includes('jual') || w.includes('jualan') || w.includes('sell')) && (w.includes('apa') || w.includes('what')))
    || (w.includes('what') && (w.includes('products') || w.includes('sell') || w.includes('have')));
  if (!items && browse) return { intent: 'browse_catalog', confidence: 0.85 };
  if (!items && whatKinds) return { intent: 'browse_catalog', confidence: 0.7 };
  if (!items && (askStrong || askWeak) && f.productNoun) return { intent: 'ask_product', confidence: 0.6 };
  if (!items && hasPhrase(w, 'apa aja') && f.productNoun) return { intent: 'ask_product', confidence: 0.55 };
  const availability = w.includes('ada') || w.includes('jual') || w.includes('sell') || w.includes('have') || w.includes('ready') || w.includes('stok') || w.includes('cari');
  if (!items && availability && (f.unknownWords > 0 || content.length >= 2) && content.length <= 6 && !thanks) return { intent: 'ask_product', confidence: 0.45 };
  // "cat air ada ga kak? yg buat lukis": whether something not in the catalog is sold, however long the description
  if (!items && adaGa && (f.unknownWords > 0 || f.productNoun) && !thanks) return { intent: 'ask_product', confidence: 0.45 };
  // "ada yg ga pedes buat anak kecil?": a kind of product described, however long
  if (!items && hasPhrase(w, 'ada yang') && asked && !thanks && !/\b(pesanan|pesenan|orderan|order|paket|kiriman|salah|kurang)\b/.test(f.lower)) return { intent: 'ask_product', confidence: 0.45 };
  // need and symptom questions with no product named: "obat pusing yg bagus apa ya", "yg ga pedes apa ya buat anak"
  const needQ = (finalQ || askQ) && (f.productNoun || w.includes('yang') || w.includes('untuk') || w.includes('recommend') || w.includes('rekomendasi') || w.includes('saran'));
  if (!items && needQ && !thanks && !hasPhrase(w, 'apa kabar')) return { intent: 'ask_product', confidence: 0.5 };

  if (items) return { intent: 'order', confidence: f.explicitQuantity ? 0.9 : 0.75 };

  const confirmWords = count(W, CONFIRM) + count(R, CONFIRM) + (hasPhrase(w, 'itu aja') ? 1 : 0) + (hasPhrase(w, 'sudah pas') || hasPhrase(w, 'pas kak') ? 1 : 0);
  const others = content.filter((x) => !inSet(CONFIRM, x) && !ADDRESS_FORM.has(x) && x !== 'itu' && x !== 'sudah' && x !== 'semua' && x !== 'saya' && x !== 'ke' && x !== 'pas');
  if (confirmWords > 0 && !thanks && content.length <= 6 && others.length <= 2 && !any(W, NOT_CONFIRM) && !any(R, NOT_CONFIRM)) {
    return { intent: 'confirm', confidence: 0.8 };
  }
  if (greetWords && !thanks && content.length <= 5 && !any(R, GOODBYE)) return { intent: 'greeting', confidence: 0.6 };
  if (any(W, ORDER_VERB) && (w.includes('pesan') || w.includes('beli') || w.includes('order')) && !f.question) return { intent: 'order', confidence: 0.4 };
  return { intent: 'other', confidence: 0.3 };
}
