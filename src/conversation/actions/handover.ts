// A person takes over: the bot steps back, staff are alerted, and the customer's question stays
// on the conversation (inbox `pending_question`) until staff answer it.
import { enqueue } from '../../jobs/queue.js';
import { T } from '../texts.js';
import type { Turn } from '../turn.js';

export async function handover(turn: Turn, question?: string): Promise<void> {
  const alerted = turn.conv.human_handover;
  await turn.tx.query('UPDATE conversations SET human_handover = true WHERE id = $1', [turn.conv.id]);
  turn.conv.human_handover = true;
  // Asked for a person (again): the bot steps back until the customer orders by themselves.
  turn.conv.state.servingWhileWaiting = undefined;
  if (!alerted || !turn.conv.state.personAskedAt) turn.conv.state.personAskedAt = new Date().toISOString();
  // The question the bot could not answer matters more to staff than "admin please".
  const pending = turn.conv.state.pendingQuestion ?? (question ? { text: question.slice(0, 1000), at: new Date().toISOString() } : undefined);
  if (pending) turn.conv.state.pendingQuestion = { ...pending, handover: true };
  turn.out.push({ type: 'text', text: T.handover(turn.lang) });
  // Staff were alerted when the customer first asked; the conversation is still waiting in the inbox.
  if (!alerted) await enqueue(turn.tx, 'merchant.alert', { merchantId: turn.merchant.id, kind: 'handover', waId: turn.customer.wa_id });
}

export function keepUnanswered(turn: Turn, text: string): void {
  turn.conv.state.pendingQuestion = { text: text.slice(0, 1000), at: new Date().toISOString() };
}
