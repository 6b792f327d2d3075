/**
 * platform/migrate.ts on small migration folders of its own: each migration runs in its own transaction together with
 * its schema_migrations row, so a failing migration leaves the earlier ones applied and itself rolled back; several
 * processes migrating at once apply each migration exactly once; a changed applied migration is refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { PG_URL, scratchPgDatabase } from './helpers.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-migrate-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

/** One scratch database for the file (PostgreSQL when TEST_DATABASE_URL is set, else in-memory PGlite, which starts
 * slowly); each test uses its own version numbers and table names. `open` gives another handle (another process). */
let scratch: { db: Db; open: () => Promise<Db>; drop: () => Promise<void> };
before(async () => {
  if (PG_URL) {
    const s = await scratchPgDatabase('earshot_mig');
    const open = () => openDb({ databaseUrl: s.url, poolSize: 3 });
    const db = await open();
    const drop = async () => {
      await db.close();
      await s.drop();
    };
    scratch = { db, open, drop };
  } else {
    const db = await openDb({ dataDir: 'memory://' });
    scratch = { db, open: async () => db, drop: () => db.close() };
  }
});
after(() => scratch.drop());

const versions = async (db: Db, prefix: string) =>
  (await db.query<{ version: string }>(`SELECT version FROM schema_migrations WHERE version LIKE $1 ORDER BY version`, [`${prefix}%`])).rows
    .map((r) => r.version);
const tableExists = async (db: Db, name: string) =>
  (await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = $1`, [name])).rows.length === 1;

test('a failing migration is rolled back alone: the earlier ones stay applied and recorded, a re-run resumes', async () => {
  const dir = folder({
    '0101_a.sql': 'CREATE TABLE mig_a (id int PRIMARY KEY);',
    '0102_b.sql': 'CREATE TABLE mig_b (id int PRIMARY KEY); INSERT INTO mig_a VALUES (1);',
    '0103_c.sql': 'CREATE TABLE mig_c (id int PRIMARY KEY); INSERT INTO mig_a VALUES (1);', // duplicate key: fails
  });
  const db = scratch.db;
  try {
    await assert.rejects(migrate(db, dir), /duplicate key|unique/i);
    assert.deepEqual(await versions(db, '01'), ['0101_a', '0102_b']);
    assert.equal(await tableExists(db, 'mig_b'), true, 'the migration before the failing one stays applied');
    assert.equal(await tableExists(db, 'mig_c'), false, 'the failing migration is rolled back as a whole');
    assert.deepEqual((await db.query('SELECT id FROM mig_a')).rows, [{ id: 1 }]);

    writeFileSync(join(dir, '0103_c.sql'), 'CREATE TABLE mig_c (id int PRIMARY KEY); INSERT INTO mig_a VALUES (3);');
    assert.deepEqual(await migrate(db, dir), { applied: ['0103_c'], total: 3 });
    assert.deepEqual(await versions(db, '01'), ['0101_a', '0102_b', '0103_c']);
    assert.deepEqual(await migrate(db, dir), { applied: [], total: 3 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('migrations started at once by several processes are applied exactly once', async () => {
  const files: Record<string, string> = {};
  // Not idempotent on purpose: a migration run twice fails (the table exists).
  for (let i = 1; i <= 6; i++) files[`020${i}_m${i}.sql`] = `CREATE TABLE mig_once_${i} (n int); INSERT INTO mig_once_${i} VALUES (${i});`;
  const dir = folder(files);
  const dbs = [scratch.db, await scratch.open(), await scratch.open()];
  try {
    const results = await Promise.all(dbs.map((db) => migrate(db, dir)));
    const applied = results.flatMap((r) => r.applied).sort();
    assert.deepEqual(applied, Object.keys(files).map((f) => f.replace(/\.sql$/, '')));
    for (let i = 1; i <= 6; i++) assert.equal((await scratch.db.query(`SELECT count(*)::int AS n FROM mig_once_${i}`)).rows[0].n, 1);
  } finally {
    if (PG_URL) for (const db of dbs.slice(1)) await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an applied migration that was changed afterwards is refused, and nothing after it runs', async () => {
  const dir = folder({ '0301_a.sql': 'CREATE TABLE mig_x (id int);' });
  const db = scratch.db;
  try {
    await migrate(db, dir);
    writeFileSync(join(dir, '0301_a.sql'), 'CREATE TABLE mig_x (id int, extra text);');
    writeFileSync(join(dir, '0302_b.sql'), 'CREATE TABLE mig_y (id int);');
    await assert.rejects(migrate(db, dir), (e: any) => e.code === 'migration_changed' && /0301_a\.sql/.test(e.message));
    assert.equal(await tableExists(db, 'mig_y'), false);
    assert.deepEqual(await versions(db, '03'), ['0301_a']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
