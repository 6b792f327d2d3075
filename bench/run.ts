/**
 * Benchmark: API throughput / p99 latency and contact-event ingest rate, each as a ratio to a baseline measured in
 * the same run.
 *
 *   npm run bench
 *
 * API: autocannon (10 connections, ~5 s) against POST /api/v1/conversations and GET /api/v1/conversations/:id,
 * compared with a bare Fastify route returning a small JSON (measured once, at the start of the run).
 * Ingest: appendEvents(tx, batch) in db.transaction, batches of 1000, compared with the raw
 * `INSERT … SELECT * FROM unnest(…)` of the same rows through db.query (column arrays built before timing).
 *
 * Backends: embedded PGlite (memory://) and PostgreSQL when reachable (BENCH_DATABASE_URL, TEST_DATABASE_URL, or by
 * default postgres://postgres@127.0.0.1:5432/test). On PostgreSQL a fresh database earshot_bench_<random> is created
 * and dropped at the end.
 *
 * Note: autocannon runs in the same process as the server, so absolute figures are lower than with a separate load
 * generator; the ratios compare like with like because the baseline is measured the same way.
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { randomBytes } from 'node:crypto';
import { openDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { loadConfig } from '../src/platform/config.js';
import { buildApp } from '../src/server/app.js';
import { createAccount, createToken } from '../src/modules/accounts/accounts.service.js';
import { systemPrincipal, type Ctx } from '../src/platform/context.js';
import { appendEvents, CONTACT_EVENT_TYPES, type NewEvent } from '../src/modules/events/events.service.js';
import { fmt, printTable, RAW_SQL, ratio, round, toColumns, withPostgres } from './common.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = 10;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const BATCH = 1000;

interface HttpFigure {
  reqPerSec: number;
  p99Ms: number;
  requests: number;
  bad: number; // non-2xx + errors + timeouts
}

async function cannon(opts: autocannon.Options): Promise<HttpFigure> {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION_S, ...opts });
  return {
    reqPerSec: r.requests.average,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    bad: r.non2xx + r.errors + r.timeouts,
  };
}

async function measureBareFastify(): Promise<HttpFigure> {
  const app = Fastify({ logger: false });
  app.get('/hello', async () => ({ hello: 'world', ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  try {
    await cannon({ url: `http://127.0.0.1:${port}/hello`, duration: 1 }); // warm-up
    return await cannon({ url: `http://127.0.0.1:${port}/hello` });
  } finally {
    await app.close();
  }
}

interface BackendResult {
  backend: string;
  create: HttpFigure;
  get: HttpFigure;
  ingestService: { eventsPerSec: number; seconds: number };
  ingestRaw: { eventsPerSec: number; seconds: number };
}

function makeEvents(accountId: string, n: number): NewEvent[] {
  const t0 = Date.now() - n * 1000;
  const out: NewEvent[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      accountId,
      contactId: `call-${Math.floor(i / 5)}`,
      type: CONTACT_EVENT_TYPES[i % CONTACT_EVENT_TYPES.length],
      channel: 'phone',
      occurredAt: new Date(t0 + i * 1000),
      identity: `+4790${String(i % 100000).padStart(6, '0')}`,
      source: 'bench',
      data: { seq: i, ivr: 'main' },
    });
  }
  return out;
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

async function benchIngest(db: Db, accountId: string) {
  const batches = chunks(makeEvents(accountId, EVENTS), BATCH);
  const rawParams = batches.map(toColumns);

  // Warm-up both paths (plan caches, JIT), then start from an empty table for each measurement.
  await db.query(RAW_SQL, rawParams[0]);
  await db.transaction((tx) => appendEvents(tx, batches[0]));
  await db.query('TRUNCATE contact_events');

  let t = performance.now();
  for (const params of rawParams) await db.query(RAW_SQL, params);
  const rawS = (performance.now() - t) / 1000;
  const rawCount = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM contact_events')).rows[0].n;
  await db.query('TRUNCATE contact_events');

  t = performance.now();
  let added = 0;
  for (const batch of batches) added += await db.transaction((tx) => appendEvents(tx, batch));
  const svcS = (performance.now() - t) / 1000;
  await db.query('TRUNCATE contact_events');

  if (rawCount !== EVENTS || added !== EVENTS) throw new Error(`ingest row counts off: raw ${rawCount}, service ${added}, want ${EVENTS}`);
  return {
    ingestRaw: { eventsPerSec: EVENTS / rawS, seconds: rawS },
    ingestService: { eventsPerSec: EVENTS / svcS, seconds: svcS },
  };
}

async function benchBackend(label: string, db: Db): Promise<BackendResult> {
  await migrate(db);
  const config = loadConfig({}, { logLevel: 'silent', runJobs: false, databaseUrl: undefined });
  const ctx: Ctx = { db, config, now: () => new Date() };
  const account = await createAccount(ctx, { name: 'Bench', slug: `bench-${randomBytes(3).toString('hex')}` });
  const { token } = await createToken(ctx, systemPrincipal(account.id), { role: 'admin' });

  const app = await buildApp({ db, config, logger: false });
  let create: HttpFigure, get: HttpFigure;
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const base = `http://127.0.0.1:${port}/api/v1`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const body = JSON.stringify({
      customer: { email: 'a@example.com', name: 'A' },
      channel: 'email',
      subject: 'Hi',
      message: { text: 'Hello there' },
    });

    const first = await fetch(`${base}/conversations`, { method: 'POST', headers, body });
    if (first.status !== 201) throw new Error(`POST /conversations answered ${first.status}: ${await first.text()}`);
    const conv = (await first.json()) as { id: string };
    const check = await fetch(`${base}/conversations/${conv.id}`, { headers });
    if (check.status !== 200) throw new Error(`GET /conversations/:id answered ${check.status}: ${await check.text()}`);

    await cannon({ url: `${base}/conversations/${conv.id}`, headers, duration: 1 }); // warm-up
    console.log(`  [${label}] POST /api/v1/conversations …`);
    create = await cannon({ url: `${base}/conversations`, method: 'POST', headers, body });
    console.log(`  [${label}] GET /api/v1/conversations/:id …`);
    get = await cannon({ url: `${base}/conversations/${conv.id}`, headers });
  } finally {
    await app.close();
  }
  console.log(`  [${label}] ingest ${EVENTS} events …`);
  const ingest = await benchIngest(db, account.id);
  return { backend: label, create, get, ...ingest };
}

/** One HTTP measurement with its ratios to the bare-Fastify baseline, for the JSON summary. */
function httpSummary(m: { reqPerSec: number; p99Ms: number; bad: number }, bare: { reqPerSec: number; p99Ms: number }) {
  return {
    reqPerSec: round(m.reqPerSec, 1),
    p99Ms: m.p99Ms,
    reqPerSecRatio: round(ratio(m.reqPerSec, bare.reqPerSec), 4),
    p99Ratio: round(ratio(m.p99Ms, bare.p99Ms), 2),
    bad: m.bad,
  };
}

async function main() {
  const started = Date.now();
  console.log(`Earshot bench — node ${process.version}, ${DURATION_S}s × ${CONNECTIONS} connections per HTTP run, ${fmt(EVENTS)} events in batches of ${BATCH}`);
  console.log('  [baseline] bare Fastify GET /hello …');
  const bare = await measureBareFastify();

  const results: BackendResult[] = [];
  const notes: string[] = [];

  {
    const db = await openDb({ dataDir: 'memory://' });
    try {
      results.push(await benchBackend('pglite', db));
    } finally {
      await db.close();
    }
  }
  const pgOutcome = await withPostgres((db) => benchBackend('postgres', db));
  if (typeof pgOutcome === 'string') {
    notes.push(pgOutcome);
    console.log(`  ${pgOutcome}`);
  } else results.push(pgOutcome);

  console.log('\nHTTP (ratio = figure / bare Fastify; req/s ratio < 1 is slower, p99 ratio > 1 is slower)');
  const http: string[][] = [['backend / route', 'req/s', 'p99 ms', 'req/s ratio', 'p99 ratio', 'requests', 'bad']];
  http.push(['bare fastify GET /hello', fmt(bare.reqPerSec), fmt(bare.p99Ms, 1), '1.000', '1.000', fmt(bare.requests), String(bare.bad)]);
  for (const r of results) {
    for (const [name, f] of [['POST /conversations', r.create], ['GET /conversations/:id', r.get]] as const) {
      http.push([
        `${r.backend} ${name}`,
        fmt(f.reqPerSec),
        fmt(f.p99Ms, 1),
        ratio(f.reqPerSec, bare.reqPerSec).toFixed(3),
        ratio(f.p99Ms, bare.p99Ms).toFixed(1),
        fmt(f.requests),
        String(f.bad),
      ]);
    }
  }
  printTable(http);

  console.log('\nContact-event ingest (ratio = appendEvents in db.transaction / raw INSERT … unnest via db.query)');
  const ing: string[][] = [['backend', 'raw events/s', 'service events/s', 'ratio', 'raw s', 'service s']];
  for (const r of results) {
    ing.push([
      r.backend,
      fmt(r.ingestRaw.eventsPerSec),
      fmt(r.ingestService.eventsPerSec),
      ratio(r.ingestService.eventsPerSec, r.ingestRaw.eventsPerSec).toFixed(3),
      r.ingestRaw.seconds.toFixed(2),
      r.ingestService.seconds.toFixed(2),
    ]);
  }
  printTable(ing);
  for (const n of notes) console.log(`\nNote: ${n}`);

  const summary = {
    bench: 'earshot',
    node: process.version,
    durationS: DURATION_S,
    connections: CONNECTIONS,
    events: EVENTS,
    batch: BATCH,
    baseline: { reqPerSec: round(bare.reqPerSec, 1), p99Ms: bare.p99Ms },
    backends: Object.fromEntries(
      results.map((r) => [
        r.backend,
        {
          createConversation: httpSummary(r.create, bare),
          getConversation: httpSummary(r.get, bare),
          ingest: {
            rawEventsPerSec: round(r.ingestRaw.eventsPerSec, 0),
            serviceEventsPerSec: round(r.ingestService.eventsPerSec, 0),
            ratio: round(ratio(r.ingestService.eventsPerSec, r.ingestRaw.eventsPerSec), 4),
          },
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
