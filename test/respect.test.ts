/**
 * Respect both ways (issue 7) through the API on a real database: graduated measures, the four-eyes rule for every
 * role (tokens are not persons), criticism protected (en/de/nb, public texts included) with its audit entry, the
 * customer told in their language with an appeal link, appeals decided by a third person, expiry, enforcement at the
 * chat and contact-form doors (inbound email still stored and routed), and the report.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, type TestEnv } from './helpers.js';
import * as chat from '../src/modules/channels/chat/chat.service.js';
import { activeMeasures, channelAllowed } from '../src/modules/respect/respect.service.js';

let env: TestEnv;
const T0 = new Date('2026-11-25T10:00:00Z');
const DAY = 86_400_000;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
let supervisorsQueue: string;
let supportQueue: string;

const PEOPLE = [
  ['rita', 'agent'], ['abe', 'agent'], ['otto', 'agent'],
  ['sue', 'supervisor'], ['sid', 'supervisor'], ['sol', 'supervisor'],
  ['lee', 'leader'], ['lou', 'leader'], ['ada', 'admin'], ['al', 'admin'],
] as const;

/** A request as a signed-in person (session cookie, no token). */
const as = (who: string, method: string, url: string, body?: unknown) => env.req(method, url, { token: '', cookie: cookies[who], body });

before(async () => {
  env = await setup({ publicRateLimit: 1000 });
  env.clock.now = T0;
  for (const [name, role] of PEOPLE) {
    const u = await env.req('POST', '/api/v1/users', { body: { email: `${name}@acme.test`, name, role, password: 'correct horse battery' } });
    assert.equal(u.status, 201, u.body);
    ids[name] = u.json.id;
    const r = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email: `${name}@acme.test`, password: 'correct horse battery' } });
    assert.equal(r.status, 200, r.body);
    cookies[name] = String([r.headers['set-cookie']].flat()[0]).split(';')[0];
  }
  supportQueue = (await env.req('POST', '/api/v1/queues', { body: { name: 'Support' } })).json.id;
  supervisorsQueue = (await env.req('POST', '/api/v1/queues', { body: { name: 'Supervisors' } })).json.id;
  assert.equal((await as('rita', 'PUT', '/api/v1/respect/settings', { coolOffQueueId: supervisorsQueue })).status, 403, 'agents do not change settings');
  const s = await as('sue', 'PUT', '/api/v1/respect/settings', { coolOffQueueId: supervisorsQueue, warningTemplates: { de: 'Bitte bleiben Sie freundlich zu unserem Team.' } });
  assert.equal(s.status, 200, s.body);
  const g = await as('rita', 'GET', '/api/v1/respect/settings');
  assert.equal(g.json.coolOffQueueId, supervisorsQueue);
  assert.match(g.json.defaultWarningTemplates.nb, /kritikk/i);
});
after(() => env.close());

let n = 0;
/** A customer writing these messages (first one opens the conversation). */
async function customer(lang: 'en' | 'de' | 'nb', texts: string[], channel = 'email') {
  const email = `c${++n}@example.com`;
  const c = await env.req('POST', '/api/v1/conversations', {
    body: { customer: { email, name: `Cust ${n}`, language: lang }, channel, subject: `Case ${n}`, message: { text: texts[0] }, queueId: supportQueue },
  });
  assert.equal(c.status, 201, c.body);
  for (const t of texts.slice(1)) assert.equal((await env.req('POST', `/api/v1/conversations/${c.json.id}/messages`, { body: { text: t } })).status, 201);
  const m = await env.db.query<{ id: string }>(`SELECT id FROM messages WHERE conversation_id = $1 AND direction = 'inbound' ORDER BY created_at, id`, [c.json.id]);
  return { email, conversationId: c.json.id as string, customerId: c.json.customerId as string, messageIds: m.rows.map((r) => r.id) };
}

const ABUSE = { en: 'You are a useless idiot, I hate talking to you.', de: 'Sie sind ein inkompetenter Idiot.', nb: 'Du er en idiot og en dust.' };
const CRITICISM = {
  en: 'Your product is garbage and your service is the worst I have ever seen.',
  de: 'Ihr Produkt ist Schrott und der Service ist eine Katastrophe.',
  nb: 'Produktet deres er elendig og kundeservicen er dårlig.',
};

const mails = async (to: string) =>
  (await env.db.query<{ subject: string; text_body: string }>(`SELECT subject, text_body FROM outbound_emails WHERE $1 = ANY(to_addresses) ORDER BY created_at, id`, [to])).rows;

const propose = (who: string, body: Record<string, unknown>) => as(who, 'POST', '/api/v1/respect/measures', body);

test('graduated measures: a warning is in force at once; cool-off, restriction and ban need reason, evidence and a second person', async () => {
  const c = await customer('de', [ABUSE.de, 'Und noch etwas: Sie sind ein Idiot.']);
  const w = await propose('rita', { customerId: c.customerId, conversationId: c.conversationId, kind: 'warning', reasonCategory: 'insult' });
  assert.equal(w.status, 201, w.body);
  assert.equal(w.json.status, 'active');
  assert.equal(new Date(w.json.until).getTime(), T0.getTime() + 90 * DAY, 'a warning ends too (90 days by default)');
  const warnMail = (await mails(c.email)).at(-1)!;
  assert.match(warnMail.text_body, /Bitte bleiben Sie freundlich zu unserem Team\./, 'the account template, in German');
  assert.match(warnMail.text_body, /eine Verwarnung/);
  assert.match(warnMail.text_body, /\/appeal\/[\w-]{20,}/);

  const base = { customerId: c.customerId, conversationId: c.conversationId, reasonCategory: 'insult' };
  const noReason = await propose('rita', { ...base, kind: 'cool_off', messageIds: c.messageIds });
  assert.equal(noReason.status, 400);
  assert.equal(noReason.json.error.field, 'reasonText');
  const noEvidence = await propose('rita', { ...base, kind: 'cool_off', reasonText: 'insulted Abe' });
  assert.equal(noEvidence.status, 400);
  assert.match(noEvidence.json.error.message, /evidence/);
  assert.equal((await propose('rita', { ...base, kind: 'ban', reasonText: 'x', messageIds: c.messageIds, durationDays: 400 })).status, 400, 'at most 365 days');
  const other = await customer('en', ['Hello, where is my parcel?']);
  const foreign = await propose('rita', { ...base, kind: 'ban', reasonText: 'x', messageIds: other.messageIds });
  assert.equal(foreign.status, 400, "evidence must be this customer's own inbound messages");

  const cool = await propose('rita', { ...base, kind: 'cool_off', reasonText: 'insulted Abe twice', messageIds: c.messageIds, abusedUserIds: [ids.abe] });
  assert.equal(cool.status, 201, cool.body);
  assert.equal(cool.json.status, 'proposed');
  assert.equal(cool.json.evidence.length, 2);
  assert.ok(cool.json.evidence.every((e: any) => e.abuse === 'abuse'));
  const awaiting = await as('sue', 'GET', '/api/v1/respect/measures?awaiting=me');
  assert.ok(awaiting.json.items.some((m: any) => m.id === cool.json.id));
  assert.ok(!(await as('abe', 'GET', '/api/v1/respect/measures?awaiting=me')).json.items.some((m: any) => m.id === cool.json.id));
  const ok = await as('sue', 'POST', `/api/v1/respect/measures/${cool.json.id}/approve`, { note: 'clear insult' });
  assert.equal(ok.status, 200, ok.body);
  assert.equal(ok.json.status, 'active');
  assert.equal(ok.json.decidedBy, ids.sue);
  const conv = await env.req('GET', `/api/v1/conversations/${c.conversationId}`);
  assert.equal(conv.json.queueId, supervisorsQueue, 'the cool-off moved the conversation to the supervisor queue');

  const r = await propose('rita', { ...base, kind: 'restriction', channels: ['email'], reasonText: 'third insult', messageIds: c.messageIds, durationDays: 10 });
  assert.equal((await as('lee', 'POST', `/api/v1/respect/measures/${r.json.id}/approve`, {})).status, 200);
  assert.equal(await channelAllowed(env.db, env.accountId, c.customerId, 'chat', T0), false);
  assert.equal(await channelAllowed(env.db, env.accountId, c.customerId, 'email', T0), true);
  const kinds = (await activeMeasures(env.db, env.accountId, c.customerId, T0)).map((m) => m.kind).sort();
  assert.deepEqual(kinds, ['cool_off', 'restriction', 'warning']);
  const list = await as('rita', 'GET', `/api/v1/respect/measures?customerId=${c.customerId}&status=active`);
  assert.equal(list.json.items.length, 3);
  const rej = await propose('rita', { ...base, kind: 'ban', reasonText: 'too much?', messageIds: c.messageIds });
  const rejected = await as('ada', 'POST', `/api/v1/respect/measures/${rej.json.id}/reject`, { note: 'the restriction is enough' });
  assert.equal(rejected.json.status, 'rejected');
  assert.equal((await as('al', 'POST', `/api/v1/respect/measures/${rej.json.id}/approve`, {})).status, 409, 'decided once');
  const revoked = await as('sid', 'POST', `/api/v1/respect/measures/${r.json.id}/revoke`, { note: 'settled by phone' });
  assert.equal(revoked.json.status, 'revoked');
  assert.equal(await channelAllowed(env.db, env.accountId, c.customerId, 'chat', T0), true, 'a revoked restriction no longer applies');
});

test('four-eyes for every role: the reporter, an abused person, a token and an agent cannot approve; another person can', async () => {
  const c = await customer('en', [ABUSE.en]);
  const reporters = [['otto', 'sue'], ['sue', 'sid'], ['lee', 'lou'], ['ada', 'al']] as const;
  for (const [reporter, approver] of reporters) {
    const m = await propose(reporter, { customerId: c.customerId, kind: 'ban', reasonCategory: 'insult', reasonText: `reported by ${reporter}`, messageIds: c.messageIds, abusedUserIds: [ids.sol], durationDays: 3 });
    assert.equal(m.status, 201, m.body);
    const self = await as(reporter, 'POST', `/api/v1/respect/measures/${m.json.id}/approve`, {});
    assert.equal(self.status, 403, `${reporter} approving own proposal`);
    if (reporter !== 'otto') assert.equal(self.json.error.code, 'four_eyes');
    const selfReject = await as(reporter, 'POST', `/api/v1/respect/measures/${m.json.id}/reject`, {});
    assert.equal(selfReject.status, 403, `${reporter} rejecting own proposal`);
    const abused = await as('sol', 'POST', `/api/v1/respect/measures/${m.json.id}/approve`, {});
    assert.equal(abused.status, 403);
    assert.equal(abused.json.error.code, 'four_eyes');
    for (const role of ['admin', 'leader', 'supervisor'] as const) {
      const tok = await env.req('POST', `/api/v1/respect/measures/${m.json.id}/approve`, { token: env.tokens[role], body: {} });
      assert.equal(tok.status, 403, `a ${role} token`);
      assert.equal(tok.json.error.code, 'person_required');
    }
    const agent = await as('abe', 'POST', `/api/v1/respect/measures/${m.json.id}/approve`, {});
    assert.equal(agent.status, 403, 'an agent lacks the right');
    assert.equal(agent.json.error.code, 'forbidden');
    assert.equal((await as(reporter, 'GET', `/api/v1/respect/measures/${m.json.id}`)).json.status, 'proposed', 'nothing changed');
    const ok = await as(approver, 'POST', `/api/v1/respect/measures/${m.json.id}/approve`, {});
    assert.equal(ok.status, 200, `${approver} approves ${reporter}'s proposal`);
    assert.equal(ok.json.status, 'active');
  }
  const tokenReport = await env.req('POST', '/api/v1/respect/measures', { token: env.tokens.admin, body: { customerId: c.customerId, kind: 'warning', reasonCategory: 'insult' } });
  assert.equal(tokenReport.status, 403, 'a token cannot report either: a measure starts with a person');
  const audits = await env.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'respect.approved'`);
  assert.ok(audits.rows[0].n >= 4);
});

test('criticism is protected: criticism-only evidence (en, de, nb, public and community) is refused with 422 and an audit entry; mixed evidence is allowed', async () => {
  const before = (await env.db.query(`SELECT count(*)::int AS n FROM respect_measures`)).rows[0].n;
  for (const lang of ['en', 'de', 'nb'] as const) {
    const c = await customer(lang, [CRITICISM[lang]]);
    for (const who of ['rita', 'ada', 'lee']) {
      const r = await propose(who, { customerId: c.customerId, kind: 'ban', reasonCategory: 'insult', reasonText: 'rude', messageIds: c.messageIds });
      assert.equal(r.status, 422, `${lang} by ${who}: ${r.body}`);
      assert.equal(r.json.error.code, 'criticism_protected');
      assert.match(r.json.error.message, /criticism of the company or product is not abuse/i);
    }
  }
  const c = await customer('en', ['Hello, where is my parcel?']);
  const pub = await propose('sue', {
    customerId: c.customerId, kind: 'restriction', channels: ['email'], reasonCategory: 'harassment', reasonText: 'bad press',
    publicEvidence: [{ source: 'public', ref: 'https://social.example/post/1', text: 'This company is a total rip-off, the worst support ever, I will tell everyone on Twitter.' },
      { source: 'community', ref: 'thread 12', text: CRITICISM.de }],
  });
  assert.equal(pub.status, 422, pub.body);
  assert.equal(pub.json.error.code, 'criticism_protected');
  assert.equal((await env.db.query(`SELECT count(*)::int AS n FROM respect_measures`)).rows[0].n, before, 'refused measures are not stored');
  const audit = await env.db.query<{ actor_id: string; data: any }>(`SELECT actor_id, data FROM audit_log WHERE action = 'respect.refused_criticism' ORDER BY id`);
  assert.equal(audit.rows.length, 10);
  assert.equal(audit.rows.at(-1)!.actor_id, ids.sue);
  assert.deepEqual(audit.rows.at(-1)!.data.evidence.map((e: any) => e.source), ['public', 'community']);

  const mixed = await customer('nb', [CRITICISM.nb, ABUSE.nb]);
  const m = await propose('otto', { customerId: mixed.customerId, kind: 'ban', reasonCategory: 'insult', reasonText: 'called Otto an idiot', messageIds: mixed.messageIds });
  assert.equal(m.status, 201, m.body);
  const byText = Object.fromEntries(m.json.evidence.map((e: any) => [e.text, e.abuse]));
  assert.deepEqual(byText, { [CRITICISM.nb]: 'criticism', [ABUSE.nb]: 'abuse' });
  const neither = await propose('otto', { customerId: c.customerId, kind: 'cool_off', conversationId: c.conversationId, reasonCategory: 'other', reasonText: 'repeated calls at night', messageIds: c.messageIds });
  assert.equal(neither.status, 201, 'evidence not recognised as abuse is allowed; the approver sees it');
  assert.equal(neither.json.evidence[0].abuse, 'none');
  // Stored findings count over a fresh analysis: a message the listening job read as criticism is protected.
  const stored = await customer('en', [ABUSE.en]);
  await env.db.query(
    `INSERT INTO message_findings (message_id, account_id, conversation_id, customer_id, lang, wait_complaint, abuse, threat, sentiment, frustration,
       confidence, classifier, classifier_version, message_at, analysed_at)
     VALUES ($1, $2, $3, $4, 'en', false, 'criticism', false, 'neg', 0.5, 0.9, 'rules', 'test', $5, $5)`,
    [stored.messageIds[0], env.accountId, stored.conversationId, stored.customerId, T0],
  );
  const s = await propose('otto', { customerId: stored.customerId, kind: 'ban', reasonCategory: 'insult', reasonText: 'x', messageIds: stored.messageIds });
  assert.equal(s.status, 422);
  // And again at approval: a proposal whose finding was corrected to criticism meanwhile is refused and rejected.
  const later = await customer('de', [ABUSE.de]);
  const p = await propose('otto', { customerId: later.customerId, kind: 'ban', reasonCategory: 'insult', reasonText: 'x', messageIds: later.messageIds });
  assert.equal(p.status, 201);
  await env.db.query(
    `INSERT INTO message_findings (message_id, account_id, conversation_id, customer_id, lang, wait_complaint, abuse, threat, sentiment, frustration,
       confidence, classifier, classifier_version, message_at, analysed_at)
     VALUES ($1, $2, $3, $4, 'de', false, 'criticism', false, 'neg', 0.5, 0.9, 'rules', 'test', $5, $5)`,
    [later.messageIds[0], env.accountId, later.conversationId, later.customerId, T0],
  );
  const ap = await as('sue', 'POST', `/api/v1/respect/measures/${p.json.id}/approve`, {});
  assert.equal(ap.status, 422);
  assert.equal((await as('sue', 'GET', `/api/v1/respect/measures/${p.json.id}`)).json.status, 'rejected');
});

test('the customer is told in their language with an appeal link; a third person decides; overturn lifts enforcement at once', async () => {
  const c = await customer('nb', [ABUSE.nb]);
  const m = await propose('rita', { customerId: c.customerId, conversationId: c.conversationId, kind: 'ban', reasonCategory: 'insult', reasonText: 'internal: called Abe names', messageIds: c.messageIds, abusedUserIds: [ids.abe], durationDays: 30 });
  assert.equal((await as('sue', 'POST', `/api/v1/respect/measures/${m.json.id}/approve`, {})).status, 200);
  const mail = (await mails(c.email)).at(-1)!;
  assert.match(mail.text_body, /Hei Cust/);
  assert.match(mail.text_body, /fornærmelser mot våre ansatte/, 'the reason category in Norwegian');
  assert.match(mail.text_body, /gjelder til/);
  assert.doesNotMatch(mail.text_body, /internal: called Abe names/, 'internal notes stay internal');
  const token = /\/appeal\/([\w-]+)/.exec(mail.text_body)![1];
  assert.equal(await channelAllowed(env.db, env.accountId, c.customerId, 'chat', T0), false);

  const page = await env.app.inject({ method: 'GET', url: `/appeal/${token}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<html lang="nb">/);
  assert.match(page.body, /Klag på en avgjørelse/);
  assert.match(page.body, /<label for="text">Klagen din<\/label>/);
  const en = await env.app.inject({ method: 'GET', url: `/appeal/${token}?lang=en` });
  assert.match(en.body, /Appeal a decision/);
  assert.equal((await env.app.inject({ method: 'GET', url: '/appeal/not-a-real-token-at-all-xxxx' })).statusCode, 404);
  const empty = await env.app.inject({ method: 'POST', url: `/appeal/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'text=' });
  assert.equal(empty.statusCode, 400);
  const sent = await env.app.inject({ method: 'POST', url: `/appeal/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `text=${encodeURIComponent('Jeg var sint, men jeg beklager.')}` });
  assert.equal(sent.statusCode, 200, sent.body);
  assert.match(sent.body, /Klagen din er mottatt/);
  const twice = await env.app.inject({ method: 'POST', url: `/appeal/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'text=again' });
  assert.equal(twice.statusCode, 409);

  const open = await as('lee', 'GET', '/api/v1/respect/appeals?status=open');
  const appeal = open.json.items.find((a: any) => a.measureId === m.json.id);
  assert.equal(appeal.source, 'customer');
  assert.equal(appeal.text, 'Jeg var sint, men jeg beklager.');
  for (const who of ['rita', 'sue', 'abe']) {
    const r = await as(who, 'POST', `/api/v1/respect/appeals/${appeal.id}/decide`, { outcome: 'overturn' });
    assert.equal(r.status, 403, `${who} may not decide`);
  }
  assert.equal((await env.req('POST', `/api/v1/respect/appeals/${appeal.id}/decide`, { token: env.tokens.admin, body: { outcome: 'overturn' } })).json.error.code, 'person_required');
  const d = await as('lee', 'POST', `/api/v1/respect/appeals/${appeal.id}/decide`, { outcome: 'overturn', note: 'apology accepted' });
  assert.equal(d.status, 200, d.body);
  assert.equal(d.json.status, 'overturned');
  assert.equal(await channelAllowed(env.db, env.accountId, c.customerId, 'chat', T0), true, 'overturned: no longer applies');
  const outcome = (await mails(c.email)).at(-1)!;
  assert.match(outcome.subject, /klagen din er avgjort/);
  assert.match(outcome.text_body, /Tiltaket er opphevet/);
  const after = await env.app.inject({ method: 'GET', url: `/appeal/${token}` });
  assert.match(after.body, /tiltaket ble opphevet/);

  // Recorded by an agent on the customer's behalf; upheld by a third person: the measure stays.
  const c2 = await customer('de', [ABUSE.de]);
  const m2 = await propose('rita', { customerId: c2.customerId, kind: 'restriction', channels: ['email'], reasonCategory: 'insult', reasonText: 'x', messageIds: c2.messageIds });
  await as('sid', 'POST', `/api/v1/respect/measures/${m2.json.id}/approve`, {});
  const rec = await as('otto', 'POST', `/api/v1/respect/measures/${m2.json.id}/appeals`, { text: 'Kunde ruft an: es tut ihm leid.' });
  assert.equal(rec.status, 201, rec.body);
  assert.equal(rec.json.measure.openAppeals, 1);
  const up = await as('ada', 'POST', `/api/v1/respect/appeals/${rec.json.appealId}/decide`, { outcome: 'uphold' });
  assert.equal(up.json.status, 'active');
  assert.match((await mails(c2.email)).at(-1)!.text_body, /Die Maßnahme bleibt bis .* bestehen/);
});

test('measures expire at their end: the job marks them expired (audited) and enforcement stops', async () => {
  const c = await customer('en', [ABUSE.en]);
  const m = await propose('rita', { customerId: c.customerId, kind: 'ban', reasonCategory: 'insult', reasonText: 'x', messageIds: c.messageIds, durationDays: 2 });
  await as('sue', 'POST', `/api/v1/respect/measures/${m.json.id}/approve`, {});
  env.clock.now = new Date(T0.getTime() + DAY);
  await env.app.jobs.runDue(env.clock.now);
  assert.equal((await as('rita', 'GET', `/api/v1/respect/measures/${m.json.id}`)).json.status, 'active');
  const end = new Date(T0.getTime() + 2 * DAY + 1000);
  env.clock.now = end;
  await env.app.jobs.runDue(end);
  assert.equal((await as('rita', 'GET', `/api/v1/respect/measures/${m.json.id}`)).json.status, 'expired');
  assert.equal(await channelAllowed(env.db, env.accountId, c.customerId, 'chat', end), true);
  const a = await env.db.query(`SELECT actor_type FROM audit_log WHERE action = 'respect.expired' AND target_id = $1`, [m.json.id]);
  assert.equal(a.rows[0].actor_type, 'system');
  env.clock.now = T0;
});

test('enforcement: chat start and the contact form refuse a banned customer politely in their language; inbound email is stored and routed to the cool-off queue', async () => {
  const c = await customer('de', [ABUSE.de]);
  const m = await propose('rita', { customerId: c.customerId, kind: 'ban', reasonCategory: 'threat', reasonText: 'x', messageIds: c.messageIds, durationDays: 30 });
  await as('sue', 'POST', `/api/v1/respect/measures/${m.json.id}/approve`, {});
  await env.app.jobs.runDue(T0);
  assert.equal((await env.req('GET', `/api/v1/conversations/${c.conversationId}`)).json.queueId, supervisorsQueue, 'open conversations routed at approval');

  // The JSON endpoint needs a form token fetched at least 3 s before (issue 14).
  const contactToken = async () => {
    env.clock.now = new Date(T0.getTime() - 10_000);
    const f = await env.req('GET', '/api/v1/public/contact/acme/form', { token: '' });
    env.clock.now = T0;
    return f.json.formToken as string;
  };
  const form = await env.req('POST', '/api/v1/public/contact/acme', { token: '', body: { name: 'X', email: c.email, subject: 'Hallo', message: 'Neue Anfrage', language: 'de', formToken: await contactToken() } });
  assert.equal(form.status, 403, form.body);
  assert.equal(form.json.error.code, 'respect_refused');
  assert.match(form.json.error.message, /Wir können über diesen Kanal derzeit keine neuen Anfragen/);
  assert.equal((await env.db.query(`SELECT count(*)::int AS n FROM conversations WHERE subject = 'Hallo'`)).rows[0].n, 0);
  // The server-rendered form page says the same, not a generic error.
  const formPage = await env.app.inject({ method: 'GET', url: '/contact/acme?lang=de', remoteAddress: '10.9.9.9' });
  const formToken = /name="formToken" value="([^"]+)"/.exec(formPage.body)?.[1] ?? '';
  env.clock.now = new Date(T0.getTime() + 30_000);
  const html = await env.app.inject({
    method: 'POST', url: '/contact/acme?lang=de', remoteAddress: '10.9.9.9',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ name: 'X', email: c.email, subject: 'Hallo', message: 'Neue Anfrage', formToken, website: '' }).toString(),
  });
  env.clock.now = T0;
  assert.equal(html.statusCode, 403, html.body);
  assert.match(html.body, /Wir können über diesen Kanal derzeit keine neuen Anfragen/);
  const { session } = await chat.createSession(env.ctx, env.accountId, null);
  await assert.rejects(chat.startChat(env.ctx, session, { email: c.email, text: 'hi', clientId: 'c1', lang: 'nb' } as any), (e: any) => {
    assert.equal(e.code, 'respect_refused');
    assert.match(e.message, /Vi kan ikke ta imot nye henvendelser/);
    return true;
  });
  // Someone else may still chat and use the form.
  const okForm = await env.req('POST', '/api/v1/public/contact/acme', { token: '', body: { name: 'Y', email: 'fine@example.com', subject: 'Hi', message: 'A question', language: 'en', formToken: await contactToken() } });
  assert.equal(okForm.status, 201, okForm.body);

  // Email is never refused: a new mail from the banned customer is stored, and the sweep routes it.
  const mail = await env.req('POST', '/api/v1/conversations', { body: { customer: { email: c.email }, channel: 'email', subject: 'Neue Mail', message: { text: 'Ich schreibe trotzdem.' }, queueId: supportQueue } });
  assert.equal(mail.status, 201);
  const later = new Date(T0.getTime() + 6 * 60_000);
  env.clock.now = later;
  await env.app.jobs.runDue(later);
  assert.equal((await env.req('GET', `/api/v1/conversations/${mail.json.id}`)).json.queueId, supervisorsQueue);
  // Routed once: a supervisor may move it back, the sweep leaves it there.
  assert.equal((await env.req('PATCH', `/api/v1/conversations/${mail.json.id}`, { body: { queueId: supportQueue } })).status, 200);
  const later2 = new Date(T0.getTime() + 12 * 60_000);
  env.clock.now = later2;
  await env.app.jobs.runDue(later2);
  assert.equal((await env.req('GET', `/api/v1/conversations/${mail.json.id}`)).json.queueId, supportQueue);
  env.clock.now = T0;
});

test('report: measures per reason and kind, per status and reporter, refused-as-criticism and appeals; agents may not read it', async () => {
  const r = await as('lee', 'GET', `/api/v1/respect/report?from=${new Date(T0.getTime() - DAY).toISOString()}&to=${new Date(T0.getTime() + DAY).toISOString()}`);
  assert.equal(r.status, 200, r.body);
  const total = (await env.db.query(`SELECT count(*)::int AS n FROM respect_measures`)).rows[0].n;
  assert.equal(r.json.byReasonAndKind.reduce((s: number, x: any) => s + x.n, 0), total);
  const insultBans = (await env.db.query(`SELECT count(*)::int AS n FROM respect_measures WHERE reason_category = 'insult' AND kind = 'ban'`)).rows[0].n;
  assert.equal(r.json.byReasonAndKind.find((x: any) => x.reasonCategory === 'insult' && x.kind === 'ban').n, insultBans);
  assert.equal(r.json.refusedAsCriticism, 12, '10 at proposal (3 languages × 3 people + public), 1 on stored findings, 1 at approval');
  assert.equal(r.json.appeals.overturned, 1);
  assert.equal(r.json.appeals.upheld, 1);
  assert.ok(r.json.byStatus.some((x: any) => x.status === 'expired' && x.n === 1));
  assert.ok(r.json.byReporter.find((x: any) => x.reporterId === ids.rita).n >= 5);
  assert.equal((await as('rita', 'GET', '/api/v1/respect/report')).status, 403);
  assert.equal((await as('lee', 'GET', '/api/v1/respect/report?from=nonsense')).status, 400);
});
