/**
 * The live queue wall and the distribution of lived waits: what the dashboards draw that the waits report does not
 * give (docs/metrics.md for the definitions of the waits themselves).
 */
import type { Queryable } from '../../platform/db.js';
import { named } from '../../platform/sql.js';
import { journeysCte } from './metrics.js';

/** Bucket lower bounds (seconds) of the wait distribution; the last bucket is open-ended. */
export const DISTRIBUTION_EDGES = [0, 10, 20, 30, 45, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 14400, 28800, 86400];

export interface Histogram {
  /** counts[i] = waits w with edges[i] ≤ w < edges[i + 1] (the last: w ≥ edges[last]). */
  counts: number[];
  total: number;
}

export interface WaitsDistribution {
  edges: number[];
  /** Lived wait of each contact with an outcome (answered or abandoned). */
  contactWaits: Histogram;
  /** Wait of each served journey (first touch of its first contact until the answer). */
  journeyWaits: Histogram;
  /** The served journeys of more than one contact. */
  multiAttemptJourneyWaits: Histogram;
  /** The usual figure, to draw on the plot: mean queue wait of answered contacts. */
  reported: { asaSeconds: number | null };
  period: { from: string | null; to: string | null };
}

export interface DistributionQuery {
  from?: Date;
  to?: Date;
  queueId?: string;
  channel?: string;
  windowGapSeconds?: number;
}

function histogram(rows: { b: number; n: number }[]): Histogram {
  const counts = DISTRIBUTION_EDGES.map(() => 0);
  let total = 0;
  for (const r of rows) {
    // width_bucket: 1 … edges.length for values ≥ edges[0]; 0 would be below the first edge (waits are never negative).
    const i = Math.min(Math.max(r.b, 1), DISTRIBUTION_EDGES.length) - 1;
    counts[i] += r.n;
    total += r.n;
  }
  return { counts, total };
}

/** Bucket counts of lived contact waits and journey waits over the same contacts and journeys as the waits report. */
export async function waitsDistribution(db: Queryable, accountId: string, q: DistributionQuery): Promise<WaitsDistribution> {
  const values = {
    account: accountId, from: q.from ?? '-infinity', to: q.to ?? 'infinity', queue: q.queueId ?? null, channel: q.channel ?? null,
    edges: DISTRIBUTION_EDGES, gap: q.windowGapSeconds ?? null,
  };
  const contacts = await db.query<{ b: number; n: number }>(...named(
    `SELECT width_bucket(lived_wait_s, :edges::float8[])::int AS b, count(*)::int AS n
       FROM contact_facts cf
      WHERE cf.account_id = :account AND cf.first_touch_at >= :from AND cf.first_touch_at < :to AND lived_wait_s IS NOT NULL
        AND NOT cf.probe
        AND (:queue::uuid IS NULL OR cf.queue_id = :queue) AND (:channel::text IS NULL OR cf.channel = :channel)
      GROUP BY 1`,
    values,
  ));
  const asa = await db.query<{ asa: number | null }>(...named(
    `SELECT avg(queue_wait_s) FILTER (WHERE outcome = 'answered') AS asa
       FROM contact_facts cf
      WHERE cf.account_id = :account AND cf.first_touch_at >= :from AND cf.first_touch_at < :to AND NOT cf.probe
        AND (:queue::uuid IS NULL OR cf.queue_id = :queue) AND (:channel::text IS NULL OR cf.channel = :channel)`,
    values,
  ));
  const journeys = await db.query<{ b: number; multi: boolean; n: number }>(...named(
    `WITH ${journeysCte(q.windowGapSeconds !== undefined)}
     SELECT width_bucket(wait_s, :edges::float8[])::int AS b, attempts > 1 AS multi, count(*)::int AS n
       FROM j2
      WHERE answered_at IS NOT NULL AND (:queue::uuid IS NULL OR queue_id = :queue) AND (:channel::text IS NULL OR channel = :channel)
      GROUP BY 1, 2`,
    values,
  ));
  const a = asa.rows[0]?.asa;
  return {
    edges: DISTRIBUTION_EDGES,
    contactWaits: histogram(contacts.rows),
    journeyWaits: histogram(journeys.rows),
    multiAttemptJourneyWaits: histogram(journeys.rows.filter((r) => r.multi)),
    reported: { asaSeconds: a === null || a === undefined ? null : Math.round(Number(a) * 1000) / 1000 },
    period: { from: q.from?.toISOString() ?? null, to: q.to?.toISOString() ?? null },
  };
}

export type Presence = 'available' | 'busy' | 'away' | 'offline';
export const PRESENCES: Presence[] = ['available', 'busy', 'away', 'offline'];
export interface Agent {
  id: string;
  name: string;
  presence: Presence;
}
export type AgentsByPresence = Record<Presence, Agent[]>;

export interface LiveQueue {
  /** null: contacts without a queue. */
  id: string | null;
  name: string | null;
  waiting: { total: number; byChannel: Record<string, number> };
  /** The longest lived wait of a contact waiting now (seconds), and since when. */
  longestWaitSeconds: number | null;
  oldestWaitingSince: string | null;
  /** The members of the queue's team by presence (empty when the queue has no team). */
  agents: AgentsByPresence;
  callbacks: { open: number; overdue: number };
}

export interface LiveWall {
  now: string;
  /** Start of today in the account's zone: calls count as waiting when their first touch is today. */
  since: string;
  totals: { waiting: number; longestWaitSeconds: number | null; callbacksOpen: number; callbacksOverdue: number };
  agents: AgentsByPresence;
  queues: LiveQueue[];
}

const byPresence = (agents: Agent[]): AgentsByPresence => {
  const out = { available: [], busy: [], away: [], offline: [] } as AgentsByPresence;
  for (const a of agents) out[a.presence]?.push(a);
  return out;
};

/**
 * Waiting now, per queue: conversations new or open without a first reply (not automatic, not merged; a chat whose
 * visitor has left is no longer waiting), and calls from the contact facts without an outcome that started today.
 */
export async function liveWall(db: Queryable, accountId: string, now: Date, todayStart: Date): Promise<LiveWall> {
  const waiting = await db.query<{ queue_id: string | null; channel: string; n: number; oldest: Date }>(
    `SELECT queue_id::text, channel, count(*)::int AS n, min(since) AS oldest FROM (
       SELECT c.queue_id, c.channel, c.created_at AS since
         FROM conversations c LEFT JOIN chat_conversations cc ON cc.conversation_id = c.id
        WHERE c.account_id = $1 AND c.status IN ('new', 'open') AND c.first_replied_at IS NULL AND c.merged_into IS NULL
          AND NOT c.automatic AND NOT (cc.mode = 'chat' AND cc.ended_at IS NOT NULL)
       UNION ALL
       SELECT cf.queue_id, cf.channel, cf.first_touch_at
         FROM contact_facts cf
        WHERE cf.account_id = $1 AND cf.outcome = 'waiting' AND cf.conversation_id IS NULL
          AND cf.first_touch_at >= $2 AND cf.first_touch_at <= $3
     ) w GROUP BY 1, 2`,
    [accountId, todayStart, now],
  );
  const queues = await db.query<{ id: string; name: string; team_id: string | null }>(
    'SELECT id::text, name, team_id::text FROM queues WHERE account_id = $1 ORDER BY name',
    [accountId],
  );
  const users = await db.query<{ id: string; name: string; presence: Presence; teams: string[] }>(
    `SELECT u.id::text, u.name, u.presence, coalesce(array_agg(tm.team_id::text) FILTER (WHERE tm.team_id IS NOT NULL), '{}') AS teams
       FROM users u LEFT JOIN team_members tm ON tm.user_id = u.id
      WHERE u.account_id = $1 AND u.disabled_at IS NULL AND u.role IN ('agent', 'supervisor')
      GROUP BY u.id ORDER BY u.name`,
    [accountId],
  );
  const callbacks = await db.query<{ queue_id: string | null; open: number; overdue: number }>(
    `SELECT queue_id::text, count(*)::int AS open, count(*) FILTER (WHERE due_at < $2)::int AS overdue
       FROM callbacks WHERE account_id = $1 AND status = 'open' GROUP BY 1`,
    [accountId, now],
  );

  const key = (id: string | null) => id ?? '';
  const rows = new Map<string, LiveQueue>();
  const agentsOf = (teamId: string | null) =>
    byPresence(teamId ? users.rows.filter((u) => u.teams.includes(teamId)).map(({ id, name, presence }) => ({ id, name, presence })) : []);
  const empty = (id: string | null, name: string | null, teamId: string | null): LiveQueue => ({
    id, name, waiting: { total: 0, byChannel: {} }, longestWaitSeconds: null, oldestWaitingSince: null, agents: agentsOf(teamId), callbacks: { open: 0, overdue: 0 },
  });
  for (const q of queues.rows) rows.set(q.id, empty(q.id, q.name, q.team_id));
  const row = (id: string | null) => {
    let r = rows.get(key(id));
    if (!r) {
      r = empty(id, null, null);
      rows.set(key(id), r);
    }
    return r;
  };
  for (const w of waiting.rows) {
    const r = row(w.queue_id);
    r.waiting.total += w.n;
    r.waiting.byChannel[w.channel] = (r.waiting.byChannel[w.channel] ?? 0) + w.n;
    const since = new Date(w.oldest);
    if (!r.oldestWaitingSince || since < new Date(r.oldestWaitingSince)) r.oldestWaitingSince = since.toISOString();
  }
  for (const c of callbacks.rows) row(c.queue_id).callbacks = { open: c.open, overdue: c.overdue };
  const list = [...rows.values()];
  for (const r of list) if (r.oldestWaitingSince) r.longestWaitSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(r.oldestWaitingSince)) / 1000));
  const longest = list.reduce<number | null>((m, r) => (r.longestWaitSeconds !== null && (m === null || r.longestWaitSeconds > m) ? r.longestWaitSeconds : m), null);
  return {
    now: now.toISOString(),
    since: todayStart.toISOString(),
    totals: {
      waiting: list.reduce((s, r) => s + r.waiting.total, 0),
      longestWaitSeconds: longest,
      callbacksOpen: list.reduce((s, r) => s + r.callbacks.open, 0),
      callbacksOverdue: list.reduce((s, r) => s + r.callbacks.overdue, 0),
    },
    agents: byPresence(users.rows.map(({ id, name, presence }) => ({ id, name, presence }))),
    // By name, so a wall screen keeps its layout; the no-queue row last.
    queues: list.sort((a, b) => (a.id === null ? 1 : 0) - (b.id === null ? 1 : 0) || (a.name ?? '').localeCompare(b.name ?? '')),
  };
}
