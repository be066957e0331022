// The catalog serving the conversation right now: the open order's, else the conversation's, else
// the number's default. Shared by routing (understand) and the actions.
import { getCatalog, loadCatalog, merchantCatalogs, type CatalogRow, type LoadedCatalog } from '../catalog/service.js';
import type { Turn } from './turn.js';

export async function currentCatalog(turn: Turn): Promise<LoadedCatalog> {
  if (turn.catalog) return turn.catalog;
  const catalogId = turn.order?.catalog_id ?? turn.conv.catalog_id;
  let row = catalogId ? await getCatalog(turn.tx, catalogId) : undefined;
  if (!row || !row.active) {
    const all = await merchantCatalogs(turn.tx, turn.merchant.id);
    row = all[0];
    if (!row) throw new Error(`merchant ${turn.merchant.id} has no catalog`);
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
