/** Leader settings (days, hours, deputy, cap), their schedule, absences, and the list of leaders. */
import { DateTime } from 'luxon';
import type { Ctx, Principal, Tx } from '../../platform/context.js';
import { can, requireCap } from '../../platform/context.js';
import { forbidden, invalid, isUuid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { validateTimezone } from '../../platform/business-hours.js';
import { recordChange } from '../changes/index.js';
import { DRAW_JOB, DIGEST_JOB, STRATA, type LeaderSettings, SETTINGS_SQL, settingsOf, localDay, weekOf, nextLocal, drawHour, isAbsent, weekCount } from './shared.js';

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
    await recordChange(tx, p, ctx.now(), {
      audit: { action: before ? 'leader.settings_changed' : 'leader.settings_created', target: { type: 'user', id: userId }, data: { ...input } },
    });
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
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'leader.absence_added', target: { type: 'user', id: userId }, data: { from: from.toISODate(), to: to.toISODate(), absenceId: r.rows[0].id } },
    });
    return { id: r.rows[0].id, userId, from: from.toISODate(), to: to.toISODate(), note: input.note ?? '' };
  });
}

export async function removeAbsence(ctx: Ctx, p: Principal, userId: string, absenceId: string) {
  if (!(can(p, 'manage') || (p.userId && p.userId === userId))) throw forbidden('Only supervisors, admins or the person themself remove absences');
  if (!isUuid(absenceId) || !isUuid(userId)) throw notFound('Absence');
  await ctx.db.transaction(async (tx) => {
    const r = await tx.query('DELETE FROM leader_absences WHERE id = $1 AND user_id = $2 AND account_id = $3 RETURNING id', [absenceId, userId, p.accountId]);
    if (!r.rows.length) throw notFound('Absence');
    await recordChange(tx, p, ctx.now(), {
      audit: { action: 'leader.absence_removed', target: { type: 'user', id: userId }, data: { absenceId } },
    });
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

