/**
 * The acceptance path of the journeys issue through the real CLI: import the bank call log, run
 * `report waits --json --threshold 20`, and hold every figure against an independent computation from the
 * definitions (test/bank-reference.ts). Also the human table, the import summary and its errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, show, tempDataDir } from './cli-run.js';
import { assertFiguresClose, bankReference, BANK_LOG, SKIP_BANK } from './bank-reference.js';

test('import calls --format seelab, then report waits --json: the figures a reader can check by hand', { skip: SKIP_BANK, timeout: 240_000 }, async (t) => {
  const data = tempDataDir(t);
  const acc = await run(['account', 'create', 'Anonymous Bank', '--slug', 'bank', '--timezone', 'Asia/Jerusalem', '--data', data]);
  assert.equal(acc.code, 0, show(acc));
  const imp = await run(['import', 'calls', BANK_LOG, '--format', 'seelab', '--account', 'bank', '--data', data], { timeoutMs: 180_000 });
  assert.equal(imp.code, 0, show(imp));
  assert.match(imp.stderr, /177485 events read, 177485 added, 0 already there; 33066 contacts/, show(imp));
  assert.match(imp.stderr, /Not contact events \(skipped\): PHANTOM 278/, show(imp));
  assert.match(imp.stderr, /23 line\(s\) imported with a correction, e\.g\. line 2047: vru_time is negative/, show(imp));

  const rep = await run(['report', 'waits', '--account', 'bank', '--threshold', '20', '--json', '--data', data]);
  assert.equal(rep.code, 0, show(rep));
  const r = JSON.parse(rep.stdout);
  assert.deepEqual(assertFiguresClose(r, bankReference(20), 1e-4), []);

  const table = await run(['report', 'waits', '--account', 'bank', '--by', 'queue', '--data', data]);
  assert.equal(table.code, 0, show(table));
  assert.match(table.stdout, /^\s+all\s+IN\s+NE\s+NW\s+PE\s+PS\s+TT$/m, show(table));
  assert.match(table.stdout, /^ {2}ASA \(mean queue wait\)\s+40\.8 s/m, show(table));
  assert.match(table.stdout, /^ {2}multi-attempt wait p50\s+21\.2 min/m, show(table));
});

test('import: a second run adds nothing; malformed lines are listed; bad options are named', { timeout: 120_000 }, async (t) => {
  const data = tempDataDir(t);
  assert.equal((await run(['account', 'create', 'Acme', '--slug', 'acme', '--data', data])).code, 0);
  const file = join(data, 'events.jsonl');
  writeFileSync(file, [
    JSON.stringify({ contactId: 'k1', type: 'contact.arrived', channel: 'chat', at: '2026-06-01T10:00:00Z', identity: 'v1' }),
    JSON.stringify({ contactId: 'k1', type: 'contact.answered', channel: 'chat', at: '2026-06-01T10:02:00Z' }),
    '{"contactId": "k2", "type": "contact.arrived"',
  ].join('\n'));
  const first = await run(['import', 'events', file, '--account', 'acme', '--json', '--data', data]);
  assert.equal(first.code, 0, show(first));
  const s = JSON.parse(first.stdout);
  assert.equal(s.added, 2);
  assert.equal(s.report.malformed[0].line, 3);
  const second = await run(['import', 'events', file, '--account', 'acme', '--strict', '--data', data]);
  assert.equal(second.code, 2, show(second));
  assert.match(second.stderr, /2 events read, 0 added, 2 already there/);
  assert.match(second.stderr, /line 3: not JSON/);
  const rep = await run(['report', 'waits', '--account', 'acme', '--json', '--data', data]);
  assert.equal(JSON.parse(rep.stdout).lived.contactWaitSeconds.p50, 120);

  const noMap = await run(['import', 'calls', file, '--format', 'csv', '--account', 'acme', '--data', data]);
  assert.notEqual(noMap.code, 0);
  assert.match(noMap.stderr, /--map/, show(noMap));
  const badTz = await run(['import', 'events', file, '--account', 'acme', '--tz', 'Nowhere/Land', '--data', data]);
  assert.equal(badTz.code, 1, show(badTz));
  assert.match(badTz.stderr, /unknown time zone 'Nowhere\/Land'/);
  const missing = await run(['import', 'queue-log', join(data, 'nope.log'), '--account', 'acme', '--data', data]);
  assert.equal(missing.code, 1, show(missing));
  assert.match(missing.stderr, /nope\.log/);
  const badBy = await run(['report', 'waits', '--account', 'acme', '--by', 'planet', '--data', data]);
  assert.notEqual(badBy.code, 0);
  assert.match(badBy.stderr, /planet/);
  const recompute = await run(['recompute', '--account', 'acme', '--data', data]);
  assert.equal(recompute.code, 0, show(recompute));
  assert.match(recompute.stderr, /Recomputed 1 contacts/);
});
