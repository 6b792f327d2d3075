/**
 * IMAP against a real Dovecot started by the test (test/dovecot.ts): polling with the UIDVALIDITY/UID checkpoint,
 * restarts without duplicates, a recreated folder, IDLE push, errors recorded without the password, and the CLI.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup, type TestEnv } from './helpers.js';
import { dovecotMissing, startDovecot, type Dovecot } from './dovecot.js';
import { run } from './cli-run.js';
import { openDb } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { createAccount } from '../src/modules/accounts/accounts.service.js';
import { systemPrincipal } from '../src/platform/context.js';
import { createMailbox } from '../src/modules/channels/email/mailboxes.service.js';
import { addImapSource, listImapSources } from '../src/modules/channels/email/imap.service.js';
import { pollImapOnce, startImapPoller } from '../src/modules/channels/email/imap.js';

const missing = dovecotMissing();
if (missing) console.log(`# ${missing}`);

let env: TestEnv;
let dv: Dovecot;
let sourceId: string;

before(async () => {
  if (missing) return;
  dv = await startDovecot();
  env = await setup();
  await createMailbox(env.ctx, systemPrincipal(env.accountId), { address: 'help@acme.test', name: 'Acme Help' });
  const s = await addImapSource(env.ctx, env.accountId, {
    mailbox: 'help@acme.test', host: dv.host, port: dv.port, secure: false, username: dv.user, password: dv.password, mode: 'poll',
  });
  sourceId = s.id;
});
after(async () => {
  await env?.close();
  await dv?.stop();
});

let n = 0;
function mail(subject: string, o: { id?: string; from?: string } = {}) {
  n++;
  return [
    `From: ${o.from ?? `Customer ${n} <c${n}@customer.test>`}`,
    'To: help@acme.test',
    `Subject: ${subject}`,
    `Message-ID: ${o.id ?? `<imap-${n}-${Date.now()}@customer.test>`}`,
    'Date: Wed, 25 Nov 2026 10:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Body of ${subject}`,
    '',
  ].join('\r\n');
}

const conversationSubjects = async () =>
  (await env.db.query<{ subject: string }>(`SELECT subject FROM conversations WHERE account_id = $1 AND channel = 'email' ORDER BY subject`, [env.accountId])).rows.map((r) => r.subject);
const imapCount = async () =>
  (await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM email_messages WHERE account_id = $1 AND source = 'imap'`, [env.accountId])).rows[0].n;

test('poll: 3 appended messages become 3 conversations; a restart stores nothing twice; 2 more are exactly those 2', { skip: missing ?? false }, async () => {
  await dv.append('INBOX', mail('One'), mail('Two'), mail('Three'));
  const r = await pollImapOnce(env.ctx, sourceId);
  assert.equal(r.stored, 3);
  assert.equal(r.lastUid, 3);
  assert.deepEqual(await conversationSubjects(), ['One', 'Three', 'Two']);
  const conv = await env.db.query<{ channel: string; n: number }>(
    `SELECT c.channel, (SELECT count(*)::int FROM contact_events e WHERE e.conversation_id = c.id AND e.type = 'contact.arrived') AS n
       FROM conversations c WHERE c.subject = 'One'`,
  );
  assert.deepEqual(conv.rows, [{ channel: 'email', n: 1 }]);

  // A restart: the checkpoint holds, nothing is fetched again.
  const again = await pollImapOnce(env.ctx, sourceId);
  assert.equal(again.fetched, 0);
  // A crash after ingest but before the checkpoint moved: the refetch is stored once (Message-ID).
  await env.db.query('UPDATE imap_sources SET last_uid = 1 WHERE id = $1', [sourceId]);
  const refetch = await pollImapOnce(env.ctx, sourceId);
  assert.equal(refetch.fetched, 2);
  assert.equal(refetch.duplicates, 2);
  assert.equal(refetch.stored, 0);
  assert.equal(await imapCount(), 3);

  await dv.append('INBOX', mail('Four'), mail('Five'));
  const more = await pollImapOnce(env.ctx, sourceId);
  assert.deepEqual([more.fetched, more.stored, more.lastUid], [2, 2, 5]);
  assert.deepEqual(await conversationSubjects(), ['Five', 'Four', 'One', 'Three', 'Two']);
  const [src] = await listImapSources(env.ctx, env.accountId);
  assert.equal(src.lastUid, 5);
  assert.equal(src.lastError, null);
  assert.ok(src.lastPolledAt);
  assert.equal('password' in src, false);
});

test('a changed UIDVALIDITY (folder recreated) resets the checkpoint; already stored mail is not stored again', { skip: missing ?? false }, async () => {
  const s = await addImapSource(env.ctx, env.accountId, {
    mailbox: 'help@acme.test', host: dv.host, port: dv.port, username: dv.user, password: dv.password, folder: 'Support', mode: 'poll',
  });
  const kept = `<kept-${Date.now()}@customer.test>`;
  await dv.append('Support', mail('Six', { id: kept }), mail('Seven'), mail('Eight'));
  const first = await pollImapOnce(env.ctx, s.id);
  assert.equal(first.stored, 3);
  const v1 = (await env.db.query<{ uidvalidity: number }>('SELECT uidvalidity FROM imap_sources WHERE id = $1', [s.id])).rows[0].uidvalidity;

  // Recreate the folder: new UIDVALIDITY, UIDs start at 1 again. One old message comes back, one is new.
  const c = await dv.client();
  await c.mailboxDelete('Support');
  await new Promise((r) => setTimeout(r, 1100)); // Dovecot derives UIDVALIDITY from the clock
  await c.mailboxCreate('Support');
  await c.logout();
  await dv.append('Support', mail('Six', { id: kept }), mail('Nine'));
  const after = await pollImapOnce(env.ctx, s.id);
  const v2 = (await env.db.query<{ uidvalidity: number; last_uid: number }>('SELECT uidvalidity, last_uid FROM imap_sources WHERE id = $1', [s.id])).rows[0];
  assert.notEqual(v2.uidvalidity, v1);
  assert.equal(after.uidValidityReset, true);
  assert.deepEqual([after.fetched, after.duplicates, after.stored], [2, 1, 1]);
  assert.equal(v2.last_uid, 2);
  const six = await env.db.query(`SELECT 1 FROM conversations WHERE account_id = $1 AND subject = 'Six'`, [env.accountId]);
  assert.equal(six.rows.length, 1);
});

test('IDLE: a new message is picked up without polling', { skip: missing ?? false }, async () => {
  const s = await addImapSource(env.ctx, env.accountId, {
    mailbox: 'help@acme.test', host: dv.host, port: dv.port, username: dv.user, password: dv.password, folder: 'Pushed', mode: 'idle',
  });
  await dv.append('Pushed', mail('Before idle'));
  // Polling would only happen after an hour: anything that arrives sooner came through IDLE.
  const poller = startImapPoller(env.ctx, s.id, { pollMs: 3_600_000 });
  try {
    const first = await withTimeout(poller.synced(), 15_000, 'first sync');
    assert.equal(first.stored, 1);
    const next = poller.synced();
    await dv.append('Pushed', mail('Pushed while idle'));
    const r = await withTimeout(next, 15_000, 'the IDLE push');
    assert.equal(r.stored, 1);
    const got = await env.db.query(`SELECT 1 FROM conversations WHERE account_id = $1 AND subject = 'Pushed while idle'`, [env.accountId]);
    assert.equal(got.rows.length, 1);
  } finally {
    await poller.stop();
  }
});

test('a wrong password is recorded on the source, without the password', { skip: missing ?? false }, async () => {
  const s = await addImapSource(env.ctx, env.accountId, {
    mailbox: 'help@acme.test', host: dv.host, port: dv.port, username: dv.user, password: 'WRONG-s3cret', folder: 'INBOX', mode: 'poll',
  });
  // Same mailbox/host/user/folder as the first source: the add updated it. Put the right one back afterwards.
  assert.equal(s.id, sourceId);
  await assert.rejects(pollImapOnce(env.ctx, s.id), (err: Error) => /authentication failed/i.test(err.message) && !err.message.includes('WRONG-s3cret'));
  const [row] = (await env.db.query<{ last_error: string }>('SELECT last_error FROM imap_sources WHERE id = $1', [s.id])).rows;
  assert.match(row.last_error, /authentication failed/i);
  assert.equal(row.last_error.includes('WRONG-s3cret'), false);
  await addImapSource(env.ctx, env.accountId, { mailbox: 'help@acme.test', host: dv.host, port: dv.port, username: dv.user, password: dv.password, mode: 'poll' });
});

test('CLI: imap add (password from an environment variable), list, poll', { skip: missing ?? false }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-imap-cli-'));
  const data = ['--data', join(dir, 'db')];
  try {
    // The account and mailbox are set up in-process (their CLI is tested elsewhere); the imap commands run for real.
    const db = await openDb({ dataDir: join(dir, 'db') });
    try {
      await migrate(db);
      const ctx = { db, config: env.config, now: () => new Date() };
      const a = await createAccount(ctx, { name: 'Cli Co', slug: 'cli-co' });
      await createMailbox(ctx, systemPrincipal(a.id), { address: 'desk@cli.test' });
    } finally {
      await db.close();
    }
    const noEnv = await run(['imap', 'add', '--account', 'cli-co', '--mailbox', 'desk@cli.test', '--host', dv.host, '--port', String(dv.port), '--user', dv.user, '--password-env', 'NOPE_UNSET', ...data]);
    assert.notEqual(noEnv.code, 0);
    assert.match(noEnv.stderr, /NOPE_UNSET is not set/);
    const add = await run(
      ['imap', 'add', '--account', 'cli-co', '--mailbox', 'desk@cli.test', '--host', dv.host, '--port', String(dv.port), '--user', dv.user, '--password-env', 'IMAP_PW', '--folder', 'Cli', '--mode', 'poll', ...data],
      { env: { IMAP_PW: dv.password } },
    );
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout.trim(), /^[0-9a-f-]{36}$/);
    assert.equal(add.stderr.includes(dv.password), false);
    await dv.append('Cli', mail('Via the CLI'));
    const poll = await run(['imap', 'poll', '--account', 'cli-co', ...data]);
    assert.equal(poll.code, 0, poll.stderr);
    assert.match(poll.stderr, /1 stored/);
    const list = await run(['imap', 'list', '--account', 'cli-co', '--json', ...data]);
    assert.equal(list.code, 0, list.stderr);
    const items = JSON.parse(list.stdout);
    assert.equal(items.length, 1);
    assert.equal(items[0].lastUid, 1);
    assert.equal(items[0].mode, 'poll');
    assert.equal(list.stdout.includes(dv.password), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]);
}

test('the email channel start(app) runs a poller per enabled source and stops cleanly', { skip: missing ?? false }, async () => {
  const outbound = (await import('../src/modules/channels/email/outbound.module.js')).default;
  await dv.append('Support', mail('Picked up by the server'));
  const handles = await outbound.start!(env.app);
  try {
    const infos = handles.map((h) => h.info);
    assert.ok(infos.some((i) => i.includes('/Support → help@acme.test (poll)')), infos.join('\n'));
    assert.ok(infos.some((i) => /Outgoing email waits: SMTP_OUTBOUND_URL is not set/.test(i)));
    assert.equal(infos.join('\n').includes(dv.password), false);
    // Each poller syncs when it starts; wait for the outcome (not for a time).
    for (let i = 0; i < 150; i++) {
      const r = await env.db.query(`SELECT 1 FROM conversations WHERE account_id = $1 AND subject = 'Picked up by the server'`, [env.accountId]);
      if (r.rows.length) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const r = await env.db.query(`SELECT 1 FROM conversations WHERE account_id = $1 AND subject = 'Picked up by the server'`, [env.accountId]);
    assert.equal(r.rows.length, 1);
  } finally {
    for (const h of handles.reverse()) await h.stop();
  }
});

test('IMAP mail is acknowledged when its mailbox asks for it', { skip: missing ?? false }, async () => {
  const mb = await createMailbox(env.ctx, systemPrincipal(env.accountId), { address: 'ack@acme.test', name: 'Acme Ack' });
  assert.equal((await env.req('PUT', `/api/v1/mailboxes/${mb.id}/settings`, { body: { autoAck: true } })).status, 200);
  const s = await addImapSource(env.ctx, env.accountId, {
    mailbox: 'ack@acme.test', host: dv.host, port: dv.port, username: dv.user, password: dv.password, folder: 'Ack', mode: 'poll',
  });
  await dv.append('Ack', mail('Please confirm', { from: 'Nora <nora@kunde.test>' }));
  const r = await pollImapOnce(env.ctx, s.id);
  assert.equal(r.stored, 1);
  const out = await env.db.query<{ to_addresses: string[]; kind: string; auto: string }>(
    `SELECT o.to_addresses, o.kind, o.headers->>'Auto-Submitted' AS auto FROM outbound_emails o JOIN conversations c ON c.id = o.conversation_id
      WHERE c.subject = 'Please confirm'`,
  );
  assert.deepEqual(out.rows, [{ to_addresses: ['nora@kunde.test'], kind: 'system', auto: 'auto-replied' }]);
});
