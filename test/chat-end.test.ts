/**
 * Ending a chat (issue 13 item 11), at the protocol level against the app on a loopback port with the real SMTP sink:
 * the visitor ends the chat asking for the transcript by email (it arrives, in the conversation's language, without
 * internal notes); satisfaction is asked in the widget at once, not by email ten minutes later; an agent solving while
 * the visitor is connected asks at once too, while a visitor who has gone is asked by email after the delay.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { simpleParser, type ParsedMail } from 'mailparser';
import { setup, type TestEnv } from './helpers.js';
import { startSmtpSink, type SmtpSink } from './dovecot.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';

let env: TestEnv;
let sink: SmtpSink;
let port = 0;
// The app clock starts tomorrow 10:00 UTC and only moves forward, so every job queued is due when we say.
const day = new Date();
day.setUTCDate(day.getUTCDate() + 1);
day.setUTCHours(10, 0, 0, 0);
let now = day.getTime();
const tick = (ms: number) => {
  now += ms;
  env.clock.now = new Date(now);
};
const runJobs = (ahead = 1000) => env.app.jobs.runDue(new Date(now + ahead));
const MIN = 60_000;

class Visitor {
  frames: any[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => this.frames.push(JSON.parse(raw.toString())));
  }
  static async open(): Promise<Visitor> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/chat/socket`);
    await new Promise((res, rej) => {
      ws.once('open', res);
      ws.once('error', rej);
    });
    return new Visitor(ws);
  }
  send(f: Record<string, unknown>) {
    this.ws.send(JSON.stringify(f));
  }
  async next(type: string, ms = 8000): Promise<any> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const f = this.frames.find((x) => x.type === type || x.type === 'error');
      if (f) {
        this.frames.splice(this.frames.indexOf(f), 1);
        return f;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ${type} frame; got ${JSON.stringify(this.frames).slice(0, 1500)}`);
  }
  async close() {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const done = new Promise((r) => this.ws.once('close', r));
    this.ws.close();
    await done;
  }
}

/** A visitor with a chat an agent answered; returns the socket and the conversation id. */
async function answeredChat(text: string, lang = 'en', email?: string) {
  const v = await Visitor.open();
  v.send({ type: 'hello', account: 'acme' });
  assert.equal((await v.next('welcome')).type, 'welcome');
  v.send({ type: 'start', name: 'Vera Visitor', email, lang, text, clientId: `c-${Math.random().toString(36).slice(2)}` });
  const ack = await v.next('ack');
  assert.equal(ack.type, 'ack', JSON.stringify(ack));
  tick(MIN);
  const r = await env.req('POST', `/api/v1/conversations/${ack.conversationId}/replies`, { token: env.tokens.agent, body: { text: 'Das Ersatzgestänge ist unterwegs.' } });
  assert.equal(r.status, 201);
  assert.equal((await v.next('message')).from, 'visitor');
  assert.equal((await v.next('message')).from, 'agent');
  return { v, id: ack.conversationId as string };
}

async function sinkMail(pred: (m: ParsedMail) => boolean, what: string): Promise<ParsedMail> {
  for (let i = 0; i < 300; i++) {
    await runJobs();
    for (const m of sink.messages) {
      const p = await simpleParser(m.raw);
      if (pred(p)) return p;
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`no ${what} in the SMTP sink`);
}
const surveys = async (id: string) => (await env.db.query<any>('SELECT route, language FROM csat_surveys WHERE conversation_id = $1', [id])).rows;

before(async () => {
  sink = await startSmtpSink();
  env = await setup({ smtpOutboundUrl: sink.url, publicRateLimit: 1000 });
  tick(0);
  const p = systemPrincipal(env.accountId);
  await env.db.query(`INSERT INTO mailboxes (account_id, address, name) VALUES ($1, 'support@acme.test', 'Acme Support')`, [env.accountId]);
  const agent = await accounts.addUser(env.ctx, p, { email: 'agent@acme.test', name: 'Agnes Agent', role: 'agent' });
  await env.db.query(`UPDATE users SET presence = 'available' WHERE id = $1`, [agent.id]);
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  port = (env.app.server.address() as any).port;
});
after(async () => {
  await env.close();
  await sink.close();
});

test('ending a chat with the transcript by email: the mail arrives in the conversation language; satisfaction is asked in the widget at once', async () => {
  const { v, id } = await answeredChat('Hallo, mein Zeltgestänge ist gebrochen. Können Sie mir helfen?', 'en');
  await env.req('POST', `/api/v1/conversations/${id}/notes`, { token: env.tokens.agent, body: { text: 'intern: Lager prüfen' } });
  // A bad address is refused, naming the field, and the chat goes on.
  v.send({ type: 'leave', transcript: 'not an address' });
  const bad = await v.next('ended');
  assert.equal(bad.type, 'error');
  assert.equal(bad.field, 'email');
  assert.equal((await env.db.query('SELECT ended_at FROM chat_conversations WHERE conversation_id = $1', [id])).rows[0].ended_at, null);

  v.send({ type: 'leave', transcript: ' Vera@Example.DE ' });
  const ended = await v.next('ended');
  assert.deepEqual(ended, { type: 'ended', conversationId: id, outcome: 'left', transcript: 'vera@example.de' });
  // The satisfaction prompt follows at once (no solve, no ten-minute wait), in German, for this chat.
  const prompt = await v.next('survey');
  assert.equal(prompt.type, 'survey', JSON.stringify(prompt));
  assert.equal(prompt.conversationId, id);
  assert.equal(prompt.language, 'de');
  assert.deepEqual(await surveys(id), [{ route: 'chat', language: 'de' }]);

  const mail = await sinkMail((m) => /Ihr Chat mit/.test(m.subject ?? ''), 'transcript');
  assert.deepEqual((mail.to as any).value.map((a: any) => a.address), ['vera@example.de']);
  assert.match(mail.subject ?? '', /^Ihr Chat mit Test acme vom /);
  assert.match(mail.text ?? '', /Sie: Hallo, mein Zeltgestänge ist gebrochen/);
  assert.match(mail.text ?? '', /Kundenservice: Das Ersatzgestänge ist unterwegs\./);
  assert.doesNotMatch(mail.text ?? '', /intern: Lager/, 'internal notes are not in the transcript');
  assert.doesNotMatch(mail.text ?? '', /\/survey\//, 'no survey mail: the visitor was asked in the widget');

  // The answer names its chat (the socket has left it) and is stored; another session cannot answer it.
  const other = await Visitor.open();
  other.send({ type: 'hello', account: 'acme' });
  await other.next('welcome');
  other.send({ type: 'rate', score: 1, conversationId: id });
  assert.equal((await other.next('rated')).code, 'no_survey');
  v.send({ type: 'rate', score: 5, comment: 'Sehr schnell', conversationId: id });
  assert.deepEqual(await v.next('rated'), { type: 'rated', conversationId: id, score: 5, thanks: 'Vielen Dank für Ihre Antwort!' });
  const rating = await env.db.query<any>('SELECT score, comment, source FROM conversation_ratings WHERE conversation_id = $1', [id]);
  assert.deepEqual(rating.rows, [{ score: 5, comment: 'Sehr schnell', source: 'chat' }]);
  // Solving later asks nothing more.
  tick(MIN);
  await env.req('PATCH', `/api/v1/conversations/${id}`, { token: env.tokens.agent, body: { status: 'solved' } });
  await runJobs(20 * MIN);
  assert.equal((await surveys(id)).length, 1);
  await v.close();
  await other.close();
});

test('ending without a transcript sends no mail; an unanswered chat is not asked for satisfaction', async () => {
  const before = sink.messages.length;
  const v = await Visitor.open();
  v.send({ type: 'hello', account: 'acme' });
  await v.next('welcome');
  v.send({ type: 'start', name: 'Nina', lang: 'nb', text: 'Hei, jeg lurer på noe', clientId: 'c-unanswered' });
  const { conversationId: id } = await v.next('ack');
  v.send({ type: 'leave' });
  assert.deepEqual(await v.next('ended'), { type: 'ended', conversationId: id, outcome: 'abandoned' });
  await runJobs();
  assert.equal(sink.messages.length, before);
  assert.deepEqual(await surveys(id), []);
  assert.equal(v.frames.filter((f) => f.type === 'survey').length, 0);
  await v.close();
});

test('solved while the visitor is connected: asked in the widget at once despite the 10-minute delay; a visitor who has gone gets the email after the delay', async () => {
  const settings = await env.req('GET', '/api/v1/csat/settings');
  assert.equal(settings.json.delayMinutes, 10, 'the default delay');
  const { v, id } = await answeredChat('Hi, my stove leaks gas. What can I do?', 'en', 'sam@example.com');
  tick(MIN);
  await env.req('PATCH', `/api/v1/conversations/${id}`, { token: env.tokens.agent, body: { status: 'solved' } });
  await runJobs(); // now, not ten minutes later
  const prompt = await v.next('survey');
  assert.equal(prompt.type, 'survey', JSON.stringify(prompt));
  assert.deepEqual(await surveys(id), [{ route: 'chat', language: 'en' }]);
  await v.close();

  const gone = await answeredChat('Hi, the zip of my tent is broken. Can you repair it?', 'en', 'gone@example.com');
  await gone.v.close();
  for (let i = 0; i < 200; i++) {
    const r = await env.db.query('SELECT 1 FROM chat_conversations WHERE conversation_id = $1 AND disconnected_at IS NOT NULL', [gone.id]);
    if (r.rows.length) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  tick(MIN);
  await env.req('PATCH', `/api/v1/conversations/${gone.id}`, { token: env.tokens.agent, body: { status: 'solved' } });
  await runJobs();
  assert.deepEqual(await surveys(gone.id), [], 'not yet: the delay is for visitors who have gone');
  tick(10 * MIN);
  await runJobs();
  assert.deepEqual(await surveys(gone.id), [{ route: 'email', language: 'en' }]);
  const mail = await sinkMail((m) => (m.to as any)?.value?.some((a: any) => a.address === 'gone@example.com') && /\/survey\//.test(m.text ?? ''), 'survey mail');
  assert.match(mail.subject ?? '', /^How did we do\?/);
});
