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
 */
export async function satisfactionFor(_tx: Tx, _accountId: string, _conversationIds: string[]): Promise<Map<string, Satisfaction>> {
  throw new Error('satisfactionFor: not built yet (issue 7, csat module)');
}
