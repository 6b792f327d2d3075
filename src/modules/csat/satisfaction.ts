/** The satisfaction of conversations, read from the one answer store (conversation_ratings) for other views. */
import type { Tx } from '../../platform/context.js';
import { isUuid } from '../../platform/errors.js';

export interface Satisfaction {
  score: number; // 1..5
  comment: string | null;
  at: string; // ISO time of the answer
}

/**
 * The latest satisfaction answer per conversation (for the leaders' follow-through and other reports).
 * Contract for other modules: keep this signature.
 */
export async function satisfactionFor(tx: Tx, accountId: string, conversationIds: string[]): Promise<Map<string, Satisfaction>> {
  const out = new Map<string, Satisfaction>();
  const ids = conversationIds.filter(isUuid);
  if (!ids.length) return out;
  const { rows } = await tx.query<{ conversation_id: string; score: number; comment: string | null; updated_at: Date | string }>(
    `SELECT conversation_id, score, comment, updated_at FROM conversation_ratings
      WHERE account_id = $1 AND conversation_id = ANY($2::uuid[])`,
    [accountId, ids],
  );
  for (const r of rows) out.set(r.conversation_id, { score: r.score, comment: r.comment, at: new Date(r.updated_at).toISOString() });
  return out;
}
