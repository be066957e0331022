// Where the customer is in the flow, derived from the order rather than stored twice.
import type { OrderRow } from '../orders/repo.js';

export type Stage = 'none' | 'cart' | 'prescription' | 'location' | 'quoting' | 'method' | 'paying' | 'fulfilment';

export function stageOf(o: OrderRow | undefined): Stage {
  if (!o) return 'none';
  switch (o.status) {
    case 'cart':
    case 'awaiting_confirmation':
      return 'cart';
    case 'awaiting_prescription':
      return 'prescription';
    case 'awaiting_payment':
      // A typed address is enough to deliver to (by the shop's courier); a pin lets the couriers quote.
      if (o.delivery_lat === null && !o.delivery_address) return 'location';
      if (!o.quote) return 'quoting';
      if (!o.payment_method || (o.payment_method === 'va' && !o.bank)) return 'method';
      return 'paying';
    default:
      return 'fulfilment';
  }
}

/** The cart can still be edited. */
export const editable = (s: Stage) => s === 'none' || s === 'cart';
