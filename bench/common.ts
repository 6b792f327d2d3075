/**
 * Helpers shared by the benchmarks (bench/run.ts, bench/journeys.ts): the PostgreSQL scratch database, the raw
 * `INSERT … SELECT * FROM unnest(…)` baseline for contact events, and table/number formatting.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openDb, redactUrl, type Db } from '../src/platform/db.js';
import type { NewEvent } from '../src/modules/events/events.service.js';

/** The baseline insert: the same unnest appendEvents does, without dedupe handling and without the projection. */
export const rawInsertSql = (table = 'contact_events') => `INSERT INTO ${table} (account_id, contact_id, type, channel, occurred_at, conversation_id, customer_id,
                             identity, queue_id, agent_id, source, dedupe_key, data)
 SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::uuid[], $7::uuid[],
                      $8::text[], $9::uuid[], $10::uuid[], $11::text[], $12::text[], $13::jsonb[])`;
export const RAW_SQL = rawInsertSql();

/** The same column arrays appendEvents builds, prepared up front so the raw baseline times only the database. */
export function toColumns(events: NewEvent[]): unknown[] {
  return [
    events.map((e) => e.accountId),
    events.map((e) => e.contactId),
    events.map((e) => e.type),
    events.map((e) => e.channel),
    events.map((e) => e.occurredAt.toISOString()),
    events.map((e) => e.conversationId ?? null),
    events.map((e) => e.customerId ?? null),
    events.map((e) => e.identity ?? null),
    events.map((e) => e.queueId ?? null),
    events.map((e) => e.agentId ?? null),
    events.map((e) => e.source ?? 'earshot'),
    events.map((e) => e.dedupeKey ?? null),
    events.map((e) => JSON.stringify(e.data ?? {})),
  ];
}

/** The admin connection string of the benchmarks' PostgreSQL. */
export const benchPostgresUrl = () => process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Runs fn against a fresh database earshot_bench_<random> on the benchmarks' PostgreSQL, dropped afterwards.
 * Returns a message instead when the server cannot be reached.
 */
export async function withPostgres<T>(fn: (db: Db) => Promise<T>): Promise<T | string> {
  const adminUrl = benchPostgresUrl();
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err: any) {
    await admin.end().catch(() => {});
    return `PostgreSQL skipped: cannot reach ${redactUrl(adminUrl)} (${err.code ?? ''} ${err.message})`.replace(/\s+\)/, ')');
  }
  const name = `earshot_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  let db: Db | null = null;
  try {
    db = await openDb({ databaseUrl: u.toString(), poolSize: 10 });
    return await fn(db);
  } finally {
    await db?.close().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e) => console.error(`could not drop ${name}: ${e.message}`));
    await admin.end().catch(() => {});
  }
}

export const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
export const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);
export const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

export function printTable(rows: string[][]) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}
