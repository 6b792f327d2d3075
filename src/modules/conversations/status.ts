/** Internal: the status change every path shares (update, reply, a customer's message, a channel's reopen). */
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { conflict } from '../../platform/errors.js';
import type { NewEvent } from '../events/index.js';
import { conversationSolved } from './hooks.js';
import { ev, type ConvRow, type Status } from './shared.js';

/** Status change with its events: solved → contact.resolved; back from solved → contact.reopened. */
export async function applyStatus(ctx: Ctx, tx: Tx, p: Principal, c: ConvRow, to: Status): Promise<NewEvent[]> {
  if (to === c.status) return [];
  if (c.status === 'closed') throw conflict('conversation_closed', 'A closed conversation cannot change status; open a follow-up');
  const now = ctx.now();
  const events = [ev(ctx, p, c, 'conversation.status_changed', { from: c.status, to })];
  if (to === 'solved' || to === 'closed') {
    if (c.status !== 'solved') events.push(ev(ctx, p, c, 'contact.resolved', {}));
    await tx.query('UPDATE conversations SET status = $2, solved_at = coalesce(solved_at, $3) WHERE id = $1', [c.id, to, now]);
    // Whoever waits for "solved" (csat's survey) hears it in this transaction.
    if (c.status !== 'solved') await conversationSolved(tx, p, { accountId: c.account_id, conversationId: c.id, status: to, solvedAt: now });
  } else {
    if (c.status === 'solved') events.push(ev(ctx, p, c, 'contact.reopened', {}));
    await tx.query('UPDATE conversations SET status = $2, solved_at = NULL WHERE id = $1', [c.id, to]);
  }
  c.status = to;
  return events;
}

