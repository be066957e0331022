import type { OutgoingMessage } from '../channel/whatsapp/outgoing.js';
import { T, type Lang } from '../conversation/texts.js';
import type { OrderRow } from '../orders/repo.js';

const names: Record<string, string> = { gosend: 'GoSend', grab: 'GrabExpress', manual: 'Kurir toko' };

/** Total with the quoted delivery fee, and the payment method choice. */
export function askMethodMessage(lang: Lang, o: OrderRow): OutgoingMessage {
  return {
    type: 'buttons',
    body: T.totalAndMethod(lang, o.subtotal, o.delivery_fee, names[o.courier ?? ''] ?? o.courier ?? '-', o.total),
    buttons: [
      { id: 'pay:qris', title: T.qrisButton() },
      { id: 'pay:va', title: T.vaButton(lang) },
    ],
  };
}

/** The goods left the store but did not arrive: an apology and what happens next. */
export function deliveryFailedAfterPickup(lang: Lang): string {
  return lang === 'en'
    ? "We're sorry, your order could not be delivered. The items are going back to the store, and our team will contact you to send it again or refund your payment in full. 🙏"
    : 'Mohon maaf, pesanan kakak gagal diantar. Barang dikembalikan ke toko, dan tim kami akan menghubungi kakak untuk kirim ulang atau mengembalikan dana secara penuh. 🙏';
}
