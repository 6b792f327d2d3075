/**
 * The contact-facts projection: one row per contact, derived from its contact events by one SQL statement, so that
 * the live path (a conversation's first reply) and the bulk path (a 10-million-event import) compute the same thing,
 * and `recompute` rebuilds every row from the log after a definition change. Definitions: docs/metrics.md.
 */
import type { Queryable } from '../../platform/db.js';
import { CONTACT_EVENT_TYPES, type ContactEventType } from '../events/index.js';

/** Bumped whenever the SQL below changes what a figure means; stored on every row (docs/metrics.md). */
export const DEFINITION_VERSION = 2;

export const CONTACT_VOCABULARY: readonly ContactEventType[] = CONTACT_EVENT_TYPES;

const LOCK_BUCKETS = 1024;

/** Channels whose journey window is the customer's calendar day; the others (email, web, api) use the thread. */
export const DAY_WINDOW_CHANNELS = ['phone', 'chat'];

/**
 * Rebuilds the facts of the given contacts of one account from their events and marks the touched days (old and new)
 * for the sketch refresh. Safe to call again with the same ids: it recomputes, it never accumulates.
 */
export async function projectContacts(tx: Queryable, accountId: string, contactIds: string[]): Promise<number> {
  if (!contactIds.length) return 0;
  // Writers of the same contact take turns: without this, two transactions adding events to one contact at once
  // (a telephony feed and an import) would each compute the facts from a snapshot without the other's event, and the
  // later upsert would overwrite the earlier with a stale result. The lock is per bucket of contact ids (at most
  // LOCK_BUCKETS per account, taken in order, so writers cannot deadlock); under READ COMMITTED the statement after
  // it sees everything the previous holder committed.
  // The planner's cost estimate of this statement grows with the account's history; past jit_optimize_above_cost
  // PostgreSQL spends over a second compiling it with LLVM for a run of a few milliseconds (seen at 5 M events).
  await tx.query('SET LOCAL jit = off');
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtext($1::text), b)
       FROM (SELECT DISTINCT abs(hashtext(id) % $3) AS b FROM unnest($2::text[]) id ORDER BY 1) x`,
    [accountId, contactIds, LOCK_BUCKETS],
  );
  const r = await tx.query<{ n: number }>(
    // The lookups are one index probe per id (LATERAL … OFFSET 0 keeps the planner from turning them into a hash join
    // over the account's whole history, which it does where it has no statistics: PGlite, or a server without
    // autovacuum), so the cost of a batch stays independent of the history.
    `WITH ids AS (SELECT DISTINCT unnest($2::text[]) AS contact_id), ev AS (
       SELECT e.* FROM ids, LATERAL (
         SELECT * FROM contact_events e WHERE e.account_id = $1 AND e.contact_id = ids.contact_id AND e.type = ANY($3::text[])
         OFFSET 0) e
     ), agg AS (
       SELECT contact_id,
              (array_agg(channel ORDER BY occurred_at, id))[1] AS channel,
              coalesce((array_agg(queue_id ORDER BY occurred_at, id) FILTER (WHERE type = 'queue.entered' AND queue_id IS NOT NULL))[1],
                       (array_agg(queue_id ORDER BY occurred_at, id) FILTER (WHERE queue_id IS NOT NULL))[1]) AS queue_id,
              (array_agg(conversation_id ORDER BY occurred_at, id) FILTER (WHERE conversation_id IS NOT NULL))[1] AS conversation_id,
              (array_agg(customer_id ORDER BY occurred_at, id) FILTER (WHERE customer_id IS NOT NULL))[1] AS customer_id,
              (array_agg(identity ORDER BY occurred_at, id) FILTER (WHERE identity IS NOT NULL AND identity <> ''))[1] AS identity,
              (array_agg(data->>'tz' ORDER BY occurred_at, id) FILTER (WHERE data ? 'tz'))[1] AS tz,
              min(occurred_at) AS first_at,
              min(occurred_at) FILTER (WHERE type = 'queue.entered') AS queue_at,
              min(occurred_at) FILTER (WHERE type = 'contact.answered') AS answered_at,
              min(occurred_at) FILTER (WHERE type = 'contact.abandoned') AS abandoned_at,
              min(occurred_at) FILTER (WHERE type = 'contact.resolved') AS resolved_at,
              max(occurred_at) AS last_at,
              count(*)::int AS n
         FROM ev GROUP BY contact_id
     ), f AS (
       SELECT a.*, coalesce(a.tz, acc.timezone) AS zone,
              CASE WHEN a.answered_at IS NOT NULL AND (a.abandoned_at IS NULL OR a.answered_at <= a.abandoned_at) THEN 'answered'
                   WHEN a.abandoned_at IS NOT NULL THEN 'abandoned'
                   WHEN a.resolved_at IS NOT NULL THEN 'closed' ELSE 'waiting' END AS outcome
         FROM agg a JOIN accounts acc ON acc.id = $1
     ), g AS (
       SELECT f.*, (f.first_at AT TIME ZONE f.zone)::date AS day,
              f.queue_at IS NOT NULL AND f.queue_at <= coalesce(
                CASE f.outcome WHEN 'answered' THEN f.answered_at WHEN 'abandoned' THEN f.abandoned_at END, f.queue_at) AS queued
         FROM f
     ), old AS (
       SELECT f.local_day FROM ids, LATERAL (
         SELECT local_day FROM contact_facts f WHERE f.account_id = $1 AND f.contact_id = ids.contact_id OFFSET 0) f
     ), up AS (
       INSERT INTO contact_facts AS cf (account_id, contact_id, channel, queue_id, conversation_id, who, window_key, local_day, tz,
                                  first_touch_at, queue_entered_at, answered_at, abandoned_at, resolved_at, last_event_at,
                                  outcome, queued, queue_wait_s, lived_wait_s, events, definition, probe)
       SELECT $1, contact_id, channel, queue_id, conversation_id,
              CASE WHEN customer_id IS NOT NULL THEN 'c:' || customer_id WHEN identity IS NOT NULL THEN 'i:' || identity END,
              CASE WHEN channel = ANY($4::text[]) THEN 'day:' || to_char(day, 'YYYY-MM-DD') ELSE 'thread:' || coalesce(conversation_id::text, contact_id) END,
              day, zone, first_at, queue_at, answered_at, abandoned_at, resolved_at, last_at, outcome, queued,
              CASE WHEN outcome = 'answered' THEN extract(epoch FROM answered_at - CASE WHEN queued THEN queue_at ELSE answered_at END)
                   WHEN outcome = 'abandoned' AND queued THEN extract(epoch FROM abandoned_at - queue_at) END,
              CASE WHEN outcome = 'answered' THEN extract(epoch FROM answered_at - first_at)
                   WHEN outcome = 'abandoned' THEN extract(epoch FROM abandoned_at - first_at) END,
              n, $5,
              -- A probe customer's contact (modules/probes): kept out of the customer figures.
              customer_id IS NOT NULL AND EXISTS (SELECT 1 FROM probes pr WHERE pr.account_id = $1 AND pr.customer_id = g.customer_id)
         FROM g
       ON CONFLICT (account_id, contact_id) DO UPDATE SET
         channel = excluded.channel, queue_id = excluded.queue_id, conversation_id = excluded.conversation_id,
         who = excluded.who, window_key = excluded.window_key, local_day = excluded.local_day, tz = excluded.tz,
         first_touch_at = excluded.first_touch_at, queue_entered_at = excluded.queue_entered_at,
         answered_at = excluded.answered_at, abandoned_at = excluded.abandoned_at, resolved_at = excluded.resolved_at,
         last_event_at = excluded.last_event_at, outcome = excluded.outcome, queued = excluded.queued,
         queue_wait_s = excluded.queue_wait_s, lived_wait_s = excluded.lived_wait_s, events = excluded.events,
         definition = excluded.definition, probe = excluded.probe
       RETURNING cf.local_day
     ), dirty AS (
       INSERT INTO wait_sketch_dirty (account_id, local_day)
       SELECT DISTINCT $1::uuid, d FROM (SELECT local_day AS d FROM old UNION SELECT local_day FROM up) x
     )
     SELECT count(*)::int AS n FROM up`,
    [accountId, contactIds, CONTACT_VOCABULARY, DAY_WINDOW_CHANNELS, DEFINITION_VERSION],
  );
  return r.rows[0]?.n ?? 0;
}

/**
 * Rebuilds every contact of an account from the log (after a definition change), in chunks so memory stays flat.
 * Returns the number of contacts projected.
 */
export async function recomputeAccount(db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> } & Queryable, accountId: string, chunk = 5000) {
  await db.query('DELETE FROM contact_facts WHERE account_id = $1', [accountId]);
  await db.query('DELETE FROM wait_sketches WHERE account_id = $1', [accountId]);
  let after = '';
  let total = 0;
  for (;;) {
    const ids = await db.query<{ contact_id: string }>(
      `SELECT DISTINCT contact_id FROM contact_events WHERE account_id = $1 AND contact_id > $2 AND type = ANY($3::text[])
        ORDER BY contact_id LIMIT $4`,
      [accountId, after, CONTACT_VOCABULARY, chunk],
    );
    if (!ids.rows.length) break;
    const list = ids.rows.map((r) => r.contact_id);
    total += await db.transaction((tx) => projectContacts(tx, accountId, list));
    after = list[list.length - 1];
  }
  return total;
}
