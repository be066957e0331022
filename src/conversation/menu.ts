// Menus generated from the catalog within WhatsApp's list limits (10 rows, 24-char titles):
// categories first, then a category's products with paging.
import type { OutgoingMessage } from '../channel/whatsapp/outgoing.js';
import type { Product } from '../catalog/types.js';
import { formatRupiah } from '../shared/money.js';
import { T, type Lang } from './texts.js';

const MAX_ROWS = 10;

export function rowTitle(name: string, max = 24): string {
  return name.length <= max ? name : name.slice(0, max - 1).trimEnd() + '…';
}

/**
 * Titles for buttons or rows that must differ (WhatsApp refuses two buttons with one title):
 * names cut to `max`; where cut names collide, the words all of them share at the start are left
 * out ("Minyak Goreng Bimoli 1 liter" / "… 2 liter" → "Bimoli 1 liter" / "Bimoli 2 liter"), and a
 * number makes any that still collide distinct.
 */
export function distinctTitles(names: string[], max = 24, prefix = ''): string[] {
  const cut = (n: string) => rowTitle(prefix + n, max);
  const titles = names.map(cut);
  const lower = (w: string) => w.toLowerCase();
  for (const t of new Set(titles)) {
    const group = titles.map((x, i) => (x === t ? i : -1)).filter((i) => i >= 0);
    if (group.length < 2) continue;
    const words = group.map((i) => names[i]!.split(/\s+/));
    // The first word for context, then the name from the first word that sets it apart.
    for (const [k, i] of group.entries()) {
      const own = words[k]!;
      const first = own.findIndex((w, j) => j > 0 && !words.every((o) => o.map(lower).includes(lower(w))));
      titles[i] = cut([own[0]!, ...(first > 0 ? own.slice(first) : own.slice(1))].join(' '));
    }
  }
  return titles.map((t, i) => (titles.indexOf(t) === i && titles.lastIndexOf(t) === i ? t : rowTitle(`${i + 1}. ${names[i]}`, max)));
}

export function categoriesOf(products: Product[]): string[] {
  return [...new Set(products.map((p) => p.category || 'Lainnya'))].sort((a, b) => a.localeCompare(b));
}

function describe(lang: Lang, p: Product): string {
  const stock = p.stock > 0 ? T.stockLeft(lang, p.stock) : T.outOfStock(lang);
  return rowTitle(`${formatRupiah(p.price)} · ${stock}${p.prescription ? ' · resep' : ''}`, 72);
}

/**
 * The categories, a page at a time: when they do not fit, the last row pages on ("Lainnya…",
 * `cats:<page>`). `reserveRows` keeps rows free for the caller (other stores of the number).
 */
export function categoryList(lang: Lang, products: Product[], page = 0, reserveRows = 0): OutgoingMessage {
  const categories = categoriesOf(products);
  if (categories.length <= 1) return productList(lang, products, 0, 0);
  const room = Math.max(2, MAX_ROWS - reserveRows);
  const perPage = categories.length <= room ? room : room - 1;
  const start = Math.min(Math.max(0, page), Math.ceil(categories.length / perPage) - 1) * perPage;
  const shown = categories.slice(start, start + perPage);
  const rows = shown.map((c, i) => ({
    id: `cat:${start + i}:0`,
    title: rowTitle(c),
    description: rowTitle(`${products.filter((p) => (p.category || 'Lainnya') === c).length} ${lang === 'en' ? 'products' : 'produk'}`, 72),
  }));
  if (start + perPage < categories.length) rows.push({ id: `cats:${start / perPage + 1}`, title: T.moreRow(lang), description: '' });
  return {
    type: 'list',
    body: `${T.menuBody(lang)}\n${T.searchHint(lang)}`,
    button: T.menuButton(lang),
    sections: [{ rows }],
  };
}

/** One page of a category; the last row pages on ("Lainnya…") when more remain. */
export function productList(lang: Lang, products: Product[], categoryIndex: number, page: number): OutgoingMessage {
  const categories = categoriesOf(products);
  // An empty catalog has no category at all; callers say so before building a menu.
  const category = categories[categoryIndex] ?? categories[0] ?? 'Lainnya';
  const inCategory = products
    .filter((p) => (p.category || 'Lainnya') === category)
    // Sellable first, so a page is not wasted on what cannot be bought.
    .sort((a, b) => Number(b.stock > 0) - Number(a.stock > 0) || a.name.localeCompare(b.name));
  const perPage = MAX_ROWS - 1;
  const start = page * perPage;
  const slice = inCategory.slice(start, start + perPage);
  const titles = distinctTitles(slice.map((p) => p.name));
  const rows = slice.map((p, i) => ({ id: p.stock > 0 ? `add:${p.sku}` : `oos:${p.sku}`, title: titles[i]!, description: describe(lang, p) }));
  if (start + perPage < inCategory.length) rows.push({ id: `cat:${categoryIndex}:${page + 1}`, title: T.moreRow(lang), description: '' });
  return {
    type: 'list',
    header: rowTitle(category, 60),
    body: `${T.categoryBody(lang, category)}\n${T.searchHint(lang)}`,
    button: T.productsButton(lang),
    sections: [{ title: rowTitle(category), rows }],
  };
}
