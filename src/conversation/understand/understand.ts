// Understanding a message: which catalog serves it (routing), what the parser reads in it over
// that catalog (intent, items with scores, confidence, matches), the dialogue act (nlu/acts.ts),
// and what a button's id means. Reads the database only to load catalogs; decides nothing.
import type { IncomingContent } from '../../channel/whatsapp/outgoing.js';
import { parseMessage, searchProducts, type NluResult } from '../../nlu/index.js';
import { detectAct, unmatchedMention } from '../../nlu/acts.js';
import { BANKS, type Bank } from '../../payments/port.js';
import type { Turn } from '../turn.js';
import type { ButtonAction, Interpretation, ReplaceReading } from './types.js';
import { answerSwitch, chooseCatalog, routeText } from './routing.js';
import type { CatalogIndex } from '../../nlu/index.js';

/** The interpretation, or undefined when routing already answered (a question about stores). */
export async function understand(turn: Turn, content: IncomingContent): Promise<Interpretation | undefined> {
  switch (content.type) {
    case 'text':
      return understandText(turn, content.text);
    case 'interactive':
      return understandButton(turn, content.replyId, content.title);
    case 'location':
      return { kind: 'location', lat: content.latitude, lng: content.longitude, address: content.address ?? content.name };
    case 'image':
      return { kind: 'image', mediaId: content.mediaId, mimeType: content.mimeType ?? 'image/jpeg' };
    case 'order':
      return { kind: 'catalog_order', lines: content.items.map((i) => ({ sku: i.sku, quantity: i.quantity })) };
    default:
      return { kind: 'unsupported' };
  }
}

async function understandText(turn: Turn, typed: string): Promise<Interpretation | undefined> {
  const routed = await routeText(turn, typed);
  if (!routed) return undefined;
  const { catalog, text } = routed;
  const hint = turn.llmHint;
  const nlu = hint && hint.catalogId === catalog.catalog.id && hint.text === text ? hint.result : parseMessage(text, catalog.index);
  const act = detectAct(text, nlu);
  const replace = act?.act === 'replace' ? readReplace(act.from, act.to, catalog.index) : undefined;
  const recognised = nlu.items.length + nlu.ambiguous.length + nlu.unknown.length + (nlu.matches?.length ?? 0) > 0;
  const search = recognised || act ? [] : searchProducts(text, catalog.index, 5);
  const unmatched = !recognised && !act && (nlu.intent === 'ask_product' || nlu.intent === 'order') ? (unmatchedMention(text) ?? undefined) : undefined;
  return { kind: 'text', text, nlu, act, replace, search, unmatched, catalogEmpty: catalog.products.length === 0 };
}

function readReplace(from: string, to: string, index: CatalogIndex): ReplaceReading {
  const a = parseMessage(from || '-', index);
  const fromSkus = [...a.items.map((i) => i.sku), ...a.ambiguous.flatMap((x) => x.candidates)];
  const reading: ReplaceReading = { from: fromSkus, fromMention: a.items[0]?.mention ?? a.ambiguous[0]?.mention ?? from, last: from === '' };
  const b: NluResult = parseMessage(to, index);
  const item = b.items[0];
  if (item) reading.to = { sku: item.sku, quantity: item.quantity, explicit: item.quantityExplicit, score: item.score };
  else if (b.ambiguous[0]) reading.toAmbiguous = b.ambiguous[0].candidates;
  else {
    const n = /^\s*(\d{1,4})\s*(?:[a-z]+)?\s*$/i.exec(to);
    if (n) reading.quantity = Number(n[1]);
  }
  return reading;
}

async function understandButton(turn: Turn, id: string, title: string): Promise<Interpretation | undefined> {
  const [kind, a, b] = id.split(':');
  const button = (action: ButtonAction): Interpretation => ({ kind: 'button', action });
  switch (kind) {
    case 'menu':
      return button({ kind: 'menu', page: 0 });
    case 'cats':
      return button({ kind: 'menu', page: Number(a) || 0 });
    case 'cat':
      return button({ kind: 'category', index: Number(a) || 0, page: Number(b ?? 0) || 0 });
    case 'add':
      return button({ kind: 'add', sku: a ?? '' });
    case 'set':
    case 'pick':
      return button({ kind: 'set', sku: a ?? '', quantity: Math.max(1, Number(b) || 1) });
    case 'oos':
      return button({ kind: 'out_of_stock', sku: a ?? '' });
    case 'confirm':
      return button({ kind: 'confirm' });
    case 'cancel':
      return button({ kind: 'cancel' });
    case 'pay':
      return button({ kind: 'pay', method: a === 'qris' ? 'qris' : 'va', bank: null });
    case 'bank':
      return button({ kind: 'pay', method: 'va', bank: (BANKS as string[]).includes(a ?? '') ? (a as Bank) : null });
    case 'human':
      return button({ kind: 'human' });
    case 'proposal':
      return button({ kind: 'proposal', accept: a === 'yes' });
    case 'usecat': {
      // A store button: catalog ids contain ':' themselves.
      const again = await chooseCatalog(turn, id.slice('usecat:'.length));
      return again === undefined ? undefined : understandText(turn, again);
    }
    case 'catsw': {
      const again = await answerSwitch(turn, a ?? '');
      return again === undefined ? undefined : understandText(turn, again);
    }
    default:
      // Unknown button (an old message): the title reads as text.
      return understandText(turn, title);
  }
}
