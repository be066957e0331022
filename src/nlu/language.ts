const EN = new Set([
  'i', "i'd", "i'm", "i've", "i'll", 'want', 'need', 'like', 'please', 'the', 'is', 'are', 'my', 'your', 'you', 'where', "where's", 'what',
  'how', 'much', 'can', 'could', 'would', 'do', 'does', 'have', 'has', 'to', 'of', 'and', 'with', 'paid', 'done', 'paying', 'pay', 'available',
  'yes', 'correct', 'thanks', 'thank', 'hello', 'good', 'morning', 'evening', 'talk', 'person', 'human', 'real', 'bottles', 'bottle', 'strips',
  'send', 'buy', 'get', 'some', 'one', 'two', 'three', 'four', 'five', 'a', 'an', 'it', 'that', "that's", 'this', 'for', 'me', 'any', 'update',
  'already', 'transferred', 'everything', 'never', 'mind', 'remove', 'delete', 'show', 'sell', 'list', 'products', 'there', 'right', 'pls',
  'want', 'fried', 'rice', 'iced', 'tea', 'water', 'cancel', 'order', 'price', 'see', 'speak', 'agent', 'eggs', 'packs', 'dozen', 'via', 'by',
]);
const ID = new Set([
  'mau', 'kak', 'yang', 'yg', 'saya', 'aja', 'dong', 'ya', 'sudah', 'udah', 'udh', 'sdh', 'berapa', 'brp', 'ada', 'beli', 'beliin', 'pesan', 'pesen',
  'dan', 'sama', 'ini', 'itu', 'ga', 'gak', 'nggak', 'tidak', 'bisa', 'harga', 'tolong', 'dengan', 'untuk', 'deh', 'jadi', 'batal', 'bayar',
  'pakai', 'pake', 'lewat', 'gimana', 'kapan', 'mana', 'belum', 'halo', 'selamat', 'pagi', 'siang', 'sore', 'malam', 'makasih', 'hapus', 'min',
  'gan', 'bang', 'sis', 'kok', 'nya', 'lagi', 'juga', 'minta', 'kirim', 'aku', 'sy', 'lah', 'nih', 'sih', 'ok', 'oke', 'iya', 'betul', 'lanjut',
  'satu', 'dua', 'tiga', 'empat', 'lima', 'sepuluh', 'sedus', 'bungkus', 'botol', 'jalan', 'alamat', 'pesanan', 'tf', 'sampe', 'sampai',
]);

/** 'en' when English function words outnumber Indonesian ones; product names and brand words are neutral. */
export function detectLanguage(text: string): 'id' | 'en' {
  const words = text.toLowerCase().replace(/[’`]/g, "'").match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
  let en = 0;
  let id = 0;
  for (const w of words) {
    if (EN.has(w)) en++;
    if (ID.has(w)) id++;
    else if (w.endsWith('nya') && w.length > 5) id++;
  }
  return en > id ? 'en' : 'id';
}
