/** Scheduling the survey when a conversation is solved (registered as conversations' solved hook by index.ts). */
import type { Tx } from '../../platform/context.js';
import { enqueue } from '../../platform/jobs.js';

/**
 * Called inside the transaction that solves a conversation: enqueues the `csat.survey` job after the configured delay
 * (default 10 minutes; none for a chat whose visitor is connected). The job re-reads the conversation, so a reopen (or
 * a later solve) before it runs cancels it.
 */
export async function scheduleSurvey(tx: Tx, accountId: string, conversationId: string, solvedAt: Date): Promise<void> {
  const s = await tx.query<{ enabled: boolean; delay_minutes: number }>('SELECT enabled, delay_minutes FROM csat_settings WHERE account_id = $1', [accountId]);
  if (s.rows[0] && !s.rows[0].enabled) return;
  const done = await tx.query('SELECT 1 FROM csat_surveys WHERE conversation_id = $1', [conversationId]);
  if (done.rows.length) return;
  // A chat whose visitor is connected right now is asked at once, in the widget they are looking at (issue 13); the
  // delay (default 10 minutes, a chance to reopen) is for everyone else, who is asked by email.
  const live = await tx.query(
    `SELECT 1 FROM chat_conversations WHERE conversation_id = $1 AND mode = 'chat' AND ended_at IS NULL AND disconnected_at IS NULL`,
    [conversationId],
  );
  const delayMs = live.rows.length ? 0 : (s.rows[0]?.delay_minutes ?? 10) * 60_000;
  await enqueue(tx, 'csat.survey', { conversationId, solvedAt: solvedAt.toISOString() }, { runAt: new Date(solvedAt.getTime() + delayMs), maxAttempts: 8 });
}
