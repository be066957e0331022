// Word lists shared by the tokenizer, the matcher and the intent scorer.
// Everything here is in canonical (post-slang) form unless noted.

/** Informal spellings → canonical words. A value with spaces expands into several tokens. */
export const SLANG: Record<string, string> = {
  yg: 'yang', yng: 'yang',
  ga: 'ga', gak: 'ga', gk: 'ga', g: 'ga', nggak: 'ga', ngga: 'ga', enggak: 'ga', engga: 'ga', ndak: 'ga', kagak: 'ga',
  tdk: 'ga', tidak: 'ga', tak: 'ga', nda: 'ga', gaa: 'ga',
  gajadi: 'ga jadi', gjd: 'ga jadi', gajd: 'ga jadi', gausah: 'ga usah', gaush: 'ga usah', gaada: 'ga ada', gada: 'ga ada',
  jd: 'jadi', jdi: 'jadi',
  udh: 'sudah', udah: 'sudah', sdh: 'sudah', dah: 'sudah', uda: 'sudah', udha: 'sudah', sudh: 'sudah', suda: 'sudah',
  blm: 'belum', blom: 'belum', belom: 'belum', lom: 'belum',
  pesen: 'pesan', psn: 'pesan', mesen: 'pesan', memesan: 'pesan',
  pesenan: 'pesanan', psnan: 'pesanan', orderan: 'pesanan',
  beliin: 'beli', belikan: 'beli', membeli: 'beli', bli: 'beli',
  mo: 'mau', pengen: 'mau', pingin: 'mau', pengin: 'mau', ingin: 'mau', mw: 'mau', mao: 'mau',
  tf: 'transfer', trf: 'transfer', trsf: 'transfer', trans: 'transfer', transf: 'transfer', transfered: 'transferred', ditransfer: 'transfer',
  byr: 'bayar', membayar: 'bayar', dibayar: 'bayar', bayarnya: 'bayar', pembayaran: 'bayar',
  pake: 'pakai', pk: 'pakai', pakek: 'pakai', lwt: 'lewat', via: 'lewat',
  brp: 'berapa', brapa: 'berapa', berapaan: 'berapa', brpa: 'berapa', brapaan: 'berapa',
  hrg: 'harga', hrga: 'harga', harganya: 'harga',
  gmn: 'gimana', gmna: 'gimana', gmana: 'gimana', bagaimana: 'gimana', gimna: 'gimana',
  dmn: 'dimana', kpn: 'kapan', skrg: 'sekarang', skrng: 'sekarang',
  sm: 'sama', ama: 'sama', sma: 'sama', karo: 'sama', ambek: 'sama', ambi: 'sama', jeung: 'dan', sareng: 'dan', dgn: 'dengan', dg: 'dengan', dan: 'dan', n: 'dan',
  utk: 'untuk', buat: 'untuk', jg: 'juga', aj: 'aja', ajah: 'aja', ae: 'aja', saja: 'aja', ajaa: 'aja',
  donk: 'dong', dongg: 'dong', deh: 'deh', dehh: 'deh', tp: 'tapi', krn: 'karena', bgt: 'banget',
  kk: 'kak', ka: 'kak', kaka: 'kak', kakak: 'kak', gan: 'kak', agan: 'kak', bang: 'kak', bg: 'kak', abang: 'kak',
  min: 'kak', mimin: 'kak', sis: 'kak', sist: 'kak', mas: 'kak', mba: 'kak', mbak: 'kak', bu: 'kak', pak: 'kak', om: 'kak', bos: 'kak', boss: 'kak', kakk: 'kak',
  tlg: 'tolong', tlong: 'tolong',
  mksh: 'makasih', makasi: 'makasih', trims: 'makasih', thx: 'makasih', thanks: 'makasih', tq: 'makasih', tengkyu: 'makasih',
  terimakasih: 'makasih', thank: 'makasih', tks: 'makasih', mkasih: 'makasih', maksih: 'makasih',
  nyampe: 'sampai', nyampai: 'sampai', sampe: 'sampai', smpe: 'sampai', smpai: 'sampai', nyampek: 'sampai',
  dateng: 'datang', dtg: 'datang', dtng: 'datang', dikrm: 'dikirim', dikirimin: 'dikirim',
  ok: 'ok', oke: 'ok', okay: 'ok', okey: 'ok', okeh: 'ok', okee: 'ok', okei: 'ok', oce: 'ok', okk: 'ok', okeee: 'ok', k: 'ok', okie: 'ok',
  iya: 'ya', iyaa: 'ya', iye: 'ya', yaa: 'ya', y: 'ya', yoi: 'ya', yaaa: 'ya', iyah: 'ya', iy: 'ya', yes: 'yes', yess: 'yes', yep: 'yes', yup: 'yes', yap: 'yes', yeah: 'yes',
  bener: 'benar', bnr: 'benar', betul: 'benar', btl: 'botol',
  bs: 'bisa', bsa: 'bisa', sy: 'saya', aku: 'saya', aq: 'saya', gw: 'saya', gue: 'saya', gua: 'saya', ane: 'saya',
  ad: 'ada', lg: 'lagi', klo: 'kalau', kalo: 'kalau', trus: 'terus', trs: 'terus',
  bks: 'bungkus', bgks: 'bungkus', bkus: 'bungkus', pcs: 'pcs', pc: 'pcs', bh: 'buah', bj: 'biji', sachet: 'sachet', saset: 'sachet', sachets: 'sachet', sset: 'sachet',
  pck: 'pack', pax: 'pack', packs: 'pack', bungkusan: 'bungkus', dusan: 'dus',
  sachetan: 'sachet', sasetan: 'sachet', botolan: 'botol', kalengan: 'kaleng', krg: 'karung', krng: 'karung',
  // Javanese, Sundanese and Betawi order and address words
  tumbas: 'beli', numbas: 'beli', meser: 'beli', mundhut: 'beli', ngersake: 'mau', hoyong: 'mau', palay: 'mau', bade: 'mau', arep: 'mau',
  aya: 'ada', wonten: 'ada', onten: 'ada', enten: 'ada', nyuwun: 'minta', kaga: 'ga', aje: 'aja', ame: 'sama', ye: 'ya', ambo: 'saya', pasan: 'pesan', jo: 'sama', legi: 'manis', wedang: 'hangat', iwak: 'ikan', nyuhunkeun: 'minta', sampun: 'sudah', parantos: 'sudah', atos: 'sudah', wis: 'sudah', uwis: 'sudah',
  nggih: 'ya', enggih: 'ya', inggih: 'ya', njih: 'ya', muhun: 'ya', mboten: 'ga', ora: 'ga', teu: 'ga', henteu: 'ga', hente: 'ga', embung: 'ga',
  // (Sundanese "nu", Javanese "sing": "rinso nu 770", "balsem sing cilik"; "teu kedah", "ora sido": no need, not after all)
  nu: 'yang', sing: 'yang', na: 'nya', enya: 'ya', kedah: 'usah', sido: 'jadi', naon: 'apa', opo: 'apa', piye: 'gimana', kitu: 'gitu',
  nyarios: 'bicara', ningali: 'lihat', heula: 'dulu', weh: 'aja', takon: 'tanya', nakon: 'tanya', sajo: 'aja', bicaro: 'bicara', langsuang: 'langsung', kantua: 'kantor', iyo: 'iya', bungkuih: 'bungkus', nyo: 'nya', indak: 'ga', ado: 'ada', karuang: 'karung', antaan: 'antar', kampuang: 'kampung',
  ji: 'deh', pale: 'deh', tallu: 'tiga', rua: 'dua', sampulo: 'sepuluh', appa: 'empat', ndek: 'ga', araq: 'ada', arak: 'ada', tiang: 'saya', berembe: 'berapa', nyandak: 'ambil', candak: 'ambil', kirimi: 'kirim', kirimke: 'kirim', kirimno: 'kirim', ambilin: 'ambil', bawain: 'bawa', anterin: 'antar', dianterin: 'diantar', kambek: 'sama', nio: 'mau', nak: 'mau', bali: 'beli', nek: 'kalau', lek: 'kalau', mun: 'kalau', upami: 'kalau', ageung: 'besar', gede: 'besar',
  sabaraha: 'berapa', pinten: 'berapa', piro: 'berapa', pira: 'berapa', kumaha: 'gimana', pripun: 'gimana', kados: 'gimana',
  aing: 'saya', abdi: 'saya', kulo: 'saya', kula: 'saya', urang: 'saya', gwe: 'saya', lu: 'kamu', lo: 'kamu', elu: 'kamu', sampeyan: 'kamu', panjenengan: 'kamu',
  nuhun: 'makasih', suwun: 'makasih', matursuwun: 'makasih', maturnuwun: 'makasih',
  punten: 'permisi', monggo: 'silakan', mangga: 'silakan', nggeh: 'ya', ngge: 'untuk', kanggo: 'untuk', kangge: 'untuk', pikeun: 'untuk',
  akang: 'kak', kang: 'kak', aa: 'kak', teteh: 'kak', neng: 'kak', ceu: 'kak', mang: 'kak', cak: 'kak', ning: 'kak', dek: 'kak', mpok: 'kak', bude: 'kak', pakde: 'kak', bro: 'kak', sob: 'kak', bosku: 'kak', juragan: 'kak',
  coret: 'hapus', dicoret: 'hapus', skip: 'hapus', kaliyan: 'dengan', dos: 'dus', kardus: 'dus', karton: 'dus', kotakan: 'dus', boks: 'box',
  mi: 'mie', pedes: 'pedas', anget: 'hangat', panas: 'hangat', haneut: 'hangat', angett: 'hangat',
  // number words of the regions
  welas: 'belas', baleh: 'belas', puluah: 'puluh', poloh: 'puluh',
  // spellings of groceries, read as one
  cabai: 'cabe', cabay: 'cabe', lombok: 'cabe', nenas: 'nanas', trigu: 'terigu', tempeh: 'tempe', kecab: 'kecap', serai: 'sereh', jae: 'jahe', telor: 'telur', tlr: 'telur',
  // chat shorthand
  jgn: 'jangan', jngn: 'jangan', td: 'tadi', tdi: 'tadi', kmrin: 'kemarin',
  // sizes said short
  kcl: 'kecil', kcil: 'kecil', kecilan: 'kecil', gedean: 'gede', besaran: 'besar', gedhean: 'gede', reg: 'regular', reguler: 'regular', lrg: 'large',
  // warm
  pnas: 'hangat', pns: 'hangat', angt: 'hangat',
  // pharmacy stock-list forms
  syr: 'sirup', syrup: 'sirup', sirop: 'sirup', tab: 'tablet', tabs: 'tablet', tablets: 'tablet', kaps: 'kapsul', caps: 'kapsul', capsule: 'kapsul', capsules: 'kapsul', kapl: 'kaplet', caplet: 'kaplet', caplets: 'kaplet', susp: 'suspensi', suspension: 'suspensi', drops: 'drop', drip: 'drop',
  item: 'item',
  plis: 'please', pls: 'please', plz: 'please',
  lanjutkan: 'lanjut', lanjutin: 'lanjut', lnjt: 'lanjut',
  batalin: 'batal', batalkan: 'batal', dibatalin: 'batal', dibatalkan: 'batal', dibatalkn: 'batal', cancelled: 'cancel', canceled: 'cancel',
  hapusin: 'hapus', dihapus: 'hapus', apus: 'hapus', hps: 'hapus',
  krm: 'kirim', kirimin: 'kirim',
};
// "pak" is far more often "Pak" (sir) than "pack" in chats.

/** Number words. Multi-word forms are handled in the tokenizer. */
export const NUM_ID: Record<string, number> = {
  nol: 0, satu: 1, dua: 2, tiga: 3, empat: 4, lima: 5, enam: 6, tujuh: 7, delapan: 8, sembilan: 9,
  sepuluh: 10, sebelas: 11, seratus: 100, seribu: 1000,
  // Javanese (ngoko and krama)
  siji: 1, setunggal: 1, loro: 2, kalih: 2, telu: 3, tigo: 3, tigang: 3, papat: 4, sekawan: 4, limo: 5, gangsal: 5, enem: 6, pitu: 7,
  wolu: 8, songo: 9, sanga: 9, sedoso: 10, sedasa: 10, rolas: 12, selawe: 25, seket: 50, satus: 100,
  // …their forms before a unit ("telung karung", "limang sak", "rong kilo")
  rong: 2, telung: 3, patang: 4, limang: 5, pitung: 7, wolung: 8, sangang: 9,
  // Betawi
  atu: 1, due: 2, tige: 3, ampat: 4, anem: 6, tuju: 7, lapan: 8, delapen: 8,
  // Sundanese
  hiji: 1, tilu: 3, opat: 4, genep: 6, dalapan: 8, salapan: 9, sapuluh: 10,
  // Minang
  sapolo: 10, sapuloh: 10, ciek: 1, duo: 2, ampek: 4, anam: 6, tujuah: 7, sambilan: 9, sapuluah: 10,
};
export const NUM_EN: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100,
};

/** Units that count several pieces. "selusin" is 12 pieces, unless the shop sells the product by the dozen. */
export const MULTIPLIER_UNITS: Record<string, number> = { lusin: 12, dozen: 12, kodi: 20, gross: 144, gros: 144, pasang: 2, pair: 2, pairs: 2 };

/** Words after a number that make it a price in rupiah. */
export const PRICE_SUFFIX: Record<string, number> = {
  rb: 1000, ribu: 1000, rebu: 1000, rbu: 1000, k: 1000, rban: 1000, ribuan: 1000, rbuan: 1000, ribuaan: 1000, jt: 1_000_000, juta: 1_000_000, perak: 1, rupiah: 1,
};

/** Count units ("2 strip"), canonical form → is it a bulk package (carton/box)? */
export const COUNT_UNITS: Record<string, boolean> = {
  strip: false, botol: false, bottle: false, bottles: false, pcs: false, piece: false, pieces: false, biji: false, buah: false,
  bungkus: false, sachet: false, pack: false, kaleng: false, can: false, cans: false, tabung: false, pouch: false,
  porsi: false, portion: false, portions: false, mangkok: false, mangkuk: false, bowl: false, gelas: false, glass: false, glasses: false, cup: false, cups: false,
  piring: false, plate: false, tusuk: false, tube: false, pot: false, karung: false, sak: false, renceng: false, lembar: false,
  batang: false, ikat: false, unit: false, tablet: false, kapsul: false, ekor: false, kotak: false, packet: false, packets: false,
  sachets: false, strips: false, bag: false, bags: false, tray: false,
  roll: false, rol: false, gulung: false, lonjor: false, rim: false, pak: false, set: false, butir: false, keping: false, potong: false,
  blister: false, galon: false, jerigen: false, pail: false, drum: false, zak: false, bal: false, slop: false, ampul: false, vial: false,
  lusinan: false, renteng: false, rit: false, rencengan: false, sheet: false, sheets: false,
  dus: true, box: true, boxes: true, carton: true, cartons: true, krat: true,
};
/** Unit words whose plural should fold onto the singular. */
export const UNIT_ALIASES: Record<string, string> = {
  bottles: 'botol', bottle: 'botol', pieces: 'pcs', piece: 'pcs', strips: 'strip', packets: 'pack', packet: 'pack',
  cans: 'kaleng', can: 'kaleng', boxes: 'box', cartons: 'dus', carton: 'dus', portions: 'porsi', portion: 'porsi',
  glasses: 'gelas', glass: 'gelas', cups: 'gelas', cup: 'gelas', bowl: 'mangkok', mangkuk: 'mangkok', plate: 'piring',
  bags: 'bungkus', bag: 'bungkus', renceng: 'renteng', rencengan: 'renteng', rentengan: 'renteng', rol: 'roll', rool: 'roll', zak: 'sak', lusinan: 'lusin', sachets: 'sachet', sachetan: 'sachet', papan: 'tray', pak: 'pack', pck: 'pack', pax: 'pack',
  pouches: 'pouch', tubes: 'tube', trays: 'tray', rolls: 'roll', reams: 'rim', ream: 'rim', sacks: 'sak', sack: 'sak',
  sheets: 'lembar', sheet: 'lembar', pages: 'lembar', page: 'lembar', halaman: 'lembar', hlm: 'lembar', hal: 'lembar', ecer: 'pcs', eceran: 'pcs', satuan: 'pcs', satuannya: 'pcs', ketengan: 'pcs', ketengen: 'pcs', lbr: 'lembar', btg: 'batang', btr: 'butir', jerrycan: 'jerigen', jeriken: 'jerigen', dozens: 'dozen',
};

/**
 * Dimensions of a spec: v volume (ml), m mass (mg), p percent, L length (mm), W watt, V volt, A ampere, E mAh,
 * B bytes (GB), G paper weight (gsm), a area (m²), d a pair of lengths ("30x30").
 */
export type SizeDim = 'v' | 'm' | 'p' | 'L' | 'W' | 'V' | 'A' | 'E' | 'B' | 'G' | 'a' | 'd' | 'T';

/** Measure units: a number followed by one of these is a size (or a weight/volume to buy), never a bare count. */
export const SIZE_UNITS: Record<string, { dim: SizeDim; factor: number; alt?: { dim: SizeDim; factor: number } }> = {
  mm: { dim: 'L', factor: 1 }, milimeter: { dim: 'L', factor: 1 }, mili: { dim: 'L', factor: 1, alt: { dim: 'v', factor: 1 } },
  cm: { dim: 'L', factor: 10 }, centi: { dim: 'L', factor: 10 }, senti: { dim: 'L', factor: 10 }, centimeter: { dim: 'L', factor: 10 }, sentimeter: { dim: 'L', factor: 10 },
  m: { dim: 'L', factor: 1000 }, meter: { dim: 'L', factor: 1000 }, mtr: { dim: 'L', factor: 1000 }, meters: { dim: 'L', factor: 1000 }, metres: { dim: 'L', factor: 1000 }, metre: { dim: 'L', factor: 1000 },
  inch: { dim: 'L', factor: 25.4 }, inchi: { dim: 'L', factor: 25.4 }, inci: { dim: 'L', factor: 25.4 }, inches: { dim: 'L', factor: 25.4 }, dim: { dim: 'L', factor: 25.4 },
  kubik: { dim: 'v', factor: 1_000_000 }, kubic: { dim: 'v', factor: 1_000_000 }, kibik: { dim: 'v', factor: 1_000_000 }, meterpersegi: { dim: 'a', factor: 1 },
  watt: { dim: 'W', factor: 1 }, wat: { dim: 'W', factor: 1 }, volt: { dim: 'V', factor: 1 }, ampere: { dim: 'A', factor: 1 }, amp: { dim: 'A', factor: 1 },
  mah: { dim: 'E', factor: 1 }, gb: { dim: 'B', factor: 1 }, giga: { dim: 'B', factor: 1 }, gigabyte: { dim: 'B', factor: 1 }, tb: { dim: 'B', factor: 1000 }, gsm: { dim: 'G', factor: 1 },
  oz: { dim: 'm', factor: 28_350 }, ons: { dim: 'm', factor: 100_000 },
  // ages and durations ("anak 5 th", "umur 2 bulan", "3 hari"): never a count of products
  th: { dim: 'T', factor: 365 }, thn: { dim: 'T', factor: 365 }, tahun: { dim: 'T', factor: 365 }, taun: { dim: 'T', factor: 365 }, years: { dim: 'T', factor: 365 }, year: { dim: 'T', factor: 365 },
  bulan: { dim: 'T', factor: 30 }, bln: { dim: 'T', factor: 30 }, months: { dim: 'T', factor: 30 }, month: { dim: 'T', factor: 30 },
  hari: { dim: 'T', factor: 1 }, hr: { dim: 'T', factor: 1 }, days: { dim: 'T', factor: 1 }, minggu: { dim: 'T', factor: 7 }, weeks: { dim: 'T', factor: 7 },
  jam: { dim: 'T', factor: 1 / 24 }, menit: { dim: 'T', factor: 1 / 1440 },
  ml: { dim: 'v', factor: 1 }, mililiter: { dim: 'v', factor: 1 }, cc: { dim: 'v', factor: 1 },
  l: { dim: 'v', factor: 1000 }, lt: { dim: 'v', factor: 1000 }, ltr: { dim: 'v', factor: 1000 },
  liter: { dim: 'v', factor: 1000 }, litre: { dim: 'v', factor: 1000 }, liters: { dim: 'v', factor: 1000 }, litres: { dim: 'v', factor: 1000 },
  mg: { dim: 'm', factor: 1 }, g: { dim: 'm', factor: 1000 }, gr: { dim: 'm', factor: 1000 }, gram: { dim: 'm', factor: 1000 },
  grams: { dim: 'm', factor: 1000 }, grm: { dim: 'm', factor: 1000 },
  kg: { dim: 'm', factor: 1_000_000 }, kilo: { dim: 'm', factor: 1_000_000 }, kilogram: { dim: 'm', factor: 1_000_000 }, kgs: { dim: 'm', factor: 1_000_000 },
  '%': { dim: 'p', factor: 1 },
};

/** Words that carry no product meaning. They never start a product mention and only join one on an exact catalog match. */
export const STOPWORDS = new Set<string>([
  // fillers, particles, honorifics, pronouns
  'kak', 'ya', 'yes', 'ok', 'ber', 'dong', 'deh', 'sih', 'aja', 'lah', 'kah', 'nih', 'tuh', 'loh', 'lho', 'kok', 'yah', 'nya', 'an', 'wkwk', 'hehe', 'haha',
  'yang', 'dan', 'sama', 'dengan', 'juga', 'lagi', 'terus', 'atau', 'ini', 'itu', 'saya', 'kamu', 'kita', 'kami', 'untuk', 'dari', 'ke', 'di',
  'pada', 'ada', 'apa', 'mau', 'pesan', 'pesanan', 'beli', 'order', 'tolong', 'minta', 'kirim', 'kirimkan', 'tambah', 'tambahin', 'please', 'siapkan',
  'harga', 'berapa', 'ready', 'stok', 'stock', 'tersedia', 'masih', 'bisa', 'boleh', 'apakah', 'tanya', 'mana', 'dimana', 'kapan', 'gimana',
  'ga', 'jadi', 'usah', 'hapus', 'buang', 'batal', 'cancel', 'remove', 'delete', 'sudah', 'belum', 'bayar', 'transfer', 'pakai', 'lewat',
  'maaf', 'makasih', 'banget', 'sekali', 'semua', 'aja', 'dulu', 'nanti', 'sekarang', 'karena', 'tapi', 'kalau', 'biar', 'supaya',
  'halo', 'hai', 'hi', 'hello', 'hey', 'pagi', 'siang', 'sore', 'malam', 'selamat', 'permisi', 'assalamualaikum',
  'i', "i'd", "i'm", "i've", "i'll", 'me', 'my', 'you', 'your', 'we', 'us', 'our', 'a', 'an', 'the', 'of', 'to', 'for', 'and', 'with', 'or', 'some',
  'want', 'need', 'like', 'would', 'get', 'buy', 'order', 'can', 'could', 'is', 'are', 'was', 'do', 'does', 'have', 'has', 'how', 'much', 'many',
  'price', 'available', 'in', 'on', 'at', 'it', 'that', 'this', 'there', "that's", "it's", 'also', 'too', 'pay', 'paid', 'send', 'give',
  'good', 'morning', 'evening', 'afternoon', 'night', 'thank', 'thanks', 'sorry', 'just', 'only', 'more', 'add', 'what', 'where', "where's", 'when',
  'gas', 'sip', 'siap', 'lanjut', 'benar', 'mantap', 'oke', 'confirm', 'correct', 'right', 'sure', 'resep', 'level',
  'qris', 'qr', 'scan', 'va', 'virtual', 'account', 'bank', 'bca', 'bni', 'bri', 'mandiri', 'permata', 'cimb', 'niaga', 'gopay', 'ovo',
  'obat', 'barang', 'produk', 'product', 'products', 'item', 'items', 'yg', 'nah', 'eh', 'hmm', 'sy', 'cuma', 'cukup',
  'masing', 'each', 'asap', 'segera', 'kan', 'dak', 'nggak', 'kalo', 'gitu', 'aman',
  // changing a count: "X-nya jadiin 30"
  'jadiin', 'jadikan', 'dijadiin', 'dijadikan',
]);

/**
 * What a bare kind means in Indonesian shops when its variants are on sale: "telur" is a hen's egg, "gula"
 * white sugar, "kecap" the sweet one. Said with another variant word, that one counts.
 */
export const DEFAULT_VARIANT: Record<string, string[]> = {
  telur: ['ayam'], telor: ['ayam'], nasi: ['putih'], gula: ['pasir'], kecap: ['manis'], minyak: ['goreng'], tepung: ['terigu'],
  // a copy or a print is black and white unless colour is asked for
  fotokopi: ['hitam', 'putih'], fotocopy: ['hitam', 'putih'], fc: ['hitam', 'putih'], print: ['hitam', 'putih'], copy: ['hitam', 'putih'],
};

/**
 * Words that name the marked option of a service or product ("Fotokopi A4 Warna", "… Bolak-Balik"): a customer
 * who wants it says so, so a variant named by one the customer did not say is the less likely reading.
 */
export const MARKED_VARIANT_WORDS = new Set<string>(['warna', 'berwarna', 'color', 'colour', 'bolak', 'balik', 'duplex']);

/** Colour words: said after a product sold in assorted colours ("Kertas Buffalo A4 Warna") they pick the colour. */
export const COLOUR_WORDS = new Set<string>(['merah', 'biru', 'hijau', 'kuning', 'hitam', 'putih', 'pink', 'ungu', 'oranye', 'orange', 'oren',
  'coklat', 'cokelat', 'abu', 'emas', 'gold', 'silver', 'perak', 'tosca', 'navy', 'krem', 'cream', 'maroon', 'magenta', 'cyan',
  'red', 'blue', 'green', 'yellow', 'black', 'white', 'purple', 'brown', 'grey', 'gray', 'muda', 'tua']);
/** Name words that say a product comes in assorted colours. */
export const ASSORTED_WORDS = new Set<string>(['warna', 'warni', 'color', 'colour', 'colours', 'colors', 'assorted', 'macam']);

/** Documents a copy, print, scan or laminating job is done on: they describe the job, they are no product. */
export const DOCUMENT_WORDS = new Set<string>(['ktp', 'kk', 'ijazah', 'ijasah', 'akta', 'akte', 'kelahiran', 'sim', 'npwp', 'skck', 'rapor', 'raport',
  'sertifikat', 'skripsi', 'tesis', 'proposal', 'makalah', 'tugas', 'paspor', 'passport', 'stnk', 'bpkb', 'kwitansi', 'nota', 'transkrip',
  'dokumen', 'berkas', 'surat', 'formulir', 'undangan', 'brosur', 'modul', 'soal', 'ujian', 'laporan']);

/** Words that only glue parts of one mention together ("indomie yang goreng", "bottles of water"). */
export const FILLERS = new Set<string>(['juga', 'also', 'yang', 'rasa', 'merk', 'merek', 'ukuran', 'size', 'isi', 'of', 'the', 'nya', 'varian', 'type', 'tipe']);

/** Conjunctions that separate items unless a product name itself contains them. */
export const CONJUNCTIONS = new Set<string>(['dan', 'sama', 'and', 'plus', 'dengan', 'with', 'terus', 'serta', 'tambah']);

/** English (and a few slang) words → catalog words, so "fried rice" can find "nasi goreng". */
export const SYNONYMS: Record<string, string[]> = {
  water: ['air', 'mineral', 'aqua'], rice: ['nasi', 'beras'], fried: ['goreng'], noodle: ['mie'], noodles: ['mie'],
  chicken: ['ayam'], thigh: ['paha'], thighs: ['paha'], breast: ['dada'], breasts: ['dada'], wing: ['sayap'], wings: ['sayap'], drumstick: ['paha'], egg: ['telur'], eggs: ['telur'], sugar: ['gula'], salt: ['garam'], oil: ['minyak'], tea: ['teh'],
  iced: ['es', 'ice'], ice: ['es', 'iced'], es: ['ice', 'iced'],
  // flavours as menus and customers spell them, in either language
  stroberi: ['strawberry'], strawberry: ['stroberi'], strawbery: ['strawberry', 'stroberi'], anggur: ['grape'], grape: ['anggur'], apel: ['apple'], apple: ['apel'],
  mangga: ['mango'], mango: ['mangga'], nanas: ['pineapple'], pineapple: ['nanas'], semangka: ['watermelon'], watermelon: ['semangka'], pisang: ['banana'], banana: ['pisang'],
  chocolate: ['coklat', 'cokelat', 'choc', 'choco'], gas: ['lpg'], lpg: ['gas'], elpiji: ['lpg', 'gas'], choco: ['coklat', 'cokelat'], vanila: ['vanilla'], vanilla: ['vanila'], kelapa: ['coconut'], coconut: ['kelapa'], leci: ['lychee'], lychee: ['leci'],
  latte: ['latte'], cafe: ['caffe', 'coffee'], caffe: ['cafe', 'coffee'], coffee: ['kopi'], milk: ['susu'], soup: ['soto'], sweet: ['manis'], orange: ['jeruk', 'oranye'], oren: ['oranye', 'orange'], oranye: ['orange'],
  bread: ['roti'], soap: ['sabun'], toothpaste: ['pasta', 'gigi'], cough: ['batuk'], mask: ['masker'],
  masks: ['masker'], plaster: ['plester'], battery: ['baterai'], batteries: ['baterai'], juice: ['jus'], avocado: ['alpukat'],
  meatball: ['bakso'], meatballs: ['bakso'], catfish: ['lele'], satay: ['sate'], black: ['hitam'], item: ['hitam'],
  alcohol: ['alkohol'], eye: ['mata'], drop: ['tetes'], tetes: ['drop'], shampoo: ['shampo'], sampo: ['shampo'], cheese: ['keju'],
  paralon: ['pipa'], pralon: ['pipa'],
  // cosmetics: what a kind is called in either language
  facial: ['face'], face: ['facial'], powder: ['bedak'], bedak: ['powder'], tabur: ['loose'], loose: ['tabur'], padat: ['compact', 'cake'],
  // colours as customers say them
  ijo: ['hijau'], ijau: ['hijau'], ireng: ['hitam'], hideung: ['hitam'], beureum: ['merah'], bodas: ['putih'], koneng: ['kuning'], hejo: ['hijau'], bulao: ['biru'], alus: ['halus'], odol: ['pasta', 'gigi'], memori: ['memory', 'microsd'], memory: ['memori', 'microsd'], mmc: ['memory', 'microsd'],
  // phone-counter shorthand
  pb: ['powerbank'], fd: ['flashdisk'], mc: ['microsd', 'memory'], ip: ['iphone'], ipon: ['iphone'],
  hp: ['handphone'], charge: ['charger'], cas: ['charger'], casan: ['charger'], cok: ['stop', 'kontak'], colokan: ['stop', 'kontak'], coklat: ['cokelat', 'choc', 'choco', 'chocolate'], cokelat: ['coklat', 'choc', 'choco', 'chocolate'],
  // …and the other way, for catalogs that name colours in English ("Micellar Water Blue")
  biru: ['blue'], merah: ['red'], hitam: ['black'], putih: ['white'], hijau: ['green'], kuning: ['yellow'],
  // Javanese and Sundanese names of everyday goods
  kunir: ['kunyit'], kunyit: ['kunir'], asem: ['asam'], asam: ['asem'], endog: ['telur'], endhog: ['telur'], omelette: ['dadar'], omelet: ['dadar'], lenga: ['minyak'], uyah: ['garam'], banyu: ['air'], cai: ['air'], sega: ['nasi'], sego: ['nasi'], sangu: ['nasi'],
  lauk: ['ikan'], pitik: ['ayam'], hayam: ['ayam'], gendis: ['gula'], sekul: ['nasi'], toya: ['air'],
  // English names in building, stationery and pet shops
  cement: ['semen'], sand: ['pasir'], paint: ['cat'], nail: ['paku'], nails: ['paku'], pipe: ['pipa'], pipes: ['pipa'], brick: ['bata'], bricks: ['bata'],
  tile: ['keramik'], tiles: ['keramik'], ceramic: ['keramik'], plywood: ['triplek'], wire: ['kawat', 'kabel'], cable: ['kabel'], glue: ['lem'],
  brush: ['kuas'], hammer: ['palu'], lamp: ['lampu'], bulb: ['lampu'], iron: ['besi'], steel: ['besi', 'baja'], roof: ['atap', 'genteng'],
  blue: ['biru'], red: ['merah'], green: ['hijau'], yellow: ['kuning'], brown: ['coklat', 'cokelat'], grey: ['abu'], gray: ['abu'], pink: ['pink', 'merah muda'],
  folio: ['f4', 'folio'], kwarto: ['a4', 'kuarto'], kuarto: ['a4'], quarto: ['a4'],
  pen: ['pulpen'], pens: ['pulpen'], pencil: ['pensil'], pencils: ['pensil'], paper: ['kertas'], book: ['buku'], books: ['buku'], notebook: ['buku'],
  eraser: ['penghapus', 'setip'], potlot: ['pensil'], hekter: ['stapler', 'staples'], staples: ['stapler'], staple: ['staples', 'stapler'], ruler: ['penggaris'], scissors: ['gunting'], tape: ['lakban', 'isolasi', 'selotip'], stapler: ['stapler', 'hekter'],
  color: ['warna'], colour: ['warna'], colored: ['warna'], coloured: ['warna'], laminate: ['laminating', 'laminasi'], laminated: ['laminating', 'laminasi'],
  laminasi: ['laminating'], laminating: ['laminasi'], photocopy: ['fotokopi', 'fotocopy'], fc: ['fotokopi', 'fotocopy'], fotokopi: ['fotocopy'], fotocopy: ['fotokopi'], photocopies: ['fotokopi', 'fotocopy'], copy: ['fotokopi', 'fotocopy'], copies: ['fotokopi', 'fotocopy'],
  printing: ['print', 'cetak'], printout: ['print', 'cetak'], binding: ['jilid'], bind: ['jilid'], bound: ['jilid'],
  marker: ['spidol'], markers: ['spidol'], ink: ['tinta'], envelope: ['amplop'], folder: ['map'],
  kitten: ['kitten', 'anak kucing'], puppy: ['puppy', 'anak anjing'], litter: ['pasir'], dog: ['anjing'], fish: ['ikan'], bird: ['burung'],
  food: ['makanan'], vitamin: ['vitamin'], collar: ['kalung'], leash: ['tali'], cage: ['kandang'],
  meat: ['daging'], beef: ['sapi', 'daging'], sausage: ['sosis'], sausages: ['sosis'], nugget: ['nugget'], nuggets: ['nugget'], shrimp: ['udang'], prawn: ['udang'],
  flour: ['tepung'], onion: ['bawang'], garlic: ['bawang putih'], shallot: ['bawang merah'], chili: ['cabe'], potato: ['kentang'], fries: ['kentang'], baso: ['bakso'], mineral: ['mineral'], hot: ['hangat'], warm: ['hangat'], plain: ['tawar'], white: ['putih'],
  tissue: ['tisu'], tisue: ['tisu'], saos: ['saus'], sambel: ['sambal'], batre: ['baterai'], cream: ['cream', 'krim'], krim: ['cream'],
};

/**
 * Kinds of goods as customers say them in Indonesian, for catalogs that name them in English ("Cussons Baby Soap",
 * "Zwitsal Baby Shampoo", "Dettol Hand Wash"), and the other way round: each pair is read both ways.
 */
const BOTH_WAYS: [string, string][] = [
  ['sabun', 'soap'], ['bayi', 'baby'], ['shampo', 'shampoo'], ['sampo', 'shampoo'], ['susu', 'milk'], ['minyak', 'oil'], ['gula', 'sugar'],
  ['garam', 'salt'], ['teh', 'tea'], ['kopi', 'coffee'], ['telur', 'egg'], ['roti', 'bread'], ['keju', 'cheese'],
  ['masker', 'mask'], ['plester', 'plaster'], ['baterai', 'battery'], ['tisu', 'tissue'], ['popok', 'diaper'], ['popok', 'diapers'],
  ['cuci', 'wash'], ['tangan', 'hand'], ['wajah', 'face'], ['muka', 'face'], ['sikat', 'brush'], ['gigi', 'tooth'], ['handuk', 'towel'],
  ['lampu', 'lamp'], ['kabel', 'cable'], ['semen', 'cement'], ['paku', 'nail'], ['lem', 'glue'], ['palu', 'hammer'],
  ['cair', 'liquid'], ['bubuk', 'powder'], ['jeruk', 'orange'], ['madu', 'honey'], ['pembersih', 'cleanser'],
  ['pelembab', 'moisturizer'],
  // the light of a lamp as stock lists write it: cool daylight is the white one, warm white the yellow one
  ['putih', 'cdl'], ['putih', 'daylight'], ['kuning', 'ww'], ['kuning', 'warm'], ['cdl', 'daylight'], ['ww', 'warm'], ['tabir', 'sunscreen'], ['obat', 'medicine'], ['sirup', 'syrup'], ['tetes', 'drops'], ['botol', 'bottle'],
];
for (const [id, en] of BOTH_WAYS) {
  for (const [from, to] of [[id, en], [en, id]] as const) {
    const list = (SYNONYMS[from] ??= []);
    if (!list.includes(to)) list.push(to);
  }
}

/**
 * Everyday words of a shopping chat that name no product. A word outside the catalog that is not one of
 * these, typed right after a product word, suggests the customer means something the shop does not list.
 */
export const CHAT_WORDS = new Set<string>(`
ganti gantiin diganti tukar tuker ditukar ubah diubah untuk buat biar agar supaya karena soalnya terus lalu habis abis sekalian sekali juga lagi dong deh sih kok kan lho loh toh nah
kak dek adik anak ibu bapak suami istri mama papa nenek kakek keluarga teman tetangga orang rumah kantor kos kost sekolah kamar
besok lusa nanti tadi kemarin kemaren sekarang skrg hari minggu bulan pagi siang sore malam jam menit detik cepat cepet segera buruan
banyak sedikit dikit semua semuanya setiap tiap masing kira sekitar kurang lebih paling banget bgt sangat agak cukup pas persis
yang mana mana apa siapa kenapa mengapa gimana bagaimana berapa kapan dimana kemana darimana
ini itu tersebut sini situ sana begitu gitu gini begini kayak seperti mirip sama beda lain lainnya biasa biasanya kemarin
tolong mohon minta kasih kasi beri berikan bantu bantuin coba cobain cari carikan liat lihat cek kirim kirimin antar anter ambil
bayar bayarnya harga ongkir ongkos total semua kurir driver ojek gojek grab alamat lokasi titik share peta maps
mau ingin pengen butuh perlu cari pakai pake dipakai dipake dibuat bikin masak makan minum
enak mantap bagus jelek baru lama lama asli ori original murah mahal hemat promo diskon gratis bonus
sakit pusing demam batuk pilek flu mual diare maag gatal luka nyeri panas dingin capek lemas
ya iya tidak bukan belum sudah udah pernah masih akan bakal bisa boleh harus jangan
kecil besar gede sedang medium tanggung mini jumbo small big large kecik cilik gedhe ageng alit leutik badag
toko warung apotek apotik kios outlet cabang
dadah dada daah babay bye byee pamit cekap cukup sampun mangga monggo nuwun matur suwun nuhun hatur punten sampurasun rampes
saja aja doang thok wae kuwi iku niki niku punika ieu eta mah atuh euy sok
bilang ngomong omong nanya nanyain nyebut sebut pisan sekalian sakalian
please thanks sorry okay well just also still really very much some any every each other another
`.split(/\s+/).filter(Boolean));

/** Count words customers use for anything; they say nothing about which variant is meant. */
export const GENERIC_UNITS = new Set<string>(['pcs', 'buah', 'biji', 'item', 'unit', 'piece', 'pieces', 'ekor', 'potong']);

/** Words a catalog writes before the number of a variant ("SPF 30", "No. 10"): that number names it. */
export const NUMBER_LABELS = new Set<string>(['spf', 'no', 'nomor', 'level', 'lvl', 'size', 'ukuran', 'tipe', 'type', 'seri', 'series', 'kode', 'grade']);
/** Words after which a number describes the product ("level 5", "no 10", "ukuran 42", "size 2"). */
export const SPEC_WORDS = new Set<string>(['isi', 'level', 'lvl', 'lv', 'no', 'nomor', 'nomer', 'nmr', 'ukuran', 'uk', 'size', 'tipe', 'type', 'seri', 'series', 'versi', 'model', 'kode']);

/** "buat 20 orang": how many people, never how many of a product. */
export const PEOPLE_WORDS = new Set<string>(['orang', 'org', 'people', 'person', 'persons', 'pax']);
/** Words an item is given or made with ("ga pake sambal", "jangan dikasih nangka", "dikasih es batu biar …"). */
export const GIVEN_WITH = new Set<string>(['pakai', 'dikasih', 'kasih', 'dikasi', 'pakein', 'dipakein', 'dicampur', 'campur']);
/** Passive verbs of what happens to the order itself, not of how an item is made ("dikirim", "dicoret"). */
export const ORDER_PASSIVES = new Set<string>(['ditambah', 'ditambahin', 'ditambahkan', 'diganti', 'digantiin', 'dihapus', 'dibatalin', 'dibatalkan',
  'dicoret', 'dikirim', 'diantar', 'dianter', 'diambil', 'dibayar']);

/** A passive verb as typed ("dipotong", "diceplok"). */
export function isPassive(raw: string): boolean {
  return /^di[a-z]{3,}$/.test(raw);
}

/** A passive verb whose number is a count of the item ("ditambah 1", "dijadiin 3", "dibikin 2"). */
export function passiveCounts(raw: string): boolean {
  return /^di(tambah|jadi|bikin)/.test(raw);
}

/** Words a customer or a name uses for the plain, unflavoured, standard one of a product's variants. */
export const PLAIN_WORDS = new Set<string>(['original', 'ori', 'biasa', 'dewasa', 'adult', 'reguler', 'regular', 'classic', 'klasik', 'plain', 'polos', 'standar', 'standard', 'asli']);
