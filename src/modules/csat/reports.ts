/** CSAT reports: averages and shares by period, channel, queue and agent, and the points over time. */
import type { Ctx, Principal } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { named } from '../../platform/sql.js';
import { invalid, isUuid } from '../../platform/errors.js';
import { journeysCte } from '../journeys/index.js';

export interface ReportFilter {
  from?: string;
  to?: string;
  queue?: string;
  channel?: string;
}

function period(ctx: Ctx, f: ReportFilter) {
  const parse = (v: string | undefined, field: string) => {
    if (!v) return null;
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    if (Number.isNaN(d.getTime())) throw invalid(field, `'${v}' is not a date`);
    return d;
  };
  const to = parse(f.to, 'to') ?? new Date(ctx.now().getTime() + 1000);
  const from = parse(f.from, 'from') ?? new Date(to.getTime() - 30 * 86_400_000);
  if (from >= to) throw invalid('from', 'must be before to');
  if (f.queue && !isUuid(f.queue)) throw invalid('queue', `'${f.queue}' is not a queue id`);
  return { from, to, queue: f.queue ?? null, channel: f.channel ?? null };
}

interface Agg {
  responses: number;
  average: number | null;
  csat: number | null;
}
const aggSql = `count(*)::int AS responses, round(avg(r.score)::numeric, 2)::float8 AS average,
  round((100.0 * count(*) FILTER (WHERE r.score >= 4) / nullif(count(*), 0))::numeric, 1)::float8 AS csat`;

/** Responses, response rate, average and CSAT (% of 4–5) in the period (answer time), per queue and channel. */
export async function report(ctx: Ctx, p: Principal, f: ReportFilter) {
  requireCap(p, 'reports');
  const q = period(ctx, f);
  const vals = { account: p.accountId, from: q.from, to: q.to, queue: q.queue, channel: q.channel };
  const base = `FROM conversation_ratings r JOIN conversations c ON c.id = r.conversation_id
    WHERE r.account_id = :account AND r.created_at >= :from AND r.created_at < :to
      AND (:queue::uuid IS NULL OR c.queue_id = :queue::uuid) AND (:channel::text IS NULL OR c.channel = :channel::text)`;
  const total = (await ctx.db.query<Agg>(...named(`SELECT ${aggSql} ${base}`, vals))).rows[0];
  const dist = await ctx.db.query<{ score: number; n: number }>(...named(`SELECT r.score, count(*)::int AS n ${base} GROUP BY r.score`, vals));
  const byQueue = await ctx.db.query<Agg & { queueId: string | null; queueName: string | null }>(...named(
    `SELECT c.queue_id AS "queueId", (SELECT name FROM queues WHERE id = c.queue_id) AS "queueName", ${aggSql} ${base}
      GROUP BY c.queue_id ORDER BY 2 NULLS LAST`, vals));
  const byChannel = await ctx.db.query<Agg & { channel: string }>(...named(`SELECT c.channel, ${aggSql} ${base} GROUP BY c.channel ORDER BY 1`, vals));
  const bySource = await ctx.db.query<{ source: string; n: number }>(...named(`SELECT r.source, count(*)::int AS n ${base} GROUP BY r.source`, vals));
  const surveys = (await ctx.db.query<any>(...named(
    `SELECT count(*) FILTER (WHERE s.route <> 'no_route')::int AS sent, count(*) FILTER (WHERE s.route = 'email')::int AS email,
            count(*) FILTER (WHERE s.route = 'chat')::int AS chat, count(*) FILTER (WHERE s.route = 'no_route')::int AS "noRoute",
            count(*) FILTER (WHERE s.reminded_at IS NOT NULL)::int AS reminded,
            count(*) FILTER (WHERE s.route <> 'no_route' AND EXISTS (SELECT 1 FROM conversation_ratings r WHERE r.conversation_id = s.conversation_id))::int AS answered
       FROM csat_surveys s JOIN conversations c ON c.id = s.conversation_id
      WHERE s.account_id = :account AND s.sent_at >= :from AND s.sent_at < :to
        AND (:queue::uuid IS NULL OR c.queue_id = :queue::uuid) AND (:channel::text IS NULL OR c.channel = :channel::text)`, vals))).rows[0];
  const comments = await ctx.db.query<any>(...named(
    `SELECT c.id AS "conversationId", c.number, c.subject, c.channel, r.score, r.comment, r.source, r.updated_at AS at
      ${base} AND r.comment IS NOT NULL AND r.comment <> '' ORDER BY r.updated_at DESC LIMIT 100`, vals));
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    ...total,
    responseRate: surveys.sent ? Math.round((1000 * surveys.answered) / surveys.sent) / 10 : null,
    surveys,
    distribution: Object.fromEntries([1, 2, 3, 4, 5].map((n) => [n, dist.rows.find((d) => d.score === n)?.n ?? 0])),
    bySource: Object.fromEntries(bySource.rows.map((x) => [x.source, x.n])),
    byQueue: byQueue.rows,
    byChannel: byChannel.rows,
    comments: comments.rows.map((x) => ({ ...x, at: new Date(x.at).toISOString() })),
  };
}

export const BUCKETS = [
  { key: 'lt1m', from: 0, to: 60 },
  { key: '1to5m', from: 60, to: 300 },
  { key: '5to15m', from: 300, to: 900 },
  { key: '15to60m', from: 900, to: 3600 },
  { key: 'gt60m', from: 3600, to: null },
] as const;

/**
 * One point per answer in the period: the lived wait of the customer's journey (first touch of the journey's first
 * contact until a human answered, across channels within the journey window) beside the reported queue wait of the
 * conversation's own contact, and the score; plus averages per lived-wait bucket.
 */
export async function points(ctx: Ctx, p: Principal, f: ReportFilter) {
  requireCap(p, 'reports');
  const q = period(ctx, f);
  const vals = { account: p.accountId, from: q.from, to: q.to, queue: q.queue, channel: q.channel };
  const r = await ctx.db.query<any>(...named(
    `WITH r AS (
       SELECT r.conversation_id, r.score, r.created_at, c.number, c.channel, c.queue_id
         FROM conversation_ratings r JOIN conversations c ON c.id = r.conversation_id
        WHERE r.account_id = :account AND r.created_at >= :from AND r.created_at < :to
          AND (:queue::uuid IS NULL OR c.queue_id = :queue::uuid) AND (:channel::text IS NULL OR c.channel = :channel::text)
     ), rc AS (
       SELECT f.conversation_id, f.contact_id, f.who, f.window_key, f.first_touch_at, f.queue_wait_s, f.lived_wait_s
         FROM contact_facts f WHERE f.account_id = :account AND f.conversation_id IN (SELECT conversation_id FROM r)
     ), ${journeysCte(false, `(cf.who, cf.window_key) IN (SELECT who, window_key FROM rc WHERE who IS NOT NULL)`)}
     SELECT r.conversation_id AS "conversationId", r.number, r.score, r.channel, r.queue_id AS "queueId", r.created_at AS at,
            (SELECT rc.queue_wait_s FROM rc WHERE rc.conversation_id = r.conversation_id ORDER BY rc.first_touch_at LIMIT 1) AS "queueWaitSeconds",
            (SELECT max(rc.lived_wait_s) FROM rc WHERE rc.conversation_id = r.conversation_id) AS "contactLivedSeconds",
            (SELECT json_agg(json_build_object('startAt', j2.start_at, 'waitSeconds', j2.wait_s, 'attempts', j2.attempts,
                                               'channel', j2.channel, 'contactIds', j2.contact_ids) ORDER BY j2.start_at)
               FROM j2 WHERE j2.contact_ids && (SELECT array_agg(rc.contact_id) FROM rc WHERE rc.conversation_id = r.conversation_id)) AS journeys
       FROM r ORDER BY r.created_at`,
    vals,
  ));
  const pts = r.rows.map((x) => {
    const journeys = (x.journeys ?? []) as { waitSeconds: number | null }[];
    const lived = journeys.find((j) => j.waitSeconds !== null)?.waitSeconds ?? x.contactLivedSeconds ?? null;
    return {
      conversationId: x.conversationId,
      number: x.number,
      channel: x.channel,
      queueId: x.queueId,
      score: x.score,
      at: new Date(x.at).toISOString(),
      livedWaitSeconds: lived === null ? null : Math.round(lived * 10) / 10,
      queueWaitSeconds: x.queueWaitSeconds === null ? null : Math.round(x.queueWaitSeconds * 10) / 10,
      journeys,
    };
  });
  const avg = (xs: number[]) => (xs.length ? Math.round((100 * xs.reduce((a, b) => a + b, 0)) / xs.length) / 100 : null);
  const pct = (xs: number[]) => (xs.length ? Math.round((1000 * xs.filter((s) => s >= 4).length) / xs.length) / 10 : null);
  const buckets = BUCKETS.map((b) => {
    const s = pts.filter((x) => x.livedWaitSeconds !== null && x.livedWaitSeconds >= b.from && (b.to === null || x.livedWaitSeconds < b.to)).map((x) => x.score);
    return { ...b, responses: s.length, average: avg(s), csat: pct(s) };
  });
  const unknown = pts.filter((x) => x.livedWaitSeconds === null).map((x) => x.score);
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    points: pts,
    buckets,
    unknownWait: { responses: unknown.length, average: avg(unknown), csat: pct(unknown) },
  };
}
