/**
 * Benchmark of the journeys module: import rates, `report waits` latency and memory, each as a ratio to a baseline
 * measured in the same run.
 *
 *   npm run bench:journeys          (npm run bench runs bench/run.ts and then this)
 *
 * Per backend (embedded PGlite in a temporary data folder, and PostgreSQL when reachable — see bench/common.ts):
 *  1. The SEE lab bank log (../shared/data/callcenter/anonymous_bank_1999_02.tsv, or BENCH_BANK_LOG) through the real
 *     seelab parser and importParsedEvents (projection in the same transaction, sketch refresh at the end), against a
 *     raw `INSERT … SELECT * FROM unnest(…)` of the same rows into a second account (column arrays built before timing,
 *     10,000 rows per statement, no projection). Then a re-import of the same file (adds nothing).
 *  2. A simulated log of N events (BENCH_JOURNEY_EVENTS, default 10,000,000 on PostgreSQL; on PGlite
 *     BENCH_PGLITE_EVENTS, default 1,000,000: PGlite runs PostgreSQL inside wasm, with its buffers in this process's
 *     memory), generated lazily from a seeded PRNG, against the raw unnest insert of the same rows into a copy of
 *     contact_events (same indexes and foreign key; dropped after the measurement).
 *  3. `report waits` (whole log, 20 s threshold) on both logs: the exact path (waitsExact), a full sketch rebuild
 *     (refreshSketches of every day) and the sketch path (waitsSketch), against DuckDB in memory computing the same
 *     figures from the same contact facts (loaded through a CSV in a temp folder, outside the timing). DuckDB's
 *     figures are checked against the exact path's, which doubles as an independent check of the SQL.
 *  4. Peak RSS and heap of this process during each phase (sampled every 100 ms).
 *
 * BENCH_BACKENDS=pglite,postgres selects backends; BENCH_REPORT_RUNS (default 2) sets how often each report query is
 * run (the best run counts).
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
// The registry registers the modules' hooks (journeys' projection of contact events), as every Earshot process does.
import '../src/modules/index.js';
import { openDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { loadConfig } from '../src/platform/config.js';
import { createAccount } from '../src/modules/accounts/accounts.service.js';
import { systemPrincipal, type Ctx } from '../src/platform/context.js';
import type { NewEvent } from '../src/modules/events/events.service.js';
import { importParsedEvents } from '../src/modules/journeys/import/import.service.js';
import { parseLines } from '../src/modules/journeys/import/lines.js';
import { makeParser, textLines } from '../src/modules/journeys/import/parsers.js';
import type { ParsedEvent } from '../src/modules/journeys/import/types.js';
import { kaplanMeier, waitsExact, type WaitsQuery, type WaitsReport } from '../src/modules/journeys/metrics.js';
import { refreshSketches, waitsSketch } from '../src/modules/journeys/sketches.js';
import { fmt, printTable, rawInsertSql, ratio, round, toColumns, withPostgres } from './common.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const BANK_LOG = process.env.BENCH_BANK_LOG || resolve(HERE, '../../shared/data/callcenter/anonymous_bank_1999_02.tsv');
const BANK_TZ = 'Asia/Jerusalem';
const SIM_TZ = 'Europe/Oslo';
const PG_EVENTS = Number(process.env.BENCH_JOURNEY_EVENTS ?? 10_000_000);
const PGLITE_EVENTS = Number(process.env.BENCH_PGLITE_EVENTS ?? Math.min(PG_EVENTS, 1_000_000));
const REPORT_RUNS = Math.max(1, Number(process.env.BENCH_REPORT_RUNS ?? 2));
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());
const BATCH = 10_000;
const THRESHOLD = 20;
const PROGRESS_MS = 5000;

// ---------------------------------------------------------------------------------------------------------------
// Measuring: wall time plus peak RSS / heap of this process, sampled every 100 ms (and at both ends of the phase).

interface Phase {
  seconds: number;
  rssMb: number;
  heapMb: number;
}

async function measure<T>(fn: () => Promise<T>): Promise<Phase & { value: T }> {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > rss) rss = m.rss;
    if (m.heapUsed > heap) heap = m.heapUsed;
  };
  sample();
  const timer = setInterval(sample, 100);
  const t = performance.now();
  try {
    const value = await fn();
    const seconds = (performance.now() - t) / 1000;
    sample();
    return { value, seconds, rssMb: rss / 2 ** 20, heapMb: heap / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

/** Prints "label: done / total, rate" at most every PROGRESS_MS. */
function progressPrinter(label: string, total: number) {
  const t0 = performance.now();
  let lastT = t0;
  let lastN = 0;
  return (done: number, force = false) => {
    const now = performance.now();
    if (!force && now - lastT < PROGRESS_MS) return;
    const rate = (done - lastN) / ((now - lastT) / 1000);
    const avg = done / ((now - t0) / 1000);
    console.log(`    ${label}: ${fmt(done)} / ${fmt(total)} events, ${fmt(avg)} events/s (last ${((now - lastT) / 1000).toFixed(0)} s: ${fmt(rate)}/s)`);
    lastT = now;
    lastN = done;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The simulated log: phone contacts over many days, 5 events each, repeat callers, a handful of queues.

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIM_QUEUES = [
  { name: 'support', weight: 0.45, waitMean: 70, patienceMean: 150 },
  { name: 'sales', weight: 0.2, waitMean: 25, patienceMean: 120 },
  { name: 'billing', weight: 0.18, waitMean: 90, patienceMean: 180 },
  { name: 'tech', weight: 0.12, waitMean: 160, patienceMean: 240 },
  { name: 'vip', weight: 0.05, waitMean: 10, patienceMean: 200 },
];
const CONTACTS_PER_DAY = 5000;
const IDENTITIES = 200_000;

/**
 * Yields batches of `batchSize` events (whole contacts) until `events` events (rounded down to whole contacts of 5).
 * One day at a time is held in memory. First attempts arrive 07:00–21:00 local time with a midday peak; 10 % of
 * callers are anonymous; an abandoned caller redials the same day with probability 0.55 (up to 4 times), an answered
 * one calls again with probability 0.05 — so journeys have multi-attempt cases and repeat contacts.
 */
function* simulatedLog(events: number, seed = 42, batchSize = BATCH): Generator<ParsedEvent[]> {
  const rnd = prng(seed);
  const exp = (mean: number) => -mean * Math.log(1 - rnd());
  const pickQueue = () => {
    let u = rnd();
    for (const q of SIM_QUEUES) {
      u -= q.weight;
      if (u <= 0) return q;
    }
    return SIM_QUEUES[0];
  };
  const contactsWanted = Math.floor(events / 5);
  const day0 = DateTime.fromObject({ year: 2025, month: 1, day: 6 }, { zone: SIM_TZ });
  let made = 0;
  let buf: ParsedEvent[] = [];
  for (let day = 0; made < contactsWanted; day++) {
    const d = day0.plus({ days: day });
    const midnight = d.toMillis();
    const open = d.set({ hour: 7 }).toMillis();
    const close = d.set({ hour: 21 }).toMillis();
    const endOfDay = d.set({ hour: 23, minute: 59 }).toMillis();
    // Worklist of attempts: [identity, arrival ms, attempt number, queue]
    const work: { who: string | null; at: number; n: number; q: (typeof SIM_QUEUES)[number] }[] = [];
    const firsts = Math.round(CONTACTS_PER_DAY / 1.3);
    for (let i = 0; i < firsts; i++) {
      // Two uniform draws averaged: a triangular day shape peaking at 14:00.
      const at = Math.floor(open + ((rnd() + rnd()) / 2) * (close - open));
      work.push({ who: rnd() < 0.1 ? null : `+47${String(Math.floor(rnd() * IDENTITIES)).padStart(8, '0')}`, at, n: 1, q: pickQueue() });
    }
    for (let w = 0; w < work.length && made < contactsWanted; w++) {
      const a = work[w];
      const cid = `d${day}-${w}`;
      const hour = Math.floor((a.at - midnight) / 3_600_000); // local hour (off by one on the two DST days; only shapes the load)
      const load = 0.6 + 0.8 * Math.exp(-(((hour - 13) / 3) ** 2)); // busier around midday
      const ivr = Math.floor(5000 + rnd() * 55000);
      const qAt = a.at + ivr;
      const wait = Math.floor(exp(a.q.waitMean * load) * 1000);
      const patience = Math.floor(exp(a.q.patienceMean) * 1000);
      const answered = wait <= patience;
      const end = qAt + (answered ? wait : patience);
      const base = { contactId: cid, channel: 'phone' as const, identity: a.who, queue: a.q.name };
      buf.push(
        { ...base, type: 'contact.arrived', at: new Date(a.at), key: `${cid}:arrived` },
        { ...base, type: 'ivr.entered', at: new Date(a.at), key: `${cid}:ivr.entered`, data: { menu: 'main' } },
        { ...base, type: 'ivr.left', at: new Date(qAt), key: `${cid}:ivr.left` },
        { ...base, type: 'queue.entered', at: new Date(qAt), key: `${cid}:queue.entered` },
        answered
          ? { ...base, type: 'contact.answered', at: new Date(end), key: `${cid}:answered`, agent: `agent-${Math.floor(rnd() * 120)}` }
          : { ...base, type: 'contact.abandoned', at: new Date(end), key: `${cid}:abandoned`, data: { inQueue: true } },
      );
      made++;
      if (a.who) {
        const again = answered ? rnd() < 0.05 : a.n < 5 && rnd() < 0.55;
        const next = end + Math.floor((answered ? 1800 + rnd() * 7200 : 30 + rnd() * 900) * 1000);
        if (again && next < endOfDay) work.push({ who: a.who, at: next, n: a.n + 1, q: answered ? pickQueue() : a.q });
      }
      if (buf.length >= batchSize) {
        yield buf;
        buf = [];
      }
    }
  }
  if (buf.length) yield buf;
}

/** The rows importParsedEvents writes for a batch (same mapping), for the raw baseline. */
function asNewEvents(batch: ParsedEvent[], accountId: string, source: string, tz: string, queues: Map<string, string>): NewEvent[] {
  return batch.map((e) => {
    const data: Record<string, unknown> = { ...(e.data ?? {}) };
    if (e.agent) data.agent = e.agent;
    if (e.queue) data.queue = e.queue;
    if (e.type === 'contact.arrived' && data.tz === undefined) data.tz = tz;
    return {
      accountId,
      contactId: `${source}:${e.contactId}`,
      type: e.type,
      channel: e.channel,
      occurredAt: e.at,
      identity: e.identity ?? null,
      queueId: e.queue ? queues.get(e.queue)! : null,
      source,
      dedupeKey: `${source}:${e.key}`,
      data,
    };
  });
}

async function createQueues(db: Db, accountId: string, names: string[], tz: string): Promise<Map<string, string>> {
  const r = await db.query<{ id: string; name: string }>(
    `INSERT INTO queues (account_id, name, timezone) SELECT $1, n, $3 FROM unnest($2::text[]) n RETURNING id, name`,
    [accountId, names, tz],
  );
  return new Map(r.rows.map((x) => [x.name, x.id]));
}

/** Raw unnest insert of prepared column arrays; only the statements are timed. Returns seconds. */
async function rawInsert(db: Db, table: string, columnBatches: Iterable<unknown[]>, total: number, label: string) {
  const sql = rawInsertSql(table);
  const progress = progressPrinter(label, total);
  let seconds = 0;
  let done = 0;
  for (const cols of columnBatches) {
    const t = performance.now();
    await db.query(sql, cols);
    seconds += (performance.now() - t) / 1000;
    done += (cols[0] as unknown[]).length;
    progress(done);
  }
  return { seconds, rows: done };
}

// ---------------------------------------------------------------------------------------------------------------
// DuckDB: the same figures from the same contact facts.

const FACT_COLS = `contact_id, who, window_key, outcome, queued,
  (extract(epoch FROM first_touch_at) * 1000000)::int8::text AS first_us,
  (extract(epoch FROM queue_entered_at) * 1000000)::int8::text AS queue_us,
  (extract(epoch FROM answered_at) * 1000000)::int8::text AS answered_us,
  (extract(epoch FROM abandoned_at) * 1000000)::int8::text AS abandoned_us,
  (extract(epoch FROM last_event_at) * 1000000)::int8::text AS last_us`;

const csvField = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Copies the account's contact facts into DuckDB table `facts` through a CSV file (keyset pages of 100k rows). */
async function loadFactsIntoDuck(db: Db, accountId: string, duck: DuckDBConnection, dir: string): Promise<number> {
  const file = join(dir, `facts-${randomBytes(3).toString('hex')}.csv`);
  writeFileSync(file, 'contact_id,who,window_key,outcome,queued,first_us,queue_us,answered_us,abandoned_us,last_us\n');
  let after = '';
  let n = 0;
  for (;;) {
    const r = await db.query<Record<string, unknown>>(
      `SELECT ${FACT_COLS} FROM contact_facts WHERE account_id = $1 AND contact_id > $2 ORDER BY contact_id LIMIT 100000`,
      [accountId, after],
    );
    if (!r.rows.length) break;
    let out = '';
    for (const x of r.rows) {
      out += `${csvField(x.contact_id)},${csvField(x.who)},${csvField(x.window_key)},${x.outcome},${x.queued ? 'true' : 'false'},${x.first_us},${x.queue_us ?? ''},${x.answered_us ?? ''},${x.abandoned_us ?? ''},${x.last_us}\n`;
    }
    appendFileSync(file, out);
    n += r.rows.length;
    after = r.rows[r.rows.length - 1].contact_id as string;
  }
  await duck.run('DROP TABLE IF EXISTS facts');
  await duck.run(
    `CREATE TABLE facts AS SELECT * FROM read_csv('${file}', header = true, nullstr = '', columns = {
       'contact_id': 'VARCHAR', 'who': 'VARCHAR', 'window_key': 'VARCHAR', 'outcome': 'VARCHAR', 'queued': 'BOOLEAN',
       'first_us': 'BIGINT', 'queue_us': 'BIGINT', 'answered_us': 'BIGINT', 'abandoned_us': 'BIGINT', 'last_us': 'BIGINT'})`,
  );
  rmSync(file, { force: true });
  const c = await duck.runAndReadAll('SELECT count(*) AS n FROM facts');
  const loaded = Number(c.getRowObjectsJS()[0].n);
  if (loaded !== n) throw new Error(`DuckDB loaded ${loaded} facts, PostgreSQL gave ${n}`);
  return n;
}

/** Waits in seconds recomputed from the timestamps (not the projection's stored waits). */
const DUCK_CONTACTS = `
  WITH c AS (
    SELECT *,
           CASE WHEN outcome = 'answered' THEN (answered_us - first_us) / 1e6
                WHEN outcome = 'abandoned' THEN (abandoned_us - first_us) / 1e6 END AS lived,
           CASE WHEN outcome = 'answered' THEN (answered_us - CASE WHEN queued THEN queue_us ELSE answered_us END) / 1e6
                WHEN outcome = 'abandoned' AND queued THEN (abandoned_us - queue_us) / 1e6 END AS qwait
      FROM facts)
  SELECT count(*) AS contacts,
         count(*) FILTER (WHERE outcome = 'answered') AS answered,
         count(*) FILTER (WHERE queued) AS queued,
         count(*) FILTER (WHERE queued AND outcome = 'abandoned') AS abandoned_in_queue,
         count(*) FILTER (WHERE outcome = 'waiting') AS waiting,
         avg(qwait) FILTER (WHERE outcome = 'answered') AS asa,
         count(*) FILTER (WHERE outcome = 'answered' AND qwait <= ${THRESHOLD}) AS within,
         avg(lived) AS lived_mean,
         quantile_cont(lived, [0.5, 0.9, 0.99]) AS lived_p
    FROM c`;

const DUCK_J2 = `
  jc AS (
    SELECT contact_id, who, window_key, first_us, answered_us, abandoned_us, last_us, outcome,
           coalesce(count(*) FILTER (WHERE outcome = 'answered') OVER (PARTITION BY who, window_key
             ORDER BY first_us, contact_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS jn
      FROM facts WHERE who IS NOT NULL
  ), j1 AS (
    SELECT who, window_key, jn, min(first_us) AS start_us,
           max(answered_us) FILTER (WHERE outcome = 'answered') AS answered_us,
           count(*) AS attempts,
           max(coalesce(answered_us, abandoned_us, last_us)) AS last_us,
           arg_max(outcome, (first_us, contact_id)) = 'waiting' AS waiting
      FROM jc GROUP BY who, window_key, jn
  ), j2 AS (
    SELECT j1.*, (answered_us - start_us) / 1e6 AS wait_s,
           lead(jn) OVER (PARTITION BY who, window_key ORDER BY jn) IS NOT NULL AS followed
      FROM j1
  )`;

const DUCK_JOURNEYS = `
  WITH ${DUCK_J2}
  SELECT count(*) FILTER (WHERE answered_us IS NOT NULL) AS answered,
         count(*) FILTER (WHERE answered_us IS NULL AND NOT waiting) AS never_served,
         count(*) FILTER (WHERE answered_us IS NULL AND waiting) AS still_waiting,
         count(*) FILTER (WHERE answered_us IS NOT NULL AND attempts > 1) AS multi,
         count(*) AS all_journeys,
         count(*) FILTER (WHERE attempts > 1) AS repeat,
         count(*) FILTER (WHERE answered_us IS NOT NULL AND attempts = 1 AND NOT followed) AS fcr,
         avg(wait_s) AS wait_mean,
         quantile_cont(wait_s, [0.5, 0.9, 0.99]) AS wait_p,
         avg(wait_s) FILTER (WHERE attempts > 1) AS multi_mean,
         quantile_cont(wait_s, [0.5, 0.9]) FILTER (WHERE attempts > 1) AS multi_p
    FROM j2`;

const DUCK_KM = (nowUs: number) => `
  WITH ${DUCK_J2}
  SELECT dur, count(*) FILTER (WHERE served) AS served, count(*) AS n
    FROM (SELECT answered_us IS NOT NULL AS served,
                 ceil((coalesce(answered_us, CASE WHEN waiting THEN greatest(${nowUs}, last_us) ELSE last_us END) - start_us) / 1e6)::int AS dur
            FROM j2) x
   GROUP BY dur ORDER BY dur`;

/** The figures DuckDB computes, unrounded, keyed like the rows of the comparison table. */
type Figures = Record<string, number | null>;

async function duckFigures(duck: DuckDBConnection, now: Date): Promise<Figures> {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const list = (v: unknown) => (Array.isArray(v) ? v.map(num) : [null, null, null]);
  const c = (await duck.runAndReadAll(DUCK_CONTACTS)).getRowObjectsJS()[0];
  const j = (await duck.runAndReadAll(DUCK_JOURNEYS)).getRowObjectsJS()[0];
  const km = (await duck.runAndReadAll(DUCK_KM(now.getTime() * 1000))).getRowObjectsJS();
  const lp = list(c.lived_p);
  const wp = list(j.wait_p);
  const mp = list(j.multi_p);
  const div = (a: unknown, b: unknown) => (Number(b) > 0 ? Number(a) / Number(b) : null);
  const surv = kaplanMeier(km.map((r) => ({ t: Number(r.dur), events: Number(r.served), n: Number(r.n) })));
  const f: Figures = {
    contacts: num(c.contacts),
    answered: num(c.answered),
    queued: num(c.queued),
    abandonedInQueue: num(c.abandoned_in_queue),
    waiting: num(c.waiting),
    'reported.asaSeconds': num(c.asa),
    'reported.serviceLevel': div(c.within, c.answered),
    'reported.abandonRate': div(c.abandoned_in_queue, c.queued),
    'lived.mean': num(c.lived_mean),
    'lived.p50': lp[0],
    'lived.p90': lp[1],
    'lived.p99': lp[2],
    'journeys.answered': num(j.answered),
    'journeys.neverServed': num(j.never_served),
    'journeys.stillWaiting': num(j.still_waiting),
    'journeys.multiAttempt': num(j.multi),
    'journeys.wait.mean': num(j.wait_mean),
    'journeys.wait.p50': wp[0],
    'journeys.wait.p90': wp[1],
    'journeys.wait.p99': wp[2],
    'journeys.multi.mean': num(j.multi_mean),
    'journeys.multi.p50': mp[0],
    'journeys.multi.p90': mp[1],
    'journeys.repeatContactRate': div(j.repeat, j.all_journeys),
    'journeys.firstContactResolution': div(j.fcr, j.answered),
    'survival.medianSeconds': surv.medianSeconds,
  };
  for (const p of surv.points) f[`survival.${p.seconds}s`] = p.stillWaiting;
  return f;
}

/** The same keys read from a waits report (exact or sketch). */
function reportFigures(r: WaitsReport): Figures {
  const j = r.journeys;
  const f: Figures = {
    contacts: r.contacts,
    answered: r.answered,
    queued: r.queued,
    abandonedInQueue: r.abandonedInQueue,
    waiting: r.waiting,
    'reported.asaSeconds': r.reported.asaSeconds,
    'reported.serviceLevel': r.reported.serviceLevel,
    'reported.abandonRate': r.reported.abandonRate,
    'lived.mean': r.lived.contactWaitSeconds.mean,
    'lived.p50': r.lived.contactWaitSeconds.p50,
    'lived.p90': r.lived.contactWaitSeconds.p90,
    'lived.p99': r.lived.contactWaitSeconds.p99,
    'journeys.answered': j.answered,
    'journeys.neverServed': j.neverServed,
    'journeys.stillWaiting': j.stillWaiting,
    'journeys.multiAttempt': j.multiAttempt,
    'journeys.wait.mean': j.waitSeconds.mean,
    'journeys.wait.p50': j.waitSeconds.p50,
    'journeys.wait.p90': j.waitSeconds.p90,
    'journeys.wait.p99': j.waitSeconds.p99,
    'journeys.multi.mean': j.multiAttemptWaitSeconds.mean,
    'journeys.multi.p50': j.multiAttemptWaitSeconds.p50,
    'journeys.multi.p90': j.multiAttemptWaitSeconds.p90,
    'journeys.repeatContactRate': j.repeatContactRate,
    'journeys.firstContactResolution': j.firstContactResolution,
    'survival.medianSeconds': j.survival.medianSeconds,
  };
  for (const p of j.survival.points) f[`survival.${p.seconds}s`] = p.stillWaiting;
  return f;
}

/** Ratios and shares are reported to 6 decimals, seconds to 3: a reported figure matches when it is DuckDB's rounded. */
const COUNTS = /^(contacts|answered|queued|abandonedInQueue|waiting|journeys\.(answered|neverServed|stillWaiting|multiAttempt))$/;
const reportUnit = (key: string) => (COUNTS.test(key) ? 0 : /Rate|serviceLevel|abandonRate|firstContact|survival\.\d/.test(key) ? 1e-6 : 1e-3);

interface Check {
  rows: string[][];
  mismatches: string[];
  sketchMaxRelErr: number;
}

function compare(duck: Figures, exact: Figures, sketch: Figures): Check {
  const rows: string[][] = [['figure', 'DuckDB', 'exact path', 'check', 'sketch path', 'sketch rel. err']];
  const mismatches: string[] = [];
  let sketchMaxRelErr = 0;
  const show = (v: number | null | undefined, key: string) =>
    v === null || v === undefined ? '—' : reportUnit(key) === 1e-6 ? v.toFixed(6) : reportUnit(key) ? v.toFixed(3) : fmt(v);
  for (const key of Object.keys(duck)) {
    const d = duck[key];
    const e = exact[key];
    const s = sketch[key];
    const unit = reportUnit(key);
    let ok: boolean;
    if (d === null || e === null || e === undefined) ok = d === (e ?? null);
    else ok = Math.abs(d - e) <= Math.max(1e-6 * Math.abs(d), unit / 2 + 1e-9);
    if (!ok) mismatches.push(`${key}: DuckDB ${d}, exact ${e}`);
    // Sketch error only where the sketch path estimates a distribution (percentiles and the survival curve).
    let rel = '';
    if (/\.p\d+$|survival/.test(key) && d !== null && s !== null && s !== undefined && d !== 0) {
      const err = Math.abs(s - d) / Math.abs(d);
      rel = `${(err * 100).toFixed(2)} %`;
      if (/\.p\d+$/.test(key)) sketchMaxRelErr = Math.max(sketchMaxRelErr, err);
    }
    rows.push([key, show(d, key), show(e, key), ok ? 'ok' : 'MISMATCH', show(s, key), rel]);
  }
  return { rows, mismatches, sketchMaxRelErr };
}

// ---------------------------------------------------------------------------------------------------------------
// One backend.

interface ImportFigure extends Phase {
  events: number;
  added: number;
  extra?: string;
}
interface ReportSet {
  label: string;
  contacts: number;
  exact: Phase;
  refresh: Phase & { days: number };
  sketch: Phase;
  duck: Phase;
  duckLoadS: number;
  check: Check;
}
interface BackendResult {
  backend: string;
  simEvents: number;
  imports: { label: string; raw?: ImportFigure; service: ImportFigure }[];
  reports: ReportSet[];
}

async function bestOf<T>(fn: () => Promise<T>): Promise<Phase & { value: T }> {
  let best: (Phase & { value: T }) | null = null;
  let rss = 0;
  let heap = 0;
  for (let i = 0; i < REPORT_RUNS; i++) {
    const m = await measure(fn);
    rss = Math.max(rss, m.rssMb);
    heap = Math.max(heap, m.heapMb);
    if (!best || m.seconds < best.seconds) best = m;
  }
  return { ...best!, rssMb: rss, heapMb: heap };
}

async function reportPhase(label: string, db: Db, accountId: string, tz: string, duck: DuckDBConnection, tmp: string, tag: string): Promise<ReportSet> {
  const q: WaitsQuery = { thresholdSeconds: THRESHOLD, tz, now: new Date() };
  console.log(`  [${tag}] report waits over ${label}: exact path …`);
  const exact = await bestOf(() => waitsExact(db, accountId, q));
  console.log(`  [${tag}] report waits over ${label}: full sketch rebuild …`);
  await db.query(`INSERT INTO wait_sketch_dirty (account_id, local_day) SELECT DISTINCT account_id, local_day FROM contact_facts WHERE account_id = $1`, [accountId]);
  const refresh = await measure(() => refreshSketches(db, accountId));
  console.log(`  [${tag}] report waits over ${label}: sketch path …`);
  const sketch = await bestOf(() => waitsSketch(db, accountId, q));
  console.log(`  [${tag}] report waits over ${label}: DuckDB load (not timed) and query …`);
  const tl = performance.now();
  const contacts = await loadFactsIntoDuck(db, accountId, duck, tmp);
  const duckLoadS = (performance.now() - tl) / 1000;
  const dm = await bestOf(() => duckFigures(duck, q.now));
  const check = compare(dm.value, reportFigures(exact.value), reportFigures(sketch.value));
  await duck.run('DROP TABLE facts');
  const strip = <T extends Phase>(p: T): Phase => ({ seconds: p.seconds, rssMb: p.rssMb, heapMb: p.heapMb });
  return {
    label,
    contacts,
    exact: strip(exact),
    refresh: { ...strip(refresh), days: refresh.value },
    sketch: strip(sketch),
    duck: strip(dm),
    duckLoadS,
    check,
  };
}

async function benchBackend(tag: string, db: Db, simEvents: number, duck: DuckDBConnection, tmp: string): Promise<BackendResult> {
  await migrate(db);
  const config = loadConfig({}, { logLevel: 'silent', runJobs: false, databaseUrl: undefined });
  const ctx: Ctx = { db, config, now: () => new Date() };
  const suffix = randomBytes(3).toString('hex');
  const account = async (name: string, timezone: string) => (await createAccount(ctx, { name, slug: `${name}-${suffix}`, timezone })).id;
  const result: BackendResult = { backend: tag, simEvents, imports: [], reports: [] };

  // 1. The bank log.
  if (!existsSync(BANK_LOG)) {
    console.log(`  [${tag}] bank log skipped: ${BANK_LOG} not found (set BENCH_BANK_LOG)`);
  } else {
    const bankId = await account('bank', BANK_TZ);
    const bankRawId = await account('bank-raw', BANK_TZ);
    const text = readFileSync(BANK_LOG, 'utf8');
    // The baseline's rows: the same parse, mapped as importParsedEvents maps them, columns built before timing.
    const parsed: ParsedEvent[][] = [];
    for await (const b of parseLines(makeParser('seelab', { tz: BANK_TZ }), textLines(text), 10_000)) parsed.push(b);
    const names = [...new Set(parsed.flat().map((e) => e.queue).filter((x): x is string => !!x))];
    const rawQueues = await createQueues(db, bankRawId, names, BANK_TZ);
    const cols = parsed.map((b) => toColumns(asNewEvents(b, bankRawId, 'seelab', BANK_TZ, rawQueues)));
    const total = parsed.reduce((s, b) => s + b.length, 0);
    parsed.length = 0;
    console.log(`  [${tag}] bank log: raw unnest of ${fmt(total)} events …`);
    const raw = await measure(() => rawInsert(db, 'contact_events', cols, total, `[${tag}] bank raw`));
    cols.length = 0;
    const run = () => importParsedEvents(ctx, systemPrincipal(bankId), parseLines(makeParser('seelab', { tz: BANK_TZ }), textLines(text), 10_000), { source: 'seelab', tz: BANK_TZ });
    console.log(`  [${tag}] bank log: seelab parse + importParsedEvents …`);
    const imp = await measure(run);
    console.log(`  [${tag}] bank log: re-import …`);
    const again = await measure(run);
    if (imp.value.added !== total || again.value.added !== 0) throw new Error(`bank import added ${imp.value.added} then ${again.value.added}, want ${total} then 0`);
    result.imports.push({
      label: 'bank log (seelab)',
      raw: { seconds: raw.value.seconds, rssMb: raw.rssMb, heapMb: raw.heapMb, events: raw.value.rows, added: raw.value.rows },
      service: { seconds: imp.seconds, rssMb: imp.rssMb, heapMb: imp.heapMb, events: imp.value.received, added: imp.value.added },
    });
    result.imports.push({
      label: 'bank log re-import',
      service: { seconds: again.seconds, rssMb: again.rssMb, heapMb: again.heapMb, events: again.value.received, added: again.value.added },
    });
    result.reports.push(await reportPhase('the bank log', db, bankId, BANK_TZ, duck, tmp, tag));
  }

  // 2. The simulated log.
  const simId = await account('sim', SIM_TZ);
  const simRawId = await account('sim-raw', SIM_TZ);
  const rawQueues = await createQueues(db, simRawId, SIM_QUEUES.map((q) => q.name), SIM_TZ);
  await db.exec(`CREATE TABLE bench_raw_events (LIKE contact_events INCLUDING ALL);
                 ALTER TABLE bench_raw_events ADD FOREIGN KEY (account_id) REFERENCES accounts(id) ON DELETE CASCADE;`);
  console.log(`  [${tag}] simulated log: raw unnest of ${fmt(simEvents)} events into a copy of contact_events …`);
  const genRaw = function* () {
    for (const b of simulatedLog(simEvents)) yield toColumns(asNewEvents(b, simRawId, 'simulate', SIM_TZ, rawQueues));
  };
  const raw = await measure(() => rawInsert(db, 'bench_raw_events', genRaw(), simEvents, `[${tag}] sim raw`));
  await db.exec('DROP TABLE bench_raw_events');

  console.log(`  [${tag}] simulated log: generate + importParsedEvents of ${fmt(simEvents)} events …`);
  const gen = { ms: 0 };
  const timedGen = function* () {
    const it = simulatedLog(simEvents)[Symbol.iterator]();
    for (;;) {
      const t = performance.now();
      const r = it.next();
      gen.ms += performance.now() - t;
      if (r.done) return;
      yield r.value;
    }
  };
  const progress = progressPrinter(`[${tag}] sim import`, simEvents);
  let lastBatchAt = 0;
  const imp = await measure(async () => {
    const s = await importParsedEvents(ctx, systemPrincipal(simId), timedGen(), {
      source: 'simulate',
      tz: SIM_TZ,
      progress: (done) => {
        lastBatchAt = performance.now();
        progress(done);
      },
    });
    return { ...s, tail: (performance.now() - lastBatchAt) / 1000 };
  });
  if (imp.value.added !== raw.value.rows) throw new Error(`simulated import added ${imp.value.added}, raw baseline ${raw.value.rows}`);
  result.imports.push({
    label: `simulated log`,
    raw: { seconds: raw.value.seconds, rssMb: raw.rssMb, heapMb: raw.heapMb, events: raw.value.rows, added: raw.value.rows },
    service: {
      seconds: imp.seconds, rssMb: imp.rssMb, heapMb: imp.heapMb, events: imp.value.received, added: imp.value.added,
      extra: `of which generation ${(gen.ms / 1000).toFixed(1)} s, final sketch refresh + audit ${imp.value.tail.toFixed(1)} s; ${fmt(imp.value.contacts)} contacts`,
    },
  });
  result.reports.push(await reportPhase(`the simulated log`, db, simId, SIM_TZ, duck, tmp, tag));
  return result;
}

// ---------------------------------------------------------------------------------------------------------------

function printBackend(r: BackendResult) {
  console.log(`\n=== ${r.backend} ===`);
  console.log('\nImports (events/s incl. parse or generation; ratio = import events/s ÷ raw unnest events/s of the same rows)');
  const t: string[][] = [['phase', 'events', 'added', 'seconds', 'events/s', 'ratio', 'rss peak MB', 'heap peak MB']];
  for (const i of r.imports) {
    if (i.raw)
      t.push([`${i.label}: raw unnest (baseline)`, fmt(i.raw.events), fmt(i.raw.added), i.raw.seconds.toFixed(2), fmt(i.raw.events / i.raw.seconds), '1.000', fmt(i.raw.rssMb), fmt(i.raw.heapMb)]);
    const s = i.service;
    t.push([
      `${i.label}: importParsedEvents`, fmt(s.events), fmt(s.added), s.seconds.toFixed(2), fmt(s.events / s.seconds),
      i.raw ? ratio(s.events / s.seconds, i.raw.events / i.raw.seconds).toFixed(3) : '—', fmt(s.rssMb), fmt(s.heapMb),
    ]);
  }
  printTable(t);
  for (const i of r.imports) if (i.service.extra) console.log(`  ${i.label}: ${i.service.extra}`);

  for (const rep of r.reports) {
    console.log(`\nreport waits over ${rep.label} (${fmt(rep.contacts)} contacts; best of ${REPORT_RUNS}; ratio = seconds ÷ DuckDB seconds)`);
    const q: string[][] = [['query', 'seconds', 'ratio to DuckDB', 'rss peak MB', 'heap peak MB']];
    q.push(['DuckDB (in memory, same figures)', rep.duck.seconds.toFixed(3), '1.0', fmt(rep.duck.rssMb), fmt(rep.duck.heapMb)]);
    q.push(['exact path (waitsExact)', rep.exact.seconds.toFixed(3), ratio(rep.exact.seconds, rep.duck.seconds).toFixed(1), fmt(rep.exact.rssMb), fmt(rep.exact.heapMb)]);
    q.push([`sketch rebuild, all ${rep.refresh.days} days (refreshSketches)`, rep.refresh.seconds.toFixed(3), ratio(rep.refresh.seconds, rep.duck.seconds).toFixed(1), fmt(rep.refresh.rssMb), fmt(rep.refresh.heapMb)]);
    q.push(['sketch path (waitsSketch, sketches fresh)', rep.sketch.seconds.toFixed(3), ratio(rep.sketch.seconds, rep.duck.seconds).toFixed(2), fmt(rep.sketch.rssMb), fmt(rep.sketch.heapMb)]);
    printTable(q);
    console.log(`  (DuckDB load of the facts, not timed above: ${rep.duckLoadS.toFixed(1)} s)`);
    console.log(`\n  Figures: DuckDB vs exact path (check: equal at the report's precision — 3 decimals for seconds, 6 for shares — or within 1e-6 relative), and the sketch path`);
    printTable(rep.check.rows);
    console.log(rep.check.mismatches.length ? `  ${rep.check.mismatches.length} MISMATCH(ES): ${rep.check.mismatches.join('; ')}` : '  DuckDB and the exact path agree on every figure.');
    console.log(`  Sketch path: largest relative error of a percentile ${(rep.check.sketchMaxRelErr * 100).toFixed(2)} % (DDSketch bound 1 %, plus rounding).`);
  }
}

async function main() {
  const started = Date.now();
  console.log(
    `Earshot journeys bench — node ${process.version}; simulated log: ${fmt(PG_EVENTS)} events on PostgreSQL, ${fmt(PGLITE_EVENTS)} on PGlite ` +
      `(PGlite runs PostgreSQL in wasm with its buffers in this process's memory, so its default is 1,000,000; BENCH_PGLITE_EVENTS raises it); batches of ${fmt(BATCH)}`,
  );
  const tmp = mkdtempSync(join(tmpdir(), 'earshot-bench-journeys-'));
  const instance = await DuckDBInstance.create(':memory:');
  const duck = await instance.connect();
  const results: BackendResult[] = [];
  const notes: string[] = [];
  try {
    if (BACKENDS.includes('pglite')) {
      const dir = join(tmp, 'pglite');
      const db = await openDb({ dataDir: dir });
      try {
        console.log(`  [pglite] data folder ${dir} (deleted at the end)`);
        results.push(await benchBackend('pglite', db, PGLITE_EVENTS, duck, tmp));
      } finally {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (BACKENDS.includes('postgres')) {
      const out = await withPostgres((db) => benchBackend('postgres', db, PG_EVENTS, duck, tmp));
      if (typeof out === 'string') {
        notes.push(out);
        console.log(`  ${out}`);
      } else results.push(out);
    }
  } finally {
    duck.closeSync();
    instance.closeSync();
    rmSync(tmp, { recursive: true, force: true });
  }

  for (const r of results) printBackend(r);
  console.log(`
Legend
  import ratio     events/s of the real import (parser or generator, importParsedEvents: queue lookup, dedupe, contact-facts
                   projection in the same transaction, sketch refresh at the end) ÷ events/s of a raw
                   INSERT … SELECT * FROM unnest(…) of the same rows (10,000 per statement, column arrays built outside the
                   timing, no dedupe conflict handling, no projection). 1.0 = as fast as the bare insert; 0.25 = four times slower.
  re-import        the same file again: every event is a duplicate, nothing is added.
  report ratio     seconds of the Earshot query ÷ seconds of DuckDB (in memory, all cores) computing the same figures from
                   the same contact facts. > 1 = slower than DuckDB.
  check            DuckDB recomputes the waits from the facts' timestamps and stitches journeys with its own window
                   functions; 'ok' = equal to the exact path's reported figure.
  memory           peak RSS / heapUsed of this Node process during the phase (sampled every 100 ms). On PGlite the database
                   runs in this process, so RSS includes it; on PostgreSQL the server's memory is not counted. DuckDB runs
                   in this process too.`);
  for (const n of notes) console.log(`\nNote: ${n}`);

  const summary = {
    bench: 'earshot-journeys',
    node: process.version,
    batch: BATCH,
    backends: Object.fromEntries(
      results.map((r) => [
        r.backend,
        {
          simulatedEvents: r.simEvents,
          imports: r.imports.map((i) => ({
            label: i.label,
            eventsPerSec: round(i.service.events / i.service.seconds, 0),
            seconds: round(i.service.seconds, 2),
            rawEventsPerSec: i.raw ? round(i.raw.events / i.raw.seconds, 0) : null,
            ratio: i.raw ? round(ratio(i.service.events / i.service.seconds, i.raw.events / i.raw.seconds), 4) : null,
            rssPeakMb: round(i.service.rssMb, 0),
          })),
          reports: r.reports.map((x) => ({
            label: x.label,
            contacts: x.contacts,
            duckdbS: round(x.duck.seconds, 3),
            exactS: round(x.exact.seconds, 3),
            exactRatio: round(ratio(x.exact.seconds, x.duck.seconds), 2),
            sketchRefreshS: round(x.refresh.seconds, 3),
            sketchS: round(x.sketch.seconds, 3),
            sketchRatio: round(ratio(x.sketch.seconds, x.duck.seconds), 3),
            mismatches: x.check.mismatches.length,
          })),
        },
      ]),
    ),
    skipped: notes,
    elapsedS: round((Date.now() - started) / 1000, 1),
  };
  console.log(`\n${JSON.stringify(summary)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
