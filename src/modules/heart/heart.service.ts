/** Service with heart (issue 7): exceptions, goodwill budgets, moments and kudos. */
import type { Ctx, Principal } from '../../platform/context.js';

export interface MomentSummary {
  id: string;
  title: string;
  story: string;
  conversationId: string | null;
  agentName: string | null;
  kudos: number;
  consent: boolean;
  createdAt: string;
}

/**
 * Moments shared in the team feed since a time, newest first (the leaders' morning digest shows them).
 * Contract for other modules: keep this signature.
 */
export async function listMoments(_ctx: Ctx, _p: Principal, _q: { since?: Date; limit?: number }): Promise<MomentSummary[]> {
  throw new Error('listMoments: not built yet (issue 7, heart module)');
}
