/**
 * What other modules learn from conversations without conversations importing them: a module registers a handler
 * when it is loaded (e.g. csat's index.ts schedules its survey), and the handler runs inside the transaction that made
 * the change, so whatever it writes commits with the change or not at all.
 */
import type { Principal, Tx } from '../../platform/context.js';

export interface SolvedConversation {
  accountId: string;
  conversationId: string;
  /** The status it was solved into ('solved', or 'closed' straight from an open status). */
  status: 'solved' | 'closed';
  solvedAt: Date;
}
export type SolvedHandler = (tx: Tx, p: Principal, c: SolvedConversation) => Promise<void>;

const solvedHandlers = new Set<SolvedHandler>();

/** Runs `handler` whenever a conversation becomes solved (not when a solved one is closed). Registering twice is one. */
export function onConversationSolved(handler: SolvedHandler): void {
  solvedHandlers.add(handler);
}

export async function conversationSolved(tx: Tx, p: Principal, c: SolvedConversation): Promise<void> {
  for (const h of solvedHandlers) await h(tx, p, c);
}
