// A product sold as a pack of another (a dozen, a box "isi 12", a pak "isi 10") carries the other's
// name and a pack word. A customer who names no pack means the single product.

/** Words that make a product a pack of another. */
export const PACK_WORDS = new Set(['lusin', 'selusin', 'kodi', 'kotak', 'box', 'dus', 'karton', 'pak', 'pack', 'renteng', 'isi', 'bundle', 'set']);
/** Size units say which variant, not which product: left out when comparing names. */
const SPEC_UNITS = new Set(['mm', 'cm', 'm', 'ml', 'l', 'lt', 'liter', 'g', 'gr', 'gram', 'kg', 'inch', 'gsm', 'watt', 'w']);

const nameCore = (words: string[]) => words.filter((w) => /^\p{L}+$/u.test(w) && !SPEC_UNITS.has(w) && !PACK_WORDS.has(w));

/**
 * Of the choices (each with its name's words), the single product when every other choice is a pack
 * of it (its name and a pack word the customer did not type); undefined otherwise.
 */
export function singleAmongPacks<T>(choices: { choice: T; words: string[] }[], typed: string[]): T | undefined {
  if (choices.length < 2) return undefined;
  const asked = new Set(typed);
  const packOf = (pack: { words: string[] }, single: { words: string[] }) => {
    const has = new Set(pack.words);
    return pack.words.some((w) => PACK_WORDS.has(w) && !asked.has(w)) && nameCore(single.words).every((w) => has.has(w));
  };
  const singles = choices.filter((s) => choices.every((c) => c === s || packOf(c, s)));
  return singles.length === 1 ? singles[0]!.choice : undefined;
}
