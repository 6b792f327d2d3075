/** The customer portal: magic-link sign-in, own conversations only, replies, ratings, attachments, languages. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setup, convBody, freshDb, type TestEnv } from './helpers.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/platform/config.js';
import * as accounts from '../src/modules/accounts/accounts.service.js';

let env: TestEnv;
let ipSeq = 0;
const nextIp = () => `10.1.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;
// From the real time on, only forward: jobs are queued at the database's now() and run when the test clock passes it.
let now = Date.now();
/** Moves the app's clock forward (links expire on it). */
const tick = (ms: number) => {
  now += ms;
  env.clock.now = new Date(now);
};

let anna: { customerId: string; convId: string; noteText: string; attachmentId: string };
let bob: { customerId: string; convId: string; attachmentId: string };

before(async () => {
  env = await setup();
  tick(0);
  const a = await env.req('POST', '/api/v1/conversations', {
    body: convBody({
      message: {
        text: 'My tent arrived with a torn fly sheet.',
        attachments: [{ filename: 'photo.png', contentType: 'image/png', contentBase64: Buffer.from('PNG-BYTES-ANNA').toString('base64') }],
      },
    }),
  });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  const noteText = 'Internal: customer has asked for refunds three times this year';
  assert.equal((await env.req('POST', `/api/v1/conversations/${a.json.id}/notes`, { body: { text: noteText } })).status, 201);
  assert.equal((await env.req('POST', `/api/v1/conversations/${a.json.id}/replies`, { body: { text: 'Sorry about that! A new fly sheet is on its way.' } })).status, 201);
  anna = { customerId: a.json.customer.id, convId: a.json.id, noteText, attachmentId: a.json.messages[0].attachments[0].id };
  const b = await env.req('POST', '/api/v1/conversations', {
    body: convBody({
      customer: { email: 'bob@example.com', name: 'Bob' },
      subject: 'Bob private matter',
      message: { text: 'Bob writes about his own order.', attachments: [{ filename: 'bob.txt', contentType: 'text/plain', contentBase64: Buffer.from('bob secret').toString('base64') }] },
    }),
  });
  bob = { customerId: b.json.customer.id, convId: b.json.id, attachmentId: b.json.messages[0].attachments[0].id };
});
after(() => env.close());

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const get = (url: string, o: { ip?: string; cookie?: string; headers?: Record<string, string> } = {}) =>
  env.app.inject({ method: 'GET', url, remoteAddress: o.ip ?? nextIp(), headers: { ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.headers ?? {}) } });
const post = (url: string, body: Record<string, string>, o: { ip?: string; cookie?: string; headers?: Record<string, string> } = {}) =>
  env.app.inject({
    method: 'POST',
    url,
    remoteAddress: o.ip ?? nextIp(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.headers ?? {}) },
    payload: form(body),
  });
const count = async (sql: string, params: unknown[] = []) => (await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0].n;

/** Asks for a link as a visitor would (form with its token); returns the response. */
async function askLink(email: string, ip = nextIp(), lang = 'en') {
  const p = await get(`/portal/acme?lang=${lang}`, { ip });
  const token = /name="formToken" value="([^"]+)"/.exec(p.body)![1];
  const r = await post(`/portal/acme/link?lang=${lang}`, { email, formToken: token, website: '' }, { ip });
  // The job that looks the address up and emails the link (it reads the app clock).
  await env.app.jobs.runDue(new Date(Math.max(env.clock.now!.getTime(), Date.now()) + 1_000));
  return r;
}
/** The token in the newest sign-in email to `email`. */
async function linkFor(email: string) {
  const r = await env.db.query<{ text_body: string; subject: string }>(
    `SELECT text_body, subject FROM outbound_emails WHERE $1 = ANY(to_addresses) AND text_body LIKE '%/signin?token=%' ORDER BY created_at DESC, id DESC LIMIT 1`,
    [email],
  );
  const m = /\/portal\/acme\/signin\?token=([\w-]+)/.exec(r.rows[0]?.text_body ?? '');
  return { token: m?.[1] ?? '', mail: r.rows[0] };
}
/** Signs in through the emailed link; returns the cookie header value. */
async function signIn(email: string): Promise<string> {
  tick(16 * 60_000); // past the per-address link limit of earlier tests
  const r = await askLink(email);
  assert.equal(r.statusCode, 200, r.body);
  const { token } = await linkFor(email);
  assert.ok(token);
  const s = await post('/portal/acme/signin', { token });
  assert.equal(s.statusCode, 303, s.body);
  const c = /earshot_portal=([^;]+)/.exec(String(s.headers['set-cookie']))!;
  return `earshot_portal=${c[1]}`;
}
const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

test('asking for a link answers the same for known and unknown addresses; only a known one gets an email', async () => {
  tick(60_000);
  const mails = await count('outbound_emails');
  const known = await askLink('ANNA@example.com');
  const unknown = await askLink('nobody@example.com');
  assert.equal(known.statusCode, 200);
  assert.equal(unknown.statusCode, 200);
  assert.equal(known.body.replace(/ANNA@example\.com/g, 'X'), unknown.body.replace(/nobody@example\.com/g, 'X'));
  assert.match(known.body, /If ANNA@example\.com belongs to one of our customers/);
  // Both requests did the same work (one queued job each); the job emailed only the known address.
  assert.equal(await count(`jobs WHERE kind = 'web.portal_link' AND payload->>'email' IN ('anna@example.com', 'nobody@example.com')`), 2);
  assert.equal(await count('outbound_emails'), mails + 1);
  const { mail } = await linkFor('anna@example.com');
  assert.equal(mail.subject, 'Your sign-in link for Test acme');
  assert.match(mail.text_body, /works once and for 15 minutes/);
  assert.equal(await count(`outbound_emails WHERE 'nobody@example.com' = ANY(to_addresses)`), 0);
  // A malformed address is a form error, not a different answer about the account.
  const bad = await askLink('not an address');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /does not look like an email address/);
});

test('the emailed link signs in once: opening it only shows a button, the POST uses it, a second POST fails', async () => {
  tick(60_000);
  await askLink('anna@example.com');
  const { token } = await linkFor('anna@example.com');
  // A mail scanner prefetching the link does not use it up.
  const open = await get(`/portal/acme/signin?token=${token}`);
  assert.equal(open.statusCode, 200);
  assert.match(open.body, new RegExp(`name="token" value="${token}"`));
  assert.match(open.body, /<button type="submit">Sign in<\/button>/);
  assert.equal(await count('portal_links WHERE used_at IS NOT NULL AND email = $1', ['anna@example.com']), 0);
  const first = await post('/portal/acme/signin', { token });
  assert.equal(first.statusCode, 303);
  assert.equal(first.headers.location, '/portal/acme?lang=en');
  const setCookie = String(first.headers['set-cookie']);
  assert.match(setCookie, /earshot_portal=/);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Lax/);
  assert.match(setCookie, /Path=\/portal\/acme/);
  const second = await post('/portal/acme/signin', { token });
  assert.equal(second.statusCode, 400);
  assert.match(second.body, /This sign-in link is not valid/);
  assert.doesNotMatch(String(second.headers['set-cookie'] ?? ''), /earshot_portal=/);
  // Links are stored hashed only.
  assert.equal(await count('portal_links WHERE token_hash = $1', [token]), 0);
  // Another account's portal does not take this account's links.
  await env.makeAccount('globex');
  tick(60_000);
  await askLink('anna@example.com');
  const l2 = await linkFor('anna@example.com');
  assert.equal((await post('/portal/globex/signin', { token: l2.token })).statusCode, 400);
  assert.equal((await post('/portal/acme/signin', { token: l2.token })).statusCode, 303);
});

test('the sign-in link (its token is in the URL) never reaches the request log', async () => {
  // An app that logs at the default level (info), its log lines captured where pino writes them (fd 1).
  const { db, drop } = await freshDb();
  const lines: string[] = [];
  const { writeSync, write } = fs;
  const capture = (fd: unknown, buf: unknown) => {
    if (fd !== 1 && fd !== 2) return false;
    lines.push(String(buf));
    return true;
  };
  (fs as any).writeSync = (fd: any, buf: any, ...a: any[]) => (capture(fd, buf) ? Buffer.byteLength(String(buf)) : (writeSync as any)(fd, buf, ...a));
  (fs as any).write = (fd: any, buf: any, ...a: any[]) => {
    if (!capture(fd, buf)) return (write as any)(fd, buf, ...a);
    a.find((x) => typeof x === 'function')?.(null, Buffer.byteLength(String(buf)));
  };
  try {
    const app = await buildApp({ db, config: loadConfig({}, { logLevel: 'info' }), logger: true });
    await app.ready();
    await accounts.createAccount(app.ctx, { name: 'Logged', slug: 'logged' });
    const token = 'LinkTokenThatMustNotBeLogged_0123456789';
    const r = await app.inject({ method: 'GET', url: `/portal/logged/signin?token=${token}&lang=en` });
    assert.equal(r.statusCode, 200);
    const other = await app.inject({ method: 'GET', url: '/portal/logged?lang=en' });
    assert.equal(other.statusCode, 200);
    await app.close();
    await new Promise((res) => setTimeout(res, 50));
    assert.ok(lines.some((l) => l.includes('/portal/logged?lang=en')), 'the capture works: other portal requests are logged');
    assert.ok(!lines.some((l) => l.includes(token)), `the token was logged: ${lines.filter((l) => l.includes(token)).join('')}`);
  } finally {
    (fs as any).writeSync = writeSync;
    (fs as any).write = write;
    await drop();
  }
});

test('a link expires after 15 minutes; an address gets at most three links per 15 minutes', async () => {
  tick(3_600_000);
  await askLink('anna@example.com');
  const { token } = await linkFor('anna@example.com');
  tick(15 * 60_000 + 1_000);
  const late = await post('/portal/acme/signin', { token });
  assert.equal(late.statusCode, 400);
  assert.match(late.body, /expired/);

  tick(3_600_000);
  const before = await count(`outbound_emails WHERE 'anna@example.com' = ANY(to_addresses)`);
  for (let i = 0; i < 5; i++) assert.equal((await askLink('anna@example.com')).statusCode, 200);
  assert.equal(await count(`outbound_emails WHERE 'anna@example.com' = ANY(to_addresses)`), before + 3);
});

test('asking for links too often from one network answers 429', async () => {
  const ip = nextIp();
  const limit = Math.ceil(env.config.publicRateLimit / 6);
  for (let i = 0; i < limit; i++) assert.equal((await post('/portal/acme/link', { email: 'x@example.com' }, { ip })).statusCode, 400);
  const r = await post('/portal/acme/link', { email: 'x@example.com' }, { ip });
  assert.equal(r.statusCode, 429);
  assert.match(r.body, /Too many attempts/);
});

test('a signed-in customer sees only their own conversations and never internal notes', async () => {
  const cookie = await signIn('anna@example.com');
  const list = await get('/portal/acme', { cookie });
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Your requests/);
  assert.match(list.body, /My order has not arrived/);
  assert.doesNotMatch(list.body, /Bob private matter/);
  assert.match(list.body, /Sign out/);

  const conv = await get(`/portal/acme/conversations/${anna.convId}`, { cookie });
  assert.equal(conv.statusCode, 200);
  assert.match(conv.body, /My tent arrived with a torn fly sheet/);
  assert.match(conv.body, /A new fly sheet is on its way/);
  assert.doesNotMatch(conv.body, /refunds three times/, 'internal notes are never shown');
  assert.match(conv.body, /photo\.png/);

  const other = await get(`/portal/acme/conversations/${bob.convId}`, { cookie });
  assert.equal(other.statusCode, 404);
  assert.doesNotMatch(other.body, /Bob/);
  assert.equal((await get('/portal/acme/conversations/not-a-uuid', { cookie })).statusCode, 404);

  // Attachments: own ones download, others' do not.
  const own = await get(`/portal/acme/attachments/${anna.attachmentId}`, { cookie });
  assert.equal(own.statusCode, 200);
  assert.equal(own.body, 'PNG-BYTES-ANNA');
  assert.match(String(own.headers['content-disposition']), /^attachment;/);
  assert.equal((await get(`/portal/acme/attachments/${bob.attachmentId}`, { cookie })).statusCode, 404);
  assert.equal((await get(`/portal/acme/attachments/${anna.attachmentId}`)).statusCode, 401, 'not without signing in');

  // Without a session: the sign-in page, and conversations are refused.
  const anon = await get('/portal/acme');
  assert.match(anon.body, /Send me a sign-in link/);
  const anonConv = await get(`/portal/acme/conversations/${anna.convId}`);
  assert.equal(anonConv.statusCode, 401);
  assert.match(anonConv.body, /Please sign in first/);
  assert.match(anonConv.body, /href="\/portal\/acme"/);
  assert.doesNotMatch(anonConv.body, /torn fly sheet/);
  // A session of one account means nothing in another.
  assert.match((await get('/portal/globex', { cookie })).body, /Send me a sign-in link/);
});

test('conversations of customers merged into the signed-in one are theirs too', async () => {
  const c = await env.req('POST', '/api/v1/conversations', {
    body: convBody({ customer: { email: 'anna.work@example.com', name: 'Anna B.' }, subject: 'Sent from my work address' }),
  });
  const m = await env.req('POST', `/api/v1/customers/${c.json.customer.id}/merge`, { body: { into: anna.customerId } });
  assert.equal(m.status, 200, JSON.stringify(m.json));
  // Signing in with the merged record's address leads to the surviving record.
  const cookie = await signIn('anna.work@example.com');
  const list = await get('/portal/acme', { cookie });
  assert.match(list.body, /Sent from my work address/);
  assert.match(list.body, /My order has not arrived/);
  assert.doesNotMatch(list.body, /Bob private matter/);
});

test('a reply adds a customer message on the web channel and reopens a solved conversation; a closed one refuses', async () => {
  const cookie = await signIn('anna@example.com');
  const page = await get(`/portal/acme/conversations/${anna.convId}`, { cookie });
  const csrf = csrfIn(page.body);
  assert.ok(csrf);
  assert.equal((await env.req('PATCH', `/api/v1/conversations/${anna.convId}`, { body: { status: 'solved' } })).status, 200);

  const url = `/portal/acme/conversations/${anna.convId}/reply`;
  const noCsrf = await post(url, { text: 'forged' }, { cookie });
  assert.equal(noCsrf.statusCode, 403);
  const foreign = await post(url, { text: 'forged', csrf }, { cookie, headers: { origin: 'https://evil.example' } });
  assert.equal(foreign.statusCode, 403);
  assert.match(foreign.body, /came from another site/);
  const noSession = await post(url, { text: 'forged', csrf });
  assert.equal(noSession.statusCode, 401);
  assert.equal(await count(`messages WHERE text = 'forged'`), 0);

  const empty = await post(url, { text: '   ', csrf }, { cookie });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Please write a reply first/);

  const r = await post(url, { text: 'Thanks, but the new one is torn as well.', csrf }, { cookie, headers: { origin: 'http://localhost:80' } });
  assert.equal(r.statusCode, 200, r.body);
  assert.match(r.body, /Your reply was sent/);
  assert.match(r.body, /the new one is torn as well/);
  const msg = (await env.db.query<any>(`SELECT id, author_type, author_customer_id, direction FROM messages WHERE text = 'Thanks, but the new one is torn as well.'`)).rows[0];
  assert.equal(msg.author_type, 'customer');
  assert.equal(msg.direction, 'inbound');
  assert.equal(msg.author_customer_id, anna.customerId);
  const ev = (await env.db.query<any>(`SELECT channel FROM contact_events WHERE type = 'message.received' AND data->>'messageId' = $1`, [msg.id])).rows[0];
  assert.equal(ev.channel, 'web');
  const conv = await env.req('GET', `/api/v1/conversations/${anna.convId}`);
  assert.equal(conv.json.status, 'open', 'a customer reply reopens a solved conversation');
  assert.equal(await count(`contact_events WHERE conversation_id = $1 AND type = 'contact.reopened'`, [anna.convId]), 1);

  // A closed conversation: no reply form, a clear message with a link to a new request, and a POST is refused.
  const closedConv = await env.req('POST', '/api/v1/conversations', { body: convBody({ subject: 'Old closed matter' }) });
  assert.equal((await env.req('PATCH', `/api/v1/conversations/${closedConv.json.id}`, { body: { status: 'closed' } })).status, 200);
  const shown = await get(`/portal/acme/conversations/${closedConv.json.id}`, { cookie });
  assert.match(shown.body, /This request is closed/);
  assert.match(shown.body, /href="\/contact\/acme"/);
  assert.doesNotMatch(shown.body, /name="text"/);
  const refused = await post(`/portal/acme/conversations/${closedConv.json.id}/reply`, { text: 'Hello again?', csrf }, { cookie });
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /This request is closed and cannot be answered any more/);
  assert.equal(await count(`messages WHERE text = 'Hello again?'`), 0);
  // Bob's conversation cannot be written to.
  assert.equal((await post(`/portal/acme/conversations/${bob.convId}/reply`, { text: 'intrusion', csrf }, { cookie })).statusCode, 404);
  assert.equal(await count(`messages WHERE text = 'intrusion'`), 0);
});

test('a solved conversation can be rated once and the rating changed; unsolved ones cannot', async () => {
  const cookie = await signIn('anna@example.com');
  const c = await env.req('POST', '/api/v1/conversations', { body: convBody({ subject: 'Rate me' }) });
  const id = c.json.id;
  const page = await get(`/portal/acme/conversations/${id}`, { cookie });
  const csrf = csrfIn(page.body);
  assert.doesNotMatch(page.body, /How did we do/);
  const early = await post(`/portal/acme/conversations/${id}/rating`, { score: '5', csrf }, { cookie });
  assert.equal(early.statusCode, 409);
  assert.match(early.body, /once it is solved/);

  assert.equal((await env.req('PATCH', `/api/v1/conversations/${id}`, { body: { status: 'solved' } })).status, 200);
  assert.match((await get(`/portal/acme/conversations/${id}`, { cookie })).body, /How did we do/);
  const bad = await post(`/portal/acme/conversations/${id}/rating`, { score: '9', csrf }, { cookie });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /from 1 to 5/);
  const r1 = await post(`/portal/acme/conversations/${id}/rating`, { score: '4', comment: 'Quick answer', csrf }, { cookie });
  assert.equal(r1.statusCode, 200, r1.body);
  assert.match(r1.body, /Thank you for your rating/);
  assert.match(r1.body, /Your rating: 4 of 5/);
  const r2 = await post(`/portal/acme/conversations/${id}/rating`, { score: '2', comment: 'Actually it broke again', csrf }, { cookie });
  assert.equal(r2.statusCode, 200);
  const rows = (await env.db.query<any>('SELECT score, comment, customer_id FROM conversation_ratings WHERE conversation_id = $1', [id])).rows;
  assert.deepEqual(rows, [{ score: 2, comment: 'Actually it broke again', customer_id: anna.customerId }]);
  assert.equal(await count(`audit_log WHERE action IN ('conversation.rated', 'conversation.rating_changed') AND target_id = $1`, [id]), 2);
  // Bob's solved conversation cannot be rated by Anna.
  await env.req('PATCH', `/api/v1/conversations/${bob.convId}`, { body: { status: 'solved' } });
  assert.equal((await post(`/portal/acme/conversations/${bob.convId}/rating`, { score: '1', csrf }, { cookie })).statusCode, 404);
  assert.equal(await count('conversation_ratings WHERE conversation_id = $1', [bob.convId]), 0);
});

test('sign-out ends the session at once; a session expires', async () => {
  const cookie = await signIn('anna@example.com');
  const page = await get('/portal/acme', { cookie });
  const csrf = csrfIn(page.body);
  const noCsrf = await post('/portal/acme/signout', {}, { cookie });
  assert.equal(noCsrf.statusCode, 403);
  const out = await post('/portal/acme/signout', { csrf }, { cookie });
  assert.equal(out.statusCode, 200);
  assert.match(out.body, /You are signed out/);
  assert.match(String(out.headers['set-cookie']), /earshot_portal=;/);
  assert.match((await get('/portal/acme', { cookie })).body, /Send me a sign-in link/);

  const c2 = await signIn('anna@example.com');
  assert.match((await get('/portal/acme', { cookie: c2 })).body, /Your requests/);
  tick(25 * 3_600_000);
  assert.match((await get('/portal/acme', { cookie: c2 })).body, /Send me a sign-in link/);
});

test('German and Norwegian portal pages and sign-in emails are translated', async () => {
  tick(3_600_000);
  const de = await get('/portal/acme?lang=de');
  assert.match(de.body, /<html lang="de">/);
  assert.match(de.body, /Kundenportal/);
  assert.match(de.body, /Anmeldelink senden/);
  const nb = await get('/portal/acme', { headers: { 'accept-language': 'nb' } });
  assert.match(nb.body, /<html lang="nb">/);
  assert.match(nb.body, /Kundeportal/);
  assert.match(nb.body, /Send meg en innloggingslenke/);
  assert.match(nb.body, /href="\/portal\/acme\?lang=en"/);

  const sent = await askLink('bob@example.com', nextIp(), 'nb');
  assert.match(sent.body, /Sjekk e-posten din/);
  const { mail, token } = await linkFor('bob@example.com');
  assert.equal(mail.subject, 'Innloggingslenken din for Test acme');
  assert.match(mail.text_body, /Lenken virker én gang og i 15 minutter/);
  const s = await post('/portal/acme/signin?lang=de', { token });
  const cookie = /earshot_portal=([^;]+)/.exec(String(s.headers['set-cookie']))![0];
  const list = await get('/portal/acme?lang=de', { cookie });
  assert.match(list.body, /Ihre Anfragen/);
  assert.match(list.body, /Bob private matter/);
  assert.match(list.body, /Status: Gelöst|Status: In Bearbeitung|Status: Eingegangen/);
  assert.match(list.body, /Abmelden/);
  const conv = await get(`/portal/acme/conversations/${bob.convId}?lang=nb`, { cookie });
  assert.match(conv.body, /Dine henvendelser/);
  assert.match(conv.body, /Hvordan gjorde vi det\?/);
});
