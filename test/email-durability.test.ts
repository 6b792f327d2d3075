/**
 * Durability of inbound SMTP: the real server (`earshot serve --smtp-port`) in its own process, a burst of 200 messages
 * from several concurrent SMTP clients, SIGKILL midway, restart; the senders retry what did not get 250, like an MTA.
 * Then: every message that received 250 is stored exactly once, and nothing is stored twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { scratchPgDatabase } from './helpers.js';
import { CLI, CWD, childEnv, freePort, run, show } from './cli-run.js';
import { openDb } from '../src/platform/db.js';

const PG_URL = process.env.TEST_DATABASE_URL;
const TOTAL = 200;
const SENDERS = 8;

function startServer(dbArgs: string[], env: Record<string, string>, smtpPort: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--smtp-port', String(smtpPort), '--no-jobs', ...dbArgs], {
      cwd: CWD,
      env: childEnv({ ...env, SMTP_HOST: '127.0.0.1', LOG_LEVEL: 'error' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 60_000);
    child.stderr!.setEncoding('utf8').on('data', (d) => {
      err += d;
      if (/SMTP on /.test(err)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it was ready:\n${err}`));
    });
  });
}

const rawOf = (i: number) =>
  [
    `From: Customer ${i} <c${i}@example.com>`, 'To: support@acme.test', `Subject: Durability ${i}`, `Message-ID: <dur-${i}@example.com>`,
    'Content-Type: text/plain; charset=utf-8', '', `durability message ${i} ${'x'.repeat(i % 7 * 300)}`, '',
  ].join('\r\n');

test('SIGKILL during a burst of 200 SMTP messages: every 250 is stored exactly once, nothing twice', { timeout: 170_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-dur-'));
  let dbArgs: string[] = [];
  let env: Record<string, string> = {};
  let dropDb: (() => Promise<void>) | null = null;
  let url: string | null = null;
  if (PG_URL) {
    const scratch = await scratchPgDatabase('earshot_dur');
    url = scratch.url;
    env = { DATABASE_URL: url };
    dropDb = scratch.drop;
  } else dbArgs = ['--data', join(dir, 'data')];
  let server: ChildProcess | null = null;
  try {
    const acc = await run(['account', 'create', 'Acme', '--slug', 'acme', ...dbArgs], { env });
    assert.equal(acc.code, 0, show(acc));
    const mb = await run(['mailbox', 'add', '--account', 'acme', '--address', 'support@acme.test', ...dbArgs], { env });
    assert.equal(mb.code, 0, show(mb));
    const port = await freePort();
    server = await startServer(dbArgs, env, port);

    const acked = new Set<number>();
    let attempts = 0;
    let failures = 0;
    let next = 0;
    const deadline = Date.now() + 140_000;
    const sender = async () => {
      const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 3000, greetingTimeout: 3000, socketTimeout: 20_000 } as any);
      for (;;) {
        const i = next++;
        if (i >= TOTAL) break;
        // Retry until 250, like a real MTA (connection refused while the server is down, 451, cut connections).
        for (;;) {
          assert.ok(Date.now() < deadline, `message ${i} never got 250`);
          attempts++;
          try {
            const info = await t.sendMail({ envelope: { from: `c${i}@example.com`, to: ['support@acme.test'] }, raw: rawOf(i) });
            assert.match(String(info.response), /^250/);
            acked.add(i);
            break;
          } catch (err: any) {
            if (err.responseCode && err.responseCode >= 500) throw err;
            failures++;
            await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
          }
        }
      }
      t.close();
    };
    const senders = Promise.all(Array.from({ length: SENDERS }, sender));
    // SIGKILL once a third of the burst is acknowledged, then restart on the same port.
    while (acked.size < TOTAL / 3) await new Promise((r) => setTimeout(r, 20));
    const killedAt = acked.size;
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGKILL');
    await exited;
    server = await startServer(dbArgs, env, port);
    await senders;
    assert.equal(acked.size, TOTAL);
    assert.ok(failures > 0, 'the kill should have interrupted some deliveries');
    const stopped = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await stopped;
    server = null;

    const db = await openDb(url ? { databaseUrl: url } : { dataDir: join(dir, 'data') });
    try {
      const rows = await db.query<{ rfc_message_id: string; n: number; msgs: number }>(
        `SELECT e.rfc_message_id, count(*)::int AS n,
                (SELECT count(*)::int FROM messages m JOIN email_messages e2 ON e2.conversation_id = m.conversation_id
                  WHERE e2.rfc_message_id = e.rfc_message_id) AS msgs
           FROM email_messages e GROUP BY e.rfc_message_id`,
      );
      const byId = new Map(rows.rows.map((r) => [r.rfc_message_id, r]));
      for (const i of acked) {
        const r = byId.get(`<dur-${i}@example.com>`);
        assert.ok(r, `message ${i} got 250 but is not stored`);
        assert.equal(r.n, 1, `message ${i} stored ${r.n} times`);
        assert.equal(r.msgs, 1, `message ${i} has ${r.msgs} conversation messages`);
      }
      const convs = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations`);
      assert.equal(convs.rows[0].n, TOTAL, 'one conversation per message, none doubled');
      const doubled = await db.query(`SELECT subject FROM conversations GROUP BY subject HAVING count(*) > 1`);
      assert.deepEqual(doubled.rows, []);
      const msgs = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages`);
      assert.equal(msgs.rows[0].n, TOTAL);
      process.stderr.write(`durability: killed after ${killedAt} acknowledged, ${attempts} attempts, ${failures} retried, ${TOTAL} stored once\n`);
    } finally {
      await db.close();
    }
  } finally {
    if (server) server.kill('SIGKILL');
    await dropDb?.();
    rmSync(dir, { recursive: true, force: true });
  }
});
