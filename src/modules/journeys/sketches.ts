/**
 * The sketch path: per (hour, queue, channel) mergeable summaries of the wait distributions, so a dashboard reads a
 * few rows per hour of the period instead of every contact, and its cost does not grow with history.
 *
 * A summary holds exact counts and sums, and DDSketch histograms (logarithmic bins, 1 % relative accuracy) of: lived
 * contact waits, queue waits of answered contacts, journey waits (served), journey times of journeys never served
 * (censored, for the survival curve) and multi-attempt journey waits. The bins are computed and stored by SQL
 * (`ceil(ln(x) / ln(gamma))`, the DDSketch logarithmic mapping), so a refresh moves no contact data out of the
 * database; on read, `@datadog/sketches-js` merges the bins and answers the quantiles.
 *
 * Writers append the touched days to `wait_sketch_dirty` (projection.ts); `refreshSketches` rebuilds those days. It
 * runs at the end of every import and before every sketch read, so a sketch report is never stale.
 */
import { DDSketch } from '@datadog/sketches-js';
import { DateTime } from 'luxon';
import type { Queryable } from '../../platform/db.js';
import { DEFINITION_VERSION } from './projection.js';
import { named } from '../../platform/sql.js';
import {
  groupLabels, journeysCte, kaplanMeier, SURVIVAL_AT, type GroupBy, type Stats, type WaitsFigures, type WaitsQuery, type WaitsReport,
} from './metrics.js';

export const RELATIVE_ACCURACY = 0.01;
const GAMMA = 1 + (2 * RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const KINDS = ['lived', 'queueWait', 'journey', 'censored', 'multi'] as const;
type Kind = (typeof KINDS)[number];

/** A stored histogram: zero count, sparse bins (keys and counts), sum of the values. */
interface Bins {
  z: number;
  k: number[];
  c: number[];
  s: number;
}
type Sketches = Partial<Record<Kind, Bins>>;

const KEY_SQL = (x: string) => `CASE WHEN ${x} <= 0 THEN NULL ELSE ceil(ln(${x}) / ln(${GAMMA}))::int END`;

interface Db extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

const HOUR = (t: string) => `date_trunc('hour', ${t} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
const NO_QUEUE = `'00000000-0000-0000-0000-000000000000'::uuid`;

/**
 * Rebuilds the summaries of every day marked dirty for the account, in one SQL statement per refresh: the histograms
 * are aggregated into JSON in the database, so nothing but the day list crosses to Node. Returns the days rebuilt.
 */
export async function refreshSketches(db: Db, accountId: string): Promise<number> {
  return db.transaction(async (tx) => {
    // One refresh per account at a time; a second one waits and then finds nothing left to do.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('earshot-sketch:' || $1::text))`, [accountId]);
    const d = await tx.query<{ day: string }>(
      `WITH del AS (DELETE FROM wait_sketch_dirty WHERE account_id = $1 RETURNING local_day)
       SELECT DISTINCT to_char(local_day, 'YYYY-MM-DD') AS day FROM del`,
      [accountId],
    );
    const days = d.rows.map((r) => r.day);
    if (!days.length) return 0;
    await tx.query('DELETE FROM wait_sketches WHERE account_id = $1 AND local_day = ANY($2::date[])', [accountId, days]);
    await tx.query(...named(
      `WITH c AS (
         SELECT * FROM contact_facts WHERE account_id = :account AND local_day = ANY(:days::date[]) AND NOT probe
       ), counts AS (
         SELECT local_day, ${HOUR('first_touch_at')} AS hour, coalesce(queue_id, ${NO_QUEUE}) AS q, channel,
                count(*)::int AS contacts,
                count(*) FILTER (WHERE outcome = 'answered')::int AS answered,
                count(*) FILTER (WHERE queued)::int AS queued,
                count(*) FILTER (WHERE queued AND outcome = 'abandoned')::int AS abandoned_in_queue,
                coalesce(sum(queue_wait_s) FILTER (WHERE outcome = 'answered'), 0) AS qsum
           FROM c GROUP BY 1, 2, 3, 4
       ), ${journeysCte(false, 'cf.local_day = ANY(:days::date[])')}, vals AS (
         SELECT local_day, ${HOUR('first_touch_at')} AS hour, coalesce(queue_id, ${NO_QUEUE}) AS q, channel, v.kind, v.x
           FROM c, LATERAL (VALUES ('lived', lived_wait_s), ('queueWait', CASE WHEN outcome = 'answered' THEN queue_wait_s END)) v(kind, x)
          WHERE v.x IS NOT NULL
         UNION ALL
         SELECT local_day, ${HOUR('start_at')}, coalesce(queue_id, ${NO_QUEUE}), channel, v.kind, v.x
           FROM j2 j, LATERAL (VALUES
                  ('journey', wait_s),
                  ('multi', CASE WHEN attempts > 1 THEN wait_s END),
                  ('censored', CASE WHEN answered_at IS NULL AND NOT waiting THEN extract(epoch FROM last_at - start_at)::float8 END)) v(kind, x)
          WHERE v.x IS NOT NULL
       ), bins AS (
         SELECT local_day, hour, q, channel, kind, ${KEY_SQL('x')} AS k, count(*)::int AS n, sum(x) AS s
           FROM vals GROUP BY 1, 2, 3, 4, 5, 6
       ), hist AS (
         SELECT local_day, hour, q, channel, kind, sum(n)::int AS n,
                jsonb_build_object(
                  'z', coalesce(sum(n) FILTER (WHERE k IS NULL), 0),
                  'k', coalesce(jsonb_agg(k ORDER BY k) FILTER (WHERE k IS NOT NULL), '[]'::jsonb),
                  'c', coalesce(jsonb_agg(n ORDER BY k) FILTER (WHERE k IS NOT NULL), '[]'::jsonb),
                  's', sum(s)) AS h
           FROM bins GROUP BY 1, 2, 3, 4, 5
       ), sk AS (
         SELECT local_day, hour, q, channel, jsonb_object_agg(kind, h) AS sketches,
                coalesce(sum(n) FILTER (WHERE kind = 'journey'), 0)::int AS journeys_answered,
                coalesce(sum(n) FILTER (WHERE kind = 'censored'), 0)::int AS journeys_never,
                coalesce(sum(n) FILTER (WHERE kind = 'multi'), 0)::int AS journeys_multi
           FROM hist GROUP BY 1, 2, 3, 4
       )
       INSERT INTO wait_sketches (account_id, local_day, hour, queue_id, channel, contacts, answered, queued, abandoned_in_queue,
                                  answered_queue_wait_sum, journeys_answered, journeys_never_served, journeys_multi_attempt, sketches)
       SELECT :account, coalesce(n.local_day, s.local_day), coalesce(n.hour, s.hour), nullif(coalesce(n.q, s.q), ${NO_QUEUE}),
              coalesce(n.channel, s.channel), coalesce(n.contacts, 0), coalesce(n.answered, 0), coalesce(n.queued, 0),
              coalesce(n.abandoned_in_queue, 0), coalesce(n.qsum, 0), coalesce(s.journeys_answered, 0),
              coalesce(s.journeys_never, 0), coalesce(s.journeys_multi, 0), coalesce(s.sketches, '{}'::jsonb)
         FROM counts n FULL JOIN sk s
           ON n.local_day = s.local_day AND n.hour = s.hour AND n.q = s.q AND n.channel = s.channel`,
      { account: accountId, days },
    ));
    return days.length;
  });
}

/** A DDSketch holding stored bins (each bin's representative value maps back to the same bin). */
class Merged {
  readonly sketch = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
  private bins = new Map<number, number>();
  zero = 0;
  sum = 0;

  add(b: Bins | undefined) {
    if (!b) return;
    if (b.z) {
      this.sketch.accept(0, b.z);
      this.zero += b.z;
    }
    for (let i = 0; i < b.k.length; i++) {
      this.sketch.accept(this.sketch.mapping.value(b.k[i]), b.c[i]);
      this.bins.set(b.k[i], (this.bins.get(b.k[i]) ?? 0) + b.c[i]);
    }
    this.sum += b.s;
  }
  get count() {
    return this.sketch.count;
  }
  q(p: number): number | null {
    return this.count ? Math.round(this.sketch.getValueAtQuantile(p) * 1000) / 1000 : null;
  }
  stats(withP99: boolean): Stats & { p99: number | null } {
    return { mean: this.count ? Math.round((this.sum / this.count) * 1000) / 1000 : null, p50: this.q(0.5), p90: this.q(0.9), p99: withP99 ? this.q(0.99) : null };
  }
  /** How many values are at most t (exact for 0, to the bin containing t otherwise). */
  atMost(t: number): number {
    const kt = t > 0 ? Math.ceil(Math.log(t) / Math.log(GAMMA)) : -Infinity;
    let n = this.zero;
    for (const [k, c] of this.bins) if (k <= kt) n += c;
    return n;
  }
  sortedBins() {
    return [...this.bins.entries()].sort((a, b) => a[0] - b[0]);
  }
}

interface Acc {
  contacts: number;
  answered: number;
  queued: number;
  abandonedInQueue: number;
  qsum: number;
  jAnswered: number;
  jNever: number;
  jMulti: number;
  m: Record<Kind, Merged>;
}
const newAcc = (): Acc => ({
  contacts: 0, answered: 0, queued: 0, abandonedInQueue: 0, qsum: 0, jAnswered: 0, jNever: 0, jMulti: 0,
  m: Object.fromEntries(KINDS.map((k) => [k, new Merged()])) as Record<Kind, Merged>,
});

function groupKey(by: GroupBy | undefined, r: { hour: Date; queue_id: string | null; channel: string }, tz: string) {
  if (!by) return '';
  if (by === 'queue') return r.queue_id ?? '';
  if (by === 'channel') return r.channel;
  const t = DateTime.fromJSDate(r.hour, { zone: tz });
  if (by === 'hour') return String(t.hour).padStart(2, '0');
  if (by === 'day') return t.toFormat('yyyy-MM-dd');
  if (by === 'weekday') return String(t.weekday);
  return `${t.weekday}-${String(t.hour).padStart(2, '0')}`;
}

/**
 * The waits report from the summaries: same shape as the exact path, hour-granular period bounds, percentiles within
 * 1 % relative error, counts, ASA and rates exact (service level to the bin that holds the threshold). Journeys still
 * waiting are not in the summaries (they are counted on the exact path).
 */
export async function waitsSketch(db: Db, accountId: string, q: WaitsQuery): Promise<WaitsReport> {
  await refreshSketches(db, accountId);
  const r = await db.query<any>(
    `SELECT hour, queue_id::text AS queue_id, channel, contacts, answered, queued, abandoned_in_queue, answered_queue_wait_sum,
            journeys_answered, journeys_never_served, journeys_multi_attempt, sketches
       FROM wait_sketches
      WHERE account_id = $1 AND hour >= date_trunc('hour', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AND hour < $3
        AND ($4::uuid IS NULL OR queue_id = $4) AND ($5::text IS NULL OR channel = $5)`,
    [accountId, q.from ?? '-infinity', q.to ?? 'infinity', q.queueId ?? null, q.channel ?? null],
  );
  const total = newAcc();
  const groups = new Map<string, Acc>();
  for (const row of r.rows) {
    const targets = [total];
    if (q.by) {
      const k = groupKey(q.by, { hour: new Date(row.hour), queue_id: row.queue_id, channel: row.channel }, q.tz);
      let g = groups.get(k);
      if (!g) {
        g = newAcc();
        groups.set(k, g);
      }
      targets.push(g);
    }
    const sk: Sketches = typeof row.sketches === 'string' ? JSON.parse(row.sketches) : row.sketches;
    for (const a of targets) {
      a.contacts += row.contacts;
      a.answered += row.answered;
      a.queued += row.queued;
      a.abandonedInQueue += row.abandoned_in_queue;
      a.qsum += Number(row.answered_queue_wait_sum);
      a.jAnswered += row.journeys_answered;
      a.jNever += row.journeys_never_served;
      a.jMulti += row.journeys_multi_attempt;
      for (const k of KINDS) a.m[k].add(sk[k]);
    }
  }
  const report: WaitsReport = {
    ...sketchFigures(total, q.thresholdSeconds),
    definitions: DEFINITION_VERSION,
    path: 'sketch',
    journeyWindow: 'day',
    period: { from: q.from?.toISOString() ?? null, to: q.to?.toISOString() ?? null },
  };
  if (q.by) {
    const labels = await groupLabels(db, accountId, q.by, [...groups.keys()]);
    report.groups = [...groups.keys()].map((k) => ({ key: k, label: labels.get(k) ?? k, ...sketchFigures(groups.get(k)!, q.thresholdSeconds) })).sort((a, b) => a.label.localeCompare(b.label));
  }
  return report;
}

function sketchFigures(a: Acc, threshold: number): WaitsFigures {
  const ratio = (x: number, y: number) => (y > 0 ? Math.round((x / y) * 1e6) / 1e6 : null);
  const asa = a.answered ? Math.round((a.qsum / a.answered) * 1000) / 1000 : null;
  const lived = a.m.lived.stats(true);
  const multi = a.m.multi.stats(false);
  // Kaplan–Meier over the bins: served journeys are events, never-served ones censored, at each bin's value.
  const served = new Map(a.m.journey.sortedBins());
  const censored = new Map(a.m.censored.sortedBins());
  const keys = [...new Set([...served.keys(), ...censored.keys()])].sort((x, y) => x - y);
  const mapping = a.m.journey.sketch.mapping;
  const kmRows = [
    { t: 0, events: a.m.journey.zero, n: a.m.journey.zero + a.m.censored.zero },
    ...keys.map((k) => ({ t: mapping.value(k), events: served.get(k) ?? 0, n: (served.get(k) ?? 0) + (censored.get(k) ?? 0) })),
  ];
  const km = kaplanMeier(kmRows, SURVIVAL_AT);
  return {
    contacts: a.contacts,
    answered: a.answered,
    queued: a.queued,
    abandonedInQueue: a.abandonedInQueue,
    waiting: a.contacts - a.m.lived.count,
    reported: { asaSeconds: asa, serviceLevel: ratio(a.m.queueWait.atMost(threshold), a.answered), thresholdSeconds: threshold, abandonRate: ratio(a.abandonedInQueue, a.queued) },
    lived: { contactWaitSeconds: lived },
    journeys: {
      answered: a.jAnswered,
      neverServed: a.jNever,
      stillWaiting: 0,
      multiAttempt: a.jMulti,
      waitSeconds: a.m.journey.stats(true),
      multiAttemptWaitSeconds: { mean: multi.mean, p50: multi.p50, p90: multi.p90 },
      repeatContactRate: null,
      firstContactResolution: null,
      survival: { medianSeconds: km.medianSeconds === null ? null : Math.round(km.medianSeconds * 1000) / 1000, points: km.points },
    },
    gap: {
      livedP90OverReportedAsa: asa && lived.p90 !== null ? Math.round((lived.p90 / asa) * 1e6) / 1e6 : null,
      multiAttemptP50OverReportedAsa: asa && multi.p50 !== null ? Math.round((multi.p50 / asa) * 1e6) / 1e6 : null,
    },
  };
}
