/**
 * The anecdote audit: every wait claim a customer makes ("I waited 40 minutes on hold") is held against what was
 * measured for that customer before the message — the lived waits of their contacts and the waits of their journeys
 * (contact_facts, docs/metrics.md). A claim of at least twice the largest measured wait is **contradicted** by the
 * data; a claim where nothing was measured is a **blind spot** of the measurement (the customer waited somewhere we do
 * not see); otherwise the data **agrees**. A complaint without a stated duration is recorded as **no_figure**.
 *
 * A wait FOR something else — an order, a parcel, a refund, a repair ("ventet i over ti dager på bestillingen") — is a
 * different claim (`claim = 'delivery'`): it is held against the resolution time of the customer's conversations
 * (created → solved, or → the message while still open), never against queue waits, and it is reported apart from
 * the queue-wait figures (`delivery` in the report) so a ten-day delivery does not count as a 240-hour queue wait.
 *
 * Contradicted does not mean the customer is wrong: "when the data and the anecdotes disagree, the anecdotes are
 * usually right". A rising share of contradicted claims points at a measurement that misses what customers live.
 */
import { DateTime } from 'luxon';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { requireCap, systemPrincipal } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { named } from '../../platform/sql.js';
import { journeysCte, DAY_WINDOW_CHANNELS } from '../journeys/index.js';
import { recordChange } from '../changes/index.js';

export const VERDICTS = ['agrees', 'contradicted', 'blind_spot', 'no_figure'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** How far back a claim looks for the customer's contacts. */
export const LOOKBACK_DAYS = 30;
/** A claim is contradicted when it is at least this many times the largest measured wait. */
export const CONTRADICTED_FACTOR = 2;
/** Alert when this week has at least this many checkable claims … */
export const ALERT_MIN_CLAIMS = 5;
/** … at least this share of them contradicted … */
export const ALERT_MIN_SHARE = 0.5;
/** … and that share is at least this much above the previous four weeks' (or those weeks had no checkable claim). */
export const ALERT_RISE = 0.2;

export function verdictFor(claimedMinutes: number | null, measuredSeconds: (number | null)[]): Verdict {
  if (claimedMinutes === null) return 'no_figure';
  const measured = measuredSeconds.filter((s): s is number => s !== null && Number.isFinite(s));
  if (!measured.length) return 'blind_spot';
  return claimedMinutes * 60 >= CONTRADICTED_FACTOR * Math.max(...measured) ? 'contradicted' : 'agrees';
}

export interface ClaimInput {
  accountId: string;
  messageId: string;
  conversationId: string;
  customerId: string | null;
  queueId: string | null;
  channel: string;
  claimedMinutes: number | null;
  messageAt: Date;
  timezone: string;
  now: Date;
  /** What was waited for: 'queue' (default) or 'delivery' (an order, a refund …). */
  claim?: 'queue' | 'delivery';
}

export interface Measured {
  contactSeconds: number | null;
  journeySeconds: number | null;
  contacts: string[];
  /** Delivery claims: the longest resolution time of the customer's conversations (created → solved or → the message). */
  resolutionSeconds?: number | null;
}

/** Below this a conversation's resolution time says nothing about a delivery wait (it was just opened). */
export const MIN_RESOLUTION_SECONDS = 60;

/**
 * A delivery claim's measure: the longest time the customer's conversations of the LOOKBACK_DAYS before the message
 * took to resolve — solved before the message: created → solved; still open: created → the message. A conversation
 * opened by the very message (under a minute old) measures nothing: the delivery wait happened outside it (blind spot).
 */
export async function measuredResolutionFor(tx: Tx, input: ClaimInput): Promise<Measured> {
  if (!input.customerId) return { contactSeconds: null, journeySeconds: null, contacts: [], resolutionSeconds: null };
  const r = await tx.query<{ s: number | null; ids: string[] }>(
    `SELECT max(extract(epoch FROM (CASE WHEN c.solved_at IS NOT NULL AND c.solved_at <= $3 THEN c.solved_at ELSE $3::timestamptz END) - c.created_at))::float8 AS s,
            coalesce(array_agg(c.id::text ORDER BY c.created_at), '{}') AS ids
       FROM conversations c
      WHERE c.account_id = $1 AND c.customer_id = $2 AND c.merged_into IS NULL AND c.created_at <= $3 AND c.created_at >= $4`,
    [input.accountId, input.customerId, input.messageAt, new Date(input.messageAt.getTime() - LOOKBACK_DAYS * 86_400_000)],
  );
  const s = r.rows[0]?.s ?? null;
  return { contactSeconds: null, journeySeconds: null, contacts: r.rows[0]?.ids ?? [], resolutionSeconds: s !== null && s >= MIN_RESOLUTION_SECONDS ? s : null };
}

/**
 * The largest lived waits measured for the customer in the LOOKBACK_DAYS before the message: by customer id and by
 * each of the customer's identities (calls imported or followed live carry the caller number, not the customer).
 * A written contact still waiting for its first human reply counts with its wait so far (the customer is living it);
 * a call or chat without an outcome does not (its feed simply has not reported the end).
 */
export async function measuredFor(tx: Tx, input: ClaimInput): Promise<Measured> {
  if (!input.customerId) return { contactSeconds: null, journeySeconds: null, contacts: [] };
  const ids = await tx.query<{ value: string }>(
    'SELECT value FROM customer_identities WHERE account_id = $1 AND customer_id = $2',
    [input.accountId, input.customerId],
  );
  const whos = [`c:${input.customerId}`, ...ids.rows.map((r) => `i:${r.value}`)];
  const values = {
    account: input.accountId,
    whos,
    from: new Date(input.messageAt.getTime() - LOOKBACK_DAYS * 86_400_000),
    to: input.messageAt,
    live: DAY_WINDOW_CHANNELS,
  };
  const where = 'cf.who = ANY(:whos) AND cf.first_touch_at >= :from AND cf.first_touch_at < :to';
  const [cSql, cVals] = named(
    `SELECT max(CASE WHEN cf.lived_wait_s IS NOT NULL THEN cf.lived_wait_s
                     WHEN cf.outcome = 'waiting' AND NOT cf.channel = ANY(:live) THEN extract(epoch FROM :to::timestamptz - cf.first_touch_at)::float8
                END)::float8 AS wait,
            coalesce(array_agg(cf.contact_id ORDER BY cf.first_touch_at), '{}') AS contacts
       FROM contact_facts cf WHERE cf.account_id = :account AND ${where}`,
    values,
  );
  const c = await tx.query<{ wait: number | null; contacts: string[] }>(cSql, cVals);
  // Journeys: served ones by their wait; never-served ones by how long the customer tried before giving up.
  const [jSql, jVals] = named(
    `WITH ${journeysCte(false, where)}
     SELECT max(CASE WHEN wait_s IS NOT NULL THEN wait_s
                     WHEN NOT waiting THEN extract(epoch FROM last_at - start_at)::float8 END)::float8 AS wait
       FROM j2`,
    values,
  );
  const j = await tx.query<{ wait: number | null }>(jSql, jVals);
  return { contactSeconds: c.rows[0]?.wait ?? null, journeySeconds: j.rows[0]?.wait ?? null, contacts: c.rows[0]?.contacts ?? [] };
}

/**
 * Records the check of one claim (once per message: a re-run keeps the first record) and returns it, or null when it
 * was already recorded.
 */
export async function recordClaim(tx: Tx, input: ClaimInput): Promise<{ verdict: Verdict; week: string; measured: Measured; claim: 'queue' | 'delivery' } | null> {
  const claim = input.claim ?? 'queue';
  const measured = claim === 'delivery' ? await measuredResolutionFor(tx, input) : await measuredFor(tx, input);
  const verdict = verdictFor(input.claimedMinutes, claim === 'delivery' ? [measured.resolutionSeconds ?? null] : [measured.contactSeconds, measured.journeySeconds]);
  const r = await tx.query<{ week: string }>(
    `INSERT INTO anecdote_checks (message_id, account_id, conversation_id, customer_id, queue_id, channel, claimed_minutes,
                                  measured_contact_seconds, measured_journey_seconds, measured_contacts, verdict, week,
                                  message_at, created_at, claim, measured_resolution_seconds)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, date_trunc('week', $12::timestamptz AT TIME ZONE $13)::date, $12, $14, $15, $16)
     ON CONFLICT (message_id) DO NOTHING
     RETURNING to_char(week, 'YYYY-MM-DD') AS week`,
    [input.messageId, input.accountId, input.conversationId, input.customerId, input.queueId, input.channel,
     input.claimedMinutes, measured.contactSeconds, measured.journeySeconds, measured.contacts, verdict,
     input.messageAt, input.timezone, input.now, claim, measured.resolutionSeconds ?? null],
  );
  if (!r.rows[0]) return null;
  return { verdict, week: r.rows[0].week, measured, claim };
}

/**
 * Alerts supervisors (realtime change, webhook `anecdotes.alert`, audit entry) when the share of contradicted claims
 * of `week` rises: at least ALERT_MIN_CLAIMS checkable claims, at least ALERT_MIN_SHARE contradicted, and ALERT_RISE
 * above the previous four weeks. At most one alert per account and week. Returns the alert when one was raised.
 */
export async function maybeAlert(tx: Tx, accountId: string, week: string, now: Date) {
  const r = await tx.query<{ this_checked: number; this_contra: number; prev_checked: number; prev_contra: number }>(
    `SELECT count(*) FILTER (WHERE week = $2::date AND verdict IN ('agrees', 'contradicted'))::int AS this_checked,
            count(*) FILTER (WHERE week = $2::date AND verdict = 'contradicted')::int AS this_contra,
            count(*) FILTER (WHERE week < $2::date AND verdict IN ('agrees', 'contradicted'))::int AS prev_checked,
            count(*) FILTER (WHERE week < $2::date AND verdict = 'contradicted')::int AS prev_contra
       FROM anecdote_checks WHERE account_id = $1 AND claim = 'queue' AND week >= $2::date - 28 AND week <= $2::date`,
    [accountId, week],
  );
  const s = r.rows[0];
  if (!s || s.this_checked < ALERT_MIN_CLAIMS) return null;
  const share = s.this_contra / s.this_checked;
  const previous = s.prev_checked ? s.prev_contra / s.prev_checked : null;
  if (share < ALERT_MIN_SHARE || (previous !== null && share < previous + ALERT_RISE)) return null;
  const ins = await tx.query(
    `INSERT INTO anecdote_alerts (account_id, week, share, previous_share, claims, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (account_id, week) DO NOTHING RETURNING week`,
    [accountId, week, share, previous, s.this_checked, now],
  );
  if (!ins.rows.length) return null;
  const alert = { week, contradictedShare: share, previousShare: previous, claims: s.this_checked, contradicted: s.this_contra };
  await recordChange(tx, systemPrincipal(accountId), now, {
    audit: { action: 'anecdotes.alert', target: null, data: alert },
    change: { type: 'anecdotes.alert' },
    webhook: { event: 'anecdotes.alert', data: alert },
  });
  return alert;
}

// ---------------------------------------------------------------- the report

export const ANECDOTE_GROUPS = ['queue', 'channel', 'week'] as const;
export type AnecdoteGroup = (typeof ANECDOTE_GROUPS)[number];

export interface AnecdoteExample {
  messageId: string;
  conversationId: string;
  claimedMinutes: number | null;
  measuredContactSeconds: number | null;
  measuredJourneySeconds: number | null;
  measuredResolutionSeconds?: number | null;
  at: string;
}
export interface AnecdoteFigures {
  claims: number;
  agrees: number;
  contradicted: number;
  blindSpots: number;
  noFigure: number;
  /** contradicted / (agrees + contradicted): of the claims the data could check, the share it contradicts. */
  contradictedShare: number | null;
  /** blind spots / claims with a stated duration. */
  blindSpotShare: number | null;
  /** The latest contradicted claims and blind spots (at most 5 each), one click from the message. */
  examples: { contradicted: AnecdoteExample[]; blindSpots: AnecdoteExample[] };
}
export interface AnecdoteReport {
  from: string;
  to: string;
  by: AnecdoteGroup | null;
  timezone: string;
  /** Queue-wait claims (held against the lived waits): the audit's figures. */
  total: AnecdoteFigures;
  groups: (AnecdoteFigures & { key: string | null; label: string })[];
  /** Delivery and refund claims, apart (held against the conversations' resolution time; their examples' measure is
   *  `measuredResolutionSeconds`). */
  delivery: AnecdoteFigures;
  /** Alerts raised for the weeks that overlap the period. */
  alerts: { week: string; contradictedShare: number; previousShare: number | null; claims: number; at: string }[];
}

function parseTime(field: string, v: string | undefined, tz: string): Date | undefined {
  if (v === undefined || v === '') return undefined;
  const d = DateTime.fromISO(v, { zone: tz });
  if (!d.isValid) throw invalid(field, `'${v}' is not an ISO date or date-time`);
  return d.toJSDate();
}

const EXAMPLE = (verdict: Verdict) => `to_jsonb((array_agg(json_build_object('messageId', a.message_id, 'conversationId', a.conversation_id,
    'claimedMinutes', a.claimed_minutes, 'measuredContactSeconds', a.measured_contact_seconds,
    'measuredJourneySeconds', a.measured_journey_seconds, 'measuredResolutionSeconds', a.measured_resolution_seconds,
    'at', a.message_at) ORDER BY a.message_at DESC, a.message_id)
    FILTER (WHERE a.verdict = '${verdict}'))[1:5])`;

/** The audit over a period (`from` inclusive, `to` exclusive, default the last 28 days), optionally grouped. */
export async function anecdoteReport(ctx: Ctx, p: Principal, input: { from?: string; to?: string; by?: string }): Promise<AnecdoteReport> {
  requireCap(p, 'reports');
  if (input.by !== undefined && !(ANECDOTE_GROUPS as readonly string[]).includes(input.by))
    throw invalid('by', `must be one of ${ANECDOTE_GROUPS.join(', ')}`);
  const by = (input.by ?? null) as AnecdoteGroup | null;
  const acc = await ctx.db.query<{ timezone: string }>('SELECT timezone FROM accounts WHERE id = $1', [p.accountId]);
  const tz = acc.rows[0]?.timezone ?? 'UTC';
  const to = parseTime('to', input.to, tz) ?? ctx.now();
  const from = parseTime('from', input.from, tz) ?? new Date(to.getTime() - 28 * 86_400_000);
  if (from >= to) throw invalid('from', 'must be before to');
  const key = by === 'queue' ? 'a.queue_id::text' : by === 'channel' ? 'a.channel' : by === 'week' ? "to_char(a.week, 'YYYY-MM-DD')" : 'NULL::text';
  const sqlFor = (key: string) => `SELECT ${key} AS key, grouping(${key}) = 1 AS total,
            count(*)::int AS claims,
            count(*) FILTER (WHERE a.verdict = 'agrees')::int AS agrees,
            count(*) FILTER (WHERE a.verdict = 'contradicted')::int AS contradicted,
            count(*) FILTER (WHERE a.verdict = 'blind_spot')::int AS blind_spots,
            count(*) FILTER (WHERE a.verdict = 'no_figure')::int AS no_figure,
            ${EXAMPLE('contradicted')} AS ex_contradicted,
            ${EXAMPLE('blind_spot')} AS ex_blind
       FROM anecdote_checks a
      WHERE a.account_id = $1 AND a.message_at >= $2 AND a.message_at < $3 AND a.claim = $4
      GROUP BY GROUPING SETS ((${key}), ())
      ORDER BY total DESC, key`;
  const r = await ctx.db.query<any>(sqlFor(key), [p.accountId, from, to, 'queue']);
  const d = await ctx.db.query<any>(sqlFor('NULL::text'), [p.accountId, from, to, 'delivery']);
  const figures = (row: any): AnecdoteFigures => {
    const checked = row.agrees + row.contradicted;
    const stated = checked + row.blind_spots;
    return {
      claims: row.claims,
      agrees: row.agrees,
      contradicted: row.contradicted,
      blindSpots: row.blind_spots,
      noFigure: row.no_figure,
      contradictedShare: checked ? row.contradicted / checked : null,
      blindSpotShare: stated ? row.blind_spots / stated : null,
      examples: { contradicted: row.ex_contradicted ?? [], blindSpots: row.ex_blind ?? [] },
    };
  };
  const empty = figures({ claims: 0, agrees: 0, contradicted: 0, blind_spots: 0, no_figure: 0 });
  const totalRow = r.rows.find((x) => x.total);
  const groupRows = by ? r.rows.filter((x) => !x.total) : [];
  const labels = new Map<string, string>();
  if (by === 'queue') {
    const ids = groupRows.map((g) => g.key).filter(Boolean);
    const q = await ctx.db.query<{ id: string; name: string }>('SELECT id::text AS id, name FROM queues WHERE account_id = $1 AND id::text = ANY($2)', [p.accountId, ids]);
    for (const row of q.rows) labels.set(row.id, row.name);
  }
  const alerts = await ctx.db.query<any>(
    `SELECT to_char(week, 'YYYY-MM-DD') AS week, share, previous_share, claims, created_at FROM anecdote_alerts
      WHERE account_id = $1 AND week > ($2::timestamptz AT TIME ZONE $4)::date - 7 AND week < ($3::timestamptz AT TIME ZONE $4)::date
      ORDER BY week`,
    [p.accountId, from, to, tz],
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    by,
    timezone: tz,
    total: totalRow ? figures(totalRow) : empty,
    delivery: d.rows.find((x) => x.total) ? figures(d.rows.find((x) => x.total)) : empty,
    groups: groupRows.map((g) => ({ key: g.key, label: g.key === null ? (by === 'queue' ? '(no queue)' : '–') : labels.get(g.key) ?? g.key, ...figures(g) })),
    alerts: alerts.rows.map((a) => ({ week: a.week, contradictedShare: a.share, previousShare: a.previous_share, claims: a.claims, at: new Date(a.created_at).toISOString() })),
  };
}

/** The readable table of `earshot report anecdotes`. */
export function anecdoteText(r: AnecdoteReport): string {
  const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)} %`);
  const lines = [
    `Anecdote audit ${r.from.slice(0, 10)} – ${r.to.slice(0, 10)} (claims held against the waits measured for the same customer in the ${LOOKBACK_DAYS} days before)`,
    '',
  ];
  const row = (label: string, f: AnecdoteFigures) =>
    `${label.padEnd(28)} ${String(f.claims).padStart(6)} ${String(f.contradicted).padStart(12)} ${String(f.blindSpots).padStart(10)} ${String(f.agrees).padStart(7)} ${String(f.noFigure).padStart(9)} ${pct(f.contradictedShare).padStart(12)}`;
  lines.push(`${''.padEnd(28)} ${'claims'.padStart(6)} ${'contradicted'.padStart(12)} ${'blind spot'.padStart(10)} ${'agrees'.padStart(7)} ${'no figure'.padStart(9)} ${'contradicted%'.padStart(12)}`);
  for (const g of r.groups) lines.push(row(g.label, g));
  lines.push(row('all', r.total));
  const ex = r.total.examples.contradicted;
  if (ex.length) {
    lines.push('', 'Latest contradicted claims:');
    for (const e of ex) {
      const measured = Math.max(e.measuredContactSeconds ?? 0, e.measuredJourneySeconds ?? 0);
      lines.push(`  message ${e.messageId} (conversation ${e.conversationId}): claimed ${e.claimedMinutes} min, measured ${Math.round(measured)} s`);
    }
  }
  for (const a of r.alerts) lines.push('', `ALERT week of ${a.week}: ${pct(a.contradictedShare)} of ${a.claims} claims contradicted (previous four weeks ${pct(a.previousShare)})`);
  return `${lines.join('\n')}\n`;
}
