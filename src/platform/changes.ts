/**
 * Change notifications for realtime clients, sent with pg_notify inside the transaction that made the change: they
 * reach every server process on the database at commit, and never for a change that was rolled back.
 * Payloads carry ids only (NOTIFY payloads are limited to 8000 bytes); clients refetch what they show.
 */
import type { Tx } from './context.js';

export const CHANGES_CHANNEL = 'earshot_changes';

export interface Change {
  accountId: string;
  type: 'conversation.created' | 'conversation.updated' | 'message.created' | 'viewers.changed' | 'customer.updated' | 'chat.typing' | 'anecdotes.alert'
    | 'feature.changed' | 'threat.flagged';
  conversationId?: string;
  messageId?: string;
  customerId?: string;
  /** chat.typing: who is typing, and whether they started or stopped. */
  from?: 'agent' | 'visitor';
  on?: boolean;
  /** feature.changed: which people workflow changed (leaders, heart, respect, community, kb); its screens refetch. */
  feature?: string;
}

export async function publishChange(tx: Tx, change: Change) {
  await tx.query(`SELECT pg_notify($1, $2)`, [CHANGES_CHANNEL, JSON.stringify(change)]);
}
