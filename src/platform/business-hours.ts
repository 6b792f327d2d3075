/**
 * Business hours per queue, in the queue's time zone (DST-safe through luxon), for SLA clocks that only run while
 * the queue is open: "first reply within 4 business hours" on Friday 16:00 is due on Monday 11:00.
 */
import { DateTime } from 'luxon';
import { invalid } from './errors.js';

export type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const DAYS: Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export interface BusinessHours {
  /** Per weekday a list of [open, close] in 'HH:MM', 24h; a missing day is closed. */
  week: Partial<Record<Day, [string, string][]>>;
  /** Closed dates, 'YYYY-MM-DD' in the queue's zone. */
  holidays?: string[];
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/**
 * IANA zone names only ('Europe/Oslo', 'Etc/GMT+3', 'UTC'). Luxon would also take POSIX-style names such as 'UTC+3'
 * or 'local', but PostgreSQL, which computes local days and hours, reads 'UTC+3' with the opposite sign and does not
 * know 'local': accepting them would give wrong figures or failures later.
 */
export function isTimeZone(tz: unknown): tz is string {
  return typeof tz === 'string' && /^(UTC|GMT|[A-Z][A-Za-z_-]+(\/[A-Za-z0-9_+-]+){1,2})$/.test(tz) && DateTime.now().setZone(tz).isValid;
}

export function validateTimezone(tz: string, field = 'timezone') {
  if (!isTimeZone(tz)) throw invalid(field, `unknown time zone '${tz}' (use an IANA name such as Europe/Oslo)`);
  return tz;
}

export function validateBusinessHours(bh: BusinessHours, field = 'businessHours') {
  if (!bh || typeof bh !== 'object' || typeof bh.week !== 'object') throw invalid(field, 'needs a "week" object');
  for (const [day, spans] of Object.entries(bh.week)) {
    if (!DAYS.includes(day as Day)) throw invalid(`${field}/week/${day}`, 'unknown weekday (use mon … sun)');
    if (!Array.isArray(spans)) throw invalid(`${field}/week/${day}`, 'must be a list of [open, close]');
    let last = -1;
    for (const span of spans) {
      if (!Array.isArray(span) || span.length !== 2 || !HHMM.test(span[0]) || !HHMM.test(span[1]))
        throw invalid(`${field}/week/${day}`, `bad span ${JSON.stringify(span)}; use ["09:00","17:00"]`);
      const [a, b] = [toMin(span[0]), toMin(span[1])];
      if (a >= b) throw invalid(`${field}/week/${day}`, `span ${span[0]}–${span[1]} closes before it opens`);
      if (a < last) throw invalid(`${field}/week/${day}`, 'spans must be in order and not overlap');
      last = b;
    }
  }
  for (const h of bh.holidays ?? [])
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h)) throw invalid(`${field}/holidays`, `bad date '${h}' (use YYYY-MM-DD)`);
}

function openSpans(bh: BusinessHours, day: DateTime): [number, number][] {
  if (bh.holidays?.includes(day.toISODate()!)) return [];
  const key = DAYS[day.weekday - 1];
  return (bh.week[key] ?? []).map(([a, b]) => [toMin(a), toMin(b)]);
}

/** The instant `minutes` of open time after `start`; with no business hours, plain wall-clock minutes. */
export function addBusinessMinutes(start: Date, minutes: number, bh: BusinessHours | null, tz: string): Date {
  if (!bh) return new Date(start.getTime() + minutes * 60_000);
  let left = minutes;
  let cursor = DateTime.fromJSDate(start, { zone: tz });
  for (let guard = 0; guard < 3660; guard++) {
    const dayStart = cursor.startOf('day');
    // Local wall-clock minutes, not elapsed minutes: on DST days the two differ.
    const nowMin = cursor.hour * 60 + cursor.minute + cursor.second / 60;
    for (const [a, b] of openSpans(bh, dayStart)) {
      const from = Math.max(a, nowMin);
      if (from >= b) continue;
      const avail = b - from;
      if (left <= avail) return atLocalMinute(dayStart, from + left);
      left -= avail;
    }
    cursor = dayStart.plus({ days: 1 });
  }
  throw new Error('business hours have no open time in ten years');
}

function atLocalMinute(day: DateTime, minuteOfDay: number): Date {
  const sec = Math.round(minuteOfDay * 60);
  if (sec >= 24 * 3600) return day.plus({ days: 1 }).startOf('day').toJSDate();
  return day.set({ hour: Math.floor(sec / 3600), minute: Math.floor(sec / 60) % 60, second: sec % 60, millisecond: 0 }).toJSDate();
}

/** Whether the queue is open at `at`. */
export function isOpen(at: Date, bh: BusinessHours | null, tz: string): boolean {
  if (!bh) return true;
  const t = DateTime.fromJSDate(at, { zone: tz });
  const m = t.hour * 60 + t.minute;
  return openSpans(bh, t.startOf('day')).some(([a, b]) => m >= a && m < b);
}
