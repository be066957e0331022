// Messages about the cart and products, built from data only (no database): the summary with its
// buttons, "which one did you mean", price-and-stock answers, low-confidence proposals.
import type { OutgoingMessage } from '../../channel/whatsapp/outgoing.js';
import type { Product } from '../../catalog/types.js';
import { formatRupiah as rp } from '../../shared/money.js';
import { distinctTitles } from '../menu.js';
import { T, type Lang, type LineView } from '../texts.js';
import { D } from './say.js';

export function cartSummaryMessage(lang: Lang, items: LineView[], subtotal: number): OutgoingMessage {
  return {
    type: 'buttons',
    body: T.cartSummary(lang, items, subtotal),
    buttons: [
      { id: 'confirm', title: T.confirmButton(lang) },
      { id: 'menu', title: T.addMoreButton(lang) },
      { id: 'cancel', title: T.cancelButton(lang) },
    ],
  };
}

/** Products to pick from; each pick sets `quantity` of it. Three fit as buttons, more as a list. */
export function choiceMessage(lang: Lang, body: string, products: Product[], quantity: number): OutgoingMessage {
  if (products.length <= 3) {
    return {
      type: 'buttons',
      body: body + '\n' + products.map((p, i) => `${i + 1}. ${p.name} – ${rp(p.price)}`).join('\n'),
      buttons: distinctTitles(products.map((p) => p.name), 20).map((title, i) => ({ id: `pick:${products[i]!.sku}:${quantity}`, title })),
    };
  }
  return {
    type: 'list',
    body,
    button: T.productsButton(lang),
    sections: [{ rows: distinctTitles(products.map((p) => p.name)).map((title, i) => ({ id: `pick:${products[i]!.sku}:${quantity}`, title, description: rp(products[i]!.price) })) }],
  };
}

function stockNote(lang: Lang, p: Product): string {
  return p.stock > 0 ? T.stockLeft(lang, p.stock) : T.outOfStock(lang);
}

/** Price and stock of the products asked about, with a button to add each one that can be bought. */
export function productAnswer(lang: Lang, products: Product[], intro?: string): OutgoingMessage[] {
  const lines = products.map((p) => `• ${p.name}: ${rp(p.price)} – ${stockNote(lang, p)}${p.prescription ? ' (resep)' : ''}`);
  const body = [intro, ...lines].filter(Boolean).join('\n');
  const buyable = products.filter((p) => p.stock > 0).slice(0, 3);
  const out: OutgoingMessage[] = [];
  const only = products.length === 1 ? products[0] : undefined;
  // A question about one product gets its picture when the catalog has one.
  if (only?.image_url) out.push({ type: 'image', link: only.image_url, caption: `${only.name} – ${rp(only.price)}` });
  if (buyable.length) out.push({ type: 'buttons', body, buttons: distinctTitles(buyable.map((p) => p.name), 20, '+ ').map((title, i) => ({ id: `add:${buyable[i]!.sku}`, title })) });
  else out.push({ type: 'text', text: body });
  return out;
}

/** "Did you mean …?" for lines read with low confidence; nothing enters the cart before "yes". */
export function proposalMessage(lang: Lang, lines: { product: Product; quantity: number }[]): OutgoingMessage {
  return {
    type: 'buttons',
    body: D.proposal(lang, lines.map((l) => `• ${l.product.name} x${l.quantity} – ${rp(l.product.price * l.quantity)}`)),
    buttons: [
      { id: 'proposal:yes', title: D.proposalYes(lang) },
      { id: 'proposal:no', title: D.proposalNo(lang) },
    ],
  };
}

export function helpOffer(lang: Lang): OutgoingMessage {
  return {
    type: 'buttons',
    body: D.offerHelp(lang),
    buttons: [
      { id: 'menu', title: D.menuButton(lang) },
      { id: 'human', title: D.personButton(lang) },
    ],
  };
}
