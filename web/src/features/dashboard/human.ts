/**
 * Durations and wait buckets as a person says them: "41 s", "21 min", "18 h 11 min"; buckets "< 20 s", "1–2 min",
 * "> 1 h"; ticks 30 s, 1 min, 5 min … The unit words come from the dashboard locale (units.*), the numbers from Intl.
 */
import type { TFunction } from 'i18next';
import { fmtNumber } from '../../lib/format';
import type { Distribution, Histogram } from './api';

type T = TFunction<'dashboard'>;

/** Human bucket lower bounds (s): < 20 s, 20–60 s, 1–2 min, 2–5, 5–10, 10–30, 30–60 min, > 1 h. Each is one of the
 * API's finer edges (src/modules/journeys/live.ts DISTRIBUTION_EDGES), so the finer counts add up into these. */
export const HUMAN_EDGES = [0, 20, 60, 120, 300, 600, 1800, 3600];

const unit = (t: T, u: 's' | 'min' | 'h', n: number | string) => t(`units.${u}`, { n: typeof n === 'number' ? fmtNumber(n) : n });

/** A wait rounded as a person says it: 41 s · 1 min 20 s (under 2 min) · 21 min · 18 h 11 min. */
export function fmtCompact(t: T, seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return unit(t, 's', s);
  if (s < 120) return s % 60 ? `${unit(t, 'min', 1)} ${unit(t, 's', s % 60)}` : unit(t, 'min', 1);
  if (s < 3600) return unit(t, 'min', Math.round(s / 60));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return m ? `${unit(t, 'h', h)} ${unit(t, 'min', m)}` : unit(t, 'h', h);
}

/** A wait to the second, in the same words: 41 s · 8 min 30 s · 2 h 5 min (the figures and tables). */
export function fmtHuman(t: T, seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return unit(t, 's', s);
  if (s < 3600) return s % 60 ? `${unit(t, 'min', Math.floor(s / 60))} ${unit(t, 's', s % 60)}` : unit(t, 'min', s / 60);
  const m = Math.floor((s % 3600) / 60);
  return m ? `${unit(t, 'h', Math.floor(s / 3600))} ${unit(t, 'min', m)}` : unit(t, 'h', Math.floor(s / 3600));
}

/** A round tick value (30, 60, 300 … s) as "30 s", "1 min", "5 min", "1 h". */
export function fmtTick(t: T, seconds: number): string {
  if (seconds < 60) return unit(t, 's', seconds);
  if (seconds < 3600) return unit(t, 'min', seconds / 60);
  return unit(t, 'h', seconds / 3600);
}

/** The label of human bucket i: "< 20 s", "20–60 s", "1–2 min" … "> 1 h". */
export function humanBucketLabel(t: T, i: number): string {
  const lo = HUMAN_EDGES[i];
  const hi = HUMAN_EDGES[i + 1];
  if (i === 0) return `< ${fmtTick(t, hi)}`;
  if (hi === undefined) return `> ${fmtTick(t, lo)}`;
  const range = (a: number, b: number) => `${fmtNumber(a)}–${fmtNumber(b)}`;
  if (hi <= 60) return unit(t, 's', range(lo, hi));
  if (hi <= 3600) return unit(t, 'min', range(lo / 60, hi / 60));
  return unit(t, 'h', range(lo / 3600, hi / 3600));
}

/** The API's fine histogram added up into the human buckets. */
export function regroup(edges: number[], h: Histogram): Histogram {
  const counts = HUMAN_EDGES.map(() => 0);
  edges.forEach((e, i) => {
    counts[HUMAN_EDGES.findLastIndex((x) => x <= e)] += h.counts[i] ?? 0;
  });
  return { counts, total: h.total };
}

export function humanDistribution(d: Distribution) {
  return {
    contactWaits: regroup(d.edges, d.contactWaits),
    journeyWaits: regroup(d.edges, d.journeyWaits),
    multiAttemptJourneyWaits: regroup(d.edges, d.multiAttemptJourneyWaits),
  };
}

/** Where a wait sits on the distribution's x axis: bucket i spans [i, i + 1], linear inside the bucket (the last,
 * open bucket is drawn as if it ended at 2 h). */
export function bucketPosition(seconds: number): number {
  const i = Math.max(0, HUMAN_EDGES.findLastIndex((x) => x <= seconds));
  const lo = HUMAN_EDGES[i];
  const hi = HUMAN_EDGES[i + 1] ?? 7200;
  return i + Math.min(1, (seconds - lo) / (hi - lo));
}

/** The tail threshold the distribution's sentence names: the first human edge at least five times the reported ASA
 * (1 min … 1 h; 5 min when there is no ASA). */
export function tailThreshold(asa: number | null): number {
  if (!asa) return 300;
  return HUMAN_EDGES.find((e) => e >= Math.min(5 * asa, 3600) && e >= 60) ?? 3600;
}

/** Share of a regrouped histogram at or above a human edge. */
export function shareFrom(h: Histogram, edge: number): number | null {
  if (!h.total) return null;
  const from = HUMAN_EDGES.indexOf(edge);
  return h.counts.slice(from).reduce((a, b) => a + b, 0) / h.total;
}

/** The ratio as people say it: 31, 3.4 ("times as long"). */
export const fmtRatio = (r: number) => fmtNumber(r, r >= 10 ? 0 : 1);
