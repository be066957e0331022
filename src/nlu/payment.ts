import { osaDistance } from './fuzzy.js';
import type { Bank, PaymentMethod } from './types.js';

export interface PaymentSlots { method: PaymentMethod | null; bank: Bank | null; transferWord: boolean }

const QRIS_WORDS = new Set(['qris', 'qr', 'qriss', 'kris', 'barcode', 'gopay', 'ovo', 'shopeepay', 'linkaja']);
const LONG_BANKS: Bank[] = ['mandiri', 'permata'];

function bankOf(w: string): Bank | null {
  switch (w) {
    case 'bca': case 'bni': case 'bri': case 'cimb': case 'mandiri': case 'permata': return w;
    case 'niaga': return 'cimb';
    default: break;
  }
  if (w.length >= 6) for (const b of LONG_BANKS) if (osaDistance(w, b, 1) <= 1) return b;
  return null;
}

/** Payment method and bank named in the message; `transferWord` says "transfer"/"tf" was used without naming a method. */
export function extractPayment(words: string[]): PaymentSlots {
  let method: PaymentMethod | null = null;
  let bank: Bank | null = null;
  let transferWord = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (method === null && QRIS_WORDS.has(w)) method = 'qris';
    else if (w === 'scan' && method === null && (words[i + 1] === 'qr' || words[i + 1] === 'barcode' || words.length <= 3)) method = 'qris';
    else if (w === 'va' || (w === 'virtual' && words[i + 1] === 'account')) { if (method === null) method = 'va'; }
    else if (w === 'transfer' || w === 'transferred' || (w === 'bank' && words[i + 1] === 'transfer')) transferWord = true;
    const b = bankOf(w);
    if (b && bank === null) bank = b;
  }
  // a bank can only be paid into through a virtual account here
  if (bank !== null && method === null) method = 'va';
  return { method, bank, transferWord };
}
