/**
 * Chat channel against the app listening on a loopback port, with real WebSocket clients (ws): opening a chat, agent
 * replies through the API reaching the visitor, de-duplication by client id, resume after reconnect, availability and
 * the fallback to email, leaving and abandonment (contact events, waits report), visitor token checks, uploads, typing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { setup, type TestEnv } from './helpers.js';
import { systemPrincipal } from '../src/platform/context.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';
import * as queues from '../src/modules/queues/queues.service.js';
import { GRACE_MS } from '../src/modules/channels/chat/chat.service.js';

let env: TestEnv;
let port = 0;
let agentId = '';
const WED_NOON = new Date('2026-11-25T12:00:00Z'); // a Wednesday, inside Mon–Fri 09–17 UTC

class Visitor {
  frames: any[] = [];
  private taken = new Set<any>();
  private waiters: (() => void)[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      this.frames.push(JSON.parse(raw.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(): Promise<Visitor> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/chat/socket`);
    await new Promise((res, rej) => {
      ws.once('open', res);
      ws.once('error', rej);
    });
    return new Visitor(ws);
  }
  send(frame: Record<string, unknown>) {
    this.ws.send(JSON.stringify(frame));
  }
  /** The next not yet taken frame matching pred. */
  async next(pred: (f: any) => boolean, what = 'frame', ms = 8000): Promise<any> {
    const deadline = Date.now() + ms;
    for (;;) {
      const f = this.frames.find((x) => !this.taken.has(x) && pred(x));
      if (f) {
        this.taken.add(f);
        return f;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} arrived; frames: ${JSON.stringify(this.frames).slice(0, 2000)}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }
  async hello(extra: Record<string, unknown> = {}) {
    this.send({ type: 'hello', account: 'acme', ...extra });
    return this.next((f) => f.type === 'welcome' || f.type === 'error', 'welcome');
  }
  async close() {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const done = new Promise((r) => this.ws.once('close', r));
    this.ws.close();
    await done;
  }
  messages() {
    return this.frames.filter((f) => f.type === 'message');
  }
}

async function events(conversationId: string) {
  const r = await env.db.query<{ type: string; channel: string }>(
    'SELECT type, channel FROM contact_events WHERE conversation_id = $1 ORDER BY id',
    [conversationId],
  );
  return r.rows;
}
const agentReply = (conversationId: string, text: string) =>
  env.req('POST', `/api/v1/conversations/${conversationId}/replies`, { token: env.tokens.agent, body: { text } });

async function startChat(v: Visitor, text: string, extra: Record<string, unknown> = {}) {
  const w = await v.hello({ queue: 'Support' });
  assert.equal(w.type, 'welcome');
  v.send({ type: 'start', name: 'Vera Visitor', clientId: `c-start-${Math.random().toString(36).slice(2)}`, text, ...extra });
  const ack = await v.next((f) => f.type === 'ack', 'ack');
  return { welcome: w, ack, conversationId: ack.conversationId as string };
}

/** Waits until the job queue has a due job of this kind (the socket close handler writes it asynchronously). */
/** Waits until the socket's close has enqueued this conversation's job (earlier tests leave jobs of the same kind). */
async function waitForJob(kind: string, conversationId: string) {
  for (let i = 0; i < 200; i++) {
    const r = await env.db.query(`SELECT 1 FROM jobs WHERE kind = $1 AND payload->>'conversationId' = $2`, [kind, conversationId]);
    if (r.rows.length) return;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`no ${kind} job was enqueued`);
}

before(async () => {
  env = await setup({ publicRateLimit: 1000 });
  env.clock.now = WED_NOON;
  const p = systemPrincipal(env.accountId);
  const agent = await accounts.addUser(env.ctx, p, { email: 'agent@acme.test', name: 'Agnes Agent', role: 'agent' });
  agentId = agent.id;
  await env.db.query(`UPDATE users SET presence = 'available' WHERE id = $1`, [agentId]);
  const team = await accounts.createTeam(env.ctx, p, { name: 'Chat team', memberIds: [agentId] });
  const week = { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] };
  await queues.createQueue(env.ctx, p, { name: 'Support', timezone: 'UTC', teamId: team.id, businessHours: { week } as any, assignment: 'round_robin' });
  await queues.createQueue(env.ctx, p, { name: 'Weekend', timezone: 'UTC', teamId: team.id, businessHours: { week: { sat: [['09:00', '17:00']] } } as any });
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  port = (env.app.server.address() as any).port;
});
after(() => env.close());

test('a chat opens a chat conversation with its contact events; the agent reply and typing reach the visitor', async () => {
  const v = await Visitor.open();
  const { welcome, conversationId } = await startChat(v, 'Hello, my tent has a hole', { email: 'vera@example.com', lang: 'en' });
  assert.match(welcome.visitorToken, /^cv_/);
  assert.deepEqual(welcome.availability, { available: true });
  const first = await v.next((f) => f.type === 'message' && f.seq === 1, 'own message');
  assert.equal(first.from, 'visitor');
  assert.equal(first.text, 'Hello, my tent has a hole');

  const conv = await env.req('GET', `/api/v1/conversations/${conversationId}`);
  assert.equal(conv.json.channel, 'chat');
  assert.equal(conv.json.customer.name, 'Vera Visitor');
  assert.ok(conv.json.customer.identities.some((i: any) => i.kind === 'email' && i.value === 'vera@example.com'));
  assert.equal(conv.json.assigneeId, agentId, 'the available agent of the queue team is assigned');
  const types = (await events(conversationId)).map((e) => e.type);
  for (const t of ['contact.arrived', 'queue.entered', 'agent.offered']) assert.ok(types.includes(t), `${t} in ${types}`);
  assert.ok((await events(conversationId)).filter((e) => e.type === 'contact.arrived').every((e) => e.channel === 'chat'));

  // Agent typing → visitor; visitor typing → agents' realtime channel (as chat.typing).
  const typing = await env.req('POST', `/api/v1/conversations/${conversationId}/typing`, { token: env.tokens.agent, body: { on: true } });
  assert.equal(typing.status, 204);
  assert.deepEqual(await v.next((f) => f.type === 'typing', 'typing'), { type: 'typing', on: true });
  const seenByAgents = new Promise<any>((resolve) => {
    let stop: (() => Promise<void>) | null = null;
    void env.db.listen('earshot_changes', (payload) => {
      const c = JSON.parse(payload);
      if (c.type === 'chat.typing' && c.from === 'visitor') {
        void stop?.();
        resolve(c);
      }
    }).then((s) => (stop = s));
  });
  await new Promise((r) => setTimeout(r, 50));
  v.send({ type: 'typing', on: true });
  const change = await seenByAgents;
  assert.equal(change.conversationId, conversationId);
  assert.equal(change.on, true);

  const r = await agentReply(conversationId, 'Sorry to hear that! Which model is it?');
  assert.equal(r.status, 201);
  const m = await v.next((f) => f.type === 'message' && f.from === 'agent', 'agent reply');
  assert.equal(m.seq, 2);
  assert.equal(m.id, r.json.id);
  assert.equal(m.text, 'Sorry to hear that! Which model is it?');
  // Internal notes never reach the visitor.
  const note = await env.req('POST', `/api/v1/conversations/${conversationId}/notes`, { token: env.tokens.agent, body: { text: 'internal: check stock' } });
  assert.equal(note.status, 201);
  await agentReply(conversationId, 'Second reply');
  const m3 = await v.next((f) => f.type === 'message' && f.seq === 3, 'third message');
  assert.equal(m3.text, 'Second reply');
  assert.ok(!v.messages().some((f) => f.text.includes('internal')), 'notes are not sent to the visitor');
  const answered = (await events(conversationId)).filter((e) => e.type === 'contact.answered');
  assert.equal(answered.length, 1);
  await v.close();
});

test("the widget's queue (data-queue: the id the Channels screen puts in the snippet) routes the chat with its SLA; the language is what the visitor writes, not the browser's", async () => {
  const p = systemPrincipal(env.accountId);
  const sla = await queues.createSlaPolicy(env.ctx, p, { name: 'Chat SLA', firstReplyMinutes: 30, nextReplyMinutes: null, resolutionMinutes: 600, businessHours: true });
  const q = await queues.createQueue(env.ctx, p, { name: 'Chat Deutsch', timezone: 'Europe/Berlin', slaPolicyId: sla.id });
  const cases = [
    { text: 'Hallo, mein Zelt ist noch nicht angekommen. Ich habe es vor zwei Wochen bestellt.', lang: 'en', want: 'de' },
    { text: 'Hei, jeg har ikke fått teltet mitt ennå. Kan dere sjekke det?', lang: 'en', want: 'nb' },
    // Too little to tell: the browser's language stands.
    { text: '???', lang: 'de', want: 'de' },
  ];
  for (const c of cases) {
    const v = await Visitor.open();
    const w = await v.hello({ queue: q.id });
    assert.equal(w.type, 'welcome');
    v.send({ type: 'start', name: 'Vera', clientId: `c-lang-${c.want}${c.text.length}`, lang: c.lang, text: c.text });
    const ack = await v.next((f) => f.type === 'ack', 'ack');
    const conv = (await env.req('GET', `/api/v1/conversations/${ack.conversationId}`)).json;
    assert.equal(conv.queueId, q.id, 'routed to the queue of the snippet');
    assert.equal(conv.language, c.want, c.text);
    assert.equal(conv.customer.language, c.want, c.text);
    assert.equal(new Date(conv.sla.firstReplyDueAt).getTime(), WED_NOON.getTime() + 30 * 60_000, 'the queue’s SLA clock runs');
    assert.ok(conv.sla.resolutionDueAt);
    await v.close();
  }
  // A queue of another account is refused, whether named by id or by name.
  const other = await env.makeAccount('other-chat');
  const foreign = await queues.createQueue(env.ctx, systemPrincipal(other.accountId), { name: 'Foreign' });
  for (const queue of [foreign.id, 'Foreign']) {
    const v = await Visitor.open();
    v.send({ type: 'hello', account: 'acme', queue });
    const err = await v.next((f) => f.type === 'error', 'error');
    assert.equal(err.code, 'validation');
    assert.equal(err.field, 'queue');
    await v.close();
  }
});

test('the same client id sent twice is stored once and acknowledged with the same message id', async () => {
  const v = await Visitor.open();
  const { conversationId } = await startChat(v, 'First');
  v.send({ type: 'message', clientId: 'dup-1', text: 'only once please' });
  v.send({ type: 'message', clientId: 'dup-1', text: 'only once please' });
  const a1 = await v.next((f) => f.type === 'ack' && f.clientId === 'dup-1', 'ack 1');
  const a2 = await v.next((f) => f.type === 'ack' && f.clientId === 'dup-1', 'ack 2');
  assert.equal(a1.messageId, a2.messageId);
  // A resent start frame (lost ack) is a duplicate too.
  const startFrame = { type: 'start', name: 'Vera', clientId: 'start-again', text: 'x' };
  v.send(startFrame);
  v.send(startFrame);
  const s1 = await v.next((f) => f.type === 'ack' && f.clientId === 'start-again', 'ack s1');
  const s2 = await v.next((f) => f.type === 'ack' && f.clientId === 'start-again', 'ack s2');
  assert.equal(s1.messageId, s2.messageId);
  assert.equal(s1.conversationId, conversationId, 'a start while a chat is open continues that chat');
  const conv = await env.req('GET', `/api/v1/conversations/${conversationId}`);
  assert.equal(conv.json.messages.filter((m: any) => m.text === 'only once please').length, 1);
  assert.equal(conv.json.messages.length, 3);
  await v.next((f) => f.type === 'message' && f.seq === 3, 'seq 3');
  await v.close();
});

test('a reconnect with lastSeq replays exactly the missed messages, and the token resumes the chat', async () => {
  const v = await Visitor.open();
  const { welcome, conversationId } = await startChat(v, 'Will reconnect');
  await v.next((f) => f.type === 'message' && f.seq === 1, 'seq 1');
  await agentReply(conversationId, 'reply one');
  await v.next((f) => f.type === 'message' && f.seq === 2, 'seq 2');
  await v.close();
  // While the visitor is away: two agent replies.
  // (The clock moves between them: seqs follow the messages' time order, and this test's clock is frozen otherwise.)
  env.clock.now = new Date(WED_NOON.getTime() + 1000);
  await agentReply(conversationId, 'missed A');
  env.clock.now = new Date(WED_NOON.getTime() + 2000);
  await agentReply(conversationId, 'missed B');
  env.clock.now = new Date(WED_NOON.getTime() + 3000);

  const back = await Visitor.open();
  const w = await back.hello({ visitorToken: welcome.visitorToken, conversationId, lastSeq: 2 });
  assert.equal(w.conversationId, conversationId);
  assert.equal(w.visitorToken, welcome.visitorToken);
  await back.next((f) => f.type === 'message' && f.seq === 4, 'seq 4');
  back.send({ type: 'message', clientId: 'after-back', text: 'I am back' });
  await back.next((f) => f.type === 'message' && f.seq === 5, 'seq 5');
  assert.deepEqual(back.messages().map((m) => [m.seq, m.text]), [[3, 'missed A'], [4, 'missed B'], [5, 'I am back']]);

  // A fresh page (lastSeq 0) gets the whole chat once, in order.
  const reload = await Visitor.open();
  await reload.hello({ visitorToken: welcome.visitorToken });
  await reload.next((f) => f.type === 'message' && f.seq === 5, 'full replay');
  assert.deepEqual(reload.messages().map((m) => m.seq), [1, 2, 3, 4, 5]);
  env.clock.now = WED_NOON;
  // A disconnect inside the grace period: nothing is abandoned.
  await env.app.jobs.runDue(new Date(WED_NOON.getTime() + GRACE_MS + 60_000));
  assert.ok(!(await events(conversationId)).some((e) => e.type === 'contact.abandoned'));
  await back.close();
  await reload.close();
});

test('with no agent available or outside business hours the chat needs an email and becomes an email conversation', async () => {
  // Outside business hours (Wednesday, the Weekend queue is open on Saturdays only).
  const v = await Visitor.open();
  const w = await v.hello({ queue: 'Weekend' });
  assert.deepEqual(w.availability, { available: false, reason: 'closed' });
  v.send({ type: 'start', name: 'Night Owl', clientId: 'no-mail', text: 'Anyone there?' });
  const err = await v.next((f) => f.type === 'error', 'email_required');
  assert.equal(err.code, 'email_required');
  assert.equal(err.clientId, 'no-mail');
  v.send({ type: 'start', name: 'Night Owl', email: 'owl@example.com', clientId: 'with-mail', text: 'Anyone there?' });
  const ack = await v.next((f) => f.type === 'ack', 'ack');
  await v.next((f) => f.type === 'moved_to_email', 'moved_to_email');
  const conv = await env.req('GET', `/api/v1/conversations/${ack.conversationId}`);
  assert.equal(conv.json.channel, 'email', 'agent replies go out by email');
  const arrived = (await events(ack.conversationId)).find((e) => e.type === 'contact.arrived');
  assert.equal(arrived?.channel, 'chat', 'the contact stays a chat contact');
  // Leaving an email conversation is not abandoning it: the answer comes by email.
  v.send({ type: 'leave' });
  assert.equal((await v.next((f) => f.type === 'ended', 'ended')).outcome, 'left');
  await v.close();

  // No agent available: everyone offline.
  await env.db.query(`UPDATE users SET presence = 'offline' WHERE id = $1`, [agentId]);
  try {
    const v2 = await Visitor.open();
    const w2 = await v2.hello({ queue: 'Support' });
    assert.deepEqual(w2.availability, { available: false, reason: 'no_agent' });
    v2.send({ type: 'start', email: 'late@example.com', clientId: 'offline-1', text: 'Hello?' });
    const a2 = await v2.next((f) => f.type === 'ack', 'ack');
    await v2.next((f) => f.type === 'moved_to_email', 'moved_to_email');
    assert.equal((await env.req('GET', `/api/v1/conversations/${a2.conversationId}`)).json.channel, 'email');
    await v2.close();
  } finally {
    await env.db.query(`UPDATE users SET presence = 'available' WHERE id = $1`, [agentId]);
  }
});

test('leaving before an answer is an abandoned contact (events, tag, waits report); after an answer it is not', async () => {
  const before = await env.req('GET', '/api/v1/reports/waits?channel=chat&from=2026-11-25&to=2026-11-26', { token: env.tokens.supervisor });
  assert.equal(before.status, 200);

  const v = await Visitor.open();
  const { conversationId } = await startChat(v, 'Nobody answers me');
  v.send({ type: 'leave' });
  assert.equal((await v.next((f) => f.type === 'ended', 'ended')).outcome, 'abandoned');
  const evs = await events(conversationId);
  assert.deepEqual(evs.filter((e) => e.type === 'contact.abandoned').map((e) => e.channel), ['chat']);
  const conv = await env.req('GET', `/api/v1/conversations/${conversationId}`);
  assert.ok(conv.json.tags.includes('abandoned'));

  const v2 = await Visitor.open();
  const b = await startChat(v2, 'I get an answer');
  await agentReply(b.conversationId, 'Here is your answer');
  await v2.next((f) => f.type === 'message' && f.from === 'agent', 'answer');
  v2.send({ type: 'leave' });
  assert.equal((await v2.next((f) => f.type === 'ended', 'ended')).outcome, 'left');
  assert.ok(!(await events(b.conversationId)).some((e) => e.type === 'contact.abandoned'));
  assert.ok(!(await env.req('GET', `/api/v1/conversations/${b.conversationId}`)).json.tags.includes('abandoned'));

  const after = await env.req('GET', '/api/v1/reports/waits?channel=chat&from=2026-11-25&to=2026-11-26', { token: env.tokens.supervisor });
  assert.equal(after.json.contacts, before.json.contacts + 2);
  assert.equal(after.json.abandonedInQueue, before.json.abandonedInQueue + 1);
  assert.equal(after.json.answered, before.json.answered + 1);
  await v.close();
  await v2.close();
});

test('a visitor who disconnects unanswered and stays away past the grace period is abandoned by the grace job', async () => {
  const v = await Visitor.open();
  const { conversationId } = await startChat(v, 'Connection about to drop');
  await v.close();
  await waitForJob('chat.grace', conversationId);
  // Not yet due: nothing happens.
  await env.app.jobs.runDue(new Date(WED_NOON.getTime() + GRACE_MS / 2));
  assert.ok(!(await events(conversationId)).some((e) => e.type === 'contact.abandoned'));
  await env.app.jobs.runDue(new Date(WED_NOON.getTime() + GRACE_MS + 1000));
  assert.equal((await events(conversationId)).filter((e) => e.type === 'contact.abandoned').length, 1);
  // Running the job again changes nothing.
  await env.app.jobs.runDue(new Date(WED_NOON.getTime() + 10 * GRACE_MS));
  assert.equal((await events(conversationId)).filter((e) => e.type === 'contact.abandoned').length, 1);
});

test("visitor tokens: one visitor cannot read another's chat; tokens are per account; bad frames are refused", async () => {
  const a = await Visitor.open();
  const chatA = await startChat(a, 'secret of visitor A');
  const b = await Visitor.open();
  const wb = await b.hello({ conversationId: chatA.conversationId, lastSeq: 0 });
  assert.notEqual(wb.visitorToken, chatA.welcome.visitorToken);
  assert.equal(wb.conversationId, null, 'naming a conversation id without its token opens nothing');
  b.send({ type: 'message', clientId: 'b-1', text: 'let me in' });
  assert.equal((await b.next((f) => f.type === 'error', 'no_chat')).code, 'no_chat');
  await agentReply(chatA.conversationId, 'for A only');
  await a.next((f) => f.type === 'message' && f.text === 'for A only', 'A gets it');
  assert.ok(!b.messages().length, 'B sees nothing of A');
  // A made-up token is a new visitor.
  const c = await Visitor.open();
  const wc = await c.hello({ visitorToken: `cv_${'x'.repeat(32)}` });
  assert.equal(wc.conversationId, null);
  assert.notEqual(wc.visitorToken, `cv_${'x'.repeat(32)}`);
  // A's token at another account is not A.
  await env.makeAccount('other');
  const d = await Visitor.open();
  d.send({ type: 'hello', account: 'other', visitorToken: chatA.welcome.visitorToken });
  const wd = await d.next((f) => f.type === 'welcome', 'welcome');
  assert.equal(wd.conversationId, null);
  assert.notEqual(wd.visitorToken, chatA.welcome.visitorToken);
  // Unknown account, frames before hello, junk.
  const e = await Visitor.open();
  e.send({ type: 'message', clientId: 'x', text: 'hi' });
  assert.equal((await e.next((f) => f.type === 'error', 'hello_first')).code, 'hello_first');
  e.ws.send('not json');
  assert.equal((await e.next((f) => f.type === 'error' && f.code === 'bad_frame', 'bad_frame')).code, 'bad_frame');
  e.send({ type: 'hello', account: 'no-such-account' });
  assert.equal((await e.next((f) => f.type === 'error' && f.code === 'unknown_account', 'unknown_account')).code, 'unknown_account');
  // Agent typing needs an agent and a conversation of the agent's account.
  assert.equal((await env.req('POST', `/api/v1/conversations/${chatA.conversationId}/typing`, { token: '', body: { on: true } })).status, 401);
  const other = await env.req('GET', '/api/v1/conversations?limit=1');
  assert.equal(other.status, 200);
  const foreign = await env.makeAccount('foreign');
  assert.equal((await env.req('POST', `/api/v1/conversations/${chatA.conversationId}/typing`, { token: foreign.tokens.agent, body: { on: true } })).status, 404);
  for (const x of [a, b, c, d, e]) await x.close();
});

test("an email typed into the chat form never joins another customer's record: a visitor cannot add their own address to someone else's customer (portal sign-in)", async () => {
  // The victim is a customer already (an email conversation of theirs).
  const victim = await env.req('POST', '/api/v1/conversations', {
    token: env.tokens.agent,
    body: { customer: { email: 'victim@example.org', name: 'Victor Victim' }, channel: 'email', subject: 'My private order', message: { text: 'my address is …' } },
  });
  assert.equal(victim.status, 201);
  const victimCustomer = victim.json.customer?.id ?? victim.json.customerId;
  // The attacker chats once claiming the victim's address, leaves, then chats again with their own address.
  const v = await Visitor.open();
  await startChat(v, 'hello, it is me', { email: 'victim@example.org' });
  v.send({ type: 'leave' });
  await v.next((f) => f.type === 'ended', 'ended');
  v.send({ type: 'start', clientId: 'c-second', text: 'second chat', email: 'attacker@evil.test' });
  await v.next((f) => f.type === 'ack' && f.clientId === 'c-second', 'ack');
  const r = await env.db.query<{ customer_id: string }>(
    `SELECT customer_id FROM customer_identities WHERE account_id = $1 AND kind = 'email' AND value = 'attacker@evil.test'`,
    [env.accountId],
  );
  assert.equal(r.rows.length, 1);
  assert.notEqual(r.rows[0].customer_id, victimCustomer, "the attacker's address must not become an identity of the victim's customer");
  await v.close();
});

test('new visitor sessions are rate-limited per address', async () => {
  const limited = await setup({ publicRateLimit: 2 });
  try {
    await limited.app.listen({ port: 0, host: '127.0.0.1' });
    const lport = (limited.app.server.address() as any).port;
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ws = new WebSocket(`ws://127.0.0.1:${lport}/api/v1/chat/socket`);
      const first = await new Promise<any>((res, rej) => {
        ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', account: 'acme' })));
        ws.once('message', (raw) => res(JSON.parse(raw.toString())));
        ws.once('error', rej);
      });
      codes.push(first.type === 'welcome' ? 'welcome' : first.code);
      ws.close();
    }
    assert.deepEqual(codes, ['welcome', 'welcome', 'rate_limited']);
  } finally {
    await limited.close();
  }
});

test('a visitor cannot flood: messages and new chats per visitor are limited to PUBLIC_RATE_LIMIT a minute', async () => {
  const limited = await setup({ publicRateLimit: 3 });
  try {
    await limited.app.listen({ port: 0, host: '127.0.0.1' });
    const lport = (limited.app.server.address() as any).port;
    const ws = new WebSocket(`ws://127.0.0.1:${lport}/api/v1/chat/socket`);
    const frames: any[] = [];
    ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
    await new Promise((res, rej) => {
      ws.once('open', res);
      ws.once('error', rej);
    });
    const answer = async (clientId: string) => {
      for (let i = 0; i < 400; i++) {
        const f = frames.find((x) => x.clientId === clientId && (x.type === 'ack' || x.type === 'error'));
        if (f) return f;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no answer for ${clientId}: ${JSON.stringify(frames)}`);
    };
    ws.send(JSON.stringify({ type: 'hello', account: 'acme' }));
    ws.send(JSON.stringify({ type: 'start', clientId: 'f-0', email: 'flood@example.com', text: 'first' }));
    const first = await answer('f-0');
    assert.equal(first.type, 'ack', JSON.stringify(first));
    const out: string[] = [];
    for (let i = 1; i <= 4; i++) {
      ws.send(JSON.stringify({ type: 'message', clientId: `f-${i}`, text: `flood ${i}` }));
      const a = await answer(`f-${i}`);
      out.push(a.type === 'ack' ? 'ack' : a.code);
    }
    assert.deepEqual(out, ['ack', 'ack', 'rate_limited', 'rate_limited']);
    const n = await limited.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [first.conversationId]);
    assert.equal(n.rows[0].n, 3, 'only the messages within the limit are stored');
    ws.close();
  } finally {
    await limited.close();
  }
});

test('files: a visitor uploads a file and sends it as a message attachment; size and token are checked', async () => {
  const v = await Visitor.open();
  const { welcome, conversationId } = await startChat(v, 'Here is a photo');
  const data = Buffer.from('not really a png').toString('base64');
  // Sent as text/plain, as the widget does (a simple cross-origin request).
  const up = await env.req('POST', '/api/v1/chat/uploads', {
    token: '',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ visitorToken: welcome.visitorToken, filename: 'tent.png', contentType: 'image/png', data }),
  });
  assert.equal(up.status, 201, up.body);
  assert.equal(up.headers['access-control-allow-origin'], '*');
  assert.equal(up.json.size, 16);
  v.send({ type: 'message', clientId: 'file-1', text: '', uploads: [up.json.id] });
  const m = await v.next((f) => f.type === 'message' && f.clientId === 'file-1', 'file message');
  assert.equal(m.attachments[0].filename, 'tent.png');
  const conv = await env.req('GET', `/api/v1/conversations/${conversationId}`);
  const att = conv.json.messages.find((x: any) => x.id === m.id).attachments[0];
  const file = await env.req('GET', `/api/v1/attachments/${att.id}`);
  assert.equal(file.body, 'not really a png');

  const noToken = await env.req('POST', '/api/v1/chat/uploads', { token: '', body: { visitorToken: 'cv_nope_nope_nope_nope_nope', filename: 'a', data } });
  assert.equal(noToken.status, 401);
  const big = await env.req('POST', '/api/v1/chat/uploads', {
    token: '',
    body: { visitorToken: welcome.visitorToken, filename: 'big.bin', data: Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64') },
  });
  assert.equal(big.status, 413);
  // Another visitor cannot send A's upload.
  const other = await Visitor.open();
  await startChat(other, 'thief');
  other.send({ type: 'message', clientId: 'steal', text: 'mine', uploads: [up.json.id] });
  assert.equal((await other.next((f) => f.type === 'error' && f.clientId === 'steal', 'refused')).code, 'validation');
  await v.close();
  await other.close();
});

test('GET /widget.js serves the widget script for other origins', async () => {
  const r = await env.req('GET', '/widget.js', { token: '' });
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^application\/javascript/);
  assert.equal(r.headers['cross-origin-resource-policy'], 'cross-origin');
  assert.match(String(r.headers['cache-control']), /max-age=/);
  assert.ok(r.body.length < 20_000, `widget is ${r.body.length} bytes`);
  assert.match(r.body, /attachShadow/);
  const again = await env.req('GET', '/widget.js', { token: '', headers: { 'if-none-match': String(r.headers.etag) } });
  assert.equal(again.status, 304);
});
