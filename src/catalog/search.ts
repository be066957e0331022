// Product search in PostgreSQL (pg_trgm, on PGlite and on a server alike): by name, alias and
// category, tolerant of typos ("paracetmol", "indomi goreng"). It looks at the same fields as the
// NLU's matcher (name and aliases first, category as a weaker hint), so both agree on what a
// product is; this one needs no catalog in memory, so it also serves catalogs too big to index.
import type { Queryable } from '../db/index.js';
import type { ProductRow } from './internal.js';

export interface SearchHit extends ProductRow {
  /** 0..1: 1 for an exact name or alias, lower for typos, partial words and category matches. */
  score: number;
  matched: 'name' | 'alias' | 'category';
}

/** A category match ranks below a name or alias match of the same strength. */
const CATEGORY_WEIGHT = 0.8;

export async function searchCatalog(q: Queryable, catalogId: string, query: string, opts: { limit?: number; minScore?: number; includeInactive?: boolean } = {}): Promise<SearchHit[]> {
  const text = query.toLowerCase().replace(/\s+/g, ' ').trim();
  if (text.length === 0) return [];
  const rows = await q.query<ProductRow & { name_score: number; alias_score: number; category_score: number }>(
    `SELECT p.*, s.name_score, s.alias_score, s.category_score
       FROM products p
       CROSS JOIN LATERAL (
         SELECT
           CASE WHEN strpos(lower(p.name), $2) > 0 THEN 1
                ELSE GREATEST(similarity(lower(p.name), $2), word_similarity($2, lower(p.name))) END AS name_score,
           COALESCE((SELECT MAX(CASE WHEN lower(a) = $2 THEN 1 ELSE GREATEST(similarity(lower(a), $2), word_similarity($2, lower(a))) END)
                       FROM unnest(p.aliases) AS a), 0) AS alias_score,
           CASE WHEN p.category IS NULL THEN 0
                WHEN lower(p.category) = $2 THEN 1
                ELSE GREATEST(similarity(lower(p.category), $2), word_similarity($2, lower(p.category))) END AS category_score
       ) s
      WHERE p.catalog_id = $1 ${opts.includeInactive ? '' : 'AND p.active'}
        AND GREATEST(s.name_score, s.alias_score, s.category_score * ${CATEGORY_WEIGHT}) >= $4
      ORDER BY GREATEST(s.name_score, s.alias_score, s.category_score * ${CATEGORY_WEIGHT}) DESC,
               similarity(lower(p.name), $2) DESC, (p.stock > 0) DESC, p.name
      LIMIT $3`,
    [catalogId, text, opts.limit ?? 10, opts.minScore ?? 0.35],
  );
  return rows.map(({ name_score, alias_score, category_score, ...p }) => {
    const best = Math.max(Number(name_score), Number(alias_score), Number(category_score) * CATEGORY_WEIGHT);
    const matched = best === Number(name_score) ? 'name' : best === Number(alias_score) ? 'alias' : 'category';
    return { ...(p as ProductRow), score: Math.round(best * 1000) / 1000, matched };
  });
}
