/** The test databases start from the migrated template, and the template really carries the schema (PGlite only). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDb } from '../src/platform/db.js';
import { dbKind, setup } from './helpers.js';

test('a PGlite dump loads back with its tables and rows into a memory:// database', { skip: dbKind !== 'pglite' && 'PGlite only' }, async () => {
  const a = await openDb({ dataDir: 'memory://' });
  await a.exec('CREATE TABLE t (x int); INSERT INTO t VALUES (42)');
  const blob = await a.dumpDataDir!();
  await a.close();
  const b = await openDb({ dataDir: 'memory://', loadDataDir: blob });
  try {
    assert.deepEqual((await b.query('SELECT x FROM t')).rows, [{ x: 42 }]);
  } finally {
    await b.close();
  }
});

test('setup() hands out a migrated database with nothing left to apply', async () => {
  const env = await setup();
  try {
    const applied = await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    assert.ok(applied.rows[0].n > 10, 'the migrations are recorded');
    assert.equal((await env.db.query('SELECT count(*)::int AS n FROM conversations')).rows[0].n, 0);
  } finally {
    await env.close();
  }
});
