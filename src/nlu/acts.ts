// Dialogue acts the intent set of the NLU contract does not name (its intents stay fixed for the
// CLI): small talk, cart commands, payment and store questions, and the many ways of asking for
// the order's status or for a person. Pure: the text and the parser's reading in, an act out.
// The dialogue policy decides what an act means at the customer's stage of the order.
import type { NluResult } from './types.js';

export type PaymentTopic = 'cod' | 'ewallet' | 'transfer' | 'qris' | 'card' | 'general';
export type StoreFact = 'hours' | 'address' | 'delivery_area' | 'minimum_order';

export type DialogueAct =
  | { act: 'greeting' }
  | { act: 'thanks' }
  | { act: 'goodbye' }
  | { act: 'compliment' }
  | { act: 'show_cart' }
  | { act: 'clear_cart' }
  /** "ganti X jadi Y": the two halves as typed; the dialogue resolves them against the catalog. */
  | { act: 'replace'; from: string; to: string }
  /** "tambah X 2", "X 1 lagi": the named items are added to what the cart already holds. */
  | { act: 'add_more' }
  | { act: 'payment_question'; topic: PaymentTopic; wallet?: string }
  | { act: 'store_fact'; fact: StoreFact; place?: string }
  | { act: 'order_status' }
  | { act: 'human' }
  /** "ada yang bisa bantu?": the customer wants help but says with what. */
  | { act: 'help' }
  /** "totalnya berapa", "ongkirnya berapa": what the order costs so far. */
  | { act: 'total_question' }
  /** "mau tanya", "boleh nanya?": a question is coming. */
  | { act: 'wants_to_ask' }
  /** "that's all", "nothing else": the customer is done choosing. */
  | { act: 'done_ordering' };

/** Lower case, accents and punctuation off, stretched letters shortened ("haloooo" → "halo"). */
export function normalizeForActs(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’`]/g, "'")
    .replace(/([a-z])\1{2,}/g, '$1')
    .replace(/[^\p{L}\p{N}'?\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const has = (t: string, re: RegExp) => re.test(t);
/** Characters of a message the act patterns look at. */
export const MAX_ACT_CHARS = 500;
const wordCount = (t: string) => (t.match(/[\p{L}\p{N}]+/gu) ?? []).length;

// Words that only pad a message ("kak", "ya", "dong") do not make it longer for small talk.
const FILLER = /\b(kak|ka|kakak|min|mimin|admin|gan|bang|mas|mbak|mba|sis|bu|pak|om|ya|yah|yaa|ok|oke|dong|deh|sih|nih|lho|loh|banget|bgt|sekali|sangat|very|so|much|all|semua|ya|juga|jg|pokoknya|apotek|toko|shop|store)\b/g;
const coreWords = (t: string) => wordCount(t.replace(FILLER, ' '));

const GREETING = /^(ha?l+o+|hai+|hi+|hello|helo|hey|hei|hola|halo+|alo|pagi|siang|sore|malam|met (pagi|siang|sore|malam)|selamat (pagi|siang|sore|malam)|good (morning|afternoon|evening|day)|morning|evening|ass?alamu'? ?alaikum|ass?alamualaikum|asalamualaikum|assalam|salam|permisi|punten|sampurasun|misi|p|ping|oi|woi|shalom|om swastiastu)\b/;
const THANKS = /\b(terima ?kasih|trima ?kasih|makasih|makasi|mksh|mks|maaci|thx|thanks|thank you|thank u|thankyou|tengkyu|tq|ty|suwun|matur nuwun|nuhun|hatur nuhun|trims)\b/;
const GOODBYE = /\b(bye|bye bye|dadah|dah|sampai jumpa|see you|see ya|pamit|udah dulu|sudah dulu|segitu dulu|itu dulu aja|good night|selamat tidur|wassalam|wassalamualaikum)\b/;
const SERVICE_PRAISE = /\b(pelayanan|layanan|pelayanannya|layanannya|service|respon|responnya|admin ?nya|botnya)\b.*\b(oke|ok|bagus|baik|mantap|mantab|cepat|cepet|ramah|top|keren|memuaskan|good|great|nice)\b/;
const COMPLIMENT = /\b(mantap|mantab|mantul|keren|hebat|bagus|cepat|cepet|gercep|ramah|puas|top|joss|jos|the best|terbaik|great|awesome|amazing|nice|good job|well done|love it|excellent|perfect|helpful|membantu|recommended|rekomen)\b/;

const CART_WORD = /\b(keranjang(nya|ku| saya| aku)?|cart|troli|trolley|belanjaan(nya|ku| saya| aku)?|basket)\b/;
const LOOK = /\b(cek|check|lihat|liat|lht|show|see|view|isi|tampilkan|what'?s in|apa aja|apa saja|mana)\b/;
const CLEAR = /\b(hapus|buang|kosongkan|kosongin|bersihkan|clear|empty|remove|delete|reset|batalin|batalkan)\b.*\b(semua(nya)?|semuanya|all|everything|keranjang|cart|isinya)\b|\b(kosongkan|kosongin|clear|empty) (keranjang|cart|my cart)\b|\bmulai (dari )?awal( lagi)?\b|\bstart over\b/;
const REPLACE_LAST = /\b(ganti|gantiin|tukar|tuker|ubah|change|replace|swap)( aja| saja)? (?:jadi|jd|jdi|dengan|dgn|ke|pake|pakai|with|to|into)\s+(.+)$/;
const REPLACE = /\b(ganti|gantiin|gnti|tukar|tuker|ubah|change|replace|swap)\b\s+(.+?)\s+(?:jadi|jd|jdi|dengan|dgn|dg|sama|ke|pake|pakai|with|to|for|into)\s+(.+)$/;
const ADD_MORE = /^(tambah|tambahin|tambahkan|tambahan|nambah|add|plus|tmbh|tambh)\b|\b(tambah|tambahin|tambahkan|nambah|tmbh)\b.*\d|\b\d+\s+lagi\b|\blagi\s+\d+\b|\badd (another|one more|more)\b|\bone more\b/;

const WALLETS = /\b(ovo|dana|shopee ?pay|spay|gopay|go ?pay|link ?aja|linkaja|jenius|isaku|sakuku|doku|e-?wallet|ewallet|dompet digital)\b/;
const COD = /\b(cod|c o d|bayar di ?tempat|bayar ditempat|bayar pas (sampai|sampe|dateng|datang)|cash on delivery|bayar tunai|tunai|cash)\b/;
const TRANSFER = /\b(transfer|tf|trf|m-?banking|mbanking|internet banking|virtual account|va|rekening|norek|bank)\b/;
const QRIS = /\b(qris|qr|scan)\b/;
const CARD = /\b(kartu kredit|credit card|cc|kartu debit|debit card|debit|visa|mastercard|paylater|kredivo|akulaku)\b/;
const PAY_TALK = /\b(bayar(nya)?|pembayaran(nya)?|payment|pay|metode|cara bayar|method)\b/;
const QUESTION = /\?|\b(bisa|bs|bisakah|boleh|blh|bole|terima|nerima|menerima|accept|can i|can we|could i|do you|is it|ga|gak|ngga|nggak|enggak|tidak|ndak|gk|kah|apa|apakah|apa aja|apa saja|pakai apa|pake apa|via apa|lewat apa|available|ada)\b/;

const HOURS = /\b(jam (buka|tutup|operasional|kerja|berapa)|buka (jam|dari|sampai|sampe|hari|gak|ga|nggak|ngga|tidak|kah|ya|sekarang|skrg|besok|minggu|libur)|tutup (jam|kapan|hari)|(udah|sudah|masih|lagi) (buka|tutup)|buka\s*\?|kapan buka|opening hours|open hours|business hours|what time|are you open|open (today|now|tomorrow|on)|when do you (open|close)|closing time)\b/;
const STORE_ADDRESS = /\b((alamat|lokasi|tempat)(nya)?( toko| apotek| outlet| warung)?( kakak| kak| min)? ?(di ?mana|dmn|dimana|mana|where)|(alamat|lokasi) (toko|apotek|outlet|warung)(nya)?|toko(nya)? (di ?mana|dimana|dmn)|(di ?mana|dimana|dmn) (alamat|lokasi|toko)(nya)?|where (are you|is your (store|shop)|is the (store|shop))|(your|store|shop) (address|location)|share ?loc(ation)? (toko|store)|titik (toko|lokasi toko))\b/;
const MINIMUM = /\b(minimal|minimum|min\.?|minim) (order|belanja|pembelian|pesan|pesanan|beli|purchase|transaksi)\b|\bminimum order\b|\bmin order\b/;
const DELIVER_TO = /\b(?:kirim|krm|antar|anter|ngirim|nganter|deliver|delivery|ship|send|jangkau|cover)\w*\s+(?:ke|kesini|sampai|sampe|ampe|to|di|daerah|area|wilayah)\s+(.+?)\s*(?:\?|\b(?:ga|gak|nggak|ngga|kah|ya|gk|tidak|engga|enggak|nggak|bisa|juga|not)\b|$)/;
const DELIVERY_AREA = /\b(area|wilayah|jangkauan|daerah|radius) (pengiriman|pengantaran|antar|kirim|delivery)\b|\b(delivery|pengiriman) (area|radius)\b|\bkirim ke mana( aja| saja)?\b|\bantar(nya)? (sampai|sampe) mana\b|\bdo you deliver\b/;
const MY_PLACE = /\b(alamat|lokasi) (saya|aku|ku|gue|gw|rumah)\b|\b(my|our) (address|location)\b/;

const STATUS_SUBJECT = /\b(kurir(nya)?|driver(nya)?|drivernya|abang(nya)? (ojol|gojek|grab)|ojol(nya)?|abang ?nya|paket(nya|ku| saya)?|pesanan(nya|ku| saya| aku| gue| gw)?|orderan(nya|ku| saya| aku)?|order(an)? (saya|aku|ku)|kiriman(nya|ku| saya)?|barang(nya|ku| saya)?|my (order|delivery|package|parcel|driver|courier)|(the|my) (driver|courier)|delivery)\b/;
const STATUS_ASK = /\b(cek|check|lihat|liat|di ?mana|dimana|dmn|sampai mana|sampe mana|udah|udh|sudah|sdh|jalan|otw|berangkat|dikirim|diantar|nyampe|sampai|sampe|gimana|bagaimana|gmn|gmna|kapan|where|status|track|tracking|lacak|lama|belum|blm|kok|when|update|how)\b/;
const TRACK = /\b(track|tracking|lacak|resi|where is my|where's my|status (pesanan|order|pengiriman))\b/;

const PERSON = /\b(admin|cs|customer service|customer care|operator|orang( asli| beneran)?|manusia|petugas|staf|staff|karyawan|pegawai|pemilik|owner|apoteker|penjual|seller|kasir|human|person|agent|real person|someone|somebody)\b/;
const REACH = /\b(mau|pengen|pingin|ingin|minta|tolong|sambung|sambungin|sambungkan|hubung|hubungi|hubungin|dihubungi|bicara|ngomong|omong|chat|ngobrol|talk|speak|connect|panggil|panggilin|want|need|let me|can i|ke|dengan|sama|with|to|aja|saja|only|please|pls)\b/;
const CALL_ME = /\b(hubungi|telpon|telepon|telp|tlp|call|contact|chat|wa|japri) (saya|aku|gue|gw|me|balik|back)\b|\bcall me\b|\bcontact me\b|\bbot(nya)? (ga|gak|nggak|tidak|ngga|gk) (ngerti|paham|bisa|mudeng|nyambung)\b|\b(ga|gak|nggak|tidak|ngga|gk) (mau|suka) (sama |dengan )?bot\b|\bnot a bot\b|\bbukan bot\b|\b(mau|ingin|pengen|pingin|saya|aku|want to|i want to|i'd like to) (komplain|complain|lapor|melapor|protes|report)\b|\b(complaint|keluhan)\b/;
const TOTAL = /\b(total(nya)?|ongkir(nya)?|ongkos kirim(nya)?|biaya kirim|biaya antar|jumlah(nya)?|semuanya|jadi)\s*(berapa|brp)\b|\b(berapa|brp)\s*(total(nya)?|ongkir(nya)?|ongkos kirim(nya)?|semuanya|jadinya)\b|\bhow much (is|in) total\b|\b(the )?total\s*\?|\bdelivery fee\b/;
const WANTS_TO_ASK = /^(kak |min |gan |permisi |punten |halo |hi )*(mau|boleh|bisa|numpang|izin|ijin|pengen|ingin|saya mau|aku mau) (tanya|nanya|bertanya|tny)( dong| kak| min| sebentar| bentar| dulu| nih)*\s*\??$|^(can i ask|may i ask|i have a question|quick question)\b/;
// Javanese "sampun cekap", "mpun niku mawon" and Sundanese "atos", "parantos" say the same
const DONE_ORDERING = /^(udah|sudah|udh|sdh|cukup|segitu aja|segitu saja|itu aja|itu saja|sampun|mpun|pun|cekap|atos|tos|parantos|sakmonten|semanten)(,? (kak|min|ya|itu aja|itu saja|aja|deh|segitu|cekap|mawon|niku|semanten|sakmonten|nggih|nggeh|ngih|mas|mbak|teh|kang|a|cukup|atos|tos))*$|^(that'?s all|that is all|that'?s it|nothing else|no more|i'?m done|done|all good|that will be all)( thanks| thank you| please)?$/;
const HELP = /\b(ada (yg|yang) bisa (bantu|membantu)|bisa (bantu|dibantu|minta tolong)|butuh bantuan|minta bantuan|perlu bantuan|need help|help me|can you help|can anyone help|tolong bantu( saya| aku)?)\s*(ga|gak|nggak|ngga|kah|dong|kak|min|ya|\?|please|pls)*\s*\??$|^(help|tolong|bantu|bantuan)\s*\??$/;

/** The dialogue act of a message, or null when it is plain ordering/asking the parser covers. */
export function detectAct(text: string, nlu?: Pick<NluResult, 'intent' | 'items' | 'ambiguous'>): DialogueAct | null {
  // Dialogue acts are short; reading only the start keeps every pattern cheap on a huge message.
  const t = normalizeForActs(text.slice(0, MAX_ACT_CHARS));
  if (!t) return null;
  const products = (nlu?.items.length ?? 0) + (nlu?.ambiguous.length ?? 0) > 0;

  if (has(t, CALL_ME) || (has(t, PERSON) && has(t, REACH) && !products)) return { act: 'human' };

  const replace = REPLACE.exec(t);
  if (replace) {
    const from = replace[2]!.trim();
    return { act: 'replace', from: /^(aja|saja|deh|dong|ya|kak|min|nya|itu|yang itu|yg itu)$/.test(from) ? '' : from, to: replace[3]!.trim() };
  }
  // "ganti jadi panadol": the line just added is the one to replace (from left empty).
  const replaceLast = REPLACE_LAST.exec(t);
  if (replaceLast) return { act: 'replace', from: '', to: replaceLast[3]!.trim() };
  if (has(t, CLEAR)) return { act: 'clear_cart' };
  if (has(t, CART_WORD) && (has(t, LOOK) || coreWords(t) <= 2 || t.includes('?'))) return { act: 'show_cart' };
  if (/^(cek|check|lihat|liat)( dong| dulu| kak| min)*$/.test(t)) return { act: 'show_cart' };

  const payment = paymentQuestion(t);
  if (payment && nlu?.intent !== 'payment_claim') return payment;

  if (has(t, MINIMUM)) return { act: 'store_fact', fact: 'minimum_order' };
  if (has(t, HOURS)) return { act: 'store_fact', fact: 'hours' };
  if (has(t, STORE_ADDRESS) && !has(t, MY_PLACE)) return { act: 'store_fact', fact: 'address' };
  const to = DELIVER_TO.exec(t);
  // A place name may look like a product ("tebet" ~ "teh botol"): what the parser read inside the place does not count.
  const place = to ? cleanPlace(to[1]!) : '';
  const inPlace = (mention: string) => place.includes(normalizeForActs(mention));
  const productsOutsidePlace = (nlu?.items ?? []).some((i) => !inPlace(i.mention)) || (nlu?.ambiguous ?? []).some((a) => !inPlace(a.mention));
  if (to && place && QUESTION.test(t) && !productsOutsidePlace) return { act: 'store_fact', fact: 'delivery_area', place };
  if (has(t, DELIVERY_AREA)) return { act: 'store_fact', fact: 'delivery_area' };

  if (!products && has(t, TOTAL)) return { act: 'total_question' };
  if (!products && (has(t, TRACK) || (has(t, STATUS_SUBJECT) && has(t, STATUS_ASK)))) return { act: 'order_status' };

  if (products && has(t, ADD_MORE)) return { act: 'add_more' };
  if (products) return null;

  const core = coreWords(t);
  if (has(t, HELP)) return { act: 'help' };
  // A bare "kak?" / "min" calls for attention: answered like a greeting.
  if (/^(kak|ka|kakak|min|mimin|gan|sis|bang|mas|mbak|mba|bu|pak|admin)(\s*\?)*$/.test(t)) return { act: 'greeting' };
  if (has(t, WANTS_TO_ASK)) return { act: 'wants_to_ask' };
  if (has(t, DONE_ORDERING)) return { act: 'done_ordering' };
  if (has(t, SERVICE_PRAISE) && !has(t, /\b(ga|gak|tidak|nggak|kurang|not|jelek|lambat|lama)\b/)) return { act: 'compliment' };
  if (has(t, THANKS) && core <= 6) return { act: 'thanks' };
  if (has(t, GOODBYE) && core <= 5) return { act: 'goodbye' };
  if (has(t, GREETING) && core <= 4) return { act: 'greeting' };
  if (has(t, COMPLIMENT) && core <= 6 && !has(t, /\b(ga|gak|tidak|nggak|kurang|not)\b/)) return { act: 'compliment' };
  return null;
}

function paymentQuestion(t: string): DialogueAct | null {
  const wallet = WALLETS.exec(t)?.[1];
  const topic: PaymentTopic | null = has(t, COD)
    ? 'cod'
    : wallet
      ? 'ewallet'
      : has(t, CARD)
        ? 'card'
        : has(t, QRIS)
          ? 'qris'
          : has(t, TRANSFER)
            ? 'transfer'
            : has(t, PAY_TALK)
              ? 'general'
              : null;
  if (!topic) return null;
  if (!has(t, QUESTION)) return null;
  // "bayar pakai qris aja" chooses; "qris bisa?" asks. A bare method word with "bisa/ga/?" asks.
  if (topic === 'general' && !has(t, /\b(bisa|bs|apa|pakai apa|pake apa|via apa|lewat apa|metode|cara|how|what|which)\b|\?/)) return null;
  return wallet ? { act: 'payment_question', topic, wallet: wallet.replace(/\s+/g, '') } : { act: 'payment_question', topic };
}

function cleanPlace(s: string): string {
  return s.replace(/\b(kak|min|ya|dong|gan|nggak|ngga|gak|ga|kah|juga)\b/g, ' ').replace(/\?/g, ' ').replace(/\s+/g, ' ').trim();
}

/** A short yes or no typed in answer to a question the bot asked. */
export function yesNo(text: string): 'yes' | 'no' | null {
  if (text.length > 60) return null;
  let t = normalizeForActs(text).replace(/\?/g, ' ').trim();
  // Address words and softeners around the answer ("iya kak", "bukan itu min") do not change it.
  for (let prev = ''; prev !== t; ) {
    prev = t;
    t = t.replace(/^(kak|ka|min|gan|sis|mas|mbak|bang|pak|bu)\s+/, '').replace(/\s+(kak|ka|min|gan|sis|mas|mbak|bang|pak|bu|dong|deh|aja|sih|nih|ya|yah|itu|please|pls)$/, '').trim();
  }
  if (/^(ya|iya|iy|y|yes|yup|yep|yoi|betul|benar|bener|ok|oke|okay|okey|sip|siap|boleh|mau|setuju|lanjut|gas|correct|right|sure|that'?s right|yang itu|ya betul|iya betul|ya benar|iya benar|ya itu|iya itu|betul itu|ya mau|iya mau)$/.test(t)) return 'yes';
  if (/^(tidak|bukan|bkn|ga|gak|nggak|ngga|enggak|engga|gk|no|nope|nah|jangan|salah|bukan itu|bukan yang itu|ga jadi|gak jadi|nggak jadi|ngga jadi|tidak jadi|not that|wrong|no thanks)$/.test(t)) return 'no';
  return null;
}

const ASKING_WORDS = new Set(
  'isi isinya ukuran ukurannya lebih murah mahal lain lainnya bagus ampuh paling apa aja barang kayak kaya seperti kemarin kmrn biasanya biasa tadi ada bisa bantu ga gak nggak ngga enggak tidak kah apa apakah jual jualan punya sedia tersedia ready stok stock masih mau pengen ingin beli beliin pesan pesen order minta cari nyari cariin carikan tolong dong deh ya kak min gan sis mas mbak bang pak bu aja saja yang yg itu ini nya sih nih kok harga berapa brp do you have sell any is there i want need buy get some please pls the a an'.split(' '),
);

/**
 * The product a question or order names when the parser matched nothing ("ada rokok ga?" →
 * "rokok"): the message without asking words and numbers, or null when nothing is left.
 */
export function unmatchedMention(text: string): string | null {
  if (text.length > 200) return null;
  const words = normalizeForActs(text).replace(/\?/g, ' ').split(/\s+/).filter((w) => w && !ASKING_WORDS.has(w) && !/^\d+$/.test(w));
  const mention = words.join(' ').trim();
  return mention.length >= 3 && words.length <= 4 ? mention : null;
}

const NUMBER_WORDS: Record<string, number> = {
  satu: 1, se: 1, dua: 2, tiga: 3, empat: 4, lima: 5, enam: 6, tujuh: 7, delapan: 8, sembilan: 9, sepuluh: 10, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, ten: 10,
  // Javanese, Sundanese
  siji: 1, setunggal: 1, loro: 2, kalih: 2, telu: 3, tigo: 3, tigang: 3, papat: 4, sekawan: 4, limo: 5, gangsal: 5, hiji: 1, tilu: 3, opat: 4,
};
const BARE_QUANTITY = new RegExp(
  '^(?:(?:yaudah|ya udah|yasudah|ya sudah|udah|oke deh|ok deh|i will take|i\'ll have|i will have|i\'ll get|i will get|let me get|make it|mau|pesan|pesen|ambil|beli|order|minta|tambah|tambahin|tambahkan|add|i want|i\'d like|i\'ll take|take|give me|get|yang itu|itu|ya|iya|ok|oke|okay|sip|boleh|eh|ehh|oh|jadi|jd|kak|min'
    // "hoyong lima sak", "tumbas kalih", "nyuwun setunggal": regional ways to want
    + '|hoyong|palay|tumbas|meser|nyuwun|pengen|pingin|pgn|nggih|mangga|gih)\\s+)*(?:(?:yg|yang|the)\\s+[a-z0-9]+\\s+)?(\\d{1,3}|' + Object.keys(NUMBER_WORDS).filter((w) => w !== 'se').join('|') + ')'
    // the count may carry any packing or selling unit ("lima sak", "2 rim", "3 kaleng")
    + '(?:\\s+(?:aja|saja|ya|dong|kak|deh|nggih|mawon|pcs|buah|biji|botol|strip|bungkus|sachet|pack|pak|sak|zak|karung|dus|box|kotak|rim|kaleng|lembar|batang|roll|meter|kg|kilo|liter|ons|renteng|tray|ikat|porsi|tusuk|pouch|galon|tabung|pail|tube|pot|set|unit|ekor|butir|potong|please|pls|nya|of them|juga|lagi|more))*$',
);
const ADD_WORDS = /\b(tambah|tambahin|tambahkan|add|lagi|more|plus)\b/;

/** "tambah 1 lagi": the bare quantity adds to a line rather than setting it. */
export const addsToLine = (text: string) => ADD_WORDS.test(normalizeForActs(text));

/** "mau 2", "I want 2", "ambil tiga ya": a quantity with no product, answering the product just shown. */
export function bareQuantity(text: string): number | null {
  if (text.length > 60) return null;
  const m = BARE_QUANTITY.exec(normalizeForActs(text).replace(/\?/g, '').trim());
  if (!m) return null;
  const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : NUMBER_WORDS[m[1]!];
  return n && n > 0 ? n : null;
}

/** A need or symptom rather than a product name ("obat sakit kepala", "buat batuk"). */
export function isNeed(mention: string): boolean {
  return /\b(obat|sakit|buat|untuk|utk|penghilang|pereda|meredakan|mengatasi|for|medicine|remedy|something)\b/.test(normalizeForActs(mention));
}
