/**
 * Issue 14 item 1: mail domains belong to one account. An address in a domain another account holds gets the same
 * answer as an address in a domain nobody holds (no existence leak), inbound mail for such an address is refused, and
 * email probes may only write to the probing account's own mailboxes.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { setup, type TestEnv } from './helpers.js';
import { startSmtpServer, type SmtpHandle } from '../src/modules/channels/email/smtp.js';
import { claimDomain, listDomains, releaseDomain } from '../src/modules/channels/email/domains.service.js';
import { senderMailbox } from '../src/modules/channels/email/outbound.js';

let env: TestEnv;
let smtp: SmtpHandle;
let other: { accountId: string; tokens: Record<string, string> };

before(async () => {
  env = await setup();
  smtp = await startSmtpServer(env.ctx, { port: 0, host: '127.0.0.1' });
});
after(async () => {
  await smtp.close();
  await env.close();
});

async function send(to: string) {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, connectionTimeout: 10_000 } as any);
  try {
    await t.sendMail({ envelope: { from: 'anna@example.com', to }, raw: `From: anna@example.com\r\nTo: ${to}\r\nSubject: Hello\r\nMessage-ID: <${Math.random()}@example.com>\r\n\r\nHi\r\n` });
    return 250;
  } catch (err: any) {
    return err.responseCode as number;
  } finally {
    t.close();
  }
}

/** The answer without the address itself: what an outsider may compare between two attempts. */
function shape(r: { status: number; json: any }, address: string) {
  const domain = address.split('@')[1];
  return { status: r.status, code: r.json?.error?.code, field: r.json?.error?.field, message: String(r.json?.error?.message).split(address).join('<a>').split(domain).join('<d>') };
}

test('on an install with one account, the first mailbox of a domain claims it for that account', async () => {
  const r = await env.req('POST', '/api/v1/mailboxes', { body: { address: 'support@acme.test' } });
  assert.equal(r.status, 201, r.body);
  const domains = await listDomains(env.ctx);
  assert.deepEqual(domains.map((d) => [d.domain, d.accountId, d.claimedBy]), [['acme.test', env.accountId, 'first-use']]);
  assert.equal(await send('support@acme.test'), 250);
});

test("another account cannot add or move a mailbox into a claimed domain, and learns nothing about it", async () => {
  other = await env.makeAccount('other');
  const tok = other.tokens.admin;
  const taken = await env.req('POST', '/api/v1/mailboxes', { token: tok, body: { address: 'support@acme.test' } }); // exists in A
  const fresh = await env.req('POST', '/api/v1/mailboxes', { token: tok, body: { address: 'sales@acme.test' } }); // A's domain, free address
  const unknown = await env.req('POST', '/api/v1/mailboxes', { token: tok, body: { address: 'sales@nobody.test' } }); // nobody's domain
  assert.equal(taken.status, 400, taken.body);
  assert.equal(taken.json.error.field, 'address');
  assert.deepEqual(shape(taken, 'support@acme.test'), shape(unknown, 'sales@nobody.test'));
  assert.deepEqual(shape(fresh, 'sales@acme.test'), shape(unknown, 'sales@nobody.test'));
  assert.equal((await env.db.query(`SELECT count(*)::int AS n FROM mailboxes WHERE account_id = $1`, [other.accountId])).rows[0].n, 0);
  // Now two accounts: a new domain needs the operator's claim, even for the first account.
  const mine = await env.req('POST', '/api/v1/mailboxes', { body: { address: 'help@new.test' } });
  assert.equal(mine.status, 400, mine.body);
  await claimDomain(env.ctx, other.accountId, 'Other.test');
  const ok = await env.req('POST', '/api/v1/mailboxes', { token: tok, body: { address: 'desk@other.test' } });
  assert.equal(ok.status, 201, ok.body);
  const moved = await env.req('PATCH', `/api/v1/mailboxes/${ok.json.id}`, { token: tok, body: { address: 'sales@acme.test' } });
  assert.deepEqual(shape(moved, 'sales@acme.test'), shape(unknown, 'sales@nobody.test'));
  // A claim held by another account is not taken over silently.
  await assert.rejects(claimDomain(env.ctx, other.accountId, 'acme.test'), /claimed by another account/);
  // Own duplicate: the 409 only ever concerns the account's own domain.
  const dup = await env.req('POST', '/api/v1/mailboxes', { token: tok, body: { address: 'desk@other.test' } });
  assert.equal(dup.status, 409);
});

test("a mailbox in another account's domain neither receives nor sends", async () => {
  // A mailbox made before claims existed (or written around the service).
  const legacy = (await env.db.query<{ id: string }>(`INSERT INTO mailboxes (account_id, address) VALUES ($1, 'billing@acme.test') RETURNING id`, [other.accountId])).rows[0].id;
  assert.equal(await send('billing@acme.test'), 550);
  // Nor does it send as the domain's account: replies go out from the account's own mailbox.
  assert.equal((await senderMailbox(env.db, other.accountId, null, legacy))?.address, 'desk@other.test');
  assert.equal(await send('support@acme.test'), 250);
  assert.equal(await send('desk@other.test'), 250);
  // Moving the claim (operator, explicit) moves who receives.
  await releaseDomain(env.ctx, 'acme.test');
  await claimDomain(env.ctx, other.accountId, 'acme.test');
  assert.equal(await send('support@acme.test'), 550);
  assert.equal(await send('billing@acme.test'), 250);
  await releaseDomain(env.ctx, 'acme.test');
  await claimDomain(env.ctx, env.accountId, 'acme.test');
});

test("email probes may only write to the probing account's own mailboxes", async () => {
  const foreign = await env.req('POST', '/api/v1/probes', { token: other.tokens.admin, body: { name: 'Spy', channel: 'email', target: 'support@acme.test' } });
  assert.equal(foreign.status, 400, foreign.body);
  assert.equal(foreign.json.error.field, 'target');
  const none = await env.req('POST', '/api/v1/probes', { token: other.tokens.admin, body: { name: 'Spy', channel: 'email', target: 'nobody@other.test' } });
  assert.equal(none.status, 400, none.body);
  assert.equal(none.json.error.message, foreign.json.error.message.replace('support@acme.test', 'nobody@other.test'));
  const own = await env.req('POST', '/api/v1/probes', { token: other.tokens.admin, body: { name: 'Mine', channel: 'email', target: 'desk+probe@other.test' } });
  assert.equal(own.status, 201, own.body);
});

test('earshot domain claim|list|release: the operator gives a domain to an account', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { run } = await import('./cli-run.js');
  const dir = mkdtempSync(join(tmpdir(), 'earshot-domain-cli-'));
  const data = ['--data', join(dir, 'db')];
  try {
    for (const slug of ['one', 'two']) assert.equal((await run(['account', 'create', slug, '--slug', slug, ...data])).code, 0);
    const claim = await run(['domain', 'claim', '--account', 'one', '--domain', 'One.example', ...data]);
    assert.equal(claim.code, 0, claim.stderr);
    const taken = await run(['domain', 'claim', '--account', 'two', '--domain', 'one.example', ...data]);
    assert.notEqual(taken.code, 0);
    assert.match(taken.stderr, /claimed by another account/);
    assert.equal((await run(['mailbox', 'add', '--account', 'one', '--address', 'help@one.example', ...data])).code, 0);
    const refused = await run(['mailbox', 'add', '--account', 'two', '--address', 'x@one.example', ...data]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /not a mail domain of this account/);
    const list = await run(['domain', 'list', '--json', ...data]);
    assert.deepEqual(JSON.parse(list.stdout).map((d: any) => [d.domain, d.accountSlug, d.claimedBy]), [['one.example', 'one', 'operator']]);
    assert.equal((await run(['domain', 'release', '--domain', 'one.example', ...data])).code, 0);
    assert.equal((await run(['domain', 'claim', '--account', 'two', '--domain', 'one.example', ...data])).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
