/** A product as the WooCommerce simulator is seeded; `stock: null` means the shop does not track it. */
export interface WooSeedProduct {
  name: string;
  /** Empty or missing: the product has no SKU in WooCommerce, and pesan calls it wc-<id>. */
  sku?: string;
  price: number;
  stock: number | null;
  category?: string;
  image?: string;
  status?: 'publish' | 'draft' | 'private';
  type?: 'simple' | 'variable';
}

export const TOKO_MAKMUR_NAME = 'Toko Makmur';

export const tokoMakmurProducts: WooSeedProduct[] = [
  { sku: 'TM-BRS5', name: 'Beras Pandan Wangi 5kg', price: 78000, stock: 25, category: 'Sembako' },
  { sku: 'TM-MGR2', name: 'Minyak Goreng Bimoli 2L', price: 38500, stock: 30, category: 'Sembako' },
  { sku: 'TM-GLP1', name: 'Gula Pasir Gulaku 1kg', price: 17500, stock: 40, category: 'Sembako' },
  { sku: 'TM-TLR10', name: 'Telur Ayam 10 butir', price: 28000, stock: 12, category: 'Sembako' },
  { sku: 'TM-IMGR', name: 'Indomie Goreng', price: 3500, stock: 200, category: 'Mi Instan' },
  { sku: 'TM-IMSA', name: 'Indomie Soto Ayam', price: 3300, stock: 150, category: 'Mi Instan' },
  { sku: 'TM-SDMS', name: 'Sedaap Mie Goreng', price: 3400, stock: 3, category: 'Mi Instan' },
  { sku: 'TM-AQ600', name: 'Aqua Botol 600ml', price: 4000, stock: 96, category: 'Minuman' },
  { sku: 'TM-TBS', name: 'Teh Botol Sosro 450ml', price: 6000, stock: 48, category: 'Minuman' },
  { sku: 'TM-KPKAP', name: 'Kopi Kapal Api Special Mix 10 sachet', price: 15500, stock: 35, category: 'Minuman' },
  { sku: 'TM-SKM', name: 'Susu Kental Manis Frisian Flag 370g', price: 13500, stock: 20, category: 'Susu' },
  { sku: 'TM-ULTM', name: 'Ultra Milk Coklat 250ml', price: 7000, stock: 0, category: 'Susu' },
  { sku: 'TM-RTRS', name: 'Roti Tawar Sari Roti', price: 17000, stock: 8, category: 'Roti' },
  { sku: 'TM-SBLF', name: 'Sabun Mandi Lifebuoy 110g', price: 4500, stock: 60, category: 'Perawatan Diri' },
  { sku: 'TM-PPSG', name: 'Pasta Gigi Pepsodent 190g', price: 14000, stock: 28, category: 'Perawatan Diri' },
  { sku: 'TM-RNS', name: 'Rinso Anti Noda 770g', price: 24500, stock: 22, category: 'Kebersihan' },
  { sku: 'TM-SNLT', name: 'Sunlight Jeruk Nipis 755ml', price: 16000, stock: 18, category: 'Kebersihan' },
  // Bagged ice is made on site and never counted: WooCommerce does not manage its stock.
  { sku: 'TM-ESBT', name: 'Es Batu Kristal 1kg', price: 5000, stock: null, category: 'Minuman' },
  // Entered in WooCommerce without a SKU: pesan refers to it as wc-<id>.
  { sku: '', name: 'Kerupuk Udang Finna 95g', price: 9500, stock: 15, category: 'Camilan' },
  { sku: 'TM-CHTS', name: 'Chitato Sapi Panggang 68g', price: 11000, stock: 24, category: 'Camilan' },
  // Sold in sizes (variations) in WooCommerce; pesan only offers simple products and leaves it out.
  { sku: 'TM-GAS', name: 'Gas LPG', price: 22000, stock: 10, category: 'Kebutuhan Rumah', type: 'variable' },
];
