/**
 * Crowd service: reading is public, posting needs the portal session and a display name; abuse is held and
 * criticism shown at once and protected from removal; banned members cannot post; agents verify and promote answers;
 * helpful votes and points.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setup, type TestEnv } from './helpers.js';
import * as respect from '../src/modules/respect/respect.service.js';
import type { Principal } from '../src/platform/context.js';
import { sha256 } from '../src/platform/password.js';
import { findOrCreateCustomer } from '../src/modules/customers/customers.service.js';

let env: TestEnv;
let ipSeq = 0;
const nextIp = () => `10.7.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

const get = (url: string, cookie?: string) => env.app.inject({ method: 'GET', url, remoteAddress: nextIp(), headers: cookie ? { cookie } : {} });
const post = (url: string, body: Record<string, string>, cookie?: string, headers: Record<string, string> = {}) =>
  env.app.inject({
    method: 'POST', url, remoteAddress: nextIp(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}), ...headers },
    payload: new URLSearchParams(body).toString(),
  });
const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

interface Visitor { customerId: string; cookie: string; csrf: string }
/** A customer with a portal session (as after the magic link), handed over to the community path. */
async function visitor(email: string): Promise<Visitor> {
  const c = await env.db.transaction((tx) => findOrCreateCustomer(tx, env.accountId, { email, name: email.split('@')[0] }));
  const token = randomBytes(24).toString('base64url');
  await env.db.query('INSERT INTO portal_sessions (id_hash, account_id, customer_id, expires_at) VALUES ($1, $2, $3, $4)', [
    sha256(token), env.accountId, c.id, new Date(Date.now() + 3_600_000),
  ]);
  const hand = await get('/portal/acme/community?lang=en', `earshot_portal=${token}`);
  assert.equal(hand.statusCode, 303);
  assert.equal(hand.headers.location, '/community/acme?lang=en');
  const set = String(hand.headers['set-cookie']);
  assert.match(set, /earshot_community=[^;]+; Max-Age=\d+; Path=\/community\/acme; HttpOnly;.*SameSite=Lax/);
  const cookie = `earshot_community=${/earshot_community=([^;]+)/.exec(set)![1]}`;
  const page = await get('/community/acme?lang=en', cookie);
  return { customerId: c.id, cookie, csrf: csrfIn(page.body) };
}
async function join(v: Visitor, name: string) {
  const r = await post('/community/acme/join', { displayName: name, csrf: v.csrf }, v.cookie);
  assert.equal(r.statusCode, 303, r.body);
}
async function ask(v: Visitor, title: string, body: string) {
  const r = await post('/community/acme/ask?lang=en', { title, body, csrf: v.csrf }, v.cookie);
  assert.equal(r.statusCode, 303, r.body);
  return { id: /questions\/([0-9a-f-]{36})/.exec(r.headers.location as string)![1], held: /notice=held/.test(r.headers.location as string) };
}
async function answer(v: Visitor, qid: string, body: string) {
  const r = await post(`/community/acme/questions/${qid}/answers?lang=en`, { body, csrf: v.csrf }, v.cookie);
  assert.equal(r.statusCode, 303, r.body);
  const rows = await env.db.query<{ id: string; status: string }>(`SELECT id, status FROM community_posts WHERE question_id = $1 ORDER BY created_at DESC, id LIMIT 1`, [qid]);
  return rows.rows[0];
}

let anna: Visitor, bert: Visitor, cora: Visitor;

before(async () => {
  env = await setup();
  anna = await visitor('anna@example.com');
  bert = await visitor('bert@example.de');
  cora = await visitor('cora@example.no');
});
after(() => env.close());

test('reading is public; posting needs a portal session, a display name, the same origin and the form token', async () => {
  const pub = await get('/community/acme?lang=de');
  assert.equal(pub.statusCode, 200);
  assert.match(pub.body, /<html lang="de">/);
  assert.match(pub.body, /href="\/portal\/acme\/community\?lang=de"/, 'a sign-in link through the portal');
  // Without a portal session the hand-over goes to the portal's sign-in.
  const hand = await get('/portal/acme/community?lang=nb');
  assert.equal(hand.headers.location, '/portal/acme?lang=nb');
  const anon = await post('/community/acme/ask', { title: 'A question here', body: 'Body' });
  assert.equal(anon.statusCode, 401);
  const notMember = await post('/community/acme/ask?lang=en', { title: 'A question here', body: 'Body', csrf: anna.csrf }, anna.cookie);
  assert.equal(notMember.statusCode, 403);
  assert.match(notMember.body, /Choose a display name first/);
  assert.match((await get('/community/acme', anna.cookie)).body, /name="displayName"/);
  await join(anna, 'Anna B');
  await join(bert, 'Bert');
  await join(cora, 'Cora');
  const taken = await post('/community/acme/join', { displayName: 'anna b', csrf: cora.csrf }, cora.cookie);
  assert.equal(taken.statusCode, 409);
  const foreign = await post('/community/acme/ask', { title: 'A question here', body: 'Body', csrf: anna.csrf }, anna.cookie, { origin: 'https://evil.example' });
  assert.equal(foreign.statusCode, 403);
  const badToken = await post('/community/acme/ask', { title: 'A question here', body: 'Body', csrf: 'nope' }, anna.cookie);
  assert.equal(badToken.statusCode, 403);
  assert.equal((await env.db.query(`SELECT 1 FROM community_posts`)).rows.length, 0, 'nothing was posted');
});

test('an abusive post is held for a moderator; criticism is shown at once', async () => {
  const crit = await ask(bert, 'Eure Lieferung ist eine Katastrophe', 'Eure Lieferung ist eine Katastrophe, der Service ist schlecht.');
  assert.equal(crit.held, false);
  const abusive = await ask(anna, 'Answer me, idiots', 'You are useless idiots, all of you.');
  assert.equal(abusive.held, true);
  const list = await get('/community/acme?lang=de');
  assert.match(list.body, /Eure Lieferung ist eine Katastrophe/);
  assert.doesNotMatch(list.body, /idiots/);
  assert.equal((await get(`/community/acme/questions/${abusive.id}`)).statusCode, 404, 'the public cannot open a held post');
  const own = await get(`/community/acme/questions/${abusive.id}?lang=en`, anna.cookie);
  assert.match(own.body, /Waiting for a moderator/, 'the author sees their own held post, marked');
  const held = await env.req('GET', '/api/v1/community/held', { token: env.tokens.agent });
  assert.deepEqual(held.json.items.map((i: any) => [i.id, i.classification]), [[abusive.id, 'abuse']]);
  assert.match(held.json.items[0].evidence, /idiots/);
});

test('moderators approve or remove with a reason; removing criticism is refused with criticism_protected and audited', async () => {
  const crit = (await env.db.query<{ id: string }>(`SELECT id FROM community_posts WHERE classification = 'criticism'`)).rows[0].id;
  const abusive = (await env.db.query<{ id: string }>(`SELECT id FROM community_posts WHERE classification = 'abuse'`)).rows[0].id;
  for (const token of [env.tokens.agent, env.tokens.admin]) {
    const r = await env.req('POST', `/api/v1/community/posts/${crit}/remove`, { token, body: { reason: 'Too negative about us' } });
    assert.equal(r.status, 409, r.body);
    assert.equal(r.json.error?.code ?? r.json.code, 'criticism_protected');
  }
  const still = await get('/community/acme?lang=de');
  assert.match(still.body, /Eure Lieferung ist eine Katastrophe/);
  const refusals = await env.db.query<{ data: any }>(`SELECT data FROM audit_log WHERE action = 'community.post.remove_refused' AND target_id = $1`, [crit]);
  assert.equal(refusals.rows.length, 2);
  assert.equal(refusals.rows[0].data.reason, 'Too negative about us');
  const noReason = await env.req('POST', `/api/v1/community/posts/${abusive}/remove`, { token: env.tokens.agent, body: { reason: '' } });
  assert.equal(noReason.status, 400);
  const ok = await env.req('POST', `/api/v1/community/posts/${abusive}/remove`, { token: env.tokens.agent, body: { reason: 'Insults staff' } });
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.json.status, 'removed');
  assert.equal((await env.req('POST', `/api/v1/community/posts/${abusive}/approve`, { token: env.tokens.agent })).status, 409, 'a removed post is not held');
  // A held post approved becomes visible.
  const q = await ask(cora, 'Threat test question', 'I will find you and hurt you.');
  assert.equal(q.held, true);
  const ap = await env.req('POST', `/api/v1/community/posts/${q.id}/approve`, { token: env.tokens.agent });
  assert.equal(ap.json.status, 'visible');
  assert.equal((await get(`/community/acme/questions/${q.id}`)).statusCode, 200);
  const actions = (await env.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE target_type = 'community_post'`)).rows.map((r) => r.action);
  for (const a of ['community.question.posted', 'community.question.held', 'community.post.removed', 'community.post.approved']) assert.ok(actions.includes(a), a);
});

test('helpful votes: once per member per answer, never on one\'s own; points and badges; verify and promote to a draft article', async () => {
  const q = await ask(anna, 'Wie lange dauert eine Rücksendung?', 'Ich habe meinen Schlafsack zurückgeschickt. Wann kommt das Geld?');
  const a = await answer(bert, q.id, 'Bei mir kam die Erstattung fünf Werktage nach Eingang der Rücksendung.');
  assert.equal(a.status, 'visible');
  const own = await post(`/community/acme/answers/${a.id}/helpful`, { csrf: bert.csrf }, bert.cookie);
  assert.equal(own.statusCode, 409);
  assert.equal((await post(`/community/acme/answers/${a.id}/helpful`, { csrf: anna.csrf }, anna.cookie)).statusCode, 303);
  assert.equal((await post(`/community/acme/answers/${a.id}/helpful`, { csrf: anna.csrf }, anna.cookie)).statusCode, 303);
  assert.equal((await post(`/community/acme/answers/${a.id}/helpful`, { csrf: cora.csrf }, cora.cookie)).statusCode, 303);
  let page = await get(`/community/acme/questions/${q.id}?lang=en`);
  assert.match(page.body, /2 found this helpful/, 'two members, one vote each; the second vote of the same member did not count');
  let ov = await env.req('GET', '/api/v1/community/overview', { token: env.tokens.agent });
  assert.equal(ov.status, 200);
  assert.deepEqual(ov.json.helpers.map((h: any) => [h.displayName, h.points]), [['Bert', 2]]);
  assert.ok(ov.json.toVerify.some((x: any) => x.id === a.id));
  // Promotion needs verification first.
  assert.equal((await env.req('POST', `/api/v1/community/answers/${a.id}/promote`, { token: env.tokens.agent })).status, 409);
  const v = await env.req('POST', `/api/v1/community/answers/${a.id}/verify`, { token: env.tokens.agent });
  assert.equal(v.status, 200, v.body);
  page = await get(`/community/acme/questions/${q.id}?lang=de`);
  assert.match(page.body, /Geprüfte Antwort/);
  ov = await env.req('GET', '/api/v1/community/overview', { token: env.tokens.agent });
  assert.deepEqual(ov.json.helpers.map((h: any) => [h.displayName, h.points, h.badge]), [['Bert', 12, 'helper']]);
  assert.match((await get('/community/acme?lang=en')).body, /Top helpers[\s\S]*Bert/);
  const pr = await env.req('POST', `/api/v1/community/answers/${a.id}/promote`, { token: env.tokens.agent });
  assert.equal(pr.status, 201, pr.body);
  const art = await env.req('GET', `/api/v1/kb/articles/${pr.json.articleId}`, { token: env.tokens.agent });
  assert.equal(art.json.status, 'draft');
  assert.deepEqual(Object.keys(art.json.translations), ['de'], 'in the language of the post');
  assert.equal(art.json.translations.de.title, 'Wie lange dauert eine Rücksendung?');
  assert.match(art.json.translations.de.body, /fünf Werktage/);
  assert.deepEqual(art.json.source, { type: 'community_answer', id: a.id });
  assert.equal((await env.req('POST', `/api/v1/community/answers/${a.id}/promote`, { token: env.tokens.agent })).json.error?.code ?? 'x', 'already_promoted');
  const detail = await env.req('GET', `/api/v1/community/questions/${q.id}`, { token: env.tokens.agent });
  assert.equal(detail.json.answers[0].articleId, pr.json.articleId);
});

test('a member under an active ban cannot post, answer or vote', async () => {
  // Through the respect module's own four-eyes flow: one supervisor reports the threat posted above, another approves.
  const person = async (email: string): Promise<Principal> => {
    const u = await env.db.query<{ id: string }>(`INSERT INTO users (account_id, email, name, role) VALUES ($1, $2, $2, 'supervisor') RETURNING id`, [env.accountId, email]);
    return { accountId: env.accountId, role: 'supervisor', kind: 'user', userId: u.rows[0].id, tokenId: null };
  };
  const reporter = await person('mod@acme.test');
  const approver = await person('mod2@acme.test');
  const m = await respect.proposeMeasure(env.ctx, reporter, {
    customerId: cora.customerId, kind: 'ban', reasonCategory: 'threat', reasonText: 'Threatened other members in a post', durationDays: 30,
    publicEvidence: [{ source: 'community', text: 'I will find you and hurt you.' }],
  });
  await respect.approveMeasure(env.ctx, approver, m.id);
  const qs = await env.db.query<{ id: string }>(`SELECT id FROM community_posts WHERE kind = 'question' AND status = 'visible' LIMIT 1`);
  const r = await post('/community/acme/ask?lang=nb', { title: 'Et spørsmål til', body: 'Hei', csrf: cora.csrf }, cora.cookie);
  assert.equal(r.statusCode, 403);
  assert.match(r.body, /kan ikke skrive i fellesskapet/);
  assert.equal((await post(`/community/acme/questions/${qs.rows[0].id}/answers`, { body: 'Svar', csrf: cora.csrf }, cora.cookie)).statusCode, 403);
  const n = await env.db.query(`SELECT 1 FROM community_posts p JOIN community_members m ON m.id = p.member_id WHERE m.customer_id = $1 AND p.title = 'Et spørsmål til'`, [cora.customerId]);
  assert.equal(n.rows.length, 0);
});
