/**
 * Issue 14 item 5: a per-address sign-in throttle with back-off, kept in the database (shared by every server
 * process), with an audit entry on lock; and new passwords checked against a list of common passwords.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, type TestEnv } from './helpers.js';
import { buildApp, type App } from '../src/server/app.js';
import { hashPassword } from '../src/platform/password.js';
import { run, show, tempDataDir } from './cli-run.js';

let env: TestEnv;
/** A second server process on the same database: the throttle must hold across processes. */
let other: App;
let now = new Date('2026-06-01T08:00:00Z').getTime();
const tick = (ms: number) => {
  now += ms;
  env.clock.now = new Date(now);
};
const PW = 'correct horse battery';

before(async () => {
  env = await setup();
  tick(0);
  other = await buildApp({ db: env.db, config: env.config, logger: false, now: () => env.clock.now ?? new Date() });
  await other.ready();
  for (const email of ['lena@acme.test', 'ole@acme.test', 'kim@acme.test'])
    assert.equal((await env.req('POST', '/api/v1/users', { body: { email, name: email, role: 'agent', password: PW } })).status, 201);
});
after(async () => {
  await other.close();
  await env.close();
});

let ipSeq = 0;
/** Each attempt from another IP: the per-IP limit is not what stops these. */
async function login(email: string, password: string, app: App = env.app) {
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: `10.1.${++ipSeq >> 8}.${ipSeq & 255}`, payload: { email, password } });
  return { status: r.statusCode, json: JSON.parse(r.body), headers: r.headers };
}
const auditOf = async (email: string) =>
  (await env.db.query<{ action: string; data: any }>(
    `SELECT a.action, a.data FROM audit_log a JOIN users u ON u.id = a.target_id::uuid WHERE u.email = $1 AND a.action = 'user.login_locked' ORDER BY a.id`,
    [email],
  )).rows;

test('five wrong passwords lock the address, on every server process; the lock ends; an audit entry records it', async () => {
  for (let i = 0; i < 4; i++) assert.equal((await login('lena@acme.test', `wrong guess ${i}`, i % 2 ? other : env.app)).status, 401);
  assert.deepEqual(await auditOf('lena@acme.test'), [], 'no lock before the fifth failure');
  const fifth = await login('LENA@acme.test', 'wrong guess 4', other);
  assert.equal(fifth.status, 401);
  // Locked now: even the right password is refused, on both processes, with when to come back.
  for (const app of [env.app, other]) {
    const r = await login('lena@acme.test', PW, app);
    assert.equal(r.status, 429, JSON.stringify(r.json));
    assert.equal(r.json.error.code, 'login_locked');
    assert.equal(r.headers['retry-after'], '60');
    assert.ok(r.json.error.detail, 'a translated detail for the web form');
  }
  const entries = await auditOf('lena@acme.test');
  assert.equal(entries.length, 1);
  assert.equal(entries[0].data.failedAttempts, 5);
  assert.equal(entries[0].data.lockedForSeconds, 60);
  // Another address is not affected.
  assert.equal((await login('ole@acme.test', PW)).status, 200);
  tick(61_000);
  assert.equal((await login('lena@acme.test', PW)).status, 200, 'the lock has ended; the right password signs in');
  // A success clears the count: four more failures do not lock.
  for (let i = 0; i < 4; i++) assert.equal((await login('lena@acme.test', `again ${i}`)).status, 401);
  assert.equal((await login('lena@acme.test', PW)).status, 200);
});

test('the lock backs off: each failure after a lock doubles it, up to the maximum', async () => {
  for (let i = 0; i < 5; i++) await login('kim@acme.test', `nope ${i}`);
  assert.equal((await login('kim@acme.test', PW)).headers['retry-after'], '60');
  tick(60_000);
  assert.equal((await login('kim@acme.test', 'still wrong')).status, 401, 'one guess after the lock ends');
  const r = await login('kim@acme.test', PW);
  assert.equal(r.status, 429);
  assert.equal(r.headers['retry-after'], '120');
  for (const want of ['240', '480', '900', '900']) {
    tick(Number(r.headers['retry-after']) * 1000 + 900_000);
    assert.equal((await login('kim@acme.test', 'wrong again')).status, 401);
    assert.equal((await login('kim@acme.test', PW)).headers['retry-after'], want);
  }
  assert.equal((await auditOf('kim@acme.test')).length, 6, 'one entry per lock');
});

test('a burst of parallel guesses is counted too: at most the limit reach the password check', async () => {
  const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => login('burst@acme.test', `guess ${i}`)));
  const codes = rs.map((r) => r.status).sort();
  assert.equal(codes.filter((c) => c === 401).length, 5, codes.join(','));
  assert.equal(codes.filter((c) => c === 429).length, 7, codes.join(','));
});

test('an unknown address locks the same way as a known one (a lock tells nothing about which addresses exist)', async () => {
  tick(3_600_000);
  for (let i = 0; i < 5; i++) assert.equal((await login('nobody@acme.test', `x ${i}`)).status, 401);
  assert.equal((await login('nobody@acme.test', 'x')).json.error.code, 'login_locked');
});

test('new passwords: common ones are refused wherever a password is chosen, in the user\'s language; existing ones still sign in', async () => {
  for (const bad of ['password1234', 'Password123', 'P@ssw0rd1234', 'qwertyuiop', '1234567890', 'iloveyou12']) {
    const r = await env.req('POST', '/api/v1/users', { body: { email: `c-${bad.length}@acme.test`, name: 'C', role: 'agent', password: bad }, headers: { 'accept-language': 'de' } });
    assert.equal(r.status, 400, `${bad}: ${r.body}`);
    assert.equal(r.json.error.code, 'password_common');
    assert.equal(r.json.error.field, 'password');
    assert.match(r.json.error.detail, /häufigsten/);
  }
  const lena = (await env.db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'lena@acme.test'`)).rows[0].id;
  const patch = await env.req('PATCH', `/api/v1/users/${lena}`, { body: { password: 'qwerty123456' }, headers: { 'accept-language': 'nb' } });
  assert.equal(patch.status, 400, patch.body);
  assert.equal(patch.json.error.code, 'password_common');
  assert.match(patch.json.error.detail, /vanligste/);
  // Through a reset link.
  await env.req('POST', '/api/v1/auth/password/forgot', { token: '', body: { email: 'ole@acme.test' } });
  await env.app.jobs.runDue(new Date(Math.max(now, Date.now()) + 1_000));
  const mail = (await env.db.query<{ text_body: string }>(`SELECT text_body FROM outbound_emails WHERE 'ole@acme.test' = ANY(to_addresses) ORDER BY created_at DESC LIMIT 1`)).rows[0];
  const token = /#token=([\w-]+)/.exec(mail.text_body)![1];
  const set = await env.req('POST', '/api/v1/auth/password/set', { token: '', body: { token, password: 'iloveyou2026' } });
  assert.equal(set.status, 400, set.body);
  assert.equal(set.json.error.code, 'password_common');
  assert.equal((await env.req('POST', '/api/v1/auth/password/set', { token: '', body: { token, password: 'tent pegs in the rain' } })).status, 200);
  // Uncommon passwords (the demo's too) are fine.
  assert.equal((await env.req('POST', '/api/v1/users', { body: { email: 'demo-like@acme.test', name: 'D', role: 'agent', password: 'earshot-demo' } })).status, 201);
  // A password set before the rule still signs in.
  await env.db.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [lena, await hashPassword('password1234')]);
  assert.equal((await login('lena@acme.test', 'password1234')).status, 200);
});

test('the CLI refuses a common password for a new user', { timeout: 120_000 }, async (t) => {
  const dir = tempDataDir(t);
  assert.equal((await run(['account', 'create', 'Acme', '--data', dir])).code, 0);
  const bad = await run(['user', 'add', '--account', 'acme', '--email', 'a@acme.test', '--name', 'A', '--role', 'agent', '--password', 'password1234', '--data', dir]);
  assert.equal(bad.code, 1, show(bad));
  assert.match(bad.stderr, /password: is one of the most common passwords/, show(bad));
});
