// A person takes over: the bot steps back, staff are alerted, and the customer's question stays
// on the conversation (inbox `pending_question`) until staff answer it.
import { enqueue } from '../../jobs/queue.js';
import { T } from '../texts.js';
import type { Turn } from '../turn.js';

export async function handover(turn: Turn, question?: string): Promise<void> {
  await turn.tx.query('UPDATE conversations SET human_handover = true WHERE id = $1', [turn.conv.id]);
  turn.conv.human_handover = true;
  // The question the bot could not answer matters more to staff than "admin please".
  const pending = turn.conv.state.pendingQuestion ?? (question ? { text: question.slice(0, 1000), at: new Date().toISOString() } : undefined);
  if (pending) turn.conv.state.pendingQuestion = { ...pending, handover: true };
  turn.out.push({ type: 'text', text: T.handover(turn.lang) });
  await enqueue(turn.tx, 'merchant.alert', { merchantId: turn.merchant.id, kind: 'handover', waId: turn.customer.wa_id });
}

export function keepUnanswered(turn: Turn, text: string): void {
  turn.conv.state.pendingQuestion = { text: text.slice(0, 1000), at: new Date().toISOString() };
}
