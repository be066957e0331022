// The catalog serving the conversation right now: the open order's, else the conversation's, else
// the number's default. Shared by routing (understand) and the actions.
import { getCatalog, loadCatalog, merchantCatalogs, type CatalogRow, type LoadedCatalog } from '../catalog/service.js';
import { buildCatalogIndex } from '../nlu/index.js';
import type { Turn } from './turn.js';

export async function currentCatalog(turn: Turn): Promise<LoadedCatalog> {
  if (turn.catalog) return turn.catalog;
  const catalogId = turn.order?.catalog_id ?? turn.conv.catalog_id;
  let row = catalogId ? await getCatalog(turn.tx, catalogId) : undefined;
  if (!row || !row.active) {
    const all = await merchantCatalogs(turn.tx, turn.merchant.id);
    row = all[0];
    if (!row) {
      // A merchant set up without any catalog yet: answered like an empty catalog, never an error.
      turn.catalog = emptyCatalog(turn.merchant.id, turn.merchant.name);
      return turn.catalog;
    }
    bind(turn, row, 'default catalog of the number');
  }
  turn.catalog = await loadCatalog(turn.ctx, turn.tx, row);
  return turn.catalog;
}

/** Remembers on the conversation which catalog serves it, and why. */
export function bind(turn: Turn, row: CatalogRow, reason: string): void {
  turn.conv.catalog_id = row.id;
  turn.conv.catalog_reason = reason;
}

function emptyCatalog(merchantId: string, name: string): LoadedCatalog {
  return {
    catalog: { id: `${merchantId}:none`, merchant_id: merchantId, kind: 'internal', name, keywords: [], config: {}, active: false },
    products: [],
    bySku: new Map(),
    index: buildCatalogIndex([]),
  };
}
