import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';

let env: TestEnv;
before(async () => {
  env = await setup();
});
after(() => env.close());

const create = async (over: Record<string, unknown> = {}) => {
  const r = await env.req('POST', '/api/v1/conversations', { body: convBody(over) });
  assert.equal(r.status, 201, r.body);
  return r.json;
};
const count = async (table: string) => (await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

test('POST /conversations creates conversation, customer, message and contact events', async () => {
  const c = await create();
  assert.equal(c.status, 'new');
  assert.equal(c.channel, 'email');
  assert.equal(c.subject, 'My order has not arrived');
  assert.equal(c.customer.name, 'Anna Berg');
  assert.deepEqual(c.customer.identities, [{ kind: 'email', value: 'anna@example.com' }]);
  assert.equal(c.messages.length, 1);
  assert.equal(c.messages[0].direction, 'inbound');
  assert.equal(c.language, 'en');
  assert.ok(Number.isInteger(c.number));
  const ev = await env.req('GET', `/api/v1/conversations/${c.id}/events`);
  assert.deepEqual(ev.json.items.map((e: any) => e.type), ['contact.arrived', 'message.received']);
  assert.equal(ev.json.items[0].identity, 'anna@example.com');
  const again = await create({ customer: { email: 'ANNA@example.com' } });
  assert.equal(again.customerId, c.customerId, 'same email, same customer');
  assert.equal(again.number, c.number + 1);
});

test('bad input answers 400 naming the field and writes nothing', async () => {
  const before = [await count('conversations'), await count('customers'), await count('contact_events')];
  const cases: [unknown, RegExp][] = [
    [{ ...convBody(), customer: { email: 'not-an-email' } }, /customer\/email/],
    [{ ...convBody(), channel: 'pigeon' }, /channel/],
    [{ ...convBody(), message: {} }, /message\/text/],
    [{ ...convBody(), surprise: 1 }, /surprise/],
    [{ customer: { email: 'a@b.cd' }, channel: 'email' }, /message/],
    [{ ...convBody(), message: { text: 'x', attachments: [{ filename: 'a.txt', contentType: 'text/plain', contentBase64: '@@@' }] } }, /attachments\/0\/contentBase64/],
    [{ ...convBody(), queueId: '00000000-0000-0000-0000-000000000000' }, /queueId/],
  ];
  for (const [body, field] of cases) {
    const r = await env.req('POST', '/api/v1/conversations', { body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(r.json.error.message, field);
  }
  assert.deepEqual([await count('conversations'), await count('customers'), await count('contact_events')], before);
});

test('broken JSON is 400, oversized bodies 413, unknown and foreign ids 404', async () => {
  const bad = await env.app.inject({ method: 'POST', url: '/api/v1/conversations', headers: { authorization: `Bearer ${env.tokens.admin}`, 'content-type': 'application/json' }, payload: '{"customer":' });
  assert.equal(bad.statusCode, 400);
  const big = await env.req('POST', '/api/v1/conversations', { body: convBody({ message: { text: 'x'.repeat(env.config.bodyLimitBytes + 10) } }) });
  assert.equal(big.status, 413);
  assert.equal(big.json.error.code, 'too_large');
  assert.equal((await env.req('GET', '/api/v1/conversations/00000000-0000-4000-8000-000000000000')).status, 404);
  assert.equal((await env.req('GET', '/api/v1/conversations/42')).status, 404);
});

test('HTML from outside is sanitised; text is derived from it', async () => {
  const c = await create({ message: { html: '<p onclick="x()">Hi <b>there</b><script>alert(1)</script><img src="javascript:alert(2)"><a href="https://ok.example">link</a></p>' } });
  const m = c.messages[0];
  assert.ok(!/script|onclick|javascript:/i.test(m.html), m.html);
  assert.match(m.html, /<b>there<\/b>/);
  assert.match(m.html, /rel="noopener noreferrer nofollow"/);
  assert.match(m.text, /Hi there/);
});

test('attachments are stored and downloaded as attachments, never rendered', async () => {
  const content = Buffer.from('<html><script>alert(1)</script></html>');
  const c = await create({ message: { text: 'see file', attachments: [{ filename: 'rechnung ä.html', contentType: 'text/html', contentBase64: content.toString('base64') }] } });
  const a = c.messages[0].attachments[0];
  assert.equal(a.size, content.length);
  const r = await env.app.inject({ method: 'GET', url: `/api/v1/attachments/${a.id}`, headers: { authorization: `Bearer ${env.tokens.agent}` } });
  assert.equal(r.statusCode, 200);
  assert.equal(r.rawPayload.toString(), content.toString());
  assert.match(String(r.headers['content-disposition']), /^attachment; filename\*=UTF-8''rechnung%20%C3%A4\.html/);
  assert.match(String(r.headers['content-security-policy']), /sandbox/);
});

test('replies, notes and follow-ups drive status and the event log', async () => {
  const c = await create();
  const rep = await env.req('POST', `/api/v1/conversations/${c.id}/replies`, { token: env.tokens.agent, body: { text: 'Sorry! It ships today.', status: 'pending' } });
  assert.equal(rep.status, 201);
  assert.equal(rep.json.direction, 'outbound');
  const note = await env.req('POST', `/api/v1/conversations/${c.id}/notes`, { token: env.tokens.agent, body: { text: 'Checked the warehouse.' } });
  assert.equal(note.json.kind, 'note');
  assert.equal(note.json.direction, null);
  let g = await env.req('GET', `/api/v1/conversations/${c.id}`);
  assert.equal(g.json.status, 'pending');
  assert.ok(g.json.sla.firstRepliedAt);
  const solved = await env.req('PATCH', `/api/v1/conversations/${c.id}`, { body: { status: 'solved' } });
  assert.equal(solved.json.status, 'solved');
  const follow = await env.req('POST', `/api/v1/conversations/${c.id}/messages`, { body: { text: 'It still has not arrived.' } });
  assert.equal(follow.status, 201);
  g = await env.req('GET', `/api/v1/conversations/${c.id}`);
  assert.equal(g.json.status, 'open', 'a customer message reopens a solved conversation');
  assert.equal(g.json.messages.length, 4);
  const types = (await env.req('GET', `/api/v1/conversations/${c.id}/events`)).json.items.map((e: any) => e.type);
  for (const t of ['reply.human', 'contact.answered', 'note.added', 'contact.resolved', 'contact.reopened', 'message.received'])
    assert.ok(types.includes(t), `${t} in ${types}`);
  assert.equal(types.filter((t: string) => t === 'contact.answered').length, 1, 'answered once');
});

test('automatic replies never count as the human answer', async () => {
  const c = await create();
  await env.req('POST', `/api/v1/conversations/${c.id}/replies`, { body: { text: 'We got your message.', automatic: true } });
  const g = await env.req('GET', `/api/v1/conversations/${c.id}`);
  assert.equal(g.json.sla.firstRepliedAt, null);
  const types = (await env.req('GET', `/api/v1/conversations/${c.id}/events`)).json.items.map((e: any) => e.type);
  assert.ok(types.includes('reply.automatic'));
  assert.ok(!types.includes('contact.answered'));
});

test('collision: a reply written while the customer wrote again is held back (409) unless forced', async () => {
  const c = await create();
  const seen = c.messages[0].id;
  await env.req('POST', `/api/v1/conversations/${c.id}/messages`, { body: { text: 'Also, can I change the address?' } });
  const r = await env.req('POST', `/api/v1/conversations/${c.id}/replies`, { body: { text: 'Ships today', lastSeenMessageId: seen } });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'newer_messages');
  assert.match(r.json.error.messages[0].text, /change the address/);
  const forced = await env.req('POST', `/api/v1/conversations/${c.id}/replies`, { body: { text: 'Ships today', lastSeenMessageId: seen, force: true } });
  assert.equal(forced.status, 201);
});

test('collision: messages stored in the same instant are ordered by id, so whoever saw the last one may send', async () => {
  env.clock.now = new Date('2026-11-25T10:00:00Z');
  try {
    const c = await create();
    await env.req('POST', `/api/v1/conversations/${c.id}/messages`, { body: { text: 'Same instant' } });
    const g = (await env.req('GET', `/api/v1/conversations/${c.id}`)).json;
    const shown = g.messages.filter((m: any) => m.kind === 'message');
    assert.equal(shown.length, 2);
    assert.equal(shown[0].createdAt, shown[1].createdAt, 'both stored at the same time');
    const first = await env.req('POST', `/api/v1/conversations/${c.id}/replies`, { body: { text: 'Too early', lastSeenMessageId: shown[0].id } });
    assert.equal(first.status, 409, 'the one shown after it is new to whoever saw only the first');
    assert.equal(first.json.error.messages.length, 1);
    const last = await env.req('POST', `/api/v1/conversations/${c.id}/replies`, { body: { text: 'Seen both', lastSeenMessageId: shown[1].id } });
    assert.equal(last.status, 201, last.body);
  } finally {
    env.clock.now = null;
  }
});

test('a message sent twice with the same clientId is stored once (customer messages and replies)', async () => {
  const c = await create();
  const events = async () => (await env.req('GET', `/api/v1/conversations/${c.id}/events`)).json.items.map((e: any) => e.type);
  const m1 = await env.req('POST', `/api/v1/conversations/${c.id}/messages`, { body: { text: 'Are you there?', clientId: 'w-1' } });
  const m2 = await env.req('POST', `/api/v1/conversations/${c.id}/messages`, { body: { text: 'Are you there?', clientId: 'w-1' } });
  assert.equal(m2.json.id, m1.json.id);
  const r1 = await env.req('POST', `/api/v1/conversations/${c.id}/replies`, { body: { text: 'Yes!', clientId: 'agent-7' } });
  const before = await events();
  const r2 = await env.req('POST', `/api/v1/conversations/${c.id}/replies`, { body: { text: 'Yes!', clientId: 'agent-7' } });
  assert.equal(r2.json.id, r1.json.id);
  assert.deepEqual(await events(), before, 'the repeat writes no events');
  const g = await env.req('GET', `/api/v1/conversations/${c.id}`);
  assert.deepEqual(g.json.messages.map((m: any) => m.text), [c.messages[0].text, 'Are you there?', 'Yes!']);
  // The same client id in another conversation is another message.
  const other = await create();
  const m3 = await env.req('POST', `/api/v1/conversations/${other.id}/messages`, { body: { text: 'Are you there?', clientId: 'w-1' } });
  assert.notEqual(m3.json.id, m1.json.id);
  const bad = await env.req('POST', `/api/v1/conversations/${c.id}/messages`, { body: { text: 'x', clientId: 'has space' } });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /clientId/);
});

test('PATCH changes priority, tags, custom fields and subject; closed is final', async () => {
  const c = await create();
  const r = await env.req('PATCH', `/api/v1/conversations/${c.id}`, { body: { priority: 'urgent', tags: ['Refund', 'VIP customer'], customFields: { order: '48213' }, subject: 'Refund' } });
  assert.equal(r.status, 200);
  assert.equal(r.json.priority, 'urgent');
  assert.deepEqual(r.json.tags, ['refund', 'vip-customer']);
  assert.deepEqual(r.json.customFields, { order: '48213' });
  const t = await env.req('POST', `/api/v1/conversations/${c.id}/tags`, { body: { add: ['late'], remove: ['refund'] } });
  assert.deepEqual(t.json.tags, ['vip-customer', 'late']);
  await env.req('PATCH', `/api/v1/conversations/${c.id}`, { body: { status: 'closed' } });
  const again = await env.req('PATCH', `/api/v1/conversations/${c.id}`, { body: { status: 'open' } });
  assert.equal(again.status, 409);
  assert.equal((await env.req('PATCH', `/api/v1/conversations/${c.id}`, { body: { status: 'lost' } })).status, 400);
});

test('list filters by status, queue, assignee, tag and pages', async () => {
  const q = await env.req('POST', '/api/v1/queues', { body: { name: 'Billing' } });
  const me = await env.req('POST', '/api/v1/users', { body: { email: 'sam@acme.test', name: 'Sam', role: 'agent' } });
  const a = await create({ queueId: q.json.id, tags: ['billing'] });
  await create({ queueId: q.json.id, assigneeId: me.json.id });
  const byQueue = await env.req('GET', `/api/v1/conversations?queue=${q.json.id}`);
  assert.equal(byQueue.json.total, 2);
  const byAssignee = await env.req('GET', `/api/v1/conversations?assignee=${me.json.id}`);
  assert.equal(byAssignee.json.total, 1);
  const unassigned = await env.req('GET', `/api/v1/conversations?queue=${q.json.id}&assignee=none`);
  assert.equal(unassigned.json.items[0].id, a.id);
  assert.equal((await env.req('GET', '/api/v1/conversations?tag=billing')).json.total, 1);
  const page = await env.req('GET', '/api/v1/conversations?limit=2&offset=1&status=new,open,pending');
  assert.equal(page.json.items.length, 2);
  assert.ok(page.json.total >= 3);
  assert.equal((await env.req('GET', '/api/v1/conversations?status=bogus')).status, 400);
  assert.equal((await env.req('GET', '/api/v1/conversations?assignee=me')).status, 400, "'me' needs a user");
});

test('full-text search finds English, German and Norwegian words by their stems', async () => {
  await create({ customer: { email: 'jonas@example.de' }, subject: 'Zelt', message: { text: 'Ich habe lange in der Warteschleife gewartet und keine Antwort bekommen.' } });
  await create({ customer: { email: 'kari@example.no' }, subject: 'Pakke', message: { text: 'Jeg har ventet på pakken min i over ti dager.' } });
  await create({ customer: { email: 'em@example.co.uk' }, subject: 'Boots', message: { text: 'The hiking boots were refunded twice by mistake.' } });
  const hit = async (q: string) => (await env.req('GET', `/api/v1/conversations?q=${encodeURIComponent(q)}`)).json.items.map((i: any) => i.subject);
  assert.deepEqual(await hit('Antworten Warteschleifen'), ['Zelt']);
  assert.deepEqual(await hit('vente pakke'), ['Pakke']);
  assert.deepEqual(await hit('refunding mistakes'), ['Boots']);
  assert.deepEqual(await hit('boots'), ['Boots'], 'subjects are searched too');
  assert.deepEqual(await hit('nothingmatchesthis'), []);
});

test('merge moves messages and closes the source; split moves them out again', async () => {
  const a = await create({ subject: 'First' });
  const b = await create({ subject: 'Second', tags: ['dup'] });
  const m = await env.req('POST', `/api/v1/conversations/${b.id}/merge`, { body: { into: a.id } });
  assert.equal(m.status, 200);
  assert.equal(m.json.id, a.id);
  assert.ok(m.json.tags.includes('dup'));
  assert.equal(m.json.messages.filter((x: any) => x.kind === 'message').length, 2);
  const src = await env.req('GET', `/api/v1/conversations/${b.id}`);
  assert.equal(src.json.status, 'closed');
  assert.equal(src.json.mergedInto, a.id);
  assert.equal((await env.req('POST', `/api/v1/conversations/${b.id}/replies`, { body: { text: 'x' } })).status, 409);
  assert.equal((await env.req('POST', `/api/v1/conversations/${a.id}/merge`, { body: { into: a.id } })).status, 400);

  const moved = b.messages[0].id;
  const s = await env.req('POST', `/api/v1/conversations/${a.id}/split`, { body: { messageIds: [moved] } });
  assert.equal(s.status, 201);
  assert.equal(s.json.splitFrom, a.id);
  assert.deepEqual(s.json.messages.map((x: any) => x.id), [moved]);
  const left = await env.req('GET', `/api/v1/conversations/${a.id}`);
  assert.ok(!left.json.messages.some((x: any) => x.id === moved));
  const all = left.json.messages.filter((x: any) => x.kind === 'message').map((x: any) => x.id);
  assert.equal((await env.req('POST', `/api/v1/conversations/${a.id}/split`, { body: { messageIds: all } })).status, 400, 'cannot empty a conversation');
});

test('collision detection: viewers see each other', async () => {
  const c = await create();
  const mk = async (email: string) => {
    await env.req('POST', '/api/v1/users', { body: { email, name: email.split('@')[0], role: 'agent', password: 'long enough password' } });
    const r = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email, password: 'long enough password' } });
    return String([r.headers['set-cookie']].flat()[0]).split(';')[0];
  };
  const ann = await mk('ann@acme.test');
  const bob = await mk('bob@acme.test');
  const first = await env.req('POST', `/api/v1/conversations/${c.id}/viewing`, { token: '', cookie: ann, body: { mode: 'viewing' } });
  assert.deepEqual(first.json.others, []);
  const second = await env.req('POST', `/api/v1/conversations/${c.id}/viewing`, { token: '', cookie: bob, body: { mode: 'replying' } });
  assert.deepEqual(second.json.others.map((v: any) => [v.name, v.mode]), [['ann', 'viewing']]);
  const g = await env.req('GET', `/api/v1/conversations/${c.id}`);
  assert.deepEqual(g.json.viewers.map((v: any) => v.mode).sort(), ['replying', 'viewing']);
  env.clock.now = new Date(Date.now() + 60_000);
  try {
    assert.equal((await env.req('GET', `/api/v1/conversations/${c.id}`)).json.viewers.length, 0, 'viewing expires');
  } finally {
    env.clock.now = null;
  }
  assert.equal((await env.req('POST', `/api/v1/conversations/${c.id}/viewing`, { body: { mode: 'viewing' } })).status, 400, 'tokens have no presence');
});

test('a failing change writes neither the row nor its events (one transaction)', async () => {
  const c = await create();
  const before = await count('contact_events');
  const r = await env.req('PATCH', `/api/v1/conversations/${c.id}`, { body: { priority: 'high', assigneeId: '00000000-0000-4000-8000-000000000000' } });
  assert.equal(r.status, 400);
  assert.equal((await env.req('GET', `/api/v1/conversations/${c.id}`)).json.priority, 'normal');
  assert.equal(await count('contact_events'), before);
});
