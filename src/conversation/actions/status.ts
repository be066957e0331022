// "Where is my order?" in any phrasing: the order's real state, its driver and tracking link.
import { CANCELLABLE } from '../../orders/state-machine.js';
import type { OrderRow } from '../../orders/repo.js';
import { cancelOrder } from '../order-actions.js';
import { D } from '../render/say.js';
import { T } from '../texts.js';
import type { Turn } from '../turn.js';

const DRIVER_STATUSES = ['driver_assigned', 'picked_up', 'delivered', 'completed'];

export async function orderStatus(turn: Turn): Promise<void> {
  const o = turn.order ?? (await lastOrder(turn));
  if (!o) {
    turn.out.push({ type: 'text', text: T.noOrder(turn.lang) });
    return;
  }
  const d = await turn.tx.one<{ courier: string; provider: string | null; driver_name: string | null; driver_phone: string | null; vehicle_plate: string | null; tracking_url: string | null }>(
    'SELECT courier, provider, driver_name, driver_phone, vehicle_plate, tracking_url FROM deliveries WHERE order_id = $1 ORDER BY id DESC LIMIT 1',
    [o.id],
  );
  const lines = [T.orderStatus(turn.lang, o.id, o.status, o.total)];
  if (d?.driver_name) lines.push(D.statusDriver(turn.lang, { courier: courierName(d.provider ?? d.courier), name: d.driver_name, phone: d.driver_phone, plate: d.vehicle_plate }));
  else if (o.status === 'dispatching') lines.push(D.statusNoDriverYet(turn.lang));
  if (d?.tracking_url && (DRIVER_STATUSES.includes(o.status) || o.status === 'dispatching')) lines.push(D.statusTrack(turn.lang, d.tracking_url));
  turn.out.push({ type: 'text', text: lines.join('\n') });
}

const courierName = (c: string) => ({ gosend: 'GoSend', grab: 'GrabExpress', manual: 'Kurir toko', indrive: 'inDrive', maxim: 'Maxim', other: 'Kurir' } as Record<string, string>)[c] ?? c;

async function lastOrder(turn: Turn): Promise<OrderRow | undefined> {
  return turn.tx.one<OrderRow>('SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 1', [turn.customer.id]);
}

export async function cancelByCustomer(turn: Turn): Promise<void> {
  const o = turn.order;
  if (!o) {
    turn.out.push({ type: 'text', text: T.nothingToCancel(turn.lang) });
    return;
  }
  if (!CANCELLABLE.includes(o.status)) {
    turn.out.push({ type: 'text', text: T.cannotCancel(turn.lang) });
    return;
  }
  await cancelOrder(turn.ctx, turn.tx, o, 'customer', undefined, { notify: true });
  turn.order = undefined;
  turn.conv.active_order_id = null;
}
