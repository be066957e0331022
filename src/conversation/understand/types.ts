// What the understanding stage hands the dialogue policy: the message read against the catalog
// that serves it, with the parser's confidence and the dialogue act (src/nlu/acts.ts).
import type { NluResult } from '../../nlu/index.js';
import type { DialogueAct } from '../../nlu/acts.js';
import type { Bank } from '../../payments/port.js';

/** "ganti X jadi Y" resolved against the catalog: candidate skus for X, and Y when it names a product. */
export interface ReplaceReading {
  from: string[];
  fromMention: string;
  to?: { sku: string; quantity: number; explicit: boolean; score: number };
  toAmbiguous?: string[];
  /** "ganti jadi Y": the line added last is the one replaced. */
  last?: boolean;
  /** "ganti X jadi 3": only the quantity changes. */
  quantity?: number;
}

export type ButtonAction =
  | { kind: 'menu'; page: number }
  | { kind: 'category'; index: number; page: number }
  | { kind: 'add'; sku: string }
  | { kind: 'set'; sku: string; quantity: number }
  | { kind: 'out_of_stock'; sku: string }
  | { kind: 'confirm' }
  | { kind: 'cancel' }
  | { kind: 'pay'; method: 'qris' | 'va'; bank: Bank | null }
  | { kind: 'human' }
  | { kind: 'proposal'; accept: boolean };

export type Interpretation =
  | {
      kind: 'text';
      text: string;
      nlu: NluResult;
      act: DialogueAct | null;
      replace?: ReplaceReading;
      /** Plain product search when the parser recognised nothing (best first). */
      search: { sku: string; score: number }[];
      /** What the message names when the parser matched no product (acts.ts unmatchedMention). */
      unmatched?: string;
      /** The serving catalog has no products at all. */
      catalogEmpty: boolean;
    }
  | { kind: 'button'; action: ButtonAction }
  | { kind: 'location'; lat: number; lng: number; address?: string }
  | { kind: 'image'; mediaId: string; mimeType: string }
  | { kind: 'catalog_order'; lines: { sku: string; quantity: number }[] }
  | { kind: 'unsupported' };
