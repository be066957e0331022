// Wording of the policy's "say" steps and the newer dialogue replies, Indonesian and English.
import { formatRupiah as rp } from '../../shared/money.js';
import type { PaymentTopic, StoreFact } from '../../nlu/acts.js';
import type { PaymentOptions, StoreFacts } from '../store-facts.js';
import type { Say } from '../policy/types.js';
import { T, type Lang } from '../texts.js';

const en = (lang: Lang) => lang === 'en';

export const D = {
  thanks: (lang: Lang) => (en(lang) ? "You're welcome! 🙏 Anything else I can help with?" : 'Sama-sama kak! 🙏 Ada lagi yang bisa dibantu?'),
  goodbye: (lang: Lang) => (en(lang) ? 'Thank you, see you again! 👋' : 'Terima kasih kak, sampai jumpa lagi! 👋'),
  compliment: (lang: Lang) => (en(lang) ? 'Thank you, glad to help! 😊' : 'Terima kasih kak, senang bisa membantu! 😊'),
  lockedOrder: (lang: Lang) =>
    en(lang)
      ? 'Your order is already being processed. To change it, type "cancel" and order again.'
      : 'Pesanan kakak sudah diproses. Untuk mengubah, ketik "batal" lalu pesan ulang ya.',
  declined: (lang: Lang) =>
    en(lang) ? 'OK, nothing was added. Type the product name again, or open the menu.' : 'Baik, tidak kami tambahkan. Ketik lagi nama produknya, atau buka menu ya.',
  emptyCatalog: (lang: Lang, merchant: string) =>
    en(lang)
      ? `Hi! 👋 Welcome to ${merchant}. The shop has not listed its products yet, so orders cannot be taken here for now. Type "admin" to reach our staff.`
      : `Halo kak! 👋 Selamat datang di ${merchant}. Toko belum memasang daftar produk, jadi pesanan belum bisa dilayani di sini. Ketik "admin" untuk bicara dengan admin kami.`,
  cartCleared: (lang: Lang) => (en(lang) ? '🗑️ Your cart is now empty.' : '🗑️ Keranjang sudah dikosongkan.'),
  replaced: (lang: Lang, from: string, to: string, quantity: number) =>
    en(lang) ? `Replaced ${from} with ${to} x${quantity}.` : `${from} diganti ${to} x${quantity}.`,
  belowMinimum: (lang: Lang, minimum: number, subtotal: number) =>
    en(lang)
      ? `The minimum order is ${rp(minimum)}; your cart is ${rp(subtotal)}. Please add ${rp(minimum - subtotal)} more to order.`
      : `Minimal belanja ${rp(minimum)}, keranjang kakak baru ${rp(subtotal)}. Tambah ${rp(minimum - subtotal)} lagi ya supaya bisa dipesan.`,
  proposal: (lang: Lang, lines: string[]) =>
    en(lang) ? `Just to be sure, did you mean:\n${lines.join('\n')}` : `Biar tidak salah, maksud kakak:\n${lines.join('\n')}`,
  /** What was just ordered, restated when the customer confirms, before the place or the prescription. */
  confirmed: (lang: Lang, lines: string, subtotal: number) =>
    en(lang)
      ? `✅ Order noted:\n${lines}\nTotal for the goods: ${rp(subtotal)} (plus delivery).`
      : `✅ Pesanan dicatat:\n${lines}\nTotal belanja: ${rp(subtotal)} (belum termasuk ongkir).`,
  proposalYes: (lang: Lang) => (en(lang) ? 'Yes, add it' : 'Ya, tambahkan'),
  proposalNo: (lang: Lang) => (en(lang) ? 'No' : 'Bukan'),
  notSold: (lang: Lang, mention: string, closest: string[]) =>
    closest.length
      ? en(lang)
        ? `Sorry, "${mention}" is not available here yet. Closest products we have:`
        : `Maaf, "${mention}" belum tersedia di sini. Produk yang paling mirip:`
      : en(lang)
        ? `Sorry, "${mention}" is not available here yet. Type another name or open the menu.`
        : `Maaf, "${mention}" belum tersedia di sini. Coba ketik nama lain atau buka menu ya.`,
  goAhead: (lang: Lang) => (en(lang) ? 'Sure, go ahead 🙂 What would you like to know?' : 'Silakan kak, mau tanya apa? 🙂'),
  needNotFound: (lang: Lang, need: string) =>
    en(lang)
      ? `Sorry, I couldn't find a product for "${need}". Type the product's name, open the menu, or type "admin" to ask our staff.`
      : `Maaf, belum ketemu produk untuk "${need}". Coba ketik nama produknya, buka menu, atau ketik "admin" untuk tanya admin kami.`,
  forNeed: (lang: Lang) => (en(lang) ? 'These could help; tap one to add it:' : 'Produk yang bisa membantu; ketuk untuk menambah:'),
  offerHelp: (lang: Lang) =>
    en(lang)
      ? "Sorry, I still didn't get that. Would you like to see the menu, or talk to our staff?"
      : 'Maaf, masih kurang paham. Mau lihat menu, atau bicara dengan admin kami?',
  menuButton: (lang: Lang) => (en(lang) ? 'See menu' : 'Lihat menu'),
  personButton: (lang: Lang) => (en(lang) ? 'Talk to staff' : 'Bicara dgn admin'),
  placeSaved: (lang: Lang) =>
    en(lang)
      ? '📍 Location noted; we will deliver your order there. Type what you need, or open the menu.'
      : '📍 Lokasi sudah dicatat untuk pengantaran pesanan kakak. Silakan ketik pesanan atau buka menu.',
  addressSaved: (lang: Lang) =>
    en(lang)
      ? '🏠 Address noted for your order. Type what you need, or open the menu.'
      : '🏠 Alamat sudah dicatat untuk pesanan kakak. Silakan ketik pesanan atau buka menu.',
  addressForDriver: (lang: Lang) => (en(lang) ? '🏠 Address noted for the driver.' : '🏠 Alamat dicatat untuk driver.'),
  usingSavedPlace: (lang: Lang, address?: string) =>
    en(lang)
      ? `📍 Stock is reserved. We'll deliver to the location you shared${address ? ` (${address})` : ''}. Checking the delivery fee…`
      : `📍 Stok sudah kami amankan. Pesanan diantar ke lokasi yang kakak kirim${address ? ` (${address})` : ''}. Sedang cek ongkir…`,
  usingSavedAddress: (lang: Lang, address: string) =>
    en(lang)
      ? `📍 Stock is reserved. We'll deliver to ${address}. Checking the delivery fee…`
      : `📍 Stok sudah kami amankan. Pesanan diantar ke ${address}. Sedang cek ongkir…`,
  addressQuoting: (lang: Lang) =>
    en(lang)
      ? '🏠 Address noted for the delivery. Checking the delivery fee… (a location pin, if you like, helps the driver find you)'
      : '🏠 Alamat pengantaran dicatat. Sedang cek ongkir… (kalau mau, kirim juga pin lokasi supaya driver lebih mudah menemukan)',
  paymentRemembered: (lang: Lang, method: string) =>
    en(lang) ? `Noted: you'll pay by ${method} once the delivery fee is known.` : `Siap, bayarnya pakai ${method} setelah ongkir dihitung ya.`,
  /** The total once the fee is known, for a customer who chose how to pay before it was. */
  totalPaying: (lang: Lang, o: { subtotal: number; fee: number; courier: string; total: number }, method: string) =>
    en(lang)
      ? `Items: ${rp(o.subtotal)}\nDelivery (${o.courier}): ${rp(o.fee)}\n*Total: ${rp(o.total)}*\n\nPaying by ${method}.`
      : `Belanja: ${rp(o.subtotal)}\nOngkir (${o.courier}): ${rp(o.fee)}\n*Total: ${rp(o.total)}*\n\nBayar pakai ${method}.`,
  pinForDriver: (lang: Lang) => (en(lang) ? '📍 Location noted for the driver.' : '📍 Lokasi dicatat untuk driver.'),
  statusDriver: (_lang: Lang, d: { courier: string; name?: string | null; phone?: string | null; plate?: string | null }) =>
    `🛵 Driver (${d.courier}): ${d.name ?? '-'}${d.plate ? ` · ${d.plate}` : ''}${d.phone ? `\n📞 ${d.phone}` : ''}`,
  statusTrack: (lang: Lang, url: string) => `${en(lang) ? 'Track' : 'Lacak'}: ${url}`,
  statusNoDriverYet: (lang: Lang) => (en(lang) ? 'No driver has been assigned yet.' : 'Driver belum ditugaskan.'),
};

const WALLET_NAMES: Record<string, string> = { ovo: 'OVO', dana: 'DANA', shopeepay: 'ShopeePay', spay: 'ShopeePay', gopay: 'GoPay', linkaja: 'LinkAja', jenius: 'Jenius', isaku: 'i.saku', sakuku: 'Sakuku', doku: 'DOKU' };

function bankNames(banks: string[]): string {
  return banks.map((b) => (b === 'cimb' ? 'CIMB Niaga' : b === 'mandiri' ? 'Mandiri' : b === 'permata' ? 'Permata' : b.toUpperCase())).join(', ');
}

export function paymentAnswer(lang: Lang, topic: PaymentTopic, options: PaymentOptions, wallet?: string): string {
  const e = en(lang);
  const accepted: string[] = [];
  if (options.qris) accepted.push(e ? 'QRIS (pay from any e-wallet — OVO, DANA, ShopeePay, GoPay, LinkAja — or any m-banking app)' : 'QRIS (bisa dibayar dari e-wallet apa saja — OVO, DANA, ShopeePay, GoPay, LinkAja — atau m-banking)');
  if (options.va) accepted.push(e ? `bank transfer to a virtual account (${bankNames(options.banks)})` : `transfer ke virtual account (${bankNames(options.banks)})`);
  if (options.cod) accepted.push(e ? 'cash on delivery (arranged by our staff)' : 'bayar di tempat/COD (diatur admin kami)');
  const list = accepted.length ? (e ? `We accept: ${accepted.join('; ')}.` : `Pembayaran yang bisa: ${accepted.join('; ')}.`) : e ? 'Payment is arranged by our staff; type "admin".' : 'Pembayaran diatur admin kami; ketik "admin" ya.';
  const name = wallet ? (WALLET_NAMES[wallet.toLowerCase()] ?? wallet.toUpperCase()) : undefined;
  switch (topic) {
    case 'cod':
      return options.cod
        ? e ? `Yes, cash on delivery is possible: our staff will arrange it. ${list}` : `Bisa kak, COD diatur oleh admin kami. ${list}`
        : e ? `Sorry, we don't take cash on delivery. ${list}` : `Maaf kak, belum bisa COD/bayar di tempat. ${list}`;
    case 'ewallet':
      return options.qris
        ? e ? `Yes! ${name ?? 'E-wallets'} works through QRIS: scan the QR code we send with ${name ?? 'your e-wallet'}. ${list}` : `Bisa kak! ${name ?? 'E-wallet'} lewat QRIS: scan kode QR yang kami kirim pakai aplikasi ${name ?? 'e-wallet'}. ${list}`
        : e ? `Sorry, ${name ?? 'e-wallets'} can't be used here. ${list}` : `Maaf kak, ${name ?? 'e-wallet'} belum bisa. ${list}`;
    case 'transfer':
      return options.va
        ? e ? `Yes, by transfer to a virtual account (${bankNames(options.banks)}); it is checked automatically. ${list}` : `Bisa kak, transfer ke virtual account (${bankNames(options.banks)}), otomatis tercek. ${list}`
        : e ? `Sorry, bank transfer isn't available. ${list}` : `Maaf kak, transfer bank belum tersedia. ${list}`;
    case 'qris':
      return options.qris ? (e ? `Yes, QRIS works. ${list}` : `Bisa kak, pakai QRIS. ${list}`) : e ? `Sorry, QRIS isn't available. ${list}` : `Maaf kak, QRIS belum tersedia. ${list}`;
    case 'card':
      return e ? `Sorry, cards and paylater can't be used here. ${list}` : `Maaf kak, kartu kredit/paylater belum bisa. ${list}`;
    default:
      return list;
  }
}

export function storeFactAnswer(lang: Lang, fact: StoreFact, facts: StoreFacts, place?: string): string {
  const e = en(lang);
  const unknown = e ? 'our staff can tell you: type "admin".' : 'admin kami bisa bantu jawab: ketik "admin" ya.';
  switch (fact) {
    case 'hours':
      return facts.opening_hours ? (e ? `🕘 Opening hours: ${facts.opening_hours}.` : `🕘 Jam buka: ${facts.opening_hours}.`) : e ? `Sorry, our opening hours aren't listed here; ${unknown}` : `Maaf, jam buka belum dicantumkan; ${unknown}`;
    case 'address':
      return facts.store_address ? (e ? `📍 Our address: ${facts.store_address}.` : `📍 Alamat kami: ${facts.store_address}.`) : e ? `Sorry, the address isn't listed here; ${unknown}` : `Maaf, alamat belum dicantumkan; ${unknown}`;
    case 'minimum_order':
      return facts.minimum_order
        ? e ? `The minimum order is ${rp(facts.minimum_order)}.` : `Minimal belanja ${rp(facts.minimum_order)}.`
        : e ? 'There is no minimum order.' : 'Tidak ada minimal belanja kak.';
    case 'delivery_area':
      return deliveryAnswer(lang, facts, place);
  }
}

const norm = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

function deliveryAnswer(lang: Lang, facts: StoreFacts, place?: string): string {
  const e = en(lang);
  const areas = facts.delivery_area ?? [];
  const radius = facts.delivery_radius_km;
  const list = areas.length ? areas.join(', ') : '';
  const radiusText = radius ? (e ? `within ${radius} km of the store` : `dalam radius ${radius} km dari toko`) : '';
  if (place) {
    const p = norm(place);
    const hit = areas.find((a) => {
      const n = norm(a);
      return n.length > 0 && (p.includes(n) || n.includes(p));
    });
    if (hit) return e ? `Yes, we deliver to ${hit}! 🛵` : `Bisa kak, kami kirim ke ${hit}! 🛵`;
    if (radius) {
      return e
        ? `We deliver ${radiusText}${list ? ` (including ${list})` : ''}. Share your location pin and we'll check ${place} for you.`
        : `Kami kirim ${radiusText}${list ? ` (termasuk ${list})` : ''}. Kirim pin lokasi kakak, nanti kami cek untuk ${place} ya.`;
    }
    if (areas.length) return e ? `Sorry, ${place} is outside our delivery area. We deliver to: ${list}.` : `Maaf kak, ${place} di luar area pengiriman kami. Kami kirim ke: ${list}.`;
  }
  if (areas.length || radius) {
    const parts = [list, radiusText].filter(Boolean).join('; ');
    return e ? `We deliver to: ${parts}.` : `Area pengiriman kami: ${parts}.`;
  }
  return e
    ? 'We deliver by courier (GoSend/Grab); share your location pin when ordering and we quote the fee.'
    : 'Kami kirim pakai kurir (GoSend/Grab); kirim pin lokasi saat pesan, ongkirnya langsung kami hitung.';
}

export function sayText(lang: Lang, s: Say, merchantName: string): string {
  switch (s.say) {
    case 'thanks':
      return D.thanks(lang);
    case 'goodbye':
      return D.goodbye(lang);
    case 'compliment':
      return D.compliment(lang);
    case 'cart_empty':
      return T.cartEmpty(lang);
    case 'no_order':
      return T.noOrder(lang);
    case 'did_not_understand':
      return T.didNotUnderstand(lang);
    case 'locked_order':
      return D.lockedOrder(lang);
    case 'nothing_to_cancel':
      return T.nothingToCancel(lang);
    case 'not_in_cart':
      return T.notInCart(lang);
    case 'declined':
      return D.declined(lang);
    case 'empty_catalog':
      return D.emptyCatalog(lang, merchantName);
    case 'go_ahead':
      return D.goAhead(lang);
    case 'need_not_found':
      return D.needNotFound(lang, s.need);
    case 'payment_answer':
      return paymentAnswer(lang, s.topic, s.options, s.wallet);
    case 'store_fact':
      return storeFactAnswer(lang, s.fact, s.facts, s.place);
    case 'below_minimum':
      return D.belowMinimum(lang, s.minimum, s.subtotal);
  }
}
