// The order state machine as one table (DESIGN.md section 3). Every status change goes through
// `assertTransition`, and every change is written to the order timeline by the repository.

export const ORDER_STATUSES = [
  'cart',
  'awaiting_confirmation',
  'awaiting_prescription',
  'awaiting_payment',
  'paid',
  'dispatching',
  'driver_assigned',
  'picked_up',
  'delivered',
  'completed',
  'cancelled',
  'expired',
  'delivery_failed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  cart: ['awaiting_confirmation', 'cancelled'],
  awaiting_confirmation: ['awaiting_prescription', 'awaiting_payment', 'cart', 'cancelled'],
  awaiting_prescription: ['awaiting_payment', 'cancelled'],
  awaiting_payment: ['paid', 'cancelled', 'expired'],
  paid: ['dispatching', 'cancelled'],
  dispatching: ['driver_assigned', 'delivery_failed', 'cancelled'],
  driver_assigned: ['picked_up', 'dispatching', 'delivery_failed', 'cancelled'],
  picked_up: ['delivered', 'delivery_failed'],
  delivered: ['completed'],
  completed: [],
  cancelled: [],
  expired: [],
  delivery_failed: ['dispatching'],
};

/** Orders that are over for the customer (delivery_failed waits on the merchant, not on them). */
export const FINISHED_STATUSES: readonly OrderStatus[] = ['completed', 'cancelled', 'expired', 'delivery_failed'];

/** Statuses in which the customer still has an order "in progress". */
export const OPEN_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter((s) => !FINISHED_STATUSES.includes(s));

/** Before pickup the customer or merchant may cancel; after it the goods are on the road. */
export const CANCELLABLE: readonly OrderStatus[] = ['cart', 'awaiting_confirmation', 'awaiting_prescription', 'awaiting_payment', 'paid', 'dispatching', 'driver_assigned'];

export class TransitionError extends Error {
  constructor(readonly from: OrderStatus, readonly to: OrderStatus) {
    super(`order cannot go from ${from} to ${to}`);
  }
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new TransitionError(from, to);
}
