/** Following a live Asterisk queue_log: appended lines, restarts, partial lines, rotation and truncation. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { setup, type TestEnv } from './helpers.js';
import { followOnce, newFollower, type FollowerState } from '../src/modules/channels/voice/queue-log-follow.js';
import { parseQueueLog } from '../src/modules/journeys/import/queue-log.js';
import { run, show, tempDataDir } from './cli-run.js';

const T = 1795600800; // 2026-11-25 10:00 UTC
const line = (dt: number, uid: string, queue: string, agent: string, verb: string, ...data: (string | number)[]) =>
  `${[T + dt, uid, queue, agent, verb, ...data].join('|')}\n`;

// Call 1: answered after 25 s, completes later (in the rotated file's last line). Call 2: abandoned after 60 s.
const C1 = `${T - 10}.11`;
const C2 = `${T + 30}.21`;
const C3 = `${T + 100}.31`;
const C4 = `${T + 600}.41`;
const C5 = `${T + 700}.51`;
const C6 = `${T + 800}.61`;

let env: TestEnv;
let dir: string;
let file: string;
let follower: FollowerState;
/** Everything written to the log, in order: the reference a one-shot parse of the whole log gives. */
let written = '';

const write = (text: string) => {
  appendFileSync(file, text);
  written += text;
};
const keys = async () =>
  (await env.db.query<{ dedupe_key: string }>(`SELECT dedupe_key FROM contact_events WHERE account_id = $1 AND source = 'queue-log' ORDER BY 1`, [env.accountId])).rows.map((r) => r.dedupe_key);
const reference = (text: string) => parseQueueLog(text).events.map((e) => `queue-log:${e.key}`).sort();
const types = async (uid: string) =>
  (await env.db.query<{ type: string }>(`SELECT type FROM contact_events WHERE account_id = $1 AND contact_id = $2 ORDER BY occurred_at, id`, [env.accountId, `queue-log:${uid}`])).rows.map((r) => r.type);

before(async () => {
  env = await setup();
  env.clock.now = new Date((T + 500) * 1000);
  dir = mkdtempSync(join(tmpdir(), 'earshot-qlog-'));
  file = join(dir, 'queue_log');
  writeFileSync(file, '');
  follower = newFollower(env.accountId, file);
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await env?.close();
});

test('appended lines become events; a partial last line waits for its newline', async () => {
  write(line(0, C1, 'support', 'NONE', 'ENTERQUEUE', '', '+4791000001', 1));
  write(line(15, C1, 'support', 'Agent/1001', 'RINGNOANSWER', 15000));
  write(line(25, C1, 'support', 'Agent/1002', 'CONNECT', 25, `${T + 20}.12`, 3));
  write(line(30, C2, 'support', 'NONE', 'ENTERQUEUE', '', '0047 91000002', 1));
  const abandon = line(90, C2, 'support', 'NONE', 'ABANDON', 1, 1, 60);
  appendFileSync(file, abandon.slice(0, 20)); // Asterisk is mid-write
  const r1 = await followOnce(env.ctx, follower);
  assert.equal(r1.lines, 4);
  assert.deepEqual(await types(C1), ['contact.arrived', 'ivr.entered', 'ivr.left', 'queue.entered', 'agent.offered', 'contact.answered']);
  assert.deepEqual(await types(C2), ['contact.arrived', 'queue.entered'], 'the half-written ABANDON is not read yet');

  appendFileSync(file, abandon.slice(20));
  written += abandon;
  const r2 = await followOnce(env.ctx, follower);
  assert.equal(r2.lines, 1);
  assert.equal(r2.callbacksOpened, 1, 'the abandoned call with a caller number opens a callback');
  assert.deepEqual(await types(C2), ['contact.arrived', 'queue.entered', 'contact.abandoned']);
  const cb = await env.db.query<any>(`SELECT phone, contact_id FROM callbacks WHERE account_id = $1`, [env.accountId]);
  assert.deepEqual(cb.rows, [{ phone: '+4791000002', contact_id: `queue-log:${C2}` }]);
  const fact = (await env.db.query<any>(`SELECT outcome, lived_wait_s, who FROM contact_facts WHERE account_id = $1 AND contact_id = $2`, [env.accountId, `queue-log:${C1}`])).rows[0];
  assert.deepEqual(fact, { outcome: 'answered', lived_wait_s: 35, who: 'i:+4791000001' });
  assert.deepEqual(await keys(), reference(written));
});

test('a restart neither duplicates nor skips, even with an exit held across it', async () => {
  write(line(100, C3, 'support', 'NONE', 'ENTERQUEUE', '', '+4791000003', 2));
  write(line(400, C3, 'support', 'NONE', 'EXITWITHTIMEOUT', 1, 2, 300));
  await followOnce(env.ctx, follower);
  assert.deepEqual(await types(C3), ['contact.arrived', 'queue.entered'], 'the exit is held: the call may go on to another queue');

  // The process restarts: a new follower without the parser's memory.
  follower = newFollower(env.accountId, file);
  const again = await followOnce(env.ctx, follower);
  assert.equal(again.added, 0, 'nothing new, nothing added');

  write(line(401, C3, 'overflow', 'NONE', 'ENTERQUEUE', '', '+4791000003', 1));
  write(line(420, C3, 'overflow', 'Agent/1003', 'CONNECT', 19, `${T + 415}.33`, 2));
  await followOnce(env.ctx, follower);
  assert.deepEqual(await types(C3), ['contact.arrived', 'queue.entered', 'contact.transferred', 'queue.entered', 'contact.answered'],
    'the restarted follower re-read the held exit, so the overflow is a transfer, not an abandon');
  assert.deepEqual(await keys(), reference(written));
});

test('rotation: the rest of the old file is read, then the new file from its start', async () => {
  write(line(205, C1, 'support', 'Agent/1002', 'COMPLETECALLER', 25, 180, 1));
  renameSync(file, `${file}.1`);
  writeFileSync(file, '');
  write(line(600, C4, 'support', 'NONE', 'ENTERQUEUE', '', '+4791000004', 1));
  write(line(640, C4, 'support', 'NONE', 'ABANDON', 1, 1, 40));
  const r = await followOnce(env.ctx, follower);
  assert.equal(r.rotated, true);
  assert.equal(r.lines, 3);
  assert.equal((await types(C1)).at(-1), 'contact.resolved', 'the line written just before the rotation is not lost');
  assert.deepEqual(await types(C4), ['contact.arrived', 'queue.entered', 'contact.abandoned']);
  assert.deepEqual(await keys(), reference(written));
});

test('truncation: a file cut shorter than the offset is read again from its start', async () => {
  truncateSync(file, 0);
  write(line(700, C5, 'support', 'NONE', 'ENTERQUEUE', '', '+4791000005', 1));
  write(line(705, C5, 'support', 'Agent/1001', 'CONNECT', 5, `${T + 703}.52`, 2));
  const r = await followOnce(env.ctx, follower);
  assert.equal(r.truncated, true);
  assert.deepEqual(await types(C5), ['contact.arrived', 'queue.entered', 'contact.answered']);
  assert.deepEqual(await keys(), reference(written));
});

test('a held exit in a quiet log becomes an abandon by the wall clock', async () => {
  write(line(800, C6, 'support', 'NONE', 'ENTERQUEUE', '', '+4791000006', 1));
  write(line(830, C6, 'support', 'NONE', 'EXITEMPTY', 1, 1, 30));
  await followOnce(env.ctx, follower);
  assert.deepEqual(await types(C6), ['contact.arrived', 'queue.entered']);
  env.clock.now = new Date((T + 830 + 3601) * 1000);
  const r = await followOnce(env.ctx, follower);
  assert.equal(r.lines, 0);
  assert.deepEqual(await types(C6), ['contact.arrived', 'queue.entered', 'contact.abandoned']);
  assert.deepEqual(await keys(), reference(written), 'the same facts a one-shot import of the whole log gives');
  const cp = await env.db.query<any>(`SELECT read_offset::int AS o FROM voice_follow_checkpoints WHERE account_id = $1`, [env.accountId]);
  assert.equal(cp.rows[0].o, Buffer.byteLength(written.slice(written.indexOf(`${T + 700}|`))));
});

test('earshot voice follow-once (cron) reads what is new, and earshot voice callbacks lists what is owed', async (t) => {
  const data = tempDataDir(t);
  const log = join(data, 'queue_log');
  writeFileSync(log, line(0, `${T}.71`, 'support', 'NONE', 'ENTERQUEUE', '', '+4791000007', 1) + line(50, `${T}.71`, 'support', 'NONE', 'ABANDON', 1, 1, 50));
  const acc = await run(['account', 'create', 'Cron Co', '--slug', 'cron', '--data', data]);
  assert.equal(acc.code, 0, show(acc));
  const first = await run(['voice', 'follow-once', log, '--account', 'cron', '--data', data]);
  assert.equal(first.code, 0, show(first));
  assert.match(first.stdout, /^2 lines read, 3 events added, 1 callbacks opened/);
  const again = await run(['voice', 'follow-once', log, '--account', 'cron', '--data', data]);
  assert.match(again.stdout, /^0 lines read, 0 events added, 0 callbacks opened/, show(again));
  const list = await run(['voice', 'callbacks', '--account', 'cron', '--json', '--data', data]);
  assert.equal(list.code, 0, show(list));
  const items = list.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(items.map((c) => [c.phone, c.queueName, c.status]), [['+4791000007', 'support', 'open']]);
  const nb = await run(['voice', 'callbacks', '--account', 'cron', '--lang', 'nb', '--data', data]);
  assert.match(nb.stdout, /Skyldes.*\+4791000007 {2}support {2}La på i køen {2}0/, show(nb));
});
