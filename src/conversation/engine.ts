// The dialogue: one customer message in, state changes and replies out, all inside the caller's
// transaction. A message flows one way (DESIGN.md section 7):
//   understand (understand/)  → the message read over the merchant's catalogs, with confidence
//   decide     (policy/)      → a pure policy over the conversation's state and that reading
//   act        (actions/)     → orders, stock and jobs in this transaction
//   render     (render/, texts.ts) → replies in the customer's language
// Provider calls (gateways, couriers) never run here: they are queued as jobs, so a slow provider
// never holds a conversation or a database transaction.
import type { IncomingContent } from '../channel/whatsapp/outgoing.js';
import { detectLanguage } from '../nlu/index.js';
import { getItems, getOrder } from '../orders/repo.js';
import { OPEN_STATUSES } from '../orders/state-machine.js';
import { act } from './actions/act.js';
import { keepUnanswered } from './actions/handover.js';
import { decide } from './policy/decide.js';
import type { DialogueView } from './policy/types.js';
import { stageOf } from './stage.js';
import { paymentOptionsOf, storeFactsOf } from './store-facts.js';
import type { Turn } from './turn.js';
import { understand } from './understand/understand.js';

export type { ConversationRow, ConversationState, CustomerRow, Turn } from './turn.js';

export async function handleIncoming(turn: Turn, content: IncomingContent): Promise<void> {
  const { conv } = turn;
  if (conv.active_order_id) {
    const order = await getOrder(turn.tx, conv.active_order_id, true);
    if (order && OPEN_STATUSES.includes(order.status)) turn.order = order;
  }
  if (content.type === 'text') updateLanguage(turn, content.text);

  // A person is asked for or answering: the bot stays quiet, unless the customer asks for it back or
  // starts ordering by themselves before a person has answered (then it serves them until one does).
  let quiet: { out: number; state: string } | undefined;
  if (conv.human_handover) {
    if (content.type === 'text' && /^\s*(bot|menu)\s*$/i.test(content.text)) {
      await turn.tx.query('UPDATE conversations SET human_handover = false WHERE id = $1', [conv.id]);
      conv.human_handover = false;
      // Back with the bot: the menu shows what it can do.
      content = { type: 'text', text: 'menu' };
    } else {
      const asked = conv.state.personAskedAt;
      // Staff took the conversation over (they wrote, or switched the bot off themselves): quiet.
      if (!asked || (await personAnsweredSince(turn, asked))) return;
      if (!conv.state.servingWhileWaiting) quiet = { out: turn.out.length, state: JSON.stringify(conv.state) };
    }
  }
  if (!conv.human_handover) conv.state.personAskedAt = conv.state.servingWhileWaiting = undefined;
  // A place shared while shopping belongs to the order that has since taken it.
  if (turn.order && turn.order.delivery_lat !== null) conv.state.place = undefined;

  const reading = await understand(turn, content);
  const view = reading && (await viewOf(turn));
  const decision = reading && view && decide(view, reading);
  if (quiet) {
    // Only an order lets the bot in while the customer waits for a person; anything else is for staff.
    if (!decision || !decision.steps.some((st) => st.do === 'cart.set' || st.do === 'cart.choose' || st.do === 'cart.propose')) {
      turn.out.length = quiet.out;
      conv.state = JSON.parse(quiet.state) as typeof conv.state;
      return;
    }
    conv.state.servingWhileWaiting = new Date().toISOString();
  }
  if (!reading || !view || !decision) return;

  // A new message or tap supersedes the question the bot asked last; steps that ask again set it anew.
  if (reading.kind === 'text' || reading.kind === 'button') conv.state.pending = undefined;
  conv.state.misreads = decision.misread ? view.misreads + 1 : undefined;
  if (decision.unanswered) keepUnanswered(turn, decision.unanswered);
  else if (!decision.misread && !conv.state.pendingQuestion?.handover && !decision.steps.some((s) => s.do === 'handover' || s.do === 'help.offer')) {
    // Understood now, and no person was asked for: the earlier question needs no staff.
    conv.state.pendingQuestion = undefined;
  }

  for (const step of decision.steps) await act(turn, step);
}

/** Whether staff have written to the customer since the customer asked for a person. */
async function personAnsweredSince(turn: Turn, since: string): Promise<boolean> {
  const row = await turn.tx.one(`SELECT 1 FROM outbound_messages WHERE conversation_id = $1 AND payload->>'by' = 'staff' AND created_at >= $2::timestamptz LIMIT 1`, [turn.conv.id, since]);
  return !!row;
}

async function viewOf(turn: Turn): Promise<DialogueView> {
  const stage = stageOf(turn.order);
  const cart = stage === 'cart' && turn.order ? await getItems(turn.tx, turn.order.id) : [];
  const s = turn.conv.state;
  return {
    stage,
    hasOrder: !!turn.order,
    cart: cart.map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity, line_total: i.line_total })),
    pending: s.pending,
    misreads: s.misreads ?? 0,
    place: s.place,
    facts: storeFactsOf(turn.merchant),
    payments: paymentOptionsOf(turn.ctx, turn.merchant),
  };
}

function updateLanguage(turn: Turn, text: string): void {
  // Switch language only on messages with enough words to tell; "ok" says nothing.
  if ((text.match(/[a-z]{2,}/gi) ?? []).length < 2) return;
  const lang = detectLanguage(text);
  if (lang !== turn.lang) {
    turn.lang = lang;
    turn.customer.language = lang;
  }
}
