/**
 * Invitations and password resets (issue 13): users created without a password get an invitation email in their
 * language with a single-use, expiring link; "Forgot password?" answers the same for every address and mails only
 * known ones; tokens are stored hashed; setting a password ends the user's sessions; used and expired links say so.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { setup, type TestEnv } from './helpers.js';
import { sha256 } from '../src/platform/password.js';
import { PASSWORD_TEXTS, RESETS_PER_HOUR } from '../src/modules/accounts/passwords.service.js';

let env: TestEnv;
const BASE = 'https://help.acme.test';
let now = Date.now();
/** Moves the app's clock forward (links expire on it). */
const tick = (ms: number) => {
  now += ms;
  env.clock.now = new Date(now);
};

before(async () => {
  env = await setup({ publicUrl: `${BASE}/` });
  tick(0);
});
after(() => env.close());

const runJobs = () => env.app.jobs.runDue(new Date(Math.max(now, Date.now()) + 1_000));
/** The newest mail to `to` and the token of its set-password link. */
async function mailTo(to: string) {
  const r = await env.db.query<{ subject: string; text_body: string; headers: Record<string, string> }>(
    `SELECT subject, text_body, headers FROM outbound_emails WHERE $1 = ANY(to_addresses) ORDER BY created_at DESC, id DESC LIMIT 1`,
    [to],
  );
  const m = r.rows[0];
  const link = /https?:\/\/\S+\/set-password\?lang=(\w+)#token=([\w-]+)/.exec(m?.text_body ?? '');
  return { mail: m, link: link?.[0], lang: link?.[1], token: link?.[2] ?? '' };
}
const mailCount = async (to: string) =>
  (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbound_emails WHERE $1 = ANY(to_addresses)', [to])).rows[0].n;
const login = (email: string, password: string) => env.req('POST', '/api/v1/auth/login', { token: '', body: { email, password } });
const cookieOf = (r: { headers: Record<string, any> }) => [r.headers['set-cookie']].flat().map((c: string) => c.split(';')[0]).join('; ');

test('a user added without a password gets an invitation in their language; the link sets the password once', async () => {
  const r = await env.req('POST', '/api/v1/users', { body: { email: 'Lena@acme.test', name: 'Lena Schmidt', role: 'agent', locale: 'de' } });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.passwordSet, false);
  assert.ok(r.json.invitedUntil, 'the open invitation is shown');
  const { mail, link, lang, token } = await mailTo('Lena@acme.test');
  assert.equal(mail.subject, 'Einladung zu Test acme in Earshot');
  assert.match(mail.text_body, /^Hallo Lena Schmidt,/);
  assert.match(mail.text_body, /als Agent zu Test acme/);
  assert.ok(link?.startsWith(`${BASE}/set-password?lang=de#token=`), `absolute link on PUBLIC_URL: ${link}`);
  assert.equal(lang, 'de');
  assert.equal(mail.headers['Auto-Submitted'], 'auto-generated');
  // Only the hash is stored.
  const stored = await env.db.query<{ token_hash: string }>('SELECT token_hash FROM password_tokens WHERE user_id = $1', [r.json.id]);
  assert.deepEqual(stored.rows.map((x) => x.token_hash), [sha256(token)]);
  assert.equal((await env.db.query(`SELECT 1 FROM password_tokens WHERE token_hash = $1`, [token])).rows.length, 0);

  const check = await env.req('POST', '/api/v1/auth/password/check', { token: '', body: { token } });
  assert.equal(check.status, 200);
  assert.equal(check.json.state, 'valid');
  assert.equal(check.json.purpose, 'invite');
  assert.equal(check.json.name, 'Lena Schmidt');
  assert.equal(check.json.locale, 'de');

  assert.equal((await login('lena@acme.test', 'whatever-it-is')).status, 401, 'no password yet: nobody can sign in');
  const short = await env.req('POST', '/api/v1/auth/password/set', { token: '', body: { token, password: 'short' } });
  assert.equal(short.status, 400);
  assert.equal(short.json.error.field, 'body/password');
  const set = await env.req('POST', '/api/v1/auth/password/set', { token: '', body: { token, password: 'Zelte und Schlafsäcke' } });
  assert.equal(set.status, 200, set.body);
  assert.equal((await login('lena@acme.test', 'Zelte und Schlafsäcke')).status, 200);

  const again = await env.req('POST', '/api/v1/auth/password/set', { token: '', body: { token, password: 'another password' } });
  assert.equal(again.status, 410);
  assert.equal(again.json.error.code, 'token_used');
  assert.match(again.json.error.message, /used already/);
  assert.equal((await env.req('POST', '/api/v1/auth/password/check', { token: '', body: { token } })).json.state, 'used');
  const user = (await env.req('GET', `/api/v1/users/${r.json.id}`)).json;
  assert.equal(user.passwordSet, true);
  assert.equal(user.invitedUntil, null);
  const audit = await env.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [r.json.id]);
  assert.deepEqual(audit.rows.map((x) => x.action).filter((a) => a !== 'user.signed_in'), ['user.created', 'user.invited', 'user.password_set']);
});

test('resending an invitation replaces the earlier link; it is admin-only, for users without a password, in this account', async () => {
  const u = (await env.req('POST', '/api/v1/users', { body: { email: 'ingrid@acme.test', name: 'Ingrid Nilsen', role: 'leader', locale: 'nb' } })).json;
  const first = await mailTo('ingrid@acme.test');
  assert.equal(first.mail.subject, 'Du er invitert til Test acme i Earshot');
  assert.match(first.mail.text_body, /som leder/);
  tick(60_000);
  const resend = await env.req('POST', `/api/v1/users/${u.id}/invitation`);
  assert.equal(resend.status, 201, resend.body);
  assert.equal(resend.json.email, 'ingrid@acme.test');
  const second = await mailTo('ingrid@acme.test');
  assert.notEqual(second.token, first.token);
  assert.equal((await env.req('POST', '/api/v1/auth/password/check', { token: '', body: { token: first.token } })).json.state, 'used', 'the earlier link is replaced');

  assert.equal((await env.req('POST', `/api/v1/users/${u.id}/invitation`, { token: env.tokens.supervisor })).status, 403);
  const other = await env.makeAccount('other-inv');
  assert.equal((await env.req('POST', `/api/v1/users/${u.id}/invitation`, { token: other.tokens.admin })).status, 404);
  assert.equal((await env.req('POST', '/api/v1/users/not-a-uuid/invitation')).status, 404);

  // Expired: a week later the link says so, and cannot be used.
  tick(8 * 86_400_000);
  assert.equal((await env.req('POST', '/api/v1/auth/password/check', { token: '', body: { token: second.token } })).json.state, 'expired');
  const late = await env.req('POST', '/api/v1/auth/password/set', { token: '', body: { token: second.token, password: 'too late for this' } });
  assert.equal(late.status, 410);
  assert.equal(late.json.error.code, 'token_expired');

  // Once a password is set (here by the admin), there is nothing to invite to.
  assert.equal((await env.req('PATCH', `/api/v1/users/${u.id}`, { body: { password: 'set by the admin' } })).status, 200);
  const has = await env.req('POST', `/api/v1/users/${u.id}/invitation`);
  assert.equal(has.status, 409);
  assert.equal(has.json.error.code, 'password_set');

  // invite: false creates the user without a mail.
  const quiet = await env.req('POST', '/api/v1/users', { body: { email: 'quiet@acme.test', name: 'Quiet', role: 'agent', invite: false } });
  assert.equal(quiet.status, 201);
  assert.equal(await mailCount('quiet@acme.test'), 0);
  assert.equal(quiet.json.invitedUntil, null);
});

test('forgot password: the same answer for known and unknown addresses; only a known one gets a link; it ends other sessions', async () => {
  await env.req('POST', '/api/v1/users', { body: { email: 'maria@acme.test', name: 'Maria Lund', role: 'agent', password: 'the old password' } });
  const session = cookieOf(await login('maria@acme.test', 'the old password'));
  assert.equal((await env.req('GET', '/api/v1/me', { token: '', cookie: session })).status, 200);

  const known = await env.req('POST', '/api/v1/auth/password/forgot', { token: '', body: { email: 'Maria@acme.test' } });
  const unknown = await env.req('POST', '/api/v1/auth/password/forgot', { token: '', body: { email: 'nobody@acme.test' } });
  assert.equal(known.status, 202);
  assert.deepEqual([unknown.status, unknown.body], [known.status, known.body]);
  await runJobs();
  assert.equal(await mailCount('nobody@acme.test'), 0);
  const { mail, token } = await mailTo('maria@acme.test');
  assert.equal(mail.subject, 'Set a new password for Test acme on Earshot');
  assert.match(mail.text_body, /signs you out everywhere else/);
  assert.equal((await env.req('POST', '/api/v1/auth/password/check', { token: '', body: { token } })).json.purpose, 'reset');

  const set = await env.req('POST', '/api/v1/auth/password/set', { token: '', body: { token, password: 'the new password' } });
  assert.equal(set.status, 200);
  assert.equal((await env.req('GET', '/api/v1/me', { token: '', cookie: session })).status, 401, 'the other session ended');
  assert.equal((await login('maria@acme.test', 'the old password')).status, 401);
  assert.equal((await login('maria@acme.test', 'the new password')).status, 200);

  // A reset link is valid for an hour.
  await env.req('POST', '/api/v1/auth/password/forgot', { token: '', body: { email: 'maria@acme.test' } });
  await runJobs();
  const late = await mailTo('maria@acme.test');
  tick(61 * 60_000);
  assert.equal((await env.req('POST', '/api/v1/auth/password/set', { token: '', body: { token: late.token, password: 'after an hour' } })).json.error.code, 'token_expired');
});

test('an address gets at most a few reset links an hour; disabled users none; bad input is a clear 400', async () => {
  const u = (await env.req('POST', '/api/v1/users', { body: { email: 'sam@acme.test', name: 'Sam', role: 'agent', password: 'sams password' } })).json;
  const before = await mailCount('sam@acme.test');
  for (let i = 0; i < RESETS_PER_HOUR + 2; i++) {
    const r = await env.req('POST', '/api/v1/auth/password/forgot', { token: '', body: { email: 'sam@acme.test' } });
    assert.equal(r.status, 202);
    await runJobs();
  }
  assert.equal(await mailCount('sam@acme.test'), before + RESETS_PER_HOUR);
  tick(61 * 60_000);
  await env.req('PATCH', `/api/v1/users/${u.id}`, { body: { disabled: true } });
  await env.req('POST', '/api/v1/auth/password/forgot', { token: '', body: { email: 'sam@acme.test' } });
  await runJobs();
  assert.equal(await mailCount('sam@acme.test'), before + RESETS_PER_HOUR, 'a disabled user gets no link');

  const bad = await env.req('POST', '/api/v1/auth/password/forgot', { token: '', body: { email: 'not an address' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'email');
  const unknown = await env.req('POST', '/api/v1/auth/password/set', { token: '', body: { token: 'x'.repeat(43), password: 'a long password' } });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.error.code, 'token_unknown');
  const odd = await env.req('POST', '/api/v1/auth/password/check', { token: '', body: { token: '../../etc' } });
  assert.deepEqual(odd.json, { state: 'unknown' });
  assert.equal((await env.req('POST', '/api/v1/auth/password/set', { token: '', body: { token: 'abc' } })).status, 400);
});

test('every invitation and reset text exists in English, German and Norwegian', () => {
  for (const [key, byLang] of Object.entries(PASSWORD_TEXTS)) for (const l of ['en', 'de', 'nb'] as const) assert.ok(byLang[l]?.trim(), `${key}.${l}`);
});
