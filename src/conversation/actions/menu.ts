// The menu: a catalog's categories (a page at a time) with the number's other stores beside it,
// or a category's products. An empty catalog says the shop has not listed products yet.
import type { OutgoingMessage } from '../../channel/whatsapp/outgoing.js';
import { merchantCatalogs, type LoadedCatalog } from '../../catalog/service.js';
import { categoryList, productList, rowTitle } from '../menu.js';
import { D } from '../render/say.js';
import { T, type Lang } from '../texts.js';
import type { Turn } from '../turn.js';

const MT = {
  otherStores: (lang: Lang, names: string[]) =>
    lang === 'en' ? `Also here: ${names.join(', ')} (type the store's name).` : `Ada juga: ${names.join(', ')} (ketik nama tokonya).`,
  otherStoresSection: (lang: Lang) => (lang === 'en' ? 'Other stores' : 'Toko lain'),
  storeRow: (lang: Lang) => (lang === 'en' ? 'Shop at this store' : 'Belanja di toko ini'),
};

/** The category menu of a catalog (a page of it), with the number's other stores offered beside it. */
export async function catalogMenu(turn: Turn, catalog: LoadedCatalog, page = 0): Promise<OutgoingMessage> {
  if (catalog.products.length === 0) return { type: 'text', text: D.emptyCatalog(turn.lang, turn.merchant.name) };
  const others = (await merchantCatalogs(turn.tx, turn.merchant.id)).filter((r) => r.id !== catalog.catalog.id);
  const offered = others.slice(0, 3);
  const menu = categoryList(turn.lang, catalog.products, page, offered.length);
  if (others.length === 0 || menu.type !== 'list') return menu;
  const rows = menu.sections.reduce((n, s) => n + s.rows.length, 0);
  const body = `${menu.body}\n${MT.otherStores(turn.lang, others.map((o) => o.name))}`;
  if (rows + offered.length > 10) return { ...menu, body };
  return {
    ...menu,
    body,
    sections: [
      ...menu.sections.map((s) => ({ ...s, title: s.title ?? rowTitle(catalog.catalog.name) })),
      { title: MT.otherStoresSection(turn.lang), rows: offered.map((o) => ({ id: `usecat:${o.id}`, title: rowTitle(o.name), description: MT.storeRow(turn.lang) })) },
    ],
  };
}

export async function showMenu(turn: Turn, catalog: LoadedCatalog, page = 0): Promise<void> {
  turn.out.push(await catalogMenu(turn, catalog, page));
}

export function showCategory(turn: Turn, catalog: LoadedCatalog, index: number, page: number): void {
  if (catalog.products.length === 0) {
    turn.out.push({ type: 'text', text: D.emptyCatalog(turn.lang, turn.merchant.name) });
    return;
  }
  turn.out.push(productList(turn.lang, catalog.products, index, page));
}

export async function greet(turn: Turn, catalog: LoadedCatalog): Promise<void> {
  if (catalog.products.length === 0) {
    turn.out.push({ type: 'text', text: D.emptyCatalog(turn.lang, turn.merchant.name) });
    return;
  }
  turn.out.push({ type: 'text', text: T.greeting(turn.lang, turn.merchant.name, turn.customer.name ?? undefined) });
  await showMenu(turn, catalog);
}
