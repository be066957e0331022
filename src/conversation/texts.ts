// Every customer-facing sentence, in Indonesian (default) and English. Short and friendly.
import { formatRupiah } from '../shared/money.js';
import { formatJakartaTime } from '../shared/time.js';

export type Lang = 'id' | 'en';

export interface LineView {
  name: string;
  quantity: number;
  unit?: string | null;
  line_total: number;
}

const rp = formatRupiah;

export function cartLines(lines: LineView[]): string {
  return lines.map((l) => `• ${l.name} x${l.quantity} = ${rp(l.line_total)}`).join('\n');
}

export const T = {
  greeting: (lang: Lang, merchant: string, name?: string) =>
    lang === 'en'
      ? `Hi${name ? ` ${name}` : ''}! 👋 Welcome to ${merchant}. Pick from the menu, or just type what you need, e.g. "paracetamol 2 and aqua 1".`
      : `Halo${name ? ` kak ${name}` : ' kak'}! 👋 Selamat datang di ${merchant}. Pilih dari menu, atau langsung ketik pesanan, mis. "paracetamol 2 sama aqua 1".`,
  menuButton: (lang: Lang) => (lang === 'en' ? 'See menu' : 'Lihat menu'),
  menuBody: (lang: Lang) => (lang === 'en' ? 'Choose a category:' : 'Pilih kategori:'),
  categoryBody: (lang: Lang, category: string) =>
    lang === 'en' ? `${category}: tap a product to add it to your cart.` : `${category}: ketuk produk untuk menambah ke keranjang.`,
  productsButton: (lang: Lang) => (lang === 'en' ? 'Products' : 'Produk'),
  moreRow: (lang: Lang) => (lang === 'en' ? 'More…' : 'Lainnya…'),
  searchHint: (lang: Lang) => (lang === 'en' ? 'Or type a product name to search.' : 'Atau ketik nama produk untuk mencari.'),
  outOfStock: (lang: Lang) => (lang === 'en' ? 'Out of stock' : 'Habis'),
  stockLeft: (lang: Lang, n: number) => (lang === 'en' ? `stock ${n}` : `stok ${n}`),
  added: (lang: Lang, lines: string[]) => (lang === 'en' ? `Added to cart:\n${lines.join('\n')}` : `Masuk keranjang:\n${lines.join('\n')}`),
  removed: (lang: Lang, names: string[]) => (lang === 'en' ? `Removed: ${names.join(', ')}.` : `Dihapus: ${names.join(', ')}.`),
  notInCart: (lang: Lang) => (lang === 'en' ? "That item isn't in your cart." : 'Produk itu tidak ada di keranjang.'),
  cartSummary: (lang: Lang, lines: LineView[], subtotal: number) =>
    lang === 'en'
      ? `🛒 Your order:\n${cartLines(lines)}\n\nSubtotal: ${rp(subtotal)}\nDelivery fee is calculated after you share your location.`
      : `🛒 Pesanan kakak:\n${cartLines(lines)}\n\nSubtotal: ${rp(subtotal)}\nOngkir dihitung setelah kakak kirim lokasi.`,
  confirmButton: (lang: Lang) => (lang === 'en' ? 'Yes, order' : 'Ya, pesan'),
  addMoreButton: (lang: Lang) => (lang === 'en' ? 'Add more' : 'Tambah lagi'),
  cancelButton: (lang: Lang) => (lang === 'en' ? 'Cancel' : 'Batal'),
  cartEmpty: (lang: Lang) =>
    lang === 'en' ? 'Your cart is empty. Type a product name or open the menu.' : 'Keranjang masih kosong. Ketik nama produk atau buka menu ya.',
  notFound: (lang: Lang, mention: string, suggestions: string[]) =>
    suggestions.length
      ? lang === 'en'
        ? `I couldn't find "${mention}". Did you mean: ${suggestions.join(', ')}?`
        : `"${mention}" tidak ketemu. Maksudnya: ${suggestions.join(', ')}?`
      : lang === 'en'
        ? `Sorry, we don't have "${mention}". Type another name or open the menu.`
        : `Maaf, "${mention}" tidak tersedia. Coba ketik nama lain atau buka menu.`,
  whichOne: (lang: Lang, mention: string) => (lang === 'en' ? `Which "${mention}" do you mean?` : `"${mention}" yang mana, kak?`),
  short: (lang: Lang, name: string, requested: number, available: number) =>
    available > 0
      ? lang === 'en'
        ? `Sorry, only ${available} ${name} left (you asked for ${requested}).`
        : `Maaf, stok ${name} tinggal ${available} (kakak minta ${requested}).`
      : lang === 'en'
        ? `Sorry, ${name} is out of stock.`
        : `Maaf, ${name} sedang habis.`,
  takeAvailable: (lang: Lang, n: number) => (lang === 'en' ? `Take ${n}` : `Ambil ${n}`),
  alternative: (lang: Lang, name: string) => (lang === 'en' ? `Try ${name} instead?` : `Mau ganti ${name}?`),
  prescriptionFlag: (lang: Lang, names: string[]) =>
    lang === 'en'
      ? `ℹ️ ${names.join(', ')} needs a doctor's prescription: we'll ask for a photo of it after you confirm.`
      : `ℹ️ ${names.join(', ')} butuh resep dokter: setelah konfirmasi kami minta foto resepnya.`,
  askPrescription: (lang: Lang) =>
    lang === 'en'
      ? '📄 Please send a photo of your prescription. Our pharmacist will check it before payment.'
      : '📄 Silakan kirim foto resep dokter. Apoteker kami cek dulu sebelum pembayaran.',
  prescriptionReceived: (lang: Lang) =>
    lang === 'en' ? 'Thanks, your prescription is being checked by our pharmacist. 🙏' : 'Terima kasih, resep sedang dicek apoteker kami. 🙏',
  prescriptionApproved: (lang: Lang) => (lang === 'en' ? '✅ Prescription approved.' : '✅ Resep disetujui.'),
  prescriptionRejected: (lang: Lang, note?: string) =>
    lang === 'en'
      ? `❌ Sorry, the prescription could not be accepted${note ? `: ${note}` : ''}. The order is cancelled.`
      : `❌ Maaf, resep tidak dapat diterima${note ? `: ${note}` : ''}. Pesanan dibatalkan.`,
  askLocation: (lang: Lang) =>
    lang === 'en'
      ? '📍 Stock is reserved for you. Please share your delivery location.'
      : '📍 Stok sudah kami amankan. Silakan kirim lokasi pengantaran ya.',
  quoting: (lang: Lang) => (lang === 'en' ? 'Checking the delivery fee…' : 'Sedang cek ongkir…'),
  totalAndMethod: (lang: Lang, subtotal: number, fee: number, courier: string, total: number) =>
    lang === 'en'
      ? `Items: ${rp(subtotal)}\nDelivery (${courier}): ${rp(fee)}\n*Total: ${rp(total)}*\n\nHow would you like to pay?`
      : `Belanja: ${rp(subtotal)}\nOngkir (${courier}): ${rp(fee)}\n*Total: ${rp(total)}*\n\nMau bayar pakai apa?`,
  qrisButton: () => 'QRIS',
  vaButton: (lang: Lang) => (lang === 'en' ? 'Bank transfer (VA)' : 'Transfer VA'),
  chooseBank: (lang: Lang) => (lang === 'en' ? 'Choose your bank for the virtual account:' : 'Pilih bank untuk virtual account:'),
  bankButton: (lang: Lang) => (lang === 'en' ? 'Choose bank' : 'Pilih bank'),
  creatingPayment: (lang: Lang) => (lang === 'en' ? 'Creating your payment…' : 'Sedang membuat tagihan…'),
  qrisCaption: (lang: Lang, amount: number, expires: Date) =>
    lang === 'en'
      ? `Scan this QRIS with any e-wallet or banking app.\nAmount: ${rp(amount)}\nPay before ${formatJakartaTime(expires)}.`
      : `Scan QRIS ini pakai e-wallet atau m-banking apa saja.\nJumlah: ${rp(amount)}\nBayar sebelum ${formatJakartaTime(expires)}.`,
  vaText: (lang: Lang, bank: string, va: string, amount: number, expires: Date) =>
    lang === 'en'
      ? `Virtual account ${bank.toUpperCase()}:\n*${va}*\nAmount: ${rp(amount)} (exact)\nPay before ${formatJakartaTime(expires)}.\nAfter paying, reply "paid".`
      : `Virtual account ${bank.toUpperCase()}:\n*${va}*\nJumlah: ${rp(amount)} (harus pas)\nBayar sebelum ${formatJakartaTime(expires)}.\nSetelah bayar, balas "sudah bayar".`,
  mandiriText: (lang: Lang, billerCode: string, billKey: string, amount: number, expires: Date) =>
    lang === 'en'
      ? `Mandiri bill payment:\nBiller code: *${billerCode}*\nBill key: *${billKey}*\nAmount: ${rp(amount)}\nPay before ${formatJakartaTime(expires)}.`
      : `Mandiri Bill Payment:\nKode perusahaan: *${billerCode}*\nKode bayar: *${billKey}*\nJumlah: ${rp(amount)}\nBayar sebelum ${formatJakartaTime(expires)}.`,
  paymentFailed: (lang: Lang) =>
    lang === 'en'
      ? "Sorry, the payment service isn't answering right now. Please wait a moment or choose another method."
      : 'Maaf, layanan pembayaran sedang gangguan. Tunggu sebentar atau pilih metode lain ya.',
  notPaidYet: (lang: Lang, amount: number, minutesLeft: number) =>
    lang === 'en'
      ? `We haven't received the payment yet. Amount: ${rp(amount)}, ${minutesLeft} min left. We'll check again shortly.`
      : `Pembayaran belum kami terima. Jumlah: ${rp(amount)}, sisa waktu ${minutesLeft} menit. Nanti kami cek lagi otomatis.`,
  paid: (lang: Lang, amount: number, orderId: string) =>
    lang === 'en'
      ? `✅ Payment of ${rp(amount)} received. Thank you! Order ${orderId} is being prepared and we're booking a driver.`
      : `✅ Pembayaran ${rp(amount)} sudah diterima. Terima kasih! Pesanan ${orderId} sedang disiapkan dan kami carikan driver.`,
  expired: (lang: Lang) =>
    lang === 'en'
      ? '⌛ The payment time has run out, so the order is cancelled and the items are released. Type "menu" to order again.'
      : '⌛ Waktu pembayaran habis, pesanan dibatalkan dan stok dilepas. Ketik "menu" untuk pesan lagi.',
  latePayment: (lang: Lang) =>
    lang === 'en'
      ? 'We received your payment after the order had expired. Our team will refund it; we have noted it on your order.'
      : 'Pembayaran kakak masuk setelah pesanan kedaluwarsa. Tim kami akan mengembalikan dananya; sudah kami catat di pesanan.',
  refundDue: (lang: Lang, amount: number) =>
    lang === 'en'
      ? `We received a payment of ${rp(amount)} that this order no longer needed (the bill had been replaced, or the order was already paid or cancelled). We'll refund it; we have noted it on your order.`
      : `Kami menerima pembayaran ${rp(amount)} yang tidak lagi diperlukan untuk pesanan ini (tagihannya sudah diganti, atau pesanan sudah dibayar/dibatalkan). Dananya akan kami kembalikan; sudah kami catat di pesanan.`,
  cancelled: (lang: Lang) =>
    lang === 'en' ? 'Your order is cancelled. Type "menu" whenever you want to order again.' : 'Pesanan dibatalkan. Ketik "menu" kapan saja untuk pesan lagi.',
  cannotCancel: (lang: Lang) =>
    lang === 'en'
      ? 'The driver has already picked up your order, so it can no longer be cancelled. Please contact us if something is wrong.'
      : 'Pesanan sudah diambil driver, jadi tidak bisa dibatalkan lagi. Hubungi kami kalau ada masalah ya.',
  nothingToCancel: (lang: Lang) => (lang === 'en' ? 'There is no active order to cancel.' : 'Tidak ada pesanan aktif untuk dibatalkan.'),
  findingDriver: (lang: Lang, courier: string) =>
    courier === 'manual'
      ? lang === 'en'
        ? '🛵 We are arranging a driver for your order…'
        : '🛵 Kami sedang menyiapkan kurir untuk pesanan kakak…'
      : lang === 'en'
        ? `🛵 Looking for a ${courier} driver…`
        : `🛵 Sedang mencari driver ${courier}…`,
  refundOnCancel: (lang: Lang, amount: number) =>
    lang === 'en'
      ? `Your payment of ${rp(amount)} will be refunded in full; our team will contact you.`
      : `Pembayaran kakak sebesar ${rp(amount)} akan dikembalikan penuh; tim kami akan menghubungi kakak.`,
  stillLooking: (lang: Lang) =>
    lang === 'en' ? 'Still looking for a driver, thanks for your patience 🙏' : 'Masih mencari driver, mohon ditunggu ya 🙏',
  driverAssigned: (lang: Lang, d: { courier: string; name?: string | null; phone?: string | null; plate?: string | null; url?: string | null }) =>
    (lang === 'en' ? `🛵 Driver found (${d.courier}): ${d.name ?? '-'}` : `🛵 Driver ditemukan (${d.courier}): ${d.name ?? '-'}`) +
    (d.plate ? ` · ${d.plate}` : '') +
    (d.phone ? `\n📞 ${d.phone}` : '') +
    (d.url ? `\n${lang === 'en' ? 'Track' : 'Lacak'}: ${d.url}` : ''),
  driverToStore: (lang: Lang) => (lang === 'en' ? '🛵 The driver is on the way to the store.' : '🛵 Driver sedang menuju toko.'),
  pickedUp: (lang: Lang) =>
    lang === 'en' ? '📦 Your order has been picked up and is on the way to you.' : '📦 Pesanan sudah diambil driver dan sedang menuju ke kakak.',
  onTheWay: (lang: Lang, url?: string | null) =>
    (lang === 'en' ? '🛵 The driver is on the way to you.' : '🛵 Driver dalam perjalanan ke lokasi kakak.') + (url ? `\n${url}` : ''),
  delivered: (lang: Lang, orderId: string) =>
    lang === 'en'
      ? `✅ Order ${orderId} has been delivered. Thank you for shopping with us! 🙏`
      : `✅ Pesanan ${orderId} sudah sampai. Terima kasih sudah belanja di kami! 🙏`,
  deliveryFailed: (lang: Lang) =>
    lang === 'en'
      ? "Sorry, we couldn't get a driver for your order. Our team will contact you; if we can't deliver, your payment will be refunded."
      : 'Maaf, kami belum dapat driver untuk pesanan kakak. Tim kami akan menghubungi; kalau tidak bisa dikirim, dana dikembalikan.',
  orderStatus: (lang: Lang, orderId: string, status: string, total: number) =>
    lang === 'en' ? `Order ${orderId}: ${statusName('en', status)}. Total ${rp(total)}.` : `Pesanan ${orderId}: ${statusName('id', status)}. Total ${rp(total)}.`,
  noOrder: (lang: Lang) => (lang === 'en' ? "You don't have an active order. Type \"menu\" to start." : 'Belum ada pesanan aktif. Ketik "menu" untuk mulai.'),
  handover: (lang: Lang) =>
    lang === 'en' ? "OK, one of our staff will reply here shortly. 🙏" : 'Baik, admin kami akan segera membalas di sini. 🙏',
  didNotUnderstand: (lang: Lang) =>
    lang === 'en'
      ? 'Sorry, I didn\'t get that. Type a product name (e.g. "panadol 2"), "menu", or "admin" to talk to our staff.'
      : 'Maaf, kurang paham. Ketik nama produk (mis. "panadol 2"), "menu", atau "admin" untuk bicara dengan admin.',
  error: (lang: Lang) => (lang === 'en' ? 'Sorry, something went wrong on our side. Please try again.' : 'Maaf, ada gangguan di sistem kami. Coba lagi ya.'),
  catalogDown: (lang: Lang) =>
    lang === 'en'
      ? "Sorry, the store's product system isn't answering right now. Your cart is kept; please try again in a few minutes."
      : 'Maaf, sistem produk toko sedang tidak bisa dihubungi. Keranjang kakak tetap tersimpan; coba lagi beberapa menit lagi ya.',
  alreadyPaying: (lang: Lang) =>
    lang === 'en' ? 'Your payment is waiting. Reply "paid" once you have paid.' : 'Tagihan kakak sudah dibuat. Balas "sudah bayar" setelah membayar ya.',
  pinNeeded: (lang: Lang) =>
    lang === 'en'
      ? 'Our couriers need the location pin to find you: please share it 📍'
      : 'Kurir kami butuh pin lokasi untuk menemukan alamat kakak: mohon kirim pin lokasinya ya 📍',
  sendLocationFirst: (lang: Lang) => (lang === 'en' ? 'Please share your location first 📍' : 'Kirim lokasi dulu ya kak 📍'),
};

export function statusName(lang: Lang, status: string): string {
  const id: Record<string, string> = {
    cart: 'keranjang',
    awaiting_confirmation: 'menunggu konfirmasi',
    awaiting_prescription: 'menunggu cek resep',
    awaiting_payment: 'menunggu pembayaran',
    paid: 'sudah dibayar',
    dispatching: 'mencari driver',
    driver_assigned: 'driver menuju toko',
    picked_up: 'dalam pengantaran',
    delivered: 'sudah sampai',
    completed: 'selesai',
    cancelled: 'dibatalkan',
    expired: 'kedaluwarsa',
    delivery_failed: 'pengantaran gagal',
  };
  return lang === 'en' ? status.replace(/_/g, ' ') : (id[status] ?? status);
}
