/**
 * Leaders within earshot (issue 7): each leader gets 1–3 real open requests per working day, drawn at random (seeded,
 * replayable) from open conversations; the team prepares each one (summary, proposed answer); the leader answers in
 * their own name through the customer's channel or hands it back. A weekly cap, absences and a named deputy keep the
 * leader from burning out. Design: docs/leaders.md.
 */
import { createHash, randomInt } from 'node:crypto';
import { featureChanged } from '../../platform/changes.js';
import { DateTime } from 'luxon';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { can, requireCap, systemPrincipal } from '../../platform/context.js';
import { AppError, conflict, forbidden, invalid, isUuid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { validateTimezone } from '../../platform/business-hours.js';
import { audit } from '../audit/index.js';
import { rng } from '../simulate/index.js';
import { reply } from '../conversations/index.js';
import { customerTimeline } from '../customers/index.js';
import { satisfactionFor, type Satisfaction } from '../csat/index.js';

export const DRAW_JOB = 'leaders.draw';
export const DIGEST_JOB = 'leaders.digest';
export const STRATA = ['channel', 'queue', 'language'] as const;
export type Stratum = (typeof STRATA)[number];
export const OPEN_STATUSES = ['new', 'open', 'pending'];

export interface LeaderSettings {
  userId: string;
  name: string;
  email: string;
  role: string;
  locale: 'en' | 'de' | 'nb';
  requestsPerDay: number;
  weeklyCap: number;
  deputyId: string | null;
  deputyName: string | null;
  timezone: string;
  /** The stored zone (null: the account's). */
  ownTimezone: string | null;
  digestHour: number;
  workingDays: number[];
  dedupDays: number;
  stratify: Stratum[];
  nextDrawAt: Date | null;
  nextDigestAt: Date | null;
}

const SETTINGS_SQL = `
  SELECT s.user_id AS "userId", u.name, u.email, u.role, u.locale, s.requests_per_day AS "requestsPerDay", s.weekly_cap AS "weeklyCap",
         s.deputy_id AS "deputyId", d.name AS "deputyName", coalesce(s.timezone, a.timezone) AS timezone, s.timezone AS "ownTimezone",
         s.digest_hour AS "digestHour", s.working_days AS "workingDays", s.dedup_days AS "dedupDays", s.stratify,
         s.next_draw_at AS "nextDrawAt", s.next_digest_at AS "nextDigestAt"
    FROM leader_settings s JOIN users u ON u.id = s.user_id JOIN accounts a ON a.id = s.account_id
    LEFT JOIN users d ON d.id = s.deputy_id`;

export async function settingsOf(tx: Tx, accountId: string, userId: string): Promise<LeaderSettings | null> {
  if (!isUuid(userId)) return null;
  const r = await tx.query<LeaderSettings>(`${SETTINGS_SQL} WHERE s.account_id = $1 AND s.user_id = $2`, [accountId, userId]);
  return r.rows[0] ?? null;
}

// ---------------------------------------------------------------- time

export const localDay = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toISODate()!;
/** Monday of the ISO week of a local date. */
export const weekOf = (day: string) => DateTime.fromISO(day).startOf('week').toISODate()!;
const isoWeekday = (day: string) => DateTime.fromISO(day).weekday;

/** The next time after `now` at `hour`:00 local on one of the working days. */
export function nextLocal(now: Date, zone: string, hour: number, workingDays: number[]): Date | null {
  if (!workingDays.length) return null;
  let d = DateTime.fromJSDate(now, { zone }).startOf('day');
  for (let i = 0; i < 15; i++, d = d.plus({ days: 1 })) {
    const t = d.set({ hour });
    if (workingDays.includes(t.weekday) && t.toMillis() > now.getTime()) return t.toJSDate();
  }
  return null;
}
/** The draw runs an hour before the digest (at 06:00 with the default digest hour 7), so the digest lists today's requests. */
export const drawHour = (digestHour: number) => Math.max(0, Math.min(6, digestHour - 1));

async function isAbsent(tx: Tx, userId: string, day: string): Promise<boolean> {
  const r = await tx.query('SELECT 1 FROM leader_absences WHERE user_id = $1 AND from_date <= $2::date AND to_date >= $2::date', [userId, day]);
  return r.rows.length > 0;
}
async function weekCount(tx: Tx, userId: string, week: string): Promise<number> {
  const r = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM leader_items WHERE assignee_id = $1 AND week = $2::date', [userId, week]);
  return r.rows[0].n;
}

// ---------------------------------------------------------------- settings

export interface SettingsInput {
  requestsPerDay?: number;
  weeklyCap?: number;
  deputyId?: string | null;
  timezone?: string | null;
  digestHour?: number;
  workingDays?: number[];
  dedupDays?: number;
  stratify?: string[];
}

/** Creates or changes a leader's settings (supervisor, admin) and (re)schedules their draw and digest. */
export async function saveSettings(ctx: Ctx, p: Principal, userId: string, input: SettingsInput): Promise<LeaderSettings> {
  requireCap(p, 'manage');
  if (!isUuid(userId)) throw notFound('User');
  const u = await ctx.db.query<{ id: string; disabled_at: Date | null }>('SELECT id, disabled_at FROM users WHERE id = $1 AND account_id = $2', [userId, p.accountId]);
  if (!u.rows[0]) throw notFound('User');
  if (u.rows[0].disabled_at) throw invalid('userId', 'this user is disabled');
  const int = (field: string, v: number | undefined, lo: number, hi: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < lo || v > hi)) throw invalid(field, `a whole number from ${lo} to ${hi}`);
    return v;
  };
  int('requestsPerDay', input.requestsPerDay, 1, 3);
  int('weeklyCap', input.weeklyCap, 0, 50);
  int('digestHour', input.digestHour, 0, 23);
  int('dedupDays', input.dedupDays, 0, 365);
  if (input.workingDays !== undefined) {
    if (!input.workingDays.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) throw invalid('workingDays', 'ISO weekdays 1 (Monday) to 7 (Sunday)');
  }
  if (input.stratify !== undefined && !input.stratify.every((s) => (STRATA as readonly string[]).includes(s)))
    throw invalid('stratify', `any of ${STRATA.join(', ')}`);
  if (input.timezone !== undefined && input.timezone !== null) validateTimezone(input.timezone, 'timezone');
  if (input.deputyId) {
    if (input.deputyId === userId) throw invalid('deputyId', 'a leader cannot be their own deputy');
    const d = isUuid(input.deputyId)
      ? await ctx.db.query('SELECT 1 FROM users WHERE id = $1 AND account_id = $2 AND disabled_at IS NULL', [input.deputyId, p.accountId])
      : { rows: [] };
    if (!d.rows.length) throw invalid('deputyId', 'no active user of this account has this id');
  }
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const before = await settingsOf(tx, p.accountId, userId);
    const set = (k: keyof SettingsInput) => input[k] !== undefined;
    await tx.query(
      `INSERT INTO leader_settings (user_id, account_id, requests_per_day, weekly_cap, deputy_id, timezone, digest_hour, working_days, dedup_days, stratify)
       VALUES ($1, $2, coalesce($3, 2), coalesce($4, 8), $5, $6, coalesce($7, 7), coalesce($8, '{1,2,3,4,5}'::int[]), coalesce($9, 30), coalesce($10, '{}'::text[]))
       ON CONFLICT (user_id) DO UPDATE SET
         requests_per_day = coalesce($3, leader_settings.requests_per_day), weekly_cap = coalesce($4, leader_settings.weekly_cap),
         deputy_id = CASE WHEN $11 THEN $5 ELSE leader_settings.deputy_id END,
         timezone = CASE WHEN $12 THEN $6 ELSE leader_settings.timezone END,
         digest_hour = coalesce($7, leader_settings.digest_hour), working_days = coalesce($8, leader_settings.working_days),
         dedup_days = coalesce($9, leader_settings.dedup_days), stratify = coalesce($10, leader_settings.stratify), updated_at = now()`,
      [userId, p.accountId, input.requestsPerDay ?? null, input.weeklyCap ?? null, input.deputyId ?? null, input.timezone ?? null,
       input.digestHour ?? null, input.workingDays ? [...new Set(input.workingDays)].sort() : null, input.dedupDays ?? null,
       input.stratify ? [...new Set(input.stratify)] : null, set('deputyId'), set('timezone')],
    );
    const s = (await settingsOf(tx, p.accountId, userId))!;
    await schedule(tx, s, now);
    await audit(tx, p, before ? 'leader.settings_changed' : 'leader.settings_created', { type: 'user', id: userId }, { ...input });
    return (await settingsOf(tx, p.accountId, userId))!;
  });
}

/** Sets next_draw_at / next_digest_at and enqueues both jobs (older queued jobs see a different time and do nothing). */
async function schedule(tx: Tx, s: LeaderSettings, now: Date) {
  const draw = nextLocal(now, s.timezone, drawHour(s.digestHour), s.workingDays);
  const digest = nextLocal(now, s.timezone, s.digestHour, s.workingDays);
  await tx.query('UPDATE leader_settings SET next_draw_at = $2, next_digest_at = $3 WHERE user_id = $1', [s.userId, draw, digest]);
  if (draw) await enqueue(tx, DRAW_JOB, { leaderId: s.userId, at: draw.toISOString() }, { runAt: draw });
  if (digest) await enqueue(tx, DIGEST_JOB, { leaderId: s.userId, at: digest.toISOString() }, { runAt: digest });
}

export async function addAbsence(ctx: Ctx, p: Principal, userId: string, input: { from: string; to: string; note?: string }) {
  if (!(can(p, 'manage') || (p.userId && p.userId === userId))) throw forbidden('Only supervisors, admins or the person themself set absences');
  if (!isUuid(userId)) throw notFound('User');
  const from = DateTime.fromISO(input.from ?? '');
  const to = DateTime.fromISO(input.to ?? '');
  if (!from.isValid) throw invalid('from', 'an ISO date such as 2026-12-01');
  if (!to.isValid) throw invalid('to', 'an ISO date such as 2026-12-05');
  if (to < from) throw invalid('to', 'must not be before from');
  return ctx.db.transaction(async (tx) => {
    const u = await tx.query('SELECT 1 FROM users WHERE id = $1 AND account_id = $2', [userId, p.accountId]);
    if (!u.rows.length) throw notFound('User');
    const r = await tx.query<{ id: string }>(
      `INSERT INTO leader_absences (account_id, user_id, from_date, to_date, note, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [p.accountId, userId, from.toISODate(), to.toISODate(), (input.note ?? '').slice(0, 500), p.userId],
    );
    await audit(tx, p, 'leader.absence_added', { type: 'user', id: userId }, { from: from.toISODate(), to: to.toISODate(), absenceId: r.rows[0].id });
    return { id: r.rows[0].id, userId, from: from.toISODate(), to: to.toISODate(), note: input.note ?? '' };
  });
}

export async function removeAbsence(ctx: Ctx, p: Principal, userId: string, absenceId: string) {
  if (!(can(p, 'manage') || (p.userId && p.userId === userId))) throw forbidden('Only supervisors, admins or the person themself remove absences');
  if (!isUuid(absenceId) || !isUuid(userId)) throw notFound('Absence');
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query('DELETE FROM leader_absences WHERE id = $1 AND user_id = $2 AND account_id = $3 RETURNING id', [absenceId, userId, p.accountId]);
    if (!r.rows.length) throw notFound('Absence');
    await audit(tx, p, 'leader.absence_removed', { type: 'user', id: userId }, { absenceId });
  });
}

/** Every leader with settings, absences from today on, and this week's assigned count against the cap. */
export async function listLeaders(ctx: Ctx, p: Principal) {
  requireCap(p, 'conversations');
  const r = await ctx.db.query<LeaderSettings>(`${SETTINGS_SQL} WHERE s.account_id = $1 ORDER BY u.name`, [p.accountId]);
  const now = ctx.now();
  const out = [];
  for (const s of r.rows) {
    const today = localDay(now, s.timezone);
    const week = weekOf(today);
    const abs = await ctx.db.query(
      `SELECT id, to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to", note
         FROM leader_absences WHERE user_id = $1 AND to_date >= $2::date ORDER BY from_date`,
      [s.userId, today],
    );
    out.push({ ...s, today, week, weekCount: await weekCount(ctx.db, s.userId, week), absentToday: await isAbsent(ctx.db, s.userId, today), absences: abs.rows });
  }
  return out;
}

// ---------------------------------------------------------------- the draw

export interface Candidate {
  id: string;
  stratum: string;
}

/**
 * The sample: strata (one when not stratified) in sorted order shuffled by the PRNG, then round-robin over the strata,
 * each time a uniform pick inside the stratum. Same seed and same candidates → same picks (an auditor's replay).
 */
export function pickSample(seed: number, candidates: Candidate[], n: number): string[] {
  const r = rng(seed);
  const groups = new Map<string, string[]>();
  for (const c of candidates) {
    if (!groups.has(c.stratum)) groups.set(c.stratum, []);
    groups.get(c.stratum)!.push(c.id);
  }
  const keys = [...groups.keys()].sort();
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  const picks: string[] = [];
  let left = candidates.length;
  for (let i = 0; picks.length < n && left > 0; i++) {
    const g = groups.get(keys[i % keys.length])!;
    if (!g.length) continue;
    picks.push(g.splice(Math.floor(r() * g.length), 1)[0]);
    left--;
  }
  return picks;
}

export const candidatesHash = (c: Candidate[]) => createHash('sha256').update(JSON.stringify(c)).digest('hex');

export interface Unassigned {
  conversationId: string;
  reason: 'cap' | 'absence';
  deputy: 'none' | 'cap' | 'absence';
}

export interface DrawView {
  id: string;
  leaderId: string;
  day: string;
  seed: number;
  requested: number;
  stratify: string[];
  candidateCount: number;
  candidatesHash: string;
  picks: string[];
  unassigned: Unassigned[];
  note: string | null;
  items: ItemView[];
  existing?: boolean;
}

async function drawView(tx: Tx, p: Principal, id: string): Promise<DrawView> {
  const r = await tx.query<any>(
    `SELECT id, leader_id AS "leaderId", to_char(day, 'YYYY-MM-DD') AS day, seed::text AS seed, requested, stratify,
            jsonb_array_length(candidates) AS "candidateCount", candidates_hash AS "candidatesHash", picks, unassigned, note
       FROM leader_draws WHERE id = $1 AND account_id = $2`,
    [id, p.accountId],
  );
  if (!r.rows[0]) throw notFound('Draw');
  const d = r.rows[0];
  return { ...d, seed: Number(d.seed), items: await listItemRows(tx, p.accountId, { drawId: id }) };
}

/**
 * Draws the sample of one leader for one local day (default: today in the leader's zone). Idempotent per (leader, day):
 * a second call answers the existing draw. Every pick is assigned to the leader, or to the deputy (cap or absence), or
 * to nobody (the draw says why); nobody gets more than their weekly cap.
 */
export async function draw(ctx: Ctx, p: Principal, leaderId: string, opts: { date?: string; seed?: number } = {}): Promise<DrawView> {
  requireCap(p, 'manage');
  if (opts.seed !== undefined && (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 2 ** 31 - 1))
    throw invalid('seed', 'a whole number from 0 to 2147483647');
  if (opts.date !== undefined && !DateTime.fromISO(opts.date).isValid) throw invalid('date', 'an ISO date such as 2026-11-25');
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    // One draw at a time per account: caps, de-duplication and "never twice the same conversation" hold.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('leaders.draw:' || $1::text))`, [p.accountId]);
    const s = await settingsOf(tx, p.accountId, leaderId);
    if (!s) throw notFound('Leader (a user with leader settings)');
    const day = opts.date ? DateTime.fromISO(opts.date).toISODate()! : localDay(now, s.timezone);
    const existing = await tx.query<{ id: string }>('SELECT id FROM leader_draws WHERE leader_id = $1 AND day = $2::date', [leaderId, day]);
    if (existing.rows[0]) return { ...(await drawView(tx, p, existing.rows[0].id)), existing: true };
    const seed = opts.seed ?? randomInt(0, 2 ** 31 - 1);
    const working = s.workingDays.includes(isoWeekday(day));
    const dayEnd = DateTime.fromISO(day, { zone: s.timezone }).plus({ days: 1 }).toJSDate();
    const cutoff = dayEnd < now ? dayEnd : now;
    const candidates: Candidate[] = [];
    if (working) {
      const c = await tx.query<{ id: string; channel: string; queue: string; language: string }>(
        `SELECT id, channel, queue, language FROM (
           SELECT DISTINCT ON (c.customer_id) c.id, c.number, c.channel, coalesce(q.name, '') AS queue,
                  coalesce(c.language, cu.language, '') AS language
             FROM conversations c JOIN customers cu ON cu.id = c.customer_id LEFT JOIN queues q ON q.id = c.queue_id
            WHERE c.account_id = $1 AND c.status = ANY($2::text[]) AND NOT c.automatic AND c.merged_into IS NULL AND c.created_at <= $3
              AND NOT EXISTS (SELECT 1 FROM probes pr WHERE pr.account_id = c.account_id AND pr.customer_id = c.customer_id)
              AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.kind = 'message'
                            AND m.author_type = 'customer' AND NOT m.automatic)
              AND NOT EXISTS (SELECT 1 FROM leader_items li WHERE li.conversation_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM leader_items li WHERE li.account_id = c.account_id AND li.customer_id = c.customer_id
                                AND li.day > $4::date - $5::int AND li.day < $4::date + $5::int)
            ORDER BY c.customer_id, c.number) t
          ORDER BY number`,
        [p.accountId, OPEN_STATUSES, cutoff, day, s.dedupDays],
      );
      for (const row of c.rows) candidates.push({ id: row.id, stratum: s.stratify.map((k) => (row as any)[k] ?? '').join('|') });
    }
    const picks = pickSample(seed, candidates, s.requestsPerDay);
    const note = !working ? 'not_working_day' : candidates.length ? null : 'no_candidates';
    const d = await tx.query<{ id: string }>(
      `INSERT INTO leader_draws (account_id, leader_id, day, seed, candidates, candidates_hash, requested, stratify, picks, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [p.accountId, leaderId, day, seed, JSON.stringify(candidates), candidatesHash(candidates), s.requestsPerDay, s.stratify, picks, note],
    );
    const drawId = d.rows[0].id;
    const week = weekOf(day);
    const unassigned: Unassigned[] = [];
    for (const conversationId of picks) {
      const a = await assigneeFor(tx, s, day, week);
      if ('unassigned' in a) {
        unassigned.push({ conversationId, ...a.unassigned });
        await audit(tx, p, 'leader.item_unassigned', { type: 'conversation', id: conversationId }, { drawId, leaderId, ...a.unassigned });
        continue;
      }
      const it = await tx.query<{ id: string }>(
        `INSERT INTO leader_items (account_id, draw_id, leader_id, assignee_id, reason, conversation_id, customer_id, day, week, drawn_at)
         SELECT $1, $2, $3, $4, $5, c.id, c.customer_id, $6, $7, $8 FROM conversations c WHERE c.id = $9 RETURNING id`,
        [p.accountId, drawId, leaderId, a.assignee, a.reason, day, week, now, conversationId],
      );
      await audit(tx, p, 'leader.item_assigned', { type: 'leader_item', id: it.rows[0].id }, {
        drawId, conversationId, leaderId, assigneeId: a.assignee, reason: a.reason,
      });
    }
    await tx.query('UPDATE leader_draws SET unassigned = $2 WHERE id = $1', [drawId, JSON.stringify(unassigned)]);
    await featureChanged(tx, p.accountId, 'leaders');
    await audit(tx, p, 'leader.drawn', { type: 'leader_draw', id: drawId }, {
      leaderId, day, seed, candidates: candidates.length, candidatesHash: candidatesHash(candidates), picks, note,
    });
    return drawView(tx, p, drawId);
  });
}

async function assigneeFor(
  tx: Tx, s: LeaderSettings, day: string, week: string,
): Promise<{ assignee: string; reason: 'cap' | 'absence' | null } | { unassigned: Omit<Unassigned, 'conversationId'> }> {
  const absent = await isAbsent(tx, s.userId, day);
  if (!absent && (await weekCount(tx, s.userId, week)) < s.weeklyCap) return { assignee: s.userId, reason: null };
  const reason = absent ? 'absence' : 'cap';
  if (!s.deputyId) return { unassigned: { reason, deputy: 'none' } };
  const ds = await tx.query<{ weekly_cap: number }>('SELECT weekly_cap FROM leader_settings WHERE user_id = $1', [s.deputyId]);
  const deputyCap = ds.rows[0]?.weekly_cap ?? 8;
  if (await isAbsent(tx, s.deputyId, day)) return { unassigned: { reason, deputy: 'absence' } };
  if ((await weekCount(tx, s.deputyId, week)) >= deputyCap) return { unassigned: { reason, deputy: 'cap' } };
  return { assignee: s.deputyId, reason };
}

/** Draws for every leader of the account (or one); used by the API without leaderId and by the CLI. */
export async function drawAll(ctx: Ctx, p: Principal, opts: { leaderId?: string; date?: string; seed?: number }) {
  requireCap(p, 'manage');
  if (opts.leaderId) return [await draw(ctx, p, opts.leaderId, opts)];
  const r = await ctx.db.query<{ userId: string }>(`SELECT user_id AS "userId" FROM leader_settings WHERE account_id = $1 ORDER BY created_at, user_id`, [p.accountId]);
  const out = [];
  for (const l of r.rows) out.push(await draw(ctx, p, l.userId, opts));
  return out;
}

/** A draw, with the auditor's replay: the stored seed over the stored candidates gives the stored picks. */
export async function getDraw(ctx: Ctx, p: Principal, id: string) {
  requireCap(p, 'reports');
  if (!isUuid(id)) throw notFound('Draw');
  const view = await drawView(ctx.db, p, id);
  const c = await ctx.db.query<{ candidates: Candidate[] }>('SELECT candidates FROM leader_draws WHERE id = $1', [id]);
  const candidates = c.rows[0].candidates;
  const replayed = pickSample(view.seed, candidates, view.requested);
  return {
    ...view,
    candidates,
    replay: { picks: replayed, hashMatches: candidatesHash(candidates) === view.candidatesHash, picksMatch: JSON.stringify(replayed) === JSON.stringify(view.picks) },
  };
}

// ---------------------------------------------------------------- items

export interface ItemView {
  id: string;
  drawId: string;
  leaderId: string;
  leaderName: string;
  assigneeId: string;
  assigneeName: string;
  reason: 'cap' | 'absence' | null;
  conversationId: string;
  conversationNumber: number;
  subject: string;
  channel: string;
  conversationStatus: string;
  customerId: string;
  customerName: string | null;
  day: string;
  status: 'drawn' | 'prepared' | 'answered' | 'handed_back';
  summary: string | null;
  proposedAnswer: string | null;
  notes: string | null;
  preparedBy: string | null;
  preparedByName: string | null;
  preparedAt: Date | null;
  answerMessageId: string | null;
  answeredAt: Date | null;
  handBackReason: string | null;
  handedBackAt: Date | null;
  drawnAt: Date;
  followThrough?: FollowThrough | null;
}

export interface FollowThrough {
  customerReplied: boolean;
  customerRepliedAt: Date | null;
  conversationStatus: string;
  satisfaction: Satisfaction | null;
  /** From the draw to the leader's answer. */
  timeToAnswerSeconds: number;
}

const ITEM_SQL = `
  SELECT li.id, li.draw_id AS "drawId", li.leader_id AS "leaderId", lu.name AS "leaderName", li.assignee_id AS "assigneeId", au.name AS "assigneeName",
         li.reason, li.conversation_id AS "conversationId", c.number AS "conversationNumber", c.subject, c.channel, c.status AS "conversationStatus",
         li.customer_id AS "customerId", cu.name AS "customerName", to_char(li.day, 'YYYY-MM-DD') AS day, li.status, li.summary,
         li.proposed_answer AS "proposedAnswer", li.notes, li.prepared_by AS "preparedBy", pu.name AS "preparedByName", li.prepared_at AS "preparedAt",
         li.answer_message_id AS "answerMessageId", li.answered_at AS "answeredAt", li.hand_back_reason AS "handBackReason",
         li.handed_back_at AS "handedBackAt", li.drawn_at AS "drawnAt",
         (SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = li.conversation_id AND m.kind = 'message'
             AND m.author_type = 'customer' AND li.answered_at IS NOT NULL AND m.created_at > li.answered_at) AS "customerRepliedAt"
    FROM leader_items li JOIN users lu ON lu.id = li.leader_id JOIN users au ON au.id = li.assignee_id
    JOIN conversations c ON c.id = li.conversation_id JOIN customers cu ON cu.id = li.customer_id
    LEFT JOIN users pu ON pu.id = li.prepared_by`;

async function listItemRows(
  tx: Tx, accountId: string, f: { drawId?: string; status?: string; leaderId?: string; assigneeId?: string; conversationId?: string; id?: string },
): Promise<ItemView[]> {
  const r = await tx.query<ItemView & { customerRepliedAt: Date | null }>(
    `${ITEM_SQL}
      WHERE li.account_id = $1 AND ($2::uuid IS NULL OR li.draw_id = $2) AND ($3::text IS NULL OR li.status = $3)
        AND ($4::uuid IS NULL OR li.leader_id = $4 OR li.assignee_id = $4) AND ($5::uuid IS NULL OR li.assignee_id = $5)
        AND ($6::uuid IS NULL OR li.conversation_id = $6) AND ($7::uuid IS NULL OR li.id = $7)
      ORDER BY li.day DESC, li.drawn_at DESC, c.number
      LIMIT 500`,
    [accountId, f.drawId ?? null, f.status ?? null, f.leaderId ?? null, f.assigneeId ?? null, f.conversationId ?? null, f.id ?? null],
  );
  const answered = r.rows.filter((i) => i.status === 'answered');
  const sat = answered.length ? await satisfactionFor(tx, accountId, answered.map((i) => i.conversationId)) : new Map<string, Satisfaction>();
  return r.rows.map(({ customerRepliedAt, ...i }) => ({
    ...i,
    followThrough: i.status === 'answered' && i.answeredAt
      ? {
          customerReplied: customerRepliedAt !== null,
          customerRepliedAt,
          conversationStatus: i.conversationStatus,
          satisfaction: sat.get(i.conversationId) ?? null,
          timeToAnswerSeconds: Math.round((new Date(i.answeredAt).getTime() - new Date(i.drawnAt).getTime()) / 1000),
        }
      : null,
  }));
}

const ITEM_STATUSES = ['drawn', 'prepared', 'answered', 'handed_back'];

export async function listItems(ctx: Ctx, p: Principal, f: { status?: string; leaderId?: string; conversationId?: string }) {
  requireCap(p, 'conversations');
  if (f.status !== undefined && !ITEM_STATUSES.includes(f.status)) throw invalid('status', `one of ${ITEM_STATUSES.join(', ')}`);
  if (f.leaderId !== undefined && !isUuid(f.leaderId)) throw invalid('leaderId', 'a user id');
  if (f.conversationId !== undefined && !isUuid(f.conversationId)) throw invalid('conversationId', 'a conversation id');
  return listItemRows(ctx.db, p.accountId, f);
}

async function itemRow(tx: Tx, p: Principal, id: string): Promise<ItemView> {
  if (!isUuid(id)) throw notFound('Leader request');
  const r = await listItemRows(tx, p.accountId, { id });
  if (!r[0]) throw notFound('Leader request');
  return r[0];
}

/** The preparation view: the item, the conversation's messages with listening findings, and the customer's journey. */
export async function getItem(ctx: Ctx, p: Principal, id: string) {
  requireCap(p, 'conversations');
  const item = await itemRow(ctx.db, p, id);
  const m = await ctx.db.query(
    `SELECT m.id, m.kind, m.direction, m.author_type AS "authorType", coalesce(u.name, cu.name) AS "authorName", m.text, m.language, m.created_at AS "createdAt",
            CASE WHEN f.message_id IS NOT NULL THEN json_build_object('lang', f.lang, 'urgency', f.urgency, 'abuse', f.abuse, 'threat', f.threat,
                 'waitComplaint', f.wait_complaint, 'waitMinutes', f.wait_minutes, 'sentiment', f.sentiment) END AS findings
       FROM messages m LEFT JOIN users u ON u.id = m.author_user_id LEFT JOIN customers cu ON cu.id = m.author_customer_id
       LEFT JOIN message_findings f ON f.message_id = m.id
      WHERE m.conversation_id = $1 ORDER BY m.created_at, m.id`,
    [item.conversationId],
  );
  const journey = await customerTimeline(ctx, p, item.customerId, 20);
  return { ...item, messages: m.rows, journey: journey.items };
}

/** A team member (not the leader, not whoever answers it) prepares a drawn item: summary, proposed answer, notes. */
export async function prepare(ctx: Ctx, p: Principal, id: string, input: { summary: string; proposedAnswer: string; notes?: string }) {
  requireCap(p, 'conversations');
  if (p.role === 'leader') throw forbidden('Preparing requests is the team’s work (agents, supervisors), not a leader’s');
  const summary = input.summary?.trim();
  const proposed = input.proposedAnswer?.trim();
  if (!summary) throw invalid('summary', 'required');
  if (!proposed) throw invalid('proposedAnswer', 'required');
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<{ leader_id: string; assignee_id: string; status: string }>(
      'SELECT leader_id, assignee_id, status FROM leader_items WHERE id = $1 AND account_id = $2 FOR UPDATE',
      [isUuid(id) ? id : null, p.accountId],
    );
    const it = r.rows[0];
    if (!it) throw notFound('Leader request');
    if (p.userId && (p.userId === it.leader_id || p.userId === it.assignee_id))
      throw forbidden('The leader (or deputy) who answers a request does not prepare it: a team member does');
    if (!['drawn', 'prepared'].includes(it.status)) throw conflict('leader_item_closed', `This request is ${it.status} already`);
    await tx.query(
      `UPDATE leader_items SET status = 'prepared', summary = $2, proposed_answer = $3, notes = $4, prepared_by = $5, prepared_at = $6 WHERE id = $1`,
      [id, summary, proposed, input.notes?.trim() || null, p.userId, ctx.now()],
    );
    await featureChanged(tx, p.accountId, 'leaders');
    await audit(tx, p, 'leader.item_prepared', { type: 'leader_item', id }, { again: it.status === 'prepared' });
    return itemRow(tx, p, id);
  });
}

/**
 * The leader (or the deputy it went to) answers in their own name: the conversation service's reply() with their
 * principal, so the message is theirs and goes out through the customer's channel. The item changes in the same
 * transaction as the reply (afterWrite), so a refused item sends nothing.
 */
export async function answer(ctx: Ctx, p: Principal, id: string, input: { text: string }) {
  requireCap(p, 'conversations');
  const text = input.text?.trim();
  if (!text) throw invalid('text', 'required');
  const item = await itemRow(ctx.db, p, id);
  if (!p.userId || p.userId !== item.assigneeId) throw forbidden('Only the leader this request is assigned to answers it, in their own name');
  if (item.status !== 'prepared') throw conflict('leader_item_not_prepared', item.status === 'drawn' ? 'This request is still being prepared by the team' : `This request is ${item.status} already`);
  const msg = await reply(ctx, p, item.conversationId, { text }, {
    afterWrite: async (tx, ids) => {
      const r = await tx.query<{ status: string }>('SELECT status FROM leader_items WHERE id = $1 FOR UPDATE', [id]);
      if (r.rows[0]?.status !== 'prepared') throw conflict('leader_item_not_prepared', `This request is ${r.rows[0]?.status} already`);
      await tx.query(`UPDATE leader_items SET status = 'answered', answer_message_id = $2, answered_at = $3 WHERE id = $1`, [id, ids.messageId, ctx.now()]);
      await featureChanged(tx, p.accountId, 'leaders');
      await audit(tx, p, 'leader.item_answered', { type: 'leader_item', id }, { conversationId: item.conversationId, messageId: ids.messageId, edited: text !== item.proposedAnswer });
    },
  });
  return { item: await itemRow(ctx.db, p, id), message: msg };
}

/** The leader hands a request back to the team (the team keeps the conversation), with a reason. */
export async function handBack(ctx: Ctx, p: Principal, id: string, input: { reason: string }) {
  requireCap(p, 'conversations');
  const reason = input.reason?.trim();
  if (!reason) throw invalid('reason', 'say why the team keeps this one');
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<{ assignee_id: string; status: string; conversation_id: string }>(
      'SELECT assignee_id, status, conversation_id FROM leader_items WHERE id = $1 AND account_id = $2 FOR UPDATE',
      [isUuid(id) ? id : null, p.accountId],
    );
    const it = r.rows[0];
    if (!it) throw notFound('Leader request');
    if (!p.userId || p.userId !== it.assignee_id) throw forbidden('Only the leader this request is assigned to hands it back');
    if (!['drawn', 'prepared'].includes(it.status)) throw conflict('leader_item_closed', `This request is ${it.status} already`);
    await tx.query(`UPDATE leader_items SET status = 'handed_back', hand_back_reason = $2, handed_back_at = $3 WHERE id = $1`, [id, reason, ctx.now()]);
    await featureChanged(tx, p.accountId, 'leaders');
    await audit(tx, p, 'leader.item_handed_back', { type: 'leader_item', id }, { conversationId: it.conversation_id, reason });
    return itemRow(tx, p, id);
  });
}

/** The signed-in leader's (or deputy's) day: prepared requests to answer, and the ones the team is still preparing. */
export async function today(ctx: Ctx, p: Principal) {
  requireCap(p, 'conversations');
  if (!p.userId) throw new AppError('user_required', 'Today’s requests belong to a signed-in user, not an API token', 400);
  const open = [...(await listItemRows(ctx.db, p.accountId, { assigneeId: p.userId, status: 'prepared' }))];
  const details = [];
  for (const i of open) details.push(await getItem(ctx, p, i.id));
  const drawn = await listItemRows(ctx.db, p.accountId, { assigneeId: p.userId, status: 'drawn' });
  const answered = (await listItemRows(ctx.db, p.accountId, { assigneeId: p.userId, status: 'answered' })).slice(0, 20);
  const s = await settingsOf(ctx.db, p.accountId, p.userId);
  const tz = s?.timezone ?? 'UTC';
  const week = weekOf(localDay(ctx.now(), tz));
  return {
    prepared: details,
    beingPrepared: drawn.map((i) => ({ id: i.id, conversationNumber: i.conversationNumber, subject: i.subject, channel: i.channel, day: i.day })),
    answered,
    week: { week, count: await weekCount(ctx.db, p.userId, week), cap: s?.weeklyCap ?? null },
  };
}

// ---------------------------------------------------------------- jobs

/** `leaders.draw`: draws today's sample when its time is the scheduled one, then schedules the next. */
export async function runDrawJob(ctx: Ctx, payload: { leaderId: string; at: string }) {
  const r = await ctx.db.query<{ account_id: string; next_draw_at: Date | null }>('SELECT account_id, next_draw_at FROM leader_settings WHERE user_id = $1', [payload.leaderId]);
  const row = r.rows[0];
  if (!row || !row.next_draw_at || new Date(row.next_draw_at).toISOString() !== payload.at) return; // rescheduled or removed
  const sys = systemPrincipal(row.account_id);
  const at = new Date(payload.at);
  const s = (await settingsOf(ctx.db, row.account_id, payload.leaderId))!;
  await draw(ctx, sys, payload.leaderId, { date: localDay(at, s.timezone) });
  await ctx.db.transaction(async (tx) => {
    const next = nextLocal(at, s.timezone, drawHour(s.digestHour), s.workingDays);
    const u = await tx.query('UPDATE leader_settings SET next_draw_at = $2 WHERE user_id = $1 AND next_draw_at = $3 RETURNING 1', [s.userId, next, at]);
    if (u.rows.length && next) await enqueue(tx, DRAW_JOB, { leaderId: s.userId, at: next.toISOString() }, { runAt: next });
  });
}

export function listItemsForDigest(tx: Tx, accountId: string, leaderId: string) {
  return listItemRows(tx, accountId, { assigneeId: leaderId });
}
export { schedule as scheduleLeader };
