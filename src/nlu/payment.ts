import { osaDistance } from './fuzzy.js';
import type { Bank, PaymentMethod } from './types.js';

export interface PaymentSlots {
  method: PaymentMethod | null;
  bank: Bank | null;
  transferWord: boolean;
  /**
   * an e-wallet was named only to ask whether the shop takes it ("bisa bayar pake ovo ga"): nothing is chosen. Naming
   * QRIS, a bank or transfer in such a question still picks it ("qris bisa kan?"), as the corpus conventions read it.
   */
  asked: boolean;
}

/** What a copy shop scans: after "scan", these make it the service, not a QRIS payment. */
const SCANNED_THINGS = new Set(['berapa', 'harga', 'harganya', 'per', 'lembar', 'halaman', 'dokumen', 'ktp', 'kk', 'ijazah', 'foto', 'berkas', 'file', 'surat']);

/** e-wallets are paid by scanning the shop's QRIS */
const WALLETS = new Set(['gopay', 'ovo', 'shopeepay', 'linkaja', 'dana']);
const QRIS_WORDS = new Set(['qris', 'qr', 'qriss', 'kris', 'barcode', 'gopay', 'ovo', 'shopeepay', 'linkaja']);
const LONG_BANKS: Bank[] = ['mandiri', 'permata'];
/** words around a payment that ask whether it is accepted */
const CAPABLE = new Set(['bisa', 'bisakah', 'boleh', 'can', 'terima', 'menerima', 'accept', 'accepted', 'support', 'melayani']);
/** words that make the customer's own pick out of a question ("qris bisa kan? pake itu aja") */
const CHOICE = new Set(['aja', 'deh', 'pilih', 'ambil']);
/** "ga ada qris", "bukan bca", "jangan transfer": the channel named is the one the customer does not use */
const NEGATION = new Set(['ga', 'bukan', 'jangan', 'tanpa', 'not', 'no', 'non', 'usah']);
const CONDITIONAL = new Set(['kalau', 'kalo', 'klo', 'if', 'atau', 'otherwise']);
/** "qris nya lagi error": the channel named does not work */
const BROKEN = new Set(['error', 'eror', 'gangguan', 'rusak', 'down', 'gagal', 'failed']);

function bankOf(w: string): Bank | null {
  switch (w) {
    case 'bca': case 'bni': case 'bri': case 'cimb': case 'mandiri': case 'permata': return w;
    case 'niaga': return 'cimb';
    default: break;
  }
  if (w.length >= 6) for (const b of LONG_BANKS) if (osaDistance(w, b, 1) <= 1) return b;
  return null;
}

function isPaymentWord(words: string[], i: number): boolean {
  const w = words[i]!;
  return QRIS_WORDS.has(w) || w === 'va' || (w === 'virtual' && words[i + 1] === 'account') || w === 'transfer' || w === 'transferred'
    || bankOf(w) !== null;
}

/** the channel at i is refused: negated just before it, or said not to work just after it */
function refused(words: string[], i: number): boolean {
  const before = words.slice(Math.max(0, i - 2), i);
  // "kalo ga, transfer bca aja": "if not" opens the fallback the customer picks
  if (before.some((x, k) => NEGATION.has(x) && !CONDITIONAL.has(words[i - before.length + k - 1] ?? ''))) return true;
  const after = words.slice(i + 1, i + 4);
  return after.some((x) => BROKEN.has(x)) || (after[0] === 'nya' ? after[1] === 'ga' && after[2] === 'bisa' : after[0] === 'ga' && after[1] === 'bisa');
}

/** "bisa ovo?", "gopay bisa ga", "ada shopeepay?": the customer asks whether the shop takes an e-wallet */
function asksWhetherAccepted(words: string[]): boolean {
  if (words.some((x) => CHOICE.has(x)) || words.join(' ').includes('pakai itu')) return false;
  for (let i = 0; i < words.length; i++) {
    if (!WALLETS.has(words[i]!)) continue;
    const near = [...words.slice(Math.max(0, i - 3), i), ...words.slice(i + 1, i + 4)];
    if (near.some((x, k) => CAPABLE.has(x) && !(x === 'terima' && near[k + 1] === 'kasih'))) return true;
    if (words[i - 1] === 'ada') return true;
  }
  return false;
}

/** Payment method and bank named in the message; `transferWord` says "transfer"/"tf" was used without naming a method. */
export function extractPayment(words: string[]): PaymentSlots {
  let method: PaymentMethod | null = null;
  let bank: Bank | null = null;
  let transferWord = false;
  if (asksWhetherAccepted(words)) return { method, bank, transferWord, asked: true };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (isPaymentWord(words, i) && refused(words, i)) continue;
    if (method === null && QRIS_WORDS.has(w)) method = 'qris';
    // ("scan per lembar berapa", "scan ktp": the copy shop's scanning, not paying by QR)
    else if (w === 'scan' && method === null && (words[i + 1] === 'qr' || words[i + 1] === 'barcode' || (words.length <= 3 && !SCANNED_THINGS.has(words[i + 1] ?? '')))) method = 'qris';
    else if (w === 'va' || (w === 'virtual' && words[i + 1] === 'account')) { if (method === null) method = 'va'; }
    else if (w === 'transfer' || w === 'transferred' || (w === 'bank' && words[i + 1] === 'transfer')) transferWord = true;
    const b = bankOf(w);
    if (b && bank === null) bank = b;
  }
  // a bank can only be paid into through a virtual account here
  if (bank !== null && method === null) method = 'va';
  return { method, bank, transferWord, asked: false };
}
