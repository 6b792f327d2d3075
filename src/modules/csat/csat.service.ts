/** Customer satisfaction (issue 7): one-question surveys after solved, joined to journeys. */
import type { Tx } from '../../platform/context.js';

export interface Satisfaction {
  score: number; // 1..5
  comment: string | null;
  at: string; // ISO time of the answer
}

/**
 * The latest satisfaction answer per conversation (for the leaders' follow-through and other reports).
 * Contract for other modules: keep this signature.
 * One store for every answer: `conversation_ratings` (portal rating, survey page, chat widget prompt).
 */
export async function satisfactionFor(tx: Tx, accountId: string, conversationIds: string[]): Promise<Map<string, Satisfaction>> {
  const out = new Map<string, Satisfaction>();
  if (!conversationIds.length) return out;
  const { rows } = await tx.query<{ conversation_id: string; score: number; comment: string | null; updated_at: Date | string }>(
    `SELECT conversation_id, score, comment, updated_at FROM conversation_ratings
      WHERE account_id = $1 AND conversation_id = ANY($2::uuid[])`,
    [accountId, conversationIds],
  );
  for (const r of rows) out.set(r.conversation_id, { score: r.score, comment: r.comment, at: new Date(r.updated_at).toISOString() });
  return out;
}
