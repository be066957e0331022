/** Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions), giving up above `max`. */
export function osaDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = new Array<number>(lb + 1);
  let cur = new Array<number>(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2; prev2 = prev; prev = cur; cur = t;
  }
  return prev[lb]!;
}

/** How many edits a word of this length may carry and still be the same word. */
export function maxEdits(len: number): number {
  if (len <= 3) return 0;
  if (len <= 5) return 1;
  return 2;
}

function deletes(word: string, depth: number, out: Set<string>): void {
  if (depth === 0 || word.length <= 2) return;
  for (let i = 0; i < word.length; i++) {
    const d = word.slice(0, i) + word.slice(i + 1);
    if (!out.has(d)) {
      out.add(d);
      deletes(d, depth - 1, out);
    }
  }
}

export function consonants(w: string): string { return w.replace(/[aiueo]/g, ''); }

export function isSubsequence(needle: string, hay: string): boolean {
  let j = 0;
  for (let i = 0; i < hay.length && j < needle.length; i++) if (hay[i] === needle[j]) j++;
  return j === needle.length;
}

export interface FuzzyHit { word: string; sim: number }

/**
 * Typo-tolerant lookup into a fixed vocabulary: symmetric-delete candidates verified with OSA distance,
 * prefixes ("indom" → "indomie"), and consonant skeletons ("grg" → "goreng").
 */
export class FuzzyVocabulary {
  private readonly words: Set<string>;
  private readonly deleteMap = new Map<string, string[]>();
  private readonly prefixMap = new Map<string, string[]>();
  private readonly cache = new Map<string, FuzzyHit[]>();
  /** first letter → [word, consonant skeleton], for abbreviations like "grg" */
  private readonly skeletons = new Map<string, [string, string][]>();

  constructor(vocab: Iterable<string>) {
    this.words = new Set(vocab);
    for (const w of this.words) {
      if (w.startsWith('#') || /^\d/.test(w)) continue;
      const ds = new Set<string>();
      deletes(w, maxEdits(w.length), ds);
      for (const d of ds) push(this.deleteMap, d, w);
      for (let n = 3; n < w.length; n++) push(this.prefixMap, w.slice(0, n), w);
      const list = this.skeletons.get(w[0]!);
      if (list) list.push([w, consonants(w)]); else this.skeletons.set(w[0]!, [[w, consonants(w)]]);
    }
  }

  has(word: string): boolean { return this.words.has(word); }

  /** Word pairs the catalog writes side by side where the first is a number word ("tiga roda", "dua kelinci"). */
  private namePairs = new Set<string>();
  setNumberWordPairs(pairs: Iterable<string>): void { this.namePairs = new Set(pairs); }
  pair(a: string, b: string): boolean { return this.namePairs.has(`${a} ${b}`); }

  /** Whether any product is measured in two dimensions ("keramik 30x30", "triplek 122 x 244"). */
  get twoDimensional(): boolean {
    this.dims ??= [...this.words].some((w) => w.startsWith('#d'));
    return this.dims;
  }
  private dims: boolean | undefined;

  lookup(q: string): FuzzyHit[] {
    const cached = this.cache.get(q);
    if (cached) return cached;
    const hits = this.compute(q);
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(q, hits);
    return hits;
  }

  private compute(q: string): FuzzyHit[] {
    const best = new Map<string, number>();
    const add = (w: string, sim: number): void => { if ((best.get(w) ?? 0) < sim) best.set(w, sim); };
    if (this.words.has(q)) add(q, 1);
    if (q.startsWith('#') || /^\d/.test(q)) return toHits(best);
    const edits = maxEdits(q.length);
    if (edits > 0) {
      const cands = new Set<string>();
      const qd = new Set<string>([q]);
      deletes(q, edits, qd);
      for (const d of qd) {
        if (this.words.has(d)) cands.add(d);
        for (const w of this.deleteMap.get(d) ?? []) cands.add(w);
      }
      for (const w of cands) {
        if (w === q) continue;
        const allowed = Math.min(edits, maxEdits(w.length));
        if (allowed === 0) continue;
        const dist = osaDistance(q, w, allowed);
        // a typo almost never hits the first letter; requiring it keeps "gula"≠"bula"-style false friends out
        // one slip in a long word is surer than one in a short word ("paracetmol" vs "aqwa")
        const len = Math.min(q.length, w.length);
        if (dist <= allowed && (q[0] === w[0] || dist === 1 && q.length >= 6)) add(w, dist === 1 ? (len >= 9 ? 0.93 : len >= 6 ? 0.9 : 0.86) : (len >= 9 ? 0.8 : 0.72));
      }
    }
    // "nsi" (nasi), "pha" (paha): a short word typed with a vowel left out, first and last letters kept
    if (q.length >= 3 && edits === 0) {
      for (const w of this.deleteMap.get(q) ?? []) {
        if (w.length === q.length + 1 && w[0] === q[0] && w[w.length - 1] === q[q.length - 1] && consonants(w) === consonants(q)) add(w, 0.8);
      }
    }
    if (q.length >= 3) {
      for (const w of this.prefixMap.get(q) ?? []) add(w, 0.55 + 0.4 * (q.length / w.length));
    }
    if (q.length >= 3 && q.length <= 4 && !/[aiueo]/.test(q)) {
      for (const [w, skel] of this.skeletons.get(q[0]!) ?? []) {
        if (w.length > q.length + 1 && isSubsequence(q, skel)) add(w, 0.7);
      }
    }
    return toHits(best);
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) { if (!list.includes(value)) list.push(value); } else map.set(key, [value]);
}

function toHits(best: Map<string, number>): FuzzyHit[] {
  return [...best].map(([word, sim]) => ({ word, sim })).sort((a, b) => b.sim - a.sim);
}
