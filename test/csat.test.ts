/**
 * Satisfaction (issue 7): the survey after solved through the real SMTP sink, in the customer's language, the public
 * survey page (GET never records, POST does), the delay and a reopen, one survey per conversation, the one reminder,
 * expiry, the portal rating as the same answer, the chat widget prompt at the protocol level, and the report and
 * points joined to lived journey waits.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { simpleParser, type ParsedMail } from 'mailparser';
import { setup, convBody, type TestEnv } from './helpers.js';
import { startSmtpSink, type SmtpSink } from './dovecot.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import { satisfactionFor } from '../src/modules/csat/csat.service.js';

let env: TestEnv;
let sink: SmtpSink;
let port = 0;
// The app clock starts tomorrow 10:00 UTC and only moves forward, so every job (queued at the database's now()) is due.
const day = new Date();
day.setUTCDate(day.getUTCDate() + 1);
day.setUTCHours(10, 0, 0, 0);
let now = day.getTime();
const tick = (ms: number) => {
  now += ms;
  env.clock.now = new Date(now);
};
const runJobs = () => env.app.jobs.runDue(new Date(now + 1000));
const MIN = 60_000;
const DAY = 86_400_000;

const parse = (raw: Buffer): Promise<ParsedMail> => simpleParser(raw);
/** The survey mails the SMTP sink has accepted (agent replies to the same customers arrive there too). */
async function sinkSurveys(n: number): Promise<ParsedMail[]> {
  for (let i = 0; i < 200; i++) {
    const all = await Promise.all(sink.messages.map((m) => parse(m.raw)));
    const got = all.filter((m) => (m.text ?? '').includes('/survey/'));
    if (got.length >= n) return got;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`SMTP sink: fewer than ${n} survey mails`);
}
const surveyMailsTo = async (addr: string) =>
  (await env.db.query<{ subject: string; text_body: string }>(
    `SELECT subject, text_body FROM outbound_emails WHERE $1 = ANY(to_addresses) AND text_body LIKE '%/survey/%' ORDER BY created_at, id`,
    [addr],
  )).rows;
const tokenIn = (text: string) => /\/survey\/([0-9a-f-]{36}\.[\w-]{32})\?score=1/.exec(text)?.[1] ?? '';
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
let ipSeq = 0;
const page = (method: 'GET' | 'POST', url: string, body?: Record<string, string>) =>
  env.app.inject({
    method,
    url,
    remoteAddress: `10.7.0.${(++ipSeq % 250) + 1}`,
    ...(body ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(body) } : {}),
  });
const rating = async (id: string) =>
  (await env.db.query<any>('SELECT score, comment, source FROM conversation_ratings WHERE conversation_id = $1', [id])).rows[0] ?? null;
const survey = async (id: string) => (await env.db.query<any>('SELECT * FROM csat_surveys WHERE conversation_id = $1', [id])).rows[0] ?? null;

/** A conversation answered by an agent and solved; returns its id and customer id. */
async function solvedConversation(over: Record<string, unknown> = {}, reply = 'We sent a replacement today.') {
  const c = await env.req('POST', '/api/v1/conversations', { body: convBody(over) });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  tick(2 * MIN);
  const r = await env.req('POST', `/api/v1/conversations/${c.json.id}/replies`, { token: env.tokens.agent, body: { text: reply } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  tick(MIN);
  const s = await env.req('PATCH', `/api/v1/conversations/${c.json.id}`, { token: env.tokens.agent, body: { status: 'solved' } });
  assert.equal(s.status, 200, JSON.stringify(s.json));
  return { id: c.json.id as string, customerId: c.json.customer.id as string };
}

before(async () => {
  sink = await startSmtpSink();
  env = await setup({ smtpOutboundUrl: sink.url, publicRateLimit: 1000, publicUrl: 'https://help.acme.test' });
  tick(0);
  const p = systemPrincipal(env.accountId);
  await env.db.query(`INSERT INTO mailboxes (account_id, address, name) VALUES ($1, 'support@acme.test', 'Acme Support')`, [env.accountId]).catch(() => {});
  const agent = await accounts.addUser(env.ctx, p, { email: 'agent@acme.test', name: 'Agnes Agent', role: 'agent' });
  await env.db.query(`UPDATE users SET presence = 'available' WHERE id = $1`, [agent.id]);
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  port = (env.app.server.address() as any).port;
});
after(async () => {
  await env.close();
  await sink.close();
});

test('settings: admin only, defaults, validation; tests run with no delay', async () => {
  assert.equal((await env.req('GET', '/api/v1/csat/settings', { token: env.tokens.supervisor })).status, 403);
  const d = await env.req('GET', '/api/v1/csat/settings');
  assert.equal(d.status, 200);
  assert.deepEqual({ ...d.json, questions: undefined }, { enabled: true, delayMinutes: 10, reminderDays: 3, expiryDays: 30, questions: undefined });
  assert.match(d.json.questions.de, /zufrieden/);
  assert.match(d.json.questions.nb, /fornøyd/);
  const bad = await env.req('PUT', '/api/v1/csat/settings', { body: { reminderDays: 20, expiryDays: 10 } });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /reminderDays: the reminder \(20 days\) must come before the link expires \(10 days\)/);
  const ok = await env.req('PUT', '/api/v1/csat/settings', { body: { delayMinutes: 0, questions: { en: 'How did we do with your request?' } } });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  assert.equal(ok.json.delayMinutes, 0);
  assert.equal(ok.json.questions.en, 'How did we do with your request?');
  const audit = await env.db.query(`SELECT 1 FROM audit_log WHERE action = 'csat.settings_changed'`);
  assert.equal(audit.rows.length, 1);
});

test('solved → one survey email in the customer language with five score links; GET never records, POST does and can change', async () => {
  const de = await solvedConversation({ customer: { email: 'dora@example.de', name: 'Dora Deutsch', language: 'de' }, subject: 'Zelt undicht' });
  const nb = await solvedConversation({
    customer: { email: 'nils@example.no', name: 'Nils Nordmann' },
    subject: 'Teltet lekker',
    message: { text: 'Hei, teltet mitt lekker når det regner. Kan dere hjelpe meg med å bytte det?' },
  });
  const en = await solvedConversation({ customer: { email: 'emma@example.com', name: 'Emma' } });
  await runJobs(); // csat.survey (delay 0)
  await runJobs(); // email.send
  const mails = await sinkSurveys(3);
  const byTo = (a: string) => mails.find((m) => (m.to as any).text.includes(a))!;
  const mDe = byTo('dora@example.de');
  assert.match(mDe.subject!, /^Wie war unser Service\? #\d+ Zelt undicht/);
  assert.match(mDe.text!, /Hallo Dora Deutsch/);
  assert.match(mDe.text!, /Wie zufrieden sind Sie damit/);
  assert.match(mDe.text!, /5 – Sehr zufrieden: https:\/\/help\.acme\.test\/survey\/[\w.-]+\?score=5&lang=de/);
  const mNb = byTo('nils@example.no');
  assert.match(mNb.subject!, /^Hvordan gjorde vi det\?/, 'Norwegian from the language of the message');
  assert.match(mNb.text!, /Hvor fornøyd er du/);
  const mEn = byTo('emma@example.com');
  assert.match(mEn.subject!, /^How did we do\?/);
  assert.match(mEn.text!, /How did we do with your request\?/, 'the account’s own question');
  assert.equal((mEn.text!.match(/\/survey\//g) ?? []).length, 5);
  assert.equal((await survey(de.id)).route, 'email');
  assert.equal((await survey(de.id)).language, 'de');

  // A mail scanner (or the customer) opens the "4" link: a form with 4 preselected, nothing recorded.
  const token = tokenIn(mDe.text!);
  const g = await page('GET', `/survey/${token}?score=4&lang=de`);
  assert.equal(g.statusCode, 200);
  assert.match(g.body, /<html lang="de">/);
  assert.match(g.body, /value="4" checked/);
  assert.match(g.body, /Kommentar \(freiwillig\)/);
  assert.equal(await rating(de.id), null, 'GET records nothing');
  const p = await page('POST', `/survey/${token}`, { score: '4', comment: 'Schnell, aber ich musste zweimal anrufen.', lang: 'de' });
  assert.equal(p.statusCode, 200);
  assert.match(p.body, /Vielen Dank! Ihre Antwort ist gespeichert/);
  assert.deepEqual(await rating(de.id), { score: 4, comment: 'Schnell, aber ich musste zweimal anrufen.', source: 'survey' });
  const change = await page('POST', `/survey/${token}`, { score: '5', comment: '', lang: 'de' });
  assert.equal(change.statusCode, 200);
  assert.deepEqual(await rating(de.id), { score: 5, comment: null, source: 'survey' });
  const badScore = await page('POST', `/survey/${token}`, { score: '9', lang: 'de' });
  assert.equal(badScore.statusCode, 400);
  assert.match(badScore.body, /Bitte wählen Sie eine Bewertung von 1 bis 5/);
  const forged = await page('GET', `/survey/${token.slice(0, -4)}AAAA`);
  assert.equal(forged.statusCode, 404);
  const actions = (await env.db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [de.id])).rows.map((r) => r.action);
  assert.ok(actions.includes('csat.survey_sent') && actions.includes('conversation.rated') && actions.includes('conversation.rating_changed'), String(actions));

  // satisfactionFor (the contract the leaders module uses) reads the same answer.
  const sat = await satisfactionFor(env.db, env.accountId, [de.id, nb.id, 'not-a-uuid']);
  assert.equal(sat.get(de.id)?.score, 5);
  assert.equal(sat.has(nb.id), false);

  // The agents' panel: survey state and answer.
  const st = await env.req('GET', `/api/v1/conversations/${de.id}/csat`, { token: env.tokens.agent });
  assert.equal(st.status, 200);
  assert.equal(st.json.survey.route, 'email');
  assert.equal(st.json.answer.score, 5);
  assert.equal((await env.req('GET', `/api/v1/conversations/${en.id}/csat`, { token: env.tokens.agent })).json.answer, null);
  const other = await env.makeAccount('csat-other');
  assert.equal((await env.req('GET', `/api/v1/conversations/${de.id}/csat`, { token: other.tokens.admin })).status, 404);
});

test('a reopen before the delay: no survey; solving again: one survey; never a second one', async () => {
  assert.equal((await env.req('PUT', '/api/v1/csat/settings', { body: { delayMinutes: 10 } })).status, 200);
  const c = await solvedConversation({ customer: { email: 'rita@example.com', name: 'Rita Reopen' } });
  tick(5 * MIN);
  assert.equal((await env.req('POST', `/api/v1/conversations/${c.id}/messages`, { body: { text: 'Sorry, one more question: does it fit two people?' } })).status, 201);
  tick(10 * MIN);
  await runJobs();
  assert.equal(await survey(c.id), null, 'reopened before the delay: no survey');
  assert.equal((await surveyMailsTo('rita@example.com')).length, 0);
  // Answered and solved again: after the delay exactly one survey.
  await env.req('POST', `/api/v1/conversations/${c.id}/replies`, { token: env.tokens.agent, body: { text: 'Yes, two people fit.', status: 'solved' } });
  tick(5 * MIN);
  await runJobs();
  assert.equal(await survey(c.id), null, 'not before the delay');
  tick(6 * MIN);
  await runJobs();
  assert.ok(await survey(c.id));
  // Reopened and solved again: no second survey.
  await env.req('POST', `/api/v1/conversations/${c.id}/messages`, { body: { text: 'And the colour?' } });
  await env.req('POST', `/api/v1/conversations/${c.id}/replies`, { token: env.tokens.agent, body: { text: 'Green.', status: 'solved' } });
  tick(11 * MIN);
  await runJobs();
  await runJobs();
  assert.equal((await surveyMailsTo('rita@example.com')).length, 1);
  assert.equal((await env.db.query('SELECT count(*)::int AS n FROM csat_surveys WHERE conversation_id = $1', [c.id])).rows[0].n, 1);
  assert.equal((await env.req('PUT', '/api/v1/csat/settings', { body: { delayMinutes: 0 } })).status, 200);
});

test('no survey for robots, probes or unanswered conversations; phone is recorded as no_route', async () => {
  const robot = await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'bot@example.com' } }) });
  await env.db.query('UPDATE conversations SET automatic = true WHERE id = $1', [robot.json.id]);
  await env.req('POST', `/api/v1/conversations/${robot.json.id}/replies`, { token: env.tokens.agent, body: { text: 'ok', status: 'solved' } });
  const silent = await env.req('POST', '/api/v1/conversations', { body: convBody({ customer: { email: 'quiet@example.com' } }) });
  await env.req('PATCH', `/api/v1/conversations/${silent.json.id}`, { body: { status: 'solved' } });
  const phone = await solvedConversation({ channel: 'phone', customer: { phone: '+4799999999', name: 'Per Phone' } });
  await runJobs();
  await runJobs();
  assert.equal(await survey(robot.json.id), null);
  assert.equal(await survey(silent.json.id), null);
  assert.equal((await survey(phone.id)).route, 'no_route');
  assert.equal((await env.db.query(`SELECT 1 FROM outbound_emails WHERE conversation_id = $1 AND text_body LIKE '%/survey/%'`, [phone.id])).rows.length, 0);
});

test('reminder exactly once after the configured days; expired links are refused', async () => {
  const c = await solvedConversation({ customer: { email: 'ruth@example.com', name: 'Ruth' } });
  await runJobs();
  assert.equal((await surveyMailsTo('ruth@example.com')).length, 1);
  tick(2 * DAY);
  await runJobs();
  assert.equal((await surveyMailsTo('ruth@example.com')).length, 1, 'no reminder before 3 days');
  tick(1 * DAY + MIN);
  await runJobs();
  const mails = await surveyMailsTo('ruth@example.com');
  assert.equal(mails.length, 2);
  assert.match(mails[1].subject, /^Reminder: how did we do\?/);
  assert.equal(tokenIn(mails[1].text_body), tokenIn(mails[0].text_body), 'the same link');
  assert.ok((await survey(c.id)).reminded_at);
  tick(10 * DAY);
  await runJobs();
  assert.equal((await surveyMailsTo('ruth@example.com')).length, 2, 'never a second reminder');
  // Answered before the reminder: no reminder.
  const a = await solvedConversation({ customer: { email: 'quick@example.com', name: 'Quick' } });
  await runJobs();
  const t = tokenIn((await surveyMailsTo('quick@example.com'))[0].text_body);
  assert.equal((await page('POST', `/survey/${t}`, { score: '3' })).statusCode, 200);
  tick(4 * DAY);
  await runJobs();
  assert.equal((await surveyMailsTo('quick@example.com')).length, 1);
  assert.equal((await rating(a.id)).score, 3);
  // Expiry: 30 days after sending, GET and POST are refused in the survey's language; the answer stays.
  tick(27 * DAY);
  const g = await page('GET', `/survey/${t}?score=5`);
  assert.equal(g.statusCode, 410);
  assert.match(g.body, /This survey link has expired/);
  const p = await page('POST', `/survey/${t}`, { score: '5' });
  assert.equal(p.statusCode, 410);
  assert.equal((await rating(a.id)).score, 3);
});

/** Signs in to the portal through the emailed magic link (as test/portal.test.ts does); returns the cookie. */
async function portalSignIn(email: string): Promise<string> {
  const ip = '10.9.9.9';
  const f = await env.app.inject({ method: 'GET', url: '/portal/acme?lang=en', remoteAddress: ip });
  const formToken = /name="formToken" value="([^"]+)"/.exec(f.body)![1];
  const r = await env.app.inject({
    method: 'POST', url: '/portal/acme/link?lang=en', remoteAddress: ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ email, formToken, website: '' }),
  });
  assert.equal(r.statusCode, 200, r.body);
  await runJobs();
  const mail = await env.db.query<{ text_body: string }>(
    `SELECT text_body FROM outbound_emails WHERE $1 = ANY(to_addresses) AND text_body LIKE '%/signin?token=%' ORDER BY created_at DESC LIMIT 1`,
    [email],
  );
  const token = /\/portal\/acme\/signin\?token=([\w-]+)/.exec(mail.rows[0].text_body)![1];
  const s = await page('POST', '/portal/acme/signin', { token });
  assert.equal(s.statusCode, 303, s.body);
  return `earshot_portal=${/earshot_portal=([^;]+)/.exec(String(s.headers['set-cookie']))![1]}`;
}
const portalRate = async (cookie: string, id: string, score: string, comment = '') => {
  const pg = await env.app.inject({ method: 'GET', url: `/portal/acme/conversations/${id}`, headers: { cookie } });
  const csrf = /name="csrf" value="([^"]+)"/.exec(pg.body)![1];
  return env.app.inject({
    method: 'POST', url: `/portal/acme/conversations/${id}/rating`, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ score, comment, csrf }),
  });
};

test('the portal rating and the survey are one answer: rated in the portal → no survey; the portal shows the survey answer', async () => {
  assert.equal((await env.req('PUT', '/api/v1/csat/settings', { body: { delayMinutes: 10 } })).status, 200);
  const c = await solvedConversation({ customer: { email: 'paula@example.com', name: 'Paula Portal' } });
  tick(5_000); // the portal form's minimum age
  const cookie = await portalSignIn('paula@example.com');
  const rated = await portalRate(cookie, c.id, '2', 'Too slow');
  assert.equal(rated.statusCode, 200, rated.body);
  tick(11 * MIN);
  await runJobs();
  assert.equal(await survey(c.id), null, 'rated in the portal within the delay: not asked again');
  assert.deepEqual(await rating(c.id), { score: 2, comment: 'Too slow', source: 'portal' });
  // The other way round: surveyed first; the portal shows the survey's answer (the same row) and changes it.
  const d = await solvedConversation({ customer: { email: 'paula@example.com', name: 'Paula Portal' }, subject: 'Second order' });
  tick(11 * MIN);
  await runJobs();
  const t = tokenIn((await surveyMailsTo('paula@example.com'))[0].text_body);
  await page('POST', `/survey/${t}`, { score: '1', comment: 'Nobody called back' });
  const shown = await env.app.inject({ method: 'GET', url: `/portal/acme/conversations/${d.id}`, headers: { cookie } });
  assert.match(shown.body, /value="1" checked/);
  assert.match(shown.body, /Nobody called back/);
  assert.equal((await portalRate(cookie, d.id, '3', 'They called after all')).statusCode, 200);
  assert.deepEqual(await rating(d.id), { score: 3, comment: 'They called after all', source: 'portal' });
  const again = await page('GET', `/survey/${t}`);
  assert.match(again.body, /Your answer so far: 3 of 5/);
  assert.match(again.body, /value="3" checked/);
  // Answered in the portal: the survey's reminder is not sent.
  tick(4 * DAY);
  await runJobs();
  assert.equal((await surveyMailsTo('paula@example.com')).length, 1);
  assert.equal((await survey(d.id)).reminded_at, null);
  const rep = await env.req('GET', `/api/v1/csat/report?from=${new Date(now - 10 * DAY).toISOString()}`);
  assert.equal(rep.json.bySource.portal, 2);
  assert.equal((await env.req('PUT', '/api/v1/csat/settings', { body: { delayMinutes: 0 } })).status, 200);
});

test('chat: a live chat gets the survey prompt on its socket; the visitor answers in the widget protocol', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/chat/socket`);
  const frames: any[] = [];
  ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
  await new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  const next = async (type: string) => {
    for (let i = 0; i < 400; i++) {
      const f = frames.find((x) => x.type === type || x.type === 'error');
      if (f) {
        frames.splice(frames.indexOf(f), 1);
        return f;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ${type} frame; got ${JSON.stringify(frames)}`);
  };
  ws.send(JSON.stringify({ type: 'hello', account: 'acme' }));
  assert.equal((await next('welcome')).type, 'welcome');
  ws.send(JSON.stringify({ type: 'start', name: 'Vera', email: 'vera@example.de', lang: 'de', text: 'Hallo, mein Zelt hat ein Loch', clientId: 'c1' }));
  const ack = await next('ack');
  assert.equal(ack.type, 'ack', JSON.stringify(ack));
  const id = ack.conversationId;
  tick(MIN);
  await env.req('POST', `/api/v1/conversations/${id}/replies`, { token: env.tokens.agent, body: { text: 'Wir schicken Ihnen ein neues.', status: 'solved' } });
  await runJobs();
  const prompt = await next('survey');
  assert.equal(prompt.type, 'survey', JSON.stringify(prompt));
  assert.equal(prompt.conversationId, id);
  assert.equal(prompt.language, 'de');
  assert.match(prompt.question, /Wie zufrieden/);
  assert.deepEqual(prompt.labels, ['Sehr unzufrieden', 'Unzufrieden', 'Neutral', 'Zufrieden', 'Sehr zufrieden']);
  assert.equal((await survey(id)).route, 'chat');
  assert.equal((await surveyMailsTo('vera@example.de')).length, 0, 'no email while the visitor is there');
  ws.send(JSON.stringify({ type: 'rate', score: 7 }));
  assert.equal((await next('rated')).code, 'validation');
  ws.send(JSON.stringify({ type: 'rate', score: 4, comment: 'Sehr nett' }));
  const rated = await next('rated');
  assert.deepEqual(rated, { type: 'rated', conversationId: id, score: 4, thanks: 'Vielen Dank für Ihre Antwort!' });
  assert.deepEqual(await rating(id), { score: 4, comment: 'Sehr nett', source: 'chat' });
  ws.close();
  // A chat whose visitor has gone is asked by email instead.
  await env.db.query(`UPDATE chat_conversations SET disconnected_at = now() WHERE conversation_id <> $1`, [id]);
});

test('report and points: lived journey wait (an abandoned call before the chat) beside the reported queue wait', async () => {
  // Customer calls at T, gives up after 4 minutes; opens a chat at T+6 min that an agent answers at T+8 min.
  tick(DAY);
  const T = now;
  tick(6 * MIN);
  const c = await env.req('POST', '/api/v1/conversations', {
    body: convBody({ channel: 'chat', customer: { email: 'jonas@example.com', name: 'Jonas Journey' }, message: { text: 'I called earlier and nobody answered' } }),
  });
  assert.equal(c.status, 201);
  const ev = await env.req('POST', '/api/v1/contact-events', {
    body: {
      events: [
        { contactId: 'call-jonas', type: 'contact.arrived', channel: 'phone', occurredAt: new Date(T).toISOString(), customerId: c.json.customer.id },
        { contactId: 'call-jonas', type: 'queue.entered', channel: 'phone', occurredAt: new Date(T + 30_000).toISOString() },
        { contactId: 'call-jonas', type: 'contact.abandoned', channel: 'phone', occurredAt: new Date(T + 4 * MIN).toISOString() },
      ],
    },
  });
  assert.equal(ev.status, 201, JSON.stringify(ev.json));
  tick(2 * MIN);
  await env.req('POST', `/api/v1/conversations/${c.json.id}/replies`, { token: env.tokens.agent, body: { text: 'Sorry for the wait!', status: 'solved' } });
  await runJobs();
  await runJobs();
  const t = tokenIn((await surveyMailsTo('jonas@example.com'))[0].text_body);
  assert.equal((await page('POST', `/survey/${t}`, { score: '2', comment: 'Took ages' })).statusCode, 200);

  const pts = await env.req('GET', `/api/v1/csat/points?from=${new Date(day.getTime() - DAY).toISOString()}`, { token: env.tokens.leader });
  assert.equal(pts.status, 200, JSON.stringify(pts.json));
  const pt = pts.json.points.find((x: any) => x.conversationId === c.json.id);
  assert.equal(pt.score, 2);
  assert.equal(pt.livedWaitSeconds, 480, 'first touch of the call until the agent answered the chat');
  assert.equal(pt.journeys.length, 1);
  assert.equal(pt.journeys[0].attempts, 2);
  assert.deepEqual([...pt.journeys[0].contactIds].sort(), ['call-jonas', c.json.id].sort());
  assert.ok(pt.queueWaitSeconds === null || pt.queueWaitSeconds < 480, `reported ${pt.queueWaitSeconds}`);
  const b = pts.json.buckets.find((x: any) => x.key === '5to15m');
  assert.ok(b.responses >= 1);
  // The German survey earlier: answered 3 minutes after the first touch → < 5 min buckets.
  const quick = pts.json.points.filter((x: any) => x.livedWaitSeconds !== null && x.livedWaitSeconds < 300);
  assert.ok(quick.length >= 3, JSON.stringify(pts.json.points.map((x: any) => x.livedWaitSeconds)));

  const all = `from=${new Date(day.getTime() - DAY).toISOString()}&to=${new Date(now + DAY).toISOString()}`;
  const rep = await env.req('GET', `/api/v1/csat/report?${all}`, { token: env.tokens.leader });
  assert.equal(rep.status, 200);
  const scores = (await env.db.query<{ score: number }>('SELECT score FROM conversation_ratings')).rows.map((r) => r.score);
  assert.equal(rep.json.responses, scores.length);
  assert.equal(rep.json.average, Math.round((100 * scores.reduce((a, b) => a + b, 0)) / scores.length) / 100);
  assert.equal(rep.json.csat, Math.round((1000 * scores.filter((s) => s >= 4).length) / scores.length) / 10);
  assert.ok(rep.json.surveys.sent >= 6);
  assert.ok(rep.json.responseRate > 0 && rep.json.responseRate < 100);
  assert.equal(rep.json.byChannel.find((x: any) => x.channel === 'chat').responses, 2);
  assert.ok(rep.json.comments.some((x: any) => x.conversationId === c.json.id && x.comment === 'Took ages'));
  const chatOnly = await env.req('GET', '/api/v1/csat/report?channel=chat');
  assert.equal(chatOnly.json.responses, 2);
  const chatPts = await env.req('GET', '/api/v1/csat/points?channel=chat');
  assert.equal(chatPts.json.points.length, 2);
  assert.equal((await env.req('GET', '/api/v1/csat/report?from=soon')).status, 400);
  assert.equal((await env.req('GET', '/api/v1/csat/report', { token: env.tokens.agent })).status, 403);
  assert.equal((await env.req('GET', '/api/v1/csat/points', { token: env.tokens.agent })).status, 403);
});

test('the widget loads the satisfaction prompt script from the server (other origins may load it)', async () => {
  const r = await env.req('GET', '/csat-widget.js', { token: '' });
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^application\/javascript/);
  assert.equal(r.headers['cross-origin-resource-policy'], 'cross-origin');
  assert.match(r.body, /window\.__earshotSurvey = show/);
  assert.match(r.body, /type: 'rate', score: score/);
  const again = await env.req('GET', '/csat-widget.js', { token: '', headers: { 'if-none-match': String(r.headers.etag) } });
  assert.equal(again.status, 304);
  const widget = await env.req('GET', '/widget.js', { token: '' });
  assert.match(widget.body, /\/csat-widget\.js/);
});
