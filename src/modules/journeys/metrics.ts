/**
 * The exact path of the waits report: reported (dashboard) figures and lived figures, computed in SQL from the
 * contact-facts projection, with journeys stitched at query time by window functions. Percentiles are
 * `percentile_cont` (linear interpolation between closest ranks). Definitions: docs/metrics.md.
 */
import type { Queryable } from '../../platform/db.js';
import { named } from '../../platform/sql.js';
import { DEFINITION_VERSION } from './projection.js';

export const GROUP_BY = ['queue', 'channel', 'hour', 'day', 'weekday', 'weekday-hour'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface WaitsQuery {
  from?: Date;
  to?: Date;
  thresholdSeconds: number;
  by?: GroupBy;
  queueId?: string;
  channel?: string;
  /** Time zone for --by hour|day|weekday. */
  tz: string;
  /** "Now" for journeys still waiting (censored in the survival curve). */
  now: Date;
  /** Calls and chats of a customer form one window while the gaps between them stay within this (default: the day). */
  windowGapSeconds?: number;
}

export interface Stats {
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99?: number | null;
}

export interface SurvivalPoint {
  seconds: number;
  stillWaiting: number;
}

export interface WaitsFigures {
  contacts: number;
  answered: number;
  queued: number;
  abandonedInQueue: number;
  waiting: number;
  reported: { asaSeconds: number | null; serviceLevel: number | null; thresholdSeconds: number; abandonRate: number | null };
  lived: { contactWaitSeconds: Stats & { p99: number | null } };
  journeys: {
    answered: number;
    neverServed: number;
    stillWaiting: number;
    multiAttempt: number;
    waitSeconds: Stats & { p99: number | null };
    multiAttemptWaitSeconds: Stats;
    repeatContactRate: number | null;
    firstContactResolution: number | null;
    survival: { medianSeconds: number | null; points: SurvivalPoint[] };
  };
  gap: { livedP90OverReportedAsa: number | null; multiAttemptP50OverReportedAsa: number | null };
}

export interface WaitsReport extends WaitsFigures {
  definitions: number;
  path: 'exact' | 'sketch';
  /** 'day' (calls and chats: the local calendar day; written channels: the thread) or the gap in seconds. */
  journeyWindow: 'day' | { gapSeconds: number };
  period: { from: string | null; to: string | null };
  groups?: (WaitsFigures & { key: string; label: string })[];
}

/** Times (seconds) at which the survival curve is reported: share of journeys not yet served after t. */
export const SURVIVAL_AT = [30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800];

const r3 = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 1000) / 1000);
const r6 = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 1e6) / 1e6);
const ratio = (a: number, b: number) => (b > 0 ? r6(a / b) : null);

/** SQL for the group key of a contact (alias cf) or a journey (alias j), as text. */
function groupExpr(by: GroupBy | undefined, time: string, queue: string, channel: string): string {
  switch (by) {
    case 'queue':
      return `coalesce(${queue}::text, '')`;
    case 'channel':
      return channel;
    case 'hour':
      return `lpad(extract(hour FROM ${time} AT TIME ZONE :tz)::int::text, 2, '0')`;
    case 'day':
      return `to_char(${time} AT TIME ZONE :tz, 'YYYY-MM-DD')`;
    case 'weekday':
      return `extract(isodow FROM ${time} AT TIME ZONE :tz)::int::text`;
    case 'weekday-hour':
      return `extract(isodow FROM ${time} AT TIME ZONE :tz)::int::text || '-' || lpad(extract(hour FROM ${time} AT TIME ZONE :tz)::int::text, 2, '0')`;
    default:
      return `''`;
  }
}

/**
 * The journeys of the period as a CTE `j2`: contacts of one identified customer within one window, in time order; a
 * journey ends with its first answered contact. The exact report, the journey list and the sketch refresh all stitch
 * journeys here. `where` selects the facts (alias cf; by default the report period: parameters :account, :from, :to,
 * see platform/sql.ts `named`); :gap is needed with `gapWindow`.
 *
 * The window is the stored one (the local day for calls and chats, the thread for the written channels) unless
 * `gapWindow` is set: then calls and chats of a customer stay in one window while each starts at most :gap seconds
 * after the previous one ended, whatever the calendar says (a customer who calls at 23:50 and again at 00:05).
 */
export function journeysCte(gapWindow = false, where = 'cf.first_touch_at >= :from AND cf.first_touch_at < :to'): string {
  const facts = `FROM contact_facts cf WHERE cf.account_id = :account AND cf.who IS NOT NULL AND NOT cf.probe AND ${where}`;
  const windows = gapWindow
    ? `jf0 AS (
    SELECT cf.*, cf.window_key LIKE 'day:%' AS live,
           coalesce(cf.first_touch_at - lag(coalesce(cf.answered_at, cf.abandoned_at, cf.last_event_at)) OVER (
             PARTITION BY cf.who, cf.window_key LIKE 'day:%' ORDER BY cf.first_touch_at, cf.contact_id) > make_interval(secs => :gap), true) AS brk
      ${facts}
  ), jf AS (
    SELECT jf0.*, CASE WHEN live THEN 'gap:' || count(*) FILTER (WHERE brk) OVER (
             PARTITION BY who, live ORDER BY first_touch_at, contact_id) ELSE window_key END AS wk
      FROM jf0
  )`
    : `jf AS (SELECT cf.*, cf.window_key AS wk ${facts})`;
  return `
  ${windows}, jc AS (
    SELECT contact_id, who, wk, local_day, first_touch_at, answered_at, abandoned_at, last_event_at, outcome, queue_id, channel,
           count(*) FILTER (WHERE outcome = 'answered') OVER (PARTITION BY who, wk
             ORDER BY first_touch_at, contact_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS jn
      FROM jf
  ), j1 AS (
    SELECT who, wk, jn, min(local_day) AS local_day, min(first_touch_at) AS start_at,
           max(answered_at) FILTER (WHERE outcome = 'answered') AS answered_at,
           count(*)::int AS attempts,
           (array_agg(queue_id ORDER BY first_touch_at DESC, contact_id DESC))[1] AS queue_id,
           (array_agg(channel ORDER BY first_touch_at DESC, contact_id DESC))[1] AS channel,
           max(coalesce(answered_at, abandoned_at, last_event_at)) AS last_at,
           (array_agg(outcome ORDER BY first_touch_at DESC, contact_id DESC))[1] = 'waiting' AS waiting,
           array_agg(contact_id ORDER BY first_touch_at, contact_id) AS contact_ids
      FROM jc GROUP BY who, wk, jn
  ), j2 AS (
    SELECT j1.*, extract(epoch FROM answered_at - start_at)::float8 AS wait_s,
           lead(jn) OVER (PARTITION BY who, wk ORDER BY jn) IS NOT NULL AS followed
      FROM j1
  )`;
}

interface ContactRow {
  g: string;
  total: boolean;
  contacts: number;
  answered: number;
  queued: number;
  abandoned_in_queue: number;
  waiting: number;
  asa: number | null;
  within: number;
  lived_mean: number | null;
  lived_p: (number | null)[] | null;
}
interface JourneyRow {
  g: string;
  total: boolean;
  answered: number;
  never_served: number;
  still_waiting: number;
  multi: number;
  all_journeys: number;
  repeat: number;
  fcr: number;
  wait_mean: number | null;
  wait_p: (number | null)[] | null;
  multi_mean: number | null;
  multi_p: (number | null)[] | null;
}
interface KmRow {
  g: string;
  total: boolean;
  dur: number;
  served: number;
  n: number;
}

/** The three statements of a report read one snapshot, so their totals agree while writes go on. */
export async function waitsExact(db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }, accountId: string, q: WaitsQuery): Promise<WaitsReport> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return exactReport(tx, accountId, q);
  });
}

async function exactReport(db: Queryable, accountId: string, q: WaitsQuery): Promise<WaitsReport> {
  const values = {
    account: accountId, from: q.from ?? '-infinity', to: q.to ?? 'infinity', tz: q.tz, threshold: q.thresholdSeconds,
    queue: q.queueId ?? null, channel: q.channel ?? null, now: q.now, gap: q.windowGapSeconds ?? null,
  };
  const JOURNEYS_CTE = journeysCte(q.windowGapSeconds !== undefined);
  const sets = q.by ? 'GROUPING SETS ((), (g))' : 'g';
  const isTotal = q.by ? 'grouping(g) = 1' : 'true';
  const cg = groupExpr(q.by, 'cf.first_touch_at', 'cf.queue_id', 'cf.channel');
  const jg = groupExpr(q.by, 'start_at', 'queue_id', 'channel');

  const contacts = await db.query<ContactRow>(...named(
    `SELECT g, ${isTotal} AS total, count(*)::int AS contacts,
            count(*) FILTER (WHERE outcome = 'answered')::int AS answered,
            count(*) FILTER (WHERE queued)::int AS queued,
            count(*) FILTER (WHERE queued AND outcome = 'abandoned')::int AS abandoned_in_queue,
            count(*) FILTER (WHERE outcome = 'waiting')::int AS waiting,
            avg(queue_wait_s) FILTER (WHERE outcome = 'answered') AS asa,
            count(*) FILTER (WHERE outcome = 'answered' AND queue_wait_s <= :threshold)::int AS within,
            avg(lived_wait_s) AS lived_mean,
            percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY lived_wait_s) AS lived_p
       FROM (SELECT cf.*, ${cg} AS g FROM contact_facts cf
              WHERE cf.account_id = :account AND cf.first_touch_at >= :from AND cf.first_touch_at < :to AND NOT cf.probe
                AND (:queue::uuid IS NULL OR cf.queue_id = :queue) AND (:channel::text IS NULL OR cf.channel = :channel)) x
      GROUP BY ${sets} ORDER BY g NULLS FIRST`,
    values,
  ));
  const jwhere = `WHERE (:queue::uuid IS NULL OR queue_id = :queue) AND (:channel::text IS NULL OR channel = :channel)`;
  const journeys = await db.query<JourneyRow>(...named(
    `WITH ${JOURNEYS_CTE}
     SELECT g, ${isTotal} AS total,
            count(*) FILTER (WHERE answered_at IS NOT NULL)::int AS answered,
            count(*) FILTER (WHERE answered_at IS NULL AND NOT waiting)::int AS never_served,
            count(*) FILTER (WHERE answered_at IS NULL AND waiting)::int AS still_waiting,
            count(*) FILTER (WHERE answered_at IS NOT NULL AND attempts > 1)::int AS multi,
            count(*)::int AS all_journeys,
            count(*) FILTER (WHERE attempts > 1)::int AS repeat,
            count(*) FILTER (WHERE answered_at IS NOT NULL AND attempts = 1 AND NOT followed)::int AS fcr,
            avg(wait_s) AS wait_mean,
            percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY wait_s) AS wait_p,
            avg(wait_s) FILTER (WHERE attempts > 1) AS multi_mean,
            percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY wait_s) FILTER (WHERE attempts > 1) AS multi_p
       FROM (SELECT j2.*, ${jg} AS g FROM j2 ${jwhere}) x
      GROUP BY ${sets} ORDER BY g NULLS FIRST`,
    values,
  ));
  // Kaplan–Meier input: per whole second of journey time (rounded up: a journey served at 60.5 s was still waiting
  // at 60 s), how many journeys were served then and how many ended there in all (served, given up, or still waiting
  // at `now` — the censored ones).
  const km = await db.query<KmRow>(...named(
    `WITH ${JOURNEYS_CTE}
     SELECT g, ${isTotal} AS total, dur, count(*) FILTER (WHERE served)::int AS served, count(*)::int AS n
       FROM (SELECT ${jg} AS g, answered_at IS NOT NULL AS served,
                    ceil(extract(epoch FROM coalesce(answered_at, CASE WHEN waiting THEN greatest(:now::timestamptz, last_at) ELSE last_at END) - start_at))::int AS dur
               FROM j2 ${jwhere}) x
      GROUP BY ${q.by ? 'GROUPING SETS ((dur), (g, dur))' : 'g, dur'} ORDER BY g NULLS FIRST, dur`,
    values,
  ));

  const kmBy = new Map<string, KmRow[]>();
  for (const r of km.rows) {
    const k = r.total || !q.by ? '\u0000total' : r.g;
    let list = kmBy.get(k);
    if (!list) {
      list = [];
      kmBy.set(k, list);
    }
    list.push(r);
  }
  const jBy = new Map(journeys.rows.map((r) => [r.total || !q.by ? '\u0000total' : r.g, r]));
  const figures = (c: ContactRow | undefined, key: string): WaitsFigures =>
    shape(c, jBy.get(key), kmBy.get(key) ?? [], q.thresholdSeconds);

  const totalRow = contacts.rows.find((r) => r.total || !q.by);
  const report: WaitsReport = {
    ...figures(totalRow, '\u0000total'),
    definitions: DEFINITION_VERSION,
    path: 'exact',
    journeyWindow: q.windowGapSeconds === undefined ? 'day' : { gapSeconds: q.windowGapSeconds },
    period: { from: q.from?.toISOString() ?? null, to: q.to?.toISOString() ?? null },
  };
  if (q.by) {
    const keys = new Set<string>([...contacts.rows.filter((r) => !r.total).map((r) => r.g), ...journeys.rows.filter((r) => !r.total).map((r) => r.g)]);
    const cBy = new Map(contacts.rows.filter((r) => !r.total).map((r) => [r.g, r]));
    const labels = await groupLabels(db, accountId, q.by, [...keys]);
    report.groups = [...keys].map((k) => ({ key: k, label: labels.get(k) ?? k, ...figures(cBy.get(k), k) })).sort((a, b) => a.label.localeCompare(b.label));
  }
  return report;
}

/** Queue ids become queue names; weekdays 1–7 become Mon–Sun (with the hour for weekday-hour); the rest label themselves. */
export async function groupLabels(db: Queryable, accountId: string, by: GroupBy, keys: string[]): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  if (by === 'queue') {
    const ids = keys.filter((k) => k);
    const r = ids.length ? await db.query<{ id: string; name: string }>('SELECT id::text, name FROM queues WHERE account_id = $1 AND id = ANY($2::uuid[])', [accountId, ids]) : { rows: [] };
    for (const row of r.rows) m.set(row.id, row.name);
    m.set('', '(no queue)');
  }
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  if (by === 'weekday') for (const [i, d] of days.entries()) m.set(String(i + 1), d);
  if (by === 'weekday-hour') for (const k of keys) m.set(k, `${days[Number(k.split('-')[0]) - 1]} ${k.split('-')[1]}`);
  return m;
}

function shape(c: ContactRow | undefined, j: JourneyRow | undefined, km: KmRow[], threshold: number): WaitsFigures {
  const lp = c?.lived_p ?? [];
  const wp = j?.wait_p ?? [];
  const mp = j?.multi_p ?? [];
  const asa = r3(c?.asa);
  const livedP90 = r3(lp[1]);
  const multiP50 = r3(mp[0]);
  const rawAsa = c?.asa ?? null;
  const answeredJ = j?.answered ?? 0;
  return {
    contacts: c?.contacts ?? 0,
    answered: c?.answered ?? 0,
    queued: c?.queued ?? 0,
    abandonedInQueue: c?.abandoned_in_queue ?? 0,
    waiting: c?.waiting ?? 0,
    reported: {
      asaSeconds: asa,
      serviceLevel: ratio(c?.within ?? 0, c?.answered ?? 0),
      thresholdSeconds: threshold,
      abandonRate: ratio(c?.abandoned_in_queue ?? 0, c?.queued ?? 0),
    },
    lived: { contactWaitSeconds: { mean: r3(c?.lived_mean), p50: r3(lp[0]), p90: livedP90, p99: r3(lp[2]) } },
    journeys: {
      answered: answeredJ,
      neverServed: j?.never_served ?? 0,
      stillWaiting: j?.still_waiting ?? 0,
      multiAttempt: j?.multi ?? 0,
      waitSeconds: { mean: r3(j?.wait_mean), p50: r3(wp[0]), p90: r3(wp[1]), p99: r3(wp[2]) },
      multiAttemptWaitSeconds: { mean: r3(j?.multi_mean), p50: multiP50, p90: r3(mp[1]) },
      repeatContactRate: ratio(j?.repeat ?? 0, j?.all_journeys ?? 0),
      firstContactResolution: ratio(j?.fcr ?? 0, answeredJ),
      survival: kaplanMeier(km.map((r) => ({ t: r.dur, events: r.served, n: r.n }))),
    },
    gap: {
      livedP90OverReportedAsa: rawAsa && lp[1] != null ? r6(lp[1] / rawAsa) : null,
      multiAttemptP50OverReportedAsa: rawAsa && mp[0] != null ? r6(mp[0] / rawAsa) : null,
    },
  };
}

/**
 * Kaplan–Meier estimate of the share of journeys not yet served after t, from per-time counts: `events` journeys
 * served at t, `n` journeys ending at t in all (the others are censored: given up or still waiting). Rows sorted by t.
 */
export function kaplanMeier(rows: { t: number; events: number; n: number }[], at = SURVIVAL_AT): { medianSeconds: number | null; points: SurvivalPoint[] } {
  let atRisk = rows.reduce((s, r) => s + r.n, 0);
  if (atRisk === 0) return { medianSeconds: null, points: [] };
  let s = 1;
  let median: number | null = null;
  const steps: { t: number; s: number }[] = [];
  for (const r of rows) {
    if (r.events > 0 && atRisk > 0) {
      s *= 1 - r.events / atRisk;
      steps.push({ t: r.t, s });
      if (median === null && s <= 0.5) median = r.t;
    }
    atRisk -= r.n;
  }
  const points = at.map((t) => {
    let v = 1;
    for (const st of steps) {
      if (st.t > t) break;
      v = st.s;
    }
    return { seconds: t, stillWaiting: Math.round(v * 1e6) / 1e6 };
  });
  return { medianSeconds: median, points };
}
