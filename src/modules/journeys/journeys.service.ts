/**
 * Journeys and lived waits: the entry points that check who is asking (reports capability), resolve names, and pick
 * the exact or the sketch path.
 */
import { DateTime } from 'luxon';
import type { Ctx, Principal } from '../../platform/context.js';
import { requireCap } from '../../platform/context.js';
import { invalid, isUuid } from '../../platform/errors.js';
import { named } from '../../platform/sql.js';
import { zoneFor } from './import/import.service.js';
import { GROUP_BY, journeysCte, waitsExact, type GroupBy, type WaitsReport } from './metrics.js';
import { liveWall, waitsDistribution, type LiveWall, type WaitsDistribution } from './live.js';
import { recomputeAccount } from './projection.js';
import { refreshSketches, waitsSketch } from './sketches.js';

export interface WaitsInput {
  from?: string;
  to?: string;
  threshold?: number;
  by?: string;
  queue?: string;
  channel?: string;
  tz?: string;
  path?: 'exact' | 'sketch';
  /** Journey window: 'day' (default) or a gap such as 30m, 4h, 2d, 5400s. */
  window?: string;
}

/** 'day' → undefined (the stored window); '30m', '4h', '2d', '5400s', '5400' → seconds. */
export function parseWindow(v: string | undefined): number | undefined {
  if (v === undefined || v === '' || v === 'day') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/.exec(v.trim());
  const seconds = m ? Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'] : NaN;
  if (!(seconds > 0) || seconds > 366 * 86400)
    throw invalid('window', `'${v}' is not a journey window: use day, or a gap between 1 s and 366 d such as 30m, 4h or 2d`);
  return seconds;
}

/** ISO 8601 date or date-time; a bare date is midnight and a date-time without an offset is local time, in `tz`. */
function parseTime(field: string, v: string | undefined, tz: string): Date | undefined {
  if (v === undefined || v === '') return undefined;
  const d = DateTime.fromISO(v, { zone: tz, setZone: true });
  if (!d.isValid) throw invalid(field, `'${v}' is not a date or date-time (use ISO 8601, e.g. 2026-03-01 or 2026-03-01T08:00:00+01:00)`);
  return d.toJSDate();
}

async function resolveQueue(ctx: Ctx, accountId: string, queue: string | undefined): Promise<string | undefined> {
  if (!queue) return undefined;
  const r = await ctx.db.query<{ id: string }>(
    'SELECT id FROM queues WHERE account_id = $1 AND (name = $2 OR ($3::uuid IS NOT NULL AND id = $3::uuid))',
    [accountId, queue, isUuid(queue) ? queue : null],
  );
  if (!r.rows[0]) throw invalid('queue', `unknown queue '${queue}'`);
  return r.rows[0].id;
}

export async function waitsReport(ctx: Ctx, p: Principal, input: WaitsInput): Promise<WaitsReport> {
  requireCap(p, 'reports');
  const tz = await zoneFor(ctx, p, input.tz);
  const from = parseTime('from', input.from, tz);
  const to = parseTime('to', input.to, tz);
  if (from && to && from >= to) throw invalid('to', 'must be after from');
  const threshold = input.threshold ?? 20;
  if (!Number.isFinite(threshold) || threshold < 0) throw invalid('threshold', 'must be a number of seconds ≥ 0');
  if (input.by !== undefined && !GROUP_BY.includes(input.by as GroupBy)) throw invalid('by', `must be one of ${GROUP_BY.join(', ')}`);
  const windowGapSeconds = parseWindow(input.window);
  if (windowGapSeconds !== undefined && input.path === 'sketch')
    throw invalid('window', 'the sketch path keeps the default window (day); use the exact path for another window');
  const q = {
    from, to, thresholdSeconds: threshold, by: input.by as GroupBy | undefined, tz, now: ctx.now(), windowGapSeconds,
    queueId: await resolveQueue(ctx, p.accountId, input.queue), channel: input.channel || undefined,
  };
  return input.path === 'sketch' ? waitsSketch(ctx.db, p.accountId, q) : waitsExact(ctx.db, p.accountId, q);
}

/** Bucket counts of lived contact waits and journey waits (the dashboard's distribution plot), same filters as the report. */
export async function distribution(ctx: Ctx, p: Principal, input: Omit<WaitsInput, 'by' | 'threshold' | 'path'>): Promise<WaitsDistribution> {
  requireCap(p, 'reports');
  const tz = await zoneFor(ctx, p, input.tz);
  const from = parseTime('from', input.from, tz);
  const to = parseTime('to', input.to, tz);
  if (from && to && from >= to) throw invalid('to', 'must be after from');
  return waitsDistribution(ctx.db, p.accountId, {
    from, to, queueId: await resolveQueue(ctx, p.accountId, input.queue), channel: input.channel || undefined, windowGapSeconds: parseWindow(input.window),
  });
}

/** The live queue wall: waiting now per queue, the longest lived wait now, agents by presence, open callbacks. */
export async function live(ctx: Ctx, p: Principal): Promise<LiveWall> {
  requireCap(p, 'reports');
  const tz = await zoneFor(ctx, p, undefined);
  const now = ctx.now();
  return liveWall(ctx.db, p.accountId, now, DateTime.fromJSDate(now, { zone: tz }).startOf('day').toJSDate());
}

export interface JourneyListInput {
  from?: string;
  to?: string;
  multiAttempt?: boolean;
  neverServed?: boolean;
  identity?: string;
  limit?: number;
  window?: string;
}

/** Journeys with their contacts, longest wait first: the multi-attempt journeys that the usual figures miss. */
export async function listJourneys(ctx: Ctx, p: Principal, input: JourneyListInput) {
  requireCap(p, 'reports');
  const tz = await zoneFor(ctx, p, undefined);
  const from = parseTime('from', input.from, tz);
  const to = parseTime('to', input.to, tz);
  const gap = parseWindow(input.window);
  const r = await ctx.db.query<any>(...named(
    `WITH ${journeysCte(gap !== undefined)}
     SELECT who, wk AS "window", start_at AS "startedAt", answered_at AS "answeredAt", attempts,
            CASE WHEN answered_at IS NOT NULL THEN 'answered' WHEN waiting THEN 'waiting' ELSE 'never_served' END AS outcome,
            wait_s AS "waitSeconds", extract(epoch FROM last_at - start_at)::float8 AS "spanSeconds", contact_ids
       FROM j2
      WHERE (:multi::boolean IS NULL OR (attempts > 1) = :multi)
        AND (:never::boolean IS NULL OR (answered_at IS NULL AND NOT waiting) = :never)
        AND (:identity::text IS NULL OR who = 'i:' || :identity OR who = 'c:' || :identity)
      ORDER BY coalesce(wait_s, extract(epoch FROM last_at - start_at)) DESC, start_at
      LIMIT :limit`,
    {
      account: p.accountId, from: from ?? '-infinity', to: to ?? 'infinity', gap: gap ?? null, multi: input.multiAttempt ?? null,
      never: input.neverServed ?? null, identity: input.identity ?? null, limit: input.limit ?? 50,
    },
  ));
  const ids = r.rows.flatMap((j) => j.contact_ids as string[]);
  const c = ids.length
    ? await ctx.db.query<any>(
        `SELECT cf.contact_id AS "contactId", cf.channel, q.name AS queue, cf.first_touch_at AS "firstTouchAt",
                cf.queue_entered_at AS "queueEnteredAt", cf.answered_at AS "answeredAt", cf.abandoned_at AS "abandonedAt",
                cf.outcome, cf.queued, cf.queue_wait_s AS "queueWaitSeconds", cf.lived_wait_s AS "livedWaitSeconds",
                cf.conversation_id AS "conversationId"
           FROM contact_facts cf LEFT JOIN queues q ON q.id = cf.queue_id
          WHERE cf.account_id = $1 AND cf.contact_id = ANY($2::text[])`,
        [p.accountId, ids],
      )
    : { rows: [] };
  const byId = new Map(c.rows.map((x) => [x.contactId, x]));
  const customerIds = [...new Set(r.rows.filter((j) => j.who.startsWith('c:')).map((j) => j.who.slice(2) as string))];
  const names = customerIds.length
    ? await ctx.db.query<{ id: string; name: string | null }>('SELECT id::text, name FROM customers WHERE account_id = $1 AND id = ANY($2::uuid[])', [p.accountId, customerIds])
    : { rows: [] };
  const nameOf = new Map(names.rows.map((x) => [x.id, x.name]));
  return r.rows.map(({ who, contact_ids, ...j }) => ({
    customer: who.startsWith('c:') ? { customerId: who.slice(2), name: nameOf.get(who.slice(2)) ?? null } : { identity: who.slice(2) },
    ...j,
    contacts: (contact_ids as string[]).map((id) => byId.get(id)),
  }));
}

/** Rebuilds the projections of the caller's account from the event log (after a definition change). */
export async function recompute(ctx: Ctx, p: Principal) {
  requireCap(p, 'manage');
  const contacts = await recomputeAccount(ctx.db, p.accountId);
  const days = await refreshSketches(ctx.db, p.accountId);
  return { contacts, days };
}
