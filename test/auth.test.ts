import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, convBody, type TestEnv } from './helpers.js';

let env: TestEnv;
let agentId: string;
before(async () => {
  env = await setup();
  const u = await env.req('POST', '/api/v1/users', { body: { email: 'lena@acme.test', name: 'Lena Schmidt', role: 'agent', password: 'correct horse battery' } });
  assert.equal(u.status, 201);
  agentId = u.json.id;
});
after(() => env.close());

async function login(email: string, password: string) {
  const r = await env.req('POST', '/api/v1/auth/login', { token: '', body: { email, password } });
  const cookie = String([r.headers['set-cookie']].flat()[0] ?? '');
  return { r, cookie: cookie.split(';')[0], raw: cookie };
}

test('sign-in sets an HttpOnly, SameSite session cookie; /me shows the user', async () => {
  const { r, cookie, raw } = await login('LENA@acme.test', 'correct horse battery');
  assert.equal(r.status, 200);
  assert.equal(r.json.user.email, 'lena@acme.test');
  assert.match(raw, /HttpOnly/);
  assert.match(raw, /SameSite=Lax/);
  const me = await env.req('GET', '/api/v1/me', { token: '', cookie });
  assert.equal(me.status, 200);
  assert.equal(me.json.user.id, agentId);
  assert.equal(me.json.role, 'agent');
  assert.equal(me.json.account.slug, 'acme');
});

test('passwords are stored as scrypt hashes, never in clear', async () => {
  const r = await env.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [agentId]);
  assert.match(r.rows[0].password_hash, /^scrypt\$16384\$8\$1\$/);
  assert.ok(!r.rows[0].password_hash.includes('correct horse'));
});

test('wrong password and unknown email both answer 401 with the same error', async () => {
  const a = await login('lena@acme.test', 'wrong password!!');
  const b = await login('nobody@acme.test', 'wrong password!!');
  assert.equal(a.r.status, 401);
  assert.equal(b.r.status, 401);
  assert.deepEqual(a.r.json.error.code, b.r.json.error.code);
  assert.equal(a.cookie, '');
});

test('logout ends the session; the web app\'s session probe answers 200 with signedIn before and after', async () => {
  const { cookie } = await login('lena@acme.test', 'correct horse battery');
  const before = await env.req('GET', '/api/v1/auth/session', { token: '', cookie });
  assert.equal(before.status, 200);
  assert.equal(before.json.signedIn, true);
  assert.equal(before.json.user.email, 'lena@acme.test');
  assert.equal(before.json.account.slug, 'acme');
  assert.equal((await env.req('POST', '/api/v1/auth/logout', { token: '', cookie })).status, 200);
  assert.equal((await env.req('GET', '/api/v1/me', { token: '', cookie })).status, 401);
  const after = await env.req('GET', '/api/v1/auth/session', { token: '', cookie });
  assert.equal(after.status, 200);
  assert.deepEqual(after.json, { signedIn: false });
  assert.deepEqual((await env.req('GET', '/api/v1/auth/session', { token: '' })).json, { signedIn: false });
});

test('a cookie-authenticated write from a foreign origin is refused', async () => {
  const { cookie } = await login('lena@acme.test', 'correct horse battery');
  const r = await env.req('POST', '/api/v1/conversations', { token: '', cookie, body: convBody(), headers: { origin: 'https://evil.example', host: 'localhost' } });
  assert.equal(r.status, 403);
  // An opaque origin (sandboxed frame, no-referrer page) and garbage are refused the same way, never a 500.
  for (const origin of ['null', 'not a url'])
    assert.equal((await env.req('POST', '/api/v1/conversations', { token: '', cookie, body: convBody(), headers: { origin, host: 'localhost' } })).status, 403, origin);
  const ok = await env.req('POST', '/api/v1/conversations', { token: '', cookie, body: convBody(), headers: { origin: 'http://localhost', host: 'localhost' } });
  assert.equal(ok.status, 201);
});

test('no credentials: 401; malformed or unknown token: 401', async () => {
  assert.equal((await env.req('GET', '/api/v1/conversations', { token: '' })).status, 401);
  assert.equal((await env.req('GET', '/api/v1/conversations', { token: 'es_not-a-real-token' })).status, 401);
  const bad = await env.req('GET', '/api/v1/conversations', { token: '', headers: { authorization: 'Basic abc' } });
  assert.equal(bad.status, 401);
});

test('an agent cannot call admin routes (403)', async () => {
  const t = env.tokens.agent;
  for (const [m, url, body] of [
    ['POST', '/api/v1/users', { email: 'x@acme.test', name: 'X', role: 'admin' }],
    ['GET', '/api/v1/tokens', undefined],
    ['POST', '/api/v1/tokens', { role: 'admin' }],
    ['GET', '/api/v1/audit', undefined],
    ['GET', '/api/v1/webhooks', undefined],
    ['PATCH', '/api/v1/account', { name: 'Mine now' }],
    ['POST', '/api/v1/queues', { name: 'Q' }],
  ] as const) {
    const r = await env.req(m, url, { token: t, body });
    assert.equal(r.status, 403, `${m} ${url} → ${r.status}`);
    assert.equal(r.json.error.code, 'forbidden');
  }
});

test('a token of one account gets 404 for a conversation of another', async () => {
  const other = await env.makeAccount('globex');
  const c = await env.req('POST', '/api/v1/conversations', { body: convBody() });
  assert.equal(c.status, 201);
  for (const role of ['agent', 'admin'] as const) {
    const r = await env.req('GET', `/api/v1/conversations/${c.json.id}`, { token: other.tokens[role] });
    assert.equal(r.status, 404);
    const w = await env.req('POST', `/api/v1/conversations/${c.json.id}/replies`, { token: other.tokens[role], body: { text: 'hi' } });
    assert.equal(w.status, 404);
  }
  const list = await env.req('GET', '/api/v1/conversations', { token: other.tokens.admin });
  assert.equal(list.json.total, 0);
});

test('tokens: create shows the secret once, list hides it, revoke stops it', async () => {
  const c = await env.req('POST', '/api/v1/tokens', { body: { role: 'agent', name: 'script' } });
  assert.equal(c.status, 201);
  assert.match(c.json.token, /^es_/);
  const list = await env.req('GET', '/api/v1/tokens');
  assert.ok(list.json.items.some((t: any) => t.id === c.json.id && !('token' in t)));
  assert.equal((await env.req('GET', '/api/v1/me', { token: c.json.token })).status, 200);
  assert.equal((await env.req('DELETE', `/api/v1/tokens/${c.json.id}`)).status, 204);
  assert.equal((await env.req('GET', '/api/v1/me', { token: c.json.token })).status, 401);
});

test('disabling a user ends their sessions', async () => {
  const u = await env.req('POST', '/api/v1/users', { body: { email: 'temp@acme.test', name: 'Temp', role: 'agent', password: 'temporary-password' } });
  const { cookie } = await login('temp@acme.test', 'temporary-password');
  assert.equal((await env.req('GET', '/api/v1/me', { token: '', cookie })).status, 200);
  const d = await env.req('PATCH', `/api/v1/users/${u.json.id}`, { body: { disabled: true } });
  assert.equal(d.json.disabled, true);
  assert.equal((await env.req('GET', '/api/v1/me', { token: '', cookie })).status, 401);
  assert.equal((await login('temp@acme.test', 'temporary-password')).r.status, 401);
});

test('sign-in is rate limited', async () => {
  const strict = await (await import('./helpers.js')).setup({ loginRateLimit: 3 });
  try {
    const codes = [];
    for (let i = 0; i < 5; i++)
      codes.push((await strict.req('POST', '/api/v1/auth/login', { token: '', body: { email: 'a@b.cd', password: 'nope' } })).status);
    assert.deepEqual(codes, [401, 401, 401, 429, 429]);
  } finally {
    await strict.close();
  }
});

test('secrets never appear in responses of the audit log', async () => {
  const r = await env.req('GET', '/api/v1/audit?limit=200');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.some((e: any) => e.action === 'user.created'));
  assert.ok(!r.body.includes('correct horse'));
  assert.ok(!/es_[A-Za-z0-9_-]{20}/.test(r.body));
});
