/**
 * The import formats through the API and into the report: Asterisk queue_log and a mapped CSV, each checked against
 * figures worked out by hand from the input, and re-imported to show that nothing is added twice.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setup, type TestEnv } from './helpers.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(async () => {
  await env.close();
});

const post = (path: string, body: string, type = 'text/plain', token?: string) =>
  env.req('POST', `/api/v1/imports/${path}`, { body, token, headers: { 'content-type': type } });

// 09:00 UTC on 2026-05-04; uniqueid epochs before ENTERQUEUE are the time in the voice menu.
const T = Date.UTC(2026, 4, 4, 9, 0, 0) / 1000;
const QL = [
  `${T}|NONE|sales|PJSIP/201|ADDMEMBER|`,
  // Call 1: 30 s in the voice menu, 20 s in the queue, answered, caller +4711111111.
  `${T + 30}|${T}.1|sales|NONE|ENTERQUEUE||+4711111111|1`,
  `${T + 50}|${T}.1|sales|PJSIP/201|CONNECT|20|${T + 49}.9|1`,
  `${T + 200}|${T}.1|sales|PJSIP/201|COMPLETECALLER|20|150|1`,
  // Call 2: the same caller later, hangs up after 60 s in the queue (no voice menu), then calls again (call 3).
  `${T + 600}|${T + 600}.2|sales|NONE|ENTERQUEUE||+4722222222|1`,
  `${T + 660}|${T + 600}.2|sales|NONE|ABANDON|1|1|60`,
  `this line is broken`,
  `${T + 900}|${T + 890}.3|sales|NONE|ENTERQUEUE||+4722222222|1`,
  `${T + 930}|${T + 890}.3|sales|NONE|SOMEFUTUREVERB|x`,
  `${T + 940}|${T + 890}.3|sales|PJSIP/201|CONNECT|40|${T + 939}.9|2`,
  `${T + 1000}|${T + 890}.3|sales|PJSIP/201|COMPLETEAGENT|40|60|1`,
].join('\n');

test('Asterisk queue_log: contacts, journeys and reported vs lived figures; bad lines and unknown verbs reported', async () => {
  const r = await post('queue-log?tz=UTC', QL);
  assert.equal(r.status, 201, r.body);
  assert.deepEqual(r.json.report.malformed.map((m: any) => m.line), [7]);
  assert.deepEqual(r.json.report.unknown, { SOMEFUTUREVERB: 1 });
  assert.equal(r.json.report.skipped.ADDMEMBER, 1);
  const w = (await env.req('GET', '/api/v1/reports/waits?channel=phone&threshold=30')).json;
  assert.equal(w.contacts, 3);
  assert.equal(w.answered, 2);
  assert.equal(w.queued, 3);
  assert.equal(w.abandonedInQueue, 1);
  assert.equal(w.reported.asaSeconds, 30); // (20 + 40) / 2
  assert.equal(w.reported.serviceLevel, 0.5); // 20 s ≤ 30 s, 40 s not
  assert.equal(w.reported.abandonRate, 0.333333);
  // Lived: 30 + 20 = 50 s, 60 s (abandoned), 10 + 40 = 50 s.
  assert.equal(w.lived.contactWaitSeconds.mean, 53.333);
  // Caller +4722222222: first touch 600, answered at 940 → one journey of two attempts, 340 s.
  assert.equal(w.journeys.answered, 2);
  assert.equal(w.journeys.multiAttempt, 1);
  assert.equal(w.journeys.multiAttemptWaitSeconds.p50, 340);
  const again = await post('queue-log?tz=UTC', QL);
  assert.equal(again.json.added, 0);
});

test('the queue_log fixture of every verb imports without errors, twice without duplicates', async () => {
  const text = readFileSync(new URL('./fixtures/queue-log/asterisk.queue_log', import.meta.url), 'utf8');
  const { accountId, tokens } = await env.makeAccount('pbx');
  const first = await post('queue-log', text, 'text/plain', tokens.admin);
  assert.equal(first.status, 201, first.body);
  assert.ok(first.json.added > 0);
  const second = await post('queue-log', text, 'text/plain', tokens.admin);
  assert.equal(second.json.added, 0);
  const w = (await env.req('GET', '/api/v1/reports/waits', { token: tokens.admin })).json;
  assert.equal(w.contacts, first.json.report.contacts);
  const facts = await env.db.query('SELECT count(*)::int AS n FROM contact_facts WHERE account_id = $1', [accountId]);
  assert.equal(facts.rows[0].n, w.contacts);
});

test('CSV with a column map: local times in the given zone, durations fill in missing times', async () => {
  const csv = [
    'Call;Caller;Line;Start;IVR;Wait;Result',
    'c1;4790000001;Kundeservice;2026-05-05 08:00:00;15;45;answered',
    'c2;4790000002;Kundeservice;2026-05-05 08:10:00;15;120;abandoned',
    'c3;4790000002;Kundeservice;2026-05-05 08:20:00;15;30;answered',
    'c4;;Kundeservice;2026-05-05 08:30:00;not-a-number;30;answered',
  ].join('\n');
  const map = 'Call=contact_id,Caller=identity,Line=queue,Start=arrived_at,IVR=ivr_seconds,Wait=queue_seconds,Result=outcome';
  const r = await post(`csv?tz=Europe/Oslo&map=${encodeURIComponent(map)}`, csv, 'text/csv');
  assert.equal(r.status, 201, r.body);
  assert.deepEqual(r.json.report.malformed.map((m: any) => m.line), [5]);
  // 08:00 in Oslo (summer time) is 06:00 UTC.
  const w = (await env.req('GET', '/api/v1/reports/waits?queue=Kundeservice&from=2026-05-05T06:00:00Z&to=2026-05-05T07:00:00Z')).json;
  assert.equal(w.contacts, 3);
  assert.equal(w.reported.asaSeconds, 37.5);
  assert.equal(w.lived.contactWaitSeconds.p50, 60); // 60, 135, 45 → median 60
  // Caller 4790000002: first touch 08:10:00 (c2, gave up), answered in c3 at 08:20:00 + 15 + 30 → 645 s.
  assert.equal(w.journeys.multiAttemptWaitSeconds.p50, 645);
  const badMap = await post('csv?map=Call%3Dcontact_id%2CWho%3Dfavourite_colour', csv, 'text/csv');
  assert.equal(badMap.status, 400);
  assert.match(badMap.json.error.message, /favourite_colour/);
  const noMap = await post('csv', csv, 'text/csv');
  assert.equal(noMap.status, 400);
  assert.match(noMap.json.error.message, /map/);
  const missingColumn = await post(`csv?map=${encodeURIComponent('Nope=contact_id,Start=arrived_at')}`, csv, 'text/csv');
  assert.equal(missingColumn.status, 400, missingColumn.body);
  assert.match(missingColumn.json.error.message, /Nope/);
});
