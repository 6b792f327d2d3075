import { test } from 'node:test';
import assert from 'node:assert/strict';
import { named } from './sql.js';

test('named parameters: numbered by first use, repeated names share a number, casts untouched', () => {
  const [sql, params] = named(`SELECT :b::int, :a, x::text, :b FROM t WHERE y = 'a-b'`, { a: 1, b: 2, unused: 3 });
  assert.equal(sql, `SELECT $1::int, $2, x::text, $1 FROM t WHERE y = 'a-b'`);
  assert.deepEqual(params, [2, 1]);
});

test('named parameters: a missing value is an error naming it', () => {
  assert.throws(() => named('SELECT :missing', {}), /:missing has no value/);
});
