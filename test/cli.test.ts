/**
 * End-to-end tests of the `earshot` command: each test runs the real CLI (src/cli/run.ts through tsx) in a child
 * process against a fresh embedded data folder (or, for the last test, a fresh PostgreSQL database).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { scratchPgDatabase } from './helpers.js';
import { CLI, CWD, childEnv, freePort, run, show, tempDataDir } from './cli-run.js';

/** Starts `serve`, waits for /api/health to answer 200, returns the child, the health JSON and a stop function. */
async function startServer(args: string[], env: Record<string, string> = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [...CLI, 'serve', '--port', String(port), '--host', '127.0.0.1', ...args], {
    cwd: CWD,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((res) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      res();
    }),
  );

  const stop = async () => {
    if (exited) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exitPromise;
    clearTimeout(timer);
    return exited!;
  };

  const deadline = Date.now() + 60_000;
  let last = 'no answer yet';
  try {
    while (Date.now() < deadline) {
      if (exited) throw new Error(`server exited early (code ${exited.code}, signal ${exited.signal})\n${stdout}\n${stderr}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
        const body = await res.text();
        if (res.status === 200) return { child, port, health: JSON.parse(body), stop, output: () => ({ stdout, stderr }) };
        last = `HTTP ${res.status}: ${body}`;
      } catch (err: any) {
        last = err?.cause?.code ?? err?.message ?? String(err);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no 200 from /api/health within 60 s (last: ${last})\n${stdout}\n${stderr}`);
  } catch (err) {
    await stop();
    throw err;
  }
}

test('--help lists the commands; user add --help mentions --role', { timeout: 120_000 }, async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0, show(r));
  for (const cmd of ['serve', 'demo', 'migrate', 'account', 'user', 'token']) {
    assert.match(r.stdout, new RegExp(`^\\s+${cmd}\\b`, 'm'), `--help should list '${cmd}'\n${show(r)}`);
  }

  const u = await run(['user', 'add', '--help']);
  assert.equal(u.code, 0, show(u));
  assert.match(u.stdout, /--role <role>/, show(u));
  assert.match(u.stdout, /agent, supervisor, leader, admin/, show(u));
});

test('account create, user add and token create on an empty data folder', { timeout: 120_000 }, async (t) => {
  const dir = tempDataDir(t);

  const a = await run(['account', 'create', 'Acme GmbH', '--data', dir]);
  assert.equal(a.code, 0, show(a));
  assert.equal(a.stdout.trim(), 'acme-gmbh', show(a));
  assert.match(a.stderr, /Account 'Acme GmbH' created/, show(a));

  const u = await run([
    'user', 'add', '--account', 'acme-gmbh', '--email', 'a@acme.test', '--name', 'A', '--role', 'agent',
    '--password', 'long enough pw', '--data', dir,
  ]);
  assert.equal(u.code, 0, show(u));
  assert.match(u.stdout.trim(), /^\S+$/, `user add prints the user id\n${show(u)}`);
  assert.match(u.stderr, /a@acme\.test \(agent\) added to 'acme-gmbh'/, show(u));
  assert.doesNotMatch(u.stderr, /Password:/, 'a given password is not echoed');

  // --invite: no password; the user is emailed an invitation link (issue 13).
  const inv = await run(['user', 'add', '--account', 'acme-gmbh', '--email', 'i@acme.test', '--name', 'I', '--role', 'agent', '--invite', '--data', dir]);
  assert.equal(inv.code, 0, show(inv));
  assert.match(inv.stderr, /i@acme\.test \(agent\) added to 'acme-gmbh'\. Invitation emailed \(the link works until \d{4}-/, show(inv));
  assert.doesNotMatch(inv.stderr, /Password:/, show(inv));

  const tk = await run(['token', 'create', '--account', 'acme-gmbh', '--role', 'admin', '--data', dir]);
  assert.equal(tk.code, 0, show(tk));
  const token = tk.stdout.trim();
  assert.match(token, /^es_[A-Za-z0-9_-]+$/, show(tk));
  assert.equal(tk.stdout.split('\n').filter(Boolean).length, 1, `token create prints one line\n${show(tk)}`);
  assert.equal(tk.stdout, `${token}\n`, 'stdout holds only the token');
});

test('errors: unknown account, bad role, unknown option, unreachable PostgreSQL', { timeout: 120_000 }, async (t) => {
  const dir = tempDataDir(t);

  const noAccount = await run(['token', 'create', '--account', 'nope', '--role', 'admin', '--data', dir]);
  assert.equal(noAccount.code, 1, show(noAccount));
  assert.ok(noAccount.stderr.includes("Unknown account 'nope'"), show(noAccount));
  assert.equal(noAccount.stdout, '', show(noAccount));

  const badRole = await run([
    'user', 'add', '--account', 'nope', '--email', 'b@acme.test', '--name', 'B', '--role', 'boss',
    '--password', 'long enough pw', '--data', dir,
  ]);
  assert.notEqual(badRole.code, 0, show(badRole));
  assert.match(badRole.stderr, /'boss' is not a role/, show(badRole));

  const bogus = await run(['serve', '--bogus']);
  assert.notEqual(bogus.code, 0, show(bogus));
  assert.match(bogus.stderr, /unknown option '--bogus'/, show(bogus));

  const unreachable = await run(['migrate'], { env: { DATABASE_URL: 'postgres://127.0.0.1:1/nothing' } });
  assert.equal(unreachable.code, 1, show(unreachable));
  assert.match(unreachable.stderr, /Cannot reach PostgreSQL/, show(unreachable));
});

/** The server answered health for the expected database, and shuts down cleanly on SIGTERM. */
async function expectHealthyThenStop(srv: Awaited<ReturnType<typeof startServer>>, database: 'pglite' | 'postgres') {
  try {
    assert.equal(srv.health.status, 'ok');
    assert.equal(srv.health.database, database);
  } finally {
    const exit = await srv.stop();
    assert.equal(exit.code, 0, `server should shut down cleanly on SIGTERM: ${JSON.stringify(exit)}\n${srv.output().stderr}`);
  }
}

test('serve on a fresh data folder answers /api/health and stops on SIGTERM', { timeout: 120_000 }, async (t) => {
  const dir = tempDataDir(t);
  await expectHealthyThenStop(await startServer(['--data', dir]), 'pglite');
});

test(
  'serve against PostgreSQL (DATABASE_URL) answers /api/health',
  { timeout: 120_000, skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL not set' },
  async () => {
    const scratch = await scratchPgDatabase('earshot_cli');
    try {
      await expectHealthyThenStop(await startServer([], { DATABASE_URL: scratch.url }), 'postgres');
    } finally {
      await scratch.drop();
    }
  },
);
