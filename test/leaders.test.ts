/**
 * Leaders within earshot (issue 7) through the API: settings and rights; the daily sample (1–3 per day, only open real
 * customer conversations, no robots or probes), de-duplication of customers within the window (and fine after),
 * reproducibility with the seed (the auditor's replay); the weekly cap and the deputy (cap → deputy, absence → deputy,
 * deputy full or absent → unassigned with the reason); preparation rights; the leader's answer going out by email in
 * their name; hand back; follow-through; the morning digest as a real email in the leader's language; CLI.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { setup, type TestEnv } from './helpers.js';
import { startSmtpSink, type SmtpSink } from './dovecot.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import { pickSample } from '../src/modules/leaders/leaders.service.js';
import { leadersDraw, leadersList } from '../src/modules/leaders/leaders.module.js';

let env: TestEnv;
let sink: SmtpSink;
const day = (d: string, hour = 5) => new Date(`${d}T${String(hour).padStart(2, '0')}:00:00Z`);
const PASSWORD = 'correct horse battery';
const u: Record<'leader' | 'deputy' | 'agent', { id: string; cookie: string }> = {} as any;
/** conversation id → customer email */
const emailOf = new Map<string, string>();

async function login(email: string) {
  const r = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email, password: PASSWORD } });
  assert.equal(r.status, 200, r.body);
  return String([r.headers['set-cookie']].flat()[0]).split(';')[0];
}
const as = (who: keyof typeof u) => ({ token: '', cookie: u[who].cookie });

async function conv(email: string, subject: string, text = 'Hello, my order has not arrived. Can you help?') {
  const r = await env.req('POST', '/api/v1/conversations', { body: { customer: { email, name: email.split('@')[0] }, channel: 'email', subject, message: { text } } });
  assert.equal(r.status, 201, r.body);
  emailOf.set(r.json.id, email);
  return r.json.id as string;
}
const drawReq = (body: Record<string, unknown>, token?: string) => env.req('POST', '/api/v1/leaders/draws', { body, token });

before(async () => {
  sink = await startSmtpSink();
  env = await setup({ smtpOutboundUrl: sink.url });
  env.clock.now = day('2027-03-03', 4);
  const sys = systemPrincipal(env.accountId);
  for (const [key, email, name, role, locale] of [
    ['leader', 'lea@acme.test', 'Lea Leitner', 'leader', 'de'],
    ['deputy', 'martin@acme.test', 'Martin Vogel', 'supervisor', 'de'],
    ['agent', 'lena@acme.test', 'Lena Schmidt', 'agent', 'en'],
  ] as const) {
    const user = await accounts.addUser(env.ctx, sys, { email, name, role, password: PASSWORD, locale });
    u[key] = { id: user.id, cookie: await login(email) };
  }
  const mb = await env.req('POST', '/api/v1/mailboxes', { body: { address: 'support@acme.test', name: 'Acme Support' } });
  assert.equal(mb.status, 201, mb.body);
});
after(async () => {
  await env.close();
  await sink.close();
});

test('settings: supervisors and admins set them, with defaults and checks; agents may not; a leader cannot deputise for themself', async () => {
  assert.equal((await env.req('PUT', `/api/v1/leaders/${u.leader.id}/settings`, { token: env.tokens.agent, body: {} })).status, 403);
  assert.equal((await env.req('PUT', `/api/v1/leaders/${u.leader.id}/settings`, { token: env.tokens.leader, body: {} })).status, 403);
  const self = await env.req('PUT', `/api/v1/leaders/${u.leader.id}/settings`, { token: env.tokens.supervisor, body: { deputyId: u.leader.id } });
  assert.equal(self.status, 400);
  assert.match(self.body, /own deputy/);
  assert.equal((await env.req('PUT', `/api/v1/leaders/${u.leader.id}/settings`, { body: { requestsPerDay: 4 } })).status, 400);

  const def = await env.req('PUT', `/api/v1/leaders/${u.leader.id}/settings`, { token: env.tokens.supervisor, body: {} });
  assert.equal(def.status, 200, def.body);
  assert.deepEqual(
    { r: def.json.requestsPerDay, c: def.json.weeklyCap, h: def.json.digestHour, w: def.json.workingDays, d: def.json.dedupDays, tz: def.json.timezone },
    { r: 2, c: 8, h: 7, w: [1, 2, 3, 4, 5], d: 30, tz: 'UTC' },
  );
  assert.equal(new Date(def.json.nextDigestAt).toISOString(), '2027-03-03T07:00:00.000Z');
  const s = await env.req('PUT', `/api/v1/leaders/${u.leader.id}/settings`, { body: { weeklyCap: 3, deputyId: u.deputy.id } });
  assert.equal(s.json.deputyName, 'Martin Vogel');
  assert.equal((await env.req('PUT', `/api/v1/leaders/${u.deputy.id}/settings`, { body: { weeklyCap: 1 } })).status, 200);

  const list = await env.req('GET', '/api/v1/leaders', { token: env.tokens.agent });
  assert.equal(list.status, 200);
  const lea = list.json.items.find((x: any) => x.userId === u.leader.id);
  assert.equal(lea.weekCount, 0);
  assert.equal(lea.weeklyCap, 3);
  const audit = await env.db.query(`SELECT action FROM audit_log WHERE target_id = $1 AND action LIKE 'leader.settings%' ORDER BY id`, [u.leader.id]);
  assert.deepEqual(audit.rows.map((r) => r.action), ['leader.settings_created', 'leader.settings_changed']);
});

let A: string[] = [];
let day1: any;
test('the sample: only open real customer conversations (no solved, robot or probe ones), requests per day, idempotent, replayable with the seed', async () => {
  A = [await conv('anna@example.com', 'Parcel missing'), await conv('bo@example.com', 'Wrong size'), await conv('cleo@example.com', 'Refund?'),
    await conv('dan@example.com', 'Invoice'), await conv('eva@example.com', 'Broken zip')];
  const solved = await conv('sol@example.com', 'Done already');
  assert.equal((await env.req('PATCH', `/api/v1/conversations/${solved}`, { body: { status: 'solved' } })).status, 200);
  const robot = await conv('robot@example.com', 'Out of office');
  await env.db.query('UPDATE conversations SET automatic = true WHERE id = $1', [robot]);
  const probe = await env.req('POST', '/api/v1/probes', { body: { name: 'mail', channel: 'email', target: 'support@acme.test' } });
  assert.equal(probe.status, 201, probe.body);
  const probeConv = await conv(probe.json.fromAddress, 'Probe contact');

  assert.equal((await drawReq({ leaderId: u.leader.id }, env.tokens.agent)).status, 403);
  const r = await drawReq({ leaderId: u.leader.id, date: '2027-03-03', seed: 42 });
  assert.equal(r.status, 201, r.body);
  day1 = r.json.items[0];
  assert.equal(day1.candidateCount, 5, 'only the five open real conversations are candidates');
  assert.equal(day1.picks.length, 2, 'requests per day (2)');
  for (const id of day1.picks) assert.ok(A.includes(id));
  for (const bad of [solved, robot, probeConv]) assert.ok(!day1.picks.includes(bad));
  assert.deepEqual(day1.items.map((i: any) => [i.assigneeId, i.reason, i.status]), [[u.leader.id, null, 'drawn'], [u.leader.id, null, 'drawn']]);

  const again = await drawReq({ leaderId: u.leader.id, date: '2027-03-03', seed: 7 });
  assert.equal(again.json.items[0].id, day1.id, 'one draw per leader and day');
  assert.equal(again.json.items[0].existing, true);
  assert.deepEqual(again.json.items[0].picks, day1.picks);

  // The auditor's replay: the stored seed over the stored candidates gives the stored picks.
  const audit = await env.req('GET', `/api/v1/leaders/draws/${day1.id}`, { token: env.tokens.leader });
  assert.equal(audit.status, 200, audit.body);
  assert.equal(audit.json.seed, 42);
  assert.deepEqual(audit.json.candidates.map((c: any) => c.id), A, 'candidates in a stable order (conversation number)');
  assert.deepEqual(audit.json.replay, { picks: day1.picks, hashMatches: true, picksMatch: true });
  assert.deepEqual(pickSample(42, audit.json.candidates, 2), day1.picks);
  const other = new Set(Array.from({ length: 20 }, (_, s) => pickSample(s, audit.json.candidates, 2).join()));
  assert.ok(other.size > 3, 'another seed draws other requests');
  const logged = await env.db.query(`SELECT data FROM audit_log WHERE action = 'leader.drawn' AND target_id = $1`, [day1.id]);
  assert.equal(logged.rows[0].data.seed, 42);
  assert.equal(logged.rows[0].data.candidatesHash, audit.json.candidatesHash);
  assert.equal((await env.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'leader.item_assigned'`)).rows[0].n, 2);
});

let day2: any;
let againId = '';
test('cap reached → deputy; deputy also at cap → unassigned with the reason; customers not twice within the window; never above a cap', async () => {
  env.clock.now = day('2027-03-04');
  assert.equal((await env.req('PUT', `/api/v1/leaders/${u.leader.id}/settings`, { body: { requestsPerDay: 3 } })).status, 200);
  // A new conversation of a customer sampled yesterday: not a candidate within 30 days.
  const again = await conv(emailOf.get(day1.picks[0])!, 'Still missing');
  againId = again;
  const r = await drawReq({ leaderId: u.leader.id, date: '2027-03-04', seed: 1 });
  day2 = r.json.items[0];
  const audit = await env.req('GET', `/api/v1/leaders/draws/${day2.id}`);
  const cands = audit.json.candidates.map((c: any) => c.id);
  assert.equal(cands.length, 3);
  assert.ok(!cands.includes(again), 'same customer within the de-duplication window');
  for (const id of day1.picks) assert.ok(!cands.includes(id), 'never the same conversation twice');
  assert.equal(day2.picks.length, 3);
  // Leader: 2 this week + 1 = cap 3; then the deputy (cap 1); then nobody.
  assert.deepEqual(day2.items.map((i: any) => [i.assigneeId, i.reason]).sort(), [[u.leader.id, null], [u.deputy.id, 'cap']].sort());
  assert.equal(day2.unassigned.length, 1);
  assert.deepEqual({ ...day2.unassigned[0], conversationId: undefined }, { conversationId: undefined, reason: 'cap', deputy: 'cap' });
  const lead = (await env.req('GET', '/api/v1/leaders')).json.items.find((x: any) => x.userId === u.leader.id);
  assert.equal(lead.weekCount, 3);
  const counts = await env.db.query(`SELECT assignee_id, count(*)::int AS n FROM leader_items WHERE week = '2027-03-01' GROUP BY 1`);
  assert.deepEqual(Object.fromEntries(counts.rows.map((x) => [x.assignee_id, x.n])), { [u.leader.id]: 3, [u.deputy.id]: 1 });
  assert.equal((await env.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'leader.item_unassigned'`)).rows[0].n, 1);

  // Saturday is no working day.
  const sat = await drawReq({ leaderId: u.leader.id, date: '2027-03-06' });
  assert.equal(sat.json.items[0].note, 'not_working_day');
  assert.deepEqual(sat.json.items[0].picks, []);

});

test('absence → deputy; deputy absent too → unassigned; absences set by the leader themself, not by an agent', async () => {
  env.clock.now = day('2027-03-08');
  assert.equal((await env.req('POST', `/api/v1/leaders/${u.leader.id}/absences`, { ...as('agent'), body: { from: '2027-03-08', to: '2027-03-12' } })).status, 403);
  const abs = await env.req('POST', `/api/v1/leaders/${u.leader.id}/absences`, { ...as('leader'), body: { from: '2027-03-08', to: '2027-03-12', note: 'holiday' } });
  assert.equal(abs.status, 201, abs.body);
  const tmp = await env.req('POST', `/api/v1/leaders/${u.leader.id}/absences`, { ...as('leader'), body: { from: '2027-05-01', to: '2027-05-02' } });
  assert.equal((await env.req('DELETE', `/api/v1/leaders/${u.leader.id}/absences/${tmp.json.id}`, as('leader'))).status, 204);
  assert.equal((await env.req('DELETE', `/api/v1/leaders/${u.leader.id}/absences/${tmp.json.id}`, as('leader'))).status, 404);

  await conv('fia@example.com', 'Gift card');
  const r = (await drawReq({ leaderId: u.leader.id, date: '2027-03-09', seed: 5 })).json.items[0];
  assert.equal(r.picks.length, 2, 'the fresh one and the one nobody could take last week');
  assert.deepEqual(r.items.map((i: any) => [i.assigneeId, i.reason]), [[u.deputy.id, 'absence']]);
  assert.deepEqual(r.unassigned.map((x: any) => [x.reason, x.deputy]), [['absence', 'cap']]);

  assert.equal((await env.req('POST', `/api/v1/leaders/${u.deputy.id}/absences`, { token: env.tokens.supervisor, body: { from: '2027-03-11', to: '2027-03-11' } })).status, 201);
  const r2 = (await drawReq({ leaderId: u.leader.id, date: '2027-03-11', seed: 5 })).json.items[0];
  assert.equal(r2.items.length, 0);
  assert.deepEqual(r2.unassigned.map((x: any) => [x.reason, x.deputy]), [['absence', 'absence']]);

  // Fine after the window: 2027-04-05 is 32 days after the first sample.
  env.clock.now = day('2027-04-05');
  const later = await drawReq({ leaderId: u.leader.id, date: '2027-04-05', seed: 3 });
  const lc: string[] = (await env.req('GET', `/api/v1/leaders/draws/${later.json.items[0].id}`)).json.candidates.map((c: any) => c.id);
  assert.ok(lc.includes(againId), 'the same customer is fine again after the window');
  assert.ok(!lc.includes(day1.picks[0]));
});

test('preparation by the team (not the leader), answer in the leader’s name through email, hand back, follow-through', async () => {
  env.clock.now = day('2027-03-04', 5);
  const mine = day1.items.map((i: any) => i.id);
  const [first, second] = mine;
  const body = { summary: 'Parcel lost in transit since two weeks', proposedAnswer: 'Dear customer, I am sorry. We send a new one today.', notes: 'DHL confirms loss' };
  assert.equal((await env.req('POST', `/api/v1/leaders/items/${first}/prepare`, { ...as('leader'), body })).status, 403, 'the leader does not prepare');
  assert.equal((await env.req('POST', `/api/v1/leaders/items/${first}/prepare`, { token: env.tokens.leader, body })).status, 403);
  const deputyItem = day2.items.find((i: any) => i.assigneeId === u.deputy.id);
  assert.equal((await env.req('POST', `/api/v1/leaders/items/${deputyItem.id}/prepare`, { ...as('deputy'), body })).status, 403, 'nor the deputy who answers it');
  const prep = await env.req('POST', `/api/v1/leaders/items/${first}/prepare`, { ...as('agent'), body });
  assert.equal(prep.status, 200, prep.body);
  assert.equal(prep.json.status, 'prepared');
  assert.equal(prep.json.preparedByName, 'Lena Schmidt');
  assert.equal((await env.req('POST', `/api/v1/leaders/items/${deputyItem.id}/prepare`, { ...as('deputy'), body })).status, 403);
  assert.equal((await env.req('POST', `/api/v1/leaders/items/${deputyItem.id}/prepare`, { token: env.tokens.supervisor, body })).status, 200, 'another supervisor may');

  const view = await env.req('GET', `/api/v1/leaders/items/${first}`, { token: env.tokens.agent });
  assert.equal(view.status, 200);
  assert.match(view.json.messages[0].text, /order has not arrived/);
  assert.ok(view.json.journey.some((j: any) => j.conversationId === view.json.conversationId), 'the customer journey with lived waits');

  const today = await env.req('GET', '/api/v1/leaders/today', as('leader'));
  assert.equal(today.status, 200, today.body);
  assert.deepEqual(today.json.prepared.map((i: any) => i.id), [first]);
  assert.equal(today.json.prepared[0].proposedAnswer, body.proposedAnswer);
  assert.ok(today.json.beingPrepared.some((i: any) => i.id === second), 'drawn but unprepared shows as being prepared');
  assert.equal(today.json.week.cap, 3);

  assert.equal((await env.req('POST', `/api/v1/leaders/items/${first}/answer`, { ...as('agent'), body: { text: 'x' } })).status, 403);
  const unprepared = await env.req('POST', `/api/v1/leaders/items/${second}/answer`, { ...as('leader'), body: { text: 'x' } });
  assert.equal(unprepared.status, 409);
  assert.match(unprepared.body, /being prepared/);

  const text = 'Liebe Kundin, ich habe Ihre Nachricht selbst gelesen. Sie bekommen heute ein neues Paket. Lea Leitner';
  const ans = await env.req('POST', `/api/v1/leaders/items/${first}/answer`, { ...as('leader'), body: { text } });
  assert.equal(ans.status, 201, ans.body);
  assert.equal(ans.json.item.status, 'answered');
  assert.equal(ans.json.message.authorUserId ?? ans.json.message.author?.id, u.leader.id);
  assert.equal((await env.req('POST', `/api/v1/leaders/items/${first}/answer`, { ...as('leader'), body: { text } })).status, 409, 'answered once');
  await env.app.jobs.runDue(env.clock.now!);
  const to = emailOf.get(ans.json.item.conversationId)!;
  for (let i = 0; i < 100 && !sink.messages.some((m) => m.rcptTo.includes(to)); i++) await new Promise((r) => setTimeout(r, 50));
  const sent = sink.messages.find((m) => m.rcptTo.includes(to));
  assert.ok(sent, 'the customer received the leader’s answer by email');
  const mail = await simpleParser(sent!.raw);
  assert.match(mail.text ?? '', /ich habe Ihre Nachricht selbst gelesen/);
  assert.match(String(mail.from?.text), /Lea Leitner/);

  assert.equal((await env.req('POST', `/api/v1/leaders/items/${second}/hand-back`, { ...as('agent'), body: { reason: 'x' } })).status, 403);
  const hb = await env.req('POST', `/api/v1/leaders/items/${second}/hand-back`, { ...as('leader'), body: { reason: 'Needs a refund decision by finance' } });
  assert.equal(hb.status, 200, hb.body);
  assert.equal(hb.json.status, 'handed_back');
  assert.equal(hb.json.handBackReason, 'Needs a refund decision by finance');
  const a = await env.db.query(`SELECT data FROM audit_log WHERE action = 'leader.item_handed_back' AND target_id = $1`, [second]);
  assert.equal(a.rows[0].data.reason, 'Needs a refund decision by finance');

  // Follow-through: before and after the customer's reply.
  let ft = (await env.req('GET', `/api/v1/leaders/items?status=answered`, { token: env.tokens.agent })).json.items[0].followThrough;
  assert.equal(ft.customerReplied, false);
  assert.equal(ft.conversationStatus, 'open');
  assert.equal(ft.timeToAnswerSeconds, 86_400 + 3600, 'drawn 2027-03-03 04:00, answered 2027-03-04 05:00');
  env.clock.now = day('2027-03-04', 6);
  const cm = await env.req('POST', `/api/v1/conversations/${ans.json.item.conversationId}/messages`, { body: { text: 'Thank you so much!' } });
  assert.equal(cm.status, 201, cm.body);
  const byConv = await env.req('GET', `/api/v1/leaders/items?conversationId=${ans.json.item.conversationId}`, { token: env.tokens.agent });
  ft = byConv.json.items[0].followThrough;
  assert.equal(ft.customerReplied, true);
  assert.equal(new Date(ft.customerRepliedAt).toISOString(), '2027-03-04T06:00:00.000Z');
  assert.ok('satisfaction' in ft);
  assert.equal((await env.req('GET', `/api/v1/leaders/items?status=nope`)).status, 400);
});

test('the morning digest: a real email at the leader’s local digest hour, in the leader’s language (German), with voices, figures, requests', async () => {
  // Preview for the screen (the leader or people with reports; not an agent).
  env.clock.now = day('2027-03-04', 7);
  assert.equal((await env.req('GET', `/api/v1/leaders/${u.leader.id}/digest`, { token: env.tokens.agent })).status, 403);
  const pre = await env.req('GET', `/api/v1/leaders/${u.leader.id}/digest`, as('leader'));
  assert.equal(pre.status, 200, pre.body);
  assert.equal(pre.json.locale, 'de');
  assert.match(pre.json.text, /Guten Morgen, Lea Leitner/);
  assert.match(pre.json.text, /Berichtet vs\. erlebt/);
  assert.ok(pre.json.voices.length >= 1);

  // Reschedule from a Sunday evening: the next digest is Monday 07:00 (leader in Oslo time, norwegian-free German text).
  env.clock.now = new Date('2027-03-14T20:00:00Z');
  const s = await env.req('PUT', `/api/v1/leaders/${u.leader.id}/settings`, { body: { timezone: 'Europe/Oslo', digestHour: 7 } });
  assert.equal(new Date(s.json.nextDigestAt).toISOString(), '2027-03-15T06:00:00.000Z', '07:00 in Oslo on Monday');
  // Customer messages of the last day, one with a wait claim.
  env.clock.now = new Date('2027-03-15T05:00:00Z');
  await conv('gus@example.com', 'Waiting', 'I have been waiting 45 minutes on the phone, this is unacceptable.');
  // The message is analysed when it arrives (05:00), an hour before the digest. (Job kinds run side by side in their
  // own lanes, so one runDue at 06:00 could start the digest while the analysis still runs.)
  await env.app.jobs.runDue(new Date('2027-03-15T05:00:01Z'));
  sink.messages.length = 0;
  await env.app.jobs.runDue(new Date('2027-03-15T06:00:00Z'));
  await env.app.jobs.runDue(new Date('2027-03-15T06:00:01Z'));
  const mails = await sink.waitFor(1);
  const digest = mails.find((m) => m.rcptTo.includes('lea@acme.test'));
  assert.ok(digest, 'the digest went to the leader');
  const mail = await simpleParser(digest!.raw);
  assert.match(mail.subject ?? '', /^Ihr Morgenbericht – /);
  assert.match(mail.text ?? '', /Guten Morgen, Lea Leitner/);
  assert.match(mail.text ?? '', /Kundinnen und Kunden im Wortlaut/);
  assert.match(mail.text ?? '', /I have been waiting 45 minutes/);
  assert.match(mail.text ?? '', /Sprache: en/);
  assert.match(mail.text ?? '', /Wartezeit-Aussage/);
  assert.match(mail.text ?? '', /Berichtete mittlere Antwortzeit/);
  assert.match(String(mail.html), /<h2>Berichtet vs\. erlebt<\/h2>/);
  // Once a day; the next one is scheduled for Tuesday.
  const next = (await env.req('GET', '/api/v1/leaders')).json.items.find((x: any) => x.userId === u.leader.id);
  assert.equal(new Date(next.nextDigestAt).toISOString(), '2027-03-16T06:00:00.000Z');
  // The draw job ran at 06:00 Oslo time, an hour before the digest, and scheduled the next working day's.
  const drawn = await env.db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM leader_draws WHERE leader_id = $1 AND day = '2027-03-15'`, [u.leader.id]);
  assert.equal(drawn.rows.length, 1, 'the leaders.draw job drew Monday’s sample');
  assert.equal(new Date(next.nextDrawAt).toISOString(), '2027-03-16T05:00:00.000Z');
  assert.equal((await env.db.query(`SELECT count(*)::int AS n FROM leader_digests WHERE leader_id = $1`, [u.leader.id])).rows[0].n, 1);

  // Norwegian for a Norwegian leader (preview), and no digest while absent.
  await env.db.query(`UPDATE users SET locale = 'nb' WHERE id = $1`, [u.leader.id]);
  const nb = await env.req('GET', `/api/v1/leaders/${u.leader.id}/digest`, as('leader'));
  assert.match(nb.json.subject, /^Morgenrapporten din/);
  assert.match(nb.json.text, /Rapportert mot opplevd/);
  await env.req('POST', `/api/v1/leaders/${u.leader.id}/absences`, { body: { from: '2027-03-16', to: '2027-03-16' } });
  await env.app.jobs.runDue(new Date('2027-03-16T06:00:01Z'));
  assert.equal((await env.db.query(`SELECT count(*)::int AS n FROM leader_digests WHERE leader_id = $1`, [u.leader.id])).rows[0].n, 1, 'skipped while absent');
});

test('stratified by channel: each stratum gets its turn, whatever the seed', async () => {
  env.clock.now = day('2027-05-03');
  const ceo = await accounts.addUser(env.ctx, systemPrincipal(env.accountId), { email: 'ceo@acme.test', name: 'Cleo CEO', role: 'leader' });
  const s = await env.req('PUT', `/api/v1/leaders/${ceo.id}/settings`, { body: { requestsPerDay: 2, stratify: ['channel'] } });
  assert.deepEqual(s.json.stratify, ['channel']);
  for (const [i, channel] of ['email', 'email', 'email', 'api', 'api'].entries()) {
    const r = await env.req('POST', '/api/v1/conversations', { body: { customer: { email: `strat${i}@example.com` }, channel, subject: `S${i}`, message: { text: 'Hi' } } });
    assert.equal(r.status, 201, r.body);
  }
  const d = (await drawReq({ leaderId: ceo.id, date: '2027-05-03' })).json.items[0];
  const cands = (await env.req('GET', `/api/v1/leaders/draws/${d.id}`)).json.candidates;
  assert.ok(cands.every((c: any) => c.stratum === 'email' || c.stratum === 'api'));
  const channels = d.items.map((i: any) => i.channel).sort();
  assert.deepEqual(channels, ['api', 'email']);
  for (let seed = 0; seed < 30; seed++) {
    const picks = pickSample(seed, cands, 2);
    const strata = picks.map((id) => cands.find((c: any) => c.id === id).stratum).sort();
    assert.deepEqual(strata, ['api', 'email'], `seed ${seed}`);
  }
});

test('CLI: earshot leaders draw and list', async () => {
  env.clock.now = day('2027-03-17');
  const out = await leadersDraw(env.ctx, { account: 'acme', leader: 'lea@acme.test', date: '2027-03-03' });
  assert.match(out, /^2027-03-03 leader Lea Leitner: seed 42, 5 candidates .* 2 picked \(drawn before\)/);
  const list = await leadersList(env.ctx, { account: 'acme', status: 'answered' });
  assert.match(list, /answered\tLea Leitner\tParcel missing|answered\tLea Leitner\t/);
  assert.match(list, /customer replied: yes/);
});
