/** Locale-aware dates, numbers and durations (Intl), in the language the user chose. */
import i18n from './i18n';

const locale = () => (i18n.language === 'nb' ? 'nb-NO' : i18n.language === 'de' ? 'de-DE' : 'en-GB');

export const fmtNumber = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n) ? '–' : new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);

export const fmtPercent = (share: number | null | undefined, digits = 1) =>
  share === null || share === undefined ? '–' : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits }).format(share);

/**
 * The rule for times (issue 13): a moment (a message, an event, a proposal, a ban's end) is shown in the VIEWER's time
 * zone — the browser's — on every screen, so the same message shows the same clock time everywhere. Only business-hours
 * facts (opening hours, the heat map by hour of day, a report period of the account's days, SLA business hours, the
 * digest) are in the account's or queue's zone, and those say which zone (`fmtZoned`).
 */
export const fmtDateTime = (iso: string | Date | null | undefined) =>
  !iso ? '–' : new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** A business-hours fact in the account's (or queue's) zone, labelled with it: "1 Dec 2026, 00:00 (Europe/Berlin)". */
export const fmtZoned = (iso: string | Date | null | undefined, timeZone: string) =>
  !iso ? '–' : `${new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso))} (${timeZone})`;

export const fmtRelative = (iso: string | Date, now = Date.now()) => {
  const s = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  const a = Math.abs(s);
  if (a < 60) return rtf.format(s, 'second');
  if (a < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (a < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
};

/** 75 → "1 min 15 s" (or "1 Min. 15 Sek." …), via Intl unit formatting. */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '–';
  const s = Math.round(seconds);
  const unit = (v: number, u: 'hour' | 'minute' | 'second') => new Intl.NumberFormat(locale(), { style: 'unit', unit: u, unitDisplay: 'short' }).format(v);
  if (s < 60) return unit(s, 'second');
  if (s < 3600) return `${unit(Math.floor(s / 60), 'minute')} ${s % 60 ? unit(s % 60, 'second') : ''}`.trim();
  return `${unit(Math.floor(s / 3600), 'hour')} ${Math.floor((s % 3600) / 60) ? unit(Math.floor((s % 3600) / 60), 'minute') : ''}`.trim();
}

/** A calendar day (YYYY-MM-DD or a date) in the chosen language, e.g. "23 Nov 2026" / "23.11.2026". */
export const fmtDate = (day: string | Date | null | undefined, timeZone = 'UTC') =>
  !day ? '–' : new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone }).format(typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T12:00:00Z`) : new Date(day));
