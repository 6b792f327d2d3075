/**
 * Service with heart through the API: goodwill spends are approved at once below the threshold and within the agent's
 * and the team's remaining budgets, otherwise pending; a second supervisor or admin (never the spender, never an agent
 * or leader) decides; only approved spend counts; months follow the account's time zone. Exceptions need a reason.
 * The report sums per agent, team and kind. Moments: customer details only with consent, otherwise anonymised or
 * private; kudos once per person and never on one's own; a withdrawal of consent takes the moment out of the feed.
 * An urgent bereavement message raises the priority and the heart panel says why.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import { anonymise, listMoments } from '../src/modules/heart/heart.service.js';

let env: TestEnv;
const PASSWORD = 'heart-test-password';
const people: Record<string, { id: string; cookie: string }> = {};
let teamId: string;
let conv1: string;
let conv2: string;

async function person(key: string, name: string, role: 'agent' | 'supervisor' | 'leader' | 'admin', locale: 'en' | 'de' | 'nb' = 'en') {
  const u = await accounts.addUser(env.ctx, systemPrincipal(env.accountId), { email: `${key}@acme.test`, name, role, password: PASSWORD, locale });
  const s = await accounts.login(env.ctx, { email: `${key}@acme.test`, password: PASSWORD, account: 'acme' }, {});
  people[key] = { id: u.id, cookie: `earshot_session=${s.sessionToken}` };
}
const as = (key: string, method: string, url: string, body?: unknown) =>
  env.req(method, url, { token: '', cookie: people[key].cookie, ...(body !== undefined ? { body } : {}) });

before(async () => {
  env = await setup();
  await env.db.query(`UPDATE accounts SET timezone = 'Europe/Oslo' WHERE id = $1`, [env.accountId]);
  await person('anna', 'Anna Agent', 'agent');
  await person('bo', 'Bo Agent', 'agent');
  await person('sue', 'Sue Supervisor', 'supervisor');
  await person('sven', 'Sven Supervisor', 'supervisor', 'de');
  await person('lea', 'Lea Leader', 'leader');
  const t = await accounts.createTeam(env.ctx, systemPrincipal(env.accountId), {
    name: 'Team Nord', memberIds: [people.anna.id, people.bo.id, people.sue.id],
  });
  teamId = t.id;
  const c1 = await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'kari@example.no', name: 'Kari Nordmann' } }) });
  assert.equal(c1.status, 201, c1.body);
  conv1 = c1.json.id;
  const c2 = await env.req('POST', '/api/v1/conversations', { body: convBody({ subject: 'Broken zip' }) });
  conv2 = c2.json.id;
});
after(async () => {
  await env.close();
});

test('settings: defaults until set; supervisors set them, agents may not', async () => {
  const d = await as('anna', 'GET', '/api/v1/heart/settings');
  assert.equal(d.status, 200, d.body);
  assert.deepEqual(d.json, { currency: 'EUR', approvalThreshold: 5000, defaultAgentBudget: 0, defaultTeamBudget: 0 });
  const no = await as('anna', 'PUT', '/api/v1/heart/settings', { approvalThreshold: 1 });
  assert.equal(no.status, 403);
  const bad = await as('sue', 'PUT', '/api/v1/heart/settings', { currency: 'euro' });
  assert.equal(bad.status, 400);
  const ok = await as('sue', 'PUT', '/api/v1/heart/settings', { currency: 'EUR', approvalThreshold: 5000, defaultAgentBudget: 15000, defaultTeamBudget: 50000 });
  assert.equal(ok.status, 200, ok.body);
  assert.equal((await as('bo', 'GET', '/api/v1/heart/settings')).json.defaultAgentBudget, 15000);
  const a = await env.req('GET', '/api/v1/audit?action=heart.settings_updated');
  assert.equal(a.json.items.length, 1);
  assert.equal(a.json.items[0].actorId, people.sue.id);
});

const spend = (who: string, amount: number, kind = 'gift', conversationId = conv1) =>
  as(who, 'POST', `/api/v1/heart/conversations/${conversationId}/spends`, { kind, amount, description: `${kind} worth ${amount}` });

test('approval: below threshold and within budgets approved at once; above threshold, beyond the agent’s or the team’s remaining → pending', async () => {
  env.clock.now = new Date('2026-03-15T12:00:00Z');
  const setTeam = await as('sue', 'PUT', '/api/v1/heart/budgets', { subjectType: 'team', subjectId: teamId, month: '2026-03', amount: 20000 });
  assert.equal(setTeam.status, 200, setTeam.body);
  assert.equal(setTeam.json.amount, 20000);
  assert.equal((await as('anna', 'PUT', '/api/v1/heart/budgets', { subjectType: 'user', subjectId: people.anna.id, month: '2026-03', amount: 99999 })).status, 403);
  const budgetAudit = (await env.req('GET', '/api/v1/audit?action=heart.budget_set')).json.items;
  assert.deepEqual(budgetAudit.map((x: any) => [x.actorId, x.targetId, x.data.month, x.data.amount, x.data.previous]), [[people.sue.id, teamId, '2026-03', 20000, null]]);

  const s1 = await spend('anna', 4000);
  assert.equal(s1.status, 201, s1.body);
  assert.equal(s1.json.status, 'approved');
  assert.deepEqual(s1.json.approvalReasons, []);
  assert.equal(s1.json.month, '2026-03');
  assert.equal(s1.json.teamId, teamId);
  assert.equal(s1.json.currency, 'EUR');

  const s2 = await spend('anna', 6000);
  assert.equal(s2.json.status, 'pending');
  assert.deepEqual(s2.json.approvalReasons, ['above_threshold']);

  const s3 = await spend('anna', 5000, 'replacement'); // exactly the threshold: not above it
  assert.equal(s3.json.status, 'approved');
  const s4 = await spend('anna', 2000, 'free_delivery');
  assert.equal(s4.json.status, 'approved');
  // Anna: 15000 − 11000 approved = 4000 left; 4500 is below the threshold but beyond her remaining budget.
  const s5 = await spend('anna', 4500, 'refund');
  assert.equal(s5.json.status, 'pending');
  assert.deepEqual(s5.json.approvalReasons, ['agent_budget']);
  // The team budget is lowered to 11500: 500 left; Bo has his whole budget but the team has not.
  assert.equal((await as('sven', 'PUT', '/api/v1/heart/budgets', { subjectType: 'team', subjectId: teamId, month: '2026-03', amount: 11500 })).status, 200);
  const s6 = await spend('bo', 1500);
  assert.equal(s6.json.status, 'pending');
  assert.deepEqual(s6.json.approvalReasons, ['team_budget']);
  // Pending spends do not count: the team's last 500 can still be spent.
  const s7 = await spend('anna', 500, 'other');
  assert.equal(s7.json.status, 'approved');

  // An API token is not a person: it cannot spend.
  const tok = await env.req('POST', `/api/v1/heart/conversations/${conv1}/spends`, { body: { kind: 'gift', amount: 100, description: 'x' } });
  assert.equal(tok.status, 403);
  assert.equal(tok.json.error.code, 'user_required');
  assert.equal((await spend('anna', 0)).status, 400);
  assert.equal((await as('anna', 'POST', `/api/v1/heart/conversations/${conv1}/spends`, { kind: 'cash', amount: 100, description: 'x' })).status, 400);

  // Each spend left an internal note on the conversation for colleagues.
  const notes = (await env.db.query(`SELECT text FROM messages WHERE conversation_id = $1 AND kind = 'note' ORDER BY created_at`, [conv1])).rows.map((r: any) => r.text);
  assert.equal(notes.filter((t: string) => t.startsWith('Goodwill given')).length, 4);
  assert.equal(notes.filter((t: string) => t.startsWith('Goodwill awaiting approval')).length, 3);
  assert.ok(notes.some((t: string) => t.includes('€60.00') && t.includes('gift worth 6000')), notes.join('\n'));

  const pending = await as('sue', 'GET', '/api/v1/heart/spends?status=pending');
  assert.deepEqual(pending.json.items.map((s: any) => s.amount).sort(), [1500, 4500, 6000]);
  // Agents see their own spends only.
  const bos = await as('bo', 'GET', '/api/v1/heart/spends');
  assert.deepEqual(bos.json.items.map((s: any) => s.id), [s6.json.id]);
  const audits = await env.req('GET', '/api/v1/audit?action=heart.goodwill_requested');
  assert.equal(audits.json.items.length, 3);
  assert.deepEqual(audits.json.items.find((a: any) => a.targetId === s6.json.id).data.approvalReasons, ['team_budget']);
  assert.equal((await env.req('GET', '/api/v1/audit?action=heart.goodwill_spent')).json.items.length, 4);
});

test('decisions: never the spender, never an agent or a leader; rejected spend does not count; a decision is final', async () => {
  const s = await spend('sue', 7000);
  assert.equal(s.json.status, 'pending');
  assert.deepEqual(s.json.approvalReasons, ['above_threshold', 'team_budget']);
  // The other supervisors hear of it by email, in their language; never the spender.
  await env.app.jobs.runDue(new Date(env.clock.now!.getTime() + 1000));
  const mails = (await env.db.query(`SELECT to_addresses, subject, text_body FROM outbound_emails WHERE kind = 'system' AND text_body LIKE '%' || $1 || '%'`, ['worth 7000'])).rows;
  assert.deepEqual(mails.map((m: any) => m.to_addresses), [['sven@acme.test']]);
  assert.match(mails[0].subject, /^Kulanz wartet auf Ihre Freigabe: 70,00\s€ zu #\d+$/);
  assert.match(mails[0].text_body, /über der Freigabeschwelle, über das Restbudget des Teams/);
  assert.match(mails[0].text_body, /\/heart\/goodwill$/);
  const bosMail = (await env.db.query(`SELECT to_addresses FROM outbound_emails WHERE kind = 'system' AND text_body LIKE '%worth 1500%'`)).rows;
  assert.deepEqual(bosMail.map((m: any) => m.to_addresses[0]).sort(), ['sue@acme.test', 'sven@acme.test']);
  const own = await as('sue', 'POST', `/api/v1/heart/spends/${s.json.id}/decision`, { decision: 'approve' });
  assert.equal(own.status, 403, own.body);
  assert.match(own.json.error.message, /own goodwill/);
  const pend = (await as('sue', 'GET', '/api/v1/heart/spends?status=pending')).json.items;
  const annaBig = pend.find((x: any) => x.amount === 6000);
  const bo = pend.find((x: any) => x.amount === 1500);
  const annaOver = pend.find((x: any) => x.amount === 4500);
  assert.equal((await as('bo', 'POST', `/api/v1/heart/spends/${annaBig.id}/decision`, { decision: 'approve' })).status, 403);
  assert.equal((await as('lea', 'POST', `/api/v1/heart/spends/${annaBig.id}/decision`, { decision: 'approve' })).status, 403);
  assert.equal((await env.req('POST', `/api/v1/heart/spends/${annaBig.id}/decision`, { body: { decision: 'approve' } })).json.error.code, 'user_required');

  const approved = await as('sven', 'POST', `/api/v1/heart/spends/${s.json.id}/decision`, { decision: 'approve', note: 'Fine this once' });
  assert.equal(approved.status, 200, approved.body);
  assert.equal(approved.json.status, 'approved');
  assert.equal(approved.json.decidedBy, people.sven.id);
  const rej = await as('sven', 'POST', `/api/v1/heart/spends/${annaBig.id}/decision`, { decision: 'reject', note: 'A voucher will do' });
  assert.equal(rej.json.status, 'rejected');
  const again = await as('sue', 'POST', `/api/v1/heart/spends/${annaBig.id}/decision`, { decision: 'approve' });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'spend_decided');
  assert.equal((await as('sue', 'POST', `/api/v1/heart/spends/${bo.id}/decision`, { decision: 'approve' })).json.status, 'approved');
  assert.ok(annaOver);

  const approvedAudit = (await env.req('GET', '/api/v1/audit?action=heart.goodwill_approved')).json.items;
  assert.deepEqual(approvedAudit.map((x: any) => [x.actorId, x.targetId, x.data.note]), [[people.sue.id, bo.id, null], [people.sven.id, s.json.id, 'Fine this once']]);
  const audit = await env.req('GET', '/api/v1/audit?action=heart.goodwill_rejected');
  assert.equal(audit.json.items.length, 1);
  assert.equal(audit.json.items[0].actorId, people.sven.id);
  assert.equal(audit.json.items[0].data.note, 'A voucher will do');
  const notes = (await env.db.query(`SELECT text FROM messages WHERE conversation_id = $1 AND kind = 'note'`, [conv1])).rows.map((r: any) => r.text);
  assert.ok(notes.some((t: string) => t.startsWith('Goodwill rejected') && t.includes('A voucher will do')));
});

test('report: per agent and team budget, spent, pending, remaining; per kind; agents see their own', async () => {
  const r = await as('lea', 'GET', '/api/v1/heart/report?month=2026-03');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.scope, 'all');
  const agent = (name: string) => r.json.agents.find((a: any) => a.name === name);
  // Anna: approved 4000 + 5000 + 2000 + 500; pending 4500; the rejected 6000 counts nowhere.
  assert.deepEqual(
    { budget: agent('Anna Agent').budget, spent: agent('Anna Agent').spent, pending: agent('Anna Agent').pending, remaining: agent('Anna Agent').remaining },
    { budget: 15000, spent: 11500, pending: 4500, remaining: 3500 },
  );
  assert.deepEqual([agent('Bo Agent').spent, agent('Bo Agent').pending], [1500, 0]);
  assert.deepEqual([agent('Sue Supervisor').spent, agent('Sue Supervisor').remaining], [7000, 8000]);
  const team = r.json.teams.find((t: any) => t.teamId === teamId);
  assert.deepEqual({ budget: team.budget, spent: team.spent, pending: team.pending, remaining: team.remaining },
    { budget: 11500, spent: 20000, pending: 4500, remaining: -8500 });
  const kind = (k: string) => r.json.kinds.find((x: any) => x.kind === k);
  assert.deepEqual([kind('gift').count, kind('gift').spent], [3, 4000 + 1500 + 7000]);
  assert.deepEqual([kind('refund').spent, kind('refund').pending], [0, 4500]);
  assert.equal(r.json.totals.spent, 20000);
  assert.deepEqual([kind('other').count, kind('other').spent], [1, 500]);
  assert.equal(r.json.totals.pending, 4500);

  const own = await as('bo', 'GET', '/api/v1/heart/report?month=2026-03');
  assert.equal(own.json.scope, 'own');
  assert.deepEqual(own.json.agents.map((a: any) => a.name), ['Bo Agent']);
  assert.deepEqual(own.json.teams.map((t: any) => t.name), ['Team Nord']);
  assert.equal(own.json.totals.spent, 1500);
  assert.equal((await as('bo', 'GET', '/api/v1/heart/report?month=2026-13')).status, 400);
});

test('months follow the account’s time zone: 00:30 on 1 April in Oslo is April, with a fresh budget', async () => {
  env.clock.now = new Date('2026-03-31T21:30:00Z'); // 23:30 in Oslo (CEST): still March
  const march = await spend('bo', 100);
  assert.equal(march.json.month, '2026-03');
  assert.equal(march.json.status, 'pending'); // the March team budget is overrun
  assert.deepEqual(march.json.approvalReasons, ['team_budget']);
  env.clock.now = new Date('2026-03-31T22:30:00Z'); // 00:30 on 1 April in Oslo
  const april = await spend('anna', 4500, 'refund');
  assert.equal(april.json.month, '2026-04');
  assert.equal(april.json.status, 'approved'); // the same amount was pending in March (Anna’s budget); April starts afresh
  const r = await as('sue', 'GET', '/api/v1/heart/report?month=2026-04');
  const anna = r.json.agents.find((a: any) => a.name === 'Anna Agent');
  assert.deepEqual([anna.budget, anna.spent, anna.remaining], [15000, 4500, 10500]);
  assert.equal(r.json.teams.find((t: any) => t.teamId === teamId).budget, 50000); // no April budget set: the default
  const marchAgain = await as('sue', 'GET', '/api/v1/heart/report?month=2026-03');
  assert.equal(marchAgain.json.agents.find((a: any) => a.name === 'Anna Agent').spent, 11500);
});

test('exceptions need a reason, may name their goodwill spend, are audited, noted, listed and reported', async () => {
  env.clock.now = new Date('2026-04-10T10:00:00Z');
  const url = `/api/v1/heart/conversations/${conv1}/exceptions`;
  const noReason = await as('anna', 'POST', url, { policy: 'Returns within 30 days', action: 'Took back after 45 days', reason: '   ' });
  assert.equal(noReason.status, 400);
  assert.equal(noReason.json.error.field, 'reason');
  assert.equal((await as('anna', 'POST', url, { policy: 'Returns within 30 days', action: 'Took back after 45 days' })).status, 400);
  const other = await spend('anna', 500, 'gift', conv2);
  const wrong = await as('anna', 'POST', url, { policy: 'P', action: 'A', reason: 'R', goodwillSpendId: other.json.id });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.json.error.field, 'goodwillSpendId');
  const mine = await spend('anna', 700, 'free_delivery');
  const ok = await as('anna', 'POST', url, {
    policy: 'Returns within 30 days', action: 'Took back after 45 days', reason: 'The customer was in hospital for five weeks', goodwillSpendId: mine.json.id,
  });
  assert.equal(ok.status, 201, ok.body);
  assert.equal(ok.json.month, '2026-04');
  assert.equal(ok.json.goodwillSpendId, mine.json.id);
  const list = await as('sue', 'GET', '/api/v1/heart/exceptions?month=2026-04');
  assert.deepEqual(list.json.items.map((e: any) => e.reason), ['The customer was in hospital for five weeks']);
  assert.deepEqual((await as('bo', 'GET', '/api/v1/heart/exceptions')).json.items, []); // agents: their own
  const a = await env.req('GET', '/api/v1/audit?action=heart.exception_recorded');
  assert.equal(a.json.items.length, 1);
  assert.equal(a.json.items[0].data.reason, 'The customer was in hospital for five weeks');
  const r = await as('sue', 'GET', '/api/v1/heart/report?month=2026-04');
  assert.equal(r.json.totals.exceptions, 1);
  assert.equal(r.json.agents.find((x: any) => x.name === 'Anna Agent').exceptions, 1);
  const notes = (await env.db.query(`SELECT text FROM messages WHERE conversation_id = $1 AND kind = 'note'`, [conv1])).rows.map((r: any) => r.text);
  assert.ok(notes.some((t: string) => t.startsWith('Exception to policy: Returns within 30 days') && t.includes('Why: The customer was in hospital')));
  const panel = await as('bo', 'GET', `/api/v1/heart/conversations/${conv1}`);
  assert.equal(panel.json.exceptions.length, 1);
  assert.ok(panel.json.spends.length >= 9);
});

test('moments: customer details only with consent; without it anonymised or private; kudos once, never one’s own; withdrawal leaves the feed', async () => {
  env.clock.now = new Date('2026-04-12T10:00:00Z');
  const url = `/api/v1/heart/conversations/${conv1}/moments`;
  const noHow = await as('anna', 'POST', url, { title: 'T', story: 'S', consent: { given: true } });
  assert.equal(noHow.status, 400);
  const noConsentTeam = await as('anna', 'POST', url, { title: 'T', story: 'S', consent: { given: false }, sharing: 'team' });
  assert.equal(noConsentTeam.status, 409);
  assert.equal(noConsentTeam.json.error.code, 'consent_required');

  const withConsent = await as('anna', 'POST', url, {
    title: 'The tent that made it to the wedding', story: 'Kari needed the tent for her sister’s wedding; we drove it over.',
    consent: { given: true, how: 'conversation', note: 'Asked in the chat, she said yes' },
  });
  assert.equal(withConsent.status, 201, withConsent.body);
  assert.equal(withConsent.json.sharing, 'team');
  assert.equal(withConsent.json.consentRecordedBy, people.anna.id);
  env.clock.now = new Date('2026-04-12T11:00:00Z');
  const anon = await as('bo', 'POST', url, {
    title: 'Kari Nordmann’s thank-you', story: 'Kari Nordmann (kari@example.no, +47 912 34 567) wrote about order #1234: thank you, KARI says.',
    consent: { given: false }, sharing: 'anonymised',
  });
  assert.equal(anon.status, 201, anon.body);
  env.clock.now = new Date('2026-04-12T12:00:00Z');
  const priv = await as('bo', 'POST', url, { title: 'Private', story: 'Not for the feed', consent: { given: false } });
  assert.equal(priv.json.sharing, 'private');

  const feed = await as('sue', 'GET', '/api/v1/heart/moments');
  assert.deepEqual(feed.json.items.map((m: any) => m.id), [anon.json.id, withConsent.json.id]);
  const [a, c] = feed.json.items;
  assert.equal(c.customerName, 'Kari Nordmann');
  assert.equal(c.conversationId, conv1);
  assert.equal(c.consent, true);
  assert.equal(a.consent, false);
  assert.equal(a.customerName, null);
  assert.equal(a.conversationId, null);
  assert.equal(a.conversationNumber, null);
  const shown = `${a.title} ${a.story}`;
  for (const leak of ['Kari', 'Nordmann', 'kari@example.no', '912 34 567', '1234']) assert.ok(!shown.toLowerCase().includes(leak.toLowerCase()), `${leak} in ${shown}`);
  assert.match(a.story, /\[customer\] \(\[…\], \[…\]\) wrote about order #…: thank you, \[customer\] says\./);

  // Kudos
  const selfK = await as('anna', 'POST', `/api/v1/heart/moments/${withConsent.json.id}/kudos`);
  assert.equal(selfK.status, 403);
  const k1 = await as('bo', 'POST', `/api/v1/heart/moments/${withConsent.json.id}/kudos`);
  assert.equal(k1.status, 201, k1.body);
  assert.equal(k1.json.kudos, 1);
  const dup = await as('bo', 'POST', `/api/v1/heart/moments/${withConsent.json.id}/kudos`);
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.code, 'kudos_given');
  assert.equal((await as('sue', 'POST', `/api/v1/heart/moments/${withConsent.json.id}/kudos`)).json.kudos, 2);
  assert.equal((await as('anna', 'POST', `/api/v1/heart/moments/${anon.json.id}/kudos`)).status, 201);
  assert.equal((await as('anna', 'POST', `/api/v1/heart/moments/${priv.json.id}/kudos`)).status, 409);
  const bosFeed = (await as('bo', 'GET', '/api/v1/heart/moments')).json.items;
  const seen = bosFeed.find((m: any) => m.id === withConsent.json.id);
  assert.deepEqual([seen.kudos, seen.kudosByMe, seen.mine], [2, true, false]);
  assert.equal(bosFeed.find((m: any) => m.id === anon.json.id).mine, true);

  // The digest's contract
  const digest = await listMoments(env.ctx, systemPrincipal(env.accountId), { since: new Date('2026-04-12T10:30:00Z'), limit: 5 });
  assert.deepEqual(digest.map((m) => [m.id, m.kudos, m.consent]), [[anon.json.id, 1, false]]);
  assert.equal(digest[0].conversationId, null);
  assert.equal((await as('sue', 'GET', '/api/v1/heart/moments?since=not-a-date')).status, 400);

  // Withdrawal of consent: not by a colleague agent; by the agent who captured it; the moment leaves the feed.
  assert.equal((await as('bo', 'POST', `/api/v1/heart/moments/${withConsent.json.id}/withdraw-consent`, {})).status, 403);
  const w = await as('anna', 'POST', `/api/v1/heart/moments/${withConsent.json.id}/withdraw-consent`, { note: 'She asked us by email' });
  assert.equal(w.status, 200, w.body);
  assert.deepEqual([w.json.sharing, w.json.consentGiven], ['private', false]);
  assert.ok(w.json.consentWithdrawnAt);
  assert.deepEqual((await as('sue', 'GET', '/api/v1/heart/moments')).json.items.map((m: any) => m.id), [anon.json.id]);
  assert.equal((await as('lea', 'POST', `/api/v1/heart/moments/${withConsent.json.id}/kudos`)).status, 409);

  for (const action of ['heart.moment_captured', 'heart.kudos_given', 'heart.moment_consent_withdrawn']) {
    const n = (await env.req('GET', `/api/v1/audit?action=${action}`)).json.items.length;
    assert.equal(n, { 'heart.moment_captured': 3, 'heart.kudos_given': 3, 'heart.moment_consent_withdrawn': 1 }[action], action);
  }
  // The conversation panel shows all moments of the conversation to those who work it.
  const panel = await as('bo', 'GET', `/api/v1/heart/conversations/${conv1}`);
  assert.equal(panel.json.moments.length, 3);
});

test('anonymise strips names whole and in parts, identities, addresses, numbers — not words that merely contain a name', () => {
  const out = anonymise('Ola Nordmann from Olavsgate: mail ola.n@x.no, ref ABC-77 #55', { name: 'Ola Nordmann', identities: ['ABC-77'] });
  assert.equal(out, '[customer] from Olavsgate: mail […], ref […] #…');
});

test('an urgent bereavement message raises the priority and the panel shows why: urgency, the words, the change', async () => {
  env.clock.now = null;
  const c = await env.req('POST', '/api/v1/conversations', {
    body: convBody({ subject: 'Subscription', message: { text: 'My father passed away last week and I need to cancel his subscription.' } }),
  });
  assert.equal(c.json.priority, 'normal');
  const before = await as('anna', 'GET', `/api/v1/heart/conversations/${c.json.id}`);
  assert.deepEqual(before.json.urgency, []);
  await env.app.jobs.runDue(new Date(Date.now() + 1000));
  const p = await as('anna', 'GET', `/api/v1/heart/conversations/${c.json.id}`);
  assert.equal(p.status, 200, p.body);
  assert.equal(p.json.priority, 'urgent');
  assert.equal(p.json.urgency.length, 1);
  assert.equal(p.json.urgency[0].urgency, 'bereavement');
  assert.equal(p.json.urgency[0].evidence, 'father passed away');
  assert.deepEqual(p.json.urgency[0].priority, { from: 'normal', to: 'urgent' });
  assert.equal(p.json.urgency[0].messageId, c.json.messages[0].id);
  // Medical: hospital
  const m = await env.req('POST', '/api/v1/conversations', {
    body: convBody({ subject: 'Parcel', message: { text: 'I am in hospital after surgery and cannot pick up the parcel.' }, priority: 'high' }),
  });
  await env.app.jobs.runDue(new Date(Date.now() + 1000));
  const mp = await as('anna', 'GET', `/api/v1/heart/conversations/${m.json.id}`);
  assert.deepEqual([mp.json.priority, mp.json.urgency[0].urgency, mp.json.urgency[0].priority], ['urgent', 'medical', { from: 'high', to: 'urgent' }]);
  assert.equal((await as('anna', 'GET', '/api/v1/heart/conversations/00000000-0000-0000-0000-000000000000')).status, 404);
});
