/** A leader's settings row, local days and weeks, absences and the weekly count: shared by the draw, the items and the digest. */
import { DateTime } from 'luxon';
import type { Tx } from '../../platform/context.js';
import { isUuid } from '../../platform/errors.js';

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

export const SETTINGS_SQL = `
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
export const isoWeekday = (day: string) => DateTime.fromISO(day).weekday;

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

export async function isAbsent(tx: Tx, userId: string, day: string): Promise<boolean> {
  const r = await tx.query('SELECT 1 FROM leader_absences WHERE user_id = $1 AND from_date <= $2::date AND to_date >= $2::date', [userId, day]);
  return r.rows.length > 0;
}
export async function weekCount(tx: Tx, userId: string, week: string): Promise<number> {
  const r = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM leader_items WHERE assignee_id = $1 AND week = $2::date', [userId, week]);
  return r.rows[0].n;
}
