/**
 * An independent computation of the waits report for the bank call log, straight from the TSV and the definitions in
 * docs/metrics.md, sharing no code with the importer, the projection or the SQL: plain loops and a hand-written
 * percentile_cont. Tests hold the real report against it.
 */
import { existsSync, readFileSync } from 'node:fs';

export const BANK_LOG = new URL('../../shared/data/callcenter/anonymous_bank_1999_02.tsv', import.meta.url).pathname;
export const hasBankLog = existsSync(BANK_LOG);
export const SKIP_BANK = hasBankLog ? false : `the bank call log is not here (${BANK_LOG}); it ships in shared/data, which a bare clone lacks`;

/** percentile_cont: linear interpolation between the closest ranks of the sorted values. */
export function percentileCont(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { mean: mean(s), p50: percentileCont(s, 0.5), p90: percentileCont(s, 0.9), p99: percentileCont(s, 0.99) };
};

export function bankReference(threshold = 20) {
  const lines = readFileSync(BANK_LOG, 'utf8').split('\n').filter((l) => l.trim());
  const head = lines[0].split('\t');
  const col = (name: string) => head.indexOf(name);
  const C = {
    line: col('vru+line'), call: col('call_id'), cust: col('customer_id'), date: col('date'), entry: col('vru_entry'),
    vru: col('vru_time'), qStart: col('q_start'), q: col('q_time'), outcome: col('outcome'),
  };
  const clock = (t: string) => t.split(':').reduce((a, x) => a * 60 + Number(x), 0);
  let contacts = 0, answered = 0, queued = 0, abandonedInQueue = 0, within = 0;
  const queueWaits: number[] = [];
  const lived: number[] = [];
  const byCustomerDay = new Map<string, { t: number; id: string; answered: boolean; wait: number }[]>();
  for (const l of lines.slice(1)) {
    const f = l.split('\t');
    if (f[C.outcome] === 'PHANTOM') continue;
    contacts++;
    const vru = Math.max(0, Number(f[C.vru])); // a negative voice-menu time is a clock glitch, taken as 0
    const q = Number(f[C.q]);
    const isQueued = q > 0 || f[C.qStart] !== '0:00:00';
    const isAnswered = f[C.outcome] === 'AGENT';
    if (isQueued) queued++;
    if (isAnswered) {
      answered++;
      const w = isQueued ? q : 0;
      queueWaits.push(w);
      if (w <= threshold) within++;
    } else if (isQueued) abandonedInQueue++;
    lived.push(vru + q);
    if (f[C.cust] !== '0') {
      const key = `${f[C.cust]}|${f[C.date]}`;
      const list = byCustomerDay.get(key) ?? [];
      list.push({ t: clock(f[C.entry]), id: `${f[C.line]}-${f[C.call]}`, answered: isAnswered, wait: vru + q });
      byCustomerDay.set(key, list);
    }
  }
  const journeyWaits: number[] = [];
  const multiWaits: number[] = [];
  let neverServed = 0;
  for (const list of byCustomerDay.values()) {
    list.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let first: number | null = null;
    let n = 0;
    for (const c of list) {
      first ??= c.t;
      n++;
      if (c.answered) {
        const w = c.t + c.wait - first;
        journeyWaits.push(w);
        if (n > 1) multiWaits.push(w);
        first = null;
        n = 0;
      }
    }
    if (n > 0) neverServed++;
  }
  const asa = mean(queueWaits)!;
  const l = stats(lived);
  const m = stats(multiWaits);
  return {
    contacts, answered, queued, abandonedInQueue,
    reported: { asaSeconds: asa, serviceLevel: within / answered, thresholdSeconds: threshold, abandonRate: abandonedInQueue / queued },
    lived: { contactWaitSeconds: l },
    journeys: {
      answered: journeyWaits.length, neverServed, multiAttempt: multiWaits.length,
      waitSeconds: stats(journeyWaits),
      multiAttemptWaitSeconds: { mean: m.mean, p50: m.p50, p90: m.p90 },
    },
    gap: { livedP90OverReportedAsa: l.p90! / asa },
  };
}

/** Compares every number of `expected` with the same path in `actual`, within `tol` relative (the report rounds). */
export function assertFiguresClose(actual: any, expected: any, tol: number, path = ''): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(expected)) {
    const here = path ? `${path}.${k}` : k;
    const a = actual?.[k];
    if (v && typeof v === 'object') problems.push(...assertFiguresClose(a, v, tol, here));
    else if (typeof v === 'number') {
      if (typeof a !== 'number' || Math.abs(a - v) > tol * Math.max(1, Math.abs(v))) problems.push(`${here}: got ${a}, expected ${v}`);
    } else if (a !== v) problems.push(`${here}: got ${a}, expected ${v}`);
  }
  return problems;
}
