import type { Product } from '../catalog/types.js';

/** The sandbox's second merchant: a food stall (warung) on its own number. Prices in rupiah. */
export const FOOD_STALL_PRODUCTS: Product[] = [
  { sku: 'WRG-NASGOR', name: 'Nasi Goreng Spesial', price: 22000, stock: 50, unit: 'porsi', category: 'Makanan', aliases: ['nasi goreng', 'nasgor'] },
  { sku: 'WRG-MIEGOR', name: 'Mie Goreng Jawa', price: 20000, stock: 40, unit: 'porsi', category: 'Makanan', aliases: ['mie goreng', 'mie jawa', 'migor'] },
  { sku: 'WRG-AYAMGEP', name: 'Ayam Geprek + Nasi', price: 25000, stock: 30, unit: 'porsi', category: 'Makanan', aliases: ['ayam geprek', 'geprek'] },
  { sku: 'WRG-SOTO', name: 'Soto Ayam + Nasi', price: 18000, stock: 25, unit: 'porsi', category: 'Makanan', aliases: ['soto', 'soto ayam'] },
  { sku: 'WRG-GADO', name: 'Gado-Gado', price: 17000, stock: 20, unit: 'porsi', category: 'Makanan', aliases: ['gado gado', 'gado-gado'] },
  { sku: 'WRG-SATE10', name: 'Sate Ayam 10 tusuk + Lontong', price: 30000, stock: 20, unit: 'porsi', category: 'Makanan', aliases: ['sate', 'sate ayam'] },
  { sku: 'WRG-TEMPE', name: 'Tempe Mendoan (5 pcs)', price: 10000, stock: 40, unit: 'porsi', category: 'Camilan', aliases: ['mendoan', 'tempe'] },
  { sku: 'WRG-ESTEH', name: 'Es Teh Manis', price: 5000, stock: 100, unit: 'gelas', category: 'Minuman', aliases: ['es teh', 'teh manis'] },
  { sku: 'WRG-ESJERUK', name: 'Es Jeruk', price: 8000, stock: 60, unit: 'gelas', category: 'Minuman', aliases: ['es jeruk', 'jeruk'] },
  { sku: 'WRG-KOPI', name: 'Kopi Tubruk', price: 6000, stock: 50, unit: 'gelas', category: 'Minuman', aliases: ['kopi', 'kopi hitam'] },
];
