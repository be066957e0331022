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

const GREET = set('halo hallo hai hi hello hey helo hallo pagi siang sore malam selamat assalamualaikum assalamu alaikum salam permisi p morning evening afternoon shalom punten');
const BROWSE = set('menu katalog catalog catalogue daftar list pricelist pricelistnya');
const ASK_STRONG = set('harga berapa price cost ready tersedia stok stock available availability sedia');
const ASK_WEAK = set('ada have jual punya masih apakah cari cariin nyari carikan looking sell');
const ORDER_VERB = set('mau pesan beli order minta tolong ambil kirim want need like buy get send tambah add');
const REMOVE = set('hapus buang remove delete kurangi drop without');
const CANCEL = set('batal cancel');
const CONFIRM = set('ya yes ok sip siap benar lanjut gas setuju confirm konfirmasi correct right sure mantap boleh deal proceed cukup yup gass okelah');
const THANKS = set('makasih thank thanks');
const PAST = set('sudah done already barusan tadi have');
const PAY_VERB = set('transfer transferred bayar pay paying paid lunas');
const STATUS_STRONG = set('status tracking lacak resi update');
const STATUS_VERB = set('sampai datang dikirim diantar delivered arrive arrived shipped diproses kirim dibikin dibuat disiapin disiapkan dimasak dipacking dikemas');
const STATUS_Q = set('kapan belum sudah mana where when gimana lama kok');
const ORDER_NOUN = set('pesanan order paket barang belanjaan makanan kiriman obat');
const HUMAN_STRONG = set('admin cs operator apoteker pemilik owner human agent penjual seller kasir');
const HUMAN_WEAK = set('orang person manusia staff pegawai someone');
const TALK = set('ngomong bicara talk speak hubungi dihubungkan hubungkan sambung sambungkan chat telpon telepon call connect komplain complain ngobrol');
const ADDRESS_KEYS = /\b(jl|jln|jalan|gg|gang|komplek|komp|kompleks|perum|perumahan|blok|rt|rw|kel|kelurahan|kec|kecamatan|kab|kabupaten|kota|apartemen|apartment|apt|tower|desa|dusun|cluster|griya|residence|street|road|kode pos|kodepos)\b/g;

/** Words that steer the intent; they never fuzzily match a product ("telpon" is not "telon"). */
export const INTENT_WORDS = new Set<string>([
  ...GREET, ...BROWSE, ...ASK_STRONG, ...ASK_WEAK, ...ORDER_VERB, ...REMOVE, ...CANCEL, ...CONFIRM, ...THANKS, ...PAST, ...PAY_VERB,
  ...STATUS_STRONG, ...STATUS_VERB, ...STATUS_Q, ...HUMAN_STRONG, ...HUMAN_WEAK, ...TALK,
]);

function count(words: string[], s: Set<string>): number {
  let n = 0;
  for (const w of words) if (s.has(w)) n++;
  return n;
}

function hasPhrase(words: string[], phrase: string): boolean {
  return ` ${words.join(' ')} `.includes(` ${phrase} `);
}

function addressScore(lower: string): number {
  const keys = new Set(lower.match(ADDRESS_KEYS) ?? []);
  let score = keys.size;
  if (/\bno\.?\s*\d/.test(lower) || /\bnomor\s*\d/.test(lower)) score++;
  if (/\balamat\b|\baddress\b/.test(lower)) score++;
  if (!/\d/.test(lower)) score -= 1;
  if (/^\s*(jl|jln|jalan|gg|gang|komplek|perum|perumahan)\b/.test(lower)) score++;
  return score;
}

export function classifyIntent(f: IntentFeatures): { intent: Intent; confidence: number } {
  const w = f.words;
  const items = f.itemCount > 0;
  const content = w.filter((x) => x !== 'kak' && x !== 'dong' && x !== 'deh' && x !== 'aja' && x !== 'ya' && x !== 'nih' && x !== 'sih');
  const trailingNeg = w.length > 1 && w[w.length - 1] === 'ga';

  if (addressScore(f.lower) >= 2) return { intent: 'share_address', confidence: 0.9 };

  const talk = count(w, TALK) > 0;
  const humanStrong = count(w, HUMAN_STRONG) > 0 || hasPhrase(w, 'customer service');
  const humanWeak = count(w, HUMAN_WEAK) > 0;
  if ((talk && (humanStrong || humanWeak)) || (humanStrong && !items && content.length <= 4) || (w.includes('real') && humanWeak)) {
    return { intent: 'human', confidence: 0.9 };
  }

  const payVerb = count(w, PAY_VERB) > 0;
  if ((count(w, PAST) > 0 && payVerb) || w.includes('paid') || w.includes('lunas') || w.includes('transferred')
    || (w.includes('bukti') && (payVerb || w.includes('bayar')))) {
    return { intent: 'payment_claim', confidence: 0.9 };
  }

  if (!items) {
    const strong = count(w, STATUS_STRONG) > 0 || hasPhrase(w, 'sampai mana') || hasPhrase(w, 'on the way') || w.includes('otw')
      || hasPhrase(w, 'where is my') || hasPhrase(w, "where's my");
    const verbQ = count(w, STATUS_VERB) > 0 && (count(w, STATUS_Q) > 0 || f.question);
    const nounQ = count(w, ORDER_NOUN) > 0 && (w.includes('gimana') || w.includes('lama') || w.includes('where') || w.includes('mana') || w.includes("where's"));
    if (strong || verbQ || nounQ) return { intent: 'order_status', confidence: 0.85 };
  }

  const gaJadi = hasPhrase(w, 'ga jadi') || hasPhrase(w, 'ga usah') || hasPhrase(w, 'never mind') || hasPhrase(w, 'take out') || hasPhrase(w, 'jangan');
  if (items && (count(w, REMOVE) > 0 || gaJadi || count(w, CANCEL) > 0)) return { intent: 'remove_item', confidence: 0.85 };
  if (!items && (count(w, CANCEL) > 0 || gaJadi)) return { intent: 'cancel', confidence: 0.85 };
  if (!items && count(w, REMOVE) > 0) return { intent: 'cancel', confidence: 0.5 };

  const pay = f.payment;
  if (!items && (pay.method !== null || pay.bank !== null || pay.transferWord)) return { intent: 'choose_payment', confidence: 0.9 };

  const askStrong = count(w, ASK_STRONG) > 0 || hasPhrase(w, 'how much') || hasPhrase(w, 'do you have');
  const askWeak = count(w, ASK_WEAK) > 0 || f.question || trailingNeg;
  if (items) {
    const ordering = count(w, ORDER_VERB) > 0 && f.explicitQuantity;
    if (askStrong && !(ordering && !w.includes('harga') && !w.includes('berapa'))) return { intent: 'ask_product', confidence: 0.85 };
    if (askWeak && !ordering && !f.explicitQuantity) return { intent: 'ask_product', confidence: 0.75 };
    if (askWeak && f.question && !ordering) return { intent: 'ask_product', confidence: 0.6 };
  }

  const browse = count(w, BROWSE) > 0 || hasPhrase(w, 'apa aja') || ((w.includes('jual') || w.includes('jualan') || w.includes('sell')) && (w.includes('apa') || w.includes('what')))
    || (w.includes('what') && (w.includes('products') || w.includes('sell') || w.includes('have')));
  if (!items && browse) return { intent: 'browse_catalog', confidence: 0.85 };
  if (!items && (askStrong || askWeak) && f.productNoun) return { intent: 'ask_product', confidence: 0.6 };
  const availability = w.includes('ada') || w.includes('jual') || w.includes('sell') || w.includes('have') || w.includes('ready') || w.includes('stok') || w.includes('cari');
  if (!items && availability && f.unknownWords > 0 && content.length <= 6) return { intent: 'ask_product', confidence: 0.45 };

  if (items) return { intent: 'order', confidence: f.explicitQuantity ? 0.9 : 0.75 };

  const thanks = count(w, THANKS) > 0;
  const confirmWords = count(w, CONFIRM) + (hasPhrase(w, 'itu aja') ? 1 : 0);
  if (confirmWords > 0 && !thanks && content.length <= 6) return { intent: 'confirm', confidence: 0.8 };
  if (count(w, GREET) > 0 && !thanks && content.length <= 5) return { intent: 'greeting', confidence: 0.85 };
  if (count(w, ORDER_VERB) > 0 && (w.includes('pesan') || w.includes('beli') || w.includes('order')) && !f.question) return { intent: 'order', confidence: 0.4 };
  return { intent: 'other', confidence: 0.3 };
}
