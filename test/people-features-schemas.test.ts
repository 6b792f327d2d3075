/**
 * Response schemas of heart, leaders, respect and satisfaction (issue 15): with the strict response check of every test
 * app on, the answers are exactly what the services return — no field dropped by the serializer, no null turned into
 * "" or a Date into anything but its ISO string — including the nested parts the screens need (a spend's decision,
 * a moment's consent, a leader request's follow-through with satisfaction, messages and journey, a measure's evidence
 * and appeals, the survey state and the points joined to journeys), and the HTML pages answer text/html.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import * as heart from '../src/modules/heart/heart.service.js';
import * as leaders from '../src/modules/leaders/leaders.service.js';
import { previewDigest } from '../src/modules/leaders/digest.js';
import * as respect from '../src/modules/respect/respect.service.js';
import * as csat from '../src/modules/csat/csat.service.js';

let env: TestEnv;
const PASSWORD = 'schemas-test-password';
const people: Record<string, { id: string; cookie: string }> = {};
let convId: string;
let customerId: string;
const T0 = new Date('2027-03-03T09:00:00Z');

/** JSON as the service returns it (dates as ISO strings), for comparison with the API's answer. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
const sys = () => systemPrincipal(env.accountId);

async function person(key: string, name: string, role: 'agent' | 'supervisor' | 'leader' | 'admin') {
  const u = await accounts.addUser(env.ctx, sys(), { email: `${key}@acme.test`, name, role, password: PASSWORD });
  const s = await accounts.login(env.ctx, { email: `${key}@acme.test`, password: PASSWORD, account: 'acme' }, {});
  people[key] = { id: u.id, cookie: `earshot_session=${s.sessionToken}` };
}
async function as(key: string, method: string, url: string, body?: unknown, status = method === 'GET' ? 200 : undefined) {
  const r = await env.req(method, url, { token: '', cookie: people[key].cookie, ...(body !== undefined ? { body } : {}) });
  if (status !== undefined) assert.equal(r.status, status, `${method} ${url}: ${r.body}`);
  else assert.ok(r.status < 300, `${method} ${url}: ${r.status} ${r.body}`);
  return r.json;
}

before(async () => {
  env = await setup();
  env.clock.now = T0;
  await person('anna', 'Anna Agent', 'agent');
  await person('sue', 'Sue Supervisor', 'supervisor');
  await person('sven', 'Sven Supervisor', 'supervisor');
  await person('lea', 'Lea Leader', 'leader');
  await accounts.createTeam(env.ctx, sys(), { name: 'Team Nord', memberIds: [people.anna.id] });
  assert.equal((await env.req('POST', '/api/v1/mailboxes', { body: { address: 'support@acme.test', name: 'Acme Support' } })).status, 201);
  const c = await env.req('POST', '/api/v1/conversations', {
    body: { customer: { email: 'kari@example.no', name: 'Kari Nordmann' }, channel: 'email', subject: 'My order', message: { text: 'You useless idiot, my order is late.' } },
  });
  assert.equal(c.status, 201, c.body);
  convId = c.json.id;
  customerId = c.json.customerId;
  // The customer's answer (satisfaction is the csat module's; written here as its survey page would).
  await env.db.query(
    `INSERT INTO conversation_ratings (conversation_id, account_id, customer_id, score, comment, source, created_at, updated_at)
       VALUES ($1, $2, $3, 5, NULL, 'survey', $4, $4)`,
    [convId, env.accountId, customerId, T0],
  );
});
after(() => env.close());

test('heart answers are exactly what the service returns, nulls and dates included', async () => {
  assert.deepEqual(await as('sue', 'PUT', '/api/v1/heart/settings', { approvalThreshold: 1000, defaultTeamBudget: 100_000 }), plain(await heart.getSettings(env.ctx, sys())));
  const budget = await as('sue', 'PUT', '/api/v1/heart/budgets', { subjectType: 'user', subjectId: people.anna.id, month: '2027-03', amount: 5000 });
  assert.deepEqual(budget, { subjectType: 'user', subjectId: people.anna.id, name: 'Anna Agent', month: '2027-03', amount: 5000 });
  const small = await as('anna', 'POST', `/api/v1/heart/conversations/${convId}/spends`, { kind: 'gift', amount: 500, description: 'Flowers' }, 201);
  assert.equal(small.status, 'approved');
  assert.equal(small.decidedBy, null, 'a spend approved at once has no decider: null, not ""');
  assert.equal(small.decidedAt, T0.toISOString());
  const big = await as('anna', 'POST', `/api/v1/heart/conversations/${convId}/spends`, { kind: 'refund', amount: 2000, description: 'Refund' }, 201);
  assert.deepEqual(big.approvalReasons, ['above_threshold']);
  const decided = await as('sue', 'POST', `/api/v1/heart/spends/${big.id}/decision`, { decision: 'approve', note: 'ok' });
  assert.equal(decided.decidedByName, 'Sue Supervisor');
  assert.deepEqual((await as('sue', 'GET', '/api/v1/heart/spends')).items, plain(await heart.listSpends(env.ctx, sys(), {})));
  const exc = await as('anna', 'POST', `/api/v1/heart/conversations/${convId}/exceptions`, { policy: 'No refunds after 30 days', action: 'Refunded', reason: 'Late delivery', goodwillSpendId: big.id }, 201);
  assert.deepEqual((await as('sue', 'GET', '/api/v1/heart/exceptions')).items, plain(await heart.listExceptions(env.ctx, sys(), {})));
  assert.equal(exc.goodwillSpendId, big.id);
  const m = await as('anna', 'POST', `/api/v1/heart/conversations/${convId}/moments`, { title: 'Kari smiled', story: 'Kari Nordmann was happy.', consent: { given: true, how: 'conversation' } }, 201);
  assert.equal(m.consentWithdrawnAt, null);
  assert.equal(m.consentHow, 'conversation');
  assert.deepEqual(await as('sue', 'POST', `/api/v1/heart/moments/${m.id}/kudos`, undefined, 201), { momentId: m.id, kudos: 1 });
  const feed = await as('sue', 'GET', '/api/v1/heart/moments');
  assert.equal(feed.items[0].customerName, 'Kari Nordmann');
  assert.equal(feed.items[0].kudosByMe, true);
  assert.deepEqual((await env.req('GET', '/api/v1/heart/moments')).json.items, plain(await heart.feed(env.ctx, sys(), {})));
  const report = await env.req('GET', '/api/v1/heart/report?month=2027-03');
  assert.deepEqual(report.json, plain(await heart.report(env.ctx, sys(), { month: '2027-03' })));
  assert.equal(report.json.agents.find((a: { userId: string }) => a.userId === people.anna.id).spent, 2500);
  const panel = await env.req('GET', `/api/v1/heart/conversations/${convId}`);
  assert.deepEqual(panel.json, plain(await heart.conversationHeart(env.ctx, sys(), convId)));
  assert.equal(panel.json.spends.length, 2);
  assert.equal(panel.json.exceptions.length, 1);
  const withdrawn = await as('anna', 'POST', `/api/v1/heart/moments/${m.id}/withdraw-consent`, { note: 'asked us to' });
  assert.equal(withdrawn.sharing, 'private');
  assert.equal(withdrawn.consentWithdrawnAt, T0.toISOString());
});

test('leaders answers are exactly what the service returns: settings, draw with replay, request with follow-through, today, digest', async () => {
  const s = await as('sue', 'PUT', `/api/v1/leaders/${people.lea.id}/settings`, { requestsPerDay: 1, deputyId: people.sue.id });
  assert.deepEqual(s, plain(await leaders.settingsOf(env.db, env.accountId, people.lea.id)));
  assert.equal(s.ownTimezone, null, 'the account’s zone: null, not ""');
  const abs = await as('sue', 'POST', `/api/v1/leaders/${people.lea.id}/absences`, { from: '2027-04-01', to: '2027-04-02' }, 201);
  assert.deepEqual((await env.req('GET', '/api/v1/leaders')).json.items, plain(await leaders.listLeaders(env.ctx, sys())));
  assert.equal((await env.req('DELETE', `/api/v1/leaders/${people.lea.id}/absences/${abs.id}`)).status, 204);
  const draws = await as('sue', 'POST', '/api/v1/leaders/draws', { leaderId: people.lea.id, seed: 7 }, 201);
  const item = draws.items[0].items[0];
  assert.equal(item.conversationId, convId);
  assert.equal(item.followThrough, null);
  const replay = await env.req('GET', `/api/v1/leaders/draws/${draws.items[0].id}`);
  assert.deepEqual(replay.json, plain(await leaders.getDraw(env.ctx, sys(), draws.items[0].id)));
  assert.equal(replay.json.replay.picksMatch, true);
  await as('anna', 'POST', `/api/v1/leaders/items/${item.id}/prepare`, { summary: 'Late order', proposedAnswer: 'We are sorry.' });
  const today = await as('lea', 'GET', '/api/v1/leaders/today');
  assert.ok(today.prepared[0].messages.some((x: { text: string; findings: unknown }) => x.text === 'You useless idiot, my order is late.' && x.findings === null));
  const answered = await as('lea', 'POST', `/api/v1/leaders/items/${item.id}/answer`, { text: 'We are sorry, Kari.' }, 201);
  assert.equal(answered.message.text, 'We are sorry, Kari.');
  assert.equal(answered.message.html, null);
  const detail = await env.req('GET', `/api/v1/leaders/items/${item.id}`);
  assert.deepEqual(detail.json, plain(await leaders.getItem(env.ctx, sys(), item.id)));
  assert.equal(detail.json.followThrough.satisfaction.score, 5);
  assert.equal(detail.json.followThrough.satisfaction.comment, null);
  assert.ok(detail.json.journey.length >= 1 && detail.json.messages.length >= 2);
  assert.deepEqual((await env.req('GET', `/api/v1/leaders/items?conversationId=${convId}`)).json.items, plain(await leaders.listItems(env.ctx, sys(), { conversationId: convId })));
  const digest = await env.req('GET', `/api/v1/leaders/${people.lea.id}/digest`);
  assert.deepEqual(digest.json, plain(await previewDigest(env.ctx, sys(), people.lea.id)));
  assert.ok(digest.json.html.includes('<h2>'));
  const handBackItem = await as('sue', 'POST', '/api/v1/leaders/draws', { leaderId: people.lea.id, date: '2027-03-04' }, 201);
  assert.equal(handBackItem.items[0].note, 'no_candidates');
});

test('respect answers are exactly what the service returns: evidence, appeals, report; the appeal page is HTML', async () => {
  const msg = (await env.db.query<{ id: string }>(`SELECT id FROM messages WHERE conversation_id = $1 AND direction = 'inbound'`, [convId])).rows[0].id;
  await as('sue', 'PUT', '/api/v1/respect/settings', { warningTemplates: { de: 'Bitte freundlich bleiben.' } });
  const settings = await as('anna', 'GET', '/api/v1/respect/settings');
  assert.deepEqual(settings, plain(await respect.getSettings(env.ctx, sys())));
  assert.equal(settings.coolOffQueueId, null);
  const w = await as('anna', 'POST', '/api/v1/respect/measures', { customerId, conversationId: convId, kind: 'warning', reasonCategory: 'insult', messageIds: [msg] }, 201);
  assert.equal(w.status, 'active');
  assert.equal(w.evidence[0].messageId, msg);
  assert.equal(w.channels, null);
  const appeal = await as('anna', 'POST', `/api/v1/respect/measures/${w.id}/appeals`, { text: 'I was angry, sorry.' }, 201);
  assert.deepEqual(appeal.measure, plain(await respect.getMeasure(env.ctx, sys(), w.id)));
  assert.equal(appeal.measure.appeals[0].decidedAt, null);
  assert.deepEqual((await env.req('GET', '/api/v1/respect/measures')).json, plain(await respect.listMeasures(env.ctx, sys(), {})));
  assert.deepEqual((await env.req('GET', '/api/v1/respect/appeals')).json, plain(await respect.listAppeals(env.ctx, sys(), {})));
  const decided = await as('sven', 'POST', `/api/v1/respect/appeals/${appeal.appealId}/decide`, { outcome: 'overturn' });
  assert.equal(decided.status, 'overturned');
  const report = await env.req('GET', '/api/v1/respect/report?from=2000-01-01&to=2027-12-31');
  assert.deepEqual(report.json, plain(await respect.respectReport(env.ctx, sys(), { from: '2000-01-01', to: '2027-12-31' })));
  assert.deepEqual(report.json.appeals, { open: 0, upheld: 0, overturned: 1 });
  const page = await env.app.inject({ method: 'GET', url: '/appeal/not-a-real-token-at-all-xxxx' });
  assert.equal(page.statusCode, 404);
  assert.match(String(page.headers['content-type']), /^text\/html/);
});

test('satisfaction answers are exactly what the service returns: settings, survey state, report and points', async () => {
  const settings = await as('sue', 'GET', '/api/v1/csat/settings', undefined, 403);
  assert.equal(settings.error.code, 'forbidden');
  const put = await env.req('PUT', '/api/v1/csat/settings', { body: { questions: { nb: 'Hvor fornøyd var du?', de: null } } });
  assert.deepEqual(put.json, plain(await csat.getSettings(env.ctx, sys())));
  const state = await env.req('GET', `/api/v1/conversations/${convId}/csat`);
  assert.deepEqual(state.json, plain(await csat.conversationState(env.ctx, sys(), convId)));
  assert.equal(state.json.survey, null);
  assert.equal(state.json.answer.score, 5);
  assert.equal(state.json.answer.comment, null);
  const filter = { from: '2027-01-01', to: '2027-12-31' };
  const report = await env.req('GET', '/api/v1/csat/report?from=2027-01-01&to=2027-12-31');
  assert.deepEqual(report.json, plain(await csat.report(env.ctx, sys(), filter)));
  assert.equal(report.json.responseRate, null, 'no survey sent: null, not 0');
  const points = await env.req('GET', '/api/v1/csat/points?from=2027-01-01&to=2027-12-31');
  assert.deepEqual(points.json, plain(await csat.points(env.ctx, sys(), filter)));
  assert.equal(points.json.buckets.at(-1).to, null);
});
