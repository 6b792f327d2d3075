/**
 * Writes phone events (AMI, live queue_log, CTI webhook) into an account, inside the caller's transaction: queue names
 * become the account's queues (created when missing, like the importers do), caller numbers that are a customer's phone
 * identity set the customer (so calls appear in the customer's timeline and journeys), agent names that are a user's
 * name or email set the agent, and every abandoned call with a caller number opens a callback task in the same
 * transaction as its abandon event (see callbacks.ts).
 */
import type { Tx } from '../../../platform/context.js';
import { appendEvents, type NewEvent } from '../../events/index.js';
import { ensureQueuesByName } from '../../queues/index.js';
import { closeCallbacksAnswered, openCallbacksFor } from './callbacks.js';
import { isPhone, type VoiceEvent } from './mapping.js';

export interface WriteResult {
  received: number;
  added: number;
  callbacksOpened: string[];
  /** Open callbacks closed because the caller got through on this call. */
  callbacksClosed: string[];
}

export interface WriteOptions {
  /** Stored as the event source: 'ami', 'queue-log', 'cti'. */
  source: string;
  /** Open callback tasks for abandoned calls (true for every live source). */
  callbacks: boolean;
}

export async function writeVoiceEvents(tx: Tx, accountId: string, events: VoiceEvent[], o: WriteOptions): Promise<WriteResult> {
  if (!events.length) return { received: 0, added: 0, callbacksOpened: [], callbacksClosed: [] };
  const queues = (await ensureQueuesByName(tx, accountId, events.map((e) => e.queue))).ids;
  const phones = [...new Set(events.map((e) => e.identity).filter(isPhone))];
  const customers = new Map<string, string>();
  if (phones.length) {
    const r = await tx.query<{ value: string; customer_id: string }>(
      `SELECT i.value, coalesce(c.merged_into, c.id) AS customer_id
         FROM customer_identities i JOIN customers c ON c.id = i.customer_id
        WHERE i.account_id = $1 AND i.kind = 'phone' AND i.value = ANY($2::text[])`,
      [accountId, phones],
    );
    for (const row of r.rows) customers.set(row.value, row.customer_id);
  }
  const agentNames = [...new Set(events.map((e) => e.agent?.toLowerCase()).filter((a): a is string => !!a))];
  const agents = new Map<string, string>();
  if (agentNames.length) {
    const r = await tx.query<{ id: string; name: string; email: string }>(
      `SELECT id, lower(name) AS name, lower(email) AS email FROM users
        WHERE account_id = $1 AND disabled_at IS NULL AND (lower(name) = ANY($2::text[]) OR lower(email) = ANY($2::text[]))`,
      [accountId, agentNames],
    );
    for (const u of r.rows) {
      agents.set(u.name, u.id);
      agents.set(u.email, u.id);
    }
  }
  // Abandons that are new (not a replay): only those open a callback, so a replayed call never opens a second one.
  const abandonKeys = events.filter((e) => e.type === 'contact.abandoned' || e.type === 'callback.requested' || e.type === 'contact.answered').map((e) => e.key);
  const known = new Set<string>();
  if (abandonKeys.length) {
    const r = await tx.query<{ dedupe_key: string }>(
      'SELECT dedupe_key FROM contact_events WHERE account_id = $1 AND dedupe_key = ANY($2::text[])',
      [accountId, abandonKeys],
    );
    for (const row of r.rows) known.add(row.dedupe_key);
  }
  const rows: NewEvent[] = events.map((e) => {
    const data: Record<string, unknown> = { ...(e.data ?? {}) };
    if (e.agent) data.agent = e.agent;
    if (e.queue) data.queue = e.queue;
    return {
      accountId,
      contactId: e.contactId,
      type: e.type,
      channel: 'phone',
      occurredAt: e.at,
      identity: e.identity,
      customerId: (e.identity && customers.get(e.identity)) || null,
      queueId: e.queue ? queues.get(e.queue) ?? null : null,
      agentId: (e.agent && agents.get(e.agent.toLowerCase())) || null,
      source: o.source,
      dedupeKey: e.key,
      data,
    };
  });
  const added = await appendEvents(tx, rows);
  let callbacksOpened: string[] = [];
  let callbacksClosed: string[] = [];
  if (o.callbacks) {
    const fresh = rows.filter((r) => !known.has(r.dedupeKey!) && isPhone(r.identity));
    // Open first, then close: a batch holding an abandon and the caller's later answered call ends with nothing owed.
    const owed = fresh.filter((r) => r.type === 'contact.abandoned' || r.type === 'callback.requested');
    if (owed.length) callbacksOpened = await openCallbacksFor(tx, accountId, owed);
    const answered = fresh.filter((r) => r.type === 'contact.answered');
    if (answered.length)
      callbacksClosed = await closeCallbacksAnswered(tx, accountId, answered.map((r) => ({ phone: r.identity!, at: r.occurredAt, contactId: r.contactId })));
  }
  return { received: events.length, added, callbacksOpened, callbacksClosed };
}

/** Queue names → ids of the account, creating missing queues in the account's time zone. */
