import type { Product } from '../../types.js';

/** "Apotek Sehat Farma": the demo client pharmacy whose stock lives in its own system. */
export const APOTEK_SEHAT_FARMA_NAME = 'Apotek Sehat Farma';

const p = (
  sku: string,
  name: string,
  price: number,
  stock: number,
  unit: string,
  category: string,
  aliases: string[] = [],
  prescription = false,
): Product => ({ sku, name, price, stock, unit, category, aliases, prescription, image_url: null, active: true });

export const apotekSehatFarmaProducts: Product[] = [
  p('ASF-PCT500', 'Paracetamol 500mg', 4500, 150, 'strip', 'obat demam', ['pct', 'parasetamol', 'pamol']),
  p('ASF-PNDEXT', 'Panadol Extra', 16500, 40, 'strip', 'obat sakit kepala', ['panadol merah']),
  p('ASF-BDRX', 'Bodrex Tablet', 6000, 60, 'strip', 'obat sakit kepala', ['bodrex']),
  p('ASF-SNMSYR', 'Sanmol Sirup 60ml', 23000, 18, 'botol', 'obat demam anak', ['sanmol']),
  p('ASF-PRCFLU', 'Procold Flu & Batuk', 7500, 45, 'strip', 'obat flu', ['procold']),
  p('ASF-OBHCOM', 'OBH Combi Batuk Berdahak 100ml', 21000, 25, 'botol', 'obat batuk', ['obh', 'obh combi']),
  p('ASF-WDRSYR', 'Woods Peppermint Antitussive 60ml', 26500, 3, 'botol', 'obat batuk', ['woods']),
  p('ASF-PRMAAG', 'Promag Tablet', 9500, 70, 'strip', 'obat maag', ['promag']),
  p('ASF-MYLNTA', 'Mylanta Cair 50ml', 19500, 20, 'botol', 'obat maag', ['mylanta']),
  p('ASF-ENTRO', 'Entrostop Tablet', 10500, 35, 'strip', 'obat diare', ['entrostop']),
  p('ASF-ORALIT', 'Oralit 200', 2000, 100, 'sachet', 'obat diare', ['oralit']),
  p('ASF-AMX500', 'Amoxicillin 500mg', 12000, 40, 'strip', 'antibiotik', ['amoxicillin', 'amoksisilin', 'amox'], true),
  p('ASF-CFDX', 'Cefadroxil 500mg', 28000, 12, 'strip', 'antibiotik', ['cefadroxil'], true),
  p('ASF-AMLO5', 'Amlodipine 5mg', 8500, 30, 'strip', 'obat hipertensi', ['amlodipin'], true),
  p('ASF-MTF500', 'Metformin 500mg', 7000, 2, 'strip', 'obat diabetes', ['metformin'], true),
  p('ASF-CTRZ', 'Cetirizine 10mg', 5500, 55, 'strip', 'obat alergi', ['cetirizin', 'ctm']),
  p('ASF-VITC', 'Vitamin C IPI 1000mg', 15000, 80, 'botol', 'vitamin', ['vitamin c', 'vit c']),
  p('ASF-ENVC', 'Enervon-C Multivitamin', 38000, 24, 'botol', 'vitamin', ['enervon']),
  p('ASF-IMBST', 'Imboost Force 10 Tablet', 54000, 4, 'strip', 'vitamin', ['imboost']),
  p('ASF-BTDN', 'Betadine Antiseptik 15ml', 18500, 30, 'botol', 'p3k', ['betadine', 'obat merah']),
  p('ASF-HNSPLS', 'Hansaplast Plester 10 Lembar', 8000, 50, 'pak', 'p3k', ['hansaplast', 'plester']),
  p('ASF-MKP60', 'Minyak Kayu Putih Cap Lang 60ml', 25000, 45, 'botol', 'minyak angin', ['kayu putih', 'mkp']),
  p('ASF-TLKANG', 'Tolak Angin Cair 15ml', 4500, 120, 'sachet', 'herbal', ['tolak angin']),
  p('ASF-MSKR3', 'Masker Medis 3 Ply isi 50', 35000, 15, 'box', 'alat kesehatan', ['masker']),
  p('ASF-TRMDGT', 'Termometer Digital', 45000, 0, 'pcs', 'alat kesehatan', ['termometer']),
];
